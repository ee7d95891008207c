/* test_plan.c: sweeps expand by cartesian product, serial runs once per
 * combination, baselines match workload parameters (and the baseline's
 * own parameters when it gives them), --only selects. */
#include "helpers.h"

static struct registry reg;
static struct topo tp;

static struct experiment *load(const char *text)
{
	char *errs = NULL, err[256];
	struct experiment *e;

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:4 pu:1", err, sizeof(err));
	}
	e = px_test_load(&reg, &tp, text, &errs, NULL);
	if (!e)
		fprintf(stderr, "%s", errs);
	free(errs);
	return e;
}

static void test_cartesian_product(void)
{
	struct experiment *e = load(
		"experiment: sweep\n"
		"workload: {name: cpu-count, params: {tasks: [2, 4, 8]}}\n"
		"strategies:\n"
		"  - serial\n"
		"  - {name: free-threads, params: {chunksize: [1, 2]}}\n"
		"workers: [1, 2, 4]\n");
	struct plan p;
	struct diag d = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), 0);
	/* serial: 3 task counts x 1 worker; free-threads: 2 x 3 x 3. */
	CHECK_INT(p.n, 3 + 2 * 3 * 3);
	for (size_t i = 0; i < p.n; i++) {
		const struct trial *t = &p.trials[i];
		const struct trial *b = &p.trials[t->baseline];
		CU_ASSERT(t->baseline != SIZE_MAX);
		CHECK_STR(b->strategy->desc->name, "serial");
		/* The baseline has the same workload parameters. */
		CHECK_INT(b->wvals[1].i, t->wvals[1].i);
		if (strcmp(t->strategy->desc->name, "serial") == 0)
			CHECK_INT(t->workers, 1);
	}
	px__plan_free(&p);
	px__experiment_free(e);
}

static void test_labels_and_configs(void)
{
	struct experiment *e = load(
		"experiment: labels\n"
		"workload: {name: cpu-count, params: {tasks: [2, 4], iterations: 1000}}\n"
		"strategies: [{name: free-threads, params: {chunksize: 3}}]\n"
		"workers: 2\n");
	struct plan p;
	struct diag d = { 0 };
	int64_t cfg[3];

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 7, &d), 0);
	CHECK_INT(p.n, 2);
	CHECK_INT(p.repetitions, 7);
	CHECK_STR(p.trials[0].label, "free-threads chunksize=3 tasks=2");
	CHECK_STR(p.trials[1].label, "free-threads chunksize=3 tasks=4");
	/* The config struct holds every value, defaults included. */
	memcpy(cfg, p.trials[1].wconfig, sizeof(cfg));
	CHECK_INT(cfg[0], 1000);
	CHECK_INT(cfg[1], 4);
	CHECK_INT(cfg[2], 18);
	memcpy(cfg, p.trials[0].sconfig, sizeof(int64_t));
	CHECK_INT(cfg[0], 3);
	px__plan_free(&p);
	px__experiment_free(e);
}

static void test_worker_ranges(void)
{
	struct experiment *e = load(
		"experiment: ranges\nworkload: noop\nstrategies: [free-threads]\n"
		"workers: 1..cores\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(e->n_workers, 4);
	CHECK_INT(e->workers[3], 4);
	px__experiment_free(e);
	e = load("experiment: ranges\nworkload: noop\nstrategies: [free-threads]\n"
	         "workers: {from: 1, to: 12, scale: 2}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	/* 1 2 4 8, then `to` itself. */
	CHECK_INT(e->n_workers, 5);
	CHECK_INT(e->workers[4], 12);
	px__experiment_free(e);
	e = load("experiment: ranges\nworkload: noop\nstrategies: [free-threads]\n"
	         "workers: {from: 2, to: 8, step: 3}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(e->n_workers, 3);
	CHECK_INT(e->workers[2], 8);
	px__experiment_free(e);
}

static void test_only_keeps_baselines(void)
{
	struct experiment *e = load(
		"experiment: only\nworkload: noop\n"
		"strategies: [serial, free-threads]\nworkers: [1, 2]\n");
	struct plan p;
	struct diag d = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), 0);
	CHECK_INT(p.n, 3);
	/* free-threads x 2, plus serial as their baseline. */
	CHECK_INT(px__plan_select(&p, "free-*"), 3);
	CHECK_INT(px__plan_select(&p, "nothing"), 0);
	px__plan_free(&p);
	px__experiment_free(e);
}

/* The trial labelled `label` with `w` workers. */
static const struct trial *find_trial(const struct plan *p, const char *label,
                                      unsigned w)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->trials[i].label, label) == 0 &&
		    p->trials[i].workers == w)
			return &p->trials[i];
	CU_FAIL("no such trial");
	return NULL;
}

/* baseline: {name, params} resolves to the trial with those values, the
 * same workload parameters and the fewest workers. */
static void test_baseline_with_params(void)
{
	struct experiment *e = load(
		"experiment: bp\n"
		"workload: {name: cpu-count, params: {tasks: [2, 4]}}\n"
		"strategies:\n"
		"  - serial\n"
		"  - {name: free-threads, params: {spawn: [pool, per-task]}}\n"
		"workers: [2, 1]\n"
		"baseline: {name: free-threads, params: {spawn: per-task}}\n");
	struct plan p;
	struct diag d = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), 0);
	CHECK_INT(p.n, 2 + 2 * 2 * 2);
	for (size_t i = 0; i < p.n; i++) {
		const struct trial *t = &p.trials[i];
		char *want = px__xasprintf("free-threads spawn=per-task tasks=%lld",
		                           (long long)t->wvals[1].i);
		const struct trial *b = find_trial(&p, want, 1);
		CU_ASSERT_FATAL(b != NULL);
		CHECK_INT(t->baseline, b->index);
		free(want);
	}
	px__plan_free(&p);
	px__experiment_free(e);
}

/* A parameter the baseline leaves out may be anything: its default, when
 * strategies lists the same strategy twice, picks the entry without it. */
static void test_baseline_default_picks_entry(void)
{
	struct experiment *e = load(
		"experiment: bp\nworkload: noop\n"
		"strategies:\n"
		"  - {name: free-threads, params: {spawn: per-task}}\n"
		"  - free-threads\n"
		"workers: [1, 2]\n"
		"baseline: {name: free-threads, params: {spawn: pool}}\n");
	struct plan p;
	struct diag d = { 0 };
	const struct trial *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), 0);
	b = find_trial(&p, "free-threads", 1);
	CU_ASSERT_FATAL(b != NULL);
	for (size_t i = 0; i < p.n; i++)
		CHECK_INT(p.trials[i].baseline, b->index);
	px__plan_free(&p);
	px__experiment_free(e);
}

/* A bare name keeps today's rule: of equal trials, the first listed. */
static void test_bare_baseline_takes_first(void)
{
	struct experiment *e = load(
		"experiment: bp\nworkload: noop\n"
		"strategies: [{name: free-threads, params: {spawn: [per-task, pool]}}]\n"
		"workers: [1, 2]\nbaseline: free-threads\n");
	struct plan p;
	struct diag d = { 0 };
	const struct trial *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), 0);
	b = find_trial(&p, "free-threads spawn=per-task", 1);
	CU_ASSERT_FATAL(b != NULL);
	for (size_t i = 0; i < p.n; i++)
		CHECK_INT(p.trials[i].baseline, b->index);
	px__plan_free(&p);
	px__experiment_free(e);
}

/* Builds the plan of `text`, which must fail with `what`. */
static void check_plan_error(const char *text, const char *what)
{
	struct experiment *e = load(text);
	char *errs = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&errs, &len);
	struct diag d = { out, 0 };
	struct plan p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(px__plan_build(&p, e, &tp, 0, &d), -EINVAL);
	fclose(out);
	CHECK_INT(d.errors, 1);
	CHECK_CONTAINS(errs, what);
	/* Nothing is left to free: the plan is empty. */
	CHECK_INT(p.n, 0);
	free(errs);
	px__experiment_free(e);
}

/* Several trials that differ only in parameters the baseline leaves out
 * are an error naming them; workers and workload parameters still pick. */
static void test_baseline_ambiguous(void)
{
	check_plan_error(
		"experiment: bp\nworkload: {name: noop, params: {tasks: [1, 2]}}\n"
		"strategies: [{name: free-threads, params: {spawn: [pool, per-task], chunksize: [1, 4]}}]\n"
		"workers: [1, 2]\n"
		"baseline: {name: free-threads, params: {spawn: per-task}}\n",
		"test.yaml:5:11: error: baseline: free-threads with {spawn: per-task} matches 2 trials with the same workload parameters and 1 worker: 'free-threads spawn=per-task chunksize=1 tasks=1', 'free-threads spawn=per-task chunksize=4 tasks=1'; give the parameters that tell them apart");
	check_plan_error(
		"experiment: bp\nworkload: noop\n"
		"strategies: [{name: free-threads, params: {spawn: [pool, per-task]}}]\n"
		"workers: 2\nbaseline: {name: free-threads}\n",
		"test.yaml:5:11: error: baseline: free-threads matches 2 trials");
}

TEST_MAIN("plan", T(test_cartesian_product), T(test_labels_and_configs),
          T(test_worker_ranges), T(test_only_keeps_baselines),
          T(test_baseline_with_params), T(test_baseline_default_picks_entry),
          T(test_bare_baseline_takes_first), T(test_baseline_ambiguous))
