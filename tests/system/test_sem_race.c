/* test_sem_race.c: the semaphore race recorder (tools/sem_race.c) and
 * its reader (tools/sem_race.py). The recorder carries its own semaphore
 * (glibc's algorithm, stamped), so the first thing checked is that
 * programs still work under it: a Python 3's threads hand a
 * threading.Semaphore back and forth 2,000 times and end (a lost wake-up
 * would hang them: subprocess's timeout bounds it), and parlab's
 * gil-threads in mode legacy, two countdown workers, runs ok. Then the
 * records: each thread's in time order, every post ended in its own
 * thread, every sleep followed by a return from it, every take after a
 * return marked won or lost. With start: python parlab's main thread
 * waits for the lock while the first worker holds it (the worker runs
 * its countdown with it) and a post of that worker ends the wait: at
 * least one sleep is ended by a post, whatever the machine's load, and
 * the summary counts it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define RECORDER PARLAB_TEST_BUILD_DIR "/libparlab-sem-race.so"

/* Runs under python3 with the tools folder, the recorder, parlab and a
 * scratch folder as arguments. */
static const char script[] =
	"import os, re, subprocess, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"import sem_race as s, gil_trace\n"
	"tool, lib, parlab, d = (os.path.join(sys.argv[1], 'sem_race.py'),\n"
	"                        sys.argv[2], sys.argv[3], sys.argv[4])\n"
	"ping = ('import threading\\n'\n"
	"        'a, b = threading.Semaphore(0), threading.Semaphore(0)\\n'\n"
	"        'def other():\\n'\n"
	"        '    for _ in range(2000):\\n'\n"
	"        '        a.acquire()\\n'\n"
	"        '        b.release()\\n'\n"
	"        't = threading.Thread(target=other)\\n'\n"
	"        't.start()\\n'\n"
	"        'for _ in range(2000):\\n'\n"
	"        '    a.release()\\n'\n"
	"        '    b.acquire()\\n'\n"
	"        't.join()\\n'\n"
	"        'print(\"handed\")\\n')\n"
	"out = subprocess.run([sys.executable, tool, '--lib', lib, '-o',\n"
	"                      os.path.join(d, 'ping', 'p'), '--', sys.executable,\n"
	"                      '-c', ping], capture_output=True, text=True,\n"
	"                     timeout=300)\n"
	"assert out.returncode == 0 and 'handed' in out.stdout, out\n"
	"exp = os.path.join(d, 'legacy.yaml')\n"
	"open(exp, 'w').write('experiment: legacy-race\\n'\n"
	"    'workload: {name: cpu-count, params: {iterations: 200_000, tasks: 4}}\\n'\n"
	"    'strategies:\\n'\n"
	"    '  - {name: gil-threads, params: {mode: legacy, check_interval: 50}}\\n'\n"
	"    'workers: [2]\\n'\n"
	"    'repetitions: 1\\n'\n"
	"    'warmup: 0\\n')\n"
	"prefix = os.path.join(d, 'gil', 'p')\n"
	"# A parlab built with AddressSanitizer wants its runtime first of the\n"
	"# libraries; the recorder intercepts no call ASan does.\n"
	"env = dict(os.environ, ASAN_OPTIONS=os.environ.get('ASAN_OPTIONS', '')\n"
	"           + ':verify_asan_link_order=0')\n"
	"out = subprocess.run([sys.executable, tool, '--lib', lib, '-o', prefix,\n"
	"                      '--', parlab, 'run', '--quiet', '--output-dir',\n"
	"                      os.path.join(d, 'out'), exp], env=env,\n"
	"                     capture_output=True, text=True, timeout=300)\n"
	"assert out.returncode == 0, out\n"
	"assert ',ok,' in open(os.path.join(d, 'out', 'trials.csv')).read()\n"
	"ended = 0\n"
	"for path in gil_trace.trace_files(prefix):\n"
	"    threads, full = s.read_file(path)\n"
	"    assert not full\n"
	"    for tid, ev in threads.items():\n"
	"        assert all(a[0] <= b[0] for a, b in zip(ev, ev[1:])), tid\n"
	"        types = [t for _, t in ev]\n"
	"        for i, t in enumerate(types):\n"
	"            nxt = types[i + 1] if i + 1 < len(types) else None\n"
	"            if t == s.POST:\n"
	"                assert nxt == s.POST_END, (tid, i, types[i:i + 3])\n"
	"            elif t == s.SLEEP:\n"
	"                assert nxt == s.WOKE, (tid, i, types[i:i + 3])\n"
	"            elif t == s.WOKE:\n"
	"                assert nxt in (s.WON, s.LOST), (tid, i, types[i:i + 3])\n"
	"    r = s.race(threads)\n"
	"    ended += len(r['won']) if r else 0\n"
	"assert ended >= 1, ended\n"
	"m = re.search(r'(\\d+) sleeps ended by a post', out.stdout)\n"
	"assert m and int(m.group(1)) >= 1, out.stdout\n"
	"print('ok')\n";

static void test_recorded_race(void)
{
	const char *args[] = { PARLAB_TEST_SOURCE_DIR "/tools", RECORDER,
	                       PARLAB_TEST_BINARY, NULL };

	CU_ASSERT_EQUAL(px_test_python(script, args), 0);
}

TEST_MAIN("sem_race", T(test_recorded_race))
