/* test_gil_trace.c: the GIL tracer (tools/gil_trace.c) and its reader
 * (tools/gil_trace.py) measure a hold after a long wait. A Python 3 is
 * run under the tracer through a sequence with a forced order: it reads a
 * pipe 60 times (the descriptor it reads most: not its imports'), waits
 * 20 ms for a lock it holds itself (the wait times out: a long wait),
 * spins 2 ms, lets the lock go and reads again. So exactly one hold after
 * a long wait follows, of at least 2 ms, whatever the machine's load.
 * Then a thread spins 50 ms while the main thread, back from a sleep, wants
 * the GIL: its 1 ms wait times out and it waits again, so the reader
 * finds at least one request gap.
 *
 * With --releases (test_releases_recorded_alone) the tracer records
 * semaphore posts and nothing else, each at its call and its return, and
 * writes a thread's slot through when the thread claims it: a Python 3
 * thread that takes and lets go of a lock 2,000 times (and reads and writes
 * a pipe, which are not recorded) leaves posts alone, each ended in its
 * own thread, at least one slot's 3 MiB allocated, and a summary of 2,000
 * releases of one lock by that thread; --show without --releases says
 * they are posts alone, a trace of every call summarised with --releases
 * says it was, and a thread that posts more than its slot holds is
 * named. */
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

/* Runs under python3 with the tools folder, the tracer and a scratch
 * folder as arguments. */
static const char releases_script[] =
	"import os, subprocess, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"import gil_trace as g\n"
	"prefix = os.path.join(sys.argv[3], 'trace')\n"
	"program = ('import os, threading\\n'\n"
	"           'lock = threading.Lock()\\n'\n"
	"           'def run():\\n'\n"
	"           '    r, w = os.pipe()\\n'\n"
	"           '    for _ in range(2000):\\n'\n"
	"           '        lock.acquire()\\n'\n"
	"           '        os.write(w, b\\'x\\')\\n'\n"
	"           '        os.read(r, 1)\\n'\n"
	"           '        lock.release()\\n'\n"
	"           't = threading.Thread(target=run)\\n'\n"
	"           't.start()\\n'\n"
	"           't.join()\\n')\n"
	"out = subprocess.check_output([sys.executable, os.path.join(sys.argv[1],\n"
	"    'gil_trace.py'), '--lib', sys.argv[2], '--releases', '-o', prefix,\n"
	"    '--', sys.executable, '-c', program]).decode()\n"
	"files = g.trace_files(prefix)\n"
	"assert len(files) == 1, files\n"
	"threads = g.read_trace(files[0])\n"
	"kinds = set(t for ev in threads.values() for _, t, _ in ev)\n"
	"assert kinds == set([g.SEM_POST, g.SEM_POST_OUT]), kinds\n"
	"for ev in threads.values():\n"
	"    types = [t for _, t, _ in ev]\n"
	"    assert types == [g.SEM_POST, g.SEM_POST_OUT] * (len(types) // 2), types\n"
	"    assert all(b[0] >= a[0] for a, b in zip(ev, ev[1:])), ev\n"
	"assert os.stat(files[0]).st_blocks * 512 >= 3 << 20, os.stat(files[0])\n"
	"holder, n, got = g.releases(threads)\n"
	"assert n == 2000 and sum(len(k['post']) for k in got.values()) == 1999, \\\n"
	"    (n, got)\n"
	"assert ('thread %d: 2000 releases of its lock\\n' % holder) in out, out\n"
	"def show(*extra):\n"
	"    return subprocess.check_output([sys.executable, os.path.join(\n"
	"        sys.argv[1], 'gil_trace.py'), '--show'] + list(extra)).decode()\n"
	"# Posts alone are summarised with --releases only, and said so.\n"
	"assert 'summarise them with --releases' in show(prefix), show(prefix)\n"
	"# Recorded without --releases, a summary of releases says so.\n"
	"full = os.path.join(sys.argv[3], 'full')\n"
	"subprocess.check_call([sys.executable, os.path.join(sys.argv[1],\n"
	"    'gil_trace.py'), '--lib', sys.argv[2], '-o', full, '--',\n"
	"    sys.executable, '-c', program], stdout=subprocess.DEVNULL)\n"
	"out = show(full, '--releases')\n"
	"assert '2000 releases of its lock (recorded without --releases' in out, out\n"
	"# A thread that posts more than its slot holds: said, not hidden.\n"
	"many = os.path.join(sys.argv[3], 'many')\n"
	"out = subprocess.check_output([sys.executable, os.path.join(sys.argv[1],\n"
	"    'gil_trace.py'), '--lib', sys.argv[2], '--releases', '-o', many,\n"
	"    '--', sys.executable, '-c', program.replace('2000', '70000')]).decode()\n"
	"assert ('recorded %d events, the most a thread can' % g.SLOT_EVENTS) \\\n"
	"    in out, out\n"
	"print('ok')\n";

static void test_releases_recorded_alone(void)
{
	const char *args[] = { PARLAB_TEST_SOURCE_DIR "/tools", TRACER, NULL };

	CU_ASSERT_EQUAL(px_test_python(releases_script, args), 0);
}

TEST_MAIN("gil_trace", T(test_a_hold_after_a_long_wait_is_measured),
          T(test_releases_recorded_alone))
