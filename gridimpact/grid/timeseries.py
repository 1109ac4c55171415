"""Hourly (e.g. 8760-h) AC power flow of the network with a time-varying campus.

Every step is an intact-system AC power flow solved by lightsim2grid's
TimeSeriesCPP and checked against the N-0 criteria of the case. Optionally
(``n1=True`` or :func:`run_timeseries_n1`) every single line and transformer
outage is solved at every step too: one chained TimeSeriesCPP run over all
steps per outage, on a copy of the grid with that branch switched off, and each
step is checked against the N-1 criteria.

References
----------
.. [1] lightsim2grid documentation, "Time Series",
   https://lightsim2grid.readthedocs.io/en/latest/time_series.html
.. [2] NERC TPL-001-5.1, Table 1 (categories P0 and P1 performance requirements).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.engine import (
    BatchSolution,
    FloatArray,
    IntArray,
    Topology,
    map_timeseries_outages,
    solve_timeseries,
)
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.n1 import all_branch_outages


@dataclass(frozen=True)
class TimeSeriesN1Result:
    """N-1 at every step of a time series.

    Attributes
    ----------
    poi_bus : str
    hourly : DataFrame
        Indexed like the inputs: ``n1_violation`` (bool: any outage diverged,
        islanded buses or broke the N-1 criteria), ``n_violating_contingencies``,
        ``all_converged`` (every outage solved and converged; False if one
        islands buses), ``max_loading_percent``, ``max_loading_branch``,
        ``max_loading_contingency``, ``min_vm_pu``, ``min_vm_bus``,
        ``min_vm_contingency``, ``max_vm_pu`` (worst post-contingency values of
        the step over all outages; NaN/"" if no outage converged).
    contingencies : DataFrame
        Per outage: ``contingency, kind, islanded_buses, hours_diverged,
        hours_violating, max_loading_percent, max_loading_branch,
        max_loading_step, min_vm_pu, min_vm_bus, min_vm_step``.
    hours, n_contingencies, hours_with_violation : int
    worst_loading_percent : float
        Highest post-contingency branch loading over the year.
    worst_loading_branch, worst_loading_contingency : str
    worst_loading_step : object
        Index label of that step (None if nothing converged).
    min_vm_pu : float
        Lowest post-contingency bus voltage over the year.
    min_vm_bus, min_vm_contingency : str
    min_vm_step : object
    wall_time_s : float
        Solver wall-clock time.
    note : str
    """

    poi_bus: str
    hourly: pd.DataFrame
    contingencies: pd.DataFrame
    hours: int
    n_contingencies: int
    hours_with_violation: int
    worst_loading_percent: float
    worst_loading_branch: str
    worst_loading_contingency: str
    worst_loading_step: object
    min_vm_pu: float
    min_vm_bus: str
    min_vm_contingency: str
    min_vm_step: object
    wall_time_s: float
    note: str


@dataclass(frozen=True)
class TimeSeriesResult:
    """Hourly grid results.

    Attributes
    ----------
    poi_bus : str
    hourly : DataFrame
        Indexed like the inputs: ``campus_p_mw, campus_q_mvar, background_scale,
        converged, poi_vm_pu, min_vm_pu, max_vm_pu, max_loading_percent,
        max_loading_branch, n_violations`` (N-0 criteria).
    branch_loading_percent : DataFrame
        Indexed like the inputs, one column per in-service branch.
    hours, hours_converged, hours_with_violation : int
    worst_loading_percent : float
    worst_loading_branch : str
    worst_loading_step : object
        Index label of the worst step (None if nothing converged).
    min_poi_vm_pu : float
    note : str
    n1 : TimeSeriesN1Result or None
        N-1 at every step (only with ``run_timeseries(..., n1=True)``).
    """

    poi_bus: str
    hourly: pd.DataFrame
    branch_loading_percent: pd.DataFrame
    hours: int
    hours_converged: int
    hours_with_violation: int
    worst_loading_percent: float
    worst_loading_branch: str
    worst_loading_step: object
    min_poi_vm_pu: float
    note: str
    n1: TimeSeriesN1Result | None = None


def _aligned(
    campus_p_mw: pd.Series, campus_q_mvar: pd.Series, background_scale: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not (
        campus_p_mw.index.equals(campus_q_mvar.index)
        and campus_p_mw.index.equals(background_scale.index)
    ):
        raise ValueError("campus_p_mw, campus_q_mvar and background_scale need the same index")
    return (
        campus_p_mw.to_numpy(float),
        campus_q_mvar.to_numpy(float),
        background_scale.to_numpy(float),
    )


def _loading_frame(topo: Topology, batch: BatchSolution, index: pd.Index) -> pd.DataFrame:
    names = [n for n, m in zip(topo.line_names, topo.line_in_service, strict=True) if m]
    names += [n for n, m in zip(topo.trafo_names, topo.trafo_in_service, strict=True) if m]
    matrix = np.hstack(
        [
            batch.line_loading_percent[:, topo.line_in_service],
            batch.trafo_loading_percent[:, topo.trafo_in_service],
        ]
    )
    return pd.DataFrame(matrix, index=index, columns=names)


def _violation_counts(
    model: NetworkModel, batch: BatchSolution, loading: pd.DataFrame
) -> np.ndarray:
    c = model.criteria
    vm = np.nan_to_num(batch.vm_pu, nan=1.0)
    over = (loading.fillna(0.0).to_numpy() > c.max_loading_n0_percent).sum(axis=1)
    volt = ((vm < c.vm_min_n0_pu) | (vm > c.vm_max_n0_pu)).sum(axis=1)
    return np.asarray(over + volt, dtype=np.int64)


def run_timeseries(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    n1: bool = False,
) -> TimeSeriesResult:
    """AC power flow of every step of a campus / background-load time series.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar : Series
        Campus demand per step (MW, Mvar; positive = consumption).
    background_scale : Series
        Background-load multiplier per step (1.0 = modelled summer peak).
        All three share one index (e.g. 8,760 hourly timestamps).
    n1 : bool
        Also run the N-1 analysis at every step (:func:`run_timeseries_n1`);
        the result is then in ``TimeSeriesResult.n1``.

    Returns
    -------
    TimeSeriesResult
        Diverged steps are reported (``converged=False``, NaN numbers), never raised.

    Raises
    ------
    ValueError
        If the three series do not share the same index.
    """
    p, q, s = _aligned(campus_p_mw, campus_q_mvar, background_scale)
    topo = model.topology
    batch = solve_timeseries(model.lsgrid, topo, p, q, s)
    index = campus_p_mw.index
    loading = _loading_frame(topo, batch, index)
    filled = loading.fillna(-1.0)
    row_max = loading.max(axis=1, skipna=True)
    counts = _violation_counts(model, batch, loading)
    hourly = pd.DataFrame(
        {
            "campus_p_mw": p,
            "campus_q_mvar": q,
            "background_scale": s,
            "converged": batch.converged,
            "poi_vm_pu": batch.vm_pu[:, model.poi_index],
            "min_vm_pu": np.min(np.where(batch.converged[:, None], batch.vm_pu, np.inf), axis=1),
            "max_vm_pu": np.max(np.where(batch.converged[:, None], batch.vm_pu, -np.inf), axis=1),
            "max_loading_percent": row_max.to_numpy(float),
            "max_loading_branch": np.where(batch.converged, filled.idxmax(axis=1), ""),
            "n_violations": np.where(batch.converged, counts, 0),
        },
        index=index,
    )
    hourly.loc[~batch.converged, ["min_vm_pu", "max_vm_pu"]] = np.nan
    n_ok = int(batch.converged.sum())
    worst = hourly.max_loading_percent.idxmax() if n_ok else None
    n_bad = int((hourly.n_violations > 0).sum())
    return TimeSeriesResult(
        poi_bus=model.poi_bus,
        hourly=hourly,
        branch_loading_percent=loading,
        hours=len(hourly),
        hours_converged=n_ok,
        hours_with_violation=n_bad,
        worst_loading_percent=float(hourly.max_loading_percent.max()) if n_ok else float("nan"),
        worst_loading_branch=str(hourly.max_loading_branch[worst]) if n_ok else "",
        worst_loading_step=worst,
        min_poi_vm_pu=float(hourly.poi_vm_pu.min()) if n_ok else float("nan"),
        note=(
            f"{len(hourly)} steps, {n_ok} converged, {n_bad} with N-0 violations "
            f"({len(hourly) - n_ok} diverged)"
        ),
        n1=(
            _n1_where_intact_converged(
                model, campus_p_mw, campus_q_mvar, background_scale, batch.converged
            )
            if n1
            else None
        ),
    )


def _n1_where_intact_converged(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    converged: npt.NDArray[np.bool_],
) -> TimeSeriesN1Result:
    """Hourly N-1 on the hours whose intact case converged; the others count as violations.

    N-1 of an operating point that has no intact solution is meaningless, and
    solving every outage of every diverged hour from scratch is what made a
    5 GW campus take minutes; those hours are flagged (``all_converged`` False,
    ``n1_violation`` True) without being solved.
    """
    ok = np.asarray(converged, dtype=bool)
    if ok.all():
        return run_timeseries_n1(model, campus_p_mw, campus_q_mvar, background_scale)
    index = campus_p_mw.index
    n_bad = int((~ok).sum())
    if ok.any():
        sub = run_timeseries_n1(model, campus_p_mw[ok], campus_q_mvar[ok], background_scale[ok])
        hourly = sub.hourly.reindex(index)
        contingencies, base = sub.contingencies, sub
    else:
        hourly = pd.DataFrame(
            index=index, columns=["max_loading_percent", "min_vm_pu"], dtype=float
        )
        contingencies, base = pd.DataFrame(), None
    hourly["n1_violation"] = np.where(ok, hourly.get("n1_violation", False), True).astype(bool)
    hourly["all_converged"] = np.where(ok, hourly.get("all_converged", True), False).astype(bool)
    hourly["n_violating_contingencies"] = (
        hourly.get("n_violating_contingencies", pd.Series(0, index=index)).fillna(0).astype(int)
    )
    note = (
        f"{n_bad} of {len(index)} steps have no intact solution: N-1 not evaluated there and "
        "counted as violations"
    )
    if base is None:
        nan = float("nan")
        return TimeSeriesN1Result(
            poi_bus=model.poi_bus,
            hourly=hourly,
            contingencies=contingencies,
            hours=len(index),
            n_contingencies=len(all_branch_outages(model.topology)),
            hours_with_violation=len(index),
            worst_loading_percent=nan,
            worst_loading_branch="",
            worst_loading_contingency="",
            worst_loading_step=None,
            min_vm_pu=nan,
            min_vm_bus="",
            min_vm_contingency="",
            min_vm_step=None,
            wall_time_s=0.0,
            note=note,
        )
    return replace(
        base,
        hourly=hourly,
        hours=len(index),
        hours_with_violation=int(hourly["n1_violation"].sum()),
        note=f"{base.note}; {note}",
    )


def _label(names: tuple[str, ...] | list[str], idx: np.ndarray, valid: np.ndarray) -> np.ndarray:
    arr = np.asarray([*names, ""], dtype=object)
    return np.asarray(arr[np.where(valid, idx, len(names))], dtype=object)


@dataclass(frozen=True)
class _OutageYear:
    """Per-step reductions of one outage's time series (what is kept in memory)."""

    islands: int
    ok: npt.NDArray[np.bool_]
    bad: npt.NDArray[np.bool_]
    max_loading: FloatArray
    max_branch: IntArray
    min_vm: FloatArray
    min_bus: IntArray
    max_vm: FloatArray


def _reduce_outage(
    topo: Topology, crit: GridCriteria, islands: int, batch: BatchSolution
) -> _OutageYear:
    ok = batch.converged
    n = len(ok)
    loading = np.hstack(
        [
            batch.line_loading_percent[:, topo.line_in_service],
            batch.trafo_loading_percent[:, topo.trafo_in_service],
        ]
    )
    loading = np.where(ok[:, None], loading, -np.inf)
    vm_lo = np.where(ok[:, None], batch.vm_pu, np.inf)
    rows = np.arange(n)
    br = np.argmax(loading, axis=1)
    lmax = loading[rows, br]
    bus = np.argmin(vm_lo, axis=1)
    vmin = vm_lo[rows, bus]
    vmax = np.where(ok[:, None], batch.vm_pu, -np.inf).max(axis=1)
    bad = (
        ~ok
        | (lmax > crit.max_loading_n1_percent)
        | (vmin < crit.vm_min_n1_pu)
        | (vmax > crit.vm_max_n1_pu)
    )
    return _OutageYear(islands, ok, bad, lmax, br, vmin, bus, vmax)


def run_timeseries_n1(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    workers: int | None = None,
) -> TimeSeriesN1Result:
    """N-1 analysis (every single line and transformer outage) at every step.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar, background_scale : Series
        As for :func:`run_timeseries` (one shared index).
    workers : int, optional
        Threads solving outages concurrently (default: up to 2, the CPU count);
        the results do not depend on it.

    Returns
    -------
    TimeSeriesN1Result
        Per step the worst post-contingency loading and voltage and whether any
        outage breaks the N-1 criteria (``model.criteria``); per outage a
        yearly summary. Divergence and islanding are violations, never raised.

    Raises
    ------
    ValueError
        If the three series do not share the same index.

    Notes
    -----
    Each outage is one lightsim2grid TimeSeriesCPP run over all steps on a grid
    copy with that branch switched off (each step warm-started from the
    previous one), so the cost is ``n_outages x n_steps`` Newton-Raphson solves
    in C++ with no per-step Python; outages run on ``workers`` threads (the
    C++ solver releases the GIL) and are reduced to per-step worst values as
    soon as they are solved.

    References
    ----------
    .. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
       Requirements", Table 1, category P1, 2020.
    .. [2] lightsim2grid documentation, "Time Series",
       https://lightsim2grid.readthedocs.io/en/latest/time_series.html
    """
    p, q, s = _aligned(campus_p_mw, campus_q_mvar, background_scale)
    topo, crit = model.topology, model.criteria
    index = campus_p_mw.index
    outages = all_branch_outages(topo)
    cont_names = [topo.line_names[i] if k == "line" else topo.trafo_names[i] for k, i in outages]
    br_names = [n for n, m in zip(topo.line_names, topo.line_in_service, strict=True) if m]
    br_names += [n for n, m in zip(topo.trafo_names, topo.trafo_in_service, strict=True) if m]
    n = len(p)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    t0 = time.perf_counter()
    years = map_timeseries_outages(
        model.lsgrid,
        topo,
        p,
        q,
        s,
        outages,
        lambda islands, batch: _reduce_outage(topo, crit, islands, batch),
        n_workers,
    )
    best_load = np.full(n, -np.inf)
    best_load_br = np.zeros(n, dtype=np.int64)
    best_load_ct = np.zeros(n, dtype=np.int64)
    low_vm = np.full(n, np.inf)
    low_vm_bus = np.zeros(n, dtype=np.int64)
    low_vm_ct = np.zeros(n, dtype=np.int64)
    high_vm = np.full(n, -np.inf)
    n_bad = np.zeros(n, dtype=np.int64)
    all_ok = np.ones(n, dtype=bool)
    rows = []
    for c, yr in enumerate(years):
        all_ok &= yr.ok
        n_bad += yr.bad
        up = yr.max_loading > best_load
        best_load[up], best_load_br[up], best_load_ct[up] = yr.max_loading[up], yr.max_branch[up], c
        down = yr.min_vm < low_vm
        low_vm[down], low_vm_bus[down], low_vm_ct[down] = yr.min_vm[down], yr.min_bus[down], c
        high_vm = np.maximum(high_vm, yr.max_vm)
        any_ok = bool(yr.ok.any())
        t_load = int(np.argmax(yr.max_loading)) if any_ok else 0
        t_vm = int(np.argmin(yr.min_vm)) if any_ok else 0
        rows.append(
            (
                cont_names[c],
                outages[c][0],
                yr.islands,
                int((~yr.ok).sum()) if not yr.islands else 0,
                int(yr.bad.sum()),
                float(yr.max_loading[t_load]) if any_ok else np.nan,
                br_names[yr.max_branch[t_load]] if any_ok else "",
                index[t_load] if any_ok else None,
                float(yr.min_vm[t_vm]) if any_ok else np.nan,
                topo.bus_names[yr.min_bus[t_vm]] if any_ok else "",
                index[t_vm] if any_ok else None,
            )
        )
    wall = time.perf_counter() - t0
    has_load, has_vm = np.isfinite(best_load), np.isfinite(low_vm)
    hourly = pd.DataFrame(
        {
            "n1_violation": n_bad > 0,
            "n_violating_contingencies": n_bad,
            "all_converged": all_ok,
            "max_loading_percent": np.where(has_load, best_load, np.nan),
            "max_loading_branch": _label(br_names, best_load_br, has_load),
            "max_loading_contingency": _label(cont_names, best_load_ct, has_load),
            "min_vm_pu": np.where(has_vm, low_vm, np.nan),
            "min_vm_bus": _label(topo.bus_names, low_vm_bus, has_vm),
            "min_vm_contingency": _label(cont_names, low_vm_ct, has_vm),
            "max_vm_pu": np.where(np.isfinite(high_vm), high_vm, np.nan),
        },
        index=index,
    )
    contingencies = pd.DataFrame(
        rows,
        columns=[
            "contingency",
            "kind",
            "islanded_buses",
            "hours_diverged",
            "hours_violating",
            "max_loading_percent",
            "max_loading_branch",
            "max_loading_step",
            "min_vm_pu",
            "min_vm_bus",
            "min_vm_step",
        ],
    )
    n_viol = int(hourly.n1_violation.sum())
    if has_load.any():
        t_w = int(np.argmax(np.where(has_load, best_load, -np.inf)))
        worst = (
            float(best_load[t_w]),
            str(hourly.max_loading_branch.iloc[t_w]),
            str(hourly.max_loading_contingency.iloc[t_w]),
            index[t_w],
        )
    else:
        worst = (float("nan"), "", "", None)
    if has_vm.any():
        t_v = int(np.argmin(np.where(has_vm, low_vm, np.inf)))
        low = (
            float(low_vm[t_v]),
            str(hourly.min_vm_bus.iloc[t_v]),
            str(hourly.min_vm_contingency.iloc[t_v]),
            index[t_v],
        )
    else:
        low = (float("nan"), "", "", None)
    return TimeSeriesN1Result(
        poi_bus=model.poi_bus,
        hourly=hourly,
        contingencies=contingencies,
        hours=n,
        n_contingencies=len(outages),
        hours_with_violation=n_viol,
        worst_loading_percent=worst[0],
        worst_loading_branch=worst[1],
        worst_loading_contingency=worst[2],
        worst_loading_step=worst[3],
        min_vm_pu=low[0],
        min_vm_bus=low[1],
        min_vm_contingency=low[2],
        min_vm_step=low[3],
        wall_time_s=wall,
        note=(
            f"N-1 at {n} steps x {len(outages)} outages: {n_viol} step(s) with a violation; "
            f"worst {worst[0]:.1f} % on {worst[1] or '-'} after loss of {worst[2] or '-'}; "
            f"lowest {low[0]:.3f} pu at {low[1] or '-'}"
        ),
    )
