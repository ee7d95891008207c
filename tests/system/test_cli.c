/* test_cli.c: the command line as the parlab binary reads it: each command
 * takes exactly the options the table gives it (the rest are errors that
 * name the command), its --help lists exactly those, values are checked,
 * and `run --json` prints one valid JSON document whatever mix of
 * experiments ran, were skipped by --only, failed or were refused. */
#include "cli_run.h"
#include "json_check.h"
#include "cmd/cli_table.h"

#define parlab px_cli_run

/* The options of the table that cmd takes, as "a,b,c". */
static char *table_options(const struct px_command *cmd)
{
	struct strbuf sb = { 0 };

	for (const struct px_option *o = px__options; o->name; o++)
		if (o->commands & cmd->bit)
			px__sb_addf(&sb, "%s%s", sb.len ? "," : "", o->name);
	return px__sb_take(&sb);
}

/* The table itself: unique names and short forms, help for each, every
 * option taken by some command, --help by all. */
static void test_table_is_sound(void)
{
	for (const struct px_option *o = px__options; o->name; o++) {
		CU_ASSERT(px__option_find(o->name, 0) == o);
		if (o->short_name)
			CU_ASSERT(px__option_find(NULL, o->short_name) == o);
		CU_ASSERT(o->help && o->help[0]);
		CU_ASSERT(o->commands != 0);
		CU_ASSERT((o->value != NULL) ==
		          (o->kind == PX_OPT_TEXT || o->kind == PX_OPT_COUNT ||
		           o->kind == PX_OPT_LIST));
	}
	CU_ASSERT(px__option_find("help", 0)->commands == PX_CMD_ALL);
	for (size_t i = 0; i < px__n_commands; i++)
		CU_ASSERT(px__command_find(px__commands[i].name) == &px__commands[i]);
}

/* Every command refuses every option it does not take, in its long and
 * short form, with exit code 2 and a message that names the command and
 * what it does take; nothing goes to stdout. */
static void test_every_command_refuses_what_it_does_not_take(void)
{
	for (size_t i = 0; i < px__n_commands; i++) {
		const struct px_command *cmd = &px__commands[i];
		char *takes = px__cli_options_list(cmd);
		for (const struct px_option *o = px__options; o->name; o++) {
			char *out, *err, *args, *want;
			if (o->commands & cmd->bit)
				continue;
			want = px__xasprintf("parlab %s: error: option --%s does not apply to %s (it takes: %s)\n",
			                     cmd->name, o->name, cmd->name, takes);
			for (int form = 0; form < (o->short_name ? 2 : 1); form++) {
				args = form ? px__xasprintf("%s -%c%s x y", cmd->name,
				                            o->short_name, o->value ? " 1" : "")
				            : px__xasprintf("%s --%s%s x y", cmd->name,
				                            o->name, o->value ? " 1" : "");
				CHECK_INT(parlab(args, &out, &err), 2);
				CHECK_STR(err, want);
				CHECK_STR(out, "");
				free(out);
				free(err);
				free(args);
			}
			free(want);
		}
		free(takes);
	}
}

/* The case of the issue: one option table used to serve every command. */
static void test_compare_refuses_run_options(void)
{
	char *out, *err;

	CHECK_INT(parlab("compare --dry-run --repetitions 3 --workers 4 A B",
	                 &out, &err), 2);
	CHECK_STR(err, "parlab compare: error: option --dry-run does not apply to compare (it takes: --json, --metric, --help)\n");
	free(out);
	free(err);
}

/* Every option a command takes is accepted by it: given before --help,
 * each parses and the help comes out with exit code 0. */
static void test_every_command_takes_what_it_lists(void)
{
	for (size_t i = 0; i < px__n_commands; i++) {
		const struct px_command *cmd = &px__commands[i];
		struct strbuf sb = { 0 };
		char *args, *out, *err;
		px__sb_add(&sb, cmd->name);
		for (const struct px_option *o = px__options; o->name; o++)
			if ((o->commands & cmd->bit) && o->kind != PX_OPT_HELP)
				px__sb_addf(&sb, " --%s%s", o->name,
				            o->value ? " 1" : "");
		px__sb_add(&sb, " --help");
		args = px__sb_take(&sb);
		CHECK_INT(parlab(args, &out, &err), 0);
		CHECK_STR(err, "");
		free(out);
		free(err);
		free(args);
	}
}

/* The long names on the option lines of a help text ("  -o, --output DIR"
 * or "      --quiet"), as "a,b,c"; a short form must sit beside its long
 * one as the table has it. */
static char *help_options(const char *help)
{
	struct strbuf sb = { 0 };
	const char *p = strstr(help, "\noptions:\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (p = strchr(p + 1, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
		size_t n;
		const struct px_option *o;
		char *name;
		if (strncmp(p, "  -", 3) != 0 && strncmp(p, "      --", 8) != 0)
			continue;    /* a help text's continuation line */
		p = strstr(p, "--") + 2;
		n = strcspn(p, " \n");
		px__sb_addf(&sb, "%s%.*s", sb.len ? "," : "", (int)n, p);
		name = px__xasprintf("%.*s", (int)n, p);
		o = px__option_find(name, 0);
		if (o && o->short_name)
			CU_ASSERT(p[-6] == '-' && p[-5] == o->short_name);
		free(name);
	}
	return px__sb_take(&sb);
}

/* `parlab COMMAND --help` lists exactly the options of the table that the
 * command takes, in the table's order. */
static void test_help_lists_exactly_the_table(void)
{
	for (size_t i = 0; i < px__n_commands; i++) {
		const struct px_command *cmd = &px__commands[i];
		char *args = px__xasprintf("%s --help", cmd->name), *out, *err;
		char *listed, *want = table_options(cmd);
		CHECK_INT(parlab(args, &out, &err), 0);
		CHECK_CONTAINS(out, "usage: parlab ");
		listed = help_options(out);
		CHECK_STR(listed, want);
		free(listed);
		free(want);
		free(out);
		free(err);
		free(args);
	}
}

/* Unknown options get the nearest one the command takes; values are
 * checked; a flag takes no value; extra arguments are refused. */
static void test_options_and_values_are_checked(void)
{
	static const struct {
		const char *args, *err;
	} cases[] = {
		{ "run --dry-rn x", "parlab run: error: unknown option --dry-rn; did you mean --dry-run? (see parlab run --help)\n" },
		{ "run --dry x", "did you mean --dry-run?" },
		{ "topo --worker 2", "did you mean --workers?" },
		{ "run --frobnicate x", "parlab run: error: unknown option --frobnicate (see parlab run --help)\n" },
		{ "run -z x", "parlab run: error: unknown option -z (see parlab run --help)\n" },
		{ "run --repetitions 0 x", "parlab run: error: --repetitions: '0' is not an integer from 1 to 1000000\n" },
		{ "run --repetitions=-3 x", "--repetitions: '-3' is not an integer" },
		{ "run --repetitions many x", "--repetitions: 'many' is not an integer" },
		{ "topo -n 1000001", "parlab topo: error: --workers: '1000001' is not an integer from 1 to 1000000\n" },
		{ "run x --only", "parlab run: error: option --only needs a value (PATTERN)\n" },
		{ "run --quiet=yes x", "parlab run: error: option --quiet takes no value (in '--quiet=yes')\n" },
		{ "topo extra", "parlab topo: error: unexpected argument 'extra' (usage: parlab topo [OPTIONS])\n" },
		{ "describe a b", "parlab describe: error: unexpected argument 'b' (usage: parlab describe [OPTIONS] NAME)\n" },
		{ "rn x", "parlab: error: unknown command 'rn'; did you mean 'run'?" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *err;
		CHECK_INT(parlab(cases[i].args, &out, &err), 2);
		CHECK_CONTAINS(err, cases[i].err);
		CHECK_STR(out, "");
		free(out);
		free(err);
	}
}

/* The forms of a value: "--name=value", "--name value", "-nVALUE",
 * "-n VALUE", `_` in a count, and "--" before an argument that starts
 * with a dash. */
static void test_value_forms(void)
{
	char *out, *err;

	CHECK_INT(parlab("topo --json -n2 --pinning=scatter '--topology=pack:2 core:2 pu:1'",
	                 &out, &err), 0);
	CHECK_CONTAINS(out, "\"workers\": [\n  {\"worker\": 0");
	CU_ASSERT(strstr(out, "{\"worker\": 2") == NULL);
	CU_ASSERT(json_valid(out));
	free(out);
	free(err);
	CHECK_INT(parlab("topo --json --workers 1_0 --topology 'pack:1 core:10 pu:1'",
	                 &out, &err), 0);
	CHECK_CONTAINS(out, "{\"worker\": 9");
	free(out);
	free(err);
	CHECK_INT(parlab("describe -- --dry-run", &out, &err), 2);
	CHECK_CONTAINS(err, "no plugin named '--dry-run'");
	free(out);
	free(err);
}

TEST_MAIN("cli",
	T(test_table_is_sound),
	T(test_every_command_refuses_what_it_does_not_take),
	T(test_compare_refuses_run_options),
	T(test_every_command_takes_what_it_lists),
	T(test_help_lists_exactly_the_table),
	T(test_options_and_values_are_checked),
	T(test_value_forms),
	T(px_cli_cleanup))
