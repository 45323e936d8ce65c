#!/usr/bin/env bash
# labels: package
# The fully static binary `make static` builds (issue 14 §1): no program
# interpreter and no shared library in its ELF headers, and it works with
# an empty environment: version, lint and convert on a sample. In a build
# configured without -DDS_STATIC=ON there is nothing to test: it says so and
# is reported skipped (exit 77); `make static` runs it in build-static/.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
if [ "${DS_STATIC:-OFF}" != ON ]; then
	echo "SKIP: this build is not the static one (configure with -DDS_STATIC=ON; 'make static' builds it in build-static/ and runs this test there)"
	exit 77
fi
command -v readelf >/dev/null || { echo "FAIL: readelf (binutils) is not installed"; exit 1; }
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
[ -x "$bin" ] || { echo "FAIL: no binary at $bin"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

readelf -lW "$bin" >"$tmp/ph" 2>&1 || bad "readelf -l failed"
grep -q 'INTERP' "$tmp/ph" && bad "$bin asks for a program interpreter (dynamically linked)" || ok
readelf -dW "$bin" >"$tmp/dyn" 2>&1
grep -q '(NEEDED)' "$tmp/dyn" && { bad "$bin needs shared libraries:"; grep NEEDED "$tmp/dyn"; } || ok

env -i "$bin" version >"$tmp/v" 2>&1 && ok || bad "version failed"
grep -q '^distill [0-9]' "$tmp/v" && grep -q '^catalogue ' "$tmp/v" && ok || { bad "version output:"; cat "$tmp/v"; }
env -i "$bin" convert "$src/samples/python-alpine/Dockerfile" >"$tmp/out" 2>/dev/null && ok || bad "convert failed"
cmp -s "$tmp/out" "$src/samples/python-alpine/expected.Dockerfile" && ok || bad "convert gave another result than samples/python-alpine/expected.Dockerfile"
env -i "$bin" lint --no-shellcheck "$src/samples/already-distroless/Dockerfile" >"$tmp/lint" 2>&1; rc=$?
[ $rc -le 1 ] && ok || { bad "lint exited $rc"; cat "$tmp/lint"; }
# audit on two threads: samples/ holds files that fail to parse on purpose, so exit 1
env -i "$bin" audit --jobs 2 "$src/samples" >"$tmp/audit" 2>&1; rc=$?
[ $rc -le 1 ] && grep -q '^distill audit: [0-9]* Dockerfiles' "$tmp/audit" && ok || { bad "audit (threads) exited $rc"; tail -5 "$tmp/audit"; }

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
