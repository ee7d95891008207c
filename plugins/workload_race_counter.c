/* workload_race_counter.c: tasks increment one shared counter, to show
 * that a GIL does not make `counter += 1` safe.
 *
 * mode unsafe: load, tick, store. The tick between the read and the write
 *   is a safe point, like a function call between two bytecodes, where a
 *   GIL may hand the lock to another thread; that thread's increments are
 *   then overwritten by the stale value. Relaxed atomic loads and stores
 *   keep the race in the logic, not in undefined behaviour, so the
 *   ThreadSanitizer build stays quiet. An increment's work is split in
 *   half around that tick, as in CPython's `counter = inc(counter)`,
 *   whose call (RESUME checks the eval breaker) sits about midway between
 *   two back-edges: a drop request that arrives in the first half is
 *   honoured inside the window and loses updates, one in the second half
 *   at the back-edge and loses none. With all the work before the load,
 *   every switch lost updates: 1.3x to 1.9x what CPython 3.11 lost.
 * mode atomic: the host's atomic add.
 * mode locked: the read-modify-write under the strategy's lock.
 *
 * force_race: task 0 holds its first unsafe read until another task has
 * changed the counter, ticking as it waits, so a switch inside the window
 * surely happens and updates are surely lost. Tests use it to assert the
 * race without hoping that a switch lands between a load and a store. */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>

#include <parlab/plugin.h>

#include "support/lcg.h"

struct race_config {
	int64_t tasks;
	int64_t increments;
	int64_t mode;
	int64_t work_per_step;
	int64_t force_race;
	int64_t force_timeout;
};

static const char *const race_modes[] = { "unsafe", "atomic", "locked", NULL };
enum { MODE_UNSAFE, MODE_ATOMIC, MODE_LOCKED };

static const struct px_param race_params[] = {
	{ "tasks", PX_INT, offsetof(struct race_config, tasks), "2", 1, 1e6,
	  "how many tasks increment the counter", NULL },
	{ "increments", PX_INT, offsetof(struct race_config, increments),
	  "1_000_000", 1, 1e10, "increments each task makes", NULL },
	{ "mode", PX_ENUM, offsetof(struct race_config, mode), "unsafe", 0, 0,
	  "unsafe: load, tick, store; atomic: atomic add; locked: under the "
	  "strategy's lock", race_modes },
	{ "work_per_step", PX_INT, offsetof(struct race_config, work_per_step),
	  "8", 0, 1e6, "generator rounds per increment, half before its read "
	  "and half after", NULL },
	{ "force_race", PX_BOOL, offsetof(struct race_config, force_race),
	  "false", 0, 0, "mode unsafe, more than one worker: task 0 holds its "
	  "first read until another task has changed the counter", NULL },
	{ "force_timeout", PX_DURATION,
	  offsetof(struct race_config, force_timeout), "60s", 1e6, 3600e9,
	  "force_race gives up waiting after this long (the run then fails)",
	  NULL },
	PX_PARAM_END
};

enum { M_LOST, M_FINAL };

static const struct px_metric race_metrics[] = {
	[M_LOST] = { "lost_updates", "updates", PX_AGG_LAST,
	             "increments made but missing from the counter seen by the "
	             "parent: expected - final" },
	[M_FINAL] = { "final_count", "updates", PX_AGG_LAST,
	              "the counter's value after every task ran" },
	PX_METRIC_END
};

struct race_state {
	int64_t counter;
	px_lock *lock;
	uint64_t made;      /* increments the tasks say they made */
};

static int64_t race_setup(px_worker *ctl)
{
	const struct race_config *c = ctl->wl_config;
	struct race_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->lock = ctl->api->lock_new(ctl);
	if (!st->lock)
		return -ENOMEM;
	ctl->wl_state = st;
	return c->tasks;
}

/* force_race: ticks, holding a read of `v`, until another task has moved
 * the counter past it. Returns -ETIMEDOUT if none did in time. */
static int hold_read(px_worker *w, const struct race_config *c,
                     struct race_state *st, int64_t v)
{
	int64_t deadline = w->api->now_ns(w) + c->force_timeout;

	while (__atomic_load_n(&st->counter, __ATOMIC_RELAXED) == v) {
		px_tick(w);
		sched_yield();
		if (w->api->now_ns(w) > deadline) {
			w->api->log(w, PX_LOG_ERROR, "force_race: no other task "
			            "changed the counter in %" PRId64 " ms",
			            c->force_timeout / 1000000);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* One increment; *x carries the generator, whose work_per_step rounds are
 * spent half before the read and half after the tick. */
static int increment(px_worker *w, const struct race_config *c,
                     struct race_state *st, bool hold, uint64_t *x)
{
	int64_t v, half = c->work_per_step / 2;
	int rc = 0;

	LCG_ROUNDS(*x, half);
	switch (c->mode) {
	case MODE_UNSAFE:
		v = __atomic_load_n(&st->counter, __ATOMIC_RELAXED);
		px_tick(w);
		if (hold)
			rc = hold_read(w, c, st, v);
		LCG_ROUNDS(*x, c->work_per_step - half);
		__atomic_store_n(&st->counter, v + 1, __ATOMIC_RELAXED);
		break;
	case MODE_ATOMIC:
		LCG_ROUNDS(*x, c->work_per_step - half);
		w->api->atomic_add(w, &st->counter, 1);
		break;
	default:
		w->api->lock(w, st->lock);
		v = __atomic_load_n(&st->counter, __ATOMIC_RELAXED);
		px_tick(w);
		LCG_ROUNDS(*x, c->work_per_step - half);
		__atomic_store_n(&st->counter, v + 1, __ATOMIC_RELAXED);
		w->api->unlock(w, st->lock);
	}
	return rc;
}

static int race_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct race_config *c = w->wl_config;
	struct race_state *st = w->wl_state;
	uint64_t x = lcg_seed(task);
	/* Holding a read only makes sense while another task can run. */
	bool hold = c->force_race && task == 0 && w->workers > 1 && c->tasks > 1;

	for (int64_t i = 0; i < c->increments; i++) {
		if (increment(w, c, st, hold && i == 0, &x))
			return -ETIMEDOUT;
		px_tick(w);  /* the loop's back-edge */
	}
	lcg_keep(x);
	*(uint64_t *)result = (uint64_t)c->increments;
	return 0;
}

static void race_combine(px_worker *ctl, const void *results, uint64_t n)
{
	const struct race_config *c = ctl->wl_config;
	struct race_state *st = ctl->wl_state;
	const uint64_t *made = results;
	int64_t final = __atomic_load_n(&st->counter, __ATOMIC_RELAXED);

	st->made = 0;
	for (uint64_t i = 0; i < n; i++)
		st->made += made[i];
	(void)c;
	ctl->api->metric_record(ctl, M_FINAL, (double)final);
	ctl->api->metric_record(ctl, M_LOST, (double)((int64_t)st->made - final));
}

/* Every task made its increments, and the counter holds no more than
 * were made: losing updates is what is measured, inventing them is a bug. */
static int race_verify(px_worker *ctl)
{
	const struct race_config *c = ctl->wl_config;
	const struct race_state *st = ctl->wl_state;
	uint64_t want = (uint64_t)(c->tasks * c->increments);
	int64_t final = __atomic_load_n(&st->counter, __ATOMIC_RELAXED);

	if (st->made == want && final >= 0 && (uint64_t)final <= want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "made %" PRIu64 " of %" PRIu64
	              " increments, counter %" PRId64, st->made, want, final);
	return 1;
}

static const struct px_workload_ops race_ops = {
	.result_size = sizeof(uint64_t),
	.setup = race_setup,
	.run_task = race_run_task,
	.combine = race_combine,
	.verify = race_verify,
};

static const struct px_plugin race_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "race-counter",
	.summary = "tasks increment one shared counter: unsafe, atomic or locked",
	.doc = "Each task increments a shared counter `increments` times. In mode\n"
	       "unsafe each increment is a load, a tick and a store, so a GIL switch\n"
	       "between read and write loses the other thread's updates, as\n"
	       "`counter = inc(counter)` does in CPython. lost_updates = increments\n"
	       "made - final count; atomic and locked should lose none.\n"
	       "force_race makes task 0 hold its first read until another task has\n"
	       "changed the counter, so that the race surely shows.",
	.params = race_params,
	.config_size = sizeof(struct race_config),
	.metrics = race_metrics,
	.workload = &race_ops,
};

PX_PLUGIN(race_plugin)
