/* strategy_shm_pool.c: N worker processes that share one memory region,
 * without MPI. The region is mapped MAP_SHARED before the fork; the
 * workload's shared allocations and the results live in it, task ids are
 * handed out by an atomic index in it, and locks are process-shared robust
 * mutexes, so a worker that dies holding one does not hang the others. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <parlab/plugin.h>

#include "support/parent.h"

struct shm_config {
	int64_t chunksize;
	int64_t region;
};

static const struct px_param shm_params[] = {
	{ "chunksize", PX_INT, offsetof(struct shm_config, chunksize), "0", 0,
	  1e9, "task ids a worker claims at a time from the shared index; 0 "
	  "picks ceil(tasks / (4 x workers)) as fork-pool does", NULL },
	{ "region", PX_SIZE, offsetof(struct shm_config, region), "1GiB",
	  1048576, 1099511627776.0, "size of the shared region (reserved, "
	  "not committed: pages cost memory only once touched)", NULL },
	PX_PARAM_END
};

enum { C_FORKS, C_CLAIMS, C_RECOVERED };

static const struct px_metric shm_counters[] = {
	[C_FORKS] = { "forks", "processes", PX_AGG_SUM, "worker processes forked" },
	[C_CLAIMS] = { "claims", "claims", PX_AGG_SUM,
	               "chunks taken from the shared index" },
	[C_RECOVERED] = { "recovered_locks", "locks", PX_AGG_SUM,
	                  "locks taken over from a worker that died holding them" },
	PX_METRIC_END
};

/* The head of the shared region; allocations follow it. */
struct shm_region {
	size_t size;
	_Atomic size_t used;
	_Atomic uint64_t next;   /* first unclaimed task id */
	uint64_t chunk;
	_Atomic uint64_t recovered;
};

static struct shm_region *region_of(px_worker *w)
{
	/* Every worker context of the run carries the run's region. */
	return *(struct shm_region **)w->strategy_data;
}

/* A bump allocator: the region is zeroed memory already, and everything
 * in it goes at once when the run ends. */
static void *shm_alloc(px_worker *w, size_t size)
{
	struct shm_region *r = region_of(w);
	size_t need = (size + 63) & ~(size_t)63;
	size_t at = atomic_fetch_add(&r->used, need);

	if (at + need > r->size) {
		w->api->log(w, PX_LOG_ERROR,
		            "shm-pool: region of %zu bytes is full; raise `region`",
		            r->size);
		return NULL;
	}
	return (char *)r + at;
}

static px_lock *shm_lock_new(px_worker *w)
{
	pthread_mutex_t *m = shm_alloc(w, sizeof(*m));
	pthread_mutexattr_t a;

	if (!m)
		return NULL;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return (px_lock *)m;
}

/* A lock whose holder died comes back as EOWNERDEAD: the data it guarded
 * may be half-updated, which is the workload's to judge; the lock itself
 * is made usable again rather than hanging everyone. */
static void shm_lock(px_worker *w, px_lock *l)
{
	pthread_mutex_t *m = (pthread_mutex_t *)l;

	if (pthread_mutex_lock(m) == EOWNERDEAD) {
		pthread_mutex_consistent(m);
		atomic_fetch_add(&region_of(w)->recovered, 1);
	}
}

static void shm_unlock(px_worker *w, px_lock *l)
{
	(void)w;
	pthread_mutex_unlock((pthread_mutex_t *)l);
}

static const struct px_api shm_api = {
	.abi_minor = PX_ABI_MINOR,
	.struct_size = sizeof(struct px_api),
	.lock_new = shm_lock_new,
	.lock = shm_lock,
	.unlock = shm_unlock,
	.shared_alloc = shm_alloc,
};

/* Maps the region and points every worker context at it, before the
 * workload's setup allocates anything. */
static int shm_prepare(px_run *run)
{
	const struct shm_config *cfg = run->config;
	struct shm_region *r = mmap(NULL, (size_t)cfg->region,
	                            PROT_READ | PROT_WRITE,
	                            MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
	                            -1, 0);
	struct shm_region **slot;

	if (r == MAP_FAILED)
		return -errno;
	r->size = (size_t)cfg->region;
	atomic_init(&r->used, (sizeof(*r) + sizeof(r) + 63) & ~(size_t)63);
	/* The region's address, where strategy_data of each worker points. */
	slot = (struct shm_region **)(r + 1);
	*slot = r;
	run->state = r;
	for (uint32_t i = 0; i < run->workers; i++)
		run->host->worker(run, i)->strategy_data = slot;
	run->host->worker(run, PX_CONTROL)->strategy_data = slot;
	return 0;
}

static void worker_main(px_run *run, uint32_t index)
{
	struct shm_region *r = run->state;
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, index);
	uint64_t n = run->tasks, claims = 0;
	int rc;

	rc = h->worker_begin(w);
	while (rc == 0) {
		uint64_t first = atomic_fetch_add_explicit(&r->next, r->chunk,
		                                           memory_order_relaxed);
		uint64_t end = first + r->chunk < n ? first + r->chunk : n;
		if (first >= n)
			break;
		claims++;
		for (uint64_t t = first; t < end && rc == 0; t++)
			rc = h->run_task(w, t);
	}
	h->counter_add(w, C_CLAIMS, (double)claims);
	h->worker_end(w);
	_exit(rc ? 4 : 0);
}

static int shm_execute(px_run *run)
{
	const struct shm_config *cfg = run->config;
	struct shm_region *r = run->state;
	pid_t *pids = calloc(run->workers, sizeof(*pids));
	pid_t parent = getpid();
	uint32_t started = 0;
	int rc = 0;

	if (!pids)
		return -ENOMEM;
	r->chunk = cfg->chunksize ? (uint64_t)cfg->chunksize
	                          : (run->tasks + 4 * (uint64_t)run->workers - 1) /
	                                    (4 * (uint64_t)run->workers);
	if (r->chunk == 0)
		r->chunk = 1;
	fflush(NULL);
	for (; started < run->workers; started++) {
		pids[started] = fork();
		if (pids[started] < 0) {
			rc = -errno;
			run->host->fail(run, "shm-pool: cannot fork worker %u: %s",
			                started, strerror(errno));
			break;
		}
		if (pids[started] == 0) {
			die_with_parent(parent);
			worker_main(run, started);
		}
	}
	/* Every worker is waited for: the others finish the tasks of one that
	 * died, and none is left behind. */
	for (uint32_t i = 0; i < started; i++) {
		int status;
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status)) {
			run->host->fail(run, "shm-pool: worker %u (pid %d) died: signal %d (%s)",
			                i, (int)pids[i], WTERMSIG(status),
			                strsignal(WTERMSIG(status)));
			rc = rc ? rc : -EIO;
		} else if (WEXITSTATUS(status) != 0) {
			run->host->fail(run, "shm-pool: worker %u (pid %d) exited with status %d",
			                i, (int)pids[i], WEXITSTATUS(status));
			rc = rc ? rc : -EIO;
		}
	}
	free(pids);
	run->host->counter_add(run->host->worker(run, PX_CONTROL), C_FORKS,
	                       (double)started);
	run->host->counter_add(run->host->worker(run, PX_CONTROL), C_RECOVERED,
	                       (double)atomic_load(&r->recovered));
	return rc;
}

static void shm_finish(px_run *run)
{
	struct shm_region *r = run->state;

	if (r)
		munmap(r, r->size);
	run->state = NULL;
}

static const struct px_strategy_ops shm_ops = {
	.max_workers = 4096,
	.prepare = shm_prepare,
	.execute = shm_execute,
	.finish = shm_finish,
	.api = &shm_api,
};

static const struct px_plugin shm_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "shm-pool",
	.summary = "N worker processes sharing one memory region (no MPI)",
	.doc = "Maps one shared region before forking `workers` processes. The\n"
	       "workload's shared allocations and the results live in it; workers\n"
	       "claim `chunksize` task ids at a time from an atomic index in it; locks\n"
	       "are process-shared robust mutexes (a lock whose holder died is taken\n"
	       "over, counted in recovered_locks). A counter the workers increment is\n"
	       "the parent's counter: it is shared, races and all.",
	.params = shm_params,
	.config_size = sizeof(struct shm_config),
	.metrics = shm_counters,
	.strategy = &shm_ops,
};

PX_PLUGIN(shm_plugin)
