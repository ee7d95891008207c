/* test_gil_trace.c: the GIL tracer (tools/gil_trace.c) and its reader
 * (tools/gil_trace.py) measure a hold after a long wait. A Python 3 is
 * run under the tracer through a sequence with a forced order: it reads a
 * pipe 60 times (the descriptor it reads most: not its imports'), waits
 * 20 ms for a lock it holds itself (the wait times out: a long wait),
 * spins 2 ms, lets the lock go and reads again. So exactly one hold after
 * a long wait follows, of at least 2 ms, whatever the machine's load.
 * Then a thread spins 50 ms while the main thread, back from a sleep, wants
 * the GIL: its 1 ms wait times out and it waits again, so the reader
 * finds at least one request gap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define TRACER PARLAB_TEST_BUILD_DIR "/libparlab-gil-trace.so"
#define READER PARLAB_TEST_SOURCE_DIR "/tools/gil_trace.py"

static const char script[] =
	"import os, threading, time\n"
	"r, w = os.pipe()\n"
	"os.write(w, b'a' * 61)\n"
	"for _ in range(60):\n"
	"    os.read(r, 1)\n"
	"lock = threading.Lock()\n"
	"lock.acquire()\n"
	"assert not lock.acquire(True, 0.02)\n"
	"end = time.time() + 0.002\n"
	"while time.time() < end:\n"
	"    pass\n"
	"lock.release()\n"
	"os.read(r, 1)\n"
	"import sys\n"
	"sys.setswitchinterval(0.001)\n"
	"def spin():\n"
	"    end = time.time() + 0.05\n"
	"    while time.time() < end:\n"
	"        pass\n"
	"t = threading.Thread(target=spin)\n"
	"t.start()\n"
	"time.sleep(0.005)\n"
	"t.join()\n";

static void test_a_hold_after_a_long_wait_is_measured(void)
{
	char dir[] = "/tmp/parlab-gil-trace-XXXXXX", prefix[64], cmd[512];
	char line[1024] = "";
	double hold_us = 0, gap_ns = 0;
	int holds = 0, gaps = 0, status;
	pid_t pid;
	FILE *out;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(prefix, sizeof(prefix), "%s/trace", dir);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		setenv("PARLAB_GIL_TRACE", prefix, 1);
		setenv("LD_PRELOAD", TRACER, 1);
		execlp("python3", "python3", "-c", script, (char *)NULL);
		_exit(127);
	}
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	CU_ASSERT_FATAL(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	snprintf(cmd, sizeof(cmd), "python3 %s --show %s", READER, prefix);
	out = popen(cmd, "r");
	CU_ASSERT_FATAL(out != NULL);
	/* "request: median 812 ns over 2 timed-out ..." comes first. */
	while (fgets(line, sizeof(line), out) && !strstr(line, "resume hold"))
		if (sscanf(line, "request: median %lf ns over %d", &gap_ns,
		           &gaps) == 2)
			continue;
	pclose(out);
	CU_ASSERT(gaps >= 1);
	CU_ASSERT(gap_ns > 0);
	/* "...: 61 reads; resume hold: median 2003.10 us of 1; ..." */
	const char *at = strstr(line, "resume hold: median ");
	CU_ASSERT_FATAL(at != NULL);
	CU_ASSERT(sscanf(at, "resume hold: median %lf us of %d", &hold_us,
	                 &holds) == 2);
	CU_ASSERT_EQUAL(holds, 1);
	CU_ASSERT(hold_us >= 2000);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT(system(cmd) == 0);
}

TEST_MAIN("gil_trace", T(test_a_hold_after_a_long_wait_is_measured))
