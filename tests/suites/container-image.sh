#!/usr/bin/env bash
# labels: package
# The root Dockerfile, distill's own image (issue 14 §2). No container
# engine runs here, so it is checked as distill checks any Dockerfile:
#   - `distill lint` passes (exit 0, no error or warning) and
#     `distill convert --check` says it is already shell-free (exit 0);
#   - its final stage (distill inspect) runs as non-root on a distroless
#     static image, exec-form, the binary the build stage copies in, which
#     the build stage links statically with the same CMake options as
#     `make static`;
#   - .dockerignore keeps build folders out of the context.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
df=$src/Dockerfile
[ -f "$df" ] || { echo "FAIL: no Dockerfile at $src"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$bin" lint --no-shellcheck "$df" >"$tmp/lint" 2>&1; rc=$?
[ $rc -eq 0 ] && ok || { bad "distill lint exits $rc"; cat "$tmp/lint"; }
grep -Eq ': (error|warning): ' "$tmp/lint" && { bad "lint reports errors or warnings"; cat "$tmp/lint"; } || ok
if command -v shellcheck >/dev/null; then
	"$bin" lint "$df" >"$tmp/lint" 2>&1; rc=$?
	[ $rc -eq 0 ] && ok || { bad "distill lint with ShellCheck exits $rc"; cat "$tmp/lint"; }
fi
"$bin" convert --check "$df" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && ok || { bad "distill convert --check exits $rc"; cat "$tmp/err"; }
grep -q 'already shell-free' "$tmp/err" && ok || { bad "convert --check does not call it shell-free"; cat "$tmp/err"; }

"$bin" inspect --json "$df" >"$tmp/img" || bad "inspect failed"
python3 - "$tmp/img" "$df" <<'PY' && ok || bad "the final stage is not what it should be (above)"
import json, re, sys
img = json.load(open(sys.argv[1]))["image"]
text = open(sys.argv[2]).read()
errs = []
if not img["base"].startswith("gcr.io/distroless/static-"):
    errs.append("base %r is not distroless static" % img["base"])
if img["user"]["root"]:
    errs.append("runs as root")
if img["shell_form"]["entrypoint"] or not img["entrypoint"]:
    errs.append("ENTRYPOINT is not exec form")
copied = re.search(r"^COPY --from=build (\S+) (\S+)$", text, re.M)
if not copied or copied.group(2) != img["entrypoint"][0]:
    errs.append("ENTRYPOINT %r is not the binary copied from the build stage" % img["entrypoint"])
run = " ".join(re.findall(r"^RUN (?:.*\\\n)*.*$", text, re.M))
for flag in ("-DDS_STATIC=ON", "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_TESTING=OFF"):
    if flag not in run:
        errs.append("the build stage lacks " + flag)
for e in errs:
    print("   ", e)
sys.exit(1 if errs else 0)
PY
grep -q -- '-DDS_STATIC=ON' "$src/Makefile" && ok || bad "make static no longer builds with -DDS_STATIC=ON"
for d in build/ 'build-\*/' .git/; do
	grep -qx "$d" "$src/.dockerignore" && ok || bad ".dockerignore does not leave out $d"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
