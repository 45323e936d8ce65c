/* accounts.h - what one adduser, useradd, addgroup or groupadd command makes. */
#ifndef DS_ANALYZE_ACCOUNTS_H
#define DS_ANALYZE_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

struct ds_shell_cmd;

/* The account tools a RUN may call. */
enum ds_account_tool {
	DS_ACCT_NONE,     /* not an account command */
	DS_ACCT_ADDUSER,  /* busybox's adduser (Alpine) or Debian's (a Perl script) */
	DS_ACCT_USERADD,  /* shadow's useradd */
	DS_ACCT_ADDGROUP, /* busybox's or Debian's addgroup */
	DS_ACCT_GROUPADD, /* shadow's groupadd */
	DS_ACCT_CHANGE,   /* usermod, groupmod, deluser, delgroup, userdel, groupdel: they change accounts */
};

/*
 * What a command makes, read from its options as the tools document them:
 * busybox's adduser (-h DIR, -g GECOS, -s SHELL, -G GROUP, -S, -D, -H,
 * -u UID, -k SKEL and their long forms), Debian's adduser and addgroup
 * (--system, --group, --ingroup, --gid, --uid, --home, --no-create-home,
 * ...), shadow's useradd (-u, -g, -G, -d, -m, -M, -N, -U, -r, ...) and
 * groupadd (-g, -r, ...). A user made without a primary group (busybox
 * -G, Debian --ingroup or --gid, useradd -g or -N) and not as a system user
 * of adduser (busybox puts those in "nogroup", Debian in "nogroup" unless
 * --group) gets a group of its own name: own_group.
 *
 * Nothing is expanded: an id in a variable is id -1 with id_word set, and a
 * name in a variable is no name. `unsure` says why the command's effect is
 * not entirely known (an option this reader does not follow, supplementary
 * groups, a second operand that adds a user to a group, a change of an
 * existing account); name is still set whenever one account is named.
 */
struct ds_account_cmd {
	enum ds_account_tool tool;
	const char *name;     /* the account made, or NULL */
	bool group;           /* name is a group: addgroup, groupadd, Debian's adduser --group */
	long id;              /* the uid (a user) or gid (a group) given as a plain number, else -1 */
	const char *id_word;  /* the id option's value as written (maybe a variable), or NULL */
	bool system;          /* -S, --system, -r: a system account */
	bool own_group;       /* a user that gets a group of its own name */
	const char *primary;  /* a user's primary group, by name or number, when given, else NULL */
	const char *home;     /* a user's home folder when given, else NULL (then /home/NAME) */
	bool no_home;         /* a user whose home folder is not created: -H, -M, --no-create-home */
	const char *unsure;   /* why the effect is not entirely known (static text), or NULL */
};

/* The id s[0..n) is as a plain number of at most 9 digits (a uid or gid), else -1. */
long ds_account_id(const char *s, size_t n);

/*
 * Reads cmd (a simple command of a RUN, wrappers already stripped) into
 * *out. Returns true when it is an account command (out->tool is not
 * DS_ACCT_NONE), false otherwise. Strings point into cmd's words.
 */
bool ds_account_cmd_read(const struct ds_shell_cmd *cmd, struct ds_account_cmd *out);

#endif
