/* config_find.c - the upward search for .distill.yaml and .hadolint.yaml; see config_find.h. */
#include "cli/config_find.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/arena.h"

static bool regular_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first of names[0..n) found in dir or above, or NULL. */
static char *search_up(const char *dir, const char *const *names, size_t n)
{
	size_t dl = strlen(dir);
	char *cand = ds_xmalloc(dl + 32);
	memcpy(cand, dir, dl + 1);
	for (;;) {
		/* cand[0..dl) is the folder, without a trailing slash ("" for the root) */
		while (dl > 0 && cand[dl - 1] == '/')
			dl--;
		for (size_t k = 0; k < n; k++) {
			snprintf(cand + dl, 32, "/%s", names[k]);
			if (regular_file(cand))
				return cand;
		}
		if (dl == 0)
			break;
		while (dl > 0 && cand[dl - 1] != '/')
			dl--; /* up one folder */
	}
	free(cand);
	return NULL;
}

char *ds_cli_config_find(const char *dir, enum ds_config_dialect *dialect)
{
	static const char *const distill[] = { ".distill.yaml", ".distill.yml" };
	static const char *const hadolint[] = { ".hadolint.yaml", ".hadolint.yml" };
	char *p = search_up(dir, distill, 2);
	*dialect = DS_CONFIG_DISTILL;
	if (!p) {
		p = search_up(dir, hadolint, 2);
		*dialect = DS_CONFIG_HADOLINT;
	}
	return p;
}
