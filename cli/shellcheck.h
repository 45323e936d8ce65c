/* shellcheck.h - RUN scripts of a Dockerfile checked by one shellcheck process. */
#ifndef DS_CLI_SHELLCHECK_H
#define DS_CLI_SHELLCHECK_H

#include <stdbool.h>

struct ds_arena;
struct ds_diags;
struct ds_dockerfile;
struct ds_model;

/* Whether an executable `shellcheck` is on PATH (looked up once per process). */
bool ds_shellcheck_available(void);

/*
 * Sends every shell-form RUN script of df (ONBUILD RUN included) and every
 * here-document the shell runs to one shellcheck process, and appends its
 * findings to out as SCxxxx diagnostics at the Dockerfile's own lines and
 * columns. Scripts run by a non-POSIX SHELL (powershell, cmd) and files with
 * the backtick escape are skipped. Variables that ARG/ENV define are
 * declared to shellcheck so it does not call them unassigned. Returns 0, or
 * -1 with *err (static or in a) when shellcheck could not be run or the file
 * has more RUN scripts than one run takes (2000); out is then unchanged.
 *
 * shellcheck runs in a process group of its own, registered with
 * cli/cleanup.h like its temporary folder ($TMPDIR/distill-sc-XXXXXX), so
 * SIGINT, SIGTERM and SIGHUP to distill end the group and remove the
 * folder. timeout (seconds; 0: none) bounds the run: when shellcheck has
 * not finished by then its group is killed and one DST390 warning at the
 * first RUN says how many RUN instructions went unchecked; 0 is returned.
 */
int ds_shellcheck(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		  double timeout, struct ds_diags *out, const char **err);

/* The default of --shellcheck-timeout, in seconds: one run is one Dockerfile. */
#define DS_SHELLCHECK_DEFAULT_TIMEOUT 10.0

#endif
