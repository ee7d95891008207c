/* strategy_free_threads.c: N POSIX threads and no global lock, like
 * free-threaded CPython 3.13t. Workers claim chunks of task ids from one
 * shared atomic counter, so no worker sleeps while tasks remain. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <parlab/plugin.h>

struct ft_config {
	int64_t chunksize;
};

static const struct px_param ft_params[] = {
	{ "chunksize", PX_INT, offsetof(struct ft_config, chunksize), "1", 1,
	  1e9, "task ids a worker claims at a time from the shared counter",
	  NULL },
	PX_PARAM_END
};

enum { FT_CLAIMS };

static const struct px_metric ft_counters[] = {
	{ "claims", "claims", PX_AGG_SUM,
	  "times a worker took a chunk from the shared counter" },
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

static int ft_execute(px_run *run)
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
		rc = pthread_create(&tids[started], NULL, ft_worker, &args[started]);
		if (rc) {
			run->host->fail(run, "cannot create thread %u of %u: %s",
			                started + 1, run->workers, strerror(rc));
			/* Threads already running finish the tasks. */
			rc = -rc;
			break;
		}
	}
	for (uint32_t i = 0; i < started; i++) {
		pthread_join(tids[i], NULL);
		if (args[i].rc && !rc)
			rc = args[i].rc;
	}
	free(args);
	free(tids);
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
	       "tick does nothing; blocking calls just block.",
	.params = ft_params,
	.config_size = sizeof(struct ft_config),
	.metrics = ft_counters,
	.strategy = &ft_ops,
};

PX_PLUGIN(ft_plugin)
