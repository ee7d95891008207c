/* broken_api_size.c: a strategy whose api table leaves struct_size 0, so
 * that the host would read none of its overrides: refused, not ignored. */
#include <parlab/plugin.h>

static void no_tick(px_worker *w) { (void)w; }
static int execute(px_run *run) { (void)run; return 0; }
static const struct px_api api = { .tick = no_tick };
static const struct px_strategy_ops ops = { .max_workers = 1,
                                            .execute = execute, .api = &api };

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY, .name = "api-size-zero", .strategy = &ops,
};

PX_PLUGIN(plugin)
