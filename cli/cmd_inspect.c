/* cmd_inspect.c - `distill inspect`: the configuration a container of a stage runs with (the image model). */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/image.h"
#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "common/str.h"
#include "emit/escape.h"
#include "emit/imagejson.h"
#include "parser/ast.h"

static const char inspect_usage[] =
	"usage: distill inspect [--json] [--stage NAME] [--mappings F] [--max-file-size N] FILE|-...\n"
	"\n"
	"Prints what a container of a Dockerfile's final stage (or stage NAME) runs with:\n"
	"its user, WORKDIR, command, environment, ports, volumes, health check and stop\n"
	"signal, computed from the instructions over the base image's configuration as\n"
	"the catalogue knows it. What the catalogue does not know is shown as unknown.\n"
	"  --json             one JSON object per file (JSON Lines): {\"file\", \"stage\", \"image\"}\n"
	"  --stage NAME       the stage to inspect instead of the last one\n"
	"  --mappings F       overlay a catalogue file on the builtin one\n"
	"  --max-file-size N  refuse files larger than N bytes (or 64K, 1M, 1G; default 16M)\n"
	"Exit: 0 printed; 2 usage, I/O or parse error, or no such stage.\n";

static void text_list(struct ds_arena *a, FILE *f, const char *label, const struct ds_im_list *l, bool values)
{
	fprintf(f, "  %-12s", label);
	if (!l->n)
		fputs(l->base_known ? "(none)" : "(unknown)", f);
	for (size_t i = 0; i < l->n; i++) {
		if (values)
			fprintf(f, "%s%s=%s", i ? "\n                " : "", ds_esc_text_dup(a, l->v[i].key),
				l->v[i].value ? ds_esc_text_dup(a, l->v[i].value) : "(unknown)");
		else
			fprintf(f, "%s%s", i ? " " : "", ds_esc_text_dup(a, l->v[i].key));
	}
	if (l->n && !l->base_known)
		fputs(values ? "\n                (and what the base image sets, unknown)" : " (and the base image's, unknown)", f);
	fputc('\n', f);
}

/* Every string from the Dockerfile, and its name, is escaped (emit/escape.h): nothing reaches the terminal raw. */
static void print_text(struct ds_arena *a, const char *path, const struct ds_stage *st, const struct ds_image_model *im)
{
	fputs(ds_esc_name_dup(a, path), stdout);
	printf(": stage %u%s%s%s on %s%s\n", st->index, st->name ? " '" : "", st->name ? ds_esc_text_dup(a, st->name) : "",
	       st->name ? "'" : "", im->base ? ds_esc_text_dup(a, im->base) : "(unresolved)", im->base_known ? "" : " (not in the catalogue)");
	const struct ds_im_user *u = &im->user;
	printf("  %-12s", "user");
	if (!u->known)
		printf("(unknown)\n");
	else {
		printf("%s", *u->spec ? ds_esc_text_dup(a, u->spec) : "root (default)");
		if (u->uid >= 0)
			printf(" (uid %ld%s)", u->uid, u->gid >= 0 ? ds_arena_printf(a, ", gid %ld", u->gid) : "");
		else if (u->root == 0)
			printf(" (not root, id unknown)");
		putchar('\n');
	}
	printf("  %-12s%s\n", "workdir", im->workdir.known ? ds_esc_text_dup(a, im->workdir.v) : "(unknown)");
	printf("  %-12s%s\n", "command", ds_esc_text_dup(a, ds_im_argv_text(a, &im->argv)));
	text_list(a, stdout, "env", &im->env, true);
	if (im->labels.n)
		text_list(a, stdout, "labels", &im->labels, true);
	text_list(a, stdout, "expose", &im->expose, false);
	text_list(a, stdout, "volumes", &im->volumes, false);
	const struct ds_im_health *h = &im->health;
	printf("  %-12s%s%s%s\n", "healthcheck",
	       !h->known ? "(unknown)" : !h->set ? "(none)" : h->none ? "NONE" : ds_esc_text_dup(a, ds_im_argv_text(a, &h->test)),
	       h->set && !h->none && h->options && *h->options ? " " : "",
	       h->set && !h->none && h->options ? ds_esc_text_dup(a, h->options) : "");
	printf("  %-12s%s\n", "stopsignal",
	       !im->stopsignal.known ? "(unknown)" : im->stopsignal.v ? ds_esc_text_dup(a, im->stopsignal.v) : "SIGTERM (default)");
	for (size_t i = 0; i < im->nonbuild; i++)
		printf("  %-12s%s\n", i ? "" : "onbuild", ds_esc_text_dup(a, im->onbuild[i]));
}

/* The options of inspect (cli.h): getopt_long's table, and the source of the completions. */
static const struct option inspect_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "stage", required_argument, NULL, 's' },
	{ "mappings", required_argument, NULL, 'M' },
	{ "max-file-size", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_inspect_options(void)
{
	return inspect_options;
}

int ds_cmd_inspect(int argc, char **argv)
{
	bool json = false;
	const char *stage = NULL, *mappings = NULL;
	size_t max_size = DS_DEFAULT_MAX_FILE_SIZE;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", inspect_options, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 's': stage = optarg; break;
		case 'M': mappings = optarg; break;
		case 'm':
			if (ds_str_parse_size(optarg, &max_size) < 0) {
				return ds_usage_error("inspect", "invalid --max-file-size '%s' (bytes, or with K, M or G)", optarg);
			}
			break;
		case 'h': fputs(inspect_usage, stdout); return DS_EXIT_OK;
		default: return ds_usage_bad_option("inspect", inspect_options, "h", argv, optind, optopt);
		}
	}
	if (optind >= argc)
		return ds_usage_error("inspect", "no file given ('-' reads standard input)");
	struct ds_catalog *cat = NULL;
	struct ds_catalog_error ce;
	memset(&ce, 0, sizeof ce);
	if (ds_catalog_load_builtin(&cat, &ce) < 0) {
		fprintf(stderr, "distill inspect: builtin catalogue: %s\n", ce.msg);
		return DS_EXIT_ERROR;
	}
	if (mappings && ds_catalog_overlay_file(cat, mappings, &ce) < 0) {
		ds_print_located(stderr, ce.file[0] ? ce.file : mappings, ce.line, ce.col, "error", ce.msg);
		ds_catalog_free(cat);
		return DS_EXIT_ERROR;
	}
	int rc = DS_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct ds_arena a = DS_ARENA_INIT;
		struct ds_source src;
		const char *err;
		struct ds_dockerfile df;
		struct ds_model m;
		if (ds_read_source(&a, path, max_size, &src, NULL, &err) < 0) {
			ds_print_file_error(stderr, path, err);
			rc = DS_EXIT_ERROR;
		} else if (ds_source_lines(&src, &a), ds_parse(&a, &src, NULL, &df) < 0) {
			ds_print_diag(stderr, &src, &df.diags.v[df.fatal], 0, 0);
			rc = DS_EXIT_ERROR;
		} else if (ds_model_build(&a, &df, stage, &m) < 0 && ds_model_error(&m)) {
			ds_print_diag(stderr, &src, ds_model_error(&m), 0, 0);
			rc = DS_EXIT_ERROR;
		} else if (m.final < 0 || (stage && ds_model_find_stage(&m, stage, m.nstages) < 0)) {
			ds_print_file_error(stderr, path,
					    stage ? ds_arena_printf(&a, "no stage named '%s'", stage) : "no FROM instruction");
			rc = DS_EXIT_ERROR;
		} else {
			struct ds_image_model im;
			ds_image_model_build(&m, m.final, cat, &a, &im);
			const struct ds_stage *st = &m.stages[m.final];
			if (ds_model_error(&m)) {
				ds_print_diag(stderr, &src, ds_model_error(&m), 0, 0);
				rc = DS_EXIT_ERROR;
			} else if (json) {
				struct ds_buf b = DS_BUF_INIT;
				ds_buf_adds(&b, "{\"file\": ");
				ds_buf_add_json_str(&b, path, strlen(path));
				ds_buf_addf(&b, ", \"stage\": %u, \"name\": ", st->index);
				if (st->name)
					ds_buf_add_json_str(&b, st->name, strlen(st->name));
				else
					ds_buf_adds(&b, "null");
				ds_buf_adds(&b, ", \"image\": ");
				ds_image_model_json(&im, &b);
				ds_buf_adds(&b, "}\n");
				fwrite(b.buf, 1, b.len, stdout);
				ds_buf_release(&b);
			} else {
				print_text(&a, path, st, &im);
			}
		}
		ds_arena_release(&a);
	}
	ds_catalog_free(cat);
	if (fflush(stdout) != 0)
		rc = DS_EXIT_ERROR;
	return rc;
}
