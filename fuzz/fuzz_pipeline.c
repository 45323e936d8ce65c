/* fuzz_pipeline.c - libFuzzer target for everything after the parser: model, lint, convert, diff, emitters. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "emit/diff.h"
#include "emit/edits.h"
#include "emit/format.h"
#include "parser/ast.h"
#include "rewrite/convert.h"
#include "rules/rules.h"

/*
 * What `distill audit` does to every file, and what lint and convert print:
 * a file that parses gets its model, every rule with the default
 * configuration, a conversion to distroless or Chainguard (the input's
 * length picks the vendor, the Debian release and --bump-runtime), a
 * unified diff of the result and the findings in all five formats. Besides
 * sanitizer reports, the target aborts when text or gnu output lets a
 * control character through or has a line that is not a finding of the
 * file, and when the conversion breaks its own contract: edits that do not
 * apply or do not give res.output, a changed text with an empty diff, or a
 * result called converted that fails ds_convert_check.
 */

static struct ds_catalog *catalog;

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_pipeline: invariant broken: %s\n", what);
	abort();
}

/*
 * Human output (text, gnu) holds no control byte but newline and tab, no
 * DEL and no C1, and every line starts with the file's name or is the
 * indented source-and-caret context of text (emit/escape.h).
 */
static void check_human(const struct ds_buf *out, bool text)
{
	const unsigned char *p = (const unsigned char *)(out->buf ? out->buf : "");
	bool line_start = true;
	for (size_t i = 0; i < out->len; i++) {
		unsigned char c = p[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c == 0xc2 && i + 1 < out->len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
			broken("a control character in human output");
		if (line_start && strncmp((const char *)p + i, "fuzz:", 5) && !(text && !strncmp((const char *)p + i, "  ", 2)))
			broken("a line of human output that does not start with the file's name");
		line_start = c == '\n';
	}
}

static void emit_all(struct ds_source *src, const struct ds_diags *d)
{
	struct ds_buf out = DS_BUF_INIT;
	for (int f = 0; f < DS_FMT__COUNT; f++) {
		struct ds_emitter e;
		ds_emitter_init(&e, (enum ds_format)f);
		ds_emit_begin(&e, &out);
		ds_emit_file(&e, src, d->v, d->n, &out);
		ds_emit_end(&e, &out);
		if (f == DS_FMT_TEXT || f == DS_FMT_GNU)
			check_human(&out, f == DS_FMT_TEXT);
		ds_buf_reset(&out);
	}
	ds_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!catalog) {
		struct ds_catalog_error cerr;
		if (ds_catalog_load_builtin(&catalog, &cerr))
			broken("the builtin catalogue does not load");
	}
	/* the options come from the length, so every input stays a plain Dockerfile */
	unsigned mode = (unsigned)(size % 16);

	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	ds_source_from_mem(&src, &a, "fuzz", (const char *)data, size);
	ds_source_lines(&src, &a);
	if (ds_parse(&a, &src, NULL, &df)) {
		ds_arena_release(&a);
		return 0;
	}
	struct ds_model m;
	ds_model_build(&a, &df, NULL, &m);

	struct ds_lint_config cfg;
	ds_lint_config_init(&cfg);
	struct ds_diags diags = { 0 };
	ds_lint(&a, &df, &m, catalog, &cfg, &diags);
	emit_all(&src, &diags);

	struct ds_convert_opts opts;
	ds_convert_opts_init(&opts);
	/* the vendors: distroless or chainguard alone, or a list whose later vendors replace images */
	static const char *const targets[] = { "distroless", "chainguard", "distroless,chiseled,chainguard",
					       "chiseled,chainguard", "ubi-micro", "ubi-micro,distroless" };
	const char *unknown;
	if (ds_convert_parse_targets(targets[(mode & 1) | ((size / 16) % 3) << 1], &opts, &unknown) != 0)
		broken("a fixed --target list does not parse");
	opts.debian = (mode & 2) ? "13" : (mode & 4) ? "12" : NULL;
	opts.bump_runtime = (mode & 8) != 0;
	struct ds_convert_result res;
	ds_convert(&a, &df, &m, catalog, &opts, &res);
	emit_all(&src, &res.diags);

	if (res.status == DS_CONVERT_CONVERTED || res.status == DS_CONVERT_MANUAL) {
		if (!res.output)
			broken("a conversion without output");
		struct ds_buf applied = DS_BUF_INIT;
		const char *err = NULL;
		if (ds_edits_apply(src.data, src.len, res.edits, res.nedits, &applied, &err))
			broken("the conversion's edits do not apply");
		if (applied.len != res.output_len ||
		    (applied.len && memcmp(applied.buf, res.output, applied.len)))
			broken("the conversion's edits do not give its output");
		ds_buf_release(&applied);

		struct ds_buf diff = DS_BUF_INIT;
		ds_diff_unified(src.data, src.len, res.output, res.output_len, "a/Dockerfile",
				"b/Dockerfile", 3, 0, &diff);
		bool same = res.output_len == src.len && !memcmp(res.output, src.data, src.len);
		if (!same && diff.len == 0)
			broken("different texts but an empty diff");
		ds_buf_release(&diff);
	}
	if (res.status == DS_CONVERT_CONVERTED) {
		const char *why = NULL;
		if (ds_convert_check_targets(&a, res.output, res.output_len, "fuzz", catalog, NULL, &opts, &why))
			broken("a converted result fails the final-stage check");
	}
	ds_arena_release(&a);
	return 0;
}
