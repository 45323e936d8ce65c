/* cmd_rules.c - `distill rules`: the rule table, and one rule's documentation (emit/ruledoc.h). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "emit/ruledoc.h"
#include "rules/rules.h"

static const char rules_usage[] =
	"usage: distill rules [NAME...]\n"
	"\n"
	"Without NAME, lists every rule: code, slug, default severity, whether\n"
	"`distill convert` fixes it, and a summary. With NAME (a code such as DL3008,\n"
	"a slug such as pin-apt, or a BuildKit check such as StageNameCasing), explains\n"
	"that rule, with the rules that report the same thing and a bad and a good\n"
	"example; SC explains ShellCheck's findings, SC2086 points to its wiki page.\n"
	"Exit: 0, or 2 for an unknown name.\n";

int ds_cmd_rules(int argc, char **argv)
{
	int first = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(rules_usage, stdout);
			return DS_EXIT_OK;
		}
		if (!strcmp(argv[i], "--")) {
			first = i + 1;
			break;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return ds_usage_error("rules", "unknown option '%s'", argv[i]);
	}
	if (first >= argc) {
		for (size_t i = 0; i < DS_R__COUNT; i++) {
			const struct ds_rule_info *r = &ds_rules[i];
			printf("%-31s %-36s %-7s %-7s %s\n", r->code, r->slug,
			       r->sev == DS_SEV_NONE ? "off" : ds_severity_name(r->sev), r->fixable ? "fixable" : "-",
			       r->summary);
		}
		return fflush(stdout) ? DS_EXIT_ERROR : DS_EXIT_OK;
	}
	int rc = DS_EXIT_OK;
	struct ds_buf b = DS_BUF_INIT;
	for (int i = first; i < argc; i++) {
		const struct ds_rule_info *r = ds_rule_find(argv[i]);
		ds_buf_reset(&b);
		if (r)
			ds_ruledoc(&b, r, DS_RULEDOC_TEXT);
		else if (!ds_ruledoc_shellcheck(&b, argv[i], DS_RULEDOC_TEXT)) {
			const char *near = ds_rule_suggest(argv[i]);
			if (near)
				fprintf(stderr, "distill rules: unknown rule '%s' (did you mean '%s'?)\n", argv[i], near);
			else
				fprintf(stderr, "distill rules: unknown rule '%s' (a code, a slug or a BuildKit check name)\n",
					argv[i]);
			rc = DS_EXIT_ERROR;
			continue;
		}
		if (i > first)
			putchar('\n');
		fwrite(b.buf, 1, b.len, stdout);
	}
	ds_buf_release(&b);
	if (fflush(stdout))
		rc = DS_EXIT_ERROR;
	return rc;
}
