"""GPU-system sensitivity: the same campus built with other GPU systems of the catalog.

Pure orchestration of the compute → thermal → facility stages: each GPU system
keeps the case's GPU count, draw fractions, facility and cooling plant choice;
only the catalog system (GPU TDP, system power, liquid capture) changes. Each
plant is sized, checked and, if it fails, resized exactly as the main study's.
"""

from __future__ import annotations

import pandas as pd

from gridimpact.case import LoadedCase
from gridimpact.compute import compute_it_load
from gridimpact.data.gpus import load_gpu_catalog
from gridimpact.errors import CaseError
from gridimpact.facility import compute_facility_load, electrical_loss_heat_mw
from gridimpact.thermal import run_thermal
from gridimpact.weather import Weather

__all__ = ["SENSITIVITY_COLUMNS", "run_gpu_sensitivity"]

SENSITIVITY_COLUMNS = (
    "gpu_model",
    "selected",
    "gpu_tdp_w",
    "it_peak_mw",
    "facility_peak_mw",
    "pue_design_day",
    "pue_annual",
    "annual_energy_gwh",
    "water_makeup_avg_mgd",
    "cooling_design_ok",
    "resized",
)


def run_gpu_sensitivity(
    loaded: LoadedCase, weather: Weather, gpu_models: tuple[str, ...]
) -> pd.DataFrame:
    """The campus with its own GPU system and with each of ``gpu_models``, side by side.

    Parameters
    ----------
    loaded : LoadedCase
        The validated case (count, draw fractions, facility and cooling are kept).
    weather : Weather
        The study's weather year.
    gpu_models : tuple of str
        Catalog keys (``gridimpact/data/gpus.toml``) to study beside the case's own
        ``compute.gpu_model``; the case's own model is listed once, first.

    Returns
    -------
    pandas.DataFrame
        One row per GPU system, columns :data:`SENSITIVITY_COLUMNS`: ``gpu_model``,
        ``selected`` (the case's own), ``gpu_tdp_w``, ``it_peak_mw``,
        ``facility_peak_mw`` (the planning peak, as the grid studies use it),
        ``pue_design_day``, ``pue_annual``,
        ``annual_energy_gwh``, ``water_makeup_avg_mgd``, ``cooling_design_ok`` and
        ``resized`` (the plant was resized to pass its design check).

    Raises
    ------
    CaseError
        A key of ``gpu_models`` not in the catalog (field ``compute.sensitivity_gpu_models``).
    """
    case = loaded.case
    systems = load_gpu_catalog().systems
    for model in gpu_models:
        if model not in systems:
            known = ", ".join(sorted(systems))
            raise CaseError(
                str(loaded.path),
                "compute.sensitivity_gpu_models",
                f"unknown GPU model {model!r} (known: {known})",
            )
    own = case.compute.gpu_model
    models = (own, *(m for m in dict.fromkeys(gpu_models) if m != own))
    index = pd.DatetimeIndex(weather.hourly.index)
    rows = []
    for model in models:
        section = case.compute.model_copy(update={"gpu_model": model})
        it = compute_it_load(section, index)
        loss_heat_mw = electrical_loss_heat_mw(case.facility, it)
        thermal = run_thermal(
            case.cooling, it.hourly_it_mw, it.liquid_fraction, loss_heat_mw, weather
        )
        facility = compute_facility_load(case.facility, it, thermal)
        rows.append(
            {
                "gpu_model": model,
                "selected": model == own,
                "gpu_tdp_w": it.system.gpu_tdp_w.value,
                "it_peak_mw": it.it_peak_mw,
                "facility_peak_mw": facility.peak_mw,
                "pue_design_day": facility.pue_design_day,
                "pue_annual": facility.pue_annual,
                "annual_energy_gwh": facility.annual_energy_gwh,
                "water_makeup_avg_mgd": thermal.summary()["mean_makeup_water_mgd"],
                "cooling_design_ok": thermal.design_ok,
                "resized": thermal.resizing.resized,
            }
        )
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
