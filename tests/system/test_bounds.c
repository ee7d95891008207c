/* test_bounds.c: hostile inputs (huge sweeps, deep nesting, bad ranges,
 * odd files), each as a hostile tester reproduced it. Every case runs
 * parlab in a child with a timeout and (outside sanitizer builds) 512 MB
 * of address space, and asserts the clear error and exit code 2; none
 * asserts how long it took. */
#include <sys/stat.h>

#include "bounds/child.h"

#define HEAD "experiment: t\nworkload: noop\n"
#define PX_USAGE 2

/* A string of `n` copies of `s`, then `tail` (the caller frees). */
static char *repeat(const char *head, const char *s, size_t n,
                    const char *tail)
{
	struct strbuf sb = { 0 };

	px__sb_add(&sb, head);
	for (size_t i = 0; i < n; i++)
		px__sb_add(&sb, s);
	px__sb_add(&sb, tail);
	return px__sb_take(&sb);
}

static void test_scale_from_above_cores(void)
{
	const char *y = HEAD "strategies: [serial, free-threads]\n"
	                "workers: {from: 4, to: cores, scale: 2}\n";

	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "t.yaml:4:10: error: workers: the range from 4 to cores is empty: the topology pack:1 core:2 pu:1 has 2 cores");
	PX_CHILD_CHECK("run", y, "--dry-run", PX_USAGE, "pack:1 core:2 pu:1 has 2 cores");
}

static void test_reversed_ranges(void)
{
	PX_CHILD_CHECK("validate", HEAD "strategies: [free-threads]\n"
	               "workers: {from: 4, to: 2}\n", "", PX_USAGE,
	               "t.yaml:4:10: error: workers: the range from 4 to 2 is empty");
	PX_CHILD_CHECK("validate", HEAD "strategies: [free-threads]\n"
	               "workers: {from: 4, to: 2, step: 1}\n", "", PX_USAGE,
	               "range from 4 to 2 is empty");
	PX_CHILD_CHECK("validate", HEAD "strategies: [free-threads]\n"
	               "workers: 4..2\n", "", PX_USAGE,
	               "t.yaml:4:10: error: workers: the range from 4 to 2 is empty");
	PX_CHILD_CHECK("validate", HEAD "strategies: [free-threads]\n"
	               "workers: 3..cores\n", "", PX_USAGE,
	               "pack:1 core:2 pu:1 has 2 cores");
}

static void test_space_after_equals(void)
{
	PX_CHILD_CHECK("validate", HEAD "strategies: [serial, free-threads]\n"
	               "workers: [2]\nexpect:\n"
	               "  - speedup(free-threads, workers=   2) > 0\n",
	               "", 0, "t: ok (2 trials, 1 expectations)");
}

static void test_sweep_over_the_limit(void)
{
	char *iters = repeat("", "1,", 999, "1");
	char *y = px__xasprintf(HEAD "strategies: [serial, free-threads]\n"
	                        "workers: [1]\n");

	free(y);
	/* 1000 x 1000 combinations of two workload parameters. */
	y = px__xasprintf("experiment: t\nworkload: {name: cpu-count, params: "
	                  "{iterations: [%s], work_per_step: [%s]}}\n"
	                  "strategies: [serial]\n", iters, iters);
	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "the sweeps ask for 1000000 trials and 6000000 runs, more than the limit of 10000 trials");
	PX_CHILD_CHECK("validate", y, "", PX_USAGE, "at the 60 s timeout per run");
	free(y);
	free(iters);
	PX_CHILD_CHECK("validate", HEAD "strategies: [free-threads]\n"
	               "workers: 1..65536\n", "", PX_USAGE,
	               "t.yaml:4:10: error: the sweeps ask for 65536 trials");
}

static void test_max_trials_option(void)
{
	const char *y = HEAD "strategies: [free-threads]\nworkers: 1..64\n";

	PX_CHILD_CHECK("validate", y, "--max-trials=10", PX_USAGE,
	               "64 trials and 384 runs, more than the limit of 10 trials and 100 runs");
	PX_CHILD_CHECK("validate", y, "--max-trials=200", 0, "ok (64 trials");
}

static void test_topology_too_big(void)
{
	char *path = px_child_file("t.yaml", HEAD "strategies: [serial]\n");
	char *argv[] = { "parlab", "run", "--dry-run", "--topology",
	                 "pack:64 core:64 pu:16", path, NULL };
	char *out;

	CHECK_INT(px_child_run(argv, &out), PX_USAGE);
	CHECK_CONTAINS(out, "'pack:64 core:64 pu:16' has 65536 PUs; parlab plans for at most 4096");
	free(out);
	free(path);
}

static void test_placements_over_the_limit(void)
{
	char *path = px_child_file("t.yaml", HEAD "strategies: [free-threads]\n");
	char *argv[] = { "parlab", "run", "--dry-run", "--topology",
	                 "pack:1 core:4096 pu:1", path, NULL };
	char *out;

	/* 1..cores on 4096 cores: 4096 trials of 8,390,656 pin sets in all. */
	CHECK_INT(px_child_run(argv, &out), PX_USAGE);
	CHECK_CONTAINS(out, "the trials place 8390656 workers in all");
	free(out);
	free(path);
}

static void test_many_keys_and_errors(void)
{
	struct strbuf sb = { 0 };
	char *out, *path, *y;
	int lines = 0;

	for (int i = 0; i < 30000; i++)
		px__sb_addf(&sb, "k%d: 1\n", i);
	y = px__sb_take(&sb);
	path = px_child_file("t.yaml", y);
	{
		char *argv[] = { "parlab", "validate", path, NULL };
		CHECK_INT(px_child_run(argv, &out), PX_USAGE);
	}
	CHECK_CONTAINS(out, "t.yaml:50:1: error: unknown key 'k49'");
	CHECK_CONTAINS(out, "... and 29953 more errors\n");
	CU_ASSERT(strstr(out, "'k50'") == NULL);
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	CHECK_INT(lines, 52);
	free(out);
	free(path);
	free(y);
}

static void test_duplicate_key_among_many(void)
{
	struct strbuf sb = { 0 };
	char *y;

	px__sb_add(&sb, HEAD "strategies:\n  - name: free-threads\n    params:\n");
	for (int i = 0; i < 20000; i++)
		px__sb_addf(&sb, "      p%d: 1\n", i);
	px__sb_add(&sb, "      p7: 2\n");
	y = px__sb_take(&sb);
	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "t.yaml:20006:7: error: duplicate key 'p7' (first at line 13)");
	free(y);
}

static void test_deep_nesting(void)
{
	char *open = repeat("x: ", "[", 30000, "");
	char *y = repeat(open, "]", 30000, "\n");

	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "t.yaml:1:67: error: lists and maps nest deeper than 64 levels here");
	free(open);
	free(y);
	open = repeat(HEAD "strategies: [serial]\nexpect:\n  - ", "(", 50000, "1");
	y = repeat(open, ")", 50000, " > 0\n");
	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "t.yaml:5:69: error: expect: parentheses and minus signs nest deeper than 64 levels");
	free(open);
	free(y);
	y = repeat(HEAD "strategies: [serial]\nexpect:\n  - 1", " + 1", 200000,
	           " > 0\n");
	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "expect: the expression is too long (more than 1024 terms and operators)");
	free(y);
}

/* A FIFO and a device are refused without reading them (a directory is
 * a folder of experiment files: system.batch). */
static void test_not_a_regular_file(void)
{
	char *file = px_child_file("t.yaml", "");
	char *fifo = px__xasprintf("%s/fifo.yaml", px_child_dir);
	const char *paths[] = { fifo, "/dev/null" };
	const char *what[] = { "(a FIFO)", "(a device)" };

	CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
	for (size_t i = 0; i < PX_ARRAY_LEN(paths); i++) {
		char *argv[] = { "parlab", "validate", (char *)paths[i], NULL };
		char *out, *want = px__xasprintf("%s: error: not a regular file %s",
		                                 paths[i], what[i]);
		CHECK_INT(px_child_run(argv, &out), PX_USAGE);
		CHECK_CONTAINS(out, want);
		free(out);
		free(want);
	}
	unlink(fifo);
	free(fifo);
	free(file);
}

static void test_long_name(void)
{
	char *y = repeat("experiment: ", "a", 240,
	                 "\nworkload: noop\nstrategies: [serial]\n");

	PX_CHILD_CHECK("validate", y, "", PX_USAGE,
	               "t.yaml:1:13: error: experiment: the name has 240 characters, at most 200 are allowed");
	free(y);
}

static void test_division_by_zero(void)
{
	PX_CHILD_CHECK("validate", HEAD "strategies: [serial]\nexpect:\n"
	               "  - wall(serial) / 0 > 1\n", "", PX_USAGE,
	               "t.yaml:5:20: error: expect: division by zero");
	PX_CHILD_CHECK("validate", HEAD "strategies: [serial]\nexpect:\n"
	               "  - wall(serial) / -(0.0) > 1\n", "", PX_USAGE,
	               "t.yaml:5:20: error: expect: division by zero");
}

static void test_duplicate_strategies(void)
{
	PX_CHILD_CHECK("validate", HEAD "strategies: [serial, free-threads, serial]\n",
	               "", PX_USAGE,
	               "t.yaml:3:36: error: strategies: 'serial' with the same parameters is already listed at 3:14");
	PX_CHILD_CHECK("validate", HEAD "strategies:\n"
	               "  - {name: free-threads, params: {chunksize: 2, spawn: pool}}\n"
	               "  - {name: free-threads, params: {spawn: pool, chunksize: 2}}\n",
	               "", PX_USAGE, "t.yaml:5:5: error: strategies: 'free-threads'");
	PX_CHILD_CHECK("validate", HEAD "strategies:\n"
	               "  - {name: free-threads, params: {chunksize: 2}}\n"
	               "  - {name: free-threads, params: {chunksize: 3}}\n"
	               "workers: [2]\n", "", 0, "ok (2 trials");
}

/* The parameters read before a bad one are freed: the sanitizer build's
 * leak check makes a leak exit 1 instead of 2. */
static void test_bad_strategy_parameter(void)
{
	PX_CHILD_CHECK("validate", HEAD "strategies:\n  - serial\n"
	               "  - {name: free-threads, params: {chunksize: 2, spawn: [pool, nope]}}\n",
	               "", PX_USAGE, "t.yaml:5:");
}

TEST_MAIN("bounds",
	T(test_scale_from_above_cores), T(test_reversed_ranges),
	T(test_space_after_equals), T(test_sweep_over_the_limit),
	T(test_max_trials_option), T(test_topology_too_big),
	T(test_placements_over_the_limit), T(test_many_keys_and_errors),
	T(test_duplicate_key_among_many), T(test_deep_nesting),
	T(test_not_a_regular_file), T(test_long_name),
	T(test_division_by_zero), T(test_duplicate_strategies),
	T(test_bad_strategy_parameter))
