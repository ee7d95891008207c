/* hold_cpus.c: parlab-hold, a command runner that keeps CPUs out of idle.
 *
 *   parlab-hold [--cpus LIST] [--] COMMAND [ARG]...
 *
 * For each CPU of LIST (default: every CPU this process may use) a child
 * pinned to that CPU spins at SCHED_IDLE while COMMAND runs: it takes only
 * time no other thread wants, and a thread woken on a held CPU finds it
 * running instead of halted. On this project's 2-core virtual machine a
 * halted CPU is the host's to wake (it exits to the hypervisor, which
 * adapts how long it polls before descheduling it), and how fast a woken
 * thread ran decided whether a one-byte read beside a CPU-bound thread
 * lost the GIL: CPython 3.11's reads at a 5 ms interval lost 36 to 169 of
 * 200 a trial in runs of consecutive losses, held 39 to 57 (2026-12-06).
 * pyperf's "system tune" does the same through /dev/cpu_dma_latency on
 * machines with a cpuidle driver; this guest has none.
 *
 * COMMAND gets PARLAB_HOLD_CPUS=LIST in its environment (the fidelity
 * tools write it above their tables). Exit status: COMMAND's, 128 + N when
 * signal N ended it, 127 when it could not be run, 2 for a usage error, 1
 * when a CPU could not be held. Ctrl-C reaches COMMAND; the CPUs stay
 * held until it has exited. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define USAGE "usage: parlab-hold [--cpus LIST] [--] COMMAND [ARG]...\n"

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Parses "0,2-3" into set; returns 0, or -1 with the reason in why. */
static int parse_list(const char *s, cpu_set_t *set, const char **why)
{
	CPU_ZERO(set);
	while (*s) {
		char *end;
		long a, b;

		if (*s < '0' || *s > '9')
			return *why = "a CPU number or a range A-B", -1;
		a = b = strtol(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return *why = "a number after '-'", -1;
			b = strtol(end + 1, &end, 10);
		}
		if (b < a || b >= CPU_SETSIZE)
			return *why = "a range A-B with A <= B < 1024", -1;
		for (long c = a; c <= b; c++)
			CPU_SET((int)c, set);
		if (*end == ',' && end[1])
			end++;
		else if (*end)
			return *why = "',' between CPUs", -1;
		s = end;
	}
	if (!CPU_COUNT(set))
		return *why = "at least one CPU", -1;
	return 0;
}

/* The canonical text of set ("0-1,3"), for PARLAB_HOLD_CPUS. */
static void format_list(const cpu_set_t *set, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && used < n; c++) {
		int last = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
			last++;
		used += (size_t)snprintf(out + used, n - used, "%s%d", used ? "," : "", c);
		if (last > c && used < n)
			used += (size_t)snprintf(out + used, n - used, "-%d", last);
		c = last;
	}
}

/* The spinner: pinned to cpu at SCHED_IDLE, or writes errno to report and
 * exits. It outlives neither its parent nor a Ctrl-C's COMMAND. */
static void spin(int cpu, pid_t parent, int report)
{
	cpu_set_t one;
	struct sched_param none = { 0 };
	int err = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0 ||
	    sched_setscheduler(0, SCHED_IDLE, &none) != 0)
		err = errno;
	if (write(report, &err, sizeof(err)) != (ssize_t)sizeof(err) || err)
		_exit(1);
	close(report);
	for (;;)
		cpu_relax();
}

static pid_t spinners[CPU_SETSIZE];
static int nspinners;
static volatile sig_atomic_t command_pid;

static void stop_spinners(void)
{
	for (int i = 0; i < nspinners; i++) {
		kill(spinners[i], SIGKILL);
		while (waitpid(spinners[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	nspinners = 0;
}

/* SIGTERM or SIGHUP to parlab-hold goes on to COMMAND. */
static void forward(int sig)
{
	if (command_pid > 0)
		kill((pid_t)command_pid, sig);
}

/* Starts a spinner on each CPU of set; 0, or -1 after a message. */
static int hold(const cpu_set_t *set)
{
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int fds[2], err = 0;
		pid_t me = getpid(), pid;
		ssize_t got;

		if (!CPU_ISSET(c, set))
			continue;
		if (pipe(fds) != 0) {
			perror("parlab-hold: pipe");
			return -1;
		}
		pid = fork();
		if (pid < 0) {
			perror("parlab-hold: fork");
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
		if (pid == 0) {
			close(fds[0]);
			spin(c, me, fds[1]);
		}
		spinners[nspinners++] = pid;
		close(fds[1]);
		while ((got = read(fds[0], &err, sizeof(err))) < 0 && errno == EINTR)
			;
		close(fds[0]);
		if (got != (ssize_t)sizeof(err) || err) {
			fprintf(stderr, "parlab-hold: cannot hold CPU %d at SCHED_IDLE: %s\n",
			        c, got == (ssize_t)sizeof(err) ? strerror(err)
			                                     : "the spinner ended");
			return -1;
		}
	}
	return 0;
}

static int run(char **argv)
{
	struct sigaction fwd = { .sa_handler = forward };
	int status;
	pid_t pid, got;

	sigemptyset(&fwd.sa_mask);
	pid = fork();
	if (pid < 0) {
		perror("parlab-hold: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "parlab-hold: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		_exit(127);
	}
	command_pid = pid;
	/* As system(): Ctrl-C is COMMAND's to handle; this waits it out. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (got < 0) {
		perror("parlab-hold: waitpid");
		return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	cpu_set_t mine, set;
	char text[4096];
	int i = 1, rc;

	if (sched_getaffinity(0, sizeof(mine), &mine) != 0) {
		perror("parlab-hold: sched_getaffinity");
		return 1;
	}
	set = mine;
	if (i < argc && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
		fputs(USAGE, stdout);
		return 0;
	}
	if (i < argc && !strcmp(argv[i], "--cpus")) {
		const char *why;

		if (i + 1 >= argc) {
			fputs("parlab-hold: --cpus needs a LIST (e.g. 0,1 or 0-3)\n" USAGE,
			      stderr);
			return 2;
		}
		if (parse_list(argv[i + 1], &set, &why) != 0) {
			fprintf(stderr, "parlab-hold: --cpus %s: expected %s\n",
			        argv[i + 1], why);
			return 2;
		}
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set) && !CPU_ISSET(c, &mine)) {
				format_list(&mine, text, sizeof(text));
				fprintf(stderr, "parlab-hold: --cpus %s: CPU %d is not "
				        "one this process may use (%s)\n", argv[i + 1], c,
				        text);
				return 2;
			}
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fputs("parlab-hold: no COMMAND to run\n" USAGE, stderr);
		return 2;
	}
	if (argv[i][0] == '-') {
		fprintf(stderr, "parlab-hold: unknown option %s\n" USAGE, argv[i]);
		return 2;
	}
	format_list(&set, text, sizeof(text));
	if (setenv("PARLAB_HOLD_CPUS", text, 1) != 0) {
		perror("parlab-hold: setenv");
		return 1;
	}
	if (hold(&set) != 0) {
		stop_spinners();
		return 1;
	}
	rc = run(argv + i);
	stop_spinners();
	return rc;
}
