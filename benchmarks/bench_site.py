"""Speed of ``site`` (:func:`gridimpact.siting.site_campus`) on the Memphis network.

Run ``python benchmarks/bench_site.py [--case cases/colossus_100k.toml] [--workers 2]``.
The case's weather, rated network and campus load are built once (not timed); then
the hosting searches of every bus at or above the POI's voltage are timed
(``time.perf_counter``):

* sequentially (``executor=None``);
* on a ``ProcessPoolExecutor`` of ``--workers`` spawned processes (one BLAS thread
  each), cold (the pool started inside the timing: worker start-up and imports
  included) and warm (the same pool again);
* on a ``ThreadPoolExecutor`` of ``--workers`` threads;
* on a dask ``LocalCluster`` of ``--workers`` single-threaded worker processes
  (cluster start-up not timed; the model scattered once per run, inside the timing).

Each parallel table is checked against the sequential one (same numbers; the limiting
element of two identical parallel transformers may swap between processes, see
``same``). Target:
``site`` on the Memphis network <= 2 min on 2 cores. Times and ratios only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pathlib
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pandas as pd

from gridimpact.capacity import study_inputs
from gridimpact.case import load_case
from gridimpact.siting import SitingResult, site_campus

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGET_S = 120.0
SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def timed(run: Callable[[], SitingResult]) -> tuple[float, SitingResult]:
    """Wall-clock seconds of one call and its result."""
    t0 = time.perf_counter()
    result = run()
    return time.perf_counter() - t0, result


def same(a: SitingResult, b: SitingResult) -> bool:
    """Whether two siting tables hold the same numbers.

    Text columns are left out: on an exact tie (outage of transformer T1 overloads T2
    as much as the reverse) the hosting search's critical-outage order follows Python's
    string hashing, which differs between processes, so T1 and T2 may swap.
    """
    numbers = a.table.select_dtypes(exclude="object").columns
    try:
        pd.testing.assert_frame_equal(a.table[numbers], b.table[numbers])
    except AssertionError:
        return False
    return list(a.table.bus) == list(b.table.bus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default=str(ROOT / "cases" / "colossus_100k.toml"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    loaded = load_case(args.case)
    t0 = time.perf_counter()
    inputs = study_inputs(loaded)
    print(f"inputs (weather, rated network, campus load): {time.perf_counter() - t0:.2f} s")

    def site(executor: Any = None) -> SitingResult:
        return site_campus(loaded, executor, inputs=inputs)

    t_seq, ref = timed(site)
    print(
        f"sequential: {t_seq:.2f} s for {len(ref.table)} buses "
        f"(target <= {TARGET_S:.0f} s, ratio {t_seq / TARGET_S:.3f})"
    )
    rows: list[tuple[str, float, bool]] = []
    n = args.workers
    # one BLAS/OpenMP thread per worker process, as dask's nanny sets for its workers:
    # without it the spawned workers oversubscribe the cores (measured 2x slower)
    for name in SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")
    context = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(n, mp_context=context) as pool:
        result = site(pool)
        rows.append((f"processes x{n}, cold", time.perf_counter() - t0, same(ref, result)))
        t_warm, result = timed(lambda: site(pool))
        rows.append((f"processes x{n}, warm", t_warm, same(ref, result)))
    with ThreadPoolExecutor(n) as threads:
        t_thr, result = timed(lambda: site(threads))
        rows.append((f"threads x{n}", t_thr, same(ref, result)))
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: skipped")
    else:
        with (
            LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            t_cold, result = timed(lambda: site(client))
            rows.append((f"dask LocalCluster x{n}, first run", t_cold, same(ref, result)))
            t_dask, result = timed(lambda: site(client))
            rows.append((f"dask LocalCluster x{n}, second run", t_dask, same(ref, result)))
    for name, seconds, equal in rows:
        print(
            f"{name}: {seconds:.2f} s, speed-up {t_seq / seconds:.2f}x vs sequential"
            f"{'' if equal else ' (RESULTS DIFFER)'}"
        )


if __name__ == "__main__":
    main()
