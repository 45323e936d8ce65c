/* lexstate.c - the scanner's helpers: directives and heredoc terminators. */
#include "lexer/lexstate.h"

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

void *ds_lex_xrealloc(void *p, size_t n)
{
	return ds_xrealloc(p, n);
}

void ds_lex_xfree(void *p)
{
	free(p);
}

/* Go's regexp \s: [\t\n\f\r ] */
static int re_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static size_t skip_uspace(const char *s, size_t i, size_t n)
{
	/* the left trim of processLine: unicode.IsSpace */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			i++;
		} else if (c == 0xC2 && i + 1 < n && ((unsigned char)s[i + 1] == 0x85 || (unsigned char)s[i + 1] == 0xA0)) {
			i += 2;
		} else if (c == 0xE1 && i + 2 < n && (unsigned char)s[i + 1] == 0x9A && (unsigned char)s[i + 2] == 0x80) {
			i += 3;
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   (((unsigned char)s[i + 2] >= 0x80 && (unsigned char)s[i + 2] <= 0x8A) ||
			    (unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9 ||
			    (unsigned char)s[i + 2] == 0xAF)) {
			i += 3;
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x81 && (unsigned char)s[i + 2] == 0x9F) {
			i += 3;
		} else if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) {
			i += 3;
		} else {
			break;
		}
	}
	return i;
}

size_t ds_lex_space_prefix(const char *text, size_t len)
{
	size_t i = 0;
	/* skip_uspace also takes '\n', which never occurs in these matches */
	i = skip_uspace(text, 0, len);
	return i;
}

int ds_lex_directive(struct ds_lexstate *ls, const char *text, size_t len)
{
	uint32_t start = ls->pos - (uint32_t)len;
	/* processLine: drop the line end, then leading white space */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	size_t i = skip_uspace(text, 0, len);
	/* ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ */
	if (i >= len || text[i] != '#')
		return 0;
	i = skip_uspace(text, i + 1, len);
	size_t ks = i;
	if (i >= len || !is_alpha(text[i]))
		return 0;
	while (i < len && is_alnum(text[i]))
		i++;
	size_t ke = i;
	while (i < len && re_space(text[i]))
		i++;
	if (i >= len || text[i] != '=')
		return 0;
	i++;
	if (i >= len)
		return 0; /* (.+?) needs a character */
	while (i < len && re_space(text[i]))
		i++;
	size_t ve = len;
	while (ve > i && re_space(text[ve - 1]))
		ve--;
	if (ve <= i) {
		/*
		 * Only white space after '=': the greedy \s* before (.+?) gives
		 * back one character, so the value is the last white space byte.
		 */
		i = len - 1;
		ve = len;
	}
	/* (.+?) cannot match a line end inside the line; a '\n' cannot be there */
	char key[16];
	size_t kl = ke - ks;
	if (kl >= sizeof key)
		return 0;
	for (size_t k = 0; k < kl; k++) {
		char c = text[ks + k];
		key[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	key[kl] = '\0';
	if (strcmp(key, "syntax") && strcmp(key, "escape") && strcmp(key, "check"))
		return 0;
	for (unsigned d = 0; d < ls->ndirs; d++) {
		if (!strcmp(ls->dirs[d].name, key)) {
			if (!ls->dir_error) {
				ls->dir_error = ds_arena_printf(ls->arena, "only one %s parser directive can be used", key);
				ls->dir_error_off = start;
			}
			return 1;
		}
	}
	if (ls->ndirs < sizeof ls->dirs / sizeof *ls->dirs) {
		struct ds_lex_directive *d = &ls->dirs[ls->ndirs++];
		d->name = ds_arena_strdup(ls->arena, key);
		d->value = ds_arena_strndup(ls->arena, text + i, ve - i);
		d->value_len = (uint32_t)(ve - i);
		d->off = start;
		d->end = start + (uint32_t)len;
	}
	if (!strcmp(key, "escape")) {
		if (ve - i == 1 && (text[i] == '`' || text[i] == '\\')) {
			ls->escape = text[i];
		} else if (!ls->dir_error) {
			ls->dir_error = ds_arena_printf(ls->arena, "invalid escape token '%.*s' does not match ` or \\",
							(int)(ve - i), text + i);
			ls->dir_error_off = start;
		}
	}
	return 1;
}

int ds_lex_is_continuation(const struct ds_lexstate *ls, uint32_t off)
{
	return off <= ls->pl_start || ls->src[off - 1] != ls->escape;
}

int ds_lex_heredoc_line(struct ds_lexstate *ls, const char *text, size_t len)
{
	if (ls->hd_cur >= ls->hd_n)
		return 1;
	const struct ds_lex_heredoc *h = &ls->hd[ls->hd_cur];
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (h->chomp)
		while (len > 0 && text[0] == '\t')
			text++, len--;
	return len == h->len && !memcmp(text, h->name, len);
}
