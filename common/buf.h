/* buf.h - growable byte buffer on the heap, for building output text. */
#ifndef DS_COMMON_BUF_H
#define DS_COMMON_BUF_H

#include <stddef.h>

/*
 * A ds_buf owns its heap memory; ds_buf_release() frees it. buf is always
 * NUL-terminated once anything was added (len excludes the NUL).
 */
struct ds_buf {
	char *buf;
	size_t len, cap;
};

#define DS_BUF_INIT { NULL, 0, 0 }

void ds_buf_init(struct ds_buf *b);
void ds_buf_grow(struct ds_buf *b, size_t extra);
void ds_buf_add(struct ds_buf *b, const void *data, size_t n);
void ds_buf_adds(struct ds_buf *b, const char *s);
void ds_buf_addc(struct ds_buf *b, char c);
void ds_buf_addf(struct ds_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Appends s[0..n) as a JSON string literal, quotes included. Control
 * characters and the characters ds_utf8_is_hazard() names are written as
 * \u escapes; a byte that is not valid UTF-8 becomes U+FFFD (see
 * ds_buf_add_base64 for keeping such a string recoverable).
 */
void ds_buf_add_json_str(struct ds_buf *b, const char *s, size_t n);
/* Appends data[0..n) in base64 (RFC 4648, with padding). */
void ds_buf_add_base64(struct ds_buf *b, const void *data, size_t n);
/* Appends the bytes the base64 text s[0..n) encodes; -1 (b partly appended) when it is not base64. */
int ds_buf_add_base64_decoded(struct ds_buf *b, const char *s, size_t n);
/* Appends s[0..n) with XML escapes for text and attribute values. */
void ds_buf_add_xml(struct ds_buf *b, const char *s, size_t n);
void ds_buf_reset(struct ds_buf *b);
/* Hands the memory to the caller (never NULL); the buffer is reset. */
char *ds_buf_detach(struct ds_buf *b, size_t *len);
void ds_buf_release(struct ds_buf *b);

/*
 * Reads the whole file at path into a new heap buffer, NUL-terminated
 * (*len excludes the NUL); the caller frees it. Returns NULL with errno set
 * when the file cannot be opened or read.
 */
char *ds_read_file(const char *path, size_t *len);

#endif
