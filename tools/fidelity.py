#!/usr/bin/env python3
"""Puts parlab's GIL emulation beside real CPython, on this machine.

For each scenario and each round it runs parlab once on
experiments/fidelity/NAME.yaml and then every interpreter given once on
tools/cpython_bench.py's same scenario, so the sides interleave round by
round; a ratio is taken within a round (the r-th run of each trial), then
the median over rounds. Python 2 interpreters run the "legacy" scenario
(parlab's mode: legacy), Python 3 ones every other. The table, with a
column per interpreter, the machine and /proc/loadavg before and after,
goes to DIR/fidelity.md (and to --table FILE when given).

    tools/fidelity.py [-o DIR] [--parlab build/parlab] [--scenario cpu]
                      [--python PATH]... [--rounds 5] [--table FILE]
                      [--calibration FILE]
"""
import argparse
import csv
import glob
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIOS = ["cpu", "io-sleep", "io-pipe", "convoy", "race", "native",
             "threads", "legacy"]


def load_into(trials, paths, rnd):
    """Adds the rows of the CSV files that ran ok, as round rnd:
    (label, workers) -> {round: row}."""
    for path in paths:
        with open(path) as f:
            for row in csv.DictReader(f):
                if row["status"] == "ok":
                    # A calibration's call_overhead shows in parlab's
                    # labels; the trial is the same.
                    label = re.sub(r" call_overhead=\S+", "", row["label"])
                    key = (label, int(row["workers"]))
                    trials.setdefault(key, {})[rnd] = row


def per_round(trials, num, den, column):
    """The values over rounds of num[column] / den[column] (or num's column
    alone when den is None)."""
    a = trials.get(num, {})
    if den is None:
        return [float(r[column]) for r in a.values() if r.get(column)]
    b = trials.get(den, {})
    return [float(a[r][column]) / float(b[r][column])
            for r in a if r in b and a[r].get(column) and b[r].get(column)]


def summary(vals):
    """(median, 'min - max') of a list, NaN when empty."""
    if not vals:
        return float("nan"), "-"
    return statistics.median(vals), "%.3g - %.3g" % (min(vals), max(vals))


def cpu_quantities():
    q = []
    for si in ("500us", "5ms", "50ms"):
        g = ("gil-threads switch_interval=" + si, 2)
        q.append(("cpu-bound, 2 threads / serial, interval %s" % si, g,
                  ("serial", 1), "wall_s"))
        q.append(("cpu-bound, voluntary switches, interval %s" % si, g,
                  None, "vol_ctxsw"))
    return q


def convoy_quantities(label, intervals):
    """Beside a CPU thread / alone. parlab's "alone" is gil-threads with
    one worker: one thread under the GIL, as CPython's serial trial is,
    paying call_overhead when a calibration sets it."""
    q = []
    for io in ("echo", "ready"):
        for si in intervals:
            g = label % (si, io) if si else label % io
            q.append(("convoy %s, mean latency beside a CPU thread%s (ns)"
                      % (io, ", interval " + si if si else ""), (g, 2), None,
                      "io_latency_mean"))
            q.append(("convoy %s, slowdown of the mean beside a CPU thread%s"
                      % (io, ", interval " + si if si else ""), (g, 2),
                      (("serial io=%s" % io, 1), (g, 1)), "io_latency_mean"))
    return q


def quantities(name):
    """(description, numerator trial, denominator trial or None or a pair
    (CPython's, parlab's), column)."""
    q = []
    if name == "cpu":
        q = cpu_quantities()
    if name in ("io-sleep", "io-pipe"):
        for w in (2, 8, 32):
            q.append(("%s, speedup of %d threads" % (name, w), ("serial", 1),
                      ("gil-threads", w), "wall_s"))
    if name == "convoy":
        # Means, not medians: beside a CPU thread the latency is bimodal
        # (one or two switch intervals), in CPython as in parlab.
        q = convoy_quantities("gil-threads switch_interval=%s io=%s",
                              ("500us", "5ms"))
    if name == "race":
        q.append(("race, updates lost by 2 threads x 1M (unsafe)",
                  ("gil-threads mode=unsafe", 2), None, "lost_updates"))
        q.append(("race, updates lost under a lock",
                  ("gil-threads mode=locked", 2), None, "lost_updates"))
    if name == "native":
        q.append(("native code that releases the GIL, speedup of 2 threads",
                  ("serial", 1), ("gil-threads", 2), "wall_s"))
    if name == "threads":
        for w in (16, 256, 1024):
            q.append(("1024 countdown tasks, %d threads / serial" % w,
                      ("gil-threads start=python", w), ("serial", 1), "wall_s"))
        q.append(("1024 countdown tasks, 1024 threads / serial, parlab start: all",
                  (("gil-threads start=python", 1024),
                   ("gil-threads start=all", 1024)), ("serial", 1), "wall_s"))
    if name == "legacy":
        g = ("gil-threads mode=legacy", 2)
        q.append(("legacy: cpu-bound, 2 threads / serial", g, ("serial", 1),
                  "wall_s"))
        q.append(("legacy: cpu-bound, voluntary switches", g, None,
                  "vol_ctxsw"))
        q += [("legacy: " + d, n, den, c) for d, n, den, c in
              convoy_quantities("gil-threads mode=legacy io=%s", (None,))]
    return q


def side(pair, parlab):
    """A trial named for both sides, or a (CPython's, parlab's) pair."""
    if pair is None or isinstance(pair[0], str):
        return pair
    return pair[1] if parlab else pair[0]


def run_parlab(args, name, out, rnd):
    dest = os.path.join(out, "parlab-%s-%d" % (name, rnd))
    cmd = [args.parlab, "run", "--quiet", "--repetitions", "1",
           "--output-dir", dest]
    if args.calibration:
        cmd += ["--calibration", args.calibration]
    subprocess.call(cmd + [os.path.join(ROOT, "experiments", "fidelity",
                                        name + ".yaml")],
                    stdout=subprocess.DEVNULL)
    return (glob.glob(os.path.join(dest, "trials.csv")) +
            glob.glob(os.path.join(dest, "*", "trials.csv")))


def run_cpython(python, name, out, rnd):
    dest = os.path.join(out, "cpython-%s-%s-%d" % (
        os.path.basename(os.path.dirname(os.path.dirname(python))) or "py",
        name, rnd))
    subprocess.check_call([python, os.path.join(HERE, "cpython_bench.py"),
                           "-o", dest, "--scenario", name, "--repetitions",
                           "1", "--warmup", "1" if rnd == 0 else "0",
                           "--seed", str(rnd + 1)])
    return glob.glob(os.path.join(dest, "*.csv"))


def version(python):
    out = subprocess.check_output([python, "-c", "import sys; print("
                                   "'%d.%d.%d' % sys.version_info[:3])"])
    return out.decode().strip()


def applies(name, ver):
    """Python 2 runs the legacy scenario, Python 3 all others."""
    return (name == "legacy") == ver.startswith("2.")


def cell(p, c, num, den, col):
    """The columns of one interpreter: its median [range], parlab's ratio
    to it and the verdict."""
    a = summary(per_round(p, side(num, True), side(den, True), col))[0]
    b, rb = summary(per_round(c, side(num, False), side(den, False), col))
    ratio = a / b if b else float("nan")
    ok = "yes" if abs(ratio - 1) <= 0.15 else (
        "-" if b == 0 and a == 0 else "no")
    return "%.4g [%s] | %.3g | %s" % (b, rb, ratio, ok)


def measure(args, pythons, name):
    """Runs the rounds of one scenario; returns (parlab trials, {python:
    trials})."""
    p, cs = {}, {py: {} for py in pythons}
    for rnd in range(args.rounds):
        print("fidelity: %s, round %d of %d" % (name, rnd + 1, args.rounds),
              file=sys.stderr)
        load_into(p, run_parlab(args, name, args.output, rnd), rnd)
        for py in pythons:
            load_into(cs[py], run_cpython(py, name, args.output, rnd), rnd)
    return p, cs


def table(args, versions, rows):
    head = "| quantity | parlab median [range] |" + "".join(
        " CPython %s median [range] | parlab / %s | within 15%% |" % (v, v)
        for v in versions.values())
    lines = [head, "|---|---|" + "---|---|---|" * len(versions)]
    return "\n".join(lines + rows)


def preamble(versions, load0, load1, t0):
    return ("Measured by `tools/fidelity.py %s` on %s (%s, %d CPUs), %s to %s."
            "\n/proc/loadavg before: %s; after: %s.\nInterpreters: %s.\n"
            % (" ".join(sys.argv[1:]), platform.node(), cpu_model(),
               os.cpu_count(), t0, time.strftime("%Y-%m-%d %H:%M"),
               load0, load1, ", ".join("%s (%s)" % (v, py)
                                       for py, v in versions.items())))


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output",
                    default=os.path.join("results", "fidelity-" +
                                         time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"))
    ap.add_argument("--python", action="append",
                    help="an interpreter to compare with (repeatable; "
                    "default: this one)")
    ap.add_argument("--scenario", action="append", choices=SCENARIOS)
    ap.add_argument("--rounds", "--repetitions", type=int, default=9,
                    help="interleaved rounds, one run a side each (default 9)")
    ap.add_argument("--calibration", help="passed to parlab run")
    ap.add_argument("--table", help="also write the table to FILE")
    args = ap.parse_args()
    os.makedirs(args.output)
    pythons = args.python or [sys.executable]
    versions = {py: version(py) for py in pythons}
    load0, t0 = loadavg(), time.strftime("%Y-%m-%d %H:%M")
    rows = []
    for name in args.scenario or SCENARIOS:
        use = [py for py in pythons if applies(name, versions[py])]
        if not use:
            continue
        p, cs = measure(args, use, name)
        for desc, num, den, col in quantities(name):
            a, ra = summary(per_round(p, side(num, True), side(den, True), col))
            rows.append("| %s | %.4g [%s] |" % (desc, a, ra) + "".join(
                " %s |" % cell(p, cs[py], num, den, col) if py in cs
                else " | | |" for py in pythons))
    text = preamble(versions, load0, loadavg(), t0) + "\n" + table(
        args, versions, rows) + "\n"
    print(text)
    for path in [os.path.join(args.output, "fidelity.md")] + (
            [args.table] if args.table else []):
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
