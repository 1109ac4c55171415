"""Speed of the grid engine against pandapower and against raw lightsim2grid.

Run ``python benchmarks/bench_solvers.py`` (``make bench``). On the
representative Memphis network with 150 MW at the Colossus 1 POI it prints,
in one run:

* one AC power flow: ``pandapower.runpp`` vs :func:`gridimpact.grid.engine.solve`;
* time series, per step: ``pandapower.timeseries.run_timeseries`` (``--pp-steps``
  steps) vs :func:`gridimpact.grid.run_timeseries` (8,760 steps) vs raw
  lightsim2grid ``TimeSeriesCPP.compute_Vs`` + ``compute_branch_results`` on a
  pre-built grid (no gridimpact code in the timed region);
* N-1, per contingency: ``pandapower.contingency.run_contingency`` vs
  :func:`gridimpact.grid.run_n1` and the engine call it wraps
  (:func:`gridimpact.grid.engine.solve_outages`) vs raw
  ``ContingencyAnalysisCPP.compute`` + ``compute_branch_results`` on a pre-built grid;
* the full-year hourly N-1 (:func:`gridimpact.grid.run_timeseries_n1`, 8,760 h
  x every outage) wall time, and its raw-lightsim2grid floor (one
  ``TimeSeriesCPP`` run per outage, sequential).

Ratios only, no assertions. Targets: >= 50x faster than pandapower, within 2x
of raw lightsim2grid.
"""

from __future__ import annotations

import argparse
import logging
import pathlib
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import pandapower as pp
import pandapower.contingency as ppc
import pandas as pd

from gridimpact.case.grid import GridSection
from gridimpact.grid import load_network, run_n1, run_timeseries, run_timeseries_n1
from gridimpact.grid.engine import (
    MAX_ITERATIONS,
    TOLERANCE_PU,
    flat_start,
    set_injections,
    solve,
    solve_outages,
    timeseries_injections,
)
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.n1 import all_branch_outages

POI = "Colossus1 POI 161kV"
CAMPUS_P_MW, CAMPUS_Q_MVAR = 150.0, 49.3
HOURS = 8760

Net: TypeAlias = pp.pandapowerNet
Row: TypeAlias = tuple[str, float, float, float]
"""(study, pandapower s, gridimpact s, raw lightsim2grid s) per unit of work."""


def best_of(func: Callable[[], object], repeat: int) -> float:
    """Shortest wall-clock time of ``repeat`` calls, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def model_and_net() -> tuple[NetworkModel, Net]:
    sourced = {"unit": "MW", "source": "benchmark", "confidence": "estimate"}
    section = GridSection(
        poi_bus=POI,
        utility_name="MLGW",
        utility_peak_mw={"value": 3000.0, **sourced},
        system_peak_mw={"value": 31000.0, **sourced},
    )
    model = load_network(section, pathlib.Path("."))
    net = build_memphis_net()
    poi = int(net.bus.index[net.bus.name == POI][0])
    pp.create_load(net, poi, p_mw=CAMPUS_P_MW, q_mvar=CAMPUS_Q_MVAR, name="campus")
    net.line["max_loading_percent"] = 100.0
    net.trafo["max_loading_percent"] = 100.0
    return model, net


def prepared_grid(model: NetworkModel, p_mw: float, q_mvar: float) -> Any:
    """A lightsim2grid grid with the operating point set (built outside any timing)."""
    grid = model.lsgrid.copy()
    set_injections(grid, model.topology, p_mw, q_mvar, 1.0)
    return grid


def bench_power_flow(model: NetworkModel, net: Net, repeat: int) -> Row:
    topo = model.topology
    grid = prepared_grid(model, CAMPUS_P_MW, CAMPUS_Q_MVAR)
    v0 = flat_start(topo)
    t_pp = best_of(lambda: pp.runpp(net, numba=False), repeat)
    t_gi = best_of(lambda: solve(model.lsgrid, topo, CAMPUS_P_MW, CAMPUS_Q_MVAR), repeat)
    t_raw = best_of(lambda: grid.ac_pf(v0, MAX_ITERATIONS, TOLERANCE_PU), repeat)
    return "one AC power flow", t_pp, t_gi, t_raw


def bench_n1(model: NetworkModel, net: Net, repeat: int) -> list[Row]:
    from lightsim2grid.lightsim2grid_cpp import ContingencyAnalysisCPP

    cases = {
        "line": {"index": net.line.index.tolist()},
        "trafo": {"index": net.trafo.index.tolist()},
    }
    topo = model.topology
    outages = all_branch_outages(topo)
    n = len(outages)
    nl = len(topo.line_names)
    grid = prepared_grid(model, CAMPUS_P_MW, CAMPUS_Q_MVAR)
    v0 = grid.ac_pf(flat_start(topo), MAX_ITERATIONS, TOLERANCE_PU)
    ca = ContingencyAnalysisCPP(grid)
    ca.add_multiple_n1([i if k == "line" else nl + i for k, i in outages])

    def raw() -> None:
        ca.compute(v0, MAX_ITERATIONS, TOLERANCE_PU)
        ca.get_voltages()
        ca.compute_branch_results()

    t_pp = best_of(lambda: ppc.run_contingency(net, cases, numba=False), max(1, repeat // 10))
    t_engine = best_of(
        lambda: solve_outages(model.lsgrid, topo, CAMPUS_P_MW, CAMPUS_Q_MVAR, 1.0, outages),
        repeat,
    )
    t_study = best_of(lambda: run_n1(model, CAMPUS_P_MW, CAMPUS_Q_MVAR), max(1, repeat // 4))
    t_raw = best_of(raw, repeat)
    return [
        (f"N-1 engine (solve_outages), per outage of {n}", t_pp / n, t_engine / n, t_raw / n),
        (f"N-1 study (run_n1, tables), per outage of {n}", t_pp / n, t_study / n, t_raw / n),
    ]


def _profiles(n: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    rng = np.random.default_rng(0)
    idx = pd.RangeIndex(n)
    p = pd.Series(CAMPUS_P_MW * (0.9 + 0.1 * rng.random(n)), idx)
    return p, p * CAMPUS_Q_MVAR / CAMPUS_P_MW, pd.Series(0.55 + 0.45 * rng.random(n), idx)


def _pp_controllers(net: Net, p: pd.Series, q: pd.Series, scale: pd.Series) -> None:
    """ConstControl profiles for every load (background scaled, campus as given)."""
    from pandapower.control import ConstControl
    from pandapower.timeseries import DFData

    n = len(p)
    campus = net.load.name == "campus"
    base_p = net.load.p_mw.to_numpy() * np.where(campus, 0.0, 1.0)
    base_q = net.load.q_mvar.to_numpy() * np.where(campus, 0.0, 1.0)
    p_mw = np.outer(scale.to_numpy(), base_p) + np.outer(p.to_numpy(), campus)
    q_mvar = np.outer(scale.to_numpy(), base_q) + np.outer(q.to_numpy(), campus)
    cols_p = [f"p_{i}" for i in net.load.index]
    cols_q = [f"q_{i}" for i in net.load.index]
    data = DFData(
        pd.DataFrame(np.hstack([p_mw, q_mvar]), index=pd.RangeIndex(n), columns=cols_p + cols_q)
    )
    idx = list(net.load.index)
    ConstControl(net, "load", "p_mw", element_index=idx, data_source=data, profile_name=cols_p)
    ConstControl(net, "load", "q_mvar", element_index=idx, data_source=data, profile_name=cols_q)


def _raw_timeseries(model: NetworkModel, p: pd.Series, q: pd.Series, s: pd.Series) -> Any:
    """A callable running TimeSeriesCPP on a pre-built grid with pre-built injections."""
    from lightsim2grid.lightsim2grid_cpp import TimeSeriesCPP

    topo = model.topology
    grid = prepared_grid(model, 0.0, 0.0)
    gen_p, load_p, load_q = timeseries_injections(
        grid, topo, p.to_numpy(float), q.to_numpy(float), s.to_numpy(float)
    )
    sgen_p = np.zeros((len(p), len(grid.get_sgen_target_p())))
    v0 = flat_start(topo)

    def run(g: Any = grid) -> None:
        ts = TimeSeriesCPP(g)
        ts.compute_Vs(gen_p, sgen_p, load_p, load_q, v0, MAX_ITERATIONS, TOLERANCE_PU)
        ts.get_voltages()
        ts.compute_branch_results()

    return run


def bench_timeseries(model: NetworkModel, net: Net, pp_steps: int, repeat: int) -> Row:
    from pandapower.timeseries import OutputWriter
    from pandapower.timeseries import run_timeseries as pp_run_timeseries

    p, q, scale = _profiles(HOURS)
    t_gi = best_of(lambda: run_timeseries(model, p, q, scale), max(1, repeat // 5))
    t_raw = best_of(_raw_timeseries(model, p, q, scale), max(1, repeat // 5))
    _pp_controllers(net, p.iloc[:pp_steps], q.iloc[:pp_steps], scale.iloc[:pp_steps])
    steps = range(pp_steps)
    OutputWriter(net, time_steps=steps, output_path=None, log_variables=[("res_bus", "vm_pu")])
    t0 = time.perf_counter()
    pp_run_timeseries(net, time_steps=steps, numba=False, verbose=False)
    t_pp = (time.perf_counter() - t0) / pp_steps
    return "time series, per step", t_pp, t_gi / HOURS, t_raw / HOURS


def bench_year_n1(model: NetworkModel) -> tuple[float, float, float, int]:
    """(gridimpact wall s with 2 threads, with 1 thread, raw sequential floor s, outages)."""
    p, q, scale = _profiles(HOURS)
    t2 = run_timeseries_n1(model, p, q, scale, workers=2).wall_time_s
    t1 = run_timeseries_n1(model, p, q, scale, workers=1).wall_time_s
    topo = model.topology
    outages = all_branch_outages(topo)
    grid = prepared_grid(model, 0.0, 0.0)
    raw = 0.0
    for kind, i in outages:
        g = grid.copy()
        if kind == "line":
            g.deactivate_powerline(int(i))
        else:
            g.deactivate_trafo(int(i))
        run = _raw_timeseries(model, p, q, scale)
        t0 = time.perf_counter()
        run(g)
        raw += time.perf_counter() - t0
    return t2, t1, raw, len(outages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="repetitions (best time is kept)")
    parser.add_argument(
        "--pp-steps", type=int, default=200, help="pandapower time-series steps to time"
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    model, net = model_and_net()
    topo = model.topology
    rows = [bench_power_flow(model, net, args.repeat)]
    rows.append(bench_timeseries(model, net, args.pp_steps, args.repeat))
    rows += bench_n1(model, net, args.repeat)
    print(
        f"Representative Memphis network: {topo.n_bus} buses, {len(topo.line_names)} lines, "
        f"{len(topo.trafo_names)} transformers; {CAMPUS_P_MW:.0f} MW at {POI}"
    )
    head = (
        f"{'study (time per unit)':<48} {'pandapower':>11} {'gridimpact':>11} {'raw ls2g':>11} "
        f"{'pp/gi':>7} {'gi/raw':>7}"
    )
    print(head)
    for name, t_pp, t_gi, t_raw in rows:
        print(
            f"{name:<48} {t_pp * 1e3:>9.3f}ms {t_gi * 1e3:>9.3f}ms {t_raw * 1e3:>9.3f}ms "
            f"{t_pp / t_gi:>6.0f}x {t_gi / t_raw:>6.2f}x"
        )
    t2, t1, raw, n_out = bench_year_n1(model)
    print(
        f"full-year hourly N-1 ({HOURS} h x {n_out} outages = {HOURS * n_out:,} AC power flows): "
        f"gridimpact {t2:.2f} s (2 threads), {t1:.2f} s (1 thread); raw TimeSeriesCPP floor "
        f"{raw:.2f} s sequential; gi(1 thread)/raw {t1 / raw:.2f}x"
    )


if __name__ == "__main__":
    main()
