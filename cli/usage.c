/* usage.c - the one shape of a usage error: "distill CMD: message", then "try 'distill CMD --help'". */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/str.h"

int ds_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "distill %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ntry 'distill %s --help'\n", cmd);
	return DS_EXIT_ERROR;
}

int ds_usage_bad_option(const char *cmd, const struct option *opts, const char *shortopts, char **argv, int ind,
			int opt)
{
	const char *arg = ind > 0 ? argv[ind - 1] : "";
	if (arg[0] == '-' && arg[1] == '-' && arg[2]) {
		/* a long option: "--name" or "--name=value" */
		const char *name = arg + 2;
		size_t n = strcspn(name, "=");
		size_t count = 0;
		for (const struct option *o = opts; o->name; o++) {
			if (strlen(o->name) == n && !strncmp(o->name, name, n)) {
				if (o->has_arg == required_argument && !name[n])
					return ds_usage_error(cmd, "option '--%s' needs a value", o->name);
				if (o->has_arg == no_argument && name[n])
					return ds_usage_error(cmd, "option '--%s' takes no value", o->name);
			}
			count++;
		}
		/* a prefix of several options (getopt_long's "ambiguous") */
		size_t matches = 0;
		for (const struct option *o = opts; o->name; o++)
			if (!strncmp(o->name, name, n))
				matches++;
		if (matches > 1)
			return ds_usage_error(cmd, "option '%.*s' is ambiguous", (int)(n + 2), arg);
		const char **cands = ds_xmalloc((count + 1) * sizeof *cands);
		for (size_t i = 0; i < count; i++)
			cands[i] = opts[i].name;
		cands[count] = NULL;
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), name);
		const char *near = ds_str_suggest(word, cands, false);
		free(cands);
		if (near)
			return ds_usage_error(cmd, "unknown option '--%s' (did you mean '--%s'?)", word, near);
		return ds_usage_error(cmd, "unknown option '--%s'", word);
	}
	/* a short option: getopt_long put it in optopt */
	const char *p = opt > 0 && opt < 256 ? strchr(shortopts, opt) : NULL;
	if (p && p[1] == ':')
		return ds_usage_error(cmd, "option '-%c' needs a value", opt);
	if (opt > 0 && opt < 256 && opt >= ' ' && opt < 127)
		return ds_usage_error(cmd, "unknown option '-%c'", opt);
	return ds_usage_error(cmd, "unknown option '%s'", arg);
}
