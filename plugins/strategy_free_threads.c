/* strategy_free_threads.c: N POSIX threads and no global lock, like
 * free-threaded CPython 3.13t. Workers claim chunks of task ids from one
 * shared atomic counter, so no worker sleeps while tasks remain. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <parlab/plugin.h>

#include "support/threads.h"

struct ft_config {
	int64_t chunksize;
	int64_t spawn;
	int64_t stack_size;
};

static const char *const ft_spawn[] = { "pool", "per-task", NULL };
enum { SPAWN_POOL, SPAWN_PER_TASK };

static const struct px_param ft_params[] = {
	{ "chunksize", PX_INT, offsetof(struct ft_config, chunksize), "1", 1,
	  1e9, "task ids a worker claims at a time from the shared counter",
	  NULL },
	{ "spawn", PX_ENUM, offsetof(struct ft_config, spawn), "pool", 0, 0,
	  "pool: N threads take tasks until none are left; per-task: a new "
	  "thread for every task, created and joined, at most N alive",
	  ft_spawn },
	THREADS_STACK_PARAM(struct ft_config, stack_size),
	PX_PARAM_END
};

enum { FT_CLAIMS, FT_PEAK, FT_STACKS };

static const struct px_metric ft_counters[] = {
	[FT_CLAIMS] = { "claims", "claims", PX_AGG_SUM,
	                "times a worker took a chunk from the shared counter" },
	[FT_PEAK] = { "peak_threads", "threads", PX_AGG_MAX,
	              "most threads alive at once" },
	[FT_STACKS] = { "thread_stack_bytes", "B", PX_AGG_MAX,
	                "stack memory those threads reserved" },
	PX_METRIC_END
};

struct ft_state {
	px_run *run;
	_Atomic uint64_t next;   /* first unclaimed task id */
	uint64_t chunk;
};

struct ft_arg {
	struct ft_state *st;
	uint32_t index;
	int rc;
};

static void *ft_worker(void *p)
{
	struct ft_arg *a = p;
	struct ft_state *st = a->st;
	const struct px_host *h = st->run->host;
	px_worker *w = h->worker(st->run, a->index);
	uint64_t n = st->run->tasks, claims = 0;

	a->rc = h->worker_begin(w);
	while (a->rc == 0) {
		uint64_t first = atomic_fetch_add_explicit(&st->next, st->chunk,
		                                           memory_order_relaxed);
		uint64_t end = first + st->chunk < n ? first + st->chunk : n;
		if (first >= n)
			break;
		claims++;
		for (uint64_t t = first; t < end && a->rc == 0; t++)
			a->rc = h->run_task(w, t);
	}
	h->counter_add(w, FT_CLAIMS, (double)claims);
	h->worker_end(w);
	return NULL;
}

/* spawn: per-task: one thread runs one task as worker `slot`. */
static int ft_one_task(void *ctx, uint32_t slot, uint64_t task)
{
	px_run *run = ctx;
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, slot);
	int rc = h->worker_begin(w);

	if (rc == 0)
		rc = h->run_task(w, task);
	h->worker_end(w);
	return rc;
}

static int ft_pool(px_run *run, uint32_t *peak)
{
	const struct ft_config *cfg = run->config;
	struct ft_state st = { .run = run, .chunk = (uint64_t)cfg->chunksize };
	struct ft_arg *args = calloc(run->workers, sizeof(*args));
	pthread_t *tids = calloc(run->workers, sizeof(*tids));
	uint32_t started = 0;
	int rc = 0;

	if (!args || !tids) {
		free(args);
		free(tids);
		return -ENOMEM;
	}
	for (; started < run->workers; started++) {
		args[started] = (struct ft_arg){ &st, started, 0 };
		rc = threads_start(run, &tids[started], (size_t)cfg->stack_size,
		                   ft_worker, &args[started], started + 1,
		                   run->workers);
		/* Threads already running finish the tasks. */
		if (rc)
			break;
	}
	*peak = started;
	for (uint32_t i = 0; i < started; i++) {
		pthread_join(tids[i], NULL);
		if (args[i].rc && !rc)
			rc = args[i].rc;
	}
	free(args);
	free(tids);
	return rc;
}

static int ft_execute(px_run *run)
{
	const struct ft_config *cfg = run->config;
	px_worker *ctl = run->host->worker(run, PX_CONTROL);
	uint32_t peak = 0;
	int rc = cfg->spawn == SPAWN_POOL
	         ? ft_pool(run, &peak)
	         : threads_per_task(run, run->workers, (size_t)cfg->stack_size,
	                            ft_one_task, run, &peak);

	run->host->counter_add(ctl, FT_PEAK, peak);
	run->host->counter_add(ctl, FT_STACKS, (double)peak * (double)cfg->stack_size);
	return rc;
}

static const struct px_strategy_ops ft_ops = {
	.max_workers = 65536,
	.execute = ft_execute,
};

static const struct px_plugin ft_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "free-threads",
	.summary = "N POSIX threads, no global lock (like free-threaded CPython)",
	.doc = "Starts one POSIX thread per worker. Workers take `chunksize` task ids\n"
	       "at a time from a shared atomic counter until none are left, so the\n"
	       "cost per task at chunksize 1 is about one contended atomic add.\n"
	       "spawn: per-task creates and joins a thread for every task instead,\n"
	       "at most `workers` alive at once. tick does nothing; blocking calls\n"
	       "just block.",
	.params = ft_params,
	.config_size = sizeof(struct ft_config),
	.metrics = ft_counters,
	.strategy = &ft_ops,
};

PX_PLUGIN(ft_plugin)
