/* lsp_rpc.h - the base protocol of the Language Server Protocol: Content-Length framed messages on file descriptors. */
#ifndef DS_CLI_LSP_RPC_H
#define DS_CLI_LSP_RPC_H

#include <stdbool.h>
#include <stddef.h>

/* The largest message body read; a larger one is skipped with an error. */
#define DS_RPC_MAX_BODY (64u << 20)
/* The longest header block; a longer one is discarded with an error. */
#define DS_RPC_MAX_HEADER 8192u

/*
 * A message channel (LSP specification 3.17, "Base Protocol"): each message
 * is a header block of "Name: value" lines ended by an empty line, then
 * Content-Length bytes of JSON. Header lines end in "\r\n" (a bare "\n" is
 * accepted too); names compare without case; Content-Type is ignored (the
 * body is UTF-8, the only encoding the specification defines).
 *
 * A malformed header block (no or a bad Content-Length, an over-long
 * block, a body over DS_RPC_MAX_BODY) is reported once and skipped: the
 * reader resynchronises on the next "Content-Length:" in the input, so one
 * bad message does not end the session.
 */
struct ds_rpc {
	int in_fd, out_fd;
	char *buf;          /* input read but not yet consumed: buf[pos..len) */
	size_t len, cap, pos;
	size_t skip;        /* bytes of an over-large body still to discard */
	bool resync;        /* discarding up to the next Content-Length line */
	bool eof;
};

/* Reads from in_fd and writes to out_fd; neither is closed by the channel. */
void ds_rpc_init(struct ds_rpc *r, int in_fd, int out_fd);
/* Frees the input buffer. */
void ds_rpc_release(struct ds_rpc *r);

/*
 * Reads the next message, blocking as needed. Returns 1 with *body and
 * *len (the JSON text; valid until the next call), 0 at the end of input
 * (a partial message at the end is dropped), or -1 with *err (static,
 * lower case) when a header block was malformed and skipped; the next call
 * goes on with what follows. A read error counts as the end of input.
 */
int ds_rpc_read(struct ds_rpc *r, const char **body, size_t *len, const char **err);

/*
 * Whether reading would not block: a complete message is buffered, or
 * input (or its end) is waiting on in_fd.
 */
bool ds_rpc_pending(struct ds_rpc *r);

/* Writes body[0..len) with its header. Returns 0, or -1 (errno set) when out_fd fails. */
int ds_rpc_write(struct ds_rpc *r, const char *body, size_t len);

#endif
