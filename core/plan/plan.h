/* plan.h: an experiment expanded into trials, and the columns each
 * measured run fills. */
#ifndef PX_PLAN_H
#define PX_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "env/topo.h"
#include "input/experiment.h"

/* Columns every run has, before the strategies' counters and the
 * workload's metrics. */
#define PX_BUILTIN_COLUMNS(X)                                                  \
	X(WALL, "wall_s", "s")                                                 \
	X(USER, "user_s", "s")                                                 \
	X(SYS, "sys_s", "s")                                                   \
	X(CPU, "cpu_s", "s")                                                   \
	X(CPU_PER_WALL, "cpu_per_wall", "ratio")                               \
	X(VCSW, "vol_ctxsw", "switches")                                       \
	X(IVCSW, "invol_ctxsw", "switches")                                    \
	X(RSS, "max_rss_kib", "KiB")                                           \
	X(TASKS, "tasks", "tasks")                                             \
	X(NS_PER_TASK, "ns_per_task", "ns")                                    \
	X(FDS_LEFT, "open_fds_left", "fds")                                    \
	X(STEAL, "steal_s", "s")

enum builtin_col {
#define X(id, name, unit) COL_##id,
	PX_BUILTIN_COLUMNS(X)
#undef X
	COL_BUILTIN_COUNT
};

/* The statistics a PX_AGG_SAMPLES metric turns into, as column suffixes. */
#define PX_SAMPLE_STATS(X)                                                     \
	X(P50, "p50") X(P90, "p90") X(P99, "p99") X(P999, "p999")              \
	X(MEAN, "mean") X(MAX, "max") X(COUNT, "count")

enum sample_stat {
#define X(id, suffix) SAMPLE_##id,
	PX_SAMPLE_STATS(X)
#undef X
	SAMPLE_STAT_COUNT
};

struct column {
	char *name;
	const char *unit;
	bool counter;    /* a strategy counter (not a LAST value): trials.csv
	                    lists it per worker too */
};

enum run_status { RUN_OK = 0, RUN_WRONG, RUN_ERROR, RUN_CRASH, RUN_TIMEOUT };

struct trial {
	size_t index;
	const struct plugin_use *use;   /* the strategy as the file gives it */
	const struct plugin *strategy, *workload;
	union pvalue *svals, *wvals;     /* every parameter, defaults too */
	void *sconfig, *wconfig;         /* the config structs they fill */
	unsigned workers;
	char *label;                     /* "gil-threads switch_interval=5ms" */
	size_t baseline;                 /* trial index, or SIZE_MAX */
	bool selected;                   /* runs (not filtered out by --only) */
	int *counter_col;                /* strategy counter i -> column */
	int *metric_col;                 /* workload metric i -> first column */
	struct pin_plan pins;
	/* What the runs measure lives beside the plan, in struct
	 * measurements (measure/trial_stats.h), indexed like the trials. */
};

struct plan {
	const struct experiment *exp;
	const struct topo *topo;
	struct trial *trials;
	size_t n;
	struct column *cols;
	size_t ncols;
	unsigned repetitions;
};

/* Expands e into trials, resolves baselines and plans pinning for each
 * trial's worker count. Returns 0, or -EINVAL after reporting to d (with
 * nothing left to free). */
int px__plan_build(struct plan *plan, const struct experiment *e,
                   const struct topo *topo, unsigned repetitions,
                   struct diag *d);

/* Marks the trials whose label or strategy name matches the fnmatch
 * pattern, plus their baselines; returns how many are selected. */
size_t px__plan_select(struct plan *plan, const char *pattern);

/* The column called `name`, or -1. */
int px__plan_column(const struct plan *plan, const char *name);

/* "k=v;k=v" of a trial's strategy or workload parameters, every one. */
char *px__trial_params_text(const struct trial *t, bool strategy);

void px__plan_free(struct plan *plan);

#endif
