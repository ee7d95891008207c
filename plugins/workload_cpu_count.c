/* workload_cpu_count.c: a CPU-bound countdown, like `while n > 0: n -= 1`
 * in Python, split into tasks.
 *
 * Each step of the countdown does `work_per_step` rounds of a 64-bit linear
 * congruential generator (work the compiler cannot fold away) and then
 * calls px_tick(), the safe point where a GIL strategy may take the lock
 * away, as CPython checks for a drop request at each loop back-edge. The
 * result of a task is its generator's final state; verify recomputes every
 * task's state independently by jumping the generator ahead in O(log n). */
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

#include "support/lcg.h"

struct cc_config {
	int64_t iterations;
	int64_t tasks;
	int64_t work_per_step;
};

static const struct px_param cc_params[] = {
	{ "iterations", PX_INT, offsetof(struct cc_config, iterations),
	  "30_000_000", 1, 1e13,
	  "countdown steps in all, split evenly over the tasks", NULL },
	{ "tasks", PX_INT, offsetof(struct cc_config, tasks), "16", 1, 1e7,
	  "how many tasks the countdown is split into", NULL },
	{ "work_per_step", PX_INT, offsetof(struct cc_config, work_per_step),
	  "18", 1, 1e6,
	  "generator rounds between two ticks; about 1.5 ns each on a 2026 x86 core, so the default "
	  "reaches a safe point every ~27 ns, as CPython 3.11 does", NULL },
	PX_PARAM_END
};

enum { CC_STEPS };

static const struct px_metric cc_metrics[] = {
	{ "steps", "steps", PX_AGG_SUM, "countdown steps run" },
	PX_METRIC_END
};

struct cc_state {
	uint64_t checksum;   /* xor of every task's final state */
};

static uint64_t steps_of(const struct cc_config *c, uint64_t task)
{
	return lcg_share((uint64_t)c->iterations, (uint64_t)c->tasks, task);
}

static int64_t cc_setup(px_worker *ctl)
{
	const struct cc_config *c = ctl->wl_config;
	struct cc_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));

	if (!st)
		return -ENOMEM;
	ctl->wl_state = st;
	return c->tasks;
}

static int cc_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct cc_config *c = w->wl_config;
	uint64_t x = lcg_seed(task), n = steps_of(c, task);

	while (n > 0) {
		LCG_ROUNDS(x, c->work_per_step);
		n -= 1;
		px_tick(w);
	}
	*(uint64_t *)result = x;
	w->api->metric_record(w, CC_STEPS, (double)steps_of(c, task));
	return 0;
}

static void cc_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct cc_state *st = ctl->wl_state;
	const uint64_t *r = results;

	st->checksum = 0;
	for (uint64_t i = 0; i < n; i++)
		st->checksum ^= r[i];
}

static int cc_verify(px_worker *ctl)
{
	const struct cc_config *c = ctl->wl_config;
	const struct cc_state *st = ctl->wl_state;
	uint64_t want = 0;

	for (uint64_t t = 0; t < (uint64_t)c->tasks; t++)
		want ^= lcg_jump(lcg_seed(t), steps_of(c, t) *
		                                  (uint64_t)c->work_per_step);
	if (want == st->checksum)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR,
	              "checksum %016" PRIx64 ", expected %016" PRIx64,
	              st->checksum, want);
	return 1;
}

static const struct px_workload_ops cc_ops = {
	.result_size = sizeof(uint64_t),
	.setup = cc_setup,
	.run_task = cc_run_task,
	.combine = cc_combine,
	.verify = cc_verify,
};

static const struct px_plugin cc_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "cpu-count",
	.summary = "CPU-bound countdown with a tick at every step and a checksum",
	.doc = "The talk's CPU-bound example: count down from `iterations`, split\n"
	       "over `tasks` tasks. Every step is `work_per_step` rounds of a 64-bit\n"
	       "LCG followed by one tick. The checksum (xor of every task's final\n"
	       "generator state) is verified by jumping each generator ahead in\n"
	       "O(log n), independently of how the tasks ran.",
	.params = cc_params,
	.config_size = sizeof(struct cc_config),
	.metrics = cc_metrics,
	.workload = &cc_ops,
};

PX_PLUGIN(cc_plugin)
