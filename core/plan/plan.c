/* plan.c: sweeps expanded by cartesian product, baselines, columns. */
#define _GNU_SOURCE
#include "plan/plan.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "input/baseline.h"

/* ---- columns ------------------------------------------------------------ */

static int add_column(struct plan *plan, size_t *cap, const char *name,
                      const char *unit)
{
	int at = px__plan_column(plan, name);

	if (at >= 0)
		return at;
	px__grow(&plan->cols, cap, plan->ncols + 1, sizeof(*plan->cols));
	plan->cols[plan->ncols].name = px__xstrdup(name);
	plan->cols[plan->ncols].unit = unit;
	return (int)plan->ncols++;
}

int px__plan_column(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->ncols; i++)
		if (strcmp(plan->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const char *const sample_suffix[] = {
#define X(id, suffix) suffix,
	PX_SAMPLE_STATS(X)
#undef X
};

/* Gives each counter and metric of the trial's plugins its column; a name
 * shared by two strategies shares one column. */
static void map_columns(struct plan *plan, size_t *cap, struct trial *t)
{
	const struct px_plugin *s = t->strategy->desc, *w = t->workload->desc;
	size_t i = 0;

	t->counter_col = px__xcalloc(t->strategy->n_metrics + 1, sizeof(int));
	for (const struct px_metric *m = s->metrics; m && m->name; m++, i++) {
		t->counter_col[i] = add_column(plan, cap, m->name, m->unit);
		/* A LAST value belongs to the whole run, not to a worker. */
		if (m->agg != PX_AGG_LAST)
			plan->cols[t->counter_col[i]].counter = true;
	}
	i = 0;
	t->metric_col = px__xcalloc(t->workload->n_metrics + 1, sizeof(int));
	for (const struct px_metric *m = w->metrics; m && m->name; m++, i++) {
		if (m->agg != PX_AGG_SAMPLES) {
			t->metric_col[i] = add_column(plan, cap, m->name, m->unit);
			continue;
		}
		for (size_t k = 0; k < SAMPLE_STAT_COUNT; k++) {
			char *name = px__xasprintf("%s_%s", m->name, sample_suffix[k]);
			int c = add_column(plan, cap, name,
			                   k == SAMPLE_COUNT ? "samples" : m->unit);
			if (k == 0)
				t->metric_col[i] = c;
			free(name);
		}
	}
}

/* ---- expansion ---------------------------------------------------------- */

/* Fills vals with the defaults, then the values chosen by `pick` (an index
 * into each binding's list of values). */
static union pvalue *param_values(const struct plugin_use *u,
                                  const size_t *pick)
{
	const struct px_plugin *d = u->plugin->desc;
	size_t n = px__param_count(d);
	union pvalue *v = px__xcalloc(n + 1, sizeof(*v));
	char err[PX_PARAM_ERR_MAX];

	for (size_t i = 0; i < n; i++)
		px__param_parse(&d->params[i], d->params[i].def, &v[i], err,
		                sizeof(err));
	for (size_t b = 0; b < u->n; b++) {
		size_t at = (size_t)(u->bindings[b].param - d->params);
		v[at] = u->bindings[b].values[pick[b]];
	}
	return v;
}

static void *make_config(const struct px_plugin *d, const union pvalue *v)
{
	void *cfg = px__xcalloc(1, d->config_size);
	size_t n = px__param_count(d);

	for (size_t i = 0; i < n; i++)
		px__param_store(&d->params[i], cfg, v[i]);
	return cfg;
}

/* Advances an odometer over the bindings' value lists; false at the end. */
static bool next_pick(const struct plugin_use *u, size_t *pick)
{
	for (size_t b = 0; b < u->n; b++) {
		if (++pick[b] < u->bindings[b].n)
			return true;
		pick[b] = 0;
	}
	return false;
}

static char *make_label(const struct trial *t, const size_t *spick,
                        const size_t *wpick, const struct experiment *e)
{
	struct strbuf sb = { 0 };
	char buf[64];

	px__sb_add(&sb, t->strategy->desc->name);
	for (size_t b = 0; b < t->use->n; b++) {
		const struct pbinding *pb = &t->use->bindings[b];
		px__param_format(pb->param, pb->values[spick[b]], buf, sizeof(buf));
		px__sb_addf(&sb, " %s=%s", pb->param->name, buf);
	}
	for (size_t b = 0; b < e->workload.n; b++) {
		const struct pbinding *pb = &e->workload.bindings[b];
		if (pb->n < 2)
			continue;
		px__param_format(pb->param, pb->values[wpick[b]], buf, sizeof(buf));
		px__sb_addf(&sb, " %s=%s", pb->param->name, buf);
	}
	return px__sb_take(&sb);
}

static void add_trial(struct plan *plan, size_t *cap, size_t *col_cap,
                      const struct plugin_use *u, const size_t *spick,
                      const size_t *wpick, unsigned workers)
{
	const struct experiment *e = plan->exp;
	struct trial *t;

	px__grow(&plan->trials, cap, plan->n + 1, sizeof(*plan->trials));
	t = &plan->trials[plan->n];
	t->index = plan->n++;
	t->use = u;
	t->strategy = u->plugin;
	t->workload = e->workload.plugin;
	t->svals = param_values(u, spick);
	t->wvals = param_values(&e->workload, wpick);
	t->sconfig = make_config(t->strategy->desc, t->svals);
	t->wconfig = make_config(t->workload->desc, t->wvals);
	t->workers = workers;
	t->label = make_label(t, spick, wpick, e);
	t->baseline = SIZE_MAX;
	t->selected = true;
	map_columns(plan, col_cap, t);
}

/* One strategy's trials: its sweeps x the workload's sweeps x workers. */
static int expand_strategy(struct plan *plan, size_t *cap, size_t *col_cap,
                           const struct plugin_use *u, struct diag *d)
{
	const struct experiment *e = plan->exp;
	uint32_t max = u->plugin->desc->strategy->max_workers;
	size_t *spick = px__xcalloc(u->n + 1, sizeof(*spick));
	size_t *wpick = px__xcalloc(e->workload.n + 1, sizeof(*wpick));
	int rc = 0;

	for (size_t i = 0; i < e->n_workers && max > 1; i++) {
		if (e->workers[i] > max) {
			px__diag_error(d, e->workers_mark,
			               "workers: %u is more than strategy '%s' runs (at most %u)",
			               e->workers[i], u->plugin->desc->name, max);
			rc = -EINVAL;
		}
	}
	if (rc)
		goto out;
	do {
		do {
			/* A one-worker strategy runs once per combination. */
			if (max == 1) {
				add_trial(plan, cap, col_cap, u, spick, wpick, 1);
				continue;
			}
			for (size_t i = 0; i < e->n_workers; i++)
				add_trial(plan, cap, col_cap, u, spick, wpick,
				          e->workers[i]);
		} while (next_pick(&e->workload, wpick));
	} while (next_pick(u, spick));
out:
	free(spick);
	free(wpick);
	return rc;
}

static bool same_workload(const struct trial *a, const struct trial *b)
{
	size_t n = px__param_count(a->workload->desc);

	return memcmp(a->wvals, b->wvals, n * sizeof(*a->wvals)) == 0;
}

/* Orders trials by workload parameters, then workers, then index. */
static int cmp_by_workload(const void *a_, const void *b_, void *plan_)
{
	const struct plan *plan = plan_;
	const struct trial *a = &plan->trials[*(const size_t *)a_];
	const struct trial *b = &plan->trials[*(const size_t *)b_];
	size_t n = px__param_count(a->workload->desc);
	int c = memcmp(a->wvals, b->wvals, n * sizeof(*a->wvals));

	if (c)
		return c;
	if (a->workers != b->workers)
		return (a->workers > b->workers) - (a->workers < b->workers);
	return (a->index > b->index) - (a->index < b->index);
}

/* Reports that the baseline's params form names several trials (base[lo]
 * and those after it) with the same workload parameters and workers. */
static void report_ambiguous(const struct plan *plan, const size_t *base,
                             size_t lo, size_t nb, struct diag *d)
{
	const struct trial *first = &plan->trials[base[lo]];
	struct strbuf sb = { 0 };
	char *text = px__baseline_text(plan->exp), *names;
	size_t k;

	for (k = lo; k < nb && same_workload(first, &plan->trials[base[k]]) &&
	             plan->trials[base[k]].workers == first->workers; k++)
		px__sb_addf(&sb, "%s'%s'", k > lo ? ", " : "",
		            plan->trials[base[k]].label);
	names = px__sb_take(&sb);
	px__diag_error(d, plan->exp->baseline_mark,
	               "baseline: %s matches %zu trials with the same workload parameters and %u worker%s: %s; give the parameters that tell them apart",
	               text, k - lo, first->workers, first->workers == 1 ? "" : "s",
	               names);
	free(names);
	free(text);
}

/* The first of the nb baseline trials base (sorted by workload, workers)
 * whose workload is not below t's; nb when none. */
static size_t first_not_below(const struct plan *plan, const size_t *base,
                              size_t nb, const struct trial *t)
{
	size_t lo = 0, hi = nb;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(plan->trials[base[mid]].wvals, t->wvals,
		           px__param_count(t->workload->desc) *
		                   sizeof(*t->wvals)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The baseline's trial with the same workload parameters, fewest workers:
 * the baseline's trials sorted by workload and workers, then one binary
 * search per trial (n log n: a plan of thousands of trials stays fast).
 * A bare name takes the first listed of equals; the params form (strict)
 * is an error when two trials are equal, or when it names none. */
static int resolve_baselines(struct plan *plan, struct diag *d)
{
	size_t *base = px__xcalloc(plan->n + 1, sizeof(*base)), nb = 0;
	bool strict = plan->exp->baseline_use.plugin != NULL;
	int rc = 0;

	for (size_t j = 0; j < plan->n; j++)
		if (px__baseline_fits(plan->exp, plan->trials[j].strategy,
		                      plan->trials[j].svals))
			base[nb++] = j;
	if (strict && nb == 0) {
		char *text = px__baseline_text(plan->exp);
		px__diag_error(d, plan->exp->baseline_mark,
		               "baseline: %s matches no trial", text);
		free(text);
		rc = -EINVAL;
	}
	qsort_r(base, nb, sizeof(*base), cmp_by_workload, plan);
	for (size_t i = 0; i < plan->n && !rc; i++) {
		struct trial *t = &plan->trials[i];
		size_t lo = first_not_below(plan, base, nb, t);
		const struct trial *b = lo < nb ? &plan->trials[base[lo]] : NULL;
		if (!b || !same_workload(t, b))
			continue;
		if (strict && lo + 1 < nb &&
		    same_workload(b, &plan->trials[base[lo + 1]]) &&
		    plan->trials[base[lo + 1]].workers == b->workers) {
			report_ambiguous(plan, base, lo, nb, d);
			rc = -EINVAL;
		}
		t->baseline = base[lo];
	}
	free(base);
	return rc;
}

static int plan_pins(struct plan *plan, struct diag *d)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct trial *t = &plan->trials[i];
		char err[512];
		if (px__pin_plan(plan->topo, &plan->exp->pinning, t->workers,
		                 &t->pins, err, sizeof(err))) {
			px__diag_error(d, (struct mark){ plan->exp->path, 0, 0 },
			               "pinning: %s", err);
			return -EINVAL;
		}
	}
	return 0;
}

int px__plan_build(struct plan *plan, const struct experiment *e,
                   const struct topo *topo, unsigned repetitions,
                   struct diag *d)
{
	size_t cap = 0, col_cap = 0;

	memset(plan, 0, sizeof(*plan));
	plan->exp = e;
	plan->topo = topo;
	plan->repetitions = repetitions ? repetitions : e->repetitions;
#define X(id, name, unit) add_column(plan, &col_cap, name, unit);
	PX_BUILTIN_COLUMNS(X)
#undef X
	for (size_t s = 0; s < e->n_strategies; s++)
		if (expand_strategy(plan, &cap, &col_cap, &e->strategies[s], d))
			goto fail;
	if (resolve_baselines(plan, d) || plan_pins(plan, d))
		goto fail;
	return 0;
fail:
	/* A plan that cannot run is not handed back half built. */
	px__plan_free(plan);
	return -EINVAL;
}

size_t px__plan_select(struct plan *plan, const char *pattern)
{
	size_t n = 0;

	for (size_t i = 0; i < plan->n; i++) {
		struct trial *t = &plan->trials[i];
		t->selected = !pattern ||
		              fnmatch(pattern, t->label, 0) == 0 ||
		              fnmatch(pattern, t->strategy->desc->name, 0) == 0;
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		if (t->selected && t->baseline != SIZE_MAX)
			plan->trials[t->baseline].selected = true;
	}
	for (size_t i = 0; i < plan->n; i++)
		n += plan->trials[i].selected;
	return n;
}

char *px__trial_params_text(const struct trial *t, bool strategy)
{
	const struct px_plugin *d = strategy ? t->strategy->desc
	                                     : t->workload->desc;
	const union pvalue *v = strategy ? t->svals : t->wvals;
	struct strbuf sb = { 0 };
	char buf[64];
	size_t n = px__param_count(d);

	for (size_t i = 0; i < n; i++) {
		px__param_format(&d->params[i], v[i], buf, sizeof(buf));
		px__sb_addf(&sb, "%s%s=%s", i ? ";" : "", d->params[i].name, buf);
	}
	return px__sb_take(&sb);
}

void px__plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct trial *t = &plan->trials[i];
		free(t->svals);
		free(t->wvals);
		free(t->sconfig);
		free(t->wconfig);
		free(t->label);
		free(t->counter_col);
		free(t->metric_col);
		px__pin_plan_free(&t->pins);
	}
	free(plan->trials);
	for (size_t i = 0; i < plan->ncols; i++)
		free(plan->cols[i].name);
	free(plan->cols);
	memset(plan, 0, sizeof(*plan));
}
