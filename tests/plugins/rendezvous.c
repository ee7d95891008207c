/* rendezvous.c: test workload that proves tasks overlap instead of hoping
 * they do. The first `parties` tasks each wait in the host's wait_fd (a
 * blocking call: a GIL is released, an event loop parks the task) until
 * the last of them has arrived; max_waiting then equals parties exactly.
 * A strategy that cannot hold `parties` tasks in a blocking call at once
 * never gets there: the wait times out and the run fails, saying so.
 *
 * wait: fd (default): the last arriver writes one byte to a pipe and
 * nobody reads it, so the pipe stays readable for every waiter, late ones
 * included. wait: sleep: waiters sleep 1 ms and look again, for
 * strategies where many tasks cannot wait on one descriptor (an event
 * loop's epoll takes each descriptor once). Tasks after the first
 * `parties` pass straight through. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <unistd.h>

#include <parlab/plugin.h>

struct meet_config {
	int64_t tasks;
	int64_t parties;
	int64_t timeout;
	int64_t wait;
};

static const char *const meet_waits[] = { "fd", "sleep", NULL };
enum { WAIT_FD, WAIT_SLEEP };

static const struct px_param meet_params[] = {
	{ "tasks", PX_INT, offsetof(struct meet_config, tasks), "4", 1, 1e6,
	  "how many tasks", NULL },
	{ "parties", PX_INT, offsetof(struct meet_config, parties), "0", 0, 1e6,
	  "how many tasks must be waiting at once (0: all of them)", NULL },
	{ "timeout", PX_DURATION, offsetof(struct meet_config, timeout), "240s",
	  1e6, 3600e9, "how long a task waits for the others", NULL },
	{ "wait", PX_ENUM, offsetof(struct meet_config, wait), "fd", 0, 0,
	  "fd: wait_fd on a pipe; sleep: sleep 1ms and look again", meet_waits },
	PX_PARAM_END
};

static const struct px_metric meet_metrics[] = {
	{ "max_waiting", "tasks", PX_AGG_MAX,
	  "most tasks inside the rendezvous at once" },
	PX_METRIC_END
};

struct meet_state {
	int64_t arrived;    /* tasks that reached the rendezvous */
	int64_t inside;     /* tasks in it now */
	int fds[2];         /* the last party writes, everyone polls */
};

static int64_t meet_parties(const struct meet_config *c)
{
	return c->parties > 0 && c->parties < c->tasks ? c->parties : c->tasks;
}

static int64_t meet_setup(px_worker *ctl)
{
	const struct meet_config *c = ctl->wl_config;
	struct meet_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));

	if (!st)
		return -ENOMEM;
	ctl->wl_state = st;
	if (pipe(st->fds) < 0) {
		st->fds[0] = st->fds[1] = -1;
		return -errno;
	}
	return c->tasks;
}

/* Waits until `parties` tasks arrived: 1 when they did, 0 on timeout, or
 * a negative errno value. */
static int wait_for_parties(px_worker *w, const struct meet_config *c,
                            struct meet_state *st, int64_t parties)
{
	int64_t deadline;

	if (c->wait == WAIT_FD)
		return w->api->wait_fd(w, st->fds[0], POLLIN, c->timeout);
	deadline = w->api->now_ns(w) + c->timeout;
	while (__atomic_load_n(&st->arrived, __ATOMIC_ACQUIRE) < parties) {
		int rc = w->api->sleep(w, 1000000);
		if (rc < 0)
			return rc;
		if (w->api->now_ns(w) > deadline)
			return 0;
	}
	return 1;
}

static int meet_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct meet_config *c = w->wl_config;
	struct meet_state *st = w->wl_state;
	int64_t parties = meet_parties(c);
	int64_t now_inside = w->api->atomic_add(w, &st->inside, 1) + 1;
	int64_t n = w->api->atomic_add(w, &st->arrived, 1) + 1;
	int rc = 0;

	(void)task;
	w->api->metric_record(w, 0, (double)now_inside);
	if (n == parties) {
		if (write(st->fds[1], "x", 1) != 1)
			rc = -errno;
	} else if (n < parties) {
		rc = wait_for_parties(w, c, st, parties);
		if (rc == 0) {
			w->api->log(w, PX_LOG_ERROR, "task %" PRIu64 " waited %"
			            PRId64 " ms for %" PRId64 " parties; %" PRId64
			            " came", task, c->timeout / 1000000, parties,
			            __atomic_load_n(&st->arrived, __ATOMIC_RELAXED));
			rc = -ETIMEDOUT;
		}
		rc = rc < 0 ? rc : 0;
	}
	w->api->atomic_add(w, &st->inside, -1);
	*(uint64_t *)result = 0;
	return rc;
}

static int meet_verify(px_worker *ctl)
{
	const struct meet_state *st = ctl->wl_state;

	return st->inside != 0;
}

static void meet_teardown(px_worker *ctl)
{
	struct meet_state *st = ctl->wl_state;

	if (st && st->fds[0] >= 0) {
		close(st->fds[0]);
		close(st->fds[1]);
	}
}

static const struct px_workload_ops meet_ops = {
	.result_size = sizeof(uint64_t),
	.setup = meet_setup,
	.run_task = meet_run_task,
	.verify = meet_verify,
	.teardown = meet_teardown,
};

static const struct px_plugin meet_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "rendezvous",
	.summary = "test workload: the first `parties` tasks wait for each other "
	           "in a blocking call",
	.params = meet_params,
	.config_size = sizeof(struct meet_config),
	.metrics = meet_metrics,
	.workload = &meet_ops,
};

PX_PLUGIN(meet_plugin)
