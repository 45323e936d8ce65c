/* complete.h - shell completion scripts generated from the commands' option tables. */
#ifndef DS_CLI_COMPLETE_H
#define DS_CLI_COMPLETE_H

#include <stddef.h>
#include <stdio.h>

struct option;

/* One command as the completions see it. */
struct ds_complete_cmd {
	const char *name;
	const char *summary;
	const struct option *opts; /* getopt_long's table (ends with a zero row), or NULL: no options */
	const char *words;         /* operands to offer instead of file names ("bash zsh fish"), or NULL;
				    * "@commands" offers the command names */
};

/*
 * Prints the completion script for shell ("bash", "zsh" or "fish") of the
 * n commands: command names, each command's long options (an option with
 * a value completes a file name), and operands. Returns 0, or -1 when
 * shell is none of those (nothing is printed).
 */
int ds_complete_print(FILE *f, const char *shell, const struct ds_complete_cmd *cmds, size_t n);

#endif
