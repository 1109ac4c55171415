"""Human labels and units of the headline keys of ``results.json``."""

from __future__ import annotations

# key → (label, unit); order is the order of the executive-summary table
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "gpu_count": ("GPUs", "GPU"),
    "gpu_model": ("GPU system", ""),
    "racks": ("GPU racks", "rack"),
    "it_nameplate_mw": ("IT nameplate power", "MW"),
    "it_peak_mw": ("IT power at peak", "MW"),
    "facility_peak_mw": ("Facility peak at POI (design day)", "MW"),
    "facility_peak_mvar": ("Reactive power at peak", "Mvar"),
    "annual_energy_gwh": ("Annual energy", "GWh"),
    "pue_design_day": ("PUE, design day", "-"),
    "pue_annual": ("PUE, annual", "-"),
    "cooling_architecture": ("Cooling architecture", ""),
    "cooling_design_ok": ("Cooling plant holds its design class", ""),
    "cooling_peak_mw": ("Cooling power at peak", "MW"),
    "water_makeup_avg_mgd": ("Makeup water, average", "MGD"),
    "water_makeup_peak_mgd": ("Makeup water, peak day", "MGD"),
    "wue_l_per_kwh": ("WUE", "L/kWh"),
    "economizer_hours": ("Full-economizer hours", "h/yr"),
    "share_of_utility_peak_percent": ("Share of utility summer peak", "%"),
    "share_of_system_peak_percent": ("Share of TVA summer peak", "%"),
    "poi_bus": ("Point of interconnection", ""),
    "poi_vm_pu": ("POI voltage with campus at peak (N-0)", "pu"),
    "min_vm_pu_n0": ("Lowest bus voltage (N-0)", "pu"),
    "max_branch_loading_percent_n0": ("Highest branch loading (N-0)", "%"),
    "max_loading_branch_n0": ("Most loaded branch (N-0)", ""),
    "n0_converged": ("N-0 power flow converged", ""),
    "n0_violation_count": ("N-0 violations", "count"),
}


def label(key: str) -> tuple[str, str]:
    """Label and unit of a headline key (the key itself when unknown)."""
    return HEADLINE_LABELS.get(key, (key.replace("_", " "), ""))
