#!/usr/bin/env bash
# labels: shared corpus
# `distill convert` over the shared data: every dfc before-file
# (shared/conformance/dfc/*.before.Dockerfile) and every file of the
# real-Dockerfile corpus (shared/corpus/real, MANIFEST.tsv) - a superset of
# the files whose final stage needs a shell. Each run must exit 0, 1 or 2
# (never a signal, never a hang), and every output printed with exit 0 must
# parse, and `distill lint` must find in it no RUN in the final stage
# (DST101), no shell-form CMD/ENTRYPOINT (DST102), no user the runtime lacks
# (DST106) and no shell in the final image (DST201); converting that output
# again must change nothing; and the image models of input and output (distill
# inspect --json) may differ only by the changes convert declared, as
# bench/imagediff.py judges them independently of convert's own proof. No run
# may end in an internal error of the proof. Convert runs with --accept all
# --bump-runtime, so that every conversion it can prove is checked. Needs
# ../shared beside the checkout; without it the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
DS_BIN="${DS_BIN:-$DS_SRC/build/distill}"
manifest="$DS_SHARED/corpus/real/MANIFEST.tsv"
dfc="$DS_SHARED/conformance/dfc"
if [ ! -f "$manifest" ] || [ ! -d "$dfc" ]; then
	echo "shared data not found at $DS_SHARED (corpus/real/MANIFEST.tsv, conformance/dfc); this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$DS_BIN" ]; then
	echo "convert-corpus: distill not built at $DS_BIN"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# DS_CORPUS_STRIDE=K converts every K-th file only: `make sanitize` samples
# the corpus this way, since every conversion is a process and ASan makes
# each start slow (the full corpus runs in `make test`)
stride=${DS_CORPUS_STRIDE:-1}
case $stride in '' | *[!0-9]* | 0) echo "convert-corpus: DS_CORPUS_STRIDE must be a positive number"; echo "0 passed, 1 failed"; exit 1 ;; esac

{
	for f in "$dfc"/*.before.Dockerfile; do printf '%s\n' "$f"; done
	tail -n +2 "$manifest" | cut -f1 | while IFS= read -r s; do printf '%s\n' "$DS_SHARED/corpus/real/$s"; done
} | awk -v k="$stride" '(NR - 1) % k == 0' >"$tmp/list"
[ "$stride" -gt 1 ] && echo "note: every ${stride}th file of the corpus ($(wc -l <"$tmp/list") files; DS_CORPUS_STRIDE)"

pass=0 fail=0 converted=0
while IFS= read -r f; do
	if [ ! -f "$f" ]; then
		echo "FAIL $f: listed but missing"
		fail=$((fail + 1))
		continue
	fi
	timeout 20 "$DS_BIN" convert --explain --accept all --bump-runtime "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if grep -q 'internal error' "$tmp/err"; then
		echo "FAIL $f: $(grep 'internal error' "$tmp/err" | head -1)"
		fail=$((fail + 1))
		continue
	fi
	if [ $rc -eq 124 ]; then
		echo "FAIL $f: convert timed out"
		fail=$((fail + 1))
		continue
	fi
	if [ $rc -gt 2 ]; then
		echo "FAIL $f: convert exited $rc (a signal?)"
		head -3 "$tmp/err" | sed 's/^/    /'
		fail=$((fail + 1))
		continue
	fi
	if [ $rc -ne 0 ]; then
		pass=$((pass + 1))
		continue
	fi
	converted=$((converted + 1))
	cp "$tmp/out" "$tmp/Dockerfile"
	if ! "$DS_BIN" parse --dump "$tmp/Dockerfile" >/dev/null 2>"$tmp/perr"; then
		echo "FAIL $f: the converted file does not parse"
		sed 's/^/    /' "$tmp/perr" | head -3
		fail=$((fail + 1))
		continue
	fi
	"$DS_BIN" lint --format gnu --no-shellcheck --failure-threshold none "$tmp/Dockerfile" >"$tmp/lint" 2>&1
	if grep -E '\[(DST101|DST102|DST106|DST201)\]' "$tmp/lint" >"$tmp/bad"; then
		echo "FAIL $f: the converted file fails its checks"
		sed 's/^/    /' "$tmp/bad" | head -5
		fail=$((fail + 1))
		continue
	fi
	kinds=$(grep -o '(accepted change: [a-z]*)' "$tmp/err" | sed 's/.*: //; s/)//' | sort -u | paste -sd, -)
	if ! "$DS_BIN" inspect --json "$f" >"$tmp/before.json" 2>"$tmp/ierr" ||
		! "$DS_BIN" inspect --json "$tmp/Dockerfile" >"$tmp/after.json" 2>>"$tmp/ierr"; then
		echo "FAIL $f: inspect failed"
		sed 's/^/    /' "$tmp/ierr" | head -3
		fail=$((fail + 1))
		continue
	fi
	# (an unchanged file, "nothing to do", is its own image)
	if ! cmp -s "$f" "$tmp/Dockerfile" &&
		! python3 "$DS_SRC/bench/imagediff.py" "$tmp/before.json" "$tmp/after.json" "$kinds" >"$tmp/diff"; then
		echo "FAIL $f: the image model changes in a way convert did not declare"
		grep undeclared "$tmp/diff" | head -5 | sed 's/^/    /'
		fail=$((fail + 1))
		continue
	fi
	"$DS_BIN" convert --accept all --bump-runtime "$tmp/Dockerfile" >"$tmp/again" 2>/dev/null
	rc=$?
	if [ $rc -ne 0 ] || ! cmp -s "$tmp/again" "$tmp/Dockerfile"; then
		echo "FAIL $f: converting the output again changes it (exit $rc)"
		diff "$tmp/Dockerfile" "$tmp/again" | head -5 | sed 's/^/    /'
		fail=$((fail + 1))
		continue
	fi
	pass=$((pass + 1))
done <"$tmp/list"
echo "convert-corpus: $converted outputs printed with exit 0 checked"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
