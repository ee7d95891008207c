/* test_fidelity_table.c: tools/fidelity.py pairs parlab's trials with
 * CPython's and derives the table's quantities (test_pairing_and_rates);
 * tools/legacy_sweep.py tables the legacy reads over many check intervals
 * (test_legacy_sweep). Their rules are checked on rows written here, under
 * python3 (which tools/deps.sh installs):
 *  - the parameters a calibration file sets (its "params") show in
 *    parlab's labels and are left out when trials are paired; a parameter
 *    the file does not set stays;
 *  - a column "A/B" is A over B of the same row (voluntary switches per
 *    second: a count alone grows with the run's length);
 *  - a run whose steal_s is over 5% of its wall_s is counted as one the
 *    host took the CPUs from;
 *  - the line under the table counts the rows within 15% from the
 *    verdicts the table's cells gave (a row without a verdict, "-", is
 *    not a row), and how many of them the interval decides;
 *  - that interval is the order statistics' interval of the median of
 *    the per-round ratios (round r of parlab over round r of CPython):
 *    min to max for 5 rounds (93.75%), the 2nd to the 8th of 9 (96.1%);
 *    a verdict whose interval crosses 0.85 or 1.15 is open ("yes?");
 *  - --readme writes the excerpt (first Python 3, first Python 2) between
 *    its marker lines, and refuses a file without them;
 *  - the convoy's settle and slow_above in an experiment file must be
 *    cpython_bench's SETTLE and SLOW_ABOVE (file:line:column otherwise);
 *    CPython's slow reads are counted and averaged as parlab's;
 *  - a row whose column the files lack (older than it) is left out;
 *  - calibrate.py maps the resume holds at 5 ms and 500 us onto
 *    switch_overhead and cold_after;
 *  - the legacy-phase scenario's experiments match on both sides (check
 *    intervals, names), run only under Python 2 and only when named, and
 *    are refused without a calibration, or before calibrating when no
 *    interpreter given runs them; --from finds the copy a run given
 *    --calibration FILE kept; parlab's release period is
 *    cpu_ns x check_interval / cpu_steps under mode: legacy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define TOOLS PARLAB_TEST_SOURCE_DIR "/tools"

static const char script[] =
	"import csv, json, os, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"import fidelity\n"
	"d = sys.argv[2]\n"
	"cal = os.path.join(d, 'cal.json')\n"
	"json.dump({'params': {'gil-threads': {'call_overhead': '5ns',\n"
	"          'switch_overhead': '9us'}, 'cpu-count': {'work_per_step': 20}}},\n"
	"          open(cal, 'w'))\n"
	"rows = os.path.join(d, 'trials.csv')\n"
	"with open(rows, 'w') as f:\n"
	"    w = csv.DictWriter(f, ['experiment', 'label', 'workers', 'status',\n"
	"                           'vol_ctxsw', 'wall_s', 'steal_s'])\n"
	"    w.writeheader()\n"
	"    w.writerow({'experiment': 'e', 'workers': 2, 'status': 'ok',\n"
	"                'label': 'gil-threads call_overhead=5ns '\n"
	"                         'switch_overhead=9us io=ready',\n"
	"                'vol_ctxsw': 100, 'wall_s': 2, 'steal_s': 0.11})\n"
	"    w.writerow({'experiment': 'e', 'workers': 2, 'status': 'failed',\n"
	"                'label': 'gil-threads io=echo', 'vol_ctxsw': 1,\n"
	"                'wall_s': 1})\n"
	"t = {}\n"
	"fidelity.load_into(t, [rows], 0, cal)\n"
	"assert list(t) == [('e', 'gil-threads io=ready', 2)], t\n"
	"rate = fidelity.per_round(t, ('e', 'gil-threads io=ready', 2), None,\n"
	"                          'vol_ctxsw/wall_s')\n"
	"assert rate == [50.0], rate\n"
	"# One round pairs up: too few to decide anything.\n"
	"text, ok, how = fidelity.cell(t, t, ('e', 'gil-threads io=ready', 2),\n"
	"                              None, 'vol_ctxsw', False)\n"
	"assert (ok, how) == ('yes', 'open') and text.endswith('[1 - 1] | yes?'), \\\n"
	"    (text, ok, how)\n"
	"def rounds(pairs):\n"
	"    p, c, k = {}, {}, ('e', 'x', 2)\n"
	"    for r, (a, b) in enumerate(pairs):\n"
	"        p.setdefault(k, {})[r] = {'n': a}\n"
	"        c.setdefault(k, {})[r] = {'n': b}\n"
	"    return fidelity.cell(p, c, k, None, 'n', False)\n"
	"text, ok, how = rounds([(10, 10)] * 5)\n"
	"assert (ok, how) == ('yes', 'in') and text.endswith('[1 - 1] | yes'), \\\n"
	"    (text, ok, how)\n"
	"# Nine rounds whose medians differ (3 against 10: no) while the\n"
	"# per-round ratios' interval, (x2, x8), lies inside: not decided.\n"
	"text, ok, how = rounds(list(zip([10, 1, 10, 3, 3, 1, 3, 12, 12],\n"
	"                                [11, 1, 10, 3, 12, 1, 3, 12, 10])))\n"
	"assert (ok, how) == ('no', 'open') and text.endswith('no?'), (text, ok, how)\n"
	"# CPython measured nothing: nothing to compare.\n"
	"assert rounds([]) [1:] == ('-', '-')\n"
	"lo, hi, cover = fidelity.median_interval([5, 1, 4, 2, 3])\n"
	"assert (lo, hi, cover) == (1, 5, 0.9375), (lo, hi, cover)\n"
	"lo, hi, cover = fidelity.median_interval(list(range(9)))\n"
	"assert (lo, hi) == (1, 7) and abs(cover - 0.9609375) < 1e-12, cover\n"
	"assert fidelity.median_interval([]) == (None, None, 0.0)\n"
	"assert [fidelity.decided(*i) for i in ((0.9, 1.1), (0.8, 1.1),\n"
	"        (1.16, 2), (0.5, 0.84), (None, None))] == \\\n"
	"    ['in', 'open', 'out', 'out', 'open']\n"
	"# Five rounds a side, paired by round: medians 11 and 10 (1.1,\n"
	"# within), per-round ratios 1, 1.3, 1.1, 1.1, 1.1: the interval crosses\n"
	"# 1.15. Round 5 of CPython has no partner and is left out.\n"
	"p, c, k = {}, {}, ('e', 'x', 2)\n"
	"for r, (a, b) in enumerate([(10, 10), (26, 20), (11, 10), (11, 10),\n"
	"                            (11, 10), (None, 99)]):\n"
	"    if a is not None:\n"
	"        p.setdefault(k, {})[r] = {'n': a}\n"
	"    c.setdefault(k, {})[r] = {'n': b}\n"
	"text, ok, how = fidelity.cell(p, c, k, None, 'n', False)\n"
	"assert (ok, how) == ('yes', 'open') and text.endswith(\n"
	"    '| 1.1 [1 - 1.3] | yes?'), (text, ok, how)\n"
	"w = fidelity.within_line({'py': '3.11.7'}, {'py': [('yes', 'in'),\n"
	"                         ('no', 'open'), ('yes', 'open'), ('-', '-')]}, 5)\n"
	"assert w.startswith('Within 15%: 3.11.7 2 of 3 rows (decided: 1 within, '\n"
	"                    '0 out; 2 open).\\n') and '5 rounds: 93.8%' in w, w\n"
	"n = [0, 0]\n"
	"fidelity.count_stolen(t, n)\n"
	"assert n == [1, 1], n\n"
	"u = {}\n"
	"fidelity.load_into(u, [rows], 0)\n"
	"assert list(u) == [('e', 'gil-threads call_overhead=5ns '\n"
	"                   'switch_overhead=9us io=ready', 2)], u\n"
	"# The README's excerpt: the first Python 3's columns, or the first\n"
	"# Python 2's for a row only Python 2 ran; written between markers.\n"
	"vs = {'p3': '3.11.7', 'p2': '2.7.18', 'q3': '3.12.1'}\n"
	"rows = [('a', {'p3': 'P | C | 1 [1 - 1] | yes', 'q3': 'x | y | z | no'}),\n"
	"        ('legacy: b', {'p2': 'P2 | C2 | 2 [2 - 2] | no'})]\n"
	"ex = fidelity.excerpt(rows, vs, True)\n"
	"assert ex.splitlines()[2:] == ['| a | P | 3.11: C | 1 [1 - 1] | yes |',\n"
	"    '| legacy: b | P2 | 2.7: C2 | 2 [2 - 2] | no |'], ex\n"
	"md = os.path.join(d, 'r.md')\n"
	"open(md, 'w').write('x\\n%s\\nold\\n%s\\ny\\n' % fidelity.MARKERS)\n"
	"fidelity.write_between_markers(md, 'new\\n')\n"
	"assert open(md).read() == 'x\\n%s\\nnew\\n%s\\ny\\n' % fidelity.MARKERS\n"
	"open(md, 'w').write('no markers\\n')\n"
	"try:\n"
	"    fidelity.write_between_markers(md, 'new\\n')\n"
	"    raise AssertionError('no markers accepted')\n"
	"except SystemExit:\n"
	"    assert open(md).read() == 'no markers\\n'\n"
	"# The convoy parameters both sides share: a file that differs from\n"
	"# cpython_bench's SETTLE and SLOW_ABOVE, or leaves one out, is refused.\n"
	"y = os.path.join(d, 'c.yaml')\n"
	"open(y, 'w').write('x: 1\\nworkload: {name: convoy, params: {settle: 1ms, '\n"
	"                   'slow_above: 0.1ms}}\\n'\n"
	"                   'workload: {name: convoy, params: {settle: 2ms}}\\n'\n"
	"                   'workload: {name: convoy, params: {settle: 1ms, '\n"
	"                   'slow_above: fast}}\\n')\n"
	"e = fidelity.mirror_errors(y)\n"
	"assert len(e) == 3 and e[0].startswith(y + ':3:35: settle is 2ms: '\n"
	"    'expected 1ms') and e[1].startswith(y + ':3:12: sets no slow_above') \\\n"
	"    and e[2].startswith(y + ':4:48: slow_above is fast: expected 100us'), e\n"
	"assert fidelity.mirror_errors(os.path.join(sys.argv[1], '..',\n"
	"    'experiments', 'fidelity', 'convoy.yaml')) == []\n"
	"# CPython's side splits the slow reads off as parlab's convoy does.\n"
	"import cpython_bench\n"
	"c = cpython_bench.latency_columns([1e-6, 2e-4, 1e-4, 3e-6], 1e-4)\n"
	"assert c['io_slow'] == 2 and abs(c['io_slow_latency_mean'] - 1.5e5) < 1e-6, c\n"
	"assert cpython_bench.latency_columns([1e-6], 1e-4)['io_slow_latency_mean'] == ''\n"
	"# A quantity the files predate has no column there: its row is left out.\n"
	"k = ('e', 'gil-threads io=ready', 2)\n"
	"assert fidelity.has_column(t, k, 'vol_ctxsw/wall_s')\n"
	"assert not fidelity.has_column(t, k, 'io_slow')\n"
	"# calibrate.py fits cold_after through the resume cost parlab lacks at\n"
	"# 5 ms (switch_overhead) and at 500 us, kept between the two intervals.\n"
	"import calibrate\n"
	"assert [calibrate.cold_after_ns(7800, n) for n in (1500, 0, 9000)] == \\\n"
	"    [2600000, 5000000, 500000]\n"
	"m = calibrate.mapping({'ready_read_ns': 300, 'resume_hold_ns': 12000,\n"
	"                       'resume_hold_500us_ns': 3500},\n"
	"                      {'loop': (1.0, []), 'race': (1.0, [])}, 400,\n"
	"                      {'resume_hold_ns': 4200, 'resume_hold_500us_ns': 2000})\n"
	"assert m['gil-threads'] == {'call_overhead': '0ns', 'switch_overhead':\n"
	"    '7800ns', 'cold_after': '2600000ns'}, m\n"
	"# One side's traced holds as the file records them.\n"
	"h = calibrate.resume_holds(lambda i: ({0.005: 12000.4, 0.0005: None}[i],\n"
	"                                      900.6))\n"
	"assert h == {'resume_hold_ns': 12000, 'warm_hold_ns': 901,\n"
	"             'resume_hold_500us_ns': None}, h\n"
	"# legacy-phase: one experiment a check interval on both sides; parlab's\n"
	"# check_interval is (ci + 1) / 3 rounded, as calibrate.py maps 2.7's.\n"
	"import re, subprocess\n"
	"cis = cpython_bench.PHASE_CHECK_INTERVALS\n"
	"y = os.path.join(sys.argv[1], '..', 'experiments', 'fidelity',\n"
	"                 'legacy-phase.yaml')\n"
	"pairs = re.findall(r'experiment: fidelity-legacy-phase-(\\d+)\\n.*?'\n"
	"                   r'check_interval: (\\d+)\\}', open(y).read(), re.S)\n"
	"assert [(int(a), int(b)) for a, b in pairs] == \\\n"
	"    [(ci, int(round((ci + 1) / 3.0))) for ci in cis], pairs\n"
	"assert fidelity.mirror_errors(y) == []\n"
	"names = ['fidelity-legacy-phase-%d' % ci for ci in cis]\n"
	"assert [e for e, _, _ in cpython_bench.legacy_phase_trials()] == names\n"
	"assert sorted({n[0] for _, n, _, _ in fidelity.quantities(\n"
	"    'legacy-phase')}) == sorted(names)\n"
	"assert [fidelity.applies(n, v) for n, v in (('legacy-phase', '2.7.18'),\n"
	"        ('legacy-phase', '3.11.7'), ('legacy', '2.7.18'), ('cpu', '3.11.7'),\n"
	"        ('cpu', '2.7.18'))] == [True, False, True, True, False]\n"
	"# The holder's release period: parlab's from the convoy's cpu_ns and\n"
	"# cpu_steps and the strategy's check_interval (legacy only); CPython's\n"
	"# from Python 2's tick counter, none under Python 3.\n"
	"r = {'s.mode': 'legacy', 'cpu_ns': '2000000', 'cpu_steps': '68000',\n"
	"     's.check_interval': '34'}\n"
	"assert fidelity.release_period(r) == 1000.0\n"
	"assert fidelity.release_period(dict(r, **{'s.mode': 'new'})) is None\n"
	"assert fidelity.release_period(dict(r, cpu_steps='0')) is None\n"
	"assert fidelity.release_period({'s.mode': 'legacy'}) is None\n"
	"assert cpython_bench.tick_counter() is None\n"
	"assert 'release_period_ns' in cpython_bench.COLUMNS\n"
	"# Not by default, and not without a calibration (nothing is created).\n"
	"assert 'legacy-phase' not in fidelity.SCENARIOS\n"
	"r = subprocess.run([sys.executable, os.path.join(sys.argv[1], 'fidelity.py'),\n"
	"                    '--scenario', 'legacy-phase', '-o', os.path.join(d, 'x')],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 2 and '--calibrate' in r.stderr and \\\n"
	"    not os.path.exists(os.path.join(d, 'x')), r\n"
	"# No interpreter given runs the scenario: refused before calibrating.\n"
	"r = subprocess.run([sys.executable, os.path.join(sys.argv[1], 'fidelity.py'),\n"
	"                    '--scenario', 'legacy-phase', '--calibrate', '--python',\n"
	"                    sys.executable, '-o', os.path.join(d, 'y')],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 2 and 'legacy and legacy-phase only' in r.stderr \\\n"
	"    and not os.path.exists(os.path.join(d, 'y')), r\n"
	"# --from a run given --calibration FILE takes the copy the run kept.\n"
	"src = os.path.join(d, 'run')\n"
	"os.makedirs(os.path.join(src, 'cpython-py-legacy-phase-0'))\n"
	"open(os.path.join(src, fidelity.GIVEN_CALIBRATION), 'w').write('{}')\n"
	"class Refuse:\n"
	"    def error(self, m):\n"
	"        raise AssertionError(m)\n"
	"class Args:\n"
	"    source, calibration = src, None\n"
	"got = fidelity.check_source(Refuse(), Args, ['/x/py/bin/python'],\n"
	"                            {'/x/py/bin/python': '2.7.18'})\n"
	"assert got == {} and Args.calibration == os.path.join(\n"
	"    src, fidelity.GIVEN_CALIBRATION), (got, Args.calibration)\n"
	"print('ok')\n";

/* tools/legacy_sweep.py: parlab's steps are (ci + 1) / 3 as calibrate.py
 * maps Python 2.7's ticks; its experiments are legacy-phase.yaml's first
 * with the name and check interval set; parlab's rows keep ok runs, with
 * the release period cpu_ns x check_interval / cpu_steps; the tables bin
 * by period; a Python 3 interpreter, or a --calibration that is not
 * there, is refused before -o is created; --from tables a sweep's
 * rows.jsonl again, and says which line of it is not JSON; a sweep run
 * with stand-ins for Python 2 and parlab keeps both sides' rows of every
 * round, its tables and the calibration it was given. */
static const char sweep_script[] =
	"import csv, json, os, re, subprocess, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"import cpython_bench, legacy_sweep as ls\n"
	"d = sys.argv[2]\n"
	"tool = os.path.join(sys.argv[1], 'legacy_sweep.py')\n"
	"assert [ls.steps(t) for t in cpython_bench.PHASE_CHECK_INTERVALS] == \\\n"
	"    [20, 34, 47, 67, 100]\n"
	"assert ls.parse_ticks('240:252:6') == [240, 246, 252]\n"
	"assert ls.parse_ticks('60,100') == [60, 100]\n"
	"for bad in ('0:10:2', '10:5:1', '5:10:0', '-3', 'x', '300,300'):\n"
	"    try:\n"
	"        ls.parse_ticks(bad)\n"
	"    except ValueError:\n"
	"        continue\n"
	"    raise AssertionError(bad)\n"
	"text = ls.experiments([60, 300], 4)\n"
	"assert re.findall(r'(?m)^repetitions: (\\d+)$', text) == ['4', '4'], text\n"
	"workload = re.search(r'(?m)^workload: .*$', open(ls.PHASE).read()).group(0)\n"
	"assert text.count(workload) == 2, text\n"
	"assert re.findall(r'(?m)^experiment: (\\S+)$', text) == \\\n"
	"    ['legacy-sweep-60', 'legacy-sweep-300'], text\n"
	"assert re.findall(r'check_interval: (\\d+)', text) == ['20', '100'], text\n"
	"folder = os.path.join(d, 'p', 'legacy-sweep-300')\n"
	"os.makedirs(folder)\n"
	"with open(os.path.join(folder, 'trials.csv'), 'w') as f:\n"
	"    w = csv.DictWriter(f, ['experiment', 'status', 'io_latency_mean',\n"
	"                           'io_slow', 'cpu_ns', 'cpu_steps',\n"
	"                           's.check_interval'])\n"
	"    w.writeheader()\n"
	"    row = {'experiment': 'legacy-sweep-300', 'status': 'ok',\n"
	"           'io_latency_mean': '5000', 'io_slow': '5', 'cpu_ns': '2000000',\n"
	"           'cpu_steps': '100000', 's.check_interval': '100'}\n"
	"    w.writerow(row)\n"
	"    w.writerow(dict(row, status='failed'))\n"
	"    w.writerow(dict(row, cpu_steps='0', io_slow='0'))\n"
	"got = [(r['ticks'], r['period_ns'], r['slow'])\n"
	"       for r in ls.parlab_rows(os.path.join(d, 'p'), 0)]\n"
	"assert got == [(300, 2000.0, 5), (300, None, 0)], got\n"
	"# One interval: parlab writes the folder's own trials.csv.\n"
	"os.rename(os.path.join(folder, 'trials.csv'), os.path.join(d, 'p', 'trials.csv'))\n"
	"got = [r['ticks'] for r in ls.parlab_rows(os.path.join(d, 'p'), 0)]\n"
	"assert got == [300, 300], got\n"
	"rows = [dict(side='parlab', ticks=300, mean_ns=4000.0, slow=1,\n"
	"             period_ns=2050.0),\n"
	"        dict(side='parlab', ticks=300, mean_ns=8000.0, slow=3,\n"
	"             period_ns=2150.0),\n"
	"        dict(side='python2', ticks=300, mean_ns=2000.0, slow=0,\n"
	"             period_ns=2060.0)]\n"
	"t = ls.tables(rows, 100)\n"
	"for line in ('| 300 (100) | 2 | 6.0 [4.0 - 8.0] | 2100 | 1 | '\n"
	"             '2.0 [2.0 - 2.0] | 2060 |',\n"
	"             '| 2.00 to 2.10 | 1 | 4.0 [4.0 - 4.0] | 1 | 2.0 [2.0 - 2.0] |',\n"
	"             '| 2.10 to 2.20 | 1 | 8.0 [8.0 - 8.0] | - | - |',\n"
	"             'parlab / Python 2 3.00.'):\n"
	"    assert line in t, (line, t)\n"
	"assert 'parlab 2 runs, Python 2 0: nothing to compare' in \\\n"
	"    ls.tables(rows[:2], 100)\n"
	"r = subprocess.run([sys.executable, tool, '--python', sys.executable,\n"
	"                    '-o', os.path.join(d, 'x')], capture_output=True,\n"
	"                   text=True)\n"
	"assert r.returncode == 2 and 'is Python 3' in r.stderr and \\\n"
	"    not os.path.exists(os.path.join(d, 'x')), r\n"
	"with open(os.path.join(d, 'rows.jsonl'), 'w') as f:\n"
	"    f.write(''.join(json.dumps(r) + '\\n' for r in rows))\n"
	"r = subprocess.run([sys.executable, tool, '--from', d],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 0 and r.stdout == t, r\n"
	"r = subprocess.run([sys.executable, tool, '--from', os.path.join(d, 'p')],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 2 and 'rows.jsonl' in r.stderr, r\n"
	"with open(os.path.join(d, 'rows.jsonl'), 'a') as f:\n"
	"    f.write('{not json\\n')\n"
	"r = subprocess.run([sys.executable, tool, '--from', d],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 1 and 'rows.jsonl:4' in r.stderr, r\n"
	"# Measured with stand-ins: a 'Python 2' that says it is 2 and prints a\n"
	"# row a run, a 'parlab' that writes each experiment's trials.csv.\n"
	"py2, parlab = os.path.join(d, 'python2'), os.path.join(d, 'parlab')\n"
	"open(py2, 'w').write('#!/usr/bin/env python3\\n'\n"
	"    'import json, sys\\n'\n"
	"    'if \"version_info\" in sys.argv[2]:\\n'\n"
	"    '    print(2)\\n'\n"
	"    '    sys.exit(0)\\n'\n"
	"    'import os, signal, time\\n'\n"
	"    'if os.environ.get(\"STAND_IN_INTERRUPT\"):\\n'\n"
	"    '    print(json.dumps({\"ticks\": 60, \"slow\": 1, \"mean_ns\": 1.0,\\n'\n"
	"    '                      \"period_ns\": 1.0}))\\n'\n"
	"    '    sys.stdout.flush()\\n'\n"
	"    '    os.kill(os.getppid(), signal.SIGINT)\\n'\n"
	"    '    time.sleep(2)\\n'\n"
	"    '    sys.exit(0)\\n'\n"
	"    'for t in sys.argv[5:]:\\n'\n"
	"    '    for _ in range(int(sys.argv[4])):\\n'\n"
	"    '        print(json.dumps({\"ticks\": int(t), \"slow\": 1,\\n'\n"
	"    '            \"mean_ns\": 1000.0 * int(t), \"period_ns\": 10.0 * int(t)}))\\n')\n"
	"open(parlab, 'w').write('#!/usr/bin/env python3\\n'\n"
	"    'import csv, os, re, sys\\n'\n"
	"    'a = sys.argv\\n'\n"
	"    'dest, reps = a[a.index(\"--output-dir\") + 1], int(a[a.index(\"--repetitions\") + 1])\\n'\n"
	"    'text = open(a[-1]).read()\\n'\n"
	"    'for name, ci in zip(re.findall(r\"(?m)^experiment: (\\\\S+)\", text),\\n'\n"
	"    '                    re.findall(r\"check_interval: (\\\\d+)\", text)):\\n'\n"
	"    '    os.makedirs(os.path.join(dest, name))\\n'\n"
	"    '    with open(os.path.join(dest, name, \"trials.csv\"), \"w\") as f:\\n'\n"
	"    '        w = csv.writer(f)\\n'\n"
	"    '        w.writerow([\"experiment\", \"status\", \"io_latency_mean\", \"io_slow\",\\n'\n"
	"    '                    \"cpu_ns\", \"cpu_steps\", \"s.check_interval\"])\\n'\n"
	"    '        for _ in range(reps):\\n'\n"
	"    '            w.writerow([name, \"ok\", 500 * int(ci), 2, 1000, 10, ci])\\n')\n"
	"os.chmod(py2, 0o755)\n"
	"os.chmod(parlab, 0o755)\n"
	"cal = os.path.join(d, 'given.json')\n"
	"open(cal, 'w').write('{\"params\": {}}')\n"
	"sweep = [sys.executable, tool, '--python', py2, '--parlab', parlab,\n"
	"         '--ticks', '60,300', '--rounds', '2', '--repetitions', '3']\n"
	"r = subprocess.run(sweep + ['--calibration', os.path.join(d, 'none.json'),\n"
	"                            '-o', os.path.join(d, 'n')],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 2 and 'none.json' in r.stderr and \\\n"
	"    not os.path.exists(os.path.join(d, 'n')), r\n"
	"out = os.path.join(d, 's')\n"
	"for bad, why in ((['--calibration', py2], 'not a calibration file'),\n"
	"                 (['--bin', 'nan'], '--bin'),\n"
	"                 (['--python', '/bin/true'], 'not a Python')):\n"
	"    r = subprocess.run(sweep + bad + ['-o', os.path.join(d, 'n')],\n"
	"                       capture_output=True, text=True)\n"
	"    assert r.returncode == 2 and why in r.stderr and \\\n"
	"        not os.path.exists(os.path.join(d, 'n')), (bad, r)\n"
	"# Calibrating fails (the stand-in cannot run calibrate.py): the folder\n"
	"# goes, nothing having been measured.\n"
	"r = subprocess.run(sweep + ['-o', os.path.join(d, 'n')],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 1 and 'calibrating failed' in r.stderr and \\\n"
	"    not os.path.exists(os.path.join(d, 'n')), r\n"
	"# Interrupted in round 1 (the stand-in Python 2 sends Ctrl-C after a\n"
	"# row): round 1's rows so far are kept and tabled, exit 130.\n"
	"stop = os.path.join(d, 'n')\n"
	"r = subprocess.run(sweep + ['--calibration', cal, '-o', stop],\n"
	"                   capture_output=True, text=True,\n"
	"                   env=dict(os.environ, STAND_IN_INTERRUPT='1'))\n"
	"assert r.returncode == 130, r\n"
	"got = ls.load(os.path.join(stop, 'rows.jsonl'))\n"
	"assert sorted((g['side'], g['round']) for g in got) == \\\n"
	"    [('parlab', 0)] * 6 + [('python2', 0)], got\n"
	"assert 'Interrupted: in round 1 of 2' in \\\n"
	"    open(os.path.join(stop, 'sweep.md')).read()\n"
	"r = subprocess.run(sweep + ['--calibration', cal, '-o', out],\n"
	"                   capture_output=True, text=True)\n"
	"assert r.returncode == 0, r\n"
	"got = ls.load(os.path.join(out, 'rows.jsonl'))\n"
	"want = sorted((side, rnd, t, m) for rnd in (0, 1) for _ in range(3)\n"
	"              for side, t, m in (('parlab', 60, 10000.0),\n"
	"                                 ('parlab', 300, 50000.0),\n"
	"                                 ('python2', 60, 60000.0),\n"
	"                                 ('python2', 300, 300000.0)))\n"
	"assert sorted((g['side'], g['round'], g['ticks'], g['mean_ns'])\n"
	"              for g in got) == want, got\n"
	"assert all(g['period_ns'] == (100.0 * ls.steps(g['ticks'])\n"
	"           if g['side'] == 'parlab' else 10.0 * g['ticks']) for g in got)\n"
	"md = open(os.path.join(out, 'sweep.md')).read()\n"
	"assert md.startswith('Measured by') and md.endswith(ls.tables(got, 100)), md\n"
	"assert open(os.path.join(out, 'calibration.json')).read() == \\\n"
	"    '{\"params\": {}}'\n"
	"print('ok')\n";

/* Runs TEXT, a script, under python3 with the tools folder and a fresh scratch
 * folder as its arguments; passes when it exits 0 having printed "ok" last
 * (what it printed is shown otherwise). */
static void run_script(const char *text)
{
	char dir[] = "/tmp/parlab-fidelity-XXXXXX", out[4096] = "", cmd[128];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	CU_ASSERT_FATAL(pipe(fds) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execlp("python3", "python3", "-c", text, TOOLS, dir,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* Everything up to the end, so that the script never writes into a
	 * closed pipe, whatever else reaches its standard output. */
	while (len < sizeof(out) - 1 &&
	       ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0 ||
	        (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	out[len] = '\0';
	close(fds[0]);
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (len < 3 || strcmp(out + len - 3, "ok\n") != 0)
		fprintf(stderr, "\n  the script wrote: \"%s\"\n", out);
	CU_ASSERT(len >= 3 && strcmp(out + len - 3, "ok\n") == 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CU_ASSERT(system(cmd) == 0);
}

static void test_pairing_and_rates(void)
{
	run_script(script);
}

static void test_legacy_sweep(void)
{
	run_script(sweep_script);
}

TEST_MAIN("fidelity_table", T(test_pairing_and_rates), T(test_legacy_sweep))
