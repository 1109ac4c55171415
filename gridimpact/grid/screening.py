"""Interconnection options: which reinforcement or POI serves the campus within criteria.

Each catalog upgrade (``[upgrade.*]`` in ``data/memphis_network.toml``) is
evaluated alone (with the upgrades it ``requires``) and all together
(cumulative), and each candidate POI bus of the case as it is, with the campus
at its peak: intact (N-0) and contingency (N-1) AC power flow with and without
the campus, violations attributed to the campus
(:mod:`gridimpact.grid.attribution`), N-0/N-1 hosting capacity and the IEC 60909
short-circuit level (maximum and minimum case, missing data filled from cited
defaults). An upgrade that builds a new bus for the campus (``poi_from``/
``poi_to``) moves the campus there; a candidate POI is reached by a new circuit
from the requested site (great-circle distance times the route factor). The
length of new circuits stands in for cost: the **recommended interconnection**
is the option with no attributable N-0 or N-1 violation and the fewest new
circuit-km (then the largest N-1 hosting).

References
----------
.. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", 2020: R2.7 corrective action plans for P0/P1 violations.
.. [2] EPRI, "Defining a Roadmap for Successful Implementation of a Hosting
   Capacity Method for New York State", 3002008848, 2016.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridimpact import progress
from gridimpact.errors import NetworkError
from gridimpact.grid._data import value_of
from gridimpact.grid.attribution import study_verdict
from gridimpact.grid.hosting import HostingResult, hosting_capacity
from gridimpact.grid.memphis import great_circle_km, memphis_data
from gridimpact.grid.model import NetworkModel, model_from_net, net_without_campus, with_poi
from gridimpact.grid.n0 import N0Result, run_n0
from gridimpact.grid.n1 import N1Result, run_n1
from gridimpact.grid.sc_defaults import ShortCircuitCases, run_short_circuit_cases
from gridimpact.grid.shortcircuit import strength_class
from gridimpact.grid.upgrades import apply_upgrades

NO_UPGRADE = "none"
OPTION_COLUMNS = [
    "option",
    "kind",
    "upgrades",
    "poi_bus",
    "new_circuit_km",
    "n0_converged",
    "n0_violations",
    "n1_violations",
    "attributable_n0",
    "attributable_n1",
    "preexisting_n0",
    "preexisting_n1",
    "clears_n0",
    "clears_n1",
    "clears",
    "max_loading_n0_percent",
    "worst_loading_n1_percent",
    "min_vm_n1_pu",
    "hosting_n0_mw",
    "hosting_n1_mw",
    "sk_mva",
    "scr",
    "sk_min_mva",
    "scr_min_case",
    "strength",
]


@dataclass(frozen=True)
class UpgradeScreeningResult:
    """Upgrade options evaluated with the campus at the POI.

    Attributes
    ----------
    poi_bus : str
        POI of the model screened (an option may move the campus, see ``options``).
    campus_p_mw, campus_q_mvar : float
    options : DataFrame
        One row per option (``"none"`` first, each upgrade with its
        prerequisites, then ``"all"`` if there are several, then ``"POI <bus>"``
        per candidate POI): ``option, kind`` (requested/upgrade/poi), ``upgrades``
        ("+"-joined), ``poi_bus, new_circuit_km, n0_converged, n0_violations,
        n1_violations`` (all, incl. pre-existing), ``attributable_n0,
        attributable_n1, preexisting_n0, preexisting_n1, clears_n0, clears_n1,
        clears`` (no attributable violation), ``max_loading_n0_percent,
        worst_loading_n1_percent, min_vm_n1_pu, hosting_n0_mw, hosting_n1_mw,
        sk_mva, scr`` (IEC 60909 maximum case), ``sk_min_mva, scr_min_case``
        (minimum case) and ``strength`` (class of the minimum-case SCR).
    best_option : str
        Option without attributable N-0/N-1 violation with the fewest new
        circuit-km (ties: largest N-1 hosting); if none clears, the one with the
        largest N-1 hosting.
    best_clears : bool
        Whether ``best_option`` clears every violation.
    best_hosting_n1_mw : float
    note : str
        One-line summary for the report.
    """

    poi_bus: str
    campus_p_mw: float
    campus_q_mvar: float
    options: pd.DataFrame
    best_option: str
    best_clears: bool
    best_hosting_n1_mw: float
    note: str

    @property
    def recommended(self) -> str | None:
        """The recommended interconnection: ``best_option`` if it clears, else None."""
        return self.best_option if self.best_clears else None

    def describe(self, option: str) -> str:
        """One line naming an option: its upgrades or its POI."""
        row = self.options.set_index("option").loc[option]
        if row.kind == "requested":
            return f"requested POI {row.poi_bus} as it is"
        if row.kind == "poi":
            return f"connect at {row.poi_bus} instead ({row.new_circuit_km:,.1f} km new circuit)"
        return f"{row.upgrades} (campus at {row.poi_bus}, {row.new_circuit_km:,.1f} km new circuit)"


def _catalog() -> dict[str, Any]:
    upgrades: dict[str, Any] = memphis_data().get("upgrade", {})
    return upgrades


def with_prerequisites(name: str, applied: Sequence[str] = ()) -> list[str]:
    """``name`` after the upgrades it requires (recursively), minus those already ``applied``.

    Raises
    ------
    NetworkError
        If ``name`` (or a prerequisite) is not a catalog upgrade.
    """
    catalog = _catalog()
    if name not in catalog:
        known = ", ".join(sorted(catalog)) or "none"
        raise NetworkError(f"unknown upgrade {name!r} (known: {known})")
    out: list[str] = []
    for req in catalog[name].get("requires", []):
        out += [u for u in with_prerequisites(req, applied) if u not in out]
    if name not in applied and name not in out:
        out.append(name)
    return out


def _buses_referenced(names: Sequence[str]) -> tuple[set[str], set[str]]:
    """(buses the upgrades need, buses they create)."""
    catalog = _catalog()
    needed: set[str] = set()
    created: set[str] = set()
    for name in names:
        spec = catalog[name]
        created |= {b["name"] for b in spec.get("bus", [])}
        for line in spec.get("line", []):
            needed |= {line["from_bus"], line["to_bus"]}
        for trafo in spec.get("trafo", []):
            needed |= {trafo["hv_bus"], trafo["lv_bus"]}
    return needed - created, created


def applicable_upgrades(model: NetworkModel) -> tuple[str, ...]:
    """Catalog upgrades not yet applied whose buses all exist in the model's network."""
    buses = set(model.bus_table().name)
    out = []
    for name in _catalog():
        if name in model.upgrades:
            continue
        needed, _ = _buses_referenced(with_prerequisites(name, model.upgrades))
        if needed <= buses:
            out.append(name)
    return tuple(out)


def _poi_after(model: NetworkModel, names: Sequence[str]) -> str:
    poi = model.poi_bus
    for name in names:
        spec = _catalog()[name]
        if spec.get("poi_from") == poi and "poi_to" in spec:
            poi = str(spec["poi_to"])
    return poi


def upgraded_model(model: NetworkModel, names: Sequence[str]) -> NetworkModel:
    """The model with more catalog upgrades (and their prerequisites) applied.

    The campus moves to an upgrade's ``poi_to`` bus if it sits at its ``poi_from``.

    Raises
    ------
    NetworkError
        Unknown upgrade, or an upgrade that refers to a bus the network lacks.
    """
    todo: list[str] = []
    for name in names:
        todo += [u for u in with_prerequisites(name, model.upgrades) if u not in todo]
    if not todo:
        return model
    net = apply_upgrades(net_without_campus(model), todo, model.name)
    return model_from_net(
        net,
        model.name + "".join(f" + {u}" for u in todo),
        _poi_after(model, todo),
        model.description,
        model.criteria,
        network=model.network,
        upgrades=(*model.upgrades, *todo),
    )


def _circuit_km(model: NetworkModel) -> float:
    line = model._net.line
    return float((line.length_km * line.parallel)[line.in_service].sum())


@dataclass(frozen=True)
class KnownStudies:
    """Studies of the requested POI already run by the caller (not repeated here)."""

    n0: tuple[N0Result, N0Result]
    """Without, with the campus."""
    n1: tuple[N1Result, N1Result]
    """Without, with the campus."""
    hosting: Mapping[str, HostingResult]
    """Hosting capacity by POI bus (requested and candidate POIs, no upgrade)."""
    short_circuit: ShortCircuitCases
    """Both IEC 60909 cases at the requested POI."""


def _evaluate(
    option: str,
    kind: str,
    model: NetworkModel,
    new_km: float,
    p_mw: float,
    q_mvar: float,
    added: list[str],
    known: KnownStudies | None = None,
) -> dict[str, Any]:
    pf = p_mw / math.hypot(p_mw, q_mvar) if p_mw > 0 else 1.0
    if known is not None and kind == "requested":
        n0_pair, n1_pair = known.n0, known.n1
    else:
        n0_pair = (run_n0(model, 0.0, 0.0), run_n0(model, p_mw, q_mvar))
        n1_pair = (run_n1(model, 0.0, 0.0), run_n1(model, p_mw, q_mvar))
    n0, n1 = n0_pair[1], n1_pair[1]
    verdict = study_verdict(model.topology, p_mw, n0_pair, n1_pair)
    host = known.hosting.get(model.poi_bus) if known is not None and kind != "upgrade" else None
    host = host or hosting_capacity(model, pf, base=(n0_pair[0], n1_pair[0]))
    cases = (
        known.short_circuit
        if known is not None and kind == "requested"
        else run_short_circuit_cases(model, p_mw)
    )
    sc, sc_min = cases.maximum, cases.minimum
    return {
        "option": option,
        "kind": kind,
        "upgrades": " + ".join(added),
        "poi_bus": model.poi_bus,
        "new_circuit_km": new_km,
        "n0_converged": n0.converged,
        "n0_violations": len(n0.violations) if n0.converged else 1,
        "n1_violations": len(n1.violations) if n1.converged else 1,
        "attributable_n0": verdict.attributable_count_n0,
        "attributable_n1": verdict.attributable_count_n1,
        "preexisting_n0": verdict.preexisting_count_n0,
        "preexisting_n1": verdict.preexisting_count_n1,
        "clears_n0": verdict.secure_n0,
        "clears_n1": verdict.attributable_count_n1 == 0,
        "clears": verdict.secure,
        "max_loading_n0_percent": n0.max_branch_loading_percent,
        "worst_loading_n1_percent": n1.worst_loading_percent,
        "min_vm_n1_pu": n1.min_vm_pu,
        "hosting_n0_mw": host.mw_n0,
        "hosting_n1_mw": host.mw_n1,
        "sk_mva": sc.sk_mva,
        "scr": sc.scr,
        "sk_min_mva": sc_min.sk_mva,
        "scr_min_case": sc_min.scr,
        "strength": strength_class(sc_min.scr),
    }


def _best(options: pd.DataFrame) -> tuple[str, bool, float]:
    cleared = options[options.clears]
    if len(cleared):
        row = cleared.sort_values(
            ["new_circuit_km", "hosting_n1_mw"],
            ascending=[True, False],
            kind="stable",
            na_position="last",
        ).iloc[0]
        return str(row.option), True, float(row.hosting_n1_mw)
    row = options.sort_values("hosting_n1_mw", ascending=False, kind="stable").iloc[0]
    return str(row.option), False, float(row.hosting_n1_mw)


def connection_km(model: NetworkModel, poi_bus: str) -> float:
    """Route length of a new circuit from the requested POI to another bus, km.

    Great-circle distance between the two buses times the catalog route factor
    (``data/memphis_network.toml`` ``[system] route_factor``); NaN where a bus
    has no coordinates (most imported networks).
    """
    buses = model.bus_table().set_index("name")
    a, b = buses.loc[model.poi_bus], buses.loc[poi_bus]
    if not np.isfinite([a.lat, a.lon, b.lat, b.lon]).all():
        return float("nan")
    route = float(value_of(memphis_data()["system"]["route_factor"]))
    return route * great_circle_km(a.lat, a.lon, b.lat, b.lon)


POI_OPTION_PREFIX = "POI "


def option_model(model: NetworkModel, options: pd.DataFrame, option: str) -> NetworkModel:
    """The network of one screened option (upgrades applied, or the campus moved)."""
    row = options.set_index("option").loc[option]
    if row.kind == "poi":
        return with_poi(model, str(row.poi_bus))
    if row.kind == "upgrade" and row.upgrades:
        return upgraded_model(model, [u.strip() for u in str(row.upgrades).split("+")])
    return model


def screen_upgrades(
    model: NetworkModel,
    campus_p_mw: float,
    campus_q_mvar: float,
    upgrades: Sequence[str] | None = None,
    candidate_poi_buses: Sequence[str] = (),
    known: KnownStudies | None = None,
) -> UpgradeScreeningResult:
    """Evaluate each upgrade alone and all together, and each candidate POI, with the campus.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar : float
        Campus demand (MW, Mvar; positive = consumption). Hosting capacity is
        searched at the same power factor.
    upgrades : sequence of str, optional
        Catalog upgrade names to screen (e.g. a case's ``[grid] upgrades``);
        default: every catalog upgrade applicable to the network and not yet
        applied (none for most imported networks).
    candidate_poi_buses : sequence of str
        Other buses of the same network the campus could connect to instead
        (a case's ``candidate_poi_buses``), each evaluated without upgrades.
    known : KnownStudies, optional
        The requested POI's N-0/N-1 pairs and the hosting capacities the caller has
        already computed (same campus demand), reused instead of run again.

    Returns
    -------
    UpgradeScreeningResult
        ``options`` table and the preferred option. Solver trouble (divergence,
        islanding) counts as a violation, never raises.

    Raises
    ------
    NetworkError
        For an unknown upgrade or one that does not fit the network.

    References
    ----------
    .. [1] NERC TPL-001-5.1, Table 1 (P0, P1) and R2.7 (corrective action plans).
    .. [2] EPRI 3002008848, 2016 (hosting capacity).
    """
    names = list(applicable_upgrades(model) if upgrades is None else upgrades)
    base_km = _circuit_km(model)
    p, q = campus_p_mw, campus_q_mvar
    moves = [bus for bus in candidate_poi_buses if bus != model.poi_bus]
    total = 1 + len(names) + int(len(names) > 1) + len(moves)
    with progress.task("interconnection options", total=total) as task:
        rows = [_evaluate(NO_UPGRADE, "requested", model, 0.0, p, q, [], known)]
        task.advance()
        for name in names:
            added = with_prerequisites(name, model.upgrades)
            upgraded = upgraded_model(model, [name])
            rows.append(
                _evaluate(name, "upgrade", upgraded, _circuit_km(upgraded) - base_km, p, q, added)
            )
            task.advance()
        if len(names) > 1:
            everything = upgraded_model(model, names)
            added = list(everything.upgrades[len(model.upgrades) :])
            new_km = _circuit_km(everything) - base_km
            rows.append(_evaluate("all", "upgrade", everything, new_km, p, q, added))
            task.advance()
        for bus in moves:
            moved = with_poi(model, bus)
            km = connection_km(model, bus)
            rows.append(_evaluate(POI_OPTION_PREFIX + bus, "poi", moved, km, p, q, [], known))
            task.advance()
    options = pd.DataFrame(rows, columns=OPTION_COLUMNS)
    best, clears, hosting = _best(options)
    verdict = (
        "clears every violation attributable to the campus"
        if clears
        else "no option clears every attributable violation"
    )
    note = (
        f"{len(options)} option(s) screened for {campus_p_mw:,.0f} MW at {model.poi_bus}: "
        f"{verdict}; preferred {best!r} (N-1 hosting {hosting:,.0f} MW)"
    )
    return UpgradeScreeningResult(
        poi_bus=model.poi_bus,
        campus_p_mw=campus_p_mw,
        campus_q_mvar=campus_q_mvar,
        options=options,
        best_option=best,
        best_clears=clears,
        best_hosting_n1_mw=hosting,
        note=note,
    )
