/* probe.c: loads untrusted plugin files in a child process first. The
 * child opens each file in turn (dlopen, entry, descriptor check) and
 * writes one record per file to a pipe; the parent reads them with a
 * deadline per file. A child that dies or stops answering is charged to the
 * file it was on (the first without a record), and a new child goes on
 * with the next. One child serves every file that behaves, so probing
 * costs one fork for a whole folder. */
#define _GNU_SOURCE
#include "env/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env/plugins.h"
#include "base/util.h"

/* One record: the file's index and the length of its reason (0: passed),
 * then the reason's bytes. */
struct probe_rec {
	uint32_t index;
	uint32_t len;
};

int64_t px__probe_timeout_ns(void)
{
	const char *s = getenv("PARLAB_PROBE_TIMEOUT");
	char *end;
	double v = s ? strtod(s, &end) : 0;

	if (!s || end == s || *end || !(v > 0) || v > 3600)
		v = PX_PROBE_TIMEOUT_S;
	return (int64_t)(v * 1e9);
}

static void write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(1);
		p += k;
		n -= (size_t)k;
	}
}

/* The child: opens paths[from ..] in order and reports each. Its own
 * output goes nowhere: a plugin's chatter must not reach parlab's. */
static void child(char *const *paths, size_t from, size_t n, int fd)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 1);
		dup2(null, 2);
	}
	for (size_t i = from; i < n; i++) {
		const struct px_plugin *d = NULL;
		void *h = NULL;
		char *err = NULL;
		struct probe_rec rec = { (uint32_t)i, 0 };

		px__plugin_open(paths[i], &h, &d, &err);
		rec.len = err ? (uint32_t)strlen(err) : 0;
		write_all(fd, &rec, sizeof(rec));
		if (err)
			write_all(fd, err, rec.len);
	}
	_exit(0);
}

/* Reads exactly n bytes by the deadline: 1, 0 at end of file, -ETIMEDOUT. */
static int read_by(int fd, void *buf, size_t n, int64_t deadline)
{
	char *p = buf;

	while (n > 0) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - px__now_ns();
		ssize_t k;
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pf, 1, (int)((left + 999999) / 1000000)) == 0)
			continue;
		k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return 0;
		p += k;
		n -= (size_t)k;
	}
	return 1;
}

/* A wait status as a reason: "crashed in parlab_plugin() or a
 * constructor: SIGSEGV (Segmentation fault)". */
static char *ended(int st)
{
	const char *abbrev;

	if (!WIFSIGNALED(st))
		return px__xasprintf("exited with status %d in %s() or a constructor",
		                     WEXITSTATUS(st), PX_ENTRY_NAME);
	abbrev = sigabbrev_np(WTERMSIG(st));
	return px__xasprintf("crashed in %s() or a constructor: SIG%s (%s)",
	                     PX_ENTRY_NAME, abbrev ? abbrev : "?",
	                     strsignal(WTERMSIG(st)));
}

/* Why the child pid ended while on a file. */
static char *death(pid_t pid, bool timed_out, int64_t timeout_ns)
{
	int st = 0;

	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		return px__xasprintf("timed out after %g s in %s() or a constructor",
		                     (double)timeout_ns / 1e9, PX_ENTRY_NAME);
	return ended(st);
}

/* Probes one file without a pipe (when the runner has no descriptor to
 * spare): the child's exit status says whether it passed, and a file
 * refused cleanly (status 1, no crash, no hang) is opened here again for
 * its reason. */
static char *probe_by_status(const char *path, int64_t timeout_ns)
{
	int64_t deadline = px__now_ns() + timeout_ns;
	pid_t pid = fork(), got;
	int st = 0;

	if (pid < 0)
		return px__xasprintf("cannot start the probe: %s", strerror(errno));
	if (pid == 0) {
		const struct px_plugin *d = NULL;
		void *h = NULL;
		char *err = NULL;
		_exit(px__plugin_open(path, &h, &d, &err) ? 1 : 0);
	}
	while ((got = waitpid(pid, &st, WNOHANG)) == 0 && px__now_ns() < deadline)
		usleep(1000);
	if (got == 0)
		return death(pid, true, timeout_ns);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
		const struct px_plugin *d = NULL;
		void *h = NULL;
		char *err = NULL;
		if (px__plugin_open(path, &h, &d, &err) == 0)
			return px__xasprintf("refused in the probe, accepted after");
		return err;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return NULL;
	return ended(st);
}

/* Runs one child from paths[from]; fills why[] for the files it reported
 * and the one it died on. Returns the index to go on from. */
static size_t one_child(char *const *paths, size_t from, size_t n,
                        int64_t timeout_ns, char **why)
{
	int fds[2];
	pid_t pid;
	size_t next = from;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		why[from] = probe_by_status(paths[from], timeout_ns);
		return from + 1;
	}
	if ((pid = fork()) < 0) {
		for (size_t i = from; i < n; i++)
			why[i] = px__xasprintf("cannot start the probe: %s",
			                       strerror(errno));
		return n;
	}
	if (pid == 0) {
		close(fds[0]);
		child(paths, from, n, fds[1]);
	}
	close(fds[1]);
	while (next < n) {
		struct probe_rec rec;
		int rc = read_by(fds[0], &rec, sizeof(rec),
		                 px__now_ns() + timeout_ns);
		if (rc <= 0 || rec.index != next) {
			why[next] = death(pid, rc < 0, timeout_ns);
			close(fds[0]);
			return next + 1;
		}
		if (rec.len) {
			why[next] = px__xcalloc(1, (size_t)rec.len + 1);
			if (read_by(fds[0], why[next], rec.len,
			            px__now_ns() + timeout_ns) <= 0) {
				free(why[next]);
				why[next] = death(pid, true, timeout_ns);
				close(fds[0]);
				return next + 1;
			}
		}
		next++;
	}
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return n;
}

int px__probe_files(char *const *paths, size_t n, int64_t timeout_ns,
                    char **why)
{
	size_t from = 0;

	for (size_t i = 0; i < n; i++)
		why[i] = NULL;
	fflush(NULL);
	while (from < n)
		from = one_child(paths, from, n, timeout_ns, why);
	return 0;
}
