#!/usr/bin/env bash
# labels: lsp
# A real editor against `distill lsp`: Debian's Neovim, headless, with its
# built-in LSP client configured by tests/lsp/nvim.lua, opens a Dockerfile,
# receives the diagnostics, applies "Convert final stage to distroless" from
# the code action menu, and saves; the saved file must equal what
# `distill convert` prints for it. Samples that convert with exit 0.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $src in /*) ;; *) src=$PWD/$src ;; esac
if ! command -v nvim >/dev/null; then
	echo "FAIL: nvim is needed (Debian's neovim package; tools/deps.sh installs it)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for sample in w2-root-volume rust-debian-slim; do
	dir=$tmp/$sample
	mkdir -p "$dir"
	cp "$src/samples/$sample/Dockerfile" "$dir/Dockerfile"
	if ! "$bin" convert "$dir/Dockerfile" >"$dir/expected" 2>"$dir/convert.err"; then
		echo "FAIL: $sample: distill convert does not convert it (exit $?)"; cat "$dir/convert.err"
		fail=$((fail+1)); continue
	fi
	if ! DS_BIN=$bin DS_FILE=$dir/Dockerfile DS_LOG=$dir/log HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp \
		timeout 300 nvim --headless -n -i NONE --noplugin -u "$src/tests/lsp/nvim.lua" >"$dir/nvim.out" 2>&1 </dev/null; then
		echo "FAIL: $sample: the Neovim session failed"; cat "$dir/log" "$dir/nvim.out" 2>/dev/null
		fail=$((fail+1)); continue
	fi
	if cmp -s "$dir/Dockerfile" "$dir/expected"; then
		pass=$((pass+1))
	else
		echo "FAIL: $sample: the file Neovim saved differs from distill convert's output"
		diff -u "$dir/expected" "$dir/Dockerfile"; cat "$dir/log"
		fail=$((fail+1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
