#!/usr/bin/env bash
# labels: shared corpus
# `distill lint` in every format over every file of the shared corpus
# (../shared/corpus/real): json, sarif, gitlab_codeclimate and sonarqube
# parse as JSON (with their required fields), codeclimate as NUL-separated
# JSON issues and codacy as JSON lines, checkstyle and junit as XML; gnu,
# text and tty have one finding header a line; the exit code is 0 or 1
# (never a parse or I/O error).
# All formats run without shellcheck over the whole corpus (one shellcheck
# process per file would dominate the run); json runs once more with
# shellcheck on the first 40 files when shellcheck is installed.
set -u
bin=${DS_BIN:-build/distill}
corpus=${DS_SHARED:-../shared}/corpus/real
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

if [ ! -d "$corpus" ]; then
	echo "FAIL: the shared corpus is missing: $corpus (set DS_SHARED to the shared folder)"
	exit 1
fi
if ! command -v python3 >/dev/null; then
	echo "FAIL: python3 is needed to check JSON and XML (tools/deps.sh installs it)"
	exit 1
fi
find "$corpus" -type f ! -name MANIFEST.tsv | LC_ALL=C sort >"$tmp/files"
n=$(wc -l <"$tmp/files")
if [ "$n" -eq 0 ]; then
	echo "FAIL: no files in $corpus"
	exit 1
fi

run() { # format, extra options...
	local fmt=$1; shift
	local rc
	xargs -d '\n' -a "$tmp/files" "$bin" lint --format "$fmt" "$@" >"$tmp/out.$fmt" 2>"$tmp/err.$fmt"
	rc=$?
	# xargs reports 123 when a command exited 1..125; tell 1 from 2 by stderr
	if [ $rc -ne 0 ] && [ $rc -ne 123 ]; then
		echo "FAIL $fmt: exit $rc"; head -5 "$tmp/err.$fmt"; fail=$((fail+1)); return 1
	fi
	if grep -q ': error: ' "$tmp/err.$fmt"; then
		echo "FAIL $fmt: errors (exit 2) on corpus files:"; grep ': error: ' "$tmp/err.$fmt" | head -5
		fail=$((fail+1)); return 1
	fi
	return 0
}

# xargs may split the list: run json in one batch per xargs call and merge the arrays
check_json() { # format
	python3 - "$tmp/out.$1" "$1" <<'PY'
import json, sys
path, fmt = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
dec = json.JSONDecoder()
docs, i = [], 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    docs.append(obj)
if not docs:
    sys.exit("no output")
if fmt == "json":
    for d in docs:
        assert isinstance(d, list), "not an array"
        for f in d:
            for k in ("code", "column", "file", "level", "line", "message", "end_line", "end_column", "slug", "severity"):
                assert k in f, "missing %s in %r" % (k, f)
            assert f["severity"] in ("error", "warning", "info", "style"), f
    print("json: %d findings" % sum(len(d) for d in docs))
else:
    total = 0
    for d in docs:
        assert d["version"] == "2.1.0"
        run = d["runs"][0]
        drv = run["tool"]["driver"]
        assert drv["name"] == "distill" and drv["version"] and drv["informationUri"]
        ids = set()
        for r in drv["rules"]:
            for k in ("id", "name", "shortDescription", "fullDescription", "defaultConfiguration"):
                assert k in r, "rule without %s" % k
            assert r["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
            assert r["helpUri"].endswith(r["id"] + ".md"), r
            ids.add(r["id"])
        for res in run["results"]:
            assert res["level"] in ("error", "warning", "note"), res
            assert res["message"]["text"]
            loc = res["locations"][0]["physicalLocation"]
            assert loc["artifactLocation"]["uri"]
            reg = loc["region"]
            assert reg["startLine"] >= 1 and reg["startColumn"] >= 1, reg
            assert (reg["endLine"], reg["endColumn"]) >= (reg["startLine"], reg["startColumn"]), reg
            assert res["ruleId"] in ids or res["ruleId"].startswith("SC"), res["ruleId"]
            total += 1
    print("sarif: %d results" % total)
PY
}

check_xml() {
	python3 - "$tmp/out.checkstyle" <<'PY'
import sys, xml.dom.minidom
text = open(sys.argv[1], encoding="utf-8").read()
# one document per xargs batch
docs = [d for d in text.split('<?xml version="1.0" encoding="UTF-8"?>') if d.strip()]
n = 0
for d in docs:
    dom = xml.dom.minidom.parseString('<?xml version="1.0" encoding="UTF-8"?>' + d)
    assert dom.documentElement.tagName == "checkstyle"
    for e in dom.getElementsByTagName("error"):
        for a in ("line", "column", "severity", "message", "source"):
            assert e.hasAttribute(a), a
        n += 1
print("checkstyle: %d errors" % n)
PY
}

check_lines() { # format: every header line is FILE:LINE:COL: SEVERITY: MESSAGE [CODE] (tty: FILE:LINE CODE level: MESSAGE)
	local pat='^.+:[0-9]+:[0-9]+: (error|warning|info|style): .* \[[A-Za-z]+[0-9]*\]$'
	[ "$1" = tty ] && pat='^.+:[0-9]+ [A-Za-z]+[0-9]* (error|warning|info|style): .*$'
	if [ "$1" = gnu ] || [ "$1" = tty ]; then
		bad=$(grep -Evc "$pat" "$tmp/out.$1")
	else
		bad=$(grep -v '^  ' "$tmp/out.text" | grep -Evc "$pat")
	fi
	if [ "$bad" -ne 0 ]; then
		echo "FAIL $1: $bad malformed lines"; grep -v '^  ' "$tmp/out.$1" | grep -Ev "$pat" | head -3; return 1
	fi
	echo "$1: $(grep -Ec "$pat" "$tmp/out.$1") findings"
}

if run json --no-shellcheck; then
	if check_json json; then pass=$((pass+1)); else echo "FAIL json: invalid"; fail=$((fail+1)); fi
fi
if command -v shellcheck >/dev/null; then
	cp "$tmp/files" "$tmp/all-files"
	head -40 "$tmp/all-files" >"$tmp/files"
	if run json; then
		if check_json json; then pass=$((pass+1)); else echo "FAIL json+shellcheck: invalid"; fail=$((fail+1)); fi
	fi
	cp "$tmp/all-files" "$tmp/files"
fi
if run sarif --no-shellcheck; then
	if check_json sarif; then pass=$((pass+1)); else echo "FAIL sarif: invalid"; fail=$((fail+1)); fi
fi
if run checkstyle --no-shellcheck; then
	if check_xml; then pass=$((pass+1)); else echo "FAIL checkstyle: not well-formed XML"; fail=$((fail+1)); fi
fi
check_others() { # hadolint's formats
	python3 - "$tmp" "$1" <<'PY'
import json, sys, xml.dom.minidom
tmp, fmt = sys.argv[1], sys.argv[2]
raw = open("%s/out.%s" % (tmp, fmt), "rb").read().decode("utf-8")
n = 0
dec = json.JSONDecoder()
def docs(text):
    i = 0
    while i < len(text):
        while i < len(text) and (text[i].isspace() or text[i] == "\0"):
            i += 1
        if i >= len(text):
            return
        obj, i = dec.raw_decode(text, i)
        yield obj
levels = {"blocker", "major", "info", "minor"}
if fmt == "codeclimate":
    assert raw.endswith("\0") or not raw
    for part in raw.split("\0")[:-1]:
        i = json.loads(part)
        assert i["type"] == "issue" and i["check_name"] and i["description"] and i["severity"] in levels, i
        assert i["location"]["path"] and ("lines" in i["location"] or "positions" in i["location"]), i
        n += 1
elif fmt == "gitlab_codeclimate":
    for d in docs(raw):
        for i in d:
            assert len(i["fingerprint"]) == 40 and i["severity"] in levels and i["location"]["lines"]["begin"] >= 1, i
            n += 1
elif fmt == "sonarqube":
    for d in docs(raw):
        for i in d["issues"]:
            loc = i["primaryLocation"]
            assert i["engineId"] == "distill" and i["ruleId"] and i["type"] in ("BUG", "CODE_SMELL"), i
            assert loc["textRange"]["startLine"] >= 1 and loc["filePath"] and loc["message"], i
            n += 1
elif fmt == "codacy":
    for line in raw.splitlines():
        i = json.loads(line)
        assert set(i) == {"filename", "patternId", "message", "line"}, i
        n += 1
elif fmt == "junit":
    for d in [x for x in raw.split('<?xml version="1.0" encoding="UTF-8"?>') if x.strip()]:
        dom = xml.dom.minidom.parseString('<?xml version="1.0" encoding="UTF-8"?>' + d)
        assert dom.documentElement.tagName == "testsuites"
        for s in dom.getElementsByTagName("testsuite"):
            assert int(s.getAttribute("failures")) == len(s.getElementsByTagName("testcase"))
        n += len(dom.getElementsByTagName("failure"))
print("%s: %d findings" % (fmt, n))
PY
}

for f in codeclimate gitlab_codeclimate sonarqube junit codacy; do
	if run $f --no-shellcheck; then
		if check_others $f; then pass=$((pass+1)); else echo "FAIL $f: invalid"; fail=$((fail+1)); fi
	fi
done
for f in gnu text tty; do
	if run $f --no-shellcheck; then
		if check_lines $f; then pass=$((pass+1)); else fail=$((fail+1)); fi
	fi
done
echo "over $n corpus files"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
