/* trial_exec.h: one trial run in its own process, with a timeout, so that
 * a crashing or hanging plugin costs that run only. */
#ifndef PX_TRIAL_EXEC_H
#define PX_TRIAL_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/run_region.h"
#include "plan/plan.h"

/* One worker's share of a run. */
struct worker_outcome {
	int64_t tasks;
	double cpu_s;                    /* its thread's CPU time */
	double active_s;                 /* from its first task to its last */
	uint64_t cpus[PX_CPU_BITS / 64]; /* the CPUs it ran on */
};

struct run_outcome {
	enum run_status status;
	char message[1024];
	size_t ncols;          /* the plan's columns */
	double *values;        /* ncols values, NaN where not measured */
	int64_t started_ns;    /* CLOCK_REALTIME when the run started */
	unsigned workers;
	struct worker_outcome *w;   /* workers entries */
	double *per_worker;    /* workers x ncols: [w * ncols + c] is counter
	                          column c as worker w recorded it; NaN for
	                          other columns and counters it lacks */
};

/* Runs trial t once in a child process and waits at most timeout_ns for
 * it; a child that runs over is killed with its whole process group.
 * Every other process the run started dies with it too, even one that left
 * the group or the session: the run's process and the caller are child
 * subreapers (this call makes the calling process one, for good), and
 * each kills and reaps what is left below it when the run ends. A run that
 * left a process behind says so in its message ("left 1 process behind
 * (pid 1234, 'sleep'): killed") and is an error if it was ok. The caller
 * must not fork other children while this runs: they would be swept too.
 * Always fills out (the caller frees it with px__outcome_free); returns 0,
 * or a negative errno value when the child could not even be started, or
 * -EINTR when a stop was asked (exec/stop.h) during the run: the run was
 * killed and reaped, and measured nothing. */
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
