/* ruledoc.c - rule documentation from rules/rules.def; see ruledoc.h. */
#include "emit/ruledoc.h"

#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "rules/rules.h"

static const char *family_name(enum ds_rule_family f)
{
	switch (f) {
	case DS_FAM_DST: return "distill";
	case DS_FAM_DL: return "hadolint";
	case DS_FAM_SC: return "ShellCheck";
	case DS_FAM_BUILDKIT: return "BuildKit (docker build --check)";
	}
	return "";
}

static const char *severity(const struct ds_rule_info *r)
{
	return r->sev == DS_SEV_NONE ? "off unless configured" : ds_severity_name(r->sev);
}

/* An example Dockerfile, indented (text) or fenced (markdown). */
static void example(struct ds_buf *out, const char *title, const char *text, enum ds_ruledoc_form form)
{
	if (form == DS_RULEDOC_MARKDOWN) {
		ds_buf_addf(out, "\n%s:\n\n```dockerfile\n%s", title, text);
		if (*text && text[strlen(text) - 1] != '\n')
			ds_buf_addc(out, '\n');
		ds_buf_adds(out, "```\n");
		return;
	}
	ds_buf_addf(out, "\n%s:\n", title);
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		ds_buf_adds(out, "    ");
		ds_buf_add(out, p, n);
		ds_buf_addc(out, '\n');
		p = e ? e + 1 : p + n;
	}
}

void ds_ruledoc(struct ds_buf *out, const struct ds_rule_info *r, enum ds_ruledoc_form form)
{
	enum ds_rule_family fam = ds_rule_family(r);
	bool md = form == DS_RULEDOC_MARKDOWN;
	if (md)
		ds_buf_addf(out, "# %s: %s\n\n%s.\n\n| | |\n|---|---|\n| slug | `%s` |\n| family | %s |\n"
				 "| default severity | %s |\n| fixed by `distill convert` | %s |\n",
			    r->code, r->slug, r->summary, r->slug, family_name(fam), severity(r), r->fixable ? "yes" : "no");
	else
		ds_buf_addf(out, "%s %s (%s, %s%s)\n%s\n", r->code, r->slug, family_name(fam), severity(r),
			    r->fixable ? ", fixed by distill convert" : "", r->summary);
	enum ds_rule_id tw[8];
	size_t n = ds_rule_twins((enum ds_rule_id)(r - ds_rules), tw, 8);
	if (n) {
		ds_buf_adds(out, md ? "| the same finding as | " : "The same finding as ");
		for (size_t i = 0; i < n && i < 8; i++) {
			const char *c = ds_rules[tw[i]].code;
			if (md)
				ds_buf_addf(out, "%s[%s](%s.md)", i ? ", " : "", c, c);
			else
				ds_buf_addf(out, "%s%s", i ? ", " : "", c);
		}
		ds_buf_adds(out, md ? " |\n" : "\n");
	}
	if (fam == DS_FAM_BUILDKIT && md)
		ds_buf_addf(out, "| BuildKit's page | <https://docs.docker.com/go/dockerfile/rule/%s/> |\n", r->slug);
	ds_buf_addf(out, "\n%s\n", r->explain);
	example(out, md ? "A Dockerfile it reports" : "Reported", r->bad, form);
	example(out, md ? "The same, fixed" : "Fixed", r->good, form);
	if (md)
		ds_buf_adds(out, "\n<!-- generated from rules/rules.def by tools/gen-rule-docs.sh; edit that file instead -->\n");
}

bool ds_ruledoc_shellcheck(struct ds_buf *out, const char *name, enum ds_ruledoc_form form)
{
	if (strncmp(name, "SC", 2) && strncmp(name, "sc", 2))
		return false;
	const char *d = name + 2;
	if (strspn(d, "0123456789") != strlen(d))
		return false;
	bool md = form == DS_RULEDOC_MARKDOWN;
	if (*d)
		ds_buf_addf(out, md ? "# SC%s\n\nShellCheck's check %s: <https://www.shellcheck.net/wiki/SC%s>\n"
				    : "SC%s (ShellCheck)\nShellCheck's check %s: https://www.shellcheck.net/wiki/SC%s\n",
			    d, d, d);
	else
		ds_buf_adds(out, md ? "# SC: ShellCheck\n\n" : "SC (ShellCheck)\n");
	ds_buf_adds(out,
		    "\nlint runs ShellCheck (when it is on PATH) on the shell of RUN instructions, ONBUILD RUN "
		    "included, and on the here-documents the shell runs, and reports its findings as SCxxxx at "
		    "the Dockerfile's own lines and columns. One shellcheck process checks the scripts of many "
		    "Dockerfiles (--jobs sets how many run at once); --no-shellcheck and --profile buildkit or "
		    "distroless leave it out. Each script is declared the variables the RUN sees: BuildKit's proxy "
		    "variables, and the ARGs and ENVs in scope (an ONBUILD RUN sees only the ENVs, as the child "
		    "build does). Scripts run by powershell or cmd (SHELL, or a `# hadolint shell=powershell` "
		    "pragma) are not checked. Differs from hadolint: an ONBUILD RUN is checked with the SHELL of "
		    "its stage, which the child image inherits (hadolint checks it with /bin/sh).\n");
	return true;
}

void ds_ruledoc_index(struct ds_buf *out)
{
	ds_buf_adds(out, "# distill's rules\n\nEvery rule `distill lint` reports, with its page. "
			 "`distill rules CODE` prints the same text.\n\n| code | slug | family | severity | summary |\n"
			 "|---|---|---|---|---|\n");
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		const struct ds_rule_info *r = &ds_rules[i];
		ds_buf_addf(out, "| [%s](%s.md) | `%s` | %s | %s | ", r->code, r->code, r->slug,
			    family_name(ds_rule_family(r)), severity(r));
		for (const char *p = r->summary; *p; p++) {
			if (*p == '|')
				ds_buf_addc(out, '\\');
			ds_buf_addc(out, *p);
		}
		ds_buf_adds(out, " |\n");
	}
	ds_buf_adds(out, "| [SC](SC.md) | `shellcheck` | ShellCheck | as ShellCheck rates it | "
			 "ShellCheck's findings on RUN scripts |\n"
			 "\n<!-- generated from rules/rules.def by tools/gen-rule-docs.sh; edit that file instead -->\n");
}
