/* cmd_rules.c - `distill rules`: the rule table, and one rule's explanation. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "rules/rules.h"

static const char rules_usage[] =
	"usage: distill rules [CODE...]\n"
	"\n"
	"Without CODE, lists every rule: code, slug, default severity, whether\n"
	"`distill convert` fixes it, and a summary. With CODE, explains that rule.\n"
	"Exit: 0, or 2 for an unknown code.\n";

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
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "distill rules: unknown option '%s'\n", argv[i]);
			fputs(rules_usage, stderr);
			return DS_EXIT_ERROR;
		}
	}
	if (first >= argc) {
		for (size_t i = 0; i < DS_R__COUNT; i++) {
			const struct ds_rule_info *r = &ds_rules[i];
			printf("%-7s %-32s %-7s %-7s %s\n", r->code, r->slug, ds_severity_name(r->sev),
			       r->fixable ? "fixable" : "-", r->summary);
		}
		return fflush(stdout) ? DS_EXIT_ERROR : DS_EXIT_OK;
	}
	int rc = DS_EXIT_OK;
	for (int i = first; i < argc; i++) {
		const struct ds_rule_info *r = ds_rule_find(argv[i]);
		if (!r) {
			fprintf(stderr, "distill rules: unknown rule code '%s'\n", argv[i]);
			rc = DS_EXIT_ERROR;
			continue;
		}
		if (i > first)
			putchar('\n');
		printf("%s %s (%s%s)\n%s\n\n%s\n", r->code, r->slug, ds_severity_name(r->sev),
		       r->fixable ? ", fixed by distill convert" : "", r->summary, r->explain);
	}
	if (fflush(stdout))
		rc = DS_EXIT_ERROR;
	return rc;
}
