/* trial_stats.c: per-trial measurements beside the plan, and the trial
 * statistics every consumer derives from them. */
#include "measure/trial_stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void px__measurements_init(struct measurements *m, const struct plan *plan)
{
	m->n = plan->n;
	m->ncols = plan->ncols;
	m->repetitions = plan->repetitions;
	m->runs = px__xcalloc(plan->n + 1, sizeof(*m->runs));
	m->runs_planned = 0;
	m->interrupted = false;
	m->runs_done_at_start = 0;
	for (size_t i = 0; i < plan->n; i++)
		if (plan->trials[i].selected)
			m->runs_planned += plan->repetitions;
}

unsigned long px__measurements_done(const struct measurements *m)
{
	unsigned long n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += m->runs[i].n_done;
	return n;
}

void px__measurements_add(struct measurements *m, size_t i,
                          const double *values, const char *failure)
{
	struct trial_runs *t = &m->runs[i];
	double *row;

	if (!t->values)
		t->values = px__xcalloc((size_t)m->repetitions * m->ncols,
		                        sizeof(double));
	row = &t->values[(size_t)t->n_done * m->ncols];
	memcpy(row, values, m->ncols * sizeof(double));
	if (failure) {
		/* A failed run's numbers stay in trials.csv but not in the
		 * statistics. */
		for (size_t c = 0; c < m->ncols; c++)
			row[c] = NAN;
		t->n_failed++;
		if (!t->failure)
			t->failure = px__xstrdup(failure);
	}
	t->n_done++;
}

void px__measurements_free(struct measurements *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->runs[i].values);
		free(m->runs[i].failure);
	}
	free(m->runs);
	memset(m, 0, sizeof(*m));
}

/* Column `col` of trial i's runs, one value per run, in a fresh array. */
static double *column_of(const struct measurements *m, size_t i, size_t col)
{
	const struct trial_runs *t = &m->runs[i];
	double *v = px__xcalloc(t->n_done + 1, sizeof(*v));

	for (size_t r = 0; r < t->n_done; r++)
		v[r] = t->values[r * m->ncols + col];
	return v;
}

void px__trial_summary(const struct measurements *m, size_t i, size_t col,
                       struct summary *s)
{
	double *v = column_of(m, i, col);

	px__summarise(v, m->runs[i].n_done, s);
	free(v);
}

double px__trial_median(const struct measurements *m, size_t i, size_t col)
{
	struct summary s;

	px__trial_summary(m, i, col, &s);
	return s.median;
}

void px__trial_speedup(const struct plan *plan, const struct measurements *m,
                       size_t i, struct speedup *sp)
{
	const struct trial *t = &plan->trials[i];
	struct summary a;
	double base;

	sp->v = sp->lo = sp->hi = NAN;
	if (t->baseline == SIZE_MAX || !t->selected)
		return;
	base = px__trial_median(m, t->baseline, COL_WALL);
	px__trial_summary(m, i, COL_WALL, &a);
	sp->v = base / a.median;
	if (a.ci_lo <= 0 && a.ci_hi >= 0) {
		sp->lo = -INFINITY;
		sp->hi = INFINITY;
		return;
	}
	sp->lo = base / a.ci_hi;
	sp->hi = base / a.ci_lo;
}

size_t px__trial_outliers(const struct measurements *m, size_t i, size_t col,
                          bool *is_outlier)
{
	double *v = column_of(m, i, col);
	size_t n = px__outliers(v, m->runs[i].n_done, is_outlier);

	free(v);
	return n;
}
