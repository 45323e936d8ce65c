/* cmd_audit.c - `distill audit`: bulk discovery, a thread pool, every report format, shards and merge (issues 5, 15). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/io.h"
#include "cli/pool.h"
#include "cli/progress.h"
#include "catalog/catalog.h"
#include "cli/repoconf.h"
#include "cli/report.h"
#include "cli/report_view.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "common/str.h"
#include "rules/config.h"
#include "rules/rules.h"

static const char audit_usage_head[] =
	"usage: distill audit [options] DIR|FILE|-...\n"
	"       distill audit --merge [--format F] REPORT.jsonl...\n"
	"\n"
	"Finds every Dockerfile under the folders and reports, for each, its stages,\n"
	"final base image and family, whether it is already shell-free, whether\n"
	"distill convert can move it to a shell-free runtime (now, with a flag, or\n"
	"not: why), the command that does it, and its findings.\n"
	"Files: Dockerfile, Containerfile, *.Dockerfile, *.Containerfile, Dockerfile.*,\n"
	"Containerfile.* in any case (not *.dockerignore); folders named .git,\n"
	"node_modules and vendor are skipped, FIFOs, sockets and devices are never\n"
	"opened, and a symbolic link is followed only into a folder inside the\n"
	"audited ones that was not walked already (so loops end).\n"
	"A Dockerfile that a Compose file of the tree builds (compose.yaml and\n"
	"docker-compose.yml, .yaml/.yml, in its folder or above, up to DIR) is judged\n"
	"with that service's build context and target stage (--context, --target-stage).\n"
	"A FILE argument is audited whatever its name; '-' reads one Dockerfile from\n"
	"standard input (a list of paths is --files-from -).\n"
	"Verdicts (\"convertible\"): nothing (already shell-free), yes (convertible now:\n"
	"distill convert --in-place FILE), accept (convertible with --accept KINDS or\n"
	"--bump-runtime), manual, no-runtime, not-dockerfile, unreadable, error.\n"
	"\n"
	"  --format F          the report:\n";

static const char audit_usage_tail[] =
	"  -o, --output FILE   write the report to FILE (replaced atomically)\n"
	"  --group-by G        repo (default): group files by repository, the deepest\n"
	"                      folder holding .git from the file up to DIR, else the\n"
	"                      folder below DIR; dir: by the folder below DIR\n"
	"  --top N             rows in each top list of summary, html and md (default 10)\n"
	"  --timing            the summary also lists the slowest files and the wall time\n"
	"  -j, --jobs N        worker threads (default: the number of online cores);\n"
	"                      they start while the folders are still being walked;\n"
	"                      reports are byte-identical for every N\n"
	"  --files-from FILE   audit the paths listed in FILE, one a line ('-': standard\n"
	"                      input); listed folders are walked\n"
	"  --git               list a folder inside a git work tree with\n"
	"                      'git ls-files --cached --others --exclude-standard',\n"
	"                      so .gitignore applies (other folders are walked)\n"
	"  --exclude GLOB      skip files and folders whose name, path below DIR or\n"
	"                      path matches GLOB (fnmatch; '*' also matches '/');\n"
	"                      repeatable\n"
	"  --shard K/N         keep only shard K (1..N) of N: the files whose FNV-1a\n"
	"                      64-bit hash of the path below DIR (the path as given for\n"
	"                      files and lists), modulo N, is K-1. N machines given the\n"
	"                      same tree split it with no coordination\n"
	"  --merge             read JSON Lines reports (concatenated shards, in any\n"
	"                      mix) instead of folders and write any --format of them\n"
	"                      (SARIF then has one result per rule and file)\n"
	"  --no-repo-config    lint every file with the default rule settings instead of\n"
	"                      those of the .distill.yaml or .hadolint.yaml governing it\n"
	"  --no-timing         report micros as 0, so that runs compare byte for byte\n"
	"  -q, --quiet         no progress bar and no per-file error lines on stderr\n"
	"  --max-file-size N   treat files larger than N bytes as errors (or 64K, 1M, 1G;\n"
	"                      default 16M)\n"
	"  --file-timeout S    stop analysing a file after S seconds and report it as\n"
	"                      an error (default 60; 0: no limit); checked between\n"
	"                      the steps of the analysis (parse, model, lint, convert)\n"
	"  --file-memory N     stop analysing a file whose arenas pass N MiB, and skip\n"
	"                      one whose size shows it could (32 bytes a byte), as an\n"
	"                      error (default 2048; 0: no limit)\n"
	"  -h, --help          this text\n"
	"\n"
	"On a terminal, standard error shows one line of progress (files done and\n"
	"found, files per second, time left), redrawn in place to fit its width.\n"
	"A file that cannot be read or parsed is reported with convertible\n"
	"\"unreadable\" or \"error\" and its parse_error, and the run goes on.\n"
	"Exit: 0 no finding of info severity or worse and no file errors (style\n"
	"findings alone do not count), 1 findings or files that could not be read or\n"
	"parsed, 2 usage or I/O error (a missing DIR, an unwritable output, an invalid\n"
	"report given to --merge).\n";

static const char *const format_names[] = {
#define X(e, name, what) name,
	DS_AUDIT_FORMATS(X)
#undef X
};

static const char *const format_whats[] = {
#define X(e, name, what) what,
	DS_AUDIT_FORMATS(X)
#undef X
};

/* The help text, its list of formats from the format table. */
static void print_usage(FILE *f)
{
	fputs(audit_usage_head, f);
	for (size_t k = 0; k < DS_AUDIT_FMT__COUNT; k++)
		fprintf(f, "                        %-8s %s\n", format_names[k], format_whats[k]);
	fputs(audit_usage_tail, f);
}

/*
 * The files being audited, in discovery order, in chunks that never move:
 * the walk appends while the workers read earlier items and fill their
 * reports. A chunk's pointer is written before its first item is
 * published to the pool, which orders it for the workers.
 */
#define ITEM_CHUNK_BITS 12
#define ITEM_CHUNK ((size_t)1 << ITEM_CHUNK_BITS)
#define ITEM_MAX_CHUNKS ((size_t)1 << 16)

struct item {
	const char *path;
	const char *rel;
	const char *repo, *dir;      /* its groups (--group-by), in the walk's arena */
	bool stdin_file;             /* the argument '-': read standard input */
	const struct ds_config *cfg; /* the repository's rule settings, or NULL: defaults */
	bool regular;   /* the walk saw a regular file: reading it needs no fstat */
	const struct ds_walk_dir *listed; /* the folder the walk found it in, or NULL */
	struct ds_audit_report r;
};

/* A repository configuration, loaded once by the walking thread, read by the workers. */
struct repo_cfg {
	char *path;
	struct ds_config cfg;
	bool bad;                    /* could not be loaded: its files get the defaults */
};

struct audit {
	enum ds_audit_format format;
	enum ds_audit_group_by group_by;
	size_t top;
	bool timing;
	unsigned jobs;
	const char *output;
	const char *files_from;
	unsigned shard_k, shard_n;
	const char *shard_text;
	bool merge, quiet, no_timing, git, no_repo_config;
	bool next_is_stdin;               /* on_file: the next file is the argument '-' */
	size_t max_size;
	const char **excludes;
	size_t nexcludes;

	struct item **chunks;             /* ITEM_MAX_CHUNKS slots */
	size_t nitems;
	size_t discovered;                /* before --shard */
	bool too_many;
	struct ds_pool *pool;
	struct ds_arena *arenas;          /* one per worker: the reports' strings */
	struct ds_arena *work;            /* one per worker: the file being analysed, reset after each */

	struct ds_repoconf search;        /* folder -> configuration file */
	struct repo_cfg **cfgs;           /* loaded configurations (never move) */
	size_t ncfgs, capcfgs;
	char *last_dir;                   /* the folder of the last file found... */
	const struct ds_config *last_cfg; /* ...and its configuration */

	struct ds_audit_groups groups;    /* folder -> repository, for the walking thread */
	struct ds_arena group_names;      /* the repositories' and folders' names */

	struct ds_progress bar;           /* on standard error, when it is a terminal */
	struct timespec t0;
};

static struct item *item_at(const struct audit *au, size_t i)
{
	return &au->chunks[i >> ITEM_CHUNK_BITS][i & (ITEM_CHUNK - 1)];
}

/* ---- options ---- */

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	if (!*s || *s == '-' || *s == '+')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s)
		return -1;
	char kbuf[32];
	size_t kl = (size_t)(slash - s);
	if (kl >= sizeof kbuf)
		return -1;
	memcpy(kbuf, s, kl);
	kbuf[kl] = '\0';
	unsigned long long kv, nv;
	if (parse_uint(kbuf, 1u << 20, &kv) || parse_uint(slash + 1, 1u << 20, &nv) || kv > nv)
		return -1;
	*k = (unsigned)kv;
	*n = (unsigned)nv;
	return 0;
}

/* "path: severity: what: msg", escaped like every error. */
static void print_prefixed(const char *path, const char *severity, const char *what, const char *msg)
{
	size_t need = strlen(what) + strlen(msg) + 3;
	char *m = ds_xmalloc(need);
	snprintf(m, need, "%s: %s", what, msg);
	ds_print_located(stderr, path, 0, 0, severity, m);
	free(m);
}

static void usage_error(const char *fmt, const char *arg)
{
	ds_usage_error("audit", fmt, arg);
}

/* "path: error: what: strerror(err)", escaped like every error. */
static void print_errno(const char *path, const char *what, int err)
{
	print_prefixed(path, "error", what, strerror(err));
}

static void print_write_error(const char *path, int err)
{
	print_errno(path, "cannot write the report", err);
}

/* ---- output: streamed to stdout or through the atomic writer (cli/io.h) to --output ---- */

struct out {
	bool file;         /* --output: w, else stdout */
	struct ds_atomic w;
	struct ds_buf buf;
	bool failed;
	int err;
};

static int out_open(struct out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (!path || !strcmp(path, "-"))
		return 0;
	const char *err;
	if (ds_atomic_open(&o->w, path, NULL, &err) < 0) {
		print_prefixed(path, "error", "cannot write the report", err);
		return -1;
	}
	o->file = true;
	return 0;
}

static void out_flush(struct out *o)
{
	if (o->file)
		ds_atomic_write(&o->w, o->buf.buf, o->buf.len);
	else if (o->buf.len && !o->failed && fwrite(o->buf.buf, 1, o->buf.len, stdout) != o->buf.len) {
		o->failed = true;
		o->err = errno;
	}
	ds_buf_reset(&o->buf);
}

static void out_maybe_flush(struct out *o)
{
	if (o->buf.len >= (1u << 20))
		out_flush(o);
}

/* Finishes the output; returns 0, or -1 having printed why. */
static int out_close(struct out *o, const char *shown)
{
	out_flush(o);
	ds_buf_release(&o->buf);
	if (o->file) {
		const char *err;
		if (ds_atomic_commit(&o->w, &err) == 0)
			return 0;
		print_prefixed(shown, "error", "cannot write the report", err);
		return -1;
	}
	if (fflush(stdout) != 0 && !o->failed) {
		o->failed = true;
		o->err = errno;
	}
	if (o->failed) {
		print_write_error(shown, o->err);
		return -1;
	}
	return 0;
}

static void write_reports(struct audit *au, struct out *o, const struct ds_audit_report *v, size_t n,
			  double wall)
{
	switch (au->format) {
	case DS_AUDIT_FMT_JSONL:
		for (size_t i = 0; i < n; i++) {
			ds_audit_jsonl(&o->buf, &v[i]);
			out_maybe_flush(o);
		}
		return;
	case DS_AUDIT_FMT_CSV:
		ds_audit_csv_header(&o->buf);
		for (size_t i = 0; i < n; i++) {
			ds_audit_csv_row(&o->buf, &v[i]);
			out_maybe_flush(o);
		}
		return;
	case DS_AUDIT_FMT_SARIF: {
		struct ds_audit_sarif s;
		ds_audit_sarif_begin(&s, v, n, DS_VERSION, &o->buf);
		for (size_t i = 0; i < n; i++) {
			ds_audit_sarif_file(&s, &v[i], &o->buf);
			out_maybe_flush(o);
		}
		ds_audit_sarif_end(&s, v, n, &o->buf);
		return;
	}
	case DS_AUDIT_FMT_SUMMARY:
	case DS_AUDIT_FMT_HTML:
	case DS_AUDIT_FMT_MD:
	case DS_AUDIT_FMT__COUNT:
		break;
	}
	struct ds_audit_view_opts vo = { 0 };
	vo.group_by = au->group_by;
	vo.top = au->top;
	vo.timing = au->timing && !au->no_timing;
	vo.wall_seconds = wall;
	vo.jobs = au->jobs;
	vo.shard = au->shard_n ? au->shard_text : NULL;
	vo.discovered = au->discovered;
	vo.version = DS_VERSION;
	struct ds_audit_view w;
	ds_audit_view_build(&w, v, n, &vo);
	if (au->format == DS_AUDIT_FMT_HTML)
		ds_audit_html(&o->buf, &w);
	else if (au->format == DS_AUDIT_FMT_MD)
		ds_audit_md(&o->buf, &w);
	else
		ds_audit_summary(&o->buf, &w);
	ds_audit_view_release(&w);
}

/*
 * Exit 1 when a file could not be read or parsed, or has a finding of
 * severity info or worse (as lint's default threshold): the severity the
 * repository's configuration gave it, else (a merged report) the rule's
 * default; style findings alone (digest pinning, label keys) do not fail
 * the run.
 */
static int reports_rc(const struct ds_audit_report *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].parse_error)
			return DS_EXIT_FINDINGS;
		for (uint32_t k = 0; k < v[i].nfindings; k++) {
			const struct ds_audit_count *c = &v[i].findings[k];
			const struct ds_rule_info *ri = ds_rule_find(c->code);
			int sev = c->sev >= 0 ? c->sev : ri ? (int)ri->sev : DS_SEV_ERROR;
			if (sev <= DS_SEV_INFO)
				return DS_EXIT_FINDINGS;
		}
	}
	return DS_EXIT_OK;
}

/* ---- --merge ---- */

struct merged {
	struct ds_audit_report r;
	size_t seq;
};

static int merged_cmp(const void *x, const void *y)
{
	const struct merged *a = x, *b = y;
	int c = strcmp(a->r.file, b->r.file);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int run_merge(struct audit *au, int argc, char **argv)
{
	if (argc < 1) {
		usage_error("%s", "--merge needs JSON Lines report files");
		return DS_EXIT_ERROR;
	}
	struct ds_arena a = DS_ARENA_INIT;
	struct merged *m = NULL;
	size_t n = 0, cap = 0;
	int rc = DS_EXIT_OK;
	bool stdin_used = false;
	for (int i = 0; i < argc; i++) {
		const char *path = argv[i];
		FILE *f;
		if (!strcmp(path, "-")) {
			if (stdin_used)
				continue;
			stdin_used = true;
			f = stdin;
		} else if (!(f = fopen(path, "r"))) {
			print_errno(path, "cannot open", errno);
			rc = DS_EXIT_ERROR;
			continue;
		}
		char *line = NULL;
		size_t lcap = 0;
		ssize_t len;
		unsigned long lineno = 0;
		while ((len = getline(&line, &lcap, f)) >= 0) {
			lineno++;
			size_t l = (size_t)len;
			while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
				l--;
			bool blank = true;
			for (size_t k = 0; k < l && blank; k++)
				blank = line[k] == ' ' || line[k] == '\t';
			if (blank)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 1024;
				m = ds_xrealloc(m, cap * sizeof *m);
			}
			const char *err;
			size_t off;
			if (ds_audit_jsonl_read(&a, line, l, &m[n].r, &err, &off)) {
				char msg[160];
				snprintf(msg, sizeof msg, "invalid report: %s", err);
				ds_print_located(stderr, path, (unsigned)lineno, (unsigned)(off + 1), "error", msg);
				rc = DS_EXIT_ERROR;
				continue;
			}
			if (au->no_timing)
				m[n].r.micros = 0;
			m[n].seq = n;
			n++;
		}
		if (ferror(f)) {
			print_errno(path, "cannot read", errno);
			rc = DS_EXIT_ERROR;
		}
		free(line);
		if (f != stdin)
			fclose(f);
	}
	if (n)
		qsort(m, n, sizeof *m, merged_cmp);
	struct ds_audit_report *v = ds_xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = m[i].r;
	free(m);
	au->discovered = n;
	struct out o;
	if (out_open(&o, au->output)) {
		rc = DS_EXIT_ERROR;
	} else {
		write_reports(au, &o, v, n, -1.0);
		if (out_close(&o, au->output ? au->output : "<stdout>"))
			rc = DS_EXIT_ERROR;
	}
	if (rc == DS_EXIT_OK)
		rc = reports_rc(v, n);
	free(v);
	ds_arena_release(&a);
	return rc;
}

/* ---- the run ---- */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static uint64_t micros_between(const struct timespec *a, const struct timespec *b)
{
	int64_t us = (int64_t)(b->tv_sec - a->tv_sec) * 1000000 + (int64_t)(b->tv_nsec - a->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 1; /* the file was looked at: never 0, which means "not timed" */
}

/*
 * Reads path into src like ds_read_source (never blocks on a FIFO or device,
 * refuses files over max_size) in four system calls and one copy: open,
 * fstat, a read of the whole size straight into the arena, close. At 20,000
 * files the two fcntl calls and the bounce buffer of the general reader
 * were a tenth of the run.
 */
static int audit_read(struct ds_arena *a, const char *path, size_t max_size, bool regular,
		      struct ds_source *src, const char **err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*err = ds_arena_printf(a, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (regular) {
		/*
		 * The walk's directory entry said it is a regular file: a first read
		 * into a stack buffer replaces the fstat, and most Dockerfiles fit
		 * in it (a short read of a regular file is its end).
		 */
		char chunk[32768];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) < 0 && errno == EINTR)
			;
		if (n < 0) {
			*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if ((size_t)n < sizeof chunk) {
			close(fd);
			if ((size_t)n > max_size) {
				*err = ds_arena_printf(a, "file is %zd bytes, larger than the limit of %zu (--max-file-size)",
						       n, max_size);
				return -1;
			}
			char *data = ds_arena_alloc_bytes(a, (size_t)n + 2);
			memcpy(data, chunk, (size_t)n);
			ds_source_wrap(src, path, data, (size_t)n);
			return 0;
		}
		/* a bigger one: from the start, the general way */
		if (lseek(fd, 0, SEEK_SET) < 0) {
			*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		*err = ds_arena_printf(a, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = S_ISDIR(st.st_mode) ? "is a directory, not a Dockerfile"
					   : "not a regular file (FIFO, socket or device)";
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max_size) {
		*err = ds_arena_printf(a, "file is %lld bytes, larger than the limit of %zu (--max-file-size)",
				       (long long)st.st_size, max_size);
		close(fd);
		return -1;
	}
	/* O_NONBLOCK does not affect regular files; a short read is the end of the file */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *data = ds_arena_alloc(a, cap + 2);
	for (;;) {
		ssize_t n = read(fd, data + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		len += (size_t)n;
		if (n == 0 || len < cap)
			break;
		/* the file grew since fstat */
		if (len > max_size) {
			*err = ds_arena_printf(a, "input is larger than the limit of %zu bytes (--max-file-size)", max_size);
			close(fd);
			return -1;
		}
		char *bigger = ds_arena_alloc(a, 2 * cap + 2);
		memcpy(bigger, data, len);
		data = bigger;
		cap *= 2;
	}
	close(fd);
	/* the layout ds_source_from_mem gives, without its copy: two NULs after the bytes */
	data[len] = data[len + 1] = '\0';
	src->path = path;
	src->data = data;
	src->len = len;
	src->line_starts = NULL;
	src->nlines = 0;
	return 0;
}

static void audit_one(void *ctx, size_t i, unsigned worker)
{
	struct audit *au = ctx;
	struct item *it = item_at(au, i);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the worker's arena, emptied after each file: small files cost no malloc and free */
	struct ds_arena *a = &au->work[worker];
	struct ds_audit_report r;
	ds_audit_report_init(&r, it->path);
	struct ds_source src;
	const char *err;
	int rc = it->stdin_file ? ds_read_source(a, "-", au->max_size, &src, NULL, &err)
				: audit_read(a, it->path, au->max_size, it->regular, &src, &err);
	if (rc) {
		ds_audit_set_error(&r, a, 0, 0, err);
		r.convertible = DS_AUDIT_UNREADABLE;
	} else {
		(void)ds_audit_analyze_file(a, &src, it->listed, it->cfg, &r);
	}
	r.file = it->path;
	r.repo = it->repo;
	r.dir = it->dir;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r.micros = au->no_timing ? 0 : micros_between(&t0, &t1);
	ds_audit_report_copy(&it->r, &r, &au->arenas[worker], au->format == DS_AUDIT_FMT_SARIF);
	ds_arena_reset(a);
}

static void pool_progress(void *ctx, size_t done, size_t n)
{
	struct audit *au = ctx;
	if (done >= n)
		ds_progress_clear(&au->bar);
	else
		ds_progress_draw(&au->bar, done, n, true);
}

/*
 * The rule settings for a file found at path: those of the .distill.yaml or
 * .hadolint.yaml that lint would use there (cli/repoconf.h), loaded as a
 * found configuration (confined) with its mappings never followed, or NULL
 * for the defaults. Runs on the walking thread; the workers only read.
 */
static const struct ds_config *repo_config(struct audit *au, const char *path, const struct ds_walk_dir *listed)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	if (au->last_dir && strlen(au->last_dir) == dl && !strncmp(au->last_dir, path, dl))
		return au->last_cfg;
	free(au->last_dir);
	au->last_dir = ds_xmalloc(dl + 1);
	memcpy(au->last_dir, path, dl);
	au->last_dir[dl] = '\0';
	au->last_cfg = NULL;
	enum ds_config_dialect d;
	const char *found = ds_repoconf_find_walked(&au->search, path, listed, &d);
	if (!found)
		return NULL;
	for (size_t k = 0; k < au->ncfgs; k++)
		if (!strcmp(au->cfgs[k]->path, found))
			return au->last_cfg = au->cfgs[k]->bad ? NULL : &au->cfgs[k]->cfg;
	if (au->ncfgs == au->capcfgs) {
		au->capcfgs = au->capcfgs ? 2 * au->capcfgs : 16;
		au->cfgs = ds_xrealloc(au->cfgs, au->capcfgs * sizeof *au->cfgs);
	}
	struct repo_cfg *rc = ds_xcalloc(1, sizeof *rc);
	au->cfgs[au->ncfgs++] = rc;
	rc->path = ds_xstrdup(found);
	ds_config_init(&rc->cfg);
	struct ds_config_error err;
	if (ds_config_load_found(&rc->cfg, found, d, DS_CONFIG_IGNORE_MAPPINGS, &err)) {
		rc->bad = true;
		if (!au->quiet) {
			char msg[sizeof err.msg + 64];
			snprintf(msg, sizeof msg, "%s; the files it governs are linted with the default settings", err.msg);
			ds_print_located(stderr, err.file, err.line, err.col, "warning", msg);
		}
		return NULL;
	}
	return au->last_cfg = &rc->cfg;
}

/* The walk found a file: keep it when it is in our shard and hand it to the pool. */
static void on_file(void *ctx, const struct ds_walk_file *f)
{
	struct audit *au = ctx;
	au->discovered++;
	if (au->shard_n && ds_walk_hash(f->rel) % au->shard_n != au->shard_k - 1)
		return;
	size_t i = au->nitems;
	if (i >= ITEM_CHUNK * ITEM_MAX_CHUNKS) {
		au->too_many = true;
		return;
	}
	if (!(i & (ITEM_CHUNK - 1)))
		au->chunks[i >> ITEM_CHUNK_BITS] = ds_xcalloc(ITEM_CHUNK, sizeof(struct item));
	struct item *it = item_at(au, i);
	it->path = f->path;
	it->rel = f->rel;
	it->stdin_file = au->next_is_stdin;
	it->cfg = au->no_repo_config ? NULL : repo_config(au, f->path, f->dir);
	ds_audit_groups_of(&au->groups, f->path, f->rel, f->dir, &it->repo, &it->dir);
	it->regular = f->regular;
	it->listed = f->dir;
	au->nitems = i + 1;
	/* publish in small batches: the workers start while the walk goes on */
	if (!(au->nitems & 15))
		ds_pool_publish(au->pool, au->nitems);
	if (!(au->nitems & 63) && ds_progress_due(&au->bar))
		ds_progress_draw(&au->bar, ds_pool_done(au->pool), au->nitems, false);
}

static void walk_warning(void *ctx, const char *path, const char *msg)
{
	const struct audit *au = ctx;
	if (!au->quiet)
		print_prefixed(path, "warning", "skipped", msg);
}

struct order {
	const char *path;
	size_t index;
};

static int order_cmp(const void *x, const void *y)
{
	const struct order *a = x, *b = y;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

enum { O_FORMAT = 256, O_FILES_FROM, O_GIT, O_EXCLUDE, O_SHARD, O_MERGE, O_NO_TIMING, O_MAX_SIZE,
       O_NO_REPO_CONFIG, O_GROUP_BY, O_TOP, O_TIMING, O_FILE_TIMEOUT, O_FILE_MEMORY };

/* The options of audit (cli.h): getopt_long's table, and the source of the completions. */
static const struct option audit_options[] = {
	{ "format", required_argument, NULL, O_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "files-from", required_argument, NULL, O_FILES_FROM },
	{ "git", no_argument, NULL, O_GIT },
	{ "exclude", required_argument, NULL, O_EXCLUDE },
	{ "shard", required_argument, NULL, O_SHARD },
	{ "merge", no_argument, NULL, O_MERGE },
	{ "no-timing", no_argument, NULL, O_NO_TIMING },
	{ "timing", no_argument, NULL, O_TIMING },
	{ "group-by", required_argument, NULL, O_GROUP_BY },
	{ "top", required_argument, NULL, O_TOP },
	{ "no-repo-config", no_argument, NULL, O_NO_REPO_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "max-file-size", required_argument, NULL, O_MAX_SIZE },
	{ "file-timeout", required_argument, NULL, O_FILE_TIMEOUT },
	{ "file-memory", required_argument, NULL, O_FILE_MEMORY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_audit_options(void)
{
	return audit_options;
}

int ds_cmd_audit(int argc, char **argv)
{
	struct audit au;
	memset(&au, 0, sizeof au);
	au.format = DS_AUDIT_FMT_SUMMARY;
	au.max_size = DS_DEFAULT_MAX_FILE_SIZE;
	au.jobs = 0;
	ds_repoconf_init(&au.search);
	ds_audit_limits.seconds = DS_AUDIT_DEFAULT_TIMEOUT;
	ds_audit_limits.memory = DS_AUDIT_DEFAULT_MEMORY;
	int rc = DS_EXIT_OK;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:j:qh", audit_options, NULL)) != -1) {
		unsigned long long v;
		switch (c) {
		case O_FORMAT: {
			size_t k = 0;
			while (k < sizeof format_names / sizeof *format_names && strcmp(optarg, format_names[k]))
				k++;
			if (k == sizeof format_names / sizeof *format_names) {
				struct ds_buf known = DS_BUF_INIT;
				for (size_t f = 0; f < DS_AUDIT_FMT__COUNT; f++)
					ds_buf_addf(&known, "%s%s", f ? ", " : "", format_names[f]);
				fprintf(stderr, "distill audit: unknown --format '%s' (%s)\n(see 'distill audit --help')\n", optarg,
					known.buf);
				ds_buf_release(&known);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			au.format = (enum ds_audit_format)k;
			break;
		}
		case 'o': au.output = optarg; break;
		case 'j':
			if (parse_uint(optarg, 1024, &v)) {
				usage_error("invalid --jobs '%s' (1 to 1024)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			au.jobs = (unsigned)v;
			break;
		case O_FILES_FROM: au.files_from = optarg; break;
		case O_GIT: au.git = true; break;
		case O_EXCLUDE:
			au.excludes = ds_xrealloc(au.excludes, (au.nexcludes + 1) * sizeof *au.excludes);
			au.excludes[au.nexcludes++] = optarg;
			break;
		case O_SHARD:
			if (parse_shard(optarg, &au.shard_k, &au.shard_n)) {
				usage_error("invalid --shard '%s' (K/N with 1 <= K <= N)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			au.shard_text = optarg;
			break;
		case O_MERGE: au.merge = true; break;
		case O_NO_TIMING: au.no_timing = true; break;
		case O_TIMING: au.timing = true; break;
		case O_GROUP_BY:
			if (!strcmp(optarg, "repo")) {
				au.group_by = DS_AUDIT_BY_REPO;
			} else if (!strcmp(optarg, "dir")) {
				au.group_by = DS_AUDIT_BY_DIR;
			} else {
				usage_error("unknown --group-by '%s' (repo or dir)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			break;
		case O_TOP:
			if (parse_uint(optarg, 1000000, &v)) {
				usage_error("invalid --top '%s' (1 to 1000000)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			au.top = (size_t)v;
			break;
		case O_NO_REPO_CONFIG: au.no_repo_config = true; break;
		case 'q': au.quiet = true; break;
		case O_MAX_SIZE:
			if (ds_str_parse_size(optarg, &au.max_size)) {
				usage_error("invalid --max-file-size '%s' (bytes, or with K, M or G)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			break;
		case O_FILE_TIMEOUT: {
			char *e;
			errno = 0;
			double sec = strtod(optarg, &e);
			if (e == optarg || *e || errno || !(sec >= 0) || sec > 1e9) {
				usage_error("invalid --file-timeout '%s' (seconds, 0 for none)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			ds_audit_limits.seconds = sec;
			break;
		}
		case O_FILE_MEMORY:
			if (parse_uint(optarg, SIZE_MAX >> 20, &v)) {
				usage_error("invalid --file-memory '%s' (MiB, 0 for none)", optarg);
				rc = DS_EXIT_ERROR;
				goto done;
			}
			ds_audit_limits.memory = (size_t)v << 20;
			break;
		case 'h': print_usage(stdout); goto done;
		default:
			rc = ds_usage_bad_option("audit", audit_options, "o:j:qh", argv, optind, optopt);
			goto done;
		}
	}
	if (!au.jobs)
		au.jobs = ds_pool_default_threads();

	if (au.merge) {
		if (au.files_from || au.git || au.shard_n || au.nexcludes) {
			usage_error("%s", "--merge takes no --files-from, --git, --exclude or --shard");
			rc = DS_EXIT_ERROR;
			goto done;
		}
		rc = run_merge(&au, argc - optind, argv + optind);
		goto done;
	}
	bool dash = false;
	for (int i = optind; i < argc; i++)
		dash = dash || !strcmp(argv[i], "-");
	if (dash && au.files_from && !strcmp(au.files_from, "-")) {
		usage_error("%s", "standard input cannot be both a Dockerfile ('-') and a list of paths (--files-from -)");
		rc = DS_EXIT_ERROR;
		goto done;
	}
	if (optind >= argc && !au.files_from) {
		usage_error("%s", "no folder given (use '.' for the current one)");
		rc = DS_EXIT_ERROR;
		goto done;
	}

	struct ds_catalog *cat = NULL;
	struct ds_catalog_error cerr;
	if (ds_catalog_load_builtin(&cat, &cerr)) {
		ds_print_located(stderr, cerr.file, cerr.line, cerr.col, "error", cerr.msg);
		rc = DS_EXIT_ERROR;
		goto done;
	}
	ds_audit_catalog = cat;
	clock_gettime(CLOCK_MONOTONIC, &au.t0);
	ds_progress_init(&au.bar, 2, !au.quiet);
	ds_arena_init(&au.group_names);
	ds_audit_groups_init(&au.groups, &au.group_names);
	au.chunks = ds_xcalloc(ITEM_MAX_CHUNKS, sizeof *au.chunks);
	au.arenas = ds_xcalloc(au.jobs, sizeof *au.arenas);
	au.work = ds_xcalloc(au.jobs, sizeof *au.work); /* zeroed: empty arenas */
	for (unsigned t = 0; t < au.jobs; t++)
		ds_arena_init(&au.arenas[t]);
	/* the workers start now and audit files while the walk finds more */
	au.pool = ds_pool_start(au.jobs, audit_one, &au);

	struct ds_walk_opts wo = { 0 };
	wo.excludes = au.excludes;
	wo.nexcludes = au.nexcludes;
	wo.git = au.git;
	wo.warn = walk_warning;
	wo.warn_ctx = &au;
	wo.on_file = on_file;
	wo.on_file_ctx = &au;
	struct ds_walk w;
	ds_walk_init(&w, &wo);
	bool stdin_used = false;
	for (int i = optind; i < argc; i++) {
		const char *err;
		if (!strcmp(argv[i], "-")) {
			/* one Dockerfile on standard input, like every command's '-' */
			if (!stdin_used) {
				stdin_used = true;
				au.next_is_stdin = true;
				on_file(&au, &(struct ds_walk_file){ .path = "-", .rel = "-" });
				au.next_is_stdin = false;
			}
			continue;
		}
		if (ds_walk_add_arg(&w, argv[i], &err)) {
			ds_print_file_error(stderr, argv[i], err);
			rc = DS_EXIT_ERROR;
		}
	}
	const char *lp = au.files_from;
	FILE *f = NULL;
	if (lp && !strcmp(lp, "-"))
		f = stdin;
	else if (lp && !(f = fopen(lp, "r"))) {
		print_errno(lp, "cannot open", errno);
		rc = DS_EXIT_ERROR;
	}
	if (f) {
		const char *err;
		if (ds_walk_add_list(&w, f, &err)) {
			ds_print_file_error(stderr, lp, err);
			rc = DS_EXIT_ERROR;
		}
		if (f != stdin)
			fclose(f);
	}
	ds_walk_finish(&w); /* the symbolic links to folders; no list to sort in streaming mode */
	if (au.too_many) {
		fprintf(stderr, "distill audit: error: more than %zu files; audit the tree in shards (--shard)\n",
			ITEM_CHUNK * ITEM_MAX_CHUNKS);
		rc = DS_EXIT_ERROR;
	}
	ds_pool_publish(au.pool, au.nitems);
	/* every file is found: from now on the bar knows the total and the time left */
	ds_progress_draw(&au.bar, ds_pool_done(au.pool), au.nitems, true);
	ds_pool_finish(au.pool, au.bar.on ? pool_progress : NULL, &au, au.bar.interval_ms ? au.bar.interval_ms : 1);
	au.pool = NULL;
	double wall = seconds_since(&au.t0);

	/* report in path order whatever the discovery and completion order; a path met twice counts once */
	size_t n = au.nitems;
	struct order *ord = ds_xmalloc((n ? n : 1) * sizeof *ord);
	for (size_t i = 0; i < n; i++) {
		ord[i].path = item_at(&au, i)->path;
		ord[i].index = i;
	}
	qsort(ord, n, sizeof *ord, order_cmp);
	struct ds_audit_report *v = ds_xmalloc((n ? n : 1) * sizeof *v);
	size_t nv = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(ord[i].path, ord[i - 1].path))
			v[nv++] = item_at(&au, ord[i].index)->r;
	free(ord);

	if (!au.quiet) {
		for (size_t i = 0; i < nv; i++) {
			const struct ds_audit_report *r = &v[i];
			if (!r->parse_error)
				continue;
			ds_print_located(stderr, r->file, r->error_line, r->error_col, "error", r->parse_error);
		}
	}

	struct out o;
	if (out_open(&o, au.output)) {
		rc = DS_EXIT_ERROR;
	} else {
		write_reports(&au, &o, v, nv, wall);
		if (out_close(&o, au.output ? au.output : "<stdout>"))
			rc = DS_EXIT_ERROR;
	}
	if (rc == DS_EXIT_OK)
		rc = reports_rc(v, nv);

	free(v);
	for (size_t k = 0; k < ITEM_MAX_CHUNKS && au.chunks[k]; k++)
		free(au.chunks[k]);
	free(au.chunks);
	for (unsigned t = 0; t < au.jobs; t++)
		ds_arena_release(&au.arenas[t]);
	free(au.arenas);
	for (unsigned t = 0; t < au.jobs; t++)
		ds_arena_release(&au.work[t]);
	free(au.work);
	ds_walk_release(&w);
	for (size_t k = 0; k < au.ncfgs; k++) {
		free(au.cfgs[k]->path);
		ds_config_release(&au.cfgs[k]->cfg);
		free(au.cfgs[k]);
	}
	free(au.cfgs);
	free(au.last_dir);
	ds_repoconf_release(&au.search);
	ds_audit_groups_release(&au.groups);
	ds_arena_release(&au.group_names);
	ds_audit_catalog = NULL;
	ds_catalog_free(cat);
done:
	free(au.excludes);
	return rc;
}
