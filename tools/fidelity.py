#!/usr/bin/env python3
"""Puts parlab's GIL emulation beside real CPython, on this machine.

For each scenario and each round it runs parlab once on
experiments/fidelity/NAME.yaml and then every interpreter given once on
tools/cpython_bench.py's same scenario, so the sides interleave round by
round. A quantity that divides two trials (a speedup, a slowdown) is
divided within a round (the r-th run of each trial); each side's median
over the rounds is shown, and parlab's ratio to CPython is the ratio of
the two medians. Python 2 interpreters run the "legacy" scenario
(parlab's mode: legacy), Python 3 ones every other. "legacy-phase"
(Python 2, with --calibrate or --calibration, only when named) runs the
legacy two-core ready reads at five check intervals, to show how the
race's waits move with the holder's release period. The table, with a
column per interpreter, the machine and /proc/loadavg before and after,
goes to DIR/fidelity.md (and to --table FILE when given).

    tools/fidelity.py [-o DIR] [--parlab build/parlab] [--scenario cpu]
                      [--python PATH]... [--rounds 9] [--table FILE]
                      [--calibration FILE | --calibrate] [--cpus 1,0]
    tools/fidelity.py --from DIR [--python PATH]... [--table FILE]

Each ratio comes with the interval of the median of the per-round ratios
(round r of parlab over round r of CPython; a round whose CPython value is
0 has none), from their order statistics:
with 5 rounds their smallest to their largest, 93.75%; the narrowest that
reaches 95% from 6 rounds on (6 to 8 rounds give a wider one than 5,
9 a narrower). A verdict is decided, for this run, when that interval
lies wholly inside 0.85 to 1.15 or wholly outside on the side of the
ratio shown; it is marked "?" (open) when the interval crosses the line,
disagrees with the ratio, or fewer than 5 rounds pair up. The interval
takes the rounds as alike and independent: it says how sure one run is,
not how the next run, hours later, will come out. --from renders the
table again from an earlier run's folder, measuring nothing. Stopped
short (Ctrl-C, SIGTERM, SIGHUP, a side that fails), it lets the run in
flight write what it measured, says where it stopped and how to table
what ran (--from DIR), and exits 130, 143, 129 or 1.

With --calibrate it first runs tools/calibrate.py under each interpreter
(the files go to DIR) and then runs parlab once per interpreter and round
with that interpreter's calibration, so each column compares CPython with
parlab calibrated to it.
"""
import argparse
import csv
import functools
import glob
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

# Which IO kinds run in which placement, and the convoy parameters both
# sides must share (experiments/fidelity's settle and slow_above).
from cpython_bench import (ON_REQUEST, PHASE_CHECK_INTERVALS, SETTLE,
                           SLOW_ABOVE, convoy_ios, fmt_interval)
# Ctrl-C, SIGTERM, SIGHUP: passed to the child running, which writes
# what it measured; the run stops short with a message.
from stopping import Stopped, run_child, stop_on_signals

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIOS = ["cpu", "io-sleep", "io-pipe", "convoy", "race", "native",
             "threads", "legacy"]
# legacy-phase (Python 2, with a calibration) runs only when named: it
# shows how the legacy two-core ready race moves with the check interval,
# no row of the table.


def calibrated_params(path):
    """The parameter names a calibration file sets (its "params": {plugin:
    {name: value}}); none without a file."""
    if not path:
        return set()
    with open(path) as f:
        return {name for params in json.load(f).get("params", {}).values()
                for name in params}


def release_period(row):
    """parlab's mode: legacy, a convoy beside a CPU-bound thread: how often
    that thread released the lock, cpu_ns x check_interval / cpu_steps
    (its countdown runs on across releases), as cpython_bench's
    release_period_ns under Python 2. None for any other row."""
    try:
        if row.get("s.mode") != "legacy" or float(row["cpu_steps"]) <= 0:
            return None
        return (float(row["cpu_ns"]) * float(row["s.check_interval"]) /
                float(row["cpu_steps"]))
    except (KeyError, TypeError, ValueError):
        return None


def load_into(trials, paths, rnd, calibration=None):
    """Adds the rows of the CSV files that ran ok, as round rnd:
    (experiment, label, workers) -> {round: row}. The parameters the
    calibration file sets show in parlab's labels; they are left out, the
    trial is the same."""
    names = sorted(calibrated_params(calibration))
    strip = re.compile(r" (%s)=\S+" % "|".join(map(re.escape, names))) \
        if names else None
    for path in paths:
        with open(path) as f:
            for row in csv.DictReader(f):
                if row["status"] == "ok":
                    if not row.get("release_period_ns"):
                        period = release_period(row)
                        if period is not None:
                            row["release_period_ns"] = period
                    label = strip.sub("", row["label"]) if strip \
                        else row["label"]
                    key = (row["experiment"], label, int(row["workers"]))
                    trials.setdefault(key, {})[rnd] = row


def by_round(trials, num, den, column):
    """{round: num[column] / den[column]} (or num's column alone when den
    is None; a column "A/B" is A over B of the same row)."""
    a = trials.get(num, {})
    if den is None and "/" in column:
        top, bottom = column.split("/")
        pairs = {r: (row.get(top), row.get(bottom)) for r, row in a.items()}
    elif den is None:
        pairs = {r: (row.get(column), "1") for r, row in a.items()}
    else:
        b = trials.get(den, {})
        pairs = {r: (a[r].get(column), b[r].get(column)) for r in a
                 if r in b}
    out = {}
    for r, (top, bottom) in pairs.items():
        if not top or not bottom:
            continue
        x, y = float(top), float(bottom)
        # A zero or missing denominator, or a value that is not a number,
        # gives no value for that round.
        if y != 0 and not math.isnan(x) and not math.isnan(y):
            out[r] = x / y
    return out


def has_column(trials, num, column):
    """Whether a row of trial num has the column (or, for "A/B", A):
    files written before a quantity existed lack it."""
    name = column.split("/")[0]
    return any(name in row for row in trials.get(num, {}).values())


def per_round(trials, num, den, column):
    """The values of by_round, in round order."""
    return [v for _, v in sorted(by_round(trials, num, den, column).items())]


def median_interval(xs):
    """The interval of the median of xs from their order statistics: the
    narrowest (x(k), x(n+1-k)) that covers the median with 95% or more, or
    (min, max) when n is too small for that (5 values: 93.75%); with its
    coverage. (None, None, 0) for no values."""
    s, n = sorted(xs), len(xs)
    if not n:
        return None, None, 0.0
    k, tail = 1, 0.0
    cover = 1 - 2 * 0.5 ** n
    while True:
        # Coverage of (x(k+1), x(n-k)): 1 - 2 P(Binomial(n, 1/2) <= k).
        tail += math.comb(n, k) if k < n else 0
        nxt = 1 - 2 * (1 + tail) / 2.0 ** n
        if 2 * (k + 1) > n or nxt < 0.95:
            break
        k, cover = k + 1, nxt
    return s[k - 1], s[n - k], cover


MIN_COVER = 0.9  # below it (fewer than 5 paired rounds) nothing is decided


def decided(lo, hi):
    """Whether an interval of the ratio settles the 15% verdict: "in"
    (inside 0.85 .. 1.15), "out" (wholly outside) or "open"."""
    if lo is None:
        return "open"
    if lo >= 0.85 and hi <= 1.15:
        return "in"
    return "out" if hi < 0.85 or lo > 1.15 else "open"


STOLEN = 0.05  # steal_s over this share of wall_s: the host took the CPUs


def count_stolen(trials, counts):
    """Adds to counts [stolen, runs] the runs of trials (as load_into
    builds them) during which the hypervisor took CPU time from the
    machine: steal_s (at least one 10 ms tick) over STOLEN of wall_s."""
    for by_round in trials.values():
        for row in by_round.values():
            counts[1] += 1
            steal, wall = row.get("steal_s"), row.get("wall_s")
            if steal and wall and float(steal) > STOLEN * float(wall):
                counts[0] += 1


def within_line(versions, verdicts, rounds):
    """'Within 15%: 3.11.7 26 of 38 rows (decided: 11 within, 2 out; 25
    open), ...' from each interpreter's verdicts ({python: [(verdict,
    decided), ...]}, as cell gave them; a row with nothing to compare,
    "-", is not counted), and what an open verdict means at `rounds`."""
    per = []
    for py, v in versions.items():
        got = verdicts.get(py, [])
        ok = [g for g, _ in got]
        how = [h for _, h in got]
        per.append("%s %d of %d rows (decided: %d within, %d out; %d open)"
                   % (v, ok.count("yes"), ok.count("yes") + ok.count("no"),
                      how.count("in"), how.count("out"), how.count("open")))
    cover = median_interval(list(range(rounds)))[2]
    return ("Within 15%%: %s.\nA verdict is decided, for this run, when the "
            "interval of the median of the per-round ratios (%d round%s: "
            "%.1f%%) lies wholly inside 0.85 to 1.15 or wholly outside, on "
            "the side of the ratio shown; a ? marks an open one: its "
            "interval crosses the line, or fewer than 5 rounds pair up. "
            "Nine rounds or more narrow the interval (6 to 8 widen it); a "
            "ratio near the line may stay open.\n"
            % (", ".join(per), rounds, "" if rounds == 1 else "s",
               100 * cover))


def stolen_line(counts):
    """The sentence under the table: how many runs a side ran while the
    host took the CPUs (they are in the medians, as measured)."""
    return ("Runs during which the host took CPU time from this machine "
            "(`steal_s` over %d%% of `wall_s`): parlab %d of %d, CPython %d of "
            "%d; they are kept in the medians.\n"
            % (STOLEN * 100, counts["parlab"][0], counts["parlab"][1],
               counts["cpython"][0], counts["cpython"][1]))


def summary(vals):
    """(median, 'min - max') of a list, NaN when empty."""
    if not vals:
        return float("nan"), "-"
    return statistics.median(vals), "%.3g - %.3g" % (min(vals), max(vals))


def cpu_quantities():
    e, q = "fidelity-cpu", []
    for si in ("500us", "5ms", "50ms"):
        g = (e, "gil-threads switch_interval=" + si, 2)
        q.append(("cpu-bound, 2 threads / serial, interval %s" % si, g,
                  (e, "serial", 1), "wall_s"))
        # Per second: a count grows with the run's length, which follows
        # the interpreter's step cost (3.12's run lasted 1.5 times 3.11's
        # and its count doubled; per second the two agree).
        q.append(("cpu-bound, voluntary switches per second, interval %s"
                  % si, g, None, "vol_ctxsw/wall_s"))
    return q


# The convoy's placements (experiments/fidelity/convoy.yaml): IO and
# CPU-bound threads on one core, or on two; the echo process on CPU 1.
PLACEMENTS = (("one-core", "one core"), ("two-cores", "two cores"))


def convoy_quantities(prefix, label, intervals, ios, split=()):
    """Beside a CPU thread / alone, per placement and IO kind (ios(place)).
    parlab's "alone" is gil-threads with one worker: one thread under the
    GIL, as CPython's serial trial is, paying call_overhead when a
    calibration sets it. For the (placement, IO kind) pairs in split, the
    mean splits in two: how many reads were slow (slow_above, 100us: they
    waited for the lock), how long those took, and how many came right
    after another."""
    q = []
    for place, words in PLACEMENTS:
        e = prefix + place
        for io in ios(place):
            for si in intervals:
                g = (e, label % (si, io) if si else label % io, 2)
                where = "%s%s" % (words, ", interval " + si if si else "")
                q.append(("convoy %s, mean latency beside a CPU thread, %s "
                          "(ns)" % (io, where), g, None, "io_latency_mean"))
                q.append(("convoy %s, slowdown of the mean beside a CPU "
                          "thread, %s" % (io, where), g,
                          ((e, "serial io=%s" % io, 1), (e, g[1], 1)),
                          "io_latency_mean"))
                if (place, io) not in split:
                    continue
                slow = fmt_interval(SLOW_ABOVE)
                q.append(("convoy %s, reads of %s or more (waited for the "
                          "lock) beside a CPU thread, of 200, %s"
                          % (io, slow, where), g, None, "io_slow"))
                q.append(("convoy %s, mean latency of the reads of %s or "
                          "more, %s (ns)" % (io, slow, where), g, None,
                          "io_slow_latency_mean"))
                # Of those, the reads right after one: the lock lost
                # again at once (runs before io_slow_again have none).
                q.append(("convoy %s, reads of %s or more right after one "
                          "(lost again at once), of 200, %s"
                          % (io, slow, where), g, None, "io_slow_again"))
    return q


def quantities(name):
    """(description, numerator trial, denominator trial or None or a pair
    (CPython's, parlab's), column); a trial is (experiment, label,
    workers)."""
    q, e = [], "fidelity-" + name
    if name == "cpu":
        q = cpu_quantities()
    if name in ("io-sleep", "io-pipe"):
        for w in (2, 8, 32):
            q.append(("%s, speedup of %d threads" % (name, w),
                      (e, "serial", 1), (e, "gil-threads", w), "wall_s"))
    if name == "convoy":
        # Means, not medians: beside a CPU thread the latency is bimodal
        # (no wait, or one or two switch intervals).
        # On two cores a one-byte ready read beside a CPU thread is a race
        # (README, Fidelity): its mean is how often the reader lost it
        # times how long it then waited, split apart below.
        q = convoy_quantities("fidelity-convoy-",
                              "gil-threads switch_interval=%s io=%s",
                              ("500us", "5ms"), convoy_ios,
                              split={("two-cores", "ready")})
    if name == "race":
        q.append(("race, updates lost by 2 threads x 1M (unsafe)",
                  (e, "gil-threads mode=unsafe", 2), None, "lost_updates"))
        q.append(("race, updates lost under a lock",
                  (e, "gil-threads mode=locked", 2), None, "lost_updates"))
    if name == "native":
        q.append(("native code that releases the GIL, speedup of 2 threads",
                  (e, "serial", 1), (e, "gil-threads", 2), "wall_s"))
    if name == "threads":
        for w in (16, 256, 1024):
            q.append(("1024 countdown tasks, %d threads / serial" % w,
                      (e, "gil-threads start=python", w), (e, "serial", 1),
                      "wall_s"))
        q.append(("1024 countdown tasks, 1024 threads / serial, parlab "
                  "start: all", ((e, "gil-threads start=python", 1024),
                                 (e, "gil-threads start=all", 1024)),
                  (e, "serial", 1), "wall_s"))
    if name == "legacy":
        e = "fidelity-legacy-cpu"
        g = (e, "gil-threads mode=legacy", 2)
        q.append(("legacy: cpu-bound, 2 threads / serial", g,
                  (e, "serial", 1), "wall_s"))
        q.append(("legacy: cpu-bound, voluntary switches per second", g,
                  None, "vol_ctxsw/wall_s"))
        q += [("legacy: " + d, n, den, c) for d, n, den, c in
              convoy_quantities("fidelity-legacy-convoy-",
                                "gil-threads mode=legacy io=%s", (None,),
                                lambda place: ("echo", "ready"))]
    if name == "legacy-phase":
        # One experiment a check interval; the calibration's check_interval
        # leaves parlab's label, as the file's own value does.
        for ci in PHASE_CHECK_INTERVALS:
            g = ("fidelity-legacy-phase-%d" % ci, "gil-threads mode=legacy", 2)
            where = "two cores, check interval %d" % ci
            q.append(("legacy phase: convoy ready, mean latency beside a CPU "
                      "thread, %s (ns)" % where, g, None, "io_latency_mean"))
            q.append(("legacy phase: convoy ready, reads of %s or more beside "
                      "a CPU thread, of 200, %s" % (fmt_interval(SLOW_ABOVE),
                                                    where), g, None,
                      "io_slow"))
            q.append(("legacy phase: the CPU-bound thread's release period, "
                      "%s (ns)" % where, g, None, "release_period_ns"))
    return q


MIRRORED = {"settle": SETTLE, "slow_above": SLOW_ABOVE}
UNIT_S = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def mirror_errors(path):
    """'FILE:LINE:COLUMN: ...' for each convoy workload of the experiment
    file at path that does not set settle and slow_above to tools/
    cpython_bench.py's SETTLE and SLOW_ABOVE, each one duration: the two
    sides would measure different things."""
    errs = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if "name: convoy" not in line:
                continue
            for key, want in sorted(MIRRORED.items()):
                m = re.search(r"\b%s:\s*(\[[^\]]*\]?|[^,}\s]*)" % key, line)
                d = m and re.fullmatch(r"(\d+(?:\.\d+)?)(ns|us|ms|s)",
                                       m.group(1))
                if d and abs(float(d.group(1)) * UNIT_S[d.group(2)] -
                             want) <= 1e-12:
                    continue
                where = "%s:%d:%d: " % (path, n, m.start() + 1 if m else
                                        line.index("name: convoy") + 1)
                what = ("%s is %s" % (key, m.group(1)) if m else
                        "sets no " + key)
                errs.append("%s%s: expected %s (one duration), as tools/"
                            "cpython_bench.py's %s (change both together)"
                            % (where, what, fmt_interval(want), key.upper()))
    return errs


def side(pair, parlab):
    """A trial named for both sides, or a (CPython's, parlab's) pair."""
    if pair is None or isinstance(pair[0], str):
        return pair
    return pair[1] if parlab else pair[0]


def experiment_file(args, name):
    """experiments/fidelity/NAME.yaml, or with --cpus A,B a copy in the
    output folder whose CPU 0 is A and CPU 1 is B (pinning and echo_cpu)."""
    path = os.path.join(ROOT, "experiments", "fidelity", name + ".yaml")
    if args.cpus == "0,1":
        return path
    a, b = args.cpus.split(",")
    with open(path) as f:
        text = f.read()
    swap = {"pu:0": "pu:" + a, "pu:1": "pu:" + b, "echo_cpu: 1": "echo_cpu: " + b}
    text = re.sub("|".join(re.escape(k) for k in swap),
                  lambda m: swap[m.group(0)], text)
    copy = os.path.join(args.output, "%s-cpus-%s-%s.yaml" % (name, a, b))
    with open(copy, "w") as f:
        f.write(text)
    return copy


# Where a measuring run is, for the message when it stops short.
PROGRESS = {"what": "before the first round"}


def run_parlab(args, name, path, rnd, calibration, tag):
    """parlab on experiment file `path`, one round of scenario `name`."""
    dest = os.path.join(args.output, "parlab%s-%s-%d" % (tag, name, rnd))
    cmd = [args.parlab, "run", "--quiet", "--repetitions", "1",
           "--output-dir", dest]
    if calibration:
        cmd += ["--calibration", calibration]
    run_child(cmd + [path], stdout=subprocess.DEVNULL)
    return parlab_files(dest)


def parlab_files(dest):
    """The trials.csv files of one parlab round's output folder."""
    return (glob.glob(os.path.join(dest, "trials.csv")) +
            glob.glob(os.path.join(dest, "*", "trials.csv")))


def cpython_dir(out, python, name, rnd):
    """Where one CPython round of a scenario writes its files."""
    return os.path.join(out, "cpython-%s-%s-%d" % (
        os.path.basename(os.path.dirname(os.path.dirname(python))) or "py",
        name, rnd))


def run_cpython(args, python, name, out, rnd):
    dest = cpython_dir(out, python, name, rnd)
    run_child([python, os.path.join(HERE, "cpython_bench.py"), "-o", dest,
               "--scenario", name, "--repetitions", "1",
               "--warmup", "1" if rnd == 0 else "0", "--seed", str(rnd + 1),
               "--cpus", args.cpus, "--echo-peer",
               os.path.join(os.path.dirname(os.path.abspath(args.parlab)),
                            "parlab-echo")], check=True)
    return glob.glob(os.path.join(dest, "*.csv"))


@functools.lru_cache(maxsize=None)
def version(python):
    """The interpreter's version, "3.11.7"; asked once per interpreter
    (main, the calibrations and every scenario's parlab sides use it)."""
    out = subprocess.check_output([python, "-c", "import sys; print("
                                   "'%d.%d.%d' % sys.version_info[:3])"])
    return out.decode().strip()


def applies(name, ver):
    """Python 2 runs the legacy scenarios, Python 3 all others."""
    return name.startswith("legacy") == ver.startswith("2.")


def cell(p, c, num, den, col, own_parlab):
    """The columns of one interpreter: parlab's median [range] when parlab
    ran calibrated to it, its median [range], parlab's ratio to it with
    the interval of the median of the per-round ratios (the sides ran
    interleaved, so round r of one pairs with round r of the other), and
    the verdict: yes or no by the ratio, followed by "?" when the interval
    crosses the 15% line. Returns that text, the verdict ("yes", "no", or
    "-": nothing to compare) and whether the interval decides it ("in",
    "out", "open"; "-" with the verdict)."""
    pa = by_round(p, side(num, True), side(den, True), col)
    pb = by_round(c, side(num, False), side(den, False), col)
    a, ra = summary([v for _, v in sorted(pa.items())])
    b, rb = summary([v for _, v in sorted(pb.items())])
    ratio = a / b if b else float("nan")
    if not pa or not pb or (b == 0 and a == 0):
        ok = "-"        # a side measured nothing, or both measured none
    else:
        ok = "yes" if abs(ratio - 1) <= 0.15 else "no"
    lo, hi, cover = median_interval([pa[r] / pb[r] for r in pa
                                     if r in pb and pb[r]])
    how = decided(lo, hi)
    # Decided only when the interval, the ratio shown and enough paired
    # rounds agree: with 9 rounds or more the ratio of the medians can
    # fall outside the interval of the per-round ratios' median, and
    # under 5 paired rounds the interval covers too little.
    if how != ("in" if ok == "yes" else "out") or cover < MIN_COVER \
            or math.isnan(ratio):
        how = "open"
    if ok == "-":
        how, lo = "-", None
    within = ok + ("?" if how == "open" else "")
    interval = " [%.4g - %.4g]" % (lo, hi) if lo is not None else ""
    mine = "%.4g [%s] | " % (a, ra) if own_parlab else ""
    return ("%s%.4g [%s] | %.3g%s | %s" % (mine, b, rb, ratio, interval,
                                           within), ok, how)


def calibrate(args, pythons):
    """--calibrate: tools/calibrate.py under each interpreter, into the
    output folder; {python: calibration file}."""
    files = {}
    for py in pythons:
        path = os.path.join(args.output, "calibration-%s.json" % version(py))
        print("fidelity: calibrating to %s" % py, file=sys.stderr)
        PROGRESS["what"] = "calibrating to %s, before the first round" % py
        run_child([py, os.path.join(HERE, "calibrate.py"), "-o", path,
                   "--parlab", args.parlab], check=True,
                  stdout=subprocess.DEVNULL)
        files[py] = path
    return files


def parlab_sides(args, pythons, calibrations):
    """How parlab runs a round: once per interpreter with its calibration
    when there are calibrations (key, file, folder tag), else once."""
    return ([(py, calibrations[py], "-" + version(py)) for py in pythons]
            if calibrations else [(None, args.calibration, "")])


def measure(args, pythons, name, calibrations):
    """Runs the rounds of one scenario; returns ({python or None: parlab
    trials}, {python: trials}). parlab runs once a round, or once per
    interpreter with its calibration when there are calibrations."""
    sides = parlab_sides(args, pythons, calibrations)
    p = {key: {} for key, _, _ in sides}
    cs = {py: {} for py in pythons}
    path = experiment_file(args, name)
    for rnd in range(args.rounds):
        print("fidelity: %s, round %d of %d" % (name, rnd + 1, args.rounds),
              file=sys.stderr)
        PROGRESS["what"] = "in %s, round %d of %d" % (name, rnd + 1,
                                                     args.rounds)
        for key, cal, tag in sides:
            load_into(p[key], run_parlab(args, name, path, rnd, cal, tag),
                      rnd, cal)
        for py in pythons:
            load_into(cs[py], run_cpython(args, py, name, args.output, rnd), rnd)
    return p, cs


def load_run(args, pythons, name, calibrations):
    """--from: what measure() would return, read from the files an earlier
    run left in args.source (its rounds, as many as there are)."""
    sides = parlab_sides(args, pythons, calibrations)
    p = {key: {} for key, _, _ in sides}
    cs = {py: {} for py in pythons}
    for rnd in range(args.rounds):
        for key, cal, tag in sides:
            load_into(p[key], parlab_files(os.path.join(
                args.source, "parlab%s-%s-%d" % (tag, name, rnd))), rnd, cal)
        for py in pythons:
            load_into(cs[py], glob.glob(os.path.join(cpython_dir(
                args.source, py, name, rnd), "*.csv")), rnd)
    return p, cs


def source_rounds(source):
    """The number of rounds an earlier run's folder holds (its highest
    round number + 1); 0 when it holds none."""
    found = [int(m.group(1)) for m in (
        re.search(r"-(\d+)$", d) for d in os.listdir(source)
        if d.startswith("parlab")) if m]
    return max(found) + 1 if found else 0


def source_preamble(source):
    """The lines of an earlier run's fidelity.md above its table."""
    try:
        with open(os.path.join(source, "fidelity.md")) as f:
            head = f.read().split("\n| quantity", 1)[0].rstrip("\n")
    except OSError:
        head = "Measured into %s (no fidelity.md there)." % source
    return "%s\nTable rendered again from that run's files by " \
        "`tools/fidelity.py %s`, %s.\n" % (head, " ".join(sys.argv[1:]),
                                            time.strftime("%Y-%m-%d %H:%M"))


MARKERS = ("<!-- fidelity.py --readme: start -->",
           "<!-- fidelity.py --readme: end -->")


def excerpt(cells, versions, calibrated):
    """The README's table: each row with the columns of the first Python 3
    interpreter given, or for a row that only Python 2 ran (the legacy
    rows) the first Python 2's; cells is [(description, {python: cell's
    text, None: parlab's uncalibrated median})]."""
    order = list(versions)
    py3 = [py for py in order if not versions[py].startswith("2.")][:1]
    py2 = [py for py in order if versions[py].startswith("2.")][:1]
    out = ["| quantity | parlab%s | CPython median [range] | parlab / "
           "CPython [interval] | within 15%% |"
           % (", calibrated" if calibrated else ""), "|---|---|---|---|---|"]
    for desc, by in cells:
        py = next((q for q in py3 + py2 if q in by), None)
        if py is None:
            continue
        parts = by[py].split(" | ")
        mine = parts.pop(0) if calibrated else by[None]
        short = ".".join(versions[py].split(".")[:2])
        out.append("| %s | %s | %s: %s | %s | %s |"
                   % (desc, mine, short, parts[0], parts[1], parts[2]))
    return "\n".join(out) + "\n"


def write_between_markers(path, text):
    """Replaces what lies between the MARKERS lines of path with text;
    the file is replaced whole (a temporary file renamed over it)."""
    with open(path) as f:
        old = f.read()
    start, end = old.find(MARKERS[0] + "\n"), old.find(MARKERS[1])
    if start < 0 or end < start:
        sys.exit("fidelity: %s has no lines %s ... %s to write the table "
                 "between" % (path, MARKERS[0], MARKERS[1]))
    start += len(MARKERS[0]) + 1
    tmp = path + ".fidelity-tmp"
    with open(tmp, "w") as f:
        f.write(old[:start] + text + old[end:])
    os.replace(tmp, path)


def row_text(desc, by, pythons, calibrated):
    """One row of the full table from a row's cells (as main gathers them:
    {python: cell's text, None: parlab's uncalibrated median}); empty
    columns for an interpreter the row's scenario does not apply to."""
    row = "| %s |" % desc + ("" if calibrated else " %s |" % by[None])
    for py in pythons:
        row += " %s |" % by[py] if py in by else \
            " | | |" + (" |" if calibrated else "")
    return row


def table(versions, rows, calibrated):
    head = "| quantity |" + ("" if calibrated else " parlab median [range] |")
    head += "".join((" parlab calibrated to %s |" % v if calibrated else "") +
                    " CPython %s median [range] | parlab / %s [interval] |"
                    " within 15%% |"
                    % (v, v) for v in versions.values())
    cols = 1 + (0 if calibrated else 1) + (4 if calibrated else 3) * len(
        versions)
    return "\n".join([head, "|" + "---|" * cols] + rows)


def preamble(versions, load0, load1, t0):
    return ("Measured by `tools/fidelity.py %s` on %s (%s, %d CPUs), %s to %s."
            "\n/proc/loadavg before: %s; after: %s.\n%sInterpreters: %s.\n"
            % (" ".join(sys.argv[1:]), platform.node(), cpu_model(),
               os.cpu_count(), t0, time.strftime("%Y-%m-%d %H:%M"),
               load0, load1, held_line(), ", ".join(
                   "%s (%s)" % (v, py) for py, v in versions.items())))


def held_line():
    """Under build/parlab-hold (tools/hold_cpus.c), which CPUs it kept out
    of idle for both sides; else nothing."""
    cpus = os.environ.get("PARLAB_HOLD_CPUS")
    return ("CPUs held out of idle (`parlab-hold`, a SCHED_IDLE busy loop "
            "each, both sides): %s.\n" % cpus) if cpus else ""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# Where a run given --calibration FILE keeps a copy of it, so that --from
# leaves the parameters it set out of parlab's labels as the run did.
GIVEN_CALIBRATION = "calibration.json"


def check_source(ap, args, pythons, versions):
    """--from: the folder holds files for every interpreter given, and a
    calibration for all of them or for none; returns the calibrations
    (and sets args.calibration to the run's --calibration copy, if any)."""
    names = sorted(os.listdir(args.source))
    for py in pythons:
        prefix = os.path.basename(cpython_dir(args.source, py, "x", 0))[:-3]
        if not any(n.startswith(prefix) for n in names):
            ap.error("--from %s: no CPython files for %s there (folders "
                     "%s<scenario>-<round>; give the interpreter by the "
                     "path the run was given)" % (args.source, py, prefix))
    files = {py: os.path.join(args.source, "calibration-%s.json" % v)
             for py, v in versions.items()}
    missing = [f for f in files.values() if not os.path.exists(f)]
    if missing and len(missing) < len(files):
        ap.error("--from %s: calibrated for some interpreters only: no %s"
                 % (args.source, ", ".join(missing)))
    given = os.path.join(args.source, GIVEN_CALIBRATION)
    if missing and os.path.exists(given):
        args.calibration = given
    return {} if missing else files


def source_scenarios(source, asked):
    """The scenarios an earlier run's folder has files of, in table order
    (those asked for, when --scenario was given)."""
    names = os.listdir(source)
    found = [s for s in SCENARIOS + list(ON_REQUEST) if any(
        re.match(r"parlab(-[\d.]+)?-%s-\d+$" % re.escape(s), n)
        for n in names)]
    return [s for s in (asked or found) if s in found]


def no_rows(scenarios):
    """The error when no interpreter given runs any scenario asked for."""
    return ("no rows: the scenarios given (%s) apply to none of the "
            "interpreters (Python 2 runs legacy and legacy-phase only, "
            "Python 3 every other)" % ", ".join(scenarios))


def stopped_short(args, pythons, e):
    """The run ended before its last round: says where, and how to table
    what it measured; the exit status (128 + the signal, or 1)."""
    if isinstance(e, Stopped):
        why = "interrupted by %s" % e.name()
        status = 128 + e.signum
    else:
        why = "stopped: %s exited with %s" % (" ".join(e.cmd[:2]),
                                               e.returncode)
        status = 1
    print("fidelity: %s %s. What was measured is in %s: `tools/fidelity.py "
          "--from %s %s` tables it (rounds cut short with what they hold)."
          % (why, PROGRESS["what"], args.output, args.output,
             " ".join("--python " + py for py in pythons)), file=sys.stderr)
    return status


def main():
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output",
                    help="a new folder for every run's files, the "
                    "calibrations and fidelity.md (default: "
                    "results/fidelity-DATE-TIME)")
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"),
                    help="the parlab to run (default %(default)s)")
    ap.add_argument("--python", action="append",
                    help="an interpreter to compare with (repeatable; "
                    "default: this one)")
    ap.add_argument("--scenario", action="append",
                    choices=SCENARIOS + list(ON_REQUEST),
                    help="run only these (default: all but %s)"
                    % ", ".join(ON_REQUEST))
    ap.add_argument("--rounds", "--repetitions", type=int,
                    help="interleaved rounds, one run a side each (default 9)")
    ap.add_argument("--calibration", help="passed to parlab run")
    ap.add_argument("--table", metavar="FILE",
                    help="also write the table to FILE (overwritten)")
    ap.add_argument("--cpus", default="0,1",
                    help="A,B: run the convoy placements on CPUs A and B "
                    "instead of 0 and 1 (both sides)")
    ap.add_argument("--calibrate", action="store_true",
                    help="calibrate parlab to each interpreter first "
                    "(tools/calibrate.py) and run parlab once per "
                    "interpreter with its calibration")
    ap.add_argument("--readme", metavar="FILE",
                    help="also write the excerpt table (the first Python 3 "
                    "and the first Python 2 given) into FILE between the "
                    "lines %s and %s" % MARKERS)
    ap.add_argument("--from", dest="source", metavar="DIR",
                    help="run nothing: render the table again from the "
                    "files of an earlier run's -o DIR, with the same "
                    "--python and --scenario (to stdout, and --table)")
    args = ap.parse_args()
    if args.calibrate and args.calibration:
        ap.error("--calibrate and --calibration exclude each other")
    pythons = args.python or [sys.executable]
    try:
        versions = {py: version(py) for py in pythons}
    except (OSError, subprocess.CalledProcessError) as e:
        ap.error("cannot run an interpreter given: %s" % e)
    scenarios = args.scenario or SCENARIOS
    if args.source:
        if args.output or args.rounds or args.calibrate or args.calibration:
            ap.error("--from measures nothing: -o, --rounds, --calibrate and "
                     "--calibration do not go with it")
        if not os.path.isdir(args.source):
            ap.error("--from %s: no such folder" % args.source)
        args.rounds = source_rounds(args.source)
        if not args.rounds:
            ap.error("--from %s: no parlab rounds there (parlab-*-N "
                     "folders)" % args.source)
        calibrations = check_source(ap, args, pythons, versions)
        scenarios = source_scenarios(args.source, args.scenario)
        if "legacy-phase" in scenarios and not (calibrations or
                                                args.calibration):
            ap.error("--from %s: no calibration there (calibration-VERSION"
                     ".json, or %s from --calibration): legacy-phase's "
                     "parlab labels cannot be paired without it"
                     % (args.source, GIVEN_CALIBRATION))
        if not scenarios:
            ap.error("--from %s: no files of %s there" % (
                args.source, ", ".join(args.scenario or ["any scenario"])))
    else:
        args.rounds = args.rounds or 9
        args.output = args.output or os.path.join(
            "results", "fidelity-" + time.strftime("%Y%m%d-%H%M%S"))
        if os.path.exists(args.output):
            ap.error("%s exists: give -o a new folder (an earlier run's "
                     "files are kept)" % args.output)
        if "legacy-phase" in scenarios and not (args.calibrate or
                                                args.calibration):
            ap.error("legacy-phase matches parlab's check_interval to "
                     "Python 2's through the calibrated step cost: give "
                     "--calibrate (or --calibration FILE)")
        if not any(applies(name, v) for name in scenarios
                   for v in versions.values()):
            ap.error(no_rows(scenarios))
        errs = [e for name in scenarios for e in mirror_errors(
            os.path.join(ROOT, "experiments", "fidelity", name + ".yaml"))]
        if errs:
            ap.error("\n".join(errs))
        os.makedirs(args.output)
        if args.calibration:
            shutil.copyfile(args.calibration,
                            os.path.join(args.output, GIVEN_CALIBRATION))
    load0, t0 = loadavg(), time.strftime("%Y-%m-%d %H:%M")
    try:
        if not args.source:
            stop_on_signals()
            calibrations = calibrate(args, pythons) if args.calibrate else {}
        verdicts, cells = {}, []
        stolen = {"parlab": [0, 0], "cpython": [0, 0]}
        for name in scenarios:
            use = [py for py in pythons if applies(name, versions[py])]
            if not use:
                continue
            p, cs = (load_run if args.source else measure)(args, use, name,
                                                           calibrations)
            for trials in p.values():
                count_stolen(trials, stolen["parlab"])
            for trials in cs.values():
                count_stolen(trials, stolen["cpython"])
            for desc, num, den, col in quantities(name):
                if not any(has_column(t, side(num, parlab), col)
                           for parlab, sides in ((True, p), (False, cs))
                           for t in sides.values()):
                    continue  # files older than the quantity (--from)
                by = {}
                if not calibrations:
                    by[None] = "%.4g [%s]" % summary(per_round(
                        p[None], side(num, True), side(den, True), col))
                for py in use:
                    text, ok, how = cell(p[py if calibrations else None],
                                         cs[py], num, den, col,
                                         bool(calibrations))
                    by[py] = text
                    verdicts.setdefault(py, []).append((ok, how))
                cells.append((desc, by))
    except (Stopped, subprocess.CalledProcessError) as e:
        return stopped_short(args, pythons, e)
    rows = [row_text(desc, by, pythons, bool(calibrations))
            for desc, by in cells]
    if not rows:
        ap.error(no_rows(scenarios))
    head = source_preamble(args.source) if args.source else preamble(
        versions, load0, loadavg(), t0)
    text = head + "\n" + table(
        versions, rows, bool(calibrations)) + "\n\n" + within_line(
        versions, verdicts, args.rounds) + stolen_line(stolen)
    sys.stdout.write(text)
    if args.readme:
        write_between_markers(args.readme, excerpt(cells, versions,
                                                   bool(calibrations)))
    for path in ([] if args.source else [os.path.join(args.output,
                                                      "fidelity.md")]) + (
            [args.table] if args.table else []):
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    sys.exit(main())
