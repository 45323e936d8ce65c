/*
 * cleanup.h - what distill leaves on disk or running is undone when a
 * signal ends it.
 *
 * distill creates a few things that must not outlive it: the temporary file
 * beside a file it replaces (".NAME.distill-XXXXXX"), ShellCheck's
 * temporary folder ("$TMPDIR/distill-sc-XXXXXX" holding s0.sh, s1.sh, ...)
 * and the ShellCheck process group. Each is registered here while it
 * exists; SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE then remove the
 * files and folders and kill the groups before the signal ends the process
 * as it would have (same signal, same exit status). SIGKILL cannot be
 * caught: what it leaves has the names above.
 *
 * Registration may happen from any thread; the table has DS_CLEANUP_SLOTS
 * entries, and an entry that does not fit is simply not cleaned up.
 */
#ifndef DS_CLI_CLEANUP_H
#define DS_CLI_CLEANUP_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#define DS_CLEANUP_SLOTS 16

/*
 * Installs the handlers for the signals above, leaving alone any signal
 * the process was started with ignored (nohup, a shell's `trap '' HUP`).
 * Call once, early in main.
 */
void ds_cleanup_install(void);

/* Registers a file to unlink; returns the slot for ds_cleanup_remove, or -1. */
int ds_cleanup_add_file(const char *path);

/*
 * Registers a folder holding files named PREFIX0SUFFIX .. PREFIX(n-1)SUFFIX
 * (and nothing else distill made): they are unlinked, then the folder is
 * removed. Returns the slot or -1.
 */
int ds_cleanup_add_dir(const char *dir, const char *prefix, size_t n, const char *suffix);

/* Registers a process group to kill with SIGKILL; returns the slot or -1. */
int ds_cleanup_add_group(pid_t pgid);

/* Forgets slot (-1 is ignored); the caller removed or reaped it itself. */
void ds_cleanup_remove(int slot);

/*
 * Blocks the handled signals in the calling thread, saving the old mask in
 * *old, so that something can be created and registered with no signal in
 * between; ds_cleanup_unblock restores the mask.
 */
void ds_cleanup_block(sigset_t *old);
void ds_cleanup_unblock(const sigset_t *old);

/* The signals handled, for a child that must start with them at default. */
void ds_cleanup_signals(sigset_t *set);

#endif
