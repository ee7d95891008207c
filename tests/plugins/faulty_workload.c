/* faulty_workload.c: a workload that misbehaves on purpose, so the tests
 * can check that a crash, a hang, an exit or a wrong result costs one
 * trial run and nothing more. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <parlab/plugin.h>

struct faulty_config {
	int64_t mode;
	int64_t tasks;
};

static const char *const faulty_modes[] = { "ok", "segv", "abort", "exit",
                                            "hang", "wrong", "fail", NULL };
enum { MODE_OK, MODE_SEGV, MODE_ABORT, MODE_EXIT, MODE_HANG, MODE_WRONG,
       MODE_FAIL };

static const struct px_param faulty_params[] = {
	{ "mode", PX_ENUM, offsetof(struct faulty_config, mode), "ok", 0, 0,
	  "how the last task misbehaves", faulty_modes },
	{ "tasks", PX_INT, offsetof(struct faulty_config, tasks), "4", 1, 1000,
	  "how many tasks", NULL },
	PX_PARAM_END
};

static const struct px_metric faulty_metrics[] = {
	{ "latency", "ns", PX_AGG_SAMPLES, "a made-up latency: 1000 x (task+1)" },
	{ "biggest", "ns", PX_AGG_MAX, "the largest task id" },
	PX_METRIC_END
};

static int64_t faulty_setup(px_worker *ctl)
{
	const struct faulty_config *c = ctl->wl_config;

	return c->tasks;
}

static int faulty_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct faulty_config *c = w->wl_config;

	*(uint64_t *)result = task;
	w->api->metric_record(w, 0, 1000.0 * (double)(task + 1));
	w->api->metric_record(w, 1, (double)task);
	if (task + 1 != (uint64_t)c->tasks)
		return 0;
	switch (c->mode) {
	case MODE_SEGV:
		raise(SIGSEGV);
		break;
	case MODE_ABORT:
		abort();
	case MODE_EXIT:
		_exit(7);
	case MODE_HANG:
		for (;;)
			pause();
	case MODE_FAIL:
		return -5; /* -EIO */
	}
	return 0;
}

static int faulty_verify(px_worker *ctl)
{
	const struct faulty_config *c = ctl->wl_config;

	return c->mode == MODE_WRONG;
}

static const struct px_workload_ops faulty_ops = {
	.result_size = sizeof(uint64_t),
	.setup = faulty_setup,
	.run_task = faulty_run_task,
	.verify = faulty_verify,
};

static const struct px_plugin faulty_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "faulty",
	.summary = "test workload that crashes, hangs or lies on request",
	.params = faulty_params,
	.config_size = sizeof(struct faulty_config),
	.metrics = faulty_metrics,
	.workload = &faulty_ops,
};

PX_PLUGIN(faulty_plugin)
