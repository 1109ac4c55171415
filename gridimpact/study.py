"""The orchestrator: the only place that knows the order of the stages.

case → compute / weather / network → thermal → facility load → grid studies →
frozen :class:`StudyResult`. Every stage is a function of the ones before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gridimpact.case import LoadedCase, load_case
from gridimpact.compute import ITLoad, compute_it_load
from gridimpact.facility import FacilityLoad, compute_facility_load, electrical_loss_heat_mw
from gridimpact.grid import N0Result, NetworkModel, load_network, run_n0
from gridimpact.thermal import ThermalResult, run_thermal
from gridimpact.weather import Weather, load_weather


@dataclass(frozen=True)
class GridResults:
    """Grid studies of one case."""

    network: NetworkModel
    n0_base: N0Result
    """Summer peak without the campus."""
    n0_campus: N0Result
    """Summer peak with the campus at its design-day peak."""
    campus_p_mw: float
    campus_q_mvar: float


@dataclass(frozen=True)
class StudyResult:
    """Everything one study produced; frozen, plain data."""

    loaded: LoadedCase
    it: ITLoad
    weather: Weather
    thermal: ThermalResult
    facility: FacilityLoad
    grid: GridResults

    @property
    def headline(self) -> dict[str, Any]:
        """Headline scalars (see :mod:`gridimpact.results`)."""
        from gridimpact.results import headline

        return headline(self)


def run_grid_studies(network: NetworkModel, facility: FacilityLoad) -> GridResults:
    """N-0 at summer peak, with and without the campus at its design peak."""
    p_mw = facility.peak_mw
    q_mvar = facility.peak_q_mvar
    return GridResults(
        network=network,
        n0_base=run_n0(network, 0.0, 0.0),
        n0_campus=run_n0(network, p_mw, q_mvar),
        campus_p_mw=p_mw,
        campus_q_mvar=q_mvar,
    )


def run_loaded_study(loaded: LoadedCase) -> StudyResult:
    """Run every stage of the study for an already validated case."""
    case = loaded.case
    weather = load_weather(case.weather, loaded.base_dir)
    network = load_network(case.grid, loaded.base_dir)
    it = compute_it_load(case.compute, pd.DatetimeIndex(weather.hourly.index))
    thermal = run_thermal(
        case.cooling,
        it.hourly_it_mw,
        it.liquid_fraction,
        electrical_loss_heat_mw(case.facility, it.hourly_it_mw),
        weather,
    )
    facility = compute_facility_load(case.facility, it, thermal)
    grid = run_grid_studies(network, facility)
    return StudyResult(
        loaded=loaded, it=it, weather=weather, thermal=thermal, facility=facility, grid=grid
    )


def run_study(case: str | Path | LoadedCase) -> StudyResult:
    """Run a study from a case file path (or an already loaded case)."""
    loaded = case if isinstance(case, LoadedCase) else load_case(case)
    return run_loaded_study(loaded)
