#!/usr/bin/env bash
# labels: samples
# Golden tests of `distill convert` on samples/<name>/: Dockerfile is the
# input, args (optional) holds extra convert options on one line,
# expected.Dockerfile is the result (what `--partial` prints), and
# expected.explain what convert --explain prints on stderr (paths shown as
# "Dockerfile"). The exit code follows from the summary line of
# expected.explain: "converted:" or "nothing to do" is 0; "needs manual
# work", "no runtime fits" or "converted, but the result behaves
# differently" is 1; an error is 2. Exit 1 and 2 print nothing on standard
# output (only --partial and --diff show the result of exit 1). Without
# --explain, stderr holds the warnings and errors of expected.explain.
# Each sample is also run with --diff (the diff must apply with patch -p1
# and give expected.Dockerfile), -o (written only on exit 0), and
# --in-place on a copy with mode 640 (written only on exit 0, mode kept),
# and through a symbolic link (which stays a link).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BIN="${DS_BIN:-$DS_SRC/build/distill}"
case "$DS_BIN" in /*) ;; *) DS_BIN="$PWD/$DS_BIN" ;; esac
samples="$DS_SRC/samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# an empty configuration, so that no .distill.yaml above the checkout changes the results
: >"$tmp/empty.yaml"
conv() { "$DS_BIN" convert --config "$tmp/empty.yaml" "$@"; }

failed() { # sample, what: reports a failed check; the sample counts once
	echo "FAIL $1: $2"
	ok=0
}

mode_of() { stat -c %a "$1"; }

if [ ! -x "$DS_BIN" ]; then
	echo "samples: distill not built at $DS_BIN"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! command -v patch >/dev/null; then
	echo "samples: patch(1) is needed"
	echo "0 passed, 1 failed"
	exit 1
fi

n=0
for dir in "$samples"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/Dockerfile" ] || continue
	n=$((n + 1))
	ok=1
	for f in expected.Dockerfile expected.explain; do
		if [ ! -f "$dir/$f" ]; then
			failed "$name" "missing $f"
			ok=0
		fi
	done
	if [ $ok = 0 ]; then fail=$((fail + 1)); continue; fi
	args=""
	[ -f "$dir/args" ] && args=$(head -n 1 "$dir/args")
	if grep -Eq '^Dockerfile: note: (converted:|nothing to do)' "$dir/expected.explain"; then
		want=0
	elif grep -Eq '^Dockerfile: warning: (needs manual work|no runtime fits|converted, but)' "$dir/expected.explain"; then
		want=1
	elif grep -Eq '^Dockerfile(:[0-9]+:[0-9]+)?: error: ' "$dir/expected.explain"; then
		want=2
	else
		failed "$name" "expected.explain has no summary line"
		fail=$((fail + 1))
		continue
	fi
	w="$tmp/$name"
	mkdir -p "$w"

	# what standard output holds: the result on exit 0, nothing otherwise
	if [ $want = 0 ]; then cp "$dir/expected.Dockerfile" "$w/out.want"; else : >"$w/out.want"; fi

	# plain convert: stdout, stderr, exit code
	# shellcheck disable=SC2086 # args holds several options on purpose
	(cd "$dir" && conv $args Dockerfile >"$w/out" 2>"$w/err")
	rc=$?
	if [ $rc -ne $want ]; then
		failed "$name" "convert exited $rc, expected $want"; sed 's/^/    /' "$w/err" | head -5
	fi
	if ! cmp -s "$w/out" "$w/out.want"; then
		failed "$name" "convert printed other text than expected (the result only on exit 0)"
		diff -u "$w/out.want" "$w/out" | head -20 | sed 's/^/    /'
		ok=0
	fi

	# --partial prints the result whatever the exit code (not on errors)
	# shellcheck disable=SC2086
	(cd "$dir" && conv --partial $args Dockerfile >"$w/outp" 2>/dev/null)
	if [ $want != 2 ] && ! cmp -s "$w/outp" "$dir/expected.Dockerfile"; then
		failed "$name" "convert --partial output differs from expected.Dockerfile"
		diff -u "$dir/expected.Dockerfile" "$w/outp" | head -20 | sed 's/^/    /'
		ok=0
	fi
	grep -v ': note: ' "$dir/expected.explain" >"$w/err.want"
	if ! cmp -s "$w/err" "$w/err.want"; then
		failed "$name" "convert stderr differs"
		diff -u "$w/err.want" "$w/err" | head -20 | sed 's/^/    /'
		ok=0
	fi

	# --explain
	# shellcheck disable=SC2086
	(cd "$dir" && conv --explain $args Dockerfile >"$w/out2" 2>"$w/explain")
	rc=$?
	if [ $rc -ne $want ] || ! cmp -s "$w/out2" "$w/out.want"; then
		failed "$name" "convert --explain exited $rc or printed other text"
	fi
	if ! cmp -s "$w/explain" "$dir/expected.explain"; then
		failed "$name" "--explain differs from expected.explain"
		diff -u "$dir/expected.explain" "$w/explain" | head -30 | sed 's/^/    /'
		ok=0
	fi

	# --diff applies with patch -p1
	mkdir -p "$w/p"
	cp "$dir/Dockerfile" "$w/p/Dockerfile"
	# shellcheck disable=SC2086
	(cd "$w/p" && conv --diff --context "$dir" $args Dockerfile >"$w/diff" 2>/dev/null)
	rc=$?
	if [ $rc -ne $want ]; then
		failed "$name" "convert --diff exited $rc"
	fi
	if [ -s "$w/diff" ]; then
		if ! (cd "$w/p" && patch -p1 --binary --quiet --no-backup-if-mismatch <"$w/diff" >"$w/patch.log" 2>&1); then
			failed "$name" "the diff does not apply with patch -p1"; sed 's/^/    /' "$w/patch.log" | head -5
		fi
	fi
	if [ $want = 2 ]; then want_p="$dir/Dockerfile"; else want_p="$dir/expected.Dockerfile"; fi
	if ! cmp -s "$w/p/Dockerfile" "$want_p"; then
		failed "$name" "patching with the --diff output does not give the expected text"
	fi

	# -o OUT: written on exit 0 only
	# shellcheck disable=SC2086
	(cd "$dir" && conv -o "$w/o.Dockerfile" $args Dockerfile >"$w/o.stdout" 2>/dev/null)
	if [ $want = 0 ]; then
		if [ ! -f "$w/o.Dockerfile" ] || ! cmp -s "$w/o.Dockerfile" "$dir/expected.Dockerfile" || [ -s "$w/o.stdout" ]; then
			failed "$name" "-o did not write expected.Dockerfile (or printed to stdout)"
		fi
	elif [ -e "$w/o.Dockerfile" ] || [ -s "$w/o.stdout" ]; then
		failed "$name" "-o wrote a result that exits $want"
	fi

	# --in-place keeps the mode; an unconvertible file stays as it is
	mkdir -p "$w/i"
	cp "$dir/Dockerfile" "$w/i/Dockerfile"
	chmod 640 "$w/i/Dockerfile"
	# shellcheck disable=SC2086
	(cd "$w/i" && conv --in-place --context "$dir" $args Dockerfile >"$w/i.stdout" 2>/dev/null)
	rc=$?
	if [ $rc -ne $want ]; then
		failed "$name" "--in-place exited $rc"
	fi
	if [ $want = 0 ]; then
		cmp -s "$w/i/Dockerfile" "$dir/expected.Dockerfile" || { failed "$name" "--in-place did not write expected.Dockerfile"; }
	else
		cmp -s "$w/i/Dockerfile" "$dir/Dockerfile" || { failed "$name" "--in-place changed an unconvertible file"; }
	fi
	if [ "$(mode_of "$w/i/Dockerfile")" != 640 ]; then
		failed "$name" "--in-place changed the mode to $(mode_of "$w/i/Dockerfile")"
	fi
	if [ -s "$w/i.stdout" ]; then
		failed "$name" "--in-place printed to stdout"
	fi
	if [ -n "$(ls -A "$w/i" | grep -v '^Dockerfile$')" ]; then
		failed "$name" "--in-place left files behind: $(ls -A "$w/i" | tr '\n' ' ')"
	fi

	# through a symbolic link: the link stays, its target changes
	mkdir -p "$w/l/real"
	cp "$dir/Dockerfile" "$w/l/real/Dockerfile"
	ln -s real/Dockerfile "$w/l/Dockerfile"
	# shellcheck disable=SC2086
	(cd "$w/l" && conv --in-place --context "$dir" $args Dockerfile >/dev/null 2>&1)
	if [ ! -L "$w/l/Dockerfile" ]; then
		failed "$name" "--in-place replaced the symbolic link by a file"
	fi
	if [ $want = 0 ]; then target="$dir/expected.Dockerfile"; else target="$dir/Dockerfile"; fi
	cmp -s "$w/l/real/Dockerfile" "$target" || { failed "$name" "--in-place through a link wrote the wrong text"; }

	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
if [ $n = 0 ]; then
	echo "FAIL: no samples found in $samples"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
