"""The machine-readable summary of a study: ``results.json``.

Every number the PDF prints is taken from the document built here, so the
report and the JSON cannot disagree. Numbers are rounded once, here, by the
unit suffix of their key; the report prints them exactly as stored.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from gridimpact import __version__
from gridimpact.case.sourced import Sourced, iter_sourced

if TYPE_CHECKING:
    from gridimpact.study import StudyResult

RESULTS_SCHEMA_VERSION = "1.0"

# decimals by key suffix; first match wins
_DECIMALS: tuple[tuple[str, int], ...] = (
    ("_vm_pu", 4),
    ("_pu", 4),
    ("_percent", 1),
    ("_gwh", 1),
    ("_mw", 1),
    ("_mvar", 1),
    ("_mva", 0),
    ("_mgd", 3),
    ("_l_per_kwh", 3),
    ("pue_", 3),
    ("scr", 2),
)


def round_for_key(key: str, value: Any) -> Any:
    """Round a float by the unit suffix of its key (see ``_DECIMALS``).

    Non-finite floats become ``None`` (JSON has no NaN): a missing number is
    shown as missing, never as a silent NaN.
    """
    if isinstance(value, bool) or not isinstance(value, float | int):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    base = key.removesuffix("_n0").removesuffix("_n1")
    for suffix, decimals in _DECIMALS:
        if base.endswith(suffix) or base.startswith(suffix):
            return round(float(value), decimals)
    return value


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
    return {key: round_for_key(key, value) for key, value in raw.items()}


def assumptions_table(result: StudyResult) -> pd.DataFrame:
    """Every sourced input that produced the result: case, catalogs, plant data."""
    rows: list[tuple[str, Sourced[Any]]] = list(iter_sourced(result.loaded.case))
    model = result.it.gpu_model
    rows += [(f"catalog.gpus.{model}.{p}", s) for p, s in iter_sourced(result.it.system)]
    rows += [(f"cooling.{name}", s) for name, s in result.thermal.parameters]
    rows += [(f"grid.{name}", s) for name, s in getattr(result.grid.network, "parameters", ())]
    return pd.DataFrame(
        [
            {
                "input": path,
                "value": s.value,
                "unit": s.unit,
                "source": s.source,
                "confidence": s.confidence,
            }
            for path, s in rows
        ]
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for record in frame.to_dict(orient="records"):
        out.append({str(k): round_for_key(str(k), _plain(v)) for k, v in record.items()})
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
        "weather": {"source": result.weather.source},
        "cooling": {
            "architecture": result.thermal.architecture,
            "design_ok": result.thermal.design_ok,
            "design_findings": list(result.thermal.design_findings),
            "design_table": _records(result.thermal.design_table),
        },
        "grid": {
            "network": grid.network.name,
            "network_description": grid.network.description,
            "campus_p_mw": round_for_key("_mw", grid.campus_p_mw),
            "campus_q_mvar": round_for_key("_mvar", grid.campus_q_mvar),
            "n0_base": _n0_summary(grid.n0_base),
            "n0_campus": _n0_summary(grid.n0_campus),
            "n0_campus_violations": _records(grid.n0_campus.violations),
        },
        "assumptions": _records(assumptions_table(result)),
    }


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
