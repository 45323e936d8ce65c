/* config.c - loading .distill.yaml and .hadolint.yaml with libyaml; see config.h. */
#include "rules/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/file.h"

void ds_config_init(struct ds_config *c)
{
	memset(c, 0, sizeof *c);
	ds_lint_config_init(&c->lint);
	ds_arena_init(&c->arena);
	c->failure_threshold = -1;
	c->no_fail = -1;
	c->no_color = -1;
}

void ds_config_release(struct ds_config *c)
{
	ds_arena_release(&c->arena);
	memset(c, 0, sizeof *c);
}

/* ---- rule codes ---- */

/* "DL1234", "SC2086": letters then digits. */
static bool code_shaped(const char *code, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncasecmp(code, prefix, n) || !code[n])
		return false;
	for (const char *p = code + n; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static struct ds_extra_rule *extra_get(struct ds_config *c, const char *code)
{
	for (size_t i = 0; i < c->nextra; i++)
		if (!strcasecmp(c->extra[i].code, code))
			return &c->extra[i];
	c->extra = ds_arena_grow(&c->arena, c->extra, sizeof *c->extra, c->nextra, &c->capextra);
	struct ds_extra_rule *x = &c->extra[c->nextra++];
	memset(x, 0, sizeof *x);
	char *up = ds_arena_strdup(&c->arena, code);
	for (char *p = up; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	x->code = up;
	return x;
}

/* Sets rule r ignored (sev < 0) or to severity sev; the latest setting of a rule wins. */
static void set_rule(struct ds_config *c, int r, int sev)
{
	if (sev < 0) {
		c->lint.ignored[r] = true;
		c->lint.has_override[r] = false;
	} else {
		c->lint.ignored[r] = false;
		c->lint.has_override[r] = true;
		c->lint.override[r] = (enum ds_severity)sev;
	}
}

/*
 * Applies ignore (sev < 0) or an override to code (a code, a slug or a
 * BuildKit name), and to the rules that report the same thing (DS_TWIN),
 * so that either name governs the one finding; -1 when the code is not
 * acceptable.
 */
static int apply_code(struct ds_config *c, const char *code, int sev, enum ds_config_dialect d)
{
	int r = ds_rule_index(code);
	if (r >= 0) {
		set_rule(c, r, sev);
		enum ds_rule_id tw[8];
		size_t n = ds_rule_twins((enum ds_rule_id)r, tw, 8);
		for (size_t i = 0; i < n && i < 8; i++)
			set_rule(c, (int)tw[i], sev);
		return 0;
	}
	/* hadolint does not validate codes; distill accepts the shapes it may meet */
	if (!code_shaped(code, "DL") && !code_shaped(code, "SC") && d != DS_CONFIG_HADOLINT)
		return -1;
	if (!*code)
		return -1;
	struct ds_extra_rule *x = extra_get(c, code);
	if (sev < 0) {
		x->ignored = true;
	} else {
		x->has_override = true;
		x->sev = (enum ds_severity)sev;
	}
	return 0;
}

int ds_config_ignore(struct ds_config *c, const char *code)
{
	return apply_code(c, code, -1, DS_CONFIG_DISTILL);
}

int ds_config_override(struct ds_config *c, const char *code, enum ds_severity sev)
{
	return apply_code(c, code, (int)sev, DS_CONFIG_DISTILL);
}

/* ---- YAML ---- */

struct loader {
	struct ds_config *c;
	yaml_document_t *doc;
	const char *name;
	const char *dir; /* folder of the file, with a final '/', or "" */
	struct ds_config_error *err;
	bool replace;    /* a list key replaces what an earlier file set (c->path was set) */
};

static int fail(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	if (!L->err)
		return -1;
	snprintf(L->err->file, sizeof L->err->file, "%s", L->name);
	L->err->line = n ? (unsigned)n->start_mark.line + 1 : 0;
	L->err->col = n ? (unsigned)n->start_mark.column + 1 : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(L->err->msg, sizeof L->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain (unquoted) scalar that YAML reads as null: "", "~", "null". */
static bool is_null(const yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = scalar(n);
	return !*s || !strcmp(s, "~") || !strcasecmp(s, "null");
}

static int get_bool(struct loader *L, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = scalar(n);
	if (s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		static const char *const yes[] = { "true", "yes", "on" };
		static const char *const no[] = { "false", "no", "off" };
		for (size_t i = 0; i < 3; i++) {
			if (!strcasecmp(s, yes[i])) {
				*out = true;
				return 0;
			}
			if (!strcasecmp(s, no[i])) {
				*out = false;
				return 0;
			}
		}
	}
	return fail(L, n, "'%s' must be true or false", key);
}

static int get_string(struct loader *L, const yaml_node_t *n, const char *key, const char **out)
{
	const char *s = scalar(n);
	if (!s || is_null(n))
		return fail(L, n, "'%s' must be a string", key);
	*out = ds_arena_strdup(&L->c->arena, s);
	return 0;
}

/* A sequence of scalars (null counts as empty); calls fn for each. */
static int each_item(struct loader *L, const yaml_node_t *n, const char *key,
		     int (*fn)(struct loader *, const yaml_node_t *, void *), void *ctx)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(L, n, "'%s' must be a list", key);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const yaml_node_t *v = yaml_document_get_node(L->doc, *it);
		if (!scalar(v) || is_null(v))
			return fail(L, v, "'%s' must be a list of strings", key);
		if (fn(L, v, ctx))
			return -1;
	}
	return 0;
}

static int code_item(struct loader *L, const yaml_node_t *v, void *ctx)
{
	int sev = *(int *)ctx;
	const char *code = scalar(v);
	if (apply_code(L->c, code, sev, L->c->dialect)) {
		const char *near = ds_rule_suggest(code);
		if (near)
			return fail(L, v, "unknown rule code '%s' (did you mean '%s'?)", code, near);
		return fail(L, v, "unknown rule code '%s'", code);
	}
	return 0;
}

static int registry_item(struct loader *L, const yaml_node_t *v, void *ctx)
{
	(void)ctx;
	struct ds_lint_config *lc = &L->c->lint;
	size_t cap = lc->ntrusted; /* grown one at a time: the list is short */
	const char **nv = ds_arena_alloc(&L->c->arena, (cap + 1) * sizeof *nv);
	if (lc->ntrusted)
		memcpy(nv, lc->trusted_registries, lc->ntrusted * sizeof *nv);
	nv[lc->ntrusted++] = ds_arena_strdup(&L->c->arena, scalar(v));
	lc->trusted_registries = nv;
	return 0;
}

static int load_override(struct loader *L, const yaml_node_t *n)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(L, n, "'override' must be a mapping of severities to lists of rule codes");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yaml_document_get_node(L->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(L->doc, p->value);
		const char *ks = scalar(k);
		int sev = ks ? ds_severity_parse(ks) : -1;
		if (sev < 0 || sev > DS_SEV_STYLE)
			return fail(L, k, "unknown severity '%s' in 'override' (error, warning, info or style)",
				    ks ? ks : "?");
		if (each_item(L, v, ks, code_item, &sev))
			return -1;
	}
	return 0;
}

static const char *const label_types[] = { "text", "url", "rfc3339", "spdx", "hash", "semver", "email" };

static int load_labels(struct loader *L, const yaml_node_t *n)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(L, n, "'label-schema' must be a mapping of label names to types");
	struct ds_lint_config *lc = &L->c->lint;
	size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	const char **names = ds_arena_alloc(&L->c->arena, (lc->nlabels + count) * sizeof *names);
	const char **types = ds_arena_alloc(&L->c->arena, (lc->nlabels + count) * sizeof *types);
	if (lc->nlabels) {
		memcpy(names, lc->label_names, lc->nlabels * sizeof *names);
		memcpy(types, lc->label_types, lc->nlabels * sizeof *types);
	}
	size_t k = lc->nlabels;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = yaml_document_get_node(L->doc, p->key);
		const yaml_node_t *vn = yaml_document_get_node(L->doc, p->value);
		if (!scalar(kn) || is_null(kn))
			return fail(L, kn, "'label-schema' keys must be label names");
		const char *t = scalar(vn);
		size_t i = 0;
		while (t && i < sizeof label_types / sizeof *label_types && strcmp(t, label_types[i]))
			i++;
		if (!t || i == sizeof label_types / sizeof *label_types)
			return fail(L, vn,
				    "unknown label type '%s' for '%s' (text, url, rfc3339, spdx, hash, semver or email)",
				    t ? t : "?", scalar(kn));
		names[k] = ds_arena_strdup(&L->c->arena, scalar(kn));
		types[k] = label_types[i];
		k++;
	}
	lc->label_names = names;
	lc->label_types = types;
	lc->nlabels = k;
	return 0;
}

/*
 * `mappings` in a configuration found by search: a relative path to a
 * regular file, not too big, that resolves (links and '..' followed) inside
 * the configuration's folder.
 */
static int confined_mappings(struct loader *L, const yaml_node_t *v, const char *s)
{
	struct ds_config *c = L->c;
	if (s[0] == '/')
		return fail(L, v, "'mappings' must be a path inside the configuration's folder, not the absolute path '%s'", s);
	char *cand = ds_arena_printf(&c->arena, "%s/%s", c->root, s);
	char real[PATH_MAX];
	if (ds_file_inside(c->root, cand, real, sizeof real) < 0) {
		if (errno == EXDEV)
			return fail(L, v, "'mappings' names '%s', which is outside the configuration's folder '%s'", s, c->root);
		return fail(L, v, "'mappings' names '%s': %s", s, strerror(errno));
	}
	struct stat st;
	if (stat(real, &st) < 0)
		return fail(L, v, "'mappings' names '%s': %s", s, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(L, v, "'mappings' names '%s', which is not a regular file", s);
	if ((unsigned long long)st.st_size > DS_CONFIG_MAX_FOUND)
		return fail(L, v, "'mappings' names '%s', which is larger than %zu bytes", s, DS_CONFIG_MAX_FOUND);
	c->mappings = ds_arena_strdup(&c->arena, real);
	return 0;
}

enum key_id {
	K_IGNORED, K_OVERRIDE, K_THRESHOLD, K_TRUSTED, K_LABELS, K_STRICT, K_TARGET, K_MAPPINGS,
	K_NOFAIL, K_NOCOLOR, K_FORMAT, K_NOPRAGMA, K_VERBOSE, K_ACCEPT, K_PROFILE, K_DL3002,
};

static const struct {
	const char *name;
	enum key_id id;
	bool hadolint; /* also valid in .hadolint.yaml */
} keys[] = {
	{ "ignored", K_IGNORED, true },
	{ "override", K_OVERRIDE, true },
	{ "failure-threshold", K_THRESHOLD, true },
	{ "trustedRegistries", K_TRUSTED, true },
	{ "label-schema", K_LABELS, true },
	{ "strict-labels", K_STRICT, true },
	{ "target", K_TARGET, false },
	{ "mappings", K_MAPPINGS, false },
	{ "accept", K_ACCEPT, false },
	{ "profile", K_PROFILE, false },
	{ "dl3002-final-stage", K_DL3002, false },
	{ "no-fail", K_NOFAIL, true },
	{ "no-color", K_NOCOLOR, true },
	{ "format", K_FORMAT, true },
	{ "disable-ignore-pragma", K_NOPRAGMA, true },
	/* hadolint's verbosity: checked for type, no effect on distill's output */
	{ "verbose", K_VERBOSE, true },
};

/* One kind of an `accept` list, joined to the others with commas. */
static int accept_item(struct loader *L, const yaml_node_t *v, void *ctx)
{
	(void)ctx;
	struct ds_config *c = L->c;
	c->accept = c->accept ? ds_arena_printf(&c->arena, "%s,%s", c->accept, scalar(v))
			      : ds_arena_strdup(&c->arena, scalar(v));
	return 0;
}

static int load_key(struct loader *L, const yaml_node_t *k, const yaml_node_t *v)
{
	const char *ks = scalar(k);
	size_t i = 0;
	while (ks && i < sizeof keys / sizeof *keys && strcmp(ks, keys[i].name))
		i++;
	if (!ks || i == sizeof keys / sizeof *keys ||
	    (L->c->dialect == DS_CONFIG_HADOLINT && !keys[i].hadolint)) {
		if (ks && i < sizeof keys / sizeof *keys)
			return fail(L, k, "key '%s' is only valid in .distill.yaml", ks);
		return fail(L, k, "unknown key '%s'", ks ? ks : "?");
	}
	struct ds_config *c = L->c;
	switch (keys[i].id) {
	case K_IGNORED: {
		int ign = -1;
		return each_item(L, v, ks, code_item, &ign);
	}
	case K_OVERRIDE:
		return load_override(L, v);
	case K_THRESHOLD: {
		const char *s = scalar(v);
		int sev = s ? ds_severity_parse(s) : -1;
		if (sev == DS_SEV_NOTE || sev < 0)
			return fail(L, v, "'failure-threshold' must be error, warning, info, style or none");
		c->failure_threshold = sev;
		return 0;
	}
	case K_TRUSTED:
		if (L->replace)
			c->lint.ntrusted = 0;
		if (scalar(v) && !is_null(v))
			return registry_item(L, v, NULL); /* hadolint also takes one string */
		return each_item(L, v, ks, registry_item, NULL);
	case K_LABELS:
		if (L->replace)
			c->lint.nlabels = 0;
		return load_labels(L, v);
	case K_STRICT:
		return get_bool(L, v, ks, &c->lint.strict_labels);
	case K_TARGET: {
		/* vendors in the order convert tries them: "distroless,chiseled,chainguard" */
		static const char *const vendors[] = { "distroless", "chainguard", "chiseled", "ubi-micro" };
		const char *s = scalar(v);
		unsigned seen = 0;
		bool chainguard_first = false;
		for (const char *p = s; p;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			unsigned n = 0;
			while (n < 4 && (strlen(vendors[n]) != len || strncmp(p, vendors[n], len)))
				n++;
			if (n == 4 || (seen & (1u << n)))
				return fail(L, v, "'target' must list distroless, chainguard, chiseled or ubi-micro, each once, "
					    "separated by commas");
			/* the first of distroless and chainguard runs the languages; chiseled replaces .NET only */
			if (n == 1 && !(seen & 1u))
				chainguard_first = true;
			seen |= 1u << n;
			p = e ? e + 1 : NULL;
		}
		if (!s)
			return fail(L, v, "'target' must list distroless, chainguard, chiseled or ubi-micro, each once, separated by commas");
		c->lint.target = ds_arena_strdup(&c->arena, s);
		c->lint.chainguard_first = chainguard_first;
		return 0;
	}
	case K_MAPPINGS: {
		const char *s = NULL;
		if (get_string(L, v, ks, &s))
			return -1;
		if (c->flags & DS_CONFIG_IGNORE_MAPPINGS)
			return 0;
		if (c->root)
			return confined_mappings(L, v, s);
		c->mappings = s[0] == '/' ? s : ds_arena_printf(&c->arena, "%s%s", L->dir, s);
		return 0;
	}
	case K_ACCEPT: {
		/* a list of change kinds, or one comma-separated string */
		c->accept_line = (unsigned)v->start_mark.line + 1;
		c->accept_col = (unsigned)v->start_mark.column + 1;
		if (scalar(v) && !is_null(v))
			return get_string(L, v, ks, &c->accept);
		return each_item(L, v, ks, accept_item, NULL);
	}
	case K_NOFAIL:
	case K_NOCOLOR: {
		bool b;
		if (get_bool(L, v, ks, &b))
			return -1;
		*(keys[i].id == K_NOFAIL ? &c->no_fail : &c->no_color) = b;
		return 0;
	}
	case K_FORMAT:
		/* the formats are emit/'s list: lint checks the name and reports it at format_line:format_col */
		c->format_line = (unsigned)v->start_mark.line + 1;
		c->format_col = (unsigned)v->start_mark.column + 1;
		return get_string(L, v, ks, &c->format);
	case K_PROFILE: {
		const char *s = scalar(v);
		int p = s ? ds_profile_parse(s) : -1;
		if (p < 0)
			return fail(L, v, "unknown profile '%s' (all, hadolint, buildkit or distroless)", s ? s : "?");
		c->lint.profile = (enum ds_profile)p;
		c->has_profile = true;
		return 0;
	}
	case K_DL3002:
		return get_bool(L, v, ks, &c->lint.dl3002_final_stage);
	case K_NOPRAGMA:
		return get_bool(L, v, ks, &c->disable_pragmas);
	case K_VERBOSE: {
		bool b;
		return get_bool(L, v, ks, &b);
	}
	}
	return 0;
}

static int load_doc(struct loader *L)
{
	yaml_node_t *root = yaml_document_get_root_node(L->doc);
	if (!root || is_null(root))
		return 0; /* an empty file configures nothing */
	if (root->type != YAML_MAPPING_NODE)
		return fail(L, root, "the configuration must be a mapping of keys to values");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yaml_document_get_node(L->doc, p->key);
		for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; q++) {
			const char *a = scalar(yaml_document_get_node(L->doc, q->key));
			if (a && scalar(k) && !strcmp(a, scalar(k)))
				return fail(L, k, "duplicate key '%s'", a);
		}
		if (load_key(L, k, yaml_document_get_node(L->doc, p->value)))
			return -1;
	}
	return 0;
}

int ds_config_load_mem(struct ds_config *c, const char *name, const char *data, size_t len,
		       enum ds_config_dialect dialect, struct ds_config_error *err)
{
	struct loader L = { c, NULL, name, "", err, c->path != NULL };
	const char *slash = strrchr(name, '/');
	if (slash)
		L.dir = ds_arena_strndup(&c->arena, name, (size_t)(slash - name) + 1);
	c->dialect = dialect;
	c->path = ds_arena_strdup(&c->arena, name);

	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		return fail(&L, NULL, "cannot initialise the yaml parser");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (err) {
			snprintf(err->file, sizeof err->file, "%s", name);
			err->line = (unsigned)parser.problem_mark.line + 1;
			err->col = (unsigned)parser.problem_mark.column + 1;
			if (parser.context)
				snprintf(err->msg, sizeof err->msg, "invalid yaml: %s %s", parser.problem,
					 parser.context);
			else
				snprintf(err->msg, sizeof err->msg, "invalid yaml: %s",
					 parser.problem ? parser.problem : "syntax error");
		}
		yaml_parser_delete(&parser);
		return -1;
	}
	L.doc = &doc;
	int rc = load_doc(&L);
	/* a second document is not a configuration: refuse it rather than ignore it */
	if (rc == 0) {
		yaml_document_t more;
		if (!yaml_parser_load(&parser, &more)) {
			rc = fail(&L, NULL, "invalid yaml after the first document");
			if (err) {
				err->line = (unsigned)parser.problem_mark.line + 1;
				err->col = (unsigned)parser.problem_mark.column + 1;
			}
		} else {
			yaml_node_t *r = yaml_document_get_root_node(&more);
			if (r)
				rc = fail(&L, r, "only one yaml document is allowed");
			yaml_document_delete(&more);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/* Fills err for a file-level problem (no line). */
static void file_error(struct ds_config_error *err, const char *path, const char *msg, int e)
{
	if (!err)
		return;
	snprintf(err->file, sizeof err->file, "%s", path);
	err->line = err->col = 0;
	if (e)
		snprintf(err->msg, sizeof err->msg, "%s: %s", msg, strerror(e));
	else
		snprintf(err->msg, sizeof err->msg, "%s", msg);
}

/* Reads path with flags and limit max into out; on failure fills err (shown as shown). */
static int read_bounded(const char *path, const char *shown, unsigned flags, size_t max, struct ds_buf *out,
			struct ds_config_error *err)
{
	int e;
	switch (ds_file_read(path, flags, max, out, NULL, &e)) {
	case DS_FILE_OK: return 0;
	case DS_FILE_DIR: file_error(err, shown, "is a directory, not a yaml file", 0); break;
	case DS_FILE_SPECIAL: file_error(err, shown, "not a regular file (FIFO, socket or device)", 0); break;
	case DS_FILE_LINK: file_error(err, shown, "is a symbolic link", 0); break;
	case DS_FILE_TOO_BIG: {
		char msg[64];
		snprintf(msg, sizeof msg, "larger than %zu bytes", max);
		file_error(err, shown, msg, 0);
		break;
	}
	default: file_error(err, shown, "cannot open", e); break;
	}
	return -1;
}

int ds_config_load_file(struct ds_config *c, const char *path, enum ds_config_dialect dialect,
			struct ds_config_error *err)
{
	struct ds_buf b = DS_BUF_INIT;
	if (read_bounded(path, path, 0, DS_CONFIG_MAX_GIVEN, &b, err)) {
		ds_buf_release(&b);
		return -1;
	}
	int rc = ds_config_load_mem(c, path, b.buf ? b.buf : "", b.len, dialect, err);
	ds_buf_release(&b);
	return rc;
}

int ds_config_load_found(struct ds_config *c, const char *path, enum ds_config_dialect dialect, unsigned flags,
			 struct ds_config_error *err)
{
	/* the folder it was found in, resolved */
	const char *slash = strrchr(path, '/');
	char *dir = slash ? ds_arena_strndup(&c->arena, path, slash == path ? 1 : (size_t)(slash - path))
			  : ds_arena_strdup(&c->arena, ".");
	char root[PATH_MAX], real[PATH_MAX];
	if (!realpath(dir, root)) {
		file_error(err, path, "cannot resolve its folder", errno);
		return -1;
	}
	if (ds_file_inside(root, path, real, sizeof real) < 0) {
		if (errno == EXDEV)
			file_error(err, path, "is a symbolic link out of its folder; a configuration found by search must stay inside its folder tree", 0);
		else
			file_error(err, path, "cannot open", errno);
		return -1;
	}
	struct ds_buf b = DS_BUF_INIT;
	if (read_bounded(real, path, DS_FILE_REGULAR | DS_FILE_NOFOLLOW, DS_CONFIG_MAX_FOUND, &b, err)) {
		ds_buf_release(&b);
		return -1;
	}
	c->root = ds_arena_strdup(&c->arena, root);
	c->flags = flags;
	int rc = ds_config_load_mem(c, path, b.buf ? b.buf : "", b.len, dialect, err);
	ds_buf_release(&b);
	return rc;
}

int ds_config_read_mappings(const struct ds_config *c, struct ds_buf *out, struct ds_config_error *err)
{
	if (!c->mappings)
		return 0;
	if (c->root)
		return read_bounded(c->mappings, c->mappings, DS_FILE_REGULAR | DS_FILE_NOFOLLOW, DS_CONFIG_MAX_FOUND,
				    out, err);
	return read_bounded(c->mappings, c->mappings, 0, DS_CONFIG_MAX_GIVEN, out, err);
}
