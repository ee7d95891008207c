/* report_model.h: what a report shows of each trial, read back from a
 * results directory's summary.csv, so that a live run and `parlab report`
 * draw the same page from the same files. */
#ifndef PX_REPORT_MODEL_H
#define PX_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/csv.h"

/* A median with its interval. */
struct mci {
	double median, lo, hi;
};

/* One summary.csv row of a trial: a column's median and interval. */
struct rcol {
	char *name, *unit;
	struct mci v;
	double level;             /* the interval's coverage, 0..1; NAN */
};

struct rtrial {
	long index;
	char *strategy;
	char *label;
	unsigned workers;
	unsigned runs, failed;
	struct mci wall, speedup;
	double cv;
	bool noisy;
	unsigned outliers;
	struct mci p[3];          /* p50, p90, p99 of the first sampled metric */
	/* Per worker, the median over runs of its time waiting for and
	 * holding the GIL (gil-threads only; NULL otherwise). */
	double *gil_wait_ms, *gil_hold_ms;
	struct rcol *cols;        /* every column of summary.csv */
	size_t ncols;
	long row;                 /* its first row in runs, or -1 */
};

struct rmodel {
	char *experiment;
	char *sampled;            /* that metric's name, or NULL */
	struct rtrial *t;
	size_t n;
	struct csv runs;          /* trials.csv, one row per run (may be empty) */
};

/* Trial t's summary of column name, or NULL. */
const struct rcol *px__rmodel_col(const struct rtrial *t, const char *name);

/* The values of trials.csv column col for t's runs that succeeded, into
 * *out (caller frees); how many. */
size_t px__rmodel_runs(const struct rmodel *m, const struct rtrial *t,
                       int col, double **out);

/* Reads DIR/summary.csv, and the per-worker GIL columns of
 * DIR/trials.csv when there are any; 0, or a negative errno value after
 * printing why. */
int px__rmodel_load(const char *dir, struct rmodel *m);

void px__rmodel_free(struct rmodel *m);

#endif
