#!/usr/bin/env bash
# labels: audit
# What audit learns from its walk's folder listings instead of asking the
# file system (issue 18): the repository configuration of each file (also
# one above the audited folder, one that is a link, never a folder of that
# name), the repository for --group-by (a .git folder, a .git file as in a
# worktree or submodule, a dangling .git link), and the build context's
# .dockerignore (absent, a file, a link). Each answer is checked against
# its expected value and against the same files audited without a walk
# (given directly or with --files-from), which looks with lstat and opens
# every context.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin="${DS_BIN:-$DS_SRC/build/distill}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# field FILE JSONL KEY: the value of a string key of FILE's line
field() { grep "\"file\":\"$1\"" "$2" | sed -n "s/.*\"$3\":\"\\([^\"]*\\)\".*/\\1/p"; }
findings() { grep "\"file\":\"$1\"" "$2" | sed -n 's/.*"findings":{\([^}]*\)}.*/\1/p'; }
audit() { timeout 60 "$bin" audit --no-timing --format jsonl "$@"; }
cd "$tmp" || exit 1

# ---- configurations: above the audited folder, a link, a folder of the name
df='FROM node\nCOPY . /app\nCMD ["node", "/app/index.js"]\n' # DL3006 (untagged) and DST206
mkdir -p up/svc/api/.distill.yaml up/svc/web/conf up/svc/plain
for d in api web plain; do printf "$df" >"up/svc/$d/Dockerfile"; done
printf 'ignored: [DL3006]\n' >up/.distill.yaml
printf 'ignored: [DST206]\n' >up/svc/web/conf/web.yaml
ln -s conf/web.yaml up/svc/web/.distill.yml
printf 'ignored: [DST206]\n' >up/svc/plain/.hadolint.yml # a .distill above wins over it
audit up/svc >walk.jsonl 2>/dev/null
find up/svc -name Dockerfile | sort | audit --files-from - >list.jsonl 2>/dev/null
for f in api plain; do
	case $(findings "up/svc/$f/Dockerfile" walk.jsonl) in
	*DL3006*) bad "up/svc/$f: ../../.distill.yaml above the audited folder not applied" ;;
	*DST206*) ok ;;
	*) bad "up/svc/$f: DST206 lost" ;;
	esac
done
case $(findings up/svc/web/Dockerfile walk.jsonl) in
*DST206*) bad "up/svc/web: the linked .distill.yml not applied" ;;
*DL3006*) ok ;;
*) bad "up/svc/web: DL3006 lost (the further .distill.yaml applied)" ;;
esac
for f in api web plain; do
	w=$(findings "up/svc/$f/Dockerfile" walk.jsonl) l=$(findings "up/svc/$f/Dockerfile" list.jsonl)
	[ -n "$w" ] && [ "$w" = "$l" ] && ok || bad "up/svc/$f: walked {$w}, listed {$l}"
done

# ---- repositories: .git folder, .git file (worktree, submodule), dangling .git link
# (one level down, so that a repository found differs from the top-level folder g/r)
mkdir -p g/r/main/.git g/r/main/sub/mod g/r/feature/app g/r/odd/x g/r/none/y
printf 'gitdir: /elsewhere/.git/worktrees/feature\n' >g/r/feature/.git
printf 'gitdir: ../../.git/modules/mod\n' >g/r/main/sub/mod/.git
ln -s nowhere g/r/odd/.git
for p in main main/sub/mod feature/app odd/x none/y; do
	printf 'FROM scratch\nCOPY app /app\n' >"g/r/$p/Dockerfile"
done
audit g >gwalk.jsonl 2>/dev/null
find g -name Dockerfile | sort | audit --files-from - >glist.jsonl 2>/dev/null
while read -r file want; do
	got=$(field "$file" gwalk.jsonl repo)
	[ "$got" = "$want" ] && ok || bad "$file: repository '$got', expected '$want'"
	[ "$want" = g/r ] && continue # no repository: the top-level folder, which differs for a list
	got=$(field "$file" glist.jsonl repo)
	[ "$got" = "$want" ] && ok || bad "$file (listed): repository '$got', expected '$want'"
done <<'EOF'
g/r/main/Dockerfile g/r/main
g/r/main/sub/mod/Dockerfile g/r/main/sub/mod
g/r/feature/app/Dockerfile g/r/feature
g/r/odd/x/Dockerfile g/r/odd
g/r/none/y/Dockerfile g/r
EOF

# ---- the build context: read when the conversion needs it, .dockerignore applied (a file or a link)
sample="$DS_SRC/samples/ctx-shebang" # COPY bin/serve; CMD ["serve"]: convertible only when bin/serve is readable
for d in plain ignored linked; do
	mkdir -p "c/$d"
	cp -r "$sample/Dockerfile" "$sample/bin" "$sample/public" "c/$d/"
done
printf 'bin\n' >c/ignored/.dockerignore
printf 'bin\n' >c/linked/ignore.txt
ln -s ignore.txt c/linked/.dockerignore
audit c >cwalk.jsonl 2>/dev/null
audit c/plain/Dockerfile c/ignored/Dockerfile c/linked/Dockerfile >cdirect.jsonl 2>/dev/null
while read -r d want; do
	got=$(field "c/$d/Dockerfile" cwalk.jsonl convertible)
	[ "$got" = "$want" ] && ok || bad "c/$d: convertible '$got', expected '$want'"
	got=$(field "c/$d/Dockerfile" cdirect.jsonl convertible)
	[ "$got" = "$want" ] && ok || bad "c/$d given directly: convertible '$got', expected '$want'"
done <<'EOF'
plain yes
ignored manual
linked manual
EOF

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
