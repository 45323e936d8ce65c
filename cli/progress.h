/* progress.h - the one-line progress bar of long runs on a terminal: width from the terminal, rate and ETA, redrawn in place (issue 15). */
#ifndef DS_CLI_PROGRESS_H
#define DS_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * A progress bar on one file descriptor (standard error). It draws only
 * when enabled and the descriptor is a terminal; each drawing is one line,
 * "\r" + text + "\033[K" (erase to the end of the line), never a newline,
 * and the text is shorter than the terminal is wide (TIOCGWINSZ, asked at
 * every drawing, so a resized terminal is followed; 80 when unknown), so
 * the terminal never wraps it. Debug hook: DISTILL_DEBUG_PROGRESS=1 in the
 * environment draws at every chance instead of every 100 ms, so a test
 * sees drawings however fast the run is.
 */
struct ds_progress {
	bool on;             /* drawing */
	int fd;
	struct timespec t0;  /* start of the run */
	double last;         /* seconds since t0 at the last drawing */
	unsigned interval_ms;
	bool drawn;          /* something is on the line */
};

/* Starts the clock; draws only when enabled and fd is a terminal. */
void ds_progress_init(struct ds_progress *p, int fd, bool enabled);

/* Whether the interval has passed since the last drawing (false when off). */
bool ds_progress_due(const struct ds_progress *p);

/*
 * Draws done of total files; total_known false while files are still
 * being found (then total is a lower bound and there is no ETA).
 */
void ds_progress_draw(struct ds_progress *p, size_t done, size_t total, bool total_known);

/* Erases the line when something was drawn. */
void ds_progress_clear(struct ds_progress *p);

/*
 * The text of one drawing for a terminal cols wide, into buf (cap bytes):
 * "[####.....] 1234/20000 files  812/s  ETA 0:23", dropping the bar, then
 * the rate, then the ETA when narrower; always fewer than cols characters
 * (and at most cap - 1 bytes). elapsed: seconds since the start. Returns
 * the length. Pure, for tests.
 */
size_t ds_progress_text(char *buf, size_t cap, unsigned cols, size_t done, size_t total, bool total_known,
			double elapsed);

#endif
