/* test_stats.c: statistics against values worked out by hand. */
#include <math.h>

#include "helpers.h"
#include "stats.h"

static void test_median(void)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };

	CHECK_NEAR(px__median(odd, 3), 3, 0);
	CHECK_NEAR(px__median(even, 4), 2.5, 0);
	/* The input is left as it was. */
	CHECK_NEAR(odd[0], 5, 0);
}

static void test_summary(void)
{
	double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct summary s;

	px__summarise(v, 8, &s);
	CHECK_INT(s.n, 8);
	CHECK_NEAR(s.mean, 5, 1e-12);
	CHECK_NEAR(s.median, 4.5, 1e-12);
	/* Sample standard deviation: sqrt(32 / 7). */
	CHECK_NEAR(s.stddev, sqrt(32.0 / 7.0), 1e-12);
	CHECK_NEAR(s.min, 2, 0);
	CHECK_NEAR(s.max, 9, 0);
	CHECK_NEAR(s.cv, sqrt(32.0 / 7.0) / 5, 1e-12);
	/* n = 8: [x(1), x(8)] covers 99.2%, [x(2), x(7)] 93%: the former. */
	CHECK_NEAR(s.ci_lo, 2, 0);
	CHECK_NEAR(s.ci_hi, 9, 0);
	CHECK_NEAR(s.ci_level, 1 - 2.0 / 256, 1e-12);
}

static void test_interval_narrows_with_n(void)
{
	double v[20];
	struct summary s;

	for (int i = 0; i < 20; i++)
		v[i] = i + 1;
	px__summarise(v, 20, &s);
	/* n = 20: the 95% interval is [x(6), x(15)] (coverage 95.9%). */
	CHECK_NEAR(s.ci_lo, 6, 0);
	CHECK_NEAR(s.ci_hi, 15, 0);
	CU_ASSERT(s.ci_level >= 0.95);
}

static void test_nan_skipped(void)
{
	double v[] = { NAN, 1, NAN, 3 };
	struct summary s;

	px__summarise(v, 4, &s);
	CHECK_INT(s.n, 2);
	CHECK_NEAR(s.median, 2, 0);
	px__summarise(v, 1, &s);
	CHECK_INT(s.n, 0);
	CU_ASSERT(isnan(s.median));
}

static void test_outliers(void)
{
	/* Median 10.05, MAD 0.05: 30 scores 0.6745 * 19.95 / 0.05 = 269, 9.9
	 * only 2.0 (the threshold is 3.5). */
	double v[] = { 10, 10.1, 9.9, 10.05, 30 };
	double same[] = { 4, 4, 4, 4, 9 };
	bool flags[5];
	struct summary s;

	CHECK_INT(px__outliers(v, 5, flags), 1);
	CU_ASSERT(flags[4]);
	CU_ASSERT(!flags[2]);
	/* A MAD of 0 flags nothing rather than everything. */
	CHECK_INT(px__outliers(same, 5, NULL), 0);
	px__summarise(v, 5, &s);
	CHECK_INT(s.outliers, 1);
	/* stddev 8.9 over a mean of 14: noisy. */
	CU_ASSERT(s.noisy);
	px__summarise(same, 4, &s);
	CU_ASSERT(!s.noisy);
}

TEST_MAIN("stats", T(test_median), T(test_summary),
          T(test_interval_narrows_with_n), T(test_nan_skipped),
          T(test_outliers))
