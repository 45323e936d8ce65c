#!/bin/sh
# demo.sh - the main job on a bundled sample: convert an Alpine-based Node.js
# Dockerfile to distroless, explain every change, and lint the result.
#
# usage: sh tools/demo.sh [DISTILL_BIN]   (make demo)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build/distill}

if [ ! -x "$bin" ]; then
	echo "demo.sh: no distill binary at $bin (run: make build)" >&2
	exit 2
fi
sample=samples/node-alpine-native/Dockerfile
if [ ! -f "$src/$sample" ]; then
	echo "demo.sh: the sample $sample is missing" >&2
	exit 1
fi
cd "$src"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "== the sample: $sample"
cat "$sample"
echo
echo "== distill convert --explain $sample   (changes on stderr)"
echo "   (USER node does not exist in distroless: convert declares the change and exits 1)"
if "$bin" convert --explain "$sample" >/dev/null; then
	echo "demo.sh: expected convert to ask for --accept user" >&2
	exit 1
fi
echo
echo "== distill convert --explain --accept user -o OUT $sample   (the change accepted)"
"$bin" convert --explain --accept user -o "$out" "$sample"
echo
echo "== the converted Dockerfile"
cat "$out"
echo
echo "== distill convert --accept user --diff $sample"
"$bin" convert --accept user --diff "$sample" || true
echo
echo "== distill lint on the converted Dockerfile"
echo "   (hadolint-style advice on the builder remains; no DST error: the final stage needs no shell)"
if "$bin" lint --no-shellcheck --failure-threshold error "$out"; then
	echo "== no errors"
fi
