"""Hosting capacity at the POI: largest campus demand meeting the N-0 / N-1 criteria.

The campus demand P (at a fixed power factor, lagging) is increased by
bisection between a feasible and an infeasible value until the bracket is
narrower than the tolerance. Feasibility at P means: the AC power flow
converges and every bus voltage and branch loading meets the N-0 criteria
(N-0 hosting); and, in addition, every single line/transformer outage converges
without islanding and meets the N-1 criteria (N-1 hosting). Bisection assumes
that feasibility is monotone in P, which holds for load growth at one bus of a
network whose limits are thermal and under-voltage.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.engine import BatchSolution, Solution, Topology, solve, solve_outages
from gridimpact.grid.model import NetworkModel, with_poi
from gridimpact.grid.n1 import all_branch_outages


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


def _branch_names(topo: Topology) -> list[str]:
    return list(topo.line_names) + list(topo.trafo_names)


def _worst(
    topo: Topology, vm: np.ndarray, loading: np.ndarray, vmin: float, vmax: float, lmax: float
) -> Limit:
    """Largest relative violation among voltages and loadings of one solved state."""
    excess = np.concatenate([(vmin - vm) / vmin, (vm - vmax) / vmax, (loading - lmax) / lmax])
    excess = np.nan_to_num(excess, nan=-np.inf)
    k = int(np.argmax(excess))
    if excess[k] <= 0:
        return Limit(True)
    nb = topo.n_bus
    if k < 2 * nb:
        return Limit(False, topo.bus_names[k % nb], "vm_pu", "", float(vm[k % nb]))
    j = k - 2 * nb
    return Limit(False, _branch_names(topo)[j], "loading_percent", "", float(loading[j]))


def _loadings(sol: Solution | BatchSolution) -> np.ndarray:
    return np.concatenate([sol.line_loading_percent, sol.trafo_loading_percent], axis=-1)


def check_n0(model: NetworkModel, p_mw: float, q_mvar: float, load_scale: float) -> Limit:
    """Whether the intact network meets the N-0 criteria with the campus at ``p_mw``."""
    topo, c = model.topology, model.criteria
    sol = solve(model.lsgrid, topo, p_mw, q_mvar, load_scale)
    if not sol.converged:
        return Limit(False, model.poi_bus, "converged")
    return _worst(
        topo, sol.vm_pu, _loadings(sol), c.vm_min_n0_pu, c.vm_max_n0_pu, c.max_loading_n0_percent
    )


def check_n1(model: NetworkModel, p_mw: float, q_mvar: float, load_scale: float) -> Limit:
    """Whether the network meets the N-0 and the N-1 criteria with the campus at ``p_mw``."""
    topo, c = model.topology, model.criteria
    outages = all_branch_outages(topo)
    base, batch = solve_outages(model.lsgrid, topo, p_mw, q_mvar, load_scale, outages)
    if not base.converged:
        return Limit(False, model.poi_bus, "converged")
    intact = _worst(
        topo, base.vm_pu, _loadings(base), c.vm_min_n0_pu, c.vm_max_n0_pu, c.max_loading_n0_percent
    )
    if not intact.feasible:
        return intact
    names = _branch_names(topo)
    loadings = _loadings(batch)
    worst = Limit(True)
    worst_excess = 0.0
    for r, (kind, i) in enumerate(outages):
        cont = names[i if kind == "line" else len(topo.line_names) + i]
        if batch.island_buses[r] or not batch.converged[r]:
            quantity = "islanded_buses" if batch.island_buses[r] else "converged"
            return Limit(False, cont, quantity, cont)
        lim = _worst(
            topo,
            batch.vm_pu[r],
            loadings[r],
            c.vm_min_n1_pu,
            c.vm_max_n1_pu,
            c.max_loading_n1_percent,
        )
        if not lim.feasible:
            ref = c.max_loading_n1_percent if lim.quantity == "loading_percent" else 1.0
            excess = abs(lim.value - ref) / ref
            if excess > worst_excess:
                worst_excess = excess
                worst = Limit(False, lim.element, lim.quantity, cont, lim.value)
    return worst


Check = Callable[[NetworkModel, float, float, float], Limit]


def _bisect(
    check: Check, model: NetworkModel, pf: float, load_scale: float, hi_mw: float, tol_mw: float
) -> tuple[float, Limit, bool]:
    """Largest feasible P in [0, hi_mw]; the limit just above it; whether hi_mw was feasible."""

    def at(p: float) -> Limit:
        return check(model, p, q_from_pf(p, pf), load_scale)

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


def hosting_capacity(
    model: NetworkModel,
    power_factor: float,
    load_scale: float = 1.0,
    max_mw: float | None = None,
    tolerance_mw: float | None = None,
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

    Returns
    -------
    HostingResult
    """
    table = read_catalog("grid_types.toml")["hosting"]
    hi = float(max_mw if max_mw is not None else value_of(table["max_search_mw"]))
    tol = float(tolerance_mw if tolerance_mw is not None else value_of(table["tolerance_mw"]))
    mw0, lim0, cap0 = _bisect(check_n0, model, power_factor, load_scale, hi, tol)
    mw1, lim1, cap1 = _bisect(check_n1, model, power_factor, load_scale, mw0, tol)
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
) -> pd.DataFrame:
    """Hosting capacity at several POIs of the same network (e.g. ``candidate_poi_buses``).

    Parameters
    ----------
    model : NetworkModel
    poi_buses : sequence of str
        Bus names; the model's own POI is evaluated only if listed.
    power_factor, load_scale, tolerance_mw
        As for :func:`hosting_capacity`.

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
    for bus in poi_buses:
        res = hosting_capacity(with_poi(model, bus), power_factor, load_scale, None, tolerance_mw)
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
