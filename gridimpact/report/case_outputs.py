"""Everything a single case writes into its run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from gridimpact.report.case_report import build_case_pdf
from gridimpact.report.figures import (
    plot_daily_water,
    plot_design_day,
    plot_facility_year,
    plot_load_duration,
    plot_network_map,
)
from gridimpact.report.output import write_json
from gridimpact.results import assumptions_table, results_document
from gridimpact.study import StudyResult

DRY_ARCHITECTURES = frozenset({"liquid_dry_coolers", "air_cooled_chillers"})


def design_basis(architecture: str) -> Literal["evaporative", "dry"]:
    """ASHRAE design condition that sizes an architecture: dry-bulb or wet-bulb."""
    return "dry" if architecture in DRY_ARCHITECTURES else "evaporative"


MGD_COLOSSUS1 = ("Colossus 1 reported use, ~1 MGD (WREG)", 1.0)
MGD_RECYCLING = ("Colossus water recycling plant, 13 MGD (Daily Memphian)", 13.0)


def write_case_outputs(result: StudyResult, folder: Path) -> dict[str, Path]:
    """Write ``results.json``, ``tables/*.csv``, ``figures/*.png`` and ``report.pdf``.

    ``folder`` is expected to be a fresh (temporary) folder; see
    :func:`gridimpact.report.output.atomic_directory`.
    """
    name = result.loaded.case.case.name
    figs = folder / "figures"
    tabs = folder / "tables"
    figs.mkdir(parents=True, exist_ok=True)
    tabs.mkdir(parents=True, exist_ok=True)

    doc = results_document(result)
    write_json(doc, folder / "results.json")

    fac = result.facility
    fac.hourly.to_csv(tabs / "facility_hourly.csv", float_format="%.4f", index_label="time")
    fac.design_day.to_csv(tabs / "facility_design_day.csv", float_format="%.4f", index_label="hour")
    result.thermal.hourly.to_csv(
        tabs / "cooling_hourly.csv", float_format="%.4f", index_label="time"
    )
    result.thermal.design_table.to_csv(tabs / "cooling_design.csv", index=False)
    n0 = result.grid.n0_campus
    n0.bus_results.to_csv(tabs / "n0_bus_results.csv", index=False, float_format="%.5f")
    n0.branch_results.to_csv(tabs / "n0_branch_results.csv", index=False, float_format="%.3f")
    n0.violations.to_csv(tabs / "n0_violations.csv", index=False)
    assumptions_table(result).to_csv(tabs / "assumptions.csv", index=False)

    paths = {
        "design_day": figs / "design_day_power_by_component.png",
        "facility_year": figs / "facility_power_daily_over_year.png",
        "load_duration": figs / "facility_load_duration_curve.png",
        "network_map": figs / "network_map_n0_with_campus.png",
    }
    plot_design_day(
        fac.design_day,
        result.weather.design_day(design_basis(result.thermal.architecture)),
        f"Design day - {name}",
        str(paths["design_day"]),
    )
    plot_facility_year(
        fac.hourly, f"Facility power over the year - {name}", str(paths["facility_year"])
    )
    plot_load_duration(
        [(name, fac.hourly["facility_power_mw"])],
        str(paths["load_duration"]),
        title=f"Facility load duration curve - {name}",
    )
    plot_network_map(
        n0.bus_results,
        n0.branch_results,
        n0.poi_bus,
        f"N-0 at summer peak with the campus - {name}",
        str(paths["network_map"]),
    )
    if (
        "makeup_water_m3_per_h" in result.thermal.hourly
        and float(result.thermal.hourly["makeup_water_m3_per_h"].sum()) > 0.0
    ):
        paths["water_daily"] = figs / "makeup_water_daily.png"
        plot_daily_water(
            result.thermal.hourly,
            [MGD_COLOSSUS1, MGD_RECYCLING],
            f"Cooling makeup water - {name}",
            str(paths["water_daily"]),
        )

    build_case_pdf(doc, {k: str(v) for k, v in paths.items()}, str(folder / "report.pdf"))
    return paths
