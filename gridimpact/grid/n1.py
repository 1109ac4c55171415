"""Contingency (N-1) analysis of the NERC TPL-001 contingency set with the campus at the POI.

The set (:mod:`gridimpact.grid.contingencies`): every line, transformer,
generator and shunt (P1), every common-structure double circuit (P7) and the
overlapping outages of the POI's critical branches (N-1-1, P6). Each outage is
solved from the intact case on its own (single branches together in
lightsim2grid's ContingencyAnalysisCPP). Criteria are the post-contingency
voltage band and thermal limit of the case (0.90-1.10 pu and 100 % of the
normal rating by default; emergency ratings are not modelled). Load cut off by
an outage (islanding) is reported as ``load_lost_mw``, not as a violation.

References
----------
.. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", Table 1, categories P1, P6, P7, 2020.
.. [2] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
   Operation, and Control*, 3rd ed., Wiley, 2014, ch. 7 (contingency analysis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.grid.contingencies import (
    CATEGORIES,
    ContingencySolution,
    Outage,
    solve_contingency_set,
)
from gridimpact.grid.engine import BatchSolution, BranchKind, Solution, Topology
from gridimpact.grid.model import NetworkModel

N1_VIOLATION_COLUMNS = ["contingency", "element", "kind", "quantity", "value", "limit"]
LOAD_LOSS_COLUMNS = [
    "contingency",
    "category",
    "load_lost_mw",
    "gen_lost_mw",
    "islanded_buses",
    "islanded_bus_names",
]


@dataclass(frozen=True)
class N1Result:
    """Result of the N-1 analysis at one operating point.

    Attributes
    ----------
    converged : bool
        The intact case converged (otherwise nothing else was solved).
    secure : bool
        Every outage converged and met the N-1 criteria (load lost to islanding
        is reported in ``load_loss``, not counted).
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
        Per outage: ``contingency, category, kind`` (= category), ``converged,
        islanded_buses, load_lost_mw, gen_lost_mw, consequence, max_loading_percent,
        max_loading_branch, min_vm_pu, max_vm_pu, n_violations``.
    violations : DataFrame
        ``contingency, element, kind, quantity, value, limit``; quantity is
        ``vm_pu``, ``loading_percent`` or ``converged``.
    note : str
    outage_count_by_category : dict of str to int
        Outages studied per category (every category of
        :data:`gridimpact.grid.contingencies.CATEGORIES`, 0 if none).
    max_load_lost_mw : float
        Largest load cut off by one outage (0 if none islands load).
    load_loss : DataFrame
        Outages that island buses: ``contingency, category, load_lost_mw,
        gen_lost_mw, islanded_buses, islanded_bus_names``, largest load loss first.
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
    outage_count_by_category: dict[str, int] = field(default_factory=dict)
    max_load_lost_mw: float = 0.0
    load_loss: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LOAD_LOSS_COLUMNS))
    outages: tuple[Outage, ...] = field(default=(), repr=False)
    """The outages studied, in the order of ``contingencies``."""


def all_branch_outages(topo: Topology) -> list[tuple[BranchKind, int]]:
    """Every in-service line, then every in-service transformer."""
    lines: list[tuple[BranchKind, int]] = [
        ("line", int(i)) for i in np.flatnonzero(topo.line_in_service)
    ]
    trafos: list[tuple[BranchKind, int]] = [
        ("trafo", int(i)) for i in np.flatnonzero(topo.trafo_in_service)
    ]
    return lines + trafos


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
    """Per outage (in order): divergence; else overloads, low, high voltages.

    Islanded buses (NaN voltage) are not checked; islanding is no violation.
    """
    crit = model.criteria
    matrix, names, kinds = _branch_matrix(topo, batch)
    cont = np.asarray(outage_names, dtype=object)
    solved = batch.converged[:, None]
    r_div = np.flatnonzero(~batch.converged)
    grid_kind = np.repeat(np.array(["grid"], dtype=object), len(r_div))
    parts = [_violation_part(0, r_div, cont[r_div], grid_kind, "converged", 0 * r_div, 1.0)]
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


def _failed(model: NetworkModel, n: int, note: str, counts: dict[str, int]) -> N1Result:
    nan, empty = float("nan"), pd.DataFrame()
    blank = pd.DataFrame(columns=N1_VIOLATION_COLUMNS)
    return N1Result(False, False, model.poi_bus, n, 0, nan, "", "", nan, nan, "", "", nan,
                    empty, empty, empty, blank, note, counts, nan)  # fmt: skip


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


def _consequence(
    load_lost_mw: float, gen_lost_mw: float, islanded: int, slack_lost: bool = False
) -> str:
    if not islanded:
        return ""
    lost = [w for w, x in (("load", load_lost_mw), ("generation", gen_lost_mw)) if x > 0]
    text = " and ".join(lost) + " lost" if lost else "buses islanded"
    return f"slack unit lost ({text}; new slack by participation)" if slack_lost else text


def _contingency_table(
    topo: Topology,
    sol: ContingencySolution,
    outages: Sequence[Outage],
    violations: pd.DataFrame,
) -> pd.DataFrame:
    batch = sol.batch
    outage_names = [o.name for o in outages]
    category = [o.category for o in outages]
    matrix, names, _ = _branch_matrix(topo, batch)
    counts = violations.contingency.value_counts()
    return pd.DataFrame(
        {
            "contingency": outage_names,
            "category": category,
            "kind": category,
            "converged": batch.converged,
            "islanded_buses": batch.island_buses,
            "load_lost_mw": sol.load_lost_mw,
            "gen_lost_mw": sol.gen_lost_mw,
            "consequence": [
                _consequence(*x)
                for x in zip(
                    sol.load_lost_mw,
                    sol.gen_lost_mw,
                    batch.island_buses,
                    sol.slack_lost if len(sol.new_slack_gen) else np.zeros(len(outages), bool),
                    strict=True,
                )
            ],
            "max_loading_percent": _row_reduce(matrix, "max"),
            "max_loading_branch": _argmax_rows(matrix.T, names),
            "min_vm_pu": _row_reduce(batch.vm_pu, "min"),
            "max_vm_pu": _row_reduce(batch.vm_pu, "max"),
            "n_violations": counts.reindex(outage_names, fill_value=0).to_numpy(np.int64),
        }
    )


def _load_loss(topo: Topology, sol: ContingencySolution, outages: Sequence[Outage]) -> pd.DataFrame:
    rows = [
        (
            o.name,
            o.category,
            float(sol.load_lost_mw[r]),
            float(sol.gen_lost_mw[r]),
            int(sol.batch.island_buses[r]),
            ", ".join(topo.bus_names[b] for b in sol.islanded[r]),
        )
        for r, o in enumerate(outages)
        if sol.batch.island_buses[r] > 0
    ]
    table = pd.DataFrame(rows, columns=LOAD_LOSS_COLUMNS)
    return table.sort_values(
        ["load_lost_mw", "contingency"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def run_n1(
    model: NetworkModel,
    campus_p_mw: float,
    campus_q_mvar: float,
    load_scale: float = 1.0,
    *,
    outages: Sequence[Outage] | None = None,
) -> N1Result:
    """N-1 analysis of the TPL-001 contingency set with the campus at the POI.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar : float
        Campus demand at the POI (MW, Mvar; positive = consumption).
    load_scale : float
        Multiplier on the background loads (1.0 = summer peak as modelled).
    outages : sequence of Outage, optional
        Outages to study instead of the default set (every category of
        :func:`gridimpact.grid.contingencies.solve_contingency_set`), e.g.
        ``contingencies.branch_outages(model.topology)`` for lines and
        transformers only.

    Returns
    -------
    N1Result
        Divergence is a violation per contingency, islanding a load/generation
        loss; neither is raised. The verdict does not depend on the order of
        ``outages``.

    References
    ----------
    .. [1] NERC, "TPL-001-5.1", Table 1 (P1, P6, P7), 2020.
    """
    topo = model.topology_n1
    studied, sol = solve_contingency_set(model, campus_p_mw, campus_q_mvar, load_scale, outages)
    counts = {c: sum(o.category == c for o in studied) for c in CATEGORIES}
    counts |= {o.category: counts.get(o.category, 0) for o in studied}
    if not sol.base.converged:
        note = "intact case did not converge: N-1 not evaluated"
        return _failed(model, len(studied), note, counts)
    batch, names = sol.batch, [o.name for o in studied]
    branch_worst = _branch_worst(topo, sol.base, batch, names)
    bus_worst = _bus_worst(topo, sol.base, batch, names)
    violations = _violations(topo, batch, names, model)
    load_loss = _load_loss(topo, sol, studied)
    n_conv = int(batch.converged.sum())
    max_lost = float(sol.load_lost_mw.max()) if len(studied) else 0.0
    worst = branch_worst.max_loading_percent.fillna(-1.0).idxmax()
    low = bus_worst.min_vm_pu.fillna(np.inf).idxmin()
    by_cat = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    return N1Result(
        converged=True,
        secure=violations.empty,
        poi_bus=model.poi_bus,
        n_contingencies=len(studied),
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
        contingencies=_contingency_table(topo, sol, studied, violations),
        violations=violations,
        note=(
            f"{len(studied)} outages ({by_cat}), {n_conv} converged, "
            f"{len(load_loss)} islanding (max load lost {max_lost:.0f} MW), "
            f"{len(violations)} violation(s)"
        ),
        outage_count_by_category=counts,
        max_load_lost_mw=max_lost,
        load_loss=load_loss,
        outages=tuple(studied),
    )
