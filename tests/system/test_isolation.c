/* test_isolation.c: no plugin can take the runner down or spoil its
 * output. Plugins whose entry crashes, returns NULL or hangs, or whose
 * tables are refused, are each named in one warning line by `list`, while
 * list, describe, validate and run of other experiments keep working (and
 * never even load them: only named plugins are loaded). A plugin that
 * prints leaves `run --json` valid JSON and its text in the run's log;
 * strategies that break the rules of plugin.h fail their runs, saying
 * which rule. */
#include "cli_run.h"
#include "json_check.h"

/* Writes @/NAME.yaml: one run of `workload` under `strategy`. */
static void experiment(const char *name, const char *workload,
                       const char *strategy)
{
	char *path = px__xasprintf("%s/%s.yaml", px_cli_tmpdir(), name);
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "experiment: %s\nworkload: %s\nstrategies: [%s]\n"
	           "workers: [1]\nrepetitions: 1\nwarmup: 0\n",
	        name, workload, strategy);
	fclose(f);
	free(path);
}

/* How many lines of text contain `what`. */
static int lines_with(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; p && (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_broken_each_named_once_by_list(void)
{
	char *out, *err;

	CHECK_INT(px_cli_run("list --plugin-path " PARLAB_TEST_BROKEN_DIR,
	                     &out, &err), 0);
	CHECK_INT(lines_with(err, "broken-entry-crash.so: refused: crashed in parlab_plugin() or a constructor: SIG"), 1);
	/* SIGSEGV, or SIGABRT where ASan turns the fault into an abort. */
	CHECK_INT(lines_with(err, "broken-entry-null.so: refused: parlab_plugin() returned NULL\n"), 1);
	CHECK_INT(lines_with(err, "broken-dup-param.so: refused: parameter 'chunk' is declared twice\n"), 1);
	CHECK_INT(lines_with(err, "broken-reserved-param.so: refused: parameter 'workers' is reserved"), 1);
	CHECK_INT(lines_with(err, "broken-api-size.so: refused: strategy 'api-size-zero': api table with struct_size 0"), 1);
	/* ...and every good plugin is still listed. */
	CHECK_CONTAINS(out, "  serial ");
	CHECK_CONTAINS(out, "  cpu-count ");
	free(out);
	free(err);
}

/* Other commands go on without even loading the broken files. */
static void check_others_work(const char *dir, const char *file)
{
	char *out, *err, *args;

	experiment("fine", "{name: noop, params: {tasks: 10}}", "serial");
	args = px__xasprintf("validate --plugin-path %s @/fine.yaml", dir);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "fine: ok");
	CU_ASSERT_PTR_NULL(strstr(err, file));
	free(args), free(out), free(err);
	args = px__xasprintf("describe --plugin-path %s cpu-count", dir);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "workload cpu-count");
	CU_ASSERT_PTR_NULL(strstr(err, file));
	free(args), free(out), free(err);
	args = px__xasprintf("run --quiet --json --plugin-path %s -o @/r @/fine.yaml",
	                     dir);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CU_ASSERT(json_valid(out));
	free(args), free(out), free(err);
}

static void test_broken_leave_other_commands_working(void)
{
	check_others_work(PARLAB_TEST_BROKEN_DIR, "broken-entry-crash");
}

static void test_hanging_entry_times_out(void)
{
	char *out, *err;

	setenv("PARLAB_PROBE_TIMEOUT", "1", 1);
	CHECK_INT(px_cli_run("list --plugin-path " PARLAB_TEST_HANG_DIR,
	                     &out, &err), 0);
	CHECK_INT(lines_with(err, "broken-entry-hang.so: refused: timed out after 1 s in parlab_plugin() or a constructor\n"), 1);
	CHECK_CONTAINS(out, "  serial ");
	free(out);
	free(err);
	check_others_work(PARLAB_TEST_HANG_DIR, "broken-entry-hang");
	unsetenv("PARLAB_PROBE_TIMEOUT");
}

static void test_printing_plugin_keeps_json_pure(void)
{
	char *out, *err, *log, *path;

	experiment("prints", "printing", "serial");
	CHECK_INT(px_cli_run("run --json --plugin-path " PARLAB_TEST_MISBEHAVE_DIR
	                     " --output-dir @/prints @/prints.yaml", &out, &err), 0);
	CU_ASSERT(json_valid(out));
	CU_ASSERT_PTR_NULL(strstr(out, "printed by task"));
	path = px__xasprintf("%s/prints/logs/0-0.log", px_cli_tmpdir());
	log = px__read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CHECK_CONTAINS(log, "{\"printed by task\": 0}\n");
	/* Never flushed by the task: the run's process flushes it. */
	CHECK_CONTAINS(log, "unflushed tail of task 2");
	/* Debug logs only under --verbose. */
	CU_ASSERT_PTR_NULL(strstr(log, "debug from task"));
	free(log), free(path), free(out), free(err);
}

static void test_failed_run_quotes_its_output(void)
{
	char *out, *err;

	experiment("printfail", "{name: printing, params: {fail: true}}",
	           "serial");
	CHECK_INT(px_cli_run("run --json --verbose --plugin-path "
	                     PARLAB_TEST_MISBEHAVE_DIR
	                     " --output-dir @/printfail @/printfail.yaml",
	                     &out, &err), 3);
	CU_ASSERT(json_valid(out));
	CHECK_CONTAINS(err, "wrong-result: workload printing: wrong result; output: ");
	CHECK_CONTAINS(err, "unflushed tail of task 2");
	/* --verbose: debug messages, and the log copied to stderr. */
	CHECK_CONTAINS(err, "debug from task 1");
	CHECK_CONTAINS(err, "  | {\"printed by task\": 1}");
	free(out), free(err);
}

/* ABI 1.1's version string, read because struct_size covers it. */
static void test_describe_shows_version(void)
{
	char *out, *err;

	CHECK_INT(px_cli_run("describe --plugin-path " PARLAB_TEST_MISBEHAVE_DIR
	                     " printing", &out, &err), 0);
	CHECK_CONTAINS(out, "(ABI 1.1, version 1.1.0-test)");
	free(out), free(err);
}

static void test_stray_thread_fails_the_run(void)
{
	char *out, *err;

	experiment("stray", "{name: noop, params: {tasks: 10}}", "stray-thread");
	CHECK_INT(px_cli_run("run --plugin-path " PARLAB_TEST_MISBEHAVE_DIR
	                     " -o @/r @/stray.yaml", &out, &err), 3);
	CHECK_CONTAINS(err, "error: strategy stray-thread left 1 thread running after execute returned");
	free(out), free(err);
}

static void test_worker_that_never_began_fails_the_run(void)
{
	char *out, *err;

	experiment("nobegin", "{name: noop, params: {tasks: 10}}", "no-begin");
	CHECK_INT(px_cli_run("run --plugin-path " PARLAB_TEST_MISBEHAVE_DIR
	                     " -o @/r @/nobegin.yaml", &out, &err), 3);
	CHECK_CONTAINS(err, "error: strategy no-begin: worker 0 ran 10 tasks without calling worker_begin, so it was not pinned or timed");
	free(out), free(err);
}

static void test_cleanup(void)
{
	px_cli_cleanup();
}

/* An experiment that names a plugin whose file was refused says why,
 * --quiet or not, rather than calling it unknown. */
static void test_refused_plugin_named_by_an_experiment(void)
{
	char *out, *err;
	char *cmd = px__xasprintf("mkdir -p %s/own && cp %s/broken-entry-null.so %s/own/workload-nothing.so",
	                          px_cli_tmpdir(), PARLAB_TEST_BROKEN_DIR,
	                          px_cli_tmpdir());

	CHECK_INT(system(cmd), 0);
	free(cmd);
	experiment("uses-nothing", "nothing", "serial");
	CHECK_INT(px_cli_run("run --quiet --plugin-path @/own @/uses-nothing.yaml",
	                     &out, &err), 2);
	CHECK_CONTAINS(err, "workload 'nothing' cannot be used: ");
	CHECK_CONTAINS(err, "workload-nothing.so: parlab_plugin() returned NULL");
	free(out), free(err);
}

TEST_MAIN("isolation", T(test_broken_each_named_once_by_list),
          T(test_refused_plugin_named_by_an_experiment),
          T(test_broken_leave_other_commands_working),
          T(test_hanging_entry_times_out),
          T(test_printing_plugin_keeps_json_pure),
          T(test_failed_run_quotes_its_output), T(test_describe_shows_version),
          T(test_stray_thread_fails_the_run),
          T(test_worker_that_never_began_fails_the_run), T(test_cleanup))
