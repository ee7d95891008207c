/* test_plugins.c: the plugin loader accepts good plugins and refuses bad
 * ones with a message naming the file and the reason, loading the rest. */
#include "helpers.h"

static void test_builtin_plugins_load(void)
{
	struct registry reg;

	px_test_registry(&reg);
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_STRATEGY,
	                                         "free-threads"));
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_WORKLOAD,
	                                         "cpu-count"));
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_WORKLOAD, "noop"));
	CHECK_INT(reg.refused, 0);
	px__registry_close(&reg);
}

static void test_older_minor_still_loads(void)
{
	struct registry reg = { 0 };
	char *err = NULL;

	CHECK_INT(px__registry_load_file(&reg, PARLAB_TEST_GOOD_DIR "/older-minor.so",
	                                 &err), 0);
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_STRATEGY,
	                                         "old-serial"));
	px__registry_close(&reg);
}

static void test_skeletons_load(void)
{
	struct registry reg = { 0 };
	char *err = NULL;

	CHECK_INT(px__registry_load_file(&reg, PARLAB_TEST_SKELETON_DIR
	                                 "/skeleton-strategy.so", &err), 0);
	CHECK_INT(px__registry_load_file(&reg, PARLAB_TEST_SKELETON_DIR
	                                 "/skeleton-workload.so", &err), 0);
	CHECK_INT(reg.n, 2);
	px__registry_close(&reg);
}

/* Loading path must fail with a reason that contains `why`. */
static void check_refused(const char *path, const char *why)
{
	struct registry reg = { 0 };
	char *err = NULL;

	CHECK_INT(px__registry_load_file(&reg, path, &err), -EINVAL);
	CHECK_CONTAINS(err, why);
	CHECK_INT(reg.n, 0);
	free(err);
	px__registry_close(&reg);
}

static void test_wrong_abi_refused(void)
{
	check_refused(PARLAB_TEST_BROKEN_DIR "/broken-abi.so",
	              "plugin ABI 2.0, this parlab loads 1.0 to 1.1");
}

static void test_no_entry_refused(void)
{
	check_refused(PARLAB_TEST_BROKEN_DIR "/broken-no-entry.so",
	              "no entry symbol 'parlab_plugin()'");
}

static void test_missing_hook_refused(void)
{
	check_refused(PARLAB_TEST_BROKEN_DIR "/broken-missing-hook.so",
	              "workload 'hookless' lacks the required hook 'run_task'");
}

static void test_not_a_shared_object(void)
{
	check_refused(PARLAB_TEST_SOURCE_DIR "/README.md", "cannot load");
}

static void test_directory_scan_reports_and_goes_on(void)
{
	char *dirs[] = { PARLAB_TEST_PLUGIN_DIR, PARLAB_TEST_BROKEN_DIR, NULL };
	struct registry reg = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *warn = open_memstream(&text, &len);

	px__registry_load(&reg, dirs, warn);
	fclose(warn);
	/* Every broken plugin refused, each named with its reason... */
	CHECK_INT(reg.refused, 8);
	CHECK_CONTAINS(text, "broken-abi.so: refused: plugin ABI 2.0");
	CHECK_CONTAINS(text, "broken-no-entry.so: refused: no entry symbol");
	CHECK_CONTAINS(text, "broken-missing-hook.so: refused:");
	CHECK_CONTAINS(text, "broken-entry-crash.so: refused: crashed in parlab_plugin() or a constructor: SIG");
	/* SIGSEGV, or SIGABRT where ASan turns the fault into an abort. */
	CHECK_CONTAINS(text, "broken-entry-null.so: refused: parlab_plugin() returned NULL\n");
	CHECK_CONTAINS(text, "broken-dup-param.so: refused: parameter 'chunk' is declared twice\n");
	CHECK_CONTAINS(text, "broken-reserved-param.so: refused: parameter 'workers' is reserved");
	CHECK_CONTAINS(text, "broken-api-size.so: refused: strategy 'api-size-zero': api table with struct_size 0, needs at least");
	/* ...a second "serial" a clash, not won by search order
	 * (test_plugin_clash.c)... */
	CHECK_INT(reg.n_clashes, 1);
	CU_ASSERT_PTR_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "serial"));
	/* ...and the good ones loaded all the same. */
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_STRATEGY, "gil-threads"));
	CU_ASSERT_PTR_NOT_NULL(px__registry_find(&reg, PX_KIND_WORKLOAD, "noop"));
	free(text);
	px__registry_close(&reg);
}

/* Descriptors checked directly, for faults a compiler would not catch;
 * the reason lands in err. */
static int check_desc(const struct px_plugin *d, char *err)
{
	char *why = NULL;
	int rc = px__plugin_check(d, &why);

	snprintf(err, 4096, "%s", why ? why : "");
	free(why);
	return rc;
}

static int64_t d_setup(px_worker *w) { (void)w; return 1; }
static int d_run(px_worker *w, uint64_t t, void *r) { (void)w; (void)t; (void)r; return 0; }
static int d_verify(px_worker *w) { (void)w; return 0; }
static const struct px_workload_ops d_ops = { 8, d_setup, d_run, NULL, d_verify, NULL };

static void test_bad_descriptors(void)
{
	struct cfg { int64_t a; };
	static const struct px_param bad_default[] = {
		{ "a", PX_INT, 0, "ten", 0, 100, "", NULL }, PX_PARAM_END };
	static const struct px_param bad_offset[] = {
		{ "a", PX_INT, 64, "1", 0, 100, "", NULL }, PX_PARAM_END };
	struct px_plugin d = { PX_DESCRIPTOR_HEADER, .kind = PX_KIND_WORKLOAD,
	                       .name = "x", .workload = &d_ops,
	                       .config_size = sizeof(struct cfg) };
	char err[4096];

	CHECK_INT(check_desc(&d, err), 0);
	d.params = bad_default;
	CHECK_INT(check_desc(&d, err), -EINVAL);
	CHECK_CONTAINS(err, "bad default");
	d.params = bad_offset;
	CHECK_INT(check_desc(&d, err), -EINVAL);
	CHECK_CONTAINS(err, "lies outside");
	d.params = NULL;
	d.name = "Bad Name";
	CHECK_INT(check_desc(&d, err), -EINVAL);
	CHECK_CONTAINS(err, "must be [a-z0-9-]+");
	d.name = "x";
	d.struct_size = 16;
	CHECK_INT(check_desc(&d, err), -EINVAL);
	CHECK_CONTAINS(err, "descriptor of 16 bytes");
	d.struct_size = sizeof(d);
	d.abi_minor = PX_ABI_MINOR + 1;
	CHECK_INT(check_desc(&d, err), -EINVAL);
	CHECK_CONTAINS(err, "rebuild it against this parlab");
}

TEST_MAIN("loader", T(test_builtin_plugins_load), T(test_older_minor_still_loads),
          T(test_skeletons_load), T(test_wrong_abi_refused),
          T(test_no_entry_refused), T(test_missing_hook_refused),
          T(test_not_a_shared_object), T(test_directory_scan_reports_and_goes_on),
          T(test_bad_descriptors))
