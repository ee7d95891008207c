/* test_stop.c: a stop signal is one request however many copies of it
 * arrive. The same signal passed on by the parent (parlab-hold and the
 * fidelity tools pass a SIGTERM on), or the process group's own copy of
 * one the parent passed on, does not end parlab at once; a third copy, or
 * a different signal, does. Each case runs in a child process; the test
 * sends a signal only after the child has shown that the one before was
 * handled (it answers through a pipe), so no timing decides anything. */
#include <errno.h>
#include <poll.h>
#include <signal.h>

#include "helpers.h"
#include "exec/stop.h"

struct child {
	pid_t pid;
	int to[2];   /* the test writes 'g' (go on) or 'q' (quit) */
	int from[2]; /* the child writes 's' (stop seen) and 'a' (alive) */
};

static void put(int fd, char c)
{
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static char get(int fd)
{
	char c = 0;
	ssize_t n;

	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? c : 0;
}

/* The child: installs the handlers, says when a stop arrived, then says
 * "alive" at each 'g' until 'q', and exits with the stop's signal. */
static void child_main(struct child *c)
{
	struct pollfd p;

	if (px__stop_install() != 0)
		_exit(90);
	put(c->from[1], 'r');
	p.fd = px__stop_fd();
	p.events = POLLIN;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	put(c->from[1], 's');
	for (;;) {
		char cmd = get(c->to[0]);

		if (cmd != 'g')
			_exit(px__stop_signal());
		put(c->from[1], 'a');
	}
}

static void start(struct child *c)
{
	signal(SIGPIPE, SIG_IGN); /* a child that obeyed is gone: say 'q' anyway */
	CU_ASSERT_FATAL(pipe(c->to) == 0 && pipe(c->from) == 0);
	c->pid = fork();
	CU_ASSERT_FATAL(c->pid >= 0);
	if (c->pid == 0)
		child_main(c);
	close(c->to[0]);
	close(c->from[1]);
	CU_ASSERT_EQUAL(get(c->from[0]), 'r');
}

/* sig from this process, the child's parent. */
static void from_parent(struct child *c, int sig)
{
	CU_ASSERT_EQUAL(kill(c->pid, sig), 0);
}

/* sig from another process (a sibling of the child), as the group's copy
 * or a user's kill would come; returns once it has been sent. */
static void from_elsewhere(struct child *c, int sig)
{
	pid_t s = fork();
	int status;

	CU_ASSERT_FATAL(s >= 0);
	if (s == 0)
		_exit(kill(c->pid, sig) == 0 ? 0 : 1);
	CU_ASSERT_EQUAL(waitpid(s, &status, 0), s);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Whether the child is still alive: a signal sent before has been handled
 * once the child answers 'g' (it was pending when the child read). */
static int alive(struct child *c)
{
	put(c->to[1], 'g');
	return get(c->from[0]) == 'a';
}

/* Ends the child; returns its wait status. */
static int finish(struct child *c)
{
	int status = 0;

	put(c->to[1], 'q');
	CU_ASSERT_EQUAL(waitpid(c->pid, &status, 0), c->pid);
	close(c->to[1]);
	close(c->from[0]);
	return status;
}

static void test_parent_passing_on_is_one_request(void)
{
	struct child c;
	int status;

	start(&c);
	from_elsewhere(&c, SIGTERM); /* the group's copy */
	CU_ASSERT_EQUAL(get(c.from[0]), 's');
	from_parent(&c, SIGTERM); /* parlab-hold passes it on */
	CU_ASSERT(alive(&c));
	from_parent(&c, SIGTERM); /* and again: still the same request */
	CU_ASSERT(alive(&c));
	status = finish(&c);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == SIGTERM);
}

static void test_group_copy_after_parent_is_one_request(void)
{
	struct child c;
	int status;

	start(&c);
	from_parent(&c, SIGTERM); /* passed on first */
	CU_ASSERT_EQUAL(get(c.from[0]), 's');
	from_elsewhere(&c, SIGTERM); /* the group's own copy, later */
	CU_ASSERT(alive(&c));
	from_elsewhere(&c, SIGTERM); /* a user who insists */
	status = finish(&c);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

static void test_second_from_elsewhere_insists(void)
{
	struct child c;
	int status;

	start(&c);
	from_elsewhere(&c, SIGINT);
	CU_ASSERT_EQUAL(get(c.from[0]), 's');
	from_elsewhere(&c, SIGINT);
	status = finish(&c);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
}

static void test_other_signal_insists(void)
{
	struct child c;
	int status;

	start(&c);
	from_parent(&c, SIGTERM);
	CU_ASSERT_EQUAL(get(c.from[0]), 's');
	from_parent(&c, SIGHUP);
	status = finish(&c);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
}

TEST_MAIN("stop", T(test_parent_passing_on_is_one_request),
          T(test_group_copy_after_parent_is_one_request),
          T(test_second_from_elsewhere_insists),
          T(test_other_signal_insists))
