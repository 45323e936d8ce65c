/*
 * convert.c - moves a Dockerfile's final stage onto a shell-free runtime.
 *
 * Follows DESIGN §5 steps 1-9 and issue 3 §3-4. The result is a list of
 * byte-range edits against the original text; nothing outside them is
 * reprinted. Three shapes of conversion:
 *
 *  - fix:   the final stage already runs on a shell-free image (distroless,
 *           scratch, chainguard non-dev); only what fails is changed: users,
 *           shell-form commands, a removed or deprecated image.
 *  - swap:  the final stage (and the stages it is built FROM) does no build
 *           work beyond things the runtime already has (installs of
 *           ca-certificates or tzdata, user creation): its FROM is pointed
 *           at the runtime and those RUNs are dropped.
 *  - split: the final stage builds things: it becomes a named builder, and a
 *           new runtime stage copies the application paths from it and
 *           carries over ENV, LABEL, EXPOSE, VOLUME, STOPSIGNAL, WORKDIR,
 *           USER and the commands.
 * In every shape, stages on Alpine whose native artifacts reach a glibc
 * runtime move to the Debian tag of the same image, with their apk commands
 * translated, and builders of the runtime's language follow a version bump.
 * Anything that would need a guess is left as it is and reported (MANUAL).
 */
#include "rewrite/convert.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/imageref.h"
#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"

#define MAX_CHAIN 64

const char *ds_convert_status_name(enum ds_convert_status s)
{
	switch (s) {
	case DS_CONVERT_CONVERTED: return "converted";
	case DS_CONVERT_NOTHING: return "nothing to do";
	case DS_CONVERT_MANUAL: return "manual";
	case DS_CONVERT_NO_RUNTIME: return "no runtime";
	case DS_CONVERT_ERROR: return "error";
	}
	return "error";
}

void ds_convert_opts_init(struct ds_convert_opts *o)
{
	memset(o, 0, sizeof *o);
	o->vendor = DS_VENDOR_DISTROLESS;
}

/* ------------------------------------------------------------------ */
/* small string helpers                                                */

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* Whether a shell would expand something in s: $NAME, ${...}, $(...) or a backtick. */
static bool has_dollar(const char *s)
{
	return strchr(s, '$') || strchr(s, '`');
}

/* ------------------------------------------------------------------ */
/* exec form                                                           */

/* Whether the raw shell word w[0..n) holds an unquoted glob character or starts with a tilde. */
static bool raw_word_globs(const char *w, size_t n, bool *tilde)
{
	char q = 0;
	*tilde = n > 0 && w[0] == '~';
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (q) {
			if (c == q)
				q = 0;
			else if (q == '"' && c == '\\')
				i++;
			continue;
		}
		if (c == '\\') {
			i++;
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			continue;
		}
		if (c == '*' || c == '?' || c == '[')
			return true;
	}
	return false;
}

int ds_convert_shell_words(struct ds_arena *a, const char *cmd, size_t len,
			   struct ds_convert_argv *out, const char **why)
{
	out->v = NULL;
	out->n = 0;
	struct ds_shell_cmd *cs;
	size_t n;
	if (ds_shell_split(a, cmd, len, &cs, &n) < 0) {
		*why = "it has an unterminated quote or substitution";
		return -1;
	}
	size_t top = 0;
	const struct ds_shell_cmd *c = NULL;
	for (size_t i = 0; i < n; i++)
		if (cs[i].depth == 0) {
			top++;
			c = &cs[i];
		}
	if (!c || !top) {
		*why = "it is empty";
		return -1;
	}
	if (top > 1) {
		enum ds_shell_op op = DS_SH_NONE;
		for (size_t i = 0, k = 0; i < n && !op; i++)
			if (cs[i].depth == 0 && k++ == 1)
				op = cs[i].op;
		*why = op == DS_SH_AND ? "it joins commands with '&&'"
		     : op == DS_SH_OR ? "it joins commands with '||'"
		     : op == DS_SH_PIPE ? "it uses a pipe"
		     : op == DS_SH_AMP ? "it runs a command in the background with '&'"
		     : op == DS_SH_SEMI ? "it joins commands with ';'"
		     : "it runs several commands";
		return -1;
	}
	if (c->argc && (ds_shell_cmd_is(c, "sh") || ds_shell_cmd_is(c, "bash") || ds_shell_cmd_is(c, "ash") ||
			ds_shell_cmd_is(c, "dash") || ds_shell_cmd_is(c, "zsh"))) {
		*why = "it runs a shell";
		return -1;
	}
	if (n > top) {
		*why = "it uses command substitution";
		return -1;
	}
	if (c->nassigns) {
		*why = "it sets variables before the command";
		return -1;
	}
	if (c->nredirs) {
		*why = "it redirects input or output";
		return -1;
	}
	for (size_t i = 0; i < c->nwrappers; i++)
		if (strcmp(c->wrappers[i], "exec")) {
			*why = "it runs the program through a wrapper command";
			return -1;
		}
	if (!c->argc) {
		*why = "it is empty";
		return -1;
	}
	/* a lone trailing '&' puts the command in the background */
	for (size_t i = c->end; i < len; i++) {
		if (cmd[i] == ' ' || cmd[i] == '\t' || cmd[i] == '\n' || cmd[i] == '\r' || cmd[i] == ';')
			continue;
		if (cmd[i] == '&' && (i + 1 >= len || cmd[i + 1] != '&')) {
			*why = "it runs a command in the background with '&'";
			return -1;
		}
		break;
	}
	out->v = ds_arena_alloc(a, c->argc * sizeof *out->v);
	for (size_t i = 0; i < c->argc; i++) {
		const struct ds_shell_word *w = &c->argv[i];
		if (w->expands) {
			*why = "it uses variables or substitutions, which only a shell expands";
			return -1;
		}
		bool tilde = false;
		if (w->end <= len && raw_word_globs(cmd + w->off, w->end - w->off, &tilde)) {
			*why = "it uses a glob pattern, which only a shell expands";
			return -1;
		}
		if (tilde) {
			*why = "it uses '~', which only a shell expands";
			return -1;
		}
		out->v[i] = w->text;
	}
	out->n = c->argc;
	return 0;
}

char *ds_convert_json_array(struct ds_arena *a, const char *const *v, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ds_buf_adds(&b, ", ");
		ds_buf_add_json_str(&b, v[i], strlen(v[i]));
	}
	ds_buf_addc(&b, ']');
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* ------------------------------------------------------------------ */
/* users                                                               */

static const char *nonroot_name(const struct ds_catalog_runtime *rt)
{
	if (rt && rt->accounts && rt->accounts->nonroot)
		return rt->accounts->nonroot;
	return "nonroot";
}

const char *ds_convert_map_user(struct ds_arena *a, const struct ds_catalog_runtime *rt,
				const char *spec, bool *changed)
{
	*changed = false;
	if (!spec || !*spec)
		return spec;
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	char *user = ds_arena_strndup(a, spec, ul);
	const char *group = colon ? colon + 1 : NULL;
	const char *nu = user, *ng = group;
	if (!all_digits(user, ul) && !(rt && ds_catalog_runtime_user(rt, user)))
		nu = nonroot_name(rt);
	if (group && *group && !all_digits(group, strlen(group)) && !(rt && ds_catalog_runtime_group(rt, group)))
		ng = nonroot_name(rt);
	if (nu == user && ng == group)
		return spec;
	*changed = true;
	if (group)
		return ds_arena_printf(a, "%s:%s", nu, ng);
	return ds_arena_strdup(a, nu);
}

/* ------------------------------------------------------------------ */
/* apk -> apt                                                          */

/* What one word of an `apk` command becomes. */
enum apk_word {
	APK_HEAD,  /* "apk", options, "add": replaced by the apt-get prefix */
	APK_PKG,   /* a package: replaced by its Debian names (maybe none) */
	APK_DROP,  /* an option or its value after the first package: removed */
};

struct apk_plan {
	const char *sub;            /* "add", "del", "update", ... */
	enum apk_word *kind;        /* per argv word */
	const struct ds_strlist **apt; /* per APK_PKG word: the Debian names */
	size_t npkgs, nmapped;      /* packages, and Debian names in all */
	size_t first_pkg;           /* index of the first package word, or argc */
	bool update;                /* --update / -U / --update-cache */
	bool versions;              /* some package had a version constraint */
	const char *why;            /* set when something cannot be translated */
};

/* apk's options without a value, and with one. */
static const char *const apk_flags[] = {
	"--no-cache", "-U", "--update", "--update-cache", "--no-progress", "-q", "--quiet", "-v",
	"--verbose", "--purge", "--clean-protected", "--no-scripts", "--force", "--force-overwrite",
	"--force-broken-world", "--latest", "-l", "-u", "--upgrade", "--available", "-a",
	"--allow-untrusted", "--no-interactive", "--progress", "-f", NULL,
};
static const char *const apk_value_flags[] = { "--virtual", "-t", "--cache-dir", "--wait", NULL };

/* Reads an apk command; plan->why says what cannot be translated. */
static void apk_plan(struct ds_arena *a, const struct ds_catalog *cat, const char *const *argv, size_t argc,
		     struct apk_plan *p)
{
	memset(p, 0, sizeof *p);
	p->kind = ds_arena_zalloc(a, (argc + 1) * sizeof *p->kind);
	p->apt = ds_arena_zalloc(a, (argc + 1) * sizeof *p->apt);
	p->first_pkg = argc;
	bool after_pkg = false;
	for (size_t i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (w[0] == '-' && w[1]) {
			const char *eq = strchr(w, '=');
			char *name = ds_arena_strndup(a, w, eq ? (size_t)(eq - w) : strlen(w));
			p->kind[i] = after_pkg ? APK_DROP : APK_HEAD;
			if (!strcmp(name, "-U") || !strcmp(name, "--update") || !strcmp(name, "--update-cache"))
				p->update = true;
			if (in_list(name, apk_value_flags)) {
				if (!eq && i + 1 < argc)
					p->kind[++i] = after_pkg ? APK_DROP : APK_HEAD;
				continue;
			}
			if (in_list(name, apk_flags))
				continue;
			p->why = ds_arena_printf(a, "apk option '%s' has no apt-get equivalent here", w);
			return;
		}
		if (!p->sub) {
			p->sub = w;
			p->kind[i] = APK_HEAD;
			continue;
		}
		if (strcmp(p->sub, "add"))
			continue; /* words of other subcommands are not packages to map */
		/* a package, maybe with a version constraint or a repository tag */
		size_t nl = strcspn(w, "=<>~@");
		if (w[nl] == '@') {
			p->why = ds_arena_printf(a, "apk package '%s' comes from a tagged repository", w);
			return;
		}
		if (w[nl])
			p->versions = true;
		char *pkg = ds_arena_strndup(a, w, nl);
		if (strchr(pkg, ':') || has_dollar(pkg) || !*pkg) {
			p->why = ds_arena_printf(a, "apk package '%s' has no known Debian package", w);
			return;
		}
		const struct ds_strlist *l = ds_catalog_apk_to_apt(cat, pkg);
		if (!l) {
			p->why = ds_arena_printf(a, "apk package '%s' has no known Debian package", pkg);
			return;
		}
		p->kind[i] = APK_PKG;
		p->apt[i] = l;
		p->npkgs++;
		p->nmapped += l->n;
		if (!after_pkg)
			p->first_pkg = i;
		after_pkg = true;
	}
	if (!p->sub)
		p->why = "apk is run without a subcommand";
}

static const char apt_install[] = "apt-get install -y --no-install-recommends";
static const char apt_update[] = "apt-get update";

char *ds_convert_apk_to_apt(struct ds_arena *a, const struct ds_catalog *cat,
			    const char *const *argv, size_t argc, bool update, bool *empty,
			    const char **why)
{
	*empty = false;
	if (argc < 2 || strcmp(base_name(argv[0]), "apk")) {
		*why = "not an apk command";
		return NULL;
	}
	struct apk_plan p;
	apk_plan(a, cat, argv, argc, &p);
	if (p.why) {
		*why = p.why;
		return NULL;
	}
	if (strcmp(p.sub, "add")) {
		*why = ds_arena_printf(a, "'apk %s' is not an install", p.sub);
		return NULL;
	}
	struct ds_buf b = DS_BUF_INIT;
	if (update || p.update) {
		ds_buf_adds(&b, apt_update);
		ds_buf_adds(&b, " && ");
	}
	ds_buf_adds(&b, apt_install);
	size_t added = 0;
	const char **seen = ds_arena_alloc(a, (p.nmapped + 1) * sizeof *seen);
	for (size_t i = 1; i < argc; i++) {
		if (p.kind[i] != APK_PKG)
			continue;
		for (size_t k = 0; k < p.apt[i]->n; k++) {
			const char *d = p.apt[i]->v[k];
			bool dup = false;
			for (size_t j = 0; j < added; j++)
				dup = dup || !strcmp(seen[j], d);
			if (dup)
				continue;
			seen[added++] = d;
			ds_buf_addc(&b, ' ');
			ds_buf_adds(&b, d);
		}
	}
	*empty = added == 0;
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* ------------------------------------------------------------------ */
/* the conversion context                                              */

struct cv {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	const struct ds_model *m;
	const struct ds_catalog *cat;
	const struct ds_convert_opts *o;
	struct ds_convert_result *res;
	struct ds_source *s;
	const char *src;
	uint32_t len;
	const char *eol;          /* the file's line end: "\n" or "\r\n" */

	struct ds_edit *ed;
	size_t ned, caped;
	bool overlap;             /* an edit collided with another: internal error */
	unsigned char *del;       /* per 1-based line: deleted */
	size_t nlines;

	int nmanual;              /* constructs left for a person */
	bool abandon;             /* a partial conversion would make no sense: no edits at all */

	const struct ds_stage *fs;    /* the final stage */
	const struct ds_stage *root;  /* the stage whose FROM names the image */
	const struct ds_stage *chain[MAX_CHAIN]; /* root first, final last */
	size_t nchain;
	struct ds_image_class cls;    /* of the root image */
	bool has_cls, scratch;

	const struct ds_instr *cmd, *ep; /* the CMD and ENTRYPOINT in effect */
	bool ep_cleared;          /* the ENTRYPOINT in effect is empty: it clears the image's */
	const struct ds_instr *ep_empty; /* that empty ENTRYPOINT */

	const struct ds_catalog_runtime *rt;    /* the runtime written (distroless or chainguard) */
	const struct ds_catalog_runtime *rt_dl; /* its distroless counterpart */
	const char *rt_ref;       /* image reference written into FROM */
	const char *debian;       /* distroless release written ("13"), or NULL */
	const char *codename;     /* codename for Alpine stages moved to Debian */

	unsigned char *feeds;     /* per stage: its files reach the runtime image */
	bool *moved;              /* per stage: its root moved from Alpine to Debian */
};

static void vdiag(struct cv *c, enum ds_severity sev, const char *code, size_t off, size_t end,
		  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void vdiag(struct cv *c, enum ds_severity sev, const char *code, size_t off, size_t end,
		  const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	ds_diags_add(&c->res->diags, c->a, sev, code, off, end, buf);
}

/* A change made, for --explain. */
static void note(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void note(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_NOTE, code, off, end, fmt, ap);
	va_end(ap);
}

/* Something a person must finish: the result is MANUAL. */
static void manual(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void manual(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
	if (!c->res->reason)
		c->res->reason = c->res->diags.v[c->res->diags.n - 1].msg;
	c->nmanual++;
}

/* A change that loses something (a health check): said as a warning, still a conversion. */
static void warn(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void warn(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
}

/* The keyword of in to the end of its first line: where its diagnostics point. */
static void instr_pos(const struct cv *c, const struct ds_instr *in, size_t *off, size_t *end)
{
	uint32_t o = in->kw_span.off, e = in->line_span.end;
	const char *nl = memchr(c->src + o, '\n', e > o ? e - o : 0);
	if (nl)
		e = (uint32_t)(nl - c->src);
	while (e > o && (c->src[e - 1] == '\r' || c->src[e - 1] == ' ' || c->src[e - 1] == '\t' ||
			 c->src[e - 1] == c->df->escape))
		e--;
	*off = o;
	*end = e;
}

#define AT_INSTR(c, in) instr_off(c, in), instr_end(c, in)
static size_t instr_off(const struct cv *c, const struct ds_instr *in)
{
	size_t o, e;
	instr_pos(c, in, &o, &e);
	return o;
}
static size_t instr_end(const struct cv *c, const struct ds_instr *in)
{
	size_t o, e;
	instr_pos(c, in, &o, &e);
	return e;
}

/* ---- edits ---- */

/* Records an edit; collisions are found when the edits are sorted (make_output). */
static void edit(struct cv *c, uint32_t off, uint32_t end, const char *text)
{
	c->ed = ds_arena_grow(c->a, c->ed, sizeof *c->ed, c->ned, &c->caped);
	struct ds_edit *e = &c->ed[c->ned++];
	e->off = off;
	e->end = end;
	e->text = text;
	e->len = strlen(text);
}

/* ---- lines ---- */

static uint32_t line_of(const struct cv *c, uint32_t off)
{
	uint32_t line, col;
	ds_source_linecol(c->s, off, &line, &col);
	return line;
}

static uint32_t line_start(const struct cv *c, size_t line)
{
	if (line < 1)
		return 0;
	if (line > c->nlines)
		return c->len;
	return c->s->line_starts[line - 1];
}

/* Offset just past line's line end (or the end of the text). */
static uint32_t line_next(const struct cv *c, size_t line)
{
	return line >= c->nlines ? c->len : c->s->line_starts[line];
}

static bool line_blank(const struct cv *c, size_t line)
{
	if (line < 1 || line > c->nlines)
		return false;
	for (uint32_t i = line_start(c, line), e = line_next(c, line); i < e; i++)
		if (c->src[i] != ' ' && c->src[i] != '\t' && c->src[i] != '\r' && c->src[i] != '\n')
			return false;
	return true;
}

static bool line_comment(const struct cv *c, size_t line)
{
	if (line < 1 || line > c->nlines)
		return false;
	uint32_t i = line_start(c, line), e = line_next(c, line);
	while (i < e && (c->src[i] == ' ' || c->src[i] == '\t'))
		i++;
	return i < e && c->src[i] == '#';
}

static uint32_t instr_first_line(const struct cv *c, const struct ds_instr *in)
{
	return line_of(c, in->span.off);
}

static uint32_t instr_last_line(const struct cv *c, const struct ds_instr *in)
{
	return line_of(c, in->span.end > in->span.off ? in->span.end - 1 : in->span.off);
}

/* The first line of the comment block directly above in (no blank line between). */
static uint32_t comment_first_line(const struct cv *c, const struct ds_instr *in)
{
	uint32_t first = instr_first_line(c, in);
	uint32_t floor = 0;
	if (in->index > 0)
		floor = instr_last_line(c, &c->df->instrs[in->index - 1]);
	while (first - 1 > floor && line_comment(c, first - 1))
		first--;
	return first;
}

/* Deletes in and the comments directly above it, as whole lines. */
static void delete_instr(struct cv *c, const struct ds_instr *in)
{
	for (uint32_t l = comment_first_line(c, in), e = instr_last_line(c, in); l <= e; l++)
		c->del[l] = 1;
}

/* The source text of in (comments above included when with_comments), without the final line end. */
static const char *instr_text(struct cv *c, const struct ds_instr *in, bool with_comments)
{
	uint32_t b = with_comments ? line_start(c, comment_first_line(c, in)) : in->span.off;
	uint32_t e = in->span.end;
	while (e > b && (c->src[e - 1] == '\n' || c->src[e - 1] == '\r'))
		e--;
	return ds_arena_strndup(c->a, c->src + b, e - b);
}

/* ------------------------------------------------------------------ */
/* stages                                                              */

static const struct ds_stage *stage_at(const struct cv *c, int i)
{
	return i >= 0 && (uint32_t)i < c->m->nstages ? &c->m->stages[i] : NULL;
}

static const struct ds_stage *stage_parent(const struct cv *c, const struct ds_stage *st)
{
	if (st->base_kind != DS_BASE_STAGE)
		return NULL;
	const struct ds_stage *p = stage_at(c, st->base_stage);
	return p && p->index < st->index ? p : NULL;
}

static const struct ds_stage *stage_root(const struct cv *c, const struct ds_stage *st)
{
	for (unsigned g = 0; g < MAX_CHAIN; g++) {
		const struct ds_stage *p = stage_parent(c, st);
		if (!p)
			break;
		st = p;
	}
	return st;
}

/* "stage 'build'", or "the stage at line 12" for an unnamed one. */
static const char *stage_label(struct cv *c, const struct ds_stage *st)
{
	if (st->name)
		return ds_arena_printf(c->a, "stage '%s'", st->name);
	return ds_arena_printf(c->a, "the stage at line %u", st->from ? st->from->start_line : 0);
}

static const struct ds_instr *instr_at(const struct cv *c, uint32_t i)
{
	return i < c->df->ninstrs ? &c->df->instrs[i] : NULL;
}

static const char *expand(struct cv *c, const struct ds_stage *st, const struct ds_instr *in,
			  const char *word, bool *unset)
{
	bool u = false;
	const char *r = ds_model_expand(c->m, st, in->index, word, &u);
	if (unset)
		*unset = u;
	return r;
}

/* Classifies the image of stage st's chain root; false when it is not an image. */
static bool classify_stage(struct cv *c, const struct ds_stage *st, struct ds_image_class *out)
{
	memset(out, 0, sizeof *out);
	if (!st->has_image)
		return false;
	return ds_catalog_classify(c->cat, &st->image, c->a, out) == 0;
}

/* ------------------------------------------------------------------ */
/* paths                                                               */

/* Normalises an absolute path: no "//", "/./", "..", or trailing slash. */
static char *path_norm(struct ds_arena *a, const char *p)
{
	size_t n = strlen(p);
	char *out = ds_arena_alloc(a, n + 2);
	size_t o = 0;
	out[o++] = '/';
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t l = (size_t)(e - s);
		if (l == 0)
			break;
		if (l == 1 && s[0] == '.') {
			/* nothing */
		} else if (l == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
		} else {
			if (o > 1)
				out[o++] = '/';
			memcpy(out + o, s, l);
			o += l;
		}
		s = e;
	}
	out[o] = '\0';
	return out;
}

/* dir joined with p (p absolute: p itself), normalised. */
static char *path_join(struct ds_arena *a, const char *dir, const char *p)
{
	if (p[0] == '/')
		return path_norm(a, p);
	return path_norm(a, ds_arena_printf(a, "%s/%s", dir ? dir : "/", p));
}

/* Whether p is dir or below it. */
static bool path_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}

/* Folders whose whole content must never be copied: they belong to the image. */
static const char *const system_dirs[] = {
	"/", "/usr", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin",
	"/sbin", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/share",
	"/usr/local/share", "/etc", "/var", "/var/lib", "/opt", "/home", "/root", "/run", "/mnt", NULL,
};

/* Paths whose content is scratch space of a build, never an application file. */
static bool path_ignored(const char *p)
{
	static const char *const v[] = {
		"/tmp", "/var/tmp", "/dev", "/proc", "/sys", "/var/cache", "/var/lib/apt", "/var/lib/apk",
		"/etc/apk", "/etc/apt", "/root/.cache", "/root/.npm", "/var/log", "/run", "/var/run", NULL,
	};
	for (size_t i = 0; v[i]; i++)
		if (path_under(p, v[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* RUN scripts                                                         */

enum cmd_class { CC_BUILD, CC_PKG, CC_USER, CC_CLEAN, CC_NEUTRAL };

/* Commands that only move, write or inspect files: they build no native code. */
static const char *const file_tools[] = {
	"mkdir", "chown", "chmod", "chgrp", "cp", "mv", "ln", "touch", "rm", "rmdir", "echo",
	"printf", "cat", "sed", "tee", "true", "false", "set", "export", "cd", "test", "[", "ls",
	"find", "grep", "awk", "sort", "head", "tail", "sleep", "id", "whoami", "date", "env",
	"which", "command", "tar", "gzip", "gunzip", "unzip", "xargs", NULL,
};

struct pkg {
	const char *name;   /* without version */
	bool apk;           /* an Alpine name */
	const struct ds_instr *in;
};

enum run_kind {
	RUN_BUILD,   /* does build work */
	RUN_INSTALL, /* only installs packages, some of which the runtime lacks */
	RUN_DROP,    /* only things the runtime has or does not need: packages it has, users, cleanup */
};

struct run {
	const struct ds_instr *in;
	const struct ds_stage *st;
	const char *script;
	size_t slen;
	int map;                   /* 0: the joined argument, 1: a here-document, 2: not editable */
	const struct ds_heredoc *hd;
	struct ds_shell_cmd *cmds;
	size_t n;
	bool ok;                   /* split without error */
	enum run_kind kind;
	const char *cwd;           /* WORKDIR before it */
	size_t pkg0, npkg;         /* its packages in an->pkgs */
};

static void parse_run(struct cv *c, const struct ds_stage *st, const struct ds_instr *in, const char *cwd,
		      struct run *r)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->st = st;
	r->cwd = cwd;
	r->map = 2;
	if (in->json) {
		const char **w = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *w);
		size_t *l = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *l);
		uint32_t *o = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *o);
		for (uint32_t i = 0; i < in->nargs; i++) {
			w[i] = in->args[i].text;
			l[i] = in->args[i].len;
			o[i] = 0;
		}
		r->ok = ds_shell_split_argv(c->a, w, l, o, o, in->nargs, &r->cmds, &r->n) == 0;
		return;
	}
	if (!in->nargs)
		return;
	const char *t = in->args[0].text;
	while (*t == ' ' || *t == '\t')
		t++;
	if (in->nheredocs && starts_with(t, "<<") && !strpbrk(t, " \t")) {
		r->hd = &in->heredocs[0];
		r->script = r->hd->content;
		r->slen = r->hd->content_len;
		r->map = r->hd->chomp ? 2 : 1;
	} else {
		r->script = in->args[0].text;
		r->slen = in->args[0].len;
		r->map = 0;
	}
	r->ok = ds_shell_split(c->a, r->script, r->slen, &r->cmds, &r->n) == 0;
}

/* Maps an offset of r's script back to the source. */
static uint32_t run_src(const struct cv *c, const struct run *r, size_t off)
{
	if (r->map == 0)
		return ds_run_offset_to_source(c->df, r->in, off);
	if (r->map == 1) {
		size_t o = r->hd->body.off + off;
		return (uint32_t)(o > r->hd->body.end ? r->hd->body.end : o);
	}
	return r->in->span.off;
}

/* The first word after argv[from..] that is not an option (values of with_value options skipped). */
static size_t next_operand(const struct ds_shell_cmd *cmd, size_t from, const char *const *with_value)
{
	for (size_t i = from; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (w[0] == '-' && w[1]) {
			if (with_value && in_list(w, with_value))
				i++;
			continue;
		}
		return i;
	}
	return cmd->argc;
}

static const char *const apt_value_flags[] = { "-o", "-t", "-c", "--target-release", "--option", NULL };

static void add_pkg(struct cv *c, struct pkg **v, size_t *n, size_t *cap, const char *w, bool apk,
		    const struct ds_instr *in)
{
	size_t nl = strcspn(w, apk ? "=<>~@" : "=");
	if (!nl || w[0] == '-')
		return;
	*v = ds_arena_grow(c->a, *v, sizeof **v, *n, cap);
	(*v)[*n].name = ds_arena_strndup(c->a, w, nl);
	(*v)[*n].apk = apk;
	(*v)[*n].in = in;
	(*n)++;
}

/* What one simple command does; the packages it installs are appended to *pk. */
/*
 * The packages of a package manager's install verb (apk add, apt-get
 * install, ...): operands after verb, skipping flags and the values of the
 * flags in value_flags.
 */
static void collect_pkgs(struct cv *c, const struct ds_shell_cmd *cmd, const char *verb,
			 const char *const *value_flags, bool alpine, const struct ds_instr *in,
			 struct pkg **pk, size_t *npk, size_t *cappk)
{
	size_t s = next_operand(cmd, 1, value_flags);
	if (s >= cmd->argc || strcmp(cmd->argv[s].text, verb))
		return;
	for (size_t i = s + 1; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (w[0] == '-') {
			if (in_list(w, value_flags))
				i++;
			continue;
		}
		add_pkg(c, pk, npk, cappk, w, alpine, in);
	}
}

static enum cmd_class cmd_class(struct cv *c, const struct ds_shell_cmd *cmd, const struct ds_instr *in,
				struct pkg **pk, size_t *npk, size_t *cappk)
{
	if (!cmd->argc)
		return cmd->nassigns || cmd->nredirs ? CC_BUILD : CC_NEUTRAL;
	const char *name = ds_shell_cmd_name(cmd);
	if (!strcmp(name, "apk")) {
		collect_pkgs(c, cmd, "add", apk_value_flags, true, in, pk, npk, cappk);
		return CC_PKG;
	}
	if (!strcmp(name, "apt-get") || !strcmp(name, "apt") || !strcmp(name, "aptitude") ||
	    !strcmp(name, "dnf") || !strcmp(name, "yum") || !strcmp(name, "microdnf") ||
	    !strcmp(name, "tdnf") || !strcmp(name, "zypper")) {
		collect_pkgs(c, cmd, "install", apt_value_flags, false, in, pk, npk, cappk);
		return CC_PKG;
	}
	if (!strcmp(name, "update-ca-certificates"))
		return CC_PKG;
	if (!strcmp(name, "rm")) {
		size_t ops = 0;
		for (size_t i = 1; i < cmd->argc; i++) {
			const char *w = cmd->argv[i].text;
			if (w[0] == '-')
				continue;
			ops++;
			if (w[0] != '/' || !path_ignored(w))
				return CC_BUILD;
		}
		return ops ? CC_CLEAN : CC_BUILD;
	}
	static const char *const users[] = { "adduser", "addgroup", "useradd", "groupadd", "usermod",
					     "groupmod", "deluser", "delgroup", "userdel", "groupdel", NULL };
	if (in_list(name, users))
		return CC_USER;
	if (!strcmp(name, "true") || !strcmp(name, ":") || !strcmp(name, "set"))
		return CC_NEUTRAL;
	if (!strcmp(name, "export")) {
		for (size_t i = 1; i < cmd->argc; i++)
			if (!strchr(cmd->argv[i].text, '='))
				return CC_BUILD;
		return CC_NEUTRAL;
	}
	return CC_BUILD;
}

/* Packages that only serve building: they may stay behind in a builder. */
static bool is_build_tool(const char *p)
{
	static const char *const v[] = {
		"build-base", "alpine-sdk", "build-essential", "gcc", "g++", "clang", "llvm", "lld", "make",
		"cmake", "ninja", "ninja-build", "samurai", "meson", "musl-dev", "libc-dev", "libc6-dev",
		"linux-headers", "linux-libc-dev", "pkgconf", "pkgconfig", "pkg-config", "autoconf",
		"automake", "libtool", "m4", "bison", "flex", "gettext", "patch", "file", "binutils", "upx",
		"git", "git-lfs", "mercurial", "subversion", "openssh-client", "openssh", "curl", "wget",
		"ca-certificates", "ca-certificates-bundle", "tzdata", "bash", "coreutils", "findutils",
		"grep", "sed", "gawk", "tar", "gzip", "bzip2", "xz", "xz-utils", "unzip", "zip", "zstd", "jq",
		"rsync", "gnupg", "gnupg2", "dirmngr", "apt-transport-https", "software-properties-common",
		"lsb-release", "python3", "python3-pip", "py3-pip", "python3-venv", "python3-setuptools",
		"py3-setuptools", "python3-wheel", "py3-wheel", "python", "nodejs", "npm", "yarn", "go",
		"golang", "cargo", "rust", "rustc", "protobuf", "protoc", "protobuf-compiler", "maven",
		"gradle", "perl", "dos2unix", "shadow", "sudo", "gcompat", "libc6-compat", "ccache",
		"openssl", "libstdc++", "libgcc", "libstdc++6", "libgcc-s1", "gnu-libiconv", "libffi",
		"busybox", "procps", "net-tools", "iputils", "bind-tools", "less", "vim", "nano", NULL,
	};
	if (ends_with(p, "-dev") || ends_with(p, "-devel") || ends_with(p, "-headers") ||
	    ends_with(p, "-static") || ends_with(p, "-doc") || ends_with(p, "-sdk"))
		return true;
	return in_list(p, v);
}

/* ------------------------------------------------------------------ */
/* the final chain                                                     */

struct copy {
	const struct ds_instr *in;
	const struct ds_stage *st;
	const char *dest;      /* absolute, normalised */
	bool dest_dir;         /* written with a trailing slash, or several sources */
	const char **srcs;     /* expanded source words */
	size_t nsrcs;
	int from;              /* stage index of --from, or -1 */
	bool from_other;       /* --from names an image or an unknown stage */
	const char *chown;     /* expanded --chown value, or NULL */
	bool replay;           /* split: repeated as it is in the runtime stage */
	const char *wd;        /* WORKDIR in effect there */
};

/* One path the runtime stage copies from the builder. */
struct apath {
	const char *src, *dst;
	const char *chown;     /* original owner spec, mapped when written; NULL: keep */
	const struct ds_instr *why; /* what put it there */
	size_t seq;            /* order of discovery */
};

struct an {
	struct run *runs;
	size_t nruns, capruns;
	struct copy *copies;
	size_t ncopies, capcopies;
	struct pkg *pkgs;
	size_t npkgs, cappkgs;
	struct apath *paths;
	size_t npaths, cappaths;
	const char **pypath;         /* PYTHONPATH entries the runtime needs */
	size_t npypath, cappypath;
	const char *workdir;         /* in effect at the end, "/" when none */
	bool workdir_set;
	const struct ds_instr *user_in;
	bool ancestors_busy;         /* a parent stage in the chain has instructions */
	bool build_work;             /* some RUN of the chain is more than RUN_DROP */
	const char *exe;             /* the program the image runs (absolute), or NULL */
	const char *hc_tool;         /* curl or wget used by a HEALTHCHECK */
	const struct ds_instr *py_after; /* the COPY that brings python packages in (swap: ENV goes after it) */
	const struct ds_instr *install;  /* a RUN with make/cmake/ninja install: more than the program lands */
};

static void record_copy(struct cv *c, struct an *an, const struct ds_stage *st, const struct ds_instr *in,
			const char *wd)
{
	if (in->nargs < 2 && !(in->nargs == 1 && in->nheredocs))
		return;
	an->copies = ds_arena_grow(c->a, an->copies, sizeof *an->copies, an->ncopies, &an->capcopies);
	struct copy *cp = &an->copies[an->ncopies++];
	memset(cp, 0, sizeof *cp);
	cp->in = in;
	cp->st = st;
	cp->from = -1;
	cp->wd = wd;
	const char *draw = in->args[in->nargs - 1].text;
	const char *d = expand(c, st, in, draw, NULL);
	size_t dl = strlen(d);
	cp->dest_dir = (dl && d[dl - 1] == '/') || in->nargs > 2 || !strcmp(d, ".");
	cp->dest = path_join(c->a, wd, d);
	cp->nsrcs = in->nargs - 1;
	cp->srcs = ds_arena_alloc(c->a, (cp->nsrcs + 1) * sizeof *cp->srcs);
	for (uint32_t k = 0; k + 1 < in->nargs; k++)
		cp->srcs[k] = expand(c, st, in, in->args[k].text, NULL);
	const struct ds_flag *f = ds_instr_flag(in, "from");
	if (f && f->value) {
		cp->from_other = true;
		for (uint32_t k = 0; k < st->ndeps; k++)
			if (st->deps[k].in == in && !st->deps[k].is_mount && st->deps[k].stage >= 0) {
				cp->from = st->deps[k].stage;
				cp->from_other = false;
			}
	}
	f = ds_instr_flag(in, "chown");
	if (f && f->value)
		cp->chown = expand(c, st, in, f->value, NULL);
}

/* Walks the chain: WORKDIR, COPY/ADD, RUN, USER. */
static void analyze_chain(struct cv *c, struct an *an)
{
	const char *wd = "/";
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		bool final = st == c->fs;
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in)
				break;
			if (!final && in->kind != DS_I_ARG)
				an->ancestors_busy = true;
			switch (in->kind) {
			case DS_I_WORKDIR:
				if (in->nargs) {
					wd = path_join(c->a, wd, expand(c, st, in, in->args[0].text, NULL));
					an->workdir_set = true;
				}
				break;
			case DS_I_COPY:
			case DS_I_ADD:
				record_copy(c, an, st, in, wd);
				break;
			case DS_I_RUN: {
				an->runs = ds_arena_grow(c->a, an->runs, sizeof *an->runs, an->nruns, &an->capruns);
				parse_run(c, st, in, wd, &an->runs[an->nruns++]);
				break;
			}
			case DS_I_USER:
				an->user_in = in;
				break;
			default:
				break;
			}
		}
	}
	an->workdir = wd;
}

/* The argv of a CMD, ENTRYPOINT or HEALTHCHECK: exec form as is, shell form when plain words. */
struct cmdv {
	const char **v;
	size_t n;
	bool ok;
	const char *why;
};

static void command_argv(struct cv *c, const struct ds_instr *in, struct cmdv *out)
{
	memset(out, 0, sizeof *out);
	uint32_t first = 0;
	if (in->kind == DS_I_HEALTHCHECK) {
		if (!in->nargs || strcasecmp(in->args[0].text, "CMD")) {
			out->why = "it is not a CMD health check";
			return;
		}
		first = 1;
	}
	if (in->json) {
		out->n = in->nargs - first;
		out->v = ds_arena_alloc(c->a, (out->n + 1) * sizeof *out->v);
		for (uint32_t k = first; k < in->nargs; k++)
			out->v[k - first] = in->args[k].text;
		out->ok = true;
		return;
	}
	if (in->nargs <= first) {
		out->why = "it is empty";
		return;
	}
	struct ds_convert_argv av;
	const char *t = in->args[first].text;
	if (ds_convert_shell_words(c->a, t, strlen(t), &av, &out->why) == 0) {
		out->v = av.v;
		out->n = av.n;
		out->ok = true;
	}
}

/* Which CMD and ENTRYPOINT are in effect at the end of the chain (an ENTRYPOINT resets an inherited CMD). */
static void effective_commands(struct cv *c)
{
	const struct ds_instr *cmd = NULL, *ep = NULL;
	const struct ds_stage *cmd_st = NULL;
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in)
				break;
			if (in->kind == DS_I_CMD) {
				cmd = in;
				cmd_st = st;
			} else if (in->kind == DS_I_ENTRYPOINT) {
				ep = in;
				if (cmd && cmd_st != st)
					cmd = NULL;
			}
		}
	}
	c->cmd = cmd;
	c->ep = ep;
	c->ep_cleared = ep && ((ep->json && !ep->nargs) || (!ep->json && (!ep->nargs || !*ep->args[0].text)));
	if (c->ep_cleared) {
		c->ep_empty = ep;
		c->ep = NULL; /* nothing to convert; the CMD is the whole command */
	}
}

/* The COPY that put path p into the final chain (the last one), or NULL. */
static const struct copy *copy_putting(struct an *an, const char *p)
{
	for (size_t i = an->ncopies; i-- > 0;) {
		const struct copy *cp = &an->copies[i];
		if (!strcmp(cp->dest, p))
			return cp;
		if (cp->dest_dir && path_under(p, cp->dest))
			return cp;
		if (path_under(p, cp->dest) && cp->from >= 0)
			return cp;
	}
	return NULL;
}

/* Absolute path of a program word, against the final WORKDIR; bare names are looked up in COPY destinations on PATH. */
static const char *program_path(struct cv *c, struct an *an, const char *w)
{
	if (!w || !*w)
		return NULL;
	if (w[0] == '/')
		return path_norm(c->a, w);
	if (strchr(w, '/'))
		return path_join(c->a, an->workdir, w);
	static const char *const pathdirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
						"/usr/bin", "/sbin", "/bin", NULL };
	for (size_t i = an->ncopies; i-- > 0;) {
		const struct copy *cp = &an->copies[i];
		for (size_t k = 0; pathdirs[k]; k++) {
			const char *p = ds_arena_printf(c->a, "%s/%s", pathdirs[k], w);
			if (!strcmp(cp->dest, p))
				return p;
			if (!strcmp(cp->dest, pathdirs[k]))
				for (size_t j = 0; j < cp->nsrcs; j++)
					if (!strcmp(base_name(cp->srcs[j]), w))
						return p;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* linking of compiled programs                                        */

enum { LINK_UNKNOWN = -1, LINK_DYNAMIC = 0, LINK_STATIC = 1 };

/* The language a stage's chain compiles ("go", "rust", "c") and whether the result is static. */
static int stage_linking(struct cv *c, const struct ds_stage *st, const char **lang)
{
	struct ds_image_class k;
	const struct ds_stage *r = stage_root(c, st);
	bool have = classify_stage(c, st, &k);
	*lang = have ? k.language : NULL;
	bool alpine = have && k.family == DS_FAMILY_ALPINE;
	bool musl_image = r->base && strstr(r->base, "musl");
	bool go = false, cargo = false, cc = false, stat = false, musl_target = false, cgo_off = false;
	for (const struct ds_stage *s = st; s; s = stage_parent(c, s)) {
		const char *v = ds_scope_get(&s->scope, "CGO_ENABLED", 11);
		if (v && !strcmp(v, "0"))
			cgo_off = true;
		v = ds_scope_get(&s->scope, "CARGO_BUILD_TARGET", 18);
		if (v && strstr(v, "musl"))
			musl_target = true;
		v = ds_scope_get(&s->scope, "LDFLAGS", 7);
		if (v && strstr(v, "-static"))
			stat = true;
		for (uint32_t i = s->first + 1; i <= s->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in || in->kind != DS_I_RUN)
				continue;
			struct run r2;
			parse_run(c, s, in, "/", &r2);
			for (size_t j = 0; j < r2.n; j++) {
				const struct ds_shell_cmd *cmd = &r2.cmds[j];
				const char *a0 = ds_shell_cmd_name(cmd);
				for (size_t q = 0; q < cmd->nassigns; q++) {
					if (!strcmp(cmd->assigns[q].text, "CGO_ENABLED=0"))
						cgo_off = true;
					if (starts_with(cmd->assigns[q].text, "LDFLAGS=") && strstr(cmd->assigns[q].text, "-static"))
						stat = true;
				}
				for (size_t q = 0; q < cmd->argc; q++)
					if (!strcmp(cmd->argv[q].text, "CGO_ENABLED=0"))
						cgo_off = true; /* export CGO_ENABLED=0 */
				if (!strcmp(a0, "go") && cmd->argc > 1 &&
				    (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
					go = true;
					for (size_t q = 2; q < cmd->argc; q++)
						if (strstr(cmd->argv[q].text, "-static"))
							stat = true;
				}
				if (!strcmp(a0, "cargo") && cmd->argc > 1 &&
				    (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
					cargo = true;
					for (size_t q = 2; q < cmd->argc; q++)
						if (strstr(cmd->argv[q].text, "musl"))
							musl_target = true;
				}
				if (!strcmp(a0, "gcc") || !strcmp(a0, "cc") || !strcmp(a0, "g++") || !strcmp(a0, "clang") ||
				    !strcmp(a0, "make") || !strcmp(a0, "cmake")) {
					cc = true;
					if (ds_shell_cmd_has_arg(cmd, "-static"))
						stat = true;
				}
			}
		}
	}
	if (!*lang || (strcmp(*lang, "go") && strcmp(*lang, "rust") && strcmp(*lang, "c")))
		*lang = go ? "go" : cargo ? "rust" : cc ? "c" : NULL;
	if (!*lang)
		return LINK_UNKNOWN;
	if (!strcmp(*lang, "go"))
		return cgo_off || stat ? LINK_STATIC : LINK_DYNAMIC;
	if (!strcmp(*lang, "rust"))
		return musl_target || musl_image || alpine || stat ? LINK_STATIC : LINK_DYNAMIC;
	return stat ? LINK_STATIC : LINK_DYNAMIC;
}

/* The distroless runtime for a compiled program: static, else base (Go) or cc. */
static const struct ds_catalog_runtime *compiled_runtime(struct cv *c, const struct ds_image_class *k,
							  const char *lang, int link)
{
	if (link == LINK_STATIC)
		return k && k->static_runtime ? k->static_runtime : ds_catalog_runtime(c->cat, "static");
	if (k && k->dynamic_runtime)
		return k->dynamic_runtime;
	return ds_catalog_runtime(c->cat, lang && !strcmp(lang, "go") ? "base" : "cc");
}

/* ------------------------------------------------------------------ */
/* picking the runtime                                                 */

static void blocked(struct cv *c, enum ds_convert_status st, size_t off, size_t end, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void blocked(struct cv *c, enum ds_convert_status st, size_t off, size_t end, const char *code,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, st == DS_CONVERT_ERROR ? DS_SEV_ERROR : DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
	c->res->status = st;
	c->res->reason = c->res->diags.v[c->res->diags.n - 1].msg;
}

/* Where diagnostics about the image of the chain point: the root FROM's image word. */
static size_t from_off(const struct cv *c)
{
	const struct ds_instr *f = c->root->from;
	return f && f->nargs ? f->args[0].span.off : 0;
}
static size_t from_end(const struct cv *c)
{
	const struct ds_instr *f = c->root->from;
	return f && f->nargs ? f->args[0].span.end : 0;
}
#define AT_FROM(c) from_off(c), from_end(c)

static bool published_for(const struct ds_catalog_runtime *rt, const char *debian)
{
	for (size_t i = 0; i < rt->debian.n; i++)
		if (!strcmp(rt->debian.v[i], debian))
			return true;
	return false;
}

/*
 * Picks the release and writes rt_ref for distroless runtime rt. builder is
 * the image whose artifacts the runtime runs (its release is matched when
 * the runtime is published for it). Returns -1 when blocked.
 */
static int pick_release(struct cv *c, const struct ds_catalog_runtime *rt, const struct ds_image_class *builder)
{
	const struct ds_catalog_vendor *dl = ds_catalog_distroless(c->cat);
	c->rt_dl = rt;
	const char *debian = NULL;
	if (!rt->debian.n) {
		blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "runtime '%s' is not published for any release", rt->name);
		return -1;
	}
	const char *newest = rt->debian.v[rt->debian.n - 1];
	if (c->o->debian) {
		debian = published_for(rt, c->o->debian) ? c->o->debian : newest;
		if (debian != c->o->debian)
			note(c, AT_FROM(c), "DST201", "'%s' is not published for debian %s; using debian %s", rt->name,
			     c->o->debian, debian);
	} else if (builder && builder->release && builder->release->family == DS_FAMILY_DEBIAN &&
		   published_for(rt, builder->release->version)) {
		debian = builder->release->version;
	} else if (builder && builder->debian && published_for(rt, builder->debian)) {
		debian = builder->debian; /* a distroless image of that release (a :debug one) */
	} else if (dl->default_debian && published_for(rt, dl->default_debian)) {
		debian = dl->default_debian;
	} else {
		debian = newest;
	}
	const struct ds_catalog_release *rel = ds_catalog_release_find(c->cat, "debian", debian);
	c->codename = rel ? rel->codename : "trixie";
	if (c->o->vendor == DS_VENDOR_CHAINGUARD) {
		const struct ds_catalog_runtime *cg = ds_catalog_chainguard_equivalent(rt);
		if (!cg) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "no chainguard image is known for '%s'", rt->name);
			return -1;
		}
		c->rt = cg;
		c->rt_ref = ds_catalog_runtime_ref(cg, NULL, NULL, c->a);
		c->debian = NULL;
		if (rt->language && rt->version && (!strcmp(rt->language, "python") || !strcmp(rt->language, "node")))
			warn(c, AT_FROM(c), "DST201",
			     "'%s' follows the newest %s release, while what is built here targets %s %s; pin the matching tag if you can",
			     c->rt_ref ? c->rt_ref : cg->name, rt->language, rt->language, rt->version);
	} else {
		c->rt = rt;
		c->debian = debian;
		c->rt_ref = ds_catalog_runtime_ref(rt, debian, NULL, c->a);
	}
	if (!c->rt_ref) {
		blocked(c, DS_CONVERT_ERROR, AT_FROM(c), "DST201", "no image reference for runtime '%s'", rt->name);
		return -1;
	}
	return 0;
}

/* Step 3: the runtime. Returns -1 when the conversion stops here. */
static int pick_runtime(struct cv *c, struct an *an)
{
	const struct ds_image_class *k = &c->cls;
	const char *img = c->root->base ? c->root->base : "?";
	switch (k->target) {
	case DS_TARGET_NONE:
		c->res->suggest = k->suggest;
		if (k->suggest)
			blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no distroless runtime fits '%s': %s; consider '%s'",
				img, k->reason ? k->reason : "none is published", k->suggest);
		else
			blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no distroless runtime fits '%s': %s", img,
				k->reason ? k->reason : "none is published");
		return -1;
	case DS_TARGET_UNKNOWN:
		blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
			"the catalogue knows no runtime for '%s'; add a mapping (--mappings) or convert by hand", img);
		return -1;
	case DS_TARGET_BUMP:
		if (!k->runtime) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "%s", k->reason ? k->reason : "no runtime for this version");
			return -1;
		}
		if (!c->o->bump_runtime) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "%s; --bump-runtime moves it onto '%s'",
				k->reason ? k->reason : "no runtime for this version", k->runtime->name);
			return -1;
		}
		note(c, AT_FROM(c), "DST201", "%s %s has no distroless runtime; moved onto '%s' (--bump-runtime)",
		     k->language ? k->language : "the language", k->version ? k->version : "?", k->runtime->name);
		return pick_release(c, k->runtime, k);
	case DS_TARGET_RUNTIME: {
		const struct ds_catalog_runtime *rt = k->runtime;
		if (k->static_runtime || k->dynamic_runtime) {
			const char *lang;
			int link = stage_linking(c, c->fs, &lang);
			rt = compiled_runtime(c, k, lang ? lang : k->language, link == LINK_STATIC ? LINK_STATIC : LINK_DYNAMIC);
		}
		if (!rt) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "the catalogue names no runtime for '%s'", img);
			return -1;
		}
		return pick_release(c, rt, k);
	}
	case DS_TARGET_BINARY:
		break;
	}
	/* decided by the program the stage runs */
	const struct ds_instr *pw = c->ep ? c->ep : c->cmd;
	if (pw) {
		struct cmdv pv;
		command_argv(c, pw, &pv);
		const struct ds_catalog_tool *t = pv.ok && pv.n ? ds_catalog_tool(c->cat, pv.v[0]) : NULL;
		if (pv.ok && pv.n && (t || ends_with(pv.v[0], ".sh"))) {
			blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, pw), "DST105", "%s runs '%s', which no runtime has: %s",
				ds_instr_keyword(pw->kind), pv.v[0],
				t && t->message ? t->message : t ? "it is a shell" : "a shell script needs a shell");
			return -1;
		}
	}
	if (!an->exe) {
		const struct ds_instr *w = c->ep ? c->ep : c->cmd;
		if (!w) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the final stage on '%s' sets no CMD or ENTRYPOINT, so no runtime can be picked for what it runs", img);
			return -1;
		}
		struct cmdv v;
		command_argv(c, w, &v);
		if (!v.ok || !v.n)
			blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, w), "DST201",
				"cannot tell which program %s runs (%s), so no runtime can be picked", ds_instr_keyword(w->kind),
				v.why ? v.why : "it is empty");
		else
			blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, w), "DST201",
				"'%s' is not copied in from a build stage (it comes with '%s' or a package), so no runtime can be picked",
				v.v[0], img);
		return -1;
	}
	const struct copy *cp = copy_putting(an, an->exe);
	if (!cp || cp->from < 0) {
		const struct ds_instr *w = c->ep ? c->ep : c->cmd;
		size_t o = w ? instr_off(c, w) : from_off(c), e = w ? instr_end(c, w) : from_end(c);
		if (!cp)
			blocked(c, DS_CONVERT_MANUAL, o, e, "DST201",
				"'%s' is not copied in from a build stage; cannot tell what it needs at run time", an->exe);
		else
			blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
				"'%s' comes from %s; cannot tell how it is linked (if it is static, '%s' fits)", an->exe,
				cp->from_other ? "another image" : "the build context",
				ds_catalog_runtime_ref(ds_catalog_runtime(c->cat, "static"), c->o->debian, NULL, c->a));
		return -1;
	}
	const struct ds_stage *origin = stage_at(c, cp->from);
	const char *lang;
	int link = stage_linking(c, origin, &lang);
	if (link == LINK_UNKNOWN) {
		blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
			"cannot tell how '%s' from %s is linked (no go, cargo or C build found there)", an->exe,
			stage_label(c, origin));
		return -1;
	}
	struct ds_image_class ok;
	bool have = classify_stage(c, origin, &ok);
	const struct ds_catalog_runtime *rt = compiled_runtime(c, have ? &ok : NULL, lang, link);
	if (!rt) {
		blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "the catalogue has no runtime for %s programs", lang);
		return -1;
	}
	note(c, AT_INSTR(c, cp->in), "DST201", "'%s' is a %s %s program built in %s: runtime '%s'", an->exe,
	     link == LINK_STATIC ? "statically linked" : "dynamically linked", lang, stage_label(c, origin), rt->name);
	return pick_release(c, rt, have ? &ok : NULL);
}

/* ------------------------------------------------------------------ */
/* what the final chain's RUNs do                                      */

static bool rt_has_pkg(const struct cv *c, const char *p)
{
	const struct ds_catalog_runtime *rt = c->rt_dl ? c->rt_dl : c->rt;
	if (!rt)
		return false;
	if (!strcmp(p, "openssl")) /* for its library: libssl3 on bookworm, libssl3t64 on trixie */
		return ds_catalog_runtime_has_package(rt, "libssl3") || ds_catalog_runtime_has_package(rt, "libssl3t64");
	return ds_catalog_runtime_has_package(rt, p) ||
	       (!strcmp(p, "ca-certificates-bundle") && ds_catalog_runtime_has_package(rt, "ca-certificates"));
}

/* Whether the runtime already has package p (an Alpine name when apk; [] maps count as had). */
static bool pkg_provided(struct cv *c, const struct pkg *p)
{
	if (p->apk) {
		const struct ds_strlist *l = ds_catalog_apk_to_apt(c->cat, p->name);
		if (l) {
			for (size_t i = 0; i < l->n; i++)
				if (!rt_has_pkg(c, l->v[i]))
					return false;
			return true;
		}
	}
	return rt_has_pkg(c, p->name);
}

/* Whether the runtime has a package whose name starts with stem ("libssl" -> libssl3). */
static bool rt_has_pkg_prefix(const struct cv *c, const char *stem)
{
	const struct ds_catalog_runtime *rt = c->rt_dl ? c->rt_dl : c->rt;
	if (!rt)
		return false;
	for (size_t i = 0; i < rt->packages.n; i++)
		if (starts_with(rt->packages.v[i], stem))
			return true;
	return false;
}

/*
 * For a -dev package (Debian name, or an Alpine one mapped to Debian), the
 * library stem ("libpq") the runtime lacks, or NULL when it has it or the
 * package only carries headers.
 */
static const char *missing_library(struct cv *c, const struct pkg *p)
{
	static const char *const headers_only[] = { "linux-libc-dev", "libc6-dev", "libc-dev", "musl-dev",
						    "linux-headers", "python3-dev", "python-dev", NULL };
	const char *names[16];
	size_t n = 0;
	const struct ds_strlist *l = p->apk ? ds_catalog_apk_to_apt(c->cat, p->name) : NULL;
	if (l)
		for (size_t i = 0; i < l->n && n < 16; i++)
			names[n++] = l->v[i];
	else
		names[n++] = p->name;
	for (size_t i = 0; i < n; i++) {
		const char *d = names[i];
		if (!ends_with(d, "-dev") || in_list(d, headers_only) || in_list(p->name, headers_only))
			continue;
		char *stem = ds_arena_strndup(c->a, d, strlen(d) - 4);
		if (!rt_has_pkg_prefix(c, stem))
			return stem;
	}
	return NULL;
}

/* The curl or wget that only the HEALTHCHECK of the chain uses, or NULL. */
static const char *healthcheck_tool(struct an *an, const struct ds_instr *hc)
{
	if (!hc || !hc->nargs || strcasecmp(hc->args[0].text, "CMD") || hc->nargs < 2)
		return NULL;
	const char *tool = NULL;
	for (uint32_t k = 1; k < hc->nargs && !tool; k++) {
		const char *t = hc->args[k].text;
		if (strstr(t, "curl"))
			tool = "curl";
		else if (strstr(t, "wget"))
			tool = "wget";
	}
	if (!tool)
		return NULL;
	for (size_t i = 0; i < an->nruns; i++)
		for (size_t j = 0; j < an->runs[i].n; j++)
			if (ds_shell_cmd_is(&an->runs[i].cmds[j], tool))
				return NULL;
	return tool;
}

static void classify_runs(struct cv *c, struct an *an)
{
	for (size_t i = 0; i < an->nruns; i++) {
		struct run *r = &an->runs[i];
		size_t from = an->npkgs;
		r->pkg0 = from;
		r->kind = RUN_DROP;
		if (!r->ok || r->in->json || !r->n) {
			r->kind = RUN_BUILD;
			continue;
		}
		for (size_t j = 0; j < r->n; j++)
			if (cmd_class(c, &r->cmds[j], r->in, &an->pkgs, &an->npkgs, &an->cappkgs) == CC_BUILD)
				r->kind = RUN_BUILD;
		r->npkg = an->npkgs - from;
		if (r->kind == RUN_BUILD)
			continue;
		for (size_t k = from; k < an->npkgs; k++)
			if (!pkg_provided(c, &an->pkgs[k]) && !(an->hc_tool && !strcmp(an->pkgs[k].name, an->hc_tool)))
				r->kind = RUN_INSTALL;
	}
}

/* The analysed RUN of instruction in, or NULL. */
static const struct run *run_of(const struct an *an, const struct ds_instr *in)
{
	size_t lo = 0, hi = an->nruns; /* runs are in file order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (an->runs[mid].in->index < in->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < an->nruns && an->runs[lo].in == in ? &an->runs[lo] : NULL;
}

static void add_path(struct cv *c, struct an *an, const char *src, const char *dst, const char *chown,
		     const struct ds_instr *why)
{
	if (!src || !*src || src[0] != '/' || has_dollar(src) || strpbrk(src, "*?[") || path_ignored(src) ||
	    in_list(src, system_dirs))
		return;
	an->paths = ds_arena_grow(c->a, an->paths, sizeof *an->paths, an->npaths, &an->cappaths);
	struct apath *p = &an->paths[an->npaths];
	p->src = src;
	p->dst = dst;
	p->chown = chown;
	p->why = why;
	p->seq = an->npaths++;
}

static void add_pypath(struct cv *c, struct an *an, const char *dir)
{
	for (size_t i = 0; i < an->npypath; i++)
		if (!strcmp(an->pypath[i], dir))
			return;
	an->pypath = ds_arena_grow(c->a, an->pypath, sizeof *an->pypath, an->npypath, &an->cappypath);
	an->pypath[an->npypath++] = dir;
}

/* The value of option short/long in cmd ("-o x", "-ox", "--out x", "--out=x"), or NULL. */
static const char *opt_value(const struct ds_shell_cmd *cmd, const char *shortf, const char *longf)
{
	return ds_shell_cmd_flag_value(cmd, shortf, longf);
}

/* The python version ("3.13") of the image stage st runs on, or NULL. */
static const char *python_version(struct cv *c, const struct ds_stage *st)
{
	struct ds_image_class k;
	if (classify_stage(c, st, &k) && k.language && !strcmp(k.language, "python") && k.version)
		return k.version;
	return NULL;
}

/* The home folder of whoever runs RUN in: /root, or /home/USER after a USER. */
static const char *run_home(struct cv *c, struct an *an, const struct run *r)
{
	(void)an;
	const char *home = "/root";
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last && i < r->in->index; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (in && in->kind == DS_I_USER && in->nargs) {
				const char *u = expand(c, st, in, in->args[0].text, NULL);
				size_t ul = strcspn(u, ":");
				home = !strncmp(u, "root", ul) && ul == 4 ? "/root" : ds_arena_printf(c->a, "/home/%.*s", (int)ul, u);
			}
		}
	}
	return home;
}

/* Python packages installed by one command: where they land, or a manual note. */
static void python_install(struct cv *c, struct an *an, const struct run *r, const struct ds_shell_cmd *cmd,
			   size_t sub, const char *cwd, const char *const *venvs, size_t nvenvs)
{
	const char *ver = python_version(c, r->st);
	const char *t = opt_value(cmd, "-t", "--target");
	const char *prefix = opt_value(cmd, NULL, "--prefix");
	bool user = ds_shell_cmd_has_flag(cmd, "--user");
	(void)sub;
	if (ds_shell_cmd_has_flag(cmd, "--root")) {
		manual(c, AT_INSTR(c, r->in), "DST101", "pip install --root puts packages where the runtime stage cannot find them");
		return;
	}
	if (t) {
		const char *p = path_join(c->a, cwd ? cwd : "/", t);
		add_path(c, an, p, p, NULL, r->in);
		add_pypath(c, an, p);
		return;
	}
	/* a virtual environment in effect: an absolute pip inside it, or its bin first on PATH */
	const char *a0 = cmd->argv[0].text;
	const char *path = ds_model_expand(c->m, r->st, r->in->index, "${PATH}", NULL);
	const char *venv = ds_model_expand(c->m, r->st, r->in->index, "${VIRTUAL_ENV}", NULL);
	for (size_t i = 0; i < nvenvs; i++) {
		const char *bin = ds_arena_printf(c->a, "%s/bin/", venvs[i]);
		if (starts_with(a0, bin) || starts_with(path, bin) || (venv && *venv && !strcmp(venv, venvs[i])))
			return; /* the venv is copied whole */
	}
	if (venv && *venv && venv[0] == '/') {
		add_path(c, an, path_norm(c->a, venv), path_norm(c->a, venv), NULL, r->in);
		if (ver)
			add_pypath(c, an, ds_arena_printf(c->a, "%s/lib/python%s/site-packages", path_norm(c->a, venv), ver));
		return;
	}
	if (!ver) {
		manual(c, AT_INSTR(c, r->in), "DST101",
		       "cannot tell where '%s' installs packages on this image, so they cannot be copied into the runtime stage",
		       base_name(a0));
		return;
	}
	const char *site = ds_arena_printf(c->a, "/usr/local/lib/python%s/site-packages", ver);
	if (prefix) {
		const char *p = ds_arena_printf(c->a, "%s/lib/python%s/site-packages", path_join(c->a, cwd ? cwd : "/", prefix), ver);
		add_path(c, an, p, p, NULL, r->in);
		add_pypath(c, an, p);
		return;
	}
	if (user) {
		const char *p = ds_arena_printf(c->a, "%s/.local/lib/python%s/site-packages", run_home(c, an, r), ver);
		/* /root is not readable by nonroot: the packages go to the usual site folder */
		add_path(c, an, p, path_under(p, "/root") ? site : p, NULL, r->in);
		add_pypath(c, an, path_under(p, "/root") ? site : p);
		return;
	}
	add_path(c, an, site, site, NULL, r->in);
	add_pypath(c, an, site);
}

/*
 * Python packages the chain copies in from other stages: a site-packages
 * folder, or a virtual environment whose bin folder is on PATH. The runtime's
 * python finds neither by itself, so they go on PYTHONPATH.
 */
static void python_copies(struct cv *c, struct an *an)
{
	if (!c->rt_dl || !c->rt_dl->language || strcmp(c->rt_dl->language, "python"))
		return;
	const char *path = ds_scope_get(&c->fs->scope, "PATH", 4);
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		const char *d = cp->dest;
		if (ends_with(d, "/site-packages") || ends_with(d, "/dist-packages")) {
			add_pypath(c, an, d);
			an->py_after = cp->in;
			continue;
		}
		if (cp->from < 0 || !path)
			continue;
		const char *bin = ds_arena_printf(c->a, "%s/bin", d);
		const char *hit = strstr(path, bin);
		if (!hit || (hit != path && hit[-1] != ':') || (hit[strlen(bin)] && hit[strlen(bin)] != ':' && hit[strlen(bin)] != '/'))
			continue;
		const char *ver = python_version(c, stage_at(c, cp->from));
		add_pypath(c, an, ds_arena_printf(c->a, "%s/lib/python%s/site-packages", d, ver ? ver : c->rt_dl->version));
		an->py_after = cp->in;
	}
}

/* Files and folders a build RUN leaves behind (outside the WORKDIR too). */
static void run_outputs(struct cv *c, struct an *an, const struct run *r)
{
	const char *cwd = r->cwd;
	const char *venvs[16];
	size_t nvenvs = 0;
	for (size_t j = 0; j < r->n; j++) {
		const struct ds_shell_cmd *cmd = &r->cmds[j];
		/* redirections write files */
		for (size_t k = 0; k + 1 < cmd->nredirs; k++)
			if (strchr(cmd->redirs[k].text, '>') && !strchr(cmd->redirs[k].text, '&')) {
				const char *t = cmd->redirs[k + 1].text;
				if (!cmd->redirs[k + 1].expands && cwd)
					add_path(c, an, path_join(c->a, cwd, t), path_join(c->a, cwd, t), NULL, r->in);
				k++;
			}
		if (!cmd->argc)
			continue;
		const char *name = ds_shell_cmd_name(cmd);
		if (!strcmp(name, "cd")) {
			cwd = cmd->argc > 1 && !cmd->argv[1].expands && cwd ? path_join(c->a, cwd, cmd->argv[1].text) : NULL;
			continue;
		}
		size_t ops[64], nops = 0;
		static const char *const install_values[] = { "-m", "-o", "-g", "--mode", "--owner", "--group", NULL };
		bool install = !strcmp(name, "install");
		for (size_t k = 1; k < cmd->argc && nops < 64; k++) {
			if (cmd->argv[k].text[0] == '-') {
				if (install && in_list(cmd->argv[k].text, install_values))
					k++;
				continue;
			}
			if (!cmd->argv[k].expands)
				ops[nops++] = k;
		}
#define OPERAND(i) path_join(c->a, cwd ? cwd : "/", cmd->argv[ops[i]].text)
		if (!strcmp(name, "mkdir") || !strcmp(name, "touch")) {
			for (size_t k = 0; k < nops; k++)
				if (cwd || cmd->argv[ops[k]].text[0] == '/')
					add_path(c, an, OPERAND(k), OPERAND(k), NULL, r->in);
		} else if (!strcmp(name, "cp") || !strcmp(name, "mv") || !strcmp(name, "ln") || !strcmp(name, "install")) {
			if (nops >= 2 && (cwd || cmd->argv[ops[nops - 1]].text[0] == '/')) {
				const char *dst = OPERAND(nops - 1);
				const char *raw = cmd->argv[ops[nops - 1]].text;
				if (in_list(dst, system_dirs) || raw[strlen(raw) - 1] == '/' || nops > 2) {
					/* into a folder: one entry per source */
					for (size_t k = 0; k + 1 < nops; k++) {
						const char *p = path_join(c->a, dst, base_name(cmd->argv[ops[k]].text));
						add_path(c, an, p, p, NULL, r->in);
					}
				} else {
					add_path(c, an, dst, dst, NULL, r->in);
				}
			}
		} else if (!strcmp(name, "chown")) {
			if (nops >= 2)
				for (size_t k = 1; k < nops; k++)
					if (cwd || cmd->argv[ops[k]].text[0] == '/')
						add_path(c, an, OPERAND(k), OPERAND(k), cmd->argv[ops[0]].text, r->in);
		} else if (!strcmp(name, "go") && cmd->argc > 1 &&
			   (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
			const char *o = opt_value(cmd, "-o", NULL);
			if (o && (cwd || o[0] == '/'))
				add_path(c, an, path_join(c->a, cwd ? cwd : "/", o), path_join(c->a, cwd ? cwd : "/", o), NULL, r->in);
		} else if (!strcmp(name, "tar") || !strcmp(name, "unzip")) {
			const char *d = !strcmp(name, "tar") ? opt_value(cmd, "-C", "--directory") : opt_value(cmd, "-d", NULL);
			if (d && (cwd || d[0] == '/'))
				add_path(c, an, path_join(c->a, cwd ? cwd : "/", d), path_join(c->a, cwd ? cwd : "/", d), NULL, r->in);
		} else if (!strcmp(name, "curl") || !strcmp(name, "wget")) {
			const char *o = !strcmp(name, "curl") ? opt_value(cmd, "-o", "--output") : opt_value(cmd, "-O", "--output-document");
			if (o && strcmp(o, "-") && (cwd || o[0] == '/'))
				add_path(c, an, path_join(c->a, cwd ? cwd : "/", o), path_join(c->a, cwd ? cwd : "/", o), NULL, r->in);
		} else if ((!strcmp(name, "make") || !strcmp(name, "ninja") || !strcmp(name, "cmake")) &&
			   (ds_shell_cmd_has_arg(cmd, "install") || ds_shell_cmd_has_arg(cmd, "--install"))) {
			an->install = r->in;
		} else if (!strcmp(name, "git") && cmd->argc > 2 && !strcmp(cmd->argv[1].text, "clone")) {
			if (nops >= 3 && (cwd || cmd->argv[ops[nops - 1]].text[0] == '/'))
				add_path(c, an, OPERAND(nops - 1), OPERAND(nops - 1), NULL, r->in);
		}
#undef OPERAND
		/* python packages */
		bool pip = !strcmp(name, "pip") || !strcmp(name, "pip3") || starts_with(name, "pip3.");
		size_t sub = 1;
		if (starts_with(name, "python") && cmd->argc > 2 && !strcmp(cmd->argv[1].text, "-m")) {
			if (!strcmp(cmd->argv[2].text, "pip")) {
				pip = true;
				sub = 3;
			} else if (!strcmp(cmd->argv[2].text, "venv") || !strcmp(cmd->argv[2].text, "virtualenv")) {
				size_t k = next_operand(cmd, 3, NULL);
				if (k < cmd->argc && cwd) {
					const char *d = path_join(c->a, cwd, cmd->argv[k].text);
					if (nvenvs < 16)
						venvs[nvenvs++] = d;
					add_path(c, an, d, d, NULL, r->in);
					const char *ver = python_version(c, r->st);
					if (ver)
						add_pypath(c, an, ds_arena_printf(c->a, "%s/lib/python%s/site-packages", d, ver));
				}
				continue;
			}
		}
		if (!strcmp(name, "virtualenv") || (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "venv"))) {
			size_t k = next_operand(cmd, !strcmp(name, "uv") ? 2 : 1, NULL);
			const char *d = k < cmd->argc ? cmd->argv[k].text : ".venv";
			if (cwd || d[0] == '/') {
				d = path_join(c->a, cwd ? cwd : "/", d);
				if (nvenvs < 16)
					venvs[nvenvs++] = d;
				add_path(c, an, d, d, NULL, r->in);
				const char *ver = python_version(c, r->st);
				if (ver)
					add_pypath(c, an, ds_arena_printf(c->a, "%s/lib/python%s/site-packages", d, ver));
			}
			continue;
		}
		if (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "pip")) {
			pip = true;
			sub = 2;
		}
		if (pip) {
			size_t k = next_operand(cmd, sub, NULL);
			if (k < cmd->argc && !strcmp(cmd->argv[k].text, "install"))
				python_install(c, an, r, cmd, k, cwd, venvs, nvenvs);
			continue;
		}
		if (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "sync")) {
			const char *env = ds_model_expand(c->m, r->st, r->in->index, "${UV_PROJECT_ENVIRONMENT}", NULL);
			const char *d = env && *env ? path_join(c->a, cwd ? cwd : "/", env) : cwd ? path_join(c->a, cwd, ".venv") : NULL;
			const char *ver = python_version(c, r->st);
			if (d) {
				add_path(c, an, d, d, NULL, r->in);
				if (ver)
					add_pypath(c, an, ds_arena_printf(c->a, "%s/lib/python%s/site-packages", d, ver));
			}
			continue;
		}
		if (!strcmp(name, "poetry") || !strcmp(name, "pipenv") || !strcmp(name, "pdm") || !strcmp(name, "conda") ||
		    !strcmp(name, "mamba") || !strcmp(name, "micromamba")) {
			size_t k = next_operand(cmd, 1, NULL);
			if (k < cmd->argc && (!strcmp(cmd->argv[k].text, "install") || !strcmp(cmd->argv[k].text, "sync")))
				manual(c, AT_INSTR(c, r->in), "DST101",
				       "cannot tell where '%s %s' puts the packages, so the runtime stage cannot copy them", name,
				       cmd->argv[k].text);
			continue;
		}
		/* global node packages */
		if ((!strcmp(name, "npm") || !strcmp(name, "pnpm")) && ds_shell_cmd_has_flag(cmd, "-g", "--global")) {
			warn(c, AT_INSTR(c, r->in), "DST101",
			     "'%s' installs packages globally, outside the application folder; the runtime stage does not copy them (fine when only the build uses them)",
			     name);
			continue;
		}
		if (!strcmp(name, "yarn") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "global")) {
			warn(c, AT_INSTR(c, r->in), "DST101",
			     "'yarn global' installs packages outside the application folder; the runtime stage does not copy them (fine when only the build uses them)");
			continue;
		}
	}
}

/* Tree order of destinations ('/' sorts first, so a folder's content follows it), then discovery. */
static int apath_cmp(const void *x, const void *y)
{
	const struct apath *a = x, *b = y;
	const unsigned char *p = (const unsigned char *)a->dst, *q = (const unsigned char *)b->dst;
	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p != *q) {
		int pc = *p == '/' ? 1 : *p ? *p + 1 : 0;
		int qc = *q == '/' ? 1 : *q ? *q + 1 : 0;
		return pc - qc;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_owner(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* Step 4's application paths: what the runtime stage copies from the builder. */
static void compute_paths(struct cv *c, struct an *an)
{
	bool compiled = !c->rt_dl || !c->rt_dl->language;
	const struct copy *xc = an->exe ? copy_putting(an, an->exe) : NULL;
	/* a compiled program built in this stage: its sources stay behind */
	bool build_here = compiled && an->exe && !(xc && (xc->from >= 0 || xc->from_other));
	const char *wd = an->workdir;
	bool has_wd = an->workdir_set && strcmp(wd, "/");
	bool wd_copied = !build_here && has_wd;
	if (wd_copied) {
		const struct ds_instr *wi = NULL;
		for (size_t s = 0; s < c->nchain; s++)
			for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
				if (instr_at(c, i) && instr_at(c, i)->kind == DS_I_WORKDIR)
					wi = instr_at(c, i);
		add_path(c, an, wd, wd, NULL, wi);
	}
	uint32_t last_run = c->fs->first;
	for (size_t i = 0; i < an->nruns; i++)
		if (an->runs[i].kind != RUN_DROP && an->runs[i].in->index > last_run)
			last_run = an->runs[i].in->index;
	for (size_t i = 0; i < an->ncopies; i++) {
		struct copy *cp = &an->copies[i];
		if (wd_copied && path_under(cp->dest, wd))
			continue; /* comes with the WORKDIR */
		if (cp->st == c->fs && cp->in->index > last_run && !strcmp(cp->wd, wd)) {
			cp->replay = true; /* nothing after it changes it: the runtime stage copies it itself */
			continue;
		}
		if (build_here && has_wd && path_under(cp->dest, wd) && cp->from < 0 && !cp->from_other)
			continue; /* the sources of the program */
		if (in_list(cp->dest, system_dirs)) {
			for (size_t k = 0; k < cp->nsrcs; k++) {
				const char *sw = cp->srcs[k];
				size_t sl = strlen(sw);
				if (!strcmp(sw, ".") || strpbrk(sw, "*?[") || (sl && sw[sl - 1] == '/') || starts_with(sw, "<<") ||
				    cp->from >= 0 || cp->from_other) {
					manual(c, AT_INSTR(c, cp->in), "DST101",
					       "cannot tell which files %s puts into '%s', so the runtime stage cannot copy them",
					       ds_instr_keyword(cp->in->kind), cp->dest);
					break;
				}
				const char *p = path_join(c->a, cp->dest, base_name(sw));
				add_path(c, an, p, p, cp->chown, cp->in);
			}
			continue;
		}
		add_path(c, an, cp->dest, cp->dest, cp->chown, cp->in);
	}
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		if (r->kind == RUN_DROP || !r->ok)
			continue;
		size_t before = an->npaths;
		run_outputs(c, an, r);
		if (build_here && has_wd) {
			/* build trees stay behind; only the program leaves them */
			size_t o = before;
			for (size_t k = before; k < an->npaths; k++)
				if (!path_under(an->paths[k].src, wd) || (an->exe && !strcmp(an->paths[k].src, an->exe)))
					an->paths[o++] = an->paths[k];
			an->npaths = o;
		}
	}
	if (build_here)
		add_path(c, an, an->exe, an->exe, xc ? xc->chown : NULL, xc ? xc->in : NULL);
	/* in tree order (a folder right before what is inside it), duplicates merged, and
	 * dropped what the nearest enclosing path already copies with the same owner */
	if (an->npaths > 1)
		qsort(an->paths, an->npaths, sizeof *an->paths, apath_cmp);
	size_t o = 0, sp = 0;
	size_t *stack = ds_arena_alloc(c->a, (an->npaths + 1) * sizeof *stack);
	for (size_t i = 0; i < an->npaths; i++) {
		const struct apath *p = &an->paths[i];
		if (o && !strcmp(an->paths[o - 1].dst, p->dst) && !strcmp(an->paths[o - 1].src, p->src)) {
			if (p->chown)
				an->paths[o - 1].chown = p->chown;
			continue;
		}
		while (sp && !path_under(p->dst, an->paths[stack[sp - 1]].dst))
			sp--;
		if (sp) {
			const struct apath *q = &an->paths[stack[sp - 1]];
			if (path_under(p->src, q->src) && !strcmp(p->src + strlen(q->src), p->dst + strlen(q->dst)) &&
			    same_owner(p->chown, q->chown))
				continue;
		}
		an->paths[o] = *p;
		stack[sp++] = o++;
	}
	an->npaths = o;
}

/* Whether absolute path p will exist in the runtime image. */
static bool path_provided(struct cv *c, struct an *an, const char *p, bool split)
{
	if (c->rt && (ds_catalog_runtime_has_binary(c->rt, p, false) || ds_catalog_runtime_has_path(c->rt, p)))
		return true;
	if (split) {
		for (size_t i = 0; i < an->npaths; i++)
			if (path_under(p, an->paths[i].dst))
				return true;
		const struct copy *cp = copy_putting(an, p);
		return cp && cp->replay;
	}
	return copy_putting(an, p) != NULL;
}

/* ------------------------------------------------------------------ */
/* commands                                                            */

struct newcmd {
	const char *kw;       /* keyword to write */
	const char **v;       /* the new exec-form words */
	size_t n;
	bool changed;         /* differs from what is written */
	bool drop;            /* remove the instruction (reported) */
	bool keep;            /* cannot convert: left as it is (reported) */
};

/* Whether w is what a language runtime's entrypoint takes as its program: a script, a jar, an option. */
static bool runtime_argument(const struct ds_catalog_runtime *rt, const char *w)
{
	if (w[0] == '-')
		return true;
	const char *lang = rt->language ? rt->language : "";
	if (!strcmp(lang, "node"))
		return ends_with(w, ".js") || ends_with(w, ".mjs") || ends_with(w, ".cjs");
	if (!strcmp(lang, "python"))
		return ends_with(w, ".py") || ends_with(w, ".pyz") || ends_with(w, ".pyc");
	if (!strcmp(lang, "java"))
		return ends_with(w, ".jar");
	return false;
}

static const char *words_text(struct cv *c, const char *const *v, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ds_buf_addc(&b, ' ');
		ds_buf_adds(&b, v[i]);
	}
	char *r = ds_arena_strndup(c->a, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return r;
}

/*
 * Step 5: the command of CMD, ENTRYPOINT or HEALTHCHECK in for the runtime.
 * ep_set: an ENTRYPOINT is in effect, so a CMD only gives its arguments.
 * split: the runtime stage copies an->paths (else the chain's COPYs stay).
 */
static void convert_command(struct cv *c, struct an *an, const struct ds_instr *in, bool ep_set, bool split,
			    struct newcmd *nc)
{
	memset(nc, 0, sizeof *nc);
	nc->kw = in->keyword;
	bool hc = in->kind == DS_I_HEALTHCHECK;
	const char *what = ds_instr_keyword(in->kind);
	const char *img = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	const struct ds_catalog_runtime *rt = c->rt;
	if (hc && (!in->nargs || strcasecmp(in->args[0].text, "CMD"))) {
		nc->keep = true; /* HEALTHCHECK NONE */
		return;
	}
	struct cmdv cv;
	command_argv(c, in, &cv);
	if (!cv.ok) {
		if (hc) {
			nc->drop = true;
			const char *tool = NULL;
			struct ds_shell_cmd *cs;
			size_t ncs;
			const char *t = in->nargs > 1 ? in->args[1].text : "";
			ds_shell_split(c->a, t, strlen(t), &cs, &ncs);
			for (size_t i = 0; i < ncs && !tool; i++)
				if (cs[i].argc && ds_catalog_tool(c->cat, cs[i].argv[0].text) &&
				    ds_catalog_tool(c->cat, cs[i].argv[0].text)->kind != DS_TOOL_SHELL)
					tool = cs[i].argv[0].text;
			if (tool)
				warn(c, AT_INSTR(c, in), "DST103",
				     "HEALTHCHECK removed from the runtime stage: it needs a shell (%s) and runs '%s', and '%s' has neither; probe the service from outside",
				     cv.why, tool, img);
			else
				warn(c, AT_INSTR(c, in), "DST103",
				     "HEALTHCHECK removed from the runtime stage: it needs a shell (%s), which '%s' does not have; probe the service from outside",
				     cv.why, img);
		} else {
			nc->keep = true;
			manual(c, AT_INSTR(c, in), "DST102",
			       "shell-form %s cannot become exec form: %s; rewrite it without shell features (or move that logic into the program)",
			       what, cv.why);
		}
		return;
	}
	nc->v = cv.v;
	nc->n = cv.n;
	nc->changed = !in->json;
	if (!cv.n || (in->kind == DS_I_CMD && ep_set))
		goto done;
	const char *a0 = cv.v[0];
	const struct ds_strlist *E = rt && !c->ep_cleared ? &rt->entrypoint : NULL;
	if (in->kind == DS_I_CMD && E && E->n) {
		/* the runtime's entrypoint runs the CMD */
		if (ds_catalog_runtime_is_entrypoint(rt, a0)) {
			size_t k = 1;
			bool match = true;
			for (size_t j = 1; j < E->n; j++) {
				if (k < cv.n && !strcmp(cv.v[k], E->v[j]))
					k++;
				else
					match = false;
			}
			if (match) {
				nc->v = cv.v + k;
				nc->n = cv.n - k;
				nc->changed = true;
				note(c, AT_INSTR(c, in), "DST108", "'%s' dropped from CMD: '%s' already runs '%s' as its entrypoint",
				     words_text(c, cv.v, k), img, words_text(c, E->v, E->n));
			} else {
				const char **v = ds_arena_alloc(c->a, (cv.n + 1) * sizeof *v);
				v[0] = E->v[0];
				for (size_t j = 1; j < cv.n; j++)
					v[j] = cv.v[j];
				nc->v = v;
				nc->kw = islower((unsigned char)in->keyword[0]) ? "entrypoint" : "ENTRYPOINT";
				nc->changed = true;
				note(c, AT_INSTR(c, in), "DST108",
				     "CMD '%s' became an ENTRYPOINT running '%s': its options do not fit the runtime's entrypoint '%s'",
				     words_text(c, cv.v, cv.n), E->v[0], words_text(c, E->v, E->n));
			}
			goto done;
		}
	}
	if (rt && E && E->n && ds_catalog_runtime_is_entrypoint(rt, a0) && !ds_catalog_runtime_has_binary(rt, a0, false)) {
		const char **v = ds_arena_alloc(c->a, (cv.n + 1) * sizeof *v);
		memcpy(v, cv.v, cv.n * sizeof *v);
		v[0] = E->v[0];
		nc->v = v;
		nc->changed = true;
		note(c, AT_INSTR(c, in), "DST105", "'%s' is not on the PATH of '%s'; %s runs '%s'", a0, img, what, E->v[0]);
		goto done;
	}
	const struct ds_catalog_tool *tool = ds_catalog_tool(c->cat, a0);
	bool script = ends_with(a0, ".sh") || ends_with(a0, ".bash");
	if (tool || script) {
		const char *why = tool && tool->message ? tool->message
			: script ? "a shell script needs a shell" : "it is a shell";
		if (hc) {
			nc->drop = true;
			warn(c, AT_INSTR(c, in), "DST105",
			     "HEALTHCHECK removed from the runtime stage: it runs '%s', which '%s' does not have (%s); probe the service from outside",
			     a0, img, why);
		} else {
			nc->keep = true;
			manual(c, AT_INSTR(c, in), "DST105", "%s runs '%s', which '%s' does not have: %s", what, a0, img, why);
		}
		return;
	}
	if (in->kind == DS_I_CMD && E && E->n) {
		if (!runtime_argument(rt, a0)) {
			nc->keep = true;
			if (!strcmp(rt->language ? rt->language : "", "python") && !strchr(a0, '/'))
				manual(c, AT_INSTR(c, in), "DST105",
				       "CMD '%s' would be handed to the entrypoint '%s' of '%s', which cannot run it; if '%s' is a console script, run its module instead: [\"-m\", \"%s\", ...]",
				       words_text(c, cv.v, cv.n), E->v[0], img, a0, a0);
			else
				manual(c, AT_INSTR(c, in), "DST105",
				       "CMD '%s' would be handed to the entrypoint '%s' of '%s', which cannot run it; give the %s file it runs",
				       words_text(c, cv.v, cv.n), E->v[0], img,
				       !strcmp(rt->language ? rt->language : "", "java") ? "jar" : "script");
		}
		goto done;
	}
	/* the program must be in the image (when the catalogue knows what the image holds) */
	if (!rt && !c->scratch)
		goto done;
	bool ok = false;
	if (rt && ds_catalog_runtime_has_binary(rt, a0, false))
		ok = true;
	else if (strchr(a0, '/'))
		ok = path_provided(c, an, path_join(c->a, an->workdir, a0), split);
	else {
		ok = program_path(c, an, a0) != NULL;
		for (size_t i = 0; i < an->ncopies && !ok; i++) /* a runtime may find it by other means (wasm) */
			ok = !strcmp(base_name(an->copies[i].dest), a0);
	}
	if (!ok) {
		if (hc) {
			nc->drop = true;
			warn(c, AT_INSTR(c, in), "DST105",
			     "HEALTHCHECK removed from the runtime stage: it runs '%s', which is not in '%s'; probe the service from outside",
			     a0, img);
		} else {
			nc->keep = true;
			manual(c, AT_INSTR(c, in), "DST105",
			       "%s runs '%s', which is neither in '%s' nor copied into the final stage", what, a0, img);
		}
		return;
	}
done:
	if (!in->json)
		note(c, AT_INSTR(c, in), "DST102", "shell-form %s turned into exec form %s", what,
		     ds_convert_json_array(c->a, nc->v, nc->n));
}

/*
 * A shell-form ENTRYPOINT ignores CMD; once in exec form it would receive
 * it as arguments. To keep what runs, that CMD goes. Returns true when the
 * CMD in effect is dropped for this reason.
 */
static bool cmd_ignored(struct cv *c, const struct newcmd *nep)
{
	if (!c->ep || c->ep->json || !c->cmd || nep->keep || nep->drop)
		return false;
	note(c, AT_INSTR(c, c->cmd), "DST102",
	     "CMD removed: the shell-form ENTRYPOINT ignored it, and in exec form it would pass it on as arguments");
	return true;
}

/*
 * The final stage's effective HEALTHCHECK (the last one of its stage chain),
 * ENTRYPOINT and CMD, converted for the runtime (split: for a new runtime
 * stage). Returns the HEALTHCHECK instruction, or NULL.
 */
static const struct ds_instr *convert_commands(struct cv *c, struct an *an, bool split, struct newcmd *nhc,
					       struct newcmd *nep, struct newcmd *ncmd)
{
	const struct ds_instr *hc = NULL;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
			if (instr_at(c, i) && instr_at(c, i)->kind == DS_I_HEALTHCHECK)
				hc = instr_at(c, i);
	if (hc)
		convert_command(c, an, hc, false, split, nhc);
	if (c->ep)
		convert_command(c, an, c->ep, false, split, nep);
	if (cmd_ignored(c, nep))
		ncmd->drop = true;
	else if (c->cmd)
		convert_command(c, an, c->cmd, c->ep && !nep->drop, split, ncmd);
	return hc;
}

/* The text of a converted command instruction: keyword, HEALTHCHECK flags, exec form. */
static const char *command_text(struct cv *c, const struct ds_instr *in, const struct newcmd *nc)
{
	const char *json = ds_convert_json_array(c->a, nc->v, nc->n);
	if (in->kind == DS_I_HEALTHCHECK) {
		uint32_t a0 = in->args[0].span.off;
		return ds_arena_printf(c->a, "%.*sCMD %s", (int)(a0 - in->kw_span.off), c->src + in->kw_span.off, json);
	}
	return ds_arena_printf(c->a, "%s %s", nc->kw, json);
}

/* ------------------------------------------------------------------ */
/* writing instructions                                                */

/* A keyword in the case the file uses for FROM. */
static const char *kwc(const struct cv *c, const char *upper)
{
	const char *k = c->fs->from ? c->fs->from->keyword : "FROM";
	if (!k || !islower((unsigned char)k[0]))
		return upper;
	char *l = ds_arena_strdup(c->a, upper);
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static void out_line(const struct cv *c, struct ds_buf *b, const char *text)
{
	ds_buf_adds(b, text);
	ds_buf_adds(b, c->eol);
}

/* The comment lines directly above in, line ends included ("" when none). */
static const char *comments_above(struct cv *c, const struct ds_instr *in)
{
	uint32_t b = line_start(c, comment_first_line(c, in));
	uint32_t e = line_start(c, instr_first_line(c, in));
	return ds_arena_strndup(c->a, c->src + b, e > b ? e - b : 0);
}

/* Names of the variables text refers to ($NAME, ${NAME...}). */
static size_t vars_in(struct cv *c, const char *t, const char ***out, size_t n, size_t *cap)
{
	for (const char *p = strchr(t, '$'); p; p = strchr(p + 1, '$')) {
		const char *s = p + 1;
		if (*s == '{')
			s++;
		const char *e = s;
		while (*e == '_' || isalnum((unsigned char)*e))
			e++;
		if (e == s || isdigit((unsigned char)*s))
			continue;
		char *name = ds_arena_strndup(c->a, s, (size_t)(e - s));
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = !strcmp((*out)[i], name);
		if (dup)
			continue;
		*out = ds_arena_grow(c->a, *out, sizeof **out, n, cap);
		(*out)[n++] = name;
	}
	return n;
}

/* The ARG instruction of the chain that declares name, or NULL. */
static const struct ds_instr *chain_arg(struct cv *c, const char *name, bool *is_env)
{
	*is_env = false;
	for (size_t s = c->nchain; s-- > 0;) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->last + 1; i-- > st->first + 1;) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in || in->kind != DS_I_ARG)
				continue;
			for (uint32_t k = 0; k < in->nargs; k++) {
				const char *w = in->args[k].text;
				size_t l = strcspn(w, "=");
				if (strlen(name) == l && !strncmp(w, name, l)) {
					*is_env = in->kind == DS_I_ENV;
					return in;
				}
			}
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* split: builder + runtime stage                                      */

struct split {
	const char *builder;      /* the builder stage's name */
	uint32_t at;              /* where the runtime stage is inserted */
	const char *text;         /* its lines, each ended */
};

static bool stage_name_taken(const struct cv *c, const char *name)
{
	for (uint32_t i = 0; i < c->m->nstages; i++)
		if (c->m->stages[i].name && !strcasecmp(c->m->stages[i].name, name))
			return true;
	return false;
}

static void convert_split(struct cv *c, struct an *an, struct split *sp)
{
	const struct ds_stage *fs = c->fs;
	const struct ds_instr *ff = fs->from;
	const char *name_raw = ff->nargs >= 3 ? ff->args[2].text : NULL;
	const char *base = name_raw ? ds_arena_printf(c->a, "%s-build", name_raw) : "builder";
	const char *bname = base;
	for (int n = 2; stage_name_taken(c, bname) && n < 1000; n++)
		bname = ds_arena_printf(c->a, "%s-%d", base, n);
	sp->builder = bname;
	if (name_raw)
		edit(c, ff->args[2].span.off, ff->args[2].span.end, bname);
	else
		edit(c, ff->args[0].span.end, ff->args[0].span.end, ds_arena_printf(c->a, " %s %s", kwc(c, "AS"), bname));
	note(c, AT_INSTR(c, ff), "DST201",
	     "the final stage builds things: it became the builder stage '%s', and a new final stage runs on '%s'",
	     bname, c->rt_ref);

	compute_paths(c, an);

	/* what moves out of the builder */
	uint32_t last_run = fs->first;
	for (uint32_t i = fs->first + 1; i <= fs->last; i++)
		if (instr_at(c, i) && instr_at(c, i)->kind == DS_I_RUN)
			last_run = i;
	struct newcmd nhc = { 0 }, nep = { 0 }, ncmd = { 0 };
	const struct ds_instr *hc = convert_commands(c, an, true, &nhc, &nep, &ncmd);

	for (uint32_t i = fs->first + 1; i <= fs->last; i++) {
		const struct ds_instr *in = instr_at(c, i);
		if (!in)
			break;
		switch (in->kind) {
		case DS_I_CMD:
		case DS_I_ENTRYPOINT:
		case DS_I_HEALTHCHECK:
		case DS_I_EXPOSE:
		case DS_I_STOPSIGNAL:
		case DS_I_LABEL:
		case DS_I_MAINTAINER:
			delete_instr(c, in);
			break;
		case DS_I_ONBUILD:
			delete_instr(c, in);
			if (in->sub && in->sub->kind == DS_I_RUN)
				warn(c, AT_INSTR(c, in), "DST104",
				     "ONBUILD RUN removed: images built FROM the runtime stage could not run it, as '%s' has no shell",
				     c->rt_ref);
			break;
		case DS_I_USER:
		case DS_I_VOLUME:
			if (i > last_run)
				delete_instr(c, in);
			break;
		case DS_I_SHELL:
			note(c, AT_INSTR(c, in), "DST104", "SHELL stays in the builder stage; the runtime stage has no shell");
			break;
		case DS_I_COPY:
		case DS_I_ADD: {
			const struct copy *cp = NULL;
			for (size_t k = 0; k < an->ncopies; k++)
				if (an->copies[k].in == in)
					cp = &an->copies[k];
			if (cp && cp->replay)
				delete_instr(c, in);
			break;
		}
		case DS_I_RUN: {
			const struct run *r = run_of(an, in);
			if (r && r->kind == RUN_DROP && an->hc_tool && nhc.drop) {
				bool only = true;
				for (size_t k = r->pkg0; k < r->pkg0 + r->npkg; k++)
					if (strcmp(an->pkgs[k].name, an->hc_tool) && !pkg_provided(c, &an->pkgs[k]))
						only = false;
				if (only) {
					delete_instr(c, in);
					note(c, AT_INSTR(c, in), "DST101", "RUN removed: it installs '%s' for the HEALTHCHECK, which is removed",
					     an->hc_tool);
				}
			}
			break;
		}
		default:
			break;
		}
	}

	/* the runtime stage: FROM keeps the flags (--platform) and the spelling of AS */
	struct ds_buf b = DS_BUF_INIT;
	const char *flags = "";
	if (ff->nflags) {
		uint32_t fo = ff->flags[0].span.off, fe = ff->flags[ff->nflags - 1].span.end;
		flags = ds_arena_printf(c->a, " %.*s", (int)(fe - fo), c->src + fo);
	}
	if (name_raw)
		out_line(c, &b, ds_arena_printf(c->a, "%s%s %s %s %s", kwc(c, "FROM"), flags, c->rt_ref, ff->args[1].text, name_raw));
	else
		out_line(c, &b, ds_arena_printf(c->a, "%s%s %s", kwc(c, "FROM"), flags, c->rt_ref));
	struct ds_buf body = DS_BUF_INIT;
	const char **vars = NULL;
	size_t nvars = 0, capvars = 0;
	/* ENV, LABEL, MAINTAINER */
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in || (in->kind != DS_I_ENV && in->kind != DS_I_LABEL && in->kind != DS_I_MAINTAINER))
				continue;
			bool moved = c->chain[s] == fs && in->kind != DS_I_ENV;
			const char *t = instr_text(c, in, moved);
			nvars = vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		}
	if (an->npypath) {
		struct ds_buf v = DS_BUF_INIT;
		for (size_t i = 0; i < an->npypath; i++) {
			if (i)
				ds_buf_addc(&v, ':');
			ds_buf_adds(&v, an->pypath[i]);
		}
		const char *old = ds_scope_get(&fs->scope, "PYTHONPATH", 10);
		if (old && *old) {
			ds_buf_addc(&v, ':');
			ds_buf_adds(&v, old);
		}
		out_line(c, &body, ds_arena_printf(c->a, "%s PYTHONPATH=%s", kwc(c, "ENV"), v.buf));
		note(c, AT_INSTR(c, ff), "DST201", "PYTHONPATH set to '%s' so that the runtime's python finds the installed packages",
		     v.buf);
		ds_buf_release(&v);
	}
	if (an->workdir_set)
		out_line(c, &body, ds_arena_printf(c->a, "%s %s", kwc(c, "WORKDIR"), an->workdir));
	for (size_t i = 0; i < an->npaths; i++) {
		const struct apath *p = &an->paths[i];
		const char *chown = "";
		if (p->chown) {
			bool changed;
			const char *m = ds_convert_map_user(c->a, c->rt, p->chown, &changed);
			chown = ds_arena_printf(c->a, " --chown=%s", m);
			if (changed)
				note(c, p->why ? instr_off(c, p->why) : instr_off(c, ff), p->why ? instr_end(c, p->why) : instr_end(c, ff),
				     "DST106", "owner '%s' of '%s' becomes '%s' in the runtime stage: '%s' has no such user or group",
				     p->chown, p->dst, m, c->rt_ref);
		}
		out_line(c, &body, ds_arena_printf(c->a, "%s --from=%s%s %s %s", kwc(c, "COPY"), bname, chown, p->src, p->dst));
		if (p->why)
			note(c, AT_INSTR(c, p->why), "DST201", "'%s' is copied from the builder into the runtime stage", p->src);
	}
	size_t nreplay = 0;
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		if (!cp->replay)
			continue;
		nreplay++;
		const char *t = instr_text(c, cp->in, true);
		const struct ds_flag *f = ds_instr_flag(cp->in, "chown");
		if (f && f->value && cp->chown) {
			bool changed;
			const char *m = ds_convert_map_user(c->a, c->rt, cp->chown, &changed);
			if (changed) {
				uint32_t b0 = line_start(c, comment_first_line(c, cp->in));
				t = ds_arena_printf(c->a, "%.*s--chown=%s%.*s", (int)(f->span.off - b0), c->src + b0, m,
						    (int)(strlen(t) - (f->span.end - b0)), t + (f->span.end - b0));
				note(c, f->span.off, f->span.end, "DST106",
				     "--chown '%s' becomes '%s' in the runtime stage: '%s' has no such user or group", cp->chown, m,
				     c->rt_ref);
			}
		}
		nvars = vars_in(c, t, &vars, nvars, &capvars);
		out_line(c, &body, t);
		note(c, AT_INSTR(c, cp->in), "DST201", "%s moves to the runtime stage as it is: nothing after it changes its files",
		     ds_instr_keyword(cp->in->kind));
	}
	if (!an->npaths && !nreplay) {
		manual(c, AT_INSTR(c, ff), "DST201",
		       "the runtime stage would copy nothing from the builder, so its RUNs would never run; say which files the program needs");
		c->abandon = true;
	}
	if (an->install && !c->rt_dl->language)
		warn(c, AT_INSTR(c, an->install), "DST201",
		     "this RUN installs more than the program (libraries, data); the runtime stage copies only what it knows of, so add COPY lines for the rest the program needs");
	const struct copy *xc = an->exe ? copy_putting(an, an->exe) : NULL;
	if (!c->rt_dl->language && an->exe && an->workdir_set && path_under(an->exe, an->workdir) &&
	    !(xc && (xc->from >= 0 || xc->from_other)))
		note(c, AT_INSTR(c, ff), "DST201",
		     "only the program '%s' leaves the build folder; copy any other file it reads at run time", an->exe);
	/* VOLUME, EXPOSE, STOPSIGNAL, ONBUILD */
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in || (in->kind != DS_I_VOLUME && in->kind != DS_I_EXPOSE && in->kind != DS_I_STOPSIGNAL &&
				    in->kind != DS_I_ONBUILD))
				continue;
			if (in->kind == DS_I_ONBUILD && (c->chain[s] != fs || (in->sub && in->sub->kind == DS_I_RUN)))
				continue;
			bool moved = c->chain[s] == fs && (in->kind != DS_I_VOLUME || i > last_run);
			const char *t = instr_text(c, in, moved);
			nvars = vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		}
	if (an->user_in) {
		const struct ds_instr *u = an->user_in;
		const char *spec = expand(c, ds_model_stage_of(c->m, u->index), u, u->args[0].text, NULL);
		bool changed;
		const char *m = ds_convert_map_user(c->a, c->rt, spec, &changed);
		if (changed)
			note(c, AT_INSTR(c, u), "DST106", "USER '%s' becomes '%s' in the runtime stage: '%s' has no such user or group",
			     spec, m, c->rt_ref);
		const char *cm = u->index > last_run && ds_model_stage_of(c->m, u->index) == fs ? comments_above(c, u) : "";
		ds_buf_adds(&body, cm);
		out_line(c, &body, ds_arena_printf(c->a, "%s %s", kwc(c, "USER"), m));
	} else {
		const char *who = c->o->vendor == DS_VENDOR_DISTROLESS ? "nonroot" : c->rt->user;
		if (who && strcmp(who, "root"))
			note(c, instr_end(c, ff), instr_end(c, ff), "DST106", "the runtime stage runs as '%s'; the original set no USER",
			     who);
	}
	if (c->ep_empty) {
		if (ds_model_stage_of(c->m, c->ep_empty->index) == fs)
			ds_buf_adds(&body, comments_above(c, c->ep_empty));
		out_line(c, &body, instr_text(c, c->ep_empty, false));
	}
	const struct ds_instr *cmds[3] = { hc, c->ep, c->cmd };
	const struct newcmd *ncs[3] = { &nhc, &nep, &ncmd };
	for (int k = 0; k < 3; k++) {
		const struct ds_instr *in = cmds[k];
		if (!in || ncs[k]->drop)
			continue;
		if (ds_model_stage_of(c->m, in->index) == fs)
			ds_buf_adds(&body, comments_above(c, in));
		if (ncs[k]->keep) {
			const char *t = instr_text(c, in, false);
			nvars = vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		} else {
			out_line(c, &body, command_text(c, in, ncs[k]));
		}
	}
	/* ARGs the copied lines refer to */
	for (size_t i = 0; i < nvars; i++) {
		bool is_env;
		const struct ds_instr *ai = chain_arg(c, vars[i], &is_env);
		if (ai && is_env)
			continue;
		if (ai) {
			out_line(c, &b, instr_text(c, ai, false));
			continue;
		}
		if (ds_scope_get(&c->m->globals, vars[i], strlen(vars[i])))
			out_line(c, &b, ds_arena_printf(c->a, "%s %s", kwc(c, "ARG"), vars[i]));
	}
	ds_buf_add(&b, body.buf ? body.buf : "", body.len);
	ds_buf_release(&body);
	sp->text = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	const struct ds_instr *last = instr_at(c, fs->last);
	sp->at = line_next(c, instr_last_line(c, last ? last : ff));
}

/* ------------------------------------------------------------------ */
/* fix and swap: edits in place                                        */

static void map_user_in_place(struct cv *c, const struct ds_stage *st, const struct ds_instr *in, uint32_t off,
			      uint32_t end, const char *raw, const char *what, const char *prefix)
{
	if (!c->rt && !c->scratch)
		return; /* an image the catalogue does not describe: its users are unknown */
	bool unset = false;
	const char *spec = expand(c, st, in, raw, &unset);
	if (unset || has_dollar(spec)) {
		manual(c, off, end, "DST106", "%s '%s' cannot be checked: it uses a variable without a value", what, raw);
		return;
	}
	if (c->scratch) {
		const char *colon = strchr(spec, ':');
		size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
		if (!all_digits(spec, ul) || (colon && !all_digits(colon + 1, strlen(colon + 1))))
			manual(c, off, end, "DST106", "%s '%s' needs /etc/passwd, which scratch lacks; use numeric ids such as 65532:65532",
			       what, spec);
		return;
	}
	bool changed;
	const char *m = ds_convert_map_user(c->a, c->rt, spec, &changed);
	if (!changed)
		return;
	edit(c, off, end, ds_arena_printf(c->a, "%s%s", prefix, m));
	note(c, off, end, "DST106", "%s '%s' rewritten to '%s': '%s' has no such user or group", what, spec, m,
	     c->rt_ref ? c->rt_ref : c->root->base);
}

/* Replaces a converted command instruction in place. */
static void command_in_place(struct cv *c, const struct ds_instr *in, const struct newcmd *nc)
{
	if (nc->drop) {
		delete_instr(c, in);
		return;
	}
	if (nc->keep || !nc->changed)
		return;
	const char *json = ds_convert_json_array(c->a, nc->v, nc->n);
	if (in->kind == DS_I_HEALTHCHECK)
		edit(c, in->args[0].span.off, in->rest_span.end, ds_arena_printf(c->a, "CMD %s", json));
	else if (strcmp(nc->kw, in->keyword))
		edit(c, in->kw_span.off, in->rest_span.end, ds_arena_printf(c->a, "%s %s", nc->kw, json));
	else
		edit(c, in->rest_span.off, in->rest_span.end, json);
}

/* swap: also points FROM at the runtime and drops the RUNs the runtime does not need. */
static void convert_in_place(struct cv *c, struct an *an, bool swap)
{
	const char *img = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	struct newcmd nhc = { 0 }, nep = { 0 }, ncmd = { 0 };
	const struct ds_instr *hc = convert_commands(c, an, false, &nhc, &nep, &ncmd);
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in)
				break;
			switch (in->kind) {
			case DS_I_RUN: {
				const struct run *r = run_of(an, in);
				if (swap && r && r->kind == RUN_DROP) {
					delete_instr(c, in);
					bool users = false, pkgs = false;
					struct pkg *tp = NULL;
					size_t tn = 0, tc = 0;
					for (size_t k = 0; k < r->n; k++) {
						enum cmd_class cc = cmd_class(c, &r->cmds[k], in, &tp, &tn, &tc);
						users = users || cc == CC_USER;
						pkgs = pkgs || cc == CC_PKG;
					}
					note(c, AT_INSTR(c, in), "DST101", "RUN removed: %s",
					     pkgs && users ? "it installs only what the runtime already has and creates users it replaces with its own"
					     : pkgs ? (an->hc_tool && nhc.drop ? "it installs only what the runtime already has or what the removed HEALTHCHECK used"
							: "it installs only what the runtime already has")
					     : users ? "it creates users; the runtime has its own" : "it only cleans up");
				} else if (!in->json) {
					manual(c, AT_INSTR(c, in), "DST101",
					       "RUN needs /bin/sh, which '%s' does not have; run it in a builder stage and copy the result", img);
				}
				break;
			}
			case DS_I_USER:
				if (in->nargs)
					map_user_in_place(c, st, in, in->args[0].span.off, in->args[0].span.end, in->args[0].text,
							  "USER", "");
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "chown");
				if (f && f->value)
					map_user_in_place(c, st, in, f->span.off, f->span.end, f->value, "--chown", "--chown=");
				break;
			}
			case DS_I_CMD:
			case DS_I_ENTRYPOINT:
			case DS_I_HEALTHCHECK:
				if (in == c->cmd)
					command_in_place(c, in, &ncmd);
				else if (in == c->ep)
					command_in_place(c, in, &nep);
				else if (in == hc)
					command_in_place(c, in, &nhc);
				else if (!in->json && !(in->kind == DS_I_HEALTHCHECK && in->nargs &&
							strcasecmp(in->args[0].text, "CMD"))) {
					delete_instr(c, in);
					note(c, AT_INSTR(c, in), "DST102", "shell-form %s removed: a later instruction overrides it",
					     ds_instr_keyword(in->kind));
				}
				break;
			case DS_I_SHELL:
				delete_instr(c, in);
				warn(c, AT_INSTR(c, in), "DST104", "SHELL removed: '%s' has no shell", img);
				break;
			case DS_I_ONBUILD:
				if (in->sub && in->sub->kind == DS_I_RUN && !in->sub->json) {
					delete_instr(c, in);
					warn(c, AT_INSTR(c, in), "DST104",
					     "ONBUILD RUN removed: images built FROM this one could not run it, as '%s' has no shell", img);
				}
				break;
			default:
				break;
			}
		}
	}
	if (swap && an->npypath && an->py_after) {
		struct ds_buf v = DS_BUF_INIT;
		for (size_t i = 0; i < an->npypath; i++) {
			if (i)
				ds_buf_addc(&v, ':');
			ds_buf_adds(&v, an->pypath[i]);
		}
		const char *old = ds_scope_get(&c->fs->scope, "PYTHONPATH", 10);
		if (old && *old) {
			ds_buf_addc(&v, ':');
			ds_buf_adds(&v, old);
		}
		uint32_t at = line_next(c, instr_last_line(c, an->py_after));
		bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
		edit(c, at, at, ds_arena_printf(c->a, "%s%s PYTHONPATH=%s%s", unterminated ? c->eol : "", kwc(c, "ENV"), v.buf,
						unterminated ? "" : c->eol));
		note(c, AT_INSTR(c, an->py_after), "DST201",
		     "PYTHONPATH set to '%s' so that the runtime's python finds the packages copied here", v.buf);
		ds_buf_release(&v);
	}
	if (swap) {
		const struct ds_instr *ff = c->fs->from;
		edit(c, ff->args[0].span.off, ff->args[0].span.end, c->rt_ref);
		note(c, ff->args[0].span.off, ff->args[0].span.end, "DST201", "the final stage now runs on '%s' instead of '%s'",
		     c->rt_ref, c->fs->base_raw ? c->fs->base_raw : "?");
		if (!an->user_in && c->o->vendor == DS_VENDOR_DISTROLESS)
			note(c, ff->args[0].span.end, ff->args[0].span.end, "DST106",
			     "the final stage runs as 'nonroot'; the original set no USER");
	}
}

/* ------------------------------------------------------------------ */
/* musl to glibc, version bumps: new images for builder stages         */

static void compute_feeds(struct cv *c, struct an *an, bool split)
{
	uint32_t n = c->m->nstages;
	c->feeds = ds_arena_zalloc(c->a, n + 1);
	uint32_t *q = ds_arena_alloc(c->a, (n * 4 + 8) * sizeof *q);
	size_t qt = 0;
	if (split)
		q[qt++] = c->fs->index;
	else
		for (size_t i = 0; i < an->ncopies; i++)
			if (an->copies[i].from >= 0)
				q[qt++] = (uint32_t)an->copies[i].from;
	for (size_t qh = 0; qh < qt; qh++) {
		uint32_t s = q[qh];
		if (s >= n || c->feeds[s])
			continue;
		c->feeds[s] = 1;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *p = stage_parent(c, st);
		if (p && qt < n * 4 + 8)
			q[qt++] = p->index;
		for (uint32_t k = 0; k < st->ndeps; k++)
			if (st->deps[k].stage >= 0 && (uint32_t)st->deps[k].stage < n && qt < n * 4 + 8)
				q[qt++] = (uint32_t)st->deps[k].stage;
	}
}

/* Whether what stage st builds may be native code tied to its libc. */
static bool stage_native(struct cv *c, const struct ds_stage *st, const struct ds_image_class *k)
{
	if (k->language && !strcmp(k->language, "java"))
		return false;
	const char *lang;
	int link = stage_linking(c, st, &lang);
	if (lang)
		return link != LINK_STATIC;
	for (const struct ds_stage *s = st; s; s = stage_parent(c, s))
		for (uint32_t i = s->first + 1; i <= s->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (!in || in->kind != DS_I_RUN)
				continue;
			struct run r;
			parse_run(c, s, in, "/", &r);
			if (!r.ok || in->json)
				return true;
			struct pkg *tp = NULL;
			size_t tn = 0, tc = 0;
			for (size_t j = 0; j < r.n; j++)
				if (cmd_class(c, &r.cmds[j], in, &tp, &tn, &tc) == CC_BUILD && r.cmds[j].argc &&
				    !in_list(ds_shell_cmd_name(&r.cmds[j]), file_tools))
					return true;
		}
	return false;
}

/* The raw FROM word rewritten so that it expands to new instead of old, keeping variables; NULL when it cannot. */
static const char *retarget(struct cv *c, const char *raw, const char *old, const char *new)
{
	if (!has_dollar(raw))
		return new;
	size_t lo = strlen(old), ln = strlen(new), p = 0;
	while (p < lo && p < ln && old[p] == new[p])
		p++;
	size_t s = 0;
	while (s < lo - p && s < ln - p && old[lo - 1 - s] == new[ln - 1 - s])
		s++;
	const char *tail = old + p;
	if (!has_dollar(tail) && ends_with(raw, tail))
		return ds_arena_printf(c->a, "%.*s%s", (int)(strlen(raw) - strlen(tail)), raw, new + p);
	size_t hl = lo - s;
	if (!memchr(old, '$', hl) && !strncmp(raw, old, hl))
		return ds_arena_printf(c->a, "%.*s%s", (int)(ln - s), new, raw + hl);
	/* Alpine to Debian: the tag from "alpine" on, even when an Alpine version variable follows */
	const char *ao = strstr(old, "alpine"), *ar = NULL;
	for (const char *q = strstr(raw, "alpine"); q; q = strstr(q + 1, "alpine"))
		ar = q;
	if (ao && ar && !strncmp(new, old, (size_t)(ao - old))) {
		const char *rest = ar + 6;
		bool plain = true;
		for (const char *q = rest; *q && plain; q++) {
			if (*q == '$') {
				q++;
				if (*q == '{')
					while (*q && *q != '}')
						q++;
				else
					while (*q == '_' || isalnum((unsigned char)*q))
						q++;
				if (!*q)
					break;
				if (*q != '}')
					q--;
				continue;
			}
			plain = isdigit((unsigned char)*q) || *q == '.';
		}
		if (plain)
			return ds_arena_printf(c->a, "%.*s%s", (int)(ar - raw), raw, new + (ao - old));
	}
	return NULL;
}

/* Tries to move a global ARG's value so that raw expands to new; true when done. */
static bool retarget_arg(struct cv *c, const struct ds_stage *st, const char *raw, const char *old, const char *new)
{
	const char **vars = NULL;
	size_t cap = 0, nv = vars_in(c, raw, &vars, 0, &cap);
	uint32_t first = c->m->nstages ? c->m->stages[0].first : c->df->ninstrs;
	for (size_t i = 0; i < nv; i++) {
		const char *val = ds_scope_get(&c->m->globals, vars[i], strlen(vars[i]));
		if (!val || !*val)
			continue;
		const char *at = strstr(old, val);
		if (!at || strstr(at + 1, val))
			continue;
		size_t pre = (size_t)(at - old), post = strlen(old) - pre - strlen(val);
		if (strlen(new) < pre + post || strncmp(new, old, pre) || strcmp(new + strlen(new) - post, old + pre + strlen(val)))
			continue;
		const char *nval = ds_arena_strndup(c->a, new + pre, strlen(new) - pre - post);
		for (uint32_t k = 0; k < first && k < c->df->ninstrs; k++) {
			const struct ds_instr *in = &c->df->instrs[k];
			if (in->kind != DS_I_ARG)
				continue;
			for (uint32_t j = 0; j < in->nargs; j++) {
				const char *w = in->args[j].text;
				size_t l = strcspn(w, "=");
				if (l == strlen(vars[i]) && !strncmp(w, vars[i], l) && w[l] == '=') {
					edit(c, in->args[j].span.off, in->args[j].span.end, ds_arena_printf(c->a, "%s=%s", vars[i], nval));
					note(c, in->args[j].span.off, in->args[j].span.end, "DST201",
					     "ARG %s changes from '%s' to '%s' for %s", vars[i], val, nval, stage_label(c, st));
					return true;
				}
			}
		}
	}
	return false;
}

/* Writes the new image of root stage r: old -> mid (version) -> new (Debian). */
static void rewrite_from(struct cv *c, const struct ds_stage *r, const char *old, const char *mid, const char *new)
{
	const struct ds_instr *f = r->from;
	if (!f || !f->nargs)
		return;
	const char *raw = f->args[0].text;
	const char *cur = raw;
	if (strcmp(old, mid)) {
		const char *t = retarget(c, cur, old, mid);
		if (t)
			cur = t;
		else if (!retarget_arg(c, r, raw, old, mid)) {
			cur = mid;
			note(c, f->args[0].span.off, f->args[0].span.end, "DST201",
			     "the variables in '%s' are replaced by the new image's name", raw);
		}
	}
	if (strcmp(mid, new)) {
		const char *t = retarget(c, cur, mid, new);
		if (!t) {
			t = new;
			note(c, f->args[0].span.off, f->args[0].span.end, "DST201",
			     "the variables in '%s' are replaced by the new image's name", raw);
		}
		cur = t;
	}
	if (strcmp(cur, raw))
		edit(c, f->args[0].span.off, f->args[0].span.end, cur);
}

/* The tag of ref with its leading version replaced by version ("20-alpine" -> "22-alpine"), or NULL. */
static const char *bump_tag(struct cv *c, const char *tag, const char *from, const char *to)
{
	if (!tag || !starts_with(tag, from))
		return NULL;
	size_t n = 0;
	while (tag[n] && (isdigit((unsigned char)tag[n]) || tag[n] == '.'))
		n++;
	if (n < strlen(from))
		return NULL;
	return ds_arena_printf(c->a, "%s%s", to, tag + n);
}

/* Moves Alpine stages whose artifacts reach a glibc runtime, and builders of the runtime's language to its version. */
static void retarget_builders(struct cv *c)
{
	uint32_t n = c->m->nstages;
	c->moved = ds_arena_zalloc(c->a, (n + 1) * sizeof *c->moved);
	enum ds_libc libc = c->rt ? c->rt->libc : c->cls.libc;
	const struct ds_catalog_runtime *rt = c->rt_dl;
	bool *done = ds_arena_zalloc(c->a, (n + 1) * sizeof *done);
	/* per root image: whether any stage built on it sends native code to the runtime */
	bool *native = ds_arena_zalloc(c->a, (n + 1) * sizeof *native);
	for (uint32_t s = 0; s < n; s++) {
		if (!c->feeds[s])
			continue;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *r = stage_root(c, st);
		struct ds_image_class k;
		if (!native[r->index] && classify_stage(c, r, &k) && k.family == DS_FAMILY_ALPINE && stage_native(c, st, &k))
			native[r->index] = true;
	}
	for (uint32_t s = 0; s < n; s++) {
		if (!c->feeds[s])
			continue;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *r = stage_root(c, st);
		if (done[r->index] || r->base_kind != DS_BASE_IMAGE || !r->has_image || r->image.unresolved)
			continue;
		struct ds_image_class k;
		if (!classify_stage(c, r, &k))
			continue;
		const char *old = r->base;
		const char *mid = old;
		/* the runtime's language version */
		if (rt && rt->language && rt->version && k.language && !strcmp(k.language, rt->language) && k.version &&
		    strcmp(k.version, rt->version) && (!strcmp(rt->language, "node") || !strcmp(rt->language, "python"))) {
			const char *t = bump_tag(c, r->image.tag, k.version, rt->version);
			if (t) {
				mid = ds_imageref_format(c->a, &r->image, t);
				note(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
				     "builder '%s' moves to '%s': what it builds must match the runtime's %s %s", old, mid,
				     rt->language, rt->version);
			} else {
				manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
				       "builder '%s' has %s %s but the runtime has %s; build with the same version", old,
				       rt->language, k.version, rt->version);
			}
		}
		const char *new = mid;
		if (libc == DS_LIBC_GLIBC && k.family == DS_FAMILY_ALPINE && native[r->index]) {
			struct ds_imageref mref, out;
			const char *err;
			if (ds_imageref_parse(c->a, mid, strlen(mid), &mref, &err) == 0 &&
			    ds_catalog_debian_for_alpine(c->cat, &mref, c->codename, c->a, &out) == 0) {
				new = ds_imageref_format(c->a, &out, NULL);
				c->moved[r->index] = true;
				note(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
				     "%s moves from '%s' to '%s': what it builds for the glibc runtime must not be linked against musl",
				     stage_label(c, r), mid, new);
			} else {
				manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
				       "'%s' is Alpine (musl) and its artifacts reach a glibc runtime, but no Debian equivalent is known",
				       mid);
			}
		} else if (libc == DS_LIBC_GLIBC && k.release && k.release->glibc && rt && c->debian) {
			const char *g = ds_catalog_runtime_glibc(c->cat, rt, c->debian);
			if (g && ds_catalog_version_cmp(k.release->glibc, g) > 0)
				manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST204",
				       "'%s' has glibc %s, newer than the runtime's %s: its binaries may not run there", old,
				       k.release->glibc, g);
		}
		done[r->index] = true;
		if (strcmp(new, old))
			rewrite_from(c, r, old, mid, new);
	}
}

/* ------------------------------------------------------------------ */
/* Alpine commands in a stage moved to Debian                          */

/* A word for sh: as is when safe, else in single quotes. */
static const char *shell_quote(struct cv *c, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=+-,@%") == strlen(w))
		return w;
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '\'');
	for (const char *p = w; *p; p++) {
		if (*p == '\'')
			ds_buf_adds(&b, "'\\''");
		else
			ds_buf_addc(&b, *p);
	}
	ds_buf_addc(&b, '\'');
	char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* busybox adduser/addgroup as Debian's useradd/groupadd/usermod, or NULL with *why. */
static const char *translate_user_cmd(struct cv *c, const struct ds_shell_cmd *cmd, const char **why)
{
	const char *name = ds_shell_cmd_name(cmd);
	bool add_user = !strcmp(name, "adduser");
	const char *ops[4];
	size_t nops = 0;
	struct ds_buf opt = DS_BUF_INIT;
	bool system = false, nohome = false;
	for (size_t i = 1; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (cmd->argv[i].expands) {
			*why = "it uses variables";
			ds_buf_release(&opt);
			return NULL;
		}
		if (w[0] != '-') {
			if (nops == 4) {
				*why = "it has too many operands";
				ds_buf_release(&opt);
				return NULL;
			}
			ops[nops++] = w;
			continue;
		}
		const char *eq = strchr(w, '=');
		char *f = ds_arena_strndup(c->a, w, eq ? (size_t)(eq - w) : strlen(w));
		const char *val = eq ? eq + 1 : NULL;
		const char *to = NULL;
		bool takes = true;
		if (!strcmp(f, "-S") || !strcmp(f, "--system")) {
			system = true;
			takes = false;
		} else if (!strcmp(f, "-D") || !strcmp(f, "--disabled-password") || !strcmp(f, "--empty-password")) {
			takes = false;
		} else if (add_user && (!strcmp(f, "-H") || !strcmp(f, "--no-create-home"))) {
			nohome = true;
			takes = false;
		} else if (add_user && (!strcmp(f, "-h") || !strcmp(f, "--home"))) {
			to = "--home-dir";
		} else if (add_user && (!strcmp(f, "-g") || !strcmp(f, "--gecos"))) {
			to = "--comment";
		} else if (add_user && (!strcmp(f, "-s") || !strcmp(f, "--shell"))) {
			to = "--shell";
		} else if (add_user && (!strcmp(f, "-G") || !strcmp(f, "--ingroup"))) {
			to = "--gid";
		} else if (add_user && (!strcmp(f, "-u") || !strcmp(f, "--uid"))) {
			to = "--uid";
		} else if (!add_user && (!strcmp(f, "-g") || !strcmp(f, "--gid"))) {
			to = "--gid";
		} else if (add_user && (!strcmp(f, "-k"))) {
			to = NULL; /* skeleton folder: Debian's default is fine */
		} else {
			*why = ds_arena_printf(c->a, "option '%s' of busybox %s has no known equivalent", w, name);
			ds_buf_release(&opt);
			return NULL;
		}
		if (takes) {
			if (!val) {
				if (i + 1 >= cmd->argc) {
					*why = ds_arena_printf(c->a, "option '%s' lacks its value", w);
					ds_buf_release(&opt);
					return NULL;
				}
				val = cmd->argv[++i].text;
			}
			if (to) {
				ds_buf_addc(&opt, ' ');
				ds_buf_adds(&opt, to);
				ds_buf_addc(&opt, ' ');
				ds_buf_adds(&opt, shell_quote(c, val));
			}
		}
	}
	const char *r = NULL;
	if (nops == 1) {
		r = ds_arena_printf(c->a, "%s%s%s%s %s", add_user ? "useradd" : "groupadd", system ? " --system" : "",
				    add_user && !nohome ? " --create-home" : "", opt.buf ? opt.buf : "", shell_quote(c, ops[0]));
	} else if (nops == 2 && !opt.len && !system) {
		r = ds_arena_printf(c->a, "usermod -a -G %s %s", shell_quote(c, ops[1]), shell_quote(c, ops[0]));
	} else {
		*why = ds_arena_printf(c->a, "busybox %s with these operands has no known equivalent", name);
	}
	ds_buf_release(&opt);
	return r;
}

/* Deletes source [so, se) of a word and the blanks (and continuations) before it. */
static void delete_word(struct cv *c, uint32_t floor, uint32_t so, uint32_t se)
{
	uint32_t b = so;
	for (;;) {
		while (b > floor && (c->src[b - 1] == ' ' || c->src[b - 1] == '\t'))
			b--;
		uint32_t e = b;
		if (e > floor && c->src[e - 1] == '\n') {
			e--;
			if (e > floor && c->src[e - 1] == '\r')
				e--;
			if (e > floor && c->src[e - 1] == c->df->escape) {
				b = e - 1;
				continue;
			}
		}
		break;
	}
	edit(c, b, se, "");
}

/* Translates the apk and busybox commands of one RUN of a stage that moved to Debian. */
static void translate_run(struct cv *c, const struct ds_stage *st, const struct ds_instr *in)
{
	struct run r;
	parse_run(c, st, in, "/", &r);
	bool alpine = false;
	for (size_t j = 0; j < r.n; j++) {
		const char *nm = ds_shell_cmd_name(&r.cmds[j]);
		if (!strcmp(nm, "apk") || ((!strcmp(nm, "adduser") || !strcmp(nm, "addgroup"))))
			alpine = true;
		for (size_t k = 0; k < r.cmds[j].argc; k++)
			if (strstr(r.cmds[j].argv[k].text, "musl"))
				alpine = true;
	}
	if (!alpine)
		return;
	if (!r.ok || r.map == 2) {
		manual(c, AT_INSTR(c, in), "DST202",
		       "this RUN uses Alpine commands and cannot be translated for Debian automatically");
		return;
	}
	bool *del = ds_arena_zalloc(c->a, (r.n + 1) * sizeof *del);
	bool prev_update = false;
	size_t ned_before = c->ned;
	for (size_t j = 0; j < r.n; j++) {
		const struct ds_shell_cmd *cmd = &r.cmds[j];
		const char *nm = ds_shell_cmd_name(cmd);
		for (size_t k = 0; k < cmd->argc; k++)
			if (strstr(cmd->argv[k].text, "musl") && strcmp(nm, "apk")) {
				manual(c, AT_INSTR(c, in), "DST202", "'%s' refers to musl, which the Debian image does not have",
				       cmd->argv[k].text);
				return;
			}
		bool is_apk = !strcmp(nm, "apk"), is_user = !strcmp(nm, "adduser") || !strcmp(nm, "addgroup");
		if (!is_apk && !is_user) {
			if (cmd->depth == 0)
				prev_update = false;
			continue;
		}
		if (cmd->depth > 0 || cmd->nwrappers || cmd->nassigns) {
			manual(c, AT_INSTR(c, in), "DST202",
			       "'%s' is nested, wrapped or prefixed with variables; translate it for Debian by hand", nm);
			return;
		}
		uint32_t so = run_src(c, &r, cmd->argv[0].off), se = run_src(c, &r, cmd->argv[cmd->argc - 1].end);
		if (is_user) {
			const char *why = NULL;
			const char *t = translate_user_cmd(c, cmd, &why);
			if (!t) {
				manual(c, AT_INSTR(c, in), "DST202", "cannot translate '%s' for Debian: %s", nm, why);
				return;
			}
			edit(c, so, se, t);
			prev_update = false;
			continue;
		}
		const char **argv = ds_arena_alloc(c->a, (cmd->argc + 1) * sizeof *argv);
		for (size_t k = 0; k < cmd->argc; k++)
			argv[k] = cmd->argv[k].text;
		struct apk_plan p;
		apk_plan(c->a, c->cat, argv, cmd->argc, &p);
		if (p.why) {
			manual(c, AT_INSTR(c, in), "DST202", "cannot translate for Debian: %s", p.why);
			return;
		}
		if (!strcmp(p.sub, "update")) {
			edit(c, so, se, apt_update);
			prev_update = true;
			continue;
		}
		if (!strcmp(p.sub, "del") || !strcmp(p.sub, "upgrade") || !strcmp(p.sub, "cache")) {
			del[j] = true;
			continue;
		}
		if (strcmp(p.sub, "add")) {
			manual(c, AT_INSTR(c, in), "DST202", "'apk %s' has no apt-get translation", p.sub);
			return;
		}
		if (!p.nmapped || p.first_pkg >= cmd->argc) {
			del[j] = true;
			continue;
		}
		const char *head = ds_arena_printf(c->a, "%s%s", prev_update ? "" : "apt-get update && ", apt_install);
		uint32_t he = run_src(c, &r, cmd->argv[p.first_pkg - 1].end);
		edit(c, so, he, head);
		for (size_t k = p.first_pkg; k < cmd->argc; k++) {
			uint32_t wo = run_src(c, &r, cmd->argv[k].off), we = run_src(c, &r, cmd->argv[k].end);
			if (p.kind[k] == APK_DROP) {
				delete_word(c, he, wo, we);
				continue;
			}
			if (p.kind[k] != APK_PKG)
				continue;
			const struct ds_strlist *l = p.apt[k];
			if (!l->n) {
				delete_word(c, he, wo, we);
				continue;
			}
			const char *t = words_text(c, l->v, l->n);
			if (strcmp(t, cmd->argv[k].text))
				edit(c, wo, we, t);
		}
		if (p.versions)
			note(c, AT_INSTR(c, in), "DST202", "Alpine package versions dropped: Debian's differ");
		prev_update = false;
	}
	/* remove deleted commands with the operator that joins them */
	size_t *top = ds_arena_alloc(c->a, (r.n + 1) * sizeof *top);
	size_t nt = 0;
	for (size_t j = 0; j < r.n; j++)
		if (r.cmds[j].depth == 0)
			top[nt++] = j;
	bool any_left = false;
	for (size_t t = 0; t < nt; t++)
		any_left = any_left || !del[top[t]];
	if (!any_left) {
		c->ned = ned_before; /* the whole RUN goes */
		delete_instr(c, in);
		note(c, AT_INSTR(c, in), "DST202", "RUN removed: on Debian it has nothing left to do");
		return;
	}
	for (size_t t = 0; t < nt;) {
		if (!del[top[t]]) {
			t++;
			continue;
		}
		size_t u = t;
		while (u + 1 < nt && del[top[u + 1]])
			u++;
		/* the operators that go must be && ; or a line end, and no pipe may lose a side */
		bool safe = true;
		for (size_t k = t; k <= u; k++)
			safe = safe && !r.cmds[top[k]].in_pipeline;
		for (size_t k = t > 0 ? t : t + 1; k <= u + 1 && k < nt; k++) {
			enum ds_shell_op op = r.cmds[top[k]].op;
			if (k == u + 1 && t > 0)
				safe = safe && op != DS_SH_OR && op != DS_SH_PIPE;
			else
				safe = safe && (op == DS_SH_AND || op == DS_SH_SEMI || op == DS_SH_NEWLINE);
		}
		if (!safe) {
			manual(c, AT_INSTR(c, in), "DST202",
			       "an Alpine command joined by '||', '|' or '&' cannot be removed safely; translate it by hand");
			return;
		}
		if (t > 0)
			edit(c, run_src(c, &r, r.cmds[top[t - 1]].end), run_src(c, &r, r.cmds[top[u]].end), "");
		else
			edit(c, run_src(c, &r, r.cmds[top[t]].off), run_src(c, &r, r.cmds[top[u + 1]].off), "");
		t = u + 1;
	}
	note(c, AT_INSTR(c, in), "DST202", "Alpine commands translated for Debian (apk to apt-get)");
}

/* split: the final stage is the builder; otherwise it now runs on the runtime and has nothing to translate. */
static void translate_moved_stages(struct cv *c, bool split)
{
	for (uint32_t s = 0; s < c->m->nstages; s++) {
		const struct ds_stage *st = &c->m->stages[s];
		if (!c->moved[stage_root(c, st)->index] || (st == c->fs && !split))
			continue;
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = instr_at(c, i);
			if (in && in->kind == DS_I_RUN && !c->del[instr_first_line(c, in)])
				translate_run(c, st, in);
		}
	}
}

/* ------------------------------------------------------------------ */
/* finishing: deleted lines, the inserted stage, the output text       */

static void finish_deletions(struct cv *c)
{
	size_t n = c->nlines;
	/* a deletion between two blank lines takes one of them along */
	for (size_t l = 1; l <= n;) {
		if (!c->del[l]) {
			l++;
			continue;
		}
		size_t e = l;
		while (e + 1 <= n && c->del[e + 1])
			e++;
		size_t prev = l - 1, next = e + 1;
		if (prev >= 1 && line_blank(c, prev) && (next > n || line_blank(c, next)))
			c->del[prev] = 1;
		l = e + 1;
	}
	for (size_t l = 1; l <= n;) {
		if (!c->del[l]) {
			l++;
			continue;
		}
		size_t e = l;
		while (e + 1 <= n && c->del[e + 1])
			e++;
		edit(c, line_start(c, l), line_next(c, e), "");
		l = e + 1;
	}
}

static void finish_insert(struct cv *c, const struct split *sp)
{
	uint32_t at = sp->at;
	bool no_final_nl = c->len > 0 && c->src[c->len - 1] != '\n';
	struct ds_buf b = DS_BUF_INIT;
	if (at == c->len && no_final_nl && !c->del[c->nlines])
		ds_buf_adds(&b, c->eol); /* end the last line first */
	/* the last line that stays before the insertion point */
	size_t l = at == c->len ? c->nlines : line_of(c, at);
	if (at == c->len && !no_final_nl)
		l = c->nlines; /* the empty line after the last line end */
	size_t prev = l;
	if (!(at == c->len && no_final_nl))
		prev = l - 1;
	while (prev >= 1 && c->del[prev])
		prev--;
	if (prev >= 1 && !line_blank(c, prev))
		ds_buf_adds(&b, c->eol);
	ds_buf_adds(&b, sp->text);
	if (at == c->len && no_final_nl && b.len >= strlen(c->eol))
		b.len -= strlen(c->eol);
	else if (at < c->len && !line_blank(c, line_of(c, at)))
		ds_buf_adds(&b, c->eol);
	edit(c, at, at, ds_arena_strndup(c->a, b.buf, b.len));
	ds_buf_release(&b);
}

/* Sort order of edits: by offset, insertions before a replacement at the same offset, then as recorded. */
struct sorted_edit {
	struct ds_edit e;
	size_t seq;
};

static int edit_cmp(const void *x, const void *y)
{
	const struct sorted_edit *a = x, *b = y;
	if (a->e.off != b->e.off)
		return a->e.off < b->e.off ? -1 : 1;
	bool ai = a->e.end == a->e.off, bi = b->e.end == b->e.off;
	if (ai != bi)
		return ai ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void make_output(struct cv *c)
{
	struct sorted_edit *v = ds_arena_alloc(c->a, (c->ned + 1) * sizeof *v);
	for (size_t i = 0; i < c->ned; i++) {
		v[i].e = c->ed[i];
		v[i].seq = i;
	}
	if (c->ned > 1)
		qsort(v, c->ned, sizeof *v, edit_cmp);
	size_t n = 0;
	for (size_t i = 0; i < c->ned; i++) {
		/* the same replacement twice (a global ARG shared by stages) counts once */
		if (n && v[i].e.end > v[i].e.off && c->ed[n - 1].off == v[i].e.off && c->ed[n - 1].end == v[i].e.end &&
		    c->ed[n - 1].len == v[i].e.len && !memcmp(c->ed[n - 1].text, v[i].e.text, v[i].e.len))
			continue;
		c->ed[n++] = v[i].e;
	}
	c->ned = n;
	struct ds_buf b = DS_BUF_INIT;
	uint32_t pos = 0;
	for (size_t i = 0; i < c->ned; i++) {
		const struct ds_edit *e = &c->ed[i];
		if (e->off < pos || e->end > c->len || e->end < e->off) {
			c->overlap = true;
			break;
		}
		ds_buf_add(&b, c->src + pos, e->off - pos);
		ds_buf_add(&b, e->text, e->len);
		pos = e->end;
	}
	ds_buf_add(&b, c->src + pos, c->len - pos);
	c->res->output = ds_arena_strndup(c->a, b.buf ? b.buf : "", b.len);
	c->res->output_len = b.len;
	ds_buf_release(&b);
	c->res->edits = c->ed;
	c->res->nedits = c->ned;
}

/* ------------------------------------------------------------------ */
/* step 9: the check                                                   */

int ds_convert_check(struct ds_arena *a, const char *text, size_t len, const char *path,
		     const struct ds_catalog *cat, const char *target_stage, const char **why)
{
	struct ds_source *s = ds_arena_zalloc(a, sizeof *s);
	ds_source_from_mem(s, a, path ? path : "-", text, len);
	ds_source_lines(s, a);
	struct ds_dockerfile df;
	if (ds_parse(a, s, NULL, &df) < 0) {
		const struct ds_diag *d = df.fatal >= 0 ? &df.diags.v[df.fatal] : NULL;
		*why = ds_arena_printf(a, "the output does not parse: %s", d ? d->msg : "?");
		return -1;
	}
	struct ds_model m;
	ds_model_build(a, &df, target_stage, &m);
	if (m.final < 0) {
		*why = "the output has no final stage";
		return -1;
	}
	const struct ds_stage *chain[MAX_CHAIN];
	size_t n = 0;
	for (const struct ds_stage *st = &m.stages[m.final]; st && n < MAX_CHAIN;) {
		chain[n++] = st;
		st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < st->index
			? &m.stages[st->base_stage] : NULL;
	}
	const struct ds_stage *root = chain[n - 1];
	const struct ds_catalog_runtime *rt = NULL;
	bool scratch = root->base_kind == DS_BASE_SCRATCH;
	if (!scratch) {
		struct ds_image_class k;
		if (root->base_kind != DS_BASE_IMAGE || !root->has_image ||
		    ds_catalog_classify(cat, &root->image, a, &k) < 0) {
			*why = "the final stage's image cannot be resolved";
			return -1;
		}
		if (k.shell != 0 || k.debug) {
			*why = ds_arena_printf(a, "the final stage runs on '%s', which has a shell", root->base);
			return -1;
		}
		if (k.status == DS_STATUS_REMOVED) {
			*why = ds_arena_printf(a, "'%s' is no longer published", root->base);
			return -1;
		}
		rt = k.self;
	}
	const struct ds_instr *ep = NULL;
	for (size_t i = n; i-- > 0;)
		for (uint32_t j = chain[i]->first + 1; j <= chain[i]->last && j < df.ninstrs; j++)
			if (df.instrs[j].kind == DS_I_ENTRYPOINT)
				ep = df.instrs[j].nargs && *df.instrs[j].args[0].text ? &df.instrs[j] : NULL;
	for (size_t i = n; i-- > 0;) {
		const struct ds_stage *st = chain[i];
		for (uint32_t j = st->first + 1; j <= st->last && j < df.ninstrs; j++) {
			const struct ds_instr *in = &df.instrs[j];
			const char *user = NULL;
			switch (in->kind) {
			case DS_I_RUN:
				*why = ds_arena_printf(a, "line %u: RUN in the final stage", in->start_line);
				return -1;
			case DS_I_SHELL:
				*why = ds_arena_printf(a, "line %u: SHELL in the final stage", in->start_line);
				return -1;
			case DS_I_ONBUILD:
				if (in->sub && in->sub->kind == DS_I_RUN) {
					*why = ds_arena_printf(a, "line %u: ONBUILD RUN in the final stage", in->start_line);
					return -1;
				}
				break;
			case DS_I_USER:
				user = in->nargs ? in->args[0].text : NULL;
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "chown");
				user = f ? f->value : NULL;
				break;
			}
			case DS_I_CMD:
			case DS_I_ENTRYPOINT:
			case DS_I_HEALTHCHECK: {
				bool hc = in->kind == DS_I_HEALTHCHECK;
				if (hc && (!in->nargs || strcasecmp(in->args[0].text, "CMD")))
					break;
				if (!in->json) {
					*why = ds_arena_printf(a, "line %u: %s in shell form", in->start_line,
							       ds_instr_name(in->kind));
					return -1;
				}
				uint32_t f0 = hc ? 1 : 0;
				if (in->nargs <= f0 || (in->kind == DS_I_CMD && ep))
					break;
				const char *a0 = in->args[f0].text;
				if (in->kind == DS_I_CMD && rt && rt->entrypoint.n && ds_catalog_runtime_is_entrypoint(rt, a0)) {
					*why = ds_arena_printf(a, "line %u: CMD repeats the entrypoint '%s'", in->start_line, a0);
					return -1;
				}
				if (ds_catalog_tool(cat, a0) || ends_with(a0, ".sh")) {
					*why = ds_arena_printf(a, "line %u: %s runs '%s', which the runtime lacks", in->start_line,
							       ds_instr_name(in->kind), a0);
					return -1;
				}
				break;
			}
			default:
				break;
			}
			if (!user)
				continue;
			bool unset = false;
			const char *spec = ds_model_expand(&m, st, in->index, user, &unset);
			const char *colon = strchr(spec, ':');
			size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
			bool numeric = all_digits(spec, ul) && (!colon || all_digits(colon + 1, strlen(colon + 1)));
			if (unset || (scratch && !numeric) || (rt && !numeric && !ds_catalog_runtime_has_user(rt, spec))) {
				*why = ds_arena_printf(a, "line %u: user '%s' is not in the runtime", in->start_line, spec);
				return -1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the conversion                                                      */

/* Fix mode, step 2: a removed or deprecated image of the chain's root gets its replacement. */
static void replace_removed(struct cv *c)
{
	const struct ds_image_class *k = &c->cls;
	if (k->status != DS_STATUS_REMOVED && k->status != DS_STATUS_DEPRECATED)
		return;
	const struct ds_catalog_runtime *nrt = k->self;
	if ((k->target == DS_TARGET_RUNTIME || k->target == DS_TARGET_BUMP) && k->runtime)
		nrt = k->runtime;
	const char *tag = c->root->image.tag;
	if (tag && !strcmp(tag, "latest"))
		tag = NULL;
	const char *ref = NULL;
	if (nrt && k->vendor == ds_catalog_distroless(c->cat)) {
		const char *deb = c->o->debian && published_for(nrt, c->o->debian) ? c->o->debian : NULL;
		ref = ds_catalog_runtime_ref(nrt, deb, tag, c->a);
		c->rt = nrt;
		c->rt_dl = nrt;
		if (ref) {
			c->debian = deb ? deb : published_for(nrt, "13") ? "13" : nrt->debian.n ? nrt->debian.v[nrt->debian.n - 1] : NULL;
			const struct ds_catalog_release *rel = c->debian ? ds_catalog_release_find(c->cat, "debian", c->debian) : NULL;
			c->codename = rel ? rel->codename : "trixie";
		}
	}
	if (!ref && k->replacement)
		ref = tag ? ds_arena_printf(c->a, "%s:%s", k->replacement, tag) : k->replacement;
	if (!ref) {
		manual(c, AT_FROM(c), "DST203", "'%s' is %s%s%s; no replacement is known", c->root->base,
		       ds_image_status_name(k->status), k->status_message ? ": " : "",
		       k->status_message ? k->status_message : "");
		return;
	}
	c->rt_ref = ref;
	const struct ds_instr *f = c->root->from;
	const char *t = retarget(c, f->args[0].text, c->root->base, ref);
	edit(c, f->args[0].span.off, f->args[0].span.end, t ? t : ref);
	note(c, AT_FROM(c), "DST203", "'%s' is %s (%s): replaced by '%s'", c->root->base, ds_image_status_name(k->status),
	     k->status_message ? k->status_message : "no longer published", ref);
	if (!tag && nrt && k->vendor == ds_catalog_distroless(c->cat) && (!k->user || !strcmp(k->user, "root")))
		note(c, from_end(c), from_end(c), "DST106", "the new image runs as 'nonroot' (tag ':%s'); the old one ran as root",
		     ds_catalog_distroless(c->cat)->default_tag);
}

static void summary(struct cv *c)
{
	struct ds_convert_result *r = c->res;
	struct ds_diag *d = NULL;
	if (!r->nedits && r->status != DS_CONVERT_CONVERTED && r->status != DS_CONVERT_NOTHING) {
		/* nothing changes: notes about changes would mislead */
		size_t o = 0;
		for (size_t i = 0; i < r->diags.n; i++)
			if (r->diags.v[i].sev != DS_SEV_NOTE)
				r->diags.v[o++] = r->diags.v[i];
		r->diags.n = o;
	}
	switch (r->status) {
	case DS_CONVERT_CONVERTED:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_NOTE, "DST201", 0, 0, "converted: the final stage runs on '%s'",
				  r->runtime ? r->runtime : "?");
		break;
	case DS_CONVERT_NOTHING:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_NOTE, "DST201", 0, 0,
				  "nothing to do: the final stage is already shell-free and correct");
		break;
	case DS_CONVERT_MANUAL: {
		size_t n = 0;
		for (size_t i = 0; i < r->diags.n; i++)
			n += r->diags.v[i].sev == DS_SEV_WARNING;
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "needs manual work: %zu construct%s could not be converted%s", n, n == 1 ? "" : "s",
				  r->nedits ? "; the rest was" : "; the file is unchanged");
		break;
	}
	case DS_CONVERT_NO_RUNTIME:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "no runtime fits: the file is unchanged%s%s", r->suggest ? "; consider " : "",
				  r->suggest ? r->suggest : "");
		break;
	case DS_CONVERT_ERROR:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_ERROR, "DST201", 0, 0, "%s", r->reason ? r->reason : "conversion failed");
		break;
	}
	if (d) {
		d->has_pos = 0;
		d->seq = (unsigned)(r->diags.n + 1);
	}
}

int ds_convert(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_convert_opts *opts,
	       struct ds_convert_result *res)
{
	memset(res, 0, sizeof *res);
	res->output = df->src->data;
	res->output_len = df->src->len;
	struct ds_convert_opts defaults;
	if (!opts) {
		ds_convert_opts_init(&defaults);
		opts = &defaults;
	}
	struct cv cv;
	struct cv *c = &cv;
	memset(c, 0, sizeof *c);
	c->a = a;
	c->df = df;
	c->m = m;
	c->cat = cat;
	c->o = opts;
	c->res = res;
	c->s = df->src;
	c->src = df->src->data;
	c->len = (uint32_t)df->src->len;
	res->status = DS_CONVERT_CONVERTED;
	if (df->fatal >= 0 || !cat) {
		res->status = DS_CONVERT_ERROR;
		res->reason = !cat ? "no catalogue" : "the file does not parse";
		summary(c);
		return -1;
	}
	if (m->final < 0 || !m->stages[m->final].from) {
		res->status = DS_CONVERT_ERROR;
		res->reason = "the file has no FROM instruction";
		summary(c);
		return -1;
	}
	ds_source_lines(df->src, a);
	c->nlines = df->src->nlines;
	c->del = ds_arena_zalloc(a, c->nlines + 2);
	const char *nl = memchr(c->src, '\n', c->len);
	c->eol = nl && nl > c->src && nl[-1] == '\r' ? "\r\n" : "\n";
	/* a file docker build rejects is not converted (nor relied upon below) */
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		const char *why = ds_instr_arity_error(in);
		if (why) {
			blocked(c, DS_CONVERT_ERROR, AT_INSTR(c, in), "DST302", "%s %s, so docker build stops here",
				ds_instr_keyword(in->kind), why);
			summary(c);
			return -1;
		}
	}

	c->fs = &m->stages[m->final];
	const struct ds_stage *v[MAX_CHAIN];
	size_t n = 0;
	for (const struct ds_stage *st = c->fs; st && n < MAX_CHAIN; st = stage_parent(c, st))
		v[n++] = st;
	for (size_t i = 0; i < n; i++)
		c->chain[i] = v[n - 1 - i];
	c->nchain = n;
	c->root = c->chain[0];
	if (c->root->base_kind == DS_BASE_UNRESOLVED || (c->root->has_image && c->root->image.unresolved)) {
		const char *raw = c->root->base_raw ? c->root->base_raw : "?";
		if (has_dollar(raw))
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the image '%s' of the final stage uses a variable without a value; cannot tell what it is", raw);
		else
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the image '%s' of the final stage is not a valid image reference", raw);
		summary(c);
		return 0;
	}
	c->scratch = c->root->base_kind == DS_BASE_SCRATCH;
	if (!c->scratch)
		c->has_cls = classify_stage(c, c->root, &c->cls);
	if (!c->scratch && !c->has_cls) {
		blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "cannot classify the final stage's image");
		summary(c);
		return 0;
	}
	effective_commands(c);
	struct an an;
	memset(&an, 0, sizeof an);
	analyze_chain(c, &an);
	const struct ds_instr *prog = c->ep ? c->ep : c->cmd;
	if (prog) {
		struct cmdv cvv;
		command_argv(c, prog, &cvv);
		if (cvv.ok && cvv.n)
			an.exe = program_path(c, &an, cvv.v[0]);
	}
	const struct ds_instr *hc = NULL;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
			if (instr_at(c, i) && instr_at(c, i)->kind == DS_I_HEALTHCHECK)
				hc = instr_at(c, i);
	an.hc_tool = healthcheck_tool(&an, hc);

	bool shell_free = c->scratch || (c->cls.shell == 0 && !c->cls.debug);
	struct split sp;
	bool split = false;
	memset(&sp, 0, sizeof sp);
	if (shell_free) {
		c->rt = c->cls.self;
		if (c->rt && c->cls.vendor == ds_catalog_distroless(cat))
			c->rt_dl = c->rt;
		if (!c->scratch)
			replace_removed(c);
		convert_in_place(c, &an, false);
	} else {
		if (pick_runtime(c, &an) < 0) {
			summary(c);
			return res->status == DS_CONVERT_ERROR ? -1 : 0;
		}
		if (!c->cmd && !c->ep && !c->ep_empty) {
			blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the final stage sets no CMD or ENTRYPOINT: it runs the default command of '%s', which the runtime does not have",
				c->root->base);
			summary(c);
			return 0;
		}
		python_copies(c, &an);
		classify_runs(c, &an);
		split = an.ancestors_busy;
		for (size_t i = 0; i < an.nruns; i++)
			split = split || an.runs[i].kind != RUN_DROP;
		if (split) {
			/* packages the program may need at run time, which the runtime lacks: when the
			 * chain compiles nothing, even build tools and -dev packages were installed for it */
			bool compiles = false;
			for (size_t i = 0; i < an.nruns; i++) {
				const struct run *r = &an.runs[i];
				struct pkg *tp = NULL;
				size_t tn = 0, tc = 0;
				for (size_t j = 0; j < r->n; j++)
					if (cmd_class(c, &r->cmds[j], r->in, &tp, &tn, &tc) == CC_BUILD && r->cmds[j].argc &&
					    !in_list(ds_shell_cmd_name(&r->cmds[j]), file_tools))
						compiles = true;
			}
			for (size_t i = 0; i < an.nruns; i++) {
				const struct run *r = &an.runs[i];
				if (r->kind == RUN_DROP)
					continue;
				struct ds_buf miss = DS_BUF_INIT;
				size_t nm = 0;
				for (size_t k = r->pkg0; k < r->pkg0 + r->npkg; k++) {
					const struct pkg *p = &an.pkgs[k];
					if (pkg_provided(c, p) || (compiles && is_build_tool(p->name)) ||
					    (an.hc_tool && !strcmp(p->name, an.hc_tool)))
						continue;
					ds_buf_addf(&miss, "%s'%s'", nm ? ", " : "", p->name);
					nm++;
				}
				if (nm)
					manual(c, AT_INSTR(c, r->in), "DST201",
					       "%s %s installed in the final stage, and '%s' does not have %s; if the program needs %s at run time, copy %s in or pick another image",
					       miss.buf, nm == 1 ? "is" : "are", c->rt_ref, nm == 1 ? "it" : "them",
					       nm == 1 ? "it" : "them", nm == 1 ? "it" : "them");
				ds_buf_release(&miss);
				/* -dev packages: what is built against them needs their library at run time */
				for (size_t k = r->pkg0; compiles && k < r->pkg0 + r->npkg; k++) {
					const char *lib = missing_library(c, &an.pkgs[k]);
					if (lib)
						manual(c, AT_INSTR(c, r->in), "DST201",
						       "native code built here against '%s' needs its library at run time, and '%s' has no '%s*' package; copy the library in or link it statically",
						       an.pkgs[k].name, c->rt_ref, lib);
				}
			}
			convert_split(c, &an, &sp);
		} else {
			convert_in_place(c, &an, true);
		}
		for (size_t i = 0; i < an.npypath; i++)
			if (path_under(an.pypath[i], "/root"))
				manual(c, an.py_after ? instr_off(c, an.py_after) : from_off(c),
				       an.py_after ? instr_end(c, an.py_after) : from_end(c), "DST106",
				       "python packages under '/root' cannot be read by the runtime's non-root user; install them elsewhere (pip --prefix or a virtual environment)");
	}
	res->runtime = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	compute_feeds(c, &an, split);
	retarget_builders(c);
	translate_moved_stages(c, split);
	finish_deletions(c);
	if (split)
		finish_insert(c, &sp);
	if (c->abandon)
		c->ned = 0;
	make_output(c);
	if (c->overlap) {
		res->status = DS_CONVERT_ERROR;
		res->reason = "internal error: the conversion produced conflicting edits";
	} else if (c->nmanual) {
		res->status = DS_CONVERT_MANUAL;
	} else if (!c->ned) {
		res->status = DS_CONVERT_NOTHING;
	} else {
		const char *why = NULL;
		if (ds_convert_check(a, res->output, res->output_len, df->src->path, cat, opts->target_stage, &why) < 0) {
			res->status = DS_CONVERT_ERROR;
			res->reason = ds_arena_printf(a, "internal error: the converted file fails its own check: %s", why);
		}
	}
	if (res->status == DS_CONVERT_ERROR) {
		res->output = df->src->data;
		res->output_len = df->src->len;
		res->edits = NULL;
		res->nedits = 0;
	}
	ds_diags_sort(&res->diags);
	summary(c);
	return res->status == DS_CONVERT_ERROR ? -1 : 0;
}
