/* workload_io_sleep.c: each task blocks for a set time through the host's
 * sleep, like time.sleep(): IO-bound work with nothing to compute. Under a
 * GIL the lock is released while a task sleeps, so threads overlap. */
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

struct sleep_config {
	int64_t tasks;
	int64_t sleep;
};

static const struct px_param sleep_params[] = {
	{ "tasks", PX_INT, offsetof(struct sleep_config, tasks), "32", 1, 1e6,
	  "how many tasks", NULL },
	{ "sleep", PX_DURATION, offsetof(struct sleep_config, sleep), "50ms", 0,
	  60e9, "how long each task blocks", NULL },
	PX_PARAM_END
};

enum { M_OVERSLEEP, M_CONCURRENT };

static const struct px_metric sleep_metrics[] = {
	[M_OVERSLEEP] = { "oversleep", "ns", PX_AGG_SAMPLES,
	                  "how much longer than asked each sleep took, GIL "
	                  "reacquisition included" },
	[M_CONCURRENT] = { "max_sleeping", "tasks", PX_AGG_MAX,
	                   "most tasks asleep at the same moment" },
	PX_METRIC_END
};

struct sleep_state {
	int64_t sleeping;   /* tasks asleep now, through api->atomic_add */
	uint64_t short_sleeps;
};

static int64_t sleep_setup(px_worker *ctl)
{
	const struct sleep_config *c = ctl->wl_config;

	ctl->wl_state = ctl->api->shared_alloc(ctl, sizeof(struct sleep_state));
	return ctl->wl_state ? c->tasks : -ENOMEM;
}

static int sleep_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct sleep_config *c = w->wl_config;
	struct sleep_state *st = w->wl_state;
	int64_t t0 = w->api->now_ns(w), slept;
	int64_t now_asleep = w->api->atomic_add(w, &st->sleeping, 1) + 1;
	int rc;

	(void)task;
	w->api->metric_record(w, M_CONCURRENT, (double)now_asleep);
	rc = w->api->sleep(w, c->sleep);
	w->api->atomic_add(w, &st->sleeping, -1);
	slept = w->api->now_ns(w) - t0;
	w->api->metric_record(w, M_OVERSLEEP, (double)(slept - c->sleep));
	*(int64_t *)result = slept;
	return rc;
}

static void sleep_combine(px_worker *ctl, const void *results, uint64_t n)
{
	const struct sleep_config *c = ctl->wl_config;
	struct sleep_state *st = ctl->wl_state;
	const int64_t *slept = results;

	st->short_sleeps = 0;
	for (uint64_t i = 0; i < n; i++)
		st->short_sleeps += slept[i] < c->sleep;
}

/* Every task must have slept at least as long as it asked. */
static int sleep_verify(px_worker *ctl)
{
	const struct sleep_state *st = ctl->wl_state;

	if (st->short_sleeps == 0)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "%" PRIu64 " tasks slept too little",
	              st->short_sleeps);
	return 1;
}

static const struct px_workload_ops sleep_ops = {
	.result_size = sizeof(int64_t),
	.setup = sleep_setup,
	.run_task = sleep_run_task,
	.combine = sleep_combine,
	.verify = sleep_verify,
};

static const struct px_plugin sleep_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "io-sleep",
	.summary = "each task blocks for a set time (time.sleep)",
	.doc = "Each of `tasks` tasks sleeps `sleep` through the host's blocking\n"
	       "sleep. Serial takes tasks x sleep; N threads under a GIL take about\n"
	       "1/N of that, since the lock is released while a task sleeps.\n"
	       "max_sleeping shows how many tasks overlapped.",
	.params = sleep_params,
	.config_size = sizeof(struct sleep_config),
	.metrics = sleep_metrics,
	.workload = &sleep_ops,
};

PX_PLUGIN(sleep_plugin)
