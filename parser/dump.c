/* dump.c - BuildKit's AST dump and distill's JSON view of the tree. */
#include "parser/ast.h"

#include <string.h>

#include "common/buf.h"
#include "common/source.h"
#include "parser/gounicode.h"

static void dump_node(const struct ds_instr *in, struct ds_buf *out)
{
	/* strings.ToLower(Value), written as it is (not quoted) */
	ds_go_lower(out, in->keyword, in->keyword_len);
	if (in->nflags) {
		ds_buf_adds(out, " [");
		for (uint32_t i = 0; i < in->nflags; i++) {
			if (i)
				ds_buf_addc(out, ' ');
			ds_go_quote(out, in->flags[i].text, in->flags[i].text_len);
		}
		ds_buf_addc(out, ']');
	}
	if (in->sub) {
		ds_buf_adds(out, " (");
		dump_node(in->sub, out);
		ds_buf_addc(out, ')');
		return;
	}
	for (uint32_t i = 0; i < in->nargs; i++) {
		ds_buf_addc(out, ' ');
		ds_go_quote(out, in->args[i].text, in->args[i].len);
	}
}

void ds_dump(const struct ds_dockerfile *df, struct ds_buf *out)
{
	ds_dump_to(df, out, NULL, NULL);
}

void ds_dump_to(const struct ds_dockerfile *df, struct ds_buf *out, ds_dump_drain *drain, void *ctx)
{
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		size_t mark = out->len;
		ds_buf_addc(out, '(');
		size_t inner = out->len;
		dump_node(&df->instrs[i], out);
		/* Go trims the node's dump: a keyword-less node loses its space */
		if (out->len > inner && out->buf[inner] == ' ') {
			memmove(out->buf + inner, out->buf + inner + 1, out->len - inner - 1);
			out->len--;
		}
		(void)mark;
		ds_buf_adds(out, ")\n");
		if (drain)
			drain(ctx, out);
	}
}

static void pos(const struct ds_dockerfile *df, struct ds_buf *out, struct ds_span sp)
{
	uint32_t l1, c1, l2, c2;
	ds_source_linecol(df->src, sp.off, &l1, &c1);
	ds_source_linecol(df->src, sp.end, &l2, &c2);
	ds_buf_addf(out, "\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u", l1, c1, l2, c2);
}

static void json_instr(const struct ds_dockerfile *df, const struct ds_instr *in, struct ds_buf *out)
{
	ds_buf_adds(out, "{\"instruction\":");
	ds_buf_add_json_str(out, ds_instr_name(in->kind), strlen(ds_instr_name(in->kind)));
	ds_buf_adds(out, ",\"keyword\":");
	ds_buf_add_json_str(out, in->keyword, in->keyword_len);
	ds_buf_addc(out, ',');
	pos(df, out, in->span);
	ds_buf_addf(out, ",\"start_line\":%u,\"end_line_buildkit\":%u,\"form\":\"%s\"", in->start_line,
		    in->end_line, in->json ? "exec" : "shell");
	ds_buf_adds(out, ",\"keyword_pos\":{");
	pos(df, out, in->kw_span);
	ds_buf_adds(out, "},\"flags\":[");
	for (uint32_t i = 0; i < in->nflags; i++) {
		const struct ds_flag *f = &in->flags[i];
		ds_buf_adds(out, i ? ",{\"name\":" : "{\"name\":");
		ds_buf_add_json_str(out, f->name, f->name_len);
		ds_buf_adds(out, ",\"value\":");
		if (f->value)
			ds_buf_add_json_str(out, f->value, f->value_len);
		else
			ds_buf_adds(out, "null");
		ds_buf_adds(out, ",\"text\":");
		ds_buf_add_json_str(out, f->text, f->text_len);
		ds_buf_addc(out, ',');
		pos(df, out, f->span);
		ds_buf_addc(out, '}');
	}
	ds_buf_adds(out, "],\"args\":[");
	for (uint32_t i = 0; i < in->nargs; i++) {
		const struct ds_word *w = &in->args[i];
		ds_buf_adds(out, i ? ",{\"value\":" : "{\"value\":");
		ds_buf_add_json_str(out, w->text, w->len);
		ds_buf_addc(out, ',');
		pos(df, out, w->span);
		ds_buf_addc(out, '}');
	}
	ds_buf_adds(out, "],\"heredocs\":[");
	for (uint32_t i = 0; i < in->nheredocs && !in->parent; i++) {
		const struct ds_heredoc *h = &in->heredocs[i];
		ds_buf_adds(out, i ? ",{\"name\":" : "{\"name\":");
		ds_buf_add_json_str(out, h->name, h->name_len);
		ds_buf_addf(out, ",\"chomp\":%s,\"expand\":%s,\"fd\":%u,\"content\":", h->chomp ? "true" : "false",
			    h->expand ? "true" : "false", h->fd);
		ds_buf_add_json_str(out, h->content ? h->content : "", h->content_len);
		ds_buf_adds(out, ",\"body\":{");
		pos(df, out, h->body);
		ds_buf_adds(out, "},\"terminator\":{");
		pos(df, out, h->terminator);
		ds_buf_adds(out, "}}");
	}
	ds_buf_addc(out, ']');
	if (in->sub) {
		ds_buf_adds(out, ",\"sub\":");
		json_instr(df, in->sub, out);
	}
	ds_buf_addc(out, '}');
}

void ds_dump_json(const struct ds_dockerfile *df, struct ds_buf *out)
{
	ds_dump_json_to(df, out, NULL, NULL);
}

void ds_dump_json_to(const struct ds_dockerfile *df, struct ds_buf *out, ds_dump_drain *drain, void *ctx)
{
	ds_buf_adds(out, "{\"file\":");
	const char *p = df->src->path ? df->src->path : "-";
	ds_buf_add_json_str(out, p, strlen(p));
	ds_buf_adds(out, ",\"escape\":");
	ds_buf_add_json_str(out, &df->escape, 1);
	ds_buf_adds(out, ",\"directives\":[");
	for (uint32_t i = 0; i < df->ndirectives; i++) {
		const struct ds_directive *d = &df->directives[i];
		ds_buf_adds(out, i ? ",{\"name\":" : "{\"name\":");
		ds_buf_add_json_str(out, d->name, strlen(d->name));
		ds_buf_adds(out, ",\"value\":");
		ds_buf_add_json_str(out, d->value, d->value_len);
		ds_buf_addc(out, ',');
		pos(df, out, d->span);
		ds_buf_addc(out, '}');
	}
	ds_buf_adds(out, "],\"instructions\":[");
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		if (i)
			ds_buf_addc(out, ',');
		json_instr(df, &df->instrs[i], out);
		if (drain)
			drain(ctx, out);
	}
	ds_buf_adds(out, "],\"errors\":[");
	for (size_t i = 0; i < df->diags.n; i++) {
		const struct ds_diag *g = &df->diags.v[i];
		ds_buf_adds(out, i ? ",{\"severity\":" : "{\"severity\":");
		const char *sv = ds_severity_name(g->sev);
		ds_buf_add_json_str(out, sv, strlen(sv));
		ds_buf_adds(out, ",\"message\":");
		ds_buf_add_json_str(out, g->msg, strlen(g->msg));
		ds_buf_addc(out, ',');
		pos(df, out, (struct ds_span){ (uint32_t)g->off, (uint32_t)g->end });
		ds_buf_addc(out, '}');
	}
	ds_buf_adds(out, "]}\n");
}
