/* rule_docs.c - build tool: writes docs/rules/ (a page per rule, SC.md and README.md) from rules/rules.def. */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "emit/ruledoc.h"
#include "rules/rules.h"

/*
 * usage: rule_docs DIR
 *
 * Writes DIR/CODE.md for every rule of the table, DIR/SC.md for
 * ShellCheck's codes and DIR/README.md, the index (tools/gen-rule-docs.sh
 * runs it on docs/rules; the ctest rule-docs checks that the pages in the
 * repository are what it writes). Exit status: 0 done, 2 usage or I/O error.
 */

static int put(const char *dir, const char *name, const struct ds_buf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.md", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	bool ok = fwrite(b->buf, 1, b->len, f) == b->len;
	if (fclose(f) || !ok) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: rule_docs DIR\n", stderr);
		return 2;
	}
	struct ds_buf b = DS_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < DS_R__COUNT && !rc; i++) {
		ds_buf_reset(&b);
		ds_ruledoc(&b, &ds_rules[i], DS_RULEDOC_MARKDOWN);
		rc = put(argv[1], ds_rules[i].code, &b);
	}
	ds_buf_reset(&b);
	ds_ruledoc_shellcheck(&b, "SC", DS_RULEDOC_MARKDOWN);
	rc = rc ? rc : put(argv[1], "SC", &b);
	ds_buf_reset(&b);
	ds_ruledoc_index(&b);
	rc = rc ? rc : put(argv[1], "README", &b);
	ds_buf_release(&b);
	return rc ? 2 : 0;
}
