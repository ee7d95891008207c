/* sockets.h: socketpairs per task and an echo helper process, for the IO
 * workloads. Each task owns one socketpair, so any strategy (threads,
 * processes, an event loop) can run any task on any worker. */
#ifndef PX_PLUGIN_SOCKETS_H
#define PX_PLUGIN_SOCKETS_H

/* Include this header first, or define _GNU_SOURCE before any include. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/parent.h"

struct socket_set {
	size_t n;
	int *mine;      /* the task's end */
	int *peer;      /* the helper's end (closed here once it is forked) */
	pid_t helper;
};

/* Raises the open-file limit so that `need` more descriptors fit. */
static inline void sockets_raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
		rl.rlim_cur = need + 64 < rl.rlim_max ? need + 64 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Makes n socketpairs; 0 or a negative errno value. */
static inline int sockets_open(struct socket_set *s, size_t n)
{
	s->n = 0;
	s->helper = 0;
	s->mine = calloc(n, sizeof(int));
	s->peer = calloc(n, sizeof(int));
	if (!s->mine || !s->peer)
		return -ENOMEM;
	sockets_raise_nofile(2 * n);
	for (; s->n < n; s->n++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return -errno;
		s->mine[s->n] = sv[0];
		s->peer[s->n] = sv[1];
	}
	return 0;
}

static inline int64_t sockets_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The helper's loop: answer each byte b with b+1 after delay_ns, in the
 * order the requests came (a constant delay keeps that order due-sorted).
 * Ends when every task's end is closed. */
static inline void sockets_echo_loop(struct socket_set *s, int64_t delay_ns)
{
	struct pollfd *p = calloc(s->n, sizeof(*p));
	struct pending { int fd; unsigned char b; int64_t due; } *q;
	/* Each task waits for its reply, so at most n requests are in flight. */
	size_t head = 0, tail = 0, cap = s->n + 16, open = s->n;

	q = calloc(cap, sizeof(*q));
	if (!p || !q)
		_exit(1);
	for (size_t i = 0; i < s->n; i++)
		p[i] = (struct pollfd){ .fd = s->peer[i], .events = POLLIN };
	while (open > 0 || head != tail) {
		int64_t now = sockets_now(), wait_ms = -1;
		while (head != tail && q[head].due <= now) {
			unsigned char r = (unsigned char)(q[head].b + 1);
			if (write(q[head].fd, &r, 1) < 0 && errno != EPIPE)
				_exit(1);
			head = (head + 1) % cap;
		}
		if (head != tail)
			wait_ms = (q[head].due - now + 999999) / 1000000;
		if (open == 0) {
			if (wait_ms > 0)
				usleep((useconds_t)(wait_ms * 1000));
			continue;
		}
		if (poll(p, s->n, (int)wait_ms) < 0 && errno != EINTR)
			_exit(1);
		for (size_t i = 0; i < s->n; i++) {
			unsigned char b[64];
			ssize_t got;
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			got = read(p[i].fd, b, sizeof(b));
			if (got <= 0) {
				p[i].fd = -1;
				open--;
				continue;
			}
			for (ssize_t k = 0; k < got; k++) {
				if ((tail + 1) % cap == head)
					_exit(1);  /* more in flight than it holds */
				q[tail] = (struct pending){ s->peer[i], b[k],
				                            sockets_now() + delay_ns };
				tail = (tail + 1) % cap;
			}
		}
	}
	_exit(0);
}

/* Forks the echo helper, pinned to OS CPU `cpu` when it is 0 or more (a
 * CPU outside the process's set makes the helper exit with 2, seen as a
 * broken pipe), and waits until it is ready to answer, so that the first
 * round trip does not pay for the helper's start; the task ends stay
 * here. 0 or -errno. */
static inline int sockets_start_echo(struct socket_set *s, int64_t delay_ns,
                                     int cpu)
{
	int ready[2];
	pid_t parent = getpid(), pid;
	char c;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(ready[0]);
		close(ready[1]);
		return -e;
	}
	if (pid == 0) {
		die_with_parent(parent);
		close(ready[0]);
		if (cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set) != 0)
				_exit(2);
		}
		for (size_t i = 0; i < s->n; i++)
			close(s->mine[i]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		close(ready[1]);
		sockets_echo_loop(s, delay_ns);
	}
	close(ready[1]);
	s->helper = pid;
	for (size_t i = 0; i < s->n; i++) {
		close(s->peer[i]);
		s->peer[i] = -1;
	}
	/* A byte when it is ready; end of file when it died first (the
	 * round trips then fail with a broken pipe). */
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	return 0;
}

/* Closes everything and reaps the helper. */
static inline void sockets_close(struct socket_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->mine && s->mine[i] >= 0)
			close(s->mine[i]);
		if (s->peer && s->peer[i] >= 0)
			close(s->peer[i]);
	}
	if (s->helper > 0) {
		int st;
		/* The helper ends at EOF on every socket; a stuck one goes. */
		for (int tries = 0; waitpid(s->helper, &st, WNOHANG) == 0; tries++) {
			if (tries == 200)
				kill(s->helper, SIGKILL);
			usleep(5000);
		}
	}
	free(s->mine);
	free(s->peer);
	s->mine = s->peer = NULL;
	s->n = 0;
	s->helper = 0;
}

#endif
