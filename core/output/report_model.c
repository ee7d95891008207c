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

/* The median over runs of worker w's value in "v0;v1;..." cells. */
static double worker_median(char **cells, size_t n, unsigned w)
{
	double *v = px__xcalloc(n + 1, sizeof(*v)), med;
	size_t k = 0;

	for (size_t r = 0; r < n; r++) {
		const char *s = cells[r];
		for (unsigned i = 0; i < w && s; i++)
			s = strchr(s, ';') ? strchr(s, ';') + 1 : NULL;
		if (s && *s && *s != ';')
			v[k++] = atof(s);
	}
	med = k ? px__median(v, k) : NAN;
	free(v);
	return med;
}

/* Fills each gil-threads trial's per-worker wait and hold from
 * trials.csv's gil_*_ns_per_worker columns. */
static void load_gil(const char *dir, struct rmodel *m)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	struct csv c;
	int ti, st, wait, hold;

	if (px__csv_read(path, &c)) {
		free(path);
		return;
	}
	ti = px__csv_column(&c, "trial");
	st = px__csv_column(&c, "status");
	wait = px__csv_column(&c, "gil_wait_ns_per_worker");
	hold = px__csv_column(&c, "gil_hold_ns_per_worker");
	for (size_t i = 0; ti >= 0 && st >= 0 && wait >= 0 && hold >= 0 && i < m->n; i++) {
		struct rtrial *t = &m->t[i];
		char **w = px__xcalloc(c.nrows + 1, sizeof(*w));
		char **h = px__xcalloc(c.nrows + 1, sizeof(*h));
		size_t n = 0;
		for (size_t r = 0; r < c.nrows; r++)
			if (atol(c.rows[r][ti]) == t->index &&
			    strcmp(c.rows[r][st], "ok") == 0 && c.rows[r][wait][0]) {
				w[n] = c.rows[r][wait];
				h[n++] = c.rows[r][hold];
			}
		if (n) {
			t->gil_wait_ms = px__xcalloc(t->workers, sizeof(double));
			t->gil_hold_ms = px__xcalloc(t->workers, sizeof(double));
			for (unsigned k = 0; k < t->workers; k++) {
				t->gil_wait_ms[k] = worker_median(w, n, k) / 1e6;
				t->gil_hold_ms[k] = worker_median(h, n, k) / 1e6;
			}
		}
		free(w);
		free(h);
	}
	px__csv_free(&c);
	free(path);
}

int px__rmodel_load(const char *dir, struct rmodel *m)
{
	char *path = px__xasprintf("%s/summary.csv", dir);
	struct csv c;
	int rc = px__csv_read(path, &c);
	int ti, la, wo, ru, fa, co, me, lo, hi, cv, ou, no;
	size_t cap = 0;

	memset(m, 0, sizeof(*m));
	if (rc) {
		fprintf(stderr, "parlab: error: %s: %s\n", path, strerror(-rc));
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
			t->workers = (unsigned)atoi(row[wo]);
			t->runs = ru >= 0 ? (unsigned)atoi(row[ru]) : 0;
			t->failed = fa >= 0 ? (unsigned)atoi(row[fa]) : 0;
		}
		if (strcmp(row[co], "wall_s") == 0) {
			t->wall = v;
			t->cv = cv >= 0 ? num(row[cv]) : NAN;
			t->outliers = ou >= 0 ? (unsigned)atoi(row[ou]) : 0;
			t->noisy = no >= 0 && strcmp(row[no], "true") == 0;
		} else if (strcmp(row[co], "speedup") == 0) {
			t->speedup = v;
		} else if ((k = percentile_slot(m, row[co])) >= 0) {
			t->p[k] = v;
		}
	}
	px__csv_free(&c);
	free(path);
	load_gil(dir, m);
	return 0;
}

void px__rmodel_free(struct rmodel *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->t[i].label);
		free(m->t[i].gil_wait_ms);
		free(m->t[i].gil_hold_ms);
	}
	free(m->t);
	free(m->sampled);
	free(m->experiment);
	memset(m, 0, sizeof(*m));
}
