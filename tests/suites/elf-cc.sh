#!/usr/bin/env bash
# labels: unit
# Programs built with the system's C and C++ compilers at test time, copied
# from a build context: `distill convert` reads their ELF headers and picks
# the runtime they need. A C program: base; static with glibc inside: base;
# with no C library at all (-nostdlib): static; C++: cc; one that needs
# zlib: java-base. Needs cc and c++ (exit 77, skipped, when either is
# missing; a compiler that fails to build a case fails the suite).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BIN="${DS_BIN:-$DS_SRC/build/distill}"
pass=0 fail=0
if [ ! -x "$DS_BIN" ]; then
	echo "FAIL: distill not built at $DS_BIN"
	echo "0 passed, 1 failed"
	exit 1
fi
for c in cc c++; do
	if ! command -v "$c" >/dev/null; then
		echo "SKIP: no '$c' to build test programs with"
		exit 77
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty.yaml"
mkdir -p "$tmp/ctx/bin"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$tmp/hello.c"
printf '#include <iostream>\nint main() { std::cout << "hi\\n"; }\n' >"$tmp/hello.cc"
printf 'void _start(void) { for (;;) ; }\n' >"$tmp/bare.c"
printf 'extern const char *zlibVersion(void);\nint main(void) { return zlibVersion()[0] == 0; }\n' >"$tmp/z.c"

# case NAME RUNTIME NOTE COMPILE...: builds bin/NAME, converts, checks the runtime and the note
case_() {
	name=$1 want=$2 note=$3
	shift 3
	if ! "$@" -o "$tmp/ctx/bin/$name" >"$tmp/cc.log" 2>&1; then
		echo "FAIL $name: '$*' failed:"
		sed 's/^/    /' "$tmp/cc.log" | head -5
		fail=$((fail + 1))
		return
	fi
	printf 'FROM debian:trixie-slim\nCOPY bin/%s /usr/local/bin/app\nUSER 65532\nENTRYPOINT ["app"]\n' "$name" >"$tmp/ctx/Dockerfile"
	out=$("$DS_BIN" convert --config "$tmp/empty.yaml" --explain --context "$tmp/ctx" "$tmp/ctx/Dockerfile" 2>"$tmp/err")
	rc=$?
	got=$(printf '%s\n' "$out" | sed -n 's/^FROM //p')
	if [ $rc -ne 0 ] || [ "$got" != "gcr.io/distroless/$want-debian13:latest" ]; then
		echo "FAIL $name: exit $rc, runtime '$got', want '$want'"
		sed 's/^/    /' "$tmp/err"
		fail=$((fail + 1))
	elif ! grep -qF -- "$note" "$tmp/err"; then
		echo "FAIL $name: no note \"$note\""
		sed 's/^/    /' "$tmp/err"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

case_ c base "is an ELF program dynamically linked against glibc (" cc -O1 "$tmp/hello.c"
case_ c-static base "statically linked with glibc inside" cc -static -O1 "$tmp/hello.c"
case_ c-static-pie base "statically linked (static-pie) with glibc inside" cc -static-pie -O1 "$tmp/hello.c"
case_ bare static "statically linked, with no C library to load: runtime 'static'" cc -static -nostdlib -O1 "$tmp/bare.c"
case_ cxx cc "needing libstdc++.so.6" c++ -O1 "$tmp/hello.cc"
case_ zlib java-base "libz.so.1" cc -O1 "$tmp/z.c" -l:libz.so.1
echo "$pass passed, $fail failed"
[ $fail = 0 ]
