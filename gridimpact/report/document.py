"""The machine-readable summary of a study: ``results.json``.

Every number the PDF prints is taken from the document built here, so the
report and the JSON cannot disagree. Numbers are rounded once, here, by the
unit suffix of their key; the report prints them exactly as stored.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import RootModel

from gridimpact import __version__
from gridimpact.data import load_validated
from gridimpact.grid import TimeSeriesResult, network_parameters
from gridimpact.report.narrative import dynamics_findings, onsite_findings, time_domain_findings
from gridimpact.schema import Sourced, iter_sourced
from gridimpact.thermal.water import m3_per_h_to_mgd

if TYPE_CHECKING:
    from gridimpact.onsite.stage import OnsiteResult
    from gridimpact.study import StudyResult

RESULTS_SCHEMA_VERSION = "1.1"
REFERENCES_FILE = "references.toml"


class _References(RootModel[dict[str, Sourced[float]]]):
    """Local reference quantities (``gridimpact/data/references.toml``)."""


@lru_cache(maxsize=1)
def load_references() -> dict[str, Sourced[float]]:
    """Cited local references that reports compare results against."""
    return load_validated(REFERENCES_FILE, _References).root


# decimals by the unit token in a key (matched on "_" boundaries); first match wins
_DECIMALS: tuple[tuple[str, int], ...] = (
    ("_hours_per_year", 0),
    ("_cycles_per_year", 0),
    ("_years", 1),
    ("emission_scenarios", 1),
    ("permit_exceedances", 1),
    ("_fluctuation_percent", 3),
    ("_limit_percent", 3),
    ("_mw_per_s", 1),
    ("_l_per_kwh", 3),
    ("_tons_per_year", 1),
    ("_vm_pu", 4),
    ("_pu", 4),
    ("_percent", 1),
    ("_hz", 3),
    ("_gwh", 1),
    ("_mwh", 1),
    ("_mw", 1),
    ("_mvar", 1),
    ("_mva", 0),
    ("_ka", 2),
    ("_mgd", 3),
    ("_m3_per_h", 0),
    ("mmbtu", 0),
    ("_btu_per_kwh", 0),
    ("x_over_r", 1),
    ("pst", 2),
    ("plt", 2),
    ("pue", 3),
    ("amplification", 1),
)
DEFAULT_DECIMALS = 3

# short-circuit ratios: 2 decimals below 10 (the weak / very weak classes end at 3 and
# 2, so the second decimal decides), 2 significant figures above (77.06 → 77)
_SCR_TOKENS = ("scr", "escr", "short_circuit_ratio")


def _round_scr(value: float) -> float:
    if abs(value) < 10.0:
        return round(value, 2)
    digits = 2 - len(str(int(abs(value))))
    return float(round(value, digits))


def round_for_key(key: str, value: Any) -> Any:
    """Round a float by the unit named in its key (see ``_DECIMALS``).

    ``max_ramp_mw_per_s`` → 1 decimal, ``poi_vm_pu`` → 4, ``bess_power_mw_required``
    → 1, ``pst_poi`` → 2, ``flow_m3_per_h`` → 0; short-circuit ratios 2 decimals below
    10 and 2 significant figures above (``scr`` 77.06 → 77.0, 2.983 → 2.98); other
    floats get 3 decimals. Non-finite floats become ``None`` (JSON has
    no NaN): a missing number is shown as missing, never as a silent NaN. Dicts and
    lists are rounded element by element by the same key
    (``turbine_pte_tons_per_year`` → every pollutant to 1 decimal).
    """
    if isinstance(value, dict):
        return {k: round_for_key(key, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [round_for_key(key, v) for v in value]
    if isinstance(value, bool) or not isinstance(value, float | int):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int):
        return value
    bounded = f"_{key}_"
    if any(f"_{token}_" in bounded for token in _SCR_TOKENS):
        return _round_scr(value)
    for token, decimals in _DECIMALS:
        if f"_{token.strip('_')}_" in bounded:
            return round(value, decimals)
    return round(value, DEFAULT_DECIMALS)


def headline(result: StudyResult) -> dict[str, Any]:
    """Headline scalars of one study, rounded for display."""
    case = result.loaded.case
    fac = result.facility
    n0 = result.grid.n0_campus
    raw: dict[str, Any] = {
        "gpu_count": result.it.gpu_count,
        "gpu_model": result.it.gpu_model,
        "racks": result.it.racks,
        "it_nameplate_mw": result.it.it_nameplate_mw,
        "it_peak_mw": result.it.it_peak_mw,
        "facility_peak_mw": fac.peak_mw,
        "facility_peak_mvar": fac.peak_q_mvar,
        "annual_energy_gwh": fac.annual_energy_gwh,
        "pue_design_day": fac.pue_design_day,
        "pue_annual": fac.pue_annual,
        "cooling_architecture": result.thermal.architecture,
        "cooling_design_ok": result.thermal.design_ok,
        "poi_bus": n0.poi_bus,
        "poi_vm_pu": n0.poi_vm_pu,
        "n0_converged": n0.converged,
        "max_branch_loading_percent_n0": n0.max_branch_loading_percent,
        "max_loading_branch_n0": n0.max_loading_branch,
        "min_vm_pu_n0": n0.min_vm_pu,
        "n0_violation_count": len(n0.violations),
        "share_of_utility_peak_percent": 100.0 * fac.peak_mw / case.grid.utility_peak_mw.value,
        "share_of_system_peak_percent": 100.0 * fac.peak_mw / case.grid.system_peak_mw.value,
    }
    raw.update(
        {
            "facility_peak_mw_design_day": fac.peak_mw_design_day,
            "facility_peak_mw_hourly_year": fac.peak_mw_year,
            "facility_peak_hour": fac.peak_hour_label,
        }
    )
    raw.update(_cooling_headline(result))
    raw.update(_grid_headline(result))
    raw.update({key: result.dynamics.headline[key] for key in DYNAMICS_HEADLINE_KEYS})
    raw.update(recommended_headline(result))
    raw.update(onsite_headline(result.onsite))
    if result.capacity is not None:
        raw.update(result.capacity.headline)
    raw.update(time_domain_headline(result))
    raw.update(_sensitivity_headline(result))
    return {key: round_for_key(key, value) for key, value in raw.items()}


ONSITE_HEADLINE_KEYS = (
    "turbine_fleet_mw",
    "turbine_hours_per_year",
    "turbine_nox_tons_per_year",
    "turbine_nox_tons_per_year_at_permitted_hours",
    "turbine_co2_tons_per_year",
    "grid_unservable_hours_per_year",
    "permit_caps_max_hours_per_year",
    "minor_source_max_hours_per_year",
)


def onsite_headline(onsite: OnsiteResult) -> dict[str, Any]:
    """Headline values of the on-site stage, including the air-permit contract keys.

    ``onsite_fleet`` (name), ``turbine_pte_tons_per_year`` and
    ``permit_caps_tons_per_year`` (by pollutant; ``None`` where the case has no cap),
    ``emission_scenarios`` (scenario → pollutant → tons) and ``permit_exceedances``
    (``scenario, pollutant, value, limit, limit_kind`` records).
    """
    out: dict[str, Any] = {key: onsite.headline[key] for key in ONSITE_HEADLINE_KEYS}
    out.update(
        {
            "onsite_fleet": onsite.fleet_name,
            "turbine_pte_tons_per_year": dict(onsite.pte_tons_per_year),
            "permit_caps_tons_per_year": dict(onsite.permit_caps_tons_per_year),
            "emission_scenarios": {k: dict(v) for k, v in onsite.scenarios.items()},
            "permit_exceedances": [dict(e) for e in onsite.exceedances],
            "permit_exceedance_count": len(onsite.exceedances),
        }
    )
    return out


DYNAMICS_HEADLINE_KEYS = (
    "swing_peak_to_peak_mw",
    "max_ramp_mw_per_s",
    "band_energy_fraction",
    "poi_voltage_fluctuation_percent",
    "pst_poi",
    "plt_poi",
    "pst_limit_allocated",
    "plt_limit_allocated",
    "flicker_within_limits",
    "load_loss_freq_deviation_hz",
    "load_loss_poi_vm_pu",
    "pst_poi_with_bess",
    "plt_poi_with_bess",
    "bess_power_mw_required",
    "bess_energy_mwh_required",
    "bess_c_rate",
    "bess_full_cycles_per_year",
    "bess_roundtrip_efficiency",
    "bess_cycle_life_years",
    "pst_poi_smoothed",
    "smoothing_energy_mwh_per_year",
    "waveform_mean_mw",
    "waveform_peak_mw",
    "waveform_hour_facility_mw",
    "waveform_hour",
    "poi_max_transfer_mw",
    "poi_voltage_collapse",
)

#: Headline keys of the time-domain studies (issue 12), ``None`` when not performed.
TIME_DOMAIN_HEADLINE_KEYS = (
    "dynamics_engine",
    "dynamics_performed",
    "load_loss_freq_peak_deviation_hz",
    "load_loss_rocof_hz_per_s",
    "load_loss_poi_overvoltage_pu",
    "load_loss_settling_freq_deviation_hz",
    "fault_clearing_time_s",
    "fault_poi_min_voltage_pu",
    "fault_ride_through_load_tripped_mw",
    "fault_freq_peak_deviation_hz",
    "electromechanical_modes",
    "swing_mode_min_frequency_separation_hz",
    "swing_mode_nearest_frequency_hz",
    "swing_mode_nearest_damping_ratio",
    "forced_oscillation_frequency_hz",
    "forced_oscillation_amplitude_mw",
    "forced_oscillation_poi_voltage_amplitude_pu",
    "forced_oscillation_machine_pe_amplitude_mw",
    "forced_oscillation_amplification",
)


def time_domain_headline(result: StudyResult) -> dict[str, Any]:
    """The time-domain keys (all ``None`` but the engine when the studies did not run)."""
    td = result.time_domain
    if td is None:
        return {k: None for k in TIME_DOMAIN_HEADLINE_KEYS} | {
            "dynamics_performed": False,
            "dynamics_not_performed_reason": "the time-domain stage was not run",
        }
    h = td.headline
    out = {k: h.get(k) for k in TIME_DOMAIN_HEADLINE_KEYS}
    out["dynamics_not_performed_reason"] = td.reason if not td.performed else ""
    return out


def _sensitivity_headline(result: StudyResult) -> dict[str, Any]:
    table = result.gpu_sensitivity
    if table is None:
        return {}
    return {
        "gpu_sensitivity_facility_peak_mw": {
            str(r.gpu_model): float(r.facility_peak_mw) for r in table.itertuples()
        },
        "gpu_sensitivity_hosting_margin_n1_mw": {
            str(r.gpu_model): float(r.hosting_margin_n1_mw) for r in table.itertuples()
        },
    }


def recommended_headline(result: StudyResult) -> dict[str, Any]:
    """The study at the recommended interconnection: ``recommended_interconnection`` and
    the POI-dependent keys with the suffix ``_recommended`` (None if no option passes).
    """
    rec = result.grid.recommended
    dyn = result.dynamics_recommended
    keys = ("poi_bus", "poi_vm_pu", "poi_sc_mva", "scr", "scr_min_case", "grid_strength")
    out: dict[str, Any] = {"recommended_interconnection": None if rec is None else rec.option}
    out["recommended_interconnection_description"] = (
        "no screened option passes" if rec is None else rec.description
    )
    if rec is None or dyn is None:
        out.update({f"{k}_recommended": None for k in (*keys, *DYNAMICS_HEADLINE_KEYS)})
        return out
    sc, sc_min = rec.short_circuit, rec.short_circuit_min
    values = {
        "poi_bus": rec.network.poi_bus,
        "poi_vm_pu": rec.n0_campus.poi_vm_pu,
        "poi_sc_mva": sc.sk_mva,
        "scr": sc.scr,
        "scr_min_case": sc_min.scr,
        "grid_strength": sc_min.strength,
    }
    out.update({f"{k}_recommended": v for k, v in values.items()})
    out.update({f"{k}_recommended": dyn.headline[k] for k in DYNAMICS_HEADLINE_KEYS})
    return out


def _cooling_headline(result: StudyResult) -> dict[str, Any]:
    summary = result.thermal.summary()
    daily = result.thermal.hourly["makeup_water_m3_per_h"].resample("D").mean()
    return {
        "cooling_peak_mw": summary["design_day_peak_cooling_power_mw"],
        "water_makeup_avg_mgd": summary["mean_makeup_water_mgd"],
        "water_makeup_peak_mgd": float(m3_per_h_to_mgd(float(daily.max()))),
        "wue_l_per_kwh": summary["wue_l_per_kwh"],
        "economizer_hours": summary["economizer_hours"],
        "cooling_design_resized": bool(summary["design_resized"]),
        "cooling_design_resize_steps": int(summary["design_resize_steps"]),
    }


def n0_violation_hours(ts: TimeSeriesResult) -> int:
    """Hours failing the N-0 criteria: with a violation, or with no power-flow solution."""
    return int(ts.hours_with_violation + ts.hours - ts.hours_converged)


def _grid_headline(result: StudyResult) -> dict[str, Any]:
    grid = result.grid
    n1, sc, host, ts = grid.n1_campus, grid.short_circuit, grid.hosting, grid.timeseries
    verdict, sc_min = grid.verdict, grid.short_circuit_min
    limit = host.limiting_element_n1
    if host.limiting_contingency_n1:
        limit = (
            f"{limit} ({host.limiting_quantity_n1}) for outage of {host.limiting_contingency_n1}"
        )
    return {
        "network_bus_count": grid.network.topology.n_bus,
        "line_rating_basis": (
            grid.line_ratings.basis if grid.line_ratings is not None else "file ratings (static)"
        ),
        "n1_outage_count": ts.n1.n_contingencies if ts.n1 is not None else n1.n_contingencies,
        "n1_outage_count_by_category": dict(getattr(n1, "outage_count_by_category", {})),
        "n0_secure": verdict.secure_n0,
        "n1_secure": verdict.secure,
        "n1_violation_count": len(n1.violations) if n1.converged else None,
        "attributable_violation_count_n0": verdict.attributable_count_n0,
        "attributable_violation_count_n1": verdict.attributable_count_n1,
        "preexisting_violation_count_n0": verdict.preexisting_count_n0,
        "preexisting_violation_count_n1": verdict.preexisting_count_n1,
        "curtailment_violation_count_n1": verdict.curtailment_count_n1,
        "max_load_lost_mw_n1": getattr(n1, "max_load_lost_mw", float("nan")),
        "n1_worst_loading_percent": n1.worst_loading_percent,
        "n1_min_vm_pu": n1.min_vm_pu,
        "poi_sc_mva": sc.sk_mva,
        "poi_x_over_r": sc.x_over_r,
        "scr": sc.scr,
        "poi_sc_min_mva": sc_min.sk_mva,
        "scr_min_case": sc_min.scr,
        "escr_min_case": getattr(sc_min, "escr", float("nan")),
        "grid_strength": sc_min.strength,
        "hosting_capacity_n0_mw": host.mw_n0,
        "hosting_capacity_n1_mw": host.mw_n1,
        "hosting_limit": limit,
        "hosting_margin_n1_mw": host.mw_n1 - result.facility.peak_mw,
        "violation_hours_n0": n0_violation_hours(ts),
        "attributable_violation_hours_n0": ts.hours_with_attributable_violation,
        "violation_hours_n1": ts.n1.hours_with_violation if ts.n1 is not None else None,
        "upgrade_best_option": grid.upgrades.best_option,
        "upgrade_best_clears": grid.upgrades.best_clears,
        "upgrade_best_hosting_n1_mw": grid.upgrades.best_hosting_n1_mw,
    }


ENERGY_COMPONENTS = (
    ("it_power_mw", "IT equipment", "facility"),
    ("fans_mw", "cooling: fans (CRAH, towers, dry coolers)", "thermal"),
    ("pumps_mw", "cooling: pumps (CDU, facility, chilled and condenser water)", "thermal"),
    ("chillers_mw", "cooling: chillers", "thermal"),
    ("ups_loss_mw", "UPS losses", "facility"),
    ("transformer_loss_mw", "transformer losses", "facility"),
    ("misc_power_mw", "lighting and building services", "facility"),
)


def energy_breakdown(result: StudyResult) -> pd.DataFrame:
    """Annual energy by component and its contribution to the annual PUE.

    ``pue_contribution`` sums to the annual PUE (each component's energy over IT
    energy), so the share of every component in the PUE is explicit.
    """
    tables = {"facility": result.facility.hourly, "thermal": result.thermal.hourly}
    it_mwh = float(result.facility.hourly["it_power_mw"].sum())
    rows = []
    for column, name, source in ENERGY_COMPONENTS:
        mwh = float(tables[source][column].sum())
        rows.append(
            {
                "component": name,
                "annual_energy_gwh": mwh / 1000.0,
                "share_of_facility_percent": 100.0
                * mwh
                / float(result.facility.hourly["facility_power_mw"].sum()),
                "pue_contribution": mwh / it_mwh,
            }
        )
    return pd.DataFrame(rows)


def assumptions_table(result: StudyResult) -> pd.DataFrame:
    """Every sourced input that produced the result: case, catalogs, plant data."""
    rows: list[tuple[str, Sourced[Any]]] = list(iter_sourced(result.loaded.case))
    model = result.it.gpu_model
    rows += [(f"catalog.gpus.{model}.{p}", s) for p, s in iter_sourced(result.it.system)]
    rows += [(f"weather.{name}", s) for name, s in result.weather.parameters]
    rows += [(f"cooling.{name}", s) for name, s in result.thermal.parameters]
    rows += [
        (f"grid.{name}", s)
        for name, s in network_parameters(result.grid.network, include_load_shape=True)
    ]
    rows += [(f"dynamics.{name}", s) for name, s in result.dynamics.parameters]
    rows += [(f"onsite.{name}", s) for name, s in result.onsite.parameters]
    rows += [(f"references.{name}", s) for name, s in load_references().items()]
    return pd.DataFrame(
        [
            {
                "input": path,
                "value": s.value,
                "unit": s.unit,
                "source": s.source,
                "confidence": s.confidence,
                "note": s.note,
            }
            for path, s in rows
        ]
    )


def diverged_outages(attributed: pd.DataFrame) -> pd.DataFrame:
    """Contingencies whose power flow has no solution (a finding, named one by one).

    ``attributed``: the attributed N-1 violation table (``grid.verdict.n1``); an outage
    that diverges is one row with ``quantity == "converged"``.
    """
    cols = ["contingency", "category", "attributable", "preexisting"]
    if attributed.empty or "quantity" not in attributed:
        return pd.DataFrame(columns=cols)
    rows = attributed[attributed["quantity"] == "converged"]
    return rows[[c for c in cols if c in rows]].reset_index(drop=True)


def violations_by_element(attributed: pd.DataFrame) -> pd.DataFrame:
    """Violations summarised by element: one row per element and quantity.

    Columns: ``element, kind, quantity, worst_value, limit, contingency_count,
    worst_contingency, attributable_count, preexisting`` — the worst value is the one
    farthest beyond its limit, ``contingency_count`` the outages (or, N-0, the intact
    case) that cause it, ``attributable_count`` how many of those the campus causes.
    Outages that diverge are left out (see :func:`diverged_outages`). Sorted by how far
    the worst value lies beyond its limit.
    """
    cols = [
        "element",
        "kind",
        "quantity",
        "worst_value",
        "limit",
        "contingency_count",
        "worst_contingency",
        "attributable_count",
        "preexisting",
    ]
    if attributed.empty or "quantity" not in attributed:
        return pd.DataFrame(columns=cols)
    frame = attributed[attributed["quantity"] != "converged"].copy()
    if frame.empty:
        return pd.DataFrame(columns=cols)
    if "contingency" not in frame:
        frame["contingency"] = "intact (N-0)"
    for flag in ("attributable", "preexisting"):
        if flag not in frame:
            frame[flag] = False
    frame["beyond"] = (frame["value"] - frame["limit"]).abs() / frame["limit"].abs()
    rows = []
    for (element, quantity), group in frame.groupby(["element", "quantity"], sort=False):
        worst = group.loc[group["beyond"].idxmax()]
        rows.append(
            {
                "element": element,
                "kind": worst["kind"],
                "quantity": quantity,
                "worst_value": float(worst["value"]),
                "limit": float(worst["limit"]),
                "contingency_count": int(group["contingency"].nunique()),
                "worst_contingency": worst["contingency"],
                "attributable_count": int(group["attributable"].astype(bool).sum()),
                "preexisting": bool(group["preexisting"].astype(bool).any()),
                "beyond": float(worst["beyond"]),
            }
        )
    out = pd.DataFrame(rows).sort_values("beyond", ascending=False, kind="stable")
    return out[cols].reset_index(drop=True)


def _violation_records(attributed: pd.DataFrame) -> list[dict[str, Any]]:
    """The by-element summary, values rounded by their quantity (pu 4, % 1)."""
    out = []
    for r in violations_by_element(attributed).to_dict(orient="records"):
        key = "_pu" if r["quantity"] == "vm_pu" else "_percent"
        r = {str(k): _plain(v) for k, v in r.items()}
        r["worst_value"] = round_for_key(key, r["worst_value"])
        r["limit"] = round_for_key(key, r["limit"])
        out.append(r)
    return out


def study_basis(result: StudyResult) -> dict[str, Any]:
    """What was studied and against which criteria (the report's "Study basis").

    Every value is read from the result: the case (campus, POI, network, weather
    year), the grid criteria the studies applied, the contingency set by category,
    the line-rating basis, the attribution rule, the flicker planning levels and the
    number of inputs of each confidence.
    """
    loaded = result.loaded
    case = loaded.case
    crit = result.grid.network.criteria
    n1 = result.grid.n1_campus
    params = dict(result.dynamics.parameters)
    planning = {
        name: params[name].value
        for name in (
            "onsite.pst_planning_level",
            "onsite.plt_planning_level",
            "onsite.pst_upstream_planning_level",
            "onsite.plt_upstream_planning_level",
        )
        if name in params
    }
    confidence = assumptions_table(result)["confidence"].value_counts()
    return {
        "case_file": loaded.path.name,
        "case_file_sha256": loaded.file_sha256,
        "case_description": case.case.description,
        "site": case.site.name,
        "site_address": getattr(case.site, "address", ""),
        "poi_bus": result.grid.n0_campus.poi_bus,
        "network": result.grid.network.name,
        "weather_year": getattr(case.weather, "year", None),
        "weather_source": result.weather.source,
        "criteria": {
            "vm_min_n0_pu": crit.vm_min_n0_pu,
            "vm_max_n0_pu": crit.vm_max_n0_pu,
            "vm_min_n1_pu": crit.vm_min_n1_pu,
            "vm_max_n1_pu": crit.vm_max_n1_pu,
            "max_loading_n0_percent": crit.max_loading_n0_percent,
            "max_loading_n1_percent": crit.max_loading_n1_percent,
        },
        "contingencies_by_category": dict(getattr(n1, "outage_count_by_category", {})),
        "contingency_count": n1.n_contingencies,
        "line_rating_basis": (
            result.grid.line_ratings.basis
            if result.grid.line_ratings is not None
            else "file ratings (static)"
        ),
        "attribution_rule": result.grid.verdict.rules.describe(),
        "flicker_planning_levels": planning,
        "inputs_by_confidence": {str(k): int(v) for k, v in confidence.items()},
        "time_domain_studied": result.time_domain is not None and result.time_domain.performed,
    }


def _records(frame: pd.DataFrame, exact: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Rows as dicts, rounded by key except the ``exact`` columns (inputs as given)."""
    out = []
    for record in frame.to_dict(orient="records"):
        out.append(
            {
                str(k): _plain(v) if k in exact else round_for_key(str(k), _plain(v))
                for k, v in record.items()
            }
        )
    return out


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars for JSON."""
    return value.item() if hasattr(value, "item") else value


def results_document(result: StudyResult) -> dict[str, Any]:
    """The whole ``results.json`` document (see ``docs/results_schema.md``)."""
    loaded = result.loaded
    grid = result.grid
    return {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "tool_version": __version__,
        "case": {
            "name": loaded.case.case.name,
            "title": loaded.case.case.title,
            "file": loaded.path.name,
            "file_sha256": loaded.file_sha256,
        },
        "headline": headline(result),
        "study_basis": study_basis(result),
        "references": {name: s.value for name, s in load_references().items()},
        "weather": {"source": result.weather.source},
        "cooling": {
            "architecture": result.thermal.architecture,
            "design_ok": result.thermal.design_ok,
            "design_findings": list(result.thermal.design_findings),
            "design_table": _records(result.thermal.design_table),
            "alternatives": _records(result.cooling_alternatives),
            "gpu_sensitivity": (
                [] if result.gpu_sensitivity is None else _records(result.gpu_sensitivity)
            ),
            "energy_breakdown": _records(energy_breakdown(result)),
        },
        "grid": {
            "network": grid.network.name,
            "network_description": grid.network.description,
            "campus_p_mw": round_for_key("_mw", grid.campus_p_mw),
            "campus_q_mvar": round_for_key("_mvar", grid.campus_q_mvar),
            "n0_base": _n0_summary(grid.n0_base),
            "n0_campus": _n0_summary(grid.n0_campus),
            "n0_campus_violations": _records(grid.n0_campus.violations),
            "n1_campus": _n1_summary(grid.n1_campus),
            "n0_campus_violations_attributed": _records(grid.verdict.n0),
            "n1_campus_violations": _records(grid.n1_campus.violations.head(MAX_LISTED)),
            "n1_campus_violations_attributed": _records(
                grid.verdict.n1.sort_values("attributable", ascending=False, kind="stable").head(
                    MAX_LISTED
                )
            ),
            "n0_violations_by_element": _violation_records(grid.verdict.n0),
            "n1_violations_by_element": _violation_records(grid.verdict.n1),
            "n1_diverged_outages": _records(diverged_outages(grid.verdict.n1)),
            "n1_branch_worst": _records(
                _most_loaded(grid.n1_campus.branch_worst, "max_loading_percent", 15)
            ),
            "short_circuit": {
                "poi_sc_min_mva": round_for_key("_mva", grid.short_circuit_min.sk_mva),
                "scr_min_case": round_for_key("scr", grid.short_circuit_min.scr),
                "note_min_case": grid.short_circuit_min.note,
                "poi_sc_mva": round_for_key("_mva", grid.short_circuit.sk_mva),
                "poi_ikss_ka": round(grid.short_circuit.ikss_ka, 2),
                "poi_x_over_r": round(grid.short_circuit.x_over_r, 2),
                "scr": round_for_key("scr", grid.short_circuit.scr),
                "strength": grid.short_circuit.strength,
                "note": grid.short_circuit.note,
            },
            "hosting": _hosting_summary(grid.hosting),
            "hosting_candidates": _records(grid.hosting_candidates),
            "upgrades": {
                "note": grid.upgrades.note,
                "best_option": grid.upgrades.best_option,
                "best_clears": grid.upgrades.best_clears,
                "recommended": grid.upgrades.recommended,
                "attribution_rule": grid.verdict.rules.describe(),
                "options": _records(grid.upgrades.options),
            },
            "timeseries": _timeseries_summary(grid.timeseries),
        },
        "dynamics": _dynamics_document(result),
        "time_domain": _time_domain_document(result),
        "onsite": _onsite_document(result.onsite),
        "assumptions": _records(assumptions_table(result), exact=("value",)),
    }


def _dynamics_document(result: StudyResult) -> dict[str, Any]:
    """The dynamics at the requested POI and, if it differs, at the recommended one."""
    out: dict[str, Any] = {}
    rec = result.dynamics_recommended
    pairs = [("requested", result.dynamics)]
    if rec is not None and rec is not result.dynamics:
        pairs.append(("recommended", rec))
    for name, dyn in pairs:
        h = {k: round_for_key(k, _plain(v)) for k, v in dyn.headline.items()}
        doc = {"headline": h, "findings": dynamics_findings(h)}
        if name == "requested":
            out.update(doc)
        else:
            out["recommended"] = doc
    return out


def _time_domain_document(result: StudyResult) -> dict[str, Any]:
    """The time-domain studies: headline values, what was modelled, findings, modes."""
    td = result.time_domain
    h = {k: round_for_key(k, _plain(v)) for k, v in time_domain_headline(result).items()}
    doc: dict[str, Any] = {
        "headline": h,
        "performed": bool(td is not None and td.performed),
        "reason": "" if td is None else td.reason,
        "description": "" if td is None else td.description,
        "notes": [] if td is None else list(td.notes),
        "campus_p_mw": round_for_key("campus_p_mw", result.facility.peak_mw),
        "rocof_window_s": None,
        "tiers_tripped": [],
        "swing_frequency_hz": None,
        "poorly_damped": False,
        "damping_threshold": None,
        "modes": [],
    }
    if td is not None and td.performed:
        if td.load_loss is not None:
            doc["rocof_window_s"] = td.load_loss.rocof_window_s
        if td.fault is not None:
            doc["tiers_tripped"] = list(td.fault.tiers_tripped)
        sep = td.mode_separation
        if sep is not None:
            doc["swing_frequency_hz"] = round_for_key("frequency_hz", sep.swing_frequency_hz)
            doc["poorly_damped"] = sep.poorly_damped
            doc["damping_threshold"] = sep.damping_threshold
        if td.modes is not None:
            doc["modes"] = _records(td.modes)
    doc["findings"] = time_domain_findings(doc)
    return doc


MAX_LISTED = 50


def _onsite_document(onsite: OnsiteResult) -> dict[str, Any]:
    """The on-site stage: its values, rounded, and the findings written from them."""
    it = onsite.interim
    interim = (
        None
        if it is None
        else {
            "description": it.description,
            "unit_count": it.fleet.unit_count,
            "rating_mw": round_for_key("rating_mw", it.fleet.rating_mw),
            "control": it.control,
            "months": round_for_key("months", it.months),
            "grid_supply_mw": round_for_key("grid_supply_mw", it.grid_supply_mw),
        }
    )
    doc: dict[str, Any] = {
        "fleet": onsite.fleet_name,
        "unit_count": onsite.fleet.unit_count,
        "permitted_hours_per_year": round_for_key(
            "permitted_hours_per_year", onsite.permitted_hours_per_year
        ),
        "interim": interim,
        "headline": {k: round_for_key(k, _plain(v)) for k, v in onsite.headline.items()},
        "findings": [],
        "scenarios": _records(onsite.scenario_basis),
        "emissions": _records(onsite.emissions),
        "unit_pte": _records(onsite.unit_pte),
        "exceedances": round_for_key("permit_exceedances", [dict(e) for e in onsite.exceedances]),
    }
    doc["findings"] = onsite_findings(doc)
    return doc


def _most_loaded(frame: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """The ``n`` rows with the largest ``column`` (empty when nothing was solved)."""
    if frame.empty or column not in frame:
        return frame.iloc[0:0]
    return frame.sort_values(column, ascending=False).head(n)


def _n1_summary(n1: Any) -> dict[str, Any]:
    raw = {
        "converged": n1.converged,
        "secure": n1.secure,
        "n_contingencies": n1.n_contingencies,
        "n_converged": n1.n_converged,
        "violation_count": len(n1.violations),
        "worst_loading_percent": n1.worst_loading_percent,
        "worst_loading_branch": n1.worst_loading_branch,
        "worst_loading_contingency": n1.worst_loading_contingency,
        "min_vm_pu": n1.min_vm_pu,
        "min_vm_bus": n1.min_vm_bus,
        "min_vm_contingency": n1.min_vm_contingency,
        "note": n1.note,
    }
    return {key: round_for_key(key, _plain(value)) for key, value in raw.items()}


def _timeseries_summary(ts: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "hours": ts.hours,
        "hours_converged": ts.hours_converged,
        "violation_hours_n0": n0_violation_hours(ts),
        "diverged_hours_n0": ts.hours - ts.hours_converged,
        "worst_loading_percent_n0": ts.worst_loading_percent,
        "worst_loading_branch_n0": ts.worst_loading_branch,
        "worst_loading_time_n0": str(ts.worst_loading_step),
        "min_poi_vm_pu": ts.min_poi_vm_pu,
        "note": ts.note,
    }
    hourly = ts.hourly
    for label, column in (
        ("system_peak_hour", "background_scale"),
        ("campus_peak_hour", "campus_p_mw"),
    ):
        t = hourly[column].idxmax()
        row = hourly.loc[t]
        raw[label] = {
            key: round_for_key(key, _plain(value))
            for key, value in {
                "time": str(t),
                "background_scale": float(row["background_scale"]),
                "campus_p_mw": float(row["campus_p_mw"]),
                "converged": bool(row["converged"]),
                "poi_vm_pu": float(row["poi_vm_pu"]),
                "min_vm_pu": float(row["min_vm_pu"]),
                "max_loading_percent": float(row["max_loading_percent"]),
                "max_loading_branch": str(row["max_loading_branch"]),
                "n0_violations": int(row["n_violations"]),
            }.items()
        }
    if ts.n1 is not None:
        n1 = ts.n1
        raw.update(
            {
                "n_contingencies": n1.n_contingencies,
                "violation_hours_n1": n1.hours_with_violation,
                "worst_loading_percent_n1": n1.worst_loading_percent,
                "worst_loading_branch_n1": n1.worst_loading_branch,
                "worst_loading_contingency_n1": n1.worst_loading_contingency,
                "worst_loading_time_n1": str(n1.worst_loading_step),
                "min_vm_pu_n1": n1.min_vm_pu,
                "min_vm_bus_n1": n1.min_vm_bus,
                "min_vm_contingency_n1": n1.min_vm_contingency,
                "note_n1": n1.note,
                "ac_pairs_n1": n1.ac_pairs,
                "screened_pairs_n1": n1.screened_pairs,
                "screening_n1": n1.screening,
            }
        )
    return {
        key: value if isinstance(value, dict) else round_for_key(key, _plain(value))
        for key, value in raw.items()
    }


def _hosting_summary(host: Any) -> dict[str, Any]:
    raw = {
        "poi_bus": host.poi_bus,
        "power_factor": host.power_factor,
        "hosting_capacity_n0_mw": host.mw_n0,
        "limiting_element_n0": host.limiting_element_n0,
        "limiting_quantity_n0": host.limiting_quantity_n0,
        "hosting_capacity_n1_mw": host.mw_n1,
        "limiting_element_n1": host.limiting_element_n1,
        "limiting_quantity_n1": host.limiting_quantity_n1,
        "limiting_contingency_n1": host.limiting_contingency_n1,
        "capped": host.capped,
        "note": host.note,
    }
    return {key: round_for_key(key, _plain(value)) for key, value in raw.items()}


def _n0_summary(n0: Any) -> dict[str, Any]:
    raw = {
        "converged": n0.converged,
        "poi_vm_pu": n0.poi_vm_pu,
        "min_vm_pu": n0.min_vm_pu,
        "max_vm_pu": n0.max_vm_pu,
        "max_branch_loading_percent": n0.max_branch_loading_percent,
        "max_loading_branch": n0.max_loading_branch,
        "violation_count": len(n0.violations),
        "note": n0.note,
    }
    return {key: round_for_key(key, value) for key, value in raw.items()}
