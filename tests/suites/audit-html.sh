#!/usr/bin/env bash
# labels: audit shared
# The HTML audit report in a real browser (issue 15): the report of a
# 2,000-file stress tree (../shared/tools/make-stress-tree.sh) is loaded in
# Debian's headless Chromium (tools/deps.sh installs it). The page must load
# with no console message and no network request (Chromium's log and its
# net log, read by tests/suites/html_check.py), its headline figures and
# verdict legend must equal the JSON Lines totals, it must hold its charts
# and no element that loads anything, and --merge of the shards' JSON Lines
# must give the same page. A page with a console error and an image from
# the network must be caught by the same checks (so they can fail).
# Screenshots are left as CI artifacts: build/audit-report.png (1280 wide)
# and build/audit-report-phone.png (390 wide). Needs ../shared beside the
# checkout; without it, or without chromium, the test fails, never skips.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
DS_BUILD="${DS_BUILD:-$DS_SRC/build}"
DS_SHARED="${DS_SHARED:-$DS_SRC/../shared}"
bin="${DS_BIN:-$DS_BUILD/distill}"
maker="$DS_SHARED/tools/make-stress-tree.sh"
checker="$here/html_check.py"
if [ ! -f "$maker" ]; then
	echo "shared data not found at $DS_SHARED (tools/make-stress-tree.sh); this test needs ../shared beside the checkout"
	echo "0 passed, 1 failed"
	exit 1
fi
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || ! command -v python3 >/dev/null; then
	echo "FAIL: chromium and python3 are needed (sh tools/deps.sh installs them)"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

# headless Chromium with a fresh profile, nothing of its own to fetch that can be turned off
browse() { # browse PAGE OUT-STEM EXTRA-ARGS...
	local page=$1 stem=$2
	shift 2
	rm -rf "$tmp/profile"
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-extensions --disable-default-apps \
		--no-pings --disable-domain-reliability --disable-features=NetworkTimeServiceQuerying,Translate,MediaRouter \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 --log-net-log="$stem.netlog" \
		"$@" "file://$page" >"$stem.out" 2>"$stem.log"
}

bash "$maker" -L "$tmp/tree" 2000 >/dev/null 2>&1 || { echo "FAIL: make-stress-tree.sh failed"; echo "0 passed, 1 failed"; exit 1; }
cd "$tmp" || exit 1
timeout 300 "$bin" audit --no-timing -q --format jsonl tree >report.jsonl
check "jsonl of 2000 files" test "$(wc -l <report.jsonl)" -eq 2000
timeout 300 "$bin" audit --no-timing -q --format html -o report.html tree
check "html written" test -s report.html
for k in 1 2 3; do
	timeout 300 "$bin" audit --no-timing -q --format jsonl --shard "$k/3" tree >"shard$k.jsonl"
done
timeout 60 "$bin" audit --merge --no-timing --format html shard3.jsonl shard1.jsonl shard2.jsonl >merged.html
check "--merge of three shards gives the same page" cmp -s merged.html report.html

browse "$tmp/report.html" "$tmp/page" --dump-dom
check "chromium loaded the page" grep -q 'id="fig-files"' page.out
if python3 "$checker" page page.log page.netlog; then ok; else bad "the page logged to the console or used the network"; fi
if python3 "$checker" figures page.out report.jsonl; then ok; else bad "the page's figures differ from the JSON Lines"; fi

# the same checks catch a page that errs and fetches (they can fail)
cat >"$tmp/control.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head>
<body><img src="http://127.0.0.1:9/x.png"><script>console.error("control error")</script></body></html>
EOF
browse "$tmp/control.html" "$tmp/control" --dump-dom
python3 "$checker" page control.log control.netlog >control.verdict
check "control page: its console error is caught" grep -q 'console message: .*control error' control.verdict
check "control page: its network request is caught" grep -q 'network request by the page: http://127.0.0.1:9/x.png' control.verdict

# screenshots for people (CI artifacts): a desktop and a phone
rm -f "$DS_BUILD/audit-report.png" "$DS_BUILD/audit-report-phone.png"
browse "$tmp/report.html" "$tmp/shot" --hide-scrollbars --window-size=1280,2400 --screenshot="$DS_BUILD/audit-report.png"
if python3 "$checker" png "$DS_BUILD/audit-report.png" 1280; then ok; else bad "no desktop screenshot"; fi
browse "$tmp/report.html" "$tmp/phone" --hide-scrollbars --window-size=390,2400 --screenshot="$DS_BUILD/audit-report-phone.png"
if python3 "$checker" png "$DS_BUILD/audit-report-phone.png" 390; then ok; else bad "no phone screenshot"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
