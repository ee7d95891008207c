/* trial_exec.h: one trial run in its own process, with a timeout, so that
 * a crashing or hanging plugin costs that run only. */
#ifndef PX_TRIAL_EXEC_H
#define PX_TRIAL_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "plan/plan.h"

struct run_outcome {
	enum run_status status;
	char message[1024];
	size_t ncols;          /* the plan's columns */
	double *values;        /* ncols values, NaN where not measured */
	char *worker_tasks;    /* "500;500" */
	char *worker_cpu_s;    /* "0.412;0.409" */
	char *worker_cpus;     /* "0;1", a worker on several CPUs: "0+1" */
	char **per_worker;     /* for each counter column, "w0;w1;...", or
	                          NULL where the trial's strategy lacks it */
};

/* Runs trial t once in a child process and waits at most timeout_ns for
 * it; a child that runs over is killed with its whole process group.
 * Always fills out (the caller frees it with px__outcome_free); returns 0,
 * or a negative errno value when the child could not even be started. */
int px__exec_run(const struct plan *plan, const struct trial *t,
                 int64_t timeout_ns, struct run_outcome *out);

/* px__exec_run, with the run's stdout and stderr (its plugins' output)
 * going to the file log_path, created or truncated, and removed again
 * when the run wrote nothing; NULL: to a temporary file that is dropped.
 * A failed run's message ends with the last lines of that output. */
int px__exec_run_logged(const struct plan *plan, const struct trial *t,
                        int64_t timeout_ns, const char *log_path,
                        struct run_outcome *out);

/* Lets the runs' log calls write PX_LOG_DEBUG messages too (--verbose). */
void px__exec_set_verbose(bool on);

void px__outcome_free(struct run_outcome *o);

/* "ok", "wrong-result", "error", "crash", "timeout". */
const char *px__status_name(enum run_status s);

#endif
