"""The answer in words: sentences built only from ``results.json`` values."""

from __future__ import annotations

from typing import Any


def _load_sentence(h: dict[str, Any]) -> str:
    return (
        f"{h['gpu_count']} {h['gpu_model']} GPUs draw {h['facility_peak_mw']} MW at the point "
        f"of interconnection on the design day ({h['it_peak_mw']} MW of IT load, design-day "
        f"PUE {h['pue_design_day']}): {h['share_of_utility_peak_percent']} % of the utility's "
        f"summer peak and {h['share_of_system_peak_percent']} % of TVA's. Over a year the "
        f"campus uses {h['annual_energy_gwh']} GWh (annual PUE {h['pue_annual']})."
    )


def _hosting_sentence(h: dict[str, Any]) -> str:
    need, n1, n0 = h["facility_peak_mw"], h["hosting_capacity_n1_mw"], h["hosting_capacity_n0_mw"]
    if h["hosting_margin_n1_mw"] >= 0:
        verdict = f"the campus fits, with {h['hosting_margin_n1_mw']} MW to spare under N-1"
    else:
        verdict = (
            f"the campus does not fit (N-1 margin {h['hosting_margin_n1_mw']} MW; limit: "
            f"{h['hosting_limit']})"
        )
    return (
        f"{h['poi_bus']} can host {n1} MW under N-1 and {n0} MW under N-0; the case needs "
        f"{need} MW: {verdict}." + (f" {_max_gpus_sentence(h)}" if "max_gpus" in h else "")
    )


def _grid_sentence(h: dict[str, Any]) -> str:
    if not h["n0_converged"]:
        return (
            f"With the campus at peak on {h['poi_bus']} the power flow does not converge: "
            "the network cannot serve this load as modelled."
        )
    year = (
        f" Over the year, {h['violation_hours_n0']} hours violate N-0 criteria and "
        f"{h['violation_hours_n1']} hours violate N-1 criteria."
    )
    n1 = (
        "no N-1 violation is attributable to the campus"
        if h["attributable_violation_count_n1"] == 0
        else (
            f"N-1 shows {h['n1_violation_count']} violations, "
            f"{h['attributable_violation_count_n1']} of them attributable to the campus (worst "
            f"loading {h['n1_worst_loading_percent']} %, lowest voltage {h['n1_min_vm_pu']} pu)"
        )
    )
    return (
        f"At summer peak with the campus, the POI voltage is {h['poi_vm_pu']} pu and the most "
        f"loaded branch carries {h['max_branch_loading_percent_n0']} % of its rating "
        f"({h['n0_violation_count']} N-0 violations); {n1}. The POI short-circuit level is "
        f"{h['poi_sc_mva']} MVA (IEC 60909 maximum case; {h['poi_sc_min_mva']} MVA minimum "
        f"case), a short-circuit ratio of {h['scr']} and {h['scr_min_case']} in the minimum "
        f"case, which makes the grid {h['grid_strength']} at the POI." + year
    )


def _water_sentence(h: dict[str, Any], refs: dict[str, Any], cooling: dict[str, Any]) -> str:
    others = [a for a in cooling["alternatives"] if not a["selected"]]
    wettest = max(others, key=lambda a: a["water_makeup_avg_mgd"], default=None)
    driest = min(others, key=lambda a: a["facility_peak_mw"], default=None)
    extra = ""
    if wettest is not None and driest is not None:
        extra = (
            f" Among the alternatives, {driest['architecture']} would peak at "
            f"{driest['facility_peak_mw']} MW with {driest['water_makeup_avg_mgd']} MGD, and "
            f"{wettest['architecture']} would need {wettest['water_makeup_avg_mgd']} MGD."
        )
    return (
        f"Cooling ({h['cooling_architecture']}) peaks at {h['cooling_peak_mw']} MW and uses "
        f"{h['water_makeup_avg_mgd']} million gallons of water a day on average "
        f"({h['water_makeup_peak_mgd']} MGD on the peak day); Colossus 1 reportedly uses "
        f"~{refs['colossus1_water_mgd']} MGD and xAI's recycling plant is rated "
        f"{refs['recycling_plant_mgd']} MGD." + extra
    )


def _moved(h: dict[str, Any]) -> bool:
    """Whether the recommended interconnection differs from the requested POI."""
    rec = h.get("recommended_interconnection")
    return rec is not None and rec != "none"


def _at(h: dict[str, Any], key: str) -> Any:
    """A POI-dependent value at the recommended interconnection, the requested one after it."""
    if not _moved(h):
        return h[key]
    return f"{h[key + '_recommended']} (requested POI: {h[key]})"


def _interconnection_sentence(h: dict[str, Any]) -> str:
    att = (
        f"{h['attributable_violation_count_n0']} N-0 and "
        f"{h['attributable_violation_count_n1']} N-1 violations are attributable to the campus "
        f"({h['preexisting_violation_count_n0']} N-0 and "
        f"{h['preexisting_violation_count_n1']} N-1 violations exist without it)"
    )
    rec = h.get("recommended_interconnection")
    if rec is None:
        return (
            "No screened interconnection option serves the campus within the criteria; at the "
            f"requested POI {h['poi_bus']}, {att}. The numbers below are at the requested POI."
        )
    if rec == "none":
        return (
            f"The requested POI {h['poi_bus']} serves the campus within the criteria: {att}; "
            "it is the recommended interconnection."
        )
    return (
        f"The requested POI {h['poi_bus']} does not serve the campus within the criteria: "
        f"{att}. Recommended interconnection: {h['recommended_interconnection_description']}; "
        f"there the minimum-case short-circuit ratio is {h['scr_min_case_recommended']} "
        f"({h['grid_strength_recommended']}) and the POI voltage at peak "
        f"{h['poi_vm_pu_recommended']} pu. Power quality, storage and load loss below are at "
        "the recommended interconnection, the requested POI's value in brackets."
    )


def _flicker_verdict(h: dict[str, Any], sfx: str) -> str:
    return "within" if h["flicker_within_limits" + sfx] else "above"


COLLAPSE = (
    "the POI voltage has no solution through the minimum-case Thevenin impedance at the "
    "campus's peak (the campus exceeds the largest power the POI can transfer), so flicker "
    "is undefined and no storage filter helps; the grid studies' verdict governs"
)


def _dynamics_sentence(h: dict[str, Any]) -> str:
    sfx = "_recommended" if _moved(h) else ""
    swing = (
        f"Synchronous training swings the campus by {h['swing_peak_to_peak_mw']} MW (ramps up to "
        f"{h['max_ramp_mw_per_s']} MW/s)."
    )
    loss = (
        f"Losing the whole campus at once would raise interconnection frequency by "
        f"{_at(h, 'load_loss_freq_deviation_hz')} Hz and the POI voltage to "
        f"{_at(h, 'load_loss_poi_vm_pu')} pu."
    )
    if h["pst_poi" + sfx] is None:
        return f"{swing} At the POI {COLLAPSE}. {loss}"
    bess = (
        "no battery is needed to meet them"
        if h["bess_power_mw_required" + sfx] == 0
        else "no battery brings the POI within them"
        if h["bess_power_mw_required" + sfx] is None
        else (
            f"a battery of {_at(h, 'bess_power_mw_required')} MW / "
            f"{_at(h, 'bess_energy_mwh_required')} MWh brings Pst to "
            f"{_at(h, 'pst_poi_with_bess')}"
        )
    )
    return (
        f"{swing} At the POI the flickermeter measures Pst {_at(h, 'pst_poi')} and Plt "
        f"{_at(h, 'plt_poi')}, {_flicker_verdict(h, sfx)} the limits allocated to the campus "
        f"(Pst {_at(h, 'pst_limit_allocated')}, Plt {_at(h, 'plt_limit_allocated')}); {bess}. "
        f"{loss}"
    )


def dynamics_findings(h: dict[str, Any]) -> list[str]:
    """The dynamics stage's findings in words, from its (rounded) headline values."""
    out = [_swing_finding(h), _flicker_finding(h)]
    vir = h["reference_load_loss_mw"]
    out.append(
        f"Sudden loss of the campus ({h['load_loss_mw']} MW, "
        f"{h['load_loss_mw'] / vir:.1f}x the ~{vir:,.0f} MW lost in Virginia on 10 July 2024) "
        f"raises interconnection frequency by ~{round(1000 * h['load_loss_freq_deviation_hz'])} "
        f"mHz (df = dP/beta) and the POI voltage to {h['load_loss_poi_vm_pu']} pu."
    )
    out.append(_storage_finding(h))
    if h["smoothing_extra_power_mw"] > 0.0:
        out.append(
            f"GPU power smoothing (the option beside storage) brings Pst to "
            f"{h['pst_poi_smoothed']} and Plt to {h['plt_poi_smoothed']}, burning "
            f"{h['smoothing_extra_power_mw']} MW on average while training, "
            f"~{h['smoothing_energy_mwh_per_year']:,} MWh/yr."
        )
    return out


def _swing_finding(h: dict[str, Any]) -> str:
    f_it = h["iteration_frequency_hz"]
    low, high = h["oscillation_band_low_hz"], h["oscillation_band_high_hz"]
    where = "falls in" if low <= f_it <= high else "falls outside"
    return (
        f"Training swing of {h['iteration_swing_mw']} MW at {f_it} Hz {where} the "
        f"{low:g}-{high:g} Hz oscillation band ({round(100 * h['band_energy_fraction'])} % of "
        f"the fluctuating energy in the band); peak-to-peak including job start/stop "
        f"{h['swing_peak_to_peak_mw']} MW, ramps up to {h['max_ramp_mw_per_s']} MW/s."
    )


def _flicker_finding(h: dict[str, Any]) -> str:
    if h["pst_poi"] is None:
        return f"Flicker: {COLLAPSE} (minimum-case short circuit {h['poi_sc_mva']} MVA)."
    return (
        f"Flicker at the POI (IEC 61000-4-15 flickermeter, {h['lamp_voltage_v']} V / "
        f"{h['grid_hz']:g} Hz lamp, minimum-case short circuit {h['poi_sc_mva']} MVA): Pst "
        f"{h['pst_poi']} over the 10-min window with a job start and stop ({h['pst_poi_steady']} "
        f"in steady training), Plt {h['plt_poi']} over 2 h. Limits allocated to the campus by "
        f"IEC/TR 61000-3-7 ({h['flicker_installation_mva']} MVA, a share "
        f"{h['flicker_share_of_supply_capacity']} of the {h['flicker_supply_capacity_mva']} MVA "
        f"supply capacity; transfer coefficient {h['flicker_transfer_coefficient']}): Pst "
        f"{h['pst_limit_allocated']}, Plt {h['plt_limit_allocated']}: "
        f"the campus is {_flicker_verdict(h, '')} them. The repeated swing is a "
        f"{h['poi_voltage_fluctuation_percent']} % voltage change at "
        f"{h['repetition_rate_per_min']} changes/min."
    )


def _storage_finding(h: dict[str, Any]) -> str:
    if h["bess_filter_time_constant_s"] is None:
        return f"Storage: {h['target_description']}."
    if h["bess_filter_time_constant_s"] > 0.0:
        return (
            f"Storage to hold {h['target_description']}: {h['bess_power_mw_required']} MW / "
            f"{h['bess_energy_mwh_required']} MWh (C-rate {h['bess_c_rate']}/h, energy set by "
            f"{h['bess_energy_binding'].replace('_', ' ')}); with it Pst "
            f"{h['pst_poi_with_bess']}, Plt {h['plt_poi_with_bess']}. Round-trip efficiency "
            f"{h['bess_roundtrip_efficiency']}: {h['bess_loss_mwh_per_year']:,} MWh/yr of "
            f"losses; {h['bess_full_cycles_per_year']:,} full cycles a year over "
            f"{h['bess_operating_hours_per_year']:,} h of training, cycle life "
            f"{h['bess_cycle_life_years']} years."
        )
    return "No storage is needed: the campus already meets its allocated flicker limits."


LIMIT_NAMES = {
    "permit_cap": "permit cap",
    "title_v_major_source": "Title V major source",
    "psd_major_source": "PSD major source",
    "psd_significant_emission_rate": "PSD significant rate",
    "hap_major_source": "HAP major source",
}
SCENARIO_NAMES = {
    "as_permitted": "as permitted (potential to emit)",
    "backup": "backup duty",
    "interim_primary": "interim prime power",
    "mitigated": "mitigated (SCR + oxidation catalyst)",
}


def pollutant_name(p: str) -> str:
    """Display name of a pollutant key (``PM2_5`` → ``PM2.5``)."""
    return p.replace("PM2_5", "PM2.5").replace("HAP_total", "total HAP")


def _emissions_sentence(h: dict[str, Any]) -> str:
    pte = h["turbine_pte_tons_per_year"]
    caps = h["permit_caps_tons_per_year"]
    if not h["turbine_fleet_mw"]:
        return f"On-site generation: {h['onsite_fleet']}."
    capped = [p for p in ("NOx", "CO", "PM") if caps.get(p) is not None]
    cap_text = (
        " against permit caps of " + ", ".join(f"{caps[p]} t {p}" for p in capped)
        if capped
        else " (the case gives no permit caps)"
    )
    return (
        f"On-site generation: {h['onsite_fleet']} ({h['turbine_fleet_mw']} MW). Its potential "
        f"to emit at the permitted hours is {pte['NOx']} t NOx, {pte['CO']} t CO and "
        f"{pte['PM']} t PM a year{cap_text}; the grid cannot serve the campus "
        f"{h['grid_unservable_hours_per_year']} h/yr, so the fleet runs "
        f"{h['turbine_hours_per_year']} h/yr as backup ({h['turbine_nox_tons_per_year']} t NOx)."
    )


LIMIT_ABBREVIATIONS = {
    "permit_cap": "cap",
    "title_v_major_source": "TV",
    "psd_major_source": "PSD",
    "psd_significant_emission_rate": "SER",
    "hap_major_source": "HAP",
}
ABBREVIATION_KEY = (
    "t/yr, limits reached in brackets: cap = permit cap, TV = Title V major source, PSD = "
    "PSD major source, SER = PSD significant emission rate, HAP = HAP major source; "
    "values in section 4"
)


def _limit_text(e: dict[str, Any]) -> str:
    if e["limit_kind"] == "permit_cap":
        return f"cap {e['limit']}"
    return LIMIT_ABBREVIATIONS[e["limit_kind"]]


def exceedance_lines(h: dict[str, Any]) -> list[str]:
    """Every entry of ``permit_exceedances``, grouped by scenario and pollutant.

    ``as permitted (potential to emit): CO 104.5 (cap 94.0, TV); ...`` with the limit
    kinds abbreviated as in :data:`ABBREVIATION_KEY` (threshold values in the report's
    pollutant table, permit caps inline). Scenarios that reach the same limits for the
    same pollutants share one line, their values joined by " / " in scenario order.
    """
    by_scenario: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for e in h["permit_exceedances"]:
        by_scenario.setdefault(e["scenario"], {}).setdefault(e["pollutant"], []).append(e)
    groups: dict[tuple[Any, ...], list[str]] = {}
    for scenario, pollutants in by_scenario.items():
        signature = tuple(
            (p, tuple(_limit_text(e) for e in items)) for p, items in pollutants.items()
        )
        groups.setdefault(signature, []).append(scenario)
    out = []
    for signature, scenarios in groups.items():
        parts = []
        for p, limits in signature:
            values = " / ".join(str(by_scenario[s][p][0]["value"]) for s in scenarios)
            parts.append(f"{pollutant_name(p)} {values} ({', '.join(limits)})")
        names = " / ".join(SCENARIO_NAMES.get(s, s) for s in scenarios)
        out.append(f"{names}: " + "; ".join(parts) + ".")
    return out


def _max_gpus_sentence(h: dict[str, Any]) -> str:
    by_option = h["max_gpus_by_option"]
    rec = h["recommended_interconnection"]
    moved = (
        f"; with the recommended interconnection "
        f"({h['recommended_interconnection_description']}), {by_option[rec]:,}"
        if rec not in (None, "none") and rec in by_option
        else ""
    )
    with_bess, without = h["max_gpus"], h["max_gpus_without_bess"]
    count = (
        f"{with_bess:,}"
        if with_bess == without
        else f"{with_bess:,} with the battery and {without:,} without it (flicker limits)"
    )
    return (
        f"That is at most {count} {h['gpu_model']} GPUs N-1 secure{moved}; the case has "
        f"{h['gpu_count']:,}."
    )


def summary_sentences(doc: dict[str, Any]) -> list[str]:
    """The executive summary in sentences; every number is a ``results.json`` value."""
    h = doc["headline"]
    refs = doc["references"]
    sentences = [
        _load_sentence(h),
        _interconnection_sentence(h),
        _hosting_sentence(h),
        _grid_sentence(h),
        _water_sentence(h, refs, doc["cooling"]),
        _dynamics_sentence(h),
        _emissions_sentence(h),
    ]
    cooling = doc["cooling"]
    if not cooling["design_ok"]:
        sentences.append(
            "The cooling plant fails its design check: " + "; ".join(cooling["design_findings"])
        )
    return sentences


def mitigation_lines(doc: dict[str, Any]) -> list[str]:
    """What would have to be built or changed, from the study's findings."""
    h = doc["headline"]
    out = []
    if h["hosting_margin_n1_mw"] < 0:
        fix = (
            f"the recommended interconnection ({h['recommended_interconnection_description']}) "
            f"clears every attributable violation, N-1 hosting {h['upgrade_best_hosting_n1_mw']} MW"
            if h["upgrade_best_clears"]
            else "no screened option clears every violation attributable to the campus"
        )
        out.append(
            f"Transmission: {h['poi_bus']} hosts {h['hosting_capacity_n1_mw']} MW under N-1 "
            f"against {h['facility_peak_mw']} MW needed; {fix}."
        )
    sfx = "_recommended" if _moved(h) else ""
    if h["bess_power_mw_required" + sfx] is None:
        out.append("Storage: no battery brings the POI within the allocated flicker limits.")
    elif h["bess_power_mw_required" + sfx]:
        out.append(
            f"Storage: {_at(h, 'bess_power_mw_required')} MW / "
            f"{_at(h, 'bess_energy_mwh_required')} MWh to keep training swings within the "
            "flicker emission limits allocated to the campus."
        )
    if not doc["cooling"]["design_ok"]:
        out.append("Cooling: the plant must be resized for its survival conditions.")
    out += _air_permit_lines(h)
    if not out:
        out.append("None required by the steady-state, short-circuit and swing criteria.")
    return out


def _air_permit_lines(h: dict[str, Any]) -> list[str]:
    found = {e["scenario"] for e in h["permit_exceedances"]}
    out = []
    if found & {"as_permitted", "backup", "mitigated"}:
        caps = h["permit_caps_max_hours_per_year"]
        minor = h["minor_source_max_hours_per_year"]
        hold = (
            f"limit the fleet to {caps} h/yr at full load to hold every permit cap, "
            if caps
            else ""
        )
        left = sorted(
            {
                pollutant_name(e["pollutant"])
                for e in h["permit_exceedances"]
                if e["scenario"] == "mitigated"
            }
        )
        after = (
            "SCR + oxidation catalyst still leaves " + ", ".join(left) + " above a limit"
            if left
            else "SCR + oxidation catalyst clears every limit"
        )
        out.append(
            f"Air permit: {hold}<= {minor} h/yr to stay below the Title V and HAP "
            f"major-source thresholds, or guaranteed rates below the modelled ones; {after}."
        )
    if "interim_primary" in found:
        out.append(
            "Interim prime power: turbines run before the grid connection reach major-source "
            "thresholds and need a Title V / PSD permit (with BACT) before they operate."
        )
    return out


def onsite_findings(onsite_doc: dict[str, Any]) -> list[str]:
    """The on-site stage's findings in words, from the (rounded) on-site document.

    ``onsite_doc`` is ``results.json``'s ``onsite`` object: ``fleet``, ``unit_count``,
    ``permitted_hours_per_year``, ``interim``, ``headline`` and ``emissions`` (the
    tons of every scenario by pollutant).
    """
    h = onsite_doc["headline"]
    tons = {
        s: {r["pollutant"]: r[f"{s}_tons_per_year"] for r in onsite_doc["emissions"]}
        for s in ("as_permitted", "interim_primary")
    }
    if onsite_doc["unit_count"] == 0:
        out = ["No on-site generation: the case declares no turbine fleet."]
    else:
        pte = tons["as_permitted"]
        out = [
            f"{onsite_doc['fleet']}: {onsite_doc['unit_count']} units, "
            f"{h['turbine_fleet_mw']} MW. Potential to emit at "
            f"{onsite_doc['permitted_hours_per_year']} h/yr: NOx {pte['NOx']} t, CO "
            f"{pte['CO']} t, PM {pte['PM']} t, VOC {pte['VOC']} t, SO2 {pte['SO2']} t, "
            f"formaldehyde {pte['formaldehyde']} t, HAP {pte['HAP_total']} t, CO2e "
            f"{pte['CO2e']:,} t a year.",
            f"The grid cannot serve the campus within criteria in "
            f"{h['grid_unservable_hours_per_year']} h/yr (hourly N-0 and N-1); the fleet then "
            f"holds the import to {h['backup_secure_import_mw']} MW (N-1 hosting capacity), "
            f"running {h['turbine_hours_per_year']} h/yr and emitting "
            f"{h['turbine_nox_tons_per_year']} t NOx.",
        ]
        if h["unserved_above_cap_mwh_per_year"] > 0.0:
            out.append(
                f"The fleet ({h['turbine_fleet_mw']} MW) cannot carry what the grid cannot: "
                f"{h['unserved_above_cap_mwh_per_year']:,} MWh/yr remain unserved."
            )
    interim = onsite_doc["interim"]
    if interim is not None:
        it = tons["interim_primary"]
        out.append(
            f"Interim prime power: {interim['description']} ({interim['unit_count']} units, "
            f"{interim['rating_mw']} MW), {interim['control']}, for {interim['months']} months "
            f"above {interim['grid_supply_mw']} MW of grid supply: NOx {it['NOx']} t, CO "
            f"{it['CO']} t in its first 12 months."
        )
    return out
