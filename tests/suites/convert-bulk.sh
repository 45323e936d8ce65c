#!/usr/bin/env bash
# labels: convert tsan
# convert on several files and folders (issue 14 §3): --check's exit codes
# (0 nothing would change, 1 some file would change, 3 some file needs a
# person, 2 errors, and which wins when they mix), folders searched as audit
# searches them (an empty one is an error), --in-place on each file, --diff
# patches that `patch -p1` applies from the current folder (also for
# absolute paths), one summary line per file and a total, and --jobs not
# changing the output. Works on copies of samples/. Labelled tsan: `make
# tsan` runs it under ThreadSanitizer, where --jobs 4 races would abort.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $src in /*) ;; *) src=$PWD/$src ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
for s in already-distroless arg-in-from python-alpine every-blocker php-app rust-debian-slim; do
	[ -f "$src/samples/$s/Dockerfile" ] || { echo "FAIL: no sample $s in $src/samples"; exit 1; }
done

# A fresh copy of sample $1 (its folder: the build context) at $2.
sample() { mkdir -p "$(dirname "$2")"; cp -r "$src/samples/$1" "$2"; rm -f "$2"/expected.*; }

# expect CODE DESCRIPTION -- ARGS...: runs convert in $tmp/w, keeps stdout and stderr.
expect() {
	local want=$1 what=$2; shift 3
	(cd "$tmp/w" && "$bin" convert "$@" >"$tmp/out" 2>"$tmp/err"); rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$what: exit $rc, want $want"; sed 's/^/    /' "$tmp/err" | tail -8
		return 1
	fi
	ok
}
has() { grep -qF -- "$2" "$tmp/$1" && ok || { bad "$3: no '$2' in $1"; sed 's/^/    /' "$tmp/$1" | tail -8; }; }

rm -rf "$tmp/w"; mkdir "$tmp/w"
sample already-distroless "$tmp/w/clean"
sample python-alpine "$tmp/w/py"
sample arg-in-from "$tmp/w/arg"
sample every-blocker "$tmp/w/manual"
sample php-app "$tmp/w/php"

# --check, one exit code each
expect 0 "--check on a shell-free file" -- --check clean/Dockerfile
has err "1 already shell-free" "--check 0"
[ -s "$tmp/out" ] && bad "--check printed on standard output" || ok
expect 1 "--check on a file that would change" -- --check py/Dockerfile
has err "py/Dockerfile: warning: would change" "--check 1"
has err "1 would change" "--check 1 total"
cmp -s "$tmp/w/py/Dockerfile" "$src/samples/python-alpine/Dockerfile" && ok || bad "--check changed the file"
expect 3 "--check on a file that needs manual work" -- --check manual/Dockerfile
has err "needs manual work" "--check 3"
expect 3 "--check on a file with no runtime" -- --check php/Dockerfile
has err "1 have no runtime" "--check 3 no runtime"
expect 2 "--check on a missing file" -- --check nothere/Dockerfile
has err "nothere/Dockerfile: error:" "--check 2"
printf 'this is no Dockerfile\n' >"$tmp/w/notes.txt"
expect 2 "--check on a file that is not a Dockerfile" -- --check notes.txt
# which wins: 2 over 3 over 1 over 0
expect 1 "--check 0 and 1" -- --check clean/Dockerfile py/Dockerfile
expect 3 "--check 1 and 3" -- --check py/Dockerfile manual/Dockerfile clean/Dockerfile
expect 2 "--check 3 and 2" -- --check manual/Dockerfile nothere/Dockerfile py/Dockerfile
has err "distill convert: 3 files: 1 would change, 1 need manual work, 1 failed" "mixed total"

# folders: searched as audit searches them, skipped folders skipped, an empty one an error
mkdir -p "$tmp/w/tree/node_modules/x" "$tmp/w/tree/svc" "$tmp/w/empty"
cp "$src/samples/python-alpine/Dockerfile" "$tmp/w/tree/node_modules/x/Dockerfile"
sample python-alpine "$tmp/w/tree/svc/api"
sample already-distroless "$tmp/w/tree/svc/web"
mv "$tmp/w/tree/svc/web/Dockerfile" "$tmp/w/tree/svc/web/web.Containerfile"
printf 'not one\n' >"$tmp/w/tree/svc/README.md"
expect 1 "--check on a folder" -- --check tree
has err "tree/svc/api/Dockerfile: warning: would change" "folder: api"
has err "tree/svc/web/web.Containerfile: note: nothing to do" "folder: Containerfile"
has err "distill convert: 2 files: 1 would change, 1 already shell-free" "folder total"
grep -q node_modules "$tmp/err" && bad "a folder's node_modules was converted" || ok
expect 2 "an empty folder" -- --check empty
has err "empty: error: no Dockerfile found" "empty folder message"
expect 2 "an empty folder beside a good file" -- --check empty clean/Dockerfile
has err "1 already shell-free" "the good file is still converted"

# several files take --in-place, --diff or --check, never standard output
expect 2 "several files to standard output" -- clean/Dockerfile py/Dockerfile
has err "give --in-place, --diff or --check" "several files, no mode"
has err "try 'distill convert --help'" "usage hint"
expect 2 "--check with --in-place" -- --check --in-place py/Dockerfile

# --jobs does not change the output, which is in file order
expect 3 "--jobs 1" -- --check --diff --jobs 1 tree py/Dockerfile arg/Dockerfile manual/Dockerfile clean/Dockerfile
cp "$tmp/out" "$tmp/out1"; cp "$tmp/err" "$tmp/err1"
expect 3 "--jobs 4" -- --check --diff -j 4 tree py/Dockerfile arg/Dockerfile manual/Dockerfile clean/Dockerfile
cmp -s "$tmp/out" "$tmp/out1" && cmp -s "$tmp/err" "$tmp/err1" && ok || bad "--jobs 4 printed otherwise than --jobs 1"
expect 2 "--jobs 0" -- --check --jobs 0 py/Dockerfile

# --diff on several files: one patch, applied with patch -p1 from the current folder,
# also when the paths were absolute; each part equals the single-file diff
if command -v patch >/dev/null; then
	expect 0 "--diff on several files" -- --diff "$tmp/w/py/Dockerfile" "$tmp/w/arg/Dockerfile"
	grep -q "^--- a/py/Dockerfile" "$tmp/out" && grep -q "^+++ b/arg/Dockerfile" "$tmp/out" && ok \
		|| { bad "--diff labels are not relative to the current folder"; grep '^[-+][-+][-+] ' "$tmp/out"; }
	(cd "$tmp/w" && "$bin" convert --diff py/Dockerfile) >"$tmp/one" 2>/dev/null
	grep -qF -f "$tmp/one" "$tmp/out" && ok || bad "a diff of several files differs from the single-file diff"
	cp -r "$tmp/w" "$tmp/p"
	(cd "$tmp/p" && patch -s -p1 <"$tmp/out") && ok || bad "patch -p1 failed"
	cmp -s "$tmp/p/py/Dockerfile" "$src/samples/python-alpine/expected.Dockerfile" && ok || bad "patched py differs from the expected conversion"
	cmp -s "$tmp/p/arg/Dockerfile" "$src/samples/arg-in-from/expected.Dockerfile" && ok || bad "patched arg differs from the expected conversion"
else
	bad "patch is not installed"
fi

# --in-place on several files: each converted file equals its expected conversion, the rest untouched
expect 1 "--in-place on several files" -- --in-place py/Dockerfile arg/Dockerfile manual/Dockerfile clean/Dockerfile
has err "distill convert: 4 files: 2 converted, 1 already shell-free, 1 need manual work" "--in-place total"
cmp -s "$tmp/w/py/Dockerfile" "$src/samples/python-alpine/expected.Dockerfile" && ok || bad "--in-place: py is not its expected conversion"
cmp -s "$tmp/w/arg/Dockerfile" "$src/samples/arg-in-from/expected.Dockerfile" && ok || bad "--in-place: arg is not its expected conversion"
cmp -s "$tmp/w/manual/Dockerfile" "$src/samples/every-blocker/Dockerfile" && ok || bad "--in-place wrote a file that needs manual work"
[ -s "$tmp/out" ] && bad "--in-place printed on standard output" || ok
# converted files now check clean: a second run changes nothing
expect 0 "--check after --in-place" -- --check py/Dockerfile arg/Dockerfile clean/Dockerfile
expect 0 "--in-place again" -- --in-place py/Dockerfile arg/Dockerfile
has err "2 already shell-free" "second --in-place"

# one file without --check prints what it always did: no total line
expect 0 "one file" -- py/Dockerfile
cmp -s "$tmp/out" "$src/samples/python-alpine/expected.Dockerfile" && ok || bad "one file: the output changed"
grep -q "^distill convert: 1 file" "$tmp/err" && bad "one file got a total line" || ok

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
