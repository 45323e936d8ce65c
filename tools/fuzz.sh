#!/bin/sh
# fuzz.sh - runs every libFuzzer target built in BUILD_DIR for SECONDS each.
#
# usage: sh tools/fuzz.sh BUILD_DIR [SECONDS]   (make fuzz FUZZ_SECONDS=N)
#
# For each BUILD_DIR/fuzz_* executable:
#   1. replays tests/fuzz-regressions/<target>/* (inputs that once crashed);
#   2. fuzzes for SECONDS (default 60) from a corpus in BUILD_DIR/fuzz-corpus/<target>,
#      seeded, for fuzz_parse and fuzz_pipeline, with the BuildKit conformance
#      Dockerfiles (shared and tests/conformance/buildkit-extra) and the
#      real-Dockerfile corpus of ../shared when present,
#      else tests/fuzz-seeds/<target>.
# Any crash, leak, timeout or memory blow-up fails the script; the input that
# caused it is kept under BUILD_DIR/fuzz-artifacts/<target>/. Copy it into
# tests/fuzz-regressions/<target>/ once fixed, so the fuzz-regressions suite
# replays it for good.
set -eu

build=${1:?usage: sh tools/fuzz.sh BUILD_DIR [SECONDS]}
secs=${2:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${DS_SHARED:-$src/../shared}

case $secs in
'' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$secs'" >&2; exit 2 ;;
esac
if [ ! -d "$build" ]; then
	echo "fuzz.sh: no build folder $build (run: make fuzz)" >&2
	exit 2
fi
build=$(cd "$build" && pwd)

# Copies seed files for target $1 into folder $2, one file per seed.
prepare_seeds() {
	target=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir"
	n=0
	if { [ "$target" = fuzz_parse ] || [ "$target" = fuzz_pipeline ]; } && [ -d "$shared/conformance/buildkit" ]; then
		for f in "$shared"/conformance/buildkit/testfiles/*/Dockerfile \
			"$shared"/conformance/buildkit/testfiles-negative/*/Dockerfile \
			"$shared"/conformance/buildkit/testfile-line/Dockerfile \
			"$shared"/conformance/dfc/*.before.Dockerfile \
			"$src"/tests/conformance/buildkit-extra/*/Dockerfile; do
			[ -f "$f" ] || continue
			n=$((n + 1))
			cp "$f" "$dir/seed-$n"
		done
		if [ -f "$shared/corpus/real/MANIFEST.tsv" ]; then
			# first column of the manifest, header skipped
			tail -n +2 "$shared/corpus/real/MANIFEST.tsv" | cut -f1 >"$dir.list"
			while IFS= read -r name; do
				[ -f "$shared/corpus/real/$name" ] || continue
				n=$((n + 1))
				cp "$shared/corpus/real/$name" "$dir/seed-$n"
			done <"$dir.list"
			rm -f "$dir.list"
		fi
	fi
	if [ "$n" -eq 0 ] && [ -d "$src/tests/fuzz-seeds/$target" ]; then
		for f in "$src/tests/fuzz-seeds/$target"/*; do
			[ -f "$f" ] || continue
			n=$((n + 1))
			cp "$f" "$dir/seed-$n"
		done
	fi
	echo "  $n seed files"
}

found=0
failed=0
for bin in "$build"/fuzz_*; do
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
	target=$(basename "$bin")
	found=$((found + 1))
	echo "== $target: ${secs}s"
	artifacts="$build/fuzz-artifacts/$target"
	corpus="$build/fuzz-corpus/$target"
	seeds="$build/fuzz-seeds/$target"
	mkdir -p "$artifacts" "$corpus"
	log="$build/fuzz-$target.log"
	opts="-max_len=65536 -rss_limit_mb=2048 -timeout=10 -artifact_prefix=$artifacts/"

	# 1. the regression inputs, each run once
	nreg=0
	regfail=0
	if [ -d "$src/tests/fuzz-regressions/$target" ]; then
		for f in "$src/tests/fuzz-regressions/$target"/*; do
			[ -f "$f" ] || continue
			nreg=$((nreg + 1))
			# shellcheck disable=SC2086 # opts is a word list on purpose
			if ! "$bin" $opts "$f" >"$log" 2>&1; then
				echo "FAIL $target: regression input $f crashes again (log: $log)"
				tail -n 30 "$log"
				regfail=1
				break
			fi
		done
	fi
	[ "$nreg" -gt 0 ] && echo "  replayed $nreg regression inputs"
	if [ "$regfail" -ne 0 ]; then
		failed=$((failed + 1))
		continue
	fi

	# 2. fuzzing
	prepare_seeds "$target" "$seeds"
	# shellcheck disable=SC2086
	if "$bin" $opts -max_total_time="$secs" -print_final_stats=1 "$corpus" "$seeds" >"$log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$log" | sed 's/^/  /' || true
		echo "  ok: no crash in ${secs}s (corpus: $(find "$corpus" -type f | wc -l) inputs)"
	else
		echo "FAIL $target: libFuzzer found a problem (log: $log)"
		grep -E 'ERROR|SUMMARY|Test unit written|invariant broken' "$log" | head -n 20 || true
		tail -n 40 "$log"
		echo "  artifacts kept in $artifacts; once fixed, copy them into tests/fuzz-regressions/$target/"
		failed=$((failed + 1))
	fi
done

if [ "$found" -eq 0 ]; then
	echo "fuzz.sh: no fuzz_* targets in $build (configure with -DDS_FUZZ=ON: make fuzz)" >&2
	exit 1
fi
echo "fuzz: $((found - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
