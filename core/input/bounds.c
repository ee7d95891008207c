/* bounds.c: the size of the plan an experiment asks for, computed from
 * its sweeps (never by expanding them), and duplicate strategies found by
 * sorting, so that a hostile file costs time linear in its size. */
#include "input/bounds.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Runs may be this many times the trial limit, worker placements (the sum
 * of every trial's workers, each a pin set in the plan) this many. */
#define RUNS_PER_TRIAL_LIMIT 10
#define PLACEMENTS_PER_TRIAL_LIMIT 20

/* Saturating product: sizes past UINT64_MAX stay there. */
static uint64_t mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The number of combinations of a plugin's swept parameters. */
static uint64_t combinations(const struct plugin_use *u)
{
	uint64_t n = 1;

	for (size_t b = 0; b < u->n; b++)
		n = mul(n, u->bindings[b].n);
	return n;
}

struct plan_size {
	uint64_t trials, runs, placements;
};

static struct plan_size plan_size(const struct load_ctx *ctx,
                                  const struct experiment *e)
{
	uint64_t w = combinations(&e->workload), sum_workers = 0;
	unsigned reps = ctx->repetitions ? ctx->repetitions : e->repetitions;
	struct plan_size s = { 0, 0, 0 };

	for (size_t i = 0; i < e->n_workers; i++)
		sum_workers += e->workers[i];
	for (size_t i = 0; i < e->n_strategies; i++) {
		const struct plugin_use *u = &e->strategies[i];
		uint64_t combos = mul(combinations(u), w);
		bool one = u->plugin->desc->strategy->max_workers == 1;
		s.trials = add(s.trials, mul(combos, one ? 1 : e->n_workers));
		s.placements = add(s.placements,
		                   mul(combos, one ? 1 : sum_workers));
	}
	s.runs = mul(s.trials, (uint64_t)reps + e->warmup);
	return s;
}

/* "3.2 h": a duration in the largest unit that keeps it readable. */
static void format_duration(double sec, char *buf, size_t cap)
{
	if (sec >= 86400 * 2)
		snprintf(buf, cap, "%.3g days", sec / 86400);
	else if (sec >= 7200)
		snprintf(buf, cap, "%.3g h", sec / 3600);
	else
		snprintf(buf, cap, "%.3g s", sec);
}

static bool check_size(const struct load_ctx *ctx, const struct experiment *e)
{
	uint64_t limit = ctx->max_trials ? ctx->max_trials : PX_DEFAULT_MAX_TRIALS;
	struct plan_size s = plan_size(ctx, e);
	struct mark m = e->workers_mark.line ? e->workers_mark : e->workload.mark;
	char when[64];

	format_duration((double)s.runs * (double)e->timeout_ns / 1e9, when,
	                sizeof(when));
	if (s.trials > limit || s.runs > mul(limit, RUNS_PER_TRIAL_LIMIT)) {
		px__diag_error(ctx->d, m,
		               "the sweeps ask for %llu trials and %llu runs, more than the limit of %llu trials and %llu runs (up to %s at the %.3g s timeout per run); sweep fewer values, or raise the limit with --max-trials N",
		               (unsigned long long)s.trials,
		               (unsigned long long)s.runs, (unsigned long long)limit,
		               (unsigned long long)mul(limit, RUNS_PER_TRIAL_LIMIT),
		               when, (double)e->timeout_ns / 1e9);
		return false;
	}
	if (s.placements > mul(limit, PLACEMENTS_PER_TRIAL_LIMIT)) {
		px__diag_error(ctx->d, m,
		               "the trials place %llu workers in all (the sum of every trial's workers), more than the limit of %llu; sweep fewer worker counts, or raise the limit with --max-trials N",
		               (unsigned long long)s.placements,
		               (unsigned long long)mul(limit, PLACEMENTS_PER_TRIAL_LIMIT));
		return false;
	}
	return true;
}

/* A strategy with its bindings in parameter-table order, so that
 * {a: 1, b: 2} and {b: 2, a: 1} compare equal. */
struct canon {
	const struct plugin_use *u;
	const struct pbinding **b;
	size_t index;
};

static int cmp_binding_ptr(const void *a, const void *b)
{
	const struct px_param *x = (*(const struct pbinding *const *)a)->param;
	const struct px_param *y = (*(const struct pbinding *const *)b)->param;

	return (x > y) - (x < y);
}

/* Orders strategies by name and parameters; equal ones by file order. */
static int cmp_canon(const void *a_, const void *b_)
{
	const struct canon *a = a_, *b = b_;
	int c = strcmp(a->u->plugin->desc->name, b->u->plugin->desc->name);

	if (c || a->u->n != b->u->n)
		return c ? c : (a->u->n > b->u->n) - (a->u->n < b->u->n);
	for (size_t i = 0; i < a->u->n; i++) {
		const struct pbinding *x = a->b[i], *y = b->b[i];
		if (x->param != y->param)
			return cmp_binding_ptr(&a->b[i], &b->b[i]);
		if (x->n != y->n)
			return (x->n > y->n) - (x->n < y->n);
		c = memcmp(x->values, y->values, x->n * sizeof(*x->values));
		if (c)
			return c;
	}
	return (a->index > b->index) - (a->index < b->index);
}

static bool same_strategy(const struct canon *a, const struct canon *b)
{
	struct canon x = *a;

	x.index = b->index;
	return cmp_canon(&x, b) == 0;
}

/* The same strategy with the same parameters twice would run (and count)
 * every one of its trials twice. */
static bool check_duplicates(const struct load_ctx *ctx,
                             const struct experiment *e)
{
	size_t n = e->n_strategies, dup = SIZE_MAX, first = 0, group = 0;
	struct canon *c = px__xcalloc(n + 1, sizeof(*c));

	for (size_t i = 0; i < n; i++) {
		const struct plugin_use *u = &e->strategies[i];
		c[i] = (struct canon){ u, px__xcalloc(u->n + 1, sizeof(*c[i].b)), i };
		for (size_t k = 0; k < u->n; k++)
			c[i].b[k] = &u->bindings[k];
		qsort(c[i].b, u->n, sizeof(*c[i].b), cmp_binding_ptr);
	}
	qsort(c, n, sizeof(*c), cmp_canon);
	for (size_t i = 1; i < n; i++) {
		if (!same_strategy(&c[i - 1], &c[i]))
			group = i;
		else if (c[i].index < dup) {
			dup = c[i].index;
			first = c[group].index;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(c[i].b);
	free(c);
	if (dup == SIZE_MAX)
		return true;
	px__diag_error(ctx->d, e->strategies[dup].mark,
	               "strategies: '%s' with the same parameters is already listed at %d:%d; each would run every trial twice",
	               e->strategies[dup].plugin->desc->name,
	               e->strategies[first].mark.line,
	               e->strategies[first].mark.col);
	return false;
}

bool px__experiment_check_bounds(const struct load_ctx *ctx,
                                 const struct experiment *e)
{
	return check_duplicates(ctx, e) && check_size(ctx, e);
}
