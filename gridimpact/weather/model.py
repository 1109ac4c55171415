"""The :class:`Weather` object and :func:`load_weather`, the package's entry point."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from gridimpact.case.weather import WeatherSection
from gridimpact.errors import WeatherCaseError
from gridimpact.schema import Sourced
from gridimpact.weather import psychrometrics as psy
from gridimpact.weather.design_day import design_day_profile
from gridimpact.weather.epw import read_epw_weather
from gridimpact.weather.stations import (
    DesignConditions,
    Station,
    available_stations,
    daily_range_fractions,
    load_station,
)
from gridimpact.weather.synthetic import WEATHER_COLUMNS, synthetic_year

__all__ = ["DesignConditions", "Weather", "load_weather"]

#: Day stamped on design-day profiles (mid-July, the hottest month at KMEM).
_DESIGN_DAY_MONTH_DAY = (7, 21)


@dataclass(frozen=True)
class Weather:
    """Hourly weather of one year plus the station's design conditions."""

    hourly: pd.DataFrame
    design: DesignConditions
    source: str
    elevation_m: float = 0.0
    parameters: tuple[tuple[str, Sourced[Any]], ...] = field(default=(), repr=False)

    @property
    def pressure_pa(self) -> float:
        """Mean station pressure of the year, Pa."""
        return float(self.hourly["pressure_pa"].mean())

    def design_day(self, basis: Literal["evaporative", "dry"]) -> pd.DataFrame:
        """ASHRAE 0.4 % design-day profile (24 rows, same columns as ``hourly``).

        ``"evaporative"`` peaks at the 0.4 % evaporation wet-bulb with its mean
        coincident dry-bulb (for towers and adiabatic coolers); ``"dry"`` peaks at
        the 0.4 % cooling dry-bulb with its mean coincident wet-bulb (dry coolers,
        air-cooled chillers). Both use the hottest month's mean daily range.
        """
        d = self.design
        if basis == "evaporative":
            peak_db, peak_wb = d.evap_mcdb_004_c, d.evap_wb_004_c
        elif basis == "dry":
            peak_db, peak_wb = d.cooling_db_004_c, d.cooling_mcwb_004_c
        else:
            raise ValueError(f"unknown design-day basis {basis!r}")
        year = int(self.hourly.index[0].year)
        return design_day_profile(
            peak_dry_bulb_c=peak_db,
            peak_wet_bulb_c=peak_wb,
            daily_range_k=d.daily_range_k,
            fraction_of_daily_range=daily_range_fractions(),
            pressure_pa=self.pressure_pa,
            date=pd.Timestamp(
                year=year, month=_DESIGN_DAY_MONTH_DAY[0], day=_DESIGN_DAY_MONTH_DAY[1]
            ),
        )


@lru_cache(maxsize=8)
def _synthetic_cached(station_key: str, seed: int, year: int) -> pd.DataFrame:
    st = load_station(station_key)
    return synthetic_year(
        year=year,
        seed=seed,
        **st.monthly,
        daily_autocorrelation=st.daily_autocorrelation,
        dew_point_temperature_correlation=st.dew_point_temperature_correlation,
        fraction_of_daily_range=daily_range_fractions(),
        elevation_m=st.elevation_m,
        target_db_004_c=st.design.cooling_db_004_c,
        target_wb_004_c=st.design.evap_wb_004_c,
    )


def _check_station(section: WeatherSection, file: str) -> None:
    """The ``[weather]`` station must be in the catalog (error names the case file)."""
    if section.station not in available_stations():
        known = ", ".join(available_stations())
        raise WeatherCaseError(
            file, "weather.station", f"unknown station {section.station!r} (known: {known})"
        )


def load_weather(
    section: WeatherSection, base_dir: pathlib.Path, case_file: str = "case"
) -> Weather:
    """Build the hourly weather of a case.

    Parameters
    ----------
    section : WeatherSection
        The case's ``[weather]`` table.
    base_dir : pathlib.Path
        Folder of the case file; relative ``epw_file`` paths are resolved from it.
    case_file : str
        The case file, named by errors about a ``[weather]`` field.

    Returns
    -------
    Weather
        8760-hour frame (naive local standard time, year ``section.year``) and
        the design conditions of ``section.station``.

    Raises
    ------
    WeatherCaseError
        A :class:`CaseError` that is also a :class:`WeatherError`, naming the case
        file and ``weather.<field>``: unknown station, ``epw_file`` missing from the
        case or not found on disk. (Year and seed ranges are checked by the schema.)
    CaseError
        If the station's catalog entry is invalid (naming the catalog).
    WeatherError
        If the EPW file is invalid (naming the file, data row and line).
    """
    _check_station(section, case_file)
    station: Station = load_station(section.station)
    if section.kind == "synthetic":
        hourly = _synthetic_cached(section.station, section.seed, section.year).copy()
        source = (
            f"synthetic typical year (seed {section.seed}) from {station.name} monthly normals, "
            "calibrated to the ASHRAE 2009 0.4 % dry-bulb and wet-bulb"
        )
    else:
        if not section.epw_file:
            raise WeatherCaseError(
                case_file, "weather.epw_file", 'required when weather.kind = "epw"'
            )
        path = pathlib.Path(section.epw_file)
        if not path.is_absolute():
            path = base_dir / path
        if not path.is_file():
            what = "not a file" if path.exists() else "file not found"
            raise WeatherCaseError(case_file, "weather.epw_file", f"{what}: {path}")
        hourly = read_epw_weather(path, section.year)
        source = f"EPW file {path.name}"
    hourly = hourly.loc[:, list(WEATHER_COLUMNS)]
    return Weather(
        hourly=hourly,
        design=station.design,
        source=source,
        elevation_m=station.elevation_m,
        parameters=station.parameters,
    )


def pressure_at_station_pa(station_key: str) -> float:
    """Standard-atmosphere pressure at a catalog station's elevation, Pa."""
    return psy.as_float(psy.standard_pressure_pa(load_station(station_key).elevation_m))
