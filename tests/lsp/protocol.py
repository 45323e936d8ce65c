#!/usr/bin/env python3
"""protocol.py - drives `distill lsp` through scripted sessions and checks every message it sends.

usage: protocol.py DISTILL SRCDIR

Each session is a sequence of messages an editor would send; every response
and notification the server writes is checked, and a message nobody
expected is a failure. Diagnostics are compared with what `distill lint
--format json` reports for the same bytes, turned into protocol positions by
lspclient.py (Python's UTF-8 decoder, not distill's), so the byte-to-UTF-16
conversion is checked on every finding.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import (ProtocolError, Server, apply_edits, file_uri, position)  # noqa: E402

DISTILL = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
passed = failed = 0


def check(ok, what, detail=None):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s%s" % (what, (": %s" % detail) if detail is not None else ""))
    return ok


SEVERITY = {"error": 1, "warning": 2, "info": 3, "style": 4}


def lint_expected(path, text, enc="utf-16"):
    """The diagnostics lint reports for text, as protocol diagnostics (sorted tuples)."""
    with open(path, "wb") as f:
        f.write(text)
    r = subprocess.run([DISTILL, "lint", "--no-shellcheck", "--format", "json", path],
                       capture_output=True)
    recs = json.loads(r.stdout or b"[]")
    out = []
    starts = None
    for rec in recs:
        line, col = rec["line"], rec["column"]
        eline, ecol = rec.get("end_line", line), rec.get("end_column", col)
        if line == 0:
            rng = ((0, 0), (0, 0))
        else:
            rng = (pos_of(text, line, col, enc), pos_of(text, eline, ecol, enc))
        sev = rec.get("severity") or rec.get("level")
        out.append((rec["code"], SEVERITY.get(sev, 3), rng, rec["message"]))
    del starts
    return sorted(out)


def pos_of(text, line, col, enc):
    """Protocol position of lint's 1-based line and byte column (lines as distill counts them: LF)."""
    off = 0
    for _ in range(line - 1):
        off = text.index(b"\n", off) + 1
    p = position(text, off + col - 1, enc)
    return (p["line"], p["character"])


def got_diags(params):
    out = []
    for d in params["diagnostics"]:
        r = d["range"]
        rng = ((r["start"]["line"], r["start"]["character"]), (r["end"]["line"], r["end"]["character"]))
        out.append((d.get("code"), d["severity"], rng, d["message"]))
    return sorted(out)


def check_diag_shape(params, what):
    for d in params["diagnostics"]:
        code = d.get("code")
        if code is None:
            continue
        href = d.get("codeDescription", {}).get("href", "")
        want = "https://www.shellcheck.net/wiki/" if code.startswith("SC") else "docs/rules/%s.md" % code
        if not check(href.startswith(want) or href.endswith(want), "%s: codeDescription.href of %s" % (what, code), href):
            return
        if not check(d.get("source") == ("shellcheck" if code.startswith("SC") else "distill"),
                     "%s: source of %s" % (what, code), d.get("source")):
            return


def expect_error(srv, rid, code, what):
    m = srv.response(rid)
    check(m is not None and m.get("error", {}).get("code") == code and "result" not in m,
          "%s: error %d" % (what, code), m)
    return m


def start(tmp, *args):
    log = open(os.path.join(tmp, "stderr.log"), "ab")
    return Server([DISTILL, "lsp", *args], cwd=tmp, stderr=log)


CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "quickfix", "refactor", "refactor.rewrite", "source"]}}, "disabledSupport": True},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "publishDiagnostics": {"codeDescriptionSupport": True},
    },
    "workspace": {"workspaceEdit": {"documentChanges": True}, "workspaceFolders": True},
}


def initialize(srv, tmp, caps=CAPS, options=None):
    params = {"processId": os.getpid(), "rootUri": file_uri(tmp), "capabilities": caps,
              "workspaceFolders": [{"uri": file_uri(tmp), "name": "t"}]}
    if options is not None:
        params["initializationOptions"] = options
    m = srv.call("initialize", params)
    srv.notify("initialized", {})
    return m


def main_session(tmp):
    srv = start(tmp)
    # before initialize: requests are refused, notifications dropped
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///x", "languageId": "dockerfile",
                                                         "version": 1, "text": "FROM a\n"}})
    expect_error(srv, srv.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                                         "position": {"line": 0, "character": 0}}),
                 -32002, "hover before initialize")
    # malformed messages get JSON-RPC errors and the server keeps going
    srv.send_body(b'{"jsonrpc": "2.0", "id": 99, "method": ')
    m = srv.wait_for(lambda m: m.get("error", {}).get("code") == -32700)
    check(m is not None and m["id"] is None, "a body that is not JSON: parse error with id null", m)
    srv.send_raw(b"X-Header: 1\r\n\r\n{}")
    m = srv.wait_for(lambda m: m.get("error", {}).get("code") == -32700)
    check(m is not None and "Content-Length" in m["error"]["message"], "a header block without Content-Length", m)
    srv.send_body(b'[1, 2]')
    m = srv.wait_for(lambda m: m.get("error", {}).get("code") == -32600)
    check(m is not None and m["id"] is None, "a batch (array): invalid request", m)
    srv.send_body(b'{"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"}')
    m = srv.wait_for(lambda m: m.get("error", {}).get("code") == -32600)
    check(m is not None and m["id"] is None, "an object as id: invalid request", m)

    init = initialize(srv, tmp)
    caps = (init or {}).get("result", {}).get("capabilities", {})
    check(caps.get("positionEncoding") == "utf-16", "initialize: positionEncoding utf-16", caps.get("positionEncoding"))
    check(caps.get("textDocumentSync", {}).get("change") == 2, "initialize: incremental sync", caps.get("textDocumentSync"))
    check(caps.get("textDocumentSync", {}).get("openClose") is True, "initialize: openClose")
    check(caps.get("hoverProvider") is True, "initialize: hover")
    check("refactor.rewrite" in caps.get("codeActionProvider", {}).get("codeActionKinds", []), "initialize: code action kinds")
    check(caps.get("documentSymbolProvider") is True and caps.get("definitionProvider") is True,
          "initialize: symbols and definition")
    check("-" in caps.get("completionProvider", {}).get("triggerCharacters", []), "initialize: completion triggers")
    check(init["result"].get("serverInfo", {}).get("name") == "distill", "initialize: serverInfo")
    expect_error(srv, srv.request("initialize", {"capabilities": {}}), -32600, "a second initialize")
    expect_error(srv, srv.request("textDocument/formatting", {}), -32601, "an unknown method")
    srv.notify("$/unknownNotification", {})  # ignored, no reply
    srv.request("shutdown", None, raw_id="str-id")
    # (a string id is echoed; shutdown is answered, so this session continues on a new server below)
    m = srv.response("str-id")
    check(m is not None and m.get("result", 0) is None, "shutdown with a string id: result null", m)
    expect_error(srv, srv.request("textDocument/hover", {}), -32600, "a request after shutdown")
    srv.notify("exit", None)
    rc = srv.p.wait(10)
    check(rc == 0, "exit after shutdown: status 0", rc)
    check(not srv.drain(0.1), "nothing unexpected from the first server", srv.queue)

    # ---- a real session ----
    srv = start(tmp)
    initialize(srv, tmp)
    with open(os.path.join(SRC, "samples/w2-root-volume/Dockerfile"), "rb") as f:
        sample = f.read()
    path = os.path.join(tmp, "w2", "Dockerfile")
    os.makedirs(os.path.dirname(path))
    uri = file_uri(path)
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": sample.decode()}})
    p = srv.diagnostics(uri, 1)
    check(p is not None, "didOpen: diagnostics published")
    check(got_diags(p) == lint_expected(os.path.join(tmp, "w2", "lint.Dockerfile"), sample),
          "didOpen: the diagnostics lint reports", got_diags(p))
    check("DST206" not in [d.get("code") for d in p["diagnostics"]], "the .distill.yaml of the folder applies (DST206 ignored)")
    check_diag_shape(p, "didOpen")

    # hover: the keyword, the finding, the image and the stage's configuration
    from_line = sample.split(b"\n").index(b"FROM alpine:3.20")
    m = srv.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": from_line, "character": 1}})
    res = (m or {}).get("result") or {}
    check(res.get("contents", {}).get("kind") == "markdown" and res["contents"]["value"].startswith("**FROM**"),
          "hover on FROM: the instruction's meaning", res)
    check(res.get("range") == {"start": {"line": from_line, "character": 0}, "end": {"line": from_line, "character": 4}},
          "hover on FROM: the keyword's range", res.get("range"))
    m = srv.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": from_line, "character": 8}})
    v = ((m or {}).get("result") or {}).get("contents", {}).get("value", "")
    for want in ("**DST201** `final-stage-has-shell`", "distill convert: converted",
                 "gcr.io/distroless/static-debian12", "**Image `alpine:3.20`**", "- shell: yes",
                 "A container of stage 1 runs", '- command: `["server", "--data", "/data"]`', "- volumes: `/data`"):
        check(want in v, "hover on the image: %r" % want, v)

    # the conversion: convert's own edits, equal to `distill convert`
    m = srv.call("textDocument/codeAction", {"textDocument": {"uri": uri},
                                             "range": {"start": {"line": from_line, "character": 6},
                                                       "end": {"line": from_line, "character": 6}},
                                             "context": {"diagnostics": []}})
    actions = (m or {}).get("result") or []
    conv = [a for a in actions if a["title"].startswith("Convert final stage to distroless")]
    if check(len(conv) == 1, "code action: one conversion offered", [a["title"] for a in actions]):
        a = conv[0]
        check(a["kind"] == "refactor.rewrite", "conversion kind", a["kind"])
        dc = a["edit"]["documentChanges"][0]
        check(dc["textDocument"] == {"uri": uri, "version": 1}, "conversion: a versioned edit of the document", dc["textDocument"])
        converted = apply_edits(sample, dc["edits"])
        want = subprocess.run([DISTILL, "convert", os.path.join(SRC, "samples/w2-root-volume/Dockerfile")],
                              capture_output=True).stdout
        check(converted == want, "conversion: the edits give `distill convert`'s output", converted)
        check(a["command"]["command"] == "distill.showExplanation", "conversion: the explanation command", a.get("command"))
        rid = srv.request("workspace/executeCommand", {"command": a["command"]["command"],
                                                         "arguments": a["command"]["arguments"]})
        shown = srv.wait_for(lambda m: m.get("method") == "window/showMessage")
        check(shown is not None and shown["params"]["message"].startswith("distill convert: converted onto 'gcr.io/distroless/static-debian12"),
              "executeCommand: convert's explanation shown", shown)
        m = srv.response(rid)
        check(m is not None and m.get("result", 0) is None, "executeCommand: result null", m)
    ignores = [a["title"] for a in actions if a["title"].startswith("Ignore DST201")]
    check(ignores == ["Ignore DST201 on this instruction (# distill ignore=DST201)",
                      "Ignore DST201 in this file (# distill global ignore=DST201)"],
          "code action: ignore pragmas for DST201", ignores)
    expect_error(srv, srv.request("workspace/executeCommand", {"command": "rm -rf"}), -32602, "an unknown command")

    # ---- changes: full, then incremental, with characters beyond ASCII ----
    text = ("ARG BASE=node:22-alpine\n"
            "FROM ${BASE} AS build\n"
            "LABEL description=\"caf\u00e9 \u2615 \U0001F600\" version=$app_version\n"
            "WORKDIR /app\n"
            "COPY . .\n"
            "RUN npm ci\n"
            "FROM node:22-alpine\n"
            "COPY --from=build /app /app\n"
            "CMD node /app/index.js\n").encode()
    lint_path = os.path.join(tmp, "w2", "lint.Dockerfile")
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                          "contentChanges": [{"text": text.decode()}]})
    p = srv.diagnostics(uri, 2)
    got = got_diags(p)
    check(got == lint_expected(lint_path, text), "full change: the diagnostics lint reports", got)
    dst304 = [d for d in p["diagnostics"] if d.get("code") == "DST304"]
    # 'version=$app_version' after an e-acute, a BMP symbol and an emoji (a surrogate pair)
    check(len(dst304) == 1 and dst304[0]["range"]["start"] == {"line": 2, "character": 38},
          "full change: a UTF-16 column after multi-byte characters", dst304)

    # incremental: rename the variable, addressed in UTF-16 units
    if dst304:
        r = dst304[0]["range"]
        start_c = r["start"]["character"] + 1  # after '$'
        change = {"range": {"start": {"line": 2, "character": start_c}, "end": r["end"]}, "text": "app_versoin"}
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [change]})
        text = apply_edits(text, [{"range": change["range"], "newText": change["text"]}])
        check(b"version=$app_versoin\"" not in text and b"version=$app_versoin\n" in text, "the client's own edit")
        p = srv.diagnostics(uri, 3)
        got = got_diags(p)
        check(got == lint_expected(lint_path, text), "incremental change: the diagnostics lint reports", got)
        check(any("'app_versoin'" in d["message"] for d in p["diagnostics"]),
              "incremental change: the server replaced the same characters", [d["message"] for d in p["diagnostics"]])

    # two changes in one notification, applied in order
    changes = [{"range": {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 12}}, "text": "srv"},
               {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "# x\n"}]
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": changes})
    for c in changes:
        text = apply_edits(text, [{"range": c["range"], "newText": c["text"]}])
    p = srv.diagnostics(uri, 4)
    check(got_diags(p) == lint_expected(lint_path, text), "two changes in one didChange", got_diags(p))
    check(b"# x\nWORKDIR /srv\n" in text, "the client's own two edits")

    # quick fix: shell-form CMD to exec form, then sent back as the client would
    lines = text.split(b"\n")
    cmd_line = lines.index(b"CMD node /app/index.js")
    m = srv.call("textDocument/codeAction", {"textDocument": {"uri": uri},
                                             "range": {"start": {"line": cmd_line, "character": 0},
                                                       "end": {"line": cmd_line, "character": 3}},
                                             "context": {"diagnostics": [], "only": ["quickfix"]}})
    actions = (m or {}).get("result") or []
    check(all(a["kind"] == "quickfix" for a in actions), "context.only filters the kinds", [a["kind"] for a in actions])
    fix = [a for a in actions if a["title"].startswith("Use exec form")]
    if check(len(fix) == 1 and fix[0].get("isPreferred") is True and fix[0]["diagnostics"][0]["code"] == "DL3025",
             "code action: exec form for DL3025", [a["title"] for a in actions]):
        edits = fix[0]["edit"]["documentChanges"][0]["edits"]
        text2 = apply_edits(text, edits)
        check(b'\nCMD ["node", "/app/index.js"]\n' in text2, "exec form: the edited line", text2)
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                              "contentChanges": [{"range": e["range"], "text": e["newText"]} for e in edits]})
        text = text2
        p = srv.diagnostics(uri, 5)
        check("DL3025" not in [d.get("code") for d in p["diagnostics"]], "exec form: DL3025 is gone", got_diags(p))
        check(got_diags(p) == lint_expected(lint_path, text), "exec form: the diagnostics lint reports")

    # the ignore pragma for DST304, applied: the finding goes, and a second code joins the same line
    label_line = [i for i, l in enumerate(text.split(b"\n")) if l.startswith(b"LABEL")][0]
    m = srv.call("textDocument/codeAction", {"textDocument": {"uri": uri},
                                             "range": {"start": {"line": label_line, "character": 40},
                                                       "end": {"line": label_line, "character": 40}},
                                             "context": {"diagnostics": []}})
    acts = [a for a in (m or {}).get("result") or [] if a["title"].startswith("Ignore DST304 on this")]
    if check(len(acts) == 1 and "isPreferred" not in acts[0], "code action: ignore DST304 (not preferred)"):
        edits = acts[0]["edit"]["documentChanges"][0]["edits"]
        text2 = apply_edits(text, edits)
        check(b"\n# distill ignore=DST304\nLABEL" in text2, "ignore: the pragma line above the instruction", text2)
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6},
                                              "contentChanges": [{"text": text2.decode()}]})
        text = text2
        p = srv.diagnostics(uri, 6)
        check("DST304" not in [d.get("code") for d in p["diagnostics"]], "ignore: DST304 is gone", got_diags(p))

    # document symbols: stages with their instructions
    m = srv.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    syms = (m or {}).get("result") or []
    check([s["name"] for s in syms] == ["ARG", "build", "stage 1"], "symbols: the global ARG and the stages",
          [s["name"] for s in syms])
    if len(syms) == 3:
        check([c["name"] for c in syms[1]["children"]] == ["LABEL", "WORKDIR", "COPY", "RUN"],
              "symbols: the instructions of stage build", [c["name"] for c in syms[1]["children"]])
        check(syms[2]["detail"] == "FROM node:22-alpine (final stage)", "symbols: the final stage's detail", syms[2]["detail"])
        check(syms[1]["selectionRange"]["start"]["character"] == 16, "symbols: a stage is selected at its name",
              syms[1]["selectionRange"])

    # go to definition: a stage, a variable
    lines = text.split(b"\n")
    copy_line = lines.index(b"COPY --from=build /app /app")
    m = srv.call("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": copy_line, "character": 14}})
    check((m or {}).get("result") == {"uri": uri, "range": {"start": {"line": 1, "character": 16},
                                                            "end": {"line": 1, "character": 21}}},
          "definition: COPY --from=build goes to 'AS build'", m)
    m = srv.call("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}})
    check((m or {}).get("result") == {"uri": uri, "range": {"start": {"line": 0, "character": 4},
                                                            "end": {"line": 0, "character": 23}}},
          "definition: ${BASE} goes to the global ARG", m)
    m = srv.call("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}})
    check(m is not None and m.get("result", 0) is None, "definition: nothing under the cursor", m)
    m = srv.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}})
    v = ((m or {}).get("result") or {}).get("contents", {}).get("value", "")
    check("`BASE` (ARG, line 1) = `node:22-alpine`" in v, "hover on ${BASE}: its definition and value", v)

    # completion: keywords, flags, stage names, variables
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 7}, "contentChanges": [
        {"range": {"start": {"line": len(lines) - 1, "character": 0}, "end": {"line": len(lines) - 1, "character": 0}},
         "text": "COPY --"}]})
    srv.diagnostics(uri, 7)
    last = len(lines) - 1

    def labels(line, ch):
        m = srv.call("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}})
        return [i["label"] for i in ((m or {}).get("result") or {}).get("items", [])]

    got = labels(last, 7)
    check(got == ["--from=", "--chown=", "--chmod=", "--link=", "--parents=", "--exclude="], "completion: COPY's flags", got)
    got = labels(last, 0)
    check("FROM" in got and "HEALTHCHECK" in got and "UNKNOWN" not in got, "completion: instruction keywords", got)
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 8}, "contentChanges": [
        {"range": {"start": {"line": last, "character": 7}, "end": {"line": last, "character": 7}}, "text": "from="}]})
    srv.diagnostics(uri, 8)
    got = labels(last, 12)
    check(got == ["build"], "completion: stage names after --from=", got)
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9}, "contentChanges": [
        {"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 12}}, "text": "ENV X=$"}]})
    srv.diagnostics(uri, 9)
    got = labels(last, 7)
    check(got == [], "completion: no ARG of another stage, no global ARG undeclared in the stage", got)

    # errors on requests: no position, a document that is not open
    expect_error(srv, srv.request("textDocument/hover", {"textDocument": {"uri": uri}}), -32602, "hover without a position")
    expect_error(srv, srv.request("textDocument/hover", {"textDocument": {"uri": uri + "x"},
                                                         "position": {"line": 0, "character": 0}}),
                 -32602, "hover on a document that is not open")
    expect_error(srv, srv.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                         "position": {"line": -1, "character": 0}}),
                 -32602, "hover at a negative line")

    # a document that does not parse still gets diagnostics
    broken = os.path.join(tmp, "w2", "broken.Dockerfile")
    buri = file_uri(broken)
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": buri, "languageId": "dockerfile", "version": 1,
                                                         "text": "FROM alpine:3.20\nRUN <<EOF\necho hi\n"}})
    p = srv.diagnostics(buri, 1)
    msgs = [(d.get("code"), d["severity"], d["message"]) for d in p["diagnostics"]]
    check((None, 1, "unterminated heredoc") in msgs, "a file that does not parse: BuildKit's error", msgs)
    check("DST201" in [c for c, _, _ in msgs], "a file that does not parse: the rules on what was read", msgs)
    srv.notify("textDocument/didClose", {"textDocument": {"uri": buri}})
    p = srv.diagnostics(buri)
    check(p is not None and p["diagnostics"] == [], "didClose: the diagnostics are cleared", p)

    # bytes that are not UTF-8, as a client that keeps raw bytes sends them
    raw = os.path.join(tmp, "w2", "raw.Dockerfile")
    ruri = file_uri(raw)
    body = (b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"' + ruri.encode() +
            b'","languageId":"dockerfile","version":1,"text":"FROM scratch\\nLABEL a=\xff\xe2\x82 b=$undefined_x\\n"}}}')
    srv.send_body(body)
    p = srv.diagnostics(ruri, 1)
    rtext = b"FROM scratch\nLABEL a=\xff\xe2\x82 b=$undefined_x\n"
    check(got_diags(p) == lint_expected(os.path.join(tmp, "w2", "raw-lint.Dockerfile"), rtext),
          "invalid UTF-8: the diagnostics lint reports, one unit a byte", got_diags(p))
    d304 = [d for d in p["diagnostics"] if d.get("code") == "DST304"]
    check(len(d304) == 1 and d304[0]["range"]["start"]["character"] == 14, "invalid UTF-8: column of $undefined_x", d304)

    # a configuration that cannot be used is said so, and the defaults apply
    bad = os.path.join(tmp, "badcfg")
    os.makedirs(bad)
    with open(os.path.join(bad, ".distill.yaml"), "w") as f:
        f.write("ignored: [NOPE999]\n")
    curi = file_uri(os.path.join(bad, "Dockerfile"))
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": curi, "languageId": "dockerfile", "version": 1,
                                                         "text": "FROM alpine:3.20\n"}})
    p = srv.diagnostics(curi, 1)
    cfg = [d for d in p["diagnostics"] if d["message"].startswith("configuration not used")]
    check(len(cfg) == 1 and ".distill.yaml:1:" in cfg[0]["message"] and cfg[0]["severity"] == 1,
          "a bad .distill.yaml: an error naming its line", [d["message"] for d in p["diagnostics"]])
    check("DST206" in [d.get("code") for d in p["diagnostics"]], "a bad .distill.yaml: the defaults apply")
    # the file is fixed: the next change picks it up
    with open(os.path.join(bad, ".distill.yaml"), "w") as f:
        f.write("ignored: [DST206]\n")
    srv.notify("textDocument/didChange", {"textDocument": {"uri": curi, "version": 2},
                                          "contentChanges": [{"text": "FROM alpine:3.20\n\n"}]})
    p = srv.diagnostics(curi, 2)
    codes = [d.get("code") for d in p["diagnostics"]]
    check("DST206" not in codes and not any(d["message"].startswith("configuration") for d in p["diagnostics"]),
          "a fixed .distill.yaml is reloaded", codes)

    m = srv.call("shutdown")
    check(m is not None and m.get("result", 0) is None, "shutdown: result null", m)
    srv.notify("exit", None)
    rc = srv.p.wait(10)
    check(rc == 0, "exit after shutdown: status 0", rc)
    rest = [x for x in srv.drain(0.1) if x.get("method") != "textDocument/publishDiagnostics"]
    check(rest == [], "no message nobody expected", rest)


def refused_session(tmp):
    """When convert refuses, no conversion is offered: a disabled action says why; the quick fixes still come."""
    srv = start(tmp, "--no-shellcheck")
    initialize(srv, tmp)

    def open_sample(name):
        with open(os.path.join(SRC, "samples", name, "Dockerfile"), "rb") as f:
            text = f.read()
        uri = file_uri(os.path.join(tmp, "refused", name, "Dockerfile"))
        srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                             "text": text.decode()}})
        return uri, text, srv.diagnostics(uri, 1)

    def actions(uri, line, ch=0):
        m = srv.call("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {
            "start": {"line": line, "character": ch}, "end": {"line": line, "character": ch}},
            "context": {"diagnostics": []}})
        return (m or {}).get("result") or []

    # node-course: the conversion needs --accept user,bump
    uri, text, p = open_sample("node-course")
    acts = actions(uri, 5, 10)
    conv = [a for a in acts if a["title"].startswith("Convert final stage")]
    check(len(conv) == 1 and "edit" not in conv[0] and "disabled" in conv[0], "needs --accept: a disabled conversion", conv)
    if conv and "disabled" in conv[0]:
        reason = conv[0]["disabled"]["reason"]
        check(reason.startswith("distill convert: needs --accept") and " user" in reason and " bump" in reason,
              "needs --accept: the reason names the changes to accept", reason)
    fix = [a for a in acts if a["title"] == "Use 'gcr.io/distroless/nodejs22-debian13'"]
    if check(len(fix) == 1 and fix[0]["diagnostics"][0]["code"] == "DST203", "DST203: the replacement image",
             [a["title"] for a in acts]):
        t2 = apply_edits(text, fix[0]["edit"]["documentChanges"][0]["edits"])
        check(b"\nFROM gcr.io/distroless/nodejs22-debian13\n" in t2, "DST203: the FROM line rewritten", t2)
    acts = actions(uri, 6, 30)
    fix = [a for a in acts if a["title"].startswith("Own the files as 'nonroot:nonroot'")]
    if check(len(fix) == 1 and fix[0]["diagnostics"][0]["code"] == "DST106", "DST106: the runtime's account",
             [a["title"] for a in acts]):
        edits = fix[0]["edit"]["documentChanges"][0]["edits"]
        t2 = apply_edits(text, edits)
        check(b"COPY --from=node-builder --chown=nonroot:nonroot /build /app\n" in t2, "DST106: the flag rewritten", t2)
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"range": e["range"], "text": e["newText"]} for e in edits]})
        p = srv.diagnostics(uri, 2)
        check("DST106" not in [d.get("code") for d in p["diagnostics"]], "DST106: gone once fixed", got_diags(p))

    # php: no runtime at all
    uri, text, p = open_sample("php-app")
    conv = [a for a in actions(uri, 0, 8) if a["title"].startswith("Convert final stage")]
    check(len(conv) == 1 and conv[0].get("disabled", {}).get("reason", "").startswith("distill convert: no runtime"),
          "no runtime: a disabled conversion with the reason", conv)
    m = srv.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}})
    v = ((m or {}).get("result") or {}).get("contents", {}).get("value", "")
    check("**distill convert: no runtime**" in v and "distroless publishes no php runtime" in v,
          "no runtime: the hover on DST201 says why", v)
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(10) == 0, "refused session: exit 0")

    # a client that cannot show disabled actions gets none
    caps = json.loads(json.dumps(CAPS))
    del caps["textDocument"]["codeAction"]["disabledSupport"]
    srv = start(tmp, "--no-shellcheck")
    initialize(srv, tmp, caps)
    uri, text, p = open_sample("php-app")
    titles = [a["title"] for a in actions(uri, 0, 8)]
    check(titles and not any(t.startswith("Convert") for t in titles), "no disabledSupport: no conversion offered", titles)
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(10) == 0, "refused session without disabledSupport: exit 0")


def pragma_session(tmp):
    """Ignore pragmas keep the file's line ends, extend a pragma already there, and stay after a byte-order mark."""
    srv = start(tmp, "--no-shellcheck")
    initialize(srv, tmp)

    def ignore(uri, text, version, code, line):
        m = srv.call("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {
            "start": {"line": line, "character": 0}, "end": {"line": line, "character": 99}},
            "context": {"diagnostics": []}})
        acts = [a for a in (m or {}).get("result") or [] if a["title"].startswith("Ignore %s on this" % code)]
        if not check(len(acts) == 1, "pragma: an ignore action for %s" % code, m):
            return text
        edits = acts[0]["edit"]["documentChanges"][0]["edits"]
        srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                              "contentChanges": [{"range": e["range"], "text": e["newText"]} for e in edits]})
        p = srv.diagnostics(uri, version)
        check(code not in [d.get("code") for d in p["diagnostics"]], "pragma: %s gone once applied" % code, got_diags(p))
        return apply_edits(text, edits)

    text = "\ufeff# distill ignore=DST206\r\nFROM alpine:3.20\r\nCMD echo hi\r\n".encode()
    uri = file_uri(os.path.join(tmp, "pragma", "Dockerfile"))
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": text.decode()}})
    srv.diagnostics(uri, 1)
    text = ignore(uri, text, 2, "DST201", 1)
    check(text == "\ufeff# distill ignore=DST206,DST201\r\nFROM alpine:3.20\r\nCMD echo hi\r\n".encode(),
          "pragma: the code joins the pragma above", text)
    text = ignore(uri, text, 3, "DL3025", 2)
    check(text.endswith(b"\r\n# distill ignore=DL3025\r\nCMD echo hi\r\n"), "pragma: a new line, with CRLF", text)

    text = "\ufeffFROM alpine:3.20\r\n".encode()
    uri = file_uri(os.path.join(tmp, "pragma", "bom.Dockerfile"))
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": text.decode()}})
    srv.diagnostics(uri, 1)
    text = ignore(uri, text, 2, "DST201", 0)
    check(text == "\ufeff# distill ignore=DST201\r\nFROM alpine:3.20\r\n".encode(), "pragma: after the byte-order mark", text)

    # FROM naming an earlier stage: definition and hover
    uri = file_uri(os.path.join(tmp, "pragma", "stages.Dockerfile"))
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": "FROM alpine:3.20 AS base\nFROM base\nUSER 1000\n"}})
    srv.diagnostics(uri, 1)
    m = srv.call("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 6}})
    check((m or {}).get("result") == {"uri": uri, "range": {"start": {"line": 0, "character": 20},
                                                            "end": {"line": 0, "character": 24}}},
          "definition: FROM base goes to 'AS base'", m)
    m = srv.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 6}})
    v = ((m or {}).get("result") or {}).get("contents", {}).get("value", "")
    check("Stage `base` (line 1): `FROM alpine:3.20`" in v and "- user: 1000" in v,
          "hover on FROM base: the stage, and what its container runs as", v)
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(10) == 0, "pragma session: exit 0")


def shellcheck_session(tmp):
    """ShellCheck's findings come on open and save, and follow the edits between."""
    if not shutil.which("shellcheck"):
        print("note: shellcheck is not installed; its part of the session is skipped")
        return
    srv = start(tmp)
    initialize(srv, tmp)
    path = os.path.join(tmp, "sc", "Dockerfile")
    os.makedirs(os.path.dirname(path))
    uri = file_uri(path)
    # $USER, not an ARG: like hadolint, lint tells shellcheck the ARGs and ENVs are set
    text = "FROM alpine:3.20\nARG name\nRUN echo $USER > /tmp/x\n"
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})

    def sc_of(p):
        return [(d["code"], d["range"]) for d in p["diagnostics"] if d["code"].startswith("SC")]

    p = srv.diagnostics(uri, 1)
    if not sc_of(p):  # the lint-only publication may come first
        p = srv.diagnostics(uri, 1)
    check(sc_of(p) == [("SC2086", {"start": {"line": 2, "character": 9}, "end": {"line": 2, "character": 14}})],
          "shellcheck on open", sc_of(p))
    check([d.get("source") for d in p["diagnostics"] if d["code"] == "SC2086"] == ["shellcheck"], "shellcheck: source")
    # a line inserted above: the finding moves with its text, without running shellcheck
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "ENV A=1\n"}]})
    p = srv.diagnostics(uri, 2)
    check(sc_of(p) == [("SC2086", {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 14}})],
          "shellcheck: the finding follows an edit above it", sc_of(p))
    # a pragma silences it at once
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
        {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "# distill ignore=SC2086\n"}]})
    p = srv.diagnostics(uri, 3)
    check(sc_of(p) == [], "shellcheck: a pragma silences the finding", sc_of(p))
    # the script itself edited: the finding is dropped until the next save
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [
        {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 0}}, "text": ""}]})
    p = srv.diagnostics(uri, 4)
    check(sc_of(p) == [("SC2086", {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 14}})],
          "shellcheck: the pragma removed, the finding is back", sc_of(p))
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5}, "contentChanges": [
        {"range": {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 14}}, "text": "\"$USER\""}]})
    p = srv.diagnostics(uri, 5)
    check(sc_of(p) == [], "shellcheck: an edit inside the finding drops it", sc_of(p))
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6}, "contentChanges": [
        {"range": {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 16}}, "text": "$USER"}]})
    p = srv.diagnostics(uri, 6)
    check(sc_of(p) == [], "shellcheck: not run on a change", sc_of(p))
    srv.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    p = srv.diagnostics(uri, 6)
    check(p is not None and sc_of(p) == [("SC2086", {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 14}})],
          "shellcheck: run again on save", p and sc_of(p))
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(10) == 0, "shellcheck session: exit 0")


def utf8_session(tmp):
    """A client that offers UTF-8 positions gets them: characters are bytes."""
    caps = dict(CAPS)
    caps["general"] = {"positionEncodings": ["utf-16", "utf-8"]}
    srv = start(tmp, "--no-shellcheck")
    m = initialize(srv, tmp, caps)
    check(m["result"]["capabilities"]["positionEncoding"] == "utf-8", "positionEncoding utf-8 when offered")
    uri = file_uri(os.path.join(tmp, "u8.Dockerfile"))
    text = "FROM scratch\nLABEL a=\"\U0001F600\" b=$undefined_y\n"
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
    p = srv.diagnostics(uri, 1)
    got = got_diags(p)
    check(got == lint_expected(os.path.join(tmp, "u8-lint.Dockerfile"), text.encode(), "utf-8"),
          "utf-8 positions: the diagnostics lint reports", got)
    d = [x for x in p["diagnostics"] if x.get("code") == "DST304"]
    check(len(d) == 1 and d[0]["range"]["start"]["character"] == 17, "utf-8 positions: a byte column", d)
    # exit without shutdown: status 1
    srv.notify("exit", None)
    check(srv.p.wait(10) == 1, "exit without shutdown: status 1")


def watch_session(tmp):
    """A client that watches files is asked to report the configuration files; a change re-lints."""
    caps = json.loads(json.dumps(CAPS))
    caps["workspace"]["didChangeWatchedFiles"] = {"dynamicRegistration": True}
    srv = start(tmp, "--no-shellcheck")
    initialize(srv, tmp, caps)
    reg = srv.wait_for(lambda m: m.get("method") == "client/registerCapability")
    globs = []
    if check(reg is not None and "id" in reg, "registerCapability requested", reg):
        r = reg["params"]["registrations"][0]
        globs = [w["globPattern"] for w in r["registerOptions"]["watchers"]]
        check(r["method"] == "workspace/didChangeWatchedFiles" and "**/.distill.yaml" in globs
              and "**/.hadolint.yaml" in globs, "registerCapability: the configuration files", r)
        srv.send({"jsonrpc": "2.0", "id": reg["id"], "result": None})
    wdir = os.path.join(tmp, "watch")
    os.makedirs(wdir)
    cfg = os.path.join(wdir, ".distill.yaml")
    with open(cfg, "w") as f:
        f.write("ignored: [DST206]\n")
    uri = file_uri(os.path.join(wdir, "Dockerfile"))
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": "FROM alpine:3.20\n"}})
    p = srv.diagnostics(uri, 1)
    check("DST206" not in [d.get("code") for d in p["diagnostics"]], "watch: the configuration applies")
    with open(cfg, "w") as f:
        f.write("ignored: [DST201]\n")
    srv.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": file_uri(cfg), "type": 2}]})
    p = srv.diagnostics(uri, 1)
    codes = [d.get("code") for d in p["diagnostics"]] if p else None
    check(p is not None and "DST206" in codes and "DST201" not in codes, "watch: a changed configuration re-lints", codes)
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(10) == 0, "watch session: exit 0")
    check(srv.drain(0.1) == [], "watch session: nothing unexpected")


def json_bytes(b):
    """A JSON string literal holding the bytes b as they are (not UTF-8 ones too), as Neovim sends them."""
    out = bytearray(b'"')
    for c in b:
        if c in (0x22, 0x5C):
            out += b"\\" + bytes([c])
        elif c < 0x20:
            out += b"\\u%04x" % c
        else:
            out.append(c)
    out += b'"'
    return bytes(out)


def hostile_session(tmp):
    """Hostile documents (tests/bad-input, every sample cut short, bytes flipped): every request is answered."""
    import random
    rnd = random.Random(16)
    texts = []
    bad = os.path.join(SRC, "tests/bad-input")
    for name in sorted(os.listdir(bad)):
        with open(os.path.join(bad, name), "rb") as f:
            texts.append((name, f.read()))
    samples = os.path.join(SRC, "samples")
    for name in sorted(os.listdir(samples)):
        p = os.path.join(samples, name, "Dockerfile")
        if not os.path.isfile(p):
            continue
        with open(p, "rb") as f:
            t = f.read()
        for k in (1, 2, 3, 4):
            texts.append(("%s cut at %d/5" % (name, k), t[:len(t) * k // 5]))
        flipped = bytearray(t)
        for _ in range(8):
            flipped[rnd.randrange(len(flipped))] = rnd.randrange(256)
        texts.append(("%s with bytes changed" % name, bytes(flipped)))
    srv = start(tmp, "--no-shellcheck")
    initialize(srv, tmp)
    answered = failures = 0
    for n, (name, text) in enumerate(texts):
        uri = file_uri(os.path.join(tmp, "hostile", "f%d.Dockerfile" % n))
        srv.send_body(b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"' +
                      uri.encode() + b'","languageId":"dockerfile","version":1,"text":' + json_bytes(text) + b"}}}")
        p = srv.diagnostics(uri, 1)
        if not check(p is not None and isinstance(p["diagnostics"], list), "hostile %s: diagnostics" % name, p):
            break
        doc = {"uri": uri}
        nlines = text.count(b"\n") + 1
        reqs = [("textDocument/documentSymbol", {"textDocument": doc})]
        for line in range(0, nlines, max(1, nlines // 6)):
            for ch in (0, 5, 12):
                at = {"textDocument": doc, "position": {"line": line, "character": ch}}
                reqs += [("textDocument/hover", at), ("textDocument/definition", at), ("textDocument/completion", at)]
            reqs.append(("textDocument/codeAction", {"textDocument": doc, "range": {
                "start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
                "context": {"diagnostics": []}}))
        for method, params in reqs:
            m = srv.call(method, params)
            if m is not None and "result" in m:
                answered += 1
            else:
                failures += 1
                check(False, "hostile %s: %s answered" % (name, method), m)
                break
        srv.notify("textDocument/didClose", {"textDocument": doc})
        srv.diagnostics(uri)
        if failures:
            break
    check(answered > 1000 and failures == 0, "hostile documents: every request answered (%d)" % answered)
    srv.call("shutdown")
    srv.notify("exit", None)
    check(srv.p.wait(30) == 0, "hostile session: exit 0")


def eof_session(tmp):
    """The client goes away: the server ends (status 1) instead of hanging."""
    srv = start(tmp)
    initialize(srv, tmp)
    srv.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    check(srv.close() == 1, "end of input in a message: exit 1")


def main():
    tmp = tempfile.mkdtemp(prefix="distill-lsp-")
    try:
        with open(os.path.join(tmp, ".distill.yaml"), "w") as f:
            f.write("ignored: [DST206]\n")
        main_session(tmp)
        refused_session(tmp)
        pragma_session(tmp)
        shellcheck_session(tmp)
        utf8_session(tmp)
        watch_session(tmp)
        hostile_session(tmp)
        eof_session(tmp)
    except (ProtocolError, BrokenPipeError) as e:
        check(False, "protocol", e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
