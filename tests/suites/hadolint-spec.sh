#!/usr/bin/env bash
# labels: conformance sanitize-skip
# hadolint's own rule specifications (tests/hadolint-spec, from
# hadolint/hadolint's test/Hadolint/Rule/*Spec.hs; README there): every
# case through `distill lint --profile hadolint --format json`, counted.
# Cases where distill differs on purpose are listed in DIFFERENCES and
# explained by `distill rules CODE` and in distill.1. No shared data.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_BIN="${DS_BIN:-$DS_BUILD/distill}"
drv="$DS_BUILD/tests/drv_hadolint"
if [ ! -x "$drv" ]; then
	echo "hadolint-spec: driver not built at $drv"
	echo "0 passed, 1 failed"
	exit 1
fi
fail=0
# every code with a documented difference is named in the man page's section on them
man="$DS_SRC/distill.1"
section=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man" | awk '/^\.SH DIFFERENCES FROM HADOLINT/ {on=1; next} /^\.SH / {on=0} on')
if [ -f "$DS_SRC/tests/hadolint-spec/DIFFERENCES" ]; then
	for code in $(grep -v '^#' "$DS_SRC/tests/hadolint-spec/DIFFERENCES" | awk 'NF {print $2}' | sort -u); do
		if ! printf '%s\n' "$section" | grep -qw "$code"; then
			echo "FAIL: $code differs from hadolint but distill.1's DIFFERENCES FROM HADOLINT does not name it"
			fail=1
		fi
	done
fi
# and so is every rule whose `distill rules CODE` says it differs from hadolint
for code in $("$DS_BIN" rules | awk '{print $1}'); do
	"$DS_BIN" rules "$code" | grep -q 'Differs from hadolint' || continue
	if ! printf '%s\n' "$section" | grep -qw "$code"; then
		echo "FAIL: distill rules $code says it differs from hadolint, distill.1's DIFFERENCES FROM HADOLINT does not name it"
		fail=1
	fi
done
"$drv" --bin "$DS_BIN" --cases "$DS_SRC/tests/hadolint-spec" || fail=1
exit $fail
