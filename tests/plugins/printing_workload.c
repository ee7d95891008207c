/* printing_workload.c: a workload that printf()s from its tasks, the
 * last line without a newline and never flushed, and logs at debug level;
 * with fail: true its verify fails, so that the run's message quotes the
 * output. Its text must land in the run's log, never in parlab's stdout. */
#include <stdio.h>

#include <parlab/plugin.h>

struct cfg {
	int64_t fail;
};

static const struct px_param params[] = {
	{ "fail", PX_BOOL, offsetof(struct cfg, fail), "false", 0, 0,
	  "make verify fail", NULL },
	PX_PARAM_END
};

static int64_t setup(px_worker *ctl) { (void)ctl; return 3; }

static int run_task(px_worker *w, uint64_t task, void *result)
{
	printf("{\"printed by task\": %d}\n", (int)task);
	if (task == 2)
		printf("unflushed tail of task 2");
	w->api->log(w, PX_LOG_DEBUG, "debug from task %d", (int)task);
	*(char *)result = 0;
	return 0;
}

static int verify(px_worker *ctl)
{
	const struct cfg *c = ctl->wl_config;

	return c->fail ? 1 : 0;
}

static const struct px_workload_ops ops = {
	.result_size = 1, .setup = setup, .run_task = run_task, .verify = verify,
};

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "printing",
	.summary = "test workload that prints from its tasks",
	.params = params,
	.config_size = sizeof(struct cfg),
	.workload = &ops,
	.version = "1.1.0-test",
};

PX_PLUGIN(plugin)
