/* runtime_internal.h: the state of one run inside its process, private
 * to exec/. runtime.c (the phases and the strategy-facing calls) owns it;
 * runtime_api.c (the workload-facing calls' plain meaning) and record.c
 * (recording counters and metrics) work on it. The calls go one way:
 * runtime.c uses runtime_api.c and record.c, runtime_api.c uses record.c. */
#ifndef PX_RUNTIME_INTERNAL_H
#define PX_RUNTIME_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>

#include "exec/runtime.h"

struct rt {
	px_run run;
	const struct plan *plan;
	const struct trial *t;
	const struct px_workload_ops *wl;
	struct run_head *head;
	double *values;
	struct wslot *slots;
	struct hist *hists;
	size_t n_sampled;
	int sampled[PX_MAX_METRICS];    /* metric id -> histogram, or -1 */
	px_worker *workers;             /* workers + 1, control last */
	struct px_api api;
	struct px_host host;
	char *results;
	size_t result_size;
	void **allocs;                  /* default shared_alloc, to free */
	size_t n_allocs, cap_allocs;
	pthread_mutex_t alloc_lock;
};

static inline struct rt *rt_of(px_worker *w)
{
	return w->host_data;
}

static inline struct wslot *slot_of(px_worker *w)
{
	struct rt *rt = rt_of(w);

	return &rt->slots[w->index == PX_CONTROL ? rt->t->workers : w->index];
}

/* Records the first failure of the run; later ones add nothing. */
void px__rt_vfail(struct rt *rt, const char *fmt, va_list ap);
void px__rt_fail(struct rt *rt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Folds v into *acc by the aggregation: adds, maxes, mins or sets (a NaN
 * in *acc, "not recorded", takes v for MAX and MIN). */
void px__agg_fold(double *acc, enum px_agg agg, double v);

/* Records value v of worker w: strategy counter `id` (counter set) or
 * workload metric `id`. Ids past the plugin's table are ignored. Samples
 * go into the worker's histogram, LAST values into the control slot so
 * that one value stands, the rest fold into the worker's slot. */
void px__rt_record(px_worker *w, bool counter, unsigned id, double v);

/* The rules of plugin.h a strategy can be caught breaking (contract.c).
 * Each records the run's failure and returns false when broken. */
bool px__rt_begin_ok(struct rt *rt, px_worker *w);
bool px__rt_end_ok(struct rt *rt, px_worker *w);
bool px__rt_workers_ok(struct rt *rt);

/* Threads of this process now, exiting ones not counted. */
int px__rt_count_threads(void);

/* Waits a little for threads over `before` to finish exiting; true when
 * none is left, else the failure is recorded. */
bool px__rt_threads_ok(struct rt *rt, int before);

/* The most verbose level log calls write (PX_LOG_INFO, or PX_LOG_DEBUG
 * under --verbose). */
extern int px__log_level;

/* The plain meaning of every workload-facing call. */
extern const struct px_api px__default_api;

#endif
