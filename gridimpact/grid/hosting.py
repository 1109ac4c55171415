"""Hosting capacity at the POI: largest campus demand meeting the N-0 / N-1 criteria.

The campus demand P (at a fixed power factor, lagging) is increased by
bisection between a feasible and an infeasible value until the bracket is
narrower than the tolerance. Feasibility at P means: the AC power flow
converges and no violation of the N-0 criteria is attributable to the campus
(N-0 hosting); and, in addition, no violation of the N-1 criteria under any
outage of the contingency set is attributable to it (N-1 hosting). Each study
is also run without the campus and violations are attributed by
:mod:`gridimpact.grid.attribution`, so a violation that exists before the
project and that it does not worsen never sets the hosting capacity. Bisection
assumes that feasibility is monotone in P, which holds for load growth at one
bus of a network whose limits are thermal and under-voltage.

References
----------
.. [1] EPRI, "Defining a Roadmap for Successful Implementation of a Hosting
   Capacity Method for New York State", 3002008848, 2016 (hosting-capacity
   definition: the load or generation that can be accommodated without
   violating operating criteria or requiring upgrades).
.. [2] NERC TPL-001-5.1, Table 1 (P0 and P1 performance requirements).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridimpact import progress
from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.attribution import (
    AttributionRules,
    attributable,
    attribute_violations,
    branch_rating_mva,
    categories_of,
    mark_curtailable,
)
from gridimpact.grid.contingencies import Outage
from gridimpact.grid.model import NetworkModel, with_poi
from gridimpact.grid.n0 import N0Result, run_n0
from gridimpact.grid.n1 import N1Result, run_n1


@dataclass(frozen=True)
class Limit:
    """Why one operating point fails the criteria (empty strings if it does not)."""

    feasible: bool
    element: str = ""
    quantity: str = ""
    contingency: str = ""
    value: float = float("nan")


@dataclass(frozen=True)
class HostingResult:
    """Hosting capacity at the POI.

    Attributes
    ----------
    poi_bus : str
    power_factor : float
        Campus power factor (lagging) used for the search.
    mw_n0, mw_n1 : float
        Largest campus demand meeting the N-0 / N-0 and N-1 criteria (MW,
        accurate to ``tolerance_mw``; 0 if even the base case fails).
    limiting_element_n0, limiting_quantity_n0 : str
        What fails just above ``mw_n0`` (``loading_percent``, ``vm_pu``, ``converged``).
    limiting_element_n1, limiting_quantity_n1, limiting_contingency_n1 : str
        What fails just above ``mw_n1`` and under which outage ("" for the intact case).
    load_scale : float
        Background load multiplier used.
    tolerance_mw : float
    capped : bool
        True if the search bound was feasible (capacity is at least the bound).
    note : str
    """

    poi_bus: str
    power_factor: float
    mw_n0: float
    mw_n1: float
    limiting_element_n0: str
    limiting_quantity_n0: str
    limiting_element_n1: str
    limiting_quantity_n1: str
    limiting_contingency_n1: str
    load_scale: float
    tolerance_mw: float
    capped: bool
    note: str


def q_from_pf(p_mw: float, power_factor: float) -> float:
    """Reactive power (Mvar, lagging) of ``p_mw`` at ``power_factor``: P·tan(acos(pf))."""
    return p_mw * math.tan(math.acos(power_factor))


def _excess(row: Any) -> float:
    """Relative distance of one violation beyond its limit (divergence: infinite)."""
    if row.quantity in ("converged", "islanded_buses"):
        return float("inf")
    limit = float(row.limit) if row.limit else 1.0
    return abs(float(row.value) - limit) / abs(limit)


def _worst_attributable(table: pd.DataFrame) -> Limit:
    rows = attributable(table)
    if rows.empty:
        return Limit(True)
    excess = [_excess(r) for r in rows.itertuples(index=False)]
    row = rows.iloc[int(np.argmax(excess))]
    contingency = str(row["contingency"]) if "contingency" in rows.columns else ""
    return Limit(False, str(row["element"]), str(row["quantity"]), contingency, float(row["value"]))


CRITICAL_OUTAGES = 20
"""Outages kept per ranking (highest loading, lowest voltage) in the critical subset."""


class Feasibility:
    """Does the campus at P meet the criteria, counting only what is attributable to it?

    The studies without the campus (at the same background load) are run once; each
    call runs them with the campus at P and attributes the violations
    (:mod:`gridimpact.grid.attribution`). Pre-existing violations the campus does not
    worsen beyond the thresholds never limit the hosting capacity.

    N-1 (lazy constraints): a call studies only the **critical subset** of the
    contingency set, the outages that violated or came closest to the limits at the
    last full study (``CRITICAL_OUTAGES`` by loading and by voltage, plus every
    violating one). A violation under a subset proves infeasibility; feasibility is
    only proven by :meth:`full`, which studies every outage and grows the subset.
    :func:`_bisect_lazy` verifies its answer with it, so the capacity is the one of
    the full set; on a 2,000-bus network a subset study costs seconds instead of a
    minute.
    """

    def __init__(
        self,
        model: NetworkModel,
        load_scale: float,
        n1: bool,
        base: tuple[N0Result, N1Result] | None = None,
    ) -> None:
        self.model, self.load_scale, self.n1 = model, load_scale, n1
        self.rules = AttributionRules.default()
        self.base_n0 = base[0] if base is not None else run_n0(model, 0.0, 0.0, load_scale)
        self.base_n1: N1Result | None = None
        if n1:
            self.base_n1 = base[1] if base is not None else run_n1(model, 0.0, 0.0, load_scale)
        self.ratings = branch_rating_mva(model.topology)
        self.ratings_n1 = branch_rating_mva(model.topology, emergency=True)
        self.critical: dict[str, Outage] | None = None
        self.full_studies = 0

    def _intact(self, p_mw: float, q_mvar: float) -> Limit:
        n0 = run_n0(self.model, p_mw, q_mvar, self.load_scale)
        if not n0.converged:
            return Limit(False, self.model.poi_bus, "converged")
        table = attribute_violations(
            n0.violations, self.base_n0.violations, p_mw, self.ratings, self.rules
        )
        return _worst_attributable(table)

    def _contingencies(self, p_mw: float, q_mvar: float, outages: list[Outage] | None) -> Limit:
        assert self.base_n1 is not None
        n1 = run_n1(self.model, p_mw, q_mvar, self.load_scale, outages=outages)
        if not n1.converged:
            return Limit(False, self.model.poi_bus, "converged")
        table = mark_curtailable(
            attribute_violations(
                n1.violations, self.base_n1.violations, p_mw, self.ratings_n1, self.rules
            ),
            categories_of(n1),
        )
        if outages is None:
            self._grow_critical(n1, table)
        return _worst_attributable(table)

    def _grow_critical(self, n1: N1Result, table: pd.DataFrame) -> None:
        by_name = {o.name: o for o in n1.outages}
        table_c = n1.contingencies
        names = set(attributable(table).get("contingency", pd.Series(dtype=object)))
        if len(table_c):
            names |= set(table_c.nlargest(CRITICAL_OUTAGES, "max_loading_percent").contingency)
            names |= set(table_c.nsmallest(CRITICAL_OUTAGES, "min_vm_pu").contingency)
        known = self.critical or {}
        # sorted: a set's order follows the per-process string hash, and the order of the
        # subset decides which of two tied outages is reported as the limit
        self.critical = {**known, **{n: by_name[n] for n in sorted(names) if n in by_name}}
        self.full_studies += 1

    def __call__(self, p_mw: float, q_mvar: float) -> Limit:
        """N-0, then N-1 on the critical subset (the full set before one is known)."""
        intact = self._intact(p_mw, q_mvar)
        if not intact.feasible or not self.n1:
            return intact
        subset = None if self.critical is None else list(self.critical.values())
        return self._contingencies(p_mw, q_mvar, subset)

    def full(self, p_mw: float, q_mvar: float) -> Limit:
        """N-0, then N-1 on every outage of the contingency set (grows the subset)."""
        intact = self._intact(p_mw, q_mvar)
        if not intact.feasible or not self.n1:
            return intact
        return self._contingencies(p_mw, q_mvar, None)


def _bisect(
    check: Feasibility, pf: float, hi_mw: float, tol_mw: float
) -> tuple[float, Limit, bool]:
    """Largest feasible P in [0, hi_mw]; the limit just above it; whether hi_mw was feasible."""
    label = f"N-{1 if check.n1 else 0} hosting capacity at {check.model.poi_bus}"
    with progress.steps(label, 2 + progress.bisection_steps(hi_mw, tol_mw)) as steps:

        def at(p: float) -> Limit:
            limit = check(p, q_from_pf(p, pf))
            steps.step()
            return limit

        first = at(0.0)
        if not first.feasible:
            return 0.0, first, False
        top = at(hi_mw)
        if top.feasible:
            return hi_mw, top, True
        lo, hi, limit = 0.0, hi_mw, top
        while hi - lo > tol_mw:
            mid = 0.5 * (lo + hi)
            lim = at(mid)
            if lim.feasible:
                lo = mid
            else:
                hi, limit = mid, lim
        return lo, limit, False


def _bisect_lazy(
    check: Feasibility, pf: float, hi_mw: float, tol_mw: float
) -> tuple[float, Limit, bool]:
    """:func:`_bisect` on the critical subset, its answer verified on the full set.

    If the full set finds a violation at the subset's answer, the subset has grown by
    it; the search repeats below that point. Ends with a full-set-feasible P.
    """
    while True:
        lo, limit, capped = _bisect(check, pf, hi_mw, tol_mw)
        verified = check.full(lo, q_from_pf(lo, pf))
        if verified.feasible or lo <= 0.0:
            return (lo, limit, capped) if verified.feasible else (0.0, verified, False)
        hi_mw, limit = lo, verified


def hosting_capacity(
    model: NetworkModel,
    power_factor: float,
    load_scale: float = 1.0,
    max_mw: float | None = None,
    tolerance_mw: float | None = None,
    base: tuple[N0Result, N1Result] | None = None,
) -> HostingResult:
    """Largest campus demand at the POI meeting the N-0 and the N-1 criteria.

    Parameters
    ----------
    model : NetworkModel
    power_factor : float
        Campus power factor (lagging), 0 < pf <= 1.
    load_scale : float
        Background load multiplier (1.0 = summer peak as modelled).
    max_mw, tolerance_mw : float, optional
        Search bound and resolution (catalog defaults: 5,000 MW and 1 MW).
    base : (N0Result, N1Result), optional
        The intact study and the contingency set without the campus at ``load_scale``,
        if the caller has them (the attribution baseline; run here otherwise).

    Returns
    -------
    HostingResult
    """
    table = read_catalog("grid_types.toml")["hosting"]
    hi = float(max_mw if max_mw is not None else value_of(table["max_search_mw"]))
    tol = float(tolerance_mw if tolerance_mw is not None else value_of(table["tolerance_mw"]))
    check_n0 = Feasibility(model, load_scale, n1=False, base=base)
    mw0, lim0, cap0 = _bisect(check_n0, power_factor, hi, tol)
    check_n1 = Feasibility(model, load_scale, n1=True, base=base)
    mw1, lim1, cap1 = _bisect_lazy(check_n1, power_factor, mw0, tol)
    cap1 = cap1 and cap0
    if cap1:
        lim1 = Limit(True)
    note = (
        f"hosting at {model.poi_bus}, pf {power_factor:.2f}, background x{load_scale:g}: "
        f"N-0 {mw0:,.0f} MW (limit: {lim0.element or 'search bound'} {lim0.quantity}), "
        f"N-1 {mw1:,.0f} MW (limit: {lim1.element or 'N-0 capacity'} {lim1.quantity}"
        f"{' after outage of ' + lim1.contingency if lim1.contingency else ''})"
    )
    return HostingResult(
        poi_bus=model.poi_bus,
        power_factor=power_factor,
        mw_n0=mw0,
        mw_n1=mw1,
        limiting_element_n0=lim0.element,
        limiting_quantity_n0=lim0.quantity,
        limiting_element_n1=lim1.element,
        limiting_quantity_n1=lim1.quantity,
        limiting_contingency_n1=lim1.contingency,
        load_scale=load_scale,
        tolerance_mw=tol,
        capped=cap0,
        note=note,
    )


def hosting_by_poi(
    model: NetworkModel,
    poi_buses: Sequence[str],
    power_factor: float,
    load_scale: float = 1.0,
    tolerance_mw: float | None = None,
    known: Mapping[str, HostingResult] | None = None,
) -> pd.DataFrame:
    """Hosting capacity at several POIs of the same network (e.g. ``candidate_poi_buses``).

    Parameters
    ----------
    model : NetworkModel
    poi_buses : sequence of str
        Bus names; the model's own POI is evaluated only if listed.
    power_factor, load_scale, tolerance_mw
        As for :func:`hosting_capacity`.
    known : mapping of bus name to HostingResult, optional
        Results already computed (same power factor and load scale): not searched again.

    Returns
    -------
    DataFrame
        One row per POI: ``poi_bus, vn_kv, mw_n0, mw_n1, limiting_element_n0,
        limiting_quantity_n0, limiting_element_n1, limiting_quantity_n1,
        limiting_contingency_n1, capped``.

    Raises
    ------
    NetworkError
        If a bus is not in the network.
    """
    vn_kv = dict(zip(model.bus_table().name, model.bus_table().vn_kv, strict=True))
    rows = []
    with progress.task("hosting capacity by POI", total=len(poi_buses)) as task:
        for bus in poi_buses:
            res = (known or {}).get(bus) or hosting_capacity(
                with_poi(model, bus), power_factor, load_scale, None, tolerance_mw
            )
            task.advance()
            rows.append(
                {
                    "poi_bus": bus,
                    "vn_kv": float(vn_kv[bus]),
                    "mw_n0": res.mw_n0,
                    "mw_n1": res.mw_n1,
                    "limiting_element_n0": res.limiting_element_n0,
                    "limiting_quantity_n0": res.limiting_quantity_n0,
                    "limiting_element_n1": res.limiting_element_n1,
                    "limiting_quantity_n1": res.limiting_quantity_n1,
                    "limiting_contingency_n1": res.limiting_contingency_n1,
                    "capped": res.capped,
                }
            )
    return pd.DataFrame(rows)
