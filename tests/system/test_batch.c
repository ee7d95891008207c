/* test_batch.c: batches through the real binary. A folder (recursively,
 * sorted) runs as one batch with batch.json, summary.md and index.html;
 * errors in two files are reported together and nothing runs (exit 2);
 * --keep-going runs the valid files and names those left out; --json of
 * a batch is one valid document. */
#include <sys/stat.h>

#include "batch_files.h"
#include "cli_run.h"
#include "json_check.h"

static char *good(const char *name)
{
	return px__xasprintf("experiment: %s\ndescription: the %s one\n"
	                     "workload: {name: noop, params: {tasks: 2}}\n"
	                     "strategies: [serial, free-threads]\nworkers: [1, 2]\n"
	                     "repetitions: 2\nexpect:\n"
	                     "  - speedup(free-threads, workers=2) > 0.000001\n"
	                     "  - speedup(free-threads, workers=2) > 1000000\n",
	                     name, name);
}

/* A folder of two good files, one of them in a subfolder. */
static char *good_folder(const char *name)
{
	char *dir = px__xasprintf("%s/%s", px_cli_tmpdir(), name);
	char *sub = px__xasprintf("%s/sub", dir), *a = good("alpha"),
	     *b = good("beta");

	px_put(dir, "a.yaml", a);
	px_put(sub, "b.yaml", b);
	px_put(dir, "notes.txt", "not an experiment");
	free(a);
	free(b);
	free(sub);
	return dir;
}

static void test_folder_is_one_batch(void)
{
	char *exp = good_folder("f1"), *out, *err, *text;
	char *dir = px__xasprintf("%s/b1", px_cli_tmpdir());
	char *args = px__xasprintf("run %s --output-dir %s", exp, dir);

	/* one expectation fails on purpose: exit 1 */
	CHECK_INT(px_cli_run(args, &out, &err), 1);
	CHECK_CONTAINS(err, "[18/18] beta");   /* one count for the batch */
	text = px_read_in(dir, "batch.json");
	CU_ASSERT(text && json_valid(text));
	CHECK_CONTAINS(text, "\"state\": \"complete\"");
	CHECK_CONTAINS(text, "\"name\": \"alpha\", \"description\": \"the alpha one\"");
	CHECK_CONTAINS(text, "\"results_dir\": \"beta\"");
	CHECK_CONTAINS(text, "\"runs_planned\": 6, \"runs_done\": 6");
	CHECK_CONTAINS(text, "\"left_out\": []");
	CHECK_CONTAINS(text, "\"report\": \"alpha/report.html\"");
	/* alpha's wall is its own, not up to beta's end */
	CHECK_INT(px_check_batch_walls(dir), 2);
	/* alpha comes before beta (sorted paths: a.yaml, sub/b.yaml) */
	CU_ASSERT(text && strstr(text, "alpha") < strstr(text, "beta"));
	CU_ASSERT(text && (strstr(text, "\"pass\": 1, \"fail\": 1") ||
	                   strstr(text, "\"inconclusive\": 1")));
	free(text);
	text = px_read_in(dir, "summary.md");
	CHECK_CONTAINS(text, "| alpha | the alpha one | complete | 6/6 |");
	CHECK_CONTAINS(text, "[report](beta/report.html)");
	free(text);
	text = px_read_in(dir, "index.html");
	CHECK_CONTAINS(text, "<a href=\"alpha/report.html\">");
	free(text);
	text = px_read_in(dir, "beta/report.html");
	CU_ASSERT(text != NULL);
	free(text);
	free(out);
	free(err);
	free(args);
	free(dir);
	free(exp);
}

static void test_errors_of_two_files_then_keep_going(void)
{
	char *exp = good_folder("f2"), *out, *err, *args, *text;
	char *dir = px__xasprintf("%s/b2", px_cli_tmpdir());

	px_put(exp, "bad1.yaml", "experiment: bad1\nworkload: {name: nosuch}\nstrategies: [serial]\n");
	px_put(exp, "bad2.yaml", "experiment: bad2\nworkload: {name: noop}\nstrategies: [serial]\nrepetitions: many\n");
	args = px__xasprintf("run %s --output-dir %s", exp, dir);
	CHECK_INT(px_cli_run(args, &out, &err), 2);
	CHECK_CONTAINS(err, "bad1.yaml:2");
	CHECK_CONTAINS(err, "bad2.yaml:4");
	CHECK_CONTAINS(err, "nothing was run");
	CU_ASSERT(access(dir, F_OK) != 0);
	free(out);
	free(err);
	free(args);
	args = px__xasprintf("run %s --output-dir %s --keep-going --json", exp, dir);
	CHECK_INT(px_cli_run(args, &out, &err), 2);
	CHECK_CONTAINS(err, "bad1.yaml: left out (--keep-going)");
	CHECK_CONTAINS(err, "bad2.yaml: left out (--keep-going)");
	CU_ASSERT(out && json_valid(out) && out[0] == '[');
	CHECK_CONTAINS(out, "\"experiment\": \"alpha\"");
	CHECK_CONTAINS(out, "\"experiment\": \"beta\"");
	CHECK_CONTAINS(out, "\"interrupted\": false");
	text = px_read_in(dir, "batch.json");
	CU_ASSERT(text && json_valid(text));
	CHECK_CONTAINS(text, "\"left_out\": [\n    {\"source\": \"");
	CHECK_CONTAINS(text, "/bad1.yaml\", \"reason\": \"errors in the file\"}");
	CHECK_CONTAINS(text, "/bad2.yaml\", \"reason\": \"errors in the file\"}");
	CU_ASSERT(text && !strstr(text, "\"name\": \"bad1\""));
	CHECK_CONTAINS(text, "\"state\": \"complete\"");  /* as without them */
	free(text);
	text = px_read_in(dir, "summary.md");
	CHECK_CONTAINS(text, "Left out (errors): ");
	CHECK_CONTAINS(text, "/bad1.yaml, ");
	free(text);
	text = px_read_in(dir, "index.html");
	CHECK_CONTAINS(text, "<p>Left out (errors): ");
	free(text);
	free(out);
	free(err);
	free(args);
	free(dir);
	free(exp);
}

static void test_cleanup(void)
{
	px_cli_cleanup();
}

TEST_MAIN("batch", T(test_folder_is_one_batch),
          T(test_errors_of_two_files_then_keep_going), T(test_cleanup))
