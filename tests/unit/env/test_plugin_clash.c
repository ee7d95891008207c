/* test_plugin_clash.c: two plugin files with one name are an error that
 * names both, whatever the search order, unless exactly one lies in a
 * folder the user named, which is then preferred. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

/* The built-in "serial" and broken-duplicate.so's, with the first
 * n_named folders named by the user. */
static void load_two(struct registry *reg, char **dirs, size_t n_named,
                     char **text)
{
	struct plugin_dirs pd = { dirs, n_named };
	size_t len = 0;
	FILE *warn = open_memstream(text, &len);

	memset(reg, 0, sizeof(*reg));
	px__registry_load_dirs(reg, &pd, warn);
	fclose(warn);
}

static void test_clash_names_both_files(void)
{
	char *dirs[] = { PARLAB_TEST_PLUGIN_DIR, PARLAB_TEST_BROKEN_DIR, NULL };
	struct registry reg;
	char *text = NULL;

	load_two(&reg, dirs, 0, &text);
	CHECK_INT(reg.n_clashes, 1);
	CU_ASSERT_PTR_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	CHECK_CONTAINS(reg.clashes[0].msg, "strategy name 'serial' is given by two files, ");
	CHECK_CONTAINS(reg.clashes[0].msg, "/plugins/strategy-serial.so and ");
	CHECK_CONTAINS(reg.clashes[0].msg, "/broken-duplicate.so; remove one, or name the folder of the one to use with --plugin-path");
	/* Neither file is used, and the other plugins are. */
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "fork-pool"));
	free(text);
	px__registry_close(&reg);
}

static void test_search_order_does_not_decide(void)
{
	char *dirs[] = { PARLAB_TEST_BROKEN_DIR, PARLAB_TEST_PLUGIN_DIR, NULL };
	struct registry reg;
	char *text = NULL;

	load_two(&reg, dirs, 0, &text);
	CHECK_INT(reg.n_clashes, 1);
	CU_ASSERT_PTR_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	free(text);
	px__registry_close(&reg);
}

static void test_named_folder_is_preferred(void)
{
	char *dirs[] = { PARLAB_TEST_BROKEN_DIR, PARLAB_TEST_PLUGIN_DIR, NULL };
	struct registry reg;
	const struct plugin *p;
	char *text = NULL;

	load_two(&reg, dirs, 1, &text);
	CHECK_INT(reg.n_clashes, 0);
	p = px__registry_find(&reg, PX_KIND_STRATEGY, "serial");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CHECK_CONTAINS(p->path, "/broken-duplicate.so");
	CU_ASSERT(p->named);
	CHECK_CONTAINS(text, "strategy-serial.so: not used: strategy 'serial' is also given by ");
	free(text);
	px__registry_close(&reg);
}

/* Both folders named: the user named both, so neither is preferred. */
static void test_two_named_folders_clash(void)
{
	char *dirs[] = { PARLAB_TEST_BROKEN_DIR, PARLAB_TEST_PLUGIN_DIR, NULL };
	struct registry reg;
	char *text = NULL;

	load_two(&reg, dirs, 2, &text);
	CHECK_INT(reg.n_clashes, 1);
	CU_ASSERT_PTR_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	free(text);
	px__registry_close(&reg);
}

/* A third file of a clashing name joins the message, and stays out. */
static void test_third_file_named_too(void)
{
	char tmp[] = "/tmp/parlab-clash-XXXXXX", *copy, *cmd;
	char *dirs[] = { PARLAB_TEST_PLUGIN_DIR, PARLAB_TEST_BROKEN_DIR, tmp, NULL };
	struct registry reg;
	char *text = NULL;

	CU_ASSERT_FATAL(mkdtemp(tmp) != NULL);
	copy = px__xasprintf("%s/third.so", tmp);
	cmd = px__xasprintf("cp '%s' '%s'", PARLAB_TEST_PLUGIN_DIR "/strategy-serial.so",
	                    copy);
	CHECK_INT(system(cmd), 0);
	load_two(&reg, dirs, 0, &text);
	CHECK_INT(reg.n_clashes, 1);
	CHECK_CONTAINS(reg.clashes[0].msg, "(and ");
	CHECK_CONTAINS(reg.clashes[0].msg, "/third.so)");
	CU_ASSERT_PTR_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	unlink(copy);
	rmdir(tmp);
	free(copy);
	free(cmd);
	free(text);
	px__registry_close(&reg);
}

/* Loading on demand: a name's conventional file in two folders is a
 * clash too, found without a scan. */
static void test_want_finds_clash_by_convention(void)
{
	char tmp[] = "/tmp/parlab-clash-XXXXXX", *copy, *cmd;
	char *dirs[] = { tmp, PARLAB_TEST_PLUGIN_DIR, NULL };
	struct plugin_dirs pd = { dirs, 0 };
	struct registry reg;

	CU_ASSERT_FATAL(mkdtemp(tmp) != NULL);
	copy = px__xasprintf("%s/strategy-serial.so", tmp);
	cmd = px__xasprintf("cp '%s' '%s'", PARLAB_TEST_PLUGIN_DIR "/strategy-serial.so",
	                    copy);
	CHECK_INT(system(cmd), 0);
	px__registry_init(&reg, &pd, NULL);
	CU_ASSERT_PTR_NULL(px__registry_want(&reg, PX_KIND_STRATEGY, "serial"));
	CHECK_CONTAINS(px__registry_clash_msg(&reg, PX_KIND_STRATEGY, "serial"),
	               "strategy name 'serial' is given by two files, ");
	/* ...and no scan was needed to find it. */
	CU_ASSERT(!reg.scanned);
	unlink(copy);
	rmdir(tmp);
	free(copy);
	free(cmd);
	px__registry_close(&reg);
}

/* A named folder's file found by the scan after the built-in one was
 * found by its conventional name still wins; the plugin handed out
 * before stays readable. */
static void test_named_file_found_late_wins(void)
{
	char *dirs[] = { PARLAB_TEST_BROKEN_DIR, PARLAB_TEST_PLUGIN_DIR, NULL };
	struct plugin_dirs pd = { dirs, 1 };
	struct registry reg;
	const struct plugin *first, *p;
	char *text = NULL;
	size_t len = 0;
	FILE *warn = open_memstream(&text, &len);

	px__registry_init(&reg, &pd, warn);
	first = px__registry_want(&reg, PX_KIND_STRATEGY, "serial");
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CHECK_CONTAINS(first->path, "/strategy-serial.so");
	px__registry_scan(&reg);
	fclose(warn);
	CHECK_INT(reg.n_clashes, 0);
	p = px__registry_find(&reg, PX_KIND_STRATEGY, "serial");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CHECK_CONTAINS(p->path, "/broken-duplicate.so");
	CHECK_CONTAINS(text, "strategy-serial.so: not used: strategy 'serial' is also given by ");
	CHECK_STR(first->desc->name, "serial");
	free(text);
	px__registry_close(&reg);
}

TEST_MAIN("plugin_clash", T(test_clash_names_both_files),
          T(test_search_order_does_not_decide), T(test_named_folder_is_preferred),
          T(test_two_named_folders_clash), T(test_third_file_named_too),
          T(test_want_finds_clash_by_convention),
          T(test_named_file_found_late_wins))
