/* stats.c: median, mean, standard deviation, order-statistic intervals. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_sorted(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double px__median(const double *v, size_t n)
{
	double *s = px__xmalloc(n * sizeof(*s)), m;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = median_sorted(s, n);
	free(s);
	return m;
}

/* P(X < j) for X ~ Binomial(n, 1/2), the chance that fewer than j of the
 * n values fall below the true median. */
static double binom_below(size_t n, size_t j)
{
	double p = 0, term = pow(0.5, (double)n);

	for (size_t k = 0; k < j; k++) {
		p += term;
		term = term * (double)(n - k) / (double)(k + 1);
	}
	return p;
}

void px__summarise(const double *v, size_t n, struct summary *s)
{
	double *x = px__xmalloc((n + 1) * sizeof(*x)), sum = 0, sq = 0;
	size_t m = 0, j;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			x[m++] = v[i];
	memset(s, 0, sizeof(*s));
	s->n = m;
	if (m == 0) {
		s->median = s->mean = s->stddev = s->min = s->max = NAN;
		s->ci_lo = s->ci_hi = s->cv = s->ci_level = NAN;
		free(x);
		return;
	}
	qsort(x, m, sizeof(*x), cmp_double);
	for (size_t i = 0; i < m; i++)
		sum += x[i];
	s->mean = sum / (double)m;
	for (size_t i = 0; i < m; i++)
		sq += (x[i] - s->mean) * (x[i] - s->mean);
	s->stddev = m > 1 ? sqrt(sq / (double)(m - 1)) : 0;
	s->median = median_sorted(x, m);
	s->min = x[0];
	s->max = x[m - 1];
	s->cv = s->mean != 0 ? s->stddev / fabs(s->mean) : 0;
	/* Widen from the full range inwards while coverage stays >= 95%. */
	j = 1;
	while (j + 1 <= m / 2 && 1 - 2 * binom_below(m, j + 1) >= 0.95)
		j++;
	s->ci_lo = x[j - 1];
	s->ci_hi = x[m - j];
	s->ci_level = 1 - 2 * binom_below(m, j);
	s->outliers = px__outliers(x, m, NULL);
	s->noisy = s->cv > PX_NOISY_CV;
	free(x);
}

size_t px__outliers(const double *v, size_t n, bool *is_outlier)
{
	double *x = px__xmalloc((n + 1) * sizeof(*x)), med, mad;
	size_t m = 0, count = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			x[m++] = v[i];
	/* The MAD of fewer than 5 values says too little to call any of
	 * them an outlier. */
	if (m < 5) {
		free(x);
		if (is_outlier)
			memset(is_outlier, 0, n * sizeof(*is_outlier));
		return 0;
	}
	med = px__median(x, m);
	for (size_t i = 0; i < m; i++)
		x[i] = fabs(x[i] - med);
	mad = px__median(x, m);
	free(x);
	for (size_t i = 0; i < n; i++) {
		bool out = !isnan(v[i]) && mad > 0 &&
		           fabs(0.6745 * (v[i] - med) / mad) > PX_OUTLIER_Z;
		if (is_outlier)
			is_outlier[i] = out;
		count += out;
	}
	return count;
}
