/* cli_help.c: the help texts, written from the command and option tables
 * so that they list exactly what the parser accepts. */
#include "cmd/cli_table.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* The width of the option column of `parlab COMMAND --help`. */
#define HELP_COLUMN 24

void px__cli_usage(FILE *out)
{
	fputs("usage: parlab COMMAND [OPTIONS] [ARGS]\n\n", out);
	for (size_t i = 0; i < px__n_commands; i++) {
		const struct px_command *c = &px__commands[i];
		char *left = px__xasprintf("%s %s", c->name, c->args);
		fprintf(out, "  %-28s %s\n", left, c->summary);
		free(left);
	}
	fputs("\n"
	      "parlab COMMAND --help shows a command's options.\n"
	      "exit codes: 0 all ran and every expectation held, 1 an expectation failed,\n"
	      "2 bad command line or experiment file (nothing ran), 3 a trial failed.\n",
	      out);
}

/* One option's line(s): "  -o, --output DIR   help", continuation lines of
 * the help under its first. */
static void option_help(FILE *out, const struct px_option *o)
{
	char *left = px__xasprintf("%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
	                           o->short_name ? o->short_name : ' ',
	                           o->short_name ? ',' : ' ', o->name,
	                           o->value ? " " : "", o->value ? o->value : "");
	const char *line = o->help;
	size_t width = strlen(left);

	fprintf(out, "  %s", left);
	if (width >= HELP_COLUMN) {
		fputc('\n', out);
		width = 0;
	}
	fprintf(out, "%*s", (int)(HELP_COLUMN - width), "");
	for (;;) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);
		fprintf(out, " %.*s\n", len, line);
		if (!nl)
			break;
		line = nl + 1;
		fprintf(out, "  %*s", HELP_COLUMN, "");
	}
	free(left);
}

void px__cli_command_help(FILE *out, const struct px_command *cmd)
{
	fprintf(out, "usage: parlab %s [OPTIONS]%s%s\n%s\n", cmd->name,
	        cmd->args[0] ? " " : "", cmd->args, cmd->summary);
	if (cmd->doc)
		fprintf(out, "\n%s\n", cmd->doc);
	fputs("\noptions:\n", out);
	for (const struct px_option *o = px__options; o->name; o++)
		if (o->commands & cmd->bit)
			option_help(out, o);
}

char *px__cli_options_list(const struct px_command *cmd)
{
	struct strbuf sb = { 0 };

	for (const struct px_option *o = px__options; o->name; o++) {
		if (!(o->commands & cmd->bit))
			continue;
		px__sb_addf(&sb, "%s--%s", sb.len ? ", " : "", o->name);
	}
	return px__sb_take(&sb);
}
