/* cmd_lsp.c - `distill lsp`: the language server on standard input and output (issue 16). */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/lsp.h"

static const char lsp_usage[] =
	"usage: distill lsp [--config FILE] [--no-shellcheck] [--stdio]\n"
	"\n"
	"Runs a language server (LSP 3.17, JSON-RPC over standard input and output) for\n"
	"an editor: diagnostics from every rule as you type (ShellCheck's when a file is\n"
	"opened or saved), hover explanations of instructions, findings and images, quick\n"
	"fixes, '# distill ignore=' pragmas, 'Convert final stage to distroless', document\n"
	"symbols, go to definition and completion. Configuration is found as lint finds\n"
	"it. Logs go to standard error.\n"
	"  --config FILE      use FILE instead of the .distill.yaml (or .hadolint.yaml)\n"
	"                     found in each file's folder or above\n"
	"  --no-shellcheck    do not run shellcheck on open and save\n"
	"  --stdio            talk on standard input and output (the default; accepted\n"
	"                     because editor clients pass it)\n"
	"The client may send initializationOptions (and workspace/didChangeConfiguration\n"
	"settings under \"distill\") {\"config\": FILE, \"shellcheck\": false}.\n"
	"Exit: 0 after shutdown and exit; 1 when the client left without them; 2 usage.\n";

/* The options of lsp (cli.h): getopt_long's table, and the source of the completions. */
static const struct option lsp_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "no-shellcheck", no_argument, NULL, 'S' },
	{ "stdio", no_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_lsp_options(void)
{
	return lsp_options;
}

int ds_cmd_lsp(int argc, char **argv)
{
	const char *config = NULL;
	bool shellcheck = true;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", lsp_options, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'S': shellcheck = false; break;
		case 's': break;
		case 'h': fputs(lsp_usage, stdout); return DS_EXIT_OK;
		default: return ds_usage_bad_option("lsp", lsp_options, "h", argv, optind, optopt);
		}
	}
	if (optind < argc)
		return ds_usage_error("lsp", "unexpected argument '%s'", argv[optind]);
	return ds_lsp_run(shellcheck, config);
}
