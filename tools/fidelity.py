#!/usr/bin/env python3
"""Puts parlab's GIL emulation beside real CPython, on this machine.

For each scenario it runs parlab on experiments/fidelity/NAME.yaml and
tools/cpython_bench.py on the same scenario, one after the other, then
prints each ratio of ../shared/baselines/cpython-3.11.md measured both
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


def per_round(trials, num, den, column, den_column=None):
    """Median over rounds of num[column] / den[den_column] (or the plain
    median of num's column when den is None)."""
    a = trials.get(num, {})
    if den is None:
        vals = [float(r[column]) for r in a.values() if r.get(column)]
        return statistics.median(vals) if vals else float("nan")
    b = trials.get(den, {})
    vals = [float(a[r][column]) / float(b[r][den_column or column])
            for r in a if r in b and a[r].get(column) and b[r].get(den_column or column)]
    return statistics.median(vals) if vals else float("nan")


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
        for io, col in (("echo", "io_latency_p50"), ("ready", "io_latency_mean")):
            for si in ("500us", "5ms"):
                q.append(("convoy %s, slowdown beside a CPU thread, interval %s (%s)"
                          % (io, si, col.split("_")[-1]),
                          ("gil-threads switch_interval=%s io=%s" % (si, io), 2),
                          ("serial io=%s" % io, 1), col))
    if name == "race":
        q.append(("race, updates lost by 2 threads x 1M (unsafe)",
                  ("gil-threads mode=unsafe", 2), None, "lost_updates"))
        q.append(("race, updates lost under a lock",
                  ("gil-threads mode=locked", 2), None, "lost_updates"))
        q.append(("race, locked / unsafe time, 2 threads",
                  ("gil-threads mode=locked", 2), ("gil-threads mode=unsafe", 2),
                  "wall_s"))
    if name == "native":
        q.append(("native code that releases the GIL, speedup of 2 threads",
                  ("serial", 1), ("gil-threads", 2), "wall_s"))
    return q


def run_parlab(parlab, name, out):
    dest = os.path.join(out, "parlab-" + name)
    subprocess.run([parlab, "run", "--quiet", "--output-dir", dest,
                    os.path.join(ROOT, "experiments", "fidelity", name + ".yaml")],
                   check=False, stdout=subprocess.DEVNULL)
    return os.path.join(dest, "trials.csv")


def run_cpython(python, name, out):
    dest = os.path.join(out, "cpython-" + name)
    subprocess.run([python, os.path.join(HERE, "cpython_bench.py"), "-o", dest,
                    "--scenario", name], check=True)
    return glob.glob(os.path.join(dest, "*.csv"))[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output",
                    default=os.path.join("results", "fidelity-" +
                                         time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--scenario", action="append", choices=SCENARIOS)
    args = ap.parse_args()
    os.makedirs(args.output, exist_ok=False)
    lines = ["| quantity | parlab | CPython %d.%d | parlab / CPython | within 15%% |"
             % sys.version_info[:2], "|---|---|---|---|---|"]
    for name in args.scenario or SCENARIOS:
        print("fidelity: %s ..." % name, file=sys.stderr)
        p = load(run_parlab(args.parlab, name, args.output))
        c = load(run_cpython(args.python, name, args.output))
        for desc, num, den, col in quantities(name):
            a, b = per_round(p, num, den, col), per_round(c, num, den, col)
            ratio = a / b if b else float("nan")
            ok = "yes" if abs(ratio - 1) <= 0.15 else "no"
            lines.append("| %s | %.4g | %.4g | %.3g | %s |" % (desc, a, b, ratio, ok))
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.output, "fidelity.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
