#!/usr/bin/env bash
# labels: robustness
# A repository's configuration stays inside the repository (issue 19 §5):
# lint and convert refuse a found .distill.yaml whose `mappings` leaves its
# folder tree ('..', an absolute path, a link), names a FIFO or a device, or
# is too big, and a .hadolint.yaml that links out of it: exit 2 with an
# error at the file (and line:col), promptly, and without echoing the other
# file. audit applies each repository's rule settings as lint does (unless
# --no-repo-config) and never reads mappings. Only --config and --mappings
# given on the command line may point anywhere. audit --git never runs a
# program a repository's .git/config names, and a Dockerfile that links out
# of the audited tree is not read.
set -u
bin=${DS_BIN:-build/distill}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

printf 'FROM node\nCOPY . /app\nCMD ["node", "/app/index.js"]\n' >"$tmp/Dockerfile.src"
printf 'secret-first-key: {kind: shell}\n' >"$tmp/secret.yaml"

# repo_with NAME MAPPINGS-VALUE: a repository whose .distill.yaml names that mappings
repo_with() {
	mkdir -p "$tmp/$1/app"
	cp "$tmp/Dockerfile.src" "$tmp/$1/app/Dockerfile"
	printf 'ignored: [DL3006]\nmappings: %s\n' "$2" >"$tmp/$1/.distill.yaml"
}
repo_with dotdot ../secret.yaml
repo_with absolute "$tmp/secret.yaml"
repo_with link link.yaml
ln -s ../secret.yaml "$tmp/link/link.yaml"
repo_with fifo fifo.yaml
mkfifo "$tmp/fifo/fifo.yaml"
repo_with device zero
ln -s /dev/zero "$tmp/device/zero"
repo_with big big.yaml
perl -e 'print "# x\n" x 300000' >"$tmp/big/big.yaml"
repo_with fine m.yaml
printf 'tools:\n  fish: {kind: shell}\n' >"$tmp/fine/m.yaml"

for r in dotdot absolute link fifo device big; do
	for cmd in "lint --no-shellcheck" "convert"; do
		# shellcheck disable=SC2086 # cmd is a word list on purpose
		err=$(timeout 10 "$bin" $cmd "$tmp/$r/app/Dockerfile" 2>&1 >/dev/null </dev/null)
		rc=$?
		[ $rc = 2 ] && ok || bad "$r: $cmd exited $rc, expected 2 (124: it hung)"
		case $err in
		"$tmp/$r/.distill.yaml:2:11: error: "*) ok ;;
		*) bad "$r: $cmd gave no error located at the mappings value: $err" ;;
		esac
		case $err in *secret-first-key*) bad "$r: $cmd echoed the outside file: $err" ;; *) ok ;; esac
	done
done
# inside the tree: used
"$bin" lint --no-shellcheck "$tmp/fine/app/Dockerfile" >/dev/null 2>"$tmp/err"
[ $? != 2 ] && ok || bad "fine: lint failed: $(cat "$tmp/err")"

# the configuration itself linking out of the repository
mkdir -p "$tmp/hlink/app"
cp "$tmp/Dockerfile.src" "$tmp/hlink/app/Dockerfile"
printf 'ignored: [DL3006]\n' >"$tmp/outside-hadolint.yaml"
ln -s ../outside-hadolint.yaml "$tmp/hlink/.hadolint.yaml"
err=$("$bin" lint --no-shellcheck "$tmp/hlink/app/Dockerfile" 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] && ok || bad "hadolint link out: lint exited $rc"
case $err in "$tmp/hlink/.hadolint.yaml: error: is a symbolic link out of its folder"*) ok ;; *) bad "hadolint link out: $err" ;; esac
# ...is read when named on the command line
"$bin" lint --no-shellcheck --format gnu --config "$tmp/hlink/.hadolint.yaml" "$tmp/hlink/app/Dockerfile" >"$tmp/out" 2>&1
[ $? != 2 ] && ! grep -q DL3006 "$tmp/out" && ok || bad "--config through the link: $(cat "$tmp/out")"

# command-line files may be anywhere, but /dev/zero and a FIFO's open never hang
err=$(timeout 10 "$bin" convert --mappings /dev/zero "$tmp/fine/app/Dockerfile" 2>&1 >/dev/null </dev/null)
rc=$?
[ $rc = 2 ] && ok || bad "--mappings /dev/zero exited $rc (124: it ran away)"
case $err in "/dev/zero: error: "*"larger than"*) ok ;; *) bad "--mappings /dev/zero: $err" ;; esac
err=$(timeout 10 "$bin" convert --mappings "$tmp/secret.yaml" "$tmp/fine/app/Dockerfile" 2>&1 >/dev/null </dev/null)
[ $? = 2 ] && ok || bad "--mappings of a bad catalogue should fail"

# audit: rule settings of each repository, no mappings, --no-repo-config
mkdir -p "$tmp/audit/a" "$tmp/audit/b"
cp "$tmp/Dockerfile.src" "$tmp/audit/a/Dockerfile"
cp "$tmp/Dockerfile.src" "$tmp/audit/b/Dockerfile"
printf 'ignored: [DL3006, DST206]\nmappings: fifo.yaml\n' >"$tmp/audit/a/.distill.yaml"
mkfifo "$tmp/audit/a/fifo.yaml"
timeout 20 "$bin" audit --no-timing --format jsonl "$tmp/audit" >"$tmp/audit.jsonl" 2>"$tmp/err"
rc=$?
[ $rc != 124 ] && ok || bad "audit hung on a repository's FIFO mappings"
grep '"file":"[^"]*/a/Dockerfile"' "$tmp/audit.jsonl" | grep -q DL3006 && bad "audit ignored a/.distill.yaml's ignored list" || ok
grep '"file":"[^"]*/b/Dockerfile"' "$tmp/audit.jsonl" | grep -q DL3006 && ok || bad "audit lost DL3006 in b, which has no configuration"
"$bin" lint --no-shellcheck --format gnu "$tmp/audit/a/Dockerfile" 2>/dev/null | grep -q DL3006 && bad "lint disagrees" || true
"$bin" audit --no-timing --no-repo-config --format jsonl "$tmp/audit" >"$tmp/audit2.jsonl" 2>/dev/null
grep '"file":"[^"]*/a/Dockerfile"' "$tmp/audit2.jsonl" | grep -q DL3006 && ok || bad "--no-repo-config still applied a/.distill.yaml"
# a broken repository configuration: warned about, its files get the defaults, the run goes on
printf 'ignored: [DL3006\n' >"$tmp/audit/b/.distill.yaml"
"$bin" audit --no-timing --format jsonl "$tmp/audit" >"$tmp/audit3.jsonl" 2>"$tmp/err"
grep -q "^$tmp/audit/b/.distill.yaml:[0-9]*:[0-9]*: warning: " "$tmp/err" && ok || bad "no warning for a broken repository configuration: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/audit3.jsonl")" = 2 ] && ok || bad "audit did not report both files after a broken configuration"

# a Dockerfile that is a link out of the audited tree is not read (lint of a folder, audit, audit --git)
mkdir -p "$tmp/linkrepo/app" "$tmp/private"
printf 'FROM alpine
SECRETWORD hunter2
' >"$tmp/private/Dockerfile"
cp "$tmp/Dockerfile.src" "$tmp/linkrepo/app/Dockerfile"
ln -s ../../private/Dockerfile "$tmp/linkrepo/app/Dockerfile.stolen"
for cmd in "lint --no-shellcheck --format gnu" "audit --no-timing --format jsonl" "audit --git --no-timing --format jsonl"; do
	if [ "${cmd#audit --git}" != "$cmd" ]; then
		(cd "$tmp/linkrepo" && git init -q && git add -A) >/dev/null 2>&1
	fi
	# shellcheck disable=SC2086 # cmd is a word list on purpose
	out=$("$bin" $cmd "$tmp/linkrepo" 2>&1)
	case $out in *stolen* | *SECRETWORD* | *hunter2*) bad "$cmd read a Dockerfile linked from outside the tree: $out" ;; *) ok ;; esac
	case $out in *linkrepo/app/Dockerfile*) ok ;; *) bad "$cmd lost the real Dockerfile: $out" ;; esac
done

# audit --git in a work tree whose .git/config asks git to run a program (core.fsmonitor)
if command -v git >/dev/null; then
	mkdir -p "$tmp/gitrepo"
	cp "$tmp/Dockerfile.src" "$tmp/gitrepo/Dockerfile"
	(cd "$tmp/gitrepo" && git init -q && git add Dockerfile &&
		git config core.fsmonitor "touch '$tmp/pwned'; echo")
	rm -f "$tmp/pwned"
	"$bin" audit --git --no-timing --format jsonl "$tmp/gitrepo" >"$tmp/git.jsonl" 2>/dev/null
	[ ! -e "$tmp/pwned" ] && ok || bad "audit --git ran the repository's core.fsmonitor command"
	grep -q '"file":"[^"]*gitrepo/Dockerfile"' "$tmp/git.jsonl" && ok || bad "audit --git did not list the repository's Dockerfile"
else
	bad "git is not installed"
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
