/* cmd_convert.c - `distill convert`: move the final stage onto a shell-free runtime (DESIGN §5), one file or many. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/pool.h"
#include "cli/repoconf.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "common/str.h"
#include "emit/diff.h"
#include "emit/edits.h"
#include "emit/escape.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"
#include "rules/config.h"

static const char convert_usage[] =
	"usage: distill convert [-o OUT | --in-place | --diff] [--check]\n"
	"                       [--target VENDORS] [--debian N]\n"
	"                       [--mappings F] [--config F] [--target-stage NAME]\n"
	"                       [--context DIR] [--bump-runtime] [--nonroot]\n"
	"                       [--accept KINDS] [--partial] [--explain] [--jobs N]\n"
	"                       [--max-file-size N] FILE|DIR|-...\n"
	"\n"
	"Moves the final stage of a Dockerfile onto a shell-free runtime image and prints\n"
	"the result; comments and layout of untouched lines are kept byte for byte. A\n"
	"result is printed only when it is proven to build and run like the original:\n"
	"the image model of its final stage (user, WORKDIR, ENV, command, ports, volumes,\n"
	"health check) equals the original's except for changes you accept.\n"
	"Several files, or folders (searched for Dockerfiles as audit searches them),\n"
	"take --in-place, --diff or --check and are converted one by one: standard error\n"
	"gets one summary line per file and a total.\n"
	"  -o OUT             write the result to OUT instead of standard output (one file)\n"
	"  --in-place         replace each file atomically, only when its conversion is\n"
	"                     complete\n"
	"  --diff             print a unified diff instead of the file; paths are relative to\n"
	"                     the current folder, so 'patch -p1' applies it there\n"
	"  --check            write nothing; say for each file whether it would change and\n"
	"                     exit 0, 1, 3 or 2 (below); with --diff, also print the changes\n"
	"  --target VENDORS   the shell-free images to move onto, in order (comma-separated):\n"
	"                     distroless (default), chainguard, chiseled, ubi-micro; the\n"
	"                     first of distroless and chainguard runs languages and\n"
	"                     programs, the rest take over images it has none for\n"
	"                     ('distroless,chiseled,chainguard': .NET on chiseled images,\n"
	"                     nginx on Chainguard's); ubi-micro (it has a shell), when\n"
	"                     named first, takes programs on Red Hat UBI images\n"
	"  --debian N         the Debian release of distroless images: 12 or bookworm,\n"
	"                     13 or trixie\n"
	"  --mappings F       overlay a catalogue file on the builtin one\n"
	"  --config F         read F instead of the .distill.yaml found upward from each file\n"
	"  --target-stage S   convert stage S instead of the last one\n"
	"  --context DIR      the build context to read (default: the Dockerfile's folder;\n"
	"                     standard input: the current folder): package.json scripts,\n"
	"                     entrypoint scripts, shebangs; read, never run, never outside DIR\n"
	"  --nonroot          run as the runtime's non-root user when the original ran as root\n"
	"                     (refused when it shows signs it needs root: VOLUME, ports below\n"
	"                     1024, the Docker socket, file capabilities)\n"
	"  --bump-runtime     move a language version without a runtime to the next newer one\n"
	"                     (accepts the change of kind bump)\n"
	"  --accept KINDS     accept these kinds of behaviour change (comma-separated): user,\n"
	"                     healthcheck, bump, init, onbuild, script, repair, env, base,\n"
	"                     or all; script, repair, env and base are accepted by default\n"
	"  --partial          print (or write with -o) the result even when it needs manual\n"
	"                     work or an --accept, or the file unchanged when no runtime fits\n"
	"  --explain          list every change and every construct left on standard error\n"
	"  -j, --jobs N       convert N files at a time (default: the number of cores); the\n"
	"                     output is in file order whatever N\n"
	"  --max-file-size N  refuse files larger than N bytes (or 64K, 1M, 1G; default 16M)\n"
	;
/* the rest of the help (one string would pass the length C99 guarantees) */
static const char convert_usage_exit[] =
	"Exit: 0 converted (and proven) or nothing to do; 1 needs manual work, an --accept,\n"
	"or no runtime fits: nothing is printed unless --partial or --diff; 2 usage, I/O,\n"
	"parse or config error, or an internal error of the proof (nothing is written).\n"
	"Several files: 2 if any file had an error, else 1 if any was left, else 0.\n"
	"With --check: 0 every file is already shell-free or converts to itself, 1 some\n"
	"file would change, 3 some file needs manual work, an --accept or has no runtime,\n"
	"2 errors (or no Dockerfile found); 2 wins over 3, 3 over 1.\n";

/* The options of convert (cli.h): getopt_long's table, and the source of the completions. */
static const struct option convert_options[] = {
	{ "in-place", no_argument, NULL, 'i' },
	{ "diff", no_argument, NULL, 'd' },
	{ "check", no_argument, NULL, 'k' },
	{ "target", required_argument, NULL, 't' },
	{ "debian", required_argument, NULL, 'D' },
	{ "mappings", required_argument, NULL, 'M' },
	{ "config", required_argument, NULL, 'c' },
	{ "target-stage", required_argument, NULL, 'S' },
	{ "bump-runtime", no_argument, NULL, 'b' },
	{ "nonroot", no_argument, NULL, 'N' },
	{ "context", required_argument, NULL, 'C' },
	{ "explain", no_argument, NULL, 'e' },
	{ "accept", required_argument, NULL, 'A' },
	{ "partial", no_argument, NULL, 'P' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-file-size", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_convert_options(void)
{
	return convert_options;
}

/* Finds .distill.yaml in the folder of path or above; NULL when none. Result is malloc'd. */
static char *find_config(const char *path)
{
	char dir[PATH_MAX];
	if (!strcmp(path, "-")) {
		if (!getcwd(dir, sizeof dir))
			return NULL;
	} else {
		if (!realpath(path, dir))
			return NULL;
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
	}
	for (;;) {
		char cand[PATH_MAX + 16];
		snprintf(cand, sizeof cand, "%s%s.distill.yaml", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			return ds_xstrdup(cand);
		char *slash = strrchr(dir, '/');
		if (!slash || (slash == dir && !dir[1]))
			return NULL;
		*(slash == dir ? slash + 1 : slash) = '\0';
	}
}

/*
 * Writes the result to path through the one atomic writer (cli/io.h); with
 * expect (--in-place), only when path is still the file that was read.
 * Prints why not on err; returns 0 or -1.
 */
static int write_result(FILE *err, const char *path, const struct ds_buf *text, const struct ds_file_id *expect)
{
	const char *why;
	int rc = ds_write_atomic(path, text->buf ? text->buf : "", text->len, expect, &why);
	if (rc == DS_ATOMIC_CHANGED) {
		ds_print_file_error(err, path, why);
	} else if (rc < 0) {
		char msg[256];
		snprintf(msg, sizeof msg, "cannot write: %s", why);
		ds_print_file_error(err, path, msg);
	}
	return rc < 0 ? -1 : 0;
}

/* "a/PATH" for a diff header, quoted like a file name when it must be. */
static const char *diff_label(struct ds_arena *a, const char *side, const char *sep, const char *path)
{
	return ds_esc_name_dup(a, ds_arena_printf(a, "%s%s%s", side, sep, path));
}

/*
 * The builtin catalogue, the configuration's mappings (read within the
 * limits of where the configuration came from: cli/repoconf.h), then
 * --mappings, which may name any file.
 */
static int load_catalog(struct ds_catalog **cat, const struct ds_config *cfg, const char *mappings)
{
	if (ds_repoconf_catalog(cfg, cat) < 0)
		return -1;
	struct ds_catalog_error ce;
	memset(&ce, 0, sizeof ce);
	if (mappings && ds_catalog_overlay_file(*cat, mappings, &ce) < 0) {
		ds_print_located(stderr, ce.file[0] ? ce.file : mappings, ce.line, ce.col, "error", ce.msg);
		ds_catalog_free(*cat);
		*cat = NULL;
		return -1;
	}
	return 0;
}

/* The exit code of --check when some file needs a person: manual work, an --accept, no runtime. */
enum { EXIT_CHECK_MANUAL = 3 };

/* What became of one file, for the summary. */
enum verdict { V_CONVERTED, V_UNCHANGED, V_ACCEPT, V_MANUAL, V_NO_RUNTIME, V_ERROR, V__COUNT };

/* A configuration (or the defaults) and the catalogue it gives, shared by the files it governs. */
struct conf {
	char *path; /* NULL: the defaults (no .distill.yaml found) */
	struct ds_config cfg;
	struct ds_catalog *cat;
	bool bad;           /* could not be loaded (said once): its files are errors */
	const char *target; /* --target, else the configuration's */
	unsigned accept;
};

/* One file to convert and, once a worker is done with it, what it printed. */
struct item {
	const char *path;
	struct conf *conf;
	enum verdict verdict;
	int rc;          /* the exit code a run on this file alone would have */
	char *out, *err; /* what goes to standard output and standard error */
	size_t outlen, errlen;
	atomic_bool done;
};

enum out_mode { OUT_STDOUT, OUT_FILE, OUT_INPLACE, OUT_DIFF };

/* The options, and the files of a run. */
struct run {
	enum out_mode mode;
	bool check, bulk, explain, partial, bump, nonroot, accept_given;
	const char *out_path, *target, *debian, *mappings, *config, *target_stage, *context;
	unsigned accept;
	size_t max_size;
	unsigned jobs;
	char cwd[PATH_MAX]; /* for --diff labels; "" when unknown */

	struct conf **confs;
	size_t nconfs;
	struct item *items;
	size_t nitems, capitems;
	size_t printed; /* items whose output is out */
};

/*
 * The path a diff names, so that `patch -p1` in the current folder finds
 * the file: a relative path without its "./"; an absolute one below the
 * current folder (as written, or once its folder is resolved) relative to
 * it; anything else as it is.
 */
static const char *diff_path(const struct run *r, struct ds_arena *a, const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (path[0] != '/' || !r->cwd[0])
		return path;
	size_t n = strlen(r->cwd);
	if (n > 1 && !strncmp(path, r->cwd, n) && path[n] == '/')
		return path + n + 1;
	const char *base = ds_str_basename(path);
	char *dir = ds_arena_strndup(a, path, (size_t)(base - path));
	char real[PATH_MAX];
	if (!*dir || !realpath(dir, real))
		return path;
	if (!strcmp(real, r->cwd))
		return base;
	if (n > 1 && !strncmp(real, r->cwd, n) && real[n] == '/')
		return ds_arena_printf(a, "%s/%s", real + n + 1, base);
	return path;
}

/*
 * The configuration governing path (--config, else the .distill.yaml found
 * upward), loaded once for all the files it governs, with its catalogue.
 * Its errors are printed here, once.
 */
static struct conf *conf_for(struct run *r, const char *path)
{
	char *found = r->config ? NULL : find_config(path);
	const char *cfg_path = r->config ? r->config : found;
	for (size_t i = 0; i < r->nconfs; i++) {
		struct conf *c = r->confs[i];
		if ((!cfg_path && !c->path) || (cfg_path && c->path && !strcmp(cfg_path, c->path))) {
			free(found);
			return c;
		}
	}
	struct conf *c = ds_xcalloc(1, sizeof *c);
	r->confs = ds_xrealloc(r->confs, (r->nconfs + 1) * sizeof *r->confs);
	r->confs[r->nconfs++] = c;
	c->path = cfg_path ? ds_xstrdup(cfg_path) : NULL;
	free(found);
	ds_config_init(&c->cfg);
	c->accept = r->accept;
	if (c->path) {
		struct ds_config_error ce;
		memset(&ce, 0, sizeof ce);
		/* a .distill.yaml found by search is confined to its folder tree; --config is not */
		if ((r->config ? ds_config_load_file(&c->cfg, c->path, DS_CONFIG_DISTILL, &ce)
			       : ds_config_load_found(&c->cfg, c->path, DS_CONFIG_DISTILL, 0, &ce)) < 0) {
			ds_print_located(stderr, ce.file[0] ? ce.file : c->path, ce.line, ce.col, "error", ce.msg);
			c->bad = true;
			return c;
		}
	}
	c->target = r->target ? r->target : c->cfg.lint.target;
	if (c->cfg.accept && !r->accept_given) {
		const char *bad;
		if (ds_change_parse_list(c->cfg.accept, &c->accept, &bad) < 0) {
			ds_print_located(stderr, c->cfg.path ? c->cfg.path : c->path, c->cfg.accept_line, c->cfg.accept_col,
					 "error",
					 ds_arena_printf(&c->cfg.arena, "unknown change kind '%s' in 'accept' (user, healthcheck, "
							 "bump, init, onbuild, env, base or all)", bad));
			c->bad = true;
			return c;
		}
	}
	if (load_catalog(&c->cat, &c->cfg, r->mappings) < 0)
		c->bad = true;
	return c;
}

static void conf_free(struct conf *c)
{
	free(c->path);
	ds_catalog_free(c->cat);
	ds_config_release(&c->cfg);
	free(c);
}

/* Prints one file's summary line in a run over several files: what happened to it. */
static void print_summary(const struct run *r, FILE *err, const struct ds_source *src, const char *path,
			  const struct ds_convert_result *res, const struct ds_diag *last, bool changed)
{
	if (r->check && res->status == DS_CONVERT_CONVERTED && changed) {
		struct ds_arena a = DS_ARENA_INIT;
		ds_print_located(err, path, 0, 0, "warning",
				 ds_arena_printf(&a, "would change: the final stage would run on '%s'",
						 res->runtime ? res->runtime : "?"));
		ds_arena_release(&a);
	} else if (last) {
		ds_print_diag(err, src, last, 0, 0);
	}
}

/*
 * Converts one file, printing on out and err exactly what a run on that
 * file alone prints (and, in a run over several files, its summary line
 * instead of the conversion's own), and writing it with --in-place. Sets
 * it->verdict and it->rc.
 */
static void convert_file(const struct run *r, struct item *it, FILE *out, FILE *err)
{
	const char *path = it->path;
	struct conf *c = it->conf;
	struct ds_context ctx = { .dirfd = -1 };
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_file_id src_id; /* what --in-place checks before it replaces the file */
	const char *why;
	struct ds_buf text = DS_BUF_INIT, diff = DS_BUF_INIT;
	it->verdict = V_ERROR;
	it->rc = DS_EXIT_ERROR;
	if (c->bad) {
		if (r->bulk)
			ds_print_file_error(err, path, "not converted: its configuration has errors (above)");
		goto out;
	}
	if (ds_read_source(&a, path, r->max_size, &src, &src_id, &why) < 0) {
		ds_print_file_error(err, path, why);
		goto out;
	}
	ds_source_lines(&src, &a);
	struct ds_dockerfile df;
	if (ds_parse(&a, &src, NULL, &df) < 0) {
		ds_print_diag(err, &src, &df.diags.v[df.fatal], 0, 0);
		goto out;
	}
	struct ds_model m;
	if (ds_model_build(&a, &df, r->target_stage, &m) < 0) {
		if (ds_model_error(&m))
			ds_print_diag(err, &src, ds_model_error(&m), 0, 0);
		else
			ds_print_file_error(err, path, ds_arena_printf(&a, "no stage named '%s'", r->target_stage));
		goto out;
	}
	struct ds_convert_opts co;
	ds_convert_opts_init(&co);
	const char *bad;
	if (c->target)
		(void)ds_convert_parse_targets(c->target, &co, &bad); /* checked when read */
	co.debian = r->debian;
	co.bump_runtime = r->bump;
	co.nonroot = r->nonroot;
	co.accept = c->accept;
	co.target_stage = r->target_stage;
	/* the build context: --context, else the Dockerfile's folder (standard input: the current one) */
	if (ds_context_open_for(&ctx, path, r->context, &a, &why) < 0) {
		if (r->context) {
			fprintf(err, "distill convert: --context '%s': %s\n", r->context, why);
			goto out;
		}
	} else {
		co.context = &ctx;
	}
	struct ds_convert_result res;
	ds_convert(&a, &df, &m, c->cat, &co, &res);
	if (ds_model_error(&m)) {
		/* an expansion of the conversion ran past the file's budget: nothing is written */
		ds_print_diag(err, &src, ds_model_error(&m), 0, 0);
		goto out;
	}

	/* the position-less summary comes last; a run over several files prints its own line instead */
	const struct ds_diag *last =
		res.diags.n && !res.diags.v[res.diags.n - 1].has_pos ? &res.diags.v[res.diags.n - 1] : NULL;
	for (size_t i = 0; i < res.diags.n; i++) {
		const struct ds_diag *d = &res.diags.v[i];
		if (r->bulk && d == last)
			continue;
		if (r->explain || d->sev != DS_SEV_NOTE) /* warnings always: they say what was lost or left */
			ds_print_diag(err, &src, d, 0, 0);
	}
	if (res.status == DS_CONVERT_ERROR) {
		if (r->bulk && last)
			ds_print_diag(err, &src, last, 0, 0);
		goto out;
	}
	int rc = res.status == DS_CONVERT_CONVERTED || res.status == DS_CONVERT_NOTHING ? DS_EXIT_OK : DS_EXIT_FINDINGS;
	/* a result that is not proven complete is shown only when asked for */
	bool show = rc == DS_EXIT_OK || r->partial;
	const char *eerr;
	if (ds_edits_apply(src.data, src.len, res.edits, res.nedits, &text, &eerr) < 0) {
		ds_print_file_error(err, path, ds_arena_printf(&a, "internal error: %s", eerr));
		goto out;
	}
	bool changed = text.len != src.len || (text.len && memcmp(text.buf, src.data, text.len));
	switch (res.status) {
	case DS_CONVERT_CONVERTED: it->verdict = changed ? V_CONVERTED : V_UNCHANGED; break;
	case DS_CONVERT_NOTHING: it->verdict = V_UNCHANGED; break;
	case DS_CONVERT_ACCEPT: it->verdict = V_ACCEPT; break;
	case DS_CONVERT_MANUAL: it->verdict = V_MANUAL; break;
	default: it->verdict = V_NO_RUNTIME; break;
	}
	it->rc = rc;
	switch (r->mode) {
	case OUT_STDOUT:
		if (show && !r->check)
			fwrite(text.buf ? text.buf : "", 1, text.len, out);
		break;
	case OUT_FILE:
		if (show && write_result(err, r->out_path, &text, NULL) < 0)
			it->rc = DS_EXIT_ERROR;
		break;
	case OUT_DIFF: {
		const char *p = diff_path(r, &a, path);
		const char *sep = p[0] == '/' ? "" : "/";
		/* labels quoted as git quotes them, which patch(1) reads back */
		const char *la = diff_label(&a, "a", sep, p), *lb = diff_label(&a, "b", sep, p);
		ds_diff_unified(src.data, src.len, text.buf ? text.buf : "", text.len, la, lb, 3, 0, &diff);
		fwrite(diff.buf ? diff.buf : "", 1, diff.len, out);
		break;
	}
	case OUT_INPLACE:
		if (res.status != DS_CONVERT_CONVERTED || !changed)
			break; /* nothing to write, or not complete: the file stays as it is */
		if (write_result(err, path, &text, &src_id) < 0)
			it->rc = DS_EXIT_ERROR;
		break;
	}
	if (it->rc == DS_EXIT_ERROR)
		it->verdict = V_ERROR;
	else if (r->bulk)
		print_summary(r, err, &src, path, &res, last, changed);
out:
	ds_context_close(&ctx);
	ds_buf_release(&text);
	ds_buf_release(&diff);
	ds_arena_release(&a);
}

/* ---- many files ---- */

static void add_item(struct run *r, const char *path)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (!strcmp(r->items[i].path, path))
			return; /* named twice (a file and its folder): converted once */
	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? 2 * r->capitems : 16;
		r->items = ds_xrealloc(r->items, r->capitems * sizeof *r->items);
	}
	struct item *it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->path = path;
	atomic_init(&it->done, false);
}

/* A worker: one file, its output kept until the files before it are out. */
static void work(void *ctx, size_t index, unsigned worker)
{
	(void)worker;
	struct run *r = ctx;
	struct item *it = &r->items[index];
	FILE *out = open_memstream(&it->out, &it->outlen);
	FILE *err = open_memstream(&it->err, &it->errlen);
	if (!out || !err) {
		if (out)
			fclose(out);
		if (err)
			fclose(err);
		free(it->out);
		it->out = NULL;
		it->outlen = 0;
		it->err = ds_xstrdup("distill convert: error: out of memory\n");
		it->errlen = strlen(it->err);
		it->verdict = V_ERROR;
		it->rc = DS_EXIT_ERROR;
	} else {
		convert_file(r, it, out, err);
		fclose(out);
		fclose(err);
	}
	atomic_store_explicit(&it->done, true, memory_order_release);
}

/* Prints the finished files in order, as far as the first one still running. */
static void print_done(void *ctx, size_t done, size_t n)
{
	(void)done;
	(void)n;
	struct run *r = ctx;
	while (r->printed < r->nitems && atomic_load_explicit(&r->items[r->printed].done, memory_order_acquire)) {
		struct item *it = &r->items[r->printed++];
		/* standard output first: a diff is whole before the lines about it */
		if (it->outlen)
			fwrite(it->out, 1, it->outlen, stdout);
		fflush(stdout);
		if (it->errlen)
			fwrite(it->err, 1, it->errlen, stderr);
		free(it->out);
		free(it->err);
		it->out = it->err = NULL;
	}
}

static const char *const verdict_words[V__COUNT] = {
	[V_CONVERTED] = "converted",
	[V_UNCHANGED] = "already shell-free",
	[V_ACCEPT] = "need an --accept",
	[V_MANUAL] = "need manual work",
	[V_NO_RUNTIME] = "have no runtime",
	[V_ERROR] = "failed",
};

/* Prints the total line; returns the exit code of a run over several files. */
static int finish_bulk(const struct run *r)
{
	size_t count[V__COUNT] = { 0 };
	for (size_t i = 0; i < r->nitems; i++)
		count[r->items[i].verdict]++;
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addf(&b, "distill convert: %zu file%s", r->nitems, r->nitems == 1 ? "" : "s");
	const char *sep = ": ";
	for (int v = 0; v < V__COUNT; v++) {
		if (!count[v])
			continue;
		const char *w = v == V_CONVERTED && (r->check || r->mode != OUT_INPLACE) ? "would change" : verdict_words[v];
		ds_buf_addf(&b, "%s%zu %s", sep, count[v], w);
		sep = ", ";
	}
	ds_buf_addc(&b, '\n');
	fputs(b.buf, stderr);
	ds_buf_release(&b);
	bool left = count[V_ACCEPT] || count[V_MANUAL] || count[V_NO_RUNTIME];
	if (count[V_ERROR])
		return DS_EXIT_ERROR;
	if (r->check)
		return left ? EXIT_CHECK_MANUAL : count[V_CONVERTED] ? DS_EXIT_FINDINGS : DS_EXIT_OK;
	return left ? DS_EXIT_FINDINGS : DS_EXIT_OK;
}

static void walk_warn(void *ctx, const char *path, const char *msg)
{
	bool *failed = ctx;
	ds_print_file_error(stderr, path, msg);
	*failed = true;
}

/*
 * Collects the files of the operands, in order: a folder's Dockerfiles
 * (found as audit finds them, sorted by path), any other operand as it is.
 * A folder without one is an error. walks keeps the folders' strings alive.
 * Returns DS_EXIT_OK or DS_EXIT_ERROR (said on standard error).
 */
static int collect(struct run *r, int argc, char **argv, int first, struct ds_walk *walks, size_t *nwalks)
{
	int rc = DS_EXIT_OK;
	bool stdin_seen = false;
	for (int i = first; i < argc; i++) {
		const char *p = argv[i];
		struct stat st;
		if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool failed = false;
			struct ds_walk_opts wo = { 0 };
			wo.warn = walk_warn;
			wo.warn_ctx = &failed;
			struct ds_walk *w = &walks[(*nwalks)++];
			ds_walk_init(w, &wo);
			const char *err;
			r->bulk = true;
			if (ds_walk_add_arg(w, p, &err)) {
				ds_print_file_error(stderr, p, err);
				rc = DS_EXIT_ERROR;
				continue;
			}
			ds_walk_finish(w);
			if (failed)
				rc = DS_EXIT_ERROR;
			if (!w->nfiles) {
				ds_print_file_error(stderr, p,
						    "no Dockerfile found (names searched: Dockerfile, Containerfile, "
						    "*.Dockerfile, *.Containerfile, Dockerfile.*, Containerfile.*)");
				rc = DS_EXIT_ERROR;
			}
			for (size_t k = 0; k < w->nfiles; k++)
				add_item(r, w->files[k].path);
			continue;
		}
		if (!strcmp(p, "-")) {
			if (stdin_seen) {
				ds_usage_error("convert", "standard input ('-') given twice");
				return -1;
			}
			stdin_seen = true;
		}
		add_item(r, p);
	}
	return rc;
}

/* --debian: a release number or its codename; NULL when it is neither. */
static const char *debian_release(const char *s)
{
	if (!strcmp(s, "12") || !strcasecmp(s, "bookworm"))
		return "12";
	if (!strcmp(s, "13") || !strcasecmp(s, "trixie"))
		return "13";
	return NULL;
}

int ds_cmd_convert(int argc, char **argv)
{
	struct run r;
	memset(&r, 0, sizeof r);
	r.mode = OUT_STDOUT;
	r.accept = ds_change_default_accept();
	r.max_size = DS_DEFAULT_MAX_FILE_SIZE;
	int nmodes = 0;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:j:h", convert_options, NULL)) != -1) {
		switch (ch) {
		case 'o': r.mode = OUT_FILE; r.out_path = optarg; nmodes++; break;
		case 'i': r.mode = OUT_INPLACE; nmodes++; break;
		case 'd': r.mode = OUT_DIFF; nmodes++; break;
		case 'k': r.check = true; break;
		case 't': r.target = optarg; break;
		case 'D':
			if (!(r.debian = debian_release(optarg))) {
				return ds_usage_error("convert", "unknown --debian '%s' (12 or bookworm, 13 or trixie)", optarg);
			}
			break;
		case 'M': r.mappings = optarg; break;
		case 'c': r.config = optarg; break;
		case 'S': r.target_stage = optarg; break;
		case 'b': r.bump = true; break;
		case 'N': r.nonroot = true; break;
		case 'C': r.context = optarg; break;
		case 'e': r.explain = true; break;
		case 'P': r.partial = true; break;
		case 'A': {
			const char *bad;
			if (ds_change_parse_list(optarg, &r.accept, &bad) < 0) {
				return ds_usage_error("convert", "unknown change kind '%s' in --accept (user, healthcheck, bump, init, onbuild, script, repair, env, base or all)",
						      bad);
			}
			r.accept_given = true;
			break;
		}
		case 'j': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || !v || v > 1024 || optarg[0] == '-' || optarg[0] == '+')
				return ds_usage_error("convert", "invalid --jobs '%s' (1 to 1024)", optarg);
			r.jobs = (unsigned)v;
			break;
		}
		case 'm':
			if (ds_str_parse_size(optarg, &r.max_size) < 0) {
				return ds_usage_error("convert", "invalid --max-file-size '%s' (bytes, or with K, M or G)", optarg);
			}
			break;
		case 'h':
			fputs(convert_usage, stdout);
			fputs(convert_usage_exit, stdout);
			return DS_EXIT_OK;
		default: return ds_usage_bad_option("convert", convert_options, "o:j:h", argv, optind, optopt);
		}
	}
	if (optind >= argc)
		return ds_usage_error("convert", "no file given ('-' reads standard input)");
	if (nmodes > 1)
		return ds_usage_error("convert", "-o, --in-place and --diff exclude each other");
	if (r.check && (r.mode == OUT_FILE || r.mode == OUT_INPLACE))
		return ds_usage_error("convert", "--check writes nothing: it takes no -o or --in-place");
	if (r.target) {
		struct ds_convert_opts t;
		const char *bad;
		ds_convert_opts_init(&t);
		if (ds_convert_parse_targets(r.target, &t, &bad) < 0)
			return ds_usage_error("convert", "--target '%s': '%s' is unknown or named twice (a list of distroless, chainguard, chiseled and ubi-micro)", r.target, bad);
	}
	if (!getcwd(r.cwd, sizeof r.cwd))
		r.cwd[0] = '\0';

	struct ds_walk *walks = ds_xcalloc((size_t)(argc - optind), sizeof *walks);
	size_t nwalks = 0;
	int rc = collect(&r, argc, argv, optind, walks, &nwalks);
	if (rc < 0) {
		rc = DS_EXIT_ERROR;
		goto done;
	}
	if (r.nitems > 1 || r.check)
		r.bulk = true;
	if (r.mode == OUT_INPLACE) {
		for (size_t i = 0; i < r.nitems; i++) {
			if (!strcmp(r.items[i].path, "-")) {
				rc = ds_usage_error("convert", "--in-place needs a file, not standard input");
				goto done;
			}
		}
	}
	if (r.nitems > 1 && (r.mode == OUT_STDOUT || r.mode == OUT_FILE) && !r.check) {
		rc = ds_usage_error("convert", "%zu files: give --in-place, --diff or --check (%s holds one Dockerfile)",
				    r.nitems, r.mode == OUT_FILE ? "-o" : "standard output");
		goto done;
	}
	if (!r.nitems)
		goto done; /* every folder was empty: said above, rc is 2 */

	/* configurations and catalogues, once each, before the workers read them */
	for (size_t i = 0; i < r.nitems; i++)
		r.items[i].conf = conf_for(&r, r.items[i].path);

	if (!r.bulk) {
		struct item *it = &r.items[0];
		convert_file(&r, it, stdout, stderr);
		rc = it->rc;
	} else {
		unsigned jobs = r.jobs ? r.jobs : ds_pool_default_threads();
		if (jobs > r.nitems)
			jobs = (unsigned)r.nitems;
		ds_pool_run(r.nitems, jobs, work, &r, print_done, &r, 50);
		print_done(&r, r.nitems, r.nitems);
		int brc = finish_bulk(&r);
		if (rc == DS_EXIT_OK || brc == DS_EXIT_ERROR)
			rc = brc;
	}
	if (fflush(stdout) != 0)
		rc = DS_EXIT_ERROR;
done:
	for (size_t i = 0; i < r.nitems; i++) {
		free(r.items[i].out);
		free(r.items[i].err);
	}
	free(r.items);
	for (size_t i = 0; i < r.nconfs; i++)
		conf_free(r.confs[i]);
	free(r.confs);
	for (size_t i = 0; i < nwalks; i++)
		ds_walk_release(&walks[i]);
	free(walks);
	return rc;
}
