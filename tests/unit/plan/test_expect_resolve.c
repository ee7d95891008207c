/* test_expect_resolve.c: selectors bound to exactly one trial, with the
 * column of each error, suggestions for near misses, and parameter names
 * that the strategy and the workload share. */
#include "expect_fixture.h"

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

TEST_MAIN("expect_resolve", T(test_selector_errors),
          T(test_shared_parameter_names))
