/* config.h - lint configuration (.distill.yaml, .hadolint.yaml) and the engine's extra entry points. */
#ifndef DS_RULES_CONFIG_H
#define DS_RULES_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/diag.h"
#include "rules/rules.h"

/*
 * A rule code that is not in the rule table: ShellCheck's SCxxxx, or a
 * hadolint code distill does not implement. Configuration may still ignore
 * it or change its severity.
 */
struct ds_extra_rule {
	const char *code;
	bool ignored;
	bool has_override;
	enum ds_severity sev;
};

/* Which file's keys are accepted. */
enum ds_config_dialect {
	DS_CONFIG_DISTILL,  /* .distill.yaml: every key */
	DS_CONFIG_HADOLINT, /* .hadolint.yaml: hadolint's keys only */
};

/* Where and why a configuration file was rejected; line and col are 1-based. */
struct ds_config_error {
	char file[256];
	unsigned line, col;
	char msg[256]; /* lower case, subject in quotes, no final full stop */
};

/*
 * Everything a configuration file (and the command line on top of it) sets.
 * Strings and arrays live in arena; ds_config_release() frees them. Fields
 * that a file did not set keep the "unset" values of ds_config_init().
 */
struct ds_config {
	struct ds_lint_config lint;
	struct ds_extra_rule *extra;  /* codes outside the rule table */
	size_t nextra, capextra;
	int failure_threshold;        /* -1 unset, else an enum ds_severity
				       * (DS_SEV_NONE: never fail on findings) */
	int no_fail;                  /* -1 unset, 0 or 1 (hadolint's no-fail) */
	int no_color;                 /* -1 unset, 0 or 1 */
	const char *format;           /* output format name as written (lint checks it), NULL unset */
	unsigned format_line, format_col; /* where `format` is */
	bool has_profile;             /* `profile` was set (lint.profile holds it) */
	const char *mappings;         /* catalogue overlay, resolved against the
				       * config file's folder; NULL unset */
	const char *accept;           /* convert's accepted change kinds, comma-separated
				       * as written (convert checks the names); NULL unset */
	unsigned accept_line, accept_col; /* where `accept` is, for convert's error */
	const char *root;             /* found by search: the real folder it was
				       * found in, which confines it; NULL for a
				       * file named on the command line */
	unsigned flags;               /* DS_CONFIG_* flags it was loaded with */
	bool disable_pragmas;         /* hadolint's disable-ignore-pragma */
	const char *path;             /* the (last) file loaded, NULL when none; a second file
				       * loaded on top replaces the lists and scalars it sets */
	enum ds_config_dialect dialect;
	struct ds_arena arena;
};

/* Sets c to the defaults: nothing ignored, no overrides, everything unset. */
void ds_config_init(struct ds_config *c);
/* Frees what c owns; c must be initialised again before reuse. */
void ds_config_release(struct ds_config *c);

/* Limits on configuration and catalogue files, in bytes. */
#define DS_CONFIG_MAX_FOUND ((size_t)1 << 20)  /* found by search, and what they name */
#define DS_CONFIG_MAX_GIVEN ((size_t)16 << 20) /* named on the command line */

/* Flags of ds_config_load_found(). */
#define DS_CONFIG_IGNORE_MAPPINGS 1u /* accept a `mappings` key but never follow it (audit) */

/*
 * Reads the YAML file at path, a file named on the command line (--config),
 * into c (on top of what c holds). It may be anywhere and of any type but a
 * folder (a FIFO is read to its end), up to DS_CONFIG_MAX_GIVEN bytes; its
 * `mappings` may name any file. Returns 0, or
 * -1 with *err filled (err may be NULL): an unreadable file, a YAML syntax
 * error (with its line:col), an unknown key, a value of the wrong type or an
 * unknown rule code (with the offending node's line:col). c may be partly
 * updated on failure; release it.
 */
int ds_config_load_file(struct ds_config *c, const char *path, enum ds_config_dialect dialect,
			struct ds_config_error *err);

/*
 * As ds_config_load_file() for a configuration found by searching upward
 * from a Dockerfile: one a repository ships, so it is confined to its own
 * folder tree. path must resolve inside its folder (a symbolic link out of
 * the repository is refused), be a regular file of at most
 * DS_CONFIG_MAX_FOUND bytes, and `mappings` must be a relative path to a
 * regular file of at most DS_CONFIG_MAX_FOUND bytes inside that folder
 * tree (no absolute path, no way out through '..' or a link, no FIFO or
 * device); each breach is an error located at the file or at the
 * `mappings` value. c->root is set to the folder. flags: DS_CONFIG_*.
 */
int ds_config_load_found(struct ds_config *c, const char *path, enum ds_config_dialect dialect, unsigned flags,
			 struct ds_config_error *err);

/*
 * Appends the bytes of c->mappings to out (nothing when unset): with the
 * limits of a found configuration when c was found (regular file, the
 * last component not a link, DS_CONFIG_MAX_FOUND), else those of a given
 * one. Returns 0, or -1 with *err (at the mappings file, no line).
 */
struct ds_buf;
int ds_config_read_mappings(const struct ds_config *c, struct ds_buf *out, struct ds_config_error *err);
/* As ds_config_load_file() for data[0..len); name stands for the file in errors and
 * is the base for a relative `mappings` path. */
int ds_config_load_mem(struct ds_config *c, const char *name, const char *data, size_t len,
		       enum ds_config_dialect dialect, struct ds_config_error *err);

/*
 * Ignores code (command line --ignore). Returns 0, or -1 when code is neither
 * in the rule table nor shaped like a DL or SC code.
 */
int ds_config_ignore(struct ds_config *c, const char *code);
/* Sets code's severity (--error CODE ...). Same return as ds_config_ignore(). */
int ds_config_override(struct ds_config *c, const char *code, enum ds_severity sev);

/* Index of code in ds_rules (case-insensitive), or -1. */
int ds_rule_index(const char *code);

/*
 * The first half of ds_lint(): runs every rule family over df and appends
 * the raw findings to out, no pragma or configuration applied. cfg may be
 * NULL (defaults).
 */
void ds_lint_collect(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		     const struct ds_catalog *cat, const struct ds_lint_config *cfg,
		     struct ds_diags *out);
/* As ds_lint_collect() with what the caller knows about the file (file may be NULL). */
void ds_lint_collect_file(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
			  const struct ds_catalog *cat, const struct ds_lint_config *cfg,
			  const struct ds_lint_file *file, struct ds_diags *out);

/*
 * The second half: applies inline pragmas (unless cfg->disable_pragmas),
 * cfg's ignored codes and severity overrides (rule table and extra codes)
 * to out->v[from..out->n), drops what they silence, and sorts out. m may
 * be NULL (no stage pragmas); cfg may be NULL (pragmas only). Returns how
 * many of the findings from `from` on were kept.
 */
size_t ds_lint_filter(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		      const struct ds_config *cfg, struct ds_diags *out, size_t from);

#endif
