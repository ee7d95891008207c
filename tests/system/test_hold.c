/* test_hold.c: parlab-hold (tools/hold_cpus.c), which runs a command
 * with CPUs kept out of idle. The command itself looks: its environment
 * names the CPUs held, and its parent has one child per CPU besides it,
 * each running at SCHED_IDLE and allowed that CPU alone. After parlab-hold
 * returns, none of them is its child any more. The command's exit status
 * comes back, 128 + N for a signal; a Ctrl-C (SIGINT to the whole process
 * group, sent once the command says it is ready: no timing) reaches the
 * command, and the CPUs are still held while it handles it. Bad input is
 * refused with exit 2 and what was expected. */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define HOLD PARLAB_TEST_BUILD_DIR "/parlab-hold"

static const char script[] =
	"import os, signal, subprocess, sys\n"
	"hold, d = sys.argv[1], sys.argv[2]\n"
	"# Run by parlab-hold: its other children, as (pid, policy, cpus).\n"
	"look = ('import os, sys\\n'\n"
	"        'me, parent = os.getpid(), os.getppid()\\n'\n"
	"        'found = []\\n'\n"
	"        'for p in os.listdir(\"/proc\"):\\n'\n"
	"        '    if not p.isdigit() or int(p) == me:\\n'\n"
	"        '        continue\\n'\n"
	"        '    try:\\n'\n"
	"        '        stat = open(\"/proc/%s/stat\" % p).read()\\n'\n"
	"        '        status = open(\"/proc/%s/status\" % p).read()\\n'\n"
	"        '    except OSError:\\n'\n"
	"        '        continue\\n'\n"
	"        '    f = stat.rsplit(\")\", 1)[1].split()\\n'\n"
	"        '    if int(f[1]) != parent:\\n'\n"
	"        '        continue\\n'\n"
	"        '    cpus = [l.split()[1] for l in status.splitlines()\\n'\n"
	"        '            if l.startswith(\"Cpus_allowed_list\")][0]\\n'\n"
	"        '    found.append((int(p), int(f[38]), cpus, f[0]))\\n'\n"
	"        'print(repr((parent, os.environ.get(\"PARLAB_HOLD_CPUS\"), '\n"
	"        'sorted(found))))\\n')\n"
	"def held(args, code=look):\n"
	"    out = subprocess.run([hold] + args + [sys.executable, '-c', code],\n"
	"                         capture_output=True, text=True, timeout=120)\n"
	"    return out.returncode, out.stdout, out.stderr\n"
	"SCHED_IDLE = 5\n"
	"def gone(parent, found):\n"
	"    for pid, _, _, _ in found:\n"
	"        try:\n"
	"            stat = open('/proc/%d/stat' % pid).read()\n"
	"        except OSError:\n"
	"            continue\n"
	"        assert int(stat.rsplit(')', 1)[1].split()[1]) != parent, pid\n"
	"rc, out, err = held(['--cpus', '0', '--'])\n"
	"assert rc == 0, (rc, out, err)\n"
	"parent, env, found = eval(out)\n"
	"assert env == '0', env\n"
	"assert [(p, c, r) for _, p, c, r in found] == [(SCHED_IDLE, '0', 'R')], found\n"
	"gone(parent, found)\n"
	"# Default: every CPU this process may use, one spinner each.\n"
	"mine = sorted(os.sched_getaffinity(0))\n"
	"rc, out, err = held([])\n"
	"assert rc == 0, (rc, out, err)\n"
	"parent, env, found = eval(out)\n"
	"assert sorted(int(c) for _, _, c, _ in found) == mine, (found, mine)\n"
	"assert all(p == SCHED_IDLE and r == 'R' for _, p, _, r in found), found\n"
	"if mine == list(range(mine[0], mine[-1] + 1)) and len(mine) > 1:\n"
	"    assert env == '%d-%d' % (mine[0], mine[-1]), env\n"
	"gone(parent, found)\n"
	"if {0, 1} <= set(mine):  # a list in any order, said as a range\n"
	"    rc, out, err = held(['--cpus', '1,0,1'])\n"
	"    parent, env, found = eval(out)\n"
	"    assert rc == 0 and env == '0-1', (rc, env, err)\n"
	"    assert sorted(c for _, _, c, _ in found) == ['0', '1'], found\n"
	"# Exit statuses: the command's; a signal's 128 + N; 127 unrunnable.\n"
	"assert held([], 'import sys; sys.exit(3)')[0] == 3\n"
	"assert held([], 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'"
	")[0] == 128 + signal.SIGTERM\n"
	"out = subprocess.run([hold, os.path.join(d, 'missing')],\n"
	"                     capture_output=True, text=True, timeout=60)\n"
	"assert out.returncode == 127 and 'cannot run' in out.stderr, out\n"
	"# Ctrl-C: the whole group gets SIGINT once the command is ready; it\n"
	"# finds its CPUs still held and exits 5.\n"
	"ctrl_c = look.replace('print(', 'before = (') + (\n"
	"    'import signal\\n'\n"
	"    'def stop(*_):\\n'\n"
	"    '    exec(compile(%r, \"look\", \"exec\"), {})\\n'\n"
	"    '    sys.exit(5)\\n'\n"
	"    'signal.signal(signal.SIGINT, stop)\\n'\n"
	"    'print(\"ready\", flush=True)\\n'\n"
	"    'while True:\\n'\n"
	"    '    signal.pause()\\n') % look\n"
	"p = subprocess.Popen([hold, '--cpus', '0', sys.executable, '-c', ctrl_c],\n"
	"                     stdout=subprocess.PIPE, text=True,\n"
	"                     start_new_session=True)\n"
	"assert p.stdout.readline() == 'ready\\n'\n"
	"os.killpg(p.pid, signal.SIGINT)\n"
	"rest = p.stdout.read()\n"
	"assert p.wait(timeout=60) == 5, rest\n"
	"parent, env, found = eval(rest)\n"
	"assert [(q, c, r) for _, q, c, r in found] == [(SCHED_IDLE, '0', 'R')], found\n"
	"gone(parent, found)\n"
	"# Refusals.\n"
	"for args, says in ((['--cpus', 'x'], 'expected a CPU number'),\n"
	"                   (['--cpus', '1-0'], 'expected a range'),\n"
	"                   (['--cpus', '0,'], 'expected'),\n"
	"                   (['--cpus', '1023'], 'not one this process may use'),\n"
	"                   (['--cpus'], 'needs a LIST'),\n"
	"                   ([], 'no COMMAND'),\n"
	"                   (['--now', 'true'], 'unknown option')):\n"
	"    out = subprocess.run([hold] + args, capture_output=True, text=True,\n"
	"                         timeout=60)\n"
	"    assert out.returncode == 2 and says in out.stderr, (args, out)\n"
	"print('ok')\n";

static void test_hold(void)
{
	const char *args[] = { HOLD, NULL };

	CU_ASSERT_EQUAL(px_test_python(script, args), 0);
}

TEST_MAIN("hold", T(test_hold))
