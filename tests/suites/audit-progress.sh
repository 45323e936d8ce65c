#!/usr/bin/env bash
# labels: audit
# The audit progress bar under a pseudo-terminal (issue 15): a tree of 600
# copies of the bundled samples is audited with standard error on a pty of
# 40 and of 120 columns (Python's pty module). What reaches the terminal
# must be one line redrawn in place: no newline at all, every drawing
# "\r" + text + "\033[K" with the text narrower than the terminal, at least
# two drawings, the files counted, a rate and an ETA, the bar itself when
# there is room, and the line erased at the end. --quiet draws nothing.
# DISTILL_DEBUG_PROGRESS=1 makes distill draw at every chance instead of
# every 100 ms, so the drawings do not depend on the machine's speed.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DS_SRC="${DS_SRC:-$(cd "$here/../.." && pwd)}"
bin="${DS_BIN:-$DS_SRC/build/distill}"
command -v python3 >/dev/null || { echo "FAIL: python3 is needed (sh tools/deps.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$bin" "$DS_SRC/samples" "$tmp" <<'PY'
import os, pty, re, shutil, struct, sys, fcntl, termios
binary, samples, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
# 600 Dockerfiles: the samples, copied into 20 folders over and over
tree = os.path.join(tmp, "tree")
sources = sorted(os.path.join(samples, d, "Dockerfile") for d in os.listdir(samples)
                 if os.path.isfile(os.path.join(samples, d, "Dockerfile")))
nfiles = 600
for k in range(nfiles):
    d = os.path.join(tree, "r%02d" % (k % 20), "s%03d" % k)
    os.makedirs(d)
    shutil.copyfile(sources[k % len(sources)], os.path.join(d, "Dockerfile"))
fails, passes = [], 0

def run(cols, extra):
    out = os.path.join(tmp, "out-%d.jsonl" % cols)
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(2, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
            o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(o, 1)
            env = dict(os.environ, DISTILL_DEBUG_PROGRESS="1")
            os.execve(binary, [binary, "audit", "--format", "jsonl", "--no-timing", "-j", "1"] + extra + [tree], env)
        finally:
            os._exit(127)
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    lines = open(out, "rb").read().count(b"\n")
    return data, os.waitstatus_to_exitcode(status), lines

def check(ok, msg):
    global passes
    if ok:
        passes += 1
    else:
        fails.append(msg)

for cols in (40, 120):
    data, rc, lines = run(cols, [])
    check(rc in (0, 1), "%d columns: exit %d" % (cols, rc))
    check(lines == nfiles, "%d columns: %d reports for %d files" % (cols, lines, nfiles))
    check(b"\n" not in data, "%d columns: a newline reached the terminal: %r" % (cols, data[:200]))
    drawn = []
    for seg in data.split(b"\r")[1:]:
        if not seg.endswith(b"\x1b[K"):
            fails.append("%d columns: a drawing does not end by erasing the rest of the line: %r" % (cols, seg[:80]))
            break
        text = seg[:-3].decode("utf-8")
        if "\x1b" in text:
            fails.append("%d columns: an escape inside a drawing: %r" % (cols, text))
        if len(text) >= cols:
            fails.append("%d columns: a drawing of %d characters would wrap: %r" % (cols, len(text), text))
        if text:
            drawn.append(text)
    check(not data or data.split(b"\r")[0] == b"", "%d columns: output before the first carriage return" % cols)
    check(len(drawn) >= 2, "%d columns: %d drawings, expected several" % (cols, len(drawn)))
    check(all(re.search(r"\b[0-9]+/[0-9]+\+? files", t) for t in drawn), "%d columns: a drawing without its count" % cols)
    check(any("ETA " in t for t in drawn), "%d columns: no ETA in %r" % (cols, drawn[-3:]))
    check(any(re.search(r"^[0-9]+/%d files" % nfiles, t) or re.search(r"\] [0-9]+/%d files" % nfiles, t) for t in drawn),
          "%d columns: no drawing with the final total" % cols)
    check(data.endswith(b"\r\x1b[K"), "%d columns: the line is not erased at the end" % cols)
    if cols == 120:
        check(any(re.match(r"^\[[#.]{10,}\] ", t) for t in drawn), "120 columns: no bar in %r" % drawn[-3:])
        check(any(re.search(r"[0-9]+/s", t) for t in drawn), "120 columns: no rate")
    print("%d columns: %d drawings, e.g. %r" % (cols, len(drawn), drawn[len(drawn) // 2] if drawn else ""))

data, rc, lines = run(80, ["--quiet"])
check(data == b"", "--quiet still drew: %r" % data[:80])
for f in fails:
    print("FAIL:", f)
print("%d passed, %d failed" % (passes, len(fails)))
sys.exit(1 if fails else 0)
PY
