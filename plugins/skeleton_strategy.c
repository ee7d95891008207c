/* skeleton_strategy.c: the template for a new strategy. Copy this file,
 * rename it, and fill in the parts marked "Required". Build it out of tree
 * against the installed SDK (docs/plugins.md says more), with CMake:
 *
 *   find_package(parlab REQUIRED)
 *   parlab_add_plugin(strategy-my-strategy my_strategy.c)
 *
 * or with pkg-config:
 *
 *   cc -std=c11 -O2 -fPIC -shared -fvisibility=hidden \
 *      $(pkg-config --cflags --libs parlab) -o strategy-my-strategy.so my_strategy.c
 *
 * then drop the .so into a directory named by --plugin-path or
 * PARLAB_PLUGIN_PATH. Nothing here links against parlab: everything comes
 * in through run->host (struct px_host) and the px_api table.
 *
 * This skeleton runs every task on worker 0 in order, like `serial`. */
#include <parlab/plugin.h>

/* Not required: the parameters, read by the host, stored into this struct
 * (int64_t for every type but PX_REAL, which is a double). */
struct skel_config {
	int64_t example;
};

static const struct px_param skel_params[] = {
	{ "example", PX_INT, offsetof(struct skel_config, example), "1", 1, 100,
	  "a parameter the host parses and range-checks for you", NULL },
	PX_PARAM_END
};

/* Not required: counters, recorded with run->host->counter_add(). */
enum { SKEL_RUNS };
static const struct px_metric skel_counters[] = {
	{ "skeleton_tasks", "tasks", PX_AGG_SUM, "tasks this strategy ran" },
	PX_METRIC_END
};

/* Not required: create what the workload's host calls need (a lock, a
 * shared region) before the workload's setup; keep it in run->state. */
static int skel_prepare(px_run *run)
{
	(void)run;
	return 0;
}

/* Required: run every task 0 .. run->tasks-1 exactly once. Each worker,
 * on its own thread or process, calls worker_begin (pins it), run_task
 * for each task it takes, and worker_end. Only this call is timed. */
static int skel_execute(px_run *run)
{
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, 0);
	int rc = h->worker_begin(w);

	for (uint64_t t = 0; rc == 0 && t < run->tasks; t++)
		rc = h->run_task(w, t);
	h->counter_add(w, SKEL_RUNS, (double)run->tasks);
	h->worker_end(w);
	return rc;
}

/* Not required: release what prepare made. */
static void skel_finish(px_run *run)
{
	(void)run;
}

/* Not required: the workload-facing calls as this strategy means them.
 * A NULL entry keeps the host's plain meaning (tick does nothing, sleep
 * sleeps, lock is a mutex, shared_alloc is calloc). A GIL would set tick,
 * sleep, wait_fd, read, write, native_begin/end and lock here. */
static const struct px_api skel_api = {
	.abi_minor = PX_ABI_MINOR,
	.struct_size = sizeof(struct px_api),
};

static const struct px_strategy_ops skel_ops = {
	.max_workers = 1,           /* Required: the most workers it runs */
	.prepare = skel_prepare,
	.execute = skel_execute,    /* Required */
	.finish = skel_finish,
	.api = &skel_api,
};

static const struct px_plugin skel_plugin = {
	PX_DESCRIPTOR_HEADER,       /* Required: ABI version and size */
	.kind = PX_KIND_STRATEGY,
	.name = "skeleton",         /* Required: [a-z0-9-]+, unique */
	.summary = "template strategy: copy plugins/skeleton_strategy.c",
	.doc = "Runs every task on one worker. A starting point, not a strategy.",
	.params = skel_params,
	.config_size = sizeof(struct skel_config),
	.metrics = skel_counters,
	.strategy = &skel_ops,
};

/* Required: the one exported symbol, parlab_plugin(). */
PX_PLUGIN(skel_plugin)
