#!/usr/bin/env bash
# labels: package
# What `make install` (cmake --install --strip) puts under a prefix
# (issue 14 §1): the binary, stripped and working; the man page; and the
# bash, zsh and fish completions, equal to what `distill completion` prints.
set -u
bin=${DS_BIN:-build/distill}
build=${DS_BUILD:-build}
command -v readelf >/dev/null || { echo "FAIL: readelf (binutils) is not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cmake --install "$build" --prefix "$tmp/p" --strip >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL: cmake --install failed"; exit 1; }
p=$tmp/p
[ -x "$p/bin/distill" ] && ok || bad "no bin/distill"
readelf -SW "$p/bin/distill" | grep -q '\.symtab' && bad "bin/distill is not stripped" || ok
"$p/bin/distill" version | grep -q '^distill ' && ok || bad "the installed distill does not run"
[ -s "$p/share/man/man1/distill.1" ] && ok || bad "no man page"
for sh in bash:share/bash-completion/completions/distill zsh:share/zsh/vendor-completions/_distill \
	fish:share/fish/vendor_completions.d/distill.fish; do
	f=$p/${sh#*:}
	"$bin" completion "${sh%%:*}" >"$tmp/want"
	[ -s "$f" ] && cmp -s "$f" "$tmp/want" && ok || bad "${sh%%:*} completion missing or stale at ${sh#*:}"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
