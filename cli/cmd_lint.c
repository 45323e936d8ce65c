/* cmd_lint.c - `distill lint`: rules, pragmas, configuration, shellcheck and the five formats (issue 4). */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/shellcheck.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/hash.h"
#include "common/source.h"
#include "emit/format.h"
#include "parser/ast.h"
#include "rules/config.h"
#include "rules/rules.h"

static const char lint_usage[] =
	"usage: distill lint [options] PATH...\n"
	"\n"
	"Checks Dockerfiles: distill's distroless rules (DST), hadolint's rules (DL) and,\n"
	"when shellcheck is on PATH, the shell of RUN instructions (SC). PATH is a file,\n"
	"'-' for standard input, or a folder searched for Dockerfiles.\n"
	"  --format F              text (default), gnu, json, sarif or checkstyle\n"
	"  --config FILE           use FILE instead of the .distill.yaml (or .hadolint.yaml)\n"
	"                          found in the file's folder or above\n"
	"  --failure-threshold S   exit 1 on findings of severity S or worse: error,\n"
	"                          warning, info (default), style, or none (never)\n"
	"  --ignore CODE           drop findings of CODE (repeatable)\n"
	"  --error CODE, --warning CODE, --info CODE, --style CODE\n"
	"                          report CODE with that severity (repeatable)\n"
	"  --target-stage NAME     treat stage NAME as the final stage\n"
	"  --no-shellcheck         do not run shellcheck\n"
	"  --no-color              no colours (also when NO_COLOR is set or not a terminal)\n"
	"  --max-file-size N       refuse files larger than N bytes (default 16 MiB)\n"
	"Pragmas: '# distill ignore=CODE,...' above an instruction, '# distill global\n"
	"ignore=...' anywhere, '# distill stage ignore=...' above a FROM; 'hadolint' may\n"
	"stand for 'distill'.\n"
	"Exit: 0 no finding at or above the threshold, 1 findings, 2 usage, I/O, parse or\n"
	"configuration error.\n";

/* A --ignore / --error ... option, applied on top of every configuration. */
struct cli_code {
	const char *code;
	int sev; /* -1: ignore */
};

struct lint_run {
	int format;              /* -1 until known */
	int threshold;           /* -1: from the config, else a severity */
	int color;               /* -1 auto */
	bool no_shellcheck;
	const char *config_path;
	const char *target_stage;
	size_t max_size;
	struct cli_code *codes;
	size_t ncodes;

	struct ds_catalog *cat;  /* builtin, loaded once */
	bool cat_failed;
	struct cfg_entry *cfgs;  /* configurations by file */
	size_t ncfgs, capcfgs;
	struct dir_entry *dirs;  /* folder -> configuration file, for discovery */
	size_t ndirs, capdirs;
	/* indexes, so that each file finds its folder's configuration in O(1) */
	struct ds_arena index_arena;
	struct ds_hmap dir_index;   /* resolved folder -> index into dirs */
	struct ds_hmap given_index; /* folder as the path gives it -> index into cfgs */

	struct ds_emitter em;
	bool begun;
	struct ds_buf out;
	int rc;
	bool findings;
};

struct cfg_entry {
	char *path;              /* NULL: the defaults */
	struct ds_config cfg;
	bool bad;
	struct ds_catalog *cat;  /* with the config's mappings, or NULL: the builtin */
};

struct dir_entry {
	char *dir;
	long cfg;                /* index into cfgs */
};

/* ---- configuration ---- */

static void print_config_error(const struct ds_config_error *e)
{
	if (e->line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", e->file, e->line, e->col, e->msg);
	else
		fprintf(stderr, "%s: error: %s\n", e->file, e->msg);
}

static void print_catalog_error(const struct ds_catalog_error *e)
{
	if (e->line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", e->file, e->line, e->col, e->msg);
	else
		fprintf(stderr, "%s: error: %s\n", e->file, e->msg);
}

static const struct ds_catalog *builtin_catalog(struct lint_run *r)
{
	if (!r->cat && !r->cat_failed) {
		struct ds_catalog_error err;
		if (ds_catalog_load_builtin(&r->cat, &err)) {
			print_catalog_error(&err);
			r->cat_failed = true;
			r->rc = DS_EXIT_ERROR;
		}
	}
	return r->cat;
}

/* Loads (once) the configuration at path (NULL: defaults); returns its index. */
static long config_get(struct lint_run *r, const char *path, enum ds_config_dialect dialect)
{
	for (size_t i = 0; i < r->ncfgs; i++)
		if ((!path && !r->cfgs[i].path) || (path && r->cfgs[i].path && !strcmp(path, r->cfgs[i].path)))
			return (long)i;
	if (r->ncfgs == r->capcfgs) {
		r->capcfgs = r->capcfgs ? 2 * r->capcfgs : 4;
		r->cfgs = ds_xrealloc(r->cfgs, r->capcfgs * sizeof *r->cfgs);
	}
	struct cfg_entry *e = &r->cfgs[r->ncfgs++];
	memset(e, 0, sizeof *e);
	e->path = path ? ds_xstrdup(path) : NULL;
	ds_config_init(&e->cfg);
	struct ds_config_error err;
	if (path && ds_config_load_file(&e->cfg, path, dialect, &err)) {
		print_config_error(&err);
		e->bad = true;
		r->rc = DS_EXIT_ERROR;
		return (long)(r->ncfgs - 1);
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		if (r->codes[i].sev < 0)
			ds_config_ignore(&e->cfg, r->codes[i].code);
		else
			ds_config_override(&e->cfg, r->codes[i].code, (enum ds_severity)r->codes[i].sev);
	}
	if (e->cfg.mappings && builtin_catalog(r)) {
		struct ds_catalog_error cerr;
		if (ds_catalog_load_builtin(&e->cat, &cerr) || ds_catalog_overlay_file(e->cat, e->cfg.mappings, &cerr)) {
			print_catalog_error(&cerr);
			ds_catalog_free(e->cat);
			e->cat = NULL;
			e->bad = true;
			r->rc = DS_EXIT_ERROR;
		}
	}
	return (long)(r->ncfgs - 1);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The configuration file for a Dockerfile in folder dir (absolute), searched upward. */
static long config_for_dir(struct lint_run *r, const char *dir)
{
	const uint32_t *known = ds_hmap_get(&r->dir_index, dir, strlen(dir));
	if (known)
		return r->dirs[*known].cfg;
	static const struct {
		const char *name;
		enum ds_config_dialect d;
	} names[] = {
		{ ".distill.yaml", DS_CONFIG_DISTILL },
		{ ".distill.yml", DS_CONFIG_DISTILL },
		{ ".hadolint.yaml", DS_CONFIG_HADOLINT },
		{ ".hadolint.yml", DS_CONFIG_HADOLINT },
	};
	long found = -1;
	char cur[4096], file[4200];
	/* .distill.yaml anywhere above wins over a nearer .hadolint.yaml */
	for (size_t pass = 0; pass < 2 && found < 0; pass++) {
		snprintf(cur, sizeof cur, "%s", dir);
		for (;;) {
			bool root = !strcmp(cur, "/");
			for (size_t k = pass * 2; k < pass * 2 + 2 && found < 0; k++) {
				snprintf(file, sizeof file, "%s/%s", root ? "" : cur, names[k].name);
				if (is_file(file))
					found = config_get(r, file, names[k].d);
			}
			char *slash = strrchr(cur, '/');
			if (found >= 0 || root || !slash)
				break;
			if (slash == cur)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	if (found < 0)
		found = config_get(r, NULL, DS_CONFIG_DISTILL);
	if (r->ndirs == r->capdirs) {
		r->capdirs = r->capdirs ? 2 * r->capdirs : 8;
		r->dirs = ds_xrealloc(r->dirs, r->capdirs * sizeof *r->dirs);
	}
	r->dirs[r->ndirs].dir = ds_arena_strdup(&r->index_arena, dir);
	r->dirs[r->ndirs].cfg = found;
	ds_hmap_put(&r->dir_index, &r->index_arena, r->dirs[r->ndirs].dir, strlen(dir), (uint32_t)r->ndirs, NULL);
	r->ndirs++;
	return found;
}

static long config_for(struct lint_run *r, const char *path)
{
	if (r->config_path)
		return config_get(r, r->config_path,
				  strstr(r->config_path, "hadolint") ? DS_CONFIG_HADOLINT : DS_CONFIG_DISTILL);
	char dir[4096];
	if (!strcmp(path, "-")) {
		if (!getcwd(dir, sizeof dir))
			return config_get(r, NULL, DS_CONFIG_DISTILL);
	} else {
		const char *slash = strrchr(path, '/');
		char rel[4096];
		if (!slash)
			snprintf(rel, sizeof rel, ".");
		else
			snprintf(rel, sizeof rel, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		/* the files of one folder resolve it once (realpath costs a system call per component) */
		const uint32_t *known = ds_hmap_get(&r->given_index, rel, strlen(rel));
		if (known)
			return (long)*known;
		if (!realpath(rel, dir))
			return config_get(r, NULL, DS_CONFIG_DISTILL);
		long cfg = config_for_dir(r, dir);
		ds_hmap_put(&r->given_index, &r->index_arena, ds_arena_strdup(&r->index_arena, rel), strlen(rel),
			    (uint32_t)cfg, NULL);
		return cfg;
	}
	return config_for_dir(r, dir);
}

/* ---- output ---- */

static void flush_out(struct lint_run *r)
{
	if (r->out.len) {
		fwrite(r->out.buf, 1, r->out.len, stdout);
		ds_buf_reset(&r->out);
	}
}

static void begin_output(struct lint_run *r, const struct ds_config *cfg)
{
	if (r->begun)
		return;
	r->begun = true;
	if (r->format < 0)
		r->format = cfg && cfg->format ? ds_format_parse(cfg->format) : DS_FMT_TEXT;
	if (r->format < 0)
		r->format = DS_FMT_TEXT;
	ds_emitter_init(&r->em, (enum ds_format)r->format);
	r->em.version = DS_VERSION;
	if (r->color < 0) {
		const char *nc = getenv("NO_COLOR");
		r->color = isatty(1) && !(nc && *nc) && !(cfg && cfg->no_color == 1);
	}
	r->em.color = r->color == 1 && r->format == DS_FMT_TEXT;
	ds_emit_begin(&r->em, &r->out);
}

/* ---- one file ---- */

static void lint_file(struct lint_run *r, const char *path)
{
	long ci = config_for(r, path);
	struct cfg_entry *ce = &r->cfgs[ci];
	begin_output(r, &ce->cfg);
	if (ce->bad)
		return; /* the configuration error was printed; exit 2 */
	const struct ds_catalog *cat = ce->cat ? ce->cat : builtin_catalog(r);

	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	const char *err;
	if (ds_read_source(&a, path, r->max_size, &src, &err)) {
		flush_out(r);
		ds_print_file_error(stderr, path, err);
		ds_arena_release(&a);
		r->rc = DS_EXIT_ERROR;
		return;
	}
	struct ds_parse_opts po = { 0 };
	struct ds_dockerfile df;
	if (ds_parse(&a, &src, &po, &df)) {
		flush_out(r);
		ds_source_lines(&src, &a);
		ds_print_diag(stderr, &src, &df.diags.v[df.fatal], 0, 0);
		ds_arena_release(&a);
		r->rc = DS_EXIT_ERROR;
		return;
	}
	struct ds_model m;
	if (ds_model_build(&a, &df, r->target_stage, &m)) {
		flush_out(r);
		ds_source_lines(&src, &a);
		if (m.diags.n)
			ds_print_diag(stderr, &src, ds_model_error(&m) ? ds_model_error(&m) : &m.diags.v[0], 0, 0);
		else
			ds_print_file_error(stderr, path, "cannot build the model");
		ds_arena_release(&a);
		r->rc = DS_EXIT_ERROR;
		return;
	}
	struct ds_diags diags = { 0 };
	ds_lint_collect(&a, &df, &m, cat, &ce->cfg.lint, &diags);
	if (!r->no_shellcheck && ds_shellcheck_available()) {
		const char *serr;
		if (ds_shellcheck(&a, &df, &m, &diags, &serr)) {
			flush_out(r);
			fprintf(stderr, "%s: warning: shellcheck skipped: %s\n", path, serr);
		}
	}
	ds_source_lines(&src, &a);
	if (ds_model_error(&m)) {
		/* an expansion of the rules ran past the file's budget: no findings, an error */
		flush_out(r);
		ds_print_diag(stderr, &src, ds_model_error(&m), 0, 0);
		ds_arena_release(&a);
		r->rc = DS_EXIT_ERROR;
		return;
	}
	ds_lint_filter(&a, &df, &m, &ce->cfg, &diags, 0);
	/* in slices, written out as they pass 64 KiB: a file's findings are never held as text whole
	 * (checkstyle groups a file's findings in one element: one slice) */
	for (size_t i = 0; i < diags.n || (i == 0 && diags.n == 0);) {
		size_t k = r->format == DS_FMT_CHECKSTYLE || diags.n - i < 1024 ? diags.n - i : 1024;
		ds_emit_file(&r->em, &src, k ? diags.v + i : NULL, k, &r->out);
		i += k;
		if (r->out.len > 65536)
			flush_out(r);
		if (!k)
			break;
	}

	int threshold = r->threshold >= 0 ? r->threshold
		      : ce->cfg.failure_threshold >= 0 ? ce->cfg.failure_threshold : DS_SEV_INFO;
	bool no_fail = r->threshold < 0 && ce->cfg.no_fail == 1;
	for (size_t i = 0; i < diags.n && !no_fail && threshold != DS_SEV_NONE; i++)
		if ((int)diags.v[i].sev <= threshold)
			r->findings = true;
	if (r->out.len > 65536 || r->format == DS_FMT_TEXT || r->format == DS_FMT_GNU)
		flush_out(r);
	ds_arena_release(&a);
}

/* ---- folders ---- */

static void walk_warn(void *ctx, const char *path, const char *msg)
{
	struct lint_run *r = ctx;
	flush_out(r);
	fprintf(stderr, "%s: error: %s\n", path, msg);
	r->rc = DS_EXIT_ERROR;
}

/* Lints every Dockerfile under dir, in path order, found as `distill audit` finds them. */
static void walk(struct lint_run *r, const char *dir)
{
	struct ds_walk_opts wo = { 0 };
	wo.warn = walk_warn;
	wo.warn_ctx = r;
	struct ds_walk w;
	ds_walk_init(&w, &wo);
	const char *err;
	if (ds_walk_add_arg(&w, dir, &err)) {
		walk_warn(r, dir, err);
	} else {
		ds_walk_finish(&w);
		for (size_t i = 0; i < w.nfiles; i++)
			lint_file(r, w.files[i].path);
	}
	ds_walk_release(&w);
}

/* ---- options ---- */

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || !v || *s == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

static int add_code(struct lint_run *r, const char *opt, const char *code, int sev)
{
	if (ds_rule_index(code) < 0 && strncasecmp(code, "SC", 2) && strncasecmp(code, "DL", 2)) {
		fprintf(stderr, "distill lint: unknown rule code '%s' for --%s\n", code, opt);
		return -1;
	}
	r->codes = ds_xrealloc(r->codes, (r->ncodes + 1) * sizeof *r->codes);
	r->codes[r->ncodes].code = code;
	r->codes[r->ncodes].sev = sev;
	r->ncodes++;
	return 0;
}

int ds_cmd_lint(int argc, char **argv)
{
	struct lint_run r;
	memset(&r, 0, sizeof r);
	r.format = -1;
	r.threshold = -1;
	r.color = -1;
	r.max_size = DS_DEFAULT_MAX_FILE_SIZE;
	ds_buf_init(&r.out);
	enum { O_FORMAT = 256, O_CONFIG, O_THRESHOLD, O_IGNORE, O_ERROR, O_WARNING, O_INFO, O_STYLE,
	       O_TARGET, O_NOSC, O_NOCOLOR, O_MAXSIZE };
	static const struct option opts[] = {
		{ "format", required_argument, NULL, O_FORMAT },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "failure-threshold", required_argument, NULL, O_THRESHOLD },
		{ "ignore", required_argument, NULL, O_IGNORE },
		{ "error", required_argument, NULL, O_ERROR },
		{ "warning", required_argument, NULL, O_WARNING },
		{ "info", required_argument, NULL, O_INFO },
		{ "style", required_argument, NULL, O_STYLE },
		{ "target-stage", required_argument, NULL, O_TARGET },
		{ "no-shellcheck", no_argument, NULL, O_NOSC },
		{ "no-color", no_argument, NULL, O_NOCOLOR },
		{ "max-file-size", required_argument, NULL, O_MAXSIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, bad = 0;
	optind = 1;
	while (!bad && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_FORMAT:
			r.format = ds_format_parse(optarg);
			if (r.format < 0) {
				fprintf(stderr, "distill lint: unknown format '%s' (%s)\n", optarg, ds_format_list());
				bad = 1;
			}
			break;
		case O_CONFIG: r.config_path = optarg; break;
		case O_THRESHOLD: {
			int s = ds_severity_parse(optarg);
			if (s < 0 || s == DS_SEV_NOTE) {
				fprintf(stderr, "distill lint: unknown failure threshold '%s' (error, warning, info, style or none)\n", optarg);
				bad = 1;
			}
			r.threshold = s;
			break;
		}
		case O_IGNORE: bad = add_code(&r, "ignore", optarg, -1) != 0; break;
		case O_ERROR: bad = add_code(&r, "error", optarg, DS_SEV_ERROR) != 0; break;
		case O_WARNING: bad = add_code(&r, "warning", optarg, DS_SEV_WARNING) != 0; break;
		case O_INFO: bad = add_code(&r, "info", optarg, DS_SEV_INFO) != 0; break;
		case O_STYLE: bad = add_code(&r, "style", optarg, DS_SEV_STYLE) != 0; break;
		case O_TARGET: r.target_stage = optarg; break;
		case O_NOSC: r.no_shellcheck = true; break;
		case O_NOCOLOR: r.color = 0; break;
		case O_MAXSIZE:
			if (parse_size(optarg, &r.max_size)) {
				fprintf(stderr, "distill lint: invalid --max-file-size '%s'\n", optarg);
				bad = 1;
			}
			break;
		case 'h':
			fputs(lint_usage, stdout);
			free(r.codes);
			return DS_EXIT_OK;
		default:
			bad = 1;
			break;
		}
	}
	if (bad || optind >= argc) {
		if (bad)
			fputs("try 'distill lint --help'\n", stderr);
		else
			fputs(lint_usage, stderr);
		free(r.codes);
		return DS_EXIT_ERROR;
	}
	for (int i = optind; i < argc; i++) {
		const char *p = argv[i];
		struct stat st;
		if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(&r, p);
			continue;
		}
		lint_file(&r, p);
	}
	if (!r.begun)
		begin_output(&r, NULL);
	ds_emit_end(&r.em, &r.out);
	flush_out(&r);
	if (fflush(stdout) != 0)
		r.rc = DS_EXIT_ERROR;

	for (size_t i = 0; i < r.ncfgs; i++) {
		free(r.cfgs[i].path);
		ds_config_release(&r.cfgs[i].cfg);
		ds_catalog_free(r.cfgs[i].cat);
	}
	free(r.cfgs);
	free(r.dirs);
	ds_arena_release(&r.index_arena);
	free(r.codes);
	ds_buf_release(&r.out);
	ds_catalog_free(r.cat);
	if (r.rc)
		return r.rc;
	return r.findings ? DS_EXIT_FINDINGS : DS_EXIT_OK;
}
