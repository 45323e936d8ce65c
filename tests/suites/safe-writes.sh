#!/usr/bin/env bash
# labels: robustness
# Every file distill writes goes through one atomic writer (issue 19 §1-3):
#   - convert --in-place keeps a concurrent writer's save: the window between
#     reading and replacing is made deterministic with the documented debug
#     hook DISTILL_DEBUG_STOP_BEFORE_REPLACE=1 (distill stops itself there;
#     the test saves the file, then continues it): exit 2, "changed while
#     converting", the other writer's text kept;
#   - convert -o, audit -o and audit --merge -o on a full disk (a file-size
#     limit stands in for it) leave no file at all, not a 0-byte one;
#   - SIGINT, SIGTERM and SIGHUP at that same moment remove the temporary
#     file and still end distill with the signal.
# The sample converts with declared behaviour changes: --accept all lets it.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
sample="$src/samples/node-course/Dockerfile"
[ -f "$sample" ] || { echo "FAIL: no sample at $sample"; exit 1; }

# Waits (without a time limit: the state is what matters) until process $1 is stopped.
wait_stopped() {
	local state
	while :; do
		state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
		[ "$state" = T ] && return 0
		[ "$state" = Z ] && return 1
		sleep 0.01
	done
}

# Only the named files are in folder $1.
only() {
	local d=$1; shift
	local want have
	want=$(printf '%s\n' "$@" | sort)
	have=$(ls -A "$d" | sort)
	[ "$want" = "$have" ]
}

# 1. --in-place over a concurrent save, with padding so the file is not tiny
w="$tmp/race"
mkdir -p "$w"
{ cat "$sample"; for i in $(seq 1 2000); do echo "# padding comment line $i"; done; } >"$w/Dockerfile"
DISTILL_DEBUG_STOP_BEFORE_REPLACE=1 "$bin" convert --accept all --in-place "$w/Dockerfile" >"$w/out" 2>"$w/err" &
pid=$!
if wait_stopped $pid; then
	printf 'FROM scratch\n# other writer\n' >"$w/Dockerfile"
	kill -CONT $pid
	wait $pid
	rc=$?
	[ $rc = 2 ] && ok || bad "in-place race: exit $rc, expected 2"
	grep -q "changed while converting" "$w/err" && ok || bad "in-place race: no 'changed while converting' in: $(cat "$w/err")"
	[ "$(cat "$w/Dockerfile")" = "$(printf 'FROM scratch\n# other writer')" ] && ok || bad "in-place race: the other writer's save was lost"
	only "$w" Dockerfile out err && ok || bad "in-place race: files left: $(ls -A "$w" | tr '\n' ' ')"
else
	wait $pid
	bad "in-place race: distill never stopped at the debug hook (exit $?): $(cat "$w/err")"
fi

# the same without a concurrent writer: replaced
cp "$sample" "$w/Dockerfile"
DISTILL_DEBUG_STOP_BEFORE_REPLACE=1 "$bin" convert --accept all --in-place "$w/Dockerfile" >/dev/null 2>"$w/err" &
pid=$!
wait_stopped $pid && kill -CONT $pid
wait $pid
rc=$?
[ $rc = 0 ] && ! cmp -s "$w/Dockerfile" "$sample" && ok || bad "in-place without a race: exit $rc, file changed: $(! cmp -s "$w/Dockerfile" "$sample" && echo yes)"

# 2. signals at the replacement: the temporary file goes, the file stays, the signal ends distill
for sig in INT TERM HUP; do
	w="$tmp/sig-$sig"
	mkdir -p "$w"
	cp "$sample" "$w/Dockerfile"
	# a background job of a script starts with SIGINT ignored: give it the default
	DISTILL_DEBUG_STOP_BEFORE_REPLACE=1 env --default-signal=INT "$bin" convert --accept all --in-place "$w/Dockerfile" >/dev/null 2>&1 &
	pid=$!
	if wait_stopped $pid; then
		if ls -A "$w" | grep -q '^\.Dockerfile\.distill-'; then ok; else bad "SIG$sig: no temporary file while stopped"; fi
		kill -"$sig" $pid
		kill -CONT $pid
	fi
	wait $pid 2>/dev/null
	rc=$?
	want=$((128 + $(kill -l "$sig")))
	[ $rc = $want ] && ok || bad "SIG$sig: exit $rc, expected $want (killed by the signal)"
	only "$w" Dockerfile && ok || bad "SIG$sig: files left: $(ls -A "$w" | tr '\n' ' ')"
	cmp -s "$w/Dockerfile" "$sample" && ok || bad "SIG$sig: the Dockerfile changed"
done

# 3. a full disk: nothing, not an empty file (ulimit -f counts 512-byte blocks)
w="$tmp/full"
mkdir -p "$w/tree/app"
cp "$sample" "$w/tree/app/Dockerfile"
# (stderr through a pipe: the limit would stop a write to a file there too)
err=$( (ulimit -f 0; exec "$bin" convert --accept all -o "$w/new.Dockerfile" "$sample") 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] && ok || bad "convert -o on a full disk: exit $rc, expected 2"
[ ! -e "$w/new.Dockerfile" ] && ok || bad "convert -o on a full disk left $(wc -c <"$w/new.Dockerfile") bytes behind"
case $err in *"cannot write"*) ok ;; *) bad "convert --accept all -o on a full disk: no 'cannot write' in: $err" ;; esac
"$bin" audit --no-timing --format jsonl "$w/tree" >"$w/r.jsonl" 2>/dev/null
for args in "audit --no-timing --format jsonl $w/tree" "audit --merge $w/r.jsonl"; do
	# shellcheck disable=SC2086 # args is a word list on purpose
	(ulimit -f 0; exec "$bin" $args -o "$w/report") >/dev/null 2>&1
	rc=$?
	[ $rc = 2 ] && ok || bad "$args -o on a full disk: exit $rc, expected 2"
	[ ! -e "$w/report" ] && ok || bad "$args -o on a full disk left a file"
done
only "$w" tree r.jsonl && ok || bad "full disk: files left: $(ls -A "$w" | tr '\n' ' ')"

# 4. -o over an existing file keeps its mode; a new one gets 0666 less the umask
w="$tmp/mode"
mkdir -p "$w"
printf 'old\n' >"$w/existing"
chmod 640 "$w/existing"
"$bin" convert --accept all -o "$w/existing" "$sample" >/dev/null 2>&1
[ "$(stat -c %a "$w/existing")" = 640 ] && ok || bad "-o changed the mode of an existing file to $(stat -c %a "$w/existing")"
(umask 077; "$bin" audit --no-timing -o "$w/new" "$src/samples/node-course" >/dev/null 2>&1)
[ "$(stat -c %a "$w/new" 2>/dev/null)" = 600 ] && ok || bad "audit -o with umask 077 made mode $(stat -c %a "$w/new" 2>/dev/null)"
only "$w" existing new && ok || bad "-o left files: $(ls -A "$w" | tr '\n' ' ')"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
