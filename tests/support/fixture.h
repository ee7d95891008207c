/* fixture.h: a planned experiment with hand-made measurements, for the
 * unit tests of what is written from a run (results, exports). Serial at
 * 1 worker and free-threads at 1 and 2 workers on a synthetic 2-core
 * machine; each trial gets three runs of known wall times. */
#ifndef PX_TEST_FIXTURE_H
#define PX_TEST_FIXTURE_H

#include "unit.h"
#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "plan/expect_resolve.h"

struct fixture {
	struct registry reg;
	struct topo tp;
	struct experiment *e;
	struct plan plan;
	struct measurements m;
	struct verdict_result v[1];
};

/* Wall seconds of each trial's three runs: serial's median is 1.0, the
 * others' 1.0 and 0.5 exactly, so the speedups are 1 and 2. */
static const double px_fx_wall[3][3] = {
	{ 1.2, 1.0, 0.8 }, { 1.0, 1.0, 1.0 }, { 0.5, 0.5, 0.5 },
};

static inline void px_fx_open(struct fixture *f)
{
	char err[256], *errs = NULL;
	struct diag d = { stderr, 0 };

	px_test_registry(&f->reg);
	CU_ASSERT_FATAL(px__topo_open(&f->tp, "pack:1 core:2 pu:1", err,
	                              sizeof(err)) == 0);
	f->e = px_test_load(&f->reg, &f->tp,
		"experiment: fx\nworkload: noop\n"
		"strategies: [serial, free-threads]\nworkers: [1, 2]\n"
		"baseline: serial\n"
		"expect:\n  - speedup(free-threads, workers=2) > 1.5\n",
		&errs, NULL);
	free(errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->e);
	CU_ASSERT_FATAL(px__plan_build(&f->plan, f->e, &f->tp, 3, &d) == 0);
	CU_ASSERT_FATAL(f->plan.n == 3);
	CU_ASSERT_FATAL(px__expect_resolve(f->e->expects[0].expr, &f->plan,
	                                   &d) == 0);
	px__plan_select(&f->plan, NULL);
	px__measurements_init(&f->m, &f->plan);
	for (size_t i = 0; i < 3; i++)
		for (size_t r = 0; r < 3; r++) {
			double *v = px__xcalloc(f->plan.ncols, sizeof(double));
			for (size_t c = 0; c < f->plan.ncols; c++)
				v[c] = NAN;
			v[COL_WALL] = px_fx_wall[i][r];
			v[COL_CPU] = px_fx_wall[i][r] / 2;
			px__measurements_add(&f->m, i, v, NULL);
			free(v);
		}
	px__expect_eval(f->e->expects[0].expr, &f->plan, &f->m, &f->v[0]);
}

static inline void px_fx_close(struct fixture *f)
{
	px__measurements_free(&f->m);
	px__plan_free(&f->plan);
	px__experiment_free(f->e);
	px__registry_close(&f->reg);
	px__topo_close(&f->tp);
}

#endif
