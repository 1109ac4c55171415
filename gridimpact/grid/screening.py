"""Upgrade screening: which network reinforcement clears the campus's violations.

Each catalog upgrade (``[upgrade.*]`` in ``data/memphis_network.toml``) is
evaluated alone (with the upgrades it ``requires``) and all together
(cumulative), with the campus at the POI: intact (N-0) and single-outage (N-1)
AC power flow against the case criteria, N-0/N-1 hosting capacity at the POI
and the IEC 60909 short-circuit level. An upgrade that builds a new bus for the
campus (``poi_from``/``poi_to``) moves the campus there. The length of new
circuits stands in for cost: the preferred option clears every N-0 and N-1
violation with the fewest new circuit-km (then the largest N-1 hosting).

References
----------
.. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", 2020: R2.7 corrective action plans for P0/P1 violations.
.. [2] EPRI, "Defining a Roadmap for Successful Implementation of a Hosting
   Capacity Method for New York State", 3002008848, 2016.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gridimpact.errors import NetworkError
from gridimpact.grid.hosting import hosting_capacity
from gridimpact.grid.memphis import memphis_data
from gridimpact.grid.model import NetworkModel, model_from_net, net_without_campus
from gridimpact.grid.n0 import run_n0
from gridimpact.grid.n1 import run_n1
from gridimpact.grid.shortcircuit import run_short_circuit
from gridimpact.grid.upgrades import apply_upgrades

NO_UPGRADE = "none"
OPTION_COLUMNS = [
    "option",
    "upgrades",
    "poi_bus",
    "new_circuit_km",
    "n0_converged",
    "n0_violations",
    "n1_violations",
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
        prerequisites, then ``"all"`` if there are several): ``option,
        upgrades`` ("+"-joined), ``poi_bus, new_circuit_km, n0_converged,
        n0_violations, n1_violations, clears_n0, clears_n1, clears,
        max_loading_n0_percent, worst_loading_n1_percent, min_vm_n1_pu,
        hosting_n0_mw, hosting_n1_mw, sk_mva, scr, strength``.
    best_option : str
        Option that clears N-0 and N-1 with the fewest new circuit-km (ties:
        largest N-1 hosting); if none clears, the one with the largest N-1 hosting.
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


def _evaluate(
    option: str, model: NetworkModel, base_km: float, p_mw: float, q_mvar: float, added: list[str]
) -> dict[str, Any]:
    pf = p_mw / math.hypot(p_mw, q_mvar) if p_mw > 0 else 1.0
    n0 = run_n0(model, p_mw, q_mvar)
    n1 = run_n1(model, p_mw, q_mvar)
    host = hosting_capacity(model, pf)
    sc = run_short_circuit(model, p_mw)
    n0_viol = len(n0.violations) if n0.converged else 1
    n1_viol = len(n1.violations) if n1.converged else 1
    return {
        "option": option,
        "upgrades": " + ".join(added),
        "poi_bus": model.poi_bus,
        "new_circuit_km": _circuit_km(model) - base_km,
        "n0_converged": n0.converged,
        "n0_violations": n0_viol,
        "n1_violations": n1_viol,
        "clears_n0": n0.secure,
        "clears_n1": n1.converged and n1.secure,
        "clears": n0.secure and n1.converged and n1.secure,
        "max_loading_n0_percent": n0.max_branch_loading_percent,
        "worst_loading_n1_percent": n1.worst_loading_percent,
        "min_vm_n1_pu": n1.min_vm_pu,
        "hosting_n0_mw": host.mw_n0,
        "hosting_n1_mw": host.mw_n1,
        "sk_mva": sc.sk_mva,
        "scr": sc.scr,
        "strength": sc.strength,
    }


def _best(options: pd.DataFrame) -> tuple[str, bool, float]:
    cleared = options[options.clears]
    if len(cleared):
        row = cleared.sort_values(
            ["new_circuit_km", "hosting_n1_mw"], ascending=[True, False], kind="stable"
        ).iloc[0]
        return str(row.option), True, float(row.hosting_n1_mw)
    row = options.sort_values("hosting_n1_mw", ascending=False, kind="stable").iloc[0]
    return str(row.option), False, float(row.hosting_n1_mw)


def screen_upgrades(
    model: NetworkModel,
    campus_p_mw: float,
    campus_q_mvar: float,
    upgrades: Sequence[str] | None = None,
) -> UpgradeScreeningResult:
    """Evaluate each network upgrade alone and all together with the campus at the POI.

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
    rows = [_evaluate(NO_UPGRADE, model, base_km, campus_p_mw, campus_q_mvar, [])]
    for name in names:
        added = with_prerequisites(name, model.upgrades)
        rows.append(
            _evaluate(
                name, upgraded_model(model, [name]), base_km, campus_p_mw, campus_q_mvar, added
            )
        )
    if len(names) > 1:
        everything = upgraded_model(model, names)
        added = list(everything.upgrades[len(model.upgrades) :])
        rows.append(_evaluate("all", everything, base_km, campus_p_mw, campus_q_mvar, added))
    options = pd.DataFrame(rows, columns=OPTION_COLUMNS)
    best, clears, hosting = _best(options)
    verdict = "clears all N-0/N-1 violations" if clears else "no option clears every violation"
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
