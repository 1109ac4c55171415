"""Hourly background-load shape correlated with weather.

Reference values: MLGW summer peak ~3,000 MW, winter peak ~2,000 MW and annual
energy ~13.6 TWh (``data/load_shape.toml``, with sources and confidence), i.e.
a load factor of 13,600 GWh / (3,000 MW x 8,760 h) = 0.5175 and a winter/summer
peak ratio of 0.667; tolerances 0.01 and 0.02 (absolute, from the same file).
The synthetic dry-bulb follows the NOAA 1991-2020 normals of Memphis
International Airport (January mean 5 degC, July mean 28.5 degC, diurnal range
about 10 K) plus seeded day-to-day weather; gridimpact.weather is not used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridimpact.grid import background_load_scale
from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.load_shape import (
    LoadShapeTargets,
    load_factor,
    load_shape_fit,
    winter_summer_ratio,
)


def synthetic_dry_bulb_c(seed: int = 11) -> pd.Series:
    """Memphis-like hourly dry-bulb for 2023 (local time), degC."""
    idx = pd.date_range("2023-01-01", periods=8760, freq="h")
    doy = idx.dayofyear.to_numpy()
    hour = idx.hour.to_numpy()
    rng = np.random.default_rng(seed)
    weather = pd.Series(rng.normal(0.0, 3.0, 366)).rolling(3, min_periods=1).mean().to_numpy()
    temp = (
        16.8
        - 11.7 * np.cos(2 * np.pi * (doy - 20) / 365)
        + 5.0 * np.cos(2 * np.pi * (hour - 15) / 24)
        + weather[doy - 1]
    )
    return pd.Series(temp, idx, name="dry_bulb_c")


@pytest.fixture(scope="module")
def dry_bulb() -> pd.Series:
    return synthetic_dry_bulb_c()


def test_targets_follow_the_catalog() -> None:
    system = read_catalog("load_shape.toml")["system"]
    t = LoadShapeTargets.default()
    assert t.load_factor == pytest.approx(13600e3 / (3000.0 * 8760.0))
    assert t.winter_summer_ratio == pytest.approx(2000.0 / 3000.0)
    assert t.load_factor_tolerance == value_of(system["load_factor_tolerance"])


def test_peak_is_one_on_a_hot_afternoon(dry_bulb: pd.Series) -> None:
    scale = background_load_scale(dry_bulb, seed=3)
    assert scale.index.equals(dry_bulb.index)
    assert scale.max() == pytest.approx(1.0, abs=1e-12)
    assert scale.min() > 0.2
    peak = scale.idxmax()
    assert 13 <= peak.hour <= 19 and peak.month in (6, 7, 8)
    daily_max = dry_bulb.resample("D").max()
    assert daily_max[peak.normalize()] >= daily_max.quantile(0.95)


def test_load_factor_and_winter_summer_ratio(dry_bulb: pd.Series) -> None:
    t = LoadShapeTargets.default()
    scale, stats = load_shape_fit(dry_bulb, seed=3)
    assert load_factor(scale) == pytest.approx(t.load_factor, abs=t.load_factor_tolerance)
    assert winter_summer_ratio(scale) == pytest.approx(
        t.winter_summer_ratio, abs=t.winter_summer_ratio_tolerance
    )
    assert stats["cooling_slope_per_k"] > stats["heating_slope_per_k"] > 0.0


def test_weather_drives_summer_load(dry_bulb: pd.Series) -> None:
    scale = background_load_scale(dry_bulb, seed=3)
    summer = dry_bulb.index.month.isin([6, 7, 8])
    assert np.corrcoef(dry_bulb[summer], scale[summer])[0, 1] > 0.6
    weekday = scale[(dry_bulb.index.dayofweek < 5) & (dry_bulb.index.hour == 4)].mean()
    midday = scale[(dry_bulb.index.dayofweek < 5) & (dry_bulb.index.hour == 12)].mean()
    assert midday > weekday


def test_seeded_reproducibility(dry_bulb: pd.Series) -> None:
    a = background_load_scale(dry_bulb, seed=5)
    b = background_load_scale(dry_bulb, seed=5)
    c = background_load_scale(dry_bulb, seed=6)
    pd.testing.assert_series_equal(a, b)
    assert not np.allclose(a.to_numpy(), c.to_numpy())


def test_rejects_bad_input(dry_bulb: pd.Series) -> None:
    with pytest.raises(ValueError, match="DatetimeIndex"):
        background_load_scale(pd.Series([20.0, 21.0]), seed=1)
    with pytest.raises(ValueError, match="summer"):
        background_load_scale(dry_bulb["2023-03-01":"2023-04-01"], seed=1)
    broken = dry_bulb.copy()
    broken.iloc[10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        background_load_scale(broken, seed=1)
