#!/usr/bin/env python
"""Runs a command with parlab's semaphore race recorder preloaded and
summarises the wake-up race on its semaphore lock.

The recorder, build/libparlab-sem-race.so (tools/sem_race.c), carries
glibc's own semaphore algorithm with a stamp at each step, so that a
waiter's steps inside sem_wait are seen and the programs compared run the
same semaphore code: a post's start (the lock is free from there) and
return, a waiter going to sleep in the futex, its return, and whether the
take that followed won. One file PREFIX.<pid> per process (256 MiB long,
sparse: 4 MiB on disk for each thread that used a semaphore).

For each process: the thread that posted most (the holder, a CPU-bound
thread releasing its lock every check interval; a process whose busiest
thread posted under 1,000 times is left out, said) and the thread that
slept most (the waiter), and for each of the waiter's sleeps that a
later post ended:
  woken         from the start of the holder's first post after the sleep
                to the waiter's return from the futex
  next post     from that post's start to the holder's next one
  during        returns while that post was still under way (a wake-up
                quicker than the post's futex call), and how often those
                won
  arrival       the return minus that next post's start, and how often
                the waiter came back during that post (from 100 ns before
                its start, as its own futex call takes time, to its end)
                and won; and how many wins were neither; how long that
                next post took (the window it left open)
  gap           from the sleep to the holder's next post, and how often
                the take after the return won, by gap: a post that comes
                before the waiter's CPU has gone idle wakes it at once
then the same over every file. Times in ns: median [p10 - p90].

Works for CPython 2 (its lock is a semaphore) and parlab's gil-threads
mode legacy alike (a parlab built with AddressSanitizer needs
ASAN_OPTIONS=verify_asan_link_order=0: the recorder comes before ASan's
runtime, and intercepts nothing ASan does). Runs under any Python 2.7 to
3.13.

    tools/sem_race.py [--lib LIB] [-o PREFIX] -- CMD ARGS...
    tools/sem_race.py --show PREFIX|FILE

Exit status: the command's (127 if it is not found, 126 if it cannot be
run); with --show, 0; 2 for bad usage or when no file was written.
"""
from __future__ import division, print_function

import argparse
import bisect
import os
import signal
import struct
import subprocess
import sys

import gil_trace

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(os.path.dirname(HERE), "build", "libparlab-sem-race.so")

# struct sem_event and enum sem_event_type in tools/sem_race.c
RECORD = struct.Struct("<qii")
SLOT_EVENTS = 1 << 18
POST, POST_END, SLEEP, WOKE, WON, LOST = range(1, 7)
# Gap bins (ns) for the wins by gap; a return this long before a post's
# start counts as during it (the futex call that sees the value change
# was under way).
GAP_EDGES = (100, 200, 300, 1000)
EARLY = 100
LONG_POST = 500   # a post this long made a futex call that did more than
                  # find nobody (a wake-up, or a wait on the futex's lock)


FILE_BYTES = 64 * SLOT_EVENTS * RECORD.size   # SLOTS in tools/sem_race.c


def read_file(path):
    """{tid: [(ns, type), ...]} of one process's file; and the tids whose
    slot filled up (what they did after is missing). Empty (said) for a
    file of another length: not this recorder's."""
    threads, full = {}, []
    if os.path.getsize(path) != FILE_BYTES:
        print("sem_race: %s is %d bytes, not a sem_race file (%d): left "
              "out" % (path, os.path.getsize(path), FILE_BYTES))
        return threads, full
    with open(path, "rb") as f:
        slot = 0
        while True:
            f.seek(slot * SLOT_EVENTS * RECORD.size)
            data = f.read(SLOT_EVENTS * RECORD.size)
            if len(data) < RECORD.size or RECORD.unpack_from(data)[0] == 0:
                break
            n = 0
            for off in range(0, len(data) - RECORD.size + 1, RECORD.size):
                ns, tid, typ = RECORD.unpack_from(data, off)
                if ns == 0:
                    break
                threads.setdefault(tid, []).append((ns, typ))
                n += 1
            if n >= SLOT_EVENTS:
                full.append(tid)
            slot += 1
    return threads, full


def race(threads):
    """The race of one process: a dict of lists (woken, next_post,
    arrival, gap, won: per ended sleep), with holder and waiter, or None
    when there is no holder that posted and waiter that slept."""
    def count(tid, typ):
        return sum(1 for _, t in threads[tid] if t == typ)
    if len(threads) < 2:
        return None
    holder = max(threads, key=lambda t: count(t, POST))
    others = [t for t in threads if t != holder]
    waiter = max(others, key=lambda t: count(t, SLEEP))
    starts, ends = [], []
    for ns, t in threads[holder]:
        if t == POST:
            starts.append(ns)
        elif t == POST_END and len(ends) < len(starts):
            ends.append(ns)
    starts = starts[:len(ends)]
    if len(starts) < gil_trace.MIN_RELEASES or not count(waiter, SLEEP):
        return None
    out = {"holder": holder, "waiter": waiter, "posts": len(starts),
           "woken": [], "next_post": [], "arrival": [], "gap": [],
           "won": [], "during": [], "in_next": [], "next_len": []}
    events = threads[waiter]
    for k, (ns, typ) in enumerate(events):
        if typ != SLEEP or k + 2 >= len(events) or events[k + 1][1] != WOKE \
                or events[k + 2][1] not in (WON, LOST):
            continue
        back = events[k + 1][0]
        i = bisect.bisect_right(starts, ns)
        if i + 1 >= len(starts) or starts[i] > back:
            continue   # no post ended this sleep (a signal, or the end)
        out["woken"].append(back - starts[i])
        out["next_post"].append(starts[i + 1] - starts[i])
        out["arrival"].append(back - starts[i + 1])
        out["gap"].append(starts[i] - ns)
        out["won"].append(events[k + 2][1] == WON)
        out["during"].append(back < ends[i])
        out["in_next"].append(starts[i + 1] - EARLY <= back < ends[i + 1])
        out["next_len"].append(ends[i + 1] - starts[i + 1])
    return out


def spread(xs):
    s = sorted(xs)
    if not s:
        return "-"
    return "%.0f [%.0f - %.0f]" % (gil_trace.median(s),
                                   gil_trace.quantile(s, 0.1),
                                   gil_trace.quantile(s, 0.9))


def print_race(r):
    n, won = len(r["won"]), sum(r["won"])
    print("  %d sleeps ended by a post, won after %d (%.2f%%)"
          % (n, won, 100.0 * won / n if n else 0))
    print("  woken %s; next post %s" % (spread(r["woken"]),
                                         spread(r["next_post"])))
    during = [w for d, w in zip(r["during"], r["won"]) if d]
    print("  back while the post that woke it was under way: %d (%.2f%%), "
          "won %d" % (len(during), 100.0 * len(during) / n if n else 0,
                      sum(during)))
    inside = [w for i, w in zip(r["in_next"], r["won"]) if i]
    print("  arrival %s; back during the next post (from %d ns before "
          "its start): %d (%.2f%%), won %d; won otherwise %d"
          % (spread(r["arrival"]), EARLY, len(inside),
             100.0 * len(inside) / n if n else 0, sum(inside),
             won - sum(inside) - sum(during)))
    long_next = sum(1 for x in r["next_len"] if x >= LONG_POST)
    print("  the next post took %s; %d ns or more: %d (%.2f%%)"
          % (spread(r["next_len"]), LONG_POST, long_next,
             100.0 * long_next / n if n else 0))
    bins = []
    for j, edge in enumerate(GAP_EDGES + (None,)):
        low = GAP_EDGES[j - 1] if j else None
        sel = [w for g, w in zip(r["gap"], r["won"])
               if (low is None or g >= low) and (edge is None or g < edge)]
        name = ("under %d" % edge if low is None else
                "%d or more" % low if edge is None else
                "%d to %d" % (low, edge))
        bins.append("%s: won %d of %d" % (name, sum(sel), len(sel)))
    print("  gap %s; %s" % (spread(r["gap"]), "; ".join(bins)))


def summary(files):
    """Prints race() for every file, then over every file; False when no
    file had one."""
    total = dict((k, []) for k in ("woken", "next_post", "arrival", "gap",
                                   "won", "during", "in_next", "next_len"))
    found = 0
    for path in files:
        threads, full = read_file(path)
        for tid in full:
            print("sem_race: %s thread %d recorded %d events, the most a "
                  "thread can: what it did after is not in the file"
                  % (os.path.basename(path), tid, SLOT_EVENTS))
        r = race(threads)
        if not r:
            if threads:
                print("%s: no holder with %d posts and a waiter that "
                      "slept: left out" % (os.path.basename(path),
                                           gil_trace.MIN_RELEASES))
            continue
        found += 1
        print("%s: holder thread %d (%d posts), waiter thread %d"
              % (os.path.basename(path), r["holder"], r["posts"],
                 r["waiter"]))
        print_race(r)
        for k in total:
            total[k] += r[k]
    if found > 1:
        print("over the %d files:" % found)
        print_race(total)
    if not found:
        print("sem_race: no thread posted a semaphore %d times while "
              "another slept on it (nothing to summarise)"
              % gil_trace.MIN_RELEASES)
    return found > 0


def main():
    ap = gil_trace.recorder_parser(__doc__, LIB)
    ap.add_argument("cmd", nargs=argparse.REMAINDER,
                    help="the command to run, after --")
    args = ap.parse_args()
    if args.show is not None:
        if args.cmd:
            ap.error("--show runs nothing: no command after it")
        files = gil_trace.trace_files(args.show)
        if not files:
            ap.error("no files %s.<pid>" % gil_trace.trace_prefix(args.show))
        summary(files)
        return 0
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command to run (give it after --)")
    gil_trace.check_lib(ap, args.lib, args.lib == LIB)

    def run(prefix):
        return subprocess.call(cmd, env=dict(
            os.environ, PARLAB_SEM_RACE=prefix,
            LD_PRELOAD=os.path.abspath(args.lib)))
    return gil_trace.run_kept(ap, "sem_race", args.prefix, cmd[0], run,
                              lambda prefix, files: summary(files))


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # quiet under `| head`, as other tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
