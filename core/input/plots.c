/* plots.c: the `plots:` list of an experiment file, checked entry by
 * entry with file:line:col errors. */
#define _GNU_SOURCE
#include "input/plots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "base/util.h"

const char *const px__plot_keys[] = { "x", "y", "series", "log", "title" };
const size_t px__n_plot_keys = PX_ARRAY_LEN(px__plot_keys);

/* A name as columns and parameters are spelt: [A-Za-z0-9_.-]+. */
static bool is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

/* y: a column name, or pNN(metric) with NN in 0..100. */
static bool is_metric(const char *s)
{
	const char *open = strchr(s, '(');
	char *name;
	bool ok;

	if (!open)
		return is_name(s);
	if (s[0] != 'p' || open == s + 1 || s[strlen(s) - 1] != ')')
		return false;
	for (const char *p = s + 1; p < open; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
	if (atof(s + 1) > 100)
		return false;
	name = strndup(open + 1, strlen(open + 1) - 1);
	ok = is_name(name);
	free(name);
	return ok;
}

char *px__plot_column(const char *y)
{
	const char *open = strchr(y, '(');

	if (strcmp(y, "wall") == 0)
		return px__xstrdup("wall_s");
	if (!open)
		return px__xstrdup(y);
	return px__xasprintf("%.*s_p%.*s", (int)(strlen(open + 1) - 1),
	                     open + 1, (int)(open - y - 1), y + 1);
}

/* log: x, y, both or none. */
static bool parse_log(struct plot_spec *p, const struct ynode *v,
                      struct diag *d)
{
	const char *s = v->kind == Y_SCALAR ? v->text : "";

	p->xlog = strcmp(s, "x") == 0 || strcmp(s, "both") == 0;
	p->ylog = strcmp(s, "y") == 0 || strcmp(s, "both") == 0;
	if (p->xlog || p->ylog || strcmp(s, "none") == 0)
		return true;
	px__diag_error(d, v->mark, "plots: log: expected x, y, both or none, got %s",
	               v->kind == Y_SCALAR ? v->text : px__ynode_noun(v));
	return false;
}

/* One key of an entry; false after reporting what is wrong with it. */
static bool parse_key(struct plot_spec *p, const struct ynode *k,
                      const struct ynode *v, struct diag *d)
{
	char **slot = strcmp(k->text, "x") == 0        ? &p->x
	              : strcmp(k->text, "y") == 0      ? &p->y
	              : strcmp(k->text, "series") == 0 ? &p->series
	              : strcmp(k->text, "title") == 0  ? &p->title
	                                               : NULL;

	if (strcmp(k->text, "log") == 0)
		return parse_log(p, v, d);
	if (!slot) {
		char msg[256];
		snprintf(msg, sizeof(msg), "unknown key '%s' in plots", k->text);
		px__suggest_hint(msg, sizeof(msg), k->text, px__plot_keys,
		                 px__n_plot_keys);
		px__diag_error(d, k->mark, "%s", msg);
		return false;
	}
	if (v->kind != Y_SCALAR) {
		px__diag_error(d, v->mark, "plots: %s: expected text, got %s",
		               k->text, px__ynode_noun(v));
		return false;
	}
	if (slot == &p->y && !is_metric(v->text)) {
		px__diag_error(d, v->mark,
		               "plots: y: expected a column such as wall_s, speedup, ns_per_task or p99(io_latency), got '%s'",
		               v->text);
		return false;
	}
	if ((slot == &p->x || slot == &p->series) && !is_name(v->text)) {
		px__diag_error(d, v->mark,
		               "plots: %s: expected workers, strategy or a parameter name, got '%s'",
		               k->text, v->text);
		return false;
	}
	*slot = px__xstrdup(v->text);
	return true;
}

static bool parse_entry(struct plot_spec *p, const struct ynode *e,
                        struct diag *d)
{
	bool ok = true;

	*p = (struct plot_spec){ .xlog = -1, .ylog = -1, .mark = e->mark };
	if (e->kind != Y_MAP) {
		px__diag_error(d, e->mark,
		               "plots: expected a map such as {x: chunksize, y: speedup}, got %s",
		               px__ynode_noun(e));
		return false;
	}
	for (size_t i = 0; i < e->n; i++)
		ok &= parse_key(p, px__ymap_key(e, i), px__ymap_value(e, i), d);
	if (ok && !p->y) {
		px__diag_error(d, e->mark, "plots: missing key 'y' (what to plot)");
		ok = false;
	}
	return ok;
}

bool px__plots_parse(const struct ynode *v, struct diag *d,
                     struct plot_spec **out, size_t *n)
{
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (v->kind != Y_SEQ) {
		px__diag_error(d, v->mark,
		               "plots: expected a list of charts such as '- {x: chunksize, y: ns_per_task}', got %s",
		               px__ynode_noun(v));
		return false;
	}
	*out = px__xcalloc(v->n + 1, sizeof(**out));
	for (size_t i = 0; i < v->n; i++) {
		bool good = parse_entry(&(*out)[*n], v->items[i], d);
		ok &= good;
		(*n)++;
	}
	return ok;
}

void px__plots_free(struct plot_spec *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].x);
		free(p[i].y);
		free(p[i].series);
		free(p[i].title);
	}
	free(p);
}
