/*
 * shellcheck.c - RUN scripts through one shellcheck process; see shellcheck.h.
 *
 * Each script becomes one file in a private temporary folder: a shebang
 * naming the stage's shell, an `export` line declaring the ARG/ENV names in
 * scope, then the script. All files go to one `shellcheck -f json1` run
 * (json1 columns count a tab as one, like ours), and each finding's
 * line:column in a file is mapped back through the script's segments to a
 * byte of the Dockerfile.
 */
#include "cli/shellcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/hash.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/source.h"
#include "parser/ast.h"

extern char **environ;

/* One file per script, all on one command line: keep that line well under ARG_MAX. */
#define DS_SHELLCHECK_MAX_SCRIPTS 2000

bool ds_shellcheck_available(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	known = 0;
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && n + 12 < sizeof buf) {
			memcpy(buf, p, n);
			memcpy(buf + n, "/shellcheck", 12);
			if (access(buf, X_OK) == 0) {
				known = 1;
				break;
			}
		}
		if (!e)
			break;
		p = e + 1;
	}
	return known;
}

/* ---- scripts ---- */

enum seg_kind { SEG_LINE, SEG_RAW };

/* Bytes [off, off+len) of the script body come from the joined line of in, or from source at soff. */
struct seg {
	size_t off, len;
	enum seg_kind kind;
	uint32_t soff;
};

struct script {
	const struct ds_instr *in;
	struct ds_buf text;
	size_t hdr;             /* bytes of the header lines */
	struct seg segs[2 + 2 * 16];
	size_t nsegs;
};

static void seg_add(struct script *s, enum seg_kind k, size_t len, uint32_t soff)
{
	if (s->nsegs >= sizeof s->segs / sizeof *s->segs)
		return;
	struct seg *g = &s->segs[s->nsegs++];
	g->off = s->text.len - s->hdr;
	g->len = len;
	g->kind = k;
	g->soff = soff;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* "sh" or "bash" for a SHELL instruction, NULL for shells shellcheck does not read. */
static const char *shell_of(const struct ds_instr *in)
{
	if (!in->json || !in->nargs)
		return NULL;
	const char *b = base_name(in->args[0].text);
	if (!strcmp(b, "bash"))
		return "bash";
	if (!strcmp(b, "sh") || !strcmp(b, "ash") || !strcmp(b, "dash") || !strcmp(b, "busybox"))
		return "sh";
	return NULL;
}

/* Whether a heredoc-only RUN line: "<<EOF", "<<-EOF", "<<'EOF'". */
static bool heredoc_only(const char *t)
{
	while (*t == ' ' || *t == '\t')
		t++;
	if (strncmp(t, "<<", 2))
		return false;
	for (t += 2; *t; t++)
		if (*t == ' ' || *t == '\t')
			break;
	while (*t == ' ' || *t == '\t')
		t++;
	return !*t;
}

/* A shebang other than a POSIX shell or bash: the heredoc is not a shell script. */
static bool foreign_shebang(const char *body, const char **shell)
{
	if (strncmp(body, "#!", 2))
		return false;
	const char *e = strchr(body, '\n');
	size_t n = e ? (size_t)(e - body) : strlen(body);
	char line[256];
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, body, n);
	line[n] = '\0';
	if (strstr(line, "bash")) {
		*shell = "bash";
		return false;
	}
	const char *last = line + 2;
	for (char *tok = strtok(line + 2, " \t"); tok; tok = strtok(NULL, " \t"))
		last = tok;
	const char *b = base_name(last);
	return strcmp(b, "sh") && strcmp(b, "ash") && strcmp(b, "dash");
}

static bool name_start(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9');
}

/*
 * The script's first line: the shebang, then `export` of the ARG and ENV
 * variables the stage defines before in that the script's texts refer to
 * ($NAME or ${NAME...), so that shellcheck does not call them unassigned.
 * Only referenced names are exported: a header listing the whole scope
 * for every RUN would grow with the square of the file.
 */
static void header(struct script *s, const char *shell, const struct ds_model *m, const struct ds_instr *in,
		   const char *const *texts, size_t ntexts)
{
	ds_buf_addf(&s->text, "#!/bin/%s\nexport", shell);
	const struct ds_stage *st = m ? ds_model_stage_of(m, in->parent ? in->parent->index : in->index) : NULL;
	size_t n = 0;
	if (st) {
		uint32_t before = in->parent ? in->parent->index : in->index;
		struct ds_hmap seen = DS_HMAP_INIT;
		for (size_t t = 0; t < ntexts; t++)
			for (const char *p = strchr(texts[t], '$'); p; p = strchr(p + 1, '$')) {
				const char *b = p + 1 + (p[1] == '{');
				if (!name_start(*b))
					continue;
				const char *e = b;
				while (name_char(*e))
					e++;
				size_t len = (size_t)(e - b);
				bool added;
				ds_hmap_put(&seen, m->a, b, len, 0, &added);
				if (!added || !ds_scope_find(&st->scope, b, len, before))
					continue;
				ds_buf_addc(&s->text, ' ');
				ds_buf_add(&s->text, b, len);
				n++;
			}
	}
	if (!n)
		ds_buf_adds(&s->text, " DISTILL_NOTHING");
	ds_buf_addc(&s->text, '\n');
	s->hdr = s->text.len;
}

/* Builds the script of RUN in, or returns false when there is nothing to check. */
static bool make_script(struct script *s, const struct ds_instr *in, const char *shell, const struct ds_model *m)
{
	memset(s, 0, sizeof *s);
	s->in = in;
	if (in->json || !in->nargs)
		return false;
	const char *line = in->args[0].text;
	if (in->nheredocs == 1 && heredoc_only(line)) {
		const struct ds_heredoc *h = &in->heredocs[0];
		const char *sh = shell;
		if (foreign_shebang(h->content, &sh))
			return false;
		header(s, sh, m, in, &h->content, 1);
		seg_add(s, SEG_RAW, h->content_len, h->body.off);
		ds_buf_add(&s->text, h->content, h->content_len);
		return true;
	}
	const char *texts[17] = { line };
	size_t ntexts = 1;
	for (uint32_t k = 0; k < in->nheredocs && k < 16; k++)
		texts[ntexts++] = in->heredocs[k].content;
	header(s, shell, m, in, texts, ntexts);
	size_t n = strlen(line);
	seg_add(s, SEG_LINE, n, 0);
	ds_buf_add(&s->text, line, n);
	ds_buf_addc(&s->text, '\n');
	for (uint32_t k = 0; k < in->nheredocs && k < 16; k++) {
		const struct ds_heredoc *h = &in->heredocs[k];
		seg_add(s, SEG_RAW, h->content_len, h->body.off);
		ds_buf_add(&s->text, h->content, h->content_len);
		size_t tl = h->terminator.end - h->terminator.off;
		seg_add(s, SEG_RAW, tl, h->terminator.off);
		ds_buf_add(&s->text, h->name, strlen(h->name));
		ds_buf_addc(&s->text, '\n');
	}
	return true;
}

/* Source offset of byte off of s's text. */
static uint32_t map_offset(const struct ds_dockerfile *df, const struct script *s, size_t off)
{
	if (off < s->hdr)
		return s->in->kw_span.off;
	off -= s->hdr;
	const struct seg *best = NULL;
	for (size_t i = 0; i < s->nsegs; i++)
		if (s->segs[i].off <= off)
			best = &s->segs[i];
	if (!best)
		return s->in->kw_span.off;
	size_t d = off - best->off;
	if (d > best->len)
		d = best->len;
	if (best->kind == SEG_LINE)
		return ds_run_offset_to_source(df, s->in, d);
	uint32_t r = best->soff + (uint32_t)d;
	return r <= df->src->len ? r : (uint32_t)df->src->len;
}

/* Byte offset in text of 1-based line:column (columns count bytes; json1 counts a tab as one). */
static size_t text_offset(const struct ds_buf *t, long line, long col)
{
	size_t off = 0;
	for (long l = 1; l < line && off < t->len; l++) {
		const char *nl = memchr(t->buf + off, '\n', t->len - off);
		if (!nl)
			return t->len;
		off = (size_t)(nl - t->buf) + 1;
	}
	/* shellcheck counts characters: step over UTF-8 continuation bytes */
	for (long c = 1; c < col && off < t->len && t->buf[off] != '\n'; c++) {
		off++;
		while (off < t->len && ((unsigned char)t->buf[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* ---- a small JSON reader for json1 ---- */

struct jr {
	const char *p, *e;
	struct ds_arena *a;
};

static void ws(struct jr *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static int jstring(struct jr *j, const char **out)
{
	ws(j);
	if (j->p >= j->e || *j->p != '"')
		return -1;
	j->p++;
	struct ds_buf b = DS_BUF_INIT;
	while (j->p < j->e && *j->p != '"') {
		char ch = *j->p++;
		if (ch != '\\') {
			ds_buf_addc(&b, ch);
			continue;
		}
		if (j->p >= j->e)
			break;
		ch = *j->p++;
		switch (ch) {
		case 'n': ds_buf_addc(&b, '\n'); break;
		case 't': ds_buf_addc(&b, '\t'); break;
		case 'r': ds_buf_addc(&b, '\r'); break;
		case 'b': ds_buf_addc(&b, '\b'); break;
		case 'f': ds_buf_addc(&b, '\f'); break;
		case 'u': {
			unsigned cp = 0;
			for (int i = 0; i < 4 && j->p < j->e; i++, j->p++) {
				char h = *j->p;
				cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
			}
			if (cp < 0x80) {
				ds_buf_addc(&b, (char)cp);
			} else if (cp < 0x800) {
				ds_buf_addc(&b, (char)(0xc0 | (cp >> 6)));
				ds_buf_addc(&b, (char)(0x80 | (cp & 0x3f)));
			} else {
				ds_buf_addc(&b, (char)(0xe0 | (cp >> 12)));
				ds_buf_addc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
				ds_buf_addc(&b, (char)(0x80 | (cp & 0x3f)));
			}
			break;
		}
		default: ds_buf_addc(&b, ch); break;
		}
	}
	if (j->p >= j->e) {
		ds_buf_release(&b);
		return -1;
	}
	j->p++;
	*out = ds_arena_strndup(j->a, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return 0;
}

static int jskip(struct jr *j, int depth);

static int jskip_container(struct jr *j, char close, int depth)
{
	j->p++;
	ws(j);
	if (j->p < j->e && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			const char *k;
			if (jstring(j, &k))
				return -1;
			ws(j);
			if (j->p >= j->e || *j->p++ != ':')
				return -1;
		}
		if (jskip(j, depth + 1))
			return -1;
		ws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == close) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int jskip(struct jr *j, int depth)
{
	ws(j);
	if (j->p >= j->e || depth > 64)
		return -1;
	if (*j->p == '{')
		return jskip_container(j, '}', depth);
	if (*j->p == '[')
		return jskip_container(j, ']', depth);
	if (*j->p == '"') {
		const char *s;
		return jstring(j, &s);
	}
	while (j->p < j->e && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' && *j->p != '\n')
		j->p++;
	return 0;
}

struct finding {
	const char *file, *level, *message;
	long line, col, end_line, end_col, code;
};

static int jnumber(struct jr *j, long *out)
{
	ws(j);
	char *end;
	*out = strtol(j->p, &end, 10);
	if (end == j->p)
		return -1;
	j->p = end;
	return 0;
}

static int jfinding(struct jr *j, struct finding *f)
{
	memset(f, 0, sizeof *f);
	ws(j);
	if (j->p >= j->e || *j->p != '{')
		return -1;
	j->p++;
	ws(j);
	if (j->p < j->e && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *k;
		if (jstring(j, &k))
			return -1;
		ws(j);
		if (j->p >= j->e || *j->p++ != ':')
			return -1;
		int rc = 0;
		if (!strcmp(k, "file"))
			rc = jstring(j, &f->file);
		else if (!strcmp(k, "level"))
			rc = jstring(j, &f->level);
		else if (!strcmp(k, "message"))
			rc = jstring(j, &f->message);
		else if (!strcmp(k, "line"))
			rc = jnumber(j, &f->line);
		else if (!strcmp(k, "column"))
			rc = jnumber(j, &f->col);
		else if (!strcmp(k, "endLine"))
			rc = jnumber(j, &f->end_line);
		else if (!strcmp(k, "endColumn"))
			rc = jnumber(j, &f->end_col);
		else if (!strcmp(k, "code"))
			rc = jnumber(j, &f->code);
		else
			rc = jskip(j, 1);
		if (rc)
			return -1;
		ws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == '}') {
			j->p++;
			return 0;
		}
		return -1;
	}
}

/* Calls fn for each object of the "comments" array. */
static int parse_json1(struct ds_arena *a, const char *s, size_t n,
		       void (*fn)(void *ctx, const struct finding *f), void *ctx)
{
	struct jr j = { s, s + n, a };
	ws(&j);
	if (j.p >= j.e || *j.p != '{')
		return -1;
	j.p++;
	for (;;) {
		ws(&j);
		if (j.p < j.e && *j.p == '}')
			return 0;
		const char *k;
		if (jstring(&j, &k))
			return -1;
		ws(&j);
		if (j.p >= j.e || *j.p++ != ':')
			return -1;
		if (strcmp(k, "comments")) {
			if (jskip(&j, 1))
				return -1;
		} else {
			ws(&j);
			if (j.p >= j.e || *j.p != '[')
				return -1;
			j.p++;
			ws(&j);
			if (j.p < j.e && *j.p == ']') {
				j.p++;
			} else {
				for (;;) {
					struct finding f;
					if (jfinding(&j, &f))
						return -1;
					fn(ctx, &f);
					ws(&j);
					if (j.p < j.e && *j.p == ',') {
						j.p++;
						continue;
					}
					if (j.p < j.e && *j.p == ']') {
						j.p++;
						break;
					}
					return -1;
				}
			}
		}
		ws(&j);
		if (j.p < j.e && *j.p == ',')
			j.p++;
	}
}

/* ---- running shellcheck ---- */

struct run_ctx {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	struct script *scripts;
	size_t n;
	const char *dir;
	struct ds_diags *out;
};

static void on_finding(void *ctx, const struct finding *f)
{
	struct run_ctx *r = ctx;
	if (!f->file)
		return;
	const char *b = base_name(f->file);
	char *end;
	if (b[0] != 's')
		return;
	unsigned long k = strtoul(b + 1, &end, 10);
	if (strcmp(end, ".sh") || k >= r->n)
		return;
	const struct script *s = &r->scripts[k];
	size_t o = text_offset(&s->text, f->line, f->col);
	size_t oe = text_offset(&s->text, f->end_line ? f->end_line : f->line, f->end_col ? f->end_col : f->col);
	uint32_t so = map_offset(r->df, s, o);
	uint32_t se = oe > o ? map_offset(r->df, s, oe) : so;
	if (se < so)
		se = so;
	enum ds_severity sev = DS_SEV_WARNING;
	if (f->level) {
		int v = ds_severity_parse(f->level);
		if (v >= 0 && v <= DS_SEV_STYLE)
			sev = (enum ds_severity)v;
	}
	/* our messages: lower case first letter, no final full stop */
	char *msg = ds_arena_strdup(r->a, f->message ? f->message : "shellcheck finding");
	size_t ml = strlen(msg);
	if (ml && msg[ml - 1] == '.')
		msg[--ml] = '\0';
	if (msg[0] >= 'A' && msg[0] <= 'Z' && (msg[1] < 'A' || msg[1] > 'Z'))
		msg[0] = (char)(msg[0] + 32);
	const char *code = ds_arena_printf(r->a, "SC%ld", f->code);
	ds_diags_add(r->out, r->a, sev, code, so, se, msg);
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

static int run_shellcheck(struct run_ctx *r, const char **err)
{
	/* argv: shellcheck -f json1 -e ... dir/s0.sh ... */
	size_t argc = 0;
	char **argv = ds_arena_alloc(r->a, (r->n + 8) * sizeof *argv);
	argv[argc++] = "shellcheck";
	argv[argc++] = "-f";
	argv[argc++] = "json1";
	argv[argc++] = "-e";
	/* sourced files cannot be followed from here; ash is read as dash */
	argv[argc++] = "SC1090,SC1091,SC2187";
	for (size_t k = 0; k < r->n; k++)
		argv[argc++] = ds_arena_printf(r->a, "%s/s%zu.sh", r->dir, k);
	argv[argc] = NULL;

	int pfd[2];
	if (pipe(pfd) < 0) {
		*err = "cannot create a pipe for shellcheck";
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, "shellcheck", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		*err = "cannot run shellcheck";
		return -1;
	}
	struct ds_buf out = DS_BUF_INIT;
	char chunk[16384];
	for (;;) {
		ssize_t n = read(pfd[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ds_buf_add(&out, chunk, (size_t)n);
	}
	close(pfd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int ok = WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
	size_t before = r->out->n;
	if (!ok || parse_json1(r->a, out.buf ? out.buf : "", out.len, on_finding, r)) {
		r->out->n = before;
		ds_buf_release(&out);
		*err = ok ? "cannot read shellcheck's output" : "shellcheck failed";
		return -1;
	}
	ds_buf_release(&out);
	return 0;
}

int ds_shellcheck(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		  struct ds_diags *out, const char **err)
{
	*err = NULL;
	if (df->escape != '\\')
		return 0;
	struct script *scripts = NULL;
	size_t n = 0, cap = 0;
	const char *shell = "sh";
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_FROM)
			shell = "sh";
		else if (in->kind == DS_I_SHELL)
			shell = shell_of(in);
		const struct ds_instr *run = in->kind == DS_I_ONBUILD ? in->sub : in;
		if (!run || run->kind != DS_I_RUN || !shell)
			continue;
		scripts = ds_arena_grow(a, scripts, sizeof *scripts, n, &cap);
		if (make_script(&scripts[n], run, shell, m))
			n++;
		else
			ds_buf_release(&scripts[n].text);
	}
	if (!n)
		return 0;
	if (n > DS_SHELLCHECK_MAX_SCRIPTS) {
		for (size_t k = 0; k < n; k++)
			ds_buf_release(&scripts[k].text);
		*err = ds_arena_printf(a, "%zu RUN scripts are more than one shellcheck run takes (%d)", n,
				       DS_SHELLCHECK_MAX_SCRIPTS);
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = ds_arena_printf(a, "%s/distill-sc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int rc = 0;
	bool made = mkdtemp(dir) != NULL;
	if (!made) {
		*err = "cannot create a temporary folder for shellcheck";
		rc = -1;
	}
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const char *p = ds_arena_printf(a, "%s/s%zu.sh", dir, k);
		if (write_file(p, scripts[k].text.buf, scripts[k].text.len)) {
			*err = "cannot write a script for shellcheck";
			rc = -1;
		}
	}
	if (rc == 0) {
		struct run_ctx r = { a, df, scripts, n, dir, out };
		rc = run_shellcheck(&r, err);
	}
	if (made) {
		for (size_t k = 0; k < n; k++)
			unlink(ds_arena_printf(a, "%s/s%zu.sh", dir, k));
		rmdir(dir);
	}
	for (size_t k = 0; k < n; k++)
		ds_buf_release(&scripts[k].text);
	return rc;
}
