"""Synthetic Memphis year against the ASHRAE 2009 design conditions and monthly normals."""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest

from gridimpact.case.weather import WeatherSection
from gridimpact.errors import CaseError
from gridimpact.weather import Weather, load_weather
from gridimpact.weather.model import _synthetic_cached
from gridimpact.weather.stations import load_station
from gridimpact.weather.synthetic import WEATHER_COLUMNS, value_exceeded_hours


@pytest.fixture(scope="module")
def memphis() -> Weather:
    return load_weather(WeatherSection(), pathlib.Path("."))


def test_shape_index_and_columns(memphis: Weather) -> None:
    h = memphis.hourly
    assert len(h) == 8760
    assert list(h.columns) == list(WEATHER_COLUMNS)
    assert isinstance(h.index, pd.DatetimeIndex) and h.index.tz is None
    assert (h.index.year == 2025).all() and h.index.is_monotonic_increasing
    assert h.index[0] == pd.Timestamp("2025-01-01 00:00") and h.index[-1] == pd.Timestamp(
        "2025-12-31 23:00"
    )
    assert "seed 2024" in memphis.source


def test_reproduces_ashrae_004_design_values(memphis: Weather) -> None:
    # ASHRAE Handbook--Fundamentals 2009 ch.14, Memphis Intl AP 723340 (NREL TMY3 EPW header):
    # 0.4 % cooling DB 35.6 °C, 0.4 % evaporation WB 26.8 °C; the 0.4 % value is the
    # 35th-highest of 8760 hours. Tolerance 1 K (issue acceptance target).
    h = memphis.hourly
    assert value_exceeded_hours(h["dry_bulb_c"]) == pytest.approx(35.6, abs=1.0)
    assert value_exceeded_hours(h["wet_bulb_c"]) == pytest.approx(26.8, abs=1.0)
    # Extreme annual maximum wet-bulb 29.4 °C (ASHRAE 2009): not exceeded by a typical year.
    assert h["wet_bulb_c"].max() <= 29.4


def test_monthly_means_match_normals(memphis: Weather) -> None:
    normals = load_station("memphis_kmem").monthly["mean_dry_bulb_c"]
    means = memphis.hourly["dry_bulb_c"].groupby(memphis.hourly.index.month).mean()
    # Tolerance 1 K (acceptance target); by construction the error is rounding only.
    np.testing.assert_allclose(means.to_numpy(), normals, atol=1.0)
    # Annual mean RH of Memphis is about 70 % (NOAA Comparative Climatic Data); tolerance 5 points.
    assert memphis.hourly["rel_hum_percent"].mean() == pytest.approx(70.0, abs=5.0)


def test_physical_consistency(memphis: Weather) -> None:
    h = memphis.hourly
    assert (h["wet_bulb_c"] <= h["dry_bulb_c"] + 1e-9).all()
    assert (h["dew_point_c"] <= h["wet_bulb_c"] + 1e-3).all()
    assert h["rel_hum_percent"].between(0.0, 100.0).all()


def test_seeded_and_byte_reproducible() -> None:
    section = WeatherSection(seed=7)
    _synthetic_cached.cache_clear()
    first = load_weather(section, pathlib.Path(".")).hourly.to_csv().encode()
    _synthetic_cached.cache_clear()
    second = load_weather(section, pathlib.Path(".")).hourly.to_csv().encode()
    assert first == second
    other = load_weather(WeatherSection(seed=8), pathlib.Path(".")).hourly
    assert not np.array_equal(
        other["dry_bulb_c"].to_numpy(),
        load_weather(section, pathlib.Path(".")).hourly["dry_bulb_c"].to_numpy(),
    )


def test_hourly_frame_is_a_copy(memphis: Weather) -> None:
    memphis.hourly.iloc[0, 0] = 99.0
    again = load_weather(WeatherSection(), pathlib.Path("."))
    assert again.hourly.iloc[0, 0] != 99.0


def test_design_days(memphis: Weather) -> None:
    evap = memphis.design_day("evaporative")
    dry = memphis.design_day("dry")
    assert len(evap) == 24 and list(evap.columns) == list(WEATHER_COLUMNS)
    # ASHRAE 2009: evaporation 0.4 % WB 26.8 °C with MCDB 32.8 °C;
    # cooling 0.4 % DB 35.6 °C / MCWB 25.2 °C;
    # hottest-month daily range 9.2 K; peak at hours 14-15 (ASHRAE Table 6). Tolerance 0.05 K.
    assert evap["wet_bulb_c"].max() == pytest.approx(26.8, abs=0.05)
    assert evap["dry_bulb_c"].max() == pytest.approx(32.8, abs=0.05)
    assert dry["dry_bulb_c"].max() == pytest.approx(35.6, abs=0.05)
    assert dry["wet_bulb_c"].max() == pytest.approx(25.2, abs=0.05)
    assert dry["dry_bulb_c"].max() - dry["dry_bulb_c"].min() == pytest.approx(9.2, abs=0.05)
    assert dry["dry_bulb_c"].idxmax().hour in (13, 14)
    with pytest.raises(ValueError):
        memphis.design_day("foggy")  # type: ignore[arg-type]


def test_design_conditions_from_catalog(memphis: Weather) -> None:
    d = memphis.design
    assert (d.cooling_db_004_c, d.evap_wb_004_c, d.extreme_wb_c, d.db_50yr_c) == (
        35.6,
        26.8,
        29.4,
        41.0,
    )
    assert "ASHRAE" in d.source and "KMEM" in d.station_name


def test_unknown_station_is_a_case_error() -> None:
    with pytest.raises(CaseError, match="unknown station 'atlantis'"):
        load_weather(WeatherSection(station="atlantis"), pathlib.Path("."))
