/* broken_abi.c: a descriptor from a future major ABI; must be refused. */
#include <parlab/plugin.h>

static int64_t setup(px_worker *w) { (void)w; return 1; }
static int run(px_worker *w, uint64_t t, void *r) { (void)w; (void)t; (void)r; return 0; }
static int verify(px_worker *w) { (void)w; return 0; }
static const struct px_workload_ops ops = { 8, setup, run, NULL, verify, NULL };

static const struct px_plugin plugin = {
	.abi_major = PX_ABI_MAJOR + 1, .abi_minor = 0,
	.struct_size = sizeof(struct px_plugin),
	.kind = PX_KIND_WORKLOAD, .name = "future", .workload = &ops,
};

PX_PLUGIN(plugin)
