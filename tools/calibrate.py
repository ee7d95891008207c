#!/usr/bin/env python
"""Measures, once per machine and interpreter, the costs parlab's GIL
emulation depends on, and writes a calibration file for `parlab run
--calibration FILE`.

Runs under any Python 2.7 to 3.13. Measured (median of --samples):
  loop_step_ns        one step of `while n > 0: n -= 1`
  sleep0_ns           one time.sleep(0)
  read_ready_ns       one os.read of one byte from a pipe that has data
  echo_round_trip_ns  a one-byte round trip to an echo process (send, recv)
  thread_start_ns     threading.Thread(...).start() and join() of an empty
                      function
With --parlab (default build/parlab, when it exists) it also measures
parlab's own cost of the same countdown step and echo round trip, and
maps the differences onto parameters:
  cpu-count, convoy, race-counter, cpu-native: work_per_step, so that a
      step costs what this interpreter's does;
  gil-threads: call_overhead, (Python's round trip - parlab's) / 2, the
      interpreter's cost around each of the two blocking calls.

    tools/calibrate.py [-o calibration.json] [--parlab build/parlab]
"""
from __future__ import division, print_function

import argparse
import csv
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

clock = getattr(time, "perf_counter", time.time)
HERE = os.path.dirname(os.path.abspath(__file__))
PARLAB_STEP = 18  # work_per_step at which parlab's step is measured


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def per_call(fn, calls, samples):
    """Median over samples of the time of one call of fn(calls) / calls."""
    out = []
    for _ in range(samples):
        t0 = clock()
        fn(calls)
        out.append((clock() - t0) / calls * 1e9)
    return median(out)


def countdown(n):
    while n > 0:
        n -= 1


def sleeps(n):
    for _ in range(n):
        time.sleep(0)


def ready_reads(n):
    r, w = os.pipe()
    os.write(w, b"x" * n)
    for _ in range(n):
        os.read(r, 1)
    os.close(r)
    os.close(w)


def echo_round_trips(n):
    a, b = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        a.close()
        while True:
            data = b.recv(64)
            if not data:
                os._exit(0)
            b.send(data)
    b.close()
    for _ in range(n):
        a.send(b"x")
        a.recv(1)
    a.close()
    os.waitpid(pid, 0)


def thread_starts(n):
    for _ in range(n):
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()


def measure(samples):
    return {
        "loop_step_ns": per_call(countdown, 2000000, samples),
        "sleep0_ns": per_call(sleeps, 20000, samples),
        "read_ready_ns": per_call(ready_reads, 20000, samples),
        "echo_round_trip_ns": per_call(echo_round_trips, 5000, samples),
        "thread_start_ns": per_call(thread_starts, 500, samples),
    }


PARLAB_EXPERIMENT = """experiment: calibrate
workload: {name: cpu-count, params: {iterations: 20_000_000, tasks: 1, work_per_step: %d}}
strategies: [serial]
workers: [1]
repetitions: %d
warmup: 1
---
experiment: calibrate-echo
workload: {name: convoy, params: {io_tasks: 1, round_trips: 5000, io: echo}}
strategies: [gil-threads]
workers: [1]
repetitions: %d
warmup: 1
"""


def parlab_costs(parlab, samples):
    """parlab's ns per countdown step at PARLAB_STEP and its mean one-byte
    echo round trip under gil-threads with one worker."""
    tmp = tempfile.mkdtemp(prefix="calibrate-")
    try:
        path = os.path.join(tmp, "calibrate.yaml")
        with open(path, "w") as f:
            f.write(PARLAB_EXPERIMENT % (PARLAB_STEP, samples, samples))
        out = os.path.join(tmp, "out")
        subprocess.check_call([parlab, "run", "--quiet", "--output-dir", out,
                               path], stdout=open(os.devnull, "w"))
        walls, lat = [], []
        for row in csv.DictReader(open(os.path.join(out, "calibrate",
                                                     "trials.csv"))):
            walls.append(float(row["wall_s"]))
        for row in csv.DictReader(open(os.path.join(out, "calibrate-echo",
                                                     "trials.csv"))):
            lat.append(float(row["io_latency_mean"]))
        return median(walls) / 20e6 * 1e9, median(lat)
    finally:
        shutil.rmtree(tmp)


def mapping(py, parlab_step_ns, parlab_rt_ns):
    """The parameters that make parlab cost what this interpreter does."""
    step = max(1, int(round(PARLAB_STEP * py["loop_step_ns"] / parlab_step_ns)))
    overhead = max(0, int(round((py["echo_round_trip_ns"] - parlab_rt_ns) / 2)))
    params = dict((w, {"work_per_step": step}) for w in
                  ("cpu-count", "convoy", "race-counter", "cpu-native"))
    params["gil-threads"] = {"call_overhead": "%dns" % overhead}
    return params


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="calibration.json")
    ap.add_argument("--parlab", default=os.path.join(os.path.dirname(HERE),
                                                     "build", "parlab"))
    ap.add_argument("--samples", type=int, default=5)
    args = ap.parse_args()
    measured = measure(args.samples)
    doc = {"machine": {"node": platform.node(), "machine": platform.machine(),
                       "processor": cpu_model()},
           "interpreter": {"path": sys.executable,
                           "version": platform.python_version(),
                           "implementation": platform.python_implementation()},
           "date": time.strftime("%Y-%m-%d %H:%M:%S"),
           "loadavg": loadavg(),
           "measured": measured, "params": {}}
    if os.path.exists(args.parlab):
        step, rt = parlab_costs(args.parlab, args.samples)
        doc["parlab"] = {"step_ns_at_work_per_step_%d" % PARLAB_STEP: step,
                         "echo_round_trip_ns": rt}
        doc["params"] = mapping(measured, step, rt)
    else:
        print("calibrate: no parlab at %s: measured values only, no params"
              % args.parlab, file=sys.stderr)
    with open(args.output, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(doc, indent=2, sort_keys=True))


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except (IOError, OSError):
        pass
    return platform.processor()


def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except (IOError, OSError):
        return "?"


if __name__ == "__main__":
    main()
