/* run.h: what the parts of `parlab run` share: the inputs (files, folders
 * or a directory to resume), one job per experiment, and the run of a
 * batch of jobs with one progress line. */
#ifndef PX_RUN_H
#define PX_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd/cli.h"
#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "output/results.h"
#include "plan/plan.h"

/* One experiment file to load. */
struct input {
	char *path;       /* the file to load */
	char *source;     /* the file as the user gave it */
	char *want;       /* resume: the one experiment of it to load */
	char *dir;        /* resume: its results directory */
	char *meta;       /* resume: that directory's meta.json */
};

struct inputs {
	struct input *v;
	size_t n;
	bool batch;       /* a batch: a folder, several files, or a resumed
	                     batch directory */
	char *batch_dir;  /* resume: the batch directory */
	char *only, *cpuset, *plugin_path, *calibration;  /* resume: the
	                     options recorded */
};

enum job_state { JOB_PENDING, JOB_RUNNING, JOB_INTERRUPTED, JOB_COMPLETE };

/* "pending", "running", "interrupted", "complete": as meta.json and
 * batch.json write them. */
const char *px__job_state_name(enum job_state s);

/* One experiment on its way from text to verdicts and result files. */
struct job {
	struct experiment *exp;
	struct plan plan;
	struct measurements meas;
	struct verdict_result *verdicts;
	const struct input *in;
	bool planned, bad;     /* bad: its file has errors (left out) */
	size_t selected;       /* trials --only leaves to run */
	struct results r;
	bool opened;           /* r holds its results directory */
	char *rel_dir;         /* its directory's name inside the batch */
	enum job_state state;
	char started[40];
	double wall_before;    /* wall seconds of earlier sessions */
	int64_t began_ns;      /* when this session started it */
	double wall_s;         /* its wall seconds as meta.json last
	                          recorded them (every session together) */
	char sha[65];          /* of the experiment file kept */
	double *est;           /* per trial: median wall s of its runs */
	int code;
	bool write_failed;     /* a result file could not be written */
	bool unwritable;       /* not even trials.csv: it did not run */
};

/* The whole of one `parlab run`. */
struct run_ctx {
	struct cli *c;
	struct job *jobs;
	size_t n;
	char *batch_dir;       /* NULL when not a batch */
	unsigned long total, done;   /* runs this session runs, and ran */
	int64_t began_ns;
	bool write_failed;     /* the overview could not be written whole */
	const char **left_out; /* files --keep-going left out (the overview
	                          names them) */
	size_t n_left_out;
};

/* Opens every job's results directory: fresh ones, or those --resume
 * names (refused, naming each change, unless --force). Returns an exit
 * code: PX_EXIT_USAGE when nothing can run. */
int px__jobs_open(struct run_ctx *x);

/* Creates the batch directory (DIR/batch-<time>, or --output-dir). */
int px__batch_open(struct run_ctx *x);

/* Judges j and, unless it was complete already, writes its results in
 * its new state; returns its exit code. */
int px__job_finish(struct run_ctx *x, struct job *j);

/* Expands c->files (a folder: every *.yaml under it, sorted) into in;
 * false after naming a path that is neither. */
bool px__inputs_expand(const struct cli *c, struct inputs *in);

/* Reads --resume DIR (a batch or an experiment directory) into in and
 * sets the options that shape the plan from its meta.json; false after
 * saying why. */
bool px__inputs_resume(struct cli *c, struct inputs *in);

void px__inputs_free(struct inputs *in);

/* Runs every job that has runs left, in order, with one progress line;
 * stops early when a stop signal came (exec/stop.h). */
void px__run_execute(struct run_ctx *x, struct job *j);

/* Runs this session will run for j: measured runs left and warm-ups. */
unsigned long px__run_left(const struct job *j);

/* Writes j's result files in its state; returns how many failed. */
unsigned px__job_write(struct run_ctx *x, struct job *j);

/* Writes the batch overview in the batch's state. */
void px__batch_overview(struct run_ctx *x, const char *state);

#endif
