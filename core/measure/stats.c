/* stats.c: median, mean, standard deviation, order-statistic intervals. */
#include "measure/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->v, b = ((const struct ranked *)y)->v;

	return (a > b) - (a < b);
}

/* P(U <= u) for samples of n1 and n2 with no ties: the number of
 * arrangements with U <= u over C(n1 + n2, n1), by the recurrence
 * f(n1, n2, u) = f(n1 - 1, n2, u - n2) + f(n1, n2 - 1, u). */
static double u_cdf(size_t n1, size_t n2, double u)
{
	size_t maxu = n1 * n2, k = (size_t)floor(u);
	double *f = px__xcalloc((n1 + 1) * (n2 + 1) * (maxu + 1), sizeof(double));
	double total = 0, below = 0;
#define F(i, j, w) f[((i) * (n2 + 1) + (j)) * (maxu + 1) + (w)]

	for (size_t i = 0; i <= n1; i++)
		for (size_t j = 0; j <= n2; j++)
			for (size_t w = 0; w <= maxu; w++) {
				if (i == 0 || j == 0)
					F(i, j, w) = w == 0;
				else
					F(i, j, w) = (w >= j ? F(i - 1, j, w - j) : 0) +
					             F(i, j - 1, w);
			}
	for (size_t w = 0; w <= maxu; w++) {
		total += F(n1, n2, w);
		if (w <= k)
			below += F(n1, n2, w);
	}
#undef F
	free(f);
	return below / total;
}

double px__mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                        double *u)
{
	size_t n = na + nb;
	struct ranked *r;
	double ra = 0, ties = 0, ua, mean, sd, z, lo;
	bool tied = false;

	if (na == 0 || nb == 0)
		return NAN;
	r = px__xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 1 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 0 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	/* Average ranks over runs of equal values. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && r[j + 1].v == r[i].v)
			j++;
		double rank = (double)(i + j) / 2 + 1, t = (double)(j - i + 1);
		for (size_t k = i; k <= j; k++)
			if (r[k].from_a)
				ra += rank;
		if (t > 1) {
			tied = true;
			ties += t * t * t - t;
		}
		i = j + 1;
	}
	free(r);
	ua = ra - (double)na * (double)(na + 1) / 2;
	if (u)
		*u = ua;
	/* The smaller tail, doubled. */
	lo = fmin(ua, (double)(na * nb) - ua);
	if (!tied && na <= 30 && nb <= 30)
		return fmin(1, 2 * u_cdf(na, nb, lo));
	mean = (double)(na * nb) / 2;
	sd = sqrt((double)(na * nb) / 12 *
	          ((double)(n + 1) - ties / ((double)n * (double)(n - 1))));
	if (sd == 0)
		return 1;
	z = (fabs(ua - mean) - 0.5) / sd;
	return fmin(1, erfc(fmax(z, 0) / sqrt(2)));
}

unsigned px__runs_for_level(double level)
{
	unsigned n = 1;

	while (n < 64 && 1 - 2 * ldexp(1, -(int)n) < level)
		n++;
	return n;
}

bool px__coverage_note(const struct summary *s, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (s->n == 0 || isnan(s->ci_level) || s->ci_level >= PX_CI_TARGET)
		return false;
	snprintf(buf, cap, "%zu run%s: the interval covers %.4g%%, not %.0f%%; %u runs would",
	         s->n, s->n == 1 ? "" : "s", s->ci_level * 100,
	         PX_CI_TARGET * 100, px__runs_for_level(PX_CI_TARGET));
	return true;
}

double px__mann_whitney_min_p(size_t na, size_t nb)
{
	double c = 1;

	/* C(na + nb, na) as a running product, exact for these sizes. */
	for (size_t k = 1; k <= na; k++)
		c = c * (double)(nb + k) / (double)k;
	return na && nb ? fmin(1, 2 / c) : NAN;
}

unsigned px__mann_whitney_runs_for(double alpha)
{
	unsigned n = 1;

	while (n < 1000 && px__mann_whitney_min_p(n, n) >= alpha)
		n++;
	return n;
}
