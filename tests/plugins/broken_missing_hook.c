/* broken_missing_hook.c: a workload without its required run_task. */
#include <parlab/plugin.h>

static int64_t setup(px_worker *w) { (void)w; return 1; }
static int verify(px_worker *w) { (void)w; return 0; }
static const struct px_workload_ops ops = { 8, setup, NULL, NULL, verify, NULL };

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD, .name = "hookless", .workload = &ops,
};

PX_PLUGIN(plugin)
