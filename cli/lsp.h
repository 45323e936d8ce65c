/* lsp.h - `distill lsp`: the language server's state, and the features its files share (issue 16). */
#ifndef DS_CLI_LSP_H
#define DS_CLI_LSP_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/model.h"
#include "cli/lsp_json.h"
#include "cli/lsp_rpc.h"
#include "cli/lsp_text.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rewrite/convert.h"
#include "rules/config.h"

struct ds_catalog;

/* ShellCheck's own page of an SC code. */
#define DS_LSP_SHELLCHECK_DOCS "https://www.shellcheck.net/wiki/"

/* One configuration file, loaded once and again when its contents change. */
struct ds_lsp_cfg {
	char *path;               /* NULL: no file, the defaults */
	enum ds_config_dialect dialect;
	bool found;               /* found by the search (confined to its folder tree), not given */
	struct ds_config cfg;
	struct ds_catalog *cat;   /* the builtin with the file's mappings, or NULL: the server's */
	char *error;              /* "FILE:LINE:COL: message" when the file is not used, else NULL */
	struct ds_file_id id;     /* the bytes loaded, to notice a change */
	bool have_id;
};

/* One ShellCheck finding, kept from the last save through later edits. */
struct ds_lsp_sc {
	char *code, *msg;
	enum ds_severity sev;
	size_t off, end;
};

/* An open document and its last analysis. */
struct ds_lsp_doc {
	char *uri;
	char *path;               /* the file of a file: URI, NULL for other schemes */
	long long version;
	struct ds_buf text;
	struct ds_lsp_lines lines;

	bool stale;               /* text changed since the analysis below */
	bool publish;             /* diagnostics to send */
	bool sc_due;              /* ShellCheck to run (opened or saved) */
	struct ds_arena a;        /* everything of the analysis */
	struct ds_source src;
	struct ds_dockerfile df;
	bool fatal;               /* BuildKit would reject the file (df.fatal) */
	struct ds_model m;
	struct ds_diags diags;    /* what is published: parse error, findings, config error */
	struct ds_lsp_cfg *cfg;
	const struct ds_catalog *cat;

	struct ds_lsp_sc *sc;     /* ShellCheck findings (heap), positions kept current */
	size_t nsc, capsc;

	bool conv_done;           /* conv and verdict hold convert's answer for this analysis */
	struct ds_convert_result conv;
	struct ds_lint_verdict verdict; /* DST201's, as lint and audit compute it (cli/verdict.h) */
	struct ds_lsp_doc *next;
};

/* What the client said it supports, from initialize's capabilities. */
struct ds_lsp_client {
	bool markdown;            /* hover contentFormat has markdown */
	bool hier_symbols;        /* hierarchicalDocumentSymbolSupport */
	bool action_literals;     /* codeActionLiteralSupport */
	bool action_disabled;     /* disabledSupport */
	bool doc_changes;         /* workspaceEdit.documentChanges */
	bool watch_files;         /* didChangeWatchedFiles.dynamicRegistration */
};

enum ds_lsp_state {
	DS_LSP_STARTING,          /* before initialize */
	DS_LSP_RUNNING,
	DS_LSP_SHUT_DOWN,         /* after shutdown: only exit */
};

struct ds_lsp {
	struct ds_rpc rpc;
	enum ds_lsp_state state;
	enum ds_lsp_enc enc;
	struct ds_lsp_client client;
	bool shellcheck;          /* run ShellCheck on open and on save */
	char *config_path;        /* a fixed configuration file (--config, settings), or NULL */
	char **folders;           /* workspace folders (paths) */
	size_t nfolders;
	struct ds_catalog *cat;   /* the builtin catalogue */
	struct ds_lsp_cfg **cfgs; /* configurations seen */
	size_t ncfgs;
	struct ds_lsp_doc *docs;
	struct ds_buf out;        /* the message being written */
	bool exit;
	int exit_code;
};

/*
 * Runs the server on standard input and output until `exit` or the end of
 * input. shellcheck and config_path are the command line's defaults
 * (the client's settings may change them). Returns the exit status: 0 after
 * shutdown and exit, 1 when input ended or exit came without shutdown,
 * 2 when the builtin catalogue does not load.
 */
int ds_lsp_run(bool shellcheck, const char *config_path);

/* ---- lsp_doc.c: analysis ---- */

/*
 * Analyses d's text afresh: configuration, parse, model, every rule,
 * pragmas, the ShellCheck findings kept; d->diags is what to publish. A
 * file BuildKit rejects still gets its parse error and the findings on
 * what could be read. Clears d->stale.
 */
void ds_lsp_analyze(struct ds_lsp *s, struct ds_lsp_doc *d);
/*
 * Runs ShellCheck on d's text (when enabled and installed) and keeps its
 * findings; marks d stale when they changed, for a new analysis.
 */
void ds_lsp_shellcheck(struct ds_lsp *s, struct ds_lsp_doc *d);
/* Moves the kept ShellCheck findings through the replacement of [off, end) by n bytes. */
void ds_lsp_sc_shift(struct ds_lsp_doc *d, size_t off, size_t end, size_t n);
/* Convert's result for d's current analysis (computed once). */
const struct ds_convert_result *ds_lsp_convert(struct ds_lsp *s, struct ds_lsp_doc *d);
/* Frees what the configurations own. */
void ds_lsp_cfgs_release(struct ds_lsp *s);
/* Frees a document's analysis and findings (not the struct). */
void ds_lsp_doc_release(struct ds_lsp_doc *d);

/* ---- lsp_util.c: what the feature files share ---- */

/* Writes {"line":L,"character":C} for byte offset off of d's text. */
void ds_lsp_w_pos(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off);
/* Writes {"start":...,"end":...} for bytes [off, end) of d's text. */
void ds_lsp_w_range(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off,
		    size_t end);
/* Writes one Diagnostic object for diag of d. */
void ds_lsp_w_diag(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w,
		   const struct ds_diag *diag);
/* Writes a TextEdit replacing [off, end) of d's text by text[0..n). */
void ds_lsp_w_edit(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off,
		   size_t end, const char *text, size_t n);
/* Writes a MarkupContent (markdown, or plaintext when the client has no markdown). */
void ds_lsp_w_markup(const struct ds_lsp *s, struct ds_jw *w, const char *text, size_t n);
/* The page of rule code (DST101, DL3008, SC2086) as an arena string. */
const char *ds_lsp_rule_href(struct ds_arena *a, const char *code);
/* The top-level instruction of d whose span holds off (its line end included), or NULL. */
const struct ds_instr *ds_lsp_instr_at(const struct ds_lsp_doc *d, size_t off);
/* The byte offset where the line holding off begins. */
size_t ds_lsp_line_start(const struct ds_lsp_doc *d, size_t off);
/*
 * Appends the markdown explanation of rule code to b (what `distill rules
 * CODE` prints; for SC codes a pointer to ShellCheck's page). Returns false,
 * appending nothing, when the code is unknown.
 */
bool ds_lsp_rule_markdown(struct ds_buf *b, const char *code);

/* ---- lsp_nav.c: stages and variables, shared with hover ---- */

/* The stage holding instruction in (an ONBUILD trigger: its ONBUILD's), or NULL. */
const struct ds_stage *ds_lsp_stage_of(const struct ds_lsp_doc *d, const struct ds_instr *in);
/*
 * Whether byte off is on a variable reference ($NAME, ${NAME}, ${NAME:-x}):
 * sets [*noff, *noff + *nlen) to the name.
 */
bool ds_lsp_var_at(const struct ds_lsp_doc *d, size_t off, size_t *noff, size_t *nlen);
/*
 * The ARG or ENV that defines name[0..n) as seen from instruction in: the
 * nearest before it in its stage, then ENV of its parent stages; for FROM
 * lines and global ARGs, the global ARGs. Sets *where to the defining
 * word. NULL when none does.
 */
const struct ds_instr *ds_lsp_var_def(const struct ds_lsp_doc *d, const struct ds_instr *in, const char *name,
				      size_t n, struct ds_span *where);
/*
 * The earlier stage that instruction in refers to at byte off: FROM's
 * base, COPY/ADD --from, RUN --mount from=. NULL when off is on no such
 * reference or it names an image.
 */
const struct ds_stage *ds_lsp_stage_ref(const struct ds_lsp_doc *d, const struct ds_instr *in, size_t off);

/* ---- lsp_instrdoc.c ---- */

/* What instruction kind k does, as BuildKit runs it: markdown, a few sentences. */
const char *ds_lsp_instr_doc(enum ds_instr_kind k);

/* ---- feature files: each writes the `result` value of its request ---- */

/* textDocument/hover at byte off (lsp_hover.c). */
void ds_lsp_hover(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w);
/*
 * textDocument/codeAction for bytes [off, end) (lsp_actions.c). only is
 * the context's kinds filter (NULL: every kind).
 */
void ds_lsp_code_actions(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, size_t end,
			 const struct ds_jval *only, struct ds_jw *w);
/*
 * Appends what `distill convert` would do with d: the verdict, its reason,
 * the changes to accept, and every note and warning with its line; as
 * markdown or as plain text (lsp_actions.c).
 */
void ds_lsp_convert_text(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_buf *b, bool markdown);
/* workspace/executeCommand of a command the code actions made; result null. */
int ds_lsp_execute(struct ds_lsp *s, const char *cmd, const struct ds_jval *args, struct ds_buf *msg);
/* textDocument/documentSymbol (lsp_nav.c). */
void ds_lsp_symbols(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w);
/* textDocument/definition at byte off (lsp_nav.c). */
void ds_lsp_definition(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w);
/* textDocument/completion at byte off (lsp_nav.c). */
void ds_lsp_completion(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w);

/* The command that shows convert's explanation after the conversion was applied. */
#define DS_LSP_CMD_EXPLAIN "distill.showExplanation"

#endif
