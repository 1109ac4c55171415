"""The answer in words: sentences built only from ``results.json`` values."""

from __future__ import annotations

from typing import Any

from gridimpact.report.labels import name as _name
from gridimpact.report.labels import number as n


def _load_sentence(h: dict[str, Any]) -> str:
    return (
        f"{n(h['gpu_count'])} {n(h['gpu_model'])} GPUs draw {n(h['facility_peak_mw'])} MW at the "
        f"point "
        f"of interconnection at peak ({n(h['it_peak_mw'])} MW of IT load, design-day "
        f"PUE {n(h['pue_design_day'])}): {n(h['share_of_utility_peak_percent'])} % of the "
        f"utility's "
        f"summer peak and {n(h['share_of_system_peak_percent'])} % of TVA's. Over a year the "
        f"campus uses {n(h['annual_energy_gwh'])} GWh (annual PUE {n(h['pue_annual'])})."
    )


def _hosting_sentence(h: dict[str, Any]) -> str:
    need, n1, n0 = h["facility_peak_mw"], h["hosting_capacity_n1_mw"], h["hosting_capacity_n0_mw"]
    if h["hosting_margin_n1_mw"] >= 0:
        verdict = f"the campus fits, with {n(h['hosting_margin_n1_mw'])} MW to spare under N-1"
    else:
        verdict = (
            f"the campus does not fit (N-1 margin {n(h['hosting_margin_n1_mw'])} MW; limit: "
            f"{n(h['hosting_limit'])})"
        )
    return (
        f"{n(h['poi_bus'])} can host {n1} MW under N-1 and {n0} MW under N-0; the case needs "
        f"{need} MW: {verdict}." + (f" {_max_gpus_sentence(h)}" if "max_gpus" in h else "")
    )


def _grid_sentence(h: dict[str, Any]) -> str:
    if not h["n0_converged"]:
        return (
            f"With the campus at peak on {n(h['poi_bus'])} the power flow does not converge: "
            "the network cannot serve this load as modelled."
        )
    year = (
        f" Over the year, {n(h['violation_hours_n0'])} hours violate N-0 criteria and "
        f"{n(h['violation_hours_n1'])} hours violate N-1 criteria."
    )
    n1 = (
        "no N-1 violation is attributable to the campus"
        if h["attributable_violation_count_n1"] == 0
        else (
            f"N-1 shows {n(h['n1_violation_count'])} violations, "
            f"{n(h['attributable_violation_count_n1'])} of them attributable to the campus (worst "
            f"loading {n(h['n1_worst_loading_percent'])} %, lowest voltage "
            f"{n(h['n1_min_vm_pu'])} pu)"
        )
    )
    return (
        f"At summer peak with the campus, the POI voltage is {n(h['poi_vm_pu'])} pu and the most "
        f"loaded branch carries {n(h['max_branch_loading_percent_n0'])} % of its rating "
        f"({n(h['n0_violation_count'])} N-0 violations); {n1}. The POI short-circuit level is "
        f"{n(h['poi_sc_mva'])} MVA (IEC 60909 maximum case; {n(h['poi_sc_min_mva'])} MVA minimum "
        f"case), a short-circuit ratio of {n(h['scr'])} and {n(h['scr_min_case'])} in the minimum "
        f"case, which makes the grid {n(h['grid_strength'])} at the POI." + year
    )


def _water_sentence(h: dict[str, Any], refs: dict[str, Any], cooling: dict[str, Any]) -> str:
    others = [a for a in cooling["alternatives"] if not a["selected"]]
    wettest = max(others, key=lambda a: a["water_makeup_avg_mgd"], default=None)
    driest = min(others, key=lambda a: a["facility_peak_mw"], default=None)
    extra = ""
    if wettest is not None and driest is not None:
        extra = (
            f" Among the alternatives, {_name(driest['architecture'])} would peak at "
            f"{n(driest['facility_peak_mw'])} MW with {n(driest['water_makeup_avg_mgd'])} MGD, and "
            f"{_name(wettest['architecture'])} would need {n(wettest['water_makeup_avg_mgd'])} MGD."
        )
    return (
        f"Cooling ({_name(h['cooling_architecture'])}) peaks at {n(h['cooling_peak_mw'])} MW and "
        f"uses "
        f"{n(h['water_makeup_avg_mgd'])} million gallons of water a day on average "
        f"({n(h['water_makeup_peak_mgd'])} MGD on the peak day); Colossus 1 reportedly uses "
        f"~{n(refs['colossus1_water_mgd'])} MGD and xAI's recycling plant is rated "
        f"{n(refs['recycling_plant_mgd'])} MGD." + extra
    )


def _moved(h: dict[str, Any]) -> bool:
    """Whether the recommended interconnection differs from the requested POI."""
    rec = h.get("recommended_interconnection")
    return rec is not None and rec != "none"


def _at(h: dict[str, Any], key: str) -> Any:
    """A POI-dependent value at the recommended interconnection, the requested one after it."""
    if not _moved(h):
        return n(h[key])
    return f"{n(h[key + '_recommended'])} (requested POI: {n(h[key])})"


def _interconnection_sentence(h: dict[str, Any]) -> str:
    att = (
        f"{n(h['attributable_violation_count_n0'])} N-0 and "
        f"{n(h['attributable_violation_count_n1'])} N-1 violations are attributable to the campus "
        f"({n(h['preexisting_violation_count_n0'])} N-0 and "
        f"{n(h['preexisting_violation_count_n1'])} N-1 violations exist without it)"
    )
    rec = h.get("recommended_interconnection")
    if rec is None:
        return (
            "No screened interconnection option serves the campus within the criteria; at the "
            f"requested POI {n(h['poi_bus'])}, {att}. The numbers below are at the requested POI."
        )
    if rec == "none":
        return (
            f"The requested POI {n(h['poi_bus'])} serves the campus within the criteria: {att}; "
            "it is the recommended interconnection."
        )
    return (
        f"The requested POI {n(h['poi_bus'])} does not serve the campus within the criteria: "
        f"{att}. Recommended interconnection: {n(h['recommended_interconnection_description'])}; "
        f"there the minimum-case short-circuit ratio is {n(h['scr_min_case_recommended'])} "
        f"({n(h['grid_strength_recommended'])}) and the POI voltage at peak "
        f"{n(h['poi_vm_pu_recommended'])} pu. Power quality, storage and load loss below are at "
        "the recommended interconnection, the requested POI's value in brackets."
    )


def _flicker_verdict(h: dict[str, Any], sfx: str) -> str:
    return "within" if h["flicker_within_limits" + sfx] else "above"


def _collapse(h: dict[str, Any], sfx: str = "") -> str:
    """The voltage-collapse finding: the compute-phase peak beyond the POI's P-V nose."""
    return (
        f"the campus's compute-phase peak of {n(h['waveform_peak_mw' + sfx])} MW exceeds the "
        f"{n(h['poi_max_transfer_mw' + sfx])} MW the POI can deliver through its minimum-case "
        "short circuit (the nose of its P-V curve): the POI voltage has no solution at those "
        "instants (voltage collapse), so flicker is undefined and the campus cannot run there "
        "unless storage or on-site generation caps the power it draws from the grid"
    )


def _dynamics_sentence(h: dict[str, Any]) -> str:
    sfx = "_recommended" if _moved(h) else ""
    swing = (
        f"Synchronous training swings the campus by {n(h['swing_peak_to_peak_mw'])} MW (ramps up "
        f"to "
        f"{n(h['max_ramp_mw_per_s'])} MW/s)."
    )
    loss = (
        f"Losing the whole campus at once would raise interconnection frequency by "
        f"{_at(h, 'load_loss_freq_deviation_hz')} Hz and the POI voltage to "
        f"{_at(h, 'load_loss_poi_vm_pu')} pu."
    )
    if h["pst_poi" + sfx] is None:
        bess = (
            ""
            if h["bess_power_mw_required" + sfx] is None
            else f" A battery of {_at(h, 'bess_power_mw_required')} MW / "
            f"{_at(h, 'bess_energy_mwh_required')} MWh that smooths the swing brings Pst to "
            f"{_at(h, 'pst_poi_with_bess')}."
        )
        return f"{swing} At the POI {_collapse(h, sfx)}.{bess} {loss}"
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
    out = [_load_basis_finding(h), _swing_finding(h), _flicker_finding(h)]
    vir = h["reference_load_loss_mw"]
    out.append(
        f"Sudden loss of the campus ({n(h['load_loss_mw'])} MW, "
        f"{h['load_loss_mw'] / vir:.1f}x the ~{vir:,.0f} MW lost in Virginia on 10 July 2024) "
        f"raises interconnection frequency by ~{round(1000 * h['load_loss_freq_deviation_hz'])} "
        f"mHz (df = dP/beta) and the POI voltage to {n(h['load_loss_poi_vm_pu'])} pu."
    )
    out.append(_storage_finding(h))
    if h["smoothing_extra_power_mw"] > 0.0:
        out.append(
            f"GPU power smoothing (the option beside storage) brings Pst to "
            f"{n(h['pst_poi_smoothed'])} and Plt to {n(h['plt_poi_smoothed'])}, burning "
            f"{n(h['smoothing_extra_power_mw'])} MW on average while training, "
            f"~{h['smoothing_energy_mwh_per_year']:,} MWh/yr."
        )
    return out


def _load_basis_finding(h: dict[str, Any]) -> str:
    return (
        f"The training waveform is drawn for the planning-peak hour ({h['waveform_hour']}, "
        f"{n(h['waveform_hour_facility_mw'])} MW): steady training averages to that hour's "
        f"load ({n(h['waveform_mean_mw'])} MW) and peaks at {n(h['waveform_peak_mw'])} MW in "
        "every compute phase."
    )


def _swing_finding(h: dict[str, Any]) -> str:
    f_it = h["iteration_frequency_hz"]
    low, high = h["oscillation_band_low_hz"], h["oscillation_band_high_hz"]
    where = "falls in" if low <= f_it <= high else "falls outside"
    return (
        f"Training swing of {n(h['iteration_swing_mw'])} MW at {f_it} Hz {where} the "
        f"{low:g}-{high:g} Hz oscillation band ({round(100 * h['band_energy_fraction'])} % of "
        f"the fluctuating energy in the band); peak-to-peak including job start/stop "
        f"{n(h['swing_peak_to_peak_mw'])} MW, ramps up to {n(h['max_ramp_mw_per_s'])} MW/s."
    )


def _flicker_finding(h: dict[str, Any]) -> str:
    if h["pst_poi"] is None:
        return f"Flicker: {_collapse(h)} (minimum-case short circuit {n(h['poi_sc_mva'])} MVA)."
    return (
        f"Flicker at the POI (IEC 61000-4-15 flickermeter, {n(h['lamp_voltage_v'])} V / "
        f"{h['grid_hz']:g} Hz lamp, minimum-case short circuit {n(h['poi_sc_mva'])} MVA): Pst "
        f"{n(h['pst_poi'])} over the 10-min window with a job start and stop "
        f"({n(h['pst_poi_steady'])} "
        f"in steady training), Plt {n(h['plt_poi'])} over 2 h. Limits allocated to the campus by "
        f"IEC/TR 61000-3-7 ({n(h['flicker_installation_mva'])} MVA, a share "
        f"{n(h['flicker_share_of_supply_capacity'])} of the "
        f"{n(h['flicker_supply_capacity_mva'])} MVA "
        f"supply capacity; transfer coefficient {n(h['flicker_transfer_coefficient'])}): Pst "
        f"{n(h['pst_limit_allocated'])}, Plt {n(h['plt_limit_allocated'])}: "
        f"the campus is {_flicker_verdict(h, '')} them. The repeated swing is a "
        f"{n(h['poi_voltage_fluctuation_percent'])} % voltage change at "
        f"{n(h['repetition_rate_per_min'])} changes/min."
    )


def _storage_finding(h: dict[str, Any]) -> str:
    if h["bess_filter_time_constant_s"] is None:
        return f"Storage: {n(h['target_description'])}."
    if h["bess_filter_time_constant_s"] > 0.0:
        return (
            f"Storage to hold {n(h['target_description'])}: {n(h['bess_power_mw_required'])} MW / "
            f"{n(h['bess_energy_mwh_required'])} MWh (C-rate {n(h['bess_c_rate'])}/h, energy set "
            f"by "
            f"{h['bess_energy_binding'].replace('_', ' ')}); with it Pst "
            f"{n(h['pst_poi_with_bess'])}, Plt {n(h['plt_poi_with_bess'])}. Round-trip efficiency "
            f"{n(h['bess_roundtrip_efficiency'])}: {h['bess_loss_mwh_per_year']:,} MWh/yr of "
            f"losses; {h['bess_full_cycles_per_year']:,} full cycles a year over "
            f"{h['bess_operating_hours_per_year']:,} h of training, cycle life "
            f"{n(h['bess_cycle_life_years'])} years."
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
        return f"On-site generation: {n(h['onsite_fleet'])}."
    capped = [p for p in ("NOx", "CO", "PM") if caps.get(p) is not None]
    cap_text = (
        " against permit caps of " + ", ".join(f"{n(caps[p])} t {p}" for p in capped)
        if capped
        else " (the case gives no permit caps)"
    )
    return (
        f"On-site generation: {n(h['onsite_fleet'])} ({n(h['turbine_fleet_mw'])} MW). Its "
        f"potential "
        f"to emit at the permitted hours is {n(pte['NOx'])} t NOx, {n(pte['CO'])} t CO and "
        f"{n(pte['PM'])} t PM a year{cap_text}; the grid cannot serve the campus "
        f"{n(h['grid_unservable_hours_per_year'])} h/yr, so the fleet runs "
        f"{n(h['turbine_hours_per_year'])} h/yr as backup ({n(h['turbine_nox_tons_per_year'])} t "
        f"NOx)."
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
        return f"cap {n(e['limit'])}"
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
            values = " / ".join(n(by_scenario[s][p][0]["value"]) for s in scenarios)
            parts.append(f"{pollutant_name(p)} {values} ({', '.join(limits)})")
        names = " / ".join(SCENARIO_NAMES.get(s, s) for s in scenarios)
        out.append(f"{names}: " + "; ".join(parts) + ".")
    return out


def _max_gpus_sentence(h: dict[str, Any]) -> str:
    by_option = h["max_gpus_by_option"]
    rec = h["recommended_interconnection"]
    moved = (
        f"; with the recommended interconnection "
        f"({n(h['recommended_interconnection_description'])}), {by_option[rec]:,}"
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
        f"That is at most {count} {n(h['gpu_model'])} GPUs N-1 secure{moved}; the case has "
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
            f"the recommended interconnection ({n(h['recommended_interconnection_description'])}) "
            f"clears every attributable violation, N-1 hosting "
            f"{n(h['upgrade_best_hosting_n1_mw'])} MW"
            if h["upgrade_best_clears"]
            else "no screened option clears every violation attributable to the campus"
        )
        out.append(
            f"Transmission: {n(h['poi_bus'])} hosts {n(h['hosting_capacity_n1_mw'])} MW under N-1 "
            f"against {n(h['facility_peak_mw'])} MW needed; {fix}."
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
            f"{n(onsite_doc['fleet'])}: {n(onsite_doc['unit_count'])} units, "
            f"{n(h['turbine_fleet_mw'])} MW. Potential to emit at "
            f"{n(onsite_doc['permitted_hours_per_year'])} h/yr: NOx {n(pte['NOx'])} t, CO "
            f"{n(pte['CO'])} t, PM {n(pte['PM'])} t, VOC {n(pte['VOC'])} t, SO2 {n(pte['SO2'])} t, "
            f"formaldehyde {n(pte['formaldehyde'])} t, HAP {n(pte['HAP_total'])} t, CO2e "
            f"{pte['CO2e']:,} t a year.",
            f"The grid cannot serve the campus within criteria in "
            f"{n(h['grid_unservable_hours_per_year'])} h/yr (hourly N-0 and N-1); the fleet then "
            f"holds the import to {n(h['backup_secure_import_mw'])} MW (N-1 hosting capacity), "
            f"running {n(h['turbine_hours_per_year'])} h/yr and emitting "
            f"{n(h['turbine_nox_tons_per_year'])} t NOx.",
        ]
        if h["unserved_above_cap_mwh_per_year"] > 0.0:
            out.append(
                f"The fleet ({n(h['turbine_fleet_mw'])} MW) cannot carry what the grid cannot: "
                f"{h['unserved_above_cap_mwh_per_year']:,} MWh/yr remain unserved."
            )
    interim = onsite_doc["interim"]
    if interim is not None:
        it = tons["interim_primary"]
        out.append(
            f"Interim prime power: {n(interim['description'])} ({n(interim['unit_count'])} units, "
            f"{n(interim['rating_mw'])} MW), {n(interim['control'])}, for {n(interim['months'])} "
            f"months "
            f"above {n(interim['grid_supply_mw'])} MW of grid supply: NOx {n(it['NOx'])} t, CO "
            f"{n(it['CO'])} t in its first 12 months."
        )
    return out


# ---------------------------------------------------------------- plain language


def _campus_needs(doc: dict[str, Any]) -> list[str]:
    h = doc["headline"]
    refs = doc["references"]
    water = h["water_makeup_avg_mgd"]
    out = [
        f"At its busiest hour the campus would draw {n(h['facility_peak_mw'])} megawatts (MW) "
        f"of electricity, {n(h['share_of_utility_peak_percent'])} % of what the whole local "
        f"utility delivers on its hottest summer day. Over a year it would use "
        f"{n(h['annual_energy_gwh'])} gigawatt-hours (GWh).",
    ]
    if water:
        out.append(
            f"Its cooling would use {n(water)} million gallons of water a day on average "
            f"({n(h['water_makeup_peak_mgd'])} on the peak day); Colossus 1 reportedly uses "
            f"about {n(refs['colossus1_water_mgd'])} million gallons a day."
        )
    else:
        out.append(
            f"Its cooling ({_name(h['cooling_architecture'])}) uses next to no water, at the "
            f"price of more electricity: cooling alone peaks at {n(h['cooling_peak_mw'])} MW."
        )
    return out


def _worst_attributable(doc: dict[str, Any], quantity: str) -> dict[str, Any] | None:
    rows = [
        r
        for r in doc["grid"].get("n1_violations_by_element", [])
        + doc["grid"].get("n0_violations_by_element", [])
        if r["quantity"] == quantity and r["attributable_count"] > 0
    ]
    if not rows:
        return None
    if quantity == "vm_pu":
        return min(rows, key=lambda r: r["worst_value"])
    return max(rows, key=lambda r: r["worst_value"])


def _grid_gets(doc: dict[str, Any]) -> list[str]:
    h = doc["headline"]
    g = doc["grid"]
    elements = {
        r["element"]
        for r in g.get("n0_violations_by_element", []) + g.get("n1_violations_by_element", [])
        if r["attributable_count"] > 0
    }
    out = []
    if not elements:
        out.append(
            f"At the requested connection point ({h['poi_bus']}) the grid carries the campus "
            "within the planning limits, with every line in service and with any one out of "
            "service (the 'N-1' test utilities plan to)."
        )
    else:
        line = _worst_attributable(doc, "loading_percent")
        volt = _worst_attributable(doc, "vm_pu")
        worst = []
        if line is not None:
            worst.append(
                f"the worst, {line['element']}, would carry {n(line['worst_value'])} % of "
                "what it is rated to carry"
            )
        if volt is not None:
            crit = doc["study_basis"]["criteria"]
            worst.append(
                f"voltage would sag to {round(100 * volt['worst_value'])} % of normal at "
                f"{volt['element']} (the planning limit is "
                f"{round(100 * crit['vm_min_n1_pu'])} % with one element out, "
                f"{round(100 * crit['vm_min_n0_pu'])} % with all in)"
            )
        out.append(
            f"At the requested connection point ({h['poi_bus']}) the campus would push "
            f"{n(len(elements))} lines, transformers or substations of the grid beyond their "
            f"limits, with every line in service or with one out (the 'N-1' test utilities "
            f"plan to): " + "; ".join(worst) + ". "
            f"That point can safely serve {n(h['hosting_capacity_n1_mw'])} MW; the campus "
            f"needs {n(h['facility_peak_mw'])} MW."
        )
    diverged = g.get("n1_diverged_outages", [])
    if diverged:
        out.append(
            f"For {n(len(diverged))} of the outages studied the grid model finds no stable "
            "operating point at all with the campus connected: the network could not hold "
            "its voltage."
        )
    sfx = "_recommended" if _moved(h) else ""
    if h["pst_poi" + sfx] is not None:
        verdict = (
            "within the share of flicker allowed to it"
            if h["flicker_within_limits" + sfx]
            else "beyond the share of flicker allowed to it, so lights nearby would flicker"
        )
        out.append(
            f"AI training makes the campus's power swing by {n(h['swing_peak_to_peak_mw'])} MW "
            f"within seconds. At the recommended connection this makes the voltage "
            f"flicker with a severity index (Pst) of {n(h['pst_poi' + sfx])} against "
            f"{n(h['pst_limit_allocated' + sfx])} allowed: {verdict}."
        )
    if h.get("fault_ride_through_load_tripped_mw"):
        out.append(
            f"If a fault on the grid near the campus dips the voltage, the campus's backup "
            f"systems would take {n(h['fault_ride_through_load_tripped_mw'])} MW off the grid "
            "within a fraction of a second, as data centers in Virginia did in July 2024; the "
            f"grid's frequency would rise by {n(h['fault_freq_peak_deviation_hz'])} Hz and, had "
            f"the whole campus dropped, the local voltage would jump to "
            f"{round(100 * h['load_loss_poi_overvoltage_pu'])} % of normal."
        )
    if h["turbine_fleet_mw"]:
        pte = h["turbine_pte_tons_per_year"]
        out.append(
            f"The on-site gas turbines ({n(h['turbine_fleet_mw'])} MW) could emit up to "
            f"{n(pte['NOx'])} tons of nitrogen oxides (NOx, a smog precursor) a year at their "
            f"permitted hours; the federal 'major source' threshold is 100 tons. Run as "
            f"backup for the hours the grid cannot serve the campus "
            f"({n(h['grid_unservable_hours_per_year'])} h a year), they would emit "
            f"{n(h['turbine_nox_tons_per_year'])} tons. These are amounts released, not air "
            "concentrations at anyone's home: no dispersion model was run."
        )
    return out


def _must_build(doc: dict[str, Any]) -> list[str]:
    h = doc["headline"]
    rec = h["recommended_interconnection"]
    out = []
    if rec is None:
        out.append(
            "Grid: none of the connection options screened serves the campus within the "
            "planning limits; a larger reinforcement is needed."
        )
    elif rec == "none":
        out.append("Grid: nothing new; the requested connection serves the campus as it is.")
    else:
        out.append(f"Grid: a new connection - {h['recommended_interconnection_description']}.")
    sfx = "_recommended" if _moved(h) else ""
    bess = h["bess_power_mw_required" + sfx]
    if bess:
        out.append(
            f"A battery of {n(bess)} MW / {n(h['bess_energy_mwh_required' + sfx])} MWh to "
            "smooth the training swings, so that lights nearby do not flicker."
        )
    if h["turbine_fleet_mw"] and h["permit_exceedance_count"]:
        out.append(
            f"Turbines: emission controls and an operating limit (at most "
            f"{n(h['minor_source_max_hours_per_year'])} h a year at full load keeps them below "
            "the major-source thresholds), or a major-source air permit."
        )
    if not doc["cooling"]["design_ok"]:
        out.append("Cooling: a larger cooling plant; the one studied fails its own design check.")
    return out


# case inputs whose effect on the answer is direct (see the methodology): the IT power is
# N x P x (1 + f_fabric) x draw fraction, the facility peak that over the UPS and
# transformer efficiencies, the turbine emissions proportional to the permitted hours
INFLUENTIAL_INPUTS = (
    "compute.peak_draw_fraction",
    "compute.mean_draw_fraction",
    "compute.fabric_storage_fraction",
    "compute.gpu_count",
    "facility.power_factor",
    "facility.ups_efficiency",
    "onsite.permitted_hours_per_year",
)


def uncertain_inputs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Estimate-confidence inputs of the case that scale the answer directly."""
    by_name = {a["input"]: a for a in doc["assumptions"]}
    return [
        by_name[k]
        for k in INFLUENTIAL_INPUTS
        if k in by_name and by_name[k]["confidence"] == "estimate"
    ]


def _uncertain(doc: dict[str, Any]) -> list[str]:
    counts = doc.get("study_basis", {}).get("inputs_by_confidence", {})
    out = []
    rows = uncertain_inputs(doc)
    if rows:
        items = "; ".join(
            f"{_INPUT_WORDS.get(r['input'], r['input'])} ({n(r['value'])})" for r in rows
        )
        out.append("The answer scales directly with these engineering estimates: " + items + ".")
    if counts:
        out.append(
            f"Of the {n(sum(counts.values()))} inputs, {n(counts.get('estimate', 0))} are "
            "engineering estimates; each is listed with its source in the assumptions table."
        )
    out.append(
        "The grid model is representative, not the utility's own (that model is confidential): "
        "the utility's interconnection study decides."
    )
    return out


_INPUT_WORDS = {
    "compute.peak_draw_fraction": "GPU power at the busiest hour as a share of nameplate",
    "compute.mean_draw_fraction": "average GPU power as a share of nameplate",
    "compute.fabric_storage_fraction": "network, storage and CPU power as a share of GPU power",
    "compute.gpu_count": "number of GPUs",
    "facility.power_factor": "power factor",
    "facility.ups_efficiency": "UPS efficiency",
    "onsite.permitted_hours_per_year": "hours a year the turbines may run",
}


def plain_language(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The one-page summary for non-engineers: (heading, sentences) in four parts.

    Every number is a ``results.json`` value; terms are glossed where they appear.
    """
    return [
        ("What the campus needs", _campus_needs(doc)),
        ("What the grid and the neighbours get", _grid_gets(doc)),
        ("What must be built", _must_build(doc) or ["Nothing beyond the campus itself."]),
        ("What is uncertain", _uncertain(doc)),
    ]


# ---------------------------------------------------------------- study basis


def _contingency_text(by_category: dict[str, int]) -> str:
    parts = [f"{n(v)} {_name(k)}" for k, v in by_category.items() if v]
    return ", ".join(parts) if parts else "none"


def not_studied(doc: dict[str, Any]) -> list[str]:
    """What this study did not look at: the list a hearing can hold it to."""
    basis = doc["study_basis"]
    cats = basis["contingencies_by_category"]
    out = []
    if not cats.get("generator"):
        out.append("Generator outages: none is in the contingency set.")
    else:
        out.append(
            f"Generator outages beyond the {n(cats['generator'])} in the contingency set; "
            "the campus's own turbines are not modelled as grid generators."
        )
    out += [
        f"Ratings other than: {basis['line_rating_basis']}. The utility's own facility "
        "ratings (NERC FAC-008) and transformer ratings other than the model's were not "
        "available.",
        "TPL-001 extreme events and outages beyond the listed categories.",
        "Harmonic distortion (IEEE 519 / IEC 61000-3-6) of the campus's power electronics.",
        "Subsynchronous and control interaction between the campus's converters and the grid.",
        "Protection coordination and breaker interrupting duty (short-circuit levels are "
        "computed, breaker ratings are not checked).",
    ]
    if not basis.get("time_domain_studied"):
        out.append(
            "Transient (rotor-angle) stability, frequency nadir and fault ride-through: no "
            "time-domain simulation was run."
        )
    out += [
        "Voltage-stability margins (P-V / Q-V curves) beyond the hosting-capacity search.",
        "Air quality: emissions are tons a year; no dispersion modelling, NAAQS or "
        "health-risk assessment.",
        "Water supply: volumes only; no aquifer, discharge or water-rights assessment.",
    ]
    return out


def basis_rows(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(item, text) rows of the study basis: what, criteria, data, version."""
    b = doc["study_basis"]
    c = b["criteria"]
    h = doc["headline"]
    plan = b["flicker_planning_levels"]
    flicker = (
        f"Pst {n(plan.get('onsite.pst_planning_level'))}, Plt "
        f"{n(plan.get('onsite.plt_planning_level'))} at the POI (IEC/TR 61000-3-7 Table 1); "
        f"limits allocated to the campus: Pst {n(h['pst_limit_allocated'])}, Plt "
        f"{n(h['plt_limit_allocated'])}"
        if plan
        else "not given"
    )
    counts = b["inputs_by_confidence"]
    return [
        ("Case", f"{doc['case']['title']} ({b['case_file']}). {b['case_description']}"),
        ("Campus", f"{b['site']}" + (f", {b['site_address']}" if b["site_address"] else "")),
        ("Point of interconnection", f"{b['poi_bus']}, network {b['network']}"),
        (
            "Weather",
            f"{b['weather_source']}"
            + (f"; year {b['weather_year']}" if b["weather_year"] is not None else ""),
        ),
        (
            "Voltage criteria",
            f"N-0 {n(c['vm_min_n0_pu'])}-{n(c['vm_max_n0_pu'])} pu; after a contingency "
            f"{n(c['vm_min_n1_pu'])}-{n(c['vm_max_n1_pu'])} pu (NERC TPL-001-5)",
        ),
        (
            "Thermal criteria",
            f"N-0 {n(c['max_loading_n0_percent'])} % of the normal rating; after a "
            f"contingency {n(c['max_loading_n1_percent'])} % of the emergency rating",
        ),
        ("Line ratings", b["line_rating_basis"]),
        (
            "Contingency set",
            f"{n(b['contingency_count'])} outages at peak: "
            f"{_contingency_text(b['contingencies_by_category'])}",
        ),
        ("Attribution to the campus", b["attribution_rule"]),
        ("Flicker planning levels", flicker),
        (
            "Data",
            f"{n(sum(counts.values()))} sourced inputs: "
            + ", ".join(f"{n(v)} {k}" for k, v in sorted(counts.items()))
            + "; every one with its source in the assumptions table (section 6)",
        ),
        (
            "Version",
            f"gridimpact {doc['tool_version']}, results schema {doc['schema_version']}; "
            f"case file SHA-256 {b['case_file_sha256']}",
        ),
    ]


def limitations(doc: dict[str, Any], static: tuple[str, ...]) -> list[str]:
    """The report's limitations: the fixed ones and those read from the study basis."""
    b = doc["study_basis"]
    cats = b["contingencies_by_category"]
    gens = (
        "generator outages are not in the contingency set"
        if not cats.get("generator")
        else f"only {n(cats['generator'])} generator outage(s) are in the contingency set"
    )
    dyn = (
        "a time-domain simulation is reported in its own section"
        if b.get("time_domain_studied")
        else "dynamics are quasi-static (flickermeter on the POI voltage through a Thevenin "
        "equivalent, frequency change from the frequency response): no electromechanical "
        "simulation, no frequency nadir"
    )
    return [
        *static,
        f"Contingencies: {_contingency_text(cats)}; {gens}.",
        f"Line ratings: {b['line_rating_basis']}; not the utility's own facility ratings.",
        f"Dynamics: {dyn}.",
    ]


def time_domain_findings(td: dict[str, Any]) -> list[str]:
    """The time-domain studies in words, from the ``time_domain`` document (rounded)."""
    h = td["headline"]
    if not h["dynamics_performed"]:
        return [
            f"The time-domain studies ({h['dynamics_engine'] or 'ANDES'}) were not performed: "
            f"{td['reason']}."
        ]
    out = [f"Model: {td['description']}."]
    if h["load_loss_freq_peak_deviation_hz"] is not None:
        out.append(
            f"Campus trip: losing the whole campus ({n(td['campus_p_mw'])} MW) at once, as "
            "about 1,500 MW of Virginia data centers did on 10 July 2024, raises the "
            f"interconnection's frequency by {n(h['load_loss_freq_peak_deviation_hz'])} Hz at "
            f"its peak, at up to {n(h['load_loss_rocof_hz_per_s'])} Hz/s (RoCoF over "
            f"{n(td['rocof_window_s'])} s), settling {n(h['load_loss_settling_freq_deviation_hz'])}"
            f" Hz high; the POI voltage rises to {n(h['load_loss_poi_overvoltage_pu'])} pu."
        )
    if h["fault_ride_through_load_tripped_mw"] is not None:
        tiers = ", ".join(td["tiers_tripped"]) or "none"
        out.append(
            f"Fault ride-through: a bolted three-phase fault at the POI cleared in "
            f"{round(1000 * h['fault_clearing_time_s'])} ms pulls the POI voltage to "
            f"{n(h['fault_poi_min_voltage_pu'])} pu; under the campus's ride-through curve "
            f"{n(h['fault_ride_through_load_tripped_mw'])} MW drops off (tiers tripped: {tiers}) "
            f"and the frequency then rises by {n(h['fault_freq_peak_deviation_hz'])} Hz."
        )
    modes = h["electromechanical_modes"] or []
    if modes:
        listed = "; ".join(
            f"{m['frequency_hz']} Hz at {round(100 * m['damping_ratio'], 1)} % damping"
            for m in modes[:6]
        )
        out.append(f"Electromechanical modes (0.1-2.5 Hz): {listed}.")
    if h["swing_mode_min_frequency_separation_hz"] is not None:
        threshold = round(100 * (td["damping_threshold"] or 0.0))
        damped = (
            "poorly damped"
            if td["poorly_damped"]
            else f"no mode is below the {threshold} % threshold"
        )
        out.append(
            f"The training swing's component nearest a mode is "
            f"{n(td['swing_frequency_hz'])} Hz, {n(h['swing_mode_min_frequency_separation_hz'])}"
            f" Hz from the mode at {n(h['swing_mode_nearest_frequency_hz'])} Hz "
            f"({round(100 * h['swing_mode_nearest_damping_ratio'], 1)} % damping; {damped})."
        )
    if h["forced_oscillation_frequency_hz"] is not None:
        amp = h["forced_oscillation_amplification"]
        out.append(
            "Forced oscillation: the campus load swinging by "
            f"±{n(h['forced_oscillation_amplitude_mw'])} MW at "
            f"{n(h['forced_oscillation_frequency_hz'])} Hz makes the POI voltage swing by "
            f"±{n(h['forced_oscillation_poi_voltage_amplitude_pu'])} pu and the most affected "
            f"machine's power by ±{n(h['forced_oscillation_machine_pe_amplitude_mw'])} MW"
            + ("" if amp is None else f", {amp:.1f} times its response far from the mode")
            + "."
        )
    out += [f"Note: {note}." for note in td["notes"]]
    return out
