#!/usr/bin/env bash
# labels: conformance
# distill's own BuildKit parser cases (tests/conformance/buildkit-extra, see
# the README there): each Dockerfile with BuildKit's exact dump or error
# message, in-process and through `distill parse --dump`. No shared data.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_BIN="${DS_BIN:-$DS_BUILD/distill}"
drv="$DS_BUILD/tests/drv_buildkit"
if [ ! -x "$drv" ]; then
	echo "conformance-buildkit-extra: driver not built at $drv"
	echo "0 passed, 1 failed"
	exit 1
fi
exec "$drv" --bin "$DS_BIN" --cases "$DS_SRC/tests/conformance/buildkit-extra"
