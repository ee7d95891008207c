/* trial_stats.h: what each trial's runs measured, kept beside the plan
 * (the plan stays what was planned), and the one place the statistics of
 * a trial come from: summary, median, speedup, outliers. Verdicts, the
 * results files, the exports and the printed table all use these. */
#ifndef PX_TRIAL_STATS_H
#define PX_TRIAL_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/stats.h"
#include "plan/plan.h"

/* The measured runs of one trial. */
struct trial_runs {
	double *values;      /* n_done x ncols; a failed run's row is NaN */
	unsigned n_done, n_failed;
	char *failure;       /* the first failure's message, or NULL */
};

/* The runs of every trial of a plan, indexed like plan->trials. */
struct measurements {
	struct trial_runs *runs;
	size_t n;            /* trials */
	size_t ncols;        /* the plan's columns */
	unsigned repetitions;
	unsigned long runs_planned;  /* measured runs the plan's selected
	                                trials ask for */
	bool interrupted;    /* a signal stopped the runs before the last */
	unsigned long runs_done_at_start;  /* read back by `run --resume` */
};

/* Makes room for plan's trials, none run yet. */
void px__measurements_init(struct measurements *m, const struct plan *plan);

/* Adds one measured run of trial i: its ncols values, or, when `failure`
 * is not NULL, a failed run (NaN in the statistics) whose message is kept
 * when it is the trial's first. */
void px__measurements_add(struct measurements *m, size_t i,
                          const double *values, const char *failure);

void px__measurements_free(struct measurements *m);

/* The measured runs recorded so far, over every trial. */
unsigned long px__measurements_done(const struct measurements *m);

/* Summarises column `col` over trial i's measured runs (failed runs are
 * NaN there and left out). */
void px__trial_summary(const struct measurements *m, size_t i, size_t col,
                       struct summary *s);

/* The median of column `col` over trial i's successful runs, NaN when it
 * has none. */
double px__trial_median(const struct measurements *m, size_t i, size_t col);

/* A trial's speedup over its baseline with the speedup's interval. */
struct speedup {
	double v;        /* baseline median wall / the trial's median wall */
	double lo, hi;   /* over the trial's interval of the median */
};

/* Speedup of trial i: NaN throughout when it has no baseline or was not
 * selected; an interval of the trial's time that reaches 0 leaves the
 * speedup unbounded (-inf .. inf). */
void px__trial_speedup(const struct plan *plan, const struct measurements *m,
                       size_t i, struct speedup *sp);

/* Flags in is_outlier[r] (r < runs[i].n_done) the runs of trial i whose
 * value of column `col` is an outlier; returns how many (px__outliers). */
size_t px__trial_outliers(const struct measurements *m, size_t i, size_t col,
                          bool *is_outlier);

#endif
