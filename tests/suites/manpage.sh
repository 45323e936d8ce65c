#!/usr/bin/env bash
# labels: unit
# The man page documents every subcommand and every option that the
# subcommands' --help lists, and installs with make install.
set -u
bin=${DS_BIN:-build/distill}
man=${DS_SRC:-.}/distill.1
pass=0 fail=0
[ -f "$man" ] || { echo "FAIL: no man page at $man"; exit 1; }
# the man page's text with roff escapes for dashes undone
text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man")
# every subcommand that `distill --help` lists
cmds=$("$bin" --help | awk '/^commands:/ {on=1; next} on && NF == 0 {on=0} on {print $1}')
[ -n "$cmds" ] || { echo "FAIL: distill --help lists no commands"; exit 1; }
for cmd in $cmds; do
	if printf '%s\n' "$text" | grep -q "^\.SS $cmd\$"; then pass=$((pass+1)); else
		echo "FAIL: no section for '$cmd'"; fail=$((fail+1)); fi
	[ "$cmd" = version ] && continue
	help=$("$bin" "$cmd" --help) || { echo "FAIL: $cmd --help exits non-zero"; fail=$((fail+1)); continue; }
	for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		[ "$opt" = --help ] && continue
		if printf '%s\n' "$text" | grep -qF -- "$opt"; then pass=$((pass+1)); else
			echo "FAIL: '$cmd $opt' is in --help but not in distill.1"; fail=$((fail+1)); fi
	done
done
# and the other way round: every option of a subcommand's section is accepted
for cmd in $cmds; do
	[ "$cmd" = version ] || [ "$cmd" = rules ] && continue
	section=$(printf '%s\n' "$text" | awk -v c="$cmd" '$0 == ".SS " c {on=1; next} /^\.S[SH] / {on=0} on')
	for opt in $(printf '%s\n' "$section" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		if "$bin" "$cmd" --help | grep -qF -- "$opt"; then pass=$((pass+1)); else
			echo "FAIL: '$cmd $opt' is in distill.1 but not in --help"; fail=$((fail+1)); fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
