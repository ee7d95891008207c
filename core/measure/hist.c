/* hist.c: log-linear histograms of integer samples and their quantiles. */
#include "measure/hist.h"

#include <math.h>

size_t px__hist_bucket(int64_t v)
{
	int e;

	if (v < 16)
		return v < 0 ? 0 : (size_t)v;
	e = 63 - __builtin_clzll((unsigned long long)v);
	return 16 + (size_t)(e - 4) * 16 + (size_t)((v >> (e - 4)) & 15);
}

double px__hist_value(size_t b)
{
	size_t e, sub;
	double lo, width;

	if (b < 16)
		return (double)b;
	e = (b - 16) / 16 + 4;
	sub = (b - 16) % 16;
	lo = ldexp(16.0 + (double)sub, (int)e - 4);
	width = ldexp(1.0, (int)e - 4);
	return lo + width / 2;
}

void px__hist_add(struct hist *h, double value)
{
	int64_t v = value < 0 ? 0 : value > 9e18 ? INT64_MAX
	                                          : (int64_t)llround(value);

	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	h->bucket[px__hist_bucket(v)]++;
}

void px__hist_merge(struct hist *into, const struct hist *from)
{
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
	for (size_t b = 0; b < PX_HIST_BUCKETS; b++)
		into->bucket[b] += from->bucket[b];
}

double px__hist_quantile(const struct hist *h, double q)
{
	int64_t rank, seen = 0;

	if (h->count == 0)
		return NAN;
	rank = (int64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (size_t b = 0; b < PX_HIST_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank) {
			double v = px__hist_value(b);
			return v > (double)h->max ? (double)h->max : v;
		}
	}
	return (double)h->max;
}
