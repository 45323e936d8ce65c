/* elf.h - how an ELF program is linked, from its program headers and dynamic section; nothing is run. */
#ifndef DS_REWRITE_ELF_H
#define DS_REWRITE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_arena;

/*
 * What a file is, as far as running it goes. The ELF reader follows the
 * System V gABI ("ELF Header", "Program Header", "Dynamic Section",
 * "Note Section") and the LSB's symbol versioning (DT_VERNEED).
 */
enum ds_elf_kind {
	DS_ELF_NOT,        /* not an ELF file */
	DS_ELF_BROKEN,     /* an ELF header, but a table is malformed or lies outside the file */
	DS_ELF_OTHER,      /* an ELF file that is no program: an object file, a core dump */
	DS_ELF_LIBRARY,    /* a shared library: DT_NEEDED or a soname, no PT_INTERP */
	DS_ELF_STATIC,     /* no PT_INTERP, no PT_DYNAMIC: needs no loader */
	DS_ELF_STATIC_PIE, /* no PT_INTERP, a PT_DYNAMIC without DT_NEEDED: relocates itself */
	DS_ELF_DYNAMIC,    /* PT_INTERP names the loader that links it */
};

/* The C library a program was built against. */
enum ds_elf_libc {
	DS_ELF_LIBC_NONE,    /* a static program with no glibc inside (Go, musl static) */
	DS_ELF_LIBC_GLIBC,   /* glibc's loader (ld-linux*.so.*, ld64.so.*), or glibc's ABI note in a static one */
	DS_ELF_LIBC_MUSL,    /* musl's loader (ld-musl-*.so.1) */
	DS_ELF_LIBC_UNKNOWN, /* another loader (Android's linker, ...) */
};

/* What ds_elf_read found; strings live in the arena given to it. */
struct ds_elf_info {
	enum ds_elf_kind kind;
	enum ds_elf_libc libc;
	bool is64, big_endian;
	uint16_t machine;        /* e_machine (EM_X86_64, ...) */
	const char *interp;      /* PT_INTERP: the loader's path, or NULL */
	const char **needed;     /* DT_NEEDED sonames in the file's order */
	size_t nneeded;
	const char *glibc;       /* the newest GLIBC_x.y a symbol version asks for ("2.34"), or NULL */
	const char *why;         /* DS_ELF_NOT/BROKEN/OTHER: what is wrong, lower case; else NULL */
};

/*
 * The file to read, piece by piece: read copies up to n bytes at offset off
 * into dst and returns how many it copied (fewer only past the end of the
 * file or on an error). size is the file's size.
 */
struct ds_elf_file {
	size_t (*read)(void *cookie, uint64_t off, void *dst, size_t n);
	void *cookie;
	uint64_t size;
};

/* The most bytes ds_elf_read reads from one file, whatever its size. */
#define DS_ELF_MAX_READ (512 * 1024)

/* The most DT_NEEDED entries kept; a file with more is DS_ELF_BROKEN. */
#define DS_ELF_MAX_NEEDED 512

/*
 * Reads the ELF header, the program headers, PT_INTERP, the dynamic
 * section (DT_NEEDED, DT_VERNEED through DT_STRTAB) and, for a static
 * program, its notes (glibc's ABI tag) of f into *out. 32- and 64-bit files
 * of either byte order; every offset, size and count is checked against the
 * file and bounded, so hostile input is safe: at most DS_ELF_MAX_READ bytes
 * are read in all. Returns 0 when out->kind is STATIC, STATIC_PIE, DYNAMIC
 * or LIBRARY, else -1 with out->why.
 */
int ds_elf_read(const struct ds_elf_file *f, struct ds_arena *a, struct ds_elf_info *out);

/* ds_elf_read of the len bytes at buf. */
int ds_elf_read_buf(const void *buf, size_t len, struct ds_arena *a, struct ds_elf_info *out);

/* "not an ELF file", "static", "static-pie", "dynamic", ...: the kind, for messages. */
const char *ds_elf_kind_name(enum ds_elf_kind k);

/* "glibc", "musl", "no C library", "an unknown C library". */
const char *ds_elf_libc_name(enum ds_elf_libc l);

#endif
