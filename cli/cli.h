/* cli.h - subcommands and helpers shared by the command-line front end. */
#ifndef DS_CLI_CLI_H
#define DS_CLI_CLI_H

#include <stdio.h>

struct ds_diag;
struct ds_source;

/* Exit codes (DESIGN §2). */
enum { DS_EXIT_OK = 0, DS_EXIT_FINDINGS = 1, DS_EXIT_ERROR = 2 };

int ds_cmd_parse(int argc, char **argv);
int ds_cmd_lint(int argc, char **argv);
int ds_cmd_rules(int argc, char **argv);
int ds_cmd_audit(int argc, char **argv);
int ds_cmd_convert(int argc, char **argv);
int ds_cmd_inspect(int argc, char **argv);
int ds_cmd_lsp(int argc, char **argv);

struct option;

/*
 * Prints a usage error in the one shape every command uses, "distill CMD:
 * MESSAGE" and "try 'distill CMD --help'", on standard error; returns
 * DS_EXIT_ERROR.
 */
int ds_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The usage error for getopt_long's '?' (call it with opterr set to 0):
 * an unknown option, with the nearest one of opts when it looks like a
 * typo, or an option missing its value. ind and opt are optind and optopt
 * after the '?'. Returns DS_EXIT_ERROR.
 */
int ds_usage_bad_option(const char *cmd, const struct option *opts, const char *shortopts, char **argv, int ind,
			int opt);
/* Each command's getopt_long table (ends with a zero row): `distill completion` lists them. */
const struct option *ds_cmd_parse_options(void);
const struct option *ds_cmd_lint_options(void);
const struct option *ds_cmd_convert_options(void);
const struct option *ds_cmd_inspect_options(void);
const struct option *ds_cmd_audit_options(void);
const struct option *ds_cmd_lsp_options(void);

/*
 * Prints "path:line:col: severity: message [code]" to f, and with_caret the
 * source line and a caret. Like every function below, it quotes the path
 * and escapes the message as emit/escape.h says, so nothing read from a
 * file or a file name reaches a terminal raw.
 */
void ds_print_diag(FILE *f, const struct ds_source *src, const struct ds_diag *d, int with_caret,
		   int color);
/* Prints "path: error: message" for errors without a position. */
void ds_print_file_error(FILE *f, const char *path, const char *msg);
/* Prints "path:line:col: severity: message" (line 0: "path: severity: message"). */
void ds_print_located(FILE *f, const char *path, unsigned line, unsigned col, const char *severity,
		      const char *msg);

#endif
