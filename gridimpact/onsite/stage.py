"""The on-site generation stage: fleet, dispatch, emission scenarios, permit comparison.

``run_onsite`` takes the case's ``[onsite]`` table, the hourly campus load and the
hours in which the grid studies found the campus unservable, and returns the frozen
:class:`OnsiteResult`: potential to emit of every pollutant (per unit and fleet), the
four emission scenarios, every cap and threshold, and the exceedances. Equations:
``docs/methodology.md`` section 5.4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.case.onsite import OnsiteSection, TurbineUnits
from gridimpact.onsite.catalog import POLLUTANTS, TurbineCatalog, load_turbine_catalog
from gridimpact.onsite.dispatch import dispatch_against_import_cap
from gridimpact.onsite.emissions import emissions_tons, fuel_mmbtu
from gridimpact.onsite.permits import (
    CRITERIA,
    AirPermitData,
    find_exceedances,
    limits_table,
    load_air_permit_data,
    max_hours_within,
)
from gridimpact.schema import Sourced, iter_sourced

SCENARIOS = ("as_permitted", "backup", "interim_primary", "mitigated")
NO_FLEET = "none: the case declares no on-site generation"


@dataclass(frozen=True)
class Fleet:
    """A fleet of unit groups, loaded in proportion to capacity."""

    groups: tuple[tuple[str, int, float, float], ...]
    """(model, count, unit rating MW, HHV heat rate Btu/kWh) per group."""
    rating_mw: float
    unit_count: int
    heat_rate_hhv_btu_per_kwh: float
    """Capacity-weighted (all units at the same load fraction)."""
    min_load_fraction: float


def build_fleet(units: list[TurbineUnits], catalog: TurbineCatalog) -> Fleet:
    """Aggregate unit groups; ratings from the case where given, else the catalog."""
    groups, mins = [], []
    for u in units:
        m = catalog.models[u.model]
        rating = m.rating_mw.value if u.rating_mw is None else u.rating_mw.value
        groups.append((u.model, u.count.value, rating, catalog.heat_rate_hhv_btu_per_kwh(u.model)))
        mins.append(m.min_load_fraction.value)
    caps = np.array([n * r for _, n, r, _ in groups], dtype=float)
    total = float(caps.sum())
    if total <= 0.0:
        return Fleet(tuple(groups), 0.0, 0, 0.0, 0.0)
    hr = float(np.dot(caps, [g[3] for g in groups]) / total)
    return Fleet(
        tuple(groups),
        total,
        int(sum(g[1] for g in groups)),
        hr,
        float(np.dot(caps, mins) / total),
    )


@dataclass(frozen=True)
class InterimFleet:
    """The interim fleet of the case: prime power before the grid connection."""

    description: str
    fleet: Fleet
    control: str
    """Description of its emission control (the turbine catalog's words)."""
    months: float
    """Months of interim operation, as the case gives them (the scenario counts 12 at most)."""
    grid_supply_mw: float
    """Grid supply during the interim; the fleet carries the load above it."""


@dataclass(frozen=True)
class OnsiteResult:
    """Results of the on-site stage.

    ``scenarios`` maps each of :data:`SCENARIOS` to tons per pollutant (short t/yr;
    ``interim_primary``: tons in the interim's first 12 months); ``scenario_basis``
    says how each was computed. ``emissions`` is the pollutants × (scenarios, limits)
    table of the report (NaN where a limit does not apply). ``unit_pte`` holds the
    potential to emit of one unit of each group and of the fleet. ``turbine_hourly``
    shares the index of the hourly load; ``grid_import_normal_mw`` is the grid import
    without backup duty (the import cap alone). ``fleet`` is the permanent fleet
    (no units without one), ``permitted_hours_per_year`` the case's permitted hours and
    ``interim`` the interim fleet (``None`` if the case has none). Words about these
    values are written by the report (:func:`gridimpact.report.narrative.onsite_findings`).
    """

    fleet_name: str
    fleet: Fleet
    permitted_hours_per_year: float
    interim: InterimFleet | None
    headline: dict[str, float]
    pte_tons_per_year: dict[str, float]
    permit_caps_tons_per_year: dict[str, float | None]
    scenarios: dict[str, dict[str, float]]
    scenario_basis: pd.DataFrame
    emissions: pd.DataFrame
    unit_pte: pd.DataFrame
    exceedances: tuple[dict[str, Any], ...]
    turbine_hourly: pd.DataFrame
    grid_import_normal_mw: pd.Series
    parameters: tuple[tuple[str, Sourced[Any]], ...]


def _tons(fuel: float, factors: dict[str, float]) -> dict[str, float]:
    return {p: float(emissions_tons(fuel, factors[p])) for p in POLLUTANTS}


def _permitted_factors(
    onsite: OnsiteSection, catalog: TurbineCatalog, air: AirPermitData
) -> dict[str, float]:
    gwp = (air.gwp.ch4.value, air.gwp.n2o.value)
    f = catalog.factors_lb_per_mmbtu(onsite.turbine_control, *gwp)
    if onsite.nox_guarantee_ppmvd_at_15pct_o2 is not None:
        f["NOx"] = catalog.ppmvd_to_lb_per_mmbtu(
            "NOx", onsite.nox_guarantee_ppmvd_at_15pct_o2.value
        )
    if onsite.co_guarantee_ppmvd_at_15pct_o2 is not None:
        f["CO"] = catalog.ppmvd_to_lb_per_mmbtu("CO", onsite.co_guarantee_ppmvd_at_15pct_o2.value)
    return f


def _dispatch(
    fleet: Fleet, load_mw: np.ndarray, cap_mw: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if fleet.unit_count == 0:
        zeros = np.zeros_like(load_mw)
        return zeros, load_mw.copy(), zeros
    return dispatch_against_import_cap(
        load_mw,
        cap_mw,
        fleet.rating_mw / fleet.unit_count,
        fleet.unit_count,
        fleet.min_load_fraction,
    )


def _pte_fuel_mmbtu(fleet: Fleet, hours: float) -> float:
    return float(sum(fuel_mmbtu(hours * n * r, hr) for _, n, r, hr in fleet.groups))


def run_onsite(
    onsite: OnsiteSection,
    facility_hourly_mw: pd.Series,
    unservable_hours: np.ndarray,
    secure_import_mw: float,
) -> OnsiteResult:
    """Fleet, dispatch, potential to emit, scenarios and permit comparison for one campus.

    Parameters
    ----------
    onsite : OnsiteSection
        The case's ``[onsite]`` table.
    facility_hourly_mw : pandas.Series
        Campus load at the POI, hour by hour (MW).
    unservable_hours : ndarray of bool
        Hours in which the grid cannot serve the campus within criteria
        (:func:`gridimpact.onsite.dispatch.grid_unservable_hours`).
    secure_import_mw : float
        Grid import the campus may keep in those hours (the N-1 hosting capacity) (MW).

    Returns
    -------
    OnsiteResult

    References
    ----------
    .. [1] EPA AP-42 §3.1 (factors); 40 CFR 60 App. A-7 Method 19 (ppm → lb/MMBtu);
       40 CFR 70.2, 52.21 and 63.2 (thresholds).
    """
    load = np.asarray(facility_hourly_mw, dtype=float).clip(min=0.0)
    unservable = np.asarray(unservable_hours, dtype=bool)
    if unservable.shape != load.shape:
        raise ValueError("run_onsite: unservable_hours must match facility_hourly_mw")
    if not math.isfinite(secure_import_mw) or secure_import_mw < 0.0:
        raise ValueError(f"run_onsite: secure_import_mw must be >= 0 (got {secure_import_mw})")
    catalog, air = load_turbine_catalog(), load_air_permit_data()
    gwp = (air.gwp.ch4.value, air.gwp.n2o.value)
    fleet = build_fleet(onsite.units, catalog)
    permitted = _permitted_factors(onsite, catalog, air)
    mitigation = catalog.factors_lb_per_mmbtu(air.mitigation.control, *gwp)
    mitigated = {p: min(permitted[p], mitigation[p]) for p in POLLUTANTS}
    hours = onsite.permitted_hours_per_year.value

    # dispatch: the import cap always; in unservable hours also the secure import
    cap = math.inf if onsite.grid_import_cap_mw is None else onsite.grid_import_cap_mw.value
    _, grid_normal, _ = _dispatch(fleet, load, cap)
    cap_h = np.where(unservable, min(cap, secure_import_mw), cap)
    turbine_mw, grid_mw, units = _dispatch(fleet, load, cap_h)
    energy_mwh = float(turbine_mw.sum())
    backup_fuel = float(fuel_mmbtu(energy_mwh, fleet.heat_rate_hhv_btu_per_kwh))

    # the interim fleet: prime power above the interim grid supply
    interim_row: dict[str, Any] = {"fleet": "none in the case", "control": "", "hours": 0.0}
    interim_fuel, interim_factors = 0.0, permitted
    interim: InterimFleet | None = None
    if onsite.interim is not None:
        it = onsite.interim
        ifleet = build_fleet(it.units, catalog)
        months = min(it.months.value, 12.0)
        above = np.clip(load - it.grid_supply_mw.value, 0.0, ifleet.rating_mw)
        interim_mwh = float(above.sum()) * months / 12.0
        interim_fuel = float(fuel_mmbtu(interim_mwh, ifleet.heat_rate_hhv_btu_per_kwh))
        interim_factors = catalog.factors_lb_per_mmbtu(it.control, *gwp)
        interim = InterimFleet(
            description=it.description,
            fleet=ifleet,
            control=catalog.controls[it.control].description,
            months=it.months.value,
            grid_supply_mw=it.grid_supply_mw.value,
        )
        interim_row = {
            "fleet": f"{it.description} ({ifleet.unit_count} units, {ifleet.rating_mw:.0f} MW)",
            "control": catalog.controls[it.control].description,
            "hours": float(np.count_nonzero(above > 0.0)) * months / 12.0,
            "energy_mwh": interim_mwh,
            "fuel_mmbtu": interim_fuel,
        }

    pte_fuel = _pte_fuel_mmbtu(fleet, hours)
    scenarios = {
        "as_permitted": _tons(pte_fuel, permitted),
        "backup": _tons(backup_fuel, permitted),
        "interim_primary": _tons(interim_fuel, interim_factors),
        "mitigated": _tons(pte_fuel, mitigated),
    }
    fleet_desc = onsite.fleet_name if fleet.unit_count else NO_FLEET
    permitted_desc = catalog.controls[onsite.turbine_control].description
    basis = pd.DataFrame(
        [
            {
                "scenario": "as_permitted",
                "fleet": fleet_desc,
                "control": permitted_desc,
                "hours": hours if fleet.unit_count else 0.0,
                "energy_mwh": hours * fleet.rating_mw,
                "fuel_mmbtu": pte_fuel,
            },
            {
                "scenario": "backup",
                "fleet": fleet_desc,
                "control": permitted_desc,
                "hours": float(np.count_nonzero(units > 0)),
                "energy_mwh": energy_mwh,
                "fuel_mmbtu": backup_fuel,
            },
            {"scenario": "interim_primary", **interim_row},
            {
                "scenario": "mitigated",
                "fleet": fleet_desc,
                "control": catalog.controls[air.mitigation.control].description,
                "hours": hours if fleet.unit_count else 0.0,
                "energy_mwh": hours * fleet.rating_mw,
                "fuel_mmbtu": pte_fuel,
            },
        ]
    ).fillna(0.0)

    caps: dict[str, float] = {str(p): s.value for p, s in onsite.permit_caps.items()}
    limits = limits_table(air.thresholds(), caps)
    exceedances: list[dict[str, Any]] = []
    for name in SCENARIOS:
        found = find_exceedances(scenarios[name], limits, compare_caps=name != "interim_primary")
        exceedances += [{"scenario": name, **e} for e in found]

    per_hour = {p: t / hours for p, t in scenarios["as_permitted"].items()} if hours else {}
    minor = {p: limits[p]["title_v_major_source"] for p in CRITERIA}
    minor |= {p: limits[p]["hap_major_source"] for p in ("formaldehyde", "HAP_total")}
    within_caps = max_hours_within(per_hour, caps) if fleet.unit_count else math.inf
    as_minor = max_hours_within(per_hour, minor) if fleet.unit_count else math.inf

    headline = {
        "turbine_fleet_mw": fleet.rating_mw,
        "turbine_unit_count": float(fleet.unit_count),
        "turbine_energy_mwh_per_year": energy_mwh,
        "turbine_fuel_mmbtu_per_year": backup_fuel,
        "turbine_hours_per_year": float(np.count_nonzero(units > 0)),
        "turbine_unit_hours_per_year": float(units.sum()),
        "turbine_nox_tons_per_year": scenarios["backup"]["NOx"],
        "turbine_co2_tons_per_year": scenarios["backup"]["CO2"],
        "turbine_nox_tons_per_year_at_permitted_hours": scenarios["as_permitted"]["NOx"],
        "grid_unservable_hours_per_year": float(np.count_nonzero(unservable)),
        "backup_secure_import_mw": secure_import_mw,
        "unserved_above_cap_mwh_per_year": float(np.sum(np.clip(grid_mw - cap_h, 0.0, None))),
        "permit_caps_max_hours_per_year": within_caps,
        "minor_source_max_hours_per_year": as_minor,
    }
    emissions = _emissions_table(scenarios, limits)
    unit_pte = _unit_pte(fleet, hours, permitted)
    turbine_hourly = pd.DataFrame(
        {
            "turbine_power_mw": turbine_mw,
            "grid_import_mw": grid_mw,
            "units_running": units.astype(int),
            "grid_unservable": unservable,
        },
        index=facility_hourly_mw.index,
    )
    params = _parameters(onsite, catalog, air)
    return OnsiteResult(
        fleet_name=fleet_desc,
        fleet=fleet,
        permitted_hours_per_year=hours,
        interim=interim,
        headline=headline,
        pte_tons_per_year=scenarios["as_permitted"],
        permit_caps_tons_per_year={p: caps.get(p) for p in POLLUTANTS},
        scenarios=scenarios,
        scenario_basis=basis,
        emissions=emissions,
        unit_pte=unit_pte,
        exceedances=tuple(exceedances),
        turbine_hourly=turbine_hourly,
        grid_import_normal_mw=pd.Series(grid_normal, index=facility_hourly_mw.index),
        parameters=params,
    )


def _emissions_table(
    scenarios: dict[str, dict[str, float]], limits: dict[str, dict[str, float]]
) -> pd.DataFrame:
    rows = []
    for p in POLLUTANTS:
        row: dict[str, Any] = {"pollutant": p}
        row |= {f"{s}_tons_per_year": scenarios[s][p] for s in SCENARIOS}
        for kind in (
            "permit_cap",
            "title_v_major_source",
            "psd_major_source",
            "psd_significant_emission_rate",
            "hap_major_source",
        ):
            row[f"{kind}_tons_per_year"] = limits.get(p, {}).get(kind, math.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def _unit_pte(fleet: Fleet, hours: float, factors: dict[str, float]) -> pd.DataFrame:
    rows = []
    for model, count, rating, hr in fleet.groups:
        fuel = float(fuel_mmbtu(hours * rating, hr))
        rows.append(
            {
                "units": f"1 x {model}",
                "count": count,
                "rating_mw": rating,
                "heat_rate_hhv_btu_per_kwh": hr,
                "fuel_mmbtu_per_year": fuel,
                **{f"{p}_tons_per_year": v for p, v in _tons(fuel, factors).items()},
            }
        )
    if rows:
        fuel = _pte_fuel_mmbtu(fleet, hours)
        rows.append(
            {
                "units": "fleet",
                "count": fleet.unit_count,
                "rating_mw": fleet.rating_mw,
                "heat_rate_hhv_btu_per_kwh": fleet.heat_rate_hhv_btu_per_kwh,
                "fuel_mmbtu_per_year": fuel,
                **{f"{p}_tons_per_year": v for p, v in _tons(fuel, factors).items()},
            }
        )
    return pd.DataFrame(rows)


def _parameters(
    onsite: OnsiteSection, catalog: TurbineCatalog, air: AirPermitData
) -> tuple[tuple[str, Sourced[Any]], ...]:
    models = {u.model for u in onsite.units}
    controls = {onsite.turbine_control, air.mitigation.control}
    if onsite.interim is not None:
        models |= {u.model for u in onsite.interim.units}
        controls.add(onsite.interim.control)
    items: list[tuple[str, Sourced[Any]]] = []
    for m in sorted(models):
        items += iter_sourced(catalog.models[m], f"turbines.models.{m}.")
    for c in sorted(controls):
        items += iter_sourced(catalog.controls[c], f"turbines.controls.{c}.")
    items += iter_sourced(catalog.common, "turbines.common.")
    items += iter_sourced(catalog.fuel, "turbines.fuel.")
    items += iter_sourced(air, "air_permits.")
    return tuple(items)
