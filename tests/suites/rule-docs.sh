#!/usr/bin/env bash
# labels: unit
# docs/rules/ is what tools/rule_docs.c writes from rules/rules.def (one page a
# rule, SC.md, README.md), and `distill rules` finds every rule by code, slug
# and BuildKit name and points ShellCheck codes to ShellCheck's wiki.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
bin=${DS_BIN:-$DS_BUILD/distill}
gen="$DS_BUILD/ds_rule_docs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
[ -x "$gen" ] || { echo "FAIL: $gen is not built"; echo "0 passed, 1 failed"; exit 1; }
"$gen" "$tmp" && ok || bad "rule_docs failed"
if diff -r "$tmp" "$DS_SRC/docs/rules" >"$tmp.diff" 2>&1; then ok; else
	bad "docs/rules is not what rules/rules.def says; run: sh tools/gen-rule-docs.sh"
	head -20 "$tmp.diff"
fi
rm -f "$tmp.diff"
n=$("$bin" rules | wc -l)
[ "$(ls "$DS_SRC/docs/rules" | wc -l)" -eq $((n + 2)) ] && ok || bad "docs/rules has no page for some of the $n rules"
# by code, slug and BuildKit name, any case
for name in DL3008 pin-apt dl3008 StageNameCasing stage-name-casing no-maintainer; do
	"$bin" rules "$name" >"$tmp/out" 2>&1 && ok || bad "distill rules $name: $(cat "$tmp/out")"
done
"$bin" rules MaintainerDeprecated | grep -q 'The same finding as DL4000' && ok || bad "MaintainerDeprecated does not name DL4000"
"$bin" rules DL4000 | grep -q 'MaintainerDeprecated' && ok || bad "DL4000 does not name MaintainerDeprecated"
"$bin" rules SC2086 | grep -q 'https://www.shellcheck.net/wiki/SC2086' && ok || bad "SC2086 does not point to ShellCheck's wiki"
"$bin" rules SC | grep -q 'hadolint' && ok || bad "distill rules SC does not say how distill differs from hadolint"
"$bin" rules NOPE >/dev/null 2>&1; [ $? = 2 ] && ok || bad "an unknown name does not exit 2"
# every rule's SARIF metadata has its helpUri, a page of docs/rules
printf 'FROM alpine:3.20\n' >"$tmp/Dockerfile"
"$bin" lint --no-shellcheck -f sarif "$tmp/Dockerfile" >"$tmp/sarif"
python3 - "$tmp/sarif" "$DS_SRC/docs/rules" <<'PY' && ok || bad "SARIF helpUri"
import json, os, sys
d = json.load(open(sys.argv[1]))
rules = d["runs"][0]["tool"]["driver"]["rules"]
for r in rules:
    uri = r["helpUri"]
    assert uri.endswith("/" + r["id"] + ".md"), uri
    assert os.path.exists(os.path.join(sys.argv[2], r["id"] + ".md")), r["id"]
PY
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
