/* main.c - the distill command: dispatch to subcommands, help, version and completions. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cleanup.h"
#include "cli/cli.h"
#include "cli/complete.h"
#include "cli/version.h"
#include "common/str.h"

struct ds_subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const struct option *(*opts)(void); /* getopt_long's table, for the completions; NULL: none */
	const char *words;                  /* operands the completions offer (cli/complete.h), or NULL */
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_completion(int argc, char **argv);

static const struct ds_subcmd subcmds[] = {
	{ "parse", ds_cmd_parse, "print the AST of Dockerfiles (BuildKit dump, JSON, tokens)", ds_cmd_parse_options, NULL },
	{ "lint", ds_cmd_lint, "check Dockerfiles: distroless, hadolint and shellcheck rules", ds_cmd_lint_options, NULL },
	{ "convert", ds_cmd_convert, "move the final stage onto a shell-free runtime (distroless)", ds_cmd_convert_options,
	  NULL },
	{ "inspect", ds_cmd_inspect, "show what a container of a stage runs with: user, WORKDIR, command, ENV, ports",
	  ds_cmd_inspect_options, NULL },
	{ "rules", ds_cmd_rules, "list the lint rules, or explain one", NULL, NULL },
	{ "audit", ds_cmd_audit, "survey the Dockerfiles of whole trees: summary, JSON Lines, SARIF", ds_cmd_audit_options,
	  NULL },
	{ "lsp", ds_cmd_lsp, "language server for editors: diagnostics, hover, fixes, convert", ds_cmd_lsp_options, NULL },
	{ "version", cmd_version, "print the version, the git commit and the catalogue's date", NULL, NULL },
	{ "help", cmd_help, "describe a command's options: distill help CMD", NULL, "@commands" },
	{ "completion", cmd_completion, "print a bash, zsh or fish completion script", NULL, "bash zsh fish" },
};
#define NSUBCMDS (sizeof subcmds / sizeof *subcmds)

static void usage(FILE *f)
{
	fprintf(f, "usage: distill <command> [options] [FILE|DIR|-]...\n\ncommands:\n");
	for (size_t i = 0; i < NSUBCMDS; i++)
		fprintf(f, "  %-10s %s\n", subcmds[i].name, subcmds[i].summary);
	fprintf(f, "\n'distill help <command>' or 'distill <command> --help' describes a command's options.\n"
		   "Exit codes: 0 clean or done, 1 findings or manual work needed, 2 usage, I/O or parse error.\n");
}

static const struct ds_subcmd *find_subcmd(const char *name)
{
	for (size_t i = 0; i < NSUBCMDS; i++)
		if (!strcmp(name, subcmds[i].name))
			return &subcmds[i];
	return NULL;
}

/* "distill: unknown command 'x'", with the nearest command name when it looks like a typo. */
static int unknown_command(const char *name)
{
	const char *cands[NSUBCMDS + 1];
	for (size_t i = 0; i < NSUBCMDS; i++)
		cands[i] = subcmds[i].name;
	cands[NSUBCMDS] = NULL;
	const char *near = ds_str_suggest(name, cands, true);
	if (near)
		fprintf(stderr, "distill: unknown command '%s' (did you mean '%s'?)\n", name, near);
	else
		fprintf(stderr, "distill: unknown command '%s'\n", name);
	fputs("try 'distill --help'\n", stderr);
	return DS_EXIT_ERROR;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct ds_catalog *cat;
	printf("distill %s\n", DS_VERSION);
	printf("commit %s\n", DS_COMMIT);
	if (ds_catalog_load_builtin(&cat, NULL) == 0) {
		const char *date = ds_catalog_date(cat);
		if (date)
			printf("catalogue %s\n", date);
		ds_catalog_free(cat);
	}
	return DS_EXIT_OK;
}

/* `distill help [CMD]`: the overview, or CMD's own --help. */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return DS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = (char *)"help";
	const struct ds_subcmd *c = find_subcmd(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	if (c->fn == cmd_help || c->fn == cmd_version || c->fn == cmd_completion) {
		printf("usage: distill %s%s\n  %s\n", c->name,
		       c->fn == cmd_help ? " [COMMAND]" : c->fn == cmd_completion ? " bash|zsh|fish" : "", c->summary);
		if (c->fn == cmd_completion)
			printf("  try it: source <(distill completion bash); make install and the .deb install all three\n");
		if (c->fn == cmd_help)
			printf("  'distill help COMMAND' prints what 'distill COMMAND --help' prints\n");
		return DS_EXIT_OK;
	}
	char *args[] = { (char *)c->name, (char *)"--help", NULL };
	return c->fn(2, args);
}

/* `distill completion SHELL`: the completion script generated from the option tables. */
static int cmd_completion(int argc, char **argv)
{
	struct ds_complete_cmd cmds[NSUBCMDS];
	for (size_t i = 0; i < NSUBCMDS; i++) {
		cmds[i].name = subcmds[i].name;
		cmds[i].summary = subcmds[i].summary;
		cmds[i].opts = subcmds[i].opts ? subcmds[i].opts() : NULL;
		cmds[i].words = subcmds[i].words;
	}
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		char *args[] = { (char *)"help", (char *)"completion", NULL };
		return cmd_help(2, args);
	}
	if (argc != 2 || ds_complete_print(stdout, argv[1], cmds, NSUBCMDS) < 0) {
		fprintf(stderr, "distill completion: %s\ntry 'distill help completion'\n",
			argc != 2 ? "give one shell: bash, zsh or fish" : "unknown shell (bash, zsh or fish)");
		return DS_EXIT_ERROR;
	}
	return fflush(stdout) ? DS_EXIT_ERROR : DS_EXIT_OK;
}

int main(int argc, char **argv)
{
	/* a file-size limit must fail a write (EFBIG), not kill us mid-way */
	signal(SIGXFSZ, SIG_IGN);
#ifdef __GLIBC__
	/*
	 * Blocks of 128 KiB and more are mapped, and given back when freed.
	 * glibc raises this threshold after the first large free (here, the
	 * input file's read buffer); after that, the big blocks of an arena
	 * released mid-way (the conversion behind lint's DST201 verdict) stay
	 * resident: lint of 8 MiB of short RUN lines peaked at 220 MB instead
	 * of 183 MB. Other C libraries keep their own policy.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/*
	 * Smaller blocks come from the heap, whose free top glibc gives back
	 * past 128 KiB. audit and lint of a folder release a file's scratch
	 * arenas (conversion, lint) after every file: each release gave the
	 * pages back (madvise, a TLB flush on every core) and the next file
	 * faulted them in again, a tenth of an audit of 20,000 files. 2 MiB a
	 * thread's heap may now stay; big blocks are mapped and go back anyway.
	 */
	mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
#endif
	/* temporary files and ShellCheck's process group do not outlive an interrupt */
	ds_cleanup_install();
	if (argc < 2) {
		usage(stderr);
		return DS_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return DS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	const struct ds_subcmd *c = find_subcmd(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	return unknown_command(argv[1]);
}
