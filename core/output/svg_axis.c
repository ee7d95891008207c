/* svg_axis.c: chart axes: log or linear, round ticks (integer ones for
 * integer parameters), and units scaled to the values (ns .. s, B .. GiB). */
#include "output/svg_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The sorted distinct finite values of v into out; how many. */
static size_t distinct(const double *v, size_t n, double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			out[k++] = v[i];
	qsort(out, k, sizeof(*out), cmp_double);
	size_t d = 0;
	for (size_t i = 0; i < k; i++)
		if (d == 0 || out[i] != out[d - 1])
			out[d++] = out[i];
	return d;
}

bool px__geometric(const double *v, size_t n)
{
	double *d = malloc((n + 1) * sizeof(*d)), r;
	size_t k = distinct(v, n, d);
	bool geo = k >= 3 && d[0] > 0;

	r = geo ? d[1] / d[0] : 0;
	for (size_t i = 2; geo && i < k; i++)
		geo = fabs(d[i] / d[i - 1] - r) < 0.01 * r;
	free(d);
	return geo && r >= 2;
}

/* The unit that shows the values' largest magnitude with digits. */
static void pick_unit(struct px_scale *s, enum svg_unit u, double big)
{
	static const char *const t[] = { "ns", "µs", "ms", "s" };
	static const char *const b[] = { "B", "KiB", "MiB", "GiB" };
	int k = 0;

	s->factor = 1;
	s->suffix = "";
	if (u == SVG_SECONDS || u == SVG_NS) {
		double ns = big * (u == SVG_SECONDS ? 1e9 : 1);
		while (k < 3 && ns >= 1000 * pow(1000, k))
			k++;
		s->factor = (u == SVG_SECONDS ? 1e9 : 1) / pow(1000, k);
		s->suffix = t[k];
	} else if (u == SVG_BYTES) {
		while (k < 3 && big >= 1024 * pow(1024, k))
			k++;
		s->factor = 1 / pow(1024, k);
		s->suffix = b[k];
	}
}

void px__scale_fit(struct px_scale *s, const struct svg_axis *a,
                   const double *v, size_t n, bool zero, bool geometric)
{
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
		}
	if (!isfinite(lo))
		lo = 0, hi = 1;
	s->integer = a->integer;
	s->unit = a->unit;
	s->log = a->log == 1 ? lo > 0
	         : a->log == 0 ? false
	         : lo > 0 && (hi / lo > 10 || geometric);
	pick_unit(s, a->unit, fmax(fabs(lo), fabs(hi)));
	if (s->log) {
		s->lo = lo / 1.25;
		s->hi = hi * 1.25;
		return;
	}
	if (hi <= lo)
		hi = lo + 1;
	s->hi = hi + 0.08 * (hi - (zero && lo > 0 ? 0 : lo));
	s->lo = zero && lo >= 0 ? 0 : lo - 0.05 * (hi - lo);
}

double px__scale_map(const struct px_scale *s, double v)
{
	double t = s->log ? (log(v) - log(s->lo)) / (log(s->hi) - log(s->lo))
	                  : (v - s->lo) / (s->hi - s->lo);

	return s->p0 + t * (s->p1 - s->p0);
}

/* A round step for about `want` ticks over span. */
static double tick_step(double span, int want)
{
	double raw = span / want, mag = pow(10, floor(log10(raw)));
	double r = raw / mag;

	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

/* Log ticks: 1, 2, 5 times powers of ten over a short span, powers of
 * ten over a long one. */
static size_t log_ticks(const struct px_scale *s, double *t, size_t cap)
{
	static const double m[] = { 1, 2, 5 };
	bool few = s->hi / s->lo < 1e3;
	size_t k = 0;

	for (double p = pow(10, floor(log10(s->lo))); p <= s->hi && k < cap; p *= 10)
		for (int i = 0; i < (few ? 3 : 1) && k < cap; i++)
			if (p * m[i] >= s->lo && p * m[i] <= s->hi &&
			    (!s->integer || p * m[i] >= 1))
				t[k++] = p * m[i];
	return k;
}

size_t px__scale_ticks(const struct px_scale *s, const double *d, size_t nd,
                       double *t, size_t cap)
{
	double *v = malloc((nd + 1) * sizeof(*v)), step;
	size_t k = distinct(d, nd, v), n = 0;

	if (s->integer && k >= 2 && k <= (s->log ? 12 : 8) && k <= cap) {
		memcpy(t, v, k * sizeof(*t));
		free(v);
		return k;
	}
	free(v);
	if (s->log)
		return log_ticks(s, t, cap);
	/* Round in the scaled unit, so ms ticks fall on whole ms. */
	step = tick_step((s->hi - s->lo) * s->factor, 6) / s->factor;
	if (s->integer && step < 1)
		step = 1;
	for (double x = ceil(s->lo / step) * step; x <= s->hi && n < cap; x += step)
		t[n++] = fabs(x) < step * 1e-9 ? 0 : x;
	return n;
}

void px__scale_label(const struct px_scale *s, double v, char *buf,
                     size_t cap)
{
	double x = v * s->factor;

	/* Over decades one unit would print 1e-05: "10 ns", "1 ms". */
	if (s->log && s->unit != SVG_PLAIN) {
		struct px_scale own;
		pick_unit(&own, s->unit, fabs(v));
		snprintf(buf, cap, "%.3g %s", v * own.factor, own.suffix);
		return;
	}
	if (s->integer || fabs(x - round(x)) < 1e-9 * fmax(1, fabs(x)))
		snprintf(buf, cap, "%.0f", x);
	else
		snprintf(buf, cap, "%.3g", x);
}

void px__axis_title(FILE *f, const struct svg_axis *a,
                    const struct px_scale *s)
{
	px__xml_text(f, a->label);
	if (*s->suffix && !(s->log && s->unit != SVG_PLAIN))
		fprintf(f, " (%s)", s->suffix);
	if (s->log)
		fputs(", log scale", f);
}
