/* run_region.h: the memory a trial's process reports through, shared with
 * the runner that forked it. The child (runtime.c) writes it; the parent
 * (trial_exec.c) maps it before the fork and reads it after the child
 * ends. Both sides take its layout from here only. */
#ifndef PX_RUN_REGION_H
#define PX_RUN_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "env/plugins.h"
#include "measure/hist.h"
#include "plan/plan.h"

/* CPUs whose use a worker records (bits). */
#define PX_CPU_BITS 1024

/* The head of the region: how the run ended and why. */
struct run_head {
	int status;          /* enum run_status */
	char message[1024];
};

/* What one worker records; lives in the region, so that worker processes
 * of a pool report too. */
struct wslot {
	int64_t tasks;
	int32_t begun;                  /* worker_begin calls */
	int32_t open;                   /* 1 between worker_begin and _end */
	int32_t tid;                    /* the thread that began */
	int64_t cpu_ns, active_ns;      /* thread CPU time, wall time */
	int64_t cpu_start, active_start;
	uint64_t cpus[PX_CPU_BITS / 64];
	double counters[PX_MAX_METRICS];
	double metrics[PX_MAX_METRICS];
};

/* Where each part lies, as byte offsets from the region's start. */
struct region_layout {
	size_t values_off;   /* double[ncols] */
	size_t slots_off;    /* struct wslot[workers + 1], control last */
	size_t hist_off;     /* struct hist[(workers + 1) * n_sampled] */
	size_t n_sampled;    /* workload metrics with PX_AGG_SAMPLES */
	size_t total;
};

/* The layout of trial t's region. */
void px__region_layout(const struct plan *plan, const struct trial *t,
                       struct region_layout *l);

#endif
