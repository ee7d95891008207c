/* broken_duplicate.c: a second strategy called "serial": a name clash
 * with the built-in one, unless --plugin-path names the folder of one. */
#include <parlab/plugin.h>

static int execute(px_run *run) { (void)run; return 0; }
static const struct px_strategy_ops ops = { .max_workers = 1, .execute = execute };

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY, .name = "serial", .strategy = &ops,
};

PX_PLUGIN(plugin)
