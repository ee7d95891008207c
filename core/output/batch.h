/* batch.h: the overview of a batch directory: batch.json, summary.md and
 * index.html, one row per experiment. */
#ifndef PX_BATCH_H
#define PX_BATCH_H

#include <stddef.h>

/* One experiment of a batch as the overview shows it. */
struct batch_row {
	const char *name, *description;
	const char *source;       /* the experiment file as given */
	const char *results_dir;  /* its results directory, relative to the
	                             batch directory */
	const char *state;        /* "pending", "running", "interrupted",
	                             "complete" */
	unsigned pass, fail, inconclusive, skipped;  /* verdicts */
	unsigned failed_runs;
	double wall_s;            /* NaN before it ran */
	unsigned long runs_planned, runs_done;
};

/* Writes dir/batch.json, dir/summary.md and dir/index.html (each whole or
 * not at all); `state` is the batch's. Returns how many could not be
 * written (each named on stderr). */
unsigned px__batch_write(const char *dir, const struct batch_row *rows,
                         size_t n, const char *state);

#endif
