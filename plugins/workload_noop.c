/* workload_noop.c: empty tasks, to measure what a strategy itself costs
 * per task (ns_per_task). Each task writes its own id; verify checks the
 * ids add up to 0 + 1 + ... + n-1, so a task run twice or never shows. */
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

struct noop_config {
	int64_t tasks;
};

static const struct px_param noop_params[] = {
	{ "tasks", PX_INT, offsetof(struct noop_config, tasks), "1_000_000", 1,
	  1e9, "how many empty tasks to run", NULL },
	PX_PARAM_END
};

struct noop_state {
	uint64_t sum;
};

static int64_t noop_setup(px_worker *ctl)
{
	const struct noop_config *c = ctl->wl_config;

	ctl->wl_state = ctl->api->shared_alloc(ctl, sizeof(struct noop_state));
	return ctl->wl_state ? c->tasks : -ENOMEM;
}

static int noop_run_task(px_worker *w, uint64_t task, void *result)
{
	(void)w;
	*(uint64_t *)result = task;
	return 0;
}

static void noop_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct noop_state *st = ctl->wl_state;
	const uint64_t *r = results;

	st->sum = 0;
	for (uint64_t i = 0; i < n; i++)
		st->sum += r[i];
}

static int noop_verify(px_worker *ctl)
{
	const struct noop_config *c = ctl->wl_config;
	const struct noop_state *st = ctl->wl_state;
	uint64_t n = (uint64_t)c->tasks, want = n * (n - 1) / 2;

	if (st->sum == want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "task ids add up to %" PRIu64
	              ", expected %" PRIu64, st->sum, want);
	return 1;
}

static const struct px_workload_ops noop_ops = {
	.result_size = sizeof(uint64_t),
	.setup = noop_setup,
	.run_task = noop_run_task,
	.combine = noop_combine,
	.verify = noop_verify,
};

static const struct px_plugin noop_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "noop",
	.summary = "empty tasks: what a strategy costs per task",
	.doc = "Runs `tasks` tasks that do nothing but write their id. Compare\n"
	       "ns_per_task across strategies to see each one's own overhead.",
	.params = noop_params,
	.config_size = sizeof(struct noop_config),
	.workload = &noop_ops,
};

PX_PLUGIN(noop_plugin)
