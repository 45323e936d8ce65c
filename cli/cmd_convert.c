/* cmd_convert.c - `distill convert`: move the final stage onto a shell-free runtime (DESIGN §5). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/repoconf.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "emit/diff.h"
#include "emit/edits.h"
#include "emit/escape.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"
#include "rules/config.h"

static const char convert_usage[] =
	"usage: distill convert [-o OUT | --in-place | --diff] [--target distroless|chainguard]\n"
	"                       [--debian 12|13] [--mappings F] [--config F] [--target-stage NAME]\n"
	"                       [--context DIR] [--bump-runtime] [--nonroot] [--accept KINDS]\n"
	"                       [--partial] [--explain] [--max-file-size N] FILE|-\n"
	"\n"
	"Moves the final stage of a Dockerfile onto a shell-free runtime image and prints\n"
	"the result; comments and layout of untouched lines are kept byte for byte. A\n"
	"result is printed only when it is proven to build and run like the original:\n"
	"the image model of its final stage (user, WORKDIR, ENV, command, ports, volumes,\n"
	"health check) equals the original's except for changes you accept.\n"
	"  -o OUT             write the result to OUT instead of standard output\n"
	"  --in-place         replace FILE atomically, only when the conversion is complete\n"
	"  --diff             print a unified diff (for patch -p1) instead of the file\n"
	"  --target T         distroless (default) or chainguard images\n"
	"  --debian N         the Debian release of distroless images (12 or 13)\n"
	"  --mappings F       overlay a catalogue file on the builtin one\n"
	"  --config F         read F instead of the .distill.yaml found upward from FILE\n"
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
	"  --max-file-size N  refuse files larger than N bytes (default 16 MiB)\n"
	"Exit: 0 converted (and proven) or nothing to do; 1 needs manual work, an --accept,\n"
	"or no runtime fits: nothing is printed unless --partial or --diff; 2 usage, I/O,\n"
	"parse or config error, or an internal error of the proof (nothing is written).\n";

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
 * Prints why not; returns 0 or -1.
 */
static int write_result(const char *path, const struct ds_buf *text, const struct ds_file_id *expect)
{
	const char *err;
	int rc = ds_write_atomic(path, text->buf ? text->buf : "", text->len, expect, &err);
	if (rc == DS_ATOMIC_CHANGED) {
		ds_print_file_error(stderr, path, err);
	} else if (rc < 0) {
		char msg[256];
		snprintf(msg, sizeof msg, "cannot write: %s", err);
		ds_print_file_error(stderr, path, msg);
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

int ds_cmd_convert(int argc, char **argv)
{
	enum { OUT_STDOUT, OUT_FILE, OUT_INPLACE, OUT_DIFF } mode = OUT_STDOUT;
	int nmodes = 0;
	const char *out_path = NULL, *target = NULL, *debian = NULL, *mappings = NULL, *config = NULL;
	const char *target_stage = NULL;
	bool bump = false, explain = false, partial = false, nonroot = false;
	const char *context = NULL;
	struct ds_context ctx = { .dirfd = -1 };
	unsigned accept = ds_change_default_accept();
	bool accept_given = false;
	size_t max_size = DS_DEFAULT_MAX_FILE_SIZE;
	static const struct option opts[] = {
		{ "in-place", no_argument, NULL, 'i' },
		{ "diff", no_argument, NULL, 'd' },
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
		{ "max-file-size", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': mode = OUT_FILE; out_path = optarg; nmodes++; break;
		case 'i': mode = OUT_INPLACE; nmodes++; break;
		case 'd': mode = OUT_DIFF; nmodes++; break;
		case 't': target = optarg; break;
		case 'D': debian = optarg; break;
		case 'M': mappings = optarg; break;
		case 'c': config = optarg; break;
		case 'S': target_stage = optarg; break;
		case 'b': bump = true; break;
		case 'N': nonroot = true; break;
		case 'C': context = optarg; break;
		case 'e': explain = true; break;
		case 'P': partial = true; break;
		case 'A': {
			const char *bad;
			if (ds_change_parse_list(optarg, &accept, &bad) < 0) {
				fprintf(stderr, "distill convert: unknown change kind '%s' in --accept (user, healthcheck, bump, init, onbuild, script, repair, env, base or all)\n",
					bad);
				return DS_EXIT_ERROR;
			}
			accept_given = true;
			break;
		}
		case 'm': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || !v) {
				fprintf(stderr, "distill convert: invalid --max-file-size '%s'\n", optarg);
				return DS_EXIT_ERROR;
			}
			max_size = (size_t)v;
			break;
		}
		case 'h': fputs(convert_usage, stdout); return DS_EXIT_OK;
		default: fputs(convert_usage, stderr); return DS_EXIT_ERROR;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "distill convert: %s\n", optind >= argc ? "no file given" : "give exactly one file");
		fputs(convert_usage, stderr);
		return DS_EXIT_ERROR;
	}
	if (nmodes > 1) {
		fprintf(stderr, "distill convert: -o, --in-place and --diff exclude each other\n");
		return DS_EXIT_ERROR;
	}
	const char *path = argv[optind];
	if (mode == OUT_INPLACE && !strcmp(path, "-")) {
		fprintf(stderr, "distill convert: --in-place needs a file, not standard input\n");
		return DS_EXIT_ERROR;
	}
	if (target && strcmp(target, "distroless") && strcmp(target, "chainguard")) {
		fprintf(stderr, "distill convert: unknown --target '%s' (distroless or chainguard)\n", target);
		return DS_EXIT_ERROR;
	}
	if (debian && strcmp(debian, "12") && strcmp(debian, "13")) {
		fprintf(stderr, "distill convert: unknown --debian '%s' (12 or 13)\n", debian);
		return DS_EXIT_ERROR;
	}

	/* configuration: --config, else .distill.yaml upward from the file */
	struct ds_config cfg;
	ds_config_init(&cfg);
	char *found = config ? NULL : find_config(path);
	const char *cfg_path = config ? config : found;
	if (cfg_path) {
		struct ds_config_error ce;
		memset(&ce, 0, sizeof ce);
		/* a .distill.yaml found by search is confined to its folder tree; --config is not */
		if ((config ? ds_config_load_file(&cfg, cfg_path, DS_CONFIG_DISTILL, &ce)
			    : ds_config_load_found(&cfg, cfg_path, DS_CONFIG_DISTILL, 0, &ce)) < 0) {
			ds_print_located(stderr, ce.file[0] ? ce.file : cfg_path, ce.line, ce.col, "error", ce.msg);
			free(found);
			ds_config_release(&cfg);
			return DS_EXIT_ERROR;
		}
	}
	free(found);
	if (!target && cfg.lint.target)
		target = cfg.lint.target;
	if (cfg.accept && !accept_given) {
		const char *bad;
		if (ds_change_parse_list(cfg.accept, &accept, &bad) < 0) {
			ds_print_located(stderr, cfg.path ? cfg.path : cfg_path, cfg.accept_line, cfg.accept_col, "error",
					 ds_arena_printf(&cfg.arena, "unknown change kind '%s' in 'accept' (user, healthcheck, "
					 "bump, init, onbuild, env, base or all)", bad));
			ds_config_release(&cfg);
			return DS_EXIT_ERROR;
		}
	}

	struct ds_catalog *cat = NULL;
	if (load_catalog(&cat, &cfg, mappings) < 0) {
		ds_config_release(&cfg);
		return DS_EXIT_ERROR;
	}

	int rc = DS_EXIT_OK;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_file_id src_id; /* what --in-place checks before it replaces the file */
	const char *err;
	struct ds_buf text = DS_BUF_INIT, diff = DS_BUF_INIT;
	if (ds_read_source(&a, path, max_size, &src, &src_id, &err) < 0) {
		ds_print_file_error(stderr, path, err);
		rc = DS_EXIT_ERROR;
		goto out;
	}
	ds_source_lines(&src, &a);
	struct ds_dockerfile df;
	if (ds_parse(&a, &src, NULL, &df) < 0) {
		ds_print_diag(stderr, &src, &df.diags.v[df.fatal], 0, 0);
		rc = DS_EXIT_ERROR;
		goto out;
	}
	struct ds_model m;
	if (ds_model_build(&a, &df, target_stage, &m) < 0) {
		if (ds_model_error(&m))
			ds_print_diag(stderr, &src, ds_model_error(&m), 0, 0);
		else
			ds_print_file_error(stderr, path, ds_arena_printf(&a, "no stage named '%s'", target_stage));
		rc = DS_EXIT_ERROR;
		goto out;
	}
	struct ds_convert_opts co;
	ds_convert_opts_init(&co);
	co.vendor = target && !strcmp(target, "chainguard") ? DS_VENDOR_CHAINGUARD : DS_VENDOR_DISTROLESS;
	co.debian = debian;
	co.bump_runtime = bump;
	co.nonroot = nonroot;
	co.accept = accept;
	co.target_stage = target_stage;
	/* the build context: --context, else the Dockerfile's folder (standard input: the current one) */
	const char *cwhy;
	if (ds_context_open_for(&ctx, path, context, &a, &cwhy) < 0) {
		if (context) {
			fprintf(stderr, "distill convert: --context '%s': %s\n", context, cwhy);
			rc = DS_EXIT_ERROR;
			goto out;
		}
	} else {
		co.context = &ctx;
	}
	struct ds_convert_result res;
	ds_convert(&a, &df, &m, cat, &co, &res);
	if (ds_model_error(&m)) {
		/* an expansion of the conversion ran past the file's budget: nothing is written */
		ds_print_diag(stderr, &src, ds_model_error(&m), 0, 0);
		rc = DS_EXIT_ERROR;
		goto out;
	}

	for (size_t i = 0; i < res.diags.n; i++) {
		const struct ds_diag *d = &res.diags.v[i];
		if (explain || d->sev != DS_SEV_NOTE) /* warnings always: they say what was lost or left */
			ds_print_diag(stderr, &src, d, 0, 0);
	}
	if (res.status == DS_CONVERT_ERROR) {
		rc = DS_EXIT_ERROR;
		goto out;
	}
	rc = res.status == DS_CONVERT_CONVERTED || res.status == DS_CONVERT_NOTHING ? DS_EXIT_OK : DS_EXIT_FINDINGS;
	/* a result that is not proven complete is shown only when asked for */
	bool show = rc == DS_EXIT_OK || partial;
	if (ds_edits_apply(src.data, src.len, res.edits, res.nedits, &text, &err) < 0) {
		ds_print_file_error(stderr, path, ds_arena_printf(&a, "internal error: %s", err));
		rc = DS_EXIT_ERROR;
		goto out;
	}
	switch (mode) {
	case OUT_STDOUT:
		if (show)
			fwrite(text.buf ? text.buf : "", 1, text.len, stdout);
		break;
	case OUT_FILE:
		if (show && write_result(out_path, &text, NULL) < 0)
			rc = DS_EXIT_ERROR;
		break;
	case OUT_DIFF: {
		const char *p = path;
		while (p[0] == '.' && p[1] == '/')
			p += 2;
		const char *sep = p[0] == '/' ? "" : "/";
		/* labels quoted as git quotes them, which patch(1) reads back */
		const char *la = diff_label(&a, "a", sep, p), *lb = diff_label(&a, "b", sep, p);
		ds_diff_unified(src.data, src.len, text.buf ? text.buf : "", text.len, la, lb, 3, 0, &diff);
		fwrite(diff.buf ? diff.buf : "", 1, diff.len, stdout);
		break;
	}
	case OUT_INPLACE:
		if (res.status != DS_CONVERT_CONVERTED)
			break; /* nothing to write, or not complete: the file stays as it is */
		if (write_result(path, &text, &src_id) < 0)
			rc = DS_EXIT_ERROR;
		break;
	}
	if (fflush(stdout) != 0)
		rc = DS_EXIT_ERROR;
out:
	ds_context_close(&ctx);
	ds_buf_release(&text);
	ds_buf_release(&diff);
	ds_arena_release(&a);
	ds_catalog_free(cat);
	ds_config_release(&cfg);
	return rc;
}
