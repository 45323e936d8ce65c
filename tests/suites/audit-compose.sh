#!/usr/bin/env bash
# labels: audit
# `distill audit` reads the Compose files of the tree it walks: a service
# whose build names a Dockerfile gives its build context (--context) and the
# stage it builds (--target-stage). On a tree built here (no shared data):
# an awesome-compose layout whose backend Dockerfile ends in a dev-envs
# stage while compose.yaml builds its "development" stage; a build given
# as a string; a context above the Dockerfile (dockerfile: a/b/Dockerfile);
# and Compose files that must be passed over (a URL context, a variable, an
# anchor, a target that names no stage). Checks the JSON Lines fields, the
# commands of the summary and of CSV, --merge reading the fields back, and
# that the conversions those commands run succeed.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin="${DS_BIN:-$DS_SRC/build/distill}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
has() { # has NAME FILE PATTERN: the file holds the fixed string
	if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in:"; cat "$2"; fi
}
lacks() {
	if grep -qF -- "$3" "$2"; then bad "$1: '$3' in:"; cat "$2"; else ok; fi
}

t="$tmp/tree"
mkdir -p "$t/shop/backend" "$t/shop/frontend" "$t/mono/services/api" "$t/odd/url" "$t/odd/var" "$t/odd/anchor" "$t/odd/nostage"
cat >"$t/shop/compose.yaml" <<'EOF'
services:
  backend:
    build:
      context: backend
      target: development
    ports:
      - 3000:3000
  frontend:
    build: frontend
EOF
cat >"$t/shop/backend/Dockerfile" <<'EOF'
FROM node:22-slim AS development
WORKDIR /code
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["npm", "start"]

FROM development AS dev-envs
RUN apt-get update && apt-get install -y --no-install-recommends git
RUN useradd -s /bin/bash -m vscode
COPY --from=gloursdocker/docker / /
CMD ["npm", "start"]
EOF
printf '{"name":"backend","scripts":{"start":"node server.js"}}\n' >"$t/shop/backend/package.json"
printf '{}\n' >"$t/shop/backend/package-lock.json"
printf 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n' >"$t/shop/frontend/Dockerfile"
# the context is the repository's root, the Dockerfile two folders down
printf 'services:\n  api:\n    build:\n      context: ..\n      dockerfile: services/api/Dockerfile\n' >"$t/mono/services/docker-compose.yml"
printf 'FROM node:22-slim\nWORKDIR /app\nCOPY services/api/package.json .\nCMD ["npm", "start"]\n' >"$t/mono/services/api/Dockerfile"
printf '{"scripts":{"start":"node main.js"}}\n' >"$t/mono/services/api/package.json"
# passed over: a URL, a variable, YAML anchors, a stage the file does not have
printf 'services:\n  a:\n    build: https://github.com/example/app.git\n' >"$t/odd/url/compose.yaml"
printf 'services:\n  a:\n    build:\n      context: ${CTX:-.}\n' >"$t/odd/var/compose.yaml"
printf 'x-build: &b\n  context: .\n  target: dev\nservices:\n  a:\n    build: *b\n' >"$t/odd/anchor/compose.yml"
printf 'services:\n  a:\n    build:\n      context: .\n      target: nosuch\n' >"$t/odd/nostage/compose.yaml"
for d in url var anchor nostage; do
	printf 'FROM node:22-slim AS dev\nCOPY . /app\nCMD ["node", "/app/index.js"]\n' >"$t/odd/$d/Dockerfile"
done

cd "$tmp" || exit 1
"$bin" audit --format jsonl -q tree >"$tmp/r.jsonl"
row() { grep -F "\"file\":\"tree/$1\"" "$tmp/r.jsonl" >"$tmp/row"; }
row shop/backend/Dockerfile
has "target stage from compose" "$tmp/row" '"convertible":"yes"'
has "target stage from compose" "$tmp/row" '"context":null,"stage":"development","compose":"tree/shop/compose.yaml (service backend)"'
row shop/frontend/Dockerfile
has "build as a string" "$tmp/row" '"context":null,"stage":null,"compose":"tree/shop/compose.yaml (service frontend)"'
row mono/services/api/Dockerfile
has "context above the Dockerfile" "$tmp/row" '"context":"tree/mono","stage":null,"compose":"tree/mono/services/docker-compose.yml (service api)"'
has "the context's package.json is read" "$tmp/row" '"convertible":"yes"'
for d in url var anchor nostage; do
	row "odd/$d/Dockerfile"
	has "$d passed over" "$tmp/row" '"context":null,"stage":null'
done
row odd/nostage/Dockerfile
has "a Compose file that names it, without a usable target" "$tmp/row" '"compose":"tree/odd/nostage/compose.yaml (service a)"'
row odd/url/Dockerfile
has "a URL context names nothing here" "$tmp/row" '"compose":null'

# the commands: the summary's and CSV's
"$bin" audit -q tree >"$tmp/summary.txt"
has "summary command, stage" "$tmp/summary.txt" 'distill convert --target-stage development --in-place tree/shop/backend/Dockerfile'
has "summary command, context" "$tmp/summary.txt" 'distill convert --context tree/mono --in-place tree/mono/services/api/Dockerfile'
"$bin" audit --format csv -q tree >"$tmp/r.csv"
has "csv header" "$tmp/r.csv" 'target,context,stage,compose,reasons'
has "csv row" "$tmp/r.csv" 'tree/mono,,tree/mono/services/docker-compose.yml (service api),'
# --merge reads the fields back
"$bin" audit --merge --format jsonl "$tmp/r.jsonl" >"$tmp/m.jsonl"
if cmp -s <(sed 's/"micros":[0-9]*//' "$tmp/r.jsonl" | sort) <(sed 's/"micros":[0-9]*//' "$tmp/m.jsonl" | sort); then ok; else
	bad "--merge changes the compose fields"
	diff <(sort "$tmp/r.jsonl") <(sort "$tmp/m.jsonl") | head
fi
# the commands work: convert with them, and the result passes convert's own check
cp -r tree work
if "$bin" convert --target-stage development -o "$tmp/backend.out" work/shop/backend/Dockerfile 2>"$tmp/err"; then ok; else
	bad "convert --target-stage development failed"; cat "$tmp/err"; fi
has "the development stage moved" "$tmp/backend.out" 'FROM gcr.io/distroless/nodejs22-debian13'
has "the command the script comes down to" "$tmp/backend.out" 'CMD ["server.js"]'
if "$bin" convert --context work/mono -o "$tmp/api.out" work/mono/services/api/Dockerfile 2>"$tmp/err"; then ok; else
	bad "convert --context failed"; cat "$tmp/err"; fi
has "package.json read from the compose context" "$tmp/api.out" 'CMD ["main.js"]'
# without the context, the same file stays manual: the context is what made it convertible
if "$bin" convert -o "$tmp/api2.out" work/mono/services/api/Dockerfile 2>/dev/null; then
	bad "converted without its context"; else ok; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
