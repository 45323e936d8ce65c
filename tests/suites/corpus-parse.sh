#!/usr/bin/env bash
# labels: shared corpus
# The real-Dockerfile corpus (shared/corpus/real, every file of MANIFEST.tsv)
# and the dfc before-files (shared/conformance/dfc/*.before.Dockerfile): each
# must parse, its tokens must reproduce it byte for byte, and
# `distill parse --json` must print valid JSON for it. Needs ../shared beside
# the checkout; without it the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
DS_BIN="${DS_BIN:-$DS_BUILD/distill}"
drv="$DS_BUILD/tests/drv_corpus"
manifest="$DS_SHARED/corpus/real/MANIFEST.tsv"
dfc="$DS_SHARED/conformance/dfc"
if [ ! -f "$manifest" ] || [ ! -d "$dfc" ]; then
	echo "shared data not found at $DS_SHARED (corpus/real/MANIFEST.tsv, conformance/dfc); this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$drv" ]; then
	echo "corpus-parse: driver not built at $drv"
	echo "0 passed, 1 failed"
	exit 1
fi
shopt -s nullglob
before=("$dfc"/*.before.Dockerfile)
if [ ${#before[@]} -eq 0 ]; then
	echo "FAIL: no dfc before-files in $dfc"
	echo "0 passed, 1 failed"
	exit 1
fi
exec "$drv" --bin "$DS_BIN" --manifest "$manifest" "${before[@]}"
