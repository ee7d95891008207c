/* chart_pick.c: from a results directory's trials to a line chart: the
 * dimensions that vary, which is x, which make the series, and each
 * point's median, interval and runs. */
#define _GNU_SOURCE
#include "output/chart_pick.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "base/util.h"
#include "output/svg.h"

/* A trials.csv parameter column: s.NAME or w.NAME, or its tidy form in
 * base units (s.NAME_ns, w.NAME_bytes). */
static int param_col(const struct rmodel *m, const char *name,
                     enum svg_unit *unit)
{
	static const char *const pre[] = { "s.", "w." };
	static const struct { const char *suffix; enum svg_unit u; } tidy[] = {
		{ "", SVG_PLAIN }, { "_ns", SVG_NS }, { "_bytes", SVG_BYTES } };

	for (size_t t = 0; t < PX_ARRAY_LEN(tidy); t++)
		for (int p = 0; p < 2; p++) {
			char *col = px__xasprintf("%s%s%s", pre[p], name, tidy[t].suffix);
			int c = px__csv_column(&m->runs, col);
			free(col);
			if (c >= 0) {
				*unit = tidy[t].u;
				return c;
			}
		}
	return -1;
}

/* Trial t's value of dimension name as text ("" when it has none). */
static const char *dim_text(const struct rmodel *m, const struct rtrial *t,
                            const char *name, char *buf, size_t cap)
{
	enum svg_unit u;
	int c;

	if (strcmp(name, "workers") == 0) {
		snprintf(buf, cap, "%u", t->workers);
		return buf;
	}
	if (strcmp(name, "strategy") == 0)
		return t->strategy;
	c = param_col(m, name, &u);
	return c >= 0 && t->row >= 0 ? m->runs.rows[t->row][c] : "";
}

/* A value as a number: plain, or with units (ns, bytes); NAN if none. */
static double dim_number(const char *s, enum svg_unit *unit, bool *integer)
{
	int64_t i;
	double d;

	if (!*s)
		return NAN;
	if (px__parse_int(s, &i) == 0)
		return (double)i;
	*integer = false;
	if (*unit != SVG_BYTES && px__parse_duration(s, &i) == 0) {
		*unit = SVG_NS;
		return (double)i;
	}
	if (*unit != SVG_NS && px__parse_size(s, &i) == 0) {
		*unit = SVG_BYTES;
		return (double)i;
	}
	return px__parse_real(s, &d) == 0 ? d : NAN;
}

/* The dimensions of m: workers, strategy and every parameter column,
 * with how many distinct values each takes. */
struct dims {
	const char **name;
	size_t *distinct, n;
};

/* How many values dimension name takes, over the trials of strategy
 * (NULL: all trials). */
static size_t count_distinct(const struct rmodel *m, const char *name,
                             const char *strategy)
{
	char **seen = px__xcalloc(m->n + 1, sizeof(*seen)), buf[32];
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		const char *v = dim_text(m, &m->t[i], name, buf, sizeof(buf));
		size_t k;
		if (strategy && strcmp(m->t[i].strategy, strategy))
			continue;
		for (k = 0; k < n && strcmp(seen[k], v); k++)
			;
		if (k == n && *v)
			seen[n++] = px__xstrdup(v);
	}
	for (size_t k = 0; k < n; k++)
		free(seen[k]);
	free(seen);
	return n;
}

static void dims_load(const struct rmodel *m, struct dims *d)
{
	size_t cap = m->runs.ncols + 2;

	d->name = px__xcalloc(cap, sizeof(*d->name));
	d->distinct = px__xcalloc(cap, sizeof(*d->distinct));
	d->n = 0;
	d->name[d->n++] = px__xstrdup("strategy");
	d->name[d->n++] = px__xstrdup("workers");
	for (size_t c = 0; c < m->runs.ncols; c++) {
		const char *h = m->runs.header[c];
		size_t len;
		if (strncmp(h, "s.", 2) && strncmp(h, "w.", 2))
			continue;
		h += 2;
		len = strlen(h);
		/* The tidy columns carry their unit: sleep_ns is sleep. */
		if (len > 3 && strcmp(h + len - 3, "_ns") == 0)
			len -= 3;
		else if (len > 6 && strcmp(h + len - 6, "_bytes") == 0)
			len -= 6;
		d->name[d->n] = strndup(h, len);
		for (size_t k = 0; k < d->n; k++)
			if (strcmp(d->name[k], d->name[d->n]) == 0) {
				free((char *)d->name[d->n]);
				d->name[d->n] = NULL;
				break;
			}
		if (d->name[d->n])
			d->n++;
	}
	for (size_t k = 0; k < d->n; k++)
		d->distinct[k] = count_distinct(m, d->name[k], NULL);
}

static void dims_free(struct dims *d)
{
	for (size_t k = 0; k < d->n; k++)
		free((char *)d->name[k]);
	free(d->name);
	free(d->distinct);
}

/* Whether every value dimension k takes is a number. */
static bool numeric(const struct rmodel *m, const char *name)
{
	char buf[32];

	for (size_t i = 0; i < m->n; i++) {
		enum svg_unit u = SVG_PLAIN;
		bool integer = true;
		const char *v = dim_text(m, &m->t[i], name, buf, sizeof(buf));
		if (*v && isnan(dim_number(v, &u, &integer)))
			return false;
	}
	return true;
}

/* x: the numeric dimension with most values, a parameter before
 * workers on a tie (a chunksize sweep at 2 workers is about chunksize). */
static size_t pick_x(const struct rmodel *m, const struct dims *d)
{
	size_t best = 1;  /* workers */

	for (size_t k = 2; k < d->n; k++)
		if (d->distinct[k] >= 2 && d->distinct[k] >= d->distinct[best] &&
		    numeric(m, d->name[k]))
			best = k;
	return best;
}

const char *px__chart_default_x(const struct rmodel *m)
{
	static char name[128];
	struct dims d;

	dims_load(m, &d);
	snprintf(name, sizeof(name), "%s", d.name[pick_x(m, &d)]);
	dims_free(&d);
	return name;
}

/* A trial's series name: its strategy and the values of the dimensions
 * that vary besides x among that strategy's trials ("fork-pool
 * workers=2"; a default that differs between strategies is no sweep). */
static char *series_name(const struct rmodel *m, const struct rtrial *t,
                         const struct dims *d, size_t x, const char *first)
{
	struct strbuf sb = { 0 };
	char buf[32];

	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < d->n; k++) {
			const char *v;
			bool is_first = first && strcmp(d->name[k], first) == 0;
			if (k == x || d->distinct[k] < 2 || is_first != (pass == 0) ||
			    (k > 0 && count_distinct(m, d->name[k], t->strategy) < 2))
				continue;
			v = dim_text(m, t, d->name[k], buf, sizeof(buf));
			if (!*v)
				continue;
			if (sb.len)
				px__sb_add(&sb, " ");
			if (k == 0)
				px__sb_add(&sb, v);
			else
				px__sb_addf(&sb, "%s=%s", d->name[k], v);
		}
	return sb.len ? px__sb_take(&sb) : px__xstrdup(t->strategy);
}

static enum svg_unit unit_of(const char *u)
{
	return strcmp(u, "s") == 0 ? SVG_SECONDS : strcmp(u, "ns") == 0 ? SVG_NS
	       : strcmp(u, "B") == 0 || strcmp(u, "bytes") == 0 ? SVG_BYTES
	                                                         : SVG_PLAIN;
}

/* Trial t's runs of column col; speedup runs are the baseline's median
 * wall time over each run's. */
static size_t point_runs(const struct rmodel *m, const struct rtrial *t,
                         const char *col, double **out)
{
	bool sp = strcmp(col, "speedup") == 0;
	size_t n = px__rmodel_runs(m, t, px__csv_column(&m->runs, sp ? "wall_s" : col), out);
	double base = t->speedup.median * t->wall.median;

	for (size_t i = 0; sp && i < n; i++)
		(*out)[i] = base / (*out)[i];
	return n;
}

/* The chart being built: series (with their arrays) and references. */
struct build {
	struct svg_series *s;
	char **names;
	size_t ns;
	struct svg_ref *refs;
	size_t nrefs;
	double lvl_lo, lvl_hi;
};

static struct svg_series *series_for(struct build *b, char *name)
{
	for (size_t k = 0; k < b->ns; k++)
		if (strcmp(b->names[k], name) == 0) {
			free(name);
			return &b->s[k];
		}
	b->names[b->ns] = name;
	b->s[b->ns] = (struct svg_series){ .name = name };
	return &b->s[b->ns++];
}

/* Appends v to a growing array of a series (each grows by one point). */
static double *push(const double *a, size_t n, double v)
{
	double *r = px__xrealloc((void *)a, (n + 1) * sizeof(*r));

	r[n] = v;
	return r;
}

static void add_point(struct build *b, const struct rmodel *m,
                      const struct rtrial *t, const struct rcol *c,
                      char *name, double x, const char *col)
{
	struct svg_series *s;
	double *runs;
	size_t nr;

	if (isfinite(c->level)) {
		b->lvl_lo = fmin(b->lvl_lo, c->level);
		b->lvl_hi = fmax(b->lvl_hi, c->level);
	}
	if (isnan(x)) {
		b->refs[b->nrefs++] = (struct svg_ref){ name, c->v.median, c->v.lo, c->v.hi };
		b->names[m->n + b->nrefs] = name;
		return;
	}
	s = series_for(b, name);
	nr = point_runs(m, t, col, &runs);
	s->x = push(s->x, s->n, x);
	s->y = push(s->y, s->n, c->v.median);
	s->lo = push(s->lo, s->n, c->v.lo);
	s->hi = push(s->hi, s->n, c->v.hi);
	s->n++;
	for (size_t i = 0; i < nr; i++) {
		s->rx = push(s->rx, s->nruns, x);
		s->ry = push(s->ry, s->nruns, runs[i]);
		s->nruns++;
	}
	free(runs);
}

/* Orders a series' points by x, so that its line runs left to right. */
static void sort_points(struct svg_series *s)
{
	double *x = (double *)s->x, *y = (double *)s->y;
	double *lo = (double *)s->lo, *hi = (double *)s->hi;

	for (size_t i = 1; i < s->n; i++)
		for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
			double t;
			t = x[j], x[j] = x[j - 1], x[j - 1] = t;
			t = y[j], y[j] = y[j - 1], y[j - 1] = t;
			t = lo[j], lo[j] = lo[j - 1], lo[j - 1] = t;
			t = hi[j], hi[j] = hi[j - 1], hi[j - 1] = t;
		}
}

static const char *y_label(const char *col)
{
	return strcmp(col, "speedup") == 0      ? "speedup over the baseline"
	       : strcmp(col, "wall_s") == 0     ? "median wall time"
	       : strcmp(col, "ns_per_task") == 0 ? "time per task"
	                                        : col;
}

static void render(FILE *f, const struct build *b, const struct plot_spec *spec,
                   const char *xname, const char *col, bool xint,
                   enum svg_unit xu, enum svg_unit yu)
{
	char *title, *note;
	struct svg_chart c = { 0 };

	if (spec && spec->title)
		title = px__xstrdup(spec->title);
	else if (strcmp(col, "speedup") == 0)
		title = px__xasprintf("Speedup against %s", xname);
	else
		title = px__xasprintf("Median %s against %s",
		                      strcmp(col, "wall_s") == 0 ? "wall time" : col, xname);
	if (b->lvl_lo <= b->lvl_hi && b->lvl_lo < b->lvl_hi - 1e-9)
		note = px__xasprintf("whiskers: %.0f%% to %.0f%% interval of the median (per trial); faint dots: each run",
		                     100 * b->lvl_lo, 100 * b->lvl_hi);
	else if (b->lvl_lo <= b->lvl_hi)
		note = px__xasprintf("whiskers: %.0f%% interval of the median; faint dots: each run",
		                     100 * b->lvl_lo);
	else
		note = px__xstrdup("whiskers: interval of the median; faint dots: each run");
	c.title = title;
	c.note = note;
	c.x = (struct svg_axis){ xname, xu, spec ? spec->xlog : -1, xint };
	c.y = (struct svg_axis){ y_label(col), yu, spec ? spec->ylog : -1, false };
	c.ideal = strcmp(xname, "workers") == 0 && strcmp(col, "speedup") == 0;
	c.refs = b->refs;
	c.nrefs = b->nrefs;
	px__svg_lines(f, &c, b->s, b->ns);
	free(title);
	free(note);
}

static void build_free(struct build *b, size_t nnames)
{
	for (size_t k = 0; k < b->ns; k++) {
		free((void *)b->s[k].x);
		free((void *)b->s[k].y);
		free((void *)b->s[k].lo);
		free((void *)b->s[k].hi);
		free((void *)b->s[k].rx);
		free((void *)b->s[k].ry);
	}
	for (size_t k = 0; k < nnames; k++)
		free(b->names[k]);
	free(b->names);
	free(b->s);
	free(b->refs);
}

/* The y column a spec (or the default) plots. */
static char *y_column(const struct rmodel *m, const struct plot_spec *spec)
{
	if (spec && spec->y)
		return px__plot_column(spec->y);
	for (size_t i = 0; i < m->n; i++)
		if (isfinite(m->t[i].speedup.median))
			return px__xstrdup("speedup");
	return px__xstrdup("wall_s");
}

bool px__chart_draw(FILE *f, const struct rmodel *m,
                    const struct plot_spec *spec)
{
	struct dims d;
	struct build b = { .lvl_lo = INFINITY, .lvl_hi = -INFINITY };
	char *col = y_column(m, spec), buf[32];
	enum svg_unit xu = SVG_PLAIN, yu = SVG_PLAIN;
	bool xint = true;
	size_t x;

	dims_load(m, &d);
	x = pick_x(m, &d);
	for (size_t k = 0; spec && spec->x && k < d.n; k++)
		if (strcmp(d.name[k], spec->x) == 0)
			x = k;
	if (x != 1)
		param_col(m, d.name[x], &xu);
	b.s = px__xcalloc(m->n + 1, sizeof(*b.s));
	b.names = px__xcalloc(2 * m->n + 2, sizeof(*b.names));
	b.refs = px__xcalloc(m->n + 1, sizeof(*b.refs));
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		const struct rcol *c = px__rmodel_col(t, col);
		const char *xv = dim_text(m, t, d.name[x], buf, sizeof(buf));
		if (!c || isnan(c->v.median))
			continue;
		yu = unit_of(c->unit);
		add_point(&b, m, t, c, series_name(m, t, &d, x, spec ? spec->series : NULL),
		          dim_number(xv, &xu, &xint), col);
	}
	for (size_t k = 0; k < b.ns; k++)
		sort_points(&b.s[k]);
	if (b.ns)
		render(f, &b, spec, d.name[x], col, xint, xu, yu);
	else if (spec)
		fprintf(stderr, "parlab: warning: plots: y: no trial has a value of '%s' in summary.csv; chart not drawn\n",
		        spec->y);
	build_free(&b, 2 * m->n + 2);
	dims_free(&d);
	free(col);
	return b.ns > 0;
}
