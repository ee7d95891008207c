/* stats.h: summary statistics of repeated measurements. */
#ifndef PX_STATS_H
#define PX_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct summary {
	size_t n;
	double median, mean, stddev, min, max;
	double ci_lo, ci_hi;   /* distribution-free interval of the median */
	double ci_level;       /* its actual coverage, e.g. 0.9375 for n=5 */
	double cv;             /* stddev / mean */
	size_t outliers;       /* values with |modified z-score| > 3.5 */
	bool noisy;            /* cv over 10%, as pyperf warns */
};

/* The modified z-score threshold above which a run is an outlier
 * (Iglewicz and Hoaglin; hyperfine uses the same). */
#define PX_OUTLIER_Z 3.5
/* The coefficient of variation above which a trial is flagged noisy. */
#define PX_NOISY_CV 0.10

/* Flags in is_outlier[0..n-1] the values whose modified z-score,
 * 0.6745 (x - median) / MAD, exceeds PX_OUTLIER_Z in absolute value, and
 * returns how many. NaNs are never outliers; with fewer than 5 values or
 * a MAD of 0 (half the values equal) nothing is flagged. */
size_t px__outliers(const double *v, size_t n, bool *is_outlier);

/* Median of v[0..n-1] (n > 0); v is left as it was. */
double px__median(const double *v, size_t n);

/* Summarises v[0..n-1], skipping NaNs. With no values every field is NaN.
 * The interval is [x(j), x(n-j+1)] of the sorted values with the largest j
 * whose binomial coverage is still at least 95%, or the full range when
 * even that covers less (n < 6): ci_level says which. */
void px__summarise(const double *v, size_t n, struct summary *s);

/* The coverage every interval of the median aims at. */
#define PX_CI_TARGET 0.95

/* The fewest runs whose interval of the median reaches `level` (6 for
 * 95%: the full range of n runs covers 1 - 2 / 2^n). */
unsigned px__runs_for_level(double level);

/* When s's interval covers less than PX_CI_TARGET, writes a sentence
 * that says so ("3 runs: the interval covers 75%, not 95%; 6 runs would")
 * and returns true; else writes "" and returns false. */
bool px__coverage_note(const struct summary *s, char *buf, size_t cap);

/* The smallest two-sided p the exact Mann-Whitney U test can give with
 * na and nb values and no ties: 2 / C(na + nb, na), at most 1. */
double px__mann_whitney_min_p(size_t na, size_t nb);

/* The fewest runs a side with which the exact test can reach p < alpha. */
unsigned px__mann_whitney_runs_for(double alpha);

/* The two-sided p-value of the Mann-Whitney U test that samples a and b
 * come from the same distribution. Exact (by counting every arrangement)
 * when there are no ties and both have at most 30 values; otherwise the
 * normal approximation with tie and continuity corrections. *u gets U of
 * a. Returns NaN when either sample is empty. */
double px__mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                        double *u);

#endif
