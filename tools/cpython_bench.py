#!/usr/bin/env python3
"""Runs parlab's GIL experiments in real CPython and writes trials.csv.

Each scenario mirrors one file of experiments/fidelity/: the same tasks,
the same strategies (a serial loop, or N threading.Thread workers taking
task ids from a shared counter), the same parameters, and the same CSV
columns as parlab's trials.csv, so tools/fidelity.py can put the ratios
side by side. Rounds are interleaved: each round runs every trial once in
a shuffled order, after one warm-up round.

    tools/cpython_bench.py -o DIR [--scenario cpu] [--repetitions 5]

Runs under Python 2.7 and 3.x: under 2.7 the GIL is the legacy one
(sys.setcheckinterval), which the "legacy" scenario compares with
parlab's mode: legacy, and "legacy-phase" (2.7 only, run only when
named) at five check intervals; switch intervals apply only to 3.x.
"""
from __future__ import division, print_function

import argparse
import csv
import hashlib
import heapq
import io as iomod
import itertools
import os
import random
import resource
import select
import socket
import sys
import threading
import time

PY2 = sys.version_info[0] == 2
clock = getattr(time, "perf_counter", time.time)
monotonic = getattr(time, "monotonic", time.time)


def byte(b):
    """A one-byte string holding b, in Python 2 and 3."""
    return chr(b) if PY2 else bytes([b])


def byte_values(data):
    return [ord(c) for c in data] if PY2 else list(data)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def cpu_count():
    return getattr(os, "cpu_count", lambda: None)() or \
        __import__("multiprocessing").cpu_count()


ALL_CPUS = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
    else list(range(cpu_count()))


def pin(cpus):
    """Pins the calling thread (not the process) to cpus: os.sched_setaffinity
    in Python 3, the C library's sched_setaffinity through ctypes in 2.7."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(cpus))
        return
    import ctypes
    words = (max(cpus) // 64) + 1
    mask = (ctypes.c_uint64 * words)()
    for c in cpus:
        mask[c // 64] |= 1 << (c % 64)
    # The program's own symbols, the C library's among them: find_library
    # would run ldconfig, a process of 2 ms, at every pin.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.sched_setaffinity(0, ctypes.sizeof(mask), ctypes.byref(mask)):
        raise OSError(ctypes.get_errno(), "sched_setaffinity(%s)" % cpus)


def tick_counter():
    """Python 2 on 64-bit Linux: the calling thread's tick_counter, as a
    ctypes int (PyThreadState in 2.7: 16 pointers and 4 ints before it,
    offset 128). It grows by one each time the ticker runs out, every
    check interval + 1 ticks, which is when Python 2 releases the GIL and
    takes it back. None elsewhere."""
    if not PY2:
        return None
    import ctypes
    if ctypes.sizeof(ctypes.c_void_p) != 8:
        return None
    get = ctypes.pythonapi.PyThreadState_Get
    get.restype = ctypes.c_void_p
    return ctypes.c_int.from_address(get() + 128)


def set_interval(si):
    """sys.setswitchinterval where there is one (3.x)."""
    if hasattr(sys, "setswitchinterval"):
        sys.setswitchinterval(si or 0.005)

COLUMNS = ["experiment", "trial", "label", "strategy", "s.switch_interval",
           "workload", "workers", "repetition", "status", "wall_s", "user_s",
           "sys_s", "cpu_s", "vol_ctxsw", "invol_ctxsw", "steal_s",
           "io_latency_p50", "io_latency_mean", "io_slow",
           "io_slow_latency_mean", "io_slow_again", "release_period_ns",
           "lost_updates"]


# ---- strategies ---------------------------------------------------------

def run_serial(n_tasks, task):
    for t in range(n_tasks):
        task(t)


def run_threads(n_tasks, task, workers):
    """N threads take task ids from a shared counter, as parlab's
    gil-threads does with chunksize 1. next() on an itertools.count is one
    C call, atomic under the GIL, like parlab's atomic counter: a
    threading.Lock here would add blocking that parlab's workers never do."""
    ids = itertools.count()

    def worker():
        while True:
            t = next(ids)
            if t >= n_tasks:
                return
            task(t)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


# ---- helpers -----------------------------------------------------------

def echo_server(socks, delay, clients):
    """Forks a process answering each byte b with b+1 after `delay` s. It
    closes its copies of the client ends, so it sees EOF when the parent
    closes them, and ends."""
    pid = os.fork()
    if pid:
        return pid
    for c in clients:
        c.close()
    watched, pending = list(socks), []
    while watched or pending:
        now = monotonic()
        while pending and pending[0][0] <= now:
            _, _, s, b = heapq.heappop(pending)
            try:
                s.send(byte((b + 1) % 256))
            except (OSError, socket.error):
                pass
        timeout = max(0.0, pending[0][0] - now) if pending else None
        if not watched:
            time.sleep(timeout or 0)
            continue
        for s in select.select(watched, [], [], timeout)[0]:
            data = s.recv(64)
            if not data:
                watched.remove(s)
                continue
            for b in byte_values(data):
                heapq.heappush(pending, (monotonic() + delay, id(s) + b, s, b))
    os._exit(0)


def pairs(n):
    mine, peer = [], []
    for _ in range(n):
        a, b = socket.socketpair()
        mine.append(a)
        peer.append(b)
    return mine, peer


# ---- scenarios: (label, strategy, switch interval, workers, runner) ----

def cpu_trials():
    iterations, n_tasks = 30000000, 32

    def task(t):
        n = iterations // n_tasks + (t < iterations % n_tasks)
        while n > 0:
            n -= 1

    def run(workers):
        return lambda: (run_serial(n_tasks, task) if workers == 1
                        else run_threads(n_tasks, task, workers), {})[1]
    trials = [("serial", "serial", None, 1, run(1))]
    for si in (0.0005, 0.005, 0.05):
        label = "gil-threads switch_interval=%s" % fmt_interval(si)
        trials.append((label, "gil-threads", si, 2, run(2)))
    return "fidelity-cpu", "cpu-count", trials


def io_sleep_trials():
    n_tasks = 32

    def run(workers):
        task = lambda t: time.sleep(0.02)
        return lambda: (run_serial(n_tasks, task) if workers == 1
                        else run_threads(n_tasks, task, workers), {})[1]
    trials = [("serial", "serial", None, 1, run(1))]
    trials += [("gil-threads", "gil-threads", None, w, run(w))
               for w in (2, 8, 32)]
    return "fidelity-io-sleep", "io-sleep", trials


def io_pipe_trials():
    n_tasks = 32

    def run(workers):
        def go():
            mine, peer = pairs(n_tasks)
            pid = echo_server(peer, 0.02, mine)
            for s in peer:
                s.close()
            lat = []

            def task(t):
                t0 = clock()
                mine[t].send(byte(t % 256))
                mine[t].recv(1)
                lat.append(clock() - t0)
            if workers == 1:
                run_serial(n_tasks, task)
            else:
                run_threads(n_tasks, task, workers)
            for s in mine:
                s.close()
            os.waitpid(pid, 0)
            return latency_columns(lat)
        return go
    trials = [("serial", "serial", None, 1, run(1))]
    trials += [("gil-threads", "gil-threads", None, w, run(w))
               for w in (2, 8, 32)]
    return "fidelity-io-pipe", "io-pipe", trials


# Where the threads of a convoy run: "one-core" puts the IO thread and the
# CPU-bound thread on CPU 0, "two-cores" the CPU-bound one on CPU 1; the
# echo process runs on CPU 1 in both. Left to the kernel, whether a round
# trip waits for the lock depends on where the scheduler put the three
# (on one core the woken CPU thread cannot preempt the IO thread, on two it
# races it), and the mean moves by 100x from run to run.
PLACEMENTS = {"one-core": (0, 0), "two-cores": (0, 1)}
ECHO_CPU = 1


def set_cpus(first, second):
    """--cpus A,B: the IO thread on A, the other thread and the echo process
    on B (default 0,1), as fidelity.py --cpus sets parlab's side."""
    global ECHO_CPU
    PLACEMENTS["one-core"] = (first, first)
    PLACEMENTS["two-cores"] = (first, second)
    ECHO_CPU = second


ECHO_PEER = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "build", "parlab-echo")


def echo_peer(sock, client, cpu):
    """Forks the echo process, pinned to cpu, that answers each byte b with
    b+1: parlab's own helper (ECHO_PEER, set by --echo-peer) when it is
    built, so that both sides talk to the same peer, else a Python loop. It
    closes its copy of the client end, so it sees EOF when the parent
    closes it, and ends; it sends one byte when it is ready."""
    pid = os.fork()
    if pid:
        return pid
    client.close()
    pin([cpu])
    if ECHO_PEER and os.path.exists(ECHO_PEER):
        os.dup2(sock.fileno(), 0)
        os.execv(ECHO_PEER, [ECHO_PEER])
    sock.send(b"r")
    while True:
        data = sock.recv(1)
        if not data:
            os._exit(0)
        sock.send(byte((byte_values(data)[0] + 1) % 256))


# As parlab's convoy param bulk_bytes (its default): a read of /dev/zero
# long enough (tens of microseconds) that a thread woken on another core
# always takes the lock inside it.
BULK_BYTES = 1 << 20


SETTLE = 0.001  # experiments/fidelity's convoy settle

# As parlab's convoy param slow_above: a convoy operation that took this
# long or longer (beside a GIL at 500 us or 5 ms: one that waited for the
# lock) counts in io_slow and io_slow_latency_mean.
SLOW_ABOVE = 100e-6  # experiments/fidelity's convoy slow_above


def convoy_runner(io, with_cpu, placement, round_trips=200):
    """IO, round_trips times (echo: a one-byte round trip; ready: a byte
    already waiting; bulk: BULK_BYTES of /dev/zero into a buffer touched
    beforehand), alone or beside a CPU-bound thread, the threads and the
    echo process pinned as PLACEMENTS[placement] says."""
    io_cpu, cpu_cpu = PLACEMENTS[placement]

    def go():
        (a,), (b,) = pairs(1)
        pid = None
        if io == "echo":
            pid = echo_peer(b, a, ECHO_CPU)
            b.close()
            a.recv(1)
        elif io == "ready":
            b.send(b"x" * round_trips)
        else:
            zero, buf = iomod.FileIO("/dev/zero", "r"), bytearray(BULK_BYTES)
        lat, done, period = [], threading.Event(), []
        # As parlab's convoy: IO begins once the CPU thread runs, so that
        # it holds the GIL when the first round trip starts, and once the
        # main thread is in join(), where it no longer wants the GIL.
        cpu_running, main_joining = threading.Event(), threading.Event()

        def io_task():
            # As parlab's convoy with settle: 1ms: a blocking sleep before
            # the first measured operation, so that whatever the starting
            # thread still does with the lock falls outside the
            # measurement (in parlab's one-worker trial, the main thread
            # taking the GIL back on its way to join).
            time.sleep(SETTLE)
            for r in range(round_trips):
                t0 = clock()
                if io == "bulk":
                    if zero.readinto(buf) != BULK_BYTES:
                        raise IOError("short read of /dev/zero")
                else:
                    if io == "echo":
                        a.send(byte(r % 256))
                    a.recv(1)
                lat.append(clock() - t0)
            done.set()

        def cpu_task():
            pin([cpu_cpu])
            ticks = tick_counter()
            t0, k0 = clock(), ticks.value if ticks else 0
            cpu_running.set()
            while not done.is_set():
                n = 10000
                while n > 0:
                    n -= 1
            # Python 2: how often this thread released the lock (its
            # countdown's check interval ran out), as parlab's convoy
            # gives it (cpu_ns x check_interval / cpu_steps).
            if ticks is not None and ticks.value > k0:
                period.append((clock() - t0) / (ticks.value - k0) * 1e9)
        def io_thread():
            pin([io_cpu])
            cpu_running.wait()
            main_joining.wait()
            io_task()

        try:
            if with_cpu:
                # As parlab's pool runs it: the main thread starts the IO
                # thread, which waits without the lock for the CPU-bound one
                # to run, then the CPU-bound thread, and joins both. With the
                # IO in the main thread the one-core trials never waited
                # (parlab's sometimes did); with the CPU-bound thread started
                # first, the main thread's own lock waits joined the race.
                # Traced: returning from cpu.start() the main thread still
                # needed the lock once; when the reader got it first, the
                # main thread took it at the reader's first read and the
                # reader waited one or two intervals (one core, 5 ms: in 2
                # to 4 of 5 rounds). parlab's main thread, traced, took the
                # lock at the first forced switch and let it go to join
                # before the reads began; here the reads wait for
                # main_joining, set when the main thread goes to join.
                reader = threading.Thread(target=io_thread)
                reader.start()
                cpu = threading.Thread(target=cpu_task)
                cpu.start()
                main_joining.set()
                reader.join()
                cpu.join()
            else:
                pin([io_cpu])
                io_task()
        finally:
            pin(ALL_CPUS)
        a.close()
        if pid:
            os.waitpid(pid, 0)
        else:
            b.close()
        if io == "bulk":
            zero.close()
        out = latency_columns(lat, SLOW_ABOVE)
        if period:
            out["release_period_ns"] = period[0]
        return out
    return go


def convoy_experiments(prefix, ios, beside):
    """An experiment per placement (PREFIX + placement): for each IO kind
    ios(placement) names, the IO alone (serial) and the trials beside(io)
    gives, as (label, switch interval) pairs, each beside a CPU-bound
    thread."""
    out = []
    for place in sorted(PLACEMENTS):
        trials = []
        for io in ios(place):
            trials.append(("serial io=%s" % io, "serial", None, 1,
                           convoy_runner(io, False, place)))
            trials += [(label, "gil-threads", si, 2,
                        convoy_runner(io, True, place))
                       for label, si in beside(io)]
        out.append((prefix + place, "convoy", trials))
    return out


def convoy_ios(place):
    """Bulk reads on two cores only: on one core a bulk read waits only
    when the kernel preempts the reader for the woken thread, now and then
    (means of 29 to 124 us at 5 ms over ten rounds of 200 reads, CPython
    3.11), so its mean is noise."""
    return ("echo", "ready", "bulk") if place == "two-cores" \
        else ("echo", "ready")


def convoy_trials():
    """As experiments/fidelity/convoy.yaml: two switch intervals."""
    return convoy_experiments("fidelity-convoy-", convoy_ios, lambda io: [
        ("gil-threads switch_interval=%s io=%s" % (fmt_interval(si), io), si)
        for si in (0.0005, 0.005)])


def countdown_runner(iterations, n_tasks, workers):
    """cpu-count's tasks: `iterations` countdown steps over n_tasks."""
    def task(t):
        n = iterations // n_tasks + (t < iterations % n_tasks)
        while n > 0:
            n -= 1
    return lambda: (run_serial(n_tasks, task) if workers == 1
                    else run_threads(n_tasks, task, workers), {})[1]


def threads_trials():
    """Claim 6's CPU sweep: 1024 tasks of 20,000 steps, 16 to 1024
    threads, each started by Thread.start() (parlab's start: python)."""
    iterations, n_tasks = 20480000, 1024
    trials = [("serial", "serial", None, 1,
               countdown_runner(iterations, n_tasks, 1))]
    trials += [("gil-threads start=python", "gil-threads", None, w,
                countdown_runner(iterations, n_tasks, w))
               for w in (16, 256, 1024)]
    return "fidelity-threads", "cpu-count", trials


def legacy_trials():
    """Python 2's GIL (run under 2.7): 2 CPU-bound threads against serial,
    and one-byte IO alone and beside a CPU-bound thread in each placement
    (the default check interval), as experiments/fidelity/legacy.yaml."""
    iterations, n_tasks = 10000000, 32
    out = [("fidelity-legacy-cpu", "cpu-count", [
        ("serial", "serial", None, 1,
         countdown_runner(iterations, n_tasks, 1)),
        ("gil-threads mode=legacy", "gil-threads", None, 2,
         countdown_runner(iterations, n_tasks, 2))])]
    # No bulk reads: under Python 2's GIL the reader still races for the
    # lock after a bulk read (13 to 84 of 200 reads waited over 50 us).
    return out + convoy_experiments("fidelity-legacy-convoy-",
                                    lambda place: ("echo", "ready"),
                                    lambda io: [
        ("gil-threads mode=legacy io=%s" % io, None)])


# The "legacy-phase" scenario's check intervals, in Python 2's ticks;
# experiments/fidelity/legacy-phase.yaml gives parlab (ci + 1) / 3 rounded
# countdown steps, as tools/calibrate.py maps 2.7.18's 3 ticks a step.
PHASE_CHECK_INTERVALS = (60, 100, 140, 200, 300)


def with_check_interval(ci, runner):
    """runner under sys.setcheckinterval(ci), the interval before it again
    after (as calibrate.py's ticks_per_step does)."""
    def go():
        old = sys.getcheckinterval()
        sys.setcheckinterval(ci)
        try:
            return runner()
        finally:
            sys.setcheckinterval(old)
    return go


def legacy_phase_runner(ci):
    """The legacy-phase reads at Python 2 check interval ci: the two-core
    ready reads beside a CPU-bound thread (tools/legacy_sweep.py runs them
    at more intervals)."""
    return with_check_interval(ci, convoy_runner("ready", True, "two-cores"))


def legacy_phase_trials():
    """Python 2 only: the legacy two-core ready reads beside a CPU-bound
    thread at five check intervals, one experiment each (experiments/
    fidelity/legacy-phase.yaml). A lost read waits until one of the
    holder's releases finds the reader awake; where its wake-ups fall in
    the holder's release period decides how long that takes, so the mean
    moves with the period (README, Fidelity)."""
    return [("fidelity-legacy-phase-%d" % ci, "convoy", [
        ("gil-threads mode=legacy", "gil-threads", None, 2,
         legacy_phase_runner(ci))]) for ci in PHASE_CHECK_INTERVALS]


def race_trials():
    increments, n_tasks = 1000000, 2

    def run(mode, workers):
        def go():
            state = {"counter": 0}
            lock = threading.Lock()

            def inc(x):
                return x + 1

            def unsafe(t):
                for _ in range(increments):
                    state["counter"] = inc(state["counter"])

            def locked(t):
                for _ in range(increments):
                    with lock:
                        state["counter"] = inc(state["counter"])
            task = unsafe if mode == "unsafe" else locked
            if workers == 1:
                run_serial(n_tasks, task)
            else:
                run_threads(n_tasks, task, workers)
            return {"lost_updates": n_tasks * increments - state["counter"]}
        return go
    trials = []
    for mode in ("unsafe", "locked"):
        trials.append(("serial mode=%s" % mode, "serial", None, 1,
                       run(mode, 1)))
        trials.append(("gil-threads mode=%s" % mode, "gil-threads", None, 2,
                       run(mode, 2)))
    return "fidelity-race", "race-counter", trials


def native_trials():
    n_tasks, chunk = 32, bytes(4 << 20)

    def task(t):
        hashlib.sha256(chunk).digest()  # releases the GIL over 2047 bytes

    def run(workers):
        return lambda: (run_serial(n_tasks, task) if workers == 1
                        else run_threads(n_tasks, task, workers), {})[1]
    return "fidelity-native", "cpu-native", [
        ("serial", "serial", None, 1, run(1)),
        ("gil-threads", "gil-threads", None, 2, run(2))]


SCENARIOS = {"cpu": cpu_trials, "io-sleep": io_sleep_trials,
             "io-pipe": io_pipe_trials, "convoy": convoy_trials,
             "race": race_trials, "native": native_trials,
             "threads": threads_trials, "legacy": legacy_trials,
             "legacy-phase": legacy_phase_trials}
# Run only when asked for by --scenario (not by default): Python 2 only,
# and no row of the fidelity table.
ON_REQUEST = ("legacy-phase",)


# ---- measuring ---------------------------------------------------------

def fmt_interval(s):
    us = round(s * 1e6)
    return "%dms" % (us // 1000) if us % 1000 == 0 else "%dus" % us


def latency_columns(lat, slow_above=None):
    """p50 and mean of the latencies (seconds) in ns; with slow_above, as
    parlab's convoy: io_slow, how many took that long or longer, and
    io_slow_latency_mean, their mean (empty when none did), and
    io_slow_again, how many came right after one that did."""
    if not lat:
        return {}
    out = {"io_latency_p50": median(lat) * 1e9,
           "io_latency_mean": sum(lat) / len(lat) * 1e9}
    if slow_above is not None:
        slow = [x for x in lat if x >= slow_above]
        out["io_slow"] = len(slow)
        out["io_slow_again"] = sum(1 for a, b in zip(lat, lat[1:])
                                   if a >= slow_above and b >= slow_above)
        out["io_slow_latency_mean"] = sum(slow) / len(slow) * 1e9 \
            if slow else ""
    return out


def steal_s():
    """As parlab's steal_s: the CPU time a hypervisor has taken from all
    CPUs since boot (/proc/stat's steal), in seconds; None if unknown."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK") \
            if fields[0] == "cpu" and len(fields) > 8 else None
    except (IOError, OSError, ValueError):
        return None


def measure(runner, switch_interval):
    set_interval(switch_interval)
    s0 = steal_s()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = clock()
    extra = runner()
    wall = clock() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    s1 = steal_s()
    set_interval(None)
    user, system = r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime
    row = {"wall_s": wall, "user_s": user, "sys_s": system,
           "cpu_s": user + system,
           "vol_ctxsw": r1.ru_nvcsw - r0.ru_nvcsw,
           "invol_ctxsw": r1.ru_nivcsw - r0.ru_nivcsw,
           "steal_s": s1 - s0 if s0 is not None and s1 is not None else ""}
    row.update(extra)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True, help="directory to create")
    ap.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                    help="run only these (default: all but %s)"
                    % ", ".join(ON_REQUEST))
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=1,
                    help="unmeasured rounds first (default 1)")
    ap.add_argument("--echo-peer", default=ECHO_PEER,
                    help="the convoy's echo program (default: parlab's "
                    "build/parlab-echo; a Python loop when it is missing)")
    ap.add_argument("--cpus", default="0,1",
                    help="A,B: the convoy's IO thread on CPU A, the echo "
                    "process (and on two cores the CPU-bound thread) on B")
    args = ap.parse_args()
    if "legacy-phase" in (args.scenario or ()) and not PY2:
        ap.error("the legacy-phase scenario sets Python 2's check interval "
                 "(sys.setcheckinterval): run it under Python 2.7")
    set_echo_peer(args.echo_peer)
    set_cpus(*[int(x) for x in args.cpus.split(",")])
    os.makedirs(args.output)
    rng = random.Random(args.seed)
    for name in args.scenario or sorted(set(SCENARIOS) - set(ON_REQUEST)):
        made = SCENARIOS[name]()
        # A scenario is one experiment or a list of them (one per placement).
        for experiment, workload, trials in (
                made if isinstance(made, list) else [made]):
            run_experiment(args, rng, experiment, workload, trials)


def set_echo_peer(path):
    global ECHO_PEER
    ECHO_PEER = path
    if not os.path.exists(path):
        print("cpython_bench: no %s: the convoy's echo process is a Python "
              "loop, slower than parlab's" % path, file=sys.stderr)


def run_experiment(args, rng, experiment, workload, trials):
    """Runs the rounds of one experiment into OUTPUT/EXPERIMENT.csv."""
    path = os.path.join(args.output, experiment + ".csv")
    with open(path, "w") as f:
        out = csv.DictWriter(f, COLUMNS)
        out.writeheader()
        for rnd in range(args.repetitions + args.warmup):
            order = list(range(len(trials)))
            rng.shuffle(order)
            for i in order:
                label, strategy, si, workers, runner = trials[i]
                row = measure(runner, si)
                if rnd < args.warmup:
                    continue  # a warm-up round
                row.update({"experiment": experiment, "trial": i,
                            "label": label, "strategy": strategy,
                            "s.switch_interval": fmt_interval(si) if si else "",
                            "workload": workload, "workers": workers,
                            "repetition": rnd - args.warmup, "status": "ok"})
                out.writerow(row)
                f.flush()
    print("cpython: %s -> %s" % (experiment, path), file=sys.stderr)


if __name__ == "__main__":
    main()
