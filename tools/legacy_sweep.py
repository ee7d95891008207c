#!/usr/bin/env python3
"""Sweeps the legacy two-core ready reads over Python 2 check intervals.

The reads of experiments/fidelity/legacy-phase.yaml (the convoy's ready
reads beside a CPU-bound thread, two cores, mode: legacy) at many check
intervals on both sides: Python 2 at every interval of --ticks, parlab at
(ci + 1) / 3 countdown steps, as tools/calibrate.py maps Python 2.7's 3
ticks a step. A read that lost the lock waits until a release of the
holder finds the woken reader at the lock; where the release that follows
a waking one falls against the reader's wake-up, to a tenth of a
microsecond, decides how long (README, Fidelity). So one check interval
says little; this tables the mean read latency against the CPU-bound
thread's measured release period (Python 2's from its thread state's tick
counter, parlab's as cpu_ns x check_interval / cpu_steps), per check
interval and per period bin, over every run of both sides.

    tools/legacy_sweep.py --python PYTHON2 -o DIR [--ticks 240:390:6]
        [--rounds 2] [--repetitions 6] [--calibration FILE] [--bin 100]
    tools/legacy_sweep.py --from DIR [--bin NS]

The sides run interleaved: in each round, parlab at every interval, then
Python 2 at every interval. Without --calibration, tools/calibrate.py runs
under PYTHON2 first; either way the calibration parlab ran with is
DIR/calibration.json. DIR gets the experiment file,
each side's files per round, rows.jsonl (one line per run) and sweep.md
(the tables, also printed). Interrupted (Ctrl-C, or SIGTERM or SIGHUP
as parlab-hold and batch systems send them), it passes the signal to the
side running, keeps the rows of the runs done in rows.jsonl and sweep.md,
says so, and exits 128 + the signal: 130, 143 or 129 (there is no
resume: run it again). Exit status: 0; 1 when calibrating failed
(DIR is then removed: nothing was measured) or a side failed in a
round; 2 for bad usage (an interpreter that is not Python 2, DIR
exists, a calibration file that is not one); 130, 143 or 129 when
interrupted.
"""
import argparse
import csv
import glob
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

import fidelity

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PHASE = os.path.join(ROOT, "experiments", "fidelity", "legacy-phase.yaml")
ROWS, TABLE, CALIBRATION = "rows.jsonl", "sweep.md", "calibration.json"

# Run under Python 2 with TOOLS REPETITIONS TICKS...: the reads at each
# check interval, one JSON line per run (the first run is a warm-up).
PYTHON2_SIDE = r"""
import json, signal, sys
# Ctrl-C ends this side quietly: what it printed is kept by the sweep.
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
sys.path.insert(0, sys.argv[1])
import cpython_bench as cb
reps = int(sys.argv[2])
warm = True
for ci in [int(x) for x in sys.argv[3:]]:
    run = cb.legacy_phase_runner(ci)
    if warm:
        run()
        warm = False
    for r in range(reps):
        o = run()
        print(json.dumps({"ticks": ci, "mean_ns": o["io_latency_mean"],
                          "slow": o["io_slow"],
                          "period_ns": o.get("release_period_ns")}))
        sys.stdout.flush()
"""


def steps(ticks):
    """parlab's countdown steps for a Python 2 check interval."""
    return int(round((ticks + 1) / 3.0))


def parse_ticks(text):
    """A:B:S, every S ticks from A to B; or a comma-separated list."""
    if ":" in text:
        a, b, s = (int(x) for x in text.split(":"))
        if a <= 0 or s <= 0 or b < a:
            raise ValueError(text)
        return list(range(a, b + 1, s))
    out = [int(x) for x in text.split(",")]
    if any(x <= 0 for x in out) or len(set(out)) != len(out):
        raise ValueError(text)
    return out


def experiments(ticks, repetitions):
    """The experiment file's text: legacy-phase.yaml's first experiment
    (so the workload stays the scenario's), once per interval, named
    legacy-sweep-TICKS, at steps(TICKS) countdown steps, with the runs
    per round the sweep asks for."""
    with open(PHASE) as f:
        first = f.read().split("\n---\n")[0]
    body = first[first.index("experiment:"):]
    docs = []
    for t in ticks:
        doc = re.sub(r"(?m)^experiment: .*$", "experiment: legacy-sweep-%d" % t,
                     body)
        doc, n = re.subn(r"check_interval: \d+", "check_interval: %d"
                         % steps(t), doc)
        doc, m = re.subn(r"(?m)^repetitions: \d+$", "repetitions: %d"
                         % repetitions, doc)
        if n != 1 or m != 1:
            raise ValueError("%s: no check_interval or repetitions to set"
                             % PHASE)
        docs.append(doc.rstrip("\n") + "\n")
    return ("# Written by tools/legacy_sweep.py from legacy-phase.yaml's "
            "first experiment.\n" + "---\n".join(docs))


def parlab_rows(folder, rnd):
    """Rows of one parlab round: every ok run of legacy-sweep-TICKS."""
    out = []
    # A batch writes FOLDER/<experiment>/trials.csv; one experiment (one
    # interval) writes FOLDER/trials.csv.
    for path in sorted(glob.glob(os.path.join(folder, "trials.csv")) +
                       glob.glob(os.path.join(folder, "*", "trials.csv"))):
        with open(path) as f:
            for r in csv.DictReader(f):
                m = re.match(r"legacy-sweep-(\d+)$", r.get("experiment", ""))
                if not m or r.get("status") != "ok":
                    continue
                out.append({"side": "parlab", "round": rnd,
                            "ticks": int(m.group(1)),
                            "mean_ns": float(r["io_latency_mean"]),
                            "slow": int(r["io_slow"]),
                            "period_ns": fidelity.release_period(r)})
    return out


def quartiles(xs):
    """median, p25, p75 (nearest rank) of a non-empty list."""
    s = sorted(xs)
    return (statistics.median(s), s[(len(s) - 1) // 4],
            s[(3 * (len(s) - 1) + 3) // 4])


def cell(xs):
    if not xs:
        return "- | -"
    m, lo, hi = quartiles(xs)
    return "%d | %.1f [%.1f - %.1f]" % (len(xs), m / 1e3, lo / 1e3, hi / 1e3)


def tables(rows, width):
    """The markdown: per check interval, per period bin of `width` ns,
    and over all runs, the mean read latency (us) of each side."""
    sides = ("parlab", "python2")
    lines = ["| Python 2 check interval (parlab steps) | parlab runs | "
             "parlab mean latency, us: median [p25 - p75] | parlab period, ns "
             "(median) | Python 2 runs | Python 2 mean latency, us | "
             "Python 2 period, ns (median) |", "|---|---|---|---|---|---|---|"]
    for t in sorted({r["ticks"] for r in rows}):
        parts = []
        for s in sides:
            mine = [r for r in rows if r["side"] == s and r["ticks"] == t]
            per = [r["period_ns"] for r in mine if r["period_ns"]]
            parts.append("%s | %s" % (cell([r["mean_ns"] for r in mine]),
                                      "%.0f" % statistics.median(per)
                                      if per else "-"))
        lines.append("| %d (%d) | %s |" % (t, steps(t), " | ".join(parts)))
    lines += ["", "| release period, us | parlab runs | parlab mean latency, "
              "us: median [p25 - p75] | Python 2 runs | Python 2 mean "
              "latency, us |", "|---|---|---|---|---|"]
    bins = sorted({int(r["period_ns"] // width) for r in rows
                   if r["period_ns"]})
    for b in bins:
        parts = [cell([r["mean_ns"] for r in rows if r["side"] == s and
                       r["period_ns"] and int(r["period_ns"] // width) == b])
                 for s in sides]
        lines.append("| %.2f to %.2f | %s |" % (b * width / 1e3,
                                                (b + 1) * width / 1e3,
                                                " | ".join(parts)))
    # Over the check intervals both sides ran: a sweep stopped short has
    # one side further than the other, and the intervals differ in waits.
    both = {r["ticks"] for r in rows if r["side"] == "parlab"} & \
        {r["ticks"] for r in rows if r["side"] == "python2"}
    shared = [r for r in rows if r["ticks"] in both]
    means = {s: [r["mean_ns"] for r in shared if r["side"] == s]
             for s in sides}
    slow = {s: [r["slow"] for r in shared if r["side"] == s] for s in sides}
    left = sorted({r["ticks"] for r in rows} - both)
    over = "Over every run" if not left else (
        "Over the runs at the %d check interval%s both sides ran (%s left "
        "out)" % (len(both), "" if len(both) == 1 else "s",
                  ", ".join(str(t) for t in left)))
    if not all(means.values()):
        lines += ["", "Over every run: parlab %d runs, Python 2 %d: nothing "
                  "to compare (no check interval has rows of both sides)."
                  % (len([r for r in rows if r["side"] == "parlab"]),
                     len([r for r in rows if r["side"] == "python2"]))]
    else:
        a, b = (statistics.median(means[s]) for s in sides)
        lines += ["", "%s: parlab's median mean %.1f us (%d runs, "
                  "median %g reads of 100 us or more of 200), Python 2's "
                  "%.1f us (%d runs, %g); parlab / Python 2 %.2f."
                  % (over, a / 1e3, len(means["parlab"]),
                     statistics.median(slow["parlab"]), b / 1e3,
                     len(means["python2"]), statistics.median(slow["python2"]),
                     a / b if b else float("nan"))]
    return "\n".join(lines) + "\n"


def python_major(python):
    """The interpreter's major version; ValueError when it does not say."""
    out = subprocess.check_output([python, "-c", "import sys; "
                                   "print(sys.version_info[0])"])
    return int(out.decode().strip())


def load(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                sys.exit("legacy_sweep: %s:%d: not a JSON row (%s)"
                         % (path, n, e))
    return rows


def calibration_problem(path):
    """Why PATH is no calibration file (None when it is one): JSON with
    the "params" tools/calibrate.py writes."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return "not a calibration file (%s)" % e
    if not isinstance(doc, dict) or not isinstance(doc.get("params"), dict):
        return "not a calibration file (no \"params\" object)"
    return None


# The signals that stopped the sweep, and the child running now: SIGINT,
# SIGTERM and SIGHUP are noted and each passed once to the child, which
# writes what it measured and ends (a copy from the terminal or the group
# may reach it too: parlab takes the same signal passed on by its parent
# as the same request, the Python 2 side ends at the first); the sweep
# reads what it wrote and stops after it. SIGTERM from parlab-hold
# reaches this process alone: without this the child ran on.
STOPPED, RUNNING = [], []
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def on_stop(signum, frame):
    if signum in STOPPED:
        return
    STOPPED.append(signum)
    for p in RUNNING:
        if p.poll() is None:
            p.send_signal(signum)


def start(cmd, **kw):
    """Popen(cmd), as the child a stop signal is passed to."""
    p = subprocess.Popen(cmd, **kw)
    RUNNING[:] = [p]
    if STOPPED and p.poll() is None:
        p.send_signal(STOPPED[0])   # stopped while it was being started
    return p


def measure(args, ticks):
    """The rounds; returns the rows, whether every side ran, and when a
    signal stopped it, where (else None)."""
    exp = os.path.join(args.output, "legacy-sweep.yaml")
    with open(exp, "w") as f:
        f.write(experiments(ticks, args.repetitions))
    rows = []
    ok, stopped = run_rounds(args, exp, ticks, rows)
    with open(os.path.join(args.output, ROWS), "w") as f:
        for r in rows:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    return rows, ok, stopped


def run_rounds(args, exp, ticks, rows):
    """Each round, parlab then Python 2, rows appended as they come;
    whether every side ran, and where it stopped when a signal stopped
    it (else None)."""
    ok = True
    for rnd in range(args.rounds):
        dest = os.path.join(args.output, "parlab-%d" % rnd)
        rc = start([args.parlab, "run", "--quiet", "--repetitions",
                    str(args.repetitions), "--calibration", args.calibration,
                    "--output-dir", dest, exp],
                   stdout=subprocess.DEVNULL).wait()
        got = parlab_rows(dest, rnd)
        rows += got
        if STOPPED:
            return ok, "in round %d of %d, parlab's side" % (rnd + 1,
                                                            args.rounds)
        ok = ok and rc == 0 and bool(got)
        with open(os.path.join(args.output, "python2-%d.jsonl" % rnd),
                  "w") as f:
            p = start([args.python, "-c", PYTHON2_SIDE, HERE,
                       str(args.repetitions)] + [str(t) for t in ticks],
                      stdout=subprocess.PIPE)
            for line in p.stdout:
                f.write(line.decode())
                try:
                    r = json.loads(line)
                except ValueError:
                    ok = False      # not a row: kept in the file, not used
                    continue
                r.update(side="python2", round=rnd)
                rows.append(r)
            rc = p.wait()
        if STOPPED:
            return ok, "in round %d of %d, Python 2's side" % (rnd + 1,
                                                              args.rounds)
        ok = ok and rc == 0
        print("legacy_sweep: round %d of %d done" % (rnd + 1, args.rounds),
              file=sys.stderr)
    return ok, None


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, usage="%(prog)s --python PYTHON2 -o DIR "
        "[options] | --from DIR|ROWS",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", help="the Python 2 interpreter")
    ap.add_argument("-o", "--output", help="directory to create")
    ap.add_argument("--from", dest="source", metavar="DIR|ROWS",
                    help="print the tables of a sweep again from DIR/"
                    "rows.jsonl (or that file); sweep.md keeps the run's "
                    "header")
    ap.add_argument("--ticks", default="240:390:6",
                    help="Python 2 check intervals: A:B:S or a list "
                    "(default 240:390:6)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="rounds, each parlab then Python 2 at every "
                    "interval (default 2)")
    ap.add_argument("--repetitions", type=int, default=6,
                    help="runs per interval and round on each side "
                    "(default 6)")
    ap.add_argument("--calibration",
                    help="tools/calibrate.py's file for PYTHON2 (default: "
                    "calibrate first)")
    ap.add_argument("--bin", type=float, default=100,
                    help="period bin width in ns (default 100)")
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"),
                    help="the parlab to run (default: this tree's "
                    "build/parlab)")
    args = ap.parse_args()
    if not (args.bin > 0 and args.bin < float("inf")):
        ap.error("--bin must be a number of ns above 0")
    if args.source:
        if args.output or args.python:
            ap.error("--from takes no -o or --python")
        path = args.source if os.path.isfile(args.source) else \
            os.path.join(args.source, ROWS)
        if not os.path.exists(path):
            ap.error("%s: no %s (not a sweep's folder)" % (args.source, ROWS))
        sys.stdout.write(tables(load(path), args.bin))
        return 0
    if not args.python or not args.output:
        ap.error("--python PYTHON2 and -o DIR are required (or --from DIR)")
    try:
        ticks = parse_ticks(args.ticks)
    except ValueError:
        ap.error("--ticks %s: expected A:B:S or a list of different check "
                 "intervals above 0" % args.ticks)
    if args.rounds < 1 or args.repetitions < 1:
        ap.error("--rounds and --repetitions must be 1 or more")
    if os.path.exists(args.output):
        ap.error("%s exists: give a new directory" % args.output)
    try:
        major = python_major(args.python)
    except (OSError, subprocess.CalledProcessError) as e:
        ap.error("%s: cannot run it (%s)" % (args.python, e))
    except ValueError:
        ap.error("%s: not a Python (it does not print its version when "
                 "asked)" % args.python)
    if major != 2:
        ap.error("%s is Python %d: check intervals are Python 2's "
                 "(sys.setcheckinterval); give a Python 2.7" %
                 (args.python, major))
    if not os.access(args.parlab, os.X_OK):
        ap.error("%s: no parlab there (build it, or give --parlab)"
                 % args.parlab)
    if args.calibration:
        problem = calibration_problem(args.calibration)
        if problem:
            ap.error("--calibration %s: %s" % (args.calibration, problem))
    os.makedirs(args.output)
    kept = os.path.join(args.output, CALIBRATION)
    if args.calibration:
        shutil.copyfile(args.calibration, kept)
    else:
        print("legacy_sweep: calibrating to %s" % args.python,
              file=sys.stderr)
    for sig in STOP_SIGNALS:
        signal.signal(sig, on_stop)
    if not args.calibration:
        rc = start([args.python, os.path.join(HERE, "calibrate.py"), "-o",
                    kept, "--parlab", args.parlab],
                   stdout=subprocess.DEVNULL).wait()
        if rc != 0 or STOPPED:
            shutil.rmtree(args.output)
            print("legacy_sweep: calibrating %s; nothing was measured, %s "
                  "removed" % ("stopped by " + signal.Signals(STOPPED[0]).name
                               if STOPPED else "failed (exit %d)" % rc,
                               args.output), file=sys.stderr)
            return 128 + STOPPED[0] if STOPPED else 1
    args.calibration = kept
    t0, load0 = time.strftime("%Y-%m-%d %H:%M"), fidelity.loadavg()
    rows, ok, stopped = measure(args, ticks)
    text = ("Measured by `tools/legacy_sweep.py %s` on %s (%s, %d CPUs), %s "
            "to %s.\n/proc/loadavg before: %s; after: %s.\n%s%s\n"
            % (" ".join(sys.argv[1:]), platform.node(), fidelity.cpu_model(),
               os.cpu_count(), t0, time.strftime("%Y-%m-%d %H:%M"), load0,
               fidelity.loadavg(), fidelity.held_line(), "Interrupted: %s.\n" % stopped
               if stopped else "") + tables(rows, args.bin))
    with open(os.path.join(args.output, TABLE), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    if stopped:
        print("legacy_sweep: interrupted by %s; the runs done are in %s "
              "(%sthere is no resume: run the sweep again)"
              % (signal.Signals(STOPPED[0]).name, args.output,
                 "the resume parlab offered above would not reach the "
                 "sweep's rows; " if "parlab's side" in stopped else ""),
              file=sys.stderr)
        return 128 + STOPPED[0]
    if not ok:
        print("legacy_sweep: a side failed in some round (its files are in "
              "%s)" % args.output, file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
