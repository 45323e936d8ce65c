#!/usr/bin/env bash
# labels: robustness
# ShellCheck is bounded and cleaned up (issue 19 §6):
#   - a RUN with ${a:-...} nested 10,000 deep (ShellCheck alone takes
#     minutes) ends within --shellcheck-timeout plus one second and reports
#     DST390 instead of passing silently;
#   - SIGTERM and SIGINT to distill while ShellCheck runs end ShellCheck's
#     whole process group and remove its temporary folder;
#   - nothing is left in TMPDIR in any case.
set -u
bin=${DS_BIN:-build/distill}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
if ! command -v shellcheck >/dev/null; then
	echo "FAIL: shellcheck is not installed (sh tools/deps.sh installs it)"
	exit 1
fi
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
perl -e 'my $s = "x"; $s = "\${a:-$s}" for 1..10000; print "FROM alpine:3.21\nRUN echo $s\n"' >"$tmp/Dockerfile"

# 1. the time limit: killed at 2 s, reported, within 2 + 1 s
timeout -s KILL 3 "$bin" lint --format gnu --shellcheck-timeout 2 "$tmp/Dockerfile" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && ok || bad "lint with --shellcheck-timeout 2 exited $rc (137: still running after 3 s)"
grep -q '^[^:]*/Dockerfile:2:1: warning: shellcheck did not finish within 2 s.*\[DST390\]$' "$tmp/out" && ok ||
	bad "no DST390 finding at the RUN: $(cat "$tmp/out" "$tmp/err")"
[ -z "$(ls -A "$TMPDIR")" ] && ok || bad "after a timeout TMPDIR holds: $(ls -A "$TMPDIR" | tr '\n' ' ')"
# ignoring DST390 is the way to accept it
"$bin" lint --format gnu --shellcheck-timeout 1 --ignore DST390 "$tmp/Dockerfile" >"$tmp/out2" 2>&1
grep -q DST390 "$tmp/out2" && bad "--ignore DST390 did not drop the finding" || ok
# a script ShellCheck finishes gives its findings and no DST390
printf 'FROM alpine:3.21\nRUN echo $undefined_thing\n' >"$tmp/small.Dockerfile"
"$bin" lint --format gnu --shellcheck-timeout 60 "$tmp/small.Dockerfile" >"$tmp/out3" 2>&1
grep -q '\[SC2154\]\|\[SC2086\]' "$tmp/out3" && ! grep -q DST390 "$tmp/out3" && ok ||
	bad "a quick script was not checked normally: $(cat "$tmp/out3")"

# 2. signals while ShellCheck runs: no process of its group, no folder left
for sig in TERM INT; do
	# a background job of a script starts with SIGINT ignored: give it the default
	env --default-signal=INT "$bin" lint --shellcheck-timeout 0 "$tmp/Dockerfile" >/dev/null 2>&1 &
	pid=$!
	sc=
	for _ in $(seq 1 1000); do # until ShellCheck has started (at most 10 s)
		sc=$(pgrep -P $pid -x shellcheck) && break
		sleep 0.01
	done
	if [ -z "$sc" ]; then
		bad "SIG$sig: shellcheck never started under distill"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		continue
	fi
	pgid=$(ps -o pgid= -p "$sc" | tr -d ' ')
	[ "$pgid" = "$sc" ] && ok || bad "SIG$sig: shellcheck is not in a process group of its own (pgid $pgid, pid $sc)"
	kill -"$sig" $pid
	wait $pid 2>/dev/null
	rc=$?
	want=$((128 + $(kill -l "$sig")))
	[ $rc = $want ] && ok || bad "SIG$sig: distill exited $rc, expected $want"
	# the group was sent SIGKILL before distill ended; give the kernel a moment to reap it
	for _ in $(seq 1 500); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.01; done
	if kill -0 -- "-$pgid" 2>/dev/null; then
		bad "SIG$sig: processes of shellcheck's group remain: $(pgrep -g "$pgid" | tr '\n' ' ')"
		kill -KILL -- "-$pgid" 2>/dev/null
	else
		ok
	fi
	[ -z "$(ls -A "$TMPDIR")" ] && ok || bad "SIG$sig: TMPDIR holds: $(ls -A "$TMPDIR" | tr '\n' ' ')"
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
