/* fuzz_shellwords.c - libFuzzer target for BuildKit's word processor. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"
#include "parser/shellwords.h"

static const char *lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	(void)ctx;
	/* a few variables, one with an expansion-looking value */
	static const char *const names[] = { "PWD", "HOME", "X", "EMPTY" };
	static const char *const vals[] = { "/home", "/root", "a b*c", "" };
	for (size_t i = 0; i < 4; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], name, len)) {
			*vlen = strlen(vals[i]);
			return vals[i];
		}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* the first byte picks the mode */
	uint8_t mode = data[0];
	const char *in = (const char *)data + 1;
	size_t len = size - 1;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_shlex lx;
	ds_shlex_init(&lx, (mode & 1) ? '`' : '\\');
	lx.raw_quotes = (mode & 2) != 0;
	lx.raw_escapes = (mode & 4) != 0;
	lx.skip_unset_env = (mode & 8) != 0;
	lx.skip_process_quotes = (mode & 16) != 0;
	if (mode & 32)
		lx.lookup = lookup;
	const char *out, *err;
	size_t olen, n;
	struct ds_shword *words;
	ds_shlex_word(&lx, &a, in, len, &out, &olen, &err);
	ds_shlex_words(&lx, &a, in, len, &words, &n, &err);
	ds_arena_release(&a);
	return 0;
}
