/* test_stats.c: statistics against values worked out by hand. */
#include <math.h>

#include "helpers.h"
#include "measure/stats.h"

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

static void test_mann_whitney(void)
{
	double lo[] = { 1, 2, 3, 4, 5 }, hi[] = { 6, 7, 8, 9, 10 };
	double a3[] = { 1, 2, 3 }, b3[] = { 4, 5, 6 };
	double mixed[] = { 1, 3, 5, 7, 9 }, other[] = { 2, 4, 6, 8, 10 };
	double same[] = { 2, 2, 2, 2, 2 };
	double u;

	/* No overlap: U = 0, exact two-sided p = 2 / C(10, 5) = 2/252. */
	CHECK_NEAR(px__mann_whitney(lo, 5, hi, 5, &u), 2.0 / 252, 1e-12);
	CHECK_NEAR(u, 0, 0);
	CHECK_NEAR(px__mann_whitney(hi, 5, lo, 5, &u), 2.0 / 252, 1e-12);
	CHECK_NEAR(u, 25, 0);
	/* 3 against 3: 2 / C(6, 3) = 0.1. */
	CHECK_NEAR(px__mann_whitney(a3, 3, b3, 3, NULL), 0.1, 1e-12);
	/* Interleaved samples: U = 10 of 25; the arrangements with U = 0..10
	 * number 1+1+2+3+5+7+9+11+14+16+18 = 87 of 252, two-sided 174/252. */
	CHECK_NEAR(px__mann_whitney(mixed, 5, other, 5, &u), 174.0 / 252, 1e-12);
	CHECK_NEAR(u, 10, 0);
	/* All tied: no evidence of a difference. */
	CHECK_NEAR(px__mann_whitney(same, 5, same, 5, NULL), 1, 0);
	CU_ASSERT(isnan(px__mann_whitney(lo, 0, hi, 5, NULL)));
}

/* What a number of runs can show: the interval's coverage in words, and
 * the smallest p of the exact Mann-Whitney test. */
static void test_what_runs_can_show(void)
{
	double v[] = { 3, 1, 2, 4, 5, 6 };
	struct summary s;
	char note[160];

	CHECK_INT(px__runs_for_level(0.95), 6);
	px__summarise(v, 3, &s);
	CU_ASSERT(px__coverage_note(&s, note, sizeof(note)));
	CHECK_STR(note, "3 runs: the interval covers 75%, not 95%; 6 runs would");
	px__summarise(v, 2, &s);
	CU_ASSERT(px__coverage_note(&s, note, sizeof(note)));
	CHECK_STR(note, "2 runs: the interval covers 50%, not 95%; 6 runs would");
	px__summarise(v, 6, &s);
	CU_ASSERT(!px__coverage_note(&s, note, sizeof(note)));
	CHECK_STR(note, "");
	/* 3 and 3: 2 / C(6, 3) = 0.1; 4 a side: 2 / 70 < 0.05. */
	CHECK_NEAR(px__mann_whitney_min_p(3, 3), 0.1, 1e-12);
	CHECK_NEAR(px__mann_whitney_min_p(5, 2), 2.0 / 21, 1e-12);
	CHECK_INT(px__mann_whitney_runs_for(0.05), 4);
	CHECK_INT(px__mann_whitney_runs_for(0.01), 5);
	/* The exact test itself agrees: 3 and 3 fully apart give p = 0.1. */
	CHECK_NEAR(px__mann_whitney(v, 3, v + 3, 3, &s.median), 0.1, 1e-12);
}

TEST_MAIN("stats", T(test_median), T(test_summary),
          T(test_interval_narrows_with_n), T(test_nan_skipped),
          T(test_outliers), T(test_mann_whitney), T(test_what_runs_can_show))
