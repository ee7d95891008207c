/* test_expect.c: the expectation language: parsing with exact columns,
 * selectors bound to exactly one trial, and verdicts on known values. */
#include <math.h>

#include "measure/verdict.h"
#include "helpers.h"
#include "base/util.h"
#include "plan/expect_resolve.h"

static struct registry reg;
static struct topo tp;
static struct measurements meas;

static void init_world(void)
{
	char err[256];

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	}
}

/* An experiment with serial and free-threads (chunksize 1 or 4) at 1 and
 * 2 workers on a 2-core synthetic machine, every trial given fake runs. */
static struct experiment *make(const char *expect_line, struct plan *p,
                               char **errs, int *n_errors)
{
	char *text;
	struct experiment *e;
	size_t len = 0;
	FILE *out;
	struct diag d;

	init_world();
	text = px__xasprintf(
		"experiment: x\nworkload: faulty\n"
		"strategies: [serial, {name: free-threads, params: {chunksize: [1, 4]}}]\n"
		"workers: [1, 2]\nexpect:\n  - %s\n", expect_line);
	e = px_test_load(&reg, &tp, text, errs, n_errors);
	free(text);
	if (!e)
		return NULL;
	free(*errs);
	out = open_memstream(errs, &len);
	d = (struct diag){ out, 0 };
	CHECK_INT(px__plan_build(p, e, &tp, 3, &d), 0);
	px__measurements_init(&meas, p);
	if (px__expect_resolve(e->expects[0].expr, p, &d)) {
		px__plan_free(p);
		px__measurements_free(&meas);
	}
	fclose(out);
	*n_errors = d.errors;
	return e;
}

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

/* `line` must fail to parse or resolve with `what` at `where`. */
static void check_error(const char *line, const char *where, const char *what)
{
	struct plan p;
	char *errs = NULL;
	int n = 0;
	struct experiment *e = make(line, &p, &errs, &n);

	CU_ASSERT(n >= 1);
	CHECK_CONTAINS(errs, where);
	CHECK_CONTAINS(errs, what);
	if (e && n == 0) {
		px__plan_free(&p);
		px__measurements_free(&meas);
	}
	px__experiment_free(e);
	free(errs);
}

static void test_selector_errors(void)
{
	/* "  - " puts the expression at column 5 of line 6. */
	check_error("speedup(free-threads, workers=2) > 1", "test.yaml:6:5:",
	            "matches 2 trials; add selectors");
	check_error("speedup(free-threads, workers=3, chunksize=1) > 1",
	            "test.yaml:6:5:", "matches 0 trials");
	check_error("speedup(free-thread, workers=2) > 1", "test.yaml:6:5:",
	            "did you mean 'free-threads'?");
	check_error("speedup(free-threads, worker=2, chunksize=1) > 1",
	            "test.yaml:6:27:", "did you mean 'workers'?");
	check_error("speedup(free-threads, workers=2, chunksize=zero) > 1",
	            "test.yaml:6:38:", "chunksize: 'zero' is not an integer");
	check_error("bigest(serial) > 1", "test.yaml:6:5:",
	            "unknown metric 'bigest'; did you mean 'biggest'?");
}

static void test_syntax_errors(void)
{
	check_error("speedup(serial) >", "test.yaml:6:22:", "expected a number");
	check_error("speedup(serial)", "test.yaml:6:20:", "expected a comparison");
	check_error("speedup(serial, 2) > 1", "test.yaml:6:21:", "is not key=value");
	check_error("speedup > 1", "test.yaml:6:5:", "must be called with a strategy");
	check_error("p99(latency) > 1", "test.yaml:6:16:", "needs a strategy");
}

/* Resolves `line` against gil-threads (mode: new|legacy) running the
 * faulty workload (mode: ok|segv|...), both swept; returns the errors. */
static int resolve_shared_name(const char *line, char **errs)
{
	char *text = px__xasprintf(
		"experiment: x\n"
		"workload: {name: faulty, params: {mode: [ok, wrong]}}\n"
		"strategies: [{name: gil-threads, params: {mode: [new, legacy]}}]\n"
		"workers: [2]\nexpect:\n  - %s\n", line);
	struct experiment *e = px_test_load(&reg, &tp, text, errs, NULL);
	struct plan p;
	size_t len = 0;
	FILE *out;
	struct diag d;

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	free(*errs);
	out = open_memstream(errs, &len);
	d = (struct diag){ out, 0 };
	CHECK_INT(px__plan_build(&p, e, &tp, 1, &d), 0);
	px__expect_resolve(e->expects[0].expr, &p, &d);
	fclose(out);
	px__plan_free(&p);
	px__experiment_free(e);
	return d.errors;
}

static void test_shared_parameter_names(void)
{
	char *errs = NULL;

	init_world();
	/* Each value fits only one side's words: that side is meant. */
	CHECK_INT(resolve_shared_name("wall(gil-threads, mode=legacy, mode=wrong) > 0",
	                              &errs), 0);
	free(errs);
	/* Prefixes say which side outright. */
	CHECK_INT(resolve_shared_name("wall(gil-threads, s.mode=new, w.mode=ok) > 0",
	                              &errs), 0);
	free(errs);
	CHECK_INT(resolve_shared_name("wall(gil-threads, w.mode=new, s.mode=new) > 0",
	                              &errs), 1);
	CHECK_CONTAINS(errs, "mode: 'new' is not allowed, expected one of ok|segv");
	free(errs);
	/* One side's value and no way to tell the other: still ambiguous. */
	CHECK_INT(resolve_shared_name("wall(gil-threads, mode=legacy) > 0", &errs), 1);
	CHECK_CONTAINS(errs, "matches 2 trials");
	free(errs);
}

TEST_MAIN("expect", T(test_speedup_and_cores), T(test_arithmetic_and_units),
          T(test_failed_trial_fails_the_claim), T(test_selector_errors),
          T(test_inconclusive_when_the_interval_straddles),
          T(test_syntax_errors), T(test_shared_parameter_names))
