/* lsp_rpc.c - Content-Length framing of LSP messages (specification 3.17, Base Protocol); see lsp_rpc.h. */
#include "cli/lsp_rpc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/arena.h"

static const char content_length[] = "content-length:";

void ds_rpc_init(struct ds_rpc *r, int in_fd, int out_fd)
{
	memset(r, 0, sizeof *r);
	r->in_fd = in_fd;
	r->out_fd = out_fd;
}

void ds_rpc_release(struct ds_rpc *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = r->pos = 0;
}

/* Reads more input into the buffer; false at the end of input. */
static bool fill(struct ds_rpc *r)
{
	if (r->eof)
		return false;
	if (r->pos > 0 && r->pos == r->len) {
		r->pos = r->len = 0;
	} else if (r->pos > 65536 && r->pos * 2 > r->len) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < 65536) {
		r->cap = r->cap ? r->cap * 2 : 131072;
		while (r->cap - r->len < 65536)
			r->cap *= 2;
		r->buf = ds_xrealloc(r->buf, r->cap);
	}
	for (;;) {
		ssize_t n = read(r->in_fd, r->buf + r->len, r->cap - r->len);
		if (n > 0) {
			r->len += (size_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		r->eof = true;
		return false;
	}
}

/* Whether buf[i..) starts a header line naming Content-Length. */
static bool at_content_length(const struct ds_rpc *r, size_t i)
{
	size_t n = sizeof content_length - 1;
	return r->len - i >= n && !strncasecmp(r->buf + i, content_length, n);
}

/*
 * Discards input up to the next "Content-Length:" (anywhere: the body of a
 * message without a header runs straight into the next header). Returns
 * true when one is at r->pos, false when more input is needed.
 */
static bool resync(struct ds_rpc *r)
{
	for (size_t i = r->pos; i < r->len; i++) {
		if (at_content_length(r, i)) {
			r->pos = i;
			r->resync = false;
			return true;
		}
	}
	/* keep a possible beginning of the word at the end */
	size_t keep = sizeof content_length;
	if (r->len - r->pos > keep)
		r->pos = r->len - keep;
	return false;
}

/*
 * Parses the header block at r->pos when it is complete: returns 1 with
 * *hlen (block length, empty line included) and *clen, 0 when more input is
 * needed, -1 with *err when it is malformed.
 */
static int parse_header(struct ds_rpc *r, size_t *hlen, size_t *clen, const char **err)
{
	if (r->pos >= r->len)
		return 0; /* nothing buffered (buf may still be NULL) */
	const char *b = r->buf + r->pos;
	size_t avail = r->len - r->pos, i = 0;
	bool have = false, bad = false;
	size_t value = 0;
	for (;;) {
		const char *nl = memchr(b + i, '\n', avail - i);
		if (!nl) {
			if (avail > DS_RPC_MAX_HEADER) {
				*err = "header block too long";
				return -1;
			}
			return 0;
		}
		size_t e = (size_t)(nl - b), le = e;
		if (le > i && b[le - 1] == '\r')
			le--;
		if (le == i) { /* the empty line */
			*hlen = e + 1;
			break;
		}
		size_t n = sizeof content_length - 1;
		if (le - i >= n && !strncasecmp(b + i, content_length, n)) {
			size_t j = i + n;
			while (j < le && (b[j] == ' ' || b[j] == '\t'))
				j++;
			size_t d = j;
			value = 0;
			/* up to 15 digits, so the value is exact and a body too large
			 * to read can still be skipped exactly */
			while (j < le && b[j] >= '0' && b[j] <= '9' && j - d < 15)
				value = value * 10 + (size_t)(b[j++] - '0');
			while (j < le && (b[j] == ' ' || b[j] == '\t'))
				j++;
			if (j == d || j != le)
				bad = true;
			have = true;
		} else if (!memchr(b + i, ':', le - i)) {
			bad = true; /* not a header line at all */
		}
		i = e + 1;
		if (i > DS_RPC_MAX_HEADER) {
			*err = "header block too long";
			return -1;
		}
	}
	if (bad || !have) {
		*err = have ? "bad Content-Length header" : "message without a Content-Length header";
		return -1;
	}
	*clen = value;
	return 1;
}

int ds_rpc_read(struct ds_rpc *r, const char **body, size_t *len, const char **err)
{
	for (;;) {
		if (r->skip) {
			size_t n = r->len - r->pos < r->skip ? r->len - r->pos : r->skip;
			r->pos += n;
			r->skip -= n;
			if (r->skip && !fill(r))
				return 0;
			continue;
		}
		if (r->resync && !resync(r)) {
			if (!fill(r))
				return 0;
			continue;
		}
		size_t hlen, clen;
		int h = parse_header(r, &hlen, &clen, err);
		if (h < 0) {
			r->pos++; /* past the bad block's first byte, then to the next header */
			r->resync = true;
			return -1;
		}
		if (h == 0) {
			if (!fill(r))
				return 0;
			continue;
		}
		if (clen > DS_RPC_MAX_BODY) {
			r->pos += hlen;
			r->skip = clen;
			*err = "message too large";
			return -1;
		}
		while (r->len - r->pos < hlen + clen)
			if (!fill(r))
				return 0;
		*body = r->buf + r->pos + hlen;
		*len = clen;
		r->pos += hlen + clen;
		return 1;
	}
}

bool ds_rpc_pending(struct ds_rpc *r)
{
	if (r->eof)
		return true;
	size_t hlen, clen;
	const char *err;
	if (!r->skip && !r->resync) {
		int h = parse_header(r, &hlen, &clen, &err);
		if (h < 0 || (h > 0 && (clen > DS_RPC_MAX_BODY || r->len - r->pos >= hlen + clen)))
			return true;
	}
	struct pollfd p = { .fd = r->in_fd, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

int ds_rpc_write(struct ds_rpc *r, const char *body, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
	if (write_all(r->out_fd, head, (size_t)n) || write_all(r->out_fd, body, len))
		return -1;
	return 0;
}
