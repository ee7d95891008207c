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
/* Copies of stop_sig that came from elsewhere than the parent. */
static volatile sig_atomic_t stop_others;
static int pipe_fds[2] = { -1, -1 };
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* Whether the parent sent it: a tool that runs parlab (parlab-hold,
 * tools/fidelity.py, tools/legacy_sweep.py) passes a SIGTERM it got on,
 * and when the signal went to the whole process group parlab gets it
 * twice, once from the sender and once passed on. */
static int from_parent(const siginfo_t *info)
{
	return info && (info->si_code == SI_USER || info->si_code == SI_QUEUE) &&
	       info->si_pid == getppid();
}

static void on_signal(int sig, siginfo_t *info, void *context)
{
	int saved = errno, parent = from_parent(info);

	(void)context;
	if (stop_sig) {
		/* The same signal again as one request: passed on by the
		 * parent, or the group's own copy of one the parent passed on
		 * first. Anything else insists: obey it now. */
		if (sig == stop_sig && (parent || !stop_others)) {
			if (!parent)
				stop_others = 1;
			return;
		}
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_sig = sig;
	stop_others = !parent;
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
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
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
