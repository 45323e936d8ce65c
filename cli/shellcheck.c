/*
 * shellcheck.c - RUN scripts of many Dockerfiles through one shellcheck process; see shellcheck.h.
 *
 * Each script becomes one file in a private temporary folder: a shebang
 * naming the stage's shell, `export NAME=1` lines declaring the variables
 * in scope, then the script. The files of every Dockerfile of a batch go
 * to one `shellcheck -f json1` run (json1 columns count a tab as one, like
 * ours), and each finding's line:column in a file is mapped back through
 * the script's segments to a byte of its Dockerfile.
 */
#include "cli/shellcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "cli/cleanup.h"
#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/hash.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/rules.h"

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
	struct ds_buf text;     /* while it is built; then the arena copy below */
	const char *data;
	size_t len;
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

static bool ident(const char *s)
{
	if (!name_start(*s))
		return false;
	for (s++; *s; s++)
		if (!name_char(*s))
			return false;
	return true;
}

/* Past this many variables in a stage, a script declares only those it names. */
#define DS_SC_DECLARE_ALL 256

/* Declares name to shellcheck as set (with a value, so that SC2153 can name near misses). */
static void declare(struct script *s, const char *name)
{
	if (ident(name))
		ds_buf_addf(&s->text, "export %s=1\n", name);
}

/*
 * The script's first lines: a shebang naming its shell and one `export
 * NAME=1` per variable the RUN sees: the proxy variables BuildKit passes to
 * every RUN, and the ARGs and ENVs in scope (before the first FROM, those
 * of the lines above). A RUN inside ONBUILD runs in a child build, which
 * inherits the image's ENV but none of its ARGs. texts are the script's
 * texts, for a stage of more than DS_SC_DECLARE_ALL variables.
 */
static void header(struct script *s, const char *shell, const struct ds_dockerfile *df, const struct ds_model *m,
		   const struct ds_instr *in, const char *const *texts, size_t ntexts)
{
	static const char *const proxies[] = { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
					       "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", NULL };
	bool onbuild = in->parent != NULL;
	uint32_t before = onbuild ? in->parent->index : in->index;
	ds_buf_addf(&s->text, "#!/bin/%s\n", shell);
	for (const char *const *p = proxies; *p; p++)
		declare(s, *p);
	const struct ds_stage *st = m ? ds_model_stage_of(m, before) : NULL;
	if (st) {
		if (st->scope.n <= DS_SC_DECLARE_ALL) {
			for (size_t k = 0; k < st->scope.n; k++) {
				const struct ds_var *v = &st->scope.v[k];
				if ((v->where && v->where->index >= before) || (onbuild && !v->is_env))
					continue;
				declare(s, v->name);
			}
		} else {
			/*
			 * A stage with more variables than that: only those the
			 * script's texts name ($NAME, ${NAME...), or a header
			 * listing the whole scope for every RUN would grow with
			 * the square of the file.
			 */
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
					const struct ds_var *v = added ? ds_scope_find(&st->scope, b, len, before) : NULL;
					if (!v || (onbuild && !v->is_env))
						continue;
					declare(s, v->name);
				}
		}
	} else {
		for (uint32_t i = 0; i < before && i < df->ninstrs; i++) {
			const struct ds_instr *x = &df->instrs[i];
			if (x->kind == DS_I_ENV)
				for (uint32_t k = 0; k + 1 < x->nargs; k += 3)
					declare(s, x->args[k].text);
			else if (x->kind == DS_I_ARG && !onbuild)
				for (uint32_t k = 0; k < x->nargs; k++) {
					const char *w = x->args[k].text;
					char name[256];
					size_t n = strcspn(w, "=");
					if (n < sizeof name) {
						memcpy(name, w, n);
						name[n] = '\0';
						declare(s, name);
					}
				}
		}
	}
	s->hdr = s->text.len;
}

/* Builds the script of RUN in, or returns false when there is nothing to check. */
static bool make_script(struct script *s, const struct ds_instr *in, const char *shell, const struct ds_dockerfile *df,
			const struct ds_model *m)
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
		header(s, sh, df, m, in, &h->content, 1);
		seg_add(s, SEG_RAW, h->content_len, h->body.off);
		ds_buf_add(&s->text, h->content, h->content_len);
		return true;
	}
	const char *texts[17] = { line };
	size_t ntexts = 1;
	for (uint32_t k = 0; k < in->nheredocs && k < 16; k++)
		texts[ntexts++] = in->heredocs[k].content;
	header(s, shell, df, m, in, texts, ntexts);
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

/* Byte offset in s's text of 1-based line:column (columns count bytes; json1 counts a tab as one). */
static size_t text_offset(const struct script *s, long line, long col)
{
	const char *t = s->data;
	size_t len = s->len, off = 0;
	for (long l = 1; l < line && off < len; l++) {
		const char *nl = memchr(t + off, '\n', len - off);
		if (!nl)
			return len;
		off = (size_t)(nl - t) + 1;
	}
	/* shellcheck counts characters: step over UTF-8 continuation bytes */
	for (long c = 1; c < col && off < len && t[off] != '\n'; c++) {
		off++;
		while (off < len && ((unsigned char)t[off] & 0xc0) == 0x80)
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

/* The scripts of one Dockerfile, and where their findings go. */
struct ds_sc_job {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	struct script *scripts;
	size_t n;
	struct ds_diags *out;
	const char *err;
	bool timed_out;
};

/* A run over the scripts of several jobs, numbered s0.sh .. across them in job order. */
struct run_ctx {
	struct ds_arena *a;       /* the run's own: argv, the folder name */
	struct ds_sc_job **jobs;
	size_t njobs;
	size_t *first;            /* first[j]: the number of job j's first script */
	size_t total;
	const char *dir;
	size_t nfound;
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
	if (strcmp(end, ".sh") || k >= r->total)
		return;
	size_t j = 0;
	while (j + 1 < r->njobs && r->first[j + 1] <= k)
		j++;
	struct ds_sc_job *job = r->jobs[j];
	const struct script *s = &job->scripts[k - r->first[j]];
	size_t o = text_offset(s, f->line, f->col);
	size_t oe = text_offset(s, f->end_line ? f->end_line : f->line, f->end_col ? f->end_col : f->col);
	uint32_t so = map_offset(job->df, s, o);
	uint32_t se = oe > o ? map_offset(job->df, s, oe) : so;
	if (se < so)
		se = so;
	enum ds_severity sev = DS_SEV_WARNING;
	if (f->level) {
		int v = ds_severity_parse(f->level);
		if (v >= 0 && v <= DS_SEV_STYLE)
			sev = (enum ds_severity)v;
	}
	/* our messages: lower case first letter, no final full stop */
	char *msg = ds_arena_strdup(job->a, f->message ? f->message : "shellcheck finding");
	size_t ml = strlen(msg);
	if (ml && msg[ml - 1] == '.')
		msg[--ml] = '\0';
	if (msg[0] >= 'A' && msg[0] <= 'Z' && (msg[1] < 'A' || msg[1] > 'Z'))
		msg[0] = (char)(msg[0] + 32);
	const char *code = ds_arena_printf(job->a, "SC%ld", f->code);
	ds_diags_add(job->out, job->a, sev, code, so, se, msg);
	r->nfound++;
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

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Starts shellcheck on argv with stdout to pipe_w, in a process group of its own. */
static int spawn(char **argv, int pipe_r, int pipe_w, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipe_w, 1);
	posix_spawn_file_actions_addclose(&fa, pipe_r);
	posix_spawn_file_actions_addclose(&fa, pipe_w);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/*
	 * Its own process group, so a timeout or a signal to distill ends
	 * shellcheck and anything it started with one kill(2), and a Ctrl-C at
	 * the terminal reaches distill, which ends the group. The child starts
	 * with no signal blocked and the signals distill handles at default.
	 */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	sigset_t none, def;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	ds_cleanup_signals(&def);
	sigaddset(&def, SIGXFSZ);
	posix_spawnattr_setsigdefault(&at, &def);
	int rc = posix_spawnp(pid, "shellcheck", &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* More output than this is not shellcheck's answer for a batch of Dockerfiles. */
#define DS_SHELLCHECK_MAX_OUTPUT ((size_t)256 << 20)

/* Returns 0; -1 with *err; or 1 when shellcheck did not finish within timeout_ms (0: no limit). */
static int run_shellcheck(struct run_ctx *r, int64_t timeout_ms, const char **err)
{
	/* argv: shellcheck -f json1 -e ... dir/s0.sh ... */
	size_t argc = 0;
	char **argv = ds_arena_alloc(r->a, (r->total + 8) * sizeof *argv);
	argv[argc++] = "shellcheck";
	argv[argc++] = "-f";
	argv[argc++] = "json1";
	argv[argc++] = "-e";
	/* sourced files cannot be followed from here; ash is read as dash */
	argv[argc++] = "SC1090,SC1091,SC2187";
	for (size_t k = 0; k < r->total; k++)
		argv[argc++] = ds_arena_printf(r->a, "%s/s%zu.sh", r->dir, k);
	argv[argc] = NULL;

	int pfd[2];
	if (pipe(pfd) < 0) {
		*err = "cannot create a pipe for shellcheck";
		return -1;
	}
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	pid_t pid;
	/* no signal between starting the group and registering it for the kill */
	sigset_t old;
	ds_cleanup_block(&old);
	int rc = spawn(argv, pfd[0], pfd[1], &pid);
	int slot = -1;
	if (rc == 0) {
		setpgid(pid, pid); /* already done in the child; this closes the race where it is not yet */
		slot = ds_cleanup_add_group(pid);
	}
	ds_cleanup_unblock(&old);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		*err = "cannot run shellcheck";
		return -1;
	}
	struct ds_buf out = DS_BUF_INIT;
	char chunk[16384];
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	bool timed_out = false, too_much = false;
	for (;;) {
		if (deadline) {
			int64_t left = deadline - now_ms();
			struct pollfd p = { pfd[0], POLLIN, 0 };
			int pr = left > 0 ? poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left) : 0;
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr == 0) {
				timed_out = true;
				break;
			}
		}
		ssize_t n = read(pfd[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out.len + (size_t)n > DS_SHELLCHECK_MAX_OUTPUT) {
			too_much = true;
			break;
		}
		ds_buf_add(&out, chunk, (size_t)n);
	}
	close(pfd[0]);
	if (timed_out || too_much)
		kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ds_cleanup_remove(slot);
	if (timed_out) {
		ds_buf_release(&out);
		return 1;
	}
	int ok = !too_much && WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
	size_t *before = ds_arena_alloc(r->a, r->njobs * sizeof *before);
	for (size_t j = 0; j < r->njobs; j++)
		before[j] = r->jobs[j]->out->n;
	if (!ok || parse_json1(r->a, out.buf ? out.buf : "", out.len, on_finding, r)) {
		for (size_t j = 0; j < r->njobs; j++)
			r->jobs[j]->out->n = before[j];
		ds_buf_release(&out);
		*err = too_much ? "shellcheck wrote more than 256 MiB" : ok ? "cannot read shellcheck's output" : "shellcheck failed";
		return -1;
	}
	ds_buf_release(&out);
	return 0;
}

struct ds_sc_job *ds_shellcheck_prepare(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
					struct ds_diags *out)
{
	if (df->escape != '\\')
		return NULL;
	struct script *scripts = NULL;
	size_t n = 0, cap = 0;
	/*
	 * The shell of each stage: sh, or what SHELL (or a `# hadolint
	 * shell=` pragma) set; a stage built FROM another starts with that
	 * stage's shell, and a pragma before the first FROM sets every
	 * stage's default. NULL: a shell shellcheck does not read.
	 */
	struct ds_shell_pragma *pragmas;
	size_t npragmas = ds_lint_shell_pragmas(a, df, &pragmas), pi = 0;
	uint32_t nst = m ? m->nstages : 0;
	const char **stage_shell = nst ? ds_arena_zalloc(a, nst * sizeof *stage_shell) : NULL;
	const char *dflt = "sh", *shell = "sh";
	int stage = -1;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		for (; pi < npragmas && pragmas[pi].line < in->start_line; pi++) {
			shell = ds_shell_is_posix(pragmas[pi].shell) ? base_name(pragmas[pi].shell) : NULL;
			if (shell && strcmp(shell, "bash"))
				shell = "sh";
			if (stage < 0)
				dflt = shell;
		}
		if (in->kind == DS_I_FROM) {
			if (stage >= 0 && (uint32_t)stage < nst)
				stage_shell[stage] = shell;
			stage++;
			shell = dflt;
			if ((uint32_t)stage < nst && m->stages[stage].base_stage >= 0)
				shell = stage_shell[m->stages[stage].base_stage];
		} else if (in->kind == DS_I_SHELL) {
			shell = shell_of(in);
		}
		const struct ds_instr *run = in->kind == DS_I_ONBUILD ? in->sub : in;
		if (!run || run->kind != DS_I_RUN || !shell)
			continue;
		scripts = ds_arena_grow(a, scripts, sizeof *scripts, n, &cap);
		struct script *sc = &scripts[n];
		if (make_script(sc, run, shell, df, m)) {
			sc->data = ds_arena_strndup(a, sc->text.buf ? sc->text.buf : "", sc->text.len);
			sc->len = sc->text.len;
			n++;
		}
		ds_buf_release(&sc->text);
	}
	if (!n)
		return NULL;
	struct ds_sc_job *j = ds_arena_zalloc(a, sizeof *j);
	j->a = a;
	j->df = df;
	j->scripts = scripts;
	j->n = n;
	j->out = out;
	if (n > DS_SHELLCHECK_MAX_SCRIPTS)
		j->err = ds_arena_printf(a, "%zu RUN scripts are more than one shellcheck run takes (%d)", n,
					 DS_SHELLCHECK_MAX_SCRIPTS);
	return j;
}

const char *ds_shellcheck_error(const struct ds_sc_job *j)
{
	return j ? j->err : NULL;
}

/* The DST390 finding of a job whose shellcheck run did not finish within timeout seconds. */
static void report_timeout(struct ds_sc_job *j, double timeout)
{
	const struct ds_instr *first = j->scripts[0].in;
	ds_diags_addf(j->out, j->a, DS_SEV_WARNING, "DST390", first->kw_span.off, first->kw_span.end,
		      "shellcheck did not finish within %g s (--shellcheck-timeout), so the shell of "
		      "%zu RUN instruction%s was not checked",
		      timeout, j->n, j->n == 1 ? "" : "s");
	j->timed_out = true;
}

/*
 * bench/lint-folder times shellcheck alone on the very scripts lint sends
 * it: with DISTILL_DEBUG_KEEP_SCRIPTS=DIR each script is also written to
 * DIR (which must exist) as K.sh, K counting across the process.
 */
static void keep_scripts(struct ds_sc_job **jobs, size_t n)
{
	static atomic_size_t counter;
	const char *keep = getenv("DISTILL_DEBUG_KEEP_SCRIPTS");
	if (!keep || !*keep)
		return;
	char path[4096];
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < jobs[j]->n; i++) {
			snprintf(path, sizeof path, "%s/%zu.sh", keep, atomic_fetch_add(&counter, 1));
			write_file(path, jobs[j]->scripts[i].data, jobs[j]->scripts[i].len);
		}
}

/* One shellcheck process over jobs[0..n) (at most DS_SHELLCHECK_MAX_SCRIPTS scripts). */
static void run_batch(struct ds_sc_job **jobs, size_t n, double timeout)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct run_ctx r = { &a, jobs, n, ds_arena_alloc(&a, n * sizeof(size_t)), 0, NULL, 0 };
	for (size_t j = 0; j < n; j++) {
		r.first[j] = r.total;
		r.total += jobs[j]->n;
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = ds_arena_printf(&a, "%s/distill-sc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	const char *err = NULL;
	/* the folder and the scripts in it are removed on SIGINT, SIGTERM and SIGHUP too */
	sigset_t old;
	ds_cleanup_block(&old);
	bool made = mkdtemp(dir) != NULL;
	int slot = made ? ds_cleanup_add_dir(dir, "s", r.total, ".sh") : -1;
	ds_cleanup_unblock(&old);
	r.dir = dir;
	if (!made)
		err = "cannot create a temporary folder for shellcheck";
	size_t k = 0;
	for (size_t j = 0; !err && j < n; j++)
		for (size_t i = 0; !err && i < jobs[j]->n; i++, k++)
			if (write_file(ds_arena_printf(&a, "%s/s%zu.sh", dir, k), jobs[j]->scripts[i].data,
				       jobs[j]->scripts[i].len))
				err = "cannot write a script for shellcheck";
	keep_scripts(jobs, n);
	int rc = -1;
	if (!err) {
		/* the limit is per Dockerfile: a batch of n files has n times as long */
		int64_t ms = timeout > 0 ? (int64_t)(timeout * 1000.0 * (double)n) + 1 : 0;
		rc = run_shellcheck(&r, ms, &err);
	}
	if (made) {
		for (size_t i = 0; i < r.total; i++)
			unlink(ds_arena_printf(&a, "%s/s%zu.sh", dir, i));
		rmdir(dir);
	}
	ds_cleanup_remove(slot);
	ds_arena_release(&a);
	if (rc == 1 && n > 1) {
		/* one file held the batch up: run each alone, so only that one gets DST390 */
		for (size_t j = 0; j < n; j++)
			run_batch(&jobs[j], 1, timeout);
	} else if (rc == 1) {
		/* never a silent pass: the scripts that were not checked are a finding */
		report_timeout(jobs[0], timeout);
	} else if (rc < 0) {
		for (size_t j = 0; j < n; j++)
			jobs[j]->err = err;
	}
}

void ds_shellcheck_run(struct ds_sc_job **jobs, size_t n, double timeout)
{
	/* consecutive jobs share a process up to the scripts one command line takes */
	struct ds_sc_job **batch = ds_xrealloc(NULL, (n ? n : 1) * sizeof *batch);
	size_t nb = 0, scripts = 0;
	for (size_t j = 0; j < n; j++) {
		if (!jobs[j] || jobs[j]->err)
			continue; /* nothing to check, or more scripts than one run takes */
		if (nb && scripts + jobs[j]->n > DS_SHELLCHECK_MAX_SCRIPTS) {
			run_batch(batch, nb, timeout);
			nb = scripts = 0;
		}
		batch[nb++] = jobs[j];
		scripts += jobs[j]->n;
	}
	if (nb)
		run_batch(batch, nb, timeout);
	free(batch);
}

int ds_shellcheck(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		  double timeout, struct ds_diags *out, const char **err)
{
	*err = NULL;
	struct ds_sc_job *j = ds_shellcheck_prepare(a, df, m, out);
	if (!j)
		return 0;
	if (!j->err)
		ds_shellcheck_run(&j, 1, timeout);
	*err = j->err;
	return j->err ? -1 : 0;
}
