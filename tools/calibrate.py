#!/usr/bin/env python
"""Measures, once per machine and interpreter, the costs parlab's GIL
emulation depends on, and writes a calibration file for `parlab run
--calibration FILE`.

Runs under any Python 2.7 to 3.13. Measured (median of --samples):
  loop_step_ns        one step of `while n > 0: n -= 1`
  race_step_ns        one `counter = inc(counter)` of the fidelity race
  sleep0_ns           one time.sleep(0)
  read_ready_ns       one os.read of one byte from a pipe that has data
  echo_round_trip_ns  a one-byte round trip (send, recv) to the echo process
                      the fidelity convoy uses, this thread on CPU 0 and
                      the echo process on CPU 1
  ready_read_ns       a recv of a byte already waiting, timed as the
                      fidelity convoy times it (two clock reads)
  thread_start_ns     threading.Thread(...).start() and join() of an empty
                      function
  ticks_per_step      Python 2 only: ticks of its check interval per
                      countdown step (3 in 2.7.18), and check_interval
  resume_hold_ns      Python 3 only, with parlab's GIL tracer built
                      (tools/gil_trace.py): in the fidelity convoy's ready
                      reads on two cores at a 5 ms interval, how long the
                      reading thread holds the GIL after a convoy wait
                      before its next release (median over every such
                      hold of --samples runs); warm_hold_ns the same after
                      a read that did not wait; resume_hold_500us_ns the
                      resume hold at a 500 us interval
  request_ns          Python 3 only, traced as resume_hold_ns: two threads
                      counting down at a 5 ms interval; how long a waiter
                      whose wait timed out takes to its next wait (it asks
                      for the GIL on the way, holding the lock's mutex)
With --parlab (default build/parlab, when it exists) it also measures
parlab's own cost of the same countdown step, echo round trip and ready
read (and, traced, its resume hold), and
maps the differences onto parameters:
  cpu-count, convoy, cpu-native: work_per_step, so that a step costs
      what this interpreter's does; race-counter: work_per_step, so that
      an increment costs what `counter = inc(counter)` does. Python's
      steps and parlab's are then measured in 4 x --samples short pairs,
      one right after the other, and the median ratio kept (loop_step_ns
      and race_step_ns are then the pairs' medians): on a shared machine
      Python's step moves (3.11: 20 to 80 ns within an hour, parlab's
      C step 27 to 31 ns throughout);
  gil-threads: call_overhead, Python's ready read - parlab's (0 when
      parlab's costs as much), the interpreter's cost around a blocking
      call; switch_overhead, Python's resume hold - parlab's (0 when
      parlab's is as long, or where it was not measured), the cost of a
      thread resuming cold after it took the GIL from another; cold_after,
      the wait from which that cost is spent in full (in proportion to
      the wait below it), fitted so that it also makes up the difference
      at 500 us (between 500 us and 5 ms); under
      Python 2 also check_interval, (check interval + 1) / ticks_per_step,
      as mode: legacy ticks once a step.
parlab's request_ns is recorded beside Python's, traced the same way, runs
interleaved; it is not mapped onto request_lines: the tracer lengthens
both paths and moves CPython's voluntary switches, the race request_lines
would tune, so the traced difference is no measure of what it needs
(docs/calibration.md). Stopped (Ctrl-C, SIGTERM, SIGHUP), it passes the
signal to the parlab it is running, waits for it, removes its temporary
folders, writes no calibration and exits 128 + the signal.

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
import sys
import tempfile
import threading
import time

clock = getattr(time, "perf_counter", time.time)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cpython_bench  # noqa: E402  (the echo peer and pinning it uses)
import gil_trace  # noqa: E402  (the resume hold)
import stopping  # noqa: E402  (children stop with the tool)
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


def race_steps(n):
    """tools/cpython_bench.py's race: `counter = inc(counter)` through a
    closure, n times."""
    state = {"counter": 0}

    def inc(x):
        return x + 1

    def loop():
        for _ in range(n):
            state["counter"] = inc(state["counter"])
    loop()


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
    """One-byte round trips to the echo process the fidelity convoy uses
    (parlab's helper when built), pinned as its two-core placement is:
    this thread on CPU 0, the echo process on CPU 1."""
    a, b = socket.socketpair()
    pid = cpython_bench.echo_peer(b, a, cpython_bench.ECHO_CPU)
    b.close()
    a.recv(1)
    cpython_bench.pin([0])
    try:
        for _ in range(n):
            a.send(b"x")
            a.recv(1)
    finally:
        cpython_bench.pin(cpython_bench.ALL_CPUS)
    a.close()
    os.waitpid(pid, 0)


def thread_starts(n):
    for _ in range(n):
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()


def ticks_per_step():
    """Python 2 only: the interpreter's ticks (bytecodes that count towards
    sys.getcheckinterval()) per countdown step, or None. Read from the
    thread state's tick_counter (cpython_bench.tick_counter), which grows
    by one each time the ticker runs out, i.e. every interval + 1 ticks;
    checked by measuring at two intervals, which must agree on a whole
    number."""
    counter = cpython_bench.tick_counter()
    if counter is None or not hasattr(sys, "setcheckinterval"):
        return None
    old, seen, steps = sys.getcheckinterval(), [], 300000
    try:
        for interval in (1, 4):
            sys.setcheckinterval(interval)
            t0 = counter.value
            countdown(steps)
            seen.append((counter.value - t0) * (interval + 1) / steps)
    finally:
        sys.setcheckinterval(old)
    t = int(round(seen[0]))
    if t < 1 or any(abs(x - t) > 0.01 for x in seen):
        print("calibrate: tick_counter gave %s ticks per step: not used"
              % seen, file=sys.stderr)
        return None
    return t


def measure(samples):
    return {
        "loop_step_ns": per_call(countdown, 2000000, samples),
        "race_step_ns": per_call(race_steps, 1000000, samples),
        "sleep0_ns": per_call(sleeps, 20000, samples),
        "read_ready_ns": per_call(ready_reads, 20000, samples),
        "echo_round_trip_ns": per_call(echo_round_trips, 5000, samples),
        "ready_read_ns": median([cpython_bench.convoy_runner(
            "ready", False, "two-cores", 2000)()["io_latency_mean"]
            for _ in range(samples)]),
        "thread_start_ns": per_call(thread_starts, 500, samples),
    }


RESUME_SCRIPT = """import sys
sys.path.insert(0, %r)
import cpython_bench
sys.setswitchinterval(%r)
cpython_bench.convoy_runner("ready", True, "two-cores")()
"""

# The switch intervals the resume hold is traced at (seconds): the
# fidelity convoy's two. switch_overhead is the difference at the longer
# one, cold_after fits the shorter one (mapping).
RESUME_INTERVALS = (0.005, 0.0005)


def long_wait_ns(interval):
    """A reader's wait longer than this is a convoy wait (it lost the race
    and waited an interval): 1 ms at 5 ms, as gil_trace.py's default, half
    the interval below."""
    return min(1e6, interval * 1e9 / 2)


def traced_resume(cmd, samples, lib, interval):
    """Runs cmd `samples` times under the GIL tracer; the median of the
    reader's holds after a convoy wait, and of its warm holds, over every
    hold of the runs together."""
    tmp = tempfile.mkdtemp(prefix="calibrate-trace-")
    try:
        prefix = os.path.join(tmp, "trace")
        for _ in range(samples):
            gil_trace.run_traced(cmd, prefix, lib,
                                 stdout=open(os.devnull, "w"))
        return gil_trace.resume_ns(prefix, long_wait_ns(interval))
    finally:
        shutil.rmtree(tmp)


def python_resume(samples, lib, interval):
    """This interpreter's resume hold and warm hold (see the module's
    text) at a switch interval; (None, None) under Python 2, whose GIL has
    no switch interval, or without the tracer."""
    if not hasattr(sys, "setswitchinterval") or not os.path.exists(lib):
        return None, None
    return traced_resume([sys.executable, "-c",
                          RESUME_SCRIPT % (HERE, interval)],
                         samples, lib, interval)


PARLAB_RESUME = """experiment: calibrate-resume
workload: {name: convoy, params: {io_tasks: 1, round_trips: 200, settle: 1ms, io: ready}}
strategies:
  - name: gil-threads
    params: {switch_interval: %dus, switch_overhead: 0ns}
workers: [2]
pinning: [pu:0, pu:1]
repetitions: 1
warmup: 0
"""


REQUEST_SCRIPT = """import sys, threading
sys.setswitchinterval(0.005)
def count(n):
    while n > 0:
        n -= 1
threads = [threading.Thread(target=count, args=(6000000,)) for _ in (0, 1)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""

PARLAB_REQUEST = """experiment: calibrate-request
workload: {name: cpu-count, params: {iterations: 20_000_000, tasks: 2}}
strategies:
  - name: gil-threads
    params: {switch_interval: 5ms}
workers: [2]
repetitions: 1
warmup: 0
"""

def request_costs(parlab, samples, lib):
    """The request gap (gil_trace.request_ns) of this interpreter and of
    parlab's gil-threads, each traced `samples` times, the two interleaved
    run by run: (python, parlab), medians over every gap; None where none
    was seen."""
    tmp = tempfile.mkdtemp(prefix="calibrate-request-")
    try:
        path = os.path.join(tmp, "request.yaml")
        with open(path, "w") as f:
            f.write(PARLAB_REQUEST)
        kinds = [("python", [sys.executable, "-c", REQUEST_SCRIPT]),
                 ("parlab", [parlab, "run", "--quiet", "--output",
                             os.path.join(tmp, "out"), path])]
        for _ in range(samples):
            for name, cmd in kinds:
                gil_trace.run_traced(cmd, os.path.join(tmp, name), lib,
                                     stdout=open(os.devnull, "w"))
        return tuple(gil_trace.request_ns(os.path.join(tmp, name))[0]
                     for name, _ in kinds)
    finally:
        shutil.rmtree(tmp)


def parlab_resume(parlab, samples, lib, interval):
    """parlab's resume hold and warm hold in the same convoy, traced."""
    tmp = tempfile.mkdtemp(prefix="calibrate-")
    try:
        path = os.path.join(tmp, "resume.yaml")
        with open(path, "w") as f:
            f.write(PARLAB_RESUME % int(round(interval * 1e6)))
        return traced_resume([parlab, "run", "--quiet", "--output",
                              os.path.join(tmp, "out"), path], samples, lib,
                             interval)
    finally:
        shutil.rmtree(tmp)


PARLAB_STEP_EXPERIMENT = """experiment: calibrate
workload: {name: cpu-count, params: {iterations: %d, tasks: 1, work_per_step: %d}}
strategies: [serial]
workers: [1]
repetitions: 1
warmup: 1
"""


PAIR_STEPS = 1000000  # parlab's countdown steps in one pair (Python's half)


def parlab_rows(parlab, experiment):
    """Runs parlab on one experiment (the YAML text) in a temporary folder;
    the rows of its trials.csv."""
    tmp = tempfile.mkdtemp(prefix="calibrate-")
    try:
        path = os.path.join(tmp, "experiment.yaml")
        with open(path, "w") as f:
            f.write(experiment)
        out = os.path.join(tmp, "out")
        stopping.run_child([parlab, "run", "--quiet", "--output-dir", out,
                            path], check=True, stdout=open(os.devnull, "w"))
        with open(os.path.join(out, "trials.csv")) as f:
            return list(csv.DictReader(f))
    finally:
        shutil.rmtree(tmp)


def parlab_step(parlab):
    """parlab's ns per countdown step at PARLAB_STEP, one run."""
    rows = parlab_rows(parlab, PARLAB_STEP_EXPERIMENT % (PAIR_STEPS,
                                                         PARLAB_STEP))
    return float(rows[0]["wall_s"]) / PAIR_STEPS * 1e9


def paired_steps(parlab, samples):
    """Python's countdown and race steps and parlab's step, measured one
    after the other, in 4 x `samples` short pairs (tens of ms each side):
    this machine's speed moves in phases of a second or so (3.11's
    countdown step took 56 ns eight times in a row, then 20 ns), so each
    ratio is taken within a pair and the medians of the ratios kept.
    Returns ({loop_step_ns, race_step_ns} medians, parlab's median step,
    {loop, race}: (median, every) ratio Python / parlab)."""
    loop, race, mine = [], [], []
    for _ in range(4 * samples):
        loop.append(per_call(countdown, PAIR_STEPS // 2, 1))
        race.append(per_call(race_steps, PAIR_STEPS // 8, 1))
        mine.append(parlab_step(parlab))
    ratios = {"loop": [a / b for a, b in zip(loop, mine)],
              "race": [a / b for a, b in zip(race, mine)]}
    ratios = dict((k, (median(v), v)) for k, v in ratios.items())
    return ({"loop_step_ns": median(loop), "race_step_ns": median(race)},
            median(mine), ratios)


PARLAB_EXPERIMENT = """experiment: calibrate-echo
workload: {name: convoy, params: {io_tasks: 1, round_trips: 5000, settle: 1ms, io: [echo, ready], echo_cpu: 1}}
strategies: [gil-threads]
workers: [1]
pinning: [pu:0]
repetitions: %d
warmup: 1
"""


def parlab_costs(parlab, samples):
    """parlab's mean one-byte echo round trip and ready read under
    gil-threads with one worker."""
    lat = {"echo": [], "ready": []}
    for row in parlab_rows(parlab, PARLAB_EXPERIMENT % samples):
        lat[row["w.io"]].append(float(row["io_latency_mean"]))
    return median(lat["echo"]), median(lat["ready"])


def resume_key(interval):
    """The calibration file's key of the resume hold at a switch interval:
    resume_hold_ns at 5 ms (as before), resume_hold_500us_ns at 500 us."""
    if interval == RESUME_INTERVALS[0]:
        return "resume_hold_ns"
    return "resume_hold_%dus_ns" % int(round(interval * 1e6))


def resume_holds(run):
    """{resume_key(interval): hold} for each of RESUME_INTERVALS, and
    warm_hold_ns at the first, from run(interval) -> (resume hold, warm
    hold) in ns (None where none was seen), rounded to whole ns: one side's
    traced holds, as the calibration file records them."""
    out = {}
    for interval in RESUME_INTERVALS:
        hold, warm = run(interval)
        out[resume_key(interval)] = int(round(hold)) if hold else None
        if interval == RESUME_INTERVALS[0]:
            out["warm_hold_ns"] = int(round(warm)) if warm else None
    return out


def cold_after_ns(need_long, need_short):
    """cold_after from the resume cost parlab lacks after a wait of the
    long interval (switch_overhead) and of the short one: switch_overhead
    grows in proportion to the wait up to cold_after, so it passes through
    both when cold_after = short x need_long / need_short, kept between
    the two intervals (in full at the short one when it needs as much; in
    full only from the long one when the short one needs nothing)."""
    long_ns, short_ns = (i * 1e9 for i in RESUME_INTERVALS)
    if need_long <= 0:
        return 0
    if need_short <= 0:
        return int(long_ns)
    return int(round(min(long_ns, max(short_ns,
                                      short_ns * need_long / need_short))))


def mapping(py, ratios, parlab_ready_ns, parlab_resume=None):
    """The parameters that make parlab cost what this interpreter does;
    ratios: Python's step / parlab's, paired (paired_steps);
    parlab_resume: parlab's resume holds by resume_key."""
    step = max(1, int(round(PARLAB_STEP * ratios["loop"][0])))
    # The interpreter's own cost around one blocking call: a recv of a byte
    # that is waiting, measured the same way on both sides (the call and
    # two clock reads), less parlab's. Not from the echo round trip: that
    # difference is two 10 us wake-ups apart and moved from 0 to 570 ns
    # between calibrations taken minutes apart.
    overhead = max(0, int(round(py["ready_read_ns"] - parlab_ready_ns)))
    params = dict((w, {"work_per_step": step}) for w in
                  ("cpu-count", "convoy", "cpu-native"))
    # An increment of the race costs what Python's `counter = inc(counter)`
    # does, several countdown steps: the run lasts as long, with as many
    # switches, each losing as many updates.
    params["race-counter"] = {"work_per_step": max(1, int(round(
        PARLAB_STEP * ratios["race"][0])))}
    params["gil-threads"] = {"call_overhead": "%dns" % overhead}
    # A thread that takes the GIL back from another runs cold: in CPython
    # 3.11 on a 2-core guest it held the lock about 15 us after a convoy
    # wait before its next release, parlab's reader under 6 us; how long
    # decides whether the woken CPU-bound thread finds the lock free.
    # The cost grows with the wait: after a 500 us wait 3.11's reader held
    # it about 3.5 us, parlab's 2 us.
    need = {}
    for key in map(resume_key, RESUME_INTERVALS):
        if py.get(key) and (parlab_resume or {}).get(key):
            need[key] = max(0, int(round(py[key] - parlab_resume[key])))
    long_key, short_key = map(resume_key, RESUME_INTERVALS)
    if long_key in need:
        params["gil-threads"]["switch_overhead"] = "%dns" % need[long_key]
    if long_key in need and short_key in need:
        params["gil-threads"]["cold_after"] = "%dns" % cold_after_ns(
            need[long_key], need[short_key])
    if py.get("ticks_per_step"):
        # mode: legacy ticks once a step; Python 2 releases the GIL every
        # check interval + 1 of its ticks.
        params["gil-threads"]["check_interval"] = max(1, int(round(
            (py["check_interval"] + 1) / py["ticks_per_step"])))
    return params


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n    tools/calibrate.py")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", default="calibration.json",
                    help="the calibration file to write (default "
                    "%(default)s); the same JSON goes to stdout")
    ap.add_argument("--parlab", default=os.path.join(os.path.dirname(HERE),
                                                     "build", "parlab"),
                    help="parlab, whose costs are measured too and mapped "
                    "to parameters (default %(default)s); its folder holds "
                    "parlab-echo and libparlab-gil-trace.so")
    ap.add_argument("--samples", type=int, default=5,
                    help="runs of each measurement, the median kept "
                    "(default %(default)s)")
    args = ap.parse_args()
    cpython_bench.ECHO_PEER = os.path.join(
        os.path.dirname(os.path.abspath(args.parlab)), "parlab-echo")
    measured = measure(args.samples)
    lib = os.path.join(os.path.dirname(os.path.abspath(args.parlab)),
                       "libparlab-gil-trace.so")
    holds = resume_holds(lambda i: python_resume(args.samples, lib, i))
    resume = holds["resume_hold_ns"]
    if resume:
        measured.update(holds)
    tps = ticks_per_step()
    if tps:
        measured["ticks_per_step"] = tps
        measured["check_interval"] = sys.getcheckinterval()
    doc = {"machine": {"node": platform.node(), "machine": platform.machine(),
                       "processor": cpu_model()},
           "interpreter": {"path": sys.executable,
                           "version": platform.python_version(),
                           "implementation": platform.python_implementation()},
           "date": time.strftime("%Y-%m-%d %H:%M:%S"),
           "loadavg": loadavg(),
           "measured": measured, "params": {}}
    if os.environ.get("PARLAB_HOLD_CPUS"):  # under build/parlab-hold
        doc["machine"]["held_cpus"] = os.environ["PARLAB_HOLD_CPUS"]
    if os.path.exists(args.parlab):
        steps, step, ratios = paired_steps(args.parlab, args.samples)
        measured.update(steps)
        rt, ready = parlab_costs(args.parlab, args.samples)
        doc["parlab"] = {"step_ns_at_work_per_step_%d" % PARLAB_STEP: step,
                         "echo_round_trip_ns": rt, "ready_read_ns": ready,
                         "loop_step_ratio": ratios["loop"][0],
                         "loop_step_ratios": ratios["loop"][1],
                         "race_step_ratio": ratios["race"][0],
                         "race_step_ratios": ratios["race"][1]}
        p_resume = {}
        if resume:
            p_resume = resume_holds(lambda i: parlab_resume(
                args.parlab, args.samples, lib, i))
            doc["parlab"].update(p_resume)
        if hasattr(sys, "setswitchinterval") and os.path.exists(lib):
            py_req, p_req = request_costs(args.parlab, args.samples, lib)
            measured["request_ns"] = int(round(py_req)) if py_req else None
            doc["parlab"]["request_ns"] = int(round(p_req)) if p_req else None
        doc["params"] = mapping(measured, ratios, ready, p_resume)
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
    # Ctrl-C, SIGTERM (tools/fidelity.py passes one on), SIGHUP: the parlab
    # running is given the signal and waited for, the temporary folders
    # go, and nothing is written.
    stopping.stop_on_signals()
    try:
        main()
    except stopping.Stopped as e:
        print("calibrate: interrupted by %s; no calibration written"
              % e.name(), file=sys.stderr)
        sys.exit(128 + e.signum)
