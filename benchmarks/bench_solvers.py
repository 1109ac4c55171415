"""Speed of the grid engine (lightsim2grid's own API) against the pandapower paths.

Run ``python benchmarks/bench_solvers.py`` (``make bench``). Prints wall-clock
times on the representative Memphis network with 150 MW at the Colossus 1 POI
and the speed-up ratio of each study over the equivalent pandapower call:

* one AC power flow: ``pandapower.runpp`` vs :func:`gridimpact.grid.engine.solve`;
* N-1 of every line and transformer: ``pandapower.contingency.run_contingency``
  vs :func:`gridimpact.grid.engine.solve_outages` (ContingencyAnalysisCPP);
* hourly time series: ``pandapower.timeseries.run_timeseries`` on
  ``--pp-steps`` steps, extrapolated to 8,760 h, vs
  :func:`gridimpact.grid.run_timeseries` on all 8,760 h (TimeSeriesCPP).
"""

from __future__ import annotations

import argparse
import logging
import pathlib
import time
import warnings
from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandapower as pp
import pandapower.contingency as ppc
import pandas as pd

from gridimpact.case.grid import GridSection
from gridimpact.grid import load_network, run_timeseries
from gridimpact.grid.engine import solve, solve_outages
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.n1 import all_branch_outages

POI = "Colossus1 POI 161kV"
CAMPUS_P_MW, CAMPUS_Q_MVAR = 150.0, 49.3
HOURS = 8760


def best_of(func: Callable[[], object], repeat: int) -> float:
    """Shortest wall-clock time of ``repeat`` calls, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def model_and_net() -> tuple[NetworkModel, pp.pandapowerNet]:
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


Net: TypeAlias = pp.pandapowerNet
Times: TypeAlias = tuple[float, float]


def bench_power_flow(model: NetworkModel, net: Net, repeat: int) -> Times:
    topo = model.topology
    t_pp = best_of(lambda: pp.runpp(net, numba=False), repeat)
    t_ls = best_of(lambda: solve(model.lsgrid, topo, CAMPUS_P_MW, CAMPUS_Q_MVAR), repeat)
    return t_pp, t_ls


def bench_n1(model: NetworkModel, net: Net, repeat: int) -> Times:
    cases = {
        "line": {"index": net.line.index.tolist()},
        "trafo": {"index": net.trafo.index.tolist()},
    }
    topo = model.topology
    outages = all_branch_outages(topo)
    t_pp = best_of(lambda: ppc.run_contingency(net, cases, numba=False), max(1, repeat // 10))
    t_ls = best_of(
        lambda: solve_outages(model.lsgrid, topo, CAMPUS_P_MW, CAMPUS_Q_MVAR, 1.0, outages),
        repeat,
    )
    return t_pp, t_ls


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


def bench_timeseries(model: NetworkModel, net: Net, pp_steps: int) -> Times:
    from pandapower.timeseries import OutputWriter
    from pandapower.timeseries import run_timeseries as pp_run_timeseries

    p, q, scale = _profiles(HOURS)
    t0 = time.perf_counter()
    run_timeseries(model, p, q, scale)
    t_ls = time.perf_counter() - t0
    _pp_controllers(net, p.iloc[:pp_steps], q.iloc[:pp_steps], scale.iloc[:pp_steps])
    steps = range(pp_steps)
    OutputWriter(net, time_steps=steps, output_path=None, log_variables=[("res_bus", "vm_pu")])
    t0 = time.perf_counter()
    pp_run_timeseries(net, time_steps=steps, numba=False, verbose=False)
    t_pp = (time.perf_counter() - t0) * HOURS / pp_steps
    return t_pp, t_ls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="repetitions (best time is kept)")
    parser.add_argument(
        "--pp-steps",
        type=int,
        default=200,
        help="pandapower time-series steps to time (extrapolated to 8760)",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    model, net = model_and_net()
    n_out = len(all_branch_outages(model.topology))
    rows = [
        ("one AC power flow", *bench_power_flow(model, net, args.repeat)),
        (f"N-1, {n_out} outages", *bench_n1(model, net, args.repeat)),
        (
            "time series, 8760 h (pandapower extrapolated)",
            *bench_timeseries(model, net, args.pp_steps),
        ),
    ]
    print(
        f"Representative Memphis network: {model.topology.n_bus} buses, "
        f"{len(model.topology.line_names)} lines, {len(model.topology.trafo_names)} transformers"
    )
    print(f"{'study':<48} {'pandapower':>12} {'gridimpact':>12} {'ratio':>8}")
    for name, t_pp, t_ls in rows:
        print(f"{name:<48} {t_pp * 1e3:>10.2f}ms {t_ls * 1e3:>10.2f}ms {t_pp / t_ls:>7.0f}x")


if __name__ == "__main__":
    main()
