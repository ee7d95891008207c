/* hist.h: log-linear histograms of non-negative integer samples (such as
 * latencies in ns), with quantiles. A run records PX_AGG_SAMPLES metrics
 * into one per worker; they merge into one when the run reports. */
#ifndef PX_HIST_H
#define PX_HIST_H

#include <stddef.h>
#include <stdint.h>

/* Histogram buckets: exact below 16, then 16 buckets per power of two
 * (about 3% resolution) up to 2^63. */
#define PX_HIST_BUCKETS 960

/* Plain data, so that it can live in memory shared between processes. */
struct hist {
	int64_t count, sum, max;
	int64_t bucket[PX_HIST_BUCKETS];
};

/* The bucket of a sample value and the value a bucket stands for (its
 * middle). */
size_t px__hist_bucket(int64_t v);
double px__hist_value(size_t bucket);

/* Adds one sample, rounded to an integer; below 0 counts as 0, beyond
 * 9e18 as INT64_MAX. */
void px__hist_add(struct hist *h, double value);

/* Adds every sample of `from` to `into`. */
void px__hist_merge(struct hist *into, const struct hist *from);

/* The q-quantile (0..1) of a histogram: the value of the bucket holding
 * the sample of rank ceil(q * count), never above the largest sample;
 * NaN when it is empty. */
double px__hist_quantile(const struct hist *h, double q);

#endif
