/* imageref.c - image reference parsing after Docker's distribution/reference grammar. */
#include "analyze/imageref.h"

#include "common/arena.h"

#include <string.h>

/*
 * Grammar (distribution/reference, reference.go):
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain '/'] path-component ['/' path-component]*
 *   domain     := host [':' port-number]          host: labels or [IPv6]
 *   path-component := alnum+ (separator alnum+)*  separator: . _ __ -+
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex{32,}
 * A name is at most 255 characters.
 */

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_hex(char c)
{
	return is_hex_lower(c) || (c >= 'A' && c <= 'F');
}

static bool has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

/* One path component: alnum runs joined by ".", "_", "__" or "-"+. */
static const char *check_component(const char *s, size_t n)
{
	if (n == 0)
		return "invalid reference format: empty path component";
	if (has_upper(s, n))
		return "repository name must be lowercase";
	size_t i = 0;
	for (;;) {
		if (i >= n || !is_lower_alnum(s[i]))
			return "invalid reference format";
		while (i < n && is_lower_alnum(s[i]))
			i++;
		if (i == n)
			return NULL;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return "invalid reference format";
		}
	}
}

static const char *check_path(const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			const char *e = check_component(s + start, i - start);
			if (e)
				return e;
			start = i + 1;
		}
	}
	return NULL;
}

static bool check_port(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* host[:port], host being dotted labels or a bracketed IPv6 address. */
static const char *check_domain(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0)
		return "invalid reference format: empty registry";
	if (s[0] == '[') {
		i = 1;
		while (i < n && (is_hex(s[i]) || s[i] == ':'))
			i++;
		if (i >= n || s[i] != ']' || i == 1)
			return "invalid reference format: bad registry host";
		i++;
	} else {
		for (;;) {
			size_t start = i;
			while (i < n && (is_alnum(s[i]) || s[i] == '-'))
				i++;
			if (i == start || s[start] == '-' || s[i - 1] == '-')
				return "invalid reference format: bad registry host";
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i == n)
		return NULL;
	if (s[i] != ':' || !check_port(s + i + 1, n - i - 1))
		return "invalid reference format: bad registry host";
	return NULL;
}

static const char *check_tag(const char *s, size_t n)
{
	if (n == 0)
		return "invalid reference format: empty tag";
	if (n > 128)
		return "invalid tag format";
	if (!(is_alnum(s[0]) || s[0] == '_'))
		return "invalid tag format";
	for (size_t i = 1; i < n; i++)
		if (!(is_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return "invalid tag format";
	return NULL;
}

static const char *check_digest(const char *s, size_t n)
{
	if (n == 0)
		return "invalid reference format: empty digest";
	const char *colon = memchr(s, ':', n);
	if (!colon || colon == s)
		return "invalid digest format";
	size_t alen = (size_t)(colon - s);
	/* algorithm: [a-z0-9]+ ([+._-] [a-z0-9]+)* */
	size_t i = 0;
	for (;;) {
		size_t start = i;
		while (i < alen && is_lower_alnum(s[i]))
			i++;
		if (i == start)
			return "invalid digest format";
		if (i == alen)
			break;
		if (s[i] != '+' && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return "invalid digest format";
		i++;
	}
	const char *hex = colon + 1;
	size_t hlen = n - alen - 1;
	size_t want = 0;
	if (alen == 6 && memcmp(s, "sha256", 6) == 0)
		want = 64;
	else if (alen == 6 && memcmp(s, "sha384", 6) == 0)
		want = 96;
	else if (alen == 6 && memcmp(s, "sha512", 6) == 0)
		want = 128;
	if (want ? hlen != want : hlen < 32)
		return "invalid digest format";
	for (size_t k = 0; k < hlen; k++)
		if (want ? !is_hex_lower(hex[k]) : !is_hex(hex[k]))
			return "invalid digest format";
	return NULL;
}

static bool is_docker_hub(const char *reg, size_t n)
{
	return (n == 9 && memcmp(reg, "docker.io", 9) == 0) ||
	       (n == 15 && memcmp(reg, "index.docker.io", 15) == 0) ||
	       (n == 20 && memcmp(reg, "registry-1.docker.io", 20) == 0);
}

/* Positions of the separators, skipping "${...}" so that ${X:-a/b} stays whole. */
struct split {
	size_t at;         /* '@' or len */
	size_t colon;      /* tag ':' or at */
	size_t first_slash; /* first '/' before colon, or colon */
};

static struct split split_ref(const char *s, size_t len)
{
	struct split sp = { len, len, len };
	int depth = 0;
	size_t last_slash = len;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '$' && i + 1 < len && s[i + 1] == '{') {
			depth++;
			i++;
			continue;
		}
		if (depth > 0) {
			if (c == '}')
				depth--;
			continue;
		}
		if (c == '@') {
			sp.at = i;
			break;
		}
		if (c == '/') {
			if (sp.first_slash == len)
				sp.first_slash = i;
			last_slash = i;
		}
	}
	/* the tag colon is the last ':' after the last '/' (outside ${}) */
	depth = 0;
	for (size_t i = 0; i < sp.at; i++) {
		char c = s[i];
		if (c == '$' && i + 1 < sp.at && s[i + 1] == '{') {
			depth++;
			i++;
			continue;
		}
		if (depth > 0) {
			if (c == '}')
				depth--;
			continue;
		}
		if (c == ':' && (last_slash == len || i > last_slash))
			sp.colon = i;
	}
	if (sp.colon == len)
		sp.colon = sp.at;
	if (sp.first_slash > sp.colon)
		sp.first_slash = sp.colon;
	return sp;
}

/* Variable names ($NAME, ${...}) say nothing about being a domain: skip them. */
static bool looks_like_domain(const char *s, size_t n)
{
	if (n == 9 && memcmp(s, "localhost", 9) == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			while (i < n && s[i] != '}')
				i++;
			continue;
		}
		if (s[i] == '$') {
			while (i + 1 < n && (is_alnum(s[i + 1]) || s[i + 1] == '_'))
				i++;
			continue;
		}
		if (s[i] == '.' || s[i] == ':' || (s[i] >= 'A' && s[i] <= 'Z'))
			return true;
	}
	return false;
}

static void fill_derived(struct ds_arena *a, struct ds_imageref *r)
{
	const char *slash = strrchr(r->path, '/');
	r->name = slash ? slash + 1 : r->path;
	r->docker_hub = !r->registry || is_docker_hub(r->registry, strlen(r->registry));
	r->repository = r->path;
	if (r->docker_hub && strncmp(r->path, "library/", 8) == 0 && !strchr(r->path + 8, '/'))
		r->repository = r->path + 8;
	if (r->docker_hub)
		r->familiar = r->repository;
	else
		r->familiar = ds_arena_printf(a, "%s/%s", r->registry, r->path);
}

int ds_imageref_parse(struct ds_arena *a, const char *s, size_t len, struct ds_imageref *out,
		      const char **err)
{
	const char *e = NULL;
	memset(out, 0, sizeof *out);
	if (err)
		*err = NULL;
	if (len == 0) {
		e = "empty image reference";
		goto fail;
	}
	bool unresolved = memchr(s, '$', len) != NULL;
	if (!unresolved && len == 7 && memcmp(s, "scratch", 7) == 0) {
		out->path = out->repository = out->name = out->familiar =
			ds_arena_strndup(a, s, len);
		out->is_scratch = true;
		out->docker_hub = true;
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f) {
			e = "invalid reference format";
			goto fail;
		}
	}

	struct split sp = split_ref(s, len);
	size_t name_end = sp.colon;
	size_t path_start = 0;
	if (sp.first_slash < name_end && looks_like_domain(s, sp.first_slash))
		path_start = sp.first_slash + 1;

	if (!unresolved) {
		if (path_start && (e = check_domain(s, path_start - 1)))
			goto fail;
		if ((e = check_path(s + path_start, name_end - path_start)))
			goto fail;
		if (name_end > 255) {
			e = "repository name must not be more than 255 characters";
			goto fail;
		}
		if (sp.colon < sp.at && (e = check_tag(s + sp.colon + 1, sp.at - sp.colon - 1)))
			goto fail;
		if (sp.at < len && (e = check_digest(s + sp.at + 1, len - sp.at - 1)))
			goto fail;
	}

	out->unresolved = unresolved;
	if (path_start)
		out->registry = ds_arena_strndup(a, s, path_start - 1);
	out->path = ds_arena_strndup(a, s + path_start, name_end - path_start);
	if (sp.colon < sp.at)
		out->tag = ds_arena_strndup(a, s + sp.colon + 1, sp.at - sp.colon - 1);
	if (sp.at < len)
		out->digest = ds_arena_strndup(a, s + sp.at + 1, len - sp.at - 1);
	fill_derived(a, out);
	return 0;

fail:
	memset(out, 0, sizeof *out);
	if (err)
		*err = e;
	return -1;
}

char *ds_imageref_format(struct ds_arena *a, const struct ds_imageref *r, const char *tag)
{
	const char *t = tag ? tag : r->tag;
	const char *d = tag ? NULL : r->digest;
	if (r->is_scratch)
		return ds_arena_strdup(a, "scratch");
	return ds_arena_printf(a, "%s%s%s%s%s%s%s", r->registry ? r->registry : "",
			       r->registry ? "/" : "", r->path ? r->path : "",
			       t && *t ? ":" : "", t && *t ? t : "", d ? "@" : "", d ? d : "");
}

const char *ds_imageref_tag_or_latest(const struct ds_imageref *r)
{
	return r->tag ? r->tag : "latest";
}
