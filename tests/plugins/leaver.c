/* leaver.c: a workload whose first task starts a process and leaves it
 * running, so the tests can check that the runner kills and reports what
 * a run leaves behind, even a process that moved to a session of its own. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include <parlab/plugin.h>

struct leaver_config {
	int64_t mode;
};

static const char *const leaver_modes[] = { "none", "setsid", "setsid-hang",
                                            "setsid-crash", "child", NULL };
enum { MODE_NONE, MODE_SETSID, MODE_SETSID_HANG, MODE_SETSID_CRASH,
       MODE_CHILD };

static const struct px_param leaver_params[] = {
	{ "mode", PX_ENUM, offsetof(struct leaver_config, mode), "setsid", 0, 0,
	  "none: leave nothing; setsid: a grandchild in a new session; "
	  "setsid-hang: that, then hang; setsid-crash: that, then SIGKILL "
	  "this process; child: a child in the run's group",
	  leaver_modes },
	PX_PARAM_END
};

static const struct px_metric leaver_metrics[] = {
	{ "left_pid", "", PX_AGG_MAX, "the pid of the process left running" },
	PX_METRIC_END
};

static int64_t leaver_setup(px_worker *ctl)
{
	(void)ctl;
	return 2;
}

/* Starts a process that waits forever: a child, or (new_session) a child
 * of a child that calls setsid() and whose parent exits, so that it is an
 * orphan outside the run's group and session. Returns its pid once it is
 * in place (after setsid()), or -1. */
static pid_t leave_one(bool new_session)
{
	pid_t mid, pid = -1;
	int p[2];

	if (pipe(p) < 0)
		return -1;
	mid = fork();
	if (mid == 0) {
		close(p[0]);
		if (new_session) {
			pid_t g = fork();
			if (g != 0)
				_exit(g < 0);
			setsid();
		}
		pid = getpid();
		if (write(p[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (mid < 0 || read(p[0], &pid, sizeof(pid)) != sizeof(pid))
		pid = -1;
	close(p[0]);
	if (new_session && mid > 0)
		waitpid(mid, NULL, 0);
	return pid;
}

static int leaver_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct leaver_config *c = w->wl_config;
	pid_t pid;

	(void)result;
	if (task != 0 || c->mode == MODE_NONE)
		return 0;
	pid = leave_one(c->mode != MODE_CHILD);
	if (pid < 0)
		return -1;
	w->api->metric_record(w, 0, (double)pid);
	if (c->mode == MODE_SETSID_HANG)
		for (;;)
			pause();
	if (c->mode == MODE_SETSID_CRASH)
		kill(getpid(), SIGKILL);
	return 0;
}

static int leaver_verify(px_worker *ctl)
{
	(void)ctl;
	return 0;
}

static const struct px_workload_ops leaver_ops = {
	.setup = leaver_setup,
	.run_task = leaver_run_task,
	.verify = leaver_verify,
};

static const struct px_plugin leaver_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "leaver",
	.summary = "test workload that leaves a process running",
	.params = leaver_params,
	.config_size = sizeof(struct leaver_config),
	.metrics = leaver_metrics,
	.workload = &leaver_ops,
};

PX_PLUGIN(leaver_plugin)
