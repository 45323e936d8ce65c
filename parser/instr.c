/* instr.c - the instruction table (instructions.def) and small AST helpers. */
#include "parser/ast.h"

#include <string.h>

#include "common/str.h"

static const char *const instr_names[] = {
#define DS_INSTR(e, kw, flags, args) kw,
#include "parser/instructions.def"
#undef DS_INSTR
	"unknown",
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
	char low[16];
	if (len == 0 || len >= sizeof low)
		return DS_I_UNKNOWN;
	for (size_t i = 0; i < len; i++) {
		char c = kw[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	low[len] = '\0';
	for (unsigned k = 0; k < DS_I_UNKNOWN; k++)
		if (!strcmp(low, instr_names[k]))
			return (enum ds_instr_kind)k;
	return DS_I_UNKNOWN;
}

const struct ds_flag *ds_instr_flag(const struct ds_instr *in, const char *name)
{
	for (uint32_t i = 0; i < in->nflags; i++)
		if (!strcmp(in->flags[i].name, name))
			return &in->flags[i];
	return NULL;
}
