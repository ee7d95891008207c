/* stop.c: signals that ask the runner to stop, through a self-pipe, so
 * that a wait in poll wakes without a race between a check and the wait. */
#define _GNU_SOURCE
#include "exec/stop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_sig;
static int pipe_fds[2] = { -1, -1 };
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	int saved = errno;

	if (stop_sig) {
		/* The second request: obey it now. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_sig = sig;
	if (write(pipe_fds[1], "x", 1) < 0) {
		/* the pipe is full: it is readable already */
	}
	errno = saved;
}

int px__stop_install(void)
{
	struct sigaction sa;

	if (pipe_fds[0] >= 0)
		return 0;
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(int); i++)
		sigaction(stop_signals[i], &sa, NULL);
	return 0;
}

int px__stop_signal(void)
{
	return stop_sig;
}

int px__stop_fd(void)
{
	return pipe_fds[0];
}

void px__stop_child(void)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(int); i++)
		signal(stop_signals[i], SIG_DFL);
	if (pipe_fds[0] >= 0) {
		close(pipe_fds[0]);
		close(pipe_fds[1]);
	}
}
