/* results.h: the results directory of one experiment run. */
#ifndef PX_RESULTS_H
#define PX_RESULTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "env/machine.h"
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
	bool topology_written;
	bool meta_named;     /* a write of meta.json failed and was named */
	struct param_cols params;  /* parameter columns (union) */
	struct machine machine;    /* conditions, read as the run starts */
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

/* The names of r's row files, neither of them open yet. */
void px__rows_init(struct results *r);

/* Creates trials.csv and workers.csv with their headers (open(2) flags
 * added: O_EXCL, or O_TRUNC); false when trials.csv could not be made
 * (named on stderr). */
bool px__rows_open(struct results *r, const struct plan *plan, int flags);

/* Creates r->dir/f->name (flags as above) and writes its header, head;
 * false after naming the failure. */
bool px__rows_start(struct results *r, struct rowfile *f, const char *head,
                    size_t len, int flags);

/* workers.csv's header row. */
extern const char px__workers_header[];

/* Appends one measured run's workers' values to workers.csv, then the
 * run to trials.csv, and syncs them, so that what was measured survives
 * whatever happens next; a run is recorded once its trials.csv row is. */
void px__results_add_run(struct results *r, const struct plan *plan,
                         const struct trial *t, unsigned repetition,
                         const struct run_outcome *o);

/* summary.csv and summary.json: per trial the statistics of every column,
 * with speedup and efficiency. */
void px__results_summary(struct results *r, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *verdicts);

/* What meta.json records beyond the machine: the run's state, and what
 * `run --resume` needs to rebuild the same plan and to compare. */
struct run_record {
	const char *state;          /* "running", "interrupted", "complete" */
	const char *started, *ended;  /* ended: NULL (null) while running */
	double wall_s;              /* wall seconds, every session together */
	int argc;                   /* the command line */
	char **argv;
	const char *source;         /* the experiment file as first given */
	const char *source_sha256;  /* of the copy, experiment.yaml */
	const char *only, *cpuset, *plugin_path, *calibration;  /* options
	                               shaping the plan */
	unsigned repetitions, max_trials;
};

/* meta.json (host, CPU, kernel, compiler, version, command line, times,
 * state, identities of the experiment, parlab and plugins) and, once,
 * topology.xml. Written when the run starts and again when it ends. */
void px__results_meta(struct results *r, const struct plan *plan,
                      const struct measurements *m,
                      const struct run_record *rec);

/* trials.csv's header row for plan (the caller frees; *len its length). */
char *px__results_header(const struct results *r, const struct plan *plan,
                         size_t *len);

/* Reopens trials.csv and workers.csv of an interrupted run in dir for
 * `run --resume`: cuts off a partial last row of each (a power cut),
 * checks both headers against plan, reads every row of trials.csv into m
 * (which must be fresh), drops the rows of workers.csv of a run that
 * trials.csv does not record (cut short between the two), and appends
 * after them. Returns 0, or -EINVAL after printing what does not match. */
int px__results_resume(struct results *r, const struct plan *plan,
                       const char *dir, struct measurements *m);

/* Keeps the experiment file `src` as dir/experiment.yaml and puts the
 * sha256 of what was kept in hex. Returns 0 or a negative errno value
 * (named on stderr). */
int px__results_keep_source(struct results *r, const char *src,
                            char hex[65]);

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
