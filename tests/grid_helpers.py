"""Shared pieces of the grid tests: POI names, campus power factor, a ``[grid]`` table."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from gridimpact.case.grid import GridSection
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.rated_network import rate_network

C1_POI = "Colossus1 POI 161kV"
WH_POI = "Whitehaven POI 161kV"
PF_TAN = 0.329  # tan(acos(0.95)): campus at 0.95 lagging


def section(poi_bus: str = C1_POI, network: str = "memphis_161kv", **kw: object) -> GridSection:
    """A ``[grid]`` table for the tests (utility numbers are placeholders)."""
    sourced = {"unit": "MW", "source": "test value", "confidence": "estimate"}
    return GridSection(
        network=network,
        poi_bus=poi_bus,
        utility_name="MLGW",
        utility_peak_mw={"value": 3000.0, **sourced},
        system_peak_mw={"value": 31000.0, **sourced},
        **kw,  # type: ignore[arg-type]
    )


@cache
def memphis_weather_hourly() -> tuple[pd.DataFrame, float]:
    """The Memphis weather year of the shipped 100k case (hourly frame, elevation m)."""
    from gridimpact.case import load_case
    from gridimpact.weather import load_weather

    loaded = load_case(Path(__file__).resolve().parents[1] / "cases" / "colossus_100k.toml")
    weather = load_weather(loaded.case.weather, loaded.base_dir)
    return weather.hourly, weather.elevation_m


def rated(model: NetworkModel) -> NetworkModel:
    """The model with the ambient-adjusted line ratings of the Memphis year, as a study
    builds it (normal ratings for N-0, emergency ratings for N-1)."""
    hourly, elevation_m = memphis_weather_hourly()
    return rate_network(model, hourly, elevation_m)[0]
