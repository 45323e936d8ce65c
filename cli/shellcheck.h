/* shellcheck.h - RUN scripts of many Dockerfiles checked by one shellcheck process. */
#ifndef DS_CLI_SHELLCHECK_H
#define DS_CLI_SHELLCHECK_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;
struct ds_diags;
struct ds_dockerfile;
struct ds_model;

/* Whether an executable `shellcheck` is on PATH (looked up once per process). */
bool ds_shellcheck_available(void);

/*
 * The RUN scripts of one Dockerfile, ready for shellcheck: every
 * shell-form RUN script of df (ONBUILD RUN included) and every
 * here-document the shell runs. Scripts run by a non-POSIX SHELL or shell
 * pragma (powershell, cmd) and files with the backtick escape are left out.
 * The variables the RUN sees (BuildKit's proxy variables, ARGs and ENVs in
 * scope) are declared to shellcheck so it does not call them unassigned.
 */
struct ds_sc_job;

/*
 * Builds df's scripts in arena a; their findings will be appended to out
 * (also in a) as SCxxxx diagnostics at the Dockerfile's own lines and
 * columns. Returns NULL when there is nothing to check. A file with more
 * RUN scripts than one run takes (2000) gets an error instead
 * (ds_shellcheck_error).
 */
struct ds_sc_job *ds_shellcheck_prepare(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
					struct ds_diags *out);

/*
 * Runs shellcheck over the scripts of jobs[0..n) (NULL entries are
 * skipped): one process for as many consecutive jobs as one command line
 * takes, each finding appended to its own job's out. Distinct calls on
 * distinct jobs may run on different threads at once.
 *
 * Each process runs in a process group of its own, registered with
 * cli/cleanup.h like its temporary folder ($TMPDIR/distill-sc-XXXXXX), so
 * SIGINT, SIGTERM and SIGHUP to distill end the group and remove the
 * folder. timeout (seconds; 0: none) is per Dockerfile: a process with k
 * Dockerfiles has k times as long; when it runs over, each of its
 * Dockerfiles runs again alone, and one that still runs over gets one
 * DST390 warning at its first RUN saying how many RUN instructions went
 * unchecked. When shellcheck cannot be run, each job affected gets an
 * error (ds_shellcheck_error) and keeps its findings as they were.
 */
void ds_shellcheck_run(struct ds_sc_job **jobs, size_t n, double timeout);

/* Why job's scripts were not checked (static or in its arena), or NULL. */
const char *ds_shellcheck_error(const struct ds_sc_job *job);

/*
 * prepare + run for one Dockerfile. Returns 0, or -1 with *err when
 * shellcheck could not be run; out is then unchanged.
 */
int ds_shellcheck(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		  double timeout, struct ds_diags *out, const char **err);

/* The default of --shellcheck-timeout, in seconds: one run is one Dockerfile. */
#define DS_SHELLCHECK_DEFAULT_TIMEOUT 10.0

#endif
