/* instr.c - the instruction table (instructions.def) and small AST helpers. */
#include "parser/ast.h"

#include <string.h>

#include "common/str.h"
#include "parser/gounicode.h"

static const char *const instr_names[] = {
#define DS_INSTR(e, kw, flags, args) kw,
#include "parser/instructions.def"
#undef DS_INSTR
	"unknown",
};

static const unsigned char instr_name_len[] = {
#define DS_INSTR(e, kw, flags, args) sizeof kw - 1,
#include "parser/instructions.def"
#undef DS_INSTR
	sizeof "unknown" - 1,
};

static const char *const instr_flags[] = {
#define DS_INSTR(e, kw, flags, args) flags,
#include "parser/instructions.def"
#undef DS_INSTR
	"",
};

static const char *const instr_keywords[] = {
#define DS_INSTR(e, kw, flags, args) #e,
#include "parser/instructions.def"
#undef DS_INSTR
	"UNKNOWN",
};

static const enum ds_instr_args instr_args[] = {
#define DS_INSTR(e, kw, flags, args) DS_ARGS_##args,
#include "parser/instructions.def"
#undef DS_INSTR
	DS_ARGS_ANY,
};

/* The instruction names alone, for suggestions. */
static const char *const known_names[] = {
#define DS_INSTR(e, kw, flags, args) kw,
#include "parser/instructions.def"
#undef DS_INSTR
	NULL,
};

static const char *const tok_names[] = {
#define DS_TOK(e, name) name,
#include "lexer/tokens.def"
#undef DS_TOK
};

const char *ds_instr_name(enum ds_instr_kind k)
{
	return (unsigned)k < DS_I__COUNT ? instr_names[k] : "unknown";
}

const char *ds_instr_flags(enum ds_instr_kind k)
{
	return (unsigned)k < DS_I__COUNT ? instr_flags[k] : "";
}

const char *ds_instr_keyword(enum ds_instr_kind k)
{
	return (unsigned)k < DS_I__COUNT ? instr_keywords[k] : "UNKNOWN";
}

const char *ds_instr_suggest(const char *keyword)
{
	return ds_str_suggest(keyword, known_names, true);
}

const char *ds_instr_arity_error(const struct ds_instr *in)
{
	if ((unsigned)in->kind >= DS_I__COUNT)
		return NULL;
	/* ONBUILD's argument is the instruction it holds */
	uint32_t n = in->kind == DS_I_ONBUILD ? (in->sub ? 1 : in->nargs) : in->nargs;
	switch (instr_args[in->kind]) {
	case DS_ARGS_ONE:
		return n == 1 ? NULL : "requires exactly one argument";
	case DS_ARGS_SOME:
		return n >= 1 ? NULL : "requires at least one argument";
	case DS_ARGS_SRC_DEST:
		return n >= 2 ? NULL : "requires at least two arguments: no destination is given";
	case DS_ARGS_FROM:
		return n == 1 || n == 3 ? NULL : "requires either one or three arguments";
	case DS_ARGS_ANY:
		break;
	}
	return NULL;
}

const char *ds_tok_name(enum ds_tok_kind k)
{
	return (unsigned)k < DS_T__COUNT ? tok_names[k] : "?";
}

enum ds_instr_kind ds_instr_lookup(const char *kw, size_t len)
{
	/* dispatch[strings.ToLower(cmd)]: the longest keyword has 11 bytes */
	char low[16];
	/* lowering shrinks a rune at most from 3 bytes to 1 (U+212A to 'k') */
	if (len == 0 || len >= 3 * sizeof low)
		return DS_I_UNKNOWN;
	size_t n = len;
	int ascii = len < sizeof low;
	for (size_t i = 0; i < len && ascii; i++) {
		char c = kw[i];
		ascii = (unsigned char)c < 0x80;
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (!ascii) {
		/* U+212A and U+0130 lower to ASCII letters; a Unicode keyword may shrink */
		n = ds_go_lower_to(low, sizeof low, kw, len);
		if (n >= sizeof low)
			return DS_I_UNKNOWN;
	}
	for (unsigned k = 0; k < DS_I_UNKNOWN; k++)
		if (instr_name_len[k] == n && !memcmp(low, instr_names[k], n))
			return (enum ds_instr_kind)k;
	return DS_I_UNKNOWN;
}

const struct ds_flag *ds_instr_flag(const struct ds_instr *in, const char *name)
{
	size_t n = strlen(name);
	for (uint32_t i = 0; i < in->nflags; i++)
		if (in->flags[i].name_len == n && !memcmp(in->flags[i].name, name, n))
			return &in->flags[i];
	return NULL;
}
