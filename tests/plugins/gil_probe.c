/* gil_probe.c: counts how many workers are inside workload code at once.
 * Between two ticks a thread under a GIL holds the lock, so `max_inside`
 * must stay 1; with native: true the same stretch runs in a native section
 * and may overlap; free threads overlap whenever they can.
 *
 * meet: true makes the first step of tasks 0 .. workers-1 wait inside
 * (spinning, without a tick) until that many workers are inside, or
 * until four minutes have passed. A test that asserts overlap then sees
 * it surely instead of by luck; where a lock keeps workers out, the wait
 * ends at the deadline and max_inside stays 1. */
#include <sched.h>

#include <parlab/plugin.h>

struct probe_config {
	int64_t tasks;
	int64_t steps;
	int64_t native;
	int64_t meet;
};

static const struct px_param probe_params[] = {
	{ "tasks", PX_INT, offsetof(struct probe_config, tasks), "4", 1, 1e6,
	  "how many tasks", NULL },
	{ "steps", PX_INT, offsetof(struct probe_config, steps), "100_000", 1,
	  1e10, "steps per task, a tick after each", NULL },
	{ "native", PX_BOOL, offsetof(struct probe_config, native), "false", 0,
	  0, "run each step inside a native section", NULL },
	{ "meet", PX_BOOL, offsetof(struct probe_config, meet), "false", 0, 0,
	  "the first step of the first `workers` tasks waits inside until "
	  "that many workers are inside", NULL },
	PX_PARAM_END
};

static const struct px_metric probe_metrics[] = {
	{ "max_inside", "workers", PX_AGG_MAX,
	  "most workers seen between two ticks at once" },
	PX_METRIC_END
};

struct probe_state {
	int64_t inside;
	int64_t met;        /* tasks that reached the meeting point */
};

static int64_t probe_setup(px_worker *ctl)
{
	const struct probe_config *c = ctl->wl_config;

	ctl->wl_state = ctl->api->shared_alloc(ctl, sizeof(struct probe_state));
	return c->tasks;
}

/* Called inside: spins until `want` tasks reached this point or four
 * minutes have passed. A task stays inside until it has seen all arrive,
 * so one of them reads `inside` while every one is in (a count of the
 * arrivals, not of `inside` itself, which a fast task could leave before
 * a slow one looks). */
static void meet_inside(px_worker *w, struct probe_state *st, int64_t want)
{
	int64_t deadline = w->api->now_ns(w) + 240 * 1000000000LL;

	__atomic_add_fetch(&st->met, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&st->met, __ATOMIC_SEQ_CST) < want &&
	       w->api->now_ns(w) < deadline)
		sched_yield();
}

static int probe_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct probe_config *c = w->wl_config;
	struct probe_state *st = w->wl_state;
	int64_t most = 0;
	uint64_t x = task + 1;
	int64_t want = (int64_t)w->workers < c->tasks ? (int64_t)w->workers
	                                              : c->tasks;
	bool meet = c->meet && (int64_t)task < want;

	for (int64_t i = 0; i < c->steps; i++) {
		int64_t now;
		if (c->native)
			w->api->native_begin(w);
		now = __atomic_add_fetch(&st->inside, 1, __ATOMIC_SEQ_CST);
		if (meet && i == 0) {
			meet_inside(w, st, want);
			now = __atomic_load_n(&st->inside, __ATOMIC_SEQ_CST);
		}
		if (now > most)
			most = now;
		for (int k = 0; k < 64; k++)
			x = x * 6364136223846793005ULL + 1;
		__asm__ volatile("" : : "r"(x));
		__atomic_sub_fetch(&st->inside, 1, __ATOMIC_SEQ_CST);
		if (c->native)
			w->api->native_end(w);
		px_tick(w);
	}
	w->api->metric_record(w, 0, (double)most);
	*(uint64_t *)result = 0;
	return 0;
}

static int probe_verify(px_worker *ctl)
{
	const struct probe_state *st = ctl->wl_state;

	return st->inside != 0;
}

static const struct px_workload_ops probe_ops = {
	.result_size = sizeof(uint64_t),
	.setup = probe_setup,
	.run_task = probe_run_task,
	.verify = probe_verify,
};

static const struct px_plugin probe_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "gil-probe",
	.summary = "test workload: how many workers run workload code at once",
	.params = probe_params,
	.config_size = sizeof(struct probe_config),
	.metrics = probe_metrics,
	.workload = &probe_ops,
};

PX_PLUGIN(probe_plugin)
