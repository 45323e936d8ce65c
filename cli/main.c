/* main.c - the distill command: dispatch to subcommands. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cleanup.h"
#include "cli/cli.h"

struct ds_subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct ds_catalog *cat;
	printf("distill %s\n", DS_VERSION);
	if (ds_catalog_load_builtin(&cat, NULL) == 0) {
		const char *date = ds_catalog_date(cat);
		if (date)
			printf("catalogue %s\n", date);
		ds_catalog_free(cat);
	}
	return DS_EXIT_OK;
}

static const struct ds_subcmd subcmds[] = {
	{ "parse", ds_cmd_parse, "print the AST of Dockerfiles (BuildKit dump, JSON, tokens)" },
	{ "lint", ds_cmd_lint, "check Dockerfiles: distroless, hadolint and shellcheck rules" },
	{ "convert", ds_cmd_convert, "move the final stage onto a shell-free runtime (distroless)" },
	{ "inspect", ds_cmd_inspect, "show what a container of a stage runs with: user, WORKDIR, command, ENV, ports" },
	{ "rules", ds_cmd_rules, "list the lint rules, or explain one" },
	{ "audit", ds_cmd_audit, "survey the Dockerfiles of whole trees: summary, JSON Lines, SARIF" },
	{ "lsp", ds_cmd_lsp, "language server for editors: diagnostics, hover, fixes, convert" },
	{ "version", cmd_version, "print the version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: distill <command> [options] [FILE|DIR|-]...\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcmds / sizeof *subcmds; i++)
		fprintf(f, "  %-10s %s\n", subcmds[i].name, subcmds[i].summary);
	fprintf(f, "\n'distill <command> --help' describes a command's options.\n"
		   "Exit codes: 0 clean or done, 1 findings or manual work needed, 2 usage, I/O or parse error.\n");
}

int main(int argc, char **argv)
{
	/* a file-size limit must fail a write (EFBIG), not kill us mid-way */
	signal(SIGXFSZ, SIG_IGN);
	/* temporary files and ShellCheck's process group do not outlive an interrupt */
	ds_cleanup_install();
	if (argc < 2) {
		usage(stderr);
		return DS_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return DS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	for (size_t i = 0; i < sizeof subcmds / sizeof *subcmds; i++)
		if (!strcmp(argv[1], subcmds[i].name))
			return subcmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "distill: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return DS_EXIT_ERROR;
}
