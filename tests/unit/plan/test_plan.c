/* test_plan.c: sweeps expand by cartesian product, serial runs once per
 * combination, baselines match workload parameters, --only selects. */
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

TEST_MAIN("plan", T(test_cartesian_product), T(test_labels_and_configs),
          T(test_worker_ranges), T(test_only_keeps_baselines))
