"""Words, units and number formats of everything the reports print.

One table, :data:`QUANTITIES`, gives every headline key of ``results.json`` its
label, its unit and how two cases may be compared (``"ratio"``: an amount that
scales, such as MW, energy, water or tons; ``"difference"``: a level, such as a
voltage, a percentage or a count; ``""``: neither means anything, such as an SCR
or a name). Adding a headline key is one line here; a key not listed still gets a
label and a unit read from its name (:func:`label`).

Table columns (raw field names of the tables in ``results.json``) get their words
from :func:`column_label`, names of things (cooling architectures, limit kinds)
from :data:`NAMES`, and every number is printed by :func:`number` (thousands
separators, the stored decimals).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUFFIX = "_recommended"


@dataclass(frozen=True)
class Quantity:
    """How one result key is printed."""

    label: str
    unit: str = ""
    compare: str = ""
    """``"ratio"``, ``"difference"`` or ``""`` (compare side by side only)."""


def _q(label: str, unit: str = "", compare: str | None = None) -> Quantity:
    return Quantity(label, unit, _COMPARE_BY_UNIT.get(unit, "") if compare is None else compare)


# amounts that scale with the campus: a ratio means something; levels: a difference
_COMPARE_BY_UNIT = {
    "MW": "ratio",
    "Mvar": "ratio",
    "GWh": "ratio",
    "MWh": "ratio",
    "MWh/yr": "ratio",
    "MGD": "ratio",
    "t/yr": "ratio",
    "GPU": "ratio",
    "GPUs": "ratio",
    "rack": "ratio",
    "MVA": "ratio",
    "pu": "difference",
    "%": "difference",
    "h": "difference",
    "h/yr": "difference",
    "count": "difference",
    "Hz": "difference",
}

# key → Quantity; order is the order of the appendix and of the comparison table
QUANTITIES: dict[str, Quantity] = {
    "gpu_count": _q("GPUs", "GPU"),
    "gpu_model": _q("GPU system"),
    "racks": _q("GPU racks", "rack"),
    "it_nameplate_mw": _q("IT nameplate power", "MW"),
    "it_peak_mw": _q("IT power at peak", "MW"),
    "facility_peak_mw": _q("Facility peak at POI (planning peak)", "MW"),
    "facility_peak_mw_design_day": _q("Facility peak at POI, design day", "MW"),
    "facility_peak_mw_hourly_year": _q("Facility peak at POI, peak hour of the year", "MW"),
    "waveform_mean_mw": _q("Training waveform, mean power", "MW"),
    "waveform_hour_facility_mw": _q("Facility load of the hour the waveform is drawn for", "MW"),
    "waveform_peak_mw": _q("Training waveform, compute-phase peak", "MW"),
    "waveform_hour": _q("Hour the training waveform is drawn for"),
    "facility_peak_hour": _q("Hour of the planning peak"),
    "cooling_design_resized": _q("Cooling plant resized to pass its design check"),
    "cooling_design_resize_steps": _q("Cooling plant resizing steps", "count"),
    "poi_max_transfer_mw": _q(
        "Largest power the POI delivers (P-V nose, minimum case)", "MW", "difference"
    ),
    "poi_voltage_collapse": _q("Compute-phase peak beyond the POI's largest power (collapse)"),
    "dynamics_engine": _q("Time-domain engine"),
    "dynamics_performed": _q("Time-domain studies performed"),
    "dynamics_not_performed_reason": _q("Why the time-domain studies did not run"),
    "load_loss_freq_peak_deviation_hz": _q("Campus trip: frequency peak rise", "Hz"),
    "load_loss_rocof_hz_per_s": _q("Campus trip: rate of change of frequency (500 ms)", "Hz/s"),
    "load_loss_poi_overvoltage_pu": _q("Campus trip: highest POI voltage", "pu"),
    "load_loss_settling_freq_deviation_hz": _q("Campus trip: settling frequency rise", "Hz"),
    "fault_clearing_time_s": _q("POI fault: clearing time", "s"),
    "fault_poi_min_voltage_pu": _q("POI fault: lowest POI voltage", "pu"),
    "fault_ride_through_load_tripped_mw": _q("POI fault: campus load tripped", "MW"),
    "fault_freq_peak_deviation_hz": _q("POI fault: frequency peak rise after the trips", "Hz"),
    "electromechanical_modes": _q("Electromechanical modes (frequency, damping ratio)"),
    "swing_mode_min_frequency_separation_hz": _q(
        "Training swing to the nearest electromechanical mode", "Hz"
    ),
    "swing_mode_nearest_frequency_hz": _q("Nearest electromechanical mode", "Hz"),
    "swing_mode_nearest_damping_ratio": _q("Nearest mode's damping ratio", "-", "difference"),
    "forced_oscillation_frequency_hz": _q("Forced oscillation: forcing frequency", "Hz"),
    "forced_oscillation_amplitude_mw": _q("Forced oscillation: campus power amplitude", "MW"),
    "forced_oscillation_poi_voltage_amplitude_pu": _q(
        "Forced oscillation: POI voltage amplitude", "pu"
    ),
    "forced_oscillation_machine_pe_amplitude_mw": _q(
        "Forced oscillation: largest machine power amplitude", "MW"
    ),
    "forced_oscillation_amplification": _q(
        "Forced oscillation: amplification against a frequency far from the mode", "-", ""
    ),
    "gpu_sensitivity_facility_peak_mw": _q("Planning peak by GPU system", "MW"),
    "gpu_sensitivity_hosting_margin_n1_mw": _q(
        "N-1 hosting margin by GPU system", "MW", ""
    ),
    "facility_peak_mvar": _q("Reactive power at peak", "Mvar"),
    "annual_energy_gwh": _q("Annual energy", "GWh"),
    "pue_design_day": _q("PUE, design day", "-", "difference"),
    "pue_annual": _q("PUE, annual", "-", "difference"),
    "cooling_architecture": _q("Cooling architecture"),
    "cooling_design_ok": _q("Cooling plant holds its design class"),
    "cooling_peak_mw": _q("Cooling power at peak", "MW"),
    "water_makeup_avg_mgd": _q("Makeup water, average", "MGD"),
    "water_makeup_peak_mgd": _q("Makeup water, peak day", "MGD"),
    "wue_l_per_kwh": _q("WUE", "L/kWh", "difference"),
    "economizer_hours": _q("Full-economizer hours", "h/yr"),
    "share_of_utility_peak_percent": _q("Share of utility summer peak", "%"),
    "share_of_system_peak_percent": _q("Share of TVA summer peak", "%"),
    "poi_bus": _q("Point of interconnection"),
    "poi_vm_pu": _q("POI voltage with campus at peak (N-0)", "pu"),
    "min_vm_pu_n0": _q("Lowest bus voltage (N-0)", "pu"),
    "max_branch_loading_percent_n0": _q("Highest branch loading (N-0)", "%"),
    "max_loading_branch_n0": _q("Most loaded branch (N-0)"),
    "n0_converged": _q("N-0 power flow converged"),
    "n0_violation_count": _q("N-0 violations", "count"),
    "n0_secure": _q("No N-0 violation attributable to the campus"),
    "n1_secure": _q("No N-0/N-1 violation attributable to the campus"),
    "attributable_violation_count_n0": _q("N-0 violations attributable to the campus", "count"),
    "attributable_violation_count_n1": _q("N-1 violations attributable to the campus", "count"),
    "preexisting_violation_count_n0": _q(
        "N-0 violations without the campus (pre-existing)", "count"
    ),
    "preexisting_violation_count_n1": _q(
        "N-1 violations without the campus (pre-existing)", "count"
    ),
    "curtailment_violation_count_n1": _q("P6/P7 violations met by curtailing the campus", "count"),
    "max_load_lost_mw_n1": _q("Largest load lost (islanded) after a contingency", "MW"),
    "n1_outage_count_by_category": _q("Contingencies studied at peak, by category", "count"),
    "n1_violation_count": _q("N-1 violations (outage x element)", "count"),
    "n1_worst_loading_percent": _q("Worst post-contingency loading", "%"),
    "n1_min_vm_pu": _q("Lowest post-contingency voltage", "pu"),
    "poi_sc_mva": _q("Short-circuit level S''k at POI (IEC 60909, max)", "MVA"),
    "poi_x_over_r": _q("X/R at POI", "-"),
    "scr": _q("Short-circuit ratio S''k / campus MW", "-"),
    "poi_sc_min_mva": _q("Short-circuit level S''k at POI (IEC 60909, min)", "MVA"),
    "scr_min_case": _q("Short-circuit ratio, minimum case", "-"),
    "escr_min_case": _q("Effective SCR, minimum case", "-"),
    "grid_strength": _q("Grid strength at POI (minimum-case SCR class)"),
    "line_rating_basis": _q("Line ratings"),
    "recommended_interconnection": _q("Recommended interconnection (screened)"),
    "recommended_interconnection_description": _q("Recommended interconnection"),
    "poi_bus_recommended": _q("POI of the recommended interconnection"),
    "poi_vm_pu_recommended": _q("POI voltage with campus, recommended", "pu"),
    "poi_sc_mva_recommended": _q("S''k at recommended POI (max)", "MVA"),
    "scr_recommended": _q("SCR at recommended POI (max case)", "-"),
    "scr_min_case_recommended": _q("SCR at recommended POI (min case)", "-"),
    "grid_strength_recommended": _q("Grid strength at recommended POI"),
    "poi_voltage_fluctuation_percent_recommended": _q(
        "Voltage fluctuation dV/V, recommended POI", "%"
    ),
    "pst_poi_recommended": _q("Short-term flicker Pst, recommended POI", "-", "difference"),
    "plt_poi_recommended": _q("Long-term flicker Plt (2 h), recommended POI", "-", "difference"),
    "pst_limit_allocated_recommended": _q("Pst limit allocated, recommended POI", "-"),
    "plt_limit_allocated_recommended": _q("Plt limit allocated, recommended POI", "-"),
    "flicker_within_limits_recommended": _q("Flicker within the limits, recommended POI"),
    "pst_poi_with_bess_recommended": _q("Pst with the battery, recommended POI", "-"),
    "bess_power_mw_required_recommended": _q("Battery power needed, recommended POI", "MW"),
    "bess_energy_mwh_required_recommended": _q("Battery energy needed, recommended POI", "MWh"),
    "bess_full_cycles_per_year_recommended": _q(
        "Battery full cycles a year, recommended", "cycles/yr"
    ),
    "load_loss_freq_deviation_hz_recommended": _q(
        "Frequency rise on campus loss, recommended", "Hz"
    ),
    "load_loss_poi_vm_pu_recommended": _q("POI voltage after campus loss, recommended", "pu"),
    "max_gpus": _q("Largest campus the POI hosts N-1 secure, with battery", "GPUs"),
    "max_gpus_without_bess": _q("Largest campus N-1 secure without battery (flicker)", "GPUs"),
    "max_gpus_by_option": _q("Largest campus N-1 secure, by interconnection option", "GPUs"),
    "hosting_capacity_n0_mw": _q("Hosting capacity at POI, N-0", "MW"),
    "hosting_capacity_n1_mw": _q("Hosting capacity at POI, N-1", "MW"),
    "hosting_limit": _q("Hosting limited by"),
    "hosting_margin_n1_mw": _q("N-1 hosting margin (capacity - need)", "MW", "difference"),
    "violation_hours_n0": _q("Hours with N-0 violations (year)", "h"),
    "attributable_violation_hours_n0": _q("Hours with N-0 violations due to the campus", "h"),
    "violation_hours_n1": _q("Hours with N-1 violations (year)", "h"),
    "network_bus_count": _q("Buses in the network model", "count", ""),
    "n1_outage_count": _q("Single outages studied (N-1, every hour)", "count", ""),
    "upgrade_best_option": _q("Preferred option (screening)"),
    "upgrade_best_clears": _q("Preferred option clears every attributable violation"),
    "upgrade_best_hosting_n1_mw": _q("N-1 hosting with the preferred option", "MW"),
    "swing_peak_to_peak_mw": _q("Training power swing, peak to peak", "MW"),
    "max_ramp_mw_per_s": _q("Largest power ramp", "MW/s", "ratio"),
    "band_energy_fraction": _q("Swing energy in 0.1-2 Hz band", "-"),
    "poi_voltage_fluctuation_percent": _q("POI voltage fluctuation dV/V (requested POI)", "%"),
    "flicker_planning_limit_percent": _q("Planning limit at that repetition rate", "%"),
    "pst_poi": _q("Short-term flicker Pst at the POI (requested POI)", "-", "difference"),
    "plt_poi": _q("Long-term flicker Plt at the POI, 2 h (requested POI)", "-", "difference"),
    "pst_limit_allocated": _q("Pst emission limit allocated to the campus", "-"),
    "plt_limit_allocated": _q("Plt emission limit allocated to the campus", "-"),
    "flicker_within_limits": _q("Flicker within the allocated limits"),
    "pst_poi_with_bess": _q("Pst at the POI with the battery", "-"),
    "plt_poi_with_bess": _q("Plt at the POI with the battery", "-"),
    "pst_poi_smoothed": _q("Pst at the POI with GPU power smoothing", "-"),
    "bess_c_rate": _q("Battery C-rate (power / energy)", "1/h"),
    "bess_full_cycles_per_year": _q("Battery full cycles per year (rainflow)", "cycles/yr"),
    "bess_roundtrip_efficiency": _q("Battery round-trip efficiency", "-"),
    "bess_cycle_life_years": _q("Battery cycle life at that duty", "years"),
    "load_loss_freq_deviation_hz": _q("Frequency rise on loss of the campus", "Hz"),
    "load_loss_poi_vm_pu": _q("POI voltage after loss of the campus", "pu"),
    "bess_power_mw_required": _q("Battery power to meet the flicker limits (requested POI)", "MW"),
    "bess_energy_mwh_required": _q("Battery energy to meet flicker limits (requested POI)", "MWh"),
    "smoothing_energy_mwh_per_year": _q("Energy burned by GPU power smoothing", "MWh/yr"),
    "pst_poi_steady": _q("Pst at the POI in steady training", "-"),
    "plt_poi_smoothed": _q("Plt at the POI with GPU power smoothing", "-"),
    "lamp_voltage_v": _q("Flickermeter lamp voltage", "V"),
    "grid_hz": _q("Grid frequency", "Hz"),
    "short_circuit_ratio": _q("Short-circuit ratio, minimum case", "-"),
    "bess_loss_mwh_per_year": _q("Battery losses", "MWh/yr"),
    "bess_throughput_mwh_per_year": _q("Battery throughput", "MWh/yr"),
    "bess_operating_hours_per_year": _q("Battery operating hours (training)", "h/yr"),
    "bess_filter_time_constant_s": _q("Battery filter time constant", "s"),
    "bess_energy_binding": _q("Battery energy set by"),
    "flicker_installation_mva": _q("Campus installation for flicker allocation", "MVA"),
    "flicker_supply_capacity_mva": _q("Supply capacity for flicker allocation", "MVA"),
    "flicker_share_of_supply_capacity": _q("Campus share of the supply capacity", "-"),
    "flicker_transfer_coefficient": _q("Flicker transfer coefficient", "-"),
    "load_loss_mw": _q("Campus load lost", "MW"),
    "reference_load_loss_mw": _q("Reference load loss (Virginia, 10 July 2024)", "MW"),
    "onsite_fleet": _q("On-site turbine fleet"),
    "turbine_fleet_mw": _q("On-site turbine fleet rating", "MW"),
    "grid_unservable_hours_per_year": _q(
        "Hours the grid cannot serve the campus (N-0/N-1)", "h/yr"
    ),
    "turbine_hours_per_year": _q("On-site turbine hours (import cap + backup)", "h/yr"),
    "turbine_nox_tons_per_year": _q("Turbine NOx, as dispatched (backup)", "t/yr"),
    "turbine_nox_tons_per_year_at_permitted_hours": _q("Turbine NOx potential to emit", "t/yr"),
    "turbine_co2_tons_per_year": _q("Turbine CO2, as dispatched (backup)", "t/yr"),
    "turbine_pte_tons_per_year": _q("Turbine potential to emit", "t/yr"),
    "permit_caps_tons_per_year": _q("Permit caps", "t/yr"),
    "emission_scenarios": _q("Emissions by scenario", "t/yr"),
    "permit_exceedances": _q("Air-permit limits reached"),
    "permit_exceedance_count": _q("Air-permit limits reached (all scenarios)", "count"),
    "permit_caps_max_hours_per_year": _q("Full-load hours within the permit caps", "h/yr"),
    "minor_source_max_hours_per_year": _q("Full-load hours below major-source thresholds", "h/yr"),
}

# the same, as (label, unit) pairs (kept for callers of the earlier table)
HEADLINE_LABELS: dict[str, tuple[str, str]] = {k: (q.label, q.unit) for k, q in QUANTITIES.items()}

# unit tokens at the end of a key name → printed unit (longest first)
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_mwh_per_year", "MWh/yr"),
    ("_mmbtu_per_year", "MMBtu/yr"),
    ("_tons_per_year", "t/yr"),
    ("_hours_per_year", "h/yr"),
    ("_cycles_per_year", "cycles/yr"),
    ("_btu_per_kwh", "Btu/kWh"),
    ("_mw_per_s", "MW/s"),
    ("_m3_per_h", "m³/h"),
    ("_l_per_kwh", "L/kWh"),
    ("_per_min", "1/min"),
    ("_percent", "%"),
    ("_years", "years"),
    ("_mvar", "Mvar"),
    ("_mva", "MVA"),
    ("_mwh", "MWh"),
    ("_gwh", "GWh"),
    ("_mgd", "MGD"),
    ("_mw", "MW"),
    ("_kv", "kV"),
    ("_km", "km"),
    ("_ka", "kA"),
    ("_hz", "Hz"),
    ("_pu", "pu"),
    ("_s", "s"),
    ("_v", "V"),
    ("_h", "h"),
)

# abbreviations kept in capitals when a key is turned into words
_WORDS = {
    "pst": "Pst",
    "plt": "Plt",
    "poi": "POI",
    "bess": "battery",
    "scr": "SCR",
    "escr": "ESCR",
    "pue": "PUE",
    "wue": "WUE",
    "it": "IT",
    "n0": "N-0",
    "n1": "N-1",
    "sc": "short-circuit",
    "vm": "voltage",
    "vn": "nominal voltage",
    "mw": "MW",
    "hhv": "HHV",
    "nox": "NOx",
    "co2": "CO2",
    "pte": "potential to emit",
    "dod": "depth of discharge",
    "ok": "OK",
    "x": "X",
    "r": "R",
}


def unit_of_key(key: str) -> tuple[str, str]:
    """``(key without its unit token, unit)`` read from a key's name."""
    for suffix, unit in UNIT_SUFFIXES:
        if key.endswith(suffix):
            return key.removesuffix(suffix), unit
        token = suffix + "_"
        if token in key:  # unit inside the key: poi_vm_pu_recommended, max_loading_n0_percent
            head, _, tail = key.partition(token)
            return f"{head}_{tail}", unit
    return key, ""


def words(key: str) -> str:
    """A field name in words: ``max_loading_percent`` → ``Max loading``."""
    text = " ".join(_WORDS.get(w, w) for w in key.split("_") if w)
    return text[:1].upper() + text[1:]


def label(key: str) -> tuple[str, str]:
    """Label and unit of a headline key.

    Listed keys come from :data:`QUANTITIES`; ``<key>_recommended`` of a listed key
    takes its label with ", recommended interconnection"; any other key gets words
    and a unit read from its name (never the raw key).
    """
    if key in QUANTITIES:
        q = QUANTITIES[key]
        return q.label, q.unit
    base = key.removesuffix(SUFFIX)
    if base != key and base in QUANTITIES:
        q = QUANTITIES[base]
        return q.label.replace(" (requested POI)", "") + ", recommended interconnection", q.unit
    stem, unit = unit_of_key(key)
    return words(stem), unit


def compare_kind(key: str) -> str:
    """How two cases' values of ``key`` may be compared: ratio, difference or ''."""
    if key in QUANTITIES:
        return QUANTITIES[key].compare
    base = key.removesuffix(SUFFIX)
    if base in QUANTITIES:
        return QUANTITIES[base].compare
    return _COMPARE_BY_UNIT.get(label(key)[1], "")


# column names of the report's tables that words() would not say well
COLUMNS: dict[str, tuple[str, str]] = {
    "mw_n0": ("Hosting N-0", "MW"),
    "mw_n1": ("Hosting N-1", "MW"),
    "vn_kv": ("Nominal voltage", "kV"),
    "n0_violations": ("N-0 violations", ""),
    "n1_violations": ("N-1 violations", ""),
    "attributable_n0": ("Attributable N-0", ""),
    "attributable_n1": ("Attributable N-1", ""),
    "hosting_n1_mw": ("Hosting N-1", "MW"),
    "scr": ("SCR max case", ""),
    "scr_min_case": ("SCR min case", ""),
    "sk_mva": ("S''k max", "MVA"),
    "flow_m3_per_h": ("Flow", "m³/h"),
    "design_ok": ("Passes design check", ""),
    "selected": ("Case's choice", ""),
    "gpu_model": ("GPU system", ""),
    "gpu_tdp_w": ("GPU TDP", "W"),
    "resized": ("Plant resized", ""),
    "hosting_margin_n1_mw": ("N-1 hosting margin", "MW"),
    "pue_contribution": ("PUE contribution", ""),
    "share_of_facility_percent": ("Share of facility energy", "%"),
    "new_circuit_km": ("New circuit", "km"),
    "poi_bus": ("POI", ""),
    "base_loading_percent": ("Intact loading", "%"),
    "max_loading_percent": ("Worst N-1 loading", "%"),
    "contingency": ("Worst outage", ""),
    "limiting_contingency_n1": ("Limiting outage (N-1)", ""),
}


def column_label(key: str) -> str:
    """A column header in words with its unit: ``annual_energy_gwh`` → ``Annual energy (GWh)``."""
    if key in COLUMNS:
        text, unit = COLUMNS[key]
    else:
        stem, unit = unit_of_key(key)
        text = words(stem)
    return f"{text} ({unit})" if unit else text


# names of things that the results hold as identifiers
NAMES: dict[str, str] = {
    "liquid_towers": "direct liquid + cooling towers",
    "liquid_dry_coolers": "direct liquid + dry coolers",
    "air_cooled_chillers": "air-cooled chillers",
    "air_crah_chilled_water": "air (CRAH) + water-cooled chillers",
    "loading_percent": "loading",
    "vm_pu": "voltage",
    "converged": "power flow diverges",
    "trafo": "transformer",
    "common_structure": "common structure",
    "n-1-1": "N-1-1",
}


def name(value: Any) -> str:
    """An identifier in words (``liquid_dry_coolers`` → ``direct liquid + dry coolers``)."""
    text = str(value)
    return NAMES.get(text, text.replace("_", " ") if "_" in text and " " not in text else text)


def number(value: Any) -> str:
    """A stored value as printed: numbers with thousands separators, the stored decimals.

    ``1956.1`` → ``1,956.1``; ``100000`` → ``100,000``; ``0.8182`` → ``0.8182``;
    ``None`` → ``n/a``; booleans → ``yes`` / ``no``; anything else as ``str``.
    """
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,}" if abs(value) >= 1000.0 else str(value)
    return str(value)


def with_unit(value: Any, unit: str) -> str:
    """``number(value)`` followed by its unit (none for ``-`` and empty units)."""
    text = number(value)
    if value is None or isinstance(value, bool) or unit in ("", "-"):
        return text
    return f"{text} {unit}"
