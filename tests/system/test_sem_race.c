/* test_sem_race.c: the semaphore race recorder (tools/sem_race.c) and
 * its reader (tools/sem_race.py). The recorder carries its own semaphore
 * (glibc's algorithm, stamped), so programs must still work under it: a
 * Python 3's threads hand a threading.Semaphore back and forth 2,000
 * times and end (a lost wake-up would hang them: subprocess's timeout
 * bounds it); a timed acquire (glibc's sem_clockwait, which the recorder
 * leaves to glibc) gets a lock another thread lets go of (the recorder's
 * wake must be glibc's kind of futex call to reach such a wait: one that
 * misses it runs out its 60 s and fails; whether the release comes after
 * the wait began is up to the machine, so this catches that, and never
 * fails a right recorder); parlab's gil-threads in mode legacy runs ok.
 * Then the records, in a forced order: a thread makes 1,500 posts, then
 * holds a lock that a second thread waits for, and lets it go only once
 * the recorder's file holds the second thread's sleep; so that sleep is
 * ended by a post of the thread that posted most, whatever the machine's
 * load, and the summary counts it. Each thread's records are in time
 * order, every post ended in its own thread, every sleep followed by a
 * return, every take after a return marked won or lost; gil_trace.py,
 * shown these files, says they are not its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"def recorded(program, name, env=None):\n"
	"    prefix = os.path.join(d, name, 'p')\n"
	"    out = subprocess.run([sys.executable, tool, '--lib', lib, '-o',\n"
	"                          prefix, '--'] + program, env=env,\n"
	"                         capture_output=True, text=True, timeout=300)\n"
	"    assert out.returncode == 0, out\n"
	"    for path in gil_trace.trace_files(prefix):\n"
	"        threads, full = s.read_file(path)\n"
	"        assert not full\n"
	"        for tid, ev in threads.items():\n"
	"            assert all(a[0] <= b[0] for a, b in zip(ev, ev[1:])), tid\n"
	"            types = [t for _, t in ev]\n"
	"            for i, t in enumerate(types):\n"
	"                nxt = types[i + 1] if i + 1 < len(types) else None\n"
	"                if t == s.POST:\n"
	"                    assert nxt == s.POST_END, (tid, i, types[i:i + 3])\n"
	"                elif t == s.SLEEP:\n"
	"                    assert nxt == s.WOKE, (tid, i, types[i:i + 3])\n"
	"                elif t == s.WOKE:\n"
	"                    assert nxt in (s.WON, s.LOST), (tid, i, types[i:i + 3])\n"
	"    return out.stdout, prefix\n"
	"hand = ('import threading, time\\n'\n"
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
	"        'l = threading.Lock()\\n'\n"
	"        'l.acquire()\\n'\n"
	"        'def later():\\n'\n"
	"        '    time.sleep(0.2)\\n'\n"
	"        '    l.release()\\n'\n"
	"        'threading.Thread(target=later).start()\\n'\n"
	"        'assert l.acquire(True, 60)\\n'\n"
	"        'print(\"handed\")\\n')\n"
	"out, _ = recorded([sys.executable, '-c', hand], 'hand')\n"
	"assert 'handed' in out, out\n"
	"# The forced order: the waiter's sleep is in the file before the post.\n"
	"forced = ('import os, struct, threading, time\\n'\n"
	"          'f = os.environ[\"PARLAB_SEM_RACE\"] + \".%d\" % os.getpid()\\n'\n"
	"          'other = threading.Lock()\\n'\n"
	"          'for _ in range(1500):\\n'\n"
	"          '    other.acquire()\\n'\n"
	"          '    other.release()\\n'\n"
	"          'l, tid = threading.Lock(), []\\n'\n"
	"          'l.acquire()\\n'\n"
	"          'def wait():\\n'\n"
	"          '    tid.append(threading.get_native_id())\\n'\n"
	"          '    l.acquire()\\n'\n"
	"          '    l.release()\\n'\n"
	"          'w = threading.Thread(target=wait)\\n'\n"
	"          'w.start()\\n'\n"
	"          'def slept():\\n'\n"
	"          '    with open(f, \"rb\") as fh:\\n'\n"
	"          '        for slot in range(64):\\n'\n"
	"          '            fh.seek(slot * 16 * (1 << 18))\\n'\n"
	"          '            while True:\\n'\n"
	"          '                rec = fh.read(16)\\n'\n"
	"          '                if len(rec) < 16 or rec[:8] == bytes(8):\\n'\n"
	"          '                    break\\n'\n"
	"          '                _, t, kind = struct.unpack(\"<qii\", rec)\\n'\n"
	"          '                if tid and t == tid[0] and kind == 3:\\n'\n"
	"          '                    return True\\n'\n"
	"          '    return False\\n'\n"
	"          'while not slept():\\n'\n"
	"          '    time.sleep(0.001)\\n'\n"
	"          'l.release()\\n'\n"
	"          'w.join()\\n')\n"
	"out, prefix = recorded([sys.executable, '-c', forced], 'forced')\n"
	"ended = 0\n"
	"for path in gil_trace.trace_files(prefix):\n"
	"    r = s.race(s.read_file(path)[0])\n"
	"    ended += len(r['won']) if r else 0\n"
	"assert ended >= 1, (ended, out)\n"
	"m = re.search(r'(\\d+) sleeps ended by a post', out)\n"
	"assert m and int(m.group(1)) >= 1, out\n"
	"# gil_trace.py leaves this recorder's files out, and says so.\n"
	"other = subprocess.run([sys.executable, os.path.join(sys.argv[1],\n"
	"    'gil_trace.py'), '--show', prefix, '--releases'],\n"
	"    capture_output=True, text=True)\n"
	"assert 'not a gil_trace file' in other.stdout, other\n"
	"exp = os.path.join(d, 'legacy.yaml')\n"
	"open(exp, 'w').write('experiment: legacy-race\\n'\n"
	"    'workload: {name: cpu-count, params: {iterations: 200_000, tasks: 4}}\\n'\n"
	"    'strategies:\\n'\n"
	"    '  - {name: gil-threads, params: {mode: legacy, check_interval: 50}}\\n'\n"
	"    'workers: [2]\\n'\n"
	"    'repetitions: 1\\n'\n"
	"    'warmup: 0\\n')\n"
	"# A parlab built with AddressSanitizer wants its runtime first of the\n"
	"# libraries; the recorder intercepts no call ASan does.\n"
	"env = dict(os.environ, ASAN_OPTIONS=os.environ.get('ASAN_OPTIONS', '')\n"
	"           + ':verify_asan_link_order=0')\n"
	"recorded([parlab, 'run', '--quiet', '--output-dir',\n"
	"          os.path.join(d, 'out'), exp], 'gil', env)\n"
	"assert ',ok,' in open(os.path.join(d, 'out', 'trials.csv')).read()\n"
	"print('ok')\n";

static void test_recorded_race(void)
{
	const char *args[] = { PARLAB_TEST_SOURCE_DIR "/tools", RECORDER,
	                       PARLAB_TEST_BINARY, NULL };

	CU_ASSERT_EQUAL(px_test_python(script, args), 0);
}

TEST_MAIN("sem_race", T(test_recorded_race))
