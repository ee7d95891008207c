/*
 * parlab/plugin.h: the whole interface between parlab and its plugins.
 *
 * A plugin is a shared object that exports one function, parlab_plugin(),
 * returning a descriptor (struct px_plugin) that starts with the ABI version
 * and the descriptor's size. The host refuses a plugin whose major version
 * differs from its own, or whose minor version is newer than its own; an
 * older minor is accepted, and the host reads only the fields that existed
 * in it (struct_size tells which).
 *
 * Plugins never link against the runner. Everything they may call comes in
 * function tables the host hands them:
 *   - struct px_api:  what a workload calls while it runs (tick, blocking
 *     calls, native sections, locks, atomics, shared memory, metrics, log).
 *     Each strategy gives these calls its own meaning; the host fills the
 *     entries a strategy leaves NULL with plain defaults.
 *   - struct px_host: what a strategy calls to drive workers and tasks.
 * New entries are only ever added at the end of a table, and a minor ABI
 * version is bumped when one is.
 *
 * Versions:
 *   1.0: the first.
 *   1.1: public limits (PX_MAX_METRICS, PX_MAX_RESULT, PX_MAX_PARAMS,
 *        PX_MAX_NAME); a `version` string at the end of struct px_plugin;
 *        px_host.plain, the host's plain blocking calls, for a strategy to
 *        wrap; the strategy's `api` table is checked like the descriptor
 *        (abi_minor and struct_size; 0 or too small is refused); parameter
 *        names must be unique and not reserved (PX_RESERVED_PARAMS); the
 *        rules for strategies below are written down and enforced where
 *        the host can. A 1.0 plugin still loads (its descriptor ends at
 *        `strategy`, it has no version).
 *
 * Rules for strategies (the host fails the run where it says "enforced"):
 *   - execute calls host->worker_begin once for every worker 0 .. workers-1,
 *     on the thread (or process) that runs it, and host->worker_end once
 *     after its last task, on the same thread; worker_end is called even
 *     when worker_begin failed. A worker that ran tasks without beginning,
 *     began again before ending, ended without beginning, never ended or
 *     ended on another thread fails the run (enforced). A worker that
 *     never began and ran nothing (a thread per task that reused another
 *     slot) leaves the run valid: a warning in the run's log.
 *   - A worker may begin and end again (a thread or process per task), as
 *     long as each worker_end follows its worker_begin on the same thread.
 *   - A worker's tasks may run on other threads than the one that called
 *     worker_begin (OpenMP, work stealing), and several at once
 *     (coroutines): run_task counts them atomically. Only the thread that
 *     called worker_begin is pinned and CPU-timed.
 *   - Workers may run fewer tasks than others, or none; every task runs
 *     exactly once (enforced: the run fails otherwise).
 *   - Every thread the strategy starts is joined by the time finish
 *     returns (by the end of execute if it has no finish): a thread still
 *     there fails the run (enforced, by counting /proc/self/task).
 *   - px_tick may be called inside a native section; a strategy's tick
 *     must then do nothing that needs its lock (gil-threads: the section
 *     holds no GIL, so the tick does not drop one). Blocking calls inside
 *     a native section are the workload's mistake and are not checked.
 *   - The run's stdout and stderr go to the run's log, not to parlab's
 *     output (docs/results.md); print freely.
 */
#ifndef PARLAB_PLUGIN_H
#define PARLAB_PLUGIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The breaker is a C11 atomic. C++ has no _Atomic: it sees the same
 * object (same size and alignment) as a plain uint32_t and reads it with
 * the GCC/Clang builtin that C11's atomics are made of. */
#ifdef __cplusplus
#define PX_BREAKER_T uint32_t
#define PX_BREAKER_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
extern "C" {
#else
#include <stdatomic.h>
#define PX_BREAKER_T _Atomic uint32_t
#define PX_BREAKER_LOAD(p) atomic_load_explicit((p), memory_order_relaxed)
#endif

#define PX_ABI_MAJOR 1
#define PX_ABI_MINOR 1

/* Limits the host enforces (1.1). */
#define PX_MAX_METRICS 32  /* metrics or counters one plugin declares */
#define PX_MAX_RESULT 256  /* bytes of result one task writes */
#define PX_MAX_PARAMS 64   /* rows of one parameter table */
#define PX_MAX_NAME 64     /* bytes of a plugin, parameter or metric name */

/* Parameter names a plugin may not declare: keys an experiment file and
 * its selectors use beside a plugin's params (1.1). */
#define PX_RESERVED_PARAMS                                                     \
	{ "workers", "name", "params", "label", "strategy", "workload", NULL }

/* The one symbol the host looks up in a plugin. */
#define PX_ENTRY_NAME "parlab_plugin"

#if defined(__GNUC__)
#define PX_EXPORT __attribute__((visibility("default")))
#else
#define PX_EXPORT
#endif

/* The entry symbol keeps C linkage in a C++ plugin too. */
#ifdef __cplusplus
#define PX_EXTERN_C extern "C"
#else
#define PX_EXTERN_C
#endif

/* Defines the entry symbol of a plugin that returns the descriptor DESC. */
#define PX_PLUGIN(desc)                                                        \
	PX_EXTERN_C PX_EXPORT const struct px_plugin *parlab_plugin(void);    \
	PX_EXTERN_C PX_EXPORT const struct px_plugin *parlab_plugin(void)     \
	{ return &(desc); }

typedef const struct px_plugin *(*px_entry_fn)(void);

/* ---------------------------------------------------------------------- */
/* Parameter tables                                                        */

enum px_type {
	PX_INT = 1,   /* int64_t; "20_000_000" */
	PX_DURATION,  /* int64_t nanoseconds; "5ms", "250us", "1.5s" */
	PX_SIZE,      /* int64_t bytes; "64KiB", "1MiB", "512B" */
	PX_BOOL,      /* int64_t 0 or 1; "true", "false" */
	PX_ENUM,      /* int64_t index into words; "unsafe" */
	PX_REAL,      /* double; "0.25" */
};

/*
 * One row per parameter. The host parses the value, checks its range,
 * applies the default and stores it at `offset` in the plugin's config
 * struct (int64_t for every type but PX_REAL, which is a double) before the
 * plugin sees anything. `parlab describe` prints this table.
 */
struct px_param {
	const char *name;
	enum px_type type;
	size_t offset;
	const char *def;          /* default, written as in an experiment file */
	double min, max;          /* inclusive bounds (not for BOOL and ENUM) */
	const char *help;
	const char *const *words; /* PX_ENUM: allowed words, NULL-terminated */
};
#define PX_PARAM_END { NULL, (enum px_type)0, 0, NULL, 0, 0, NULL, NULL }

/* How a metric's values from several workers and events combine. */
enum px_agg {
	PX_AGG_SUM = 1, /* add every value (counters) */
	PX_AGG_MAX,     /* the largest value */
	PX_AGG_MIN,     /* the smallest value */
	PX_AGG_LAST,    /* the value set last (for values computed once) */
	PX_AGG_SAMPLES, /* a distribution: p50, p90, p99, p999, mean, count */
};

/* A workload metric or a strategy counter, declared by the plugin. */
struct px_metric {
	const char *name; /* [a-z0-9_]+, used in expectations and CSV columns */
	const char *unit; /* "ns", "updates", "switches", ... */
	enum px_agg agg;
	const char *help;
};
#define PX_METRIC_END { NULL, NULL, (enum px_agg)0, NULL }

/* ---------------------------------------------------------------------- */
/* Workers and the workload-facing API                                     */

typedef struct px_worker px_worker;
typedef struct px_run px_run;
typedef struct px_lock px_lock; /* opaque, made by the strategy */

/* Worker index of the control context (setup, combine, verify). */
#define PX_CONTROL UINT32_MAX

enum px_log_level { PX_LOG_ERROR = 0, PX_LOG_WARN, PX_LOG_INFO, PX_LOG_DEBUG };

struct px_api {
	uint32_t abi_minor;
	uint32_t struct_size;

	/* Slow path of px_tick(): called when *w->breaker is non-zero. */
	void (*tick)(px_worker *w);

	/* Blocking calls. A GIL strategy releases its lock around them, an
	 * event loop parks the task. They return 0 (or a byte count) on
	 * success and a negative errno value on failure. */
	int (*sleep)(px_worker *w, int64_t ns);
	int (*wait_fd)(px_worker *w, int fd, short events, int64_t timeout_ns);
	ssize_t (*read)(px_worker *w, int fd, void *buf, size_t n);
	ssize_t (*write)(px_worker *w, int fd, const void *buf, size_t n);

	/* A stretch of pure C work that may run without the interpreter
	 * lock, like a thread-safe C library that releases the GIL. */
	void (*native_begin)(px_worker *w);
	void (*native_end)(px_worker *w);

	/* A lock of the strategy's kind (process-shared in shm-pool, GIL
	 * aware in gil-threads). lock_new is called from setup only. */
	px_lock *(*lock_new)(px_worker *w);
	void (*lock)(px_worker *w, px_lock *l);
	void (*unlock)(px_worker *w, px_lock *l);

	/* Atomically adds v to *p and returns the old value. */
	int64_t (*atomic_add)(px_worker *w, int64_t *p, int64_t v);

	/* Zeroed memory that all workers see if the strategy shares memory
	 * (threads, shm-pool) and that each worker owns a private copy of
	 * otherwise (fork-pool). Called from setup only; freed by the host. */
	void *(*shared_alloc)(px_worker *w, size_t size);

	/* Records a value of workload metric `id` (index in the descriptor's
	 * metric table): added, maxed, set or sampled as the metric says.
	 * Sampled values are kept in a histogram of non-negative integers. */
	void (*metric_record)(px_worker *w, unsigned id, double value);

	void (*log)(px_worker *w, int level, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 3, 4)))
#endif
		;

	/* Monotonic clock in nanoseconds. */
	int64_t (*now_ns)(px_worker *w);
};

/*
 * A worker's context, passed to every workload call. The host creates one
 * per worker plus one control context; the strategy points `breaker` at its
 * drop-request flag (or leaves the host's, which is always zero) and may
 * hang its own data on `strategy_data`.
 */
struct px_worker {
	const PX_BREAKER_T *breaker;
	const struct px_api *api;
	uint32_t index;         /* 0 .. workers-1, or PX_CONTROL */
	uint32_t workers;
	const void *wl_config;  /* the workload's config struct */
	void *wl_state;         /* what the workload's setup stored */
	void *strategy_data;
	void *host_data;        /* the host's; plugins leave it alone */
};

/* A safe point, like the boundary between two bytecodes. Costs one relaxed
 * atomic load unless the strategy has asked this worker to stop by. */
static inline void px_tick(px_worker *w)
{
	if (__builtin_expect(PX_BREAKER_LOAD(w->breaker), 0))
		w->api->tick(w);
}

/* ---------------------------------------------------------------------- */
/* Workloads                                                               */

struct px_workload_ops {
	/* Bytes of result each task writes (at most PX_MAX_RESULT). */
	size_t result_size;

	/* Required. Builds the input from ctl->wl_config, may store state in
	 * ctl->wl_state, and returns the number of tasks (> 0) or a negative
	 * errno value. Runs once per trial run, before any worker starts. */
	int64_t (*setup)(px_worker *ctl);

	/* Required. Runs task `task` on worker w and writes its result. May
	 * call any px_api function but lock_new and shared_alloc. Returns 0
	 * or a negative errno value (the run fails). */
	int (*run_task)(px_worker *w, uint64_t task, void *result);

	/* Optional. Combines the per-task results (an array of n results of
	 * result_size bytes) into the workload's state. */
	void (*combine)(px_worker *ctl, const void *results, uint64_t n);

	/* Required. Checks the combined result against a value computed
	 * independently; returns 0 when right, 1 when wrong (after logging
	 * why). May set metrics such as lost_updates. */
	int (*verify)(px_worker *ctl);

	/* Optional. Releases what setup made (shared allocations are the
	 * host's and need no freeing). */
	void (*teardown)(px_worker *ctl);
};

/* ---------------------------------------------------------------------- */
/* Strategies and the strategy-facing host table                           */

/*
 * One trial run as a strategy sees it. The host fills everything but
 * `state`, which is the strategy's.
 */
struct px_run {
	const struct px_host *host;
	const void *config;     /* the strategy's config struct */
	uint32_t workers;
	uint64_t tasks;         /* known once the workload's setup has run */
	void *state;            /* the strategy's, from prepare */
	void *host_data;
	size_t result_size;     /* bytes of one task's result (at least 1) */
};

struct px_host {
	uint32_t abi_minor;
	uint32_t struct_size;

	/* Worker i's context (0 .. workers-1), or the control context for
	 * PX_CONTROL. Valid from prepare to finish. */
	px_worker *(*worker)(px_run *run, uint32_t i);

	/* Called by worker w on the thread or process that runs it, before
	 * its first task: pins it by the pin plan and starts its clocks.
	 * Returns 0 or a negative errno value. */
	int (*worker_begin)(px_worker *w);
	/* Called by worker w after its last task, on the same thread. */
	void (*worker_end)(px_worker *w);

	/* Runs one task of the workload on worker w; returns what the
	 * workload's run_task returned. */
	int (*run_task)(px_worker *w, uint64_t task);

	/* Where task `task` keeps its result (for strategies that carry
	 * results between processes). */
	void *(*task_result)(px_run *run, uint64_t task);

	/* Records v for strategy counter `id` of worker w (index into the
	 * descriptor's counter table): added, maxed, mined or set as declared.
	 * Use PX_CONTROL's worker for values of the whole run. */
	void (*counter_add)(px_worker *w, unsigned id, double v);

	/* Records a failure message for this run (the run still fails only
	 * if execute returns non-zero). */
	void (*fail)(px_run *run, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 2, 3)))
#endif
		;

	void (*log)(px_run *run, int level, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 3, 4)))
#endif
		;

	int64_t (*now_ns)(void);

	/* 1.1: the host's plain workload-facing calls (blocking sleep,
	 * wait_fd, read and write that retry on EINTR; timeouts round up to
	 * the next millisecond). A strategy wraps these (release a lock,
	 * call, take it back) instead of copying them. Check struct_size
	 * before reading it when built against a later header. */
	const struct px_api *plain;
};

struct px_strategy_ops {
	/* Largest number of workers this strategy runs (1 for serial). */
	uint32_t max_workers;

	/* Optional. Called before the workload's setup: creates what the
	 * workload's host calls need (a lock, a shared region) and stores it
	 * in run->state. Returns 0 or a negative errno value. */
	int (*prepare)(px_run *run);

	/* Required. Runs every task 0 .. run->tasks-1 exactly once with
	 * run->workers workers, calling host->worker_begin, run_task and
	 * worker_end for each. Only this call is timed. Returns 0, or a
	 * negative errno value after host->fail() said why. */
	int (*execute)(px_run *run);

	/* Optional. Releases what prepare made. */
	void (*finish)(px_run *run);

	/* The workload-facing calls as this strategy means them; NULL
	 * entries (or a NULL table) take the host's plain defaults. A table
	 * must fill abi_minor and struct_size (sizeof(struct px_api)): one
	 * with struct_size 0 or smaller than ABI 1.0's is refused at load. */
	const struct px_api *api;
};

/* ---------------------------------------------------------------------- */
/* The descriptor                                                          */

enum px_kind { PX_KIND_STRATEGY = 1, PX_KIND_WORKLOAD = 2 };

struct px_plugin {
	uint16_t abi_major;
	uint16_t abi_minor;
	uint32_t struct_size;   /* sizeof(struct px_plugin) */
	enum px_kind kind;
	const char *name;       /* [a-z0-9-]+ */
	const char *summary;    /* one line */
	const char *doc;        /* paragraphs for `parlab describe` */
	const struct px_param *params;   /* ends with PX_PARAM_END; may be NULL */
	size_t config_size;     /* bytes of the config struct params fill */
	const struct px_metric *metrics; /* workload metrics or strategy
	                                    counters; ends with PX_METRIC_END */
	const struct px_workload_ops *workload; /* PX_KIND_WORKLOAD */
	const struct px_strategy_ops *strategy; /* PX_KIND_STRATEGY */
	/* 1.1: the plugin's own version ("1.2.0"), shown by describe; may be
	 * NULL. Read only when struct_size covers it. */
	const char *version;
};

/* Fills the version fields of a descriptor. */
#define PX_DESCRIPTOR_HEADER                                                   \
	.abi_major = PX_ABI_MAJOR, .abi_minor = PX_ABI_MINOR,                  \
	.struct_size = sizeof(struct px_plugin)

#ifdef __cplusplus
}
#endif
#endif /* PARLAB_PLUGIN_H */
