/* test_chart_pick.c: the default chart follows the question, read from
 * real results (tests/data/charts-*: the chunksize and event-loop
 * examples as run on a 2-core VM; report-run: a workers sweep): x is the
 * parameter swept, log when geometric, trials without it drawn as
 * references; a plots: entry picks x and y. */
#include "unit.h"
#include "input/plots.h"
#include "output/chart_pick.h"

#define DATA PARLAB_TEST_SOURCE_DIR "/tests/data/"

static char *draw(const char *dir, const struct plot_spec *spec, const char **x)
{
	struct rmodel m;
	char *svg = NULL;

	CU_ASSERT_FATAL(px__rmodel_load(dir, &m) == 0);
	*x = px__chart_default_x(&m);
	PX_CAPTURE(svg, CU_ASSERT(px__chart_draw(out_, &m, spec)));
	px__rmodel_free(&m);
	return svg;
}

static void test_chunksize_on_x(void)
{
	const char *x;
	char *svg = draw(DATA "charts-chunksize-tiny-tasks", NULL, &x);

	CHECK_STR(x, "chunksize");
	CHECK_CONTAINS(svg, "Speedup against chunksize");
	CHECK_CONTAINS(svg, "chunksize, log scale");  /* 1, 4, .. 1024 */
	CHECK_CONTAINS(svg, "data-xlog=\"1\"");
	CHECK_CONTAINS(svg, ">1024</text>");
	CHECK_CONTAINS(svg, "class=\"series ref\"");  /* serial */
	CHECK_CONTAINS(svg, ">fork-pool</text>");
	CHECK_CONTAINS(svg, "whiskers: interval of the median; faint dots: each run");
	CHECK_CONTAINS(svg, "class=\"run\"");
	CU_ASSERT(strstr(svg, "class=\"ideal\"") == NULL);
	free(svg);
}

static void test_max_in_flight_on_x(void)
{
	const char *x;
	char *svg = draw(DATA "charts-io-threads-event-loop", NULL, &x);

	CHECK_STR(x, "max_in_flight");
	CHECK_CONTAINS(svg, "Speedup against max_in_flight");
	CHECK_CONTAINS(svg, ">gil-threads workers=64</text>");
	CHECK_CONTAINS(svg, ">serial</text>");
	free(svg);
}

static void test_workers_sweep_and_plot_spec(void)
{
	struct plot_spec spec = { .x = "workers", .y = "p99(io_latency)",
	                          .xlog = -1, .ylog = -1 };
	const char *x;
	char *svg = draw(DATA "report-run", NULL, &x);

	CHECK_STR(x, "workers");
	CHECK_CONTAINS(svg, "class=\"ideal\"");
	free(svg);
	svg = draw(DATA "report-run", &spec, &x);
	CHECK_CONTAINS(svg, "Median io_latency_p99 against workers");
	free(svg);
}

TEST_MAIN("chart_pick", T(test_chunksize_on_x), T(test_max_in_flight_on_x),
          T(test_workers_sweep_and_plot_spec))
