"""lspclient.py - a small LSP client for the tests and the benchmark of `distill lsp`.

It frames messages strictly (every byte the server writes on standard
output must be a "Content-Length: N" header block and its body), converts
between byte offsets and protocol positions independently of distill
(Python's own UTF-8 decoder; a byte that is not UTF-8 is one code unit),
and applies TextEdits as an editor would.
"""
import json
import os
import select
import subprocess
import time


class ProtocolError(Exception):
    pass


class Server:
    def __init__(self, argv, cwd=None, stderr=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr, cwd=cwd)
        self.buf = b""
        self.next_id = 1
        self.queue = []  # messages received but not yet expected

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send_body(self, body):
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, obj):
        self.send_body(json.dumps(obj).encode())

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params=None, raw_id=None):
        """Sends a request; returns its id (raw_id overrides the counter)."""
        rid = raw_id if raw_id is not None else self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def _read_message(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                header = self.buf[:end]
                if not header.startswith(b"Content-Length: ") or b"\r\n" in header:
                    raise ProtocolError("not a protocol header on stdout: %r" % self.buf[:80])
                n = int(header[len(b"Content-Length: "):])
                if len(self.buf) >= end + 4 + n:
                    body = self.buf[end + 4:end + 4 + n]
                    self.buf = self.buf[end + 4 + n:]
                    try:
                        return json.loads(body)
                    except ValueError as e:
                        raise ProtocolError("a body that is not JSON: %s: %r" % (e, body[:80]))
            elif len(self.buf) > 64 and not self.buf.startswith(b"Content-Length: "):
                raise ProtocolError("not a protocol header on stdout: %r" % self.buf[:80])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 1 << 16)
            if not chunk:
                if self.buf:
                    raise ProtocolError("output ends inside a message: %r" % self.buf[:80])
                return None
            self.buf += chunk

    def wait_for(self, pred, timeout=30):
        """The first message (queued or new) for which pred is true, or None."""
        for i, m in enumerate(self.queue):
            if pred(m):
                return self.queue.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(max(0.0, deadline - time.monotonic()))
            if m is None:
                return None
            if pred(m):
                return m
            self.queue.append(m)

    def response(self, rid, timeout=30):
        return self.wait_for(lambda m: "method" not in m and m.get("id") == rid, timeout)

    def call(self, method, params=None):
        return self.response(self.request(method, params))

    def diagnostics(self, uri, version=None, timeout=30):
        def pred(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)
        m = self.wait_for(pred, timeout)
        return m["params"] if m else None

    def drain(self, timeout=0.3):
        """Everything that arrives within timeout, plus the queue."""
        out = self.queue
        self.queue = []
        while True:
            m = self._read_message(timeout)
            if m is None:
                return out
            out.append(m)

    def close(self, timeout=10):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


def lsp_lines(text):
    """Byte offsets of the starts of the protocol's lines (\\n, \\r\\n and \\r end a line)."""
    starts = [0]
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == 0x0A:
            starts.append(i + 1)
        elif c == 0x0D:
            if i + 1 < n and text[i + 1] == 0x0A:
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


def _units(b, enc):
    s = b.decode("utf-8", "surrogateescape")
    if enc == "utf-8":
        return len(b)
    if enc == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _line_end(text, starts, k):
    e = starts[k + 1] if k + 1 < len(starts) else len(text)
    if e > starts[k] and text[e - 1:e] == b"\n":
        e -= 1
    if e > starts[k] and text[e - 1:e] == b"\r":
        e -= 1
    return e


def position(text, off, enc="utf-16"):
    """The protocol position of byte offset off of text (bytes)."""
    starts = lsp_lines(text)
    k = max(i for i, s in enumerate(starts) if s <= off)
    off = min(off, _line_end(text, starts, k))
    return {"line": k, "character": _units(text[starts[k]:off], enc)}


def offset(text, pos, enc="utf-16"):
    """The byte offset of protocol position pos in text (bytes); never inside a code point."""
    starts = lsp_lines(text)
    if pos["line"] >= len(starts):
        return len(text)
    i = starts[pos["line"]]
    e = _line_end(text, starts, pos["line"])
    units = 0
    for ch in text[i:e].decode("utf-8", "surrogateescape"):
        nbytes = 1 if 0xDC80 <= ord(ch) <= 0xDCFF else len(ch.encode("utf-8"))
        u = _units(ch.encode("utf-8", "surrogateescape"), enc)
        if units + u > pos["character"]:
            break
        units += u
        i += nbytes
    return i


def apply_edits(text, edits, enc="utf-16"):
    """text (bytes) with TextEdits applied, as the protocol defines (ranges refer to the original)."""
    spans = []
    for k, e in enumerate(edits):
        a = offset(text, e["range"]["start"], enc)
        b = offset(text, e["range"]["end"], enc)
        spans.append((a, b, k, e["newText"].encode("utf-8", "surrogateescape")))
    spans.sort(key=lambda s: (s[0], s[2]))
    out = []
    pos = 0
    for a, b, _, t in spans:
        if a < pos:
            raise ProtocolError("overlapping edits")
        out.append(text[pos:a])
        out.append(t)
        pos = b
    out.append(text[pos:])
    return b"".join(out)


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))
