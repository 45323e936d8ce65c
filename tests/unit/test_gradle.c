/* test_gradle.c - unit tests for rewrite/gradle: Gradle start scripts read back from the build file of a context. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"
#include "parsetext.h"

static struct ds_arena arena;
static struct ds_catalog *cat;
static char root[64];
static int serial;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	struct ds_catalog_error err;
	snprintf(root, sizeof root, "/tmp/ds-gradle-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return ds_catalog_load_builtin(&cat, &err);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return -1;
	ds_arena_release(&arena);
	ds_catalog_free(cat);
	return 0;
}

/* Writes dir/rel (folders made as needed). */
static void put(const char *dir, const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	for (char *s = strchr(p + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

struct result {
	enum ds_convert_status status;
	const char *out;
	const char *explain; /* every message, one a line */
};

/* Converts dockerfile with a fresh context holding files (name, text pairs, NULL-ended). */
static void convert(const char *dockerfile, const char *const *files, struct result *r)
{
	char dir[128];
	snprintf(dir, sizeof dir, "%s/%d", root, serial++);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (size_t i = 0; files[i]; i += 2)
		put(dir, files[i], files[i + 1]);
	struct ds_context ctx;
	const char *why;
	assert_int_equal(ds_context_open(&ctx, dir, &arena, &why), 0);
	struct ds_dockerfile *df;
	struct ds_model *m;
	ds_test_parse_text(&arena, dockerfile, NULL, &df, &m);
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.context = &ctx;
	struct ds_convert_result res;
	ds_convert(&arena, df, m, cat, &o, &res);
	ds_context_close(&ctx);
	r->status = res.status;
	r->out = ds_arena_strndup(&arena, res.output ? res.output : "", res.output_len);
	char *e = ds_arena_strdup(&arena, "");
	for (size_t i = 0; i < res.diags.n; i++)
		e = ds_arena_printf(&arena, "%s%s\n", e, res.diags.v[i].msg);
	r->explain = e;
}

/* A two-stage build of /src whose runtime stage runs /opt/app/bin/NAME; EXTRA goes before the COPY. */
#define TWO_STAGE(run, extra, name)                                   \
	"FROM gradle:8.10-jdk21 AS build\n"                           \
	"WORKDIR /src\n"                                              \
	"COPY . .\n"                                                  \
	"RUN " run "\n"                                               \
	"FROM eclipse-temurin:21-jre\n" extra                         \
	"COPY --from=build /src/build/install/" name " /opt/app\n"    \
	"ENTRYPOINT [\"/opt/app/bin/" name "\"]\n"

static void expect_java(const char *dockerfile, const char *const *files, const char *entrypoint)
{
	struct result r;
	convert(dockerfile, files, &r);
	if (!strstr(r.out, entrypoint))
		fail_msg("wanted %s in:\n%s\n%s", entrypoint, r.out, r.explain);
	assert_int_equal(r.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(r.explain, "instead of Gradle's"));
}

static void expect_manual(const char *dockerfile, const char *const *files, const char *why)
{
	struct result r;
	convert(dockerfile, files, &r);
	if (!strstr(r.explain, why))
		fail_msg("wanted '%s' in:\n%s", why, r.explain);
	assert_int_equal(r.status, DS_CONVERT_MANUAL);
}

static const char settings[] = "rootProject.name = 'svc'\n";

static void test_groovy_application_block(void **state)
{
	(void)state;
	const char *files[] = { "settings.gradle", settings, "build.gradle",
				"plugins {\n  id 'application'\n}\n"
				"application {\n  mainClass = 'com.example.Main' // the entry\n"
				"  applicationDefaultJvmArgs = ['-Xmx64m', \"-Dx=y\"]\n}\n"
				"/* the run task's own main class is not the script's */\n"
				"run { mainClass = 'com.example.Other' }\n",
				NULL };
	expect_java(TWO_STAGE("gradle installDist", "", "svc"), files,
		    "ENTRYPOINT [\"/usr/bin/java\", \"-Xmx64m\", \"-Dx=y\", \"-classpath\", \"/opt/app/lib/*\", \"com.example.Main\"]");
}

static void test_legacy_convention(void **state)
{
	(void)state;
	/* apply plugin: and mainClassName of Gradle before 7; the name is the folder's without settings */
	const char *files[] = { "build.gradle", "apply plugin: 'java'\napply plugin: 'application'\nmainClassName = 'a.B'\n",
				NULL };
	expect_java(TWO_STAGE("./gradlew clean installDist --no-daemon", "", "src"), files, "\"a.B\"]");
}

static void test_kotlin_and_options_from_env(void **state)
{
	(void)state;
	const char *files[] = { "settings.gradle.kts", "rootProject.name = \"svc\"\n", "build.gradle.kts",
				"plugins { application }\n"
				"application { mainClass.set(\"a.B\"); applicationDefaultJvmArgs = listOf(\"-Xss1m\") }\n",
				NULL };
	/* JAVA_OPTS, then SVC_OPTS (the name in upper snake case), after the default options */
	expect_java(TWO_STAGE("gradle installDist", "ENV JAVA_OPTS=\"-Da=1  -Db=2\" SVC_OPTS=-Dc=3\n", "svc"), files,
		    "\"-Xss1m\", \"-Da=1\", \"-Db=2\", \"-Dc=3\", \"-classpath\"");
}

static void test_custom_task(void **state)
{
	(void)state;
	/* a CreateStartScripts task of its own, put into bin/ of the distribution; the default one off */
	const char *files[] = { "settings.gradle", "rootProject.name = 'shop'\n", "build.gradle",
				"plugins { id 'application' }\n"
				"startScripts.enabled = false\n"
				"task adService(type: CreateStartScripts) {\n"
				"  mainClass.set('shop.AdService')\n  applicationName = 'AdService'\n"
				"  outputDir = new File(project.buildDir, 'tmp')\n  classpath = startScripts.classpath\n}\n"
				"applicationDistribution.into('bin') {\n  from(adService)\n  fileMode = 0755\n}\n",
				NULL };
	expect_java(TWO_STAGE("gradle installDist", "ENV AD_SERVICE_OPTS=-Dad=1\n", "AdService"), files,
		    "\"-Dad=1\", \"-classpath\", \"/opt/app/lib/*\", \"shop.AdService\"]");
}

static void test_subproject(void **state)
{
	(void)state;
	const char *files[] = { "settings.gradle", "rootProject.name = 'top'\ninclude('app', 'lib')\n", "app/build.gradle",
				"plugins { id 'application' }\napplication { mainClass = 'top.App' }\n", NULL };
	const char *df = "FROM gradle:8.10-jdk21 AS build\nWORKDIR /w\nCOPY . .\nRUN gradle :app:installDist\n"
			 "FROM eclipse-temurin:21-jre\nWORKDIR /opt\nCOPY --from=build /w/app/build/install/app app\n"
			 "CMD [\"app/bin/app\", \"--serve\"]\n";
	expect_java(df, files, "\"/opt/app/lib/*\", \"top.App\", \"--serve\"]");
}

static void test_built_in_place(void **state)
{
	(void)state;
	const char *files[] = { "settings.gradle", settings, "build.gradle",
				"plugins { id 'application' }\napplication { mainClass = 'a.B' }\n", NULL };
	const char *df = "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nRUN ./gradlew installDist\n"
			 "ENTRYPOINT [\"build/install/svc/bin/svc\"]\n";
	expect_java(df, files, "\"/app/build/install/svc/lib/*\", \"a.B\"]");
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *build, *want;
	} cases[] = {
		{ "plugins { id 'application' }\napplication { mainClass = \"a.${name}.Main\" }\n",
		  "is computed, line 2: \"a.${name}.Main\"" },
		{ "plugins { id 'application' }\napplication { mainClass = providers.gradleProperty('main').get() }\n",
		  "is computed, line 2: providers.gradleProperty" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B' }\n"
		  "if (System.getenv('CI')) {\n  application { applicationDefaultJvmArgs = ['-Xmx1g'] }\n}\n",
		  "under a condition or for other projects, line 4" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B' }\n"
		  "startScripts {\n  doLast { unixScript.text = unixScript.text.replace('A', 'B') }\n}\n",
		  "configures the startScripts task, line 4" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B' }\n"
		  "tasks.withType(CreateStartScripts) { defaultJvmOpts = [] }\n",
		  "configures every start-script task, line 3" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B'\n  applicationDefaultJvmArgs = [\"-Dd=$buildDir\"] }\n",
		  "default JVM options of the application plugin's startScripts task ('build.gradle') are computed" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B'\n  applicationName = 'other' }\n",
		  "writes the start script bin/other, not bin/svc" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B' }\nmainClassName = 'a.C'\n",
		  "sets the main class twice (lines 2 and 3)" },
		{ "plugins { id 'application' }\napplication { mainModule = 'a.mod'\n  mainClass = 'a.B' }\n",
		  "sets a main module (line 2)" },
		{ "plugins { id 'application' }\napply from: 'gradle/app.gradle'\n",
		  "applies the script 'gradle/app.gradle' (line 2)" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B' }\n"
		  "distributions { main { contents { into('lib') { from 'extra' } } } }\n",
		  "adds files to lib/ (line 3)" },
		{ "plugins { id 'java' }\n", "does not apply the application plugin" },
		{ "plugins { id 'application' }\napplication {\n  mainClass = 'a.B'\n", "cannot be read: its brackets do not balance" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B\n}\n", "cannot be read: a string at line 2 does not end" },
		{ "plugins { id 'application' }\n", "sets no main class distill can see" },
		{ "plugins { id 'application' }\napplication { mainClass = 'a.B$Inner' }\n", "is not a plain class name" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *files[] = { "settings.gradle", settings, "build.gradle", cases[i].build, NULL };
		expect_manual(TWO_STAGE("gradle installDist", "", "svc"), files, cases[i].want);
	}
}

static void test_refused_by_the_dockerfile(void **state)
{
	(void)state;
	const char *files[] = { "settings.gradle", settings, "build.gradle",
				"plugins { id 'application' }\napplication { mainClass = 'a.B' }\n", NULL };
	expect_manual(TWO_STAGE("gradle installDist", "ENV JAVA_HOME=/opt/jre\n", "svc"), files,
		      "it runs $JAVA_HOME/bin/java, and the Dockerfile sets JAVA_HOME ('/opt/jre')");
	expect_manual(TWO_STAGE("gradle installDist", "ENV JAVA_OPTS=\"-Dx='a b'\"\n", "svc"), files,
		      "the script splits JAVA_OPTS as xargs does, and distill follows plain words only");
	expect_manual(TWO_STAGE("gradle build -x installDist", "", "svc"), files,
		      "no RUN of stage 'build' runs 'gradle installDist' for '/src'");
	expect_manual(TWO_STAGE("gradle -p sub installDist", "", "svc"), files, "with the option '-p'");
	/* the build file is not what the builder copied */
	const char *none[] = { "settings.gradle", settings, NULL };
	expect_manual(TWO_STAGE("gradle installDist", "", "svc"), none, "its build file ('/src/build.gradle' or '.kts' in the image) is not in the build context");
	/* bin/ without lib/ */
	expect_manual("FROM gradle:8.10-jdk21 AS build\nWORKDIR /src\nCOPY . .\nRUN gradle installDist\n"
		      "FROM eclipse-temurin:21-jre\nCOPY --from=build /src/build/install/svc/bin /opt/app/bin\n"
		      "ENTRYPOINT [\"/opt/app/bin/svc\"]\n",
		      files, "its lib/ folder does not come with it to '/opt/app/lib'");
}

static void test_buildsrc_plugins(void **state)
{
	(void)state;
	/* a precompiled script plugin of buildSrc is read as part of the build */
	const char *read[] = { "settings.gradle", settings, "build.gradle",
			       "plugins { id 'demo.app-conventions' }\napplication { mainClass = 'a.B' }\n",
			       "buildSrc/src/main/groovy/demo.app-conventions.gradle",
			       "plugins {\n  id 'java'\n  id 'application'\n}\napplication { applicationDefaultJvmArgs = ['-Xmx256m'] }\n",
			       NULL };
	expect_java(TWO_STAGE("gradle installDist", "", "svc"), read, "[\"/usr/bin/java\", \"-Xmx256m\", \"-classpath\"");
	/* one it cannot find there */
	const char *unread[] = { "settings.gradle", settings, "build.gradle",
				 "plugins { id 'demo.other' }\napplication { mainClass = 'a.B' }\n", "buildSrc/build.gradle", "\n",
				 NULL };
	expect_manual(TWO_STAGE("gradle installDist", "", "svc"), unread,
		      "the build applies the plugin 'demo.other', which buildSrc defines and distill does not read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groovy_application_block),
		cmocka_unit_test(test_legacy_convention),
		cmocka_unit_test(test_kotlin_and_options_from_env),
		cmocka_unit_test(test_custom_task),
		cmocka_unit_test(test_subproject),
		cmocka_unit_test(test_built_in_place),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_refused_by_the_dockerfile),
		cmocka_unit_test(test_buildsrc_plugins),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
