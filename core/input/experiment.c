/* experiment.c: the experiment file schema (docs/experiment-files.md),
 * checked key by key.
 * Every error names the file, line and column and what was expected. */
#include "input/experiment.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input/baseline.h"
#include "input/expect.h"
#include "base/suggest.h"
#include "base/units.h"
#include "base/util.h"
#include "input/yaml_tree.h"
#include "input/bounds.h"

#define MAX_WORKERS 65536

struct loader {
	const struct load_ctx *ctx;
	struct experiment *e;
	struct diag *d;
	/* Worker counts already listed: duplicates are dropped in O(1). */
	unsigned char seen[MAX_WORKERS / 8 + 1];
};

/* The text of a scalar, or NULL after an error saying `what` was expected. */
static const char *scalar(struct loader *l, const struct ynode *n,
                          const char *key, const char *what)
{
	if (n->kind == Y_SCALAR)
		return n->text;
	px__diag_error(l->d, n->mark, "%s: expected %s, got %s", key, what,
	               px__ynode_noun(n));
	return NULL;
}

/* Reports an unknown key of a map, with the nearest known one. */
static void unknown_key(struct loader *l, const struct ynode *key,
                        const char *where, const char *const *known, size_t n)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "unknown key '%s' in %s", key->text, where);
	px__suggest_hint(msg, sizeof(msg), key->text, known, n);
	if (!strstr(msg, "did you mean")) {
		size_t len = strlen(msg);
		len += (size_t)snprintf(msg + len, sizeof(msg) - len,
		                        "; expected one of:");
		for (size_t i = 0; i < n && len < sizeof(msg); i++)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			                        " %s", known[i]);
	}
	px__diag_error(l->d, key->mark, "%s", msg);
}

static bool parse_count(struct loader *l, const struct ynode *n,
                        const char *key, long min, long max, unsigned *out)
{
	const char *s = scalar(l, n, key, "an integer");
	int64_t v;

	if (!s)
		return false;
	if (strcmp(s, "cores") == 0) {
		v = l->ctx->topo->cores;
	} else if (px__parse_int(s, &v)) {
		px__diag_error(l->d, n->mark,
		               "%s: '%s' is not an integer (or 'cores')", key, s);
		return false;
	}
	if (v < min || v > max) {
		px__diag_error(l->d, n->mark,
		               "%s: %lld is out of range, allowed %ld .. %ld", key,
		               (long long)v, min, max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* ---- plugin params ------------------------------------------------------ */

static bool parse_binding(struct loader *l, const struct plugin *pl,
                          const struct ynode *key, const struct ynode *val,
                          struct pbinding *b)
{
	const struct px_param *p = px__param_find(pl->desc, key->text);
	const struct ynode *const *items = (const struct ynode *const *)&val;
	size_t n = 1;
	bool ok = true;

	if (!p) {
		char msg[512];
		size_t count = px__param_count(pl->desc);
		const char **names = px__xcalloc(count + 1, sizeof(*names));
		for (size_t i = 0; i < count; i++)
			names[i] = pl->desc->params[i].name;
		snprintf(msg, sizeof(msg), "%s '%s' has no parameter '%s'",
		         px__kind_name(pl->desc->kind), pl->desc->name, key->text);
		px__suggest_hint(msg, sizeof(msg), key->text, names, count);
		px__diag_error(l->d, key->mark, "%s (see: parlab describe %s)",
		               msg, pl->desc->name);
		free(names);
		return false;
	}
	if (val->kind == Y_SEQ) {
		items = (const struct ynode *const *)val->items;
		n = val->n;
		if (n == 0) {
			px__diag_error(l->d, val->mark,
			               "%s: an empty list sweeps nothing", p->name);
			return false;
		}
	}
	b->param = p;
	b->mark = key->mark;
	b->n = n;
	b->values = px__xcalloc(n, sizeof(*b->values));
	for (size_t i = 0; i < n; i++) {
		char err[PX_PARAM_ERR_MAX];
		const char *s = scalar(l, items[i], p->name,
		                       "a value or a list of values");
		if (!s) {
			ok = false;
		} else if (px__param_parse(p, s, &b->values[i], err, sizeof(err))) {
			px__diag_error(l->d, items[i]->mark, "%s", err);
			ok = false;
		}
	}
	if (!ok) {
		free(b->values);
		b->values = NULL;
	}
	return ok;
}

static bool parse_params(struct loader *l, struct plugin_use *u,
                         const struct ynode *map)
{
	bool ok = true;

	if (map->kind != Y_MAP) {
		px__diag_error(l->d, map->mark,
		               "params: expected a map of name: value, got %s",
		               px__ynode_noun(map));
		return false;
	}
	u->bindings = px__xcalloc(map->n, sizeof(*u->bindings));
	for (size_t i = 0; i < map->n; i++) {
		if (parse_binding(l, u->plugin, px__ymap_key(map, i),
		                  px__ymap_value(map, i), &u->bindings[u->n]))
			u->n++;
		else
			ok = false;
	}
	return ok;
}

/* Finds the plugin `name` of `kind` or reports it with the nearest name. */
static const struct plugin *find_plugin(struct loader *l, enum px_kind kind,
                                        const char *name, struct mark m)
{
	const struct plugin *p = px__registry_want(l->ctx->reg, kind, name);
	char msg[512], *refusal;
	const char **names;
	size_t n;

	if (p)
		return p;
	if (px__registry_clash_msg(l->ctx->reg, kind, name)) {
		px__diag_error(l->d, m, "%s",
		               px__registry_clash_msg(l->ctx->reg, kind, name));
		return NULL;
	}
	refusal = px__registry_refusal(l->ctx->reg, kind, name);
	if (refusal) {
		px__diag_error(l->d, m, "%s '%s' cannot be used: %s",
		               px__kind_name(kind), name, refusal);
		free(refusal);
		return NULL;
	}
	names = px__registry_names(l->ctx->reg, kind, &n);
	snprintf(msg, sizeof(msg), "unknown %s '%s'", px__kind_name(kind), name);
	px__suggest_hint(msg, sizeof(msg), name, names, n);
	px__diag_error(l->d, m, "%s (installed: parlab list %s)", msg,
	               kind == PX_KIND_STRATEGY ? "strategies" : "workloads");
	free(names);
	return NULL;
}

/* The keys of a strategy's or the workload's map. */
static const char *const use_keys[] = { "name", "params" };

/* A bare name, or a map with `name` and optional `params`; errors name
 * the key as `what` ("strategy", "workload", "baseline"). */
static bool parse_use(struct loader *l, enum px_kind kind, const char *what,
                      const struct ynode *n, struct plugin_use *u)
{
	const struct ynode *name = NULL, *params = NULL;

	u->mark = n->mark;
	if (n->kind == Y_SCALAR) {
		name = n;
	} else if (n->kind == Y_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			const struct ynode *k = px__ymap_key(n, i);
			if (strcmp(k->text, "name") == 0)
				name = px__ymap_value(n, i);
			else if (strcmp(k->text, "params") == 0)
				params = px__ymap_value(n, i);
			else
				unknown_key(l, k, what, use_keys,
				            PX_ARRAY_LEN(use_keys));
		}
		if (!name) {
			px__diag_error(l->d, n->mark, "%s: missing key 'name'",
			               what);
			return false;
		}
	} else {
		px__diag_error(l->d, n->mark,
		               "expected a %s name or {name: ..., params: {...}}, got %s",
		               px__kind_name(kind), px__ynode_noun(n));
		return false;
	}
	if (!scalar(l, name, "name", "a plugin name"))
		return false;
	u->plugin = find_plugin(l, kind, name->text, name->mark);
	if (!u->plugin)
		return false;
	return params ? parse_params(l, u, params) : true;
}

static void free_use(struct plugin_use *u);

/* ---- top-level keys ----------------------------------------------------- */

static bool key_experiment(struct loader *l, const struct ynode *v)
{
	const char *s = scalar(l, v, "experiment", "a name");

	if (!s)
		return false;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_')) {
			px__diag_error(l->d, v->mark,
			               "experiment: '%s' must be [a-z0-9_-]+ (it names the results directory)",
			               s);
			return false;
		}
	}
	if (!*s) {
		px__diag_error(l->d, v->mark, "experiment: the name is empty");
		return false;
	}
	if (strlen(s) > PX_MAX_NAME_LEN) {
		px__diag_error(l->d, v->mark,
		               "experiment: the name has %zu characters, at most %d are allowed (it names the results directory, <name>-<time>)",
		               strlen(s), PX_MAX_NAME_LEN);
		return false;
	}
	l->e->name = px__xstrdup(s);
	return true;
}

static bool key_description(struct loader *l, const struct ynode *v)
{
	const char *s = scalar(l, v, "description", "text");
	size_t len;

	if (!s)
		return false;
	/* A folded scalar (>) ends with a newline that nothing wants. */
	l->e->description = px__xstrdup(s);
	len = strlen(l->e->description);
	while (len > 0 && (l->e->description[len - 1] == '\n' ||
	                   l->e->description[len - 1] == ' '))
		l->e->description[--len] = '\0';
	return true;
}

static bool key_workload(struct loader *l, const struct ynode *v)
{
	return parse_use(l, PX_KIND_WORKLOAD, "workload", v, &l->e->workload);
}

static bool key_strategies(struct loader *l, const struct ynode *v)
{
	struct experiment *e = l->e;
	bool ok = true;

	e->strategies_mark = v->mark;
	if (v->kind == Y_SCALAR) {
		e->strategies = px__xcalloc(1, sizeof(*e->strategies));
		if (!parse_use(l, PX_KIND_STRATEGY, "strategy", v,
		               &e->strategies[0])) {
			free_use(&e->strategies[0]);
			return false;
		}
		e->n_strategies = 1;
		return true;
	}
	if (v->kind != Y_SEQ || v->n == 0) {
		px__diag_error(l->d, v->mark,
		               "strategies: expected a non-empty list of strategies");
		return false;
	}
	e->strategies = px__xcalloc(v->n, sizeof(*e->strategies));
	for (size_t i = 0; i < v->n; i++) {
		struct plugin_use *u = &e->strategies[e->n_strategies];
		if (parse_use(l, PX_KIND_STRATEGY, "strategy", v->items[i], u)) {
			e->n_strategies++;
			continue;
		}
		/* The parameters it did read are not kept: free them. */
		free_use(u);
		memset(u, 0, sizeof(*u));
		ok = false;
	}
	return ok;
}

static void add_workers(struct loader *l, size_t *cap, unsigned w)
{
	struct experiment *e = l->e;

	if (l->seen[w / 8] & (1u << (w % 8)))
		return;
	l->seen[w / 8] |= (unsigned char)(1u << (w % 8));
	px__grow(&e->workers, cap, e->n_workers + 1, sizeof(*e->workers));
	e->workers[e->n_workers++] = w;
}

/* Reports a worker range from `a` down to `b`, which holds nothing;
 * when `b` is `cores`, says how many cores this machine has. */
static void empty_range(struct loader *l, struct mark m, unsigned a,
                        unsigned b, bool to_cores)
{
	const char *src = l->ctx->topo->source;

	/* The topology's source is "this machine" unless --topology named
	 * another: then say which. */
	if (to_cores && strcmp(src, "this machine") == 0)
		px__diag_error(l->d, m,
		               "workers: the range from %u to cores is empty: this machine has %u core%s",
		               a, b, b == 1 ? "" : "s");
	else if (to_cores)
		px__diag_error(l->d, m,
		               "workers: the range from %u to cores is empty: the topology %s has %u core%s",
		               a, src, b, b == 1 ? "" : "s");
	else
		px__diag_error(l->d, m,
		               "workers: the range from %u to %u is empty (reversed)",
		               a, b);
}

/* "A..B" with A and B integers or `cores`. */
static bool parse_worker_range(struct loader *l, const struct ynode *v,
                               size_t *cap)
{
	char *copy = px__xstrdup(v->text);
	char *dots = strstr(copy, "..");
	struct ynode lo = *v, hi = *v;
	unsigned a, b;
	bool ok;

	*dots = '\0';
	lo.text = copy;
	hi.text = dots + 2;
	ok = parse_count(l, &lo, "workers", 1, MAX_WORKERS, &a) &&
	     parse_count(l, &hi, "workers", 1, MAX_WORKERS, &b);
	if (ok && a > b) {
		empty_range(l, v->mark, a, b, strcmp(hi.text, "cores") == 0);
		ok = false;
	}
	for (unsigned w = a; ok && w <= b; w++)
		add_workers(l, cap, w);
	free(copy);
	return ok;
}

/* The keys of a `workers` map. */
static const char *const workers_keys[] = { "from", "to", "scale", "step" };

/* {from: 1, to: cores, scale: 2} or {from, to, step}. */
static bool parse_worker_map(struct loader *l, const struct ynode *v,
                             size_t *cap)
{
	unsigned from = 1, to = 0, scale = 0, step = 0;
	bool ok = true, have_to = false, to_cores = false;

	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = px__ymap_key(v, i), *x = px__ymap_value(v, i);
		if (strcmp(k->text, "from") == 0)
			ok &= parse_count(l, x, "from", 1, MAX_WORKERS, &from);
		else if (strcmp(k->text, "to") == 0) {
			ok &= have_to = parse_count(l, x, "to", 1, MAX_WORKERS, &to);
			to_cores = x->kind == Y_SCALAR && strcmp(x->text, "cores") == 0;
		}
		else if (strcmp(k->text, "scale") == 0)
			ok &= parse_count(l, x, "scale", 2, 1024, &scale);
		else if (strcmp(k->text, "step") == 0)
			ok &= parse_count(l, x, "step", 1, MAX_WORKERS, &step);
		else {
			unknown_key(l, k, "workers", workers_keys,
			            PX_ARRAY_LEN(workers_keys));
			ok = false;
		}
	}
	if (ok && !have_to) {
		px__diag_error(l->d, v->mark, "workers: missing key 'to'");
		return false;
	}
	if (ok && scale && step) {
		px__diag_error(l->d, v->mark,
		               "workers: give 'scale' (1, 2, 4, ...) or 'step' (1, 2, 3, ...), not both");
		return false;
	}
	if (ok && from > to) {
		empty_range(l, v->mark, from, to, to_cores);
		return false;
	}
	for (unsigned w = from; ok && w <= to;
	     w = scale ? w * scale : w + (step ? step : 1))
		add_workers(l, cap, w);
	/* A geometric sweep ends at `to` even when it is no power. */
	if (ok && scale && l->e->workers[l->e->n_workers - 1] != to)
		add_workers(l, cap, to);
	return ok;
}

static bool key_workers(struct loader *l, const struct ynode *v)
{
	size_t cap = 0;
	unsigned w;
	bool ok = true;

	l->e->workers_mark = v->mark;
	if (v->kind == Y_MAP)
		return parse_worker_map(l, v, &cap);
	if (v->kind == Y_SCALAR) {
		if (strstr(v->text, ".."))
			return parse_worker_range(l, v, &cap);
		if (!parse_count(l, v, "workers", 1, MAX_WORKERS, &w))
			return false;
		add_workers(l, &cap, w);
		return true;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (parse_count(l, v->items[i], "workers", 1, MAX_WORKERS, &w))
			add_workers(l, &cap, w);
		else
			ok = false;
	}
	if (ok && v->n == 0) {
		px__diag_error(l->d, v->mark, "workers: the list is empty");
		ok = false;
	}
	return ok;
}

static bool key_pinning(struct loader *l, const struct ynode *v)
{
	struct pinning *p = &l->e->pinning;
	hwloc_bitmap_t set;
	bool ok = true;

	if (v->kind == Y_SCALAR) {
		if (px__pinning_parse_word(v->text, &p->kind))
			return true;
		px__diag_error(l->d, v->mark,
		               "pinning: '%s' is not none, compact or scatter, nor a list of hwloc locations such as [core:0, pu:2-3]",
		               v->text);
		return false;
	}
	if (v->kind != Y_SEQ || v->n == 0) {
		px__diag_error(l->d, v->mark,
		               "pinning: expected none, compact, scatter or a list of hwloc locations");
		return false;
	}
	p->kind = PIN_LIST;
	p->locs = px__xcalloc(v->n, sizeof(*p->locs));
	p->marks = px__xcalloc(v->n, sizeof(*p->marks));
	set = hwloc_bitmap_alloc();
	for (size_t i = 0; i < v->n; i++) {
		char err[512];
		const char *s = scalar(l, v->items[i], "pinning", "a location");
		if (!s) {
			ok = false;
			continue;
		}
		if (px__pin_location(l->ctx->topo, s, set, err, sizeof(err))) {
			px__diag_error(l->d, v->items[i]->mark, "pinning: %s", err);
			ok = false;
		}
		p->locs[p->n] = px__xstrdup(s);
		p->marks[p->n++] = v->items[i]->mark;
	}
	hwloc_bitmap_free(set);
	return ok;
}

static bool key_repetitions(struct loader *l, const struct ynode *v)
{
	return parse_count(l, v, "repetitions", 1, 100000, &l->e->repetitions);
}

static bool key_warmup(struct loader *l, const struct ynode *v)
{
	return parse_count(l, v, "warmup", 0, 100000, &l->e->warmup);
}

static bool key_seed(struct loader *l, const struct ynode *v)
{
	const char *s = scalar(l, v, "seed", "an integer");
	int64_t x;

	if (!s)
		return false;
	if (px__parse_int(s, &x) || x < 0) {
		px__diag_error(l->d, v->mark,
		               "seed: '%s' is not a non-negative integer", s);
		return false;
	}
	l->e->seed = (uint64_t)x;
	return true;
}

static bool key_timeout(struct loader *l, const struct ynode *v)
{
	const char *s = scalar(l, v, "timeout", "a duration");
	int64_t ns;

	if (!s)
		return false;
	if (px__parse_duration(s, &ns) || ns < 1000000 ||
	    ns > (int64_t)86400 * 1000000000) {
		px__diag_error(l->d, v->mark,
		               "timeout: '%s' is not a duration from 1ms to 24h, e.g. 60s",
		               s);
		return false;
	}
	l->e->timeout_ns = ns;
	return true;
}

/* A strategy name, or {name, params}: a strategy with parameters. The
 * loader checks it against the strategies once all are read. */
static bool key_baseline(struct loader *l, const struct ynode *v)
{
	struct experiment *e = l->e;
	const char *s;

	e->baseline_mark = v->mark;
	if (v->kind == Y_MAP) {
		if (!parse_use(l, PX_KIND_STRATEGY, "baseline", v,
		               &e->baseline_use)) {
			free_use(&e->baseline_use);
			memset(&e->baseline_use, 0, sizeof(e->baseline_use));
			return false;
		}
		e->baseline = px__xstrdup(e->baseline_use.plugin->desc->name);
		return true;
	}
	s = scalar(l, v, "baseline",
	           "a strategy name or {name: ..., params: {...}}");
	if (!s)
		return false;
	e->baseline = px__xstrdup(s);
	return true;
}

static bool key_expect(struct loader *l, const struct ynode *v)
{
	struct experiment *e = l->e;
	bool ok = true;

	if (v->kind != Y_SEQ) {
		px__diag_error(l->d, v->mark,
		               "expect: expected a list of expressions such as 'speedup(free-threads, workers=2) > 1.5'");
		return false;
	}
	e->expects = px__xcalloc(v->n ? v->n : 1, sizeof(*e->expects));
	for (size_t i = 0; i < v->n; i++) {
		struct expectation *x = &e->expects[e->n_expects];
		const char *s = scalar(l, v->items[i], "expect", "an expression");
		if (!s) {
			ok = false;
			continue;
		}
		x->text = px__xstrdup(s);
		x->mark = v->items[i]->mark;
		/* A quoted scalar's text starts one column after the quote. */
		if (v->items[i]->quoted)
			x->mark.col++;
		x->expr = px__expect_parse(x->text, x->mark, l->d);
		ok &= x->expr != NULL;
		e->n_expects++;
	}
	return ok;
}

/* plots: charts besides the default one; x and series must name a
 * parameter of the workload or a strategy, workers or strategy. */
static bool key_plots(struct loader *l, const struct ynode *v)
{
	return px__plots_parse(v, l->d, &l->e->plots, &l->e->n_plots);
}

/* The top-level keys in the order the schema lists them (suggestions and
 * "missing required key" errors follow it); `required` ones must appear. */
static const struct {
	const char *key;
	bool (*parse)(struct loader *l, const struct ynode *v);
	bool required;
} top_keys[] = {
	{ "experiment", key_experiment, true },
	{ "description", key_description, false },
	{ "workload", key_workload, true },
	{ "strategies", key_strategies, true },
	{ "workers", key_workers, false },
	{ "pinning", key_pinning, false },
	{ "repetitions", key_repetitions, false },
	{ "warmup", key_warmup, false },
	{ "timeout", key_timeout, false },
	{ "baseline", key_baseline, false },
	{ "expect", key_expect, false },
	{ "seed", key_seed, false },
	{ "plots", key_plots, false },
};

const char *px__experiment_key(size_t i, const char **where)
{
	static const struct {
		const char *where;
		const char *const *keys;
		size_t n;
	} nested[] = {
		{ "workload/strategies/baseline", use_keys,
		  PX_ARRAY_LEN(use_keys) },
		{ "workers", workers_keys, PX_ARRAY_LEN(workers_keys) },
		{ "plots", px__plot_keys, 0 },  /* n: px__n_plot_keys */
	};

	*where = "";
	if (i < PX_ARRAY_LEN(top_keys))
		return top_keys[i].key;
	i -= PX_ARRAY_LEN(top_keys);
	for (size_t k = 0; k < PX_ARRAY_LEN(nested); k++) {
		size_t n = nested[k].keys == px__plot_keys ? px__n_plot_keys
		                                           : nested[k].n;
		if (i < n) {
			*where = nested[k].where;
			return nested[k].keys[i];
		}
		i -= n;
	}
	return NULL;
}

static bool parse_top(struct loader *l, const struct ynode *root)
{
	const char *names[PX_ARRAY_LEN(top_keys)];
	bool seen[PX_ARRAY_LEN(top_keys)] = { false };
	bool ok = true;

	for (size_t k = 0; k < PX_ARRAY_LEN(top_keys); k++)
		names[k] = top_keys[k].key;
	for (size_t i = 0; i < root->n; i++) {
		const struct ynode *key = px__ymap_key(root, i);
		size_t k;
		for (k = 0; k < PX_ARRAY_LEN(top_keys); k++)
			if (strcmp(key->text, top_keys[k].key) == 0)
				break;
		if (k == PX_ARRAY_LEN(top_keys)) {
			unknown_key(l, key, "the experiment", names,
			            PX_ARRAY_LEN(names));
			ok = false;
			continue;
		}
		seen[k] = true;
		ok &= top_keys[k].parse(l, px__ymap_value(root, i));
	}
	for (size_t k = 0; k < PX_ARRAY_LEN(top_keys); k++) {
		if (!seen[k] && top_keys[k].required) {
			px__diag_error(l->d, root->mark, "missing required key '%s'",
			               top_keys[k].key);
			ok = false;
		}
	}
	return ok;
}

/* Whether name is workers, strategy or a parameter of the workload or
 * of one of the strategies; names those into *names (caller frees). */
static bool plot_name_known(const struct experiment *e, const char *name,
                            const char ***names, size_t *n)
{
	const struct plugin *p[64];
	size_t np = 0, cap = 2;
	bool found = strcmp(name, "workers") == 0 || strcmp(name, "strategy") == 0;

	p[np++] = e->workload.plugin;
	for (size_t i = 0; i < e->n_strategies && np < 64; i++)
		p[np++] = e->strategies[i].plugin;
	for (size_t i = 0; i < np; i++)
		for (const struct px_param *q = p[i]->desc->params; q && q->name; q++)
			cap++;
	*names = px__xcalloc(cap, sizeof(**names));
	(*names)[(*n)++] = "workers";
	(*names)[(*n)++] = "strategy";
	for (size_t i = 0; i < np; i++)
		for (const struct px_param *q = p[i]->desc->params; q && q->name; q++) {
			(*names)[(*n)++] = q->name;
			found |= strcmp(q->name, name) == 0;
		}
	return found;
}

/* Each plot's x and series name something this experiment has. */
static bool check_plots(struct loader *l)
{
	bool ok = true;

	for (size_t i = 0; i < l->e->n_plots; i++) {
		const struct plot_spec *p = &l->e->plots[i];
		const char *what[] = { "x", "series" }, *val[] = { p->x, p->series };
		for (int k = 0; k < 2; k++) {
			const char **names = NULL;
			size_t n = 0;
			char msg[512];
			if (!val[k] || plot_name_known(l->e, val[k], &names, &n)) {
				free(names);
				continue;
			}
			snprintf(msg, sizeof(msg),
			         "plots: %s: '%s' is not workers, strategy or a parameter of this experiment",
			         what[k], val[k]);
			px__suggest_hint(msg, sizeof(msg), val[k], names, n);
			px__diag_error(l->d, p->mark, "%s", msg);
			free(names);
			ok = false;
		}
	}
	return ok;
}

/* Checks what involves several keys: the baseline is one of the
 * strategies (input/baseline.c). */
static bool check_whole(struct loader *l)
{
	return px__baseline_check(l->e, l->d);
}

static void set_defaults(struct loader *l)
{
	struct experiment *e = l->e;
	size_t cap = 0;

	if (!e->workers)
		for (unsigned w = 1; w <= (unsigned)l->ctx->topo->cores; w++)
			add_workers(l, &cap, w);
	if (!e->baseline && e->n_strategies) {
		e->baseline = px__xstrdup("serial");
		for (size_t i = 0; i < e->n_strategies; i++)
			if (strcmp(e->strategies[i].plugin->desc->name, "serial") == 0)
				return;
		free(e->baseline);
		e->baseline = px__xstrdup(e->strategies[0].plugin->desc->name);
	}
}

/* Checks one document and builds its experiment; NULL after errors. */
static struct experiment *from_root(const struct load_ctx *ctx, const char *path,
                                    const struct ynode *root)
{
	struct experiment *e = px__xcalloc(1, sizeof(*e));
	struct loader l = { ctx, e, ctx->d };
	int errors_before = ctx->d->errors;

	e->path = px__xstrdup(path);
	e->repetitions = 5;
	e->warmup = 1;
	e->timeout_ns = (int64_t)60 * 1000000000;
	e->seed = 1;
	if (root->kind != Y_MAP) {
		px__diag_error(ctx->d, root->mark,
		               "expected a map with 'experiment:', 'workload:' and 'strategies:', got %s",
		               px__ynode_noun(root));
	} else if (parse_top(&l, root)) {
		bool whole, plots;
		set_defaults(&l);
		/* Both checks run, so that every error of the file is told. */
		whole = check_whole(&l);
		plots = check_plots(&l);
		if (whole && plots)
			px__experiment_check_bounds(ctx, e);
	}
	if (ctx->d->errors > errors_before) {
		px__experiment_free(e);
		return NULL;
	}
	return e;
}

int px__experiment_load_all(const struct load_ctx *ctx, const char *path,
                            const char *text, struct experiment ***out)
{
	struct ynode **roots;
	int n = px__yaml_load_all(path, text, ctx->d, &roots), good = 0;

	*out = NULL;
	if (n < 0)
		return -1;
	*out = px__xcalloc((size_t)n, sizeof(**out));
	for (int i = 0; i < n; i++) {
		(*out)[i] = from_root(ctx, path, roots[i]);
		good += (*out)[i] != NULL;
		px__yaml_free(roots[i]);
	}
	free(roots);
	/* Two experiments of one file must not write to the same name. */
	for (int i = 0; good == n && i < n; i++)
		for (int k = 0; k < i; k++)
			if (strcmp((*out)[i]->name, (*out)[k]->name) == 0) {
				px__diag_error(ctx->d, (struct mark){ path, 0, 0 },
				               "experiment '%s' appears twice in this file",
				               (*out)[i]->name);
				good = -1;
				break;
			}
	if (good != n) {
		for (int i = 0; i < n; i++)
			px__experiment_free((*out)[i]);
		free(*out);
		*out = NULL;
		return -1;
	}
	return n;
}

struct experiment *px__experiment_load(const struct load_ctx *ctx,
                                       const char *path, const char *text)
{
	struct experiment **all, *first;
	int n = px__experiment_load_all(ctx, path, text, &all);

	if (n < 0)
		return NULL;
	first = all[0];
	for (int i = 1; i < n; i++)
		px__experiment_free(all[i]);
	free(all);
	return first;
}

static void free_use(struct plugin_use *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->bindings[i].values);
	free(u->bindings);
}

void px__experiment_free(struct experiment *e)
{
	if (!e)
		return;
	free_use(&e->workload);
	for (size_t i = 0; i < e->n_strategies; i++)
		free_use(&e->strategies[i]);
	free(e->strategies);
	free_use(&e->baseline_use);
	for (size_t i = 0; i < e->pinning.n; i++)
		free(e->pinning.locs[i]);
	free(e->pinning.locs);
	free(e->pinning.marks);
	for (size_t i = 0; i < e->n_expects; i++) {
		free(e->expects[i].text);
		px__expect_free(e->expects[i].expr);
	}
	free(e->expects);
	px__plots_free(e->plots, e->n_plots);
	free(e->workers);
	free(e->baseline);
	free(e->description);
	free(e->name);
	free(e->path);
	free(e);
}
