#!/usr/bin/env python3
"""html_check.py - what headless Chromium saw when it loaded a page (used by audit-html.sh).

    html_check.py page LOG NETLOG            console messages and network requests of the page
    html_check.py figures DOM JSONL           the page's headline figures against the JSON Lines totals
    html_check.py png FILE WIDTH              FILE is a PNG WIDTH pixels wide

LOG is Chromium's stderr with --enable-logging=stderr: every console message
of the page (log, warning, error, an uncaught exception, a Content Security
Policy refusal) is a line with "CONSOLE". NETLOG is --log-net-log's JSON:
every URL request with the page as its initiator or in the page's network
partition (file://) is a request the page made; Chromium's own background
requests (component updates, accounts) are attributed to the browser and
are not the page's. Prints what is wrong and exits 1, or exits 0.
Only the standard library.
"""
import json
import re
import struct
import sys
from html.parser import HTMLParser


def page(log_path, netlog_path):
    fails = []
    for line in open(log_path, encoding="utf-8", errors="replace"):
        if "CONSOLE" in line:
            fails.append("console message: " + line.strip()[:200])
    with open(netlog_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # a net log cut short by the browser's exit lacks its closing brackets
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for e in log.get("events", []):
        if types.get(e.get("type")) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        url = p.get("url", "")
        if re.match(r"^(file|data|chrome|about):", url):
            continue
        mine = p.get("initiator") not in (None, "not an origin") or "file://" in p.get("network_isolation_key", "")
        if mine:
            fails.append("network request by the page: " + url[:200])
    return fails


class Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cards = {}
        self.legend = {}
        self.tags = set()
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self.svgs += tag == "svg"
        if a.get("class") == "fig" and a.get("id", "").startswith("fig-"):
            self.cards[a["id"][4:]] = int(a["data-n"])
        if tag == "li" and "data-verdict" in a:
            self.legend[a["data-verdict"]] = int(a["data-n"])
        for k in ("src", "srcset", "poster", "data"):
            if k in a:
                self.tags.add("external:" + k)


def figures(dom_path, jsonl_path):
    fails = []
    counts = {}
    n = 0
    for line in open(jsonl_path, encoding="utf-8"):
        o = json.loads(line)
        counts[o["convertible"]] = counts.get(o["convertible"], 0) + 1
        n += 1
    f = Figures()
    f.feed(open(dom_path, encoding="utf-8").read())
    want = {
        "files": n,
        "nothing": counts.get("nothing", 0),
        "yes": counts.get("yes", 0),
        "accept": counts.get("accept", 0),
        "manual": counts.get("manual", 0),
        "no-runtime": counts.get("no-runtime", 0),
        "errors": sum(counts.get(k, 0) for k in ("error", "unreadable", "not-dockerfile")),
    }
    if f.cards != want:
        fails.append("headline figures %r, JSON Lines say %r" % (f.cards, want))
    verdicts = ("nothing", "yes", "accept", "manual", "no-runtime", "not-dockerfile", "unreadable", "error")
    want_legend = {k: counts.get(k, 0) for k in verdicts}
    if f.legend != want_legend:
        fails.append("verdict legend %r, JSON Lines say %r" % (f.legend, want_legend))
    if f.svgs < 4:
        fails.append("%d SVG charts, expected at least 4" % f.svgs)
    for bad in ("script", "link", "iframe", "object", "embed", "img"):
        if bad in f.tags:
            fails.append("the page has a <%s> element" % bad)
    if any(t.startswith("external:") for t in f.tags):
        fails.append("the page has an element that loads a resource")
    return fails


def png(path, width):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return ["%s is not a PNG" % path]
    w, h = struct.unpack(">II", head[16:24])
    if w != int(width) or h < 100:
        return ["%s is %dx%d, expected width %s" % (path, w, h, width)]
    return []


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    fails = {"page": page, "figures": figures, "png": png}[cmd](*args)
    for f in fails:
        print("FAIL:", f)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
