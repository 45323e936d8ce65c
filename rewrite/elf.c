/*
 * elf.c - how an ELF program is linked, from its program headers and dynamic section; nothing is run.
 *
 * Follows the System V gABI (ELF header, program header, dynamic section,
 * note section) and the LSB's symbol versioning (Elf_Verneed, Elf_Vernaux).
 * Only what a loader reads is read: the program headers and what they point
 * at (PT_INTERP, PT_DYNAMIC, PT_NOTE), with DT_STRTAB and DT_VERNEED found
 * through the PT_LOAD segments that map them; section headers are not
 * trusted (stripped and packed programs lie in them), except for the
 * PN_XNUM escape the gABI defines. Every field is decoded byte by byte in
 * the file's byte order, so the reader works the same on any host, and
 * every offset, size and count is checked before it is used.
 */
#include "rewrite/elf.h"

#include <elf.h>
#include <string.h>

#include "common/arena.h"

/* Limits on hostile input; real programs stay far below them. */
enum {
	MAX_PHDRS = 1024,        /* program headers looked at */
	MAX_INTERP = 4096,       /* bytes of PT_INTERP (PATH_MAX) */
	MAX_DYNAMIC = 64 * 1024, /* bytes of PT_DYNAMIC read */
	MAX_SONAME = 256,        /* bytes of one DT_NEEDED name */
	MAX_VERNAME = 32,        /* bytes of one version name ("GLIBC_2.34") */
	MAX_VERNEED = 64,        /* Elf_Verneed entries (one a library) */
	MAX_VERNAUX = 256,       /* Elf_Vernaux entries in all */
	MAX_NOTES = 16,          /* PT_NOTE segments */
	MAX_NOTE_BYTES = 4096,   /* bytes of one PT_NOTE read */
};

struct seg {
	uint64_t off, vaddr, filesz, align;
};

struct rd {
	const struct ds_elf_file *f;
	struct ds_arena *a;
	bool is64, be;
	uint64_t budget; /* bytes left to read */
	const char *why; /* what made the file broken */
};

/* An unsigned number of n bytes (1, 2, 4 or 8) at p, in the file's byte order. */
static uint64_t num(const struct rd *r, const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = r->be ? v << 8 | p[i] : v | (uint64_t)p[i] << (8 * i);
	return v;
}

/* Field f of the structure Elf32_S or Elf64_S (as the file's class says) that starts at p. */
#define FIELD_OF(r, p, T, f) num(r, (p) + offsetof(T, f), sizeof(((T *)0)->f))
#define FIELD(r, p, S, f) ((r)->is64 ? FIELD_OF(r, p, Elf64_##S, f) : FIELD_OF(r, p, Elf32_##S, f))
#define SIZE(r, S) ((r)->is64 ? sizeof(Elf64_##S) : sizeof(Elf32_##S))

static int broken(struct rd *r, const char *why)
{
	if (!r->why)
		r->why = why;
	return -1;
}

/*
 * Reads n bytes at off into dst. Returns 0, or -1 (the file broken) when
 * they are not all inside the file or the read budget is spent.
 */
static int get(struct rd *r, uint64_t off, void *dst, size_t n)
{
	if (off > r->f->size || n > r->f->size - off)
		return broken(r, "a table lies outside the file");
	if (n > r->budget)
		return broken(r, "reading it would take more than 512 KiB");
	r->budget -= n;
	if (r->f->read(r->f->cookie, off, dst, n) != n)
		return broken(r, "the file could not be read");
	return 0;
}

/*
 * The NUL-terminated string at offset idx of a string table of size tabsz
 * at file offset tab, copied into the arena as *s; *s is NULL when it is
 * max bytes or longer. Returns -1 (the file broken) when it is empty or
 * leaves the table or the file.
 */
static int string_at(struct rd *r, uint64_t tab, uint64_t tabsz, uint64_t idx, size_t max, const char **s)
{
	*s = NULL;
	if (idx >= tabsz || tab > r->f->size || idx > r->f->size - tab)
		return broken(r, "a name lies outside its string table");
	uint64_t room = tabsz - idx, left = r->f->size - tab - idx;
	size_t n = (size_t)(room < max ? room : max);
	if (left < n)
		n = (size_t)left;
	char buf[MAX_SONAME];
	if (get(r, tab + idx, buf, n) < 0)
		return -1;
	const char *nul = memchr(buf, '\0', n);
	if (nul == buf)
		return broken(r, "a name in the string table is empty");
	if (!nul && n < max)
		return broken(r, "a name in the string table is not terminated");
	if (nul)
		*s = ds_arena_strndup(r->a, buf, (size_t)(nul - buf));
	return 0;
}

/*
 * The file offset of virtual address v, through the PT_LOAD segment
 * holding it, and how many bytes of that segment follow it in the file;
 * -1 when no segment holds it.
 */
static int vaddr_to_off(const struct seg *loads, size_t nloads, uint64_t v, uint64_t *off, uint64_t *room)
{
	for (size_t i = 0; i < nloads; i++) {
		const struct seg *s = &loads[i];
		if (v >= s->vaddr && v - s->vaddr < s->filesz) {
			/* no overflow: the segment lies inside the file */
			*off = s->off + (v - s->vaddr);
			*room = s->filesz - (v - s->vaddr);
			return 0;
		}
	}
	return -1;
}

/* <0, 0, >0 as dotted version a is older, the same, newer than b ("2.2.5" < "2.17"). */
static int vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = 0, y = 0;
		while (*a >= '0' && *a <= '9')
			x = x * 10 + (unsigned long)(*a++ - '0');
		while (*b >= '0' && *b <= '9')
			y = y * 10 + (unsigned long)(*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

/* The glibc release a version name asks for: "2.34" for GLIBC_2.34, NULL for another library's. */
static const char *glibc_version(const char *name)
{
	/* marks the loader of glibc 2.36 and later understands DT_RELR (glibc's NEWS for 2.36) */
	if (!strcmp(name, "GLIBC_ABI_DT_RELR"))
		return "2.36";
	if (strncmp(name, "GLIBC_", 6) != 0 || name[6] < '0' || name[6] > '9')
		return NULL; /* GLIBC_PRIVATE, GLIBCXX_3.4, ... */
	for (const char *s = name + 6; *s; s++)
		if (!(*s == '.' || (*s >= '0' && *s <= '9')) || (s[0] == '.' && (s[1] < '0' || s[1] > '9')))
			return NULL;
	return name + 6;
}

/*
 * Walks the Elf_Verneed entries at file offset off (count of them, or
 * until vn_next is 0 when count is 0) and keeps the newest glibc version
 * their names ask for in out->glibc. Returns -1 when the file is broken.
 */
static int read_verneed(struct rd *r, uint64_t off, uint64_t count, uint64_t strtab, uint64_t strsz,
			struct ds_elf_info *out)
{
	size_t naux = 0;
	for (uint64_t i = 0; count == 0 || i < count; i++) {
		if (i >= MAX_VERNEED)
			return broken(r, "too many DT_VERNEED entries");
		unsigned char vn[sizeof(Elf64_Verneed)];
		if (get(r, off, vn, sizeof vn) < 0)
			return -1;
		/* Elf32_Verneed and Elf64_Verneed have the same layout */
		uint64_t cnt = FIELD_OF(r, vn, Elf64_Verneed, vn_cnt);
		uint64_t aux = FIELD_OF(r, vn, Elf64_Verneed, vn_aux);
		uint64_t next = FIELD_OF(r, vn, Elf64_Verneed, vn_next);
		if (FIELD_OF(r, vn, Elf64_Verneed, vn_version) != VER_NEED_CURRENT)
			return broken(r, "a DT_VERNEED entry has an unknown version");
		uint64_t ao = off + aux; /* no overflow: off < 2^63 after get, aux < 2^32 */
		for (uint64_t j = 0; j < cnt; j++) {
			if (++naux > MAX_VERNAUX)
				return broken(r, "too many symbol versions");
			unsigned char va[sizeof(Elf64_Vernaux)];
			if (get(r, ao, va, sizeof va) < 0)
				return -1;
			const char *name;
			if (string_at(r, strtab, strsz, FIELD_OF(r, va, Elf64_Vernaux, vna_name), MAX_VERNAME, &name) < 0)
				return -1;
			const char *v = name ? glibc_version(name) : NULL;
			if (v && (!out->glibc || vercmp(v, out->glibc) > 0))
				out->glibc = v;
			uint64_t an = FIELD_OF(r, va, Elf64_Vernaux, vna_next);
			if (!an)
				break;
			ao += an;
		}
		if (!next)
			break;
		off += next;
	}
	return 0;
}

/* Whether the notes of a PT_NOTE segment (align 4 or 8) hold glibc's ABI tag (NT_GNU_ABI_TAG, owner "GNU"). */
static bool has_abi_tag(const struct rd *r, const unsigned char *p, size_t n, uint64_t align)
{
	size_t al = align == 8 ? 8 : 4, at = 0;
	while (n - at >= 12) {
		uint64_t namesz = num(r, p + at, 4), descsz = num(r, p + at + 4, 4), type = num(r, p + at + 8, 4);
		uint64_t name_end = 12 + ((namesz + al - 1) & ~(uint64_t)(al - 1));
		uint64_t end = name_end + ((descsz + al - 1) & ~(uint64_t)(al - 1));
		if (end > n - at)
			return false;
		if (namesz == 4 && !memcmp(p + at + 12, "GNU", 4) && type == NT_GNU_ABI_TAG)
			return true;
		at += (size_t)end;
	}
	return false;
}

/* The C library a loader belongs to, by the name of its file. */
static enum ds_elf_libc libc_of_interp(const char *interp)
{
	const char *b = strrchr(interp, '/');
	b = b ? b + 1 : interp;
	if (!strncmp(b, "ld-musl-", 8))
		return DS_ELF_LIBC_MUSL;
	/* ld-linux-x86-64.so.2, ld-linux-aarch64.so.1, ld-linux.so.2, ld-linux-armhf.so.3,
	 * ld-linux-riscv64-lp64d.so.1, ld64.so.2 (ppc64le), ld64.so.1 (s390x), ld.so.1 (mips, ppc32) */
	if (!strncmp(b, "ld-linux", 8) || !strncmp(b, "ld64.so.", 8) || !strcmp(b, "ld.so.1"))
		return DS_ELF_LIBC_GLIBC;
	return DS_ELF_LIBC_UNKNOWN;
}

static int read_elf(struct rd *r, struct ds_elf_info *out)
{
	unsigned char h[sizeof(Elf64_Ehdr)];
	if (r->f->size < SELFMAG || r->f->read(r->f->cookie, 0, h, SELFMAG) != SELFMAG || memcmp(h, ELFMAG, SELFMAG)) {
		out->kind = DS_ELF_NOT;
		out->why = "not an ELF file";
		return -1;
	}
	out->kind = DS_ELF_BROKEN;
	if (get(r, 0, h, EI_NIDENT) < 0)
		return -1;
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return broken(r, "its class is neither 32- nor 64-bit");
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return broken(r, "its byte order is unknown");
	if (h[EI_VERSION] != EV_CURRENT)
		return broken(r, "its ELF version is unknown");
	r->is64 = out->is64 = h[EI_CLASS] == ELFCLASS64;
	r->be = out->big_endian = h[EI_DATA] == ELFDATA2MSB;
	if (get(r, EI_NIDENT, h + EI_NIDENT, SIZE(r, Ehdr) - EI_NIDENT) < 0)
		return -1;
	uint64_t type = FIELD(r, h, Ehdr, e_type);
	out->machine = (uint16_t)FIELD(r, h, Ehdr, e_machine);
	if (type != ET_EXEC && type != ET_DYN) {
		out->kind = DS_ELF_OTHER;
		out->why = type == ET_REL ? "an object file, not a program" : type == ET_CORE ? "a core dump, not a program"
										   : "an ELF file of an unknown type";
		return -1;
	}

	/* the program headers; PN_XNUM says their count is sh_info of section 0 */
	uint64_t phoff = FIELD(r, h, Ehdr, e_phoff), phentsize = FIELD(r, h, Ehdr, e_phentsize);
	uint64_t phnum = FIELD(r, h, Ehdr, e_phnum);
	if (phnum == PN_XNUM) {
		unsigned char sh[sizeof(Elf64_Shdr)];
		if (FIELD(r, h, Ehdr, e_shentsize) < SIZE(r, Shdr))
			return broken(r, "its section headers are too small");
		if (get(r, FIELD(r, h, Ehdr, e_shoff), sh, SIZE(r, Shdr)) < 0)
			return -1;
		phnum = FIELD(r, sh, Shdr, sh_info);
	}
	if (!phnum)
		return broken(r, "it has no program headers");
	if (phnum > MAX_PHDRS)
		return broken(r, "it has more than 1024 program headers");
	if (phentsize < SIZE(r, Phdr))
		return broken(r, "its program headers are too small");
	struct seg *loads = ds_arena_alloc(r->a, (size_t)phnum * sizeof *loads);
	struct seg notes[MAX_NOTES];
	size_t nloads = 0, nnotes = 0;
	struct seg interp = { 0 }, dyn = { 0 };
	bool has_interp = false, has_dyn = false;
	/* no overflow below: phoff is inside the file, i * phentsize < 2^26 */
	if (phoff > r->f->size)
		return broken(r, "its program headers lie outside the file");
	for (uint64_t i = 0; i < phnum; i++) {
		unsigned char ph[sizeof(Elf64_Phdr)];
		if (get(r, phoff + i * phentsize, ph, SIZE(r, Phdr)) < 0)
			return -1;
		struct seg s = { FIELD(r, ph, Phdr, p_offset), FIELD(r, ph, Phdr, p_vaddr), FIELD(r, ph, Phdr, p_filesz),
				 FIELD(r, ph, Phdr, p_align) };
		switch (FIELD(r, ph, Phdr, p_type)) {
		case PT_LOAD:
			/* a truncated copy of a program: the loader would map pages the file lacks */
			if (s.off > r->f->size || s.filesz > r->f->size - s.off)
				return broken(r, "a loaded segment lies outside the file (is it truncated?)");
			loads[nloads++] = s;
			break;
		case PT_INTERP:
			if (has_interp)
				return broken(r, "it has two PT_INTERP headers");
			interp = s;
			has_interp = true;
			break;
		case PT_DYNAMIC:
			if (has_dyn)
				return broken(r, "it has two PT_DYNAMIC headers");
			dyn = s;
			has_dyn = true;
			break;
		case PT_NOTE:
			if (nnotes < MAX_NOTES)
				notes[nnotes++] = s;
			break;
		default:
			break;
		}
	}

	if (has_interp) {
		if (!interp.filesz || interp.filesz > MAX_INTERP)
			return broken(r, "its PT_INTERP is empty or too long");
		char buf[MAX_INTERP];
		if (get(r, interp.off, buf, (size_t)interp.filesz) < 0)
			return -1;
		const char *nul = memchr(buf, '\0', (size_t)interp.filesz);
		if (!nul || nul == buf)
			return broken(r, "its PT_INTERP is not a terminated path");
		out->interp = ds_arena_strndup(r->a, buf, (size_t)(nul - buf));
	}

	bool has_soname = false;
	if (has_dyn) {
		size_t esz = SIZE(r, Dyn);
		uint64_t n = dyn.filesz < MAX_DYNAMIC ? dyn.filesz : MAX_DYNAMIC;
		n -= n % esz;
		unsigned char *d = ds_arena_alloc(r->a, n ? (size_t)n : 1);
		if (get(r, dyn.off, d, (size_t)n) < 0)
			return -1;
		uint64_t needed[DS_ELF_MAX_NEEDED];
		size_t nneeded = 0;
		uint64_t strtab = 0, strsz = 0, verneed = 0, verneednum = 0;
		bool has_strtab = false, has_strsz = false, has_verneed = false, ended = false;
		for (size_t at = 0; at < n; at += esz) {
			uint64_t tag = FIELD(r, d + at, Dyn, d_tag), val = FIELD(r, d + at, Dyn, d_un.d_val);
			if (tag == DT_NULL) {
				ended = true;
				break;
			}
			switch (tag) {
			case DT_NEEDED:
				if (nneeded == DS_ELF_MAX_NEEDED)
					return broken(r, "it needs more than 512 libraries");
				needed[nneeded++] = val;
				break;
			case DT_SONAME: has_soname = true; break;
			case DT_STRTAB: strtab = val; has_strtab = true; break;
			case DT_STRSZ: strsz = val; has_strsz = true; break;
			case DT_VERNEED: verneed = val; has_verneed = true; break;
			case DT_VERNEEDNUM: verneednum = val; break;
			default: break;
			}
		}
		if (!ended && dyn.filesz > MAX_DYNAMIC)
			return broken(r, "its dynamic section is longer than 64 KiB");
		uint64_t stroff = 0, room = 0;
		if (nneeded || has_verneed) {
			if (!has_strtab)
				return broken(r, "its dynamic section has no DT_STRTAB");
			if (vaddr_to_off(loads, nloads, strtab, &stroff, &room) < 0)
				return broken(r, "its DT_STRTAB is in no loaded segment");
			if (!has_strsz || strsz > room)
				strsz = room; /* the table ends with its segment at the latest */
		}
		out->needed = ds_arena_alloc(r->a, (nneeded ? nneeded : 1) * sizeof *out->needed);
		for (size_t i = 0; i < nneeded; i++) {
			const char *so;
			if (string_at(r, stroff, strsz, needed[i], MAX_SONAME, &so) < 0)
				return -1;
			if (!so)
				return broken(r, "a library it needs has a name of 256 bytes or more");
			out->needed[out->nneeded++] = so;
		}
		uint64_t vnoff;
		if (has_verneed) {
			if (vaddr_to_off(loads, nloads, verneed, &vnoff, &room) < 0)
				return broken(r, "its DT_VERNEED is in no loaded segment");
			if (read_verneed(r, vnoff, verneednum, stroff, strsz, out) < 0)
				return -1;
		}
	}

	if (has_interp) {
		out->kind = DS_ELF_DYNAMIC;
		out->libc = libc_of_interp(out->interp);
		return 0;
	}
	if (out->nneeded || has_soname) {
		out->kind = DS_ELF_LIBRARY;
		out->libc = DS_ELF_LIBC_UNKNOWN;
		return 0;
	}
	/* glibc's start files carry its ABI tag; Go's and musl's do not */
	enum ds_elf_libc libc = DS_ELF_LIBC_NONE;
	for (size_t i = 0; i < nnotes && libc == DS_ELF_LIBC_NONE; i++) {
		unsigned char buf[MAX_NOTE_BYTES];
		size_t n = (size_t)(notes[i].filesz < MAX_NOTE_BYTES ? notes[i].filesz : MAX_NOTE_BYTES);
		if (get(r, notes[i].off, buf, n) < 0)
			return -1;
		if (has_abi_tag(r, buf, n, notes[i].align))
			libc = DS_ELF_LIBC_GLIBC;
	}
	out->kind = has_dyn ? DS_ELF_STATIC_PIE : DS_ELF_STATIC;
	out->libc = libc;
	return 0;
}

int ds_elf_read(const struct ds_elf_file *f, struct ds_arena *a, struct ds_elf_info *out)
{
	memset(out, 0, sizeof *out);
	struct rd r = { .f = f, .a = a, .budget = DS_ELF_MAX_READ };
	if (read_elf(&r, out) == 0)
		return 0;
	if (r.why || out->kind == DS_ELF_BROKEN) {
		out->kind = DS_ELF_BROKEN;
		out->why = r.why ? r.why : "it is malformed";
	}
	out->libc = DS_ELF_LIBC_UNKNOWN;
	out->interp = NULL;
	out->needed = NULL;
	out->nneeded = 0;
	out->glibc = NULL;
	return -1;
}

struct mem {
	const unsigned char *p;
	size_t len;
};

static size_t mem_read(void *cookie, uint64_t off, void *dst, size_t n)
{
	const struct mem *m = cookie;
	if (off >= m->len)
		return 0;
	if (n > m->len - off)
		n = m->len - (size_t)off;
	memcpy(dst, m->p + off, n);
	return n;
}

int ds_elf_read_buf(const void *buf, size_t len, struct ds_arena *a, struct ds_elf_info *out)
{
	struct mem m = { buf, len };
	struct ds_elf_file f = { mem_read, &m, len };
	return ds_elf_read(&f, a, out);
}

const char *ds_elf_kind_name(enum ds_elf_kind k)
{
	switch (k) {
	case DS_ELF_NOT: return "not an ELF file";
	case DS_ELF_BROKEN: return "a malformed ELF file";
	case DS_ELF_OTHER: return "an ELF file that is no program";
	case DS_ELF_LIBRARY: return "a shared library";
	case DS_ELF_STATIC: return "statically linked";
	case DS_ELF_STATIC_PIE: return "statically linked (static-pie)";
	case DS_ELF_DYNAMIC: return "dynamically linked";
	}
	return "?";
}

const char *ds_elf_libc_name(enum ds_elf_libc l)
{
	switch (l) {
	case DS_ELF_LIBC_NONE: return "no C library";
	case DS_ELF_LIBC_GLIBC: return "glibc";
	case DS_ELF_LIBC_MUSL: return "musl";
	case DS_ELF_LIBC_UNKNOWN: return "an unknown C library";
	}
	return "?";
}
