"""Hourly background-load shape of the utility, correlated with the weather.

The weather-independent load follows a weekday hourly shape and a weekend
factor; weather adds cooling and heating load linear in the degree-hours of a
smoothed dry-bulb (the classic degree-day regression of utility load, at
hourly resolution), and an AR(1) term adds the residual variability:

.. math::

   L_t = w_t\\, d_{h(t)}\\,\\bigl(1 + a_c\\,(T^s_t - T_c)^+ + a_h\\,(T_h - T^s_t)^+\\bigr)(1 + e_t),
   \\qquad s_t = L_t / \\max_t L_t

with :math:`T^s` the dry-bulb after a first-order (exponential) filter. The two
slopes :math:`a_c, a_h` are fitted to the weather year given so that the annual
load factor (mean/peak) and the ratio of the winter (Dec-Feb) to the summer
(Jun-Aug) peak equal the utility's (``data/load_shape.toml``); the result is
1.0 at the modelled summer peak, i.e. it scales the summer-peak background
loads of the network.

References
----------
.. [1] T. Hong, "Short Term Electric Load Forecasting", PhD thesis, North
   Carolina State University, 2010 (temperature-polynomial hourly load models).
.. [2] ASHRAE Handbook - Fundamentals, 2021, ch. 14 (degree-days, 65 F base).
.. [3] U.S. EIA, Form EIA-861 "Annual Electric Power Industry Report" (utility
   sales) and Form EIA-930 "Hourly Electric Grid Monitor" (hourly demand shapes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import least_squares

from gridimpact.grid._data import read_catalog, value_of

LOAD_SHAPE_FILE = "load_shape.toml"
HOURS_PER_YEAR = 8760.0
SUMMER_MONTHS = (6, 7, 8)
WINTER_MONTHS = (12, 1, 2)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LoadShapeTargets:
    """What the fitted shape must reproduce (from ``data/load_shape.toml``)."""

    load_factor: float
    winter_summer_ratio: float
    load_factor_tolerance: float
    winter_summer_ratio_tolerance: float

    @classmethod
    def default(cls) -> LoadShapeTargets:
        """Load factor = annual energy / (summer peak x 8,760 h); ratio = winter / summer peak."""
        system = read_catalog(LOAD_SHAPE_FILE)["system"]
        peak_mw = float(value_of(system["summer_peak_mw"]))
        return cls(
            load_factor=float(value_of(system["annual_energy_gwh"]))
            * 1e3
            / (peak_mw * HOURS_PER_YEAR),
            winter_summer_ratio=float(value_of(system["winter_peak_mw"])) / peak_mw,
            load_factor_tolerance=float(value_of(system["load_factor_tolerance"])),
            winter_summer_ratio_tolerance=float(value_of(system["winter_summer_ratio_tolerance"])),
        )


def load_shape_data() -> dict[str, Any]:
    """The parsed load-shape catalog (read-only)."""
    return read_catalog(LOAD_SHAPE_FILE)


def smoothed_temperature_c(dry_bulb_c: FloatArray, time_constant_h: float) -> FloatArray:
    """First-order (exponential) filter of an hourly temperature, degC.

    ``T_s[t] = T_s[t-1] + (T[t] - T_s[t-1]) (1 - exp(-1 h / tau))``, starting at ``T[0]``.
    """
    alpha = 1.0 - np.exp(-1.0 / time_constant_h) if time_constant_h > 0 else 1.0
    return np.asarray(
        pd.Series(dry_bulb_c).ewm(alpha=alpha, adjust=False).mean().to_numpy(float), float
    )


def ar1_noise(n: int, sigma: float, rho: float, seed: int) -> FloatArray:
    """Stationary AR(1) series of ``n`` steps with standard deviation ``sigma`` (seeded)."""
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal(n) * sigma * np.sqrt(1.0 - rho**2)
    out = np.empty(n)
    out[0] = rng.standard_normal() * sigma if n else 0.0
    for t in range(1, n):
        out[t] = rho * out[t - 1] + shocks[t]
    return out


def load_factor(scale: pd.Series) -> float:
    """Mean over peak of a load series (-)."""
    return float(scale.mean() / scale.max())


def winter_summer_ratio(scale: pd.Series) -> float:
    """Winter (Dec-Feb) peak over summer (Jun-Aug) peak of a load series with a DatetimeIndex."""
    months = pd.DatetimeIndex(scale.index).month
    winter = scale[np.isin(months, WINTER_MONTHS)].max()
    summer = scale[np.isin(months, SUMMER_MONTHS)].max()
    return float(winter / summer)


def _calendar_factor(index: pd.DatetimeIndex) -> FloatArray:
    data = load_shape_data()["calendar"]
    shape = np.asarray(value_of(data["hourly_shape"]), float)
    weekend = float(value_of(data["weekend_factor"]))
    return np.asarray(shape[index.hour] * np.where(index.dayofweek >= 5, weekend, 1.0), float)


def _degree_hours(dry_bulb_c: FloatArray) -> tuple[FloatArray, FloatArray]:
    weather = load_shape_data()["weather"]
    ts = smoothed_temperature_c(dry_bulb_c, float(value_of(weather["smoothing_time_constant_h"])))
    cooling = np.maximum(ts - float(value_of(weather["cooling_base_c"])), 0.0)
    heating = np.maximum(float(value_of(weather["heating_base_c"])) - ts, 0.0)
    return cooling, heating


def background_load_scale(dry_bulb_c: pd.Series, seed: int) -> pd.Series:
    """Hourly background-load multiplier of the utility (1.0 = modelled summer peak).

    Parameters
    ----------
    dry_bulb_c : Series
        Hourly outdoor dry-bulb temperature, degC, with a DatetimeIndex in local
        time covering at least one summer (Jun-Aug) and one winter (Dec-Feb) hour
        (normally one year of 8,760 h).
    seed : int
        Seed of the AR(1) residual; the same seed gives the same series.

    Returns
    -------
    Series
        Same index, named ``background_scale``; maximum exactly 1.0 (normally
        on a hot weekday afternoon). Its load factor and winter/summer peak
        ratio match ``data/load_shape.toml`` within the tolerances there
        whenever the weather allows it (the fit is a bounded least squares on
        the two slopes; see :func:`load_shape_fit` for the achieved values).

    Raises
    ------
    ValueError
        If the index is not a DatetimeIndex, the series has NaN, or lacks a
        summer or a winter month.

    References
    ----------
    .. [1] T. Hong, "Short Term Electric Load Forecasting", PhD thesis, NCSU, 2010.
    .. [2] U.S. EIA, Form EIA-861 and EIA-930 data.
    """
    return load_shape_fit(dry_bulb_c, seed)[0]


def load_shape_fit(dry_bulb_c: pd.Series, seed: int) -> tuple[pd.Series, dict[str, float]]:
    """:func:`background_load_scale` plus the fitted slopes and achieved statistics.

    Returns
    -------
    (Series, dict)
        The scale and ``{cooling_slope_per_k, heating_slope_per_k, load_factor,
        winter_summer_ratio, target_load_factor, target_winter_summer_ratio}``.
    """
    if not isinstance(dry_bulb_c.index, pd.DatetimeIndex):
        raise ValueError("dry_bulb_c needs a DatetimeIndex (hourly, local time)")
    temp = dry_bulb_c.to_numpy(float)
    if not np.all(np.isfinite(temp)):
        raise ValueError("dry_bulb_c has NaN or infinite values")
    index = dry_bulb_c.index
    months = index.month
    summer, winter = np.isin(months, SUMMER_MONTHS), np.isin(months, WINTER_MONTHS)
    if not summer.any() or not winter.any():
        raise ValueError("dry_bulb_c must cover at least one summer and one winter month")
    noise_data = load_shape_data()["noise"]
    noise = ar1_noise(
        len(temp),
        float(value_of(noise_data["sigma"])),
        float(value_of(noise_data["autocorrelation"])),
        seed,
    )
    base = _calendar_factor(index) * (1.0 + noise)
    cooling, heating = _degree_hours(temp)
    targets = LoadShapeTargets.default()

    def shape(x: FloatArray) -> FloatArray:
        load = base * (1.0 + x[0] * cooling + x[1] * heating)
        return np.asarray(load / load.max(), float)

    def residual(x: FloatArray) -> FloatArray:
        s = shape(x)
        lf = s.mean()
        ratio = s[winter].max() / s[summer].max()
        return np.array(
            [
                (lf - targets.load_factor) / targets.load_factor_tolerance,
                (ratio - targets.winter_summer_ratio) / targets.winter_summer_ratio_tolerance,
            ]
        )

    fit = least_squares(residual, x0=np.array([0.05, 0.02]), bounds=(0.0, 1.0), xtol=1e-10)
    scale = pd.Series(shape(fit.x), index=index, name="background_scale")
    stats = {
        "cooling_slope_per_k": float(fit.x[0]),
        "heating_slope_per_k": float(fit.x[1]),
        "load_factor": load_factor(scale),
        "winter_summer_ratio": winter_summer_ratio(scale),
        "target_load_factor": targets.load_factor,
        "target_winter_summer_ratio": targets.winter_summer_ratio,
    }
    return scale, stats
