/* test_expect_parse.c: the expectation syntax, each error with its exact
 * line and column. */
#include "expect_fixture.h"
#include "input/expect_ast.h"

static void test_syntax_errors(void)
{
	check_error("speedup(serial) >", "test.yaml:6:22:", "expected a number");
	check_error("speedup(serial)", "test.yaml:6:20:", "expected a comparison");
	check_error("speedup(serial, 2) > 1", "test.yaml:6:21:", "is not key=value");
	check_error("speedup > 1", "test.yaml:6:5:", "must be called with a strategy");
	check_error("p99(latency) > 1", "test.yaml:6:16:", "needs a strategy");
	/* A number as long as the parser's buffer, with an exponent at its
	 * end (a fuzzer's input overran the buffer by one byte there). */
	check_error("speedup(serial) > 00000000000000000000000000000000000000"
	            "000000000000000000000001e05", "test.yaml:6:23:",
	            "a number longer than 62 characters");
	check_error("speedup(serial) > 0000000000000000000000000000000000000000"
	            "0000000000000000000000000000", "test.yaml:6:23:",
	            "a number longer than 62 characters");
}

/* `cores` in a sum and workers=cores in a selector both mark the
 * expectation as one that needs 2 cores or more. */
static void test_uses_cores(void)
{
	static const struct { const char *text; bool cores; } cases[] = {
		{ "speedup(free-threads, workers=2) > 1.5", false },
		{ "speedup(free-threads, workers=2) > 0.8 * cores", true },
		{ "speedup(free-threads, workers=cores) > 1.5", true },
		{ "speedup(free-threads, workers = cores) > 1.5", true },
	};
	struct diag d = { stderr, 0 };

	for (size_t i = 0; i < PX_ARRAY_LEN(cases); i++) {
		struct expr *x = px__expect_parse(cases[i].text,
		                                  (struct mark){ "t", 1, 1 }, &d);
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CHECK_INT(x->uses_cores, cases[i].cores);
		px__expect_free(x);
	}
}

TEST_MAIN("expect_parse", T(test_syntax_errors), T(test_uses_cores))
