/*
 * accounts.c - reads adduser, useradd, addgroup and groupadd commands: which account they make.
 *
 * The options are those the tools document: busybox's loginutils/adduser.c
 * and addgroup.c (the Alpine tools), Debian's adduser(8) and addgroup(8),
 * and shadow's useradd(8) and groupadd(8). See accounts.h.
 */
#include "analyze/accounts.h"

#include <string.h>

#include "analyze/shellcmd.h"
#include "common/str.h"

enum effect {
	E_IGNORE,        /* changes nothing this reader follows (a GECOS, a shell, a password) */
	E_ID,            /* the uid of a user, the gid of a group */
	E_PRIMARY,       /* a user's primary group */
	E_HOME,          /* a user's home folder */
	E_NO_HOME,       /* the home folder is not created */
	E_SYSTEM,        /* a system account */
	E_GROUP,         /* Debian's adduser --group: a group (or, with --system, the user's own group) */
	E_NO_USER_GROUP, /* useradd -N */
	E_USER_GROUP,    /* useradd -U */
	E_SUPPLEMENTARY, /* supplementary groups: existing groups change */
	E_UNSURE,        /* changes what is made in ways this reader does not follow */
};

struct opt {
	char s;          /* short option letter, 0 when none */
	const char *l;   /* long option name, NULL when none */
	bool value;      /* takes a value */
	enum effect e;
};

static const struct opt adduser_opts[] = {
	/* busybox */
	{ 'h', "home", true, E_HOME },
	{ 'g', "gecos", true, E_IGNORE },
	{ 's', "shell", true, E_IGNORE },
	{ 'G', "ingroup", true, E_PRIMARY },
	{ 'D', "disabled-password", false, E_IGNORE },
	{ 0, "empty-password", false, E_IGNORE },
	{ 'S', "system", false, E_SYSTEM },
	{ 'H', "no-create-home", false, E_NO_HOME },
	{ 'u', "uid", true, E_ID },
	{ 'k', "skel", true, E_IGNORE },
	/* Debian */
	{ 0, "gid", true, E_PRIMARY },
	{ 0, "group", false, E_GROUP },
	{ 0, "disabled-login", false, E_IGNORE },
	{ 0, "comment", true, E_IGNORE },
	{ 0, "firstuid", true, E_IGNORE },
	{ 0, "lastuid", true, E_IGNORE },
	{ 0, "encrypt-home", false, E_IGNORE },
	{ 0, "add_extra_groups", false, E_SUPPLEMENTARY },
	{ 0, "add-extra-groups", false, E_SUPPLEMENTARY },
	{ 0, NULL, false, E_IGNORE },
};

static const struct opt useradd_opts[] = {
	{ 'b', "base-dir", true, E_UNSURE },
	{ 'c', "comment", true, E_IGNORE },
	{ 'd', "home-dir", true, E_HOME },
	{ 'D', "defaults", false, E_UNSURE },
	{ 'e', "expiredate", true, E_IGNORE },
	{ 'f', "inactive", true, E_IGNORE },
	{ 'g', "gid", true, E_PRIMARY },
	{ 'G', "groups", true, E_SUPPLEMENTARY },
	{ 'h', "help", false, E_UNSURE },
	{ 'k', "skel", true, E_IGNORE },
	{ 'K', "key", true, E_UNSURE },
	{ 'l', "no-log-init", false, E_IGNORE },
	{ 'm', "create-home", false, E_IGNORE },
	{ 'M', "no-create-home", false, E_NO_HOME },
	{ 'N', "no-user-group", false, E_NO_USER_GROUP },
	{ 'o', "non-unique", false, E_IGNORE },
	{ 'p', "password", true, E_IGNORE },
	{ 'r', "system", false, E_SYSTEM },
	{ 'R', "root", true, E_UNSURE },
	{ 'P', "prefix", true, E_UNSURE },
	{ 's', "shell", true, E_IGNORE },
	{ 'u', "uid", true, E_ID },
	{ 'U', "user-group", false, E_USER_GROUP },
	{ 'Z', "selinux-user", true, E_IGNORE },
	{ 'F', "add-subids-for-system", false, E_IGNORE },
	{ 0, NULL, false, E_IGNORE },
};

static const struct opt addgroup_opts[] = {
	{ 'g', "gid", true, E_ID },
	{ 'S', "system", false, E_SYSTEM },
	{ 0, NULL, false, E_IGNORE },
};

/* Debian's adduser and addgroup both take these. */
static const struct opt debian_opts[] = {
	{ 0, "firstgid", true, E_IGNORE },
	{ 0, "lastgid", true, E_IGNORE },
	{ 'q', "quiet", false, E_IGNORE },
	{ 'v', "verbose", false, E_IGNORE },
	{ 0, "debug", false, E_IGNORE },
	{ 0, "force-badname", false, E_IGNORE },
	{ 0, "allow-badname", false, E_IGNORE },
	{ 0, "allow-all-names", false, E_IGNORE },
	{ 0, "conf", true, E_UNSURE },
	{ 0, NULL, false, E_IGNORE },
};

static const struct opt groupadd_opts[] = {
	{ 'f', "force", false, E_UNSURE }, /* succeeds when the group exists: then it makes nothing */
	{ 'g', "gid", true, E_ID },
	{ 'h', "help", false, E_UNSURE },
	{ 'K', "key", true, E_UNSURE },
	{ 'o', "non-unique", false, E_IGNORE },
	{ 'p', "password", true, E_IGNORE },
	{ 'r', "system", false, E_SYSTEM },
	{ 'R', "root", true, E_UNSURE },
	{ 'P', "prefix", true, E_UNSURE },
	{ 'U', "users", true, E_IGNORE },
	{ 0, NULL, false, E_IGNORE },
};

/* The option of table t, then of table u (may be NULL), with short letter s or long name w[0..n) (s 0: by name). */
static const struct opt *find_opt(const struct opt *t, const struct opt *u, char s, const char *w, size_t n)
{
	for (int k = 0; k < 2; k++, t = u)
		for (; t && (t->s || t->l); t++)
			if (s ? t->s == s : t->l && strlen(t->l) == n && !strncmp(t->l, w, n))
				return t;
	return NULL;
}

long ds_account_id(const char *s, size_t n)
{
	if (!n || n > 9 || !ds_str_all_digits(s, n))
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* What one option with its value (NULL when it takes none) does to out; *grp and the flags collect what decides the own group. */
static void apply(struct ds_account_cmd *out, const struct opt *o, const char *value, bool *group_flag,
		  bool *no_user_group, bool *user_group)
{
	switch (o->e) {
	case E_IGNORE:
		break;
	case E_ID:
		out->id_word = value;
		out->id = value ? ds_account_id(value, strlen(value)) : -1;
		break;
	case E_PRIMARY:
		out->primary = value;
		break;
	case E_HOME:
		out->home = value;
		break;
	case E_NO_HOME:
		out->no_home = true;
		break;
	case E_SYSTEM:
		out->system = true;
		break;
	case E_GROUP:
		*group_flag = true;
		break;
	case E_NO_USER_GROUP:
		*no_user_group = true;
		break;
	case E_USER_GROUP:
		*user_group = true;
		break;
	case E_SUPPLEMENTARY:
		out->unsure = "it adds the user to other groups";
		break;
	case E_UNSURE:
		out->unsure = "it has an option whose effect is not followed";
		break;
	}
}

bool ds_account_cmd_read(const struct ds_shell_cmd *cmd, struct ds_account_cmd *out)
{
	memset(out, 0, sizeof *out);
	out->id = -1;
	if (!cmd->argc)
		return false;
	const char *nm = ds_shell_cmd_name(cmd);
	const struct opt *t, *u = NULL;
	if (!strcmp(nm, "adduser")) {
		out->tool = DS_ACCT_ADDUSER;
		t = adduser_opts;
		u = debian_opts;
	} else if (!strcmp(nm, "useradd")) {
		out->tool = DS_ACCT_USERADD;
		t = useradd_opts;
	} else if (!strcmp(nm, "addgroup")) {
		out->tool = DS_ACCT_ADDGROUP;
		out->group = true;
		t = addgroup_opts;
		u = debian_opts;
	} else if (!strcmp(nm, "groupadd")) {
		out->tool = DS_ACCT_GROUPADD;
		out->group = true;
		t = groupadd_opts;
	} else {
		static const char *const change[] = { "usermod", "groupmod", "deluser", "delgroup", "userdel",
						      "groupdel", "gpasswd", NULL };
		if (!ds_str_in_list(nm, change))
			return false;
		out->tool = DS_ACCT_CHANGE;
		out->unsure = "it changes existing accounts";
		return true;
	}
	bool group_flag = false, no_user_group = false, user_group = false, options_done = false;
	const char *operand = NULL;
	size_t noperands = 0;
	bool operand_expands = false;
	for (size_t k = 1; k < cmd->argc; k++) {
		const char *w = cmd->argv[k].text;
		if (!options_done && !strcmp(w, "--")) {
			options_done = true;
			continue;
		}
		if (options_done || w[0] != '-' || !w[1]) {
			if (!operand) {
				operand = w;
				operand_expands = cmd->argv[k].expands;
			}
			noperands++;
			continue;
		}
		if (w[1] == '-') {
			const char *name = w + 2;
			const char *eq = strchr(name, '=');
			const struct opt *o = find_opt(t, u, 0, name, eq ? (size_t)(eq - name) : strlen(name));
			if (!o) {
				out->unsure = "it has an option whose effect is not followed";
				continue;
			}
			const char *value = NULL;
			if (o->value) {
				if (eq)
					value = eq + 1;
				else if (k + 1 < cmd->argc)
					value = cmd->argv[++k].text;
			}
			apply(out, o, value, &group_flag, &no_user_group, &user_group);
			continue;
		}
		/* a cluster of short options: "-DH", "-rm", "-u1000" */
		for (const char *p = w + 1; *p; p++) {
			const struct opt *o = find_opt(t, u, *p, NULL, 0);
			if (!o) {
				out->unsure = "it has an option whose effect is not followed";
				continue;
			}
			if (!o->value) {
				apply(out, o, NULL, &group_flag, &no_user_group, &user_group);
				continue;
			}
			const char *value = p[1] ? p + 1 : k + 1 < cmd->argc ? cmd->argv[++k].text : NULL;
			apply(out, o, value, &group_flag, &no_user_group, &user_group);
			break;
		}
	}
	if (out->tool == DS_ACCT_ADDUSER && group_flag && !out->system)
		out->group = true; /* Debian: adduser --group NAME is addgroup NAME */
	if (noperands == 1 && !operand_expands)
		out->name = operand;
	else if (noperands > 1 && !out->unsure)
		out->unsure = out->group ? "a second operand adds a user to the group" : "a second operand adds the user to a group";
	else if (!out->unsure)
		out->unsure = noperands ? "the name is in a variable" : "it names no account";
	if (!out->group) {
		if (out->tool == DS_ACCT_USERADD)
			out->own_group = user_group || (!out->primary && !no_user_group);
		else
			out->own_group = !out->primary && (!out->system || group_flag);
	}
	return true;
}
