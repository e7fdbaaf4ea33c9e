#!/usr/bin/env python
"""Benchmark axisconv.dask on a distributed LocalCluster against dask-image and in memory.

    python benchmarks/bench_dask.py [--quick] [--out benchmarks/RESULTS_dask.md] [--repeats 9]

Cases (float32; a sampled Gaussian of sigma 3.75, truncate 4: K = 31 taps, mode 'reflect'):

1. "8192^2": one 8192 x 8192 image, separable Gaussian on both axes.
2. "64 x 1080p": a stack of 64 frames of 1080 x 1920, a 2-D Gaussian per frame (no halo
   between frames), one frame a chunk (8 MB: a task per frame);
3. the same stack in chunks of 4 frames (32 MB), for both libraries.

What is timed, on the same data:

* axisconv.dask.correlate_separable(d, g, axes) on a LocalCluster of 2 worker processes of
  1 thread each (threads=1 per task, the default), the input persisted on the cluster, the
  result persisted there too (``client.persist`` + ``wait``): the time to filter data that
  lives in the cluster into data that lives in the cluster, with nothing shipped to or from
  the client;
* dask_image.ndfilters.gaussian_filter(d, sigma, truncate=4) on the same cluster and chunks
  (scipy.ndimage.gaussian_filter per chunk, through map_overlap), on a copy of d made where
  d's chunks are, afresh (untimed) before each run: its overlap moves chunks between workers;
* axisconv.correlate_separable(x, g, axes, threads=2) in memory, in this process (the cluster
  idle meanwhile);
* as a diagnostic, axisconv.dask on dask's threaded scheduler in this process (2 threads).

Freed memory is kept in every process by default (``--freed-memory keep``): this benchmark
was written on a VM that hands memory freed to the kernel back to its hypervisor about two
seconds later, and touching such memory again costs 1-1.5 ms per MB (a 64 MB array: 4 ms
right after a free, 60-100 ms three seconds later), which is what round-robin runs seconds
apart would measure. glibc is told to keep freed memory in the process (one arena, no
mmap, no trim) for the workers and for this process alike, so every library is timed the
same way; ``--freed-memory release`` times the machine as it is.

Before timing, every result is compared with in-memory axisconv: axisconv.dask bit for bit,
dask-image (scipy computes in float64, then rounds to float32) within float32 rounding.
Each library is warmed up once, then the libraries run round-robin --repeats times; medians.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import logging
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from _benchutil import build_header, command_line, finish_header, header_markdown  # noqa: E402
from _benchutil import fmt_ms, loadavg, machine_info  # noqa: E402

SIGMA, TRUNCATE = 3.75, 4.0  # radius int(4 * 3.75 + 0.5) = 15: K = 31
WORKERS = 2
KEEP_FREED_MEMORY = {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_MAX_": "0",
                     "MALLOC_TRIM_THRESHOLD_": str(1 << 40)}


def gaussian_taps(sigma=SIGMA, truncate=TRUNCATE):
    """scipy.ndimage's Gaussian kernel (float64, normalised), as dask-image applies it."""
    radius = int(truncate * sigma + 0.5)
    t = np.arange(-radius, radius + 1)
    w = np.exp(-0.5 / sigma**2 * t**2)
    return w / w.sum()


def cases(quick):
    """(label, shape, chunks, axes filtered)."""
    if quick:
        return [("2048^2 (quick)", (2048, 2048), (512, 2048), (0, 1)),
                ("8 x 1080p (quick)", (8, 1080, 1920), (1, 1080, 1920), (1, 2))]
    return [("8192^2", (8192, 8192), (2048, 8192), (0, 1)),
            ("64 x 1080p", (64, 1080, 1920), (1, 1080, 1920), (1, 2)),
            ("64 x 1080p, 4 frames a chunk", (64, 1080, 1920), (4, 1080, 1920), (1, 2))]


def keep_freed_memory(argv):
    """Re-run this script with glibc keeping freed memory (the workers get it from
    ``distributed.nanny.pre-spawn-environ``); a no-op once it is set."""
    if all(os.environ.get(k) == v for k, v in KEEP_FREED_MEMORY.items()):
        return
    env = dict(os.environ, **KEEP_FREED_MEMORY)
    argv = sys.argv[1:] if argv is None else list(argv)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *argv], env)


def timed(fn):
    getattr(fn, "prepare", lambda: None)()  # (untimed)
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_case(label, shape, chunks, axes, client, repeats, failures):
    import dask.array as da
    from dask_image import ndfilters
    from distributed import wait

    import axisconv
    import axisconv.dask

    g = gaussian_taps()
    sigma = [SIGMA if a in axes else 0.0 for a in range(len(shape))]
    d = da.random.default_rng(12345).standard_normal(shape, chunks=chunks, dtype=np.float32)
    d = client.persist(d)
    wait(d)
    x = gather_blocks(client, d)
    placed = placement(client, d)
    # dask-image filters a copy of d made where d's chunks are, afresh before each of its
    # runs: its overlap tasks copy chunks to other workers, and the active memory manager
    # then drops copies anywhere (all of them on one worker, seen), changing where the input
    # of every later run lies.
    copies = {"n": 0}

    def fresh_copy():
        copies["n"] += 1
        old, copies["d"] = copies.get("d"), client.persist(
            d.map_blocks(np.copy, name=f"dask-image-input-{copies['n']}"))
        wait(copies["d"])
        if old is not None:
            client.cancel(old)

    fresh_copy()
    lazy = {"axisconv.dask": lambda: axisconv.dask.correlate_separable(d, g, axes=axes),
            "dask-image": lambda: ndfilters.gaussian_filter(copies["d"], sigma,
                                                            truncate=TRUNCATE)}

    def on_cluster(name):
        def run():
            r = client.persist(lazy[name]())
            wait(r)
            del r
        return run

    impls = {name: on_cluster(name) for name in lazy}
    impls["dask-image"].prepare = fresh_copy
    impls["in memory"] = lambda: axisconv.correlate_separable(x, g, axes=axes, threads=2)
    local = da.from_array(x, chunks=chunks)  # in this process, for the threaded scheduler
    impls["threaded scheduler"] = lambda: axisconv.dask.correlate_separable(
        local, g, axes=axes).compute(scheduler="threads", num_workers=2)
    expected = impls["in memory"]()
    ok = check(label, lazy, expected, x, g, client, failures)
    info = dict(tasks=len(lazy["axisconv.dask"]().__dask_graph__()),
                chunks=f"{chunks} ({np.prod([len(c) for c in d.chunks])} chunks)")
    del expected
    if not ok:
        return dict(label=label, shape=shape, info=info, stats={})
    for fn in impls.values():  # warm-up: imports and first-touch allocations in the workers
        fn()
    samples = {name: [] for name in impls}
    for _ in range(repeats):
        for name, fn in impls.items():
            samples[name].append(timed(fn))
    stats = {name: float(np.median(s)) for name, s in samples.items()}
    print(f"{label:<20} " + ", ".join(f"{n} {fmt_ms(t)} ms" for n, t in stats.items()), flush=True)
    info["placement"] = (f"before the runs {placed}, after them {placement(client, d)} "
                         f"(dask-image's last copy: {placement(client, copies['d'])})")
    client.cancel([d, copies["d"]])
    return dict(label=label, shape=shape, info=info, stats=stats, samples=samples)


def gather_blocks(client, d):
    """d's values in this process, each chunk sent by the worker that holds it.  (d.compute()
    would first gather every chunk on one worker, and the active memory manager would then
    drop the other copies: all of d on one worker, half the cluster idle.)"""
    from distributed import futures_of

    futures = {f.key: f for f in futures_of(d)}
    values = dict(zip(futures, client.gather(list(futures.values()))))

    def block(keys):
        return [block(k) for k in keys] if isinstance(keys, list) else values[keys]
    return np.block(block(d.__dask_keys__()))


def placement(client, d):
    """How many of d's chunks each worker holds (a chunk held twice counts twice)."""
    from distributed import futures_of

    counts = dict.fromkeys(client.scheduler_info()["workers"], 0)
    for workers in client.who_has(futures_of(d)).values():
        for w in workers:
            counts[w] += 1
    return ", ".join(str(n) for n in sorted(counts.values()))


def check(label, lazy, expected, x, g, client, failures):
    """axisconv.dask bit for bit; dask-image to float32 rounding of a K-tap sum."""
    ok = True
    ours = client.compute(lazy["axisconv.dask"]()).result()
    if not np.array_equal(ours, expected):
        failures.append(f"{label}: axisconv.dask differs from in-memory axisconv, max "
                        f"{np.abs(ours - expected).max():.3g}")
        ok = False
    del ours
    theirs = client.compute(lazy["dask-image"]()).result()
    bound = 4 * g.size * np.finfo(np.float32).eps * float(np.abs(x).max())
    err = float(np.abs(theirs.astype(np.float64) - expected).max())
    if not err <= bound:
        failures.append(f"{label}: dask-image differs from axisconv by {err:.3g} > {bound:.3g}")
        ok = False
    print(f"{label:<20} checked: axisconv.dask bitwise {'ok' if ok else 'FAILED'}, dask-image "
          f"max |diff| {err:.2g} (bound {bound:.2g})", flush=True)
    return ok


def write_report(path, header, results, failures, args):
    L = ["# axisconv.dask on a distributed LocalCluster (`bench_dask.py`)", ""]
    L += header_markdown(header)
    L += ["", (f"Cluster: LocalCluster(n_workers={WORKERS}, processes=True, "
               "threads_per_worker=1); axisconv.dask with threads=1 per task. Gaussian sigma "
               "3.75, truncate 4 (K = 31), float32, mode 'reflect'. Medians of "
               f"{args.repeats} round-robin runs after one warm-up; input and output stay on "
               "the cluster (persist + wait). Freed memory: "
               + ("kept in every process (glibc: one arena, no mmap, no trim; see the script's "
                  "docstring)." if args.freed_memory == "keep" else
                  "released to the kernel (glibc's defaults, distributed's trim threshold).")),
          ""]
    L += [("| case | chunks | in memory (2 threads) ms | axisconv.dask ms | dask-image ms | "
           "dask-image / axisconv.dask (target >= 10) | axisconv.dask / in memory "
           "(target <= 2) | threaded scheduler ms |"), "|" + " --- |" * 8]
    for r in results:
        s = r["stats"]
        if not s:
            L.append(f"| {r['label']} | {r['info']['chunks']} | check failed, not timed |"
                     + " |" * 5)
            continue
        ours, theirs, mem = s["axisconv.dask"], s["dask-image"], s["in memory"]
        L.append(f"| {r['label']} | {r['info']['chunks']} | {fmt_ms(mem)} | {fmt_ms(ours)} | "
                 f"{fmt_ms(theirs)} | {theirs / ours:.1f}x | {ours / mem:.2f}x | "
                 f"{fmt_ms(s['threaded scheduler'])} |")
    L += ["", "Input chunks per worker, as the scheduler placed them when the input was "
          "persisted (a chunk held by two workers counts twice; dask-image filters a copy made "
          "where the input is, afresh before each of its runs):", ""]
    L += [f"- {r['label']}: {r['info'].get('placement', 'not timed')}" for r in results]
    L += ["", "All samples (ms):", ""]
    for r in results:
        for name, values in r.get("samples", {}).items():
            L.append(f"- {r['label']}, {name}: " + ", ".join(fmt_ms(v) for v in values))
    if failures:
        L += ["", "## Problems", ""] + [f"- {f}" for f in failures]
    text = "\n".join(L) + "\n"
    with open(path, "w") as f:
        f.write(text)
    return text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="small cases, 2 repeats (checks the script)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS_dask.md"))
    ap.add_argument("--repeats", type=int, default=None,
                    help="timed runs per library (default 9, quick 2)")
    ap.add_argument("--freed-memory", choices=("keep", "release"), default="keep",
                    help="keep freed memory in the processes (default) or let glibc "
                         "return it to the kernel (see the module docstring)")
    args = ap.parse_args(argv)
    args.repeats = args.repeats or (2 if args.quick else 9)
    if args.freed_memory == "keep":
        keep_freed_memory(argv)

    from importlib.metadata import version

    import dask
    import distributed

    import axisconv

    started = _dt.datetime.now().astimezone()
    load0 = loadavg()
    t_start = time.perf_counter()
    versions = [f"axisconv {axisconv.__version__}", f"numpy {np.__version__}",
                f"dask {dask.__version__}", f"distributed {distributed.__version__}",
                f"dask-image {version('dask-image')}", f"scipy {version('scipy')}"]
    header = build_header(machine_info(), started, argv, versions, axisconv._simd_path())
    print(f"bench_dask: {command_line(argv)}", flush=True)
    results, failures = [], []
    env = KEEP_FREED_MEMORY if args.freed_memory == "keep" else {}
    dask.config.set({"distributed.nanny.pre-spawn-environ": env})
    cluster = distributed.LocalCluster(n_workers=WORKERS, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    with cluster, distributed.Client(cluster) as client:
        for label, shape, chunks, axes in cases(args.quick):
            results.append(run_case(label, shape, chunks, axes, client, args.repeats, failures))
    finish_header(header, t_start, load0, loadavg())
    print(write_report(args.out, header, results, failures, args))
    print(f"results written to {args.out}")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
