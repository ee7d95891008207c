/* trial_exec.c: fork, wait with a timeout on a pidfd, kill the group, and
 * kill and report whatever else the run left behind. */
#define _GNU_SOURCE
#include "exec/trial_exec.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/reap.h"
#include "exec/run_log.h"
#include "exec/run_region.h"
#include "exec/runtime.h"
#include "exec/stop.h"
#include "base/util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

const char *px__status_name(enum run_status s)
{
	static const char *const names[] = { "ok", "wrong-result", "error",
	                                     "crash", "timeout" };
	return names[s];
}

/* How a wait for a run's process ended. */
enum wait_end { WAIT_DONE, WAIT_TIMEOUT, WAIT_STOPPED };

/* Waits for pid to end within timeout_ns, or until a stop is asked
 * (exec/stop.h). */
static enum wait_end wait_with_timeout(pid_t pid, int64_t timeout_ns)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int64_t deadline = px__now_ns() + timeout_ns;
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
	                       { .fd = px__stop_fd(), .events = POLLIN } };
	enum wait_end end = WAIT_TIMEOUT;

	if (fd < 0) {
		/* No pidfd (an old kernel): poll the process instead. */
		while (px__now_ns() < deadline && !px__stop_signal()) {
			siginfo_t info = { 0 };
			if (waitid(P_PID, (id_t)pid, &info,
			           WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    info.si_pid == pid)
				return WAIT_DONE;
			usleep(1000);
		}
		return px__stop_signal() ? WAIT_STOPPED : WAIT_TIMEOUT;
	}
	for (;;) {
		int64_t left = deadline - px__now_ns();
		int rc;
		if (left <= 0)
			break;
		rc = poll(p, 2, (int)((left + 999999) / 1000000));
		if (rc > 0 && (p[0].revents & POLLIN)) {
			end = WAIT_DONE;
			break;
		}
		if (rc > 0 || px__stop_signal()) {
			end = WAIT_STOPPED;
			break;
		}
		if (rc < 0 && errno != EINTR)
			break;
	}
	close(fd);
	return end;
}

/* Each worker's tasks, CPU time and CPUs, and each strategy counter as
 * every worker recorded it (the control slot's share, such as a LAST
 * value, stays in the aggregate column). */
static void worker_values(const struct plan *plan, const struct trial *t,
                          const void *region, const struct region_layout *l,
                          struct run_outcome *o)
{
	const struct wslot *s = (const void *)((const char *)region + l->slots_off);
	size_t nc = plan->ncols;

	o->workers = t->workers;
	o->w = px__xcalloc(t->workers + 1, sizeof(*o->w));
	o->per_worker = px__xcalloc((size_t)t->workers * nc + 1, sizeof(double));
	for (size_t w = 0; w < t->workers; w++) {
		o->w[w].tasks = s[w].tasks;
		o->w[w].cpu_s = (double)s[w].cpu_ns / 1e9;
		o->w[w].active_s = (double)s[w].active_ns / 1e9;
		memcpy(o->w[w].cpus, s[w].cpus, sizeof(o->w[w].cpus));
		for (size_t c = 0; c < nc; c++)
			o->per_worker[w * nc + c] = NAN;
		for (size_t i = 0; i < t->strategy->n_metrics; i++)
			if (t->strategy->desc->metrics[i].agg != PX_AGG_LAST)
				o->per_worker[w * nc + t->counter_col[i]] =
					s[w].counters[i];
	}
}

/* Turns the child's wait status and report into an outcome. */
static void judge(const struct run_head *head, int wstatus, bool timed_out,
                  int64_t timeout_ns, struct run_outcome *o)
{
	if (timed_out) {
		o->status = RUN_TIMEOUT;
		snprintf(o->message, sizeof(o->message),
		         "timeout: killed after %.3g s", (double)timeout_ns / 1e9);
	} else if (WIFSIGNALED(wstatus)) {
		o->status = RUN_CRASH;
		snprintf(o->message, sizeof(o->message), "crashed: signal %d (%s)",
		         WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	} else if (head->status < 0) {
		o->status = RUN_CRASH;
		snprintf(o->message, sizeof(o->message),
		         "the run's process exited with status %d before reporting%s%.900s",
		         WEXITSTATUS(wstatus), head->message[0] ? ": " : "",
		         head->message);
	} else {
		o->status = (enum run_status)head->status;
		snprintf(o->message, sizeof(o->message), "%s", head->message);
	}
}

/* The run's own process: it dies with the runner, adopts every orphan
 * below it, sends its stdout and stderr to the run's log (log_fd, when
 * >= 0), runs the trial, then kills whatever is still alive below it and
 * says so, failing a run that was ok. Flushes stdio (output a plugin left
 * buffered belongs in the log) and never returns. */
static void run_child(pid_t runner, const struct plan *plan,
                      const struct trial *t, void *region,
                      const struct region_layout *l, int log_fd)
{
	struct run_head *head = region;
	struct px_sweep s;
	int rc;

	px__stop_child();
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A runner that died between fork() and prctl() sends no signal:
	 * this process has been reparented already, so it goes now. */
	if (getppid() != runner)
		_exit(1);
	px__become_subreaper();
	px__run_log_attach(log_fd);
	rc = px__runtime_run(plan, t, region, l);
	fflush(NULL);
	px__sweep(NULL, 0, &s);
	if (s.n && head->status == RUN_OK)
		head->status = RUN_ERROR;
	px__sweep_note(&s, head->message, sizeof(head->message));
	_exit(rc);
}

/* Waits for the run's process at most timeout_ns or until a stop is
 * asked, kills its group, reaps it, then kills and reaps what is left
 * below the runner apart from the children in `before`. Returns how the
 * wait ended. */
static enum wait_end wait_and_sweep(pid_t pid, int64_t timeout_ns,
                                    const struct px_pids *before,
                                    int *wstatus, struct px_sweep *s)
{
	enum wait_end end = wait_with_timeout(pid, timeout_ns);
	bool done = end == WAIT_DONE;

	/* Whatever is left of the run's process group goes: a hung run, or
	 * worker processes its strategy failed to reap. */
	kill(-pid, SIGKILL);
	if (!done)
		kill(pid, SIGKILL);
	while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
		;
	/* A run's process that was killed or crashed took its role of
	 * subreaper with it: its orphans came here. Its group was killed
	 * above and is not counted; anything outside it is a leftover. */
	px__sweep(before, pid, s);
	return end;
}

int px__exec_run(const struct plan *plan, const struct trial *t,
                 int64_t timeout_ns, struct run_outcome *out)
{
	return px__exec_run_logged(plan, t, timeout_ns, NULL, out);
}

int px__exec_run_logged(const struct plan *plan, const struct trial *t,
                        int64_t timeout_ns, const char *log_path,
                        struct run_outcome *out)
{
	struct px_pids before = { 0 };
	struct region_layout l;
	int log_fd;
	struct run_head *head;
	struct px_sweep swept;
	pid_t pid, runner = getpid();
	double *values;
	int wstatus = 0;
	enum wait_end end;
	bool done;
	void *region;

	memset(out, 0, sizeof(*out));
	out->ncols = plan->ncols;
	out->values = px__xcalloc(plan->ncols, sizeof(double));
	for (size_t i = 0; i < plan->ncols; i++)
		out->values[i] = NAN;
	px__region_layout(plan, t, &l);
	region = mmap(NULL, l.total, PROT_READ | PROT_WRITE,
	              MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED) {
		out->status = RUN_ERROR;
		snprintf(out->message, sizeof(out->message),
		         "cannot map %zu bytes for the run's report: %s", l.total,
		         strerror(errno));
		return -errno;
	}
	head = region;
	head->status = -1;
	values = (double *)((char *)region + l.values_off);
	for (size_t i = 0; i < plan->ncols; i++)
		values[i] = NAN;
	px__become_subreaper();
	px__children(runner, &before);
	fflush(NULL);
	log_fd = px__run_log_open(log_path);
	out->started_ns = px__wall_clock_ns();
	pid = fork();
	if (pid < 0) {
		int err = errno;
		out->status = RUN_ERROR;
		snprintf(out->message, sizeof(out->message), "fork failed: %s",
		         strerror(err));
		px__run_log_close(log_fd, log_path);
		munmap(region, l.total);
		px__pids_free(&before);
		return -err;
	}
	if (pid == 0)
		run_child(runner, plan, t, region, &l, log_fd);
	setpgid(pid, pid);
	end = wait_and_sweep(pid, timeout_ns, &before, &wstatus, &swept);
	done = end == WAIT_DONE;
	px__pids_free(&before);
	judge(head, wstatus, !done, timeout_ns, out);
	if (swept.n && out->status == RUN_OK)
		out->status = RUN_ERROR;
	px__sweep_note(&swept, out->message, sizeof(out->message));
	if (out->status != RUN_OK)
		px__run_log_tail(log_fd, out->message, sizeof(out->message));
	px__run_log_close(log_fd, log_path);
	memcpy(out->values, values, plan->ncols * sizeof(double));
	worker_values(plan, t, region, &l, out);
	munmap(region, l.total);
	if (end == WAIT_STOPPED) {
		out->status = RUN_ERROR;
		snprintf(out->message, sizeof(out->message),
		         "stopped by signal %d", px__stop_signal());
		return -EINTR;
	}
	return 0;
}

void px__outcome_free(struct run_outcome *o)
{
	free(o->per_worker);
	free(o->values);
	free(o->w);
	memset(o, 0, sizeof(*o));
}
