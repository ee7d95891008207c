/* stats.h: summary statistics of repeated measurements. */
#ifndef PX_STATS_H
#define PX_STATS_H

#include <stddef.h>

struct summary {
	size_t n;
	double median, mean, stddev, min, max;
	double ci_lo, ci_hi;   /* distribution-free interval of the median */
	double ci_level;       /* its actual coverage, e.g. 0.9375 for n=5 */
	double cv;             /* stddev / mean */
};

/* Median of v[0..n-1] (n > 0); v is left as it was. */
double px__median(const double *v, size_t n);

/* Summarises v[0..n-1], skipping NaNs. With no values every field is NaN.
 * The interval is [x(j), x(n-j+1)] of the sorted values with the largest j
 * whose binomial coverage is still at least 95%, or the full range when
 * even that covers less (n < 6): ci_level says which. */
void px__summarise(const double *v, size_t n, struct summary *s);

#endif
