/* test_expect_parse.c: the expectation syntax, each error with its exact
 * line and column. */
#include "expect_fixture.h"

static void test_syntax_errors(void)
{
	check_error("speedup(serial) >", "test.yaml:6:22:", "expected a number");
	check_error("speedup(serial)", "test.yaml:6:20:", "expected a comparison");
	check_error("speedup(serial, 2) > 1", "test.yaml:6:21:", "is not key=value");
	check_error("speedup > 1", "test.yaml:6:5:", "must be called with a strategy");
	check_error("p99(latency) > 1", "test.yaml:6:16:", "needs a strategy");
}

TEST_MAIN("expect_parse", T(test_syntax_errors))
