/*
 * elfgen.h - tiny hand-made ELF files for tests, fuzz seeds and samples: the tables a loader reads, no code.
 *
 * Header-only so the unit tests (tests/unit/test_elf.c) and the generator of
 * the committed files (tests/mkelf.c) build the same bytes. A file holds the
 * ELF header, its program headers (one PT_LOAD mapping the whole file, then
 * PT_INTERP, PT_DYNAMIC and PT_NOTE as asked), the loader's path, a string
 * table, one Elf_Verneed for libc.so.6 (else the first needed library)
 * with the versions asked of it, glibc's ABI note, and the dynamic section
 * last. Not runnable: there is no code at the entry point.
 */
#ifndef DS_TESTS_ELFGEN_H
#define DS_TESTS_ELFGEN_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct elfgen {
	bool is64, be;            /* class and byte order */
	uint16_t type;            /* ET_EXEC when 0 */
	uint16_t machine;         /* EM_X86_64 (64-bit) or EM_386 when 0 */
	const char *interp;       /* PT_INTERP, or NULL */
	bool dynamic;             /* a PT_DYNAMIC even with nothing below in it (static-pie) */
	const char *needed[16];   /* DT_NEEDED, NULL-terminated */
	const char *soname;       /* DT_SONAME, or NULL */
	const char *versions[8];  /* version names asked of libc.so.6, else of needed[0] (DT_VERNEED), NULL-terminated */
	bool abi_tag;             /* glibc's NT_GNU_ABI_TAG note */
};

static void elfgen_put(unsigned char *p, uint64_t v, size_t n, bool be)
{
	for (size_t i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Sets field f of Elf32_S or Elf64_S (as g says) that starts at p. */
#define ELFGEN_SET_OF(g, p, T, f, v) elfgen_put((p) + offsetof(T, f), (uint64_t)(v), sizeof(((T *)0)->f), (g)->be)
#define ELFGEN_SET(g, p, S, f, v)                                  \
	do {                                                       \
		if ((g)->is64)                                     \
			ELFGEN_SET_OF(g, p, Elf64_##S, f, v);      \
		else                                               \
			ELFGEN_SET_OF(g, p, Elf32_##S, f, v);      \
	} while (0)
#define ELFGEN_SIZE(g, S) ((g)->is64 ? sizeof(Elf64_##S) : sizeof(Elf32_##S))

static size_t elfgen_align(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* Appends string s to the table at tab (length *len); returns its offset. */
static size_t elfgen_str(unsigned char *tab, size_t *len, const char *s)
{
	size_t at = *len, n = strlen(s) + 1;
	memcpy(tab + at, s, n);
	*len += n;
	return at;
}

/* Writes the program header at ph for size bytes at file offset off, loaded at base + off; returns the next one. */
static unsigned char *elfgen_phdr(const struct elfgen *g, unsigned char *ph, uint32_t type, uint32_t flags, size_t off,
				  size_t size, size_t align, uint64_t base)
{
	ELFGEN_SET(g, ph, Phdr, p_type, type);
	ELFGEN_SET(g, ph, Phdr, p_flags, flags);
	ELFGEN_SET(g, ph, Phdr, p_offset, off);
	ELFGEN_SET(g, ph, Phdr, p_vaddr, base + off);
	ELFGEN_SET(g, ph, Phdr, p_paddr, base + off);
	ELFGEN_SET(g, ph, Phdr, p_filesz, size);
	ELFGEN_SET(g, ph, Phdr, p_memsz, size);
	ELFGEN_SET(g, ph, Phdr, p_align, align);
	return ph + ELFGEN_SIZE(g, Phdr);
}

/* Writes the file g describes into out (cap bytes). Returns its length, or 0 when cap is too small. */
static size_t elfgen_build(const struct elfgen *g, unsigned char *out, size_t cap)
{
	unsigned char str[4096];
	size_t slen = 0, nneeded = 0, nver = 0, soname = 0;
	size_t needed_at[16], ver_at[8];
	elfgen_str(str, &slen, "");
	for (; nneeded < 16 && g->needed[nneeded]; nneeded++)
		needed_at[nneeded] = elfgen_str(str, &slen, g->needed[nneeded]);
	if (g->soname)
		soname = elfgen_str(str, &slen, g->soname);
	for (; nneeded && nver < 8 && g->versions[nver]; nver++)
		ver_at[nver] = elfgen_str(str, &slen, g->versions[nver]);
	bool dyn = g->dynamic || nneeded || g->soname;
	size_t nph = 1 + (size_t)(g->interp != NULL) + (size_t)dyn + (size_t)g->abi_tag;
	size_t ehsz = ELFGEN_SIZE(g, Ehdr), phsz = ELFGEN_SIZE(g, Phdr), dynsz = ELFGEN_SIZE(g, Dyn);
	size_t interp_at = ehsz + nph * phsz, ilen = g->interp ? strlen(g->interp) + 1 : 0;
	size_t str_at = interp_at + ilen;
	size_t vn_at = elfgen_align(str_at + slen, 4), vnsz = nver ? sizeof(Elf64_Verneed) + nver * sizeof(Elf64_Vernaux) : 0;
	size_t note_at = elfgen_align(vn_at + vnsz, 4), notesz = g->abi_tag ? 32 : 0;
	size_t ndyn = dyn ? nneeded + (size_t)(g->soname != NULL) + 2 + (nver ? 2 : 0) + 1 : 0;
	size_t dyn_at = elfgen_align(note_at + notesz, 8), total = dyn_at + ndyn * dynsz;
	uint64_t base = g->is64 ? 0x400000 : 0x8048000;
	if (total > cap)
		return 0;
	memset(out, 0, total);

	memcpy(out, ELFMAG, SELFMAG);
	out[EI_CLASS] = g->is64 ? ELFCLASS64 : ELFCLASS32;
	out[EI_DATA] = g->be ? ELFDATA2MSB : ELFDATA2LSB;
	out[EI_VERSION] = EV_CURRENT;
	ELFGEN_SET(g, out, Ehdr, e_type, g->type ? g->type : ET_EXEC);
	ELFGEN_SET(g, out, Ehdr, e_machine, g->machine ? g->machine : g->is64 ? EM_X86_64 : EM_386);
	ELFGEN_SET(g, out, Ehdr, e_version, EV_CURRENT);
	ELFGEN_SET(g, out, Ehdr, e_entry, base + total);
	ELFGEN_SET(g, out, Ehdr, e_phoff, ehsz);
	ELFGEN_SET(g, out, Ehdr, e_ehsize, ehsz);
	ELFGEN_SET(g, out, Ehdr, e_phentsize, phsz);
	ELFGEN_SET(g, out, Ehdr, e_phnum, nph);

	unsigned char *ph = out + ehsz;
	ph = elfgen_phdr(g, ph, PT_LOAD, PF_R | PF_X, 0, total, 0x1000, base);
	if (g->interp) {
		memcpy(out + interp_at, g->interp, ilen);
		ph = elfgen_phdr(g, ph, PT_INTERP, PF_R, interp_at, ilen, 1, base);
	}
	if (dyn)
		ph = elfgen_phdr(g, ph, PT_DYNAMIC, PF_R | PF_W, dyn_at, ndyn * dynsz, 8, base);
	if (g->abi_tag) {
		elfgen_phdr(g, ph, PT_NOTE, PF_R, note_at, notesz, 4, base);
		unsigned char *n = out + note_at;
		elfgen_put(n, 4, 4, g->be);              /* namesz */
		elfgen_put(n + 4, 16, 4, g->be);         /* descsz */
		elfgen_put(n + 8, NT_GNU_ABI_TAG, 4, g->be);
		memcpy(n + 12, "GNU", 4);
		elfgen_put(n + 16, ELF_NOTE_OS_LINUX, 4, g->be);
		elfgen_put(n + 20, 3, 4, g->be);         /* the oldest kernel: 3.2.0 */
		elfgen_put(n + 24, 2, 4, g->be);
		elfgen_put(n + 28, 0, 4, g->be);
	}
	memcpy(out + str_at, str, slen);
	if (nver) {
		/* Elf32_Verneed and Elf64_Verneed (and Vernaux) have the same layout */
		unsigned char *vn = out + vn_at;
		ELFGEN_SET_OF(g, vn, Elf64_Verneed, vn_version, VER_NEED_CURRENT);
		ELFGEN_SET_OF(g, vn, Elf64_Verneed, vn_cnt, nver);
		size_t of = 0;
		for (size_t i = 0; i < nneeded; i++)
			if (!strcmp(g->needed[i], "libc.so.6"))
				of = i;
		ELFGEN_SET_OF(g, vn, Elf64_Verneed, vn_file, needed_at[of]);
		ELFGEN_SET_OF(g, vn, Elf64_Verneed, vn_aux, sizeof(Elf64_Verneed));
		for (size_t i = 0; i < nver; i++) {
			unsigned char *va = vn + sizeof(Elf64_Verneed) + i * sizeof(Elf64_Vernaux);
			ELFGEN_SET_OF(g, va, Elf64_Vernaux, vna_other, i + 2);
			ELFGEN_SET_OF(g, va, Elf64_Vernaux, vna_name, ver_at[i]);
			ELFGEN_SET_OF(g, va, Elf64_Vernaux, vna_next, i + 1 < nver ? sizeof(Elf64_Vernaux) : 0);
		}
	}
	unsigned char *d = out + dyn_at;
#define ELFGEN_DYN(tag, val)                                 \
	do {                                                 \
		ELFGEN_SET(g, d, Dyn, d_tag, tag);           \
		ELFGEN_SET(g, d, Dyn, d_un.d_val, val);      \
		d += dynsz;                                  \
	} while (0)
	if (dyn) {
		for (size_t i = 0; i < nneeded; i++)
			ELFGEN_DYN(DT_NEEDED, needed_at[i]);
		if (g->soname)
			ELFGEN_DYN(DT_SONAME, soname);
		ELFGEN_DYN(DT_STRTAB, base + str_at);
		ELFGEN_DYN(DT_STRSZ, slen);
		if (nver) {
			ELFGEN_DYN(DT_VERNEED, base + vn_at);
			ELFGEN_DYN(DT_VERNEEDNUM, 1);
		}
		ELFGEN_DYN(DT_NULL, 0);
	}
#undef ELFGEN_DYN
	return total;
}

#endif
