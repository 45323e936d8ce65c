#!/usr/bin/env bash
# labels: cli
# The command line's comforts (issue 14 §5):
#   - `distill completion bash|zsh|fish`, generated from the option tables:
#     the bash script, run by bash, completes command names, each command's
#     options (exactly those its --help documents) and file names after an
#     option that takes a value; zsh and fish list the same options;
#   - `distill help CMD` is `distill CMD --help`;
#   - "did you mean" for a mistyped command, option or rule code;
#   - one shape of usage error in every command: "distill CMD: MESSAGE"
#     then "try 'distill CMD --help'", exit 2;
#   - `distill version` names the git commit of the checkout and the
#     catalogue's date;
#   - convert --debian takes bookworm and trixie like 12 and 13;
#   - --max-file-size takes sizes like 1K and 1M in every command.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$bin" completion bash >"$tmp/bash" && ok || bad "completion bash failed"
"$bin" completion zsh >"$tmp/zsh" && ok || bad "completion zsh failed"
"$bin" completion fish >"$tmp/fish" && ok || bad "completion fish failed"
bash -n "$tmp/bash" && ok || bad "the bash completion does not parse"
command -v zsh >/dev/null && { zsh -n "$tmp/zsh" && ok || bad "the zsh completion does not parse"; }
command -v fish >/dev/null && { fish -n "$tmp/fish" && ok || bad "the fish completion does not parse"; }

# complete WORDS...: what the bash completion offers for the last word
complete_() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _distill; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$tmp/bash" "$@" | sort -u
}
complete_ distill conv | grep -qx convert && ok || bad "bash: 'conv' does not complete to convert"
complete_ distill convert --ch | grep -qx -- --check && ok || bad "bash: 'convert --ch' does not complete to --check"
complete_ distill help li | grep -qx lint && ok || bad "bash: 'help li' does not complete to lint"
complete_ distill completion z | grep -qx zsh && ok || bad "bash: 'completion z' does not complete to zsh"
mkdir -p "$tmp/d" && touch "$tmp/d/mappings.yaml"
(cd "$tmp/d" && complete_ distill convert --mappings ma) | grep -qx mappings.yaml && ok || bad "bash: no file name after --mappings"

# every command's options: completed exactly as --help documents them
for c in parse lint convert inspect audit lsp; do
	complete_ distill "$c" -- | grep -v '^--help$' >"$tmp/c.$c"
	[ -s "$tmp/c.$c" ] || { bad "bash: no options for $c"; continue; }
	"$bin" "$c" --help >"$tmp/h.$c" 2>&1
	missing=$(while read -r o; do grep -q -- "$o\\b" "$tmp/h.$c" || echo "$o"; done <"$tmp/c.$c")
	[ -z "$missing" ] && ok || bad "$c: completed but not in --help: $missing"
	while read -r o; do
		grep -q "__fish_seen_subcommand_from $c' -l ${o#--}\\b" "$tmp/fish" || { bad "fish: $c lacks $o"; break; }
	done <"$tmp/c.$c"
	zsec=$(awk -v c="$c)" '$1 == c {p = 1; next} p && /;;/ {exit} p' "$tmp/zsh")
	while read -r o; do
		printf '%s\n' "$zsec" | grep -q -- "'$o[=']" || { bad "zsh: $c lacks $o"; break; }
	done <"$tmp/c.$c"
done
grep -qx -- --check "$tmp/c.convert" && grep -qx -- --jobs "$tmp/c.convert" && ok || bad "convert's new options are not completed"

"$bin" completion tcsh >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "try 'distill help completion'" "$tmp/err" && ok || bad "completion tcsh: exit $rc"

# help CMD
for c in lint convert audit; do
	"$bin" help "$c" >"$tmp/a" 2>&1; "$bin" "$c" --help >"$tmp/b" 2>&1
	[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok || bad "distill help $c differs from distill $c --help"
done
"$bin" help nosuch >/dev/null 2>&1 && bad "help of an unknown command succeeded" || ok

# did you mean
"$bin" conver x >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown command 'conver' (did you mean 'convert'?)" "$tmp/err" && ok || { bad "typo of convert: exit $rc"; cat "$tmp/err"; }
"$bin" xyzzy >/dev/null 2>"$tmp/err"
grep -q "did you mean" "$tmp/err" && bad "a suggestion for a word like no command" || ok

# usage errors: one shape everywhere; options get "did you mean"
usage_shape() { # what, command, args...
	local what=$1 c=$2; shift 2
	"$bin" "$c" "$@" </dev/null >/dev/null 2>"$tmp/err"; rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] && head -1 "$tmp/err" | grep -q "^distill $c: " \
		&& [ "$(tail -1 "$tmp/err")" = "try 'distill $c --help'" ]; then ok; else
		bad "$c $*: $what: exit $rc, not the usage-error shape:"; sed 's/^/    /' "$tmp/err"; fi
}
for c in parse lint convert inspect audit lsp rules; do
	usage_shape "an unknown option" "$c" --no-such-option x
done
for c in parse lint convert inspect; do
	usage_shape "no operand" "$c"
	usage_shape "a bad size" "$c" --max-file-size 1X x
done
usage_shape "several files to standard output" convert a b
usage_shape "a missing value" convert --target
usage_shape "a bad --jobs" audit --jobs 0 .
usage_shape "a bad --jobs" convert --jobs 0 x
"$bin" convert --chek x 2>&1 | grep -q "unknown option '--chek' (did you mean '--check'?)" && ok || bad "no suggestion for --chek"
"$bin" lint --formt json x 2>&1 | grep -q "(did you mean '--format'?)" && ok || bad "no suggestion for --formt"
"$bin" audit --shrad 1/2 . 2>&1 | grep -q "(did you mean '--shard'?)" && ok || bad "no suggestion for --shrad"
"$bin" convert --target 2>&1 | grep -q "option '--target' needs a value" && ok || bad "no message for a missing value"
"$bin" convert --zzzzzzz x 2>&1 | grep -q "did you mean" && bad "a suggestion for a far option" || ok
# rule codes
"$bin" rules DST10 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown rule 'DST10' (did you mean 'DST101'?)" "$tmp/err" && ok || { bad "rules DST10: exit $rc"; cat "$tmp/err"; }
"$bin" rules dst101 >/dev/null 2>&1 && ok || bad "rules dst101 (any case) failed"
"$bin" lint --ignore DST1O1 "$src/samples/already-distroless/Dockerfile" >/dev/null 2>"$tmp/err"
grep -q "unknown rule code 'DST1O1'.*(did you mean 'DST101'?)" "$tmp/err" && ok || { bad "lint --ignore DST1O1: no suggestion"; cat "$tmp/err"; }
mkdir -p "$tmp/cfg"
printf 'ignored:\n  - DST10\n' >"$tmp/cfg/.distill.yaml"
cp "$src/samples/already-distroless/Dockerfile" "$tmp/cfg/Dockerfile"
"$bin" lint "$tmp/cfg/Dockerfile" >/dev/null 2>"$tmp/err"
grep -q "\.distill\.yaml:2:[0-9]*: error: unknown rule code 'DST10' (did you mean 'DST101'?)" "$tmp/err" && ok || { bad "config: no suggestion for DST10"; cat "$tmp/err"; }

# version: the commit of the checkout, and the catalogue's date
"$bin" version >"$tmp/v" || bad "version failed"
grep -Eq '^catalogue [0-9]{4}-[0-9]{2}-[0-9]{2}$' "$tmp/v" && ok || bad "version names no catalogue date"
if git -C "$src" rev-parse --verify -q HEAD >/dev/null 2>&1; then
	# the commit the binary was built from: HEAD, or one before it when ctest runs without a rebuild
	c=$(sed -n 's/^commit \([0-9a-f]\{12\}\)\(-dirty\)\{0,1\}$/\1/p' "$tmp/v")
	[ -n "$c" ] && git -C "$src" merge-base --is-ancestor "$c" HEAD 2>/dev/null && ok \
		|| { bad "version names no commit of this checkout:"; cat "$tmp/v"; }
else
	grep -q '^commit ' "$tmp/v" && ok || bad "version names no commit"
fi

# --debian: codenames
s=$src/samples/rust-debian-slim/Dockerfile
for pair in 12:bookworm 13:trixie 13:Trixie; do
	"$bin" convert --debian "${pair%%:*}" "$s" >"$tmp/n" 2>/dev/null
	"$bin" convert --debian "${pair#*:}" "$s" >"$tmp/w" 2>/dev/null
	[ -s "$tmp/n" ] && cmp -s "$tmp/n" "$tmp/w" && ok || bad "--debian ${pair#*:} differs from --debian ${pair%%:*}"
done
"$bin" convert --debian bookworm "$s" | grep -q '^FROM .*-debian12' && ok || bad "--debian bookworm does not pick a debian12 runtime"
"$bin" convert --debian trixie "$s" | grep -q '^FROM .*-debian13' && ok || bad "--debian trixie does not pick a debian13 runtime"
"$bin" convert --debian buster "$s" >/dev/null 2>&1 && bad "--debian buster accepted" || ok

# sizes: a file of more than 1 KiB is refused by 1K, taken by 1M and by its byte count
big=$tmp/big/Dockerfile
mkdir -p "$tmp/big"
{ for i in $(seq 1 40); do echo "# comment line $i, long enough to pass one KiB in forty lines"; done
  cat "$src/samples/already-distroless/Dockerfile"; } >"$big"
n=$(wc -c <"$big")
[ "$n" -gt 1024 ] && [ "$n" -lt 1048576 ] || bad "the test file is $n bytes"
for c in parse lint inspect convert; do
	"$bin" $c --max-file-size 1K "$big" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -ne 0 ] && grep -q 'larger than the limit of 1024 bytes' "$tmp/err" && ok || { bad "$c --max-file-size 1K: exit $rc"; cat "$tmp/err"; }
	"$bin" $c --max-file-size 1M "$big" >/dev/null 2>"$tmp/err"
	grep -q 'larger than the limit' "$tmp/err" && bad "$c --max-file-size 1M refused a $n-byte file" || ok
	"$bin" $c --max-file-size "$n" "$big" >/dev/null 2>"$tmp/err"
	grep -q 'larger than the limit' "$tmp/err" && bad "$c --max-file-size $n refused a $n-byte file" || ok
	"$bin" $c --max-file-size 1X "$big" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "invalid --max-file-size '1X'" "$tmp/err" && ok || bad "$c --max-file-size 1X: exit $rc"
done
"$bin" audit --max-file-size 1K "$big" >"$tmp/out" 2>&1
grep -q 'larger than the limit' "$tmp/out" && ok || bad "audit --max-file-size 1K took a $n-byte file"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
