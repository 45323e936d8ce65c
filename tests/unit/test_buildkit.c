/* test_buildkit.c - BuildKit's checks, one finding per twin, profiles and the `# check=` directive (rules/buildkit.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/config.h"
#include "rules/rules.h"

static struct ds_catalog *cat;
static char got[4096];

/*
 * Lints text with the .distill.yaml y (NULL: none) and returns
 * "CODE:LINE:SEVERITY ..." of the findings whose code is in the
 * comma-separated list only, in position order.
 */
static const char *lint(const char *text, const char *y, const char *only)
{
	struct ds_config cfg;
	ds_config_init(&cfg);
	if (y) {
		struct ds_config_error err;
		assert_int_equal(ds_config_load_mem(&cfg, ".distill.yaml", y, strlen(y), DS_CONFIG_DISTILL, &err), 0);
	}
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	struct ds_dockerfile df;
	assert_int_equal(ds_parse(&a, &src, NULL, &df), 0);
	struct ds_model m;
	ds_model_build(&a, &df, NULL, &m);
	struct ds_diags d = { 0 };
	ds_lint_collect(&a, &df, &m, cat, &cfg.lint, &d);
	ds_lint_filter(&a, &df, &m, &cfg, &d, 0);
	got[0] = '\0';
	for (size_t i = 0; i < d.n; i++) {
		const char *code = d.v[i].code ? d.v[i].code : "";
		bool keep = false;
		for (const char *p = only; *p;) {
			const char *e = strchr(p, ',');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			keep |= strlen(code) == n && !strncmp(code, p, n);
			p = e ? e + 1 : p + n;
		}
		if (!keep)
			continue;
		uint32_t line, col;
		ds_source_linecol(&src, d.v[i].off, &line, &col);
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%u:%s", *got ? " " : "", code, line,
			 ds_severity_name(d.v[i].sev));
	}
	ds_arena_release(&a);
	ds_config_release(&cfg);
	return got;
}

#define BK "profile: buildkit\n"
#define IS(text, y, only, expected) assert_string_equal(lint(text, y, only), expected)

/* Each check on a case of its own, beside the examples of rules.def. */
static void test_checks(void **state)
{
	(void)state;
	IS("FROM a:1 AS Build\nFROM a:1 as x\n", BK, "StageNameCasing,FromAsCasing",
	   "StageNameCasing:1:warning FromAsCasing:2:warning");
	/* a mixed-case FROM is ConsistentInstructionCasing's to report, not FromAsCasing's */
	IS("From a:1 as x\n", BK, "FromAsCasing,ConsistentInstructionCasing", "ConsistentInstructionCasing:1:warning");
	/* the majority decides; a tie is upper case; ARGs before FROM do not vote */
	IS("arg x\nfrom a:1\nrun x\nCMD [\"a\"]\n", BK, "ConsistentInstructionCasing",
	   "ConsistentInstructionCasing:4:warning");
	IS("FROM a:1\nrun x\n", BK, "ConsistentInstructionCasing", "ConsistentInstructionCasing:2:warning");
	IS("FROM a:1\nLABEL a b\nENV c d\nENV e=f\n", BK, "LegacyKeyValueFormat",
	   "LegacyKeyValueFormat:2:warning LegacyKeyValueFormat:3:warning");
	IS("FROM a:1\nEXPOSE 80/UDP 8080:80 127.0.0.1:53:53/udp 443\n", BK, "ExposeProtoCasing,ExposeInvalidFormat",
	   "ExposeProtoCasing:2:warning ExposeInvalidFormat:2:warning ExposeInvalidFormat:2:warning");
	IS("FROM a:1\nRUN a \\\n\n  b \\\n   \n  c\nRUN d \\\n  e\n", BK, "NoEmptyContinuation", "NoEmptyContinuation:3:warning");
	/* a global ARG without a default makes an invalid name; one with a default, or an automatic platform ARG, does not */
	IS("ARG TAG\nARG IMG=alpine\nFROM a:${TAG}\nFROM ${IMG}\nFROM --platform=$BUILDPLATFORM b-${TARGETARCH}\n", BK,
	   "InvalidDefaultArgInFrom", "InvalidDefaultArgInFrom:3:warning");
	IS("FROM a:1\nWORKDIR /x\nWORKDIR y\nFROM a:1\nWORKDIR z\n", BK, "WorkdirRelativePath", "WorkdirRelativePath:5:warning");
	/* BuildKit reports the CMD that does not take effect: the earlier one */
	IS("FROM a:1\nCMD [\"a\"]\nHEALTHCHECK NONE\nCMD [\"b\"]\nHEALTHCHECK NONE\n", BK, "MultipleInstructionsDisallowed",
	   "MultipleInstructionsDisallowed:2:warning MultipleInstructionsDisallowed:3:warning");
	/* JSONArgsRecommended: not once SHELL is set, also through FROM <stage> */
	IS("FROM a:1 AS b\nSHELL [\"/bin/bash\", \"-c\"]\nCMD x\nFROM b\nENTRYPOINT y\nFROM a:1\nCMD z\n", BK,
	   "JSONArgsRecommended", "JSONArgsRecommended:7:warning");
	IS("FROM a:1\nARG GITHUB_TOKEN\nENV PUBLIC_KEY=x API_KEY_FILE=/k MYSECRETS=1 DB_PASSWORD=p\n", BK,
	   "SecretsUsedInArgOrEnv", "SecretsUsedInArgOrEnv:2:warning SecretsUsedInArgOrEnv:3:warning");
	IS("FROM --platform=linux/arm64 a:1 AS b\nFROM --platform=linux/arm64 a:1 AS b-arm64\n"
	   "FROM --platform=$TARGETPLATFORM a:1\nFROM --platform=${BUILDPLATFORM} a:1\n",
	   BK, "FromPlatformFlagConstDisallowed,RedundantTargetPlatform",
	   "FromPlatformFlagConstDisallowed:1:warning RedundantTargetPlatform:3:warning");
	IS("FROM a:1 AS x\nFROM a:1 AS X\nFROM a:1 AS scratch\n", BK, "DuplicateStageName,ReservedStageName",
	   "DuplicateStageName:2:warning ReservedStageName:3:warning");
	IS("FROM a:${V}\nFROM a:1\nARG b=1\nLABEL x=$b y=$c\n", BK, "UndefinedArgInFrom,UndefinedVar",
	   "UndefinedArgInFrom:1:warning UndefinedVar:4:warning");
	IS("FROM --platform=linux/amd64 mcr.microsoft.com/windows/servercore:ltsc2022\n"
	   "FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022\n",
	   BK, "InvalidBaseImagePlatform", "InvalidBaseImagePlatform:1:warning");
}

/* Where a BuildKit check and a DL or DST rule say the same thing, one finding, and either name governs it. */
static void test_twins(void **state)
{
	(void)state;
	const char *df = "FROM a:1\nMAINTAINER me\nWORKDIR x\nCMD [\"a\"]\nCMD b\n";
	const char *names = "DL4000,MaintainerDeprecated,DL3000,WorkdirRelativePath,DL4003,DL3025,"
			    "MultipleInstructionsDisallowed,JSONArgsRecommended";
	IS(df, NULL, names, "DL4000:2:error DL3000:3:error DL3025:5:warning DL4003:5:warning");
	IS(df, BK, names,
	   "MaintainerDeprecated:2:warning WorkdirRelativePath:3:warning MultipleInstructionsDisallowed:4:warning "
	   "JSONArgsRecommended:5:warning");
	IS(df, "profile: hadolint\n", names, "DL4000:2:error DL3000:3:error DL3025:5:warning DL4003:5:warning");
	/* ignoring, re-rating or a pragma with either name governs the one finding */
	IS(df, "ignored: [MaintainerDeprecated]\n", "DL4000,MaintainerDeprecated", "");
	IS(df, BK "ignored: [DL4000]\n", "DL4000,MaintainerDeprecated", "");
	IS(df, "override: {style: [MaintainerDeprecated]}\n", "DL4000", "DL4000:2:style");
	IS("FROM a:1\n# distill ignore=MaintainerDeprecated\nMAINTAINER me\n", NULL, "DL4000,MaintainerDeprecated", "");
	IS("FROM a:1\n# distill ignore=no-maintainer\nMAINTAINER me\n", BK, "DL4000,MaintainerDeprecated", "");
	/* the secrets checks meet on a name both take, and each keeps its own */
	IS("FROM a:1\nARG GITHUB_TOKEN\nARG SESSION_KEY\nARG MY_USERNAME\n", NULL, "DL3064,SecretsUsedInArgOrEnv",
	   "DL3064:2:warning SecretsUsedInArgOrEnv:3:warning DL3064:4:warning");
	/* the distroless profile runs DST only */
	IS(df, "profile: distroless\n", names, "");
}

/* BuildKit's `# check=` directive (frontend/dockerfile/linter/linter.go). */
static void test_check_directive(void **state)
{
	(void)state;
	const char *body = "FROM a:1 AS Build\nMAINTAINER me\nEXPOSE 80/TCP\n";
	const char *names = "StageNameCasing,DL4000,ExposeProtoCasing";
	IS(body, NULL, names, "StageNameCasing:1:warning DL4000:2:error ExposeProtoCasing:3:warning");
	char df[512];
	snprintf(df, sizeof df, "# check=skip=StageNameCasing,MaintainerDeprecated\n%s", body);
	/* DL4000 is MaintainerDeprecated's finding: skipping either name skips it */
	IS(df, NULL, names, "ExposeProtoCasing:4:warning");
	snprintf(df, sizeof df, "# check=skip=all\n%s", body);
	IS(df, NULL, names, "");
	snprintf(df, sizeof df, "# check=error=true\n%s", body);
	IS(df, NULL, names, "StageNameCasing:2:error DL4000:3:error ExposeProtoCasing:4:error");
	/* error=true does not touch what has no BuildKit name */
	IS("# check=error=true\nFROM a:1\nRUN cd /x\n", NULL, "DL3003", "DL3003:3:warning");
	/* spaces, and the experimental key, are BuildKit's syntax too */
	snprintf(df, sizeof df, "# check = skip = StageNameCasing ; experimental=all ; error = 1\n%s", body);
	IS(df, NULL, names, "DL4000:3:error ExposeProtoCasing:4:error");
	/* an invalid value makes the whole directive void */
	snprintf(df, sizeof df, "# check=skip=StageNameCasing;bogus=1\n%s", body);
	IS(df, NULL, names, "StageNameCasing:2:warning DL4000:3:error ExposeProtoCasing:4:warning");
	/* in the comments above an instruction: that instruction; above a FROM: its stage */
	IS("FROM a:1\n# check=skip=ExposeProtoCasing\nEXPOSE 80/TCP\nEXPOSE 81/TCP\n", NULL, "ExposeProtoCasing",
	   "ExposeProtoCasing:4:warning");
	IS("FROM a:1 AS c\n# check=skip=ExposeProtoCasing\nFROM a:1 AS b\nEXPOSE 80/TCP\nFROM a:1\nEXPOSE 81/TCP\n", NULL,
	   "ExposeProtoCasing", "ExposeProtoCasing:6:warning");
	/* at the top of the file it is BuildKit's parser directive: the whole file */
	IS("# check=skip=ExposeProtoCasing\nFROM a:1 AS b\nEXPOSE 80/TCP\nFROM a:1\nEXPOSE 81/TCP\n", NULL,
	   "ExposeProtoCasing", "");
}

static int setup(void **state)
{
	(void)state;
	struct ds_catalog_error err;
	return ds_catalog_load_builtin(&cat, &err);
}

static int teardown(void **state)
{
	(void)state;
	ds_catalog_free(cat);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_twins),
		cmocka_unit_test(test_check_directive),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
