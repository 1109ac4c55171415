"""Which violations are the campus's: each study with and without the campus.

A violation found with the campus at the POI is **attributable** to the campus
when it is new (the same element, quantity and limit, under the same outage,
meets the criteria without the campus), or when the campus worsens a
pre-existing one by at least the thresholds of ``data/grid_types.toml``
``[attribution]``:

- thermal: the campus's MVA distribution factor on the branch,
  :math:`\\mathrm{DF} = \\Delta S_\\text{branch} / P_\\text{campus}
  = (\\Delta L / 100)\\, S_\\text{rating} / P_\\text{campus}`, is at least
  ``distribution_factor_min`` **and** the loading rises by at least
  ``loading_increase_min_percent`` of the rating;
- voltage: the voltage moves further outside the band by at least
  ``vm_change_min_pu``;
- non-convergence (N-1: the outage's power flow diverges): attributable when
  the same case converges without the campus.

A violation that exists without the campus and is not worsened that much is
**pre-existing**: reported apart, never the project's verdict.

References
----------
.. [1] PJM, "Manual 14B: PJM Region Transmission Planning Process",
   Attachment C (generator / load deliverability: DFAX and MW-contribution
   tests for attributing overloads to a queue project).
.. [2] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", Table 1, 2020.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.engine import Topology, emergency_rated
from gridimpact.grid.n0 import N0Result
from gridimpact.grid.n1 import N1Result

ATTRIBUTION_COLUMNS = [
    "value_without",
    "change",
    "distribution_factor",
    "preexisting",
    "attributable",
]


@dataclass(frozen=True)
class AttributionRules:
    """Thresholds for attributing a pre-existing violation to the campus."""

    distribution_factor_min: float
    loading_increase_min_percent: float
    vm_change_min_pu: float

    @classmethod
    def default(cls) -> AttributionRules:
        """The catalog thresholds (``data/grid_types.toml`` ``[attribution]``)."""
        table = read_catalog("grid_types.toml")["attribution"]
        return cls(**{key: float(value_of(table[key])) for key in cls.__dataclass_fields__})

    def describe(self) -> str:
        """One line for reports."""
        return (
            "a violation is the campus's if it is new, or if the campus worsens a "
            f"pre-existing one: thermal DF >= {self.distribution_factor_min:.0%} and "
            f"loading +{self.loading_increase_min_percent:g} % of rating; voltage "
            f"{self.vm_change_min_pu:g} pu further out of band"
        )


def _keys(frame: pd.DataFrame, with_contingency: bool) -> list[tuple[object, ...]]:
    cols = ["element", "quantity", "limit"]
    if with_contingency:
        cols = ["contingency", *cols]
    return list(frame[cols].itertuples(index=False, name=None))


def attribute_violations(
    with_campus: pd.DataFrame,
    without_campus: pd.DataFrame,
    campus_p_mw: float,
    branch_rating_mva: Mapping[str, float],
    rules: AttributionRules | None = None,
) -> pd.DataFrame:
    """Mark each violation found with the campus as pre-existing and/or attributable.

    Parameters
    ----------
    with_campus, without_campus : DataFrame
        Violation tables (``element, kind, quantity, value, limit``; N-1 tables also
        ``contingency``) of the same study with and without the campus.
    campus_p_mw : float
        Campus demand of the ``with_campus`` study, MW.
    branch_rating_mva : mapping
        Branch name → the rating its ``loading_percent`` refers to, MVA.
    rules : AttributionRules, optional
        Thresholds (catalog defaults if omitted).

    Returns
    -------
    DataFrame
        ``with_campus`` plus ``value_without`` (NaN if the violation is new),
        ``change`` (value − value_without, signed as the quantity),
        ``distribution_factor`` (thermal rows, MVA of branch loading per MW of
        campus), ``preexisting`` and ``attributable`` (bool).
    """
    rules = rules or AttributionRules.default()
    out = with_campus.copy()
    if out.empty:
        for col in ATTRIBUTION_COLUMNS:
            out[col] = pd.Series(dtype=bool if col in ("preexisting", "attributable") else float)
        return out
    n1 = "contingency" in out.columns
    before = (
        dict(zip(_keys(without_campus, n1), without_campus["value"], strict=True))
        if len(without_campus)
        else {}
    )
    value_without = np.array([before.get(k, np.nan) for k in _keys(out, n1)], dtype=float)
    preexisting = np.isfinite(value_without)
    change = out["value"].to_numpy(float) - value_without
    rating = np.array([branch_rating_mva.get(str(e), np.nan) for e in out["element"]])
    thermal = out["quantity"].to_numpy() == "loading_percent"
    df = np.where(
        thermal & (campus_p_mw > 0), change / 100.0 * rating / max(campus_p_mw, 1e-9), np.nan
    )
    low = out["quantity"].to_numpy() == "vm_pu"
    low &= out["value"].to_numpy(float) < out["limit"].to_numpy(float)
    high = (out["quantity"].to_numpy() == "vm_pu") & ~low
    worsened = np.zeros(len(out), dtype=bool)
    with np.errstate(invalid="ignore"):
        worsened |= (
            thermal
            & (df >= rules.distribution_factor_min)
            & (change >= rules.loading_increase_min_percent)
        )
        worsened |= low & (-change >= rules.vm_change_min_pu)
        worsened |= high & (change >= rules.vm_change_min_pu)
    out["value_without"] = value_without
    out["change"] = change
    out["distribution_factor"] = df
    out["preexisting"] = preexisting
    out["attributable"] = ~preexisting | worsened
    return out


def attributable(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of an attributed violation table that fail the criteria because of the campus.

    Rows marked ``curtailable`` (see :func:`mark_curtailable`) are left out: they are
    met by curtailing the campus, which the planning standard allows for that event.
    """
    if table.empty or "attributable" not in table:
        return table
    keep = table["attributable"].to_numpy(bool)
    if "curtailable" in table:
        keep &= ~table["curtailable"].to_numpy(bool)
    return table[keep]


CURTAILABLE_CATEGORIES = ("common_structure", "n-1-1")
"""NERC TPL-001-5.1 Table 1 allows non-consequential load loss for P6 (overlapping
single outages, our ``n-1-1``) and P7 (common-structure outages), not for P1."""


def mark_curtailable(table: pd.DataFrame, category_of: Mapping[str, str]) -> pd.DataFrame:
    """Add ``category`` and ``curtailable`` to an attributed N-1 violation table.

    An attributable violation after a P6 or P7 event is ``curtailable``: it exists only
    because of the campus, and the standard allows interrupting (non-consequential)
    load after those events, so curtailing the campus meets the criteria. It is a
    finding (the campus must accept curtailment after that event), not a failure.

    References
    ----------
    .. [1] NERC, "TPL-001-5.1", Table 1: "Non-Consequential Load Loss Allowed" is
       "No" for P1 and "Yes" for P6 and P7 (EHV/HV), 2020.
    """
    out = table.copy()
    categories = [category_of.get(str(c), "") for c in out.get("contingency", [])]
    out["category"] = pd.Series(categories, index=out.index, dtype=object)
    out["curtailable"] = out["attributable"].to_numpy(bool) & np.isin(
        np.asarray(categories, dtype=object), CURTAILABLE_CATEGORIES
    )
    return out


def categories_of(n1: N1Result) -> dict[str, str]:
    """Contingency name → category (``line``, ``generator``, ``n-1-1`` ...) of an N-1 result."""
    table = n1.contingencies
    if table.empty or "category" not in table:
        return {}
    return dict(zip(table["contingency"].astype(str), table["category"].astype(str), strict=False))


SQRT3 = float(np.sqrt(3.0))


def branch_rating_mva(topo: Topology, emergency: bool = False) -> dict[str, float]:
    """Branch name → rating in MVA (line: √3·Vn·Imax; transformer: Sn·parallel·df).

    ``emergency=True`` gives the post-contingency (emergency) ratings of
    :func:`gridimpact.grid.engine.emergency_rated`.
    """
    rated = emergency_rated(topo) if emergency else topo
    line_mva = SQRT3 * topo.bus_vn_kv[topo.line_from] * rated.line_imax_ka
    trafo_mva = SQRT3 * rated.trafo_rating_ka_kv
    out = dict(zip(topo.line_names, line_mva.tolist(), strict=True))
    out.update(zip(topo.trafo_names, trafo_mva.tolist(), strict=True))
    return out


def poi_supply_capacity_mva(topo: Topology, poi_bus: int) -> float:
    """Sum of the normal ratings of the in-service branches at the POI bus (MVA).

    The capacity through which the system can supply the POI: the ``S_t`` over
    which IEC/TR 61000-3-7 shares the flicker planning level when the case states
    none.
    """
    ratings = branch_rating_mva(topo)
    at_line = (topo.line_from == poi_bus) | (topo.line_to == poi_bus)
    at_trafo = (topo.trafo_hv == poi_bus) | (topo.trafo_lv == poi_bus)
    lines = zip(topo.line_names, at_line & topo.line_in_service, strict=True)
    trafos = zip(topo.trafo_names, at_trafo & topo.trafo_in_service, strict=True)
    names = [n for n, on in lines if on] + [n for n, on in trafos if on]
    return float(sum(ratings[n] for n in names))


@dataclass(frozen=True)
class Verdict:
    """Violations of one operating point split into pre-existing and attributable.

    Attributes
    ----------
    n0, n1 : DataFrame
        The N-0 / N-1 violation tables with the campus, with the columns of
        :func:`attribute_violations` (N-1 also ``category`` and ``curtailable``,
        :func:`mark_curtailable`).
    preexisting_count_n0, preexisting_count_n1 : int
        Violations of the same studies without the campus.
    n0_diverged_by_campus, n1_diverged_by_campus : bool
        The intact case diverges with the campus but converges without it (one
        attributable violation: the campus is beyond the network's transfer or
        voltage-stability limit).
    rules : AttributionRules
    """

    n0: pd.DataFrame
    n1: pd.DataFrame
    preexisting_count_n0: int
    preexisting_count_n1: int
    n0_diverged_by_campus: bool
    n1_diverged_by_campus: bool
    rules: AttributionRules

    @property
    def attributable_count_n0(self) -> int:
        """Attributable N-0 violations (a campus-caused divergence counts as one)."""
        return len(attributable(self.n0)) + int(self.n0_diverged_by_campus)

    @property
    def attributable_count_n1(self) -> int:
        """Attributable N-1 violations (a campus-caused divergence counts as one)."""
        return len(attributable(self.n1)) + int(self.n1_diverged_by_campus)

    @property
    def curtailment_count_n1(self) -> int:
        """Attributable violations after P6/P7 events, met by curtailing the campus."""
        if self.n1.empty or "curtailable" not in self.n1:
            return 0
        return int(self.n1["curtailable"].sum())

    @property
    def secure_n0(self) -> bool:
        """No violation attributable to the campus with every element in service."""
        return self.attributable_count_n0 == 0

    @property
    def secure(self) -> bool:
        """No N-0 and no N-1 violation attributable to the campus."""
        return self.secure_n0 and self.attributable_count_n1 == 0


def study_verdict(
    topo: Topology,
    campus_p_mw: float,
    n0: tuple[N0Result, N0Result],
    n1: tuple[N1Result, N1Result],
    rules: AttributionRules | None = None,
) -> Verdict:
    """Attribute the N-0 and N-1 violations of one operating point.

    Parameters
    ----------
    topo : Topology
        The network (for branch ratings).
    campus_p_mw : float
        Campus demand, MW.
    n0, n1 : (result without campus, result with campus)
        The same study run twice.
    rules : AttributionRules, optional
    """
    rules = rules or AttributionRules.default()
    n0_without, n0_with = n0
    n1_without, n1_with = n1
    return Verdict(
        n0=attribute_violations(
            n0_with.violations, n0_without.violations, campus_p_mw, branch_rating_mva(topo), rules
        ),
        n1=mark_curtailable(
            attribute_violations(
                n1_with.violations,
                n1_without.violations,
                campus_p_mw,
                branch_rating_mva(topo, emergency=True),
                rules,
            ),
            categories_of(n1_with),
        ),
        preexisting_count_n0=len(n0_without.violations),
        preexisting_count_n1=len(n1_without.violations),
        n0_diverged_by_campus=n0_without.converged and not n0_with.converged,
        n1_diverged_by_campus=n1_without.converged and not n1_with.converged,
        rules=rules,
    )


def attributable_counts(
    loading_percent: tuple[np.ndarray, np.ndarray],
    vm_pu: tuple[np.ndarray, np.ndarray],
    converged: tuple[np.ndarray, np.ndarray],
    campus_p_mw: np.ndarray,
    rating_mva: np.ndarray,
    limits: tuple[float, float, float],
    rules: AttributionRules | None = None,
) -> np.ndarray:
    """Per step, the number of violations attributable to the campus (vectorised).

    Parameters
    ----------
    loading_percent : (without, with), ndarray (steps, branches)
        Branch loadings without and with the campus (NaN: out of service / not solved).
    vm_pu : (without, with), ndarray (steps, buses)
        Bus voltages without and with the campus.
    converged : (without, with), ndarray of bool (steps,)
    campus_p_mw : ndarray (steps,)
    rating_mva : ndarray (branches,)
        The ratings the loadings refer to.
    limits : (vm_min_pu, vm_max_pu, max_loading_percent)
    rules : AttributionRules, optional

    Returns
    -------
    ndarray of int (steps,)
        Same rule as :func:`attribute_violations`; a step that diverges with the
        campus but converges without it counts one.
    """
    rules = rules or AttributionRules.default()
    (l0, l1), (v0, v1), (ok0, ok1) = loading_percent, vm_pu, converged
    vmin, vmax, lmax = limits
    with np.errstate(invalid="ignore", divide="ignore"):
        over1 = np.nan_to_num(l1, nan=-np.inf) > lmax
        over0 = np.nan_to_num(l0, nan=-np.inf) > lmax
        change = np.nan_to_num(l1) - np.nan_to_num(l0)
        df = change / 100.0 * rating_mva[None, :] / np.maximum(campus_p_mw, 1e-9)[:, None]
        worse = (df >= rules.distribution_factor_min) & (
            change >= rules.loading_increase_min_percent
        )
        thermal = over1 & (~over0 | worse)
        low1, low0 = v1 < vmin, v0 < vmin
        high1, high0 = v1 > vmax, v0 > vmax
        dv = v1 - v0
        volt = (low1 & (~low0 | (-dv >= rules.vm_change_min_pu))) | (
            high1 & (~high0 | (dv >= rules.vm_change_min_pu))
        )
    counts = thermal.sum(axis=1) + np.nan_to_num(volt, nan=False).astype(bool).sum(axis=1)
    counts = np.where(ok1, counts, np.where(ok0, 1, 0))
    return np.asarray(counts, dtype=np.int64)
