/* trial_exec.c: fork, wait with a timeout on a pidfd, kill the group. */
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/run_log.h"
#include "exec/run_region.h"
#include "exec/runtime.h"
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

/* Waits for pid to end within timeout_ns. Returns true if it did. */
static bool wait_with_timeout(pid_t pid, int64_t timeout_ns)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int64_t deadline = px__now_ns() + timeout_ns;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (fd < 0) {
		/* No pidfd (an old kernel): poll the process instead. */
		while (px__now_ns() < deadline) {
			siginfo_t info = { 0 };
			if (waitid(P_PID, (id_t)pid, &info,
			           WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    info.si_pid == pid)
				return true;
			usleep(1000);
		}
		return false;
	}
	for (;;) {
		int64_t left = deadline - px__now_ns();
		int rc;
		if (left <= 0)
			break;
		rc = poll(&p, 1, (int)((left + 999999) / 1000000));
		if (rc > 0) {
			close(fd);
			return true;
		}
		if (rc < 0 && errno != EINTR)
			break;
	}
	close(fd);
	return false;
}

static void worker_strings(const struct trial *t, const void *region,
                           const struct region_layout *l,
                           struct run_outcome *o)
{
	const struct wslot *s = (const void *)((const char *)region + l->slots_off);
	struct strbuf tasks = { 0 }, cpu = { 0 }, cpus = { 0 };

	for (size_t w = 0; w < t->workers; w++) {
		const char *sep = w ? ";" : "";
		bool first = true;
		px__sb_addf(&tasks, "%s%lld", sep, (long long)s[w].tasks);
		px__sb_addf(&cpu, "%s%.4f", sep, (double)s[w].cpu_ns / 1e9);
		px__sb_add(&cpus, sep);
		for (int c = 0; c < PX_CPU_BITS; c++) {
			if (!(s[w].cpus[c / 64] & (1ull << (c % 64))))
				continue;
			px__sb_addf(&cpus, "%s%d", first ? "" : "+", c);
			first = false;
		}
	}
	o->worker_tasks = px__sb_take(&tasks);
	o->worker_cpu_s = px__sb_take(&cpu);
	o->worker_cpus = px__sb_take(&cpus);
}

/* Each strategy counter as every worker recorded it (the control slot's
 * share, such as a LAST value, stays in the aggregate column). */
static void counter_strings(const struct plan *plan, const struct trial *t,
                            const void *region, const struct region_layout *l,
                            struct run_outcome *o)
{
	const struct wslot *s = (const void *)((const char *)region + l->slots_off);

	o->per_worker = px__xcalloc(plan->ncols, sizeof(*o->per_worker));
	for (size_t i = 0; i < t->strategy->n_metrics; i++) {
		struct strbuf sb = { 0 };
		if (t->strategy->desc->metrics[i].agg == PX_AGG_LAST)
			continue;
		for (size_t w = 0; w < t->workers; w++) {
			if (isnan(s[w].counters[i]))
				px__sb_add(&sb, w ? ";" : "");
			else
				px__sb_addf(&sb, "%s%.9g", w ? ";" : "",
				            s[w].counters[i]);
		}
		o->per_worker[t->counter_col[i]] = px__sb_take(&sb);
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

int px__exec_run(const struct plan *plan, const struct trial *t,
                 int64_t timeout_ns, struct run_outcome *out)
{
	return px__exec_run_logged(plan, t, timeout_ns, NULL, out);
}

int px__exec_run_logged(const struct plan *plan, const struct trial *t,
                        int64_t timeout_ns, const char *log_path,
                        struct run_outcome *out)
{
	struct region_layout l;
	int log_fd;
	struct run_head *head;
	double *values;
	int wstatus = 0;
	bool done;
	void *region;
	pid_t pid;

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
	fflush(NULL);
	log_fd = px__run_log_open(log_path);
	pid = fork();
	if (pid < 0) {
		int err = errno;
		out->status = RUN_ERROR;
		snprintf(out->message, sizeof(out->message), "fork failed: %s",
		         strerror(err));
		px__run_log_close(log_fd, log_path);
		munmap(region, l.total);
		return -err;
	}
	if (pid == 0) {
		int rc;
		setpgid(0, 0);
		px__run_log_attach(log_fd);
		rc = px__runtime_run(plan, t, region, &l);
		fflush(NULL);
		_exit(rc);
	}
	setpgid(pid, pid);
	done = wait_with_timeout(pid, timeout_ns);
	/* Whatever is left of the run's process group goes: a hung run, or
	 * worker processes its strategy failed to reap. */
	kill(-pid, SIGKILL);
	if (!done)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	judge(head, wstatus, !done, timeout_ns, out);
	if (out->status != RUN_OK)
		px__run_log_tail(log_fd, out->message, sizeof(out->message));
	px__run_log_close(log_fd, log_path);
	memcpy(out->values, values, plan->ncols * sizeof(double));
	worker_strings(t, region, &l, out);
	counter_strings(plan, t, region, &l, out);
	munmap(region, l.total);
	return 0;
}

void px__outcome_free(struct run_outcome *o)
{
	for (size_t c = 0; o->per_worker && c < o->ncols; c++)
		free(o->per_worker[c]);
	free(o->per_worker);
	free(o->values);
	free(o->worker_tasks);
	free(o->worker_cpu_s);
	free(o->worker_cpus);
	memset(o, 0, sizeof(*o));
}
