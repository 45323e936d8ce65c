/* path.c - lexical operations on absolute POSIX paths inside an image (no file system access). */
#include "common/path.h"

#include <string.h>

#include "common/arena.h"

char *ds_path_norm(struct ds_arena *a, const char *p)
{
	size_t n = strlen(p);
	char *out = ds_arena_alloc(a, n + 2);
	size_t o = 0;
	out[o++] = '/';
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t l = (size_t)(e - s);
		if (l == 0)
			break;
		if (l == 1 && s[0] == '.') {
			/* nothing */
		} else if (l == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
		} else {
			if (o > 1)
				out[o++] = '/';
			memcpy(out + o, s, l);
			o += l;
		}
		s = e;
	}
	out[o] = '\0';
	return out;
}

char *ds_path_join(struct ds_arena *a, const char *dir, const char *p)
{
	if (p[0] == '/')
		return ds_path_norm(a, p);
	return ds_path_norm(a, ds_arena_printf(a, "%s/%s", dir ? dir : "/", p));
}

bool ds_path_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}
