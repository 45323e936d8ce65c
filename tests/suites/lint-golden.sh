#!/usr/bin/env bash
# labels: unit
# Golden reports in every format (tests/golden/lint, README there), and a
# parse error as a DL1000 record in every machine format with exit 1 (0 with
# --no-fail), as hadolint does. No shared data.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin=${DS_BIN:-$DS_SRC/build/distill}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
g="$DS_SRC/tests/golden/lint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# every format lint knows: the list its error for an unknown one gives
formats=$("$bin" lint -f nope x 2>&1 | sed -n "s/.*unknown format 'nope' (\(.*\))/\1/p" | tr '|' ' ')
[ "$(echo $formats | wc -w)" -ge 11 ] || bad "lint knows only the formats: $formats"
cd "$g"
for f in $formats; do
	SOURCE_DATE_EPOCH=0 "$bin" lint --no-shellcheck --no-color --ignore DST201 -f "$f" Dockerfile broken.Dockerfile \
		>"$tmp/out.$f" 2>"$tmp/err.$f"
	rc=$?
	[ $rc = 1 ] && ok || bad "$f: exit $rc (a parse error and findings: 1); $(head -3 "$tmp/err.$f")"
	if [ -n "${DS_GOLDEN_UPDATE:-}" ]; then
		cp "$tmp/out.$f" "expected.$f"
	fi
	if cmp -s "$tmp/out.$f" "expected.$f"; then ok; else
		bad "$f differs from tests/golden/lint/expected.$f"
		diff -a "expected.$f" "$tmp/out.$f" | head -10
	fi
	# the parse error is a DL1000 record in the format itself, not a message on stderr
	grep -aq DL1000 "$tmp/out.$f" && ok || bad "$f: no DL1000 record for broken.Dockerfile"
	[ ! -s "$tmp/err.$f" ] && ok || bad "$f: wrote to stderr: $(head -2 "$tmp/err.$f")"
	"$bin" lint --no-shellcheck --no-fail -f "$f" broken.Dockerfile >/dev/null 2>&1
	[ $? = 0 ] && ok || bad "$f: --no-fail does not exit 0 on a parse error"
	HADOLINT_NOFAIL=1 "$bin" lint --no-shellcheck -f "$f" broken.Dockerfile >/dev/null 2>&1
	[ $? = 0 ] && ok || bad "$f: HADOLINT_NOFAIL=1 does not exit 0 on a parse error"
done
# codeclimate and codacy never fail on findings (hadolint), only on a parse error
for f in codeclimate gitlab_codeclimate codacy; do
	"$bin" lint --no-shellcheck -f "$f" Dockerfile >/dev/null 2>&1
	[ $? = 0 ] && ok || bad "$f: findings fail the run"
done
# --file-path-in-report names the file in every report
for f in json codeclimate sonarqube junit checkstyle; do
	"$bin" lint --no-shellcheck -f "$f" --file-path-in-report src/Dockerfile Dockerfile >"$tmp/p" 2>&1
	grep -aq 'src/Dockerfile' "$tmp/p" && ok || bad "$f: --file-path-in-report not shown"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
