#!/usr/bin/env python
"""Runs a command with parlab's GIL tracer preloaded (build/
libparlab-gil-trace.so, tools/gil_trace.c) and says, for the thread that
read most, how long it held the GIL after it took it back:

  after a long wait   from the end of a GIL wait of over --long (1 ms: a
                      convoy wait) to its next release, the resume
  warm                from a read that did not wait to its next release

Works for CPython (any version: condition waits in 3, semaphore waits in
2) and parlab's gil-threads alike, so the two are measured with one
instrument. Runs under any Python 2.7 to 3.13.

    tools/gil_trace.py [--lib LIB] [-o PREFIX] [--timeline N] -- CMD ...
    tools/gil_trace.py --show PREFIX   (the files of an earlier run)
"""
from __future__ import division, print_function

import argparse
import glob
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(os.path.dirname(HERE), "build", "libparlab-gil-trace.so")

# struct gil_event and enum gil_event_type in tools/gil_trace.c
RECORD = struct.Struct("<qiiQ")
SLOT_EVENTS = 1 << 17
(SIGNAL, TIMEDWAIT_IN, TIMEDWAIT_OUT, WAIT_IN, WAIT_OUT, SEM_WAIT_IN,
 SEM_WAIT_OUT, SEM_POST, READ_IN, READ_OUT) = range(1, 11)
NAMES = {SIGNAL: "signal", TIMEDWAIT_IN: "timedwait", TIMEDWAIT_OUT:
         "timedwait-end", WAIT_IN: "wait", WAIT_OUT: "wait-end",
         SEM_WAIT_IN: "sem-wait", SEM_WAIT_OUT: "sem-wait-end",
         SEM_POST: "sem-post", READ_IN: "read", READ_OUT: "read-end"}
WAIT_BEGINS = (TIMEDWAIT_IN, WAIT_IN, SEM_WAIT_IN)
WAIT_ENDS = (TIMEDWAIT_OUT, WAIT_OUT, SEM_WAIT_OUT)
RELEASES = (SIGNAL, SEM_POST)


def read_trace(path):
    """The events of one process's file, each thread's in order:
    {tid: [(ns, type, arg), ...]}."""
    threads = {}
    with open(path, "rb") as f:
        slot = 0
        while True:
            f.seek(slot * SLOT_EVENTS * RECORD.size)
            first = f.read(RECORD.size)
            if len(first) < RECORD.size or RECORD.unpack(first)[0] == 0:
                break
            f.seek(slot * SLOT_EVENTS * RECORD.size)
            data = f.read(SLOT_EVENTS * RECORD.size)
            for off in range(0, len(data) - RECORD.size + 1, RECORD.size):
                ns, tid, typ, arg = RECORD.unpack_from(data, off)
                if ns == 0:
                    break
                threads.setdefault(tid, []).append((ns, typ, arg))
            slot += 1
    return threads


def holds(events, long_ns=1e6):
    """From one thread's events: the holds after a long wait and the warm
    holds (see the module's text), in ns, and its number of reads, for the
    descriptor with most holds after a long wait (then most reads): reads
    of other ones, such as a Python's imports, are left out."""
    fds = {}
    for _, typ, arg in events:
        if typ == READ_IN:
            fds[arg] = fds.get(arg, 0) + 1
    best = ([], [], 0)
    for fd in fds:
        aw, warm = fd_holds(events, fd, long_ns)
        if (len(aw), fds[fd]) > (len(best[0]), best[2]):
            best = (aw, warm, fds[fd])
    return best


def fd_holds(events, fd, long_ns):
    """holds() for the reads of one descriptor. A stretch from one read's
    end to the next read is looked at whole: the waits in it, the last
    wait's end, the last release before the read."""
    after_wait, warm = [], []
    read_end, in_read = None, False
    waited, wait_from, last_wait_end, last_release = 0, None, None, None
    for ns, typ, arg in events:
        if typ == READ_IN:
            in_read = arg == fd
            if not in_read:
                continue
            if read_end is not None and last_release is not None:
                if waited > long_ns and last_wait_end is not None \
                        and last_release > last_wait_end:
                    after_wait.append(last_release - last_wait_end)
                elif waited == 0:
                    warm.append(last_release - read_end)
            read_end = None
        elif typ == READ_OUT:
            if not in_read:
                continue
            in_read = False
            read_end = ns
            waited, wait_from, last_wait_end, last_release = \
                0, None, None, None
        elif read_end is None:
            continue
        elif typ in WAIT_BEGINS:
            wait_from = ns
        elif typ in WAIT_ENDS and wait_from is not None:
            waited += ns - wait_from
            last_wait_end, wait_from = ns, None
        elif typ in RELEASES:
            last_release = ns
    return after_wait, warm


def median(xs):
    s = sorted(xs)
    n = len(s)
    if not n:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def reader_holds(prefix, long_ns=1e6):
    """Over every process file PREFIX.*: for each process, the thread with
    most holds after a long wait. A list of (file, tid, after_wait, warm,
    reads), one per process that has such a thread."""
    out = []
    for path in sorted(glob.glob(prefix + ".*")):
        best = None
        for tid, events in read_trace(path).items():
            aw, warm, reads = holds(events, long_ns)
            if aw and (best is None or len(aw) > len(best[2])):
                best = (path, tid, aw, warm, reads)
        if best:
            out.append(best)
    return out


def resume_ns(prefix, long_ns=1e6):
    """The median, over processes, of the reader's median hold after a long
    wait, and of its warm hold; None where nothing was found."""
    found = reader_holds(prefix, long_ns)
    return (median([median(aw) for _, _, aw, _, _ in found]),
            median([median(w) for _, _, _, w, _ in found if w]))


def run_traced(cmd, prefix, lib=LIB, **kw):
    """Runs cmd with the tracer preloaded, writing PREFIX.<pid> files."""
    env = dict(os.environ, PARLAB_GIL_TRACE=prefix, LD_PRELOAD=lib)
    return subprocess.call(cmd, env=env, **kw)


def timeline(prefix, limit):
    """Prints up to `limit` events of every file, threads interleaved."""
    for path in sorted(glob.glob(prefix + ".*")):
        merged = []
        for tid, events in read_trace(path).items():
            merged += [(ns, tid, typ, arg) for ns, typ, arg in events]
        merged.sort()
        if not merged:
            continue
        print("%s:" % path)
        t0 = merged[0][0]
        for ns, tid, typ, arg in merged[:limit]:
            print("%12.3f us  %7d  %-13s %x" % ((ns - t0) / 1e3, tid,
                                                 NAMES.get(typ, typ), arg))


def summary(prefix, long_ns):
    found = reader_holds(prefix, long_ns)
    if not found:
        print("no thread took the GIL back after a wait of over %.0f us"
              % (long_ns / 1e3))
        return 1
    for path, tid, aw, warm, reads in found:
        print("%s thread %d: %d reads; hold after a long wait: median %.2f "
              "us of %d; warm hold: median %s of %d"
              % (os.path.basename(path), tid, reads, median(aw) / 1e3,
                 len(aw), "%.2f us" % (median(warm) / 1e3) if warm else "-",
                 len(warm)))
    return 0


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " "))
    ap.add_argument("--lib", default=LIB, help="the tracer (default %(default)s)")
    ap.add_argument("-o", "--prefix", help="trace files PREFIX.<pid> (default "
                    "a temporary folder, removed after)")
    ap.add_argument("--show", metavar="PREFIX", help="summarise the files of "
                    "an earlier run; run nothing")
    ap.add_argument("--long", type=float, default=1e6, metavar="NS",
                    help="a wait over NS ns is a long one (default 1e6)")
    ap.add_argument("--timeline", type=int, default=0, metavar="N",
                    help="also print the first N events of every file")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.show:
        if args.timeline:
            timeline(args.show, args.timeline)
        return summary(args.show, args.long)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command to run (give it after --)")
    if not os.path.exists(args.lib):
        ap.error("no tracer at %s: build it (cmake --build build)" % args.lib)
    tmp = None
    prefix = args.prefix
    if not prefix:
        tmp = tempfile.mkdtemp(prefix="gil-trace-")
        prefix = os.path.join(tmp, "trace")
    try:
        rc = run_traced(cmd, prefix, os.path.abspath(args.lib))
        if args.timeline:
            timeline(prefix, args.timeline)
        summary(prefix, args.long)
        return rc
    finally:
        if tmp:
            for p in glob.glob(prefix + ".*"):
                os.remove(p)
            os.rmdir(tmp)


if __name__ == "__main__":
    sys.exit(main())
