"""Hourly (e.g. 8760-h) AC power flow of the network with a time-varying campus.

Every step is an intact-system AC power flow solved by lightsim2grid's
TimeSeriesCPP and checked against the N-0 criteria of the case. With
``n1=True`` the N-1 at every step of :mod:`gridimpact.grid.timeseries_n1` runs
on the same intact solution.

References
----------
.. [1] lightsim2grid documentation, "Time Series",
   https://lightsim2grid.readthedocs.io/en/latest/time_series.html
.. [2] NERC TPL-001-5.1, Table 1 (categories P0 and P1 performance requirements).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridimpact import progress
from gridimpact.grid.attribution import attributable_counts, branch_rating_mva
from gridimpact.grid.contingency_screening import branch_matrix, branch_names, solve_base_flows
from gridimpact.grid.engine import BatchSolution, Topology, solve_timeseries
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.timeseries_n1 import (
    TimeSeriesN1Result,
    _aligned,
    _screenable,
    run_timeseries_n1,
)

__all__ = ["TimeSeriesN1Result", "TimeSeriesResult", "run_timeseries", "run_timeseries_n1"]


@dataclass(frozen=True)
class TimeSeriesResult:
    """Hourly grid results.

    Attributes
    ----------
    poi_bus : str
    hourly : DataFrame
        Indexed like the inputs: ``campus_p_mw, campus_q_mvar, background_scale,
        converged, poi_vm_pu, min_vm_pu, max_vm_pu, max_loading_percent,
        max_loading_branch, n_violations`` (N-0 criteria), ``n_attributable`` (of
        those, attributable to the campus: :mod:`gridimpact.grid.attribution`,
        against the same year solved without the campus).
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
    hours_with_attributable_violation: int = 0
    """Steps with an N-0 violation attributable to the campus (or diverged only with it)."""


def _hourly_rated(
    topo: Topology, loading: np.ndarray, line_rating_factor: np.ndarray | None
) -> np.ndarray:
    """Branch loadings (steps x in-service branches, % of the design rating) re-expressed in
    percent of each hour's line rating (hourly rating = design rating x factor)."""
    if line_rating_factor is None:
        return loading
    factor = np.asarray(line_rating_factor, float)[:, topo.line_in_service]
    out = loading.copy()
    out[:, : factor.shape[1]] /= factor
    return out


def _attributable_counts(
    model: NetworkModel,
    batch: BatchSolution,
    loading: pd.DataFrame,
    p: np.ndarray,
    s: np.ndarray,
    line_rating_factor: np.ndarray | None,
) -> np.ndarray:
    """Per step, N-0 violations attributable to the campus: the same year without it."""
    topo, c = model.topology, model.criteria
    zero = np.zeros_like(p)
    without = solve_timeseries(model.lsgrid, topo, zero, zero, s)
    rating = branch_rating_mva(topo)
    return attributable_counts(
        (
            _hourly_rated(topo, branch_matrix(topo, without), line_rating_factor),
            loading.to_numpy(float),
        ),
        (without.vm_pu, batch.vm_pu),
        (without.converged, batch.converged),
        p,
        np.array([rating[n] for n in loading.columns], dtype=float),
        (c.vm_min_n0_pu, c.vm_max_n0_pu, c.max_loading_n0_percent),
    )


def _loading_frame(topo: Topology, batch: BatchSolution, index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(branch_matrix(topo, batch), index=index, columns=branch_names(topo))


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
    line_rating_factor: np.ndarray | None = None,
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
    line_rating_factor : ndarray (steps, lines), optional
        Hourly line rating over the model's (design) rating, e.g.
        :attr:`gridimpact.grid.ratings.LineRatings.normal_factor`: N-0 loadings are
        then in percent of each hour's rating. The hourly N-1 keeps the design
        emergency rating at every hour (the year's lowest: conservative).

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
    # the year with the campus, then without it (attribution): one advance per year
    with progress.task(f"{len(p):,}-h time series", total=2 * len(p)) as task:
        base = solve_base_flows(model.lsgrid, topo, p, q, s) if _screenable(model) else None
        batch = base.batch if base is not None else solve_timeseries(model.lsgrid, topo, p, q, s)
        task.advance(len(p))
        index = campus_p_mw.index
        loading = _loading_frame(topo, batch, index)
        loading.loc[:, :] = _hourly_rated(topo, loading.to_numpy(float), line_rating_factor)
        filled = loading.fillna(-1.0)
        row_max = loading.max(axis=1, skipna=True)
        counts = _violation_counts(model, batch, loading)
        attributable = _attributable_counts(model, batch, loading, p, s, line_rating_factor)
        task.advance(len(p))
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
            "n_attributable": attributable,
        },
        index=index,
    )
    hourly.loc[~batch.converged, ["min_vm_pu", "max_vm_pu"]] = np.nan
    n_ok = int(batch.converged.sum())
    worst = hourly.max_loading_percent.idxmax() if n_ok else None
    n_bad = int((hourly.n_violations > 0).sum())
    n_att = int((hourly.n_attributable > 0).sum())
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
            f"{len(hourly)} steps, {n_ok} converged, {n_bad} with N-0 violations, {n_att} with "
            f"one attributable to the campus ({len(hourly) - n_ok} diverged)"
        ),
        hours_with_attributable_violation=n_att,
        n1=(
            run_timeseries_n1(
                model, campus_p_mw, campus_q_mvar, background_scale, base=base, intact=batch
            )
            if n1
            else None
        ),
    )
