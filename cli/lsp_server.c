/* lsp_server.c - the language server's loop: JSON-RPC 2.0 messages, lifecycle, documents (LSP 3.17). */
#include "cli/lsp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "common/str.h"

/* JSON-RPC and LSP error codes (LSP 3.17, "Response Message"). */
enum {
	E_PARSE = -32700,
	E_INVALID_REQUEST = -32600,
	E_METHOD_NOT_FOUND = -32601,
	E_INVALID_PARAMS = -32602,
	E_NOT_INITIALIZED = -32002,
};

/* ---- output ---- */

static void send_msg(struct ds_lsp *s, const struct ds_buf *b)
{
	if (s->exit)
		return;
	if (ds_rpc_write(&s->rpc, b->buf ? b->buf : "", b->len)) {
		perror("distill lsp: cannot write to the client");
		s->exit = true;
		s->exit_code = 1;
	}
}

static void send_error(struct ds_lsp *s, const char *id, size_t idlen, int code, const char *msg)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jw w;
	ds_jw_init(&w, &b);
	ds_jw_obj(&w);
	ds_jw_key(&w, "jsonrpc");
	ds_jw_str(&w, "2.0");
	ds_jw_key(&w, "id");
	if (id)
		ds_jw_raw(&w, id, idlen);
	else
		ds_jw_null(&w);
	ds_jw_key(&w, "error");
	ds_jw_obj(&w);
	ds_jw_key(&w, "code");
	ds_jw_int(&w, code);
	ds_jw_key(&w, "message");
	ds_jw_str(&w, msg);
	ds_jw_obj_end(&w);
	ds_jw_obj_end(&w);
	send_msg(s, &b);
	ds_buf_release(&b);
}

/* Starts a notification in s->out; params follow. */
static void begin_notification(struct ds_lsp *s, struct ds_jw *w, const char *method)
{
	ds_buf_reset(&s->out);
	ds_jw_init(w, &s->out);
	ds_jw_obj(w);
	ds_jw_key(w, "jsonrpc");
	ds_jw_str(w, "2.0");
	ds_jw_key(w, "method");
	ds_jw_str(w, method);
	ds_jw_key(w, "params");
}

static void end_notification(struct ds_lsp *s, struct ds_jw *w)
{
	ds_jw_obj_end(w);
	send_msg(s, &s->out);
}

/* window/showMessage: type 1 error, 2 warning, 3 info. */
static void show_message(struct ds_lsp *s, int type, const char *msg, size_t n)
{
	struct ds_jw w;
	begin_notification(s, &w, "window/showMessage");
	ds_jw_obj(&w);
	ds_jw_key(&w, "type");
	ds_jw_int(&w, type);
	ds_jw_key(&w, "message");
	ds_jw_strn(&w, msg, n);
	ds_jw_obj_end(&w);
	end_notification(s, &w);
}

static void publish(struct ds_lsp *s, struct ds_lsp_doc *d)
{
	struct ds_jw w;
	begin_notification(s, &w, "textDocument/publishDiagnostics");
	ds_jw_obj(&w);
	ds_jw_key(&w, "uri");
	ds_jw_str(&w, d->uri);
	ds_jw_key(&w, "version");
	ds_jw_int(&w, d->version);
	ds_jw_key(&w, "diagnostics");
	ds_jw_arr(&w);
	for (size_t i = 0; i < d->diags.n; i++)
		ds_lsp_w_diag(s, d, &w, &d->diags.v[i]);
	ds_jw_arr_end(&w);
	ds_jw_obj_end(&w);
	end_notification(s, &w);
	d->publish = false;
}

/* ---- documents ---- */

/* The path of a file: URI (RFC 8089; percent-decoded), or NULL for other URIs. */
static char *uri_path(const char *uri)
{
	if (strncmp(uri, "file://", 7))
		return NULL;
	const char *p = uri + 7;
	if (!strncmp(p, "localhost/", 10))
		p += 9;
	if (*p != '/')
		return NULL; /* a remote host */
	char *out = ds_xmalloc(strlen(p) + 1), *o = out;
	for (; *p && *p != '?' && *p != '#'; p++) {
		int h, l;
		if (*p == '%' && (h = ds_str_hexval(p[1])) >= 0 && (l = ds_str_hexval(p[2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	if (memchr(out, '\0', (size_t)(o - out))) { /* %00: not a usable path */
		free(out);
		return NULL;
	}
	return out;
}

static struct ds_lsp_doc *doc_find(struct ds_lsp *s, const char *uri)
{
	for (struct ds_lsp_doc *d = s->docs; d; d = d->next)
		if (!strcmp(d->uri, uri))
			return d;
	return NULL;
}

static void doc_close(struct ds_lsp *s, struct ds_lsp_doc *d)
{
	struct ds_lsp_doc **pp = &s->docs;
	while (*pp != d)
		pp = &(*pp)->next;
	*pp = d->next;
	ds_lsp_doc_release(d);
	free(d);
}

/* Replaces bytes [off, end) of d's text by t[0..n), keeping the ShellCheck findings in place. */
static void doc_splice(struct ds_lsp_doc *d, size_t off, size_t end, const char *t, size_t n)
{
	if (off > d->text.len)
		off = d->text.len;
	if (end > d->text.len)
		end = d->text.len;
	if (end < off)
		end = off;
	ds_lsp_sc_shift(d, off, end, n);
	ds_lsp_text_splice(&d->text, off, end, t, n);
	ds_lsp_lines_build(&d->lines, d->text.buf ? d->text.buf : "", d->text.len);
	d->stale = true;
}

/* A whole new text: only the part that differs is replaced, so findings elsewhere keep their place. */
static void doc_replace(struct ds_lsp_doc *d, const char *t, size_t n)
{
	const char *o = d->text.buf ? d->text.buf : "";
	size_t on = d->text.len, pre = 0, suf = 0;
	while (pre < on && pre < n && o[pre] == t[pre])
		pre++;
	while (suf < on - pre && suf < n - pre && o[on - 1 - suf] == t[n - 1 - suf])
		suf++;
	doc_splice(d, pre, on - suf, t + pre, n - pre - suf);
}

/* ---- requests and notifications ---- */

struct req {
	const struct ds_jval *params;
	const char **err;         /* the message of an error return */
	struct ds_jw *w;          /* requests: where the result goes */
	struct ds_buf *tmp;       /* for messages built on the fly */
};

/* The open document params.textDocument.uri names; NULL with *err set when none. */
static struct ds_lsp_doc *req_doc(struct ds_lsp *s, struct req *r)
{
	const char *uri = ds_jval_str(ds_jval_find(r->params, "textDocument.uri"));
	if (!uri) {
		*r->err = "params.textDocument.uri is missing";
		return NULL;
	}
	struct ds_lsp_doc *d = doc_find(s, uri);
	if (!d) {
		ds_buf_reset(r->tmp);
		ds_buf_addf(r->tmp, "document not open: %s", uri);
		*r->err = r->tmp->buf;
		return NULL;
	}
	if (d->stale)
		ds_lsp_analyze(s, d);
	return d;
}

static bool read_pos(const struct ds_jval *p, struct ds_lsp_pos *out)
{
	long long line, ch;
	if (!ds_jval_int(ds_jval_get(p, "line"), 0, 0x7fffffff, &line) ||
	    !ds_jval_int(ds_jval_get(p, "character"), 0, 0x7fffffff, &ch))
		return false;
	out->line = (uint32_t)line;
	out->ch = (uint32_t)ch;
	return true;
}

/* The byte offsets of a Range; false when it is malformed. */
static bool read_range(const struct ds_lsp_doc *d, enum ds_lsp_enc enc, const struct ds_jval *range,
		       size_t *off, size_t *end)
{
	struct ds_lsp_pos a, b;
	if (!read_pos(ds_jval_get(range, "start"), &a) || !read_pos(ds_jval_get(range, "end"), &b))
		return false;
	const char *t = d->text.buf ? d->text.buf : "";
	*off = ds_lsp_off_of(t, d->text.len, &d->lines, enc, a);
	*end = ds_lsp_off_of(t, d->text.len, &d->lines, enc, b);
	if (*end < *off)
		*end = *off;
	return true;
}

/* A request on a document position: the document and the byte offset. */
static struct ds_lsp_doc *req_doc_pos(struct ds_lsp *s, struct req *r, size_t *off)
{
	struct ds_lsp_doc *d = req_doc(s, r);
	if (!d)
		return NULL;
	struct ds_lsp_pos p;
	if (!read_pos(ds_jval_get(r->params, "position"), &p)) {
		*r->err = "params.position is missing or not a position";
		return NULL;
	}
	*off = ds_lsp_off_of(d->text.buf ? d->text.buf : "", d->text.len, &d->lines, s->enc, p);
	return d;
}

/* Reads the server's settings ({"config": PATH, "shellcheck": BOOL}) from v. */
static void apply_settings(struct ds_lsp *s, const struct ds_jval *v)
{
	if (!v || v->type != DS_JOBJ)
		return;
	const struct ds_jval *c = ds_jval_get(v, "config");
	if (c && (c->type == DS_JSTR || c->type == DS_JNULL)) {
		free(s->config_path);
		s->config_path = c->type == DS_JSTR && c->len ? ds_xstrdup(c->str) : NULL;
	}
	const struct ds_jval *sc = ds_jval_get(v, "shellcheck");
	if (sc && sc->type == DS_JBOOL)
		s->shellcheck = sc->b;
}

static void folder_add(struct ds_lsp *s, const char *uri)
{
	char *p = uri ? uri_path(uri) : NULL;
	if (!p)
		return;
	s->folders = ds_xrealloc(s->folders, (s->nfolders + 1) * sizeof *s->folders);
	s->folders[s->nfolders++] = p;
}

static void folder_remove(struct ds_lsp *s, const char *uri)
{
	char *p = uri ? uri_path(uri) : NULL;
	if (!p)
		return;
	for (size_t i = 0; i < s->nfolders; i++) {
		if (!strcmp(s->folders[i], p)) {
			free(s->folders[i]);
			memmove(&s->folders[i], &s->folders[i + 1], (s->nfolders - i - 1) * sizeof *s->folders);
			s->nfolders--;
			break;
		}
	}
	free(p);
}

/* Every document to analyse again (and to ShellCheck again when sc). */
static void all_stale(struct ds_lsp *s, bool sc)
{
	for (struct ds_lsp_doc *d = s->docs; d; d = d->next) {
		d->stale = true;
		d->sc_due |= sc;
	}
}

static int h_initialize(struct ds_lsp *s, struct req *r)
{
	const struct ds_jval *caps = ds_jval_get(r->params, "capabilities");
	const struct ds_jval *enc = ds_jval_find(caps, "general.positionEncodings");
	s->enc = ds_jval_has_str(enc, "utf-8") ? DS_LSP_UTF8 : DS_LSP_UTF16;
	const struct ds_jval *fmt = ds_jval_find(caps, "textDocument.hover.contentFormat");
	s->client.markdown = ds_jval_has_str(fmt, "markdown");
	s->client.hier_symbols =
		ds_jval_true(ds_jval_find(caps, "textDocument.documentSymbol.hierarchicalDocumentSymbolSupport"));
	s->client.action_literals =
		ds_jval_find(caps, "textDocument.codeAction.codeActionLiteralSupport") != NULL;
	s->client.action_disabled = ds_jval_true(ds_jval_find(caps, "textDocument.codeAction.disabledSupport"));
	s->client.doc_changes = ds_jval_true(ds_jval_find(caps, "workspace.workspaceEdit.documentChanges"));
	s->client.watch_files =
		ds_jval_true(ds_jval_find(caps, "workspace.didChangeWatchedFiles.dynamicRegistration"));
	apply_settings(s, ds_jval_get(r->params, "initializationOptions"));
	const struct ds_jval *folders = ds_jval_get(r->params, "workspaceFolders");
	if (folders && folders->type == DS_JARR) {
		for (size_t i = 0; i < folders->n; i++)
			folder_add(s, ds_jval_str(ds_jval_get(&folders->items[i], "uri")));
	} else {
		folder_add(s, ds_jval_str(ds_jval_get(r->params, "rootUri")));
	}

	struct ds_jw *w = r->w;
	ds_jw_obj(w);
	ds_jw_key(w, "capabilities");
	ds_jw_obj(w);
	ds_jw_key(w, "positionEncoding");
	ds_jw_str(w, ds_lsp_enc_name(s->enc));
	ds_jw_key(w, "textDocumentSync");
	ds_jw_obj(w);
	ds_jw_key(w, "openClose");
	ds_jw_bool(w, true);
	ds_jw_key(w, "change");
	ds_jw_int(w, 2); /* incremental */
	ds_jw_key(w, "save");
	ds_jw_obj(w);
	ds_jw_key(w, "includeText");
	ds_jw_bool(w, false);
	ds_jw_obj_end(w);
	ds_jw_obj_end(w);
	ds_jw_key(w, "hoverProvider");
	ds_jw_bool(w, true);
	ds_jw_key(w, "codeActionProvider");
	if (s->client.action_literals) {
		ds_jw_obj(w);
		ds_jw_key(w, "codeActionKinds");
		ds_jw_arr(w);
		ds_jw_str(w, "quickfix");
		ds_jw_str(w, "refactor.rewrite");
		ds_jw_str(w, "source");
		ds_jw_arr_end(w);
		ds_jw_obj_end(w);
	} else {
		ds_jw_bool(w, true);
	}
	ds_jw_key(w, "executeCommandProvider");
	ds_jw_obj(w);
	ds_jw_key(w, "commands");
	ds_jw_arr(w);
	ds_jw_str(w, DS_LSP_CMD_EXPLAIN);
	ds_jw_arr_end(w);
	ds_jw_obj_end(w);
	ds_jw_key(w, "documentSymbolProvider");
	ds_jw_bool(w, true);
	ds_jw_key(w, "definitionProvider");
	ds_jw_bool(w, true);
	ds_jw_key(w, "completionProvider");
	ds_jw_obj(w);
	ds_jw_key(w, "triggerCharacters");
	ds_jw_arr(w);
	ds_jw_str(w, "-");
	ds_jw_str(w, "=");
	ds_jw_str(w, "$");
	ds_jw_str(w, "{");
	ds_jw_arr_end(w);
	ds_jw_obj_end(w);
	ds_jw_key(w, "workspace");
	ds_jw_obj(w);
	ds_jw_key(w, "workspaceFolders");
	ds_jw_obj(w);
	ds_jw_key(w, "supported");
	ds_jw_bool(w, true);
	ds_jw_key(w, "changeNotifications");
	ds_jw_bool(w, true);
	ds_jw_obj_end(w);
	ds_jw_obj_end(w);
	ds_jw_obj_end(w); /* capabilities */
	ds_jw_key(w, "serverInfo");
	ds_jw_obj(w);
	ds_jw_key(w, "name");
	ds_jw_str(w, "distill");
	ds_jw_key(w, "version");
	ds_jw_str(w, DS_VERSION);
	ds_jw_obj_end(w);
	ds_jw_obj_end(w);
	s->state = DS_LSP_RUNNING;
	return 0;
}

static int h_shutdown(struct ds_lsp *s, struct req *r)
{
	s->state = DS_LSP_SHUT_DOWN;
	ds_jw_null(r->w);
	return 0;
}

static int h_exit(struct ds_lsp *s, struct req *r)
{
	(void)r;
	s->exit_code = s->state == DS_LSP_SHUT_DOWN ? 0 : 1;
	s->exit = true;
	return 0;
}

/*
 * Asks a client that can watch files for it to report changes to the
 * configuration files, so the findings follow an edit of .distill.yaml
 * made in any editor (LSP 3.17, client/registerCapability).
 */
static int h_initialized(struct ds_lsp *s, struct req *r)
{
	(void)r;
	if (!s->client.watch_files)
		return 0;
	ds_buf_reset(&s->out);
	struct ds_jw w;
	ds_jw_init(&w, &s->out);
	ds_jw_obj(&w);
	ds_jw_key(&w, "jsonrpc");
	ds_jw_str(&w, "2.0");
	ds_jw_key(&w, "id");
	ds_jw_str(&w, "distill-watch-config");
	ds_jw_key(&w, "method");
	ds_jw_str(&w, "client/registerCapability");
	ds_jw_key(&w, "params");
	ds_jw_obj(&w);
	ds_jw_key(&w, "registrations");
	ds_jw_arr(&w);
	ds_jw_obj(&w);
	ds_jw_key(&w, "id");
	ds_jw_str(&w, "distill-config-files");
	ds_jw_key(&w, "method");
	ds_jw_str(&w, "workspace/didChangeWatchedFiles");
	ds_jw_key(&w, "registerOptions");
	ds_jw_obj(&w);
	ds_jw_key(&w, "watchers");
	ds_jw_arr(&w);
	static const char *const globs[] = { "**/.distill.yaml", "**/.distill.yml", "**/.hadolint.yaml",
					     "**/.hadolint.yml" };
	for (size_t i = 0; i < sizeof globs / sizeof *globs; i++) {
		ds_jw_obj(&w);
		ds_jw_key(&w, "globPattern");
		ds_jw_str(&w, globs[i]);
		ds_jw_obj_end(&w);
	}
	ds_jw_arr_end(&w);
	ds_jw_obj_end(&w);
	ds_jw_obj_end(&w);
	ds_jw_arr_end(&w);
	ds_jw_obj_end(&w);
	ds_jw_obj_end(&w);
	send_msg(s, &s->out);
	return 0;
}

static int h_did_open(struct ds_lsp *s, struct req *r)
{
	const struct ds_jval *td = ds_jval_get(r->params, "textDocument");
	const char *uri = ds_jval_str(ds_jval_get(td, "uri"));
	const struct ds_jval *text = ds_jval_get(td, "text");
	long long version = 0;
	if (!uri || !text || text->type != DS_JSTR) {
		*r->err = "didOpen without textDocument.uri and text";
		return E_INVALID_PARAMS;
	}
	ds_jval_int(ds_jval_get(td, "version"), -0x7fffffffLL - 1, 0x7fffffff, &version);
	struct ds_lsp_doc *d = doc_find(s, uri);
	if (d) { /* opened twice: the new text wins */
		doc_close(s, d);
	}
	d = ds_xcalloc(1, sizeof *d);
	d->uri = ds_xstrdup(uri);
	d->path = uri_path(uri);
	d->version = version;
	ds_buf_init(&d->text);
	ds_buf_add(&d->text, text->str, text->len);
	ds_lsp_lines_build(&d->lines, d->text.buf, d->text.len);
	d->stale = true;
	d->sc_due = true;
	d->next = s->docs;
	s->docs = d;
	return 0;
}

static int h_did_change(struct ds_lsp *s, struct req *r)
{
	const char *uri = ds_jval_str(ds_jval_find(r->params, "textDocument.uri"));
	struct ds_lsp_doc *d = uri ? doc_find(s, uri) : NULL;
	const struct ds_jval *changes = ds_jval_get(r->params, "contentChanges");
	if (!d || !changes || changes->type != DS_JARR) {
		*r->err = d ? "didChange without contentChanges" : "didChange of a document that is not open";
		return E_INVALID_PARAMS;
	}
	long long version;
	if (ds_jval_int(ds_jval_find(r->params, "textDocument.version"), -0x7fffffffLL - 1, 0x7fffffff, &version))
		d->version = version;
	for (size_t i = 0; i < changes->n; i++) {
		const struct ds_jval *c = &changes->items[i];
		const struct ds_jval *text = ds_jval_get(c, "text");
		const struct ds_jval *range = ds_jval_get(c, "range");
		if (!text || text->type != DS_JSTR) {
			*r->err = "a content change without text";
			return E_INVALID_PARAMS;
		}
		if (!range) {
			doc_replace(d, text->str, text->len);
			continue;
		}
		size_t off, end;
		if (!read_range(d, s->enc, range, &off, &end)) {
			*r->err = "a content change with a malformed range";
			return E_INVALID_PARAMS;
		}
		doc_splice(d, off, end, text->str, text->len);
	}
	return 0;
}

static int h_did_save(struct ds_lsp *s, struct req *r)
{
	const char *uri = ds_jval_str(ds_jval_find(r->params, "textDocument.uri"));
	struct ds_lsp_doc *d = uri ? doc_find(s, uri) : NULL;
	if (d)
		d->sc_due = true;
	return 0;
}

static int h_did_close(struct ds_lsp *s, struct req *r)
{
	const char *uri = ds_jval_str(ds_jval_find(r->params, "textDocument.uri"));
	struct ds_lsp_doc *d = uri ? doc_find(s, uri) : NULL;
	if (!d)
		return 0;
	/* clear what the editor shows for it */
	struct ds_jw w;
	begin_notification(s, &w, "textDocument/publishDiagnostics");
	ds_jw_obj(&w);
	ds_jw_key(&w, "uri");
	ds_jw_str(&w, d->uri);
	ds_jw_key(&w, "diagnostics");
	ds_jw_arr(&w);
	ds_jw_arr_end(&w);
	ds_jw_obj_end(&w);
	end_notification(s, &w);
	doc_close(s, d);
	return 0;
}

static int h_did_change_configuration(struct ds_lsp *s, struct req *r)
{
	apply_settings(s, ds_jval_find(r->params, "settings.distill"));
	all_stale(s, true); /* shellcheck may have been turned on or off */
	return 0;
}

static int h_did_change_watched_files(struct ds_lsp *s, struct req *r)
{
	(void)r;
	all_stale(s, false); /* a configuration may have changed; it is reloaded when it did */
	return 0;
}

static int h_did_change_folders(struct ds_lsp *s, struct req *r)
{
	const struct ds_jval *add = ds_jval_find(r->params, "event.added");
	const struct ds_jval *rem = ds_jval_find(r->params, "event.removed");
	for (size_t i = 0; rem && rem->type == DS_JARR && i < rem->n; i++)
		folder_remove(s, ds_jval_str(ds_jval_get(&rem->items[i], "uri")));
	for (size_t i = 0; add && add->type == DS_JARR && i < add->n; i++)
		folder_add(s, ds_jval_str(ds_jval_get(&add->items[i], "uri")));
	all_stale(s, false);
	return 0;
}

static int h_ignore(struct ds_lsp *s, struct req *r)
{
	(void)s;
	(void)r;
	return 0;
}

/* A request on a position of a document: fn writes its result. */
static int at_position(struct ds_lsp *s, struct req *r,
		       void (*fn)(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w))
{
	size_t off;
	struct ds_lsp_doc *d = req_doc_pos(s, r, &off);
	if (!d)
		return E_INVALID_PARAMS;
	fn(s, d, off, r->w);
	return 0;
}

static int h_hover(struct ds_lsp *s, struct req *r)
{
	return at_position(s, r, ds_lsp_hover);
}

static int h_code_action(struct ds_lsp *s, struct req *r)
{
	struct ds_lsp_doc *d = req_doc(s, r);
	if (!d)
		return E_INVALID_PARAMS;
	size_t off, end;
	if (!read_range(d, s->enc, ds_jval_get(r->params, "range"), &off, &end)) {
		*r->err = "params.range is missing or not a range";
		return E_INVALID_PARAMS;
	}
	ds_lsp_code_actions(s, d, off, end, ds_jval_find(r->params, "context.only"), r->w);
	return 0;
}

static int h_execute_command(struct ds_lsp *s, struct req *r)
{
	const char *cmd = ds_jval_str(ds_jval_get(r->params, "command"));
	if (!cmd) {
		*r->err = "params.command is missing";
		return E_INVALID_PARAMS;
	}
	ds_buf_reset(r->tmp);
	if (ds_lsp_execute(s, cmd, ds_jval_get(r->params, "arguments"), r->tmp)) {
		ds_buf_reset(r->tmp);
		ds_buf_addf(r->tmp, "unknown command '%s'", cmd);
		*r->err = r->tmp->buf;
		return E_INVALID_PARAMS;
	}
	if (r->tmp->len)
		show_message(s, 3, r->tmp->buf, r->tmp->len);
	ds_jw_null(r->w);
	return 0;
}

static int h_document_symbol(struct ds_lsp *s, struct req *r)
{
	struct ds_lsp_doc *d = req_doc(s, r);
	if (!d)
		return E_INVALID_PARAMS;
	ds_lsp_symbols(s, d, r->w);
	return 0;
}

static int h_definition(struct ds_lsp *s, struct req *r)
{
	return at_position(s, r, ds_lsp_definition);
}

static int h_completion(struct ds_lsp *s, struct req *r)
{
	return at_position(s, r, ds_lsp_completion);
}

/*
 * Every method the server knows. A handler returns 0 (a request's result
 * written to r->w) or an error code with *r->err. Notifications get no
 * reply, but an error is logged.
 */
static const struct method {
	const char *name;
	int (*fn)(struct ds_lsp *s, struct req *r);
	bool request;
} methods[] = {
	{ "initialize", h_initialize, true },
	{ "initialized", h_initialized, false },
	{ "shutdown", h_shutdown, true },
	{ "exit", h_exit, false },
	{ "textDocument/didOpen", h_did_open, false },
	{ "textDocument/didChange", h_did_change, false },
	{ "textDocument/didSave", h_did_save, false },
	{ "textDocument/didClose", h_did_close, false },
	{ "textDocument/hover", h_hover, true },
	{ "textDocument/codeAction", h_code_action, true },
	{ "textDocument/documentSymbol", h_document_symbol, true },
	{ "textDocument/definition", h_definition, true },
	{ "textDocument/completion", h_completion, true },
	{ "workspace/executeCommand", h_execute_command, true },
	{ "workspace/didChangeConfiguration", h_did_change_configuration, false },
	{ "workspace/didChangeWatchedFiles", h_did_change_watched_files, false },
	{ "workspace/didChangeWorkspaceFolders", h_did_change_folders, false },
	{ "$/cancelRequest", h_ignore, false },
	{ "$/setTrace", h_ignore, false },
};

static const struct method *find_method(const char *name)
{
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if (!strcmp(methods[i].name, name))
			return &methods[i];
	return NULL;
}

/* Handles one message body. */
static void handle(struct ds_lsp *s, const char *body, size_t len)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_buf tmp = DS_BUF_INIT;
	struct ds_jval *msg;
	const char *err = NULL;
	if (ds_jval_parse(&a, body, len, &msg, &err)) {
		ds_buf_addf(&tmp, "parse error: %s", err);
		send_error(s, NULL, 0, E_PARSE, tmp.buf);
		goto out;
	}
	const struct ds_jval *id = ds_jval_get(msg, "id");
	const struct ds_jval *method = ds_jval_get(msg, "method");
	if (id && id->type != DS_JNUM && id->type != DS_JSTR && id->type != DS_JNULL)
		id = NULL; /* not an id the reply could carry */
	const char *idraw = id && id->type != DS_JNULL ? id->raw : NULL;
	size_t idlen = idraw ? id->rawlen : 0;
	if (msg->type != DS_JOBJ || !ds_jval_str(ds_jval_get(msg, "jsonrpc")) ||
	    strcmp(ds_jval_str(ds_jval_get(msg, "jsonrpc")), "2.0")) {
		send_error(s, idraw, idlen, E_INVALID_REQUEST, "not a JSON-RPC 2.0 message");
		goto out;
	}
	if (!method) {
		if (ds_jval_get(msg, "result") || ds_jval_get(msg, "error"))
			goto out; /* a response (to client/registerCapability): nothing waits for it */
		send_error(s, idraw, idlen, E_INVALID_REQUEST, "a message without a method");
		goto out;
	}
	if (method->type != DS_JSTR) {
		send_error(s, idraw, idlen, E_INVALID_REQUEST, "method is not a string");
		goto out;
	}
	bool is_request = ds_jval_get(msg, "id") != NULL;
	if (is_request && !idraw) {
		send_error(s, NULL, 0, E_INVALID_REQUEST, "id must be a number or a string");
		goto out;
	}
	const struct method *m = find_method(method->str);
	if (!m || m->request != is_request) {
		if (is_request) {
			ds_buf_addf(&tmp, "%s '%s'", m ? "not a request:" : "unknown method", method->str);
			send_error(s, idraw, idlen, m ? E_INVALID_REQUEST : E_METHOD_NOT_FOUND, tmp.buf);
		} else if (m) {
			fprintf(stderr, "distill lsp: '%s' sent as a notification, ignored\n", method->str);
		}
		goto out; /* unknown notifications ($/...) are ignored, as the protocol says */
	}
	if (s->state == DS_LSP_STARTING && strcmp(m->name, "initialize") && strcmp(m->name, "exit")) {
		if (is_request)
			send_error(s, idraw, idlen, E_NOT_INITIALIZED, "the server is not initialized");
		goto out;
	}
	if (s->state != DS_LSP_STARTING && !strcmp(m->name, "initialize")) {
		send_error(s, idraw, idlen, E_INVALID_REQUEST, "initialize was already sent");
		goto out;
	}
	if (s->state == DS_LSP_SHUT_DOWN && strcmp(m->name, "exit")) {
		if (is_request)
			send_error(s, idraw, idlen, E_INVALID_REQUEST, "the server is shut down");
		goto out;
	}
	const struct ds_jval *params = ds_jval_get(msg, "params");
	struct ds_buf result = DS_BUF_INIT;
	struct ds_jw w;
	ds_jw_init(&w, &result);
	ds_jw_obj(&w);
	ds_jw_key(&w, "jsonrpc");
	ds_jw_str(&w, "2.0");
	ds_jw_key(&w, "id");
	ds_jw_raw(&w, idraw ? idraw : "null", idraw ? idlen : 4);
	ds_jw_key(&w, "result");
	struct req r = { params, &err, &w, &tmp };
	int rc = m->fn(s, &r);
	if (rc) {
		const char *e = err ? err : "failed";
		if (is_request)
			send_error(s, idraw, idlen, rc, e);
		else
			fprintf(stderr, "distill lsp: %s: %s\n", m->name, e);
	} else if (is_request) {
		ds_jw_obj_end(&w);
		send_msg(s, &result);
	}
	ds_buf_release(&result);
out:
	ds_buf_release(&tmp);
	ds_arena_release(&a);
}

/*
 * When no input waits: analyse the documents that changed and publish
 * their diagnostics, then run ShellCheck where it is due, one document
 * at a time as long as the client sends nothing (it takes a while).
 */
static void idle(struct ds_lsp *s)
{
	if (s->state != DS_LSP_RUNNING)
		return; /* nothing is sent before initialize or after shutdown */
	for (struct ds_lsp_doc *d = s->docs; d && !s->exit; d = d->next) {
		if (d->stale)
			ds_lsp_analyze(s, d);
		if (d->publish)
			publish(s, d);
	}
	for (struct ds_lsp_doc *d = s->docs; d && !s->exit; d = d->next) {
		if (!d->sc_due)
			continue;
		if (ds_rpc_pending(&s->rpc))
			return;
		d->sc_due = false;
		ds_lsp_shellcheck(s, d);
		if (d->stale) {
			ds_lsp_analyze(s, d);
			publish(s, d);
		}
	}
}

int ds_lsp_run(bool shellcheck, const char *config_path)
{
	struct ds_lsp s;
	memset(&s, 0, sizeof s);
	s.shellcheck = shellcheck;
	s.config_path = config_path ? ds_xstrdup(config_path) : NULL;
	s.enc = DS_LSP_UTF16;
	s.exit_code = 1;
	struct ds_catalog_error cerr;
	if (ds_catalog_load_builtin(&s.cat, &cerr)) {
		fprintf(stderr, "distill lsp: builtin catalogue: %s\n", cerr.msg);
		free(s.config_path);
		return DS_EXIT_ERROR;
	}
	/* the protocol owns standard output: anything else written to fd 1 goes to stderr */
	fflush(stdout);
	int out = dup(1);
	if (out < 0 || dup2(2, 1) < 0) {
		perror("distill lsp: standard output");
		ds_catalog_free(s.cat);
		free(s.config_path);
		return DS_EXIT_ERROR;
	}
	signal(SIGPIPE, SIG_IGN);
	ds_rpc_init(&s.rpc, 0, out);
	while (!s.exit) {
		if (!ds_rpc_pending(&s.rpc))
			idle(&s);
		const char *body, *err;
		size_t len;
		int rc = ds_rpc_read(&s.rpc, &body, &len, &err);
		if (rc == 0)
			break; /* the client went away without exit */
		if (rc < 0) {
			fprintf(stderr, "distill lsp: %s\n", err);
			send_error(&s, NULL, 0, E_PARSE, err);
			continue;
		}
		handle(&s, body, len);
	}
	while (s.docs)
		doc_close(&s, s.docs);
	ds_lsp_cfgs_release(&s);
	for (size_t i = 0; i < s.nfolders; i++)
		free(s.folders[i]);
	free(s.folders);
	free(s.config_path);
	ds_buf_release(&s.out);
	ds_rpc_release(&s.rpc);
	ds_catalog_free(s.cat);
	close(out);
	return s.exit_code;
}
