#!/usr/bin/env bash
# labels: tsan shared
# `distill audit --jobs 2` over a stress tree of a few hundred files built by
# shared/tools/make-stress-tree.sh (nested repos, decoys in .git and
# node_modules, a symbolic link loop per repo). Meant for the
# ThreadSanitizer build (`make tsan` runs `ctest -L tsan` in build-tsan,
# with TSAN_OPTIONS=halt_on_error=1), where any race aborts the run; in a
# plain build it still checks the pool: exactly the files of EXPECTED.tsv,
# none of DECOYS.txt, and the same report for --jobs 1, 2 and 4. Needs
# ../shared beside the checkout; without it the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
bin="${DS_BIN:-$DS_BUILD/distill}"
maker="$DS_SHARED/tools/make-stress-tree.sh"
if [ ! -x "$maker" ] && [ ! -f "$maker" ]; then
	echo "shared data not found at $DS_SHARED (tools/make-stress-tree.sh); this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
	local name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1} exitcode=66"

if ! bash "$maker" -L -s 7 "$tmp/tree" 400 >"$tmp/make.log" 2>&1; then
	echo "FAIL: make-stress-tree.sh failed:"
	cat "$tmp/make.log"
	echo "0 passed, 1 failed"
	exit 1
fi
cd "$tmp/tree" || exit 1
for j in 2 1 4; do
	timeout 300 "$bin" audit --jobs "$j" --no-timing --format jsonl -q . >"$tmp/j$j.jsonl" 2>"$tmp/j$j.err"
	rc=$?
	check "--jobs $j exits 0 or 1 (got $rc; 66 is a ThreadSanitizer report)" test "$rc" -le 1
	if grep -q 'ThreadSanitizer' "$tmp/j$j.err"; then
		check "--jobs $j: no ThreadSanitizer report" false
		head -60 "$tmp/j$j.err"
	fi
done
# with sharding and sarif too: the per-worker arenas, the locations copy
timeout 300 "$bin" audit --jobs 2 --no-timing --format sarif --shard 2/3 -q . >"$tmp/shard.sarif" 2>"$tmp/shard.err"
rc=$?
check "sarif shard exits 0 or 1 (got $rc)" test "$rc" -le 1
check "sarif shard: no ThreadSanitizer report" test "$(grep -c ThreadSanitizer "$tmp/shard.err")" -eq 0

sed -n 's/^{"file":"\.\/\([^"]*\)".*/\1/p' "$tmp/j2.jsonl" >"$tmp/found"
cut -f1 EXPECTED.tsv >"$tmp/expected"
check "exactly the files of EXPECTED.tsv" cmp -s "$tmp/found" "$tmp/expected"
check "none of DECOYS.txt" test -z "$(LC_ALL=C comm -12 "$tmp/found" <(LC_ALL=C sort DECOYS.txt))"
check "same report for --jobs 1 and 2" cmp -s "$tmp/j1.jsonl" "$tmp/j2.jsonl"
check "same report for --jobs 2 and 4" cmp -s "$tmp/j2.jsonl" "$tmp/j4.jsonl"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
