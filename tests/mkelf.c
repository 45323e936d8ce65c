/*
 * mkelf.c - writes the hand-made ELF files the repository carries: the fuzz seeds of fuzz_elf and the programs of the samples.
 *
 * usage: mkelf ROOT   writes each file below ROOT (the source tree to
 * regenerate them: build/tests/mkelf .); the elf-files suite writes them
 * into a temporary folder and compares, so the committed bytes always come
 * from this table and tests/elfgen.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "elfgen.h"

#define GLIBC_CC_NEEDED { "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6" }
#define GLIBC_VERSIONS { "GLIBC_2.2.5", "GLIBC_2.14", "GLIBC_2.34" }

static const struct {
	const char *path;
	struct elfgen g;
} files[] = {
	/* a C++ server built on Debian: glibc, libstdc++ and libgcc_s (distroless cc) */
	{ "samples/elf-context/bin/server",
	  { .is64 = true, .type = ET_DYN, .interp = "/lib64/ld-linux-x86-64.so.2", .needed = GLIBC_CC_NEEDED,
	    .versions = GLIBC_VERSIONS } },
	/* the same built on Alpine: musl's loader */
	{ "samples/elf-context-musl/bin/server",
	  { .is64 = true, .type = ET_DYN, .interp = "/lib/ld-musl-x86_64.so.1",
	    .needed = { "libstdc++.so.6", "libgcc_s.so.1", "libc.musl-x86_64.so.1" } } },
	{ "fuzz/seeds/fuzz_elf/static-64le", { .is64 = true } },
	{ "fuzz/seeds/fuzz_elf/static-glibc-64be", { .is64 = true, .be = true, .abi_tag = true } },
	{ "fuzz/seeds/fuzz_elf/static-pie-32le", { .type = ET_DYN, .dynamic = true, .abi_tag = true } },
	{ "fuzz/seeds/fuzz_elf/dynamic-cc-64le",
	  { .is64 = true, .type = ET_DYN, .interp = "/lib64/ld-linux-x86-64.so.2", .needed = GLIBC_CC_NEEDED,
	    .versions = GLIBC_VERSIONS } },
	{ "fuzz/seeds/fuzz_elf/dynamic-base-32be",
	  { .be = true, .machine = EM_PPC, .interp = "/lib/ld.so.1", .needed = { "libssl.so.3", "libcrypto.so.3", "libc.so.6" },
	    .versions = { "GLIBC_2.0", "GLIBC_PRIVATE", "GLIBC_ABI_DT_RELR" } } },
	{ "fuzz/seeds/fuzz_elf/dynamic-musl-64be",
	  { .is64 = true, .be = true, .machine = EM_S390, .interp = "/lib/ld-musl-s390x.so.1",
	    .needed = { "libc.musl-s390x.so.1" } } },
	{ "fuzz/seeds/fuzz_elf/library-64le",
	  { .is64 = true, .type = ET_DYN, .needed = { "libc.so.6" }, .soname = "libz.so.1", .versions = { "GLIBC_2.14" } } },
	{ "fuzz/seeds/fuzz_elf/object-32le", { .type = ET_REL } },
};

/* Creates the folders of path below root. */
static int mkdirs(const char *root, const char *path)
{
	char p[4096];
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(p, sizeof p, "%s/%.*s", root, (int)(s - path), path);
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkelf ROOT\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		static unsigned char buf[8192];
		size_t n = elfgen_build(&files[i].g, buf, sizeof buf);
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", argv[1], files[i].path);
		FILE *f = NULL;
		if (!n || mkdirs(argv[1], files[i].path) < 0 || !(f = fopen(p, "wb")) || fwrite(buf, 1, n, f) != n ||
		    fclose(f) != 0) {
			fprintf(stderr, "mkelf: cannot write '%s'\n", p);
			return 1;
		}
		chmod(p, 0755);
	}
	return 0;
}
