/* workload_cpu_native.c: CPU-bound work done by "a C library": no ticks at
 * all, inside a native section that releases the GIL (release_gil: true,
 * as numpy or hashlib do) or that keeps it (false, as a C extension that
 * never calls Py_BEGIN_ALLOW_THREADS). */
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

#include "support/lcg.h"

struct native_config {
	int64_t iterations;
	int64_t tasks;
	int64_t release_gil;
	int64_t work_per_step;
};

static const struct px_param native_params[] = {
	{ "iterations", PX_INT, offsetof(struct native_config, iterations),
	  "30_000_000", 1, 1e13, "steps in all, split evenly over the tasks",
	  NULL },
	{ "tasks", PX_INT, offsetof(struct native_config, tasks), "16", 1, 1e7,
	  "how many tasks", NULL },
	{ "release_gil", PX_BOOL, offsetof(struct native_config, release_gil),
	  "true", 0, 0, "whether the native code releases the interpreter lock",
	  NULL },
	{ "work_per_step", PX_INT, offsetof(struct native_config, work_per_step),
	  "18", 1, 1e6, "generator rounds per step, as in cpu-count", NULL },
	PX_PARAM_END
};

struct native_state {
	uint64_t checksum;
};

static int64_t native_setup(px_worker *ctl)
{
	const struct native_config *c = ctl->wl_config;

	ctl->wl_state = ctl->api->shared_alloc(ctl, sizeof(struct native_state));
	return ctl->wl_state ? c->tasks : -ENOMEM;
}

static int native_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct native_config *c = w->wl_config;
	uint64_t x = lcg_seed(task);
	uint64_t n = lcg_share((uint64_t)c->iterations, (uint64_t)c->tasks, task);

	if (c->release_gil)
		w->api->native_begin(w);
	for (uint64_t i = 0; i < n; i++)
		LCG_ROUNDS(x, c->work_per_step);
	if (c->release_gil)
		w->api->native_end(w);
	*(uint64_t *)result = x;
	/* Back in "Python": one safe point before the next task. */
	px_tick(w);
	return 0;
}

static void native_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct native_state *st = ctl->wl_state;
	const uint64_t *r = results;

	st->checksum = 0;
	for (uint64_t i = 0; i < n; i++)
		st->checksum ^= r[i];
}

static int native_verify(px_worker *ctl)
{
	const struct native_config *c = ctl->wl_config;
	const struct native_state *st = ctl->wl_state;
	uint64_t want = 0;

	for (uint64_t t = 0; t < (uint64_t)c->tasks; t++)
		want ^= lcg_jump(lcg_seed(t),
		                 lcg_share((uint64_t)c->iterations,
		                           (uint64_t)c->tasks, t) *
		                         (uint64_t)c->work_per_step);
	if (want == st->checksum)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "checksum %016" PRIx64 ", expected %016"
	              PRIx64, st->checksum, want);
	return 1;
}

static const struct px_workload_ops native_ops = {
	.result_size = sizeof(uint64_t),
	.setup = native_setup,
	.run_task = native_run_task,
	.combine = native_combine,
	.verify = native_verify,
};

static const struct px_plugin native_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "cpu-native",
	.summary = "CPU-bound work in a native section that may release the GIL",
	.doc = "The same generator work as cpu-count, but done as a C library\n"
	       "would: no ticks inside, bracketed by native_begin/native_end when\n"
	       "release_gil is true. Under gil-threads, release_gil: true runs in\n"
	       "parallel; false holds the lock for each whole task.",
	.params = native_params,
	.config_size = sizeof(struct native_config),
	.workload = &native_ops,
};

PX_PLUGIN(native_plugin)
