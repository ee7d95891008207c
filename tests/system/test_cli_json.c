/* test_cli_json.c: `parlab run --json` prints exactly one valid JSON
 * document on stdout (checked by the strict parser of json_check.h) in
 * every mix of experiments: one or several, some or all skipped by --only
 * (first, middle, last), a failed trial, a failed expectation, a bad file.
 * One experiment gives its summary object, several a list of the
 * summaries of those that ran; when nothing ran (exit 2) stdout is empty.
 * The experiments are tiny: 100 empty tasks, one run, no warm-up. */
#include "cli_run.h"
#include "json_check.h"

/* Writes @/NAME.yaml: one experiment of 100 noop tasks under `strategy`,
 * with `extra` appended (expectations). */
static void experiment(const char *name, const char *workload,
                       const char *strategy, const char *extra)
{
	char *path = px__xasprintf("%s/%s.yaml", px_cli_tmpdir(), name);
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "experiment: %s\nworkload: %s\nstrategies: [%s]\n"
	           "workers: [1]\nrepetitions: 1\nwarmup: 0\n%s",
	        name, workload, strategy, extra);
	fclose(f);
	free(path);
}

#define NOOP "{name: noop, params: {tasks: 100}}"

/* The files every case uses: alpha and gamma run serial, beta
 * free-threads (so --only serial skips beta and --only free-threads the
 * other two), crash has a trial that crashes, fails an expectation that
 * does not hold, bad is refused (an unknown strategy), and several.yaml
 * holds alpha, beta and gamma as three YAML documents. */
static void write_files(void)
{
	static bool done;
	char *path;
	FILE *f;

	if (done)
		return;
	done = true;
	experiment("alpha", NOOP, "serial", "");
	experiment("beta", NOOP, "free-threads", "");
	experiment("gamma", NOOP, "serial", "");
	experiment("crash", "{name: faulty, params: {mode: segv}}", "serial", "");
	experiment("fails", NOOP, "serial", "expect:\n  - tasks(serial) == 7\n");
	experiment("bad", NOOP, "free-thread", "");
	path = px__xasprintf("%s/several.yaml", px_cli_tmpdir());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (const char *n = "alpha\0beta\0gamma\0"; *n; n += strlen(n) + 1)
		fprintf(f, "---\nexperiment: %s\nworkload: " NOOP "\nstrategies: [%s]\n"
		           "workers: [1]\nrepetitions: 2\nwarmup: 0\n",
		        n, n[0] == 'b' ? "free-threads" : "serial");
	fclose(f);
	free(path);
}

/* The names of the experiments a summary document holds, in order, as
 * "a,b" (only a summary's top level has the key "experiment"). */
static char *experiments_in(const char *doc)
{
	static const char key[] = "\"experiment\": \"";
	struct strbuf sb = { 0 };

	for (const char *p = strstr(doc, key); p; p = strstr(p, key)) {
		p += strlen(key);
		px__sb_addf(&sb, "%s%.*s", sb.len ? "," : "", (int)strcspn(p, "\""),
		            p);
	}
	return px__sb_take(&sb);
}

/* Runs `parlab run --json -o @/rN ARGS` and checks the exit code, that
 * stdout is one valid JSON document of the expected shape ('{' one
 * summary, '[' a list, '\0' nothing at all) holding the expected
 * experiments. Returns stdout (the caller frees). */
static char *run_json(const char *args, int code, char shape,
                      const char *names)
{
	static int n;
	char *cmd = px__xasprintf("run --json -o @/r%d %s", n++, args);
	char *out, *err, *got;

	write_files();
	CHECK_INT(px_cli_run(cmd, &out, &err), code);
	CU_ASSERT_FATAL(out != NULL);
	if (!out)
		return NULL;
	if (shape) {
		if (!json_valid(out))
			fprintf(stderr, "\n  parlab %s: stdout is not JSON:\n%s\n",
			        cmd, out);
		CU_ASSERT(json_valid(out));
	}
	CHECK_INT(out[0], shape);
	got = experiments_in(out);
	CHECK_STR(got, names);
	free(got);
	free(err);
	free(cmd);
	return out;
}

static void test_one_experiment(void)
{
	free(run_json("@/alpha.yaml", 0, '{', "alpha"));
	free(run_json("--only serial @/alpha.yaml", 0, '{', "alpha"));
}

static void test_several_all_run(void)
{
	free(run_json("@/alpha.yaml @/beta.yaml @/gamma.yaml", 0, '[',
	              "alpha,beta,gamma"));
	free(run_json("@/several.yaml", 0, '[', "alpha,beta,gamma"));
}

/* The bug of the issue: the last experiment skipped left "," and no "]". */
static void test_several_some_skipped(void)
{
	free(run_json("--only serial @/alpha.yaml @/gamma.yaml @/beta.yaml", 0,
	              '[', "alpha,gamma"));
	free(run_json("--only serial @/beta.yaml @/alpha.yaml", 0, '[', "alpha"));
	free(run_json("--only serial @/alpha.yaml @/beta.yaml @/gamma.yaml", 0,
	              '[', "alpha,gamma"));
	free(run_json("--only free-threads @/several.yaml", 0, '[', "beta"));
}

/* Nothing to run: exit 2, nothing on stdout. */
static void test_all_skipped(void)
{
	free(run_json("--only free-threads @/alpha.yaml @/gamma.yaml", 2, 0, ""));
	free(run_json("--only nothing @/beta.yaml", 2, 0, ""));
}

/* A crashed trial (exit 3) and a failed expectation (exit 1) still give
 * the whole document, with the failure and the verdict in it. */
static void test_failures_in_the_document(void)
{
	char *out = run_json("@/crash.yaml", 3, '{', "crash");

	CHECK_CONTAINS(out, "\"failed\": 1");
	CHECK_CONTAINS(out, "\"failure\": \"crash: ");
	free(out);
	out = run_json("@/fails.yaml", 1, '{', "fails");
	CHECK_CONTAINS(out, "\"verdict\": \"fail\"");
	free(out);
	out = run_json("--only serial @/crash.yaml @/beta.yaml @/fails.yaml", 3,
	               '[', "crash,fails");
	CHECK_CONTAINS(out, "\"verdict\": \"fail\"");
	free(out);
}

/* A bad file runs nothing, alone or beside good ones: exit 2, stdout
 * empty; so does --json with --dry-run, which measures nothing. */
static void test_refused_prints_nothing(void)
{
	free(run_json("@/bad.yaml", 2, 0, ""));
	free(run_json("@/alpha.yaml @/bad.yaml", 2, 0, ""));
	free(run_json("--dry-run @/alpha.yaml", 2, 0, ""));
}

TEST_MAIN("cli_json",
	T(test_one_experiment),
	T(test_several_all_run),
	T(test_several_some_skipped),
	T(test_all_skipped),
	T(test_failures_in_the_document),
	T(test_refused_prints_nothing),
	T(px_cli_cleanup))
