#!/usr/bin/env bash
# labels: precommit
# Every hook of .pre-commit-hooks.yaml through the real pre-commit (Debian's
# package; .ci/run installs it), in a scratch git repository with `pre-commit
# try-repo` against a copy of this checkout, several files per invocation:
#   - distill-lint fails on a Dockerfile with findings, passes clean ones;
#   - distill-convert-check passes files already shell-free, fails one that
#     would change or needs manual work, and leaves them as they are;
#   - distill-convert rewrites convertible files in place (pre-commit then
#     fails: files changed), and passes on the next run;
#   - the hooks' file filter takes Containerfile and *.Containerfile and
#     skips other files (run with --all-files);
#   - the language: docker_image variants (no container engine here) pass
#     `pre-commit validate-manifest` and name the same commands.
# The copy is committed in a temporary repository, so uncommitted work is
# what gets tested.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
if ! command -v pre-commit >/dev/null; then
	echo "FAIL: pre-commit is not installed (apt-get install pre-commit)"
	exit 1
fi
if ! command -v git >/dev/null; then
	echo "FAIL: git is not installed"
	exit 1
fi
bindir=$(cd "$(dirname "$bin")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
export PATH="$bindir:$PATH" PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp/home"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"
if [ "$(command -v distill)" != "$bindir/distill" ]; then
	echo "FAIL: $bindir/distill is not the distill on PATH"
	exit 1
fi

# the hook repository: this checkout's files, committed (try-repo uses HEAD)
hooks="$tmp/hooks"
mkdir "$hooks"
(cd "$src" && tar cf - --exclude=./build --exclude='./build-*' --exclude=./.git .) | (cd "$hooks" && tar xf -)
git -C "$hooks" init -q
git -C "$hooks" add -A
git -C "$hooks" commit -q -m hooks
[ -f "$hooks/.pre-commit-hooks.yaml" ] || { echo "FAIL: no .pre-commit-hooks.yaml in $src"; exit 1; }

# the project that uses the hook
proj="$tmp/proj"
mkdir -p "$proj/bad" "$proj/good"
cat >"$proj/bad/Dockerfile" <<'DF'
FROM node:20-alpine AS build
WORKDIR /app
COPY . .
RUN npm ci
FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build --chown=node:node /app /app
USER node
CMD ["node", "index.js"]
DF
cat >"$proj/good/Dockerfile" <<'DF'
FROM gcr.io/distroless/static-debian13:nonroot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY app /app
USER 65532:65532
ENTRYPOINT ["/app"]
DF
git -C "$proj" init -q
git -C "$proj" add -A
git -C "$proj" commit -q -m project

try() { # expected-exit(0|nonzero), file
	local out rc
	out=$(cd "$proj" && pre-commit try-repo "$hooks" distill-lint --verbose --files "$2" 2>&1); rc=$?
	if [ "$1" = 0 ] && [ $rc -ne 0 ]; then
		echo "FAIL $2: the hook failed on a clean file"; printf '%s\n' "$out" | tail -15; fail=$((fail+1)); return
	fi
	if [ "$1" != 0 ] && [ $rc -eq 0 ]; then
		echo "FAIL $2: the hook passed a file with findings"; printf '%s\n' "$out" | tail -15; fail=$((fail+1)); return
	fi
	if [ "$1" != 0 ] && ! printf '%s\n' "$out" | grep -q 'bad/Dockerfile:6:[0-9]*: error: .*\[DST106\]'; then
		echo "FAIL $2: the findings are not shown"; printf '%s\n' "$out" | tail -15; fail=$((fail+1)); return
	fi
	if ! printf '%s\n' "$out" | grep -q 'distill lint'; then
		echo "FAIL $2: the hook did not run"; printf '%s\n' "$out" | tail -15; fail=$((fail+1)); return
	fi
	pass=$((pass+1))
}
try 1 bad/Dockerfile
try 0 good/Dockerfile

# hook HOOK ARGS...: runs a hook of the copy in the project; sets out and rc
hook() {
	local id=$1; shift
	out=$(cd "$proj" && pre-commit try-repo "$hooks" "$id" --verbose "$@" 2>&1); rc=$?
}
check() { # condition-status(0 ok) message
	if [ "$1" -eq 0 ]; then pass=$((pass+1)); else echo "FAIL: $2"; printf '%s\n' "$out" | tail -15; fail=$((fail+1)); fi
}

# distill-lint with several files: one bad among good ones fails, and names it
hook distill-lint --files good/Dockerfile bad/Dockerfile
[ $rc -ne 0 ]; check $? "distill-lint passed several files, one with findings"
printf '%s\n' "$out" | grep -q 'bad/Dockerfile:6:[0-9]*: error: .*\[DST106\]'; check $? "distill-lint: findings of several files not shown"

# projects for the convert hooks: copies of samples/, each folder its build context
for s in already-distroless python-alpine arg-in-from every-blocker; do
	[ -f "$src/samples/$s/Dockerfile" ] || { echo "FAIL: no sample $s"; exit 1; }
	mkdir -p "$proj/c/$s"; cp "$src/samples/$s/Dockerfile" "$proj/c/$s/Dockerfile"
done
mkdir -p "$proj/c/clean2"; cp "$src/samples/already-distroless/Dockerfile" "$proj/c/clean2/app.Containerfile"
git -C "$proj" add -A; git -C "$proj" commit -q -m samples

hook distill-convert-check --files c/already-distroless/Dockerfile c/clean2/app.Containerfile
[ $rc -eq 0 ]; check $? "distill-convert-check failed on shell-free files"
printf '%s\n' "$out" | grep -q '2 files: 2 already shell-free'; check $? "distill-convert-check: both files not checked in one run"
hook distill-convert-check --files c/already-distroless/Dockerfile c/python-alpine/Dockerfile c/arg-in-from/Dockerfile
[ $rc -ne 0 ]; check $? "distill-convert-check passed files that would change"
printf '%s\n' "$out" | grep -q 'c/python-alpine/Dockerfile: warning: would change'; check $? "distill-convert-check does not say which file would change"
cmp -s "$proj/c/python-alpine/Dockerfile" "$src/samples/python-alpine/Dockerfile"; check $? "distill-convert-check changed a file"
hook distill-convert-check --files c/every-blocker/Dockerfile c/already-distroless/Dockerfile
[ $rc -ne 0 ]; check $? "distill-convert-check passed a file that needs manual work"

hook distill-convert --files c/python-alpine/Dockerfile c/arg-in-from/Dockerfile c/already-distroless/Dockerfile
[ $rc -ne 0 ]; check $? "distill-convert passed although it rewrote files"
cmp -s "$proj/c/python-alpine/Dockerfile" "$src/samples/python-alpine/expected.Dockerfile"; check $? "distill-convert: python-alpine is not its expected conversion"
cmp -s "$proj/c/arg-in-from/Dockerfile" "$src/samples/arg-in-from/expected.Dockerfile"; check $? "distill-convert: arg-in-from is not its expected conversion"
git -C "$proj" add -A
hook distill-convert --files c/python-alpine/Dockerfile c/arg-in-from/Dockerfile c/already-distroless/Dockerfile
[ $rc -eq 0 ]; check $? "distill-convert failed on files it had converted"
hook distill-convert-check --files c/python-alpine/Dockerfile c/arg-in-from/Dockerfile
[ $rc -eq 0 ]; check $? "distill-convert-check failed on converted files"
git -C "$proj" commit -q -m converted

# the file filter: Containerfile names are taken, other files are not
rm -rf "$proj/c/every-blocker"
mkdir -p "$proj/ct"
cp "$src/samples/python-alpine/Dockerfile" "$proj/ct/Containerfile"
printf 'FROM alpine\nRUN echo\n' >"$proj/ct/notes.txt"
git -C "$proj" add -A; git -C "$proj" commit -q -m containerfile
hook distill-convert-check --all-files
[ $rc -ne 0 ]; check $? "distill-convert-check --all-files skipped a Containerfile"
printf '%s\n' "$out" | grep -q 'ct/Containerfile: warning: would change'; check $? "the Containerfile was not checked"
printf '%s\n' "$out" | grep -q 'notes.txt'; [ $? -ne 0 ]; check $? "a file that is no Dockerfile was passed to the hook"

# the docker_image variants: a valid manifest, each the image and its system twin's command
out=$(cd "$hooks" && pre-commit validate-manifest .pre-commit-hooks.yaml 2>&1); rc=$?
[ $rc -eq 0 ]; check $? "pre-commit validate-manifest failed"
out=$(python3 - "$hooks/.pre-commit-hooks.yaml" <<'PY'
import sys, yaml
hooks = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
for id in ("distill-lint", "distill-convert-check", "distill-convert"):
    s, d = hooks[id], hooks.get(id + "-docker")
    assert s["language"] == "system", id
    assert d and d["language"] == "docker_image", id + "-docker"
    image, cmd = d["entry"].split(" ", 1)
    assert "distill" in image and ("distill " + cmd) == s["entry"], (d["entry"], s["entry"])
    assert d["files"] == s["files"], id
print("ok")
PY
); rc=$?
[ $rc -eq 0 ]; check $? "the docker_image hooks do not mirror the system hooks"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
