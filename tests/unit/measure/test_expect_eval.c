/* test_expect_eval.c: verdicts of resolved expectations on known values:
 * speedup, efficiency, arithmetic and units, intervals that straddle the
 * threshold, and a failed trial that fails the claim. */
#include <math.h>

#include "expect_fixture.h"

/* Gives trial i three runs with wall times w, w, w and `biggest` = b. */
static void fake_runs(struct plan *p, size_t i, double w, double b)
{
	struct trial_runs *t = &meas.runs[i];
	int col = px__plan_column(p, "biggest");

	t->values = px__xcalloc(3 * p->ncols, sizeof(double));
	for (size_t r = 0; r < 3; r++) {
		for (size_t c = 0; c < p->ncols; c++)
			t->values[r * p->ncols + c] = NAN;
		t->values[r * p->ncols + COL_WALL] = w * (r == 1 ? 1.1 : 1.0);
		t->values[r * p->ncols + col] = b;
	}
	t->n_done = 3;
}

/* Parses, resolves and evaluates `line` with serial at 1.0 s and each
 * free-threads trial as given. */
static enum verdict verdict_of(const char *line, struct verdict_result *v)
{
	struct plan p;
	char *errs = NULL;
	int n = 0;
	struct experiment *e = make(line, &p, &errs, &n);

	if (!e || n) {
		fprintf(stderr, "\n  unexpected errors: %s\n", errs);
		CU_FAIL("expectation did not resolve");
		free(errs);
		px__experiment_free(e);
		return VERDICT_SKIP;
	}
	/* Trials: serial; free-threads c=1 w=1, w=2; c=4 w=1, w=2. */
	fake_runs(&p, 0, 1.0, 7);
	fake_runs(&p, 1, 1.0, 7);
	fake_runs(&p, 2, 0.5, 7);
	fake_runs(&p, 3, 1.0, 7);
	fake_runs(&p, 4, 0.8, 9);
	px__expect_eval(e->expects[0].expr, &p, &meas, v);
	px__plan_free(&p);
	px__measurements_free(&meas);
	px__experiment_free(e);
	free(errs);
	return v->verdict;
}

static void test_speedup_and_cores(void)
{
	struct verdict_result v;

	CHECK_INT(verdict_of("speedup(free-threads, workers=cores, chunksize=1) > 0.8 * cores",
	                     &v), VERDICT_PASS);
	CHECK_NEAR(v.lhs, 2.0, 1e-9);
	CHECK_NEAR(v.rhs, 1.6, 1e-9);
	CHECK_INT(verdict_of("speedup(free-threads, workers=2, chunksize=4) > 1.5",
	                     &v), VERDICT_FAIL);
	CHECK_NEAR(v.lhs, 1.25, 1e-9);
	CHECK_INT(verdict_of("efficiency(free-threads, workers=2, chunksize=1) >= 1",
	                     &v), VERDICT_PASS);
}

static void test_arithmetic_and_units(void)
{
	struct verdict_result v;

	CHECK_INT(verdict_of("wall(serial) < 2 * wall(free-threads, workers=2, chunksize=1) + 1ms",
	                     &v), VERDICT_PASS);
	CHECK_NEAR(v.rhs, 1.001, 1e-9);
	CHECK_INT(verdict_of("wall(serial) <= 1000ms", &v), VERDICT_PASS);
	CHECK_INT(verdict_of("-(biggest(serial) - 10) == 3", &v), VERDICT_PASS);
	CHECK_INT(verdict_of("biggest(free-threads, workers=2, chunksize=4) / 3 != 3",
	                     &v), VERDICT_FAIL);
}

static void test_inconclusive_when_the_interval_straddles(void)
{
	struct verdict_result v;
	char text[256];

	/* Each fake trial's runs are w, 1.1w, w: the speedup of free-threads
	 * (chunksize 1, 2 workers) is 2.0 within 1.0/0.55 .. 1.0/0.5. */
	CHECK_INT(verdict_of("speedup(free-threads, workers=2, chunksize=1) > 1.9",
	                     &v), VERDICT_PASS);
	CU_ASSERT(v.inconclusive);
	CHECK_NEAR(v.lhs_lo, 1.0 / 0.55, 1e-9);
	CHECK_NEAR(v.lhs_hi, 2.0, 1e-9);
	px__verdict_text(&v, text, sizeof(text));
	CHECK_STR(text, "pass (inconclusive: interval 1.818 .. 2 vs 1.9 .. 1.9)");
	/* Clear of the threshold: a plain verdict. */
	CHECK_INT(verdict_of("speedup(free-threads, workers=2, chunksize=1) > 1.5",
	                     &v), VERDICT_PASS);
	CU_ASSERT(!v.inconclusive);
	CHECK_INT(verdict_of("speedup(free-threads, workers=2, chunksize=4) > 1.2",
	                     &v), VERDICT_PASS);
	CU_ASSERT(v.inconclusive);
	/* Values that do not vary are exact. */
	CHECK_INT(verdict_of("biggest(serial) == 7", &v), VERDICT_PASS);
	CU_ASSERT(!v.inconclusive);
	px__verdict_text(&v, text, sizeof(text));
	CHECK_STR(text, "pass");
}

static void test_failed_trial_fails_the_claim(void)
{
	struct plan p;
	struct verdict_result v;
	char *errs = NULL;
	int n = 0;
	struct experiment *e = make("speedup(free-threads, workers=2, chunksize=1) > 1",
	                            &p, &errs, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	fake_runs(&p, 0, 1.0, 7);
	fake_runs(&p, 2, 0.5, 7);
	meas.runs[2].n_failed = 3;
	meas.runs[2].failure = px__xstrdup("crash: signal 11");
	px__expect_eval(e->expects[0].expr, &p, &meas, &v);
	CHECK_INT(v.verdict, VERDICT_FAIL);
	CHECK_CONTAINS(v.why, "no successful run: crash: signal 11");
	px__plan_free(&p);
	px__measurements_free(&meas);
	px__experiment_free(e);
	free(errs);
}

TEST_MAIN("expect_eval", T(test_speedup_and_cores), T(test_arithmetic_and_units),
          T(test_failed_trial_fails_the_claim),
          T(test_inconclusive_when_the_interval_straddles))
