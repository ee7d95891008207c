/* baseline.c: the `baseline` key's check against the strategies listed
 * and the test of whether a trial is one of the baseline's trials
 * (docs/experiment-files.md, "Sweeps"). */
#include "input/baseline.h"

#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "base/util.h"

/* Whether two values of one parameter are the same. */
static bool same_value(union pvalue a, union pvalue b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Whether listed entry u runs value v of parameter p in some trial: one of
 * the values u gives p, or p's default when u gives none. */
static bool runs_value(const struct plugin_use *u, const struct px_param *p,
                       union pvalue v)
{
	char err[PX_PARAM_ERR_MAX];
	union pvalue def;

	for (size_t b = 0; b < u->n; b++) {
		if (u->bindings[b].param != p)
			continue;
		for (size_t k = 0; k < u->bindings[b].n; k++)
			if (same_value(u->bindings[b].values[k], v))
				return true;
		return false;
	}
	return px__param_parse(p, p->def, &def, err, sizeof(err)) == 0 &&
	       same_value(def, v);
}

/* Whether listed entry u runs a trial with every value the baseline gives. */
static bool entry_admits(const struct plugin_use *u,
                         const struct plugin_use *base)
{
	if (strcmp(u->plugin->desc->name, base->plugin->desc->name) != 0)
		return false;
	for (size_t b = 0; b < base->n; b++)
		if (!runs_value(u, base->bindings[b].param,
		                base->bindings[b].values[0]))
			return false;
	return true;
}

/* The bare-name check: the baseline is one of the strategies listed. */
static bool check_listed(const struct experiment *e, struct diag *d)
{
	const char **names;
	char msg[512];

	for (size_t i = 0; i < e->n_strategies; i++)
		if (strcmp(e->strategies[i].plugin->desc->name, e->baseline) == 0)
			return true;
	names = px__xcalloc(e->n_strategies + 1, sizeof(*names));
	for (size_t i = 0; i < e->n_strategies; i++)
		names[i] = e->strategies[i].plugin->desc->name;
	snprintf(msg, sizeof(msg),
	         "baseline: '%s' is not one of this experiment's strategies",
	         e->baseline);
	px__suggest_hint(msg, sizeof(msg), e->baseline, names, e->n_strategies);
	px__diag_error(d, e->baseline_mark.line ? e->baseline_mark
	                                        : (struct mark){ e->path, 1, 1 },
	               "%s", msg);
	free(names);
	return false;
}

/* The params form: one value each, run by some listed entry. */
static bool check_params(const struct experiment *e, struct diag *d)
{
	const struct plugin_use *base = &e->baseline_use;
	bool ok = true;
	char *text;

	for (size_t b = 0; b < base->n; b++) {
		if (base->bindings[b].n == 1)
			continue;
		px__diag_error(d, base->bindings[b].mark,
		               "baseline: params: '%s' has %zu values, but a baseline is one trial: give one value",
		               base->bindings[b].param->name, base->bindings[b].n);
		ok = false;
	}
	if (!ok)
		return false;
	for (size_t i = 0; i < e->n_strategies; i++)
		if (entry_admits(&e->strategies[i], base))
			return true;
	text = px__baseline_text(e);
	px__diag_error(d, e->baseline_mark,
	               "baseline: %s is not among the strategies listed at %d:%d",
	               text, e->strategies_mark.line, e->strategies_mark.col);
	free(text);
	return false;
}

bool px__baseline_check(const struct experiment *e, struct diag *d)
{
	if (!check_listed(e, d))
		return false;
	return e->baseline_use.plugin ? check_params(e, d) : true;
}

bool px__baseline_fits(const struct experiment *e, const struct plugin *s,
                       const union pvalue *svals)
{
	const struct plugin_use *base = &e->baseline_use;

	if (strcmp(s->desc->name, e->baseline) != 0)
		return false;
	for (size_t b = 0; base->plugin && b < base->n; b++) {
		/* By name: s may be another load of the same plugin. */
		const struct px_param *p =
			px__param_find(s->desc, base->bindings[b].param->name);
		if (!p || !same_value(svals[p - s->desc->params],
		                      base->bindings[b].values[0]))
			return false;
	}
	return true;
}

char *px__baseline_text(const struct experiment *e)
{
	const struct plugin_use *base = &e->baseline_use;
	struct strbuf sb = { 0 };
	char buf[64];

	px__sb_add(&sb, e->baseline);
	for (size_t b = 0; base->plugin && b < base->n; b++) {
		px__param_format(base->bindings[b].param,
		                 base->bindings[b].values[0], buf, sizeof(buf));
		px__sb_addf(&sb, "%s%s: %s", b ? ", " : " with {",
		            base->bindings[b].param->name, buf);
	}
	if (base->plugin && base->n)
		px__sb_add(&sb, "}");
	return px__sb_take(&sb);
}
