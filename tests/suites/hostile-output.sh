#!/usr/bin/env bash
# labels: robustness
# Terminal and log injection (issue 19 §4): a tree whose file and folder
# names and Dockerfile contents hold newlines, escape sequences (OSC title,
# clear screen), carriage returns, DEL, C1 controls, invalid UTF-8 and
# bidirectional overrides goes through every human output: lint text and
# gnu, errors on stderr, convert --explain and --diff headers, inspect, the
# audit summary and its per-file errors, the --merge summary, and the
# audit's HTML, Markdown and CSV reports (CSV also read back: one row per
# file, each naming a real file). In all of them
# no byte below 0x20 but newline and tab, no DEL and no C1 control may
# appear, and every finding or error line must start with the quoted name
# of a file that exists (quoted as git quotes paths, checked here by an
# independent implementation). JSON Lines must keep two names that are not
# UTF-8 apart (file_base64).
set -u
bin=${DS_BIN:-build/distill}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v python3 >/dev/null || { echo "FAIL: python3 is needed (sh tools/deps.sh)"; exit 1; }

cd "$tmp" || exit 1
python3 - <<'PY'
import os
names = [
    "x\nDockerfile:1:1: error: forged [DL9999]",
    "Dockerfile.\x1b]0;pwned\x07",
    "Dockerfile.\x1b[2J\r",
    "Dockerfile.del\x7f",
    "Dockerfile.c1\xc2\x9b2J".encode("latin-1").decode("utf-8", "surrogateescape"),
    "Dockerfile.bad\udcff\udcfe",
    "Dockerfile.bad\udcff\udcfd",
    "Dockerfile.rlo\u202etxt.sh",
    'Dockerfile.quote"back\\slash',
]
os.makedirs(os.fsencode("tree/dir\x1b[31m\nred"), exist_ok=True)
contents = [
    b"FROM alpine\x1b[2J\nUSER \x1b]0;title\x07\nRUN echo \x1b[1mbold\r\x7f \xc2\x9b \xff\nCMD [\"/app\"]\n",
    b"FROM node:22\nFOO\x1b[2J bar\nCOPY --chown=\xe2\x80\xaeroot . /app\nCMD [\"node\", \"app.js\"]\n",
    b"FROM alpine\nRUN <<EOF\n\x1b[2J\nEOF\n\x1b\n",               # parse error near an escape
    b"FROM \"\x1b[2J\"\nCMD [\"\x1b]0;x\x07\"]\n",
]
for i, n in enumerate(names):
    for d in ("tree", os.fsencode("tree/dir\x1b[31m\nred").decode("utf-8", "surrogateescape")):
        p = os.path.join(d, n)
        with open(os.fsencode(p), "wb") as f:
            f.write(contents[i % len(contents)])
PY

run() { # label, then the command; output of both streams kept apart
	local label=$1; shift
	"$@" >"$tmp/out.$label" 2>"$tmp/err.$label" </dev/null
	echo "$label" >>"$tmp/runs"
}
: >"$tmp/runs"
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find tree -type f -print0 | sort -z)
run lint-text "$bin" lint --no-shellcheck --no-color --format text "${files[@]}"
run lint-gnu "$bin" lint --no-shellcheck --format gnu "${files[@]}"
run lint-dir "$bin" lint --no-shellcheck --format gnu tree
i=0
for f in "${files[@]}"; do
	i=$((i + 1))
	# convert's standard output is the Dockerfile itself (the product), byte for byte
	"$bin" convert --explain "$f" >/dev/null 2>"$tmp/err.explain-$i" </dev/null
	: >"$tmp/out.explain-$i"
	echo "explain-$i" >>"$tmp/runs"
	run "diff-$i" "$bin" convert --diff "$f"
	run "inspect-$i" "$bin" inspect "$f"
done
run audit "$bin" audit --no-timing tree
run audit-timing "$bin" audit --timing -j1 tree
run html "$bin" audit --no-timing --format html tree
run md "$bin" audit --no-timing --format md tree
run csv "$bin" audit --no-timing --format csv tree
run jsonl "$bin" audit --no-timing --format jsonl tree
cp "$tmp/out.jsonl" "$tmp/r.jsonl"
run merge "$bin" audit --merge "$tmp/r.jsonl"
run missing "$bin" lint --no-shellcheck "tree/$(printf 'gone\033[2J\nx')"

python3 - "$tmp" <<'PY'
import os, re, sys, json, base64
tmp = sys.argv[1]
os.chdir(tmp)
fails = []
passes = 0

def quote(name):
    """git's quote_c_style on bytes, plus: C1, invalid UTF-8, bidi and line separators as octal."""
    esc = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}
    out, special, i = [], False, 0
    while i < len(name):
        c = name[i]
        if c in esc:
            out.append("\\" + esc[c]); special = True; i += 1; continue
        if c < 0x20 or c == 0x7f:
            out.append("\\%03o" % c); special = True; i += 1; continue
        if c < 0x80:
            out.append(chr(c)); i += 1; continue
        for k in (4, 3, 2):
            try:
                ch = name[i:i + k].decode("utf-8")
                if len(ch) == 1:
                    break
            except UnicodeDecodeError:
                pass
        else:
            out.append("\\%03o" % c); special = True; i += 1; continue
        cp = ord(ch)
        if 0x80 <= cp <= 0x9f or cp in (0x61c, 0x200e, 0x200f, 0x2028, 0x2029) or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069:
            out.extend("\\%03o" % b for b in name[i:i + k]); special = True
        else:
            out.append(ch)
        i += k
    s = "".join(out)
    return '"' + s + '"' if special else s

real = []
for root, dirs, fs in os.walk(b"tree"):
    for f in fs:
        real.append(os.path.join(root, f))
names = set()
for r in real:
    names.add(quote(r))
    names.add(quote(b"./" + r))
    names.add(quote(os.path.abspath(r)))
names.add(quote(b"tree/gone\x1b[2J\nx"))  # the missing file: its name, quoted
prefixes = sorted(names, key=len, reverse=True)

def check_bytes(label, data):
    global passes
    bad = [m.start() for m in re.finditer(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", data)]
    if bad:
        fails.append("%s: raw control byte at %d: %r" % (label, bad[0], data[max(0, bad[0] - 40):bad[0] + 20]))
    else:
        passes += 1

def starts_with_name(line):
    return any(line.startswith(p + ":") for p in prefixes)

def check_lines(label, data, context_ok=False):
    global passes
    prev = False
    for line in data.decode("utf-8", "replace").split("\n")[:-1]:
        if context_ok and line.startswith("  ") and prev:
            continue
        if not starts_with_name(line):
            fails.append("%s: line does not start with a real file's quoted name: %r" % (label, line[:120]))
            return
        prev = True
    passes += 1

runs = open("runs").read().split()
for label in runs:
    out, err = open("out." + label, "rb").read(), open("err." + label, "rb").read()
    if label.startswith("diff-"):
        # the body is the Dockerfile itself, for patch(1); the headers are names
        check_bytes(label + " (stderr)", err)
        check_lines(label + " (stderr)", err)
        for line in out.split(b"\n"):
            if line.startswith(b"--- ") or line.startswith(b"+++ "):
                h = line[4:].decode("utf-8", "replace")
                if not any(h == quote(side + r) for r in real for side in (b"a/", b"b/")):
                    fails.append("%s: diff header is not a quoted real name: %r" % (label, h))
                check_bytes(label + " (header)", line)
        continue
    check_bytes(label + " (stdout)", out)
    check_bytes(label + " (stderr)", err)
    if label in ("lint-text",) or label.startswith("inspect-"):
        check_lines(label, out, context_ok=True)
    elif label in ("lint-gnu", "lint-dir") or label.startswith("explain-"):
        check_lines(label + " (stdout)" if not label.startswith("explain-") else label, out if not label.startswith("explain-") else err)
    if label in ("lint-text", "lint-gnu", "lint-dir", "audit", "audit-timing", "missing") or label.startswith("inspect-"):
        check_lines(label + " (stderr)", err)
    if label in ("audit", "audit-timing", "merge"):
        # per-file rows of the summary: two spaces, then a name (parse failures) or a time and a name
        section = None
        for line in out.decode("utf-8", "replace").split("\n"):
            if line and not line.startswith(" "):
                section = line
                continue
            if section.startswith("errors (") and line.startswith("  ") and not line.startswith("  ..."):
                if not starts_with_name(line[2:]):
                    fails.append("%s: error row without a quoted real name: %r" % (label, line))
            if section == "slowest files" and line.strip():
                m = re.match(r"^ +[0-9.]+ ms  (.*)$", line)
                if not m or m.group(1) not in names:
                    fails.append("%s: slowest-files row without a quoted real name: %r" % (label, line))
        passes += 1
    if label == "csv":
        import csv, io
        rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
        body = rows[1:]
        bad_rows = [r for r in body if r[0] not in names]
        if rows[0][0] != "file" or len(body) < 16 or bad_rows:
            fails.append("csv: %d rows, %d not naming a real file (first: %r)" % (len(body), len(bad_rows), bad_rows[:1]))
        else:
            passes += 1
    if label == "html" and (b"<script" in out.lower() or b"\x1b" in out):
        fails.append("html: a script tag or a raw escape in the page")
    if label == "jsonl":
        seen = set()
        for line in out.decode("utf-8").splitlines():
            o = json.loads(line)
            name = base64.b64decode(o["file_base64"]) if "file_base64" in o else o["file"].encode("utf-8")
            if name in seen:
                fails.append("jsonl: two reports for %r" % name)
            seen.add(name)
        lines = len(out.decode("utf-8").splitlines())
        strays = [n for n in seen if n not in real]
        if len(seen) != lines or strays or lines < 16:
            fails.append("jsonl: names not recoverable: %d distinct names in %d reports, %d not real" % (len(seen), lines, len(strays)))
        else:
            passes += 1

# the outputs must hold findings at all (a run that printed nothing proves nothing)
for label in ("lint-text", "lint-gnu", "audit", "merge"):
    if os.path.getsize("out." + label) < 100:
        fails.append("%s printed almost nothing" % label)
for f in fails:
    print("FAIL:", f)
print("%d passed, %d failed" % (passes, len(fails)))
sys.exit(1 if fails else 0)
PY
