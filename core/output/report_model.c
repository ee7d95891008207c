/* report_model.c: summary.csv back into what the report draws. */
#include "output/report_model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "measure/stats.h"
#include "base/util.h"

static struct rtrial *trial_of(struct rmodel *m, size_t *cap, long index)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].index == index)
			return &m->t[i];
	px__grow(&m->t, cap, m->n + 1, sizeof(*m->t));
	m->t[m->n] = (struct rtrial){ .index = index };
	for (int k = 0; k < 3; k++)
		m->t[m->n].p[k] = (struct mci){ NAN, NAN, NAN };
	m->t[m->n].wall = m->t[m->n].speedup = (struct mci){ NAN, NAN, NAN };
	return &m->t[m->n++];
}

static double num(const char *s)
{
	return *s ? atof(s) : NAN;
}

/* The p50/p90/p99 slot a column such as io_latency_p90 fills, for the
 * first sampled metric met; -1 for other columns. */
static int percentile_slot(struct rmodel *m, const char *col)
{
	static const char *const suffix[] = { "_p50", "_p90", "_p99" };
	size_t len = strlen(col);

	for (int k = 0; k < 3; k++) {
		if (len <= 4 || strcmp(col + len - 4, suffix[k]))
			continue;
		if (!m->sampled)
			m->sampled = px__xasprintf("%.*s", (int)len - 4, col);
		if (strlen(m->sampled) == len - 4 &&
		    strncmp(m->sampled, col, len - 4) == 0)
			return k;
	}
	return -1;
}

/* ok[rep] = 1 for each repetition of trial t that trials.csv `c` says
 * finished "ok"; returns the number of repetitions seen (ok's size). */
static size_t ok_runs(const struct csv *c, long t, bool **ok)
{
	int ti = px__csv_column(c, "trial"), re = px__csv_column(c, "repetition");
	int st = px__csv_column(c, "status");
	size_t n = 0;

	*ok = px__xcalloc(c->nrows + 1, sizeof(**ok));
	for (size_t r = 0; ti >= 0 && re >= 0 && st >= 0 && r < c->nrows; r++) {
		size_t rep = (size_t)atol(c->rows[r][re]);
		if (atol(c->rows[r][ti]) != t || rep >= c->nrows)
			continue;
		(*ok)[rep] = strcmp(c->rows[r][st], "ok") == 0;
		n = rep + 1 > n ? rep + 1 : n;
	}
	return n;
}

/* Trial t's per-worker medians over its ok runs of workers.csv's
 * gil_wait_ns and gil_hold_ns rows, in ms; false when it has none. */
static bool gil_medians(const struct csv *wc, const struct csv *tc,
                        struct rtrial *t)
{
	int ti = px__csv_column(wc, "trial"), re = px__csv_column(wc, "repetition");
	int wo = px__csv_column(wc, "worker"), me = px__csv_column(wc, "metric");
	int va = px__csv_column(wc, "value");
	bool *ok;
	size_t reps = ok_runs(tc, t->index, &ok), cap = reps + 1, found = 0;
	double *v[2];
	size_t *n[2];

	for (int k = 0; k < 2; k++) {
		v[k] = px__xcalloc((size_t)t->workers * cap, sizeof(double));
		n[k] = px__xcalloc(t->workers, sizeof(size_t));
	}
	for (size_t r = 0; ti >= 0 && re >= 0 && wo >= 0 && me >= 0 && va >= 0 &&
	                   r < wc->nrows; r++) {
		char **row = wc->rows[r];
		size_t rep = (size_t)atol(row[re]), w = (size_t)atol(row[wo]);
		int k = strcmp(row[me], "gil_wait_ns") == 0 ? 0
		        : strcmp(row[me], "gil_hold_ns") == 0 ? 1 : -1;
		if (k < 0 || atol(row[ti]) != t->index || rep >= reps ||
		    !ok[rep] || w >= t->workers || n[k][w] >= cap)
			continue;
		v[k][w * cap + n[k][w]++] = atof(row[va]);
		found++;
	}
	if (found) {
		t->gil_wait_ms = px__xcalloc(t->workers, sizeof(double));
		t->gil_hold_ms = px__xcalloc(t->workers, sizeof(double));
		for (size_t w = 0; w < t->workers; w++) {
			t->gil_wait_ms[w] = n[0][w] ? px__median(v[0] + w * cap, n[0][w]) / 1e6 : NAN;
			t->gil_hold_ms[w] = n[1][w] ? px__median(v[1] + w * cap, n[1][w]) / 1e6 : NAN;
		}
	}
	for (int k = 0; k < 2; k++) {
		free(v[k]);
		free(n[k]);
	}
	free(ok);
	return found;
}

/* Fills each gil-threads trial's per-worker wait and hold from
 * workers.csv, counting only the runs trials.csv (m->runs) says were ok. */
static void load_gil(const char *dir, struct rmodel *m)
{
	char *wpath = px__xasprintf("%s/workers.csv", dir);
	struct csv wc;

	if (m->runs.header && px__csv_read(wpath, &wc) == 0) {
		for (size_t i = 0; i < m->n; i++)
			gil_medians(&wc, &m->runs, &m->t[i]);
		px__csv_free(&wc);
	}
	free(wpath);
}

/* Keeps trials.csv and notes each trial's first row in it. */
static void load_runs(const char *dir, struct rmodel *m)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	int ti;

	for (size_t i = 0; i < m->n; i++)
		m->t[i].row = -1;
	if (px__csv_read(path, &m->runs))
		memset(&m->runs, 0, sizeof(m->runs));
	free(path);
	ti = px__csv_column(&m->runs, "trial");
	for (size_t r = 0; ti >= 0 && r < m->runs.nrows; r++)
		for (size_t i = 0; i < m->n; i++)
			if (m->t[i].row < 0 && atol(m->runs.rows[r][ti]) == m->t[i].index)
				m->t[i].row = (long)r;
}

const struct rcol *px__rmodel_col(const struct rtrial *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

size_t px__rmodel_runs(const struct rmodel *m, const struct rtrial *t,
                       int col, double **out)
{
	int ti = px__csv_column(&m->runs, "trial");
	int st = px__csv_column(&m->runs, "status");
	size_t n = 0;

	*out = px__xcalloc(m->runs.nrows + 1, sizeof(double));
	for (size_t r = 0; col >= 0 && ti >= 0 && r < m->runs.nrows; r++) {
		char **row = m->runs.rows[r];
		if (atol(row[ti]) == t->index && row[col][0] &&
		    (st < 0 || strcmp(row[st], "ok") == 0))
			(*out)[n++] = atof(row[col]);
	}
	return n;
}

/* Adds a summary.csv row to t's columns. */
static void add_col(struct rtrial *t, const char *name, const char *unit,
                    struct mci v, double level)
{
	t->cols = px__xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	t->cols[t->ncols++] = (struct rcol){ px__xstrdup(name), px__xstrdup(unit),
	                                     v, level };
}

int px__rmodel_load(const char *dir, struct rmodel *m)
{
	char *path = px__xasprintf("%s/summary.csv", dir);
	struct csv c;
	int rc = px__csv_read(path, &c);
	int ti, la, wo, ru, fa, co, me, lo, hi, cv, ou, no, st, un, le;
	size_t cap = 0;

	memset(m, 0, sizeof(*m));
	if (rc == -ENOENT)
		fprintf(stderr, "parlab: error: %s is not a results directory "
		        "(no summary.csv: give a directory `parlab run` wrote)\n",
		        dir);
	else if (rc)
		fprintf(stderr, "parlab: error: %s: %s\n", path, strerror(-rc));
	if (rc) {
		free(path);
		return rc;
	}
	ti = px__csv_column(&c, "trial");
	la = px__csv_column(&c, "label");
	wo = px__csv_column(&c, "workers");
	ru = px__csv_column(&c, "runs");
	fa = px__csv_column(&c, "failed");
	co = px__csv_column(&c, "column");
	me = px__csv_column(&c, "median");
	lo = px__csv_column(&c, "ci_lo");
	hi = px__csv_column(&c, "ci_hi");
	cv = px__csv_column(&c, "cv");
	ou = px__csv_column(&c, "outliers");
	no = px__csv_column(&c, "noisy");
	st = px__csv_column(&c, "strategy");
	un = px__csv_column(&c, "unit");
	le = px__csv_column(&c, "ci_level");
	if (ti < 0 || la < 0 || wo < 0 || co < 0 || me < 0 || lo < 0 || hi < 0) {
		fprintf(stderr, "parlab: error: %s is not a parlab summary.csv\n", path);
		px__csv_free(&c);
		free(path);
		return -EINVAL;
	}
	for (size_t r = 0; r < c.nrows; r++) {
		char **row = c.rows[r];
		struct rtrial *t = trial_of(m, &cap, atol(row[ti]));
		struct mci v = { num(row[me]), num(row[lo]), num(row[hi]) };
		int k;
		if (!t->label) {
			t->label = px__xstrdup(row[la]);
			t->strategy = px__xstrdup(st >= 0 ? row[st] : row[la]);
			t->workers = (unsigned)atoi(row[wo]);
			t->runs = ru >= 0 ? (unsigned)atoi(row[ru]) : 0;
			t->failed = fa >= 0 ? (unsigned)atoi(row[fa]) : 0;
		}
		add_col(t, row[co], un >= 0 ? row[un] : "", v,
		        le >= 0 ? num(row[le]) : NAN);
		if (strcmp(row[co], "wall_s") == 0) {
			t->wall = v;
			t->cv = cv >= 0 ? num(row[cv]) : NAN;
			t->outliers = ou >= 0 ? (unsigned)atoi(row[ou]) : 0;
			t->noisy = no >= 0 && (strcmp(row[no], "1") == 0 ||
			                       strcmp(row[no], "true") == 0);
		} else if (strcmp(row[co], "speedup") == 0) {
			t->speedup = v;
		} else if ((k = percentile_slot(m, row[co])) >= 0) {
			t->p[k] = v;
		}
	}
	px__csv_free(&c);
	free(path);
	load_runs(dir, m);
	load_gil(dir, m);
	return 0;
}

void px__rmodel_free(struct rmodel *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->t[i].label);
		free(m->t[i].strategy);
		for (size_t k = 0; k < m->t[i].ncols; k++) {
			free(m->t[i].cols[k].name);
			free(m->t[i].cols[k].unit);
		}
		free(m->t[i].cols);
		free(m->t[i].gil_wait_ms);
		free(m->t[i].gil_hold_ms);
	}
	free(m->t);
	free(m->sampled);
	free(m->experiment);
	if (m->runs.header)
		px__csv_free(&m->runs);
	memset(m, 0, sizeof(*m));
}
