/* skeleton_workload.c: the template for a new workload. Copy this file,
 * rename it, and fill in the parts marked "Required"; build it as the
 * strategy skeleton says.
 *
 * A workload is a job split into tasks 0..n-1. Its code calls the host only
 * through w->api (and px_tick(w) at its safe points), so every strategy can
 * give those calls its own meaning: a GIL drops the lock around a blocking
 * call, an event loop parks the task, a process pool keeps memory private.
 *
 * This skeleton sums the squares of 0..n-1 and checks the closed form. */
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

struct skel_config {
	int64_t tasks;
};

static const struct px_param skel_params[] = {
	{ "tasks", PX_INT, offsetof(struct skel_config, tasks), "1000", 1, 1e6,
	  "how many tasks", NULL },
	PX_PARAM_END
};

/* Not required: metrics the workload records with api->metric_record. */
enum { SKEL_SQUARES };
static const struct px_metric skel_metrics[] = {
	{ "squares", "squares", PX_AGG_SUM, "squares computed" },
	PX_METRIC_END
};

struct skel_state {
	uint64_t sum;
};

/* Required: build the input, return the number of tasks. Memory that the
 * workers must see comes from api->shared_alloc (private per process in a
 * fork pool, really shared in threads and shm-pool). */
static int64_t skel_setup(px_worker *ctl)
{
	const struct skel_config *c = ctl->wl_config;

	ctl->wl_state = ctl->api->shared_alloc(ctl, sizeof(struct skel_state));
	return ctl->wl_state ? c->tasks : -ENOMEM;
}

/* Required: run one task and write its result (result_size bytes). */
static int skel_run_task(px_worker *w, uint64_t task, void *result)
{
	*(uint64_t *)result = task * task;
	px_tick(w);  /* a safe point: call it often in CPU-bound loops */
	w->api->metric_record(w, SKEL_SQUARES, 1);
	return 0;
}

/* Not required: combine the per-task results into the state. */
static void skel_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct skel_state *st = ctl->wl_state;
	const uint64_t *r = results;

	for (uint64_t i = 0; i < n; i++)
		st->sum += r[i];
}

/* Required: check the result against an independent computation. */
static int skel_verify(px_worker *ctl)
{
	const struct skel_config *c = ctl->wl_config;
	const struct skel_state *st = ctl->wl_state;
	uint64_t n = (uint64_t)c->tasks, want = (n - 1) * n * (2 * n - 1) / 6;

	if (st->sum == want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "sum %" PRIu64 ", expected %" PRIu64,
	              st->sum, want);
	return 1;
}

static const struct px_workload_ops skel_ops = {
	.result_size = sizeof(uint64_t),
	.setup = skel_setup,          /* Required */
	.run_task = skel_run_task,    /* Required */
	.combine = skel_combine,
	.verify = skel_verify,        /* Required */
};

static const struct px_plugin skel_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "skeleton",
	.summary = "template workload: copy plugins/skeleton_workload.c",
	.doc = "Sums the squares of the task ids. A starting point.",
	.params = skel_params,
	.config_size = sizeof(struct skel_config),
	.metrics = skel_metrics,
	.workload = &skel_ops,
};

PX_PLUGIN(skel_plugin)
