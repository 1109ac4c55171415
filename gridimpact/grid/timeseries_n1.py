"""N-1 at every step of a time series (e.g. 8,760 h): brute force or linear screening.

Every single line and transformer outage is solved at every step whose intact
case converged and meets the N-1 criteria: one chained lightsim2grid
TimeSeriesCPP run per outage on a copy of the grid with that branch switched
off, over every step (brute force) or over the steps that the screening of
:mod:`gridimpact.grid.contingency_screening` flags (default). Each step is
checked against the N-1 criteria.

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
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact import progress
from gridimpact.grid.contingency_screening import (
    BaseFlows,
    ScreeningPlan,
    ScreeningSettings,
    _complex_voltage,
    branch_matrix,
    branch_names,
    map_threads,
    plan_screening,
    rows_of,
    solve_base_flows,
    solve_outage_rows,
)
from gridimpact.grid.criteria import GridCriteria, n1_breaks
from gridimpact.grid.engine import (
    BatchSolution,
    BranchKind,
    FloatArray,
    IntArray,
    Topology,
    map_timeseries_outages,
    outage_islands,
    rerated,
    set_injections,
    solve_timeseries,
    timeseries_injections,
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
        Indexed like the inputs: ``n1_violation`` (bool: the intact case has no
        solution or already breaks the N-1 criteria, or an outage diverged,
        islanded buses or broke the N-1 criteria), ``base_exceeds_n1`` (the
        intact case already breaks them; no outage solved, worst values are the
        intact case's, contingency ``INTACT_LABEL``), ``n_violating_contingencies``,
        ``all_converged`` (every outage solved in AC converged; False if one
        islands buses; screened-out pairs count as converged),
        ``max_loading_percent``, ``max_loading_branch``,
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
    ac_pairs: int = 0
    """(step, outage) pairs solved in full AC."""
    screened_pairs: int = 0
    """(step, outage) pairs screened out by the linear estimate (not solved in AC)."""
    screening: str = "none"
    """How the pairs were chosen: ``"none"`` (brute force) or a one-line description."""


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


def _screenable(model: NetworkModel) -> bool:
    """Whether the model runs on lightsim2grid (the screening needs its LODF and solvers)."""
    return getattr(model, "engine", "lightsim2grid") == "lightsim2grid"


def _n1_where_intact_converged(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    intact: BatchSolution,
    flows: BaseFlows | None = None,
    base_exceeds: npt.NDArray[np.bool_] | None = None,
    workers: int | None = None,
    screening: bool = True,
) -> TimeSeriesN1Result:
    """Hourly N-1 on the hours whose intact case converged and meets the N-1 criteria; the
    others count as violations.

    N-1 of an operating point that has no intact solution is meaningless, and
    solving every outage of every diverged hour from scratch is what made a
    5 GW campus take minutes; an hour whose intact case is already outside the
    N-1 criteria (``base_exceeds``: a P0 problem to fix first) fails N-1
    whatever the outage. Those hours are flagged (``n1_violation`` True;
    ``all_converged`` False where the intact case diverged) without being solved;
    where the intact case converged, the hour's worst values are the intact
    case's own (contingency ``INTACT_LABEL``), a lower bound of the
    post-contingency worst.
    """
    converged = intact.converged
    exceeds = np.zeros(len(converged), dtype=bool) if base_exceeds is None else base_exceeds
    ok = np.asarray(converged, dtype=bool) & ~exceeds
    if ok.all():
        return _n1_rows(
            model, campus_p_mw, campus_q_mvar, background_scale, workers, screening, flows
        )
    index = campus_p_mw.index
    n_bad = int((~ok).sum())
    if ok.any():
        sub = _n1_rows(
            model,
            campus_p_mw[ok],
            campus_q_mvar[ok],
            background_scale[ok],
            workers,
            screening,
            rows_of(flows, ok) if flows is not None else None,
        )
        hourly = sub.hourly.reindex(index)
        contingencies, base = sub.contingencies, sub
    else:
        hourly = pd.DataFrame(
            index=index, columns=["max_loading_percent", "min_vm_pu"], dtype=float
        )
        contingencies, base = pd.DataFrame(), None
    hourly["n1_violation"] = np.where(ok, hourly.get("n1_violation", False), True).astype(bool)
    hourly["all_converged"] = np.where(
        ok, hourly.get("all_converged", True), np.asarray(converged, dtype=bool)
    ).astype(bool)
    hourly["base_exceeds_n1"] = exceeds
    _fill_intact(hourly, model.topology_n1, intact, exceeds)
    for column in ("max_loading_branch", "max_loading_contingency", "min_vm_bus"):
        if column in hourly:
            hourly[column] = hourly[column].fillna("")
    hourly["n_violating_contingencies"] = (
        hourly.get("n_violating_contingencies", pd.Series(0, index=index)).fillna(0).astype(int)
    )
    n_diverged = int((~np.asarray(converged, dtype=bool)).sum())
    note = (
        f"{n_bad} of {len(index)} steps not evaluated and counted as violations "
        f"({n_diverged} without an intact solution, {n_bad - n_diverged} whose intact case "
        "already breaks the N-1 criteria)"
    )
    if base is None:
        return TimeSeriesN1Result(
            poi_bus=model.poi_bus,
            hourly=hourly,
            contingencies=contingencies,
            hours=len(index),
            n_contingencies=len(all_branch_outages(model.topology)),
            hours_with_violation=len(index),
            **_year_worst(hourly),
            wall_time_s=0.0,
            note=note,
        )
    return replace(
        base,
        hourly=hourly,
        hours=len(index),
        hours_with_violation=int(hourly["n1_violation"].sum()),
        note=f"{base.note}; {note}",
        **_year_worst(hourly),
    )


INTACT_LABEL = "none (intact case already outside the N-1 criteria)"


def _fill_intact(
    hourly: pd.DataFrame, topo: Topology, intact: BatchSolution, rows: npt.NDArray[np.bool_]
) -> None:
    """Worst values of the steps ``rows`` (not solved for outages) from the intact case."""
    if not rows.any():
        return
    loading = np.nan_to_num(branch_matrix(topo, intact)[rows], nan=-np.inf)
    names = branch_names(topo)
    vm = intact.vm_pu[rows]
    br = np.argmax(loading, axis=1)
    bus = np.argmin(np.nan_to_num(vm, nan=np.inf), axis=1)
    idx = hourly.index[rows]
    for column in (
        "max_loading_branch",
        "max_loading_contingency",
        "min_vm_bus",
        "min_vm_contingency",
    ):
        if column not in hourly:
            hourly[column] = ""
        hourly[column] = hourly[column].astype(object)
    hourly.loc[idx, "max_loading_percent"] = loading[np.arange(len(br)), br]
    hourly.loc[idx, "max_loading_branch"] = np.asarray(names, dtype=object)[br]
    hourly.loc[idx, "max_loading_contingency"] = INTACT_LABEL
    hourly.loc[idx, "min_vm_pu"] = vm[np.arange(len(bus)), bus]
    hourly.loc[idx, "min_vm_bus"] = np.asarray(topo.bus_names, dtype=object)[bus]
    hourly.loc[idx, "min_vm_contingency"] = INTACT_LABEL
    hourly.loc[idx, "max_vm_pu"] = np.nanmax(vm, axis=1)


def _year_worst(hourly: pd.DataFrame) -> dict[str, Any]:
    """Worst loading and lowest voltage of the year from the hourly table (NaN, "" and
    None where no step has a value), as :class:`TimeSeriesN1Result` fields."""
    nan = float("nan")
    out: dict[str, Any] = {
        "worst_loading_percent": nan,
        "worst_loading_branch": "",
        "worst_loading_contingency": "",
        "worst_loading_step": None,
        "min_vm_pu": nan,
        "min_vm_bus": "",
        "min_vm_contingency": "",
        "min_vm_step": None,
    }
    load = pd.to_numeric(hourly.get("max_loading_percent"), errors="coerce")
    if load is not None and load.notna().any():
        t = load.idxmax()
        out.update(
            worst_loading_percent=float(load[t]),
            worst_loading_branch=str(hourly.at[t, "max_loading_branch"]),
            worst_loading_contingency=str(hourly.at[t, "max_loading_contingency"]),
            worst_loading_step=t,
        )
    vm = pd.to_numeric(hourly.get("min_vm_pu"), errors="coerce")
    if vm is not None and vm.notna().any():
        t = vm.idxmin()
        out.update(
            min_vm_pu=float(vm[t]),
            min_vm_bus=str(hourly.at[t, "min_vm_bus"]),
            min_vm_contingency=str(hourly.at[t, "min_vm_contingency"]),
            min_vm_step=t,
        )
    return out


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


def base_exceeds_n1(topo: Topology, crit: GridCriteria, base: BatchSolution) -> np.ndarray:
    """Steps whose intact case already breaks the N-1 criteria (no outage needed)."""
    return np.asarray(base.converged & n1_breaks(crit, branch_matrix(topo, base), base.vm_pu))


def _reduce_outage(
    topo: Topology, crit: GridCriteria, islands: int, batch: BatchSolution
) -> _OutageYear:
    """Per-step worst values of one outage and whether it breaks the N-1 criteria."""
    ok = batch.converged
    n = len(ok)
    loading = np.where(ok[:, None], branch_matrix(topo, batch), -np.inf)
    vm_lo = np.where(ok[:, None], batch.vm_pu, np.inf)
    rows = np.arange(n)
    br = np.argmax(loading, axis=1)
    lmax = loading[rows, br]
    bus = np.argmin(vm_lo, axis=1)
    vmin = vm_lo[rows, bus]
    vmax = np.where(ok[:, None], batch.vm_pu, -np.inf).max(axis=1)
    bad = ~ok | n1_breaks(crit, loading, np.where(ok[:, None], batch.vm_pu, np.nan))
    return _OutageYear(islands, ok, bad, lmax, br, vmin, bus, vmax)


ROWS_PER_SOLVE = 1024
"""Steps per TimeSeriesCPP run in the screened N-1: bounds the memory of one outage's
voltages and branch results (1,024 x 3,200 branches x 4 x 8 B = 105 MB on a 2,000-bus case)."""


def _quiet_year(n: int, islands: int = 0) -> _OutageYear:
    """An outage year with nothing solved: no finding (``islands == 0``, every step screened
    out) or a finding at every step (``islands > 0``: buses cut off, not solved)."""
    cut = islands > 0
    zeros = np.zeros(n, dtype=np.int64)
    return _OutageYear(
        islands,
        np.full(n, not cut),
        np.full(n, cut),
        np.full(n, -np.inf),
        zeros,
        np.full(n, np.inf),
        zeros.copy(),
        np.full(n, -np.inf),
    )


def _scatter(year: _OutageYear, rows: np.ndarray, part: _OutageYear) -> _OutageYear:
    """``year`` with the steps ``rows`` replaced by ``part`` (solved at those steps)."""
    for name in ("ok", "bad", "max_loading", "max_branch", "min_vm", "min_bus", "max_vm"):
        getattr(year, name)[rows] = getattr(part, name)
    return year


def _screened_years(
    model: NetworkModel,
    p: FloatArray,
    q: FloatArray,
    s: FloatArray,
    outages: list[tuple[BranchKind, int]],
    workers: int,
    settings: ScreeningSettings,
    base: BaseFlows,
) -> tuple[list[_OutageYear], ScreeningPlan]:
    """Per-outage years solved in AC only where the linear screening flags them."""
    topo, crit = model.topology_n1, model.criteria
    base_grid = model.lsgrid.copy()
    set_injections(base_grid, topo, 0.0, 0.0, 1.0)
    inj = timeseries_injections(base_grid, topo, p, q, s)
    islands = np.array([outage_islands(topo, k, i) for k, i in outages], dtype=np.int64)
    plan = plan_screening(
        base_grid,
        model.lsgrid,
        topo,
        base,
        inj,
        p,
        s,
        outages,
        islands == 0,
        crit,
        settings,
        workers,
    )
    n = len(p)

    def solved(j: int) -> _OutageYear:
        year = _quiet_year(n, int(islands[j]))
        rows = np.flatnonzero(plan.solve[:, j])
        if islands[j] or not len(rows):
            return year
        for start in range(0, len(rows), ROWS_PER_SOLVE):
            part = rows[start : start + ROWS_PER_SOLVE]
            batch = solve_outage_rows(
                base_grid, topo, inj, outages[j], part, _complex_voltage(base.batch, part[0])
            )
            year = _scatter(year, part, _reduce_outage(topo, crit, 0, batch))
        return year

    with progress.task("N-1 at every hour", total=len(outages)) as task:

        def one(j: int) -> _OutageYear:
            year = solved(j)
            task.advance()  # from the worker threads: the handle is thread-safe
            return year

        return map_threads(one, list(range(len(outages))), workers), plan


def run_timeseries_n1(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    workers: int | None = None,
    screening: bool = True,
    base: BaseFlows | None = None,
    intact: BatchSolution | None = None,
) -> TimeSeriesN1Result:
    """N-1 analysis (every single line and transformer outage) at every step.

    Post-contingency loadings are in percent of the design emergency rating
    (:attr:`NetworkModel.topology_n1`), the rating of the year's hottest hour:
    conservative at every other hour.

    Steps whose intact case diverges or already breaks the N-1 criteria fail
    N-1 without any outage and are not solved (``n1_violation`` and
    ``base_exceeds_n1`` in ``hourly``); every other step is solved as
    described in :func:`_n1_rows` (parameters as there). ``intact`` is the
    intact-system time series if already solved (``base`` carries it too).
    """
    p, q, s = _aligned(campus_p_mw, campus_q_mvar, background_scale)
    topo = model.topology_n1
    # loadings solved by the caller refer to the normal ratings: re-express them
    if base is not None:
        base = replace(base, batch=rerated(base.batch, model.topology, topo))
    if intact is not None:
        intact = rerated(intact, model.topology, topo)
    if base is None and intact is None and screening and _screenable(model):
        base = solve_base_flows(model.lsgrid, topo, p, q, s)
    if intact is None:
        intact = base.batch if base is not None else solve_timeseries(model.lsgrid, topo, p, q, s)
    return _n1_where_intact_converged(
        model,
        campus_p_mw,
        campus_q_mvar,
        background_scale,
        intact,
        base,
        base_exceeds_n1(topo, model.criteria, intact),
        workers,
        screening,
    )


def _n1_rows(
    model: NetworkModel,
    campus_p_mw: pd.Series,
    campus_q_mvar: pd.Series,
    background_scale: pd.Series,
    workers: int | None = None,
    screening: bool = True,
    base: BaseFlows | None = None,
) -> TimeSeriesN1Result:
    """N-1 analysis (every single line and transformer outage) at every step.

    Post-contingency loadings are in percent of the design emergency rating
    (:attr:`NetworkModel.topology_n1`), the rating of the year's hottest hour:
    conservative at every other hour.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar, background_scale : Series
        As for :func:`run_timeseries` (one shared index).
    workers : int, optional
        Threads solving outages concurrently (default: up to 2, the CPU count);
        the results do not depend on it.
    screening : bool
        Solve in AC only the (step, outage) pairs that the linear screening of
        :mod:`gridimpact.grid.contingency_screening` flags (default); False
        solves every pair (brute force, the reference the screening is tested
        against). Networks on the pandapower fallback engine are always brute force.
    base : BaseFlows, optional
        The intact-system time series with branch flows, if already solved.

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
    Each outage is one lightsim2grid TimeSeriesCPP run on a grid copy with that
    branch switched off (each step warm-started from the previous one), over
    every step (brute force: ``n_outages x n_steps`` Newton-Raphson solves) or
    only over the steps the screening flags; outages run on ``workers`` threads
    (the C++ solver releases the GIL) and are reduced to per-step worst values
    as soon as they are solved. Screened-out pairs count as secure; per outage
    the table keeps ``hours_ac_solved`` and the highest linear loading estimate
    of its screened-out steps (``dc_max_loading_percent``).

    References
    ----------
    .. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
       Requirements", Table 1, category P1, 2020.
    .. [2] lightsim2grid documentation, "Time Series",
       https://lightsim2grid.readthedocs.io/en/latest/time_series.html
    """
    p, q, s = _aligned(campus_p_mw, campus_q_mvar, background_scale)
    topo, crit = model.topology_n1, model.criteria
    index = campus_p_mw.index
    outages = all_branch_outages(topo)
    cont_names = [topo.line_names[i] if k == "line" else topo.trafo_names[i] for k, i in outages]
    br_names = branch_names(topo)
    n = len(p)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    t0 = time.perf_counter()
    use_screening = screening and _screenable(model)
    if use_screening and base is None:
        base = solve_base_flows(model.lsgrid, topo, p, q, s)
    plan: ScreeningPlan | None = None
    if use_screening:
        assert base is not None
        years, plan = _screened_years(
            model, p, q, s, outages, n_workers, ScreeningSettings.default(), base
        )
    else:
        with progress.task("N-1 at every hour", total=len(outages)) as task:

            def reduce(islands: int, batch: BatchSolution) -> _OutageYear:
                year = _reduce_outage(topo, crit, islands, batch)
                task.advance()  # from the worker threads: the handle is thread-safe
                return year

            years = map_timeseries_outages(model.lsgrid, topo, p, q, s, outages, reduce, n_workers)
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
        any_ok = bool((yr.ok & np.isfinite(yr.max_loading)).any())
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
                int(plan.solve[:, c].sum()) if plan is not None else (0 if yr.islands else n),
                float(plan.dc_max_loading_percent[c]) if plan is not None else np.nan,
            )
        )
    wall = time.perf_counter() - t0
    has_load, has_vm = np.isfinite(best_load), np.isfinite(low_vm)
    hourly = pd.DataFrame(
        {
            "n1_violation": n_bad > 0,
            "base_exceeds_n1": np.zeros(n, dtype=bool),
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
            "hours_ac_solved",
            "dc_max_loading_percent",
        ],
    )
    ac_pairs = int(contingencies.hours_ac_solved.sum())
    n_screenable = int((contingencies.islanded_buses == 0).sum()) * n
    screening_note = (
        f"linear screening: {ac_pairs:,} of {n_screenable:,} (step, outage) pairs solved in AC "
        f"({100.0 * ac_pairs / max(n_screenable, 1):.2f} %), {len(plan.extreme_rows)} extreme "
        f"points, {len(plan.full_year)} outage(s) solved at every step after the extreme-point "
        f"check, {len(plan.always_ac)} always"
        if plan is not None
        else "none"
    )
    n_viol = int(hourly.n1_violation.sum())
    worst = _year_worst(hourly)
    return TimeSeriesN1Result(
        poi_bus=model.poi_bus,
        hourly=hourly,
        contingencies=contingencies,
        hours=n,
        n_contingencies=len(outages),
        hours_with_violation=n_viol,
        **worst,
        wall_time_s=wall,
        note=(
            f"N-1 at {n} steps x {len(outages)} outages: {n_viol} step(s) with a violation; "
            f"worst {worst['worst_loading_percent']:.1f} % on "
            f"{worst['worst_loading_branch'] or '-'} after loss of "
            f"{worst['worst_loading_contingency'] or '-'}; "
            f"lowest {worst['min_vm_pu']:.3f} pu at {worst['min_vm_bus'] or '-'}"
            + (f"; {screening_note}" if plan is not None else "")
        ),
        ac_pairs=ac_pairs,
        screened_pairs=n_screenable - ac_pairs,
        screening=screening_note,
    )
