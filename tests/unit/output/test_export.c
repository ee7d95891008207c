/* test_export.c: the Markdown table and Google Benchmark JSON of a run,
 * from hand-made measurements whose statistics are worked out by hand. */
#include "fixture.h"
#include "output/export.h"

/* How many times `needle` occurs in s. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_markdown_table(void)
{
	struct fixture f;
	char *md = NULL;

	px_fx_open(&f);
	PX_CAPTURE(md, px__export_markdown(out_, &f.plan, &f.m, f.v));
	CHECK_CONTAINS(md, "### fx\n\n| trial | workers | runs | median | interval of the median | coverage |");
	/* Serial: 1.2, 1.0, 0.8: median 1, range 0.8 .. 1.2 (n < 6: it
	 * covers 75%), sample stddev 0.2, cv 20% (over 10%: noisy). */
	CHECK_CONTAINS(md, "| serial | 1 | 3/3 | 1.000 s | 0.8000 .. 1.200 s | 75% | 20.0% | 1 | 1 | noisy  |\n");
	/* Two workers at 0.5 s, in ms to show 4 digits: speedup 1 / 0.5 = 2,
	 * efficiency 2 / 2 = 1. */
	CHECK_CONTAINS(md, "| free-threads | 2 | 3/3 | 500.0 ms | 500.0 .. 500.0 ms | 75% | 0.0% | 2 | 1 |  |\n");
	/* The shortfall in words, once. */
	CHECK_CONTAINS(md, "\nNote: 3 runs: the interval covers 75%, not 95%; 6 runs would.\n");
	CHECK_CONTAINS(md, "| pass | `speedup(free-threads, workers=2) > 1.5` | 2 vs 1.5 |\n");
	px_fx_close(&f);
	free(md);
}

static void test_gbench_json(void)
{
	struct fixture f;
	char *js = NULL;

	px_fx_open(&f);
	PX_CAPTURE(js, px__export_gbench(out_, &f.plan, &f.m, "DATE"));
	CHECK_CONTAINS(js, "\"date\": \"DATE\"");
	/* Three trials: three iterations and three aggregates each. */
	CHECK_INT(count_of(js, "\"run_type\": \"iteration\""), 9);
	CHECK_INT(count_of(js, "\"run_type\": \"aggregate\""), 9);
	/* Serial's first run, in ns, CPU time half the wall time. */
	CHECK_CONTAINS(js, "\"name\": \"fx/serial/workers:1\", \"run_name\": \"fx/serial/workers:1\", \"family_index\": 0, \"per_family_instance_index\": 0, \"run_type\": \"iteration\", \"repetitions\": 3, \"repetition_index\": 0, \"threads\": 1, \"iterations\": 1, \"real_time\": 1.2e+09, \"cpu_time\": 600000000");
	/* Serial's stddev: sqrt((0.04 + 0 + 0.04) / 2) s = 0.2 s. */
	CHECK_CONTAINS(js, "\"name\": \"fx/serial/workers:1_stddev\"");
	CHECK_CONTAINS(js, "\"aggregate_name\": \"stddev\", \"threads\": 1, \"iterations\": 1, \"real_time\": 200000000, \"cpu_time\": 100000000");
	CHECK_CONTAINS(js, "\"name\": \"fx/free-threads/workers:2_median\"");
	CHECK_CONTAINS(js, "\"aggregate_name\": \"median\", \"threads\": 2, \"iterations\": 1, \"real_time\": 500000000, \"cpu_time\": 250000000");
	px_fx_close(&f);
	free(js);
}

TEST_MAIN("export", T(test_markdown_table), T(test_gbench_json))
