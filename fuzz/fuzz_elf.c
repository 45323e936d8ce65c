/* fuzz_elf.c - libFuzzer target: the ELF reader on hostile files, whole and as the start of a huge one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "rewrite/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as the first bytes of a file of size bytes whose rest reads as zeros; counts what is read. */
struct file {
	const uint8_t *p;
	size_t len;
	uint64_t size, read;
};

static size_t file_read(void *cookie, uint64_t off, void *dst, size_t n)
{
	struct file *f = cookie;
	f->read += n;
	if (off >= f->size)
		return 0;
	if (n > f->size - off)
		n = (size_t)(f->size - off);
	memset(dst, 0, n);
	if (off < f->len)
		memcpy(dst, f->p + off, n < f->len - off ? n : f->len - (size_t)off);
	return n;
}

/* What every successful read promises; a broken promise aborts. */
static void check(int r, const struct ds_elf_info *e)
{
	if (r == 0) {
		if (e->why || e->nneeded > DS_ELF_MAX_NEEDED || (e->kind == DS_ELF_DYNAMIC) != (e->interp != NULL))
			abort();
		for (size_t i = 0; i < e->nneeded; i++)
			if (!e->needed[i] || !*e->needed[i])
				abort();
		if (e->interp && !*e->interp)
			abort();
	} else if (!e->why || e->nneeded || e->interp) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	check(ds_elf_read_buf(data, size, &a, &e), &e);
	/* the same bytes at the start of a 1 TiB file: offsets far past the input are in the file */
	struct file f = { data, size, (uint64_t)1 << 40, 0 };
	struct ds_elf_file ef = { file_read, &f, f.size };
	check(ds_elf_read(&ef, &a, &e), &e);
	if (f.read > DS_ELF_MAX_READ + 4)
		abort(); /* the budget, and the 4 bytes of magic read before it */
	ds_arena_release(&a);
	return 0;
}
