#!/usr/bin/env bash
# labels: unit
# The hand-made ELF files the repository carries (fuzz/seeds/fuzz_elf/ and
# the programs of samples/elf-*/) are what tests/mkelf.c writes, byte for
# byte, and fuzz/seeds/fuzz_elf/ holds nothing else. To regenerate them
# after changing tests/mkelf.c or tests/elfgen.h: build/tests/mkelf .
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
mkelf="$DS_BUILD/tests/mkelf"
pass=0 fail=0
if [ ! -x "$mkelf" ]; then
	echo "FAIL: mkelf not built at $mkelf"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$mkelf" "$tmp"; then
	echo "FAIL: mkelf failed"
	echo "0 passed, 1 failed"
	exit 1
fi
while IFS= read -r f; do
	rel="${f#"$tmp"/}"
	if cmp -s "$f" "$DS_SRC/$rel"; then
		pass=$((pass + 1))
	else
		echo "FAIL $rel: differs from what mkelf writes (regenerate: build/tests/mkelf .)"
		fail=$((fail + 1))
	fi
done < <(find "$tmp" -type f | sort)
for f in "$DS_SRC"/fuzz/seeds/fuzz_elf/*; do
	if [ ! -f "$tmp/fuzz/seeds/fuzz_elf/$(basename "$f")" ]; then
		echo "FAIL fuzz/seeds/fuzz_elf/$(basename "$f"): not written by mkelf"
		fail=$((fail + 1))
	fi
done
if [ $pass = 0 ]; then
	echo "FAIL: mkelf wrote no files"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
