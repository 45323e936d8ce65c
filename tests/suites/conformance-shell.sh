#!/usr/bin/env bash
# labels: shared conformance
# Runs BuildKit's shell-lexer data (shared/conformance/buildkit-shell: envVarTest,
# wordsTest) through parser/shellwords with the drv_shell driver. Needs ../shared
# beside the checkout; without it the driver fails, it never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
drv="$DS_BUILD/tests/drv_shell"
if [ ! -x "$drv" ]; then
	echo "conformance-shell: driver not built at $drv" >&2
	exit 1
fi
exec "$drv" "$DS_SHARED/conformance/buildkit-shell"
