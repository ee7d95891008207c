/* older_minor.c: a plugin built against ABI 1.0 whose descriptor ends
 * where 1.0's did; it must keep loading in every later 1.x. */
#include <parlab/plugin.h>

static int execute(px_run *run)
{
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, 0);
	int rc = h->worker_begin(w);

	for (uint64_t t = 0; rc == 0 && t < run->tasks; t++)
		rc = h->run_task(w, t);
	h->worker_end(w);
	return rc;
}

static const struct px_strategy_ops ops = { .max_workers = 1, .execute = execute };

static const struct px_plugin plugin = {
	.abi_major = 1, .abi_minor = 0,
	.struct_size = offsetof(struct px_plugin, strategy) + sizeof(void *),
	.kind = PX_KIND_STRATEGY, .name = "old-serial", .strategy = &ops,
};

PX_PLUGIN(plugin)
