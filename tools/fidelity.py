#!/usr/bin/env python3
"""Puts parlab's GIL emulation beside real CPython, on this machine.

For each scenario it runs parlab on experiments/fidelity/NAME.yaml and
tools/cpython_bench.py on the same scenario, one after the other, then
prints each ratio of the README's "Fidelity" table measured both
ways: a ratio is taken within a round (the r-th run of each trial), then
the median over rounds. The table also goes to DIR/fidelity.md.

    tools/fidelity.py [-o DIR] [--parlab build/parlab] [--scenario cpu]
"""
import argparse
import csv
import glob
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIOS = ["cpu", "io-sleep", "io-pipe", "convoy", "race", "native"]


def load(path):
    """trial label -> {repetition: row}, for rows that ran ok."""
    trials = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["status"] != "ok":
                continue
            key = (row["label"], int(row["workers"]))
            trials.setdefault(key, {})[int(row["repetition"])] = row
    return trials


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


def quantities(name):
    """(description, numerator trial, denominator trial or None, column)."""
    q = []
    if name == "cpu":
        for si in ("500us", "5ms", "50ms"):
            g = ("gil-threads switch_interval=" + si, 2)
            q.append(("cpu-bound, 2 threads / serial, interval %s" % si, g,
                      ("serial", 1), "wall_s"))
            q.append(("cpu-bound, voluntary switches, interval %s" % si, g,
                      None, "vol_ctxsw"))
    if name in ("io-sleep", "io-pipe"):
        for w in (2, 8, 32):
            q.append(("%s, speedup of %d threads" % (name, w), ("serial", 1),
                      ("gil-threads", w), "wall_s"))
    if name == "convoy":
        # Means, not medians: beside a CPU thread the latency is bimodal
        # (one or two switch intervals), in CPython as in parlab.
        for io in ("echo", "ready"):
            for si in ("500us", "5ms"):
                g = ("gil-threads switch_interval=%s io=%s" % (si, io), 2)
                q.append(("convoy %s, mean latency beside a CPU thread, "
                          "interval %s (ns)" % (io, si), g, None,
                          "io_latency_mean"))
                q.append(("convoy %s, slowdown of the mean beside a CPU "
                          "thread, interval %s" % (io, si), g,
                          ("serial io=%s" % io, 1), "io_latency_mean"))
    if name == "race":
        q.append(("race, updates lost by 2 threads x 1M (unsafe)",
                  ("gil-threads mode=unsafe", 2), None, "lost_updates"))
        q.append(("race, updates lost under a lock",
                  ("gil-threads mode=locked", 2), None, "lost_updates"))
    if name == "native":
        q.append(("native code that releases the GIL, speedup of 2 threads",
                  ("serial", 1), ("gil-threads", 2), "wall_s"))
    return q


def run_parlab(parlab, name, out, reps):
    dest = os.path.join(out, "parlab-" + name)
    subprocess.run([parlab, "run", "--quiet", "--repetitions", str(reps),
                    "--output-dir", dest,
                    os.path.join(ROOT, "experiments", "fidelity", name + ".yaml")],
                   check=False, stdout=subprocess.DEVNULL)
    return os.path.join(dest, "trials.csv")


def run_cpython(python, name, out, reps):
    dest = os.path.join(out, "cpython-" + name)
    subprocess.run([python, os.path.join(HERE, "cpython_bench.py"), "-o", dest,
                    "--scenario", name, "--repetitions", str(reps)], check=True)
    return glob.glob(os.path.join(dest, "*.csv"))[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output",
                    default=os.path.join("results", "fidelity-" +
                                         time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--scenario", action="append", choices=SCENARIOS)
    ap.add_argument("--repetitions", type=int, default=9,
                    help="measured rounds on each side (default 9)")
    args = ap.parse_args()
    os.makedirs(args.output, exist_ok=False)
    lines = ["| quantity | parlab median [range] | CPython %d.%d median [range] "
             "| parlab / CPython | within 15%% |" % sys.version_info[:2],
             "|---|---|---|---|---|"]
    for name in args.scenario or SCENARIOS:
        print("fidelity: %s ..." % name, file=sys.stderr)
        p = load(run_parlab(args.parlab, name, args.output, args.repetitions))
        c = load(run_cpython(args.python, name, args.output, args.repetitions))
        for desc, num, den, col in quantities(name):
            (a, ra), (b, rb) = (summary(per_round(p, num, den, col)),
                                summary(per_round(c, num, den, col)))
            ratio = a / b if b else float("nan")
            ok = "yes" if abs(ratio - 1) <= 0.15 else ("-" if b == 0 and a == 0 else "no")
            lines.append("| %s | %.4g [%s] | %.4g [%s] | %.3g | %s |"
                         % (desc, a, ra, b, rb, ratio, ok))
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.output, "fidelity.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
