/* cli_parse.c: the options of one command, read by the option table. An
 * option the command does not take is an error that names the command and
 * what it takes; an unknown one gets the nearest the command takes. */
#include "cmd/cli_table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "base/units.h"
#include "base/util.h"

/* Prints "parlab CMD: error: ..." on stderr; returns PX_EXIT_USAGE. */
static int __attribute__((format(printf, 2, 3)))
fail(const struct px_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "parlab %s: error: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PX_EXIT_USAGE;
}

/* An option no command has: say so, with the nearest one cmd takes. */
static int unknown(const struct px_command *cmd, const char *arg,
                   const char *name)
{
	const char *words[64];
	const char *near = NULL;
	size_t n = 0;

	for (const struct px_option *o = px__options; o->name && n < 64; o++)
		if (o->commands & cmd->bit)
			words[n++] = o->name;
	if (name)
		near = px__suggest(name, words, n);
	if (near)
		return fail(cmd, "unknown option %s; did you mean --%s? (see parlab %s --help)",
		            arg, near, cmd->name);
	return fail(cmd, "unknown option %s (see parlab %s --help)", arg,
	            cmd->name);
}

static int not_taken(const struct px_command *cmd, const struct px_option *o)
{
	char *takes = px__cli_options_list(cmd);

	fail(cmd, "option --%s does not apply to %s (it takes: %s)", o->name,
	     cmd->name, takes);
	free(takes);
	return PX_EXIT_USAGE;
}

/* Stores value where o says, checked by its kind; -1 or the exit code. */
static int store(const struct px_command *cmd, struct cli *c,
                 const struct px_option *o, const char *value)
{
	char *field = (char *)c + o->field;
	int64_t v;

	switch (o->kind) {
	case PX_OPT_FLAG:
		*(bool *)field = true;
		return -1;
	case PX_OPT_TEXT:
		*(const char **)field = value;
		return -1;
	case PX_OPT_LIST: {
		struct cli_list *l = (struct cli_list *)field;
		l->v = px__xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = value;
		return -1;
	}
	case PX_OPT_COUNT:
		if (px__parse_int(value, &v) || v < 1 || v > PX_OPT_COUNT_MAX)
			return fail(cmd, "--%s: '%s' is not an integer from 1 to %d",
			            o->name, value, PX_OPT_COUNT_MAX);
		*(unsigned *)field = (unsigned)v;
		return -1;
	default:
		px__cli_command_help(stdout, cmd);
		return PX_EXIT_OK;
	}
}

/* Reads the option at argv[*i] (and its value, which may be the next
 * argument); -1 to go on, or the exit code. */
static int take_option(const struct px_command *cmd, struct cli *c,
                       int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *value = NULL;
	const struct px_option *o;
	char *name = NULL;

	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		name = eq ? px__xasprintf("%.*s", (int)(eq - arg - 2), arg + 2)
		          : px__xstrdup(arg + 2);
		o = px__option_find(name, 0);
		value = eq ? eq + 1 : NULL;
	} else {
		o = px__option_find(NULL, arg[1]);
		value = arg[2] ? arg + 2 : NULL;   /* -oDIR */
	}
	if (!o) {
		int rc = unknown(cmd, arg, name);
		free(name);
		return rc;
	}
	free(name);
	if (!(o->commands & cmd->bit))
		return not_taken(cmd, o);
	if (!o->value && value)
		return fail(cmd, "option --%s takes no value (in '%s')", o->name,
		            arg);
	if (o->value && !value) {
		if (*i + 1 >= argc)
			return fail(cmd, "option --%s needs a value (%s)", o->name,
			            o->value);
		value = argv[++*i];
	}
	return store(cmd, c, o, value);
}

int px__cli_parse(const struct px_command *cmd, struct cli *c, int argc,
                  char **argv)
{
	bool rest = false;   /* after "--" every argument is positional */

	c->files = px__xcalloc((size_t)argc + 1, sizeof(*c->files));
	c->nfiles = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int rc;
		if (!rest && strcmp(a, "--") == 0) {
			rest = true;
			continue;
		}
		if (rest || a[0] != '-' || a[1] == '\0') {
			c->files[c->nfiles++] = argv[i];
			continue;
		}
		rc = take_option(cmd, c, argc, argv, &i);
		if (rc >= 0)
			return rc;
	}
	if (cmd->max_args >= 0 && c->nfiles > cmd->max_args)
		return fail(cmd, "unexpected argument '%s' (usage: parlab %s [OPTIONS]%s%s)",
		            c->files[cmd->max_args], cmd->name,
		            cmd->args[0] ? " " : "", cmd->args);
	return -1;
}
