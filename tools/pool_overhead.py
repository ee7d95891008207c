#!/usr/bin/env python3
"""What a pool costs per empty task: parlab's strategies beside Python's.

Runs experiments/bench/overhead.yaml with parlab, then Python's executors
on the same kind of work (an empty function, 2 workers), and prints ns per
task for each, measured in one session. Medians of --repetitions runs.

    tools/pool_overhead.py [--parlab build/parlab] [-o DIR]
"""
import argparse
import concurrent.futures as cf
import csv
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def nothing(x):
    return x


def per_task_ns(fn, n, reps):
    """Median ns per task of fn(n) over reps runs (after one warm-up)."""
    fn(min(n, 1000))
    vals = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(n)
        vals.append((time.perf_counter() - t0) / n * 1e9)
    return statistics.median(vals)


def python_rows(reps):
    def pool_map(chunksize):
        def go(n):
            with mp.get_context("fork").Pool(2) as p:
                p.map(nothing, range(n), chunksize)
        return go

    def ppe_map(chunksize):
        def go(n):
            with cf.ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
                list(ex.map(nothing, range(n), chunksize=chunksize))
        return go

    def tpe_map(n):
        with cf.ThreadPoolExecutor(2) as ex:
            list(ex.map(nothing, range(n)))

    def process_per_task(n):
        ctx = mp.get_context("fork")
        for _ in range(n):
            p = ctx.Process(target=nothing, args=(0,))
            p.start()
            p.join()

    def fork_per_task(n):
        for _ in range(n):
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)

    return [
        ("plain loop, no concurrency", per_task_ns(lambda n: [nothing(i) for i in range(n)], 1_000_000, reps)),
        ("ThreadPoolExecutor(2).map", per_task_ns(tpe_map, 100_000, reps)),
        ("multiprocessing.Pool(2).map, chunksize=1", per_task_ns(pool_map(1), 100_000, reps)),
        ("multiprocessing.Pool(2).map, default chunksize", per_task_ns(pool_map(None), 1_000_000, reps)),
        ("ProcessPoolExecutor(2).map, chunksize=1", per_task_ns(ppe_map(1), 20_000, reps)),
        ("ProcessPoolExecutor(2).map, chunksize=1000", per_task_ns(ppe_map(1000), 1_000_000, reps)),
        ("multiprocessing.Process per task (fork)", per_task_ns(process_per_task, 200, reps)),
        ("os.fork + os._exit + waitpid per task", per_task_ns(fork_per_task, 500, reps)),
    ]


def parlab_rows(parlab, out, reps):
    dest = os.path.join(out, "parlab")
    subprocess.run([parlab, "run", "--quiet", "--repetitions", str(reps),
                    "--output-dir", dest,
                    os.path.join(ROOT, "experiments", "bench", "overhead.yaml")],
                   check=False, stdout=subprocess.DEVNULL)
    rows = []
    for path in sorted(os.listdir(dest)):
        if not os.path.isdir(os.path.join(dest, path)):
            continue  # the batch overview: batch.json, summary.md, index.html
        trials = {}
        with open(os.path.join(dest, path, "trials.csv")) as f:
            for r in csv.DictReader(f):
                if r["status"] == "ok":
                    trials.setdefault((r["label"], r["workers"]), []).append(
                        float(r["ns_per_task"]))
        for (label, workers), v in trials.items():
            rows.append(("parlab %s, %s workers (%s)" % (label, workers, path),
                         statistics.median(v)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parlab", default=os.path.join(ROOT, "build", "parlab"))
    ap.add_argument("-o", "--output", default=os.path.join(
        "results", "pool-overhead-" + time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--repetitions", type=int, default=5)
    args = ap.parse_args()
    os.makedirs(args.output, exist_ok=False)
    rows = parlab_rows(args.parlab, args.output, args.repetitions)
    rows += [("Python %d.%d %s" % (sys.version_info[0], sys.version_info[1], name), ns)
             for name, ns in python_rows(args.repetitions)]
    lines = ["| executor | ns per task |", "|---|---|"]
    lines += ["| %s | %.4g |" % (name, ns) for name, ns in rows]
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.output, "pool-overhead.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
