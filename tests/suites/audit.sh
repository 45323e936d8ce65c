#!/usr/bin/env bash
# labels: audit shared
# `distill audit` on a small tree built here from files of the shared corpus
# (shared/corpus/real), with decoys in .git, node_modules and vendor, a
# *.dockerignore, an --exclude'd folder, symbolic link loops, a link to a
# file and one to a folder outside, and a FIFO named like a Dockerfile.
# Checks: exactly the expected files; summary, jsonl and sarif byte-identical
# for --jobs 1, 2 and 5; --shard K/3 partitions the files; --merge of the
# shards gives the unsharded summary and jsonl; every jsonl line is valid
# JSON (read back by distill's own reader, and by python3 when present);
# --files-from, --git, --output; exit codes. Needs ../shared beside the
# checkout; without it the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
bin="${DS_BIN:-$DS_BUILD/distill}"
corpus="$DS_SHARED/corpus/real"
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	echo "shared data not found at $DS_SHARED (corpus/real/MANIFEST.tsv); this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check NAME COMMAND...: passes when the command succeeds
	local name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}
# runs distill with a time limit, so a blocking FIFO or a loop fails instead of hanging
audit() { timeout 60 "$bin" audit "$@"; }

mapfile -t pool < <(awk -F'\t' 'NR > 1 && $1 != "" { print $1 }' "$corpus/MANIFEST.tsv" | LC_ALL=C sort | head -12)
if [ ${#pool[@]} -lt 12 ]; then
	echo "FAIL: fewer than 12 files in $corpus/MANIFEST.tsv"
	echo "0 passed, 1 failed"
	exit 1
fi
t="$tmp/tree"
put() { mkdir -p "$(dirname "$t/$1")" && cp "$corpus/${pool[$2]}" "$t/$1"; }
# found
put app/Dockerfile 0
put app/web.Dockerfile 1
put app/api.dockerfile 2
put svc/Containerfile 3
put svc/Dockerfile.prod 4
put svc/deep/er/still/DOCKERFILE 5
put x/build.Containerfile 6
put x/Containerfile.dev 7
put lower/dockerfile 8
mkdir -p "$t/clean" "$t/broken" "$t/outside"
printf 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n' >"$t/clean/Dockerfile"
: >"$t/broken/Dockerfile" # no instructions: a parse error, reported per file
# decoys: skipped folders, an ignore file, other names, an excluded folder
put .git/Dockerfile 9
put .git/modules/sub/Dockerfile 9
put node_modules/pkg/Dockerfile 10
put app/node_modules/pkg/node_modules/inner/Containerfile 10
put svc/vendor/lib/Dockerfile 11
put generated/Dockerfile 11
printf 'node_modules\n' >"$t/app/Dockerfile.dockerignore"
printf 'notes\n' >"$t/app/README.md"
printf 'FROM alpine\n' >"$t/app/Dockerfile-notes.txt"
# a FIFO named like a Dockerfile: skipped without being opened
mkfifo "$t/Dockerfile.fifo"
# symbolic links: loops, a file, a folder outside the tree, a second way into a folder, a dangling one
ln -s .. "$t/app/loop"
ln -s . "$t/svc/self"
ln -s ../svc/Containerfile "$t/lower/Dockerfile.linked"
ln -s ../outside-tree "$t/ext" # leads out of the audited folder: not followed
ln -s ../app "$t/x/alias" # app is walked under its real path only
ln -s nowhere "$t/x/Dockerfile.dangling"
mkdir -p "$tmp/outside-tree/inner"
cp "$corpus/${pool[11]}" "$tmp/outside-tree/inner/Dockerfile"
ln -s .. "$tmp/outside-tree/inner/back" # back into the outside tree: a loop too

expected="app/Dockerfile
app/api.dockerfile
app/web.Dockerfile
broken/Dockerfile
clean/Dockerfile
lower/Dockerfile.linked
lower/dockerfile
svc/Containerfile
svc/Dockerfile.prod
svc/deep/er/still/DOCKERFILE
x/Containerfile.dev
x/build.Containerfile"
nexp=$(printf '%s\n' "$expected" | wc -l)

files_of() { sed -n 's/^{"file":"\([^"]*\)".*/\1/p' "$1"; }

cd "$tmp" || exit 1
# ---- discovery
audit --format jsonl --exclude generated -q tree >"$tmp/all.jsonl" 2>"$tmp/all.err"
rc=$?
check "exit 1 with findings and a broken file (got $rc)" test "$rc" -eq 1
got=$(files_of "$tmp/all.jsonl" | sed 's#^tree/##')
if [ "$got" = "$expected" ]; then ok; else
	bad "discovery: expected files differ"
	diff <(printf '%s\n' "$expected") <(printf '%s\n' "$got")
fi
check "--quiet leaves stderr empty" test ! -s "$tmp/all.err"
grep -q '"file":"tree/broken/Dockerfile".*"convertible":"error".*"parse_error":"1:1: ' "$tmp/all.jsonl" ||
	bad "broken file not reported with convertible error and a positioned parse_error"
grep -q '"file":"tree/clean/Dockerfile","repo":"tree","dir":"tree/clean","stages":1,"final_base":"gcr.io/distroless/static-debian12:nonroot","family":"distroless","shell_free":true,"convertible":"nothing","accept":\[\],"bump_runtime":false,"target":null,"context":null,"stage":null,"compose":null,"reasons":\[\],"findings":{"DST206":1},"parse_error":null,"micros":[1-9]' "$tmp/all.jsonl" &&
	ok || bad "clean distroless file report"
# the keys, exactly and in order
# (reasons and findings emptied first: only top-level names count)
top=$(head -1 "$tmp/all.jsonl" | sed 's/"findings":{[^}]*}/"findings":{}/; s/"reasons":\[[^]]*\]/"reasons":[]/' | grep -o '"[a-z_]*":' | tr -d '"' | tr -d '\n')
check "jsonl keys in order (got $top)" test "$top" = "file:repo:dir:stages:final_base:family:shell_free:convertible:accept:bump_runtime:target:context:stage:compose:reasons:findings:parse_error:micros:"
# without --exclude the excluded folder shows up
audit --format jsonl -q tree >"$tmp/noex.jsonl"
check "generated/Dockerfile found without --exclude" grep -q '"file":"tree/generated/Dockerfile"' "$tmp/noex.jsonl"
# a glob on the path below DIR
audit --format jsonl -q --exclude 'svc/deep/*' --exclude generated tree >"$tmp/ex2.jsonl"
check "--exclude on a path below DIR" test "$(files_of "$tmp/ex2.jsonl" | grep -c deep)" -eq 0
# stderr names the broken file when not --quiet
audit --exclude generated tree >/dev/null 2>"$tmp/err.txt"
check "per-file error on stderr" grep -q '^tree/broken/Dockerfile:1:1: error: ' "$tmp/err.txt"
check "no progress bar when stderr is not a terminal" test -z "$(tr -cd '\r' <"$tmp/err.txt")"

# ---- determinism across --jobs
for fmt in summary jsonl sarif; do
	for j in 1 2 5; do
		audit --format "$fmt" --no-timing --exclude generated -q -j "$j" tree >"$tmp/j$j.$fmt"
	done
	check "$fmt identical for --jobs 1 and 2" cmp -s "$tmp/j1.$fmt" "$tmp/j2.$fmt"
	check "$fmt identical for --jobs 1 and 5" cmp -s "$tmp/j1.$fmt" "$tmp/j5.$fmt"
done
check "summary counts the files" grep -Eq "^distill audit: $nexp Dockerfiles in " "$tmp/j1.summary"
check "summary counts parse failures" grep -Eq "^  errors +1 +[0-9.]+%  1 parse failure, 0 in the conversion\$" "$tmp/j1.summary"
check "--no-timing: no slowest files" test "$(grep -c 'slowest files' "$tmp/j1.summary")" -eq 0
check "--no-timing: micros 0" test "$(grep -vc '"micros":0}$' "$tmp/j1.jsonl")" -eq 0
audit --exclude generated -q tree >"$tmp/untimed.summary"
check "no slowest files without --timing" test "$(grep -c 'slowest files' "$tmp/untimed.summary")" -eq 0
audit --exclude generated -q --timing tree >"$tmp/timed.summary"
check "--timing summary lists slowest files" grep -q '^slowest files' "$tmp/timed.summary"
check "--timing summary gives the wall time" grep -q '^time: [0-9.]* s wall' "$tmp/timed.summary"
check "sarif 2.1.0" grep -q '"version": "2.1.0"' "$tmp/j1.sarif"
check "sarif results carry a region" grep -q '"region": {"startLine": [1-9]' "$tmp/j1.sarif"
check "sarif reports the parse error" grep -q '"executionSuccessful": false' "$tmp/j1.sarif"

# ---- shards
: >"$tmp/union"
for k in 1 2 3; do
	audit --format jsonl --no-timing --exclude generated -q --shard "$k/3" tree >"$tmp/shard$k.jsonl"
	files_of "$tmp/shard$k.jsonl" >>"$tmp/union"
done
check "shards: union is every file" test "$(LC_ALL=C sort -u "$tmp/union")" = "$(files_of "$tmp/j1.jsonl" | LC_ALL=C sort)"
check "shards: pairwise disjoint" test "$(wc -l <"$tmp/union")" -eq "$nexp"
nonempty=0
for k in 1 2 3; do [ -s "$tmp/shard$k.jsonl" ] && nonempty=$((nonempty + 1)); done
check "shards: at least two non-empty shards of $nexp files" test "$nonempty" -ge 2
# the shard key is the path below DIR: the same tree under another name splits the same
cp -R tree "$tmp/moved" 2>/dev/null
audit --format jsonl --no-timing --exclude generated -q --shard 2/3 moved >"$tmp/moved2.jsonl"
check "shards: independent of where the tree is" test "$(files_of "$tmp/moved2.jsonl" | sed 's#^moved/##')" = "$(files_of "$tmp/shard2.jsonl" | sed 's#^tree/##')"
audit --shard 0/3 tree >/dev/null 2>&1
check "--shard 0/3 is a usage error" test $? -eq 2
audit --shard 4/3 tree >/dev/null 2>&1
check "--shard 4/3 is a usage error" test $? -eq 2

# ---- merge
audit --merge --no-timing "$tmp/shard3.jsonl" "$tmp/shard1.jsonl" "$tmp/shard2.jsonl" >"$tmp/merged.summary"
rc=$?
check "merge exit code like the run (got $rc)" test "$rc" -eq 1
check "merge summary = unsharded summary" cmp -s "$tmp/merged.summary" "$tmp/j1.summary"
cat "$tmp/shard2.jsonl" "$tmp/shard3.jsonl" "$tmp/shard1.jsonl" | audit --merge --format jsonl - >"$tmp/merged.jsonl"
check "merge jsonl from stdin = unsharded jsonl" cmp -s "$tmp/merged.jsonl" "$tmp/j1.jsonl"
# every line is valid JSON: distill's strict reader reads each back (above); python3 too
if command -v python3 >/dev/null 2>&1; then
	check "jsonl lines are JSON (python3)" python3 -c '
import json, sys
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        json.loads(line)
' "$tmp/j1.jsonl" "$tmp/all.jsonl"
	check "sarif is JSON (python3)" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/j1.sarif"
else
	echo "note: python3 not found; JSON validity checked by distill's own reader only"
fi
printf '{"file":"a","stages":1}\n{"file":"b",\n' >"$tmp/bad.jsonl"
audit --merge "$tmp/bad.jsonl" >/dev/null 2>"$tmp/bad.err"
check "merge of invalid JSON exits 2" test $? -eq 2
check "merge error names file:line:col" grep -q "bad.jsonl:2:[0-9]*: error: invalid report" "$tmp/bad.err"
audit --merge --format sarif "$tmp/shard1.jsonl" "$tmp/shard2.jsonl" "$tmp/shard3.jsonl" >"$tmp/merged.sarif" 2>/dev/null
check "merge to sarif: exit 1 like the run" test $? -eq 1
check "merged sarif: one file-level result per rule and file" test "$(grep -c '"ruleId"' "$tmp/merged.sarif")" -eq \
	"$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["findings"]) for l in open(sys.argv[1])))' "$tmp/j1.jsonl")"

# ---- inputs and outputs
printf '%s\n' tree/app/Dockerfile tree/vanished/Dockerfile '' tree/svc >"$tmp/list"
audit --format jsonl --no-timing -q --files-from - <"$tmp/list" >"$tmp/list.jsonl"
rc=$?
check "--files-from: listed file, vanished file and walked folder" test "$(files_of "$tmp/list.jsonl" | tr '\n' ' ')" = "tree/app/Dockerfile tree/svc/Containerfile tree/svc/Dockerfile.prod tree/svc/deep/er/still/DOCKERFILE tree/vanished/Dockerfile "
check "--files-from: vanished file is an unreadable report" grep -q '"file":"tree/vanished/Dockerfile".*"convertible":"unreadable".*"parse_error":"cannot open: ' "$tmp/list.jsonl"
check "--files-from: exit 1 (got $rc)" test "$rc" -eq 1
# '-' is one Dockerfile on standard input, as for every command; a list is --files-from -
audit --format jsonl --no-timing -q - <tree/clean/Dockerfile >"$tmp/stdin.jsonl"
check "audit - reads one Dockerfile from standard input" grep -q '^{"file":"-","repo":"-","dir":"-","stages":1,"final_base":"gcr.io/distroless/static-debian12:nonroot",.*"convertible":"nothing"' "$tmp/stdin.jsonl"
check "audit - gives one report" test "$(wc -l <"$tmp/stdin.jsonl")" -eq 1
audit -q --files-from - - </dev/null >/dev/null 2>&1
check "'-' and --files-from - together are a usage error" test $? -eq 2
printf -- '-\n' >"$tmp/dash.list"
audit --format jsonl --no-timing -q --files-from "$tmp/dash.list" <tree/clean/Dockerfile >"$tmp/dash.jsonl"
check "a listed '-' is a path, never standard input" grep -q '"file":"-".*"convertible":"unreadable"' "$tmp/dash.jsonl"
audit --format jsonl --no-timing -q --exclude generated -o "$tmp/out.jsonl" tree >"$tmp/stdout.txt"
check "--output writes the file" cmp -s "$tmp/out.jsonl" "$tmp/j1.jsonl"
check "--output leaves stdout empty" test ! -s "$tmp/stdout.txt"
audit -q -o "$tmp/no/such/dir/out.txt" tree >/dev/null 2>"$tmp/out.err"
check "--output in a missing folder exits 2" test $? -eq 2
audit --format jsonl -q tree/FIFO-does-not-matter tree/clean >/dev/null 2>"$tmp/missing.err"
rc=$?
check "missing DIR exits 2 (got $rc)" test "$rc" -eq 2
check "missing DIR says DIR: error:" grep -q '^tree/FIFO-does-not-matter: error: ' "$tmp/missing.err"
audit -q tree/Dockerfile.fifo >/dev/null 2>"$tmp/fifo.err"
check "a FIFO given as DIR exits 2 without blocking" test $? -eq 2
audit --format jsonl -q tree/clean >"$tmp/clean.jsonl"
check "clean tree exits 0" test $? -eq 0
audit --bogus tree >/dev/null 2>&1
check "unknown option exits 2" test $? -eq 2
audit >/dev/null 2>&1
check "no DIR exits 2" test $? -eq 2
audit --format xml tree >/dev/null 2>&1
check "unknown format exits 2" test $? -eq 2
audit --help | grep -q -- '--shard K/N'
check "--help documents --shard" test $? -eq 0

# ---- --git: .gitignore applies inside a work tree
if command -v git >/dev/null 2>&1; then
	g="$tmp/repo"
	mkdir -p "$g/a" "$g/ignored" "$g/node_modules/x"
	cp tree/app/Dockerfile "$g/a/Dockerfile"
	cp tree/app/Dockerfile "$g/ignored/Dockerfile"
	cp tree/app/Dockerfile "$g/node_modules/x/Dockerfile"
	cp tree/app/Dockerfile "$g/Containerfile"
	printf 'ignored/\n' >"$g/.gitignore"
	git -C "$g" init -q 2>/dev/null
	git -C "$g" add a/Dockerfile 2>/dev/null
	audit --git --format jsonl -q "$g" >"$tmp/git.jsonl"
	check "--git: tracked and untracked files, .gitignore and node_modules respected" \
		test "$(files_of "$tmp/git.jsonl" | sed "s#^$g/##" | tr '\n' ' ')" = "Containerfile a/Dockerfile "
	audit --git --format jsonl -q tree/svc >"$tmp/nogit.jsonl"
	check "--git outside a work tree walks the folder" test "$(files_of "$tmp/nogit.jsonl" | wc -l)" -eq 3
else
	echo "note: git not found; --git not tested"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
