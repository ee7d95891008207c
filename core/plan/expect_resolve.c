/* expect_resolve.c: binds each metric call of an expectation to the one
 * trial its selectors name, before anything runs. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/expect_resolve.h"
#include "input/expect_ast.h"
#include "plan/plan.h"
#include "base/suggest.h"
#include "base/units.h"
#include "base/util.h"

/* Functions that read a built-in column under a short name. */
static const struct {
	const char *fn, *col;
} alias[] = { { "wall", "wall_s" }, { "time", "wall_s" },
              { "cpu", "cpu_s" },   { "user", "user_s" },
              { "sys", "sys_s" },   { "rss", "max_rss_kib" } };

/* Functions computed from a trial and its baseline, not read from a column. */
static const char *const derived_fns[] = { "speedup", "efficiency" };

const char *px__expect_function(size_t i)
{
	if (i < PX_ARRAY_LEN(derived_fns))
		return derived_fns[i];
	i -= PX_ARRAY_LEN(derived_fns);
	if (i < PX_ARRAY_LEN(alias))
		return alias[i].fn;
	return px__expect_metric_fn(i - PX_ARRAY_LEN(alias));
}

/* The column a call reads, by the function's name. */
static char *column_name(const struct enode *n)
{
	if (n->metric)
		return px__xasprintf("%s_%s", n->metric, n->fn);
	for (size_t i = 0; i < PX_ARRAY_LEN(alias); i++)
		if (strcmp(n->fn, alias[i].fn) == 0)
			return px__xstrdup(alias[i].col);
	return px__xstrdup(n->fn);
}

/* Which parameter a selector key names in trial t: `s.NAME` the
 * strategy's, `w.NAME` the workload's, a bare NAME whichever has it. When
 * both have it, the one whose table accepts the value is meant (so
 * mode=unsafe finds race-counter's mode beside gil-threads' mode=new|legacy).
 * Returns 0 and sets *side (0 strategy, 1 workload), *p and *v; -ENOENT for
 * no such parameter; -EINVAL after reporting a bad or ambiguous value. */
static int selector_param(const struct trial *t, const struct selector *s,
                          int *side, const struct px_param **p,
                          union pvalue *v, struct diag *d)
{
	const struct px_plugin *pl[2] = { t->strategy->desc, t->workload->desc };
	const char *name = s->key;
	const struct px_param *found[2] = { NULL, NULL };
	union pvalue val[2];
	char err[2][PX_PARAM_ERR_MAX];
	int ok[2] = { 0, 0 }, first = 0, last = 1;

	if (strncmp(name, "s.", 2) == 0 || strncmp(name, "w.", 2) == 0) {
		first = last = name[0] == 'w';
		name += 2;
	}
	for (int k = first; k <= last; k++) {
		found[k] = px__param_find(pl[k], name);
		if (found[k])
			ok[k] = px__param_parse(found[k], s->value, &val[k], err[k],
			                        sizeof(err[k])) == 0;
	}
	if (!found[0] && !found[1])
		return -ENOENT;
	if (found[0] && found[1] && ok[0] == ok[1]) {
		if (ok[0])
			px__diag_error(d, s->mark,
			               "expect: '%s' is a parameter of both %s and %s; write s.%s or w.%s",
			               name, pl[0]->name, pl[1]->name, name, name);
		else
			px__diag_error(d, s->mark, "expect: %s", err[1]);
		return -EINVAL;
	}
	*side = found[0] && (ok[0] || !found[1]) ? 0 : 1;
	if (!ok[*side]) {
		px__diag_error(d, s->mark, "expect: %s", err[*side]);
		return -EINVAL;
	}
	*p = found[*side];
	*v = val[*side];
	return 0;
}

/* Does trial t have the value `value` for selector key `key`? Returns 1
 * or 0, or -1 after reporting a key or value that can never match. */
static int selector_matches(const struct plan *plan, const struct trial *t,
                            const struct selector *s, struct diag *d)
{
	const union pvalue *vals;
	const struct px_param *p;
	union pvalue v;
	int side, rc;

	if (strcmp(s->key, "workers") == 0) {
		int64_t w;
		if (strcmp(s->value, "cores") == 0)
			w = plan->topo->cores;
		else if (px__parse_int(s->value, &w)) {
			px__diag_error(d, s->mark,
			               "expect: workers=%s is not an integer or 'cores'",
			               s->value);
			return -1;
		}
		return (int64_t)t->workers == w;
	}
	rc = selector_param(t, s, &side, &p, &v, d);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return -1;
	vals = side ? t->wvals : t->svals;
	return memcmp(&v, &vals[p - (side ? t->workload->desc->params
	                                  : t->strategy->desc->params)],
	              sizeof(v)) == 0;
}

/* Reports a key that is neither `workers` nor a parameter of the strategy
 * or the workload. */
static bool selector_key_known(const struct trial *t, const struct selector *s,
                               struct diag *d)
{
	const char *names[128];
	const char *key = s->key;
	size_t n = 0;
	char msg[512];

	bool only_w = strncmp(key, "w.", 2) == 0, only_s = strncmp(key, "s.", 2) == 0;

	if (only_w || only_s)
		key += 2;
	if (strcmp(s->key, "workers") == 0 ||
	    (!only_w && px__param_find(t->strategy->desc, key)) ||
	    (!only_s && px__param_find(t->workload->desc, key)))
		return true;
	names[n++] = "workers";
	for (const struct px_param *p = t->strategy->desc->params;
	     p && p->name && n < 127; p++)
		names[n++] = p->name;
	for (const struct px_param *p = t->workload->desc->params;
	     p && p->name && n < 127; p++)
		names[n++] = p->name;
	snprintf(msg, sizeof(msg),
	         "expect: '%s' is not workers nor a parameter of %s or %s",
	         s->key, t->strategy->desc->name, t->workload->desc->name);
	px__suggest_hint(msg, sizeof(msg), key, names, n);
	px__diag_error(d, s->mark, "%s", msg);
	return false;
}

static int resolve_call(struct enode *n, const struct plan *plan,
                        struct diag *d)
{
	size_t matches = 0, first = SIZE_MAX, with_strategy = 0;
	const char *names[64];
	size_t nn = 0;
	char *col;

	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		bool ok = true;
		if (strcmp(t->strategy->desc->name, n->strategy))
			continue;
		if (with_strategy++ == 0)
			for (size_t s = 0; s < n->nsel; s++)
				if (!selector_key_known(t, &n->sel[s], d))
					return -EINVAL;
		for (size_t s = 0; s < n->nsel && ok; s++) {
			int m = selector_matches(plan, t, &n->sel[s], d);
			if (m < 0)
				return -EINVAL;
			ok = m == 1;
		}
		if (ok && matches++ == 0)
			first = i;
	}
	if (with_strategy == 0) {
		char msg[512];
		const struct experiment *e = plan->exp;
		for (size_t i = 0; i < e->n_strategies && nn < 64; i++)
			names[nn++] = e->strategies[i].plugin->desc->name;
		snprintf(msg, sizeof(msg),
		         "expect: %s(%s): '%s' is not a strategy of this experiment",
		         n->fn, n->strategy, n->strategy);
		px__suggest_hint(msg, sizeof(msg), n->strategy, names, nn);
		px__diag_error(d, n->mark, "%s", msg);
		return -EINVAL;
	}
	if (matches != 1) {
		px__diag_error(d, n->mark,
		               matches ? "expect: %s(%s, ...) matches %zu trials; add selectors (workers=N or a parameter) until it matches one"
		                       : "expect: %s(%s, ...) matches %zu trials; check the selectors against the trial plan (parlab run --dry-run)",
		               n->fn, n->strategy, matches);
		return -EINVAL;
	}
	n->trial = first;
	if (strcmp(n->fn, "speedup") == 0 || strcmp(n->fn, "efficiency") == 0) {
		if (plan->trials[first].baseline == SIZE_MAX) {
			px__diag_error(d, n->mark,
			               "expect: %s(%s): no baseline run (%s) has the same workload parameters",
			               n->fn, n->strategy, plan->exp->baseline);
			return -EINVAL;
		}
		return 0;
	}
	col = column_name(n);
	n->col = px__plan_column(plan, col);
	if (n->col < 0) {
		const char **cn = px__xcalloc(plan->ncols + 2, sizeof(*cn));
		char msg[512];
		for (size_t i = 0; i < plan->ncols; i++)
			cn[i] = plan->cols[i].name;
		cn[plan->ncols] = "speedup";
		cn[plan->ncols + 1] = "efficiency";
		snprintf(msg, sizeof(msg), "expect: unknown metric '%s'", col);
		px__suggest_hint(msg, sizeof(msg), col, cn, plan->ncols + 2);
		px__diag_error(d, n->mark, "%s", msg);
		free(cn);
		free(col);
		return -EINVAL;
	}
	free(col);
	return 0;
}

static int resolve(struct enode *n, const struct plan *plan, struct diag *d)
{
	int rc = 0;

	if (!n)
		return 0;
	if (n->kind == E_CALL)
		return resolve_call(n, plan, d);
	if (n->a)
		rc |= resolve(n->a, plan, d);
	if (n->b)
		rc |= resolve(n->b, plan, d);
	return rc ? -EINVAL : 0;
}

int px__expect_resolve(struct expr *x, const struct plan *plan, struct diag *d)
{
	int a = resolve(x->lhs, plan, d), b = resolve(x->rhs, plan, d);

	return a || b ? -EINVAL : 0;
}

