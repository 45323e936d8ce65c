#!/usr/bin/env bash
# labels: lsp
# `distill lsp` driven through scripted editor sessions (tests/lsp/protocol.py):
# initialize, open, full and incremental changes, hover, code actions (the
# conversion equals `distill convert`), symbols, definition, completion,
# ShellCheck on open and save, malformed messages, shutdown and exit. Every
# message the server sends is checked; diagnostics against `distill lint`.
set -u
bin=${DS_BIN:-build/distill}
src=${DS_SRC:-.}
if ! command -v python3 >/dev/null; then
	echo "FAIL: python3 is needed to drive the server (tools/deps.sh installs it)"
	exit 1
fi
exec python3 "$src/tests/lsp/protocol.py" "$bin" "$src"
