#!/usr/bin/env bash
# labels: audit
# The readable audit reports (issue 15) on a small tree built here from the
# bundled samples: two git repositories (one nested in a folder of the
# other's parent), files of every verdict, a name with a space, a pipe and a
# backtick. Checks: the Markdown and CSV reports equal their golden files
# (tests/audit-report/expected.md, expected.csv; DS_UPDATE_GOLDEN=1
# rewrites them); the CSV reads back with Python's csv module as one row per
# file matching the JSON Lines; --merge of two shards writes every format
# byte for byte like the run; --group-by dir groups by folder; every
# verdict's count in the summary, the page and the Markdown adds up to the
# files. Needs python3 (tools/deps.sh).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin="${DS_BIN:-$DS_SRC/build/distill}"
golden="$DS_SRC/tests/audit-report"
command -v python3 >/dev/null || { echo "FAIL: python3 is needed (sh tools/deps.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
audit() { timeout 60 "$bin" audit "$@"; }

t="$tmp/tree"
put() { mkdir -p "$(dirname "$t/$1")" && cp "$DS_SRC/samples/$2/Dockerfile" "$t/$1"; }
mkdir -p "$t/shop/.git" "$t/blog/.git" "$t/blog/themes/.git"
put shop/api/Dockerfile w2-root-volume            # yes
put shop/web/Dockerfile w2-user-declared          # accept: user
put shop/worker/Dockerfile w5-python-bump-paths   # accept: --bump-runtime
put shop/php/Dockerfile php-app                   # no-runtime
put blog/Dockerfile already-distroless            # nothing
put blog/entry/Dockerfile shell-script-entrypoint # manual
put blog/entry2/Dockerfile every-blocker          # manual, the same blocker with another value
put blog/bad/Dockerfile unknown-instruction       # error (docker build rejects it)
put 'shop/odd|name `x/Dockerfile' w11-run-dirs    # yes, under a name a shell and Markdown must not read
put blog/themes/Dockerfile rust-debian-slim       # yes, in the nested repository
mkdir -p "$t/misc"
: >"$t/misc/empty.Dockerfile"                     # error: nothing to parse
printf 'These are notes, not a Dockerfile.\n' >"$t/misc/notes.Dockerfile" # not-dockerfile
nfiles=12
ver=$("$bin" version | sed -n 's/^distill //p')

cd "$tmp" || exit 1
audit --no-timing -q --format jsonl tree >all.jsonl
check "jsonl lists $nfiles files" test "$(wc -l <all.jsonl)" -eq "$nfiles"
for f in md csv; do
	audit --no-timing -q --format "$f" tree >"report.$f"
	rc=$?
	check "--format $f exits 1 like every format with findings (got $rc)" test "$rc" -eq 1
	sed "s/distill $ver /distill VERSION /" "report.$f" >"norm.$f"
	if [ "${DS_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "norm.$f" "$golden/expected.$f"
	fi
	if cmp -s "norm.$f" "$golden/expected.$f"; then ok; else
		bad "--format $f differs from tests/audit-report/expected.$f (DS_UPDATE_GOLDEN=1 to accept)"
		diff -u "$golden/expected.$f" "norm.$f" | head -40
	fi
done

# the CSV: one row per file, the same files and verdicts as the JSON Lines
check "csv: one row per file, as the JSON Lines" python3 - all.jsonl report.csv <<'PY'
import csv, json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == len(lines), (len(rows), len(lines))
for row, o in zip(rows, lines):
    assert row["file"] == o["file"], (row["file"], o["file"])
    assert row["convertible"] == o["convertible"]
    assert row["repo"] == o["repo"] and row["dir"] == o["dir"]
    assert int(row["findings"]) == sum(o["findings"].values())
    if o["convertible"] in ("yes", "accept"):
        assert row["command"].startswith("distill convert ") and row["command"].endswith(" --in-place " + o["file"]) \
            or "'" in row["command"], row["command"]
    else:
        assert row["command"] == ""
PY

# every verdict is counted once: the counts add up to the files, in every format
python3 - all.jsonl >counts.txt <<'PY'
import json, sys, collections
c = collections.Counter(json.loads(l)["convertible"] for l in open(sys.argv[1]))
for k in ("nothing", "yes", "accept", "manual", "no-runtime", "not-dockerfile", "unreadable", "error"):
    print(k, c[k])
PY
check "every verdict present in the tree but unreadable" test "$(awk '$2 == 0' counts.txt | tr '\n' ' ')" = "unreadable 0 "
audit --no-timing -q --format html tree >report.html
check "html legend counts = JSON Lines counts" python3 - report.html counts.txt <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
got = dict(re.findall(r'<li data-verdict="([a-z-]+)" data-n="([0-9]+)"', page))
want = dict(l.split() for l in open(sys.argv[2]))
assert got == want, (got, want)
PY
audit --no-timing -q tree >report.summary
check "summary: the verdict lines = JSON Lines counts" python3 - report.summary counts.txt <<'PY'
import re, sys
labels = {"already shell-free": "nothing", "convertible now": "yes", "convertible with a flag": "accept",
          "manual work": "manual", "no shell-free runtime": "no-runtime", "not a Dockerfile": "not-dockerfile",
          "unreadable": "unreadable", "errors": "error"}
got = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^  ([a-zA-Z -]+?) +([0-9]+) +[0-9.]+%", line)
    if m and m.group(1) in labels:
        got[labels[m.group(1)]] = m.group(2)
want = dict(l.split() for l in open(sys.argv[2]))
assert got == want, (got, want)
PY
check "summary names the nested repository" grep -q ' tree/blog/themes$' report.summary
check "summary: a name with a pipe and a backtick is one quoted shell word" grep -qF "distill convert --in-place 'tree/shop/odd|name \`x/Dockerfile'" report.summary

# --merge of shards writes every format exactly like the run
audit --no-timing -q --format jsonl --shard 1/2 tree >s1.jsonl
audit --no-timing -q --format jsonl --shard 2/2 tree >s2.jsonl
check "two non-empty shards" test -s s1.jsonl -a -s s2.jsonl
for f in summary md csv html jsonl sarif; do
	audit --no-timing -q --format "$f" tree >"run.$f"
	audit --merge --no-timing --format "$f" s2.jsonl s1.jsonl >"merged.$f"
	if [ "$f" = sarif ]; then
		# the run has positions, JSON Lines do not: compare the rules and files instead
		check "merged sarif names the same rules" test "$(grep -o '{"id": "[A-Z0-9]*"}' merged.sarif)" = "$(grep -o '{"id": "[A-Z0-9]*"}' run.sarif)"
	else
		check "--merge --format $f = the run's $f" cmp -s "merged.$f" "run.$f"
	fi
done

# --group-by dir: the nested repository belongs to its top-level folder
audit --no-timing -q --format md --group-by dir tree >bydir.md
check "--group-by dir: a Folders table" grep -q '^## Folders$' bydir.md
check "--group-by dir: tree/blog holds 5 files" grep -q '^| `tree/blog` | 5 |' bydir.md
check "--group-by repo: tree/blog holds 4 files" grep -q '^| `tree/blog` | 4 |' report.md
check "--group-by repo: the nested repository is its own row" grep -q '^| `tree/blog/themes` | 1 |' report.md
audit --group-by nothing tree >/dev/null 2>&1
check "unknown --group-by is a usage error" test $? -eq 2
audit --top 0 tree >/dev/null 2>&1
check "--top 0 is a usage error" test $? -eq 2
audit --no-timing -q --top 1 tree >top1.summary
check "--top 1: one blocker, the rest counted" grep -q '^  \.\.\. and [0-9]* more blockers' top1.summary

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
