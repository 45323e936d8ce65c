/*
 * cmd_lint.c - `distill lint`: rules, pragmas, configuration (files, flags
 * and hadolint's HADOLINT_* variables), ShellCheck for many files at once,
 * and every output format (issues 4 and 13).
 *
 * Files are linted in chunks: the configuration of each is found on this
 * thread, then a pool of --jobs threads reads, parses and lints them and
 * prepares their RUN scripts, shellcheck runs over the scripts of many
 * files per process (--jobs processes at once), and the findings are
 * filtered and written in the order the files were given.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/pool.h"
#include "cli/repoconf.h"
#include "cli/shellcheck.h"
#include "cli/verdict.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/source.h"
#include "common/str.h"
#include "emit/format.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rules/config.h"
#include "rules/rules.h"

/* The usage text; the formats and the profiles come from their tables (print_usage). */
static const char lint_usage[] =
	"usage: distill lint [options] PATH...\n"
	"\n"
	"Checks Dockerfiles: distill's distroless rules (DST), hadolint's rules (DL),\n"
	"BuildKit's checks (docker build --check) and, when shellcheck is on PATH, the\n"
	"shell of RUN instructions (SC). PATH is a file, '-' for standard input, or a\n"
	"folder searched for Dockerfiles. A file that does not parse is a DL1000 finding.\n"
	"  -f, --format F          %s (default: text)\n"
	"  -c, --config FILE       use FILE instead of the .distill.yaml and .hadolint.yaml\n"
	"                          found in the file's folder or above\n"
	"  -t, --failure-threshold S  exit 1 on findings of severity S or worse: error,\n"
	"                          warning, info (default), style, or none (never)\n"
	"      --no-fail           exit 0 whatever the findings\n"
	"      --profile P         %s (default: all)\n"
	"      --compat hadolint   hadolint's profile, each finding at its instruction's\n"
	"                          first line and once per instruction, gnu in hadolint's shape\n"
	"      --ignore CODE       drop findings of CODE (a code, slug or BuildKit name; repeatable)\n"
	"      --error CODE, --warning CODE, --info CODE, --style CODE\n"
	"                          report CODE with that severity (repeatable)\n"
	"      --trusted-registry R   allow images from registry R only (DL3026; repeatable)\n"
	"      --require-label L:T    require label L of type T (text, url, rfc3339, spdx,\n"
	"                          hash, semver, email; DL3049-DL3058; repeatable)\n"
	"      --strict-labels     only labels of the schema are allowed (DL3050)\n"
	"      --disable-ignore-pragma  ignore `# distill ignore=` and `# hadolint ignore=`\n"
	"      --file-path-in-report P  show P as the file name in the report\n"
	"      --target-stage NAME treat stage NAME as the final stage\n"
	"  -j, --jobs N            lint N files and run N shellcheck processes at once\n"
	"                          (default: the number of processors)\n"
	"      --no-shellcheck     do not run shellcheck\n"
	"      --shellcheck-timeout S  stop shellcheck after S seconds per Dockerfile\n"
	"                          (default 10; 0: no limit) and report DST390 for what it missed\n"
	"      --no-color          no colours (also when NO_COLOR is set or not a terminal)\n"
	"      --max-file-size N   refuse files larger than N bytes (or 64K, 1M, 1G; default 16M)\n"
	"  -V, --verbose           say on standard error which configuration each file uses\n"
	"  -v, --version           print the version\n"
	"Pragmas: '# distill ignore=CODE,...' just above an instruction, '# distill global\n"
	"ignore=...' anywhere, '# distill stage ignore=...' above a FROM, '# distill\n"
	"shell=powershell'; 'hadolint' may stand for 'distill'. BuildKit's '# check=skip=...;\n"
	"error=true' directive applies to BuildKit's checks. HADOLINT_* variables (NOFAIL,\n"
	"VERBOSE, FORMAT, FAILURE_THRESHOLD, IGNORE, OVERRIDE_ERROR/WARNING/INFO/STYLE,\n"
	"TRUSTED_REGISTRIES, REQUIRE_LABELS, STRICT_LABELS, DISABLE_IGNORE_PRAGMA) apply\n"
	"below the configuration file, as in hadolint.\n"
	"Exit: 0 no finding at or above the threshold, 1 findings or a file that does\n"
	"not parse, 2 usage, I/O or configuration error.\n";

/* Prints the usage with the format and profile lists of emit/format.h and rules/rules.h. */
static void print_usage(FILE *f)
{
	struct ds_buf fm = DS_BUF_INIT, pr = DS_BUF_INIT;
	size_t col = 26; /* the list is wrapped under the option's text, within 80 columns */
	for (int i = 0; i < DS_FMT__COUNT; i++) {
		const char *name = ds_format_name((enum ds_format)i);
		bool wrap = i && col + strlen(name) + 2 > 78;
		ds_buf_addf(&fm, "%s%s", !i ? "" : wrap ? ",\n                          " : ", ", name);
		col = (wrap ? 26 : col + (i ? 2 : 0)) + strlen(name);
	}
	for (int i = 0; i < DS_PROFILE__COUNT; i++)
		ds_buf_addf(&pr, "%s%s", i ? ", " : "", ds_profile_name((enum ds_profile)i));
	fprintf(f, lint_usage, fm.buf, pr.buf);
	ds_buf_release(&fm);
	ds_buf_release(&pr);
}

/* A --ignore / --error ... option (or HADOLINT_* variable), applied to every configuration. */
struct cli_code {
	const char *code;
	int sev; /* -1: ignore */
};

/* What the command line and the environment set on top of (env: below) each configuration. */
struct settings {
	struct cli_code *codes;
	size_t ncodes;
	const char **registries, **labels; /* --trusted-registry, --require-label NAME:TYPE */
	size_t nregistries, nlabels;
	int strict_labels, disable_pragmas, no_fail, threshold; /* -1 unset */
	const char *format;
};

struct cfg_entry {
	char *key;               /* the files loaded, "" for the defaults */
	struct ds_config cfg;
	bool bad;
	struct ds_catalog *cat;  /* with the config's mappings, or NULL: the builtin */
};

/* One Dockerfile of a chunk: everything lives in its arena. */
struct lint_file {
	const char *path;
	long ci;                 /* its configuration */
	struct ds_arena a;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_model m;
	struct ds_diags diags;
	const char *error;       /* a read or model error: exit 2, nothing linted */
	const struct ds_diag *error_at; /* the model's error, with its place (or NULL) */
	bool parsed;             /* df and m are built (else diags holds the DL1000 finding, if any) */
	struct ds_sc_job *sc;
	/* DST201's verdict, worked out when DST201 asks */
	struct ds_lint_verdict verdict;
	bool verdict_done;
	const struct ds_catalog *cat;
	const struct ds_config *cfg;
	const char *target_stage;
	/* CopyIgnoredFile */
	struct ds_context ctx;
	bool has_ctx;
};

struct lint_run {
	int format;              /* -1 until known */
	int color;               /* -1 auto */
	bool no_shellcheck, compat, verbose;
	int profile;             /* -1: from the configuration */
	unsigned jobs;
	double sc_timeout;       /* seconds; 0: no limit */
	const char *config_path;
	const char *target_stage;
	const char *report_path;
	size_t max_size;
	struct settings cli, env;

	struct ds_catalog *cat;  /* builtin, loaded once */
	bool cat_failed;
	struct cfg_entry *cfgs;  /* configurations by the files they were loaded from */
	size_t ncfgs, capcfgs;
	struct ds_repoconf search; /* folder -> configuration files, for discovery */

	struct ds_emitter em;
	bool begun;
	struct ds_buf out;
	int rc;
	bool findings;
	bool sc_missing_said;

	const char **paths;      /* the files, in order */
	size_t npaths, cappaths;
};

/* ---- settings from the command line and the environment ---- */

static int add_code(struct settings *s, const char *from, const char *code, int sev)
{
	if (ds_rule_index(code) < 0 && strncasecmp(code, "SC", 2) && strncasecmp(code, "DL", 2)) {
		const char *near = ds_rule_suggest(code);
		if (near)
			fprintf(stderr, "distill lint: unknown rule code '%s' for %s (did you mean '%s'?)\n", code, from, near);
		else
			fprintf(stderr, "distill lint: unknown rule code '%s' for %s\n", code, from);
		return -1;
	}
	s->codes = ds_xrealloc(s->codes, (s->ncodes + 1) * sizeof *s->codes);
	s->codes[s->ncodes].code = code;
	s->codes[s->ncodes].sev = sev;
	s->ncodes++;
	return 0;
}

static void add_str(const char ***v, size_t *n, const char *s)
{
	*v = ds_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static void settings_init(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->strict_labels = s->disable_pragmas = s->no_fail = s->threshold = -1;
}

static void settings_release(struct settings *s)
{
	free(s->codes);
	free(s->registries);
	free(s->labels);
}

/* hadolint's truthy: 1, y, on, true, yes (any case). */
static bool truthy(const char *v)
{
	static const char *const t[] = { "1", "y", "on", "true", "yes" };
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!strcasecmp(v, t[i]))
			return true;
	return false;
}

/* A copy of an environment variable's value, cut into items; freed at the end. */
struct arena_list {
	char *copy;
};

/* Calls each for the comma-separated items of v (blanks before an item dropped), cut in a copy kept in *keep. */
static void env_list(struct arena_list *keep, const char *v, void (*each)(void *ctx, const char *item), void *ctx)
{
	keep->copy = ds_xstrdup(v);
	for (char *p = keep->copy; p;) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		while (*p == ' ')
			p++;
		if (*p)
			each(ctx, p);
		p = c ? c + 1 : NULL;
	}
}

struct env_ctx {
	struct settings *s;
	int sev;
	bool bad;
};

static void env_code(void *ctx, const char *item)
{
	struct env_ctx *e = ctx;
	if (add_code(e->s, "a HADOLINT_ variable", item, e->sev))
		e->bad = true;
}

static void env_registry(void *ctx, const char *item)
{
	struct env_ctx *e = ctx;
	add_str(&e->s->registries, &e->s->nregistries, item);
}

static void env_label(void *ctx, const char *item)
{
	struct env_ctx *e = ctx;
	add_str(&e->s->labels, &e->s->nlabels, item);
}

/* Copies of the environment's lists, freed at the end. */
static struct arena_list env_keep[8];

/*
 * hadolint's environment variables (src/Hadolint/Config/Environment.hs).
 * They sit below the configuration file and the command line. Returns -1
 * when one names an unknown code or severity.
 */
static int read_env(struct settings *s)
{
	const char *v;
	if ((v = getenv("HADOLINT_NOFAIL")))
		s->no_fail = truthy(v);
	if ((v = getenv("HADOLINT_STRICT_LABELS")))
		s->strict_labels = truthy(v);
	if ((v = getenv("HADOLINT_DISABLE_IGNORE_PRAGMA")))
		s->disable_pragmas = truthy(v);
	if ((v = getenv("HADOLINT_FORMAT")) && *v)
		s->format = v; /* hadolint takes a list; the first format that exists wins */
	if ((v = getenv("HADOLINT_FAILURE_THRESHOLD")) && *v) {
		int t = ds_severity_parse(v);
		if (t < 0 || t == DS_SEV_NOTE) {
			fprintf(stderr, "distill lint: unknown HADOLINT_FAILURE_THRESHOLD '%s' (error, warning, info, style or none)\n", v);
			return -1;
		}
		s->threshold = t;
	}
	static const struct {
		const char *name;
		int sev;
	} lists[] = {
		{ "HADOLINT_IGNORE", -1 },
		{ "HADOLINT_OVERRIDE_ERROR", DS_SEV_ERROR },
		{ "HADOLINT_OVERRIDE_WARNING", DS_SEV_WARNING },
		{ "HADOLINT_OVERRIDE_INFO", DS_SEV_INFO },
		{ "HADOLINT_OVERRIDE_STYLE", DS_SEV_STYLE },
	};
	struct env_ctx e = { s, 0, false };
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		if ((v = getenv(lists[i].name))) {
			e.sev = lists[i].sev;
			env_list(&env_keep[i], v, env_code, &e);
		}
	if ((v = getenv("HADOLINT_TRUSTED_REGISTRIES")))
		env_list(&env_keep[5], v, env_registry, &e);
	if ((v = getenv("HADOLINT_REQUIRE_LABELS")))
		env_list(&env_keep[6], v, env_label, &e);
	return e.bad ? -1 : 0;
}

/* Applies s (command line or environment) to c; config-file error text for a bad label goes to stderr. */
static int apply_settings(struct ds_config *c, const struct settings *s)
{
	for (size_t i = 0; i < s->ncodes; i++) {
		if (s->codes[i].sev < 0)
			ds_config_ignore(c, s->codes[i].code);
		else
			ds_config_override(c, s->codes[i].code, (enum ds_severity)s->codes[i].sev);
	}
	if (s->nregistries || s->nlabels) {
		/* appended with the configuration loader's rules, through YAML it already reads */
		struct ds_buf y = DS_BUF_INIT;
		if (s->nregistries) {
			ds_buf_adds(&y, "trustedRegistries:\n");
			for (size_t i = 0; i < s->nregistries; i++) {
				ds_buf_adds(&y, "  - \"");
				for (const char *p = s->registries[i]; *p; p++)
					ds_buf_addf(&y, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
				ds_buf_adds(&y, "\"\n");
			}
		}
		if (s->nlabels) {
			ds_buf_adds(&y, "label-schema:\n");
			for (size_t i = 0; i < s->nlabels; i++) {
				const char *l = s->labels[i], *colon = strrchr(l, ':');
				if (!colon || colon == l) {
					fprintf(stderr, "distill lint: --require-label '%s' is not LABEL:TYPE\n", l);
					ds_buf_release(&y);
					return -1;
				}
				ds_buf_adds(&y, "  \"");
				for (const char *p = l; p < colon; p++)
					ds_buf_addf(&y, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
				ds_buf_addf(&y, "\": \"%s\"\n", colon + 1);
			}
		}
		/* a list of the command line adds to the file's: it is not a second file */
		const char *path = c->path;
		c->path = NULL;
		struct ds_config_error err;
		int rc = ds_config_load_mem(c, "the command line", y.buf, y.len, DS_CONFIG_HADOLINT, &err);
		c->path = path;
		ds_buf_release(&y);
		if (rc) {
			fprintf(stderr, "distill lint: %s\n", err.msg);
			return -1;
		}
	}
	if (s->strict_labels >= 0)
		c->lint.strict_labels = s->strict_labels;
	if (s->disable_pragmas >= 0)
		c->disable_pragmas = s->disable_pragmas;
	if (s->no_fail >= 0)
		c->no_fail = s->no_fail;
	if (s->threshold >= 0)
		c->failure_threshold = s->threshold;
	if (s->format)
		c->format = s->format;
	return 0;
}

/* ---- configuration ---- */

static void print_config_error(const struct ds_config_error *e)
{
	ds_print_located(stderr, e->file, e->line, e->col, "error", e->msg);
}

static const struct ds_catalog *builtin_catalog(struct lint_run *r)
{
	if (!r->cat && !r->cat_failed) {
		struct ds_catalog_error err;
		if (ds_catalog_load_builtin(&r->cat, &err)) {
			ds_print_located(stderr, err.file, err.line, err.col, "error", err.msg);
			r->cat_failed = true;
			r->rc = DS_EXIT_ERROR;
		}
	}
	return r->cat;
}

/* Loads one file into c: found by search (confined to its folder tree) or named with --config. */
static int load_one(struct ds_config *c, const char *path, enum ds_config_dialect d, bool found)
{
	struct ds_config_error err;
	if (found ? ds_config_load_found(c, path, d, 0, &err) : ds_config_load_file(c, path, d, &err)) {
		print_config_error(&err);
		return -1;
	}
	return 0;
}

/*
 * The configuration of a file (loaded once per set of files): the
 * environment's settings, then the .hadolint.yaml and the .distill.yaml
 * found (distill's keys win where both set one), or the --config file, then
 * the command line's. Returns its index.
 */
static long config_get(struct lint_run *r, const char *hadolint, const char *distill, bool found)
{
	char *key = ds_xrealloc(NULL, strlen(hadolint ? hadolint : "") + strlen(distill ? distill : "") + 2);
	sprintf(key, "%s\n%s", hadolint ? hadolint : "", distill ? distill : "");
	for (size_t i = 0; i < r->ncfgs; i++)
		if (!strcmp(key, r->cfgs[i].key)) {
			free(key);
			return (long)i;
		}
	if (r->ncfgs == r->capcfgs) {
		r->capcfgs = r->capcfgs ? 2 * r->capcfgs : 4;
		r->cfgs = ds_xrealloc(r->cfgs, r->capcfgs * sizeof *r->cfgs);
	}
	struct cfg_entry *e = &r->cfgs[r->ncfgs++];
	memset(e, 0, sizeof *e);
	e->key = key;
	ds_config_init(&e->cfg);
	if (apply_settings(&e->cfg, &r->env) ||
	    (hadolint && load_one(&e->cfg, hadolint, DS_CONFIG_HADOLINT, found)) ||
	    (distill && load_one(&e->cfg, distill, DS_CONFIG_DISTILL, found)) || apply_settings(&e->cfg, &r->cli)) {
		e->bad = true;
		r->rc = DS_EXIT_ERROR;
		return (long)(r->ncfgs - 1);
	}
	if (r->profile >= 0)
		e->cfg.lint.profile = (enum ds_profile)r->profile;
	if (e->cfg.mappings && ds_repoconf_catalog(&e->cfg, &e->cat)) {
		e->bad = true;
		r->rc = DS_EXIT_ERROR;
	}
	if (r->verbose)
		fprintf(stderr, "distill lint: configuration: %s%s%s\n", hadolint ? hadolint : "",
			hadolint && distill ? " and " : "", distill ? distill : !hadolint ? "none (the defaults)" : "");
	return (long)(r->ncfgs - 1);
}

static long config_for(struct lint_run *r, const char *path)
{
	if (r->config_path) {
		bool h = strstr(r->config_path, "hadolint") != NULL;
		return config_get(r, h ? r->config_path : NULL, h ? NULL : r->config_path, false);
	}
	const char *distill, *hadolint;
	ds_repoconf_find_both_for(&r->search, path, &distill, &hadolint);
	return config_get(r, hadolint, distill, true);
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
	if (r->format < 0 && cfg && cfg->format) {
		r->format = ds_format_parse(cfg->format);
		if (r->format < 0) {
			ds_print_located(stderr, cfg->path ? cfg->path : "HADOLINT_FORMAT", cfg->format_line, cfg->format_col,
					 "error", "unsupported format");
			r->rc = DS_EXIT_ERROR;
		}
	}
	if (r->format < 0)
		r->format = DS_FMT_TEXT;
	ds_emitter_init(&r->em, (enum ds_format)r->format);
	r->em.version = DS_VERSION;
	r->em.path = r->report_path;
	r->em.hadolint_gnu = r->compat;
	/* junit's run id: the time, or SOURCE_DATE_EPOCH for reproducible reports */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	r->em.when = sde && *sde ? strtoll(sde, NULL, 10) : (long long)time(NULL);
	if (r->color < 0) {
		const char *nc = getenv("NO_COLOR");
		r->color = isatty(1) && !(nc && *nc) && !(cfg && cfg->no_color == 1);
	}
	r->em.color = r->color == 1 && (r->format == DS_FMT_TEXT || r->format == DS_FMT_TTY);
	ds_emit_begin(&r->em, &r->out);
}

/* ---- one file ---- */

static const struct ds_lint_verdict *file_verdict(void *ctx)
{
	struct lint_file *f = ctx;
	if (!f->verdict_done) {
		f->verdict_done = true;
		if (f->cat)
			ds_verdict_compute_at(&f->a, f->path, &f->df, &f->m, f->cat, f->cfg, f->target_stage, &f->verdict,
					      NULL);
		else
			f->verdict.kind = DS_VERDICT_UNKNOWN;
	}
	return f->cat ? &f->verdict : NULL;
}

/*
 * CopyIgnoredFile: BuildKit's validateCopySourcePath. The source is
 * cleaned; "." and "/" count only when a pattern excludes the whole root.
 */
static bool file_ignored(void *ctx, const char *src)
{
	struct lint_file *f = ctx;
	char *p = ds_path_norm(&f->a, src[0] == '/' ? src + 1 : src);
	if (!*p || !strcmp(p, ".")) {
		for (size_t i = 0; i < f->ctx.nignore; i++)
			if (!strcmp(f->ctx.ignore[i], "*") || !strcmp(f->ctx.ignore[i], "**") ||
			    !strcmp(f->ctx.ignore[i], "**/*"))
				return true;
		return false;
	}
	return ds_context_ignored(&f->ctx, p);
}

/* The build context's .dockerignore, when BuildKit would check sources against it (no exceptions). */
static void open_context(struct lint_file *f)
{
	if (!strcmp(f->path, "-"))
		return;
	const char *slash = strrchr(f->path, '/');
	char *dir = slash ? ds_arena_strndup(&f->a, f->path, slash == f->path ? 1 : (size_t)(slash - f->path))
			  : ds_arena_strdup(&f->a, ".");
	struct stat st;
	if (stat(ds_arena_printf(&f->a, "%s/.dockerignore", dir), &st) || !S_ISREG(st.st_mode))
		return;
	const char *why;
	if (ds_context_open(&f->ctx, dir, &f->a, &why))
		return;
	for (size_t i = 0; i < f->ctx.nignore; i++)
		if (f->ctx.ignore[i][0] == '!') {
			ds_context_close(&f->ctx);
			return;
		}
	f->has_ctx = f->ctx.nignore > 0;
	if (!f->has_ctx)
		ds_context_close(&f->ctx);
}

struct chunk {
	struct lint_run *r;
	struct lint_file *files;
	size_t n;
	struct ds_sc_job ***batches; /* per worker: the shellcheck jobs it runs */
};

/* Reads, parses, lints and prepares the scripts of one file (a worker thread). */
static void lint_one(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct chunk *ch = ctx;
	struct lint_run *r = ch->r;
	struct lint_file *f = &ch->files[i];
	struct cfg_entry *ce = &r->cfgs[f->ci];
	if (ce->bad)
		return;
	f->cfg = &ce->cfg;
	f->cat = ce->cat ? ce->cat : r->cat;
	f->target_stage = r->target_stage;
	const char *err;
	if (ds_read_source(&f->a, f->path, r->max_size, &f->src, NULL, &err)) {
		f->error = err;
		return;
	}
	ds_source_lines(&f->src, &f->a);
	struct ds_parse_opts po = { 0 };
	if (ds_parse(&f->a, &f->src, &po, &f->df)) {
		/* hadolint's DL1000: the parse error is a finding, in every format */
		const struct ds_diag *d = &f->df.diags.v[f->df.fatal];
		/* a file with no place in it (no instructions at all) is reported at its start */
		ds_diags_add(&f->diags, &f->a, DS_SEV_ERROR, ds_rules[DS_R_DL1000].code, d->has_pos ? d->off : 0,
			     d->has_pos ? d->end : 0, d->msg);
		return;
	}
	if (ds_model_build(&f->a, &f->df, r->target_stage, &f->m)) {
		f->error_at = ds_model_error(&f->m) ? ds_model_error(&f->m) : f->m.diags.n ? &f->m.diags.v[0] : NULL;
		f->error = f->error_at ? f->error_at->msg : "cannot build the model";
		return;
	}
	f->parsed = true;
	open_context(f);
	struct ds_lint_file lf = { file_verdict, f, f->has_ctx ? file_ignored : NULL, f };
	ds_lint_collect_file(&f->a, &f->df, &f->m, f->cat, &f->cfg->lint, &lf, &f->diags);
	if (f->has_ctx)
		ds_context_close(&f->ctx);
	if (ds_model_error(&f->m)) {
		/* an expansion of the rules ran past the file's budget: an error, no findings */
		f->error_at = ds_model_error(&f->m);
		f->error = f->error_at->msg;
		f->parsed = false;
		return;
	}
	unsigned fams = ds_profile_families(f->cfg->lint.profile);
	if (!r->no_shellcheck && (fams & DS_FAM_SC) && ds_shellcheck_available())
		f->sc = ds_shellcheck_prepare(&f->a, &f->df, &f->m, &f->diags);
}

/* Runs the shellcheck jobs of worker slot i (a worker thread). */
static void check_batch(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	struct chunk *ch = ctx;
	struct ds_sc_job **jobs = ch->batches[i];
	size_t n = 0;
	while (jobs[n])
		n++;
	ds_shellcheck_run(jobs, n, ch->r->sc_timeout);
}

/* --compat hadolint: each finding at its instruction's first line, once per instruction and code. */
static void compat_positions(struct lint_file *f)
{
	struct ds_diags *d = &f->diags;
	const struct ds_source *s = &f->src;
	size_t kept = 0;
	for (size_t i = 0; i < d->n; i++) {
		struct ds_diag x = d->v[i];
		if (x.has_pos && f->parsed) {
			/* the instruction holding it, by its span (instructions are in file order) */
			uint32_t lo = 0, hi = f->df.ninstrs;
			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;
				if (f->df.instrs[mid].span.end < x.off)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < f->df.ninstrs && x.off >= f->df.instrs[lo].span.off) {
				size_t b, len;
				ds_source_line_text(s, f->df.instrs[lo].start_line, &b, &len);
				x.off = x.end = (uint32_t)b;
			}
		}
		bool dup = false;
		for (size_t k = 0; k < kept && !dup; k++)
			dup = d->v[k].off == x.off && d->v[k].has_pos == x.has_pos && d->v[k].code && x.code &&
			      !strcmp(d->v[k].code, x.code);
		if (!dup)
			d->v[kept++] = x;
	}
	d->n = kept;
}

/* Filters, writes and judges one file (this thread, in order). */
static void finish_one(struct lint_run *r, struct lint_file *f)
{
	struct cfg_entry *ce = &r->cfgs[f->ci];
	begin_output(r, &ce->cfg);
	if (ce->bad)
		return; /* the configuration error was printed; exit 2 */
	if (f->error) {
		flush_out(r);
		if (f->error_at)
			ds_print_diag(stderr, &f->src, f->error_at, 0, 0);
		else
			ds_print_file_error(stderr, f->path, f->error);
		r->rc = DS_EXIT_ERROR;
		return;
	}
	const char *serr = f->sc ? ds_shellcheck_error(f->sc) : NULL;
	if (serr) {
		flush_out(r);
		ds_print_located(stderr, f->path, 0, 0, "warning", ds_arena_printf(&f->a, "shellcheck skipped: %s", serr));
	}
	if (f->parsed)
		ds_lint_filter(&f->a, &f->df, &f->m, &ce->cfg, &f->diags, 0);
	if (r->compat)
		compat_positions(f);
	ds_emit_file(&r->em, &f->src, f->diags.v, f->diags.n, &r->out);

	int threshold = ce->cfg.failure_threshold >= 0 ? ce->cfg.failure_threshold : DS_SEV_INFO;
	bool no_fail = ce->cfg.no_fail == 1;
	for (size_t i = 0; i < f->diags.n && !no_fail; i++) {
		const struct ds_diag *d = &f->diags.v[i];
		bool perr = d->code && !strcmp(d->code, "DL1000");
		/* a file that does not parse fails (hadolint), even where findings never do */
		if (perr || (threshold != DS_SEV_NONE && (int)d->sev <= threshold &&
			     !ds_format_never_fails((enum ds_format)r->format)))
			r->findings = true;
	}
	if (r->out.len > 65536 || r->format == DS_FMT_TEXT || r->format == DS_FMT_GNU || r->format == DS_FMT_TTY ||
	    r->format == DS_FMT_CODECLIMATE || r->format == DS_FMT_CODACY)
		flush_out(r);
}

/* Items [0, n) on nthreads threads; one thread is this one (a thread costs more than a small file). */
static void run_items(size_t n, unsigned nthreads, ds_pool_fn fn, void *ctx)
{
	if (nthreads <= 1) {
		for (size_t i = 0; i < n; i++)
			fn(ctx, i, 0);
		return;
	}
	ds_pool_run(n, nthreads, fn, ctx, NULL, NULL, 0);
}

/* Files per chunk: their arenas live until the chunk is written. */
#define CHUNK 256

static void lint_chunk(struct lint_run *r, size_t from, size_t n)
{
	struct lint_file *files = ds_xcalloc(n, sizeof *files);
	for (size_t i = 0; i < n; i++) {
		files[i].path = r->paths[from + i];
		ds_arena_init(&files[i].a);
		files[i].ci = config_for(r, files[i].path);
	}
	builtin_catalog(r);
	struct chunk ch = { r, files, n, NULL };
	unsigned jobs = r->jobs ? r->jobs : ds_pool_default_threads();
	if (jobs > n)
		jobs = (unsigned)n;
	run_items(n, jobs, lint_one, &ch);

	/* the shellcheck jobs, split into at most `jobs` runs of about equal scripts */
	size_t nsc = 0;
	for (size_t i = 0; i < n; i++)
		if (files[i].sc && !ds_shellcheck_error(files[i].sc))
			nsc++;
	if (nsc && !r->no_shellcheck) {
		unsigned nb = jobs < nsc ? jobs : (unsigned)nsc;
		if (nb > 4)
			nb = 4; /* each run holds two of cli/cleanup.h's slots */
		ch.batches = ds_xcalloc(nb, sizeof *ch.batches);
		for (unsigned b = 0; b < nb; b++)
			ch.batches[b] = ds_xcalloc(nsc + 1, sizeof **ch.batches);
		size_t *fill = ds_xcalloc(nb, sizeof *fill);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (files[i].sc && !ds_shellcheck_error(files[i].sc)) {
				unsigned b = (unsigned)(k++ * nb / nsc);
				ch.batches[b][fill[b]++] = files[i].sc;
			}
		run_items(nb, nb, check_batch, &ch);
		for (unsigned b = 0; b < nb; b++)
			free(ch.batches[b]);
		free(ch.batches);
		free(fill);
	}
	for (size_t i = 0; i < n; i++) {
		finish_one(r, &files[i]);
		ds_arena_release(&files[i].a);
	}
	free(files);
}

/* ---- folders ---- */

static void walk_warn(void *ctx, const char *path, const char *msg)
{
	struct lint_run *r = ctx;
	flush_out(r);
	ds_print_file_error(stderr, path, msg);
	r->rc = DS_EXIT_ERROR;
}

static void add_path(struct lint_run *r, const char *p)
{
	if (r->npaths == r->cappaths) {
		r->cappaths = r->cappaths ? 2 * r->cappaths : 64;
		r->paths = ds_xrealloc(r->paths, r->cappaths * sizeof *r->paths);
	}
	r->paths[r->npaths++] = p;
}

/* Adds every Dockerfile under dir, in path order, found as `distill audit` finds them. */
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
		for (size_t k = 0; k < w.nfiles; k++)
			add_path(r, ds_xstrdup(w.files[k].path));
	}
	ds_walk_release(&w);
}

/* ---- options ---- */


static void run_release(struct lint_run *r)
{
	for (size_t i = 0; i < r->ncfgs; i++) {
		free(r->cfgs[i].key);
		ds_config_release(&r->cfgs[i].cfg);
		ds_catalog_free(r->cfgs[i].cat);
	}
	free(r->cfgs);
	ds_repoconf_release(&r->search);
	settings_release(&r->cli);
	settings_release(&r->env);
	for (size_t i = 0; i < sizeof env_keep / sizeof *env_keep; i++) {
		free(env_keep[i].copy);
		env_keep[i].copy = NULL;
	}
	free(r->paths);
	ds_buf_release(&r->out);
	ds_catalog_free(r->cat);
}

enum { O_IGNORE = 256, O_ERROR, O_WARNING, O_INFO, O_STYLE, O_TARGET, O_NOSC, O_SCTIMEOUT, O_NOCOLOR,
       O_MAXSIZE, O_NOFAIL, O_PROFILE, O_COMPAT, O_TRUSTED, O_LABEL, O_STRICT, O_NOPRAGMA, O_REPORTPATH };

/* The options of lint (cli.h): getopt_long's table, and the source of the completions. */
static const struct option lint_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "failure-threshold", required_argument, NULL, 't' },
	{ "no-fail", no_argument, NULL, O_NOFAIL },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "compat", required_argument, NULL, O_COMPAT },
	{ "ignore", required_argument, NULL, O_IGNORE },
	{ "error", required_argument, NULL, O_ERROR },
	{ "warning", required_argument, NULL, O_WARNING },
	{ "info", required_argument, NULL, O_INFO },
	{ "style", required_argument, NULL, O_STYLE },
	{ "trusted-registry", required_argument, NULL, O_TRUSTED },
	{ "require-label", required_argument, NULL, O_LABEL },
	{ "strict-labels", no_argument, NULL, O_STRICT },
	{ "disable-ignore-pragma", no_argument, NULL, O_NOPRAGMA },
	{ "file-path-in-report", required_argument, NULL, O_REPORTPATH },
	{ "target-stage", required_argument, NULL, O_TARGET },
	{ "jobs", required_argument, NULL, 'j' },
	{ "no-shellcheck", no_argument, NULL, O_NOSC },
	{ "shellcheck-timeout", required_argument, NULL, O_SCTIMEOUT },
	{ "no-color", no_argument, NULL, O_NOCOLOR },
	{ "max-file-size", required_argument, NULL, O_MAXSIZE },
	{ "verbose", no_argument, NULL, 'V' },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_lint_options(void)
{
	return lint_options;
}

int ds_cmd_lint(int argc, char **argv)
{
	struct lint_run r;
	memset(&r, 0, sizeof r);
	r.format = -1;
	r.color = -1;
	r.profile = -1;
	r.max_size = DS_DEFAULT_MAX_FILE_SIZE;
	r.sc_timeout = DS_SHELLCHECK_DEFAULT_TIMEOUT;
	settings_init(&r.cli);
	settings_init(&r.env);
	ds_buf_init(&r.out);
	ds_repoconf_init(&r.search);
	int c, bad = 0;
	optind = 1;
	opterr = 0;
	bad = read_env(&r.env) != 0;
	if (getenv("HADOLINT_VERBOSE") && truthy(getenv("HADOLINT_VERBOSE")))
		r.verbose = true;
	while (!bad && (c = getopt_long(argc, argv, "f:c:t:j:Vvh", lint_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			r.format = ds_format_parse(optarg);
			if (r.format < 0) {
				fprintf(stderr, "distill lint: unknown format '%s' (%s)\n", optarg, ds_format_list());
				bad = 1;
			}
			break;
		case 'c': r.config_path = optarg; break;
		case 't': {
			int s = ds_severity_parse(optarg);
			if (s < 0 || s == DS_SEV_NOTE) {
				fprintf(stderr, "distill lint: unknown failure threshold '%s' (error, warning, info, style or none)\n", optarg);
				bad = 1;
			}
			r.cli.threshold = s;
			break;
		}
		case O_NOFAIL: r.cli.no_fail = 1; break;
		case O_PROFILE:
			r.profile = ds_profile_parse(optarg);
			if (r.profile < 0) {
				fprintf(stderr, "distill lint: unknown profile '%s' (all, hadolint, buildkit or distroless)\n", optarg);
				bad = 1;
			}
			break;
		case O_COMPAT:
			if (strcmp(optarg, "hadolint")) {
				fprintf(stderr, "distill lint: unknown --compat '%s' (hadolint)\n", optarg);
				bad = 1;
			}
			r.compat = true;
			break;
		case O_IGNORE: bad = add_code(&r.cli, "--ignore", optarg, -1) != 0; break;
		case O_ERROR: bad = add_code(&r.cli, "--error", optarg, DS_SEV_ERROR) != 0; break;
		case O_WARNING: bad = add_code(&r.cli, "--warning", optarg, DS_SEV_WARNING) != 0; break;
		case O_INFO: bad = add_code(&r.cli, "--info", optarg, DS_SEV_INFO) != 0; break;
		case O_STYLE: bad = add_code(&r.cli, "--style", optarg, DS_SEV_STYLE) != 0; break;
		case O_TRUSTED: add_str(&r.cli.registries, &r.cli.nregistries, optarg); break;
		case O_LABEL: add_str(&r.cli.labels, &r.cli.nlabels, optarg); break;
		case O_STRICT: r.cli.strict_labels = 1; break;
		case O_NOPRAGMA: r.cli.disable_pragmas = 1; break;
		case O_REPORTPATH: r.report_path = optarg; break;
		case O_TARGET: r.target_stage = optarg; break;
		case 'j': {
			char *end;
			errno = 0;
			long j = strtol(optarg, &end, 10);
			if (errno || *end || j < 1 || j > 1024) {
				fprintf(stderr, "distill lint: invalid --jobs '%s' (1 to 1024)\n", optarg);
				bad = 1;
			}
			r.jobs = (unsigned)j;
			break;
		}
		case O_NOSC: r.no_shellcheck = true; break;
		case O_SCTIMEOUT: {
			char *end;
			errno = 0;
			double t = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(t >= 0 && t <= 86400)) {
				fprintf(stderr, "distill lint: invalid --shellcheck-timeout '%s' (seconds, 0 to 86400)\n", optarg);
				bad = 1;
			}
			r.sc_timeout = t;
			break;
		}
		case O_NOCOLOR: r.color = 0; break;
		case O_MAXSIZE:
			if (ds_str_parse_size(optarg, &r.max_size)) {
				fprintf(stderr, "distill lint: invalid --max-file-size '%s' (bytes, or with K, M or G)\n", optarg);
				bad = 1;
			}
			break;
		case 'V': r.verbose = true; break;
		case 'v':
			printf("distill %s\n", DS_VERSION);
			run_release(&r);
			return DS_EXIT_OK;
		case 'h':
			print_usage(stdout);
			run_release(&r);
			return DS_EXIT_OK;
		default:
			ds_usage_bad_option("lint", lint_options, "f:c:t:j:Vvh", argv, optind, optopt);
			run_release(&r);
			return DS_EXIT_ERROR;
		}
	}
	if (bad || optind >= argc) {
		if (bad)
			fputs("try 'distill lint --help'\n", stderr);
		else
			ds_usage_error("lint", "no file or folder given ('-' reads standard input)");
		run_release(&r);
		return DS_EXIT_ERROR;
	}
	if (r.compat && r.profile < 0)
		r.profile = DS_PROFILE_HADOLINT;

	/* the files, in the order given; folders searched as audit searches them */
	for (int i = optind; i < argc; i++) {
		const char *p = argv[i];
		struct stat st;
		if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			walk(&r, p);
		else
			add_path(&r, ds_xstrdup(p));
	}
	/* say once that the shell of RUN instructions goes unchecked */
	if (!r.no_shellcheck && r.npaths && !ds_shellcheck_available() &&
	    (r.profile < 0 || (ds_profile_families((enum ds_profile)r.profile) & DS_FAM_SC)))
		fputs("distill lint: shellcheck is not installed, so the shell of RUN instructions is not checked "
		      "(install it, or pass --no-shellcheck)\n",
		      stderr);
	for (size_t from = 0; from < r.npaths; from += CHUNK)
		lint_chunk(&r, from, r.npaths - from < CHUNK ? r.npaths - from : CHUNK);
	if (!r.begun)
		begin_output(&r, NULL);
	ds_emit_end(&r.em, &r.out);
	flush_out(&r);
	if (fflush(stdout) != 0)
		r.rc = DS_EXIT_ERROR;
	for (size_t i = 0; i < r.npaths; i++)
		free((char *)r.paths[i]);
	int rc = r.rc ? r.rc : r.findings ? DS_EXIT_FINDINGS : DS_EXIT_OK;
	run_release(&r);
	return rc;
}
