#!/usr/bin/env bash
# labels: robustness
# Every subcommand on hostile inputs: exit 0, 1 or 2, never a signal, within
# a few seconds; an exit 2 explains itself as FILE:LINE:COL: error: ... or
# FILE: error: .... Large inputs are generated here, small ones live in
# tests/bad-input/.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# small cases are files in tests/bad-input/; large or special ones are made here
perl -e 'srand(42); print map { chr(int(rand(256))) } 1..8192' >"$tmp/random-bytes"
perl -e 'print "FROM alpine\nRUN echo ", "x" x 70000, "\n"' >"$tmp/long-line"
# 100,000 instructions, a little over 5 MB
perl -e 'print "FROM alpine\n"; printf "RUN echo instruction-%06d --with-some-padding && true\n", $_ for 1..100000' >"$tmp/many-instructions"
perl -e 'print "FROM alpine\n", "ONBUILD " x 500, "RUN echo deep\n"' >"$tmp/nested-onbuild"
perl -e 'print "FROM alpine\nRUN ", join(" ", map { "<<E$_" } 1..2000), "\n"; print "x\nE$_\n" for 1..2000' >"$tmp/many-heredocs"
mkdir "$tmp/a-directory"
mkfifo "$tmp/a-fifo"
n=0
for f in "$src"/tests/bad-input/*; do [ -f "$f" ] && cp "$f" "$tmp/" && n=$((n+1)); done
if [ $n -lt 10 ]; then echo "FAIL: tests/bad-input/ holds $n cases (run from the source tree or set DS_SRC)"; exit 1; fi

check() { # name, expected-pattern-for-exit-2, command...
	local name=$1; shift
	local out rc
	out=$(timeout 20 "$@" 2>&1 >/dev/null </dev/null); rc=$?
	if [ $rc -eq 124 ]; then
		echo "FAIL $name: timed out: $*"; fail=$((fail+1)); return
	fi
	if [ $rc -gt 2 ]; then
		echo "FAIL $name: exit $rc (signal?): $*"; echo "$out" | head -5; fail=$((fail+1)); return
	fi
	if [ $rc -eq 2 ] && ! printf '%s\n' "$out" | grep -Eq '^[^:]+(:[0-9]+:[0-9]+)?: error: '; then
		echo "FAIL $name: exit 2 without a located error: $*"; echo "$out" | head -5; fail=$((fail+1)); return
	fi
	pass=$((pass+1))
}

for f in "$tmp"/*; do
	name=$(basename "$f")
	check "parse $name" "$bin" parse --dump "$f"
	check "parse-json $name" "$bin" parse --json "$f"
	check "lint $name" "$bin" lint --no-shellcheck "$f"
	check "convert $name" "$bin" convert --explain "$f"
	check "convert-diff $name" "$bin" convert --diff "$f"
	check "audit $name" "$bin" audit --quiet --format jsonl "$f"
done
# audit over the whole folder (FIFO and directory included), and a vanished file
check "audit all" "$bin" audit --quiet --format jsonl "$tmp"
printf '%s\n' "$tmp/empty" "$tmp/does-not-exist/Dockerfile" >"$tmp/list"
check "audit vanished" "$bin" audit --quiet --format jsonl --files-from "$tmp/list"
# files that vanish while audit runs: discovered by the walk, gone when a
# worker opens them. Each must be a per-file error and the run must go on.
mkdir "$tmp/vanish"
for i in $(seq 1 3000); do printf 'FROM alpine\nRUN echo %s\nCMD ["x"]\n' "$i" >"$tmp/vanish/$i.Dockerfile"; done
(for i in $(seq 1 3000); do rm -f "$tmp/vanish/$i.Dockerfile"; done) &
rmpid=$!
"$bin" audit --quiet --format jsonl -j 2 -o "$tmp/vanish.jsonl" "$tmp/vanish" 2>"$tmp/vanish.err"; rc=$?
wait $rmpid
if [ $rc -gt 2 ]; then
	echo "FAIL vanish: audit exit $rc"; fail=$((fail+1))
elif "$bin" audit --merge --format jsonl "$tmp/vanish.jsonl" >/dev/null; [ $? -gt 1 ]; then
	echo "FAIL vanish: distill cannot read its own report back"; fail=$((fail+1))
else
	echo "vanish: $(wc -l <"$tmp/vanish.jsonl") files reported, $(grep -c '"parse_error":"cannot open' "$tmp/vanish.jsonl") of them gone when opened"
	pass=$((pass+1))
fi
# a file larger than --max-file-size is refused with a clear error
out=$("$bin" parse --max-file-size 1000 "$tmp/many-instructions" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | grep -q 'error: .*limit'; then pass=$((pass+1)); else echo "FAIL max-file-size: rc=$rc $out"; fail=$((fail+1)); fi
# BuildKit's line limit is a located error
out=$("$bin" parse --dump "$tmp/long-line" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | grep -q ':2:1: error: dockerfile line greater than max allowed size of 65535'; then pass=$((pass+1)); else echo "FAIL long-line: rc=$rc $out"; fail=$((fail+1)); fi

# Expansions BuildKit fails on, or that the file's expansion budget stops
# (issue 18): every command that expands (lint, convert, inspect) exits 2
# with the error at its line and column, audit reports the file as an error
# with that position and exits 1; parse expands nothing and exits 0.
for f in expansion-doubling:21:7 from-nesting:2:6 from-bad-expansion:2:6; do
	name=${f%%:*} at=${f#*:}
	file="$tmp/$name.Dockerfile"
	for cmd in "lint --no-shellcheck" "convert" "inspect"; do
		out=$(timeout 20 "$bin" $cmd "$file" 2>&1 >/dev/null); rc=$?
		if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "^$file:$at: error: failed to process "; then
			pass=$((pass+1))
		else
			echo "FAIL $cmd $name: exit $rc, wanted 2 and an error at $at: $out" | head -3; fail=$((fail+1))
		fi
	done
	out=$(timeout 20 "$bin" audit --quiet --format jsonl "$file"); rc=$?
	if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q "\"convertible\":\"error\".*\"parse_error\":\"$at: failed to process "; then
		pass=$((pass+1))
	else
		echo "FAIL audit $name: exit $rc, wanted 1 and the error at $at: $out" | head -3; fail=$((fail+1))
	fi
	timeout 20 "$bin" parse --dump "$file" >/dev/null 2>&1; rc=$?
	if [ $rc -eq 0 ]; then pass=$((pass+1)); else echo "FAIL parse $name: exit $rc"; fail=$((fail+1)); fi
done
if ! grep -q 'expansion larger than 262144 bytes' <("$bin" lint --no-shellcheck "$tmp/expansion-doubling.Dockerfile" 2>&1); then
	echo "FAIL expansion-doubling: the error does not name the budget"; fail=$((fail+1))
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
