/* results.h: the results directory of one experiment run. */
#ifndef PX_RESULTS_H
#define PX_RESULTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "exec/trial_exec.h"
#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "output/param_cols.h"
#include "plan/plan.h"

/* A CSV file appended to a whole row at a time, synced as each run ends. */
struct rowfile {
	const char *name;    /* "trials.csv" */
	int fd;              /* -1 once a row could not be written */
	off_t end;           /* where its last whole row ends */
	size_t rows;         /* the data rows it holds */
};

struct results {
	char *dir;
	struct rowfile trials;   /* one row per measured run */
	struct rowfile workers;  /* one row per run, worker and metric */
	unsigned failed;     /* result files that could not be written */
	bool summary_csv;    /* summary.csv was written (the report needs it) */
	struct param_cols params;  /* parameter columns (union) */
};

/* What px__results_open did. */
enum {
	PX_RESULTS_OK,
	PX_RESULTS_NO_DIR,      /* no directory could be made: nothing written */
	PX_RESULTS_NO_TRIALS,   /* the directory is there, trials.csv is not */
};

/* Creates <base>/<experiment>-<timestamp>/ (with -2, -3... if it exists;
 * an older run is never overwritten) and writes trials.csv's header.
 * When `exact` is set, base itself is the directory and must not exist.
 * Returns a PX_RESULTS_ value after printing why it is not OK.
 *
 * Every file is written whole or not at all: trials.csv a whole row at a
 * time, synced as each run ends; the others under a temporary name,
 * renamed into place when whole (base/afile.h). Each file that cannot be
 * written is named once on stderr with its cause and counted in
 * r->failed; the others are still written. */
int px__results_open(struct results *r, const struct plan *plan,
                     const char *base, bool exact);

/* Creates trials.csv and workers.csv with their headers; false when
 * trials.csv could not be made (named on stderr). */
bool px__rows_open(struct results *r, const struct plan *plan);

/* Appends one measured run to trials.csv, and its workers' values to
 * workers.csv, and syncs them, so that what was measured survives
 * whatever happens next. */
void px__results_add_run(struct results *r, const struct plan *plan,
                         const struct trial *t, unsigned repetition,
                         const struct run_outcome *o);

/* summary.csv and summary.json: per trial the statistics of every column,
 * with speedup and efficiency. */
void px__results_summary(struct results *r, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *verdicts);

/* meta.json (host, CPU, kernel, compiler, version, command line, times)
 * and topology.xml. */
void px__results_meta(struct results *r, const struct plan *plan, int argc,
                      char **argv, const char *started, const char *ended);

/* `verdicts`: each expectation with its measured values and outcome. */
void px__results_verdicts(struct results *r, const struct plan *plan,
                          const struct verdict_result *v);

/* summary.md (Markdown) and gbench.json (Google Benchmark's format). */
void px__results_exports(struct results *r, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *v, const char *date);

void px__results_close(struct results *r);

/* Writes the JSON summary of a run (the document `--json` prints). */
void px__write_summary_json(FILE *f, const struct plan *plan,
                            const struct measurements *m,
                            const struct verdict_result *verdicts);

#endif
