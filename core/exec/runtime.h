/* runtime.h: one trial run, executed inside its own process, and the
 * shared region through which it reports back. */
#ifndef PX_RUNTIME_H
#define PX_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"
#include "env/plugins.h"

/* Histogram buckets for PX_AGG_SAMPLES metrics: exact below 16, then 16
 * buckets per power of two (about 3% resolution) up to 2^63. */
#define PX_HIST_BUCKETS 960
/* CPUs whose use a worker records (bits). */
#define PX_CPU_BITS 1024

/* What one worker records; lives in memory shared with the parent, so
 * that worker processes of a pool report too. */
struct wslot {
	int64_t tasks;
	int64_t cpu_ns, active_ns;      /* thread CPU time, wall time */
	int64_t cpu_start, active_start;
	uint64_t cpus[PX_CPU_BITS / 64];
	double counters[PX_MAX_METRICS];
	double metrics[PX_MAX_METRICS];
};

struct hist {
	int64_t count, sum, max;
	int64_t bucket[PX_HIST_BUCKETS];
};

/* The head of the region a run reports through; the layout says where
 * the rest lies. */
struct run_head {
	int status;          /* enum run_status */
	char message[1024];
};

struct region_layout {
	size_t values_off;   /* double[ncols] */
	size_t slots_off;    /* struct wslot[workers + 1], control last */
	size_t hist_off;     /* struct hist[(workers + 1) * n_sampled] */
	size_t n_sampled;    /* workload metrics with PX_AGG_SAMPLES */
	size_t total;
};

void px__region_layout(const struct plan *plan, const struct trial *t,
                       struct region_layout *l);

/* Runs trial t once in the calling process (a child of the runner),
 * writing status, message and values into the region. Returns the exit
 * status the child should end with (0 also when the result was wrong: the
 * status field says so). */
int px__runtime_run(const struct plan *plan, const struct trial *t,
                    void *region, const struct region_layout *l);

/* The bucket of a sample value and the value a bucket stands for. */
size_t px__hist_bucket(int64_t v);
double px__hist_value(size_t bucket);

/* The q-quantile (0..1) of a histogram. */
double px__hist_quantile(const struct hist *h, double q);

#endif
