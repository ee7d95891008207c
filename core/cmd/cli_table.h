/* cli_table.h: the command table and the option table. Each option names
 * the commands that take it; the parser accepts only those, and
 * `parlab COMMAND --help` prints them from the same table, so the help can
 * never drift from what is accepted. */
#ifndef PX_CLI_TABLE_H
#define PX_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "cmd/cli.h"

/* One bit per command, for an option's `commands` mask. */
enum {
	PX_CMD_RUN = 1u << 0,
	PX_CMD_VALIDATE = 1u << 1,
	PX_CMD_LIST = 1u << 2,
	PX_CMD_DESCRIBE = 1u << 3,
	PX_CMD_TOPO = 1u << 4,
	PX_CMD_REPORT = 1u << 5,
	PX_CMD_COMPARE = 1u << 6,
	PX_CMD_SLURM = 1u << 7,
	PX_CMD_MERGE = 1u << 8,
	PX_CMD_ALL = (1u << 9) - 1,
};

/* What an option's value is, and where in struct cli it lands. */
enum px_opt_kind {
	PX_OPT_FLAG,    /* no value; sets a bool */
	PX_OPT_TEXT,    /* a string, kept as given */
	PX_OPT_COUNT,   /* an integer from 1 to PX_OPT_COUNT_MAX, `_` allowed */
	PX_OPT_LIST,    /* a string, repeatable: appended to a cli_list */
	PX_OPT_HELP,    /* prints the command's help and ends */
};

#define PX_OPT_COUNT_MAX 1000000

struct px_option {
	const char *name;       /* the long form, without "--" */
	char short_name;        /* '\0' when there is none */
	const char *value;      /* the value's name in the help ("DIR"), or NULL */
	enum px_opt_kind kind;
	size_t field;           /* offsetof(struct cli, the field it sets) */
	unsigned commands;      /* PX_CMD_* of the commands that take it */
	const char *help;       /* one line, or lines separated by '\n' */
};

struct px_command {
	const char *name;
	unsigned bit;           /* its PX_CMD_* */
	const char *args;       /* the arguments in the usage line ("FILE...") */
	int max_args;           /* how many arguments it takes at most; -1: any */
	const char *summary;    /* one line, for `parlab --help` */
	const char *doc;        /* more for `parlab COMMAND --help`, or NULL */
	int (*fn)(struct cli *c);
};

/* The tables, in cli_table.c; px__options ends with a NULL name. */
extern const struct px_option px__options[];
extern const struct px_command px__commands[];
extern const size_t px__n_commands;

/* The command named `name`, or NULL. */
const struct px_command *px__command_find(const char *name);
/* The option whose long form is `name` (or, when name is NULL, whose short
 * form is `short_name`), whatever command takes it; NULL if none. */
const struct px_option *px__option_find(const char *name, char short_name);

/* Parses the arguments after the command word into c; its positional
 * arguments go in c->files (the caller frees c->files). Returns -1 to go
 * on, or the exit code to end with: 0 after printing the help, 2 after
 * printing why the command line is wrong. */
int px__cli_parse(const struct px_command *cmd, struct cli *c, int argc,
                  char **argv);

/* `parlab --help`: every command with its summary. */
void px__cli_usage(FILE *out);
/* `parlab COMMAND --help`: the usage line, the doc and the options the
 * command takes, from the option table. */
void px__cli_command_help(FILE *out, const struct px_command *cmd);
/* "--a, --b, -n/--workers": the options cmd takes, for an error message;
 * the caller frees. */
char *px__cli_options_list(const struct px_command *cmd);

#endif
