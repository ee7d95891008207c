/* run_log.c: where a trial run's own output goes. The run's process
 * writes its stdout and stderr (the plugins' printf and log calls) to one
 * file, never to parlab's output, so that `--json` stays pure; stdout is
 * line-buffered there and flushed at every end the process can catch, so
 * that a printf before a crash is not lost. The runner reads the file's
 * last lines into a failed run's message. */
#define _GNU_SOURCE
#include "exec/run_log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/runtime_internal.h"

void px__exec_set_verbose(bool on)
{
	px__log_level = on ? PX_LOG_DEBUG : PX_LOG_INFO;
}

int px__run_log_open(const char *path)
{
	if (!path)
		return memfd_create("parlab-run-log", MFD_CLOEXEC);
	return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/* A crash the process can still report: flush what the run printed, then
 * die of the same signal. fflush is not async-signal-safe; a crash inside
 * stdio itself may lose the buffer, which is then lost anyway. */
static void flush_and_die(int sig)
{
	fflush(NULL);
	signal(sig, SIG_DFL);
	raise(sig);
}

void px__run_log_attach(int fd)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], flush_and_die);
}

void px__run_log_tail(int fd, char *msg, size_t cap)
{
	struct stat st;
	char buf[PX_LOG_TAIL_BYTES + 1], *start;
	off_t from;
	ssize_t n;
	size_t len = strlen(msg);
	int lines = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
		return;
	from = st.st_size > PX_LOG_TAIL_BYTES ? st.st_size - PX_LOG_TAIL_BYTES : 0;
	n = pread(fd, buf, PX_LOG_TAIL_BYTES, from);
	if (n <= 0)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	buf[n] = '\0';
	/* The last PX_LOG_TAIL_LINES lines, joined by " | ". */
	start = buf + n;
	while (start > buf && lines < PX_LOG_TAIL_LINES)
		if (*--start == '\n' && ++lines == PX_LOG_TAIL_LINES)
			start++;
	for (char *c = start; *c; c++)
		if (*c == '\n')
			*c = '|';
		else if ((unsigned char)*c < ' ' && *c != '\t')
			*c = ' ';
	snprintf(msg + len, cap - len, "%soutput: %s%s", len ? "; " : "",
	         from > 0 && start == buf ? "..." : "", start);
}

void px__run_log_close(int fd, const char *path)
{
	struct stat st;

	if (fd < 0)
		return;
	if (path && fstat(fd, &st) == 0 && st.st_size == 0)
		unlink(path);
	close(fd);
}
