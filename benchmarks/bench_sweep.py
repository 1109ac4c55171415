"""Speed-up of a parameter sweep on dask.distributed: 1 worker vs 2 workers.

Run ``python benchmarks/bench_sweep.py``. It sweeps ``compute.gpu_count`` of
``cases/colossus_100k.toml`` over 8 points (60,000 to 130,000 GPUs), each a full
study plus its run folder, once on a ``LocalCluster`` of 1 worker and once of 2
workers (fresh output folders, so nothing is reused), and prints:

* the wall time of :func:`gridimpact.sweep.run_sweep` (validation, preflight, cluster
  start, the points, ``sweep.csv`` / figures) and of the points alone (first task
  submitted to last task finished);
* the speed-up of 2 workers over 1, against the target of >= 1.7x on 2 cores;
* the mean run time of one point's task: with perfect scaling it is the same on 1 and
  on 2 workers (a ratio near 1.0); it grows when the workers compete for cores, memory
  bandwidth or disk;
* the cores the sweep used (its process and the workers) and the cores other processes
  used meanwhile, averaged over each run: on a shared machine other processes take cores
  from the workers, and the speed-up then says little.

No assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil  # a dependency of dask.distributed

from gridimpact.sweep import run_sweep, sweep_summary_line

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "cases" / "colossus_100k.toml"
TARGET = 1.7


def _sweep_file(folder: Path, counts: list[int]) -> Path:
    path = folder / "bench_sweep.toml"
    values = ", ".join(str(n) for n in counts)
    text = f'base = "{CASE.as_posix()}"\nname = "bench"\n'
    text += f'[parameters]\n"compute.gpu_count" = [{values}]\n'
    path.write_text(text, encoding="utf-8")
    return path


class CpuMeter:
    """CPU seconds of this process and its children (the workers), and of the machine."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _busy(times: Any) -> float:
        return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))

    def _sample(self) -> None:
        for proc in [self.me, *self.me.children(recursive=True)]:
            try:
                t = proc.cpu_times()
                self.seen[proc.pid] = t.user + t.system
            except psutil.Error:
                pass

    def _loop(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self.start_own = sum(self.seen.values())
        self.start_all = self._busy(psutil.cpu_times())
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        self.own = sum(self.seen.values()) - self.start_own
        self.others = self._busy(psutil.cpu_times()) - self.start_all - self.own


def _run(sweep: Path, out: Path, workers: int) -> tuple[float, float, float]:
    """Wall time of run_sweep, of the cluster being up to the last point, and the mean
    run time of one point's task."""
    marks: dict[str, float] = {}

    def announce(line: str) -> None:
        marks["start"] = time.perf_counter()
        print(f"  {line}", flush=True)

    def progress(done: int, total: int, label: str) -> None:
        marks["end"] = time.perf_counter()
        print(f"  [{done}/{total}] {label}", flush=True)

    start = time.perf_counter()
    with CpuMeter() as cpu:
        result = run_sweep(sweep, out, workers=workers, progress=progress, announce=announce)
    wall = time.perf_counter() - start
    print(f"  {sweep_summary_line(result)}", flush=True)
    print(
        f"  cores used: {cpu.own / wall:.2f} by the sweep, "
        f"{max(cpu.others, 0.0) / wall:.2f} by other processes (of {os.cpu_count()})",
        flush=True,
    )
    if result.failed:
        raise SystemExit(f"{result.failed} point(s) failed: the timing is not comparable")
    tasks = [r["elapsed_s"] for r in result.rows]
    return wall, marks["end"] - marks["start"], sum(tasks) / len(tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=8, help="points (default 8)")
    args = parser.parse_args()
    counts = [60_000 + 10_000 * i for i in range(args.points)]
    print(f"cores: {os.cpu_count()}; sweep: compute.gpu_count = {counts}")
    work = Path(tempfile.mkdtemp(prefix="bench_sweep-"))
    try:
        sweep = _sweep_file(work, counts)
        times = {}
        for workers in (1, 2):
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"{workers} worker(s) (load average before: {load})", flush=True)
            times[workers] = _run(sweep, work / f"out_{workers}", workers)
        print()
        print(f"{'':24}{'1 worker':>12}{'2 workers':>12}{'speed-up':>10}")
        rows = ("run_sweep wall (s)", "points only (s)", "mean point task (s)")
        for i, what in enumerate(rows):
            one, two = times[1][i], times[2][i]
            print(f"{what:24}{one:12.1f}{two:12.1f}{one / two:9.2f}x")
        ratio = times[1][1] / times[2][1]
        verdict = "meets" if ratio >= TARGET else "misses"
        print(f"points-only speed-up {ratio:.2f}x {verdict} the target of >= {TARGET}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
