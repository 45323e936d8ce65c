/* progress.c - a one-line progress bar that fits the terminal; see progress.h. */
#include "cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void ds_progress_init(struct ds_progress *p, int fd, bool enabled)
{
	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->on = enabled && isatty(fd);
	const char *dbg = getenv("DISTILL_DEBUG_PROGRESS");
	p->interval_ms = dbg && !strcmp(dbg, "1") ? 0 : 100;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

bool ds_progress_due(const struct ds_progress *p)
{
	return p->on && seconds_since(&p->t0) - p->last >= (double)p->interval_ms / 1000.0;
}

/* "12s", "3:07", "1:02:03" */
static void duration(char *buf, size_t cap, double s)
{
	unsigned long t = s < 0 ? 0 : s > 359999 ? 359999 : (unsigned long)(s + 0.5);
	if (t < 60)
		snprintf(buf, cap, "%lus", t);
	else if (t < 3600)
		snprintf(buf, cap, "%lu:%02lu", t / 60, t % 60);
	else
		snprintf(buf, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
}

size_t ds_progress_text(char *buf, size_t cap, unsigned cols, size_t done, size_t total, bool total_known,
			double elapsed)
{
	if (!cap)
		return 0;
	buf[0] = '\0';
	size_t room = cols > 1 ? cols - 1 : 0; /* the last column would make some terminals wrap */
	if (room >= cap)
		room = cap - 1;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	char count[64], speed[32], eta[40];
	snprintf(count, sizeof count, "%zu/%zu%s files", done, total, total_known ? "" : "+");
	snprintf(speed, sizeof speed, "%.0f/s", rate);
	if (!total_known || done >= total) {
		snprintf(eta, sizeof eta, "%s", total_known ? "ETA 0s" : "ETA ?");
	} else if (rate > 0) {
		char d[24];
		duration(d, sizeof d, (double)(total - done) / rate);
		snprintf(eta, sizeof eta, "ETA %s", d);
	} else {
		snprintf(eta, sizeof eta, "ETA ?");
	}
	/* the longest form that fits: bar + count + rate + ETA, count + rate + ETA, count + ETA, count */
	char info[160];
	const char *forms[3][3] = { { count, speed, eta }, { count, eta, NULL }, { count, NULL, NULL } };
	size_t il = 0;
	for (int f = 0; f < 3; f++) {
		il = (size_t)snprintf(info, sizeof info, "%s%s%s%s%s", forms[f][0], forms[f][1] ? "  " : "",
				      forms[f][1] ? forms[f][1] : "", forms[f][2] ? "  " : "", forms[f][2] ? forms[f][2] : "");
		if (il <= room)
			break;
	}
	if (il > room) {
		memcpy(buf, info, room);
		buf[room] = '\0';
		return room;
	}
	size_t n = 0;
	if (room >= il + 3 + 10) {
		size_t bw = room - il - 3;
		if (bw > 50)
			bw = 50;
		size_t fill = total ? (done >= total ? bw : done * bw / total) : 0;
		buf[n++] = '[';
		for (size_t k = 0; k < bw; k++)
			buf[n++] = k < fill ? '#' : '.';
		buf[n++] = ']';
		buf[n++] = ' ';
	}
	memcpy(buf + n, info, il);
	n += il;
	buf[n] = '\0';
	return n;
}

static unsigned term_columns(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void ds_progress_draw(struct ds_progress *p, size_t done, size_t total, bool total_known)
{
	if (!p->on)
		return;
	double el = seconds_since(&p->t0);
	char line[512];
	line[0] = '\r';
	size_t n = 1 + ds_progress_text(line + 1, sizeof line - 8, term_columns(p->fd), done, total, total_known, el);
	memcpy(line + n, "\033[K", 3);
	n += 3;
	/* one write, so the line is never torn; a failed write only loses a drawing */
	ssize_t w = write(p->fd, line, n);
	(void)w;
	p->last = el;
	p->drawn = true;
}

void ds_progress_clear(struct ds_progress *p)
{
	if (!p->on || !p->drawn)
		return;
	ssize_t w = write(p->fd, "\r\033[K", 4);
	(void)w;
	p->drawn = false;
}
