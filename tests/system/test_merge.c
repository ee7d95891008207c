/* test_merge.c: `parlab merge` of real runs. Two runs of one folder (two
 * --output-dir) stand for two machines: the second's copy has its host
 * faked by editing "host" in each meta.json (the only way to get a
 * second host on one machine). The merged batch shows the claims x
 * machines matrix in summary.md and batch.json, with each cell's verdict
 * and measured value; `parlab compare` works across the two hosts; two
 * runs on one host get two columns; results of different experiment
 * files under one name are refused, naming the line that differs. */
#include <unistd.h>

#include "batch_files.h"
#include "cli_run.h"
#include "json_check.h"

static char host[256];

/* Runs folder exp into tmp/name, expecting every expectation to hold. */
static char *run_into(const char *exp, const char *name)
{
	char *dir = px__xasprintf("%s/%s", px_cli_tmpdir(), name);
	char *args = px__xasprintf("run %s --output-dir %s --quiet", exp, dir);
	char *out, *err;

	CHECK_INT(px_cli_run(args, &out, &err), 0);
	free(out);
	free(err);
	free(args);
	return dir;
}

/* The folder of two experiments, alpha (serial, free-threads) and beta. */
static char *folder(void)
{
	char *dir = px__xasprintf("%s/exp", px_cli_tmpdir());
	char *a = px_tiny_experiment("alpha", true);
	char *b = px_tiny_experiment("beta", false);

	px_put(dir, "a.yaml", a);
	px_put(dir, "b.yaml", b);
	free(a);
	free(b);
	return dir;
}

/* A copy of batch dir `from` as `to`, its host renamed lab-two. */
static char *fake_host(const char *from, const char *to)
{
	char *copy = px__xasprintf("%s/%s", px_cli_tmpdir(), to);
	char *cmd = px__xasprintf("cp -r '%s' '%s' && sed -i 's/\"host\": \"[^\"]*\"/\"host\": \"lab-two\"/' '%s'/*/meta.json",
	                          from, copy, copy);

	CHECK_INT(system(cmd), 0);
	free(cmd);
	return copy;
}

static void test_two_hosts_matrix(void)
{
	char *exp = folder(), *a = run_into(exp, "run-a"), *b = run_into(exp, "run-b");
	char *b2 = fake_host(b, "run-b-two"), *out, *err, *text;
	char *m = px__xasprintf("%s/merged", px_cli_tmpdir());
	char *args = px__xasprintf("merge %s %s -o %s", a, b2, m), *want;

	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "merged 4 results from 2 machines into ");
	text = px_read_in(m, "summary.md");
	want = px__xasprintf("| experiment | claim | %s | lab-two |", host);
	CHECK_CONTAINS(text, "## Claims x machines");
	CHECK_CONTAINS(text, want);
	CHECK_CONTAINS(text, "| alpha | speedup(free-threads, workers=1) > 0.000001 | pass ");
	CHECK_CONTAINS(text, "x | pass ");    /* "pass 0.9x | pass 1.1x |" */
	CHECK_CONTAINS(text, "| beta | wall_s(serial) < 100s | pass ");
	CHECK_CONTAINS(text, "[report](alpha@lab-two/report.html)");
	free(text);
	text = px_read_in(m, "batch.json");
	CU_ASSERT(text && json_valid(text));
	free(want);
	want = px__xasprintf("\"hosts\": [\"%s\", \"lab-two\"]", host);
	CHECK_CONTAINS(text, want);
	CHECK_CONTAINS(text, "\"host\": \"lab-two\", \"verdict\": \"pass\", \"value\": ");
	CHECK_CONTAINS(text, "\"name\": \"beta\", \"description\": \"the beta one\"");
	CHECK_CONTAINS(text, "\"pass\": 1, \"fail\": 0");
	free(text);
	free(out);
	free(err);
	free(args);
	/* compare works across the hosts */
	args = px__xasprintf("compare %s/alpha@%s %s/alpha@lab-two", m, host, m);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "free-threads");
	free(out);
	free(err);
	free(args);
	/* two runs on one host: two columns */
	args = px__xasprintf("merge %s %s -o %s/same", a, b, px_cli_tmpdir());
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	free(want);
	want = px__xasprintf("| %s | %s (2) |", host, host);
	CHECK_CONTAINS(out, want);
	/* one machine, each experiment run twice on it: not "2 machines" */
	CHECK_CONTAINS(out, "merged 4 results from 1 machine (up to 2 runs of one experiment on one machine) into ");
	free(want);
	free(out);
	free(err);
	free(args);
	free(m);
	free(exp);
	free(a);
	free(b);
	free(b2);
}

static void test_different_files_refused(void)
{
	char *exp = px__xasprintf("%s/exp3", px_cli_tmpdir()), *c, *out, *err;
	char *text = px_tiny_experiment("alpha", true), *rep = strstr(text, "repetitions: 2");
	char *args;

	rep[strlen("repetitions: ")] = '3';
	px_put(exp, "a.yaml", text);
	c = run_into(exp, "run-c");
	args = px__xasprintf("merge %s/run-a %s -o %s/bad", px_cli_tmpdir(), c,
	                     px_cli_tmpdir());
	CHECK_INT(px_cli_run(args, &out, &err), 2);
	CHECK_CONTAINS(err, "experiment 'alpha' comes from different experiment files");
	CHECK_CONTAINS(err, "line 6:");
	CHECK_CONTAINS(err, "has 'repetitions: 2'");
	CHECK_CONTAINS(err, "has 'repetitions: 3'");
	free(out);
	free(err);
	free(args);
	args = px__xasprintf("merge %s/exp -o %s/none", px_cli_tmpdir(), px_cli_tmpdir());
	CHECK_INT(px_cli_run(args, &out, &err), 2);
	CHECK_CONTAINS(err, "no results directory in it");
	free(out);
	free(err);
	free(args);
	free(text);
	free(c);
	free(exp);
}

/* No experiment with an expectation: the claims section says so, with
 * no table of headers alone. */
static void test_no_expectations(void)
{
	char *exp = px__xasprintf("%s/exp4", px_cli_tmpdir()), *d, *out, *err;
	char *args, *text;

	px_put(exp, "n.yaml", "experiment: noexp\nworkload: {name: noop, params: {tasks: 2}}\n"
	       "strategies: [serial]\nworkers: 1\nrepetitions: 2\nwarmup: 0\n");
	d = run_into(exp, "run-n");
	args = px__xasprintf("merge %s -o %s/noexp", d, px_cli_tmpdir());
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "no expectations to compare");
	CU_ASSERT(out && !strstr(out, "| experiment | claim |"));
	free(out);
	free(err);
	free(args);
	args = px__xasprintf("%s/noexp", px_cli_tmpdir());
	text = px_read_in(args, "summary.md");
	CHECK_CONTAINS(text, "## Claims x machines\n\nno expectations to compare\n");
	CU_ASSERT(text && !strstr(text, "| experiment | claim |"));
	free(text);
	text = px_read_in(args, "index.html");
	CHECK_CONTAINS(text, "<p>no expectations to compare</p>");
	CU_ASSERT(text && !strstr(text, "<th>claim</th>"));
	free(text);
	free(args);
	free(d);
	free(exp);
}

static void test_cleanup(void)
{
	px_cli_cleanup();
}

static void test_host(void)
{
	CU_ASSERT_FATAL(gethostname(host, sizeof(host) - 1) == 0);
}

TEST_MAIN("merge", T(test_host), T(test_two_hosts_matrix),
          T(test_different_files_refused), T(test_no_expectations),
          T(test_cleanup))
