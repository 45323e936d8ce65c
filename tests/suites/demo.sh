#!/usr/bin/env bash
# labels: samples
# README's first command ends in `make demo`: tools/demo.sh must run to the
# end (exit 0) and print a converted Dockerfile whose final stage is
# distroless, with convert asking for --accept user first.
set -u
DS_SRC="${DS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
DS_BIN="${DS_BIN:-$DS_SRC/build/distill}"
pass=0 fail=0
out=$(sh "$DS_SRC/tools/demo.sh" "$DS_BIN" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then pass=$((pass+1)); else
	echo "FAIL: tools/demo.sh exited $rc"; printf '%s\n' "$out" | tail -5 | sed 's/^/    /'; fail=$((fail+1)); fi
# the converted file: between its heading and the next one
conv=$(printf '%s\n' "$out" | awk '/^== the converted Dockerfile/ {on=1; next} /^== / {on=0} on')
if printf '%s\n' "$conv" | grep -q '^FROM gcr.io/distroless/'; then pass=$((pass+1)); else
	echo "FAIL: the demo printed no Dockerfile on a distroless runtime"; fail=$((fail+1)); fi
if printf '%s\n' "$out" | grep -q 'accept with --accept user'; then pass=$((pass+1)); else
	echo "FAIL: the demo does not show convert asking for --accept user"; fail=$((fail+1)); fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
