/* broken_params.c: a strategy whose parameter table is refused, one build
 * per fault: BROKEN_DUP declares `chunk` twice, BROKEN_RESERVED declares a
 * parameter named `workers`, which experiment files use beside params. */
#include <parlab/plugin.h>

struct cfg {
	int64_t a, b;
};

static int execute(px_run *run) { (void)run; return 0; }
static const struct px_strategy_ops ops = { .max_workers = 1, .execute = execute };

static const struct px_param params[] = {
	{ "chunk", PX_INT, offsetof(struct cfg, a), "1", 1, 10, "", NULL },
#ifdef BROKEN_DUP
	{ "chunk", PX_INT, offsetof(struct cfg, b), "1", 1, 10, "", NULL },
#else
	{ "workers", PX_INT, offsetof(struct cfg, b), "1", 1, 10, "", NULL },
#endif
	PX_PARAM_END
};

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
#ifdef BROKEN_DUP
	.name = "dup-param",
#else
	.name = "reserved-param",
#endif
	.params = params,
	.config_size = sizeof(struct cfg),
	.strategy = &ops,
};

PX_PLUGIN(plugin)
