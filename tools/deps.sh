#!/bin/sh
# deps.sh - installs the Debian packages that building and testing distill need, when missing.
#
# usage: sh tools/deps.sh        (make deps)
#
# Checks each package with dpkg -s and installs only the missing ones, with
# one apt-get update first. Needs root, or sudo. The packages:
#   build:    build-essential cmake flex bison pkg-config libyaml-dev libcmocka-dev
#   checks:   clang + its sanitizer/libFuzzer runtime (libclang-rt-N-dev, N the
#             clang version: 14 on Debian 12), valgrind, shellcheck, pre-commit
#   scripts:  python3, git, time
#   editor:   neovim (the language server's integration test drives its LSP client)
#   report:   chromium (headless: the audit HTML report test renders the page)
set -eu

pkgs="build-essential cmake flex bison pkg-config libyaml-dev libcmocka-dev clang valgrind shellcheck pre-commit python3 git time neovim chromium"

installed() {
	dpkg -s "$1" >/dev/null 2>&1 && dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: this script installs Debian packages (apt-get); install these by hand:" >&2
	echo "  $pkgs, and clang's sanitizer runtime" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	sudo=""
fi

updated=0
need_root() {
	if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
		echo "deps.sh: missing packages ($*) and not root (no sudo either)" >&2
		exit 1
	fi
}
apt_update() {
	if [ "$updated" -eq 0 ]; then
		echo "deps.sh: apt-get update"
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
		updated=1
	fi
}
apt_install() {
	need_root "$@"
	apt_update
	echo "deps.sh: installing $*"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # a word list on purpose
	apt_install $missing
fi

# libFuzzer and the sanitizer runtimes come with the versioned clang package:
# libclang-rt-N-dev where N is clang's major version (14 on Debian 12).
major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
if [ -n "$major" ]; then
	rt="libclang-rt-$major-dev"
	if ! installed "$rt"; then
		need_root "$rt"
		apt_update
		if apt-cache show "$rt" >/dev/null 2>&1; then
			apt_install "$rt"
		else
			echo "deps.sh: no package $rt here; the sanitizer runtime must come with clang-$major" >&2
		fi
	fi
else
	echo "deps.sh: clang not found after installation" >&2
	exit 1
fi

if [ -z "$missing" ] && [ "$updated" -eq 0 ]; then
	echo "deps.sh: all packages present"
fi
