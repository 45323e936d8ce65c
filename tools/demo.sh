#!/bin/sh
# demo.sh - runs distill on a bundled sample Dockerfile.
#
# usage: sh tools/demo.sh [DISTILL_BIN]   (make demo)
#
# Parses samples/node-alpine/Dockerfile when it exists, else the first
# Dockerfile under samples/, and prints BuildKit's AST dump of it.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build/distill}

if [ ! -x "$bin" ]; then
	echo "demo.sh: no distill binary at $bin (run: make build)" >&2
	exit 2
fi
sample="$src/samples/node-alpine/Dockerfile"
if [ ! -f "$sample" ]; then
	sample=$(find "$src/samples" -type f \( -name Dockerfile -o -name '*.Dockerfile' -o -name 'Dockerfile.*' \) \
		2>/dev/null | LC_ALL=C sort | head -n 1)
fi
if [ -z "$sample" ] || [ ! -f "$sample" ]; then
	echo "demo.sh: no sample Dockerfile under $src/samples" >&2
	exit 1
fi
rel=${sample#"$src"/}
echo "== distill parse --dump $rel"
"$bin" parse --dump "$sample"
