/* sha1.h - SHA-1 (FIPS 180-4 §6.1) of a byte string, for report fingerprints; not for security. */
#ifndef DS_COMMON_SHA1_H
#define DS_COMMON_SHA1_H

#include <stddef.h>

/* Writes the SHA-1 of data[0..len) to hex as 40 lower-case hex digits and a NUL (hex holds 41 bytes). */
void ds_sha1_hex(const void *data, size_t len, char hex[41]);

#endif
