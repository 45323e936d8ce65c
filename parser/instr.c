/* instr.c - the instruction table (instructions.def) and small AST helpers. */
#include "parser/ast.h"

#include <string.h>

static const char *const instr_names[] = {
#define DS_INSTR(e, kw, flags) kw,
#include "parser/instructions.def"
#undef DS_INSTR
	"unknown",
};

static const char *const instr_flags[] = {
#define DS_INSTR(e, kw, flags) flags,
#include "parser/instructions.def"
#undef DS_INSTR
	"",
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
