"""Single-contingency (N-1) analysis of every line and transformer outage.

All outages are solved in one call of lightsim2grid's ContingencyAnalysisCPP
from the intact-system solution, with the campus at the POI. Criteria are the
post-contingency voltage band and thermal limit of the case (0.90-1.10 pu and
100 % of the normal rating by default; emergency ratings are not modelled).

References
----------
.. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", Table 1, category P1 (single contingency), 2020.
.. [2] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
   Operation, and Control*, 3rd ed., Wiley, 2014, ch. 7 (contingency analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.grid.engine import BatchSolution, BranchKind, Solution, Topology, solve_outages
from gridimpact.grid.model import NetworkModel

N1_VIOLATION_COLUMNS = ["contingency", "element", "kind", "quantity", "value", "limit"]


@dataclass(frozen=True)
class N1Result:
    """Result of the N-1 analysis at one operating point.

    Attributes
    ----------
    converged : bool
        The intact case converged (otherwise nothing else was solved).
    secure : bool
        Every outage converged, islanded no bus, and met the N-1 criteria.
    poi_bus : str
    n_contingencies, n_converged : int
    worst_loading_percent : float
        Highest post-contingency branch loading.
    worst_loading_branch, worst_loading_contingency : str
    min_vm_pu, max_vm_pu : float
        Extreme post-contingency bus voltages.
    min_vm_bus, min_vm_contingency : str
    poi_min_vm_pu : float
        Lowest post-contingency POI voltage.
    branch_worst : DataFrame
        Per branch: ``branch, kind, base_loading_percent, max_loading_percent, contingency``.
    bus_worst : DataFrame
        Per bus: ``bus, base_vm_pu, min_vm_pu, min_vm_contingency, max_vm_pu, max_vm_contingency``.
    contingencies : DataFrame
        Per outage: ``contingency, kind, converged, islanded_buses, max_loading_percent,
        max_loading_branch, min_vm_pu, max_vm_pu, n_violations``.
    violations : DataFrame
        ``contingency, element, kind, quantity, value, limit``; quantity is
        ``vm_pu``, ``loading_percent``, ``islanded_buses`` or ``converged``.
    note : str
    """

    converged: bool
    secure: bool
    poi_bus: str
    n_contingencies: int
    n_converged: int
    worst_loading_percent: float
    worst_loading_branch: str
    worst_loading_contingency: str
    min_vm_pu: float
    max_vm_pu: float
    min_vm_bus: str
    min_vm_contingency: str
    poi_min_vm_pu: float
    branch_worst: pd.DataFrame
    bus_worst: pd.DataFrame
    contingencies: pd.DataFrame
    violations: pd.DataFrame
    note: str


def all_branch_outages(topo: Topology) -> list[tuple[BranchKind, int]]:
    """Every in-service line, then every in-service transformer."""
    lines: list[tuple[BranchKind, int]] = [
        ("line", int(i)) for i in np.flatnonzero(topo.line_in_service)
    ]
    trafos: list[tuple[BranchKind, int]] = [
        ("trafo", int(i)) for i in np.flatnonzero(topo.trafo_in_service)
    ]
    return lines + trafos


def _outage_names(topo: Topology, outages: list[tuple[BranchKind, int]]) -> list[str]:
    return [topo.line_names[i] if k == "line" else topo.trafo_names[i] for k, i in outages]


def _branch_matrix(topo: Topology, batch: BatchSolution) -> tuple[np.ndarray, list[str], list[str]]:
    mask_l, mask_t = topo.line_in_service, topo.trafo_in_service
    matrix = np.hstack(
        [batch.line_loading_percent[:, mask_l], batch.trafo_loading_percent[:, mask_t]]
    )
    names = [n for n, m in zip(topo.line_names, mask_l, strict=True) if m]
    names += [n for n, m in zip(topo.trafo_names, mask_t, strict=True) if m]
    kinds = ["line"] * int(mask_l.sum()) + ["trafo"] * int(mask_t.sum())
    return matrix, names, kinds


def _argmax_rows(matrix: np.ndarray, labels: list[str]) -> list[str]:
    """Label of the row maximum per column ("" where the column is all NaN)."""
    if matrix.size == 0:
        return [""] * matrix.shape[1]
    finite = np.isfinite(matrix)
    rows = np.argmax(np.where(finite, matrix, -np.inf), axis=0)
    table = np.asarray([*labels, ""], dtype=object)
    return list(table[np.where(finite.any(axis=0), rows, len(labels))])


def _violation_part(
    group: int,
    rows: np.ndarray,
    elements: np.ndarray,
    kinds: np.ndarray,
    quantity: str,
    values: np.ndarray,
    limit: float,
) -> dict[str, Any]:
    n = len(rows)
    return {
        "group": np.full(n, group),
        "row": rows,
        "element": elements,
        "kind": kinds,
        "quantity": np.full(n, quantity, dtype=object),
        "value": np.asarray(values, float),
        "limit": np.full(n, limit),
    }


def _violations(
    topo: Topology, batch: BatchSolution, outage_names: list[str], model: NetworkModel
) -> pd.DataFrame:
    """Per outage (in order): islanding or divergence; else overloads, low, high voltages."""
    crit = model.criteria
    matrix, names, kinds = _branch_matrix(topo, batch)
    cont = np.asarray(outage_names, dtype=object)
    islanded = batch.island_buses > 0
    diverged = ~batch.converged & ~islanded
    solved = (~islanded & ~diverged)[:, None]
    r_isl, r_div = np.flatnonzero(islanded), np.flatnonzero(diverged)
    grid_kind = np.array(["grid"], dtype=object)
    parts = [
        _violation_part(
            0,
            r_isl,
            cont[r_isl],
            np.repeat(grid_kind, len(r_isl)),
            "islanded_buses",
            batch.island_buses[r_isl],
            0.0,
        ),
        _violation_part(
            0, r_div, cont[r_div], np.repeat(grid_kind, len(r_div)), "converged", 0 * r_div, 1.0
        ),
    ]
    r, c = np.nonzero((matrix > crit.max_loading_n1_percent) & solved)
    parts.append(
        _violation_part(
            1,
            r,
            np.asarray(names, dtype=object)[c],
            np.asarray(kinds, dtype=object)[c],
            "loading_percent",
            matrix[r, c],
            crit.max_loading_n1_percent,
        )
    )
    bus_names = np.asarray(topo.bus_names, dtype=object)
    for group, mask, limit in (
        (2, batch.vm_pu < crit.vm_min_n1_pu, crit.vm_min_n1_pu),
        (3, batch.vm_pu > crit.vm_max_n1_pu, crit.vm_max_n1_pu),
    ):
        r, b = np.nonzero(mask & solved)
        bus_kind = np.repeat(np.array(["bus"], dtype=object), len(b))
        parts.append(
            _violation_part(group, r, bus_names[b], bus_kind, "vm_pu", batch.vm_pu[r, b], limit)
        )
    table = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((np.arange(len(table["row"])), table["group"], table["row"]))
    return pd.DataFrame(
        {
            "contingency": cont[table["row"][order]],
            **{k: table[k][order] for k in ("element", "kind", "quantity", "value", "limit")},
        }
    )[N1_VIOLATION_COLUMNS]


def _failed(model: NetworkModel, n: int, note: str) -> N1Result:
    nan = float("nan")
    empty = pd.DataFrame()
    return N1Result(
        False,
        False,
        model.poi_bus,
        n,
        0,
        nan,
        "",
        "",
        nan,
        nan,
        "",
        "",
        nan,
        empty,
        empty,
        empty,
        pd.DataFrame(columns=N1_VIOLATION_COLUMNS),
        note,
    )


def _nan_reduce(matrix: np.ndarray, func: str) -> np.ndarray:
    """Column-wise nanmin/nanmax without warnings (NaN where a column is all NaN)."""
    finite = np.isfinite(matrix).any(axis=0)
    fill = np.inf if func == "min" else -np.inf
    reduced = getattr(np, func)(np.where(np.isfinite(matrix), matrix, fill), axis=0)
    return np.where(finite, reduced, np.nan)


def _row_reduce(matrix: np.ndarray, func: str) -> np.ndarray:
    return _nan_reduce(matrix.T, func) if matrix.size else np.full(len(matrix), np.nan)


def _branch_worst(
    topo: Topology, base: Solution, batch: BatchSolution, outage_names: list[str]
) -> pd.DataFrame:
    matrix, names, kinds = _branch_matrix(topo, batch)
    base_loading = np.concatenate(
        [
            base.line_loading_percent[topo.line_in_service],
            base.trafo_loading_percent[topo.trafo_in_service],
        ]
    )
    return pd.DataFrame(
        {
            "branch": names,
            "kind": kinds,
            "base_loading_percent": base_loading,
            "max_loading_percent": _nan_reduce(matrix, "max"),
            "contingency": _argmax_rows(matrix, outage_names),
        }
    )


def _bus_worst(
    topo: Topology, base: Solution, batch: BatchSolution, outage_names: list[str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bus": list(topo.bus_names),
            "base_vm_pu": base.vm_pu,
            "min_vm_pu": _nan_reduce(batch.vm_pu, "min"),
            "min_vm_contingency": _argmax_rows(-batch.vm_pu, outage_names),
            "max_vm_pu": _nan_reduce(batch.vm_pu, "max"),
            "max_vm_contingency": _argmax_rows(batch.vm_pu, outage_names),
        }
    )


def _contingency_table(
    topo: Topology,
    batch: BatchSolution,
    outages: list[tuple[BranchKind, int]],
    outage_names: list[str],
    violations: pd.DataFrame,
) -> pd.DataFrame:
    matrix, names, _ = _branch_matrix(topo, batch)
    counts = violations.contingency.value_counts()
    return pd.DataFrame(
        {
            "contingency": outage_names,
            "kind": [k for k, _ in outages],
            "converged": batch.converged,
            "islanded_buses": batch.island_buses,
            "max_loading_percent": _row_reduce(matrix, "max"),
            "max_loading_branch": _argmax_rows(matrix.T, names),
            "min_vm_pu": _row_reduce(batch.vm_pu, "min"),
            "max_vm_pu": _row_reduce(batch.vm_pu, "max"),
            "n_violations": counts.reindex(outage_names, fill_value=0).to_numpy(np.int64),
        }
    )


def run_n1(
    model: NetworkModel, campus_p_mw: float, campus_q_mvar: float, load_scale: float = 1.0
) -> N1Result:
    """N-1 analysis: every single line and transformer outage with the campus at the POI.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar : float
        Campus demand at the POI (MW, Mvar; positive = consumption).
    load_scale : float
        Multiplier on the background loads (1.0 = summer peak as modelled).

    Returns
    -------
    N1Result
        Divergence and islanding are reported per contingency, never raised.
    """
    topo = model.topology
    outages = all_branch_outages(topo)
    names = _outage_names(topo, outages)
    base, batch = solve_outages(model.lsgrid, topo, campus_p_mw, campus_q_mvar, load_scale, outages)
    if not base.converged:
        return _failed(model, len(outages), "intact case did not converge: N-1 not evaluated")
    branch_worst = _branch_worst(topo, base, batch, names)
    bus_worst = _bus_worst(topo, base, batch, names)
    violations = _violations(topo, batch, names, model)
    n_conv = int(batch.converged.sum())
    n_island = int((batch.island_buses > 0).sum())
    worst = branch_worst.max_loading_percent.fillna(-1.0).idxmax()
    low = bus_worst.min_vm_pu.fillna(np.inf).idxmin()
    return N1Result(
        converged=True,
        secure=violations.empty,
        poi_bus=model.poi_bus,
        n_contingencies=len(outages),
        n_converged=n_conv,
        worst_loading_percent=float(branch_worst.max_loading_percent[worst]),
        worst_loading_branch=str(branch_worst.branch[worst]),
        worst_loading_contingency=str(branch_worst.contingency[worst]),
        min_vm_pu=float(bus_worst.min_vm_pu[low]),
        max_vm_pu=float(bus_worst.max_vm_pu.max()),
        min_vm_bus=str(bus_worst.bus[low]),
        min_vm_contingency=str(bus_worst.min_vm_contingency[low]),
        poi_min_vm_pu=float(bus_worst.min_vm_pu[model.poi_index]),
        branch_worst=branch_worst,
        bus_worst=bus_worst,
        contingencies=_contingency_table(topo, batch, outages, names, violations),
        violations=violations,
        note=(
            f"{len(outages)} single outages, {n_conv} converged, {n_island} islanding, "
            f"{len(violations)} violation(s)"
        ),
    )
