#!/usr/bin/env bash
# labels: unit
# Replays every input that once crashed a fuzz target
# (tests/fuzz-regressions/<target>/*) through `distill parse` in each output
# mode, `distill lint` and `distill convert`: each run must end with exit 0,
# 1 or 2 (never a signal) within 20 s, and an exit 2 must explain itself
# with a located error.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BIN="${DS_BIN:-$DS_SRC/build/distill}"
dir="$DS_SRC/tests/fuzz-regressions"
pass=0 fail=0
if [ ! -x "$DS_BIN" ]; then
	echo "FAIL: distill not built at $DS_BIN"
	echo "0 passed, 1 failed"
	exit 1
fi
shopt -s nullglob
inputs=("$dir"/*/*)
if [ ${#inputs[@]} -eq 0 ]; then
	echo "FAIL: no regression inputs under $dir"
	echo "0 passed, 1 failed"
	exit 1
fi
for f in "${inputs[@]}"; do
	[ -f "$f" ] || continue
	name="${f#"$dir"/}"
	for mode in "parse --dump" "parse --json" "parse --tokens" "lint --no-shellcheck" \
		"convert --explain" "convert --target chainguard --diff"; do
		# shellcheck disable=SC2086 # mode is a word list on purpose
		err=$(timeout 20 "$DS_BIN" $mode "$f" 2>&1 >/dev/null </dev/null)
		rc=$?
		if [ $rc -gt 2 ]; then
			echo "FAIL $name ($mode): exit $rc${err:+: $(printf '%s' "$err" | head -n 3)}"
			fail=$((fail + 1))
		elif [ $rc -eq 2 ] && ! printf '%s\n' "$err" | grep -Eq '^[^:]+(:[0-9]+:[0-9]+)?: error: '; then
			echo "FAIL $name ($mode): exit 2 without a located error: $err"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
