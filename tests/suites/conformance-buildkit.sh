#!/usr/bin/env bash
# labels: shared conformance
# BuildKit's parser conformance data (shared/conformance/buildkit): the 33
# dump cases, the negative cases with BuildKit's messages and a located
# error, and the line-number case, in-process and through `distill parse`.
# Needs ../shared beside the checkout; without it the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
DS_BIN="${DS_BIN:-$DS_BUILD/distill}"
drv="$DS_BUILD/tests/drv_buildkit"
data="$DS_SHARED/conformance/buildkit"
if [ ! -d "$data/testfiles" ]; then
	echo "shared data not found at $data; this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$drv" ]; then
	echo "conformance-buildkit: driver not built at $drv"
	echo "0 passed, 1 failed"
	exit 1
fi
exec "$drv" --bin "$DS_BIN" "$data"
