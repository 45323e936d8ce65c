#!/usr/bin/env bash
# labels: samples
# What `distill convert` writes passes `distill lint` at the default
# threshold (issue 13): for every sample it converts (samples/*/expected.explain
# says "converted"; expected.Dockerfile is convert's output, which the samples
# suite checks), lint of the output reports no failing finding the original
# did not have already (apk's DL3018 becomes apt's DL3008 when the builder
# moves to Debian), and the output of a clean original is clean. A --target
# with chainguard may add DL3007 (its free tier has :latest only) and DL3002
# (its -dev builder runs as root). No shared data.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin=${DS_BIN:-$DS_SRC/build/distill}
pass=0 fail=0
# the codes of findings at or above the default threshold (info)
failing() {
	"$bin" lint --no-shellcheck --no-color -f gnu "$1" 2>&1 | grep -E ': (error|warning|info): ' |
		grep -o '\[[A-Za-z0-9]*\]$' | tr -d '[]' | sort -u
}
n=0
for d in "$DS_SRC"/samples/*/; do
	[ -f "$d/expected.Dockerfile" ] && grep -q ': note: converted' "$d/expected.explain" 2>/dev/null || continue
	n=$((n + 1))
	orig=$(failing "$d/Dockerfile")
	conv=$(failing "$d/expected.Dockerfile")
	# Chainguard's free tier publishes :latest only (DL3007), and its -dev builder runs the old
	# final stage's RUNs as root (DL3002): a --target with chainguard takes both, and says so
	cg=0
	if [ -f "$d/args" ] && grep -q -- '--target [a-z,]*chainguard' "$d/args"; then
		cg=1
		conv=$(printf '%s\n' "$conv" | grep -vx 'DL3007\|DL3002')
	fi
	new=
	for c in $conv; do
		printf '%s\n' "$orig" | grep -qx "$c" && continue
		[ "$c" = DL3008 ] && printf '%s\n' "$orig" | grep -qx DL3018 && continue
		new="$new $c"
	done
	if [ -n "$new" ]; then
		echo "FAIL $(basename "$d"): convert's output has failing findings the original has not:$new"
		"$bin" lint --no-shellcheck -f gnu "$d/expected.Dockerfile" | grep -E "$(echo $new | tr ' ' '|')"
		fail=$((fail + 1))
	elif [ -z "$orig" ] && [ -n "$conv" ]; then
		echo "FAIL $(basename "$d"): a clean original converts to a file lint fails: $conv"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
	# and the lint exit status agrees: a clean original gives a passing output
	if [ -z "$orig" ] && [ $cg = 0 ]; then
		if "$bin" lint --no-shellcheck "$d/expected.Dockerfile" >/dev/null 2>&1; then pass=$((pass + 1)); else
			echo "FAIL $(basename "$d"): lint of convert's output exits non-zero"; fail=$((fail + 1)); fi
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no converted sample"; fail=$((fail + 1)); }
echo "$n converted samples"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
