#!/usr/bin/env bash
# labels: precommit
# The distill-lint hook of .pre-commit-hooks.yaml through the real
# pre-commit (Debian's package; .ci/run installs it): in a scratch git
# repository, `pre-commit try-repo` against a copy of this checkout fails on
# a Dockerfile with findings and passes on a clean one. The copy is committed
# in a temporary repository, so uncommitted work is what gets tested.
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
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
