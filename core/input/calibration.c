/* calibration.c: reads a calibration file and adds its values to an
 * experiment's plugins as one-value bindings, where the file set none.
 * Without a calibration nothing here runs and every default stays. */
#include "input/calibration.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int px__calibration_load(const char *path, struct diag *d,
                         struct calibration *cal)
{
	const struct ynode *params = NULL;

	*cal = (struct calibration){ 0 };
	cal->root = px__yaml_load(path, NULL, d);
	if (!cal->root)
		return -EINVAL;
	if (cal->root->kind == Y_MAP)
		for (size_t i = 0; i < cal->root->n; i++)
			if (strcmp(px__ymap_key(cal->root, i)->text, "params") == 0)
				params = px__ymap_value(cal->root, i);
	if (!params || params->kind != Y_MAP) {
		px__diag_error(d, params ? params->mark : cal->root->mark,
		               "calibration: expected a map `params` of plugin "
		               "name: {parameter: value}, got %s",
		               params ? px__ynode_noun(params) : "none");
		px__calibration_free(cal);
		return -EINVAL;
	}
	for (size_t i = 0; i < params->n; i++)
		if (px__ymap_value(params, i)->kind != Y_MAP) {
			px__diag_error(d, px__ymap_value(params, i)->mark,
			               "calibration: expected a map of parameter: "
			               "value, got %s",
			               px__ynode_noun(px__ymap_value(params, i)));
			px__calibration_free(cal);
			return -EINVAL;
		}
	cal->params = params;
	return 0;
}

static bool bound(const struct plugin_use *u, const struct px_param *p)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->bindings[i].param == p)
			return true;
	return false;
}

/* True the first time `n` is asked about: its error is then reported. */
static bool first_report(struct calibration *cal, const struct ynode *n)
{
	for (size_t i = 0; i < cal->n_reported; i++)
		if (cal->reported[i] == n)
			return false;
	px__grow(&cal->reported, &cal->cap_reported, cal->n_reported + 1,
	         sizeof(*cal->reported));
	cal->reported[cal->n_reported++] = n;
	return true;
}

/* Adds the value of one calibration entry to u, unless the file set it. */
static int apply_one(struct calibration *cal, struct plugin_use *u,
                     const struct ynode *key, const struct ynode *val,
                     struct diag *d)
{
	const struct px_param *p = px__param_find(u->plugin->desc, key->text);
	union pvalue v;
	char err[256];

	if (!p) {
		if (first_report(cal, key))
			px__diag_error(d, key->mark, "calibration: %s has no "
			               "parameter '%s'", u->plugin->desc->name,
			               key->text);
		return -EINVAL;
	}
	if (bound(u, p))
		return 0;
	if (val->kind != Y_SCALAR ||
	    px__param_parse(p, val->text, &v, err, sizeof(err)) != 0) {
		if (first_report(cal, val))
			px__diag_error(d, val->mark, "calibration: %s.%s: %s",
			               u->plugin->desc->name, key->text,
			               val->kind == Y_SCALAR ? err
			                                     : "expected a value");
		return -EINVAL;
	}
	u->bindings = px__xrealloc(u->bindings,
	                           (u->n + 1) * sizeof(*u->bindings));
	u->bindings[u->n] = (struct pbinding){ .param = p, .n = 1,
	                                      .mark = val->mark };
	u->bindings[u->n].values = px__xcalloc(1, sizeof(v));
	u->bindings[u->n].values[0] = v;
	u->n++;
	return 0;
}

static int apply_use(struct calibration *cal, struct plugin_use *u,
                     struct diag *d)
{
	int rc = 0;

	for (size_t i = 0; i < cal->params->n; i++) {
		const struct ynode *map = px__ymap_value(cal->params, i);
		if (strcmp(px__ymap_key(cal->params, i)->text,
		           u->plugin->desc->name) != 0)
			continue;
		for (size_t k = 0; k < map->n; k++)
			if (apply_one(cal, u, px__ymap_key(map, k),
			              px__ymap_value(map, k), d))
				rc = -EINVAL;
	}
	return rc;
}

int px__calibration_apply(struct calibration *cal, struct experiment *e,
                          struct diag *d)
{
	int rc = apply_use(cal, &e->workload, d);

	for (size_t s = 0; s < e->n_strategies; s++)
		if (apply_use(cal, &e->strategies[s], d))
			rc = -EINVAL;
	return rc;
}

void px__calibration_free(struct calibration *cal)
{
	px__yaml_free(cal->root);
	free(cal->reported);
	cal->root = NULL;
	cal->params = NULL;
	cal->reported = NULL;
	cal->n_reported = cal->cap_reported = 0;
}
