/* test_elf.c - unit tests for rewrite/elf: how a program is linked, on hand-made ELF files of every class and byte order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "elfgen.h"
#include "rewrite/elf.h"

/* The four layouts every case is built in. */
static const struct {
	bool is64, be;
} layouts[] = { { true, false }, { true, true }, { false, false }, { false, true } };

static unsigned char buf[8192];

static size_t build(const struct elfgen *g)
{
	size_t n = elfgen_build(g, buf, sizeof buf);
	assert_true(n > 0);
	return n;
}

static void test_not_elf(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	static const char *const texts[] = { "", "\x7f", "\x7f" "EL", "#!/bin/sh\nexec app\n", "MZ\x90\x00", NULL };
	for (const char *const *t = texts; *t; t++) {
		assert_int_equal(ds_elf_read_buf(*t, strlen(*t), &a, &e), -1);
		assert_int_equal(e.kind, DS_ELF_NOT);
		assert_string_equal(e.why, "not an ELF file");
	}
	/* the magic alone: broken, not "not an ELF file" */
	assert_int_equal(ds_elf_read_buf("\x7f" "ELF", 4, &a, &e), -1);
	assert_int_equal(e.kind, DS_ELF_BROKEN);
	assert_string_equal(e.why, "a table lies outside the file");
	ds_arena_release(&a);
}

static void test_static(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		/* Go, musl static: no loader, no glibc note */
		struct elfgen g = { .is64 = layouts[i].is64, .be = layouts[i].be };
		size_t n = build(&g);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_STATIC);
		assert_int_equal(e.libc, DS_ELF_LIBC_NONE);
		assert_int_equal(e.is64, layouts[i].is64);
		assert_int_equal(e.big_endian, layouts[i].be);
		assert_int_equal(e.machine, layouts[i].is64 ? EM_X86_64 : EM_386);
		assert_null(e.interp);
		assert_int_equal(e.nneeded, 0);
		assert_null(e.why);

		/* glibc static: its start files carry the ABI note */
		g.abi_tag = true;
		n = build(&g);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_STATIC);
		assert_int_equal(e.libc, DS_ELF_LIBC_GLIBC);

		/* static-pie: a dynamic section for its own relocations, nothing needed */
		struct elfgen p = { .is64 = layouts[i].is64, .be = layouts[i].be, .type = ET_DYN, .dynamic = true };
		n = build(&p);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_STATIC_PIE);
		assert_int_equal(e.libc, DS_ELF_LIBC_NONE);
		p.abi_tag = true;
		n = build(&p);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_STATIC_PIE);
		assert_int_equal(e.libc, DS_ELF_LIBC_GLIBC);
	}
	ds_arena_release(&a);
}

static void test_dynamic(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		struct elfgen g = {
			.is64 = layouts[i].is64,
			.be = layouts[i].be,
			.type = ET_DYN,
			.interp = "/lib64/ld-linux-x86-64.so.2",
			.needed = { "libc.so.6", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1" },
			.versions = { "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.17", "GLIBCXX_3.4.30" },
		};
		size_t n = build(&g);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_DYNAMIC);
		assert_int_equal(e.libc, DS_ELF_LIBC_GLIBC);
		assert_string_equal(e.interp, "/lib64/ld-linux-x86-64.so.2");
		assert_int_equal(e.nneeded, 4);
		assert_string_equal(e.needed[0], "libc.so.6");
		assert_string_equal(e.needed[1], "libstdc++.so.6");
		assert_string_equal(e.needed[2], "libm.so.6");
		assert_string_equal(e.needed[3], "libgcc_s.so.1");
		assert_string_equal(e.glibc, "2.34"); /* numerically newest: 2.34 > 2.17 > 2.2.5 */

		/* other loaders of glibc, and musl's */
		static const struct {
			const char *interp;
			enum ds_elf_libc libc;
		} loaders[] = {
			{ "/lib/ld-linux-aarch64.so.1", DS_ELF_LIBC_GLIBC },
			{ "/lib/ld-linux-armhf.so.3", DS_ELF_LIBC_GLIBC },
			{ "/lib/ld-linux.so.2", DS_ELF_LIBC_GLIBC },
			{ "/lib64/ld64.so.2", DS_ELF_LIBC_GLIBC },
			{ "/lib/ld64.so.1", DS_ELF_LIBC_GLIBC },
			{ "/lib/ld-musl-x86_64.so.1", DS_ELF_LIBC_MUSL },
			{ "/lib/ld-musl-aarch64.so.1", DS_ELF_LIBC_MUSL },
			{ "/system/bin/linker64", DS_ELF_LIBC_UNKNOWN },
		};
		for (size_t j = 0; j < sizeof loaders / sizeof *loaders; j++) {
			struct elfgen l = { .is64 = layouts[i].is64, .be = layouts[i].be, .interp = loaders[j].interp,
					    .needed = { "libc.musl-x86_64.so.1" } };
			n = build(&l);
			assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
			assert_int_equal(e.kind, DS_ELF_DYNAMIC);
			assert_int_equal(e.libc, loaders[j].libc);
			assert_string_equal(e.interp, loaders[j].interp);
			assert_null(e.glibc);
		}

		/* a library: needs others, names itself, has no loader */
		struct elfgen lib = { .is64 = layouts[i].is64, .be = layouts[i].be, .type = ET_DYN,
				      .needed = { "libc.so.6" }, .soname = "libz.so.1", .versions = { "GLIBC_2.14" } };
		n = build(&lib);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), 0);
		assert_int_equal(e.kind, DS_ELF_LIBRARY);
		assert_int_equal(e.nneeded, 1);
		assert_string_equal(e.glibc, "2.14");

		/* an object file is no program */
		struct elfgen obj = { .is64 = layouts[i].is64, .be = layouts[i].be, .type = ET_REL };
		n = build(&obj);
		assert_int_equal(ds_elf_read_buf(buf, n, &a, &e), -1);
		assert_int_equal(e.kind, DS_ELF_OTHER);
		assert_string_equal(e.why, "an object file, not a program");
	}
	ds_arena_release(&a);
}

/* Field f of the 64-bit little-endian structure T at p. */
#define SET64(p, T, f, v) elfgen_put((p) + offsetof(T, f), (uint64_t)(v), sizeof(((T *)0)->f), false)

/* The program header of type type in the 64-bit little-endian file at p (whose headers follow the ELF header). */
static unsigned char *phdr_of(unsigned char *p, uint32_t type)
{
	Elf64_Ehdr h;
	memcpy(&h, p, sizeof h);
	for (size_t i = 0; i < h.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, p + h.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type == type)
			return p + h.e_phoff + i * sizeof ph;
	}
	fail_msg("no program header of type %u", type);
	return NULL;
}

/* The first entry with tag of the dynamic section of that file. */
static unsigned char *dyn_of(unsigned char *p, int64_t tag)
{
	Elf64_Phdr ph;
	memcpy(&ph, phdr_of(p, PT_DYNAMIC), sizeof ph);
	for (size_t at = (size_t)ph.p_offset; at < ph.p_offset + ph.p_filesz; at += sizeof(Elf64_Dyn)) {
		Elf64_Dyn d;
		memcpy(&d, p + at, sizeof d);
		if (d.d_tag == tag)
			return p + at;
	}
	fail_msg("no dynamic entry with tag %lld", (long long)tag);
	return NULL;
}

static uint64_t dyn_val(unsigned char *p, int64_t tag)
{
	Elf64_Dyn d;
	memcpy(&d, dyn_of(p, tag), sizeof d);
	return d.d_un.d_val;
}

static const char *why_of(size_t n)
{
	static struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	ds_arena_reset(&a);
	if (ds_elf_read_buf(buf, n, &a, &e) == 0)
		return "ok";
	return e.why;
}

/*
 * Every truncation of the n bytes at file is refused, and every one-byte
 * change (0x00, 0x7f, 0x80, 0xff) is read or refused with a reason, never
 * over-read (the sanitizer build checks).
 */
static void hostile_variants(const unsigned char *file, size_t n)
{
	static unsigned char copy[sizeof buf];
	for (size_t len = 0; len < n; len++) {
		struct ds_arena a = DS_ARENA_INIT;
		struct ds_elf_info e;
		unsigned char *cut = malloc(len ? len : 1);
		assert_non_null(cut);
		memcpy(cut, file, len);
		assert_int_equal(ds_elf_read_buf(cut, len, &a, &e), -1);
		assert_non_null(e.why);
		assert_int_equal(e.nneeded, 0);
		assert_null(e.interp);
		free(cut);
		ds_arena_release(&a);
	}
	static const unsigned char vals[] = { 0x00, 0x7f, 0x80, 0xff };
	for (size_t at = 0; at < n; at++)
		for (size_t v = 0; v < sizeof vals; v++) {
			memcpy(copy, file, n);
			copy[at] = vals[v];
			struct ds_arena a = DS_ARENA_INIT;
			struct ds_elf_info e;
			if (ds_elf_read_buf(copy, n, &a, &e) < 0) {
				assert_non_null(e.why);
				assert_true(e.kind == DS_ELF_NOT || e.kind == DS_ELF_BROKEN || e.kind == DS_ELF_OTHER);
			} else {
				assert_null(e.why);
				assert_true(e.kind >= DS_ELF_LIBRARY);
			}
			ds_arena_release(&a);
		}
}

static void test_hostile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		struct elfgen files[] = {
			{ .is64 = layouts[i].is64, .be = layouts[i].be, .abi_tag = true },
			{ .is64 = layouts[i].is64, .be = layouts[i].be, .type = ET_DYN, .dynamic = true, .abi_tag = true },
			{ .is64 = layouts[i].is64, .be = layouts[i].be, .interp = "/lib/ld-musl-x86_64.so.1",
			  .needed = { "libc.musl-x86_64.so.1" }, .abi_tag = true },
			{ .is64 = layouts[i].is64, .be = layouts[i].be, .type = ET_DYN, .needed = { "libc.so.6" },
			  .soname = "libz.so.1", .versions = { "GLIBC_2.14" } },
		};
		for (size_t j = 0; j < sizeof files / sizeof *files; j++) {
			unsigned char file[sizeof buf];
			size_t n = build(&files[j]);
			memcpy(file, buf, n);
			hostile_variants(file, n);
		}
	}
}

static void test_broken(void **state)
{
	(void)state;
	struct elfgen g = { .is64 = true,
			    .interp = "/lib64/ld-linux-x86-64.so.2",
			    .needed = { "libc.so.6", "libpq.so.5" },
			    .versions = { "GLIBC_2.2.5", "GLIBC_2.38" } };
	size_t n = build(&g);
	assert_string_equal(why_of(n), "ok");
	unsigned char good[sizeof buf];
	memcpy(good, buf, n);
	size_t vn_at = (size_t)(dyn_val(buf, DT_VERNEED) - 0x400000); /* the file is loaded at 0x400000 */
#define RESET() memcpy(buf, good, n)

	/* the class, the byte order, the version */
	buf[EI_CLASS] = 3;
	assert_string_equal(why_of(n), "its class is neither 32- nor 64-bit");
	RESET();
	buf[EI_DATA] = 0;
	assert_string_equal(why_of(n), "its byte order is unknown");
	RESET();
	buf[EI_VERSION] = 2;
	assert_string_equal(why_of(n), "its ELF version is unknown");
	RESET();

	/* program headers: none, too many, too small, outside */
	SET64(buf, Elf64_Ehdr, e_phnum, 0);
	assert_string_equal(why_of(n), "it has no program headers");
	SET64(buf, Elf64_Ehdr, e_phnum, 1025);
	assert_string_equal(why_of(n), "it has more than 1024 program headers");
	RESET();
	SET64(buf, Elf64_Ehdr, e_phentsize, sizeof(Elf64_Phdr) - 1);
	assert_string_equal(why_of(n), "its program headers are too small");
	RESET();
	SET64(buf, Elf64_Ehdr, e_phoff, UINT64_MAX - 8);
	assert_string_equal(why_of(n), "its program headers lie outside the file");
	SET64(buf, Elf64_Ehdr, e_phoff, n - 10);
	assert_string_equal(why_of(n), "a table lies outside the file");
	RESET();

	/* PN_XNUM: the count is in section 0, which this file lacks */
	SET64(buf, Elf64_Ehdr, e_phnum, PN_XNUM);
	assert_string_equal(why_of(n), "its section headers are too small");
	SET64(buf, Elf64_Ehdr, e_shentsize, sizeof(Elf64_Shdr));
	SET64(buf, Elf64_Ehdr, e_shoff, n);
	assert_string_equal(why_of(n), "a table lies outside the file");
	RESET();

	/* two loaders */
	SET64(phdr_of(buf, PT_DYNAMIC), Elf64_Phdr, p_type, PT_INTERP);
	assert_string_equal(why_of(n), "it has two PT_INTERP headers");
	RESET();

	/* the loader's path: unterminated, empty, outside */
	unsigned char *interp = phdr_of(buf, PT_INTERP);
	SET64(interp, Elf64_Phdr, p_filesz, strlen("/lib64/ld-linux-x86-64.so.2"));
	assert_string_equal(why_of(n), "its PT_INTERP is not a terminated path");
	SET64(interp, Elf64_Phdr, p_filesz, 0);
	assert_string_equal(why_of(n), "its PT_INTERP is empty or too long");
	SET64(interp, Elf64_Phdr, p_filesz, 8);
	SET64(interp, Elf64_Phdr, p_offset, UINT64_MAX - 4);
	assert_string_equal(why_of(n), "a table lies outside the file");
	RESET();

	/* DT_NEEDED names: outside the string table, empty, without their end */
	unsigned char *pq = dyn_of(buf, DT_NEEDED) + sizeof(Elf64_Dyn); /* the second DT_NEEDED */
	SET64(pq, Elf64_Dyn, d_un.d_val, 4000);
	assert_string_equal(why_of(n), "a name lies outside its string table");
	SET64(pq, Elf64_Dyn, d_un.d_val, UINT64_MAX);
	assert_string_equal(why_of(n), "a name lies outside its string table");
	SET64(pq, Elf64_Dyn, d_un.d_val, 0);
	assert_string_equal(why_of(n), "a name in the string table is empty");
	RESET();
	SET64(dyn_of(buf, DT_STRSZ), Elf64_Dyn, d_un.d_val, 1 + strlen("libc.so.6") + 1 + 3); /* cuts "libpq.so.5" short */
	assert_string_equal(why_of(n), "a name in the string table is not terminated");
	RESET();
	SET64(dyn_of(buf, DT_STRSZ), Elf64_Dyn, d_un.d_val, UINT64_MAX); /* bounded by its segment instead */
	assert_string_equal(why_of(n), "ok");
	RESET();
	unsigned char *strtab = dyn_of(buf, DT_STRTAB);
	SET64(strtab, Elf64_Dyn, d_un.d_val, 0x100); /* below the load address */
	assert_string_equal(why_of(n), "its DT_STRTAB is in no loaded segment");
	SET64(strtab, Elf64_Dyn, d_un.d_val, UINT64_MAX);
	assert_string_equal(why_of(n), "its DT_STRTAB is in no loaded segment");
	SET64(strtab, Elf64_Dyn, d_tag, DT_DEBUG);
	assert_string_equal(why_of(n), "its dynamic section has no DT_STRTAB");
	RESET();
	/* a load segment that claims to reach past the end of the address space */
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_offset, UINT64_MAX - 0x10);
	assert_string_equal(why_of(n), "a loaded segment lies outside the file (is it truncated?)");
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_offset, 1);
	assert_string_equal(why_of(n), "a loaded segment lies outside the file (is it truncated?)");
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_offset, n);
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_filesz, 0);
	assert_string_equal(why_of(n), "its DT_STRTAB is in no loaded segment");
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_offset, 0);
	SET64(phdr_of(buf, PT_LOAD), Elf64_Phdr, p_filesz, 0x110); /* ends inside the string table, in "libpq.so.5" */
	assert_string_equal(why_of(n), "a name in the string table is not terminated");
	RESET();

	/* version needs: the count, vn_next and vna_next bound the walk; offsets only go forward */
	SET64(dyn_of(buf, DT_VERNEEDNUM), Elf64_Dyn, d_un.d_val, 0); /* walk until vn_next is 0 */
	assert_string_equal(why_of(n), "ok");
	SET64(dyn_of(buf, DT_VERNEEDNUM), Elf64_Dyn, d_un.d_val, 0xffffffffu);
	assert_string_equal(why_of(n), "ok"); /* vn_next 0 ends it whatever the count */
	SET64(buf + vn_at, Elf64_Verneed, vn_next, 0xffffffffu);
	assert_string_equal(why_of(n), "a table lies outside the file");
	SET64(buf + vn_at, Elf64_Verneed, vn_next, 0);
	unsigned char *aux1 = buf + vn_at + sizeof(Elf64_Verneed) + sizeof(Elf64_Vernaux);
	SET64(buf + vn_at, Elf64_Verneed, vn_cnt, 0xffff);
	SET64(aux1, Elf64_Vernaux, vna_next, 0xfffffff0u); /* not back by 16: forward by 4 GiB */
	assert_string_equal(why_of(n), "a table lies outside the file");
	SET64(aux1, Elf64_Vernaux, vna_next, 0);
	assert_string_equal(why_of(n), "ok");
	SET64(buf + vn_at, Elf64_Verneed, vn_version, 7);
	assert_string_equal(why_of(n), "a DT_VERNEED entry has an unknown version");
	RESET();
	SET64(dyn_of(buf, DT_VERNEED), Elf64_Dyn, d_un.d_val, 0x10);
	assert_string_equal(why_of(n), "its DT_VERNEED is in no loaded segment");
	RESET();

	hostile_variants(good, n);
#undef RESET
}

/* A file that counts what is read of it; past len it reads as zeros up to size. */
struct counted {
	const unsigned char *p;
	size_t len;
	uint64_t read;
};

static size_t counted_read(void *cookie, uint64_t off, void *dst, size_t n)
{
	struct counted *c = cookie;
	c->read += n;
	memset(dst, 0, n);
	if (off < c->len)
		memcpy(dst, c->p + off, n < c->len - off ? n : c->len - (size_t)off);
	return n;
}

static void test_bounded_reads(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_elf_info e;
	struct elfgen g = { .is64 = true, .interp = "/lib64/ld-linux-x86-64.so.2", .needed = { "libc.so.6" } };
	size_t n = build(&g);
	size_t big_len = 4 << 20;
	unsigned char *big = calloc(1, big_len);
	assert_non_null(big);

	/* 1024 program headers 64 KiB apart in a 1 GiB file: read one by one, within the budget */
	memcpy(big, buf, n);
	SET64(big, Elf64_Ehdr, e_phnum, 1024);
	SET64(big, Elf64_Ehdr, e_phentsize, 0xffff);
	struct counted c = { big, big_len, 0 };
	struct ds_elf_file f = { counted_read, &c, 1u << 30 };
	ds_elf_read(&f, &a, &e);
	assert_true(c.read <= DS_ELF_MAX_READ);

	/* a dynamic section far longer than 64 KiB with no DT_NULL in reach */
	memcpy(big, buf, n);
	unsigned char *dyn = phdr_of(big, PT_DYNAMIC);
	SET64(dyn, Elf64_Phdr, p_offset, 1 << 20);
	SET64(dyn, Elf64_Phdr, p_filesz, 0xffffffffull);
	for (size_t at = 1 << 20; at < (1 << 20) + (128 << 10); at += sizeof(Elf64_Dyn))
		SET64(big + at, Elf64_Dyn, d_tag, DT_DEBUG);
	c.read = 0;
	f.size = big_len;
	assert_int_equal(ds_elf_read(&f, &a, &e), -1);
	assert_string_equal(e.why, "its dynamic section is longer than 64 KiB");
	assert_true(c.read <= DS_ELF_MAX_READ);

	/* 512 DT_NEEDED entries are read (the same name each time); a 513th is refused */
	memcpy(big, buf, n);
	memset(big + n, 0, big_len - n);
	uint64_t strtab = dyn_val(buf, DT_STRTAB), strsz = dyn_val(buf, DT_STRSZ), libc = dyn_val(buf, DT_NEEDED);
	for (size_t count = 512; count <= 513; count++) {
		size_t at = 1 << 20, start = at;
		for (size_t i = 0; i < count; i++, at += sizeof(Elf64_Dyn)) {
			SET64(big + at, Elf64_Dyn, d_tag, DT_NEEDED);
			SET64(big + at, Elf64_Dyn, d_un.d_val, libc);
		}
		SET64(big + at, Elf64_Dyn, d_tag, DT_STRTAB);
		SET64(big + at, Elf64_Dyn, d_un.d_val, strtab);
		at += sizeof(Elf64_Dyn);
		SET64(big + at, Elf64_Dyn, d_tag, DT_STRSZ);
		SET64(big + at, Elf64_Dyn, d_un.d_val, strsz);
		at += 2 * sizeof(Elf64_Dyn); /* and DT_NULL */
		dyn = phdr_of(big, PT_DYNAMIC);
		SET64(dyn, Elf64_Phdr, p_offset, start);
		SET64(dyn, Elf64_Phdr, p_filesz, at - start);
		c.read = 0;
		int r = ds_elf_read(&f, &a, &e);
		assert_true(c.read <= DS_ELF_MAX_READ);
		if (count == 512) {
			assert_int_equal(r, 0);
			assert_int_equal(e.nneeded, 512);
			assert_string_equal(e.needed[511], "libc.so.6");
		} else {
			assert_int_equal(r, -1);
			assert_string_equal(e.why, "it needs more than 512 libraries");
		}
	}
	free(big);
	ds_arena_release(&a);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ds_elf_kind_name(DS_ELF_STATIC_PIE), "statically linked (static-pie)");
	assert_string_equal(ds_elf_kind_name(DS_ELF_DYNAMIC), "dynamically linked");
	assert_string_equal(ds_elf_libc_name(DS_ELF_LIBC_MUSL), "musl");
	assert_string_equal(ds_elf_libc_name(DS_ELF_LIBC_NONE), "no C library");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_dynamic),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_bounded_reads),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
