/* test_end_to_end.c: the parlab binary as a user runs it: a small
 * experiment end to end with its CSV checked, a bad file, a crashing
 * trial, and the other commands. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chromium.h"
#include "helpers.h"
#include "json_check.h"
#include "base/util.h"

static char tmp[] = "/tmp/parlab-e2e-XXXXXX";

static const char *tmpdir(void)
{
	static bool made;

	if (!made)
		made = mkdtemp(tmp) != NULL;
	return tmp;
}

/* Writes an experiment file named `name` in the temp dir; returns its path. */
static char *write_file(const char *name, const char *text)
{
	char *path = px__xasprintf("%s/%s", tmpdir(), name);
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

/* Runs `parlab ARGS` with the test plugins on the path; returns the exit
 * status and the combined output in *out (or stdout alone if !merge). */
static int parlab(const char *args, char **out, bool merge)
{
	char *cmd = px__xasprintf("PARLAB_PLUGIN_PATH=%s %s %s%s", PARLAB_TEST_GOOD_DIR,
	                          PARLAB_TEST_BINARY, args,
	                          merge ? " 2>&1" : " 2>/dev/null");
	FILE *p = popen(cmd, "r");
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;
	int status;

	while ((n = fread(buf, 1, sizeof(buf) - 1, p)) > 0) {
		buf[n] = '\0';
		px__sb_add(&sb, buf);
	}
	status = pclose(p);
	free(cmd);
	*out = px__sb_take(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The number of lines of a file, and its first line in *head. */
static int count_lines(const char *path, char **head)
{
	char *text = px__read_file(path), *nl;
	int n = 0;

	if (!text)
		return -1;
	for (char *p = text; *p; p++)
		n += *p == '\n';
	nl = strchr(text, '\n');
	if (head)
		*head = px__xasprintf("%.*s", nl ? (int)(nl - text) : 0, text);
	free(text);
	return n;
}

static void test_run_writes_results(void)
{
	char *file = write_file("small.yaml",
		"experiment: small\n"
		"workload: {name: cpu-count, params: {iterations: 200_000, tasks: 8}}\n"
		"strategies: [serial, free-threads]\n"
		"workers: [1, 2]\n"
		"pinning: compact\n"
		"repetitions: 3\n"
		"warmup: 1\n"
		"expect:\n"
		"  - tasks(free-threads, workers=2) == 8\n"
		"  - steps(serial) == 200_000\n");
	char *dir = px__xasprintf("%s/out-small", tmpdir());
	char *args = px__xasprintf("run --quiet --output-dir %s %s", dir, file);
	char *out = NULL, *head = NULL, *csv, *rows, *verdicts;
	int rc = parlab(args, &out, true);

	CHECK_INT(rc, 0);
	CHECK_CONTAINS(out, "free-threads");
	CHECK_CONTAINS(out, "pass    tasks(free-threads, workers=2) == 8");
	csv = px__xasprintf("%s/trials.csv", dir);
	/* Header plus 3 trials x 3 measured runs; warm-ups are left out. */
	CHECK_INT(count_lines(csv, &head), 1 + 9);
	CHECK_CONTAINS(head, "experiment,trial,label,strategy,s.chunksize,s.spawn,s.stack_size_bytes,workload,w.iterations");
	CHECK_CONTAINS(head, ",workers,pinning,repetition,started,started_ns,status,message,wall_s,user_s,sys_s,cpu_s");
	CHECK_CONTAINS(head, "vol_ctxsw,invol_ctxsw,max_rss_kib,tasks,ns_per_task");
	CU_ASSERT(strstr(head, "_per_worker") == NULL);
	rows = px__read_file(csv);
	CHECK_CONTAINS(rows, "small,0,serial,serial,,,,cpu-count,200000,8,18,1,compact,0,20");
	CHECK_CONTAINS(rows, "Z,17");  /* started: ...123Z, started_ns: 17... */
	CHECK_CONTAINS(rows, ",pool,262144,cpu-count,");  /* stack_size in bytes */
	CU_ASSERT(strstr(rows, ",wrong-result,") == NULL);
	CU_ASSERT(strstr(rows, ",crash,") == NULL);
	free(csv);
	/* Per worker, long: free-threads' claims too. */
	csv = px__xasprintf("%s/workers.csv", dir);
	free(head);
	CU_ASSERT(count_lines(csv, &head) > 1 + 9);
	CHECK_STR(head, "trial,repetition,worker,metric,value");
	free(rows);
	rows = px__read_file(csv);
	CHECK_CONTAINS(rows, "\n2,0,1,claims,");
	CHECK_CONTAINS(rows, "\n0,2,0,tasks,8\n");
	for (const char *f = "summary.csv\0summary.json\0meta.json\0topology.xml\0verdicts\0summary.md\0gbench.json\0report.html\0speedup.svg\0time.svg\0";
	     *f; f += strlen(f) + 1) {
		char *path = px__xasprintf("%s/%s", dir, f);
		struct stat st;
		CHECK_INT(stat(path, &st), 0);
		CU_ASSERT(st.st_size > 0);
		/* Every JSON file parses. */
		if (strstr(f, ".json")) {
			char *text = px__read_file(path);
			if (!json_valid(text))
				fprintf(stderr, "\n  %s does not parse as JSON\n", path);
			CU_ASSERT(json_valid(text));
			free(text);
		}
		free(path);
	}
	/* The charts are well-formed SVG, and report.html holds them inline
	 * with the verdicts: one page that needs no network. */
	for (const char *f = "speedup.svg\0time.svg\0"; *f; f += strlen(f) + 1) {
		char *cmd = px__xasprintf("xmllint --noout '%s/%s'", dir, f);
		CHECK_INT(system(cmd), 0);
		free(cmd);
	}
	{
		char *path = px__xasprintf("%s/report.html", dir);
		char *text = px__read_file(path);
		CHECK_CONTAINS(text, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
		CHECK_CONTAINS(text, "class=\"ideal\"");
		CHECK_CONTAINS(text, "<li class=\"pass\">pass    steps(serial) == 200_000");
		CU_ASSERT(strstr(text, "http://") == strstr(text, "http://www.w3.org/2000/svg"));
		free(text);
		free(path);
	}
	/* The Google Benchmark export names each trial and has aggregates. */
	{
		char *path = px__xasprintf("%s/gbench.json", dir);
		char *text = px__read_file(path);
		CHECK_CONTAINS(text, "\"name\": \"small/free-threads/workers:2\"");
		CHECK_CONTAINS(text, "\"aggregate_name\": \"median\"");
		CHECK_CONTAINS(text, "\"time_unit\": \"ns\"");
		free(text);
		free(path);
		path = px__xasprintf("%s/summary.md", dir);
		text = px__read_file(path);
		CHECK_CONTAINS(text, "| free-threads | 2 | 3/3 |");
		CHECK_CONTAINS(text, "| pass | `tasks(free-threads, workers=2) == 8` |");
		free(text);
		free(path);
	}
	verdicts = px__xasprintf("%s/verdicts", dir);
	free(rows);
	rows = px__read_file(verdicts);
	CHECK_CONTAINS(rows, "pass    steps(serial) == 200_000");
	/* A second run into the same directory is refused, never overwrites. */
	free(out);
	CHECK_INT(parlab(args, &out, true), 2);
	CHECK_CONTAINS(out, "already exists; results are never overwritten");
	free(verdicts);
	free(rows);
	free(head);
	free(csv);
	free(out);
	free(args);
	free(dir);
	free(file);
}

static void test_bad_file_runs_nothing(void)
{
	char *file = write_file("bad.yaml",
		"experiment: bad\nworkload: cpu-count\n"
		"strategies: [serial, free-thread]\n");
	char *args = px__xasprintf("run -o %s/never %s", tmpdir(), file);
	char *out = NULL, *never = px__xasprintf("%s/never", tmpdir());
	struct stat st;

	CHECK_INT(parlab(args, &out, true), 2);
	CHECK_CONTAINS(out, "bad.yaml:3:22: error: unknown strategy 'free-thread'; did you mean 'free-threads'?");
	CHECK_CONTAINS(out, "nothing was run");
	CU_ASSERT(stat(never, &st) != 0);
	free(out);
	free(args);
	args = px__xasprintf("validate %s", file);
	CHECK_INT(parlab(args, &out, true), 2);
	free(out);
	free(args);
	free(never);
	free(file);
}

static void test_crashing_trial_goes_on(void)
{
	char *file = write_file("crash.yaml",
		"experiment: crash\n"
		"workload: {name: faulty, params: {mode: [ok, segv]}}\n"
		"strategies: [serial]\n"
		"repetitions: 2\nwarmup: 0\n"
		"expect:\n  - biggest(serial, mode=segv) == 3\n");
	char *dir = px__xasprintf("%s/out-crash", tmpdir());
	char *args = px__xasprintf("run --quiet --output-dir %s %s", dir, file);
	char *out = NULL, *csv = px__xasprintf("%s/trials.csv", dir), *rows;

	CHECK_INT(parlab(args, &out, true), 3);
	CHECK_CONTAINS(out, "FAILED");
	CHECK_CONTAINS(out, "FAIL    biggest(serial, mode=segv) == 3");
	/* Both trials' runs are in the CSV: the good ones ok, the bad crash. */
	CHECK_INT(count_lines(csv, NULL), 1 + 4);
	rows = px__read_file(csv);
	CHECK_CONTAINS(rows, ",ok,");
	CHECK_CONTAINS(rows, ",crash,");
	free(rows);
	free(csv);
	free(out);
	free(args);
	free(dir);
	free(file);
}

static void test_json_output_is_clean(void)
{
	char *file = write_file("json.yaml",
		"experiment: json\nworkload: {name: noop, params: {tasks: 1000}}\n"
		"strategies: [serial]\nrepetitions: 1\nwarmup: 0\n");
	char *args = px__xasprintf("run --json -o %s/json %s", tmpdir(), file);
	char *out = NULL;

	CHECK_INT(parlab(args, &out, false), 0);
	/* stdout holds the JSON document and nothing else. */
	CU_ASSERT(json_valid(out));
	CU_ASSERT(out[0] == '{');
	CHECK_CONTAINS(out, "\"experiment\": \"json\"");
	CU_ASSERT(out[strlen(out) - 2] == '}');
	free(out);
	free(args);
	free(file);
}

static void test_dry_run_and_topology(void)
{
	char *file = write_file("dry.yaml",
		"experiment: dry\nworkload: noop\n"
		"strategies: [serial, free-threads]\nworkers: [1, 4]\n"
		"pinning: scatter\n");
	char *args = px__xasprintf("run --dry-run --topology 'pack:2 core:2 pu:2' %s",
	                           file);
	char *out = NULL;

	CHECK_INT(parlab(args, &out, true), 0);
	CHECK_CONTAINS(out, "3 trials");
	CHECK_CONTAINS(out, "workers=4    pus: w0:0-1 w1:4-5 w2:2-3 w3:6-7");
	free(out);
	CHECK_INT(parlab("topo --json -n 2 --pinning scatter --topology 'pack:2 core:2 pu:1'",
	                 &out, false), 0);
	CHECK_CONTAINS(out, "{\"worker\": 0, \"pus\": [0]}");
	CHECK_CONTAINS(out, "{\"worker\": 1, \"pus\": [2]}");
	free(out);
	free(args);
	free(file);
}

static void test_list_and_describe(void)
{
	char *out = NULL;

	CHECK_INT(parlab("list", &out, false), 0);
	CHECK_CONTAINS(out, "strategies:");
	CHECK_CONTAINS(out, "free-threads");
	CHECK_CONTAINS(out, "faulty");
	free(out);
	CHECK_INT(parlab("describe cpu-count", &out, false), 0);
	CHECK_CONTAINS(out, "work_per_step");
	CHECK_CONTAINS(out, "1 .. 10000000");
	free(out);
	CHECK_INT(parlab("describe cpu-cont", &out, true), 2);
	CHECK_CONTAINS(out, "did you mean 'cpu-count'?");
	free(out);
	CHECK_INT(parlab("frobnicate", &out, true), 2);
	free(out);
	CHECK_INT(parlab("run --help", &out, false), 0);
	CHECK_CONTAINS(out, "--dry-run");
	free(out);
}

/* compare on two result sets checked in as fixtures: A's free-threads
 * runs (4 ok, 1 crashed) all beat B's 5, so B is slower with the exact
 * p = 2 / C(9, 4) = 0.0159; the serial runs interleave; one trial is only
 * in B. */
static void test_compare_fixtures(void)
{
	char *out = NULL;

	CHECK_INT(parlab("compare " PARLAB_TEST_SOURCE_DIR "/tests/data/compare-a "
	                 PARLAB_TEST_SOURCE_DIR "/tests/data/compare-b", &out, true), 0);
	CHECK_CONTAINS(out, "Mann-Whitney U test, two-sided");
	CHECK_CONTAINS(out, "serial, 1 workers");
	CHECK_CONTAINS(out, "no significant difference");
	CHECK_CONTAINS(out, "0.0159  B slower");
	CHECK_CONTAINS(out, "event-loop, 1 workers                        only in B");
	free(out);
	CHECK_INT(parlab("compare " PARLAB_TEST_SOURCE_DIR "/tests/data/compare-a /nonexistent",
	                 &out, true), 2);
	CHECK_CONTAINS(out, "/nonexistent/trials.csv");
	free(out);
}

/* report on a run's files checked in as a fixture (summary.csv, verdicts,
 * meta.json, trials.csv): the table, the charts (the GIL's per thread
 * too) and the page come back from them. */
static void test_report_fixture(void)
{
	char *dir = px__xasprintf("%s/report-run", tmpdir());
	char *cmd = px__xasprintf("cp -r %s/tests/data/report-run %s",
	                          PARLAB_TEST_SOURCE_DIR, tmpdir());
	char *args = px__xasprintf("report %s", dir), *out = NULL, *page, *path;

	CHECK_INT(system(cmd), 0);
	CHECK_INT(parlab(args, &out, true), 0);
	CHECK_CONTAINS(out, "gil-threads");
	CHECK_CONTAINS(out, "pass    p50(io_latency, gil-threads) > 10 * p50(io_latency, serial)");
	path = px__xasprintf("%s/report.html", dir);
	page = px__read_file(path);
	CHECK_CONTAINS(page, "<title>parlab: report-run</title>");
	CHECK_CONTAINS(page, "io_latency percentiles per trial");
	CHECK_CONTAINS(page, "<li class=\"pass\">pass");
	CHECK_CONTAINS(page, "<th>experiment file</th><td>fixture.yaml</td>");
	CHECK_CONTAINS(page, "GIL wait and hold time per thread");
	CHECK_CONTAINS(page, ">gil-threads, 2 workers</text>");
	CHECK_CONTAINS(page, ">holds the GIL</text>");
	for (const char *f = "speedup.svg\0time.svg\0latency.svg\0gil.svg\0"; *f; f += strlen(f) + 1) {
		char *lint = px__xasprintf("xmllint --noout '%s/%s'", dir, f);
		CHECK_INT(system(lint), 0);
		free(lint);
	}
	free(page);
	free(path);
	free(out);
	free(args);
	free(cmd);
	free(dir);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* report.html renders in a real browser: the DOM Chromium builds holds
 * the charts' SVG and the verdicts, and a screenshot of it is far from
 * blank (far larger than one of an empty page, shot the same way). */
static void test_report_in_chromium(void)
{
	char *page = px__xasprintf("%s/report-run/report.html", tmpdir());
	char *blank = px__xasprintf("%s/blank.html", tmpdir());
	char *shot = px__xasprintf("--screenshot=%s/report.png", tmpdir());
	char *shot_blank = px__xasprintf("--screenshot=%s/blank.png", tmpdir());
	char *png = px__xasprintf("%s/report.png", tmpdir());
	char *png_blank = px__xasprintf("%s/blank.png", tmpdir());
	char *out = NULL;
	FILE *f = fopen(blank, "w");
	const char *svg;
	int charts = 0;

	fputs("<!DOCTYPE html><html><body></body></html>\n", f);
	fclose(f);
	CHECK_INT(px_chromium("--dump-dom", page, &out), 0);
	for (svg = out; (svg = strstr(svg, "<svg")); svg++)
		charts++;
	CHECK_INT(charts, 4);
	CHECK_CONTAINS(out, "class=\"ideal\"");
	CHECK_CONTAINS(out, "p50(io_latency, gil-threads)");
	free(out);
	CHECK_INT(px_chromium(shot, page, &out), 0);
	free(out);
	CHECK_INT(px_chromium(shot_blank, blank, &out), 0);
	free(out);
	if (file_size(png) < 5 * file_size(png_blank))
		fprintf(stderr, "\n  report screenshot %ld bytes, blank page %ld\n",
		        file_size(png), file_size(png_blank));
	CU_ASSERT(file_size(png_blank) > 0);
	CU_ASSERT(file_size(png) > 5 * file_size(png_blank));
	free(page);
	free(blank);
	free(shot);
	free(shot_blank);
	free(png);
	free(png_blank);
}

/* The JSON check the tests rely on does reject what is not JSON. */
static void test_json_check_itself(void)
{
	CU_ASSERT(json_valid("{\"a\": [1, -2.5e3, true, null, \"x\\n\"]}"));
	CU_ASSERT(!json_valid("{\"a\": nan}"));
	CU_ASSERT(!json_valid("{\"a\": 1,}"));
	CU_ASSERT(!json_valid("[1] [2]"));
	CU_ASSERT(!json_valid("{\"a\" 1}"));
	CU_ASSERT(!json_valid("\"tab\there\""));
}

static void test_cleanup(void)
{
	char *cmd = px__xasprintf("rm -rf '%s'", tmpdir());

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

/* Under --cpuset 0 the process may use one core: expectations that ask
 * about cores, by `cores` or by workers=cores, are skipped, not failed. */
static void test_cpuset_one_core_skips_cores(void)
{
	char *file = write_file("one-core.yaml",
		"experiment: one-core\n"
		"workload: {name: noop, params: {tasks: 10}}\n"
		"strategies: [serial, free-threads]\nworkers: 1..cores\n"
		"repetitions: 1\nwarmup: 0\nbaseline: serial\n"
		"expect:\n"
		"  - speedup(free-threads, workers=cores) > 1000\n"
		"  - speedup(free-threads, workers=1) > 1000 * cores\n");
	char *args = px__xasprintf("run --quiet --cpuset 0 -o %s/one %s", tmpdir(), file);
	char *out = NULL;

	CHECK_INT(parlab(args, &out, true), 0);
	CHECK_CONTAINS(out, "skipped speedup(free-threads, workers=cores) > 1000");
	CHECK_CONTAINS(out, "skipped speedup(free-threads, workers=1) > 1000 * cores");
	CHECK_CONTAINS(out, "needs at least 2 cores to test, this machine has 1");
	free(out);
	free(args);
	free(file);
}

TEST_MAIN("end_to_end", T(test_run_writes_results), T(test_cpuset_one_core_skips_cores), T(test_bad_file_runs_nothing),
          T(test_crashing_trial_goes_on), T(test_json_output_is_clean),
          T(test_dry_run_and_topology), T(test_list_and_describe),
          T(test_json_check_itself), T(test_compare_fixtures),
          T(test_report_fixture), T(test_report_in_chromium),
          T(test_cleanup))
