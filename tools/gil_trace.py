#!/usr/bin/env python
"""Runs a command with parlab's GIL tracer preloaded and measures how long
the thread that reads holds the GIL after it takes it back.

The tracer, build/libparlab-gil-trace.so (tools/gil_trace.c), records
every condition signal and wait, semaphore wait and post, read, recv,
write, send and close of every thread, one file PREFIX.<pid> per process
(sparse: 192 MiB long, a few hundred KiB on disk; 3 MiB for each thread
that posts, with --releases). A thread records at most 131,072 events
(with --releases, 65,536 posts); the summary says when one reached that.
For each process this picks the thread
and descriptor with most resume holds and reports, in microseconds (the
request path in ns):

  resume hold   from the end of a GIL wait of over --long ns (1 ms: a
                convoy wait) to the thread's next release of the lock
                (calibrate.py's resume_hold_ns)
  warm hold     from a read that did not wait (no lock wait over 1 us:
                Python 2 takes its lock with sem_wait even when it is
                free) to the next release (warm_hold_ns)
  request       over every thread: from a condition wait that timed out
                to that thread's next condition wait, in ns: the path a
                GIL waiter takes, holding the lock's mutex, after it asks
                for the lock (calibrate.py's request_ns); a timed-out wait
                asks only when nobody switched meanwhile, so a few paths
                are plain waits again. Python 2's GIL is a semaphore with
                no timed waits: no request line

Works for CPython (condition waits in 3, semaphore waits in 2) and parlab's
gil-threads alike, so both are measured with one instrument. Runs under
any Python 2.7 to 3.13.

With --releases only semaphore posts are recorded, each at its call and
its return (a semaphore lock's wake-up race, Python 2's and mode legacy's,
is decided by tens of nanoseconds: recording the takes too would lengthen
Python 2's path from release to take, a sem_wait, and not parlab's, a
sem_trywait; the first post of each thread then takes a few milliseconds
more, its slot of the file written through). For each process, the thread
that released a lock most (the CPU-bound holder) and, by what each of its
releases did (woke a waiter, made a futex call that woke nobody, made no
call; told from how long the post took: 500 ns or more, 120 to 500 ns,
under 120 ns, as measured on a 2-core KVM guest), how long the post took,
the time to its next release when no other thread took the lock in
between, and after how many of them one did; then the same over every
file.

    tools/gil_trace.py [--lib LIB] [-o PREFIX] [--timeline N] [--releases]
                       -- CMD ARGS...
    tools/gil_trace.py --show PREFIX|FILE [--timeline N] [--releases]

Exit status: the command's (127 if it is not found, 126 if it cannot be
run); with --show, 0; 2 for bad usage or when no trace file was written
(the command's status is then printed).
"""
from __future__ import division, print_function

import argparse
import bisect
import ctypes
import errno
import glob
import os
import re
import signal
import struct
import sys
import tempfile

import stopping  # children stop with the tool (tools/stopping.py)

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(os.path.dirname(HERE), "build", "libparlab-gil-trace.so")

# struct gil_event and enum gil_event_type in tools/gil_trace.c
RECORD = struct.Struct("<qiiQ")
SLOT_EVENTS = 1 << 17
(SIGNAL, TIMEDWAIT_IN, TIMEDWAIT_OUT, WAIT_IN, WAIT_OUT, SEM_WAIT_IN,
 SEM_WAIT_OUT, SEM_POST, READ_IN, READ_OUT, CLOSE, WRITE_IN,
 WRITE_OUT, SEM_POST_OUT) = range(1, 15)
NAMES = {SIGNAL: "signal", TIMEDWAIT_IN: "timedwait", TIMEDWAIT_OUT:
         "timedwait-end", WAIT_IN: "wait", WAIT_OUT: "wait-end",
         SEM_WAIT_IN: "sem-wait", SEM_WAIT_OUT: "sem-wait-end",
         SEM_POST: "sem-post", READ_IN: "read", READ_OUT: "read-end",
         CLOSE: "close", WRITE_IN: "write", WRITE_OUT: "write-end",
         SEM_POST_OUT: "sem-post-end"}
# How each event's argument reads: an address, a descriptor, a count or
# return code (signed: -1, ETIMEDOUT).
ARG_KIND = {SIGNAL: "cond", TIMEDWAIT_IN: "cond", WAIT_IN: "cond",
            WAIT_OUT: "cond", SEM_WAIT_IN: "sem", SEM_POST: "sem",
            TIMEDWAIT_OUT: "rc", SEM_WAIT_OUT: "rc", READ_IN: "fd",
            READ_OUT: "rc", CLOSE: "fd", WRITE_IN: "fd", WRITE_OUT: "rc",
            SEM_POST_OUT: "rc"}
WAIT_BEGINS = (TIMEDWAIT_IN, WAIT_IN, SEM_WAIT_IN)
WAIT_ENDS = (TIMEDWAIT_OUT, WAIT_OUT, SEM_WAIT_OUT)
RELEASES = (SIGNAL, SEM_POST)
SHORT_NS = 1000  # a lock wait this short found the lock free: no wait


def trace_prefix(prefix):
    """PREFIX as given to -o or --show; a folder stands for FOLDER/trace."""
    if prefix.endswith(os.sep) or os.path.isdir(prefix):
        return os.path.join(prefix, "trace")
    return prefix


def trace_files(prefix):
    """The files of PREFIX: PREFIX.<pid>, or PREFIX itself when it is
    one of them."""
    if os.path.isfile(prefix) and re.search(r"\.\d+$", prefix):
        return [prefix]
    prefix = trace_prefix(prefix)
    return sorted(p for p in glob.glob(prefix + ".*")
                  if re.match(r"\d+$", p[len(prefix) + 1:]))


FILE_BYTES = 64 * SLOT_EVENTS * RECORD.size   # SLOTS in tools/gil_trace.c


def read_trace(path):
    """The events of one process's file, each thread's in order:
    {tid: [(ns, type, arg), ...]}; {} (said) for a file of another
    length: not this tracer's (tools/sem_race.py's files are 256 MiB)."""
    threads = {}
    if os.path.getsize(path) != FILE_BYTES:
        print("gil_trace: %s is %d bytes, not a gil_trace file (%d): left "
              "out" % (path, os.path.getsize(path), FILE_BYTES))
        return threads
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
    """From one thread's events: its resume holds and warm holds (see the
    module's text), in ns, and its number of reads, for the file with most
    resume holds (then most reads). A file is a descriptor between two
    closes of it: reads of the same number before (a Python's imports)
    are another file's, and are left out."""
    epoch, reads = {}, {}
    for _, typ, arg in events:
        if typ == CLOSE:
            epoch[arg] = epoch.get(arg, 0) + 1
        elif typ == READ_IN:
            key = (arg, epoch.get(arg, 0))
            reads[key] = reads.get(key, 0) + 1
    best = ([], [], 0)
    for key in reads:
        if reads[key] < 2:  # no stretch between two reads: nothing to find
            continue
        resume, warm = file_holds(events, key, long_ns)
        if (len(resume), reads[key]) > (len(best[0]), best[2]):
            best = (resume, warm, reads[key])
    return best


def file_holds(events, key, long_ns):
    """holds() for the reads of one file, key = (descriptor, closes of it
    before). A stretch from one read's end to the next read is looked at
    whole: the waits in it, the last wait's end, the last release before
    the read."""
    fd, want = key
    resume, warm = [], []
    epoch = 0
    read_end, in_read = None, False
    waited, wait_from, last_wait_end, last_release = 0, None, None, None
    for ns, typ, arg in events:
        if typ == CLOSE and arg == fd:
            epoch += 1
            read_end = None
        elif typ == READ_IN:
            in_read = arg == fd and epoch == want
            if not in_read:
                continue
            if read_end is not None and last_release is not None:
                if waited > long_ns and last_wait_end is not None \
                        and last_release > last_wait_end:
                    resume.append(last_release - last_wait_end)
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
            if ns - wait_from > SHORT_NS:
                waited += ns - wait_from
                last_wait_end = ns
            wait_from = None
        elif typ in RELEASES:
            last_release = ns
    return resume, warm


def median(xs):
    s = sorted(xs)
    n = len(s)
    if not n:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def reader_holds(prefix, long_ns=1e6):
    """Over every process file of PREFIX: for each process, the thread with
    most resume holds, then most reads. A list of (file, tid, resume,
    warm, reads), one per process that has a thread that holds the lock
    between reads; and the most reads any one thread made."""
    out, most_reads = [], 0
    for path in trace_files(prefix):
        best = None
        for tid, events in read_trace(path).items():
            most_reads = max(most_reads, sum(1 for e in events
                                             if e[1] == READ_IN))
            resume, warm, reads = holds(events, long_ns)
            if (resume or warm) and (best is None or (len(resume), reads) >
                                     (len(best[2]), best[4])):
                best = (path, tid, resume, warm, reads)
        if best:
            out.append(best)
    return out, most_reads


def resume_ns(prefix, long_ns=1e6):
    """The median resume hold and warm hold over all the processes' reader
    threads together (a run with few convoy waits weighs as little as it
    has samples); None where there is none."""
    found = reader_holds(prefix, long_ns)[0]
    return (median([h for _, _, r, _, _ in found for h in r]),
            median([h for _, _, _, w, _ in found for h in w]))


def request_gaps(events):
    """From one thread's events: the ns from each condition wait that
    timed out to the thread's next condition wait, when that comes next."""
    return [b[0] - a[0] for a, b in zip(events, events[1:])
            if a[1] == TIMEDWAIT_OUT and a[2] == errno.ETIMEDOUT
            and b[1] in (TIMEDWAIT_IN, WAIT_IN)]


def request_ns(prefix):
    """The median request gap over every thread of every file of PREFIX,
    and how many there were; (None, 0) where there is none."""
    gaps = [g for path in trace_files(prefix)
            for events in read_trace(path).values()
            for g in request_gaps(events)]
    return median(gaps), len(gaps)


def run_traced(cmd, prefix, lib=LIB, posts_only=False, **kw):
    """Runs cmd with the tracer preloaded, writing PREFIX.<pid> files; its
    exit status. posts_only: record semaphore posts alone (--releases)."""
    env = dict(os.environ, PARLAB_GIL_TRACE=prefix, LD_PRELOAD=lib)
    env.pop("PARLAB_GIL_TRACE_ONLY", None)
    if posts_only:
        env["PARLAB_GIL_TRACE_ONLY"] = "sem_post"
    return stopping.run_child(cmd, env=env, **kw)


# What a post did, from how long it took: glibc's sem_post makes a futex
# call only when the semaphore has waiters, and the call wakes one only
# when a waiter sleeps in the futex (not when it is on its way back from
# an earlier wake-up). Recorded so (a clock read between the post's two
# records) on the 2-core KVM guest of docs/fidelity-notes.md: 40 to 110
# ns without a call (more when the semaphore's cache line was on the
# other core), 140 to 300 ns with a call that woke nobody, 1.0 to 1.6 us
# with a wake-up. The lock is free from the post's start.
NO_CALL_NS, WOKE_NS = 120, 500
# A holder releases its lock thousands of times in a race worth the name;
# a process whose busiest thread posted fewer (a run that ended before
# the race began, a reader that outposted an idle holder) is left out
# rather than summarised with its roles wrong.
MIN_RELEASES = 1000
POST_KINDS = (("woke", "woke a waiter"), ("call", "futex call, none woken"),
              ("none", "no futex call"))


def posts_of(events):
    """One thread's posts: [(start ns, end ns, semaphore)]."""
    out, start = [], None
    for ns, typ, arg in events:
        if typ == SEM_POST:
            start = (ns, arg)
        elif typ == SEM_POST_OUT and start is not None:
            out.append((start[0], ns, start[1]))
            start = None
    return out


def releases(threads):
    """The release race of one process's events (recorded with --releases):
    the thread that posted most (the holder) and the semaphore it posted
    most; for each of its posts but the last, by what the post did
    (POST_KINDS): the post's length, the time to its next post when no
    other thread posted that semaphore in between (its release period),
    and how often one did (another thread took the lock meanwhile). None
    when no thread posted MIN_RELEASES times."""
    posts = dict((tid, posts_of(ev)) for tid, ev in threads.items())
    if not posts or max(len(p) for p in posts.values()) < MIN_RELEASES:
        return None
    holder = max(posts, key=lambda t: len(posts[t]))
    sems = {}
    for _, _, sem in posts[holder]:
        sems[sem] = sems.get(sem, 0) + 1
    lock = max(sems, key=sems.get)
    mine = [(a, b) for a, b, sem in posts[holder] if sem == lock]
    others = sorted(a for tid, p in posts.items() if tid != holder
                    for a, _, sem in p if sem == lock)
    kinds = dict((k, {"post": [], "period": [], "taken": 0})
                 for k, _ in POST_KINDS)
    for (a, b), (a2, _) in zip(mine, mine[1:]):
        kind = "woke" if b - a >= WOKE_NS else \
            "call" if b - a >= NO_CALL_NS else "none"
        k = kinds[kind]
        k["post"].append(b - a)
        i = bisect.bisect_right(others, b)
        if i < len(others) and others[i] < a2:
            k["taken"] += 1
        else:
            k["period"].append(a2 - a)
    return holder, len(mine), kinds


def quantile(xs, q):
    """The q quantile of xs, the nearest rank (never outside the data,
    and p10 <= median <= p90)."""
    s = sorted(xs)
    return s[int(round(q * (len(s) - 1)))]


def posts_only(threads):
    """Whether a file's events are semaphore posts alone (recorded with
    --releases)."""
    return all(typ in (SEM_POST, SEM_POST_OUT)
               for events in threads.values() for _, typ, _ in events)


def warn_full(path, threads):
    """Says which threads of a file recorded as many events as a thread
    can: what they did after that is missing."""
    for tid in sorted(threads):
        if len(threads[tid]) >= SLOT_EVENTS:
            print("gil_trace: %s thread %d recorded %d events, the most a "
                  "thread can: what it did after is not in the file"
                  % (os.path.basename(path), tid, SLOT_EVENTS))


def print_kinds(kinds):
    for key, text in POST_KINDS:
        k = kinds[key]
        if not k["post"]:
            continue
        per = k["period"]
        print("  %s: %d, the post %.0f ns (median); to the next release "
              "%s; another thread took the lock after %d of them"
              % (text, len(k["post"]), median(k["post"]),
                 "%.0f ns [p10 %.0f - p90 %.0f] of %d" % (
                     median(per), quantile(per, 0.1), quantile(per, 0.9),
                     len(per)) if per else "-", k["taken"]))


def releases_summary(files):
    """Prints releases() for every file, then over every file; False when
    no file had one."""
    total = dict((k, {"post": [], "period": [], "taken": 0})
                 for k, _ in POST_KINDS)
    found = 0
    for path in files:
        threads = read_trace(path)
        warn_full(path, threads)
        if not any(typ == SEM_POST_OUT for events in threads.values()
                   for _, typ, _ in events):
            continue
        got = releases(threads)
        if not got:
            continue
        found += 1
        holder, n, kinds = got
        print("%s thread %d: %d releases of its lock%s"
              % (os.path.basename(path), holder, n, "" if posts_only(threads)
                 else " (recorded without --releases: every call was, and "
                 "each record lengthens the path it is on)"))
        print_kinds(kinds)
        for key in total:
            for part in ("post", "period"):
                total[key][part] += kinds[key][part]
            total[key]["taken"] += kinds[key]["taken"]
    if found > 1:
        print("over the %d files:" % found)
        print_kinds(total)
    return found > 0


def show_arg(typ, arg):
    kind = ARG_KIND.get(typ)
    if kind == "fd":
        return "fd %d" % arg
    if kind == "rc":
        return "%d" % struct.unpack("<q", struct.pack("<Q", arg))[0]
    return "%s 0x%x" % (kind, arg)


def timeline(files, limit):
    """Prints up to `limit` events of every file, threads interleaved."""
    for path in files:
        merged = []
        for tid, events in read_trace(path).items():
            merged += [(ns, tid, typ, arg) for ns, typ, arg in events]
        merged.sort()
        if not merged:
            continue
        print("%s:\n%12s  %7s  %-13s %s" % (path, "time (us)", "thread",
                                            "event", "argument"))
        t0 = merged[0][0]
        for ns, tid, typ, arg in merged[:limit]:
            print("%12.3f  %7d  %-13s %s" % ((ns - t0) / 1e3, tid,
                                             NAMES.get(typ, typ),
                                             show_arg(typ, arg)))


def summary(prefix, long_ns):
    gap, gaps = request_ns(prefix)
    if gaps:
        print("request: median %.0f ns over %d timed-out condition waits "
              "(each to the thread's next wait)" % (gap, gaps))
    found, reads = reader_holds(prefix, long_ns)
    if not found:
        print("gil_trace: no resume or warm holds: no thread released a lock "
              "between two of its reads after a wait over %.0f us, or after "
              "no wait (the most reads by one thread: %d)"
              % (long_ns / 1e3, reads))
        return

    def us(xs):
        return "%.2f us" % (median(xs) / 1e3) if xs else "-"
    for path, tid, resume, warm, reads in found:
        print("%s thread %d: %d reads; resume hold: median %s of %d; "
              "warm hold: median %s of %d"
              % (os.path.basename(path), tid, reads, us(resume),
                 len(resume), us(warm), len(warm)))


def report(args, prefix, files):
    """The summary --releases asks for, or the holds'."""
    if not args.releases:
        traces = [(path, read_trace(path)) for path in files]
        for path, threads in traces:
            warn_full(path, threads)
        if traces and all(posts_only(t) for _, t in traces):
            print("gil_trace: these files hold semaphore posts alone "
                  "(recorded with --releases): summarise them with "
                  "--releases")
            return
        summary(prefix, args.long)
    elif not releases_summary(files):
        print("gil_trace: no thread released a lock %d times with the "
              "posts' returns recorded (nothing to summarise; files "
              "recorded before --releases existed have no returns)"
              % MIN_RELEASES)


def check_lib(ap, lib, default):
    if not os.path.exists(lib):
        ap.error("no tracer at %s%s" % (lib, ": build it (cmake --build "
                                        "build)" if default else ""))
    try:
        ctypes.CDLL(os.path.abspath(lib))
    except OSError as e:
        ap.error("%s is not a library the tracer can be loaded from: %s"
                 % (lib, e))


def recorder_parser(doc, lib):
    """The command line a preloaded recorder's script shares (this one,
    tools/sem_race.py): its text, --lib, -o and --show; the script adds
    its own options, then the command."""
    ap = argparse.ArgumentParser(
        description=doc.split("\nExit status")[0],
        epilog="Exit status" + doc.split("\nExit status", 1)[1],
        usage="%(prog)s [options] -- CMD ARGS... | --show PREFIX|FILE",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", default=lib, help="the library to preload "
                    "(default %(default)s)")
    ap.add_argument("-o", "--prefix", help="write the files as "
                    "PREFIX.<pid>, kept (default: a temporary folder, "
                    "removed after); its folder is made if missing; a "
                    "folder stands for FOLDER/trace")
    ap.add_argument("--show", metavar="PREFIX", help="summarise the files "
                    "of an earlier -o PREFIX run (or one such file); run "
                    "nothing; a folder stands for FOLDER/trace")
    return ap


def main():
    ap = recorder_parser(__doc__, LIB)
    ap.add_argument("--long", type=float, default=1e6, metavar="NS",
                    help="a wait over NS ns is a long one (default 1e6)")
    ap.add_argument("--timeline", type=int, default=0, metavar="N",
                    help="also print the first N events of every file")
    ap.add_argument("--releases", action="store_true",
                    help="record semaphore posts alone (each at its call "
                    "and its return) and summarise the holder's releases; "
                    "with --show, summarise files recorded so")
    ap.add_argument("cmd", nargs=argparse.REMAINDER,
                    help="the command to run, after --")
    args = ap.parse_args()
    if args.timeline < 0 or args.long <= 0:
        ap.error("--timeline takes a count (0 or more), --long a positive "
                 "number")
    if args.show is not None:
        if args.cmd:
            ap.error("--show runs nothing: no command after it")
        files = trace_files(args.show)
        if not files:
            ap.error("no trace files %s.<pid>" % trace_prefix(args.show))
        if args.timeline:
            timeline(files, args.timeline)
        report(args, args.show, files)
        return 0
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command to run (give it after --)")
    check_lib(ap, args.lib, args.lib == LIB)

    def run(prefix):
        return run_traced(cmd, prefix, os.path.abspath(args.lib),
                          args.releases)

    def show(prefix, files):
        if args.timeline:
            timeline(files, args.timeline)
        report(args, prefix, files)
    return run_kept(ap, "gil_trace", args.prefix, cmd[0], run, show)


def run_kept(ap, name, prefix, program, run, show):
    """Runs run(PREFIX) (a command with a recorder preloaded that writes
    PREFIX.<pid> files), then show(PREFIX, files). With no -o prefix the
    files go to a temporary folder, removed after. Returns the command's
    status, 127 or 126 when it could not be run, 2 when no file was
    written. Shared with tools/sem_race.py."""
    tmp = None
    if prefix:
        prefix = os.path.abspath(trace_prefix(prefix))
        if trace_files(prefix):
            ap.error("files %s.<pid> exist already: remove them or choose "
                     "another prefix" % prefix)
        if not os.path.isdir(os.path.dirname(prefix)):
            os.makedirs(os.path.dirname(prefix))
    else:
        tmp = tempfile.mkdtemp(prefix=name.replace("_", "-") + "-")
        prefix = os.path.join(tmp, "trace")
    try:
        try:
            rc = run(prefix)
        except OSError as e:
            print("%s: cannot run %s: %s" % (name, program, e.strerror),
                  file=sys.stderr)
            return 127 if e.errno == errno.ENOENT else 126
        files = trace_files(prefix)
        if not files:
            print("%s: no files written at %s.<pid> (the command exited "
                  "with %d): the library was not loaded (a static or "
                  "setuid program?), the folder is not writable, or it "
                  "declined this system" % (name, prefix, rc),
                  file=sys.stderr)
            return 2
        show(prefix, files)
        return rc
    finally:
        if tmp:
            for p in trace_files(prefix):
                os.remove(p)
            os.rmdir(tmp)


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # quiet under `| head`, as other tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
