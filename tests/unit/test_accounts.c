/* test_accounts.c - unit tests for analyze/accounts: what adduser, useradd, addgroup and groupadd make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "analyze/accounts.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"

static struct ds_arena arena;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* The account command of script (its one command); the test fails when there is none. */
static struct ds_account_cmd read_one(const char *script)
{
	struct ds_shell_cmd *cmds;
	size_t n;
	assert_int_equal(ds_shell_split(&arena, script, strlen(script), &cmds, &n), 0);
	assert_int_equal(n, 1);
	struct ds_account_cmd ac;
	assert_true(ds_account_cmd_read(&cmds[0], &ac));
	return ac;
}

static void test_busybox_adduser(void **state)
{
	(void)state;
	/* a user, its own group (gid = uid where free), a home in /home */
	struct ds_account_cmd ac = read_one("adduser -D -u 10001 app");
	assert_int_equal(ac.tool, DS_ACCT_ADDUSER);
	assert_string_equal(ac.name, "app");
	assert_false(ac.group);
	assert_int_equal(ac.id, 10001);
	assert_true(ac.own_group);
	assert_null(ac.home);
	assert_false(ac.no_home);
	assert_null(ac.unsure);
	/* clustered flags, -g is the GECOS and takes a value, options after the name */
	ac = read_one("adduser -DH -g 1000 woodpecker -u1000");
	assert_string_equal(ac.name, "woodpecker");
	assert_int_equal(ac.id, 1000);
	assert_true(ac.no_home);
	assert_null(ac.unsure);
	/* a system user without -G goes into "nogroup": no group of its own */
	ac = read_one("adduser -S spring");
	assert_true(ac.system);
	assert_false(ac.own_group);
	/* -G names the primary group */
	ac = read_one("adduser -S -G spring spring");
	assert_string_equal(ac.primary, "spring");
	assert_false(ac.own_group);
	/* two operands add an existing user to a group: nothing is made */
	ac = read_one("adduser app wheel");
	assert_null(ac.name);
	assert_non_null(ac.unsure);
	/* the name in a variable */
	ac = read_one("adduser -D \"$USER\"");
	assert_null(ac.name);
	assert_string_equal(ac.unsure, "the name is in a variable");
}

static void test_debian_adduser(void **state)
{
	(void)state;
	/* docker init's template: the uid in a variable, no home */
	struct ds_account_cmd ac = read_one("adduser --disabled-password --gecos \"\" --home \"/nonexistent\" "
					    "--shell \"/sbin/nologin\" --no-create-home --uid \"${UID}\" appuser");
	assert_string_equal(ac.name, "appuser");
	assert_int_equal(ac.id, -1);
	assert_string_equal(ac.id_word, "${UID}");
	assert_string_equal(ac.home, "/nonexistent");
	assert_true(ac.no_home);
	assert_true(ac.own_group);
	assert_null(ac.unsure);
	/* --system --group: a system user with a group of its own */
	ac = read_one("adduser --system --group svc");
	assert_true(ac.own_group);
	assert_false(ac.group);
	/* --group alone makes a group */
	ac = read_one("adduser --group team");
	assert_true(ac.group);
	assert_string_equal(ac.name, "team");
	/* --uid=N, --ingroup */
	ac = read_one("adduser --uid=2000 --ingroup users --disabled-login bob");
	assert_int_equal(ac.id, 2000);
	assert_string_equal(ac.primary, "users");
	assert_false(ac.own_group);
	/* other groups change too */
	ac = read_one("adduser --add-extra-groups bob");
	assert_string_equal(ac.unsure, "it adds the user to other groups");
}

static void test_useradd_groupadd(void **state)
{
	(void)state;
	struct ds_account_cmd ac = read_one("useradd -m appuser");
	assert_int_equal(ac.tool, DS_ACCT_USERADD);
	assert_string_equal(ac.name, "appuser");
	assert_true(ac.own_group);
	/* -r still gets a group of its own (USERGROUPS_ENAB); -g and -N do not */
	ac = read_one("useradd -r -u 1000 -g app -d /home/app -s /bin/false app");
	assert_true(ac.system);
	assert_false(ac.own_group);
	assert_string_equal(ac.home, "/home/app");
	assert_int_equal(ac.id, 1000);
	ac = read_one("useradd -rN svc");
	assert_false(ac.own_group);
	/* supplementary groups, another root: not followed */
	assert_non_null(read_one("useradd -G docker app").unsure);
	assert_non_null(read_one("useradd --root /mnt app").unsure);
	/* groups */
	ac = read_one("groupadd -r -g 1001 app");
	assert_int_equal(ac.tool, DS_ACCT_GROUPADD);
	assert_true(ac.group);
	assert_int_equal(ac.id, 1001);
	assert_null(ac.unsure);
	ac = read_one("addgroup -S spring");
	assert_true(ac.group);
	assert_string_equal(ac.name, "spring");
	/* -f succeeds when the group is there already: maybe nothing is made */
	assert_non_null(read_one("groupadd -f app").unsure);
	/* busybox addgroup USER GROUP adds a user to a group */
	assert_null(read_one("addgroup app wheel").name);
}

static void test_changes_and_others(void **state)
{
	(void)state;
	struct ds_account_cmd ac = read_one("usermod -aG docker app");
	assert_int_equal(ac.tool, DS_ACCT_CHANGE);
	assert_non_null(ac.unsure);
	assert_int_equal(read_one("deluser app").tool, DS_ACCT_CHANGE);
	/* wrappers are stripped by the splitter */
	assert_string_equal(read_one("sudo useradd -m app").name, "app");
	struct ds_shell_cmd *cmds;
	size_t n;
	assert_int_equal(ds_shell_split(&arena, "chown app /x", 12, &cmds, &n), 0);
	struct ds_account_cmd none;
	assert_false(ds_account_cmd_read(&cmds[0], &none));
	assert_int_equal(none.tool, DS_ACCT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busybox_adduser),
		cmocka_unit_test(test_debian_adduser),
		cmocka_unit_test(test_useradd_groupadd),
		cmocka_unit_test(test_changes_and_others),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
