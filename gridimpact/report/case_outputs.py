"""Everything a single case writes into its run folder."""

from __future__ import annotations

from pathlib import Path

from gridimpact.dynamics.timedomain.stage import swing_frequencies_hz
from gridimpact.report import figures as fg
from gridimpact.report import timedomain_figures as tdf
from gridimpact.report.case_report import build_case_pdf
from gridimpact.report.document import (
    assumptions_table,
    diverged_outages,
    load_references,
    results_document,
    violations_by_element,
)
from gridimpact.report.output import write_json
from gridimpact.study import StudyResult


def _water_references() -> list[tuple[str, float]]:
    refs = load_references()
    return [
        ("Colossus 1 reported use", refs["colossus1_water_mgd"].value),
        ("xAI recycling plant", refs["recycling_plant_mgd"].value),
    ]


def write_tables(result: StudyResult, tabs: Path) -> None:
    """CSV tables: hourly series, design tables, grid studies, dynamics."""
    tabs.mkdir(parents=True, exist_ok=True)
    fac = result.facility
    fac.hourly.to_csv(tabs / "facility_hourly.csv", float_format="%.4f", index_label="time")
    fac.design_day.to_csv(tabs / "facility_design_day.csv", float_format="%.4f", index_label="hour")
    result.thermal.hourly.to_csv(
        tabs / "cooling_hourly.csv", float_format="%.4f", index_label="time"
    )
    result.thermal.design_table.to_csv(tabs / "cooling_design.csv", index=False)
    result.cooling_alternatives.to_csv(
        tabs / "cooling_alternatives.csv", index=False, float_format="%.4f"
    )
    grid = result.grid
    grid.n0_campus.bus_results.to_csv(tabs / "n0_bus_results.csv", index=False, float_format="%.5f")
    grid.n0_campus.branch_results.to_csv(
        tabs / "n0_branch_results.csv", index=False, float_format="%.3f"
    )
    grid.n0_campus.violations.to_csv(tabs / "n0_violations.csv", index=False)
    grid.n1_campus.contingencies.to_csv(
        tabs / "n1_contingencies.csv", index=False, float_format="%.4f"
    )
    grid.n1_campus.branch_worst.to_csv(
        tabs / "n1_branch_worst.csv", index=False, float_format="%.3f"
    )
    grid.n1_campus.violations.to_csv(tabs / "n1_violations.csv", index=False, float_format="%.4f")
    # the full attributed lists (the PDF prints them summarised by element)
    grid.verdict.n0.to_csv(tabs / "n0_violations_attributed.csv", index=False, float_format="%.4f")
    grid.verdict.n1.to_csv(tabs / "n1_violations_attributed.csv", index=False, float_format="%.4f")
    violations_by_element(grid.verdict.n0).to_csv(
        tabs / "n0_violations_by_element.csv", index=False, float_format="%.4f"
    )
    violations_by_element(grid.verdict.n1).to_csv(
        tabs / "n1_violations_by_element.csv", index=False, float_format="%.4f"
    )
    diverged_outages(grid.verdict.n1).to_csv(tabs / "n1_diverged_outages.csv", index=False)
    grid.short_circuit.bus_results.to_csv(
        tabs / "short_circuit_buses.csv", index=False, float_format="%.3f"
    )
    grid.upgrades.options.to_csv(tabs / "upgrade_screening.csv", index=False, float_format="%.3f")
    grid.hosting_candidates.to_csv(
        tabs / "hosting_capacity_by_poi.csv", index=False, float_format="%.1f"
    )
    ts = grid.timeseries
    ts.hourly.to_csv(tabs / "grid_hourly_n0.csv", float_format="%.4f", index_label="time")
    if ts.n1 is not None:
        ts.n1.hourly.to_csv(tabs / "grid_hourly_n1.csv", float_format="%.4f", index_label="time")
        ts.n1.contingencies.to_csv(
            tabs / "grid_year_n1_by_contingency.csv", index=False, float_format="%.4f"
        )
    dyn = result.dynamics
    dyn.waveform.to_csv(tabs / "training_waveform.csv", float_format="%.4f")
    dyn.spectrum.to_csv(tabs / "training_spectrum.csv", index=False, float_format="%.6g")
    td = result.time_domain
    if td is not None and td.performed:
        if td.load_loss is not None:
            td.load_loss.traces.to_csv(
                tabs / "time_domain_campus_trip.csv", index=False, float_format="%.6g"
            )
        if td.fault is not None:
            td.fault.traces.to_csv(tabs / "time_domain_fault.csv", index=False, float_format="%.6g")
            td.fault.traces_no_trip.to_csv(
                tabs / "time_domain_fault_no_trip.csv", index=False, float_format="%.6g"
            )
        if td.modes is not None:
            td.modes.to_csv(tabs / "electromechanical_modes.csv", index=False, float_format="%.6g")
    if result.gpu_sensitivity is not None:
        result.gpu_sensitivity.to_csv(
            tabs / "gpu_sensitivity.csv", index=False, float_format="%.4f"
        )
    ons = result.onsite
    ons.emissions.to_csv(tabs / "turbine_emissions.csv", index=False, float_format="%.4f")
    ons.unit_pte.to_csv(tabs / "turbine_pte_by_unit.csv", index=False, float_format="%.4f")
    ons.scenario_basis.to_csv(tabs / "emission_scenarios.csv", index=False, float_format="%.4f")
    ons.turbine_hourly.to_csv(tabs / "turbine_hourly.csv", float_format="%.4f", index_label="time")
    assumptions_table(result).to_csv(tabs / "assumptions.csv", index=False)


def write_figures(result: StudyResult, figs: Path) -> dict[str, str]:
    """All PNG figures of one case; returns figure key → path."""
    figs.mkdir(parents=True, exist_ok=True)
    name = result.loaded.case.case.name
    fac, thermal, grid, dyn = result.facility, result.thermal, result.grid, result.dynamics
    paths: dict[str, Path] = {
        "design_day": figs / "design_day_power_by_component.png",
        "facility_year": figs / "facility_power_daily_over_year.png",
        "load_duration": figs / "facility_load_duration_curve.png",
        "pue_heatmap": figs / "pue_hourly_heatmap.png",
        "cooling_tradeoff": figs / "cooling_architectures_power_vs_water.png",
        "network_map": figs / "network_map_n0_with_campus.png",
        "n1_loading": figs / "n1_worst_branch_loading.png",
        "grid_year": figs / "grid_year_worst_loading_and_voltage.png",
        "waveform": figs / "training_power_waveform.png",
        "spectrum": figs / "training_power_spectrum.png",
        "flicker": figs / "poi_voltage_and_flicker_severity.png",
        "emissions": figs / "air_emissions_scenarios_vs_limits.png",
    }
    fg.plot_design_day(
        fac.design_day,
        result.weather.design_day(thermal.design_basis),
        f"Design day - {name}",
        str(paths["design_day"]),
    )
    fg.plot_facility_year(
        fac.hourly, f"Facility power over the year - {name}", str(paths["facility_year"])
    )
    fg.plot_load_duration(
        [(name, fac.hourly["facility_power_mw"])],
        str(paths["load_duration"]),
        title=f"Facility load duration curve - {name}",
    )
    fg.plot_heatmap(fac.hourly_pue, "PUE (-)", f"Hourly PUE - {name}", str(paths["pue_heatmap"]))
    water = thermal.hourly["makeup_water_m3_per_h"]
    if float(water.sum()) > 0.0:
        paths["wue_heatmap"] = figs / "wue_hourly_heatmap.png"
        fg.plot_heatmap(
            thermal.hourly_wue_l_per_kwh,
            "WUE (L/kWh IT)",
            f"Hourly water use effectiveness - {name}",
            str(paths["wue_heatmap"]),
        )
        paths["water_daily"] = figs / "makeup_water_daily.png"
        fg.plot_daily_water(
            thermal.hourly,
            _water_references(),
            f"Cooling makeup water - {name}",
            str(paths["water_daily"]),
        )
    fg.plot_cooling_tradeoff(
        result.cooling_alternatives,
        _water_references(),
        f"Cooling architectures, power vs water - {name}",
        str(paths["cooling_tradeoff"]),
    )
    n0 = grid.n0_campus
    fg.plot_network_map(
        n0.bus_results,
        n0.branch_results,
        n0.poi_bus,
        f"N-0 at summer peak with the campus - {name}",
        str(paths["network_map"]),
    )
    fg.plot_n1_loading(
        grid.n1_campus.branch_worst, f"N-1 branch loading - {name}", str(paths["n1_loading"])
    )
    ts = grid.timeseries
    fg.plot_grid_year(
        ts.hourly,
        ts.n1.hourly if ts.n1 is not None else None,
        f"Grid over the year with the campus - {name}",
        str(paths["grid_year"]),
    )
    h = dyn.headline
    traces = ["campus_power_mw"]
    if h["smoothing_extra_power_mw"] > 0.0:
        traces.append("campus_power_smoothed_mw")
    if h["bess_power_mw_required"]:
        traces.append("grid_power_with_bess_mw")
    fg.plot_waveform(
        dyn.waveform, f"Training power - {name}", str(paths["waveform"]), columns=traces
    )
    band = (h["oscillation_band_low_hz"], h["oscillation_band_high_hz"])
    fg.plot_spectrum(
        dyn.spectrum, band, f"Training power spectrum - {name}", str(paths["spectrum"])
    )
    severity = [("no mitigation", h["pst_poi"], h["plt_poi"])]
    if h["smoothing_extra_power_mw"] > 0.0:
        severity.append(("GPU power smoothing", h["pst_poi_smoothed"], h["plt_poi_smoothed"]))
    with_battery = bool(h["bess_power_mw_required"])
    if with_battery:
        severity.append(("battery", h["pst_poi_with_bess"], h["plt_poi_with_bess"]))
    fg.plot_poi_flicker(
        dyn.waveform,
        severity,
        (h["pst_limit_allocated"], h["plt_limit_allocated"]),
        f"POI voltage - {name}",
        str(paths["flicker"]),
        with_battery=with_battery,
    )
    fg.plot_emissions(
        result.onsite.emissions,
        f"On-site turbine emissions against limits - {name}",
        str(paths["emissions"]),
    )
    paths.update(_time_domain_figures(result, figs, name))
    return {k: str(v) for k, v in paths.items()}


def _time_domain_figures(result: StudyResult, figs: Path, name: str) -> dict[str, Path]:
    """The time-domain figures that exist (none when the studies did not run)."""
    td = result.time_domain
    paths: dict[str, Path] = {}
    if td is None or not td.performed:
        return paths
    if td.load_loss is not None:
        paths["td_trip"] = figs / "time_domain_campus_trip.png"
        tdf.plot_load_loss(
            td.load_loss.traces,
            td.load_loss.t_event_s,
            f"Loss of the whole campus - {name}",
            str(paths["td_trip"]),
        )
    if td.fault is not None:
        paths["td_fault"] = figs / "time_domain_fault_ride_through.png"
        tdf.plot_fault(
            td.fault.traces,
            td.fault.traces_no_trip,
            td.fault.trip_times_s,
            f"Three-phase fault at the POI, cleared in "
            f"{round(1000 * td.fault.clearing_time_s)} ms - {name}",
            str(paths["td_fault"]),
        )
    if td.modes is not None and td.mode_separation is not None:
        freqs, _ = swing_frequencies_hz(result.dynamics.spectrum)
        paths["td_modes"] = figs / "electromechanical_modes.png"
        tdf.plot_modes(
            td.modes,
            freqs,
            td.mode_separation.damping_threshold,
            f"Electromechanical modes and the training swing - {name}",
            str(paths["td_modes"]),
        )
    return paths


def write_case_outputs(result: StudyResult, folder: Path) -> dict[str, str]:
    """Write ``results.json``, ``tables/*.csv``, ``figures/*.png`` and ``report.pdf``.

    ``folder`` is expected to be a fresh (temporary) folder; see
    :func:`gridimpact.report.output.atomic_directory`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    doc = results_document(result)
    write_json(doc, folder / "results.json")
    write_tables(result, folder / "tables")
    paths = write_figures(result, folder / "figures")
    build_case_pdf(doc, paths, str(folder / "report.pdf"))
    return paths


__all__ = ["write_case_outputs"]
