/* test_hist.c: histogram buckets, adding, merging and quantiles, on
 * values worked out by hand. */
#include <stdint.h>

#include "helpers.h"
#include "measure/hist.h"

static void test_histogram_buckets(void)
{
	/* Exact below 16; then within 1/16 of the value. */
	for (int64_t v = 0; v < 16; v++)
		CHECK_NEAR(px__hist_value(px__hist_bucket(v)), (double)v, 0);
	for (int64_t v = 16; v < 100000000; v = v * 3 + 1) {
		double got = px__hist_value(px__hist_bucket(v));
		CHECK_NEAR(got, (double)v, (double)v / 16);
	}
	CU_ASSERT(px__hist_bucket(INT64_MAX) < PX_HIST_BUCKETS);
}

static void test_bucket_edges(void)
{
	/* 16..31 are 16 buckets of width 1, 32..63 of width 2, and so on. */
	CHECK_INT(px__hist_bucket(-5), 0);
	CHECK_INT(px__hist_bucket(15), 15);
	CHECK_INT(px__hist_bucket(16), 16);
	CHECK_INT(px__hist_bucket(31), 31);
	CHECK_INT(px__hist_bucket(32), 32);
	CHECK_INT(px__hist_bucket(33), 32);
	CHECK_INT(px__hist_bucket(34), 33);
	/* 1000 lies in 512..1023 (32 wide): 16 + 5 * 16 + 31 % 16 = 111. */
	CHECK_INT(px__hist_bucket(1000), 111);
	/* A bucket stands for its middle: 16 .. 17 -> 16.5, 32 .. 34 -> 33,
	 * 992 .. 1024 -> 1008. */
	CHECK_NEAR(px__hist_value(16), 16.5, 0);
	CHECK_NEAR(px__hist_value(32), 33, 0);
	CHECK_NEAR(px__hist_value(111), 1008, 0);
}

static void test_add_rounds_and_clamps(void)
{
	static struct hist h;

	px__hist_add(&h, 2.6);     /* rounds to 3 */
	px__hist_add(&h, -7);      /* below 0 counts as 0 */
	px__hist_add(&h, 1000);
	CHECK_INT(h.count, 3);
	CHECK_INT(h.sum, 1003);
	CHECK_INT(h.max, 1000);
	CHECK_INT(h.bucket[3], 1);
	CHECK_INT(h.bucket[0], 1);
	CHECK_INT(h.bucket[111], 1);
	memset(&h, 0, sizeof(h));
	px__hist_add(&h, 1e19);    /* beyond 9e18: INT64_MAX */
	CHECK_INT(h.max, INT64_MAX);
	CHECK_INT(h.bucket[px__hist_bucket(INT64_MAX)], 1);
}

static void test_quantiles(void)
{
	static struct hist h;

	CU_ASSERT(isnan(px__hist_quantile(&h, 0.5)));
	for (int v = 1; v <= 10; v++)
		px__hist_add(&h, v);
	/* Rank ceil(q * 10) among 1..10, all in exact buckets. */
	CHECK_NEAR(px__hist_quantile(&h, 0.50), 5, 0);
	CHECK_NEAR(px__hist_quantile(&h, 0.90), 9, 0);
	CHECK_NEAR(px__hist_quantile(&h, 0.99), 10, 0);
	CHECK_NEAR(px__hist_quantile(&h, 0), 1, 0);
	/* 1000's bucket stands for 1008, but no sample exceeded 1000. */
	px__hist_add(&h, 1000);
	CHECK_NEAR(px__hist_quantile(&h, 1.0), 1000, 0);
}

static void test_merge(void)
{
	static struct hist a, b;

	px__hist_add(&a, 4);
	px__hist_add(&a, 40);
	px__hist_add(&b, 4);
	px__hist_add(&b, 400);
	px__hist_merge(&a, &b);
	CHECK_INT(a.count, 4);
	CHECK_INT(a.sum, 448);
	CHECK_INT(a.max, 400);
	CHECK_INT(a.bucket[4], 2);
	/* Ranks 1, 2 are 4; rank 3 is 40 (bucket 40 .. 42, middle 41). */
	CHECK_NEAR(px__hist_quantile(&a, 0.5), 4, 0);
	CHECK_NEAR(px__hist_quantile(&a, 0.75), 41, 0);
	CHECK_INT(b.count, 2);
}

TEST_MAIN("hist", T(test_histogram_buckets), T(test_bucket_edges),
          T(test_add_rounds_and_clamps), T(test_quantiles), T(test_merge))
