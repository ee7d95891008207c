/* workload_io_pipe.c: each task makes real blocking round trips over its
 * own socketpair to an echo helper process, through the host's read and
 * write: the talk's "threads for IO" with a server that takes its time. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>

#include <parlab/plugin.h>

#include "support/sockets.h"

struct pipe_config {
	int64_t tasks;
	int64_t round_trips;
	int64_t reply_delay;
};

static const struct px_param pipe_params[] = {
	{ "tasks", PX_INT, offsetof(struct pipe_config, tasks), "32", 1, 4096,
	  "how many tasks, each with its own connection", NULL },
	{ "round_trips", PX_INT, offsetof(struct pipe_config, round_trips), "1",
	  1, 1e7, "requests each task sends, one after the other", NULL },
	{ "reply_delay", PX_DURATION, offsetof(struct pipe_config, reply_delay),
	  "50ms", 0, 60e9, "how long the helper waits before it answers", NULL },
	PX_PARAM_END
};

enum { M_LATENCY };

static const struct px_metric pipe_metrics[] = {
	[M_LATENCY] = { "io_latency", "ns", PX_AGG_SAMPLES,
	                "time from sending a request to having its reply" },
	PX_METRIC_END
};

struct pipe_state {
	struct socket_set sockets;
	uint64_t answered;
};

static int64_t pipe_setup(px_worker *ctl)
{
	const struct pipe_config *c = ctl->wl_config;
	struct pipe_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	ctl->wl_state = st;
	rc = sockets_open(&st->sockets, (size_t)c->tasks);
	if (rc == 0)
		rc = sockets_start_echo(&st->sockets, c->reply_delay, -1);
	return rc ? rc : c->tasks;
}

static int pipe_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct pipe_config *c = w->wl_config;
	struct pipe_state *st = w->wl_state;
	int fd = st->sockets.mine[task];
	uint64_t right = 0;

	for (int64_t r = 0; r < c->round_trips; r++) {
		unsigned char out = (unsigned char)(task + (uint64_t)r), in = 0;
		int64_t t0 = w->api->now_ns(w);
		ssize_t n = w->api->write(w, fd, &out, 1);
		if (n != 1)
			return n < 0 ? (int)n : -EIO;
		n = w->api->read(w, fd, &in, 1);
		if (n != 1)
			return n < 0 ? (int)n : -EPIPE;
		w->api->metric_record(w, M_LATENCY,
		                      (double)(w->api->now_ns(w) - t0));
		right += in == (unsigned char)(out + 1);
	}
	*(uint64_t *)result = right;
	return 0;
}

static void pipe_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct pipe_state *st = ctl->wl_state;
	const uint64_t *right = results;

	st->answered = 0;
	for (uint64_t i = 0; i < n; i++)
		st->answered += right[i];
}

/* Every request must have had its own right answer. */
static int pipe_verify(px_worker *ctl)
{
	const struct pipe_config *c = ctl->wl_config;
	const struct pipe_state *st = ctl->wl_state;
	uint64_t want = (uint64_t)(c->tasks * c->round_trips);

	if (st->answered == want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "%" PRIu64 " right answers, expected %"
	              PRIu64, st->answered, want);
	return 1;
}

static void pipe_teardown(px_worker *ctl)
{
	struct pipe_state *st = ctl->wl_state;

	if (st)
		sockets_close(&st->sockets);
}

static const struct px_workload_ops pipe_ops = {
	.result_size = sizeof(uint64_t),
	.setup = pipe_setup,
	.run_task = pipe_run_task,
	.combine = pipe_combine,
	.verify = pipe_verify,
	.teardown = pipe_teardown,
};

static const struct px_plugin pipe_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "io-pipe",
	.summary = "blocking request/reply round trips to an echo process",
	.doc = "Each task owns a socketpair to an echo helper process (forked in\n"
	       "setup) and makes `round_trips` one-byte round trips through the\n"
	       "host's write and read; the helper answers after `reply_delay`.\n"
	       "io_latency records every round trip.",
	.params = pipe_params,
	.config_size = sizeof(struct pipe_config),
	.metrics = pipe_metrics,
	.workload = &pipe_ops,
};

PX_PLUGIN(pipe_plugin)
