/* hold_cpus.c: parlab-hold, a command runner that keeps CPUs out of idle.
 *
 *   parlab-hold [--cpus LIST] [--] COMMAND [ARG]...
 *
 * For each CPU of LIST (default: every CPU this process may use) a child
 * pinned to that CPU spins at SCHED_IDLE while COMMAND runs, so that the
 * CPU never halts: a thread woken there takes the CPU from the spinner,
 * at once or at the spinner's next yield (see PAUSES_PER_YIELD), instead
 * of waiting for the CPU to come out of a halt. Not sooner: in the
 * convoy trials traced on the project's guest (ftrace, 2026-12-06) a
 * median 2 to 3 us from wake-up to run against 1 us on free CPUs, the
 * longest 34 us against 589 us. Within one cgroup a SCHED_IDLE task
 * gets about 0.3% of a busy CPU (weight 3 against a normal task's 1024);
 * against other cgroups it competes at its group's weight, so on a
 * shared machine it takes time from other users' work.
 *
 * Why: on a virtual machine without a cpuidle driver (parlab's meta.json
 * says `cpuidle_driver: none`) an idle CPU halts and the host decides how
 * soon it runs again. On the project's 2-core guest that decided whether a
 * one-byte read beside a CPU-bound thread lost the GIL: CPython 3.11's
 * trials of 200 reads (5 ms interval) lost 36 to 169 of them, in runs of
 * consecutive losses; held, 39 to 57 (2026-12-06, docs/fidelity-notes.md,
 * "why the two-core ready reads flip"). Where a cpuidle driver exists,
 * /dev/cpu_dma_latency (pyperf's "system tune") keeps CPUs out of deep
 * idle states without busy loops.
 *
 * COMMAND gets PARLAB_HOLD_CPUS=LIST in its environment (parlab records
 * it as `held_cpus`, the fidelity tools write it above their tables).
 * Exit status: COMMAND's; when signal N killed it, parlab-hold dies of N
 * too (SIGINT, SIGTERM, SIGHUP, SIGPIPE: so a shell loop stops at Ctrl-C)
 * or exits 128 + N; 127 when COMMAND is not found, 126 when it cannot be
 * run, 2 for a usage error, 1 when a CPU could not be held. Ctrl-C
 * reaches COMMAND from the terminal (parlab-hold ignores SIGINT and
 * SIGQUIT, as system() does: sent to parlab-hold alone they do nothing;
 * send SIGTERM), SIGTERM and SIGHUP are passed on (so that one sent to
 * the whole group reaches COMMAND twice: parlab and the fidelity tools
 * take that as one request), and the CPUs stay held until COMMAND has
 * exited; a busy loop that ended early is reported.
 * Build tree only (build/parlab-hold). */
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
#define HELP USAGE \
	"Runs COMMAND with the CPUs of LIST (default: every CPU this process\n" \
	"may use; e.g. 0,1 or 0-3) kept out of idle by a busy loop each at\n" \
	"SCHED_IDLE, which runs only when nothing else wants the CPU. COMMAND\n" \
	"gets PARLAB_HOLD_CPUS=LIST. Ctrl-C reaches COMMAND from the terminal;\n" \
	"SIGTERM and SIGHUP to parlab-hold are passed on (SIGINT to it alone\n" \
	"is ignored). Exit status: COMMAND's (a signal that killed it kills\n" \
	"parlab-hold too, or 128 + N), 127 not found, 126 not runnable, 2\n" \
	"usage, 1 a CPU could not be held.\n"

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
		errno = 0;
		a = b = strtol(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return *why = "a number after '-'", -1;
			b = strtol(end + 1, &end, 10);
		}
		if (errno || a >= CPU_SETSIZE || b >= CPU_SETSIZE)
			return *why = "CPUs below 1024", -1;
		if (b < a)
			return *why = "a range A-B with A <= B", -1;
		for (long c = a; c <= b; c++)
			CPU_SET((int)c, set);
		if (*end == ',' && end[1])
			end++;
		else if (*end == ',')
			return *why = "a CPU after ','", -1;
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

/* How many pause hints the spinner runs between two sched_yield() calls:
 * 512 take about 11 us on the project's guest. The yield is what bounds a
 * woken thread's wait: on kernel 6.18 a thread woken while it is still
 * switching out (a lock handed back within microseconds of its sleep,
 * as the GIL is) goes back on the run queue without the preemption check,
 * and behind a spinner that never enters the kernel it waited for the
 * next tick, up to 4 ms (ftrace: CPython's CPU-bound thread woken at
 * .590382 ran at .592024, after the tick; 2026-12-06). With the yield
 * its longest wait in the same trials was 34 us, and the 500 us convoy
 * trials where that thread never ran (0 slow reads of 200) went, side by
 * side, from 2 of 60 to none (CPython 3.11.7) and from 12 of 60 to none
 * (parlab). */
#define PAUSES_PER_YIELD 512

/* The spinner: pinned to cpu at SCHED_IDLE, or writes errno to report and
 * exits. It ignores Ctrl-C and SIGTERM or SIGHUP, which a batch system
 * sends the whole group and `pkill -f parlab-hold` sends it too (its
 * command line is parlab-hold's): COMMAND may still be writing what it
 * measured. parlab-hold kills it once COMMAND has exited, and the kernel
 * kills it should parlab-hold die first. */
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
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0 ||
	    sched_setscheduler(0, SCHED_IDLE, &none) != 0)
		err = errno;
	if (write(report, &err, sizeof(err)) != (ssize_t)sizeof(err) || err)
		_exit(1);
	close(report);
	for (;;) {
		for (int i = 0; i < PAUSES_PER_YIELD; i++)
			cpu_relax();
		sched_yield();
	}
}

static pid_t spinners[CPU_SETSIZE];
static int spinner_cpu[CPU_SETSIZE];
static int nspinners;
static volatile sig_atomic_t command_pid;

/* Stops the spinners; says so when one had ended before (its CPU was not
 * held throughout). */
static void stop_spinners(void)
{
	for (int i = 0; i < nspinners; i++) {
		int status;
		pid_t got;

		while ((got = waitpid(spinners[i], &status, WNOHANG)) < 0 &&
		       errno == EINTR)
			;
		if (got == spinners[i]) {
			fprintf(stderr, "parlab-hold: warning: the busy loop on CPU %d "
			        "ended early (%s %d): that CPU was not held "
			        "throughout\n", spinner_cpu[i],
			        WIFSIGNALED(status) ? "signal" : "status",
			        WIFSIGNALED(status) ? WTERMSIG(status)
			                            : WEXITSTATUS(status));
			continue;
		}
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
		spinner_cpu[nspinners] = c;
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

/* Runs argv to its end; its wait status in *status. Returns 0, or an
 * exit status for parlab-hold when it could not. */
static int run(char **argv, int *status)
{
	struct sigaction fwd = { .sa_handler = forward };
	sigset_t block, old;
	pid_t pid, got;

	/* No signal between the fork and the handlers: a SIGTERM there would
	 * end parlab-hold and leave COMMAND running, unheld and untold. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid < 0) {
		perror("parlab-hold: fork");
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 1;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "parlab-hold: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	command_pid = pid;
	/* As system(): Ctrl-C is COMMAND's to handle; this waits it out. */
	sigemptyset(&fwd.sa_mask);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	while ((got = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	if (got < 0) {
		perror("parlab-hold: waitpid");
		return 1;
	}
	return 0;
}

/* parlab-hold's own end for COMMAND's wait status: the same exit status,
 * or death by the same signal where that signal's default is to end
 * quietly (a shell then sees a Ctrl-C'd command and stops its loop). */
static int finish(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
		    sig == SIGPIPE) {
			sigset_t one;

			signal(sig, SIG_DFL);
			sigemptyset(&one);
			sigaddset(&one, sig);
			sigprocmask(SIG_UNBLOCK, &one, NULL);
			raise(sig);
		}
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	cpu_set_t mine, set;
	char text[4096];
	int i = 1, rc, status = 0;
	const char *list = NULL;

	if (sched_getaffinity(0, sizeof(mine), &mine) != 0) {
		perror("parlab-hold: sched_getaffinity");
		return 1;
	}
	set = mine;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(HELP, stdout);
			return 0;
		}
		if (!strncmp(argv[i], "--cpus=", 7)) {
			list = argv[i] + 7;
		} else if (!strcmp(argv[i], "--cpus")) {
			if (i + 1 >= argc) {
				fputs("parlab-hold: --cpus needs a LIST (e.g. 0,1 or "
				      "0-3)\n" USAGE, stderr);
				return 2;
			}
			list = argv[++i];
		} else {
			fprintf(stderr, "parlab-hold: unknown option %s\n" USAGE,
			        argv[i]);
			return 2;
		}
	}
	if (list) {
		const char *why;

		if (parse_list(list, &set, &why) != 0) {
			fprintf(stderr, "parlab-hold: --cpus %s: expected %s\n",
			        list, why);
			return 2;
		}
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set) && !CPU_ISSET(c, &mine)) {
				format_list(&mine, text, sizeof(text));
				fprintf(stderr, "parlab-hold: --cpus %s: CPU %d is not "
				        "one this process may use (%s)\n", list, c, text);
				return 2;
			}
	}
	if (i >= argc) {
		fputs("parlab-hold: no COMMAND to run\n" USAGE, stderr);
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
	rc = run(argv + i, &status);
	stop_spinners();
	return rc ? rc : finish(status);
}
