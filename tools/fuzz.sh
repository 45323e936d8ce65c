#!/bin/sh
# fuzz.sh - runs every libFuzzer target built in BUILD_DIR for SECONDS each.
#
# usage: sh tools/fuzz.sh BUILD_DIR [SECONDS]   (make fuzz FUZZ_SECONDS=N)
#
# For each BUILD_DIR/fuzz_* executable:
#   1. replays tests/fuzz-regressions/<target>/* (inputs that once crashed);
#   2. fuzzes for SECONDS (default 60) from a corpus in BUILD_DIR/fuzz-corpus/<target>,
#      seeded from the repository alone, so a new machine reproduces a run:
#        fuzz/seeds/<target>/      small hand-made inputs for each target
#        fuzz_parse, fuzz_pipeline the samples/ Dockerfiles (before and after),
#                                  tests/bad-input/, tests/conformance/buildkit-extra/
#                                  and the regression inputs
#        fuzz_imageref             the image references of the samples' FROM lines
#        fuzz_catalog              catalog/builtin.yaml, whole and section by section
#        fuzz_elf                  its seeds alone: hand-made ELF files that tests/mkelf.c
#                                  writes, of every class and byte order
#        fuzz_gradle               the build files of the samples
#      and with the dictionary fuzz/dict/<name>.dict of the target. When
#      ../shared is present (and DS_FUZZ_NO_SHARED is not set), fuzz_parse and
#      fuzz_pipeline also get its BuildKit conformance Dockerfiles and corpus.
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

# The dictionary of target $1.
dict_of() {
	case $1 in
	fuzz_parse | fuzz_pipeline) echo "$src/fuzz/dict/dockerfile.dict" ;;
	fuzz_shellwords) echo "$src/fuzz/dict/shellwords.dict" ;;
	fuzz_imageref) echo "$src/fuzz/dict/imageref.dict" ;;
	fuzz_catalog) echo "$src/fuzz/dict/catalog.dict" ;;
	fuzz_elf) echo "$src/fuzz/dict/elf.dict" ;;
	fuzz_gradle) echo "$src/fuzz/dict/gradle.dict" ;;
	esac
}

n=0
# seed FILE DIR: copies FILE into DIR as the next seed
seed() {
	[ -f "$1" ] || return 0
	n=$((n + 1))
	cp "$1" "$2/seed-$n"
}

# Copies the seed files of target $1 into folder $2, one file per seed.
prepare_seeds() {
	target=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir"
	n=0
	for f in "$src/fuzz/seeds/$target"/* "$src/tests/fuzz-regressions/$target"/*; do
		seed "$f" "$dir"
	done
	case $target in
	fuzz_parse | fuzz_pipeline)
		if [ "$target" = fuzz_pipeline ]; then
			for f in "$src"/fuzz/seeds/fuzz_parse/*; do seed "$f" "$dir"; done
		fi
		for f in "$src"/samples/*/Dockerfile "$src"/samples/*/expected.Dockerfile "$src"/tests/bad-input/* \
			"$src"/tests/conformance/buildkit-extra/*/Dockerfile; do
			seed "$f" "$dir"
		done
		if [ -z "${DS_FUZZ_NO_SHARED:-}" ] && [ -d "$shared/conformance/buildkit" ]; then
			for f in "$shared"/conformance/buildkit/testfiles/*/Dockerfile \
				"$shared"/conformance/buildkit/testfiles-negative/*/Dockerfile \
				"$shared"/conformance/buildkit/testfile-line/Dockerfile \
				"$shared"/conformance/dfc/*.before.Dockerfile; do
				seed "$f" "$dir"
			done
			if [ -f "$shared/corpus/real/MANIFEST.tsv" ]; then
				# first column of the manifest, header skipped
				tail -n +2 "$shared/corpus/real/MANIFEST.tsv" | cut -f1 >"$dir.list"
				while IFS= read -r name; do
					seed "$shared/corpus/real/$name" "$dir"
				done <"$dir.list"
				rm -f "$dir.list"
			fi
		fi
		;;
	fuzz_imageref)
		# the image word of every FROM line of the samples, one reference a seed
		cat "$src"/samples/*/Dockerfile "$src"/samples/*/expected.Dockerfile 2>/dev/null |
			awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' |
			sort -u >"$dir.list"
		while IFS= read -r ref; do
			n=$((n + 1))
			printf '%s' "$ref" >"$dir/seed-$n"
		done <"$dir.list"
		rm -f "$dir.list"
		;;
	fuzz_gradle)
		for f in "$src"/samples/*/build.gradle* "$src"/samples/*/*/build.gradle*; do seed "$f" "$dir"; done
		;;
	fuzz_catalog)
		seed "$src/catalog/builtin.yaml" "$dir"
		# each top-level section of the builtin catalogue alone
		awk -v d="$dir" -v n="$n" '/^[a-z_]+:/ { n++; f = d "/section-" n } f { print > f }' "$src/catalog/builtin.yaml"
		n=$((n + $(grep -c '^[a-z_][a-z_]*:' "$src/catalog/builtin.yaml")))
		;;
	esac
	echo "  $n seed files"
	if [ "$n" -eq 0 ]; then
		echo "fuzz.sh: no seeds for $target (add some under fuzz/seeds/$target/)" >&2
		return 1
	fi
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
	if ! prepare_seeds "$target" "$seeds"; then
		failed=$((failed + 1))
		continue
	fi
	dict=$(dict_of "$target")
	if [ -z "$dict" ] || [ ! -f "$dict" ]; then
		echo "FAIL $target: no dictionary (fuzz/dict/, see dict_of in tools/fuzz.sh)"
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086
	if "$bin" $opts -dict="$dict" -max_total_time="$secs" -print_final_stats=1 "$corpus" "$seeds" >"$log" 2>&1; then
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
