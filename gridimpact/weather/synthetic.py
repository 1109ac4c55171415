"""A seeded synthetic typical year calibrated to a station's ASHRAE design conditions.

The year is built from monthly normals in three layers:

1. a smooth daily baseline of dry-bulb and dew point through the monthly
   means (periodic linear interpolation between mid-month anchors, then
   shifted so each month's mean equals its normal exactly);
2. day-to-day anomalies from two correlated AR(1) processes (the structure of
   the WGEN stochastic weather generator, Richardson 1981), de-meaned per
   month so the monthly means are untouched;
3. the ASHRAE fraction-of-daily-range profile for the hours of each day
   (ASHRAE Handbook--Fundamentals 2009 ch.14, Table 6); the dew point is held
   constant through the day.

The anomaly amplitudes are then scaled (bisection) so that the 35th-highest
hourly dry-bulb and wet-bulb of the 8760 equal the ASHRAE 0.4 % cooling
dry-bulb and 0.4 % evaporation wet-bulb: the year reproduces the values that
size the plant, by construction, while its monthly means stay on the normals.

References
----------
.. [1] ASHRAE Handbook--Fundamentals (2009), ch.14 Climatic design information:
   definition of the 0.4 % conditions (exceeded 35 h per year) and Table 6.
.. [2] C. W. Richardson, "Stochastic simulation of daily precipitation,
   temperature, and solar radiation", Water Resources Research 17(1),
   182-190, 1981.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.weather import psychrometrics as psy

FloatArray = npt.NDArray[np.float64]

HOURS_PER_YEAR = 8760
EXCEEDANCE_HOURS_004 = 35  # 0.4 % of 8760 h (ASHRAE Fundamentals 2009 ch.14)
WEATHER_COLUMNS = ("dry_bulb_c", "wet_bulb_c", "dew_point_c", "rel_hum_percent", "pressure_pa")


def hourly_index(year: int) -> pd.DatetimeIndex:
    """8760 hour-beginning timestamps of ``year`` (naive local standard time; 29 Feb dropped)."""
    idx = pd.date_range(f"{year}-01-01 00:00", f"{year}-12-31 23:00", freq="h")
    return idx[~((idx.month == 2) & (idx.day == 29))]


def value_exceeded_hours(values: npt.ArrayLike, hours: int = EXCEEDANCE_HOURS_004) -> float:
    """The ``hours``-th highest value (the 0.4 % design value for ``hours = 35``)."""
    arr = np.sort(np.asarray(values, dtype=float))
    return float(arr[-hours])


def daily_baseline(monthly_values: Sequence[float], day_month: npt.NDArray[np.int_]) -> FloatArray:
    """Smooth daily series whose monthly means equal ``monthly_values`` exactly.

    Parameters
    ----------
    monthly_values : sequence of 12 float
        Monthly means, Jan..Dec.
    day_month : numpy.ndarray of int
        Month (1..12) of each day of the year.

    Returns
    -------
    numpy.ndarray
        One value per day.
    """
    values = np.asarray(monthly_values, dtype=float)
    day = np.arange(day_month.size, dtype=float)
    starts = np.array([np.argmax(day_month == m) for m in range(1, 13)], dtype=float)
    lengths = np.bincount(day_month, minlength=13)[1:].astype(float)
    mid = starts + lengths / 2.0 - 0.5
    base = np.interp(day, mid, values, period=float(day_month.size))
    for m in range(1, 13):
        sel = day_month == m
        base[sel] += values[m - 1] - base[sel].mean()
    return base


def ar1(innovations: FloatArray, phi: float) -> FloatArray:
    """Unit-variance AR(1) series driven by standard-normal ``innovations``."""
    out = np.empty_like(innovations)
    out[0] = innovations[0]
    scale = np.sqrt(1.0 - phi**2)
    for i in range(1, innovations.size):
        out[i] = phi * out[i - 1] + scale * innovations[i]
    return out


def _demean_by_month(x: FloatArray, day_month: npt.NDArray[np.int_]) -> FloatArray:
    out = x.copy()
    for m in range(1, 13):
        sel = day_month == m
        out[sel] -= out[sel].mean()
    return out


def _bisect(f: Callable[[float], float], lo: float, hi: float, tol: float = 1e-3) -> float:
    """Root of an increasing function on [lo, hi] (the nearer bound if there is none)."""
    if f(lo) >= 0.0:
        return lo
    if f(hi) <= 0.0:
        return hi
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if f(mid) > 0.0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def synthetic_year(
    *,
    year: int,
    seed: int,
    mean_dry_bulb_c: Sequence[float],
    daily_range_k: Sequence[float],
    rel_hum_morning_percent: Sequence[float],
    rel_hum_afternoon_percent: Sequence[float],
    daily_anomaly_sd_k: Sequence[float],
    daily_dew_point_anomaly_sd_k: Sequence[float],
    daily_autocorrelation: float,
    dew_point_temperature_correlation: float,
    fraction_of_daily_range: Sequence[float],
    elevation_m: float,
    target_db_004_c: float,
    target_wb_004_c: float,
) -> pd.DataFrame:
    """Generate a seeded, calibrated synthetic hourly year.

    Parameters
    ----------
    year, seed : int
        Calendar year of the index; seed of ``numpy.random.default_rng``.
    mean_dry_bulb_c, daily_range_k : sequence of 12 float
        Monthly mean dry-bulb, °C, and mean daily range, K.
    rel_hum_morning_percent, rel_hum_afternoon_percent : sequence of 12 float
        Monthly mean relative humidity near the daily minimum (7 am) and
        maximum (1 pm) temperature, %; they set the monthly mean dew point.
    daily_anomaly_sd_k, daily_dew_point_anomaly_sd_k : sequence of 12 float
        Day-to-day standard deviation of daily mean dry-bulb and dew point, K
        (before calibration scaling).
    daily_autocorrelation : float
        Lag-1 autocorrelation of the daily anomalies.
    dew_point_temperature_correlation : float
        Correlation between the dry-bulb and dew-point anomalies.
    fraction_of_daily_range : sequence of 24 float
        ASHRAE hourly fraction of the daily range (hour ending 1..24).
    elevation_m : float
        Station elevation, m (sets a constant standard-atmosphere pressure).
    target_db_004_c, target_wb_004_c : float
        ASHRAE 0.4 % cooling dry-bulb and evaporation wet-bulb, °C.

    Returns
    -------
    pandas.DataFrame
        8760 rows, columns ``dry_bulb_c, wet_bulb_c, dew_point_c,
        rel_hum_percent, pressure_pa``.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals (2009), ch.14.
    .. [2] Richardson (1981), Water Resources Research 17(1), 182-190.
    """
    index = hourly_index(year)
    days = index.normalize().unique()
    day_month = np.asarray(days.month, dtype=int)
    n_days = days.size
    frac = np.asarray(fraction_of_daily_range, dtype=float)
    frac_mean = float(frac.mean())
    hour_frac = frac[np.asarray(index.hour)]
    day_of_hour = np.repeat(np.arange(n_days), 24)
    month_of_hour = np.asarray(index.month, dtype=int) - 1
    dr = np.asarray(daily_range_k, dtype=float)
    pressure_pa = psy.as_float(psy.standard_pressure_pa(elevation_m))

    # Monthly mean dew point from the 7 am / 1 pm humidity at the profile's temperatures.
    t_mean = np.asarray(mean_dry_bulb_c, dtype=float)
    t_7am = t_mean + dr * (frac_mean - frac[6])
    t_1pm = t_mean + dr * (frac_mean - frac[12])
    dp_monthly = 0.5 * (
        psy.dew_point_from_rel_hum_c(t_7am, rel_hum_morning_percent)
        + psy.dew_point_from_rel_hum_c(t_1pm, rel_hum_afternoon_percent)
    )

    rng = np.random.default_rng(seed)
    e_t, e_d = rng.standard_normal((2, n_days))
    rho = dew_point_temperature_correlation
    z_t = ar1(e_t, daily_autocorrelation)
    z_d = rho * z_t + np.sqrt(1.0 - rho**2) * ar1(e_d, daily_autocorrelation)
    sd_t = np.asarray(daily_anomaly_sd_k, dtype=float)[day_month - 1]
    sd_d = np.asarray(daily_dew_point_anomaly_sd_k, dtype=float)[day_month - 1]
    anom_t = _demean_by_month(sd_t * z_t, day_month)
    anom_d = _demean_by_month(sd_d * z_d, day_month)
    base_t = daily_baseline(mean_dry_bulb_c, day_month)
    base_d = daily_baseline(dp_monthly.tolist(), day_month)
    shape = dr[month_of_hour] * (frac_mean - hour_frac)

    def dry_bulb(scale: float) -> FloatArray:
        result: FloatArray = (base_t + scale * anom_t)[day_of_hour] + shape
        return result

    s_t = _bisect(lambda s: value_exceeded_hours(dry_bulb(s)) - target_db_004_c, 0.0, 6.0)
    db = dry_bulb(s_t)
    candidates = db >= target_wb_004_c - 2.0

    def dew_point(scale: float) -> FloatArray:
        result: FloatArray = np.minimum((base_d + scale * anom_d)[day_of_hour], db)
        return result

    def wb_excess(scale: float) -> float:
        sel = candidates
        wb = psy.wet_bulb_from_dew_point_c(db[sel], dew_point(scale)[sel], pressure_pa)
        if wb.size < EXCEEDANCE_HOURS_004:
            return -1.0
        return value_exceeded_hours(wb) - target_wb_004_c

    s_d = _bisect(wb_excess, 0.0, 6.0)
    dp = dew_point(s_d)
    wb = psy.wet_bulb_from_dew_point_c(db, dp, pressure_pa)
    rh = psy.rel_hum_from_dew_point_percent(db, dp)
    frame = pd.DataFrame(
        {
            "dry_bulb_c": db,
            "wet_bulb_c": np.minimum(wb, db),
            "dew_point_c": dp,
            "rel_hum_percent": rh,
            "pressure_pa": np.full(db.size, pressure_pa),
        },
        index=index,
    )
    frame.index.name = "time"
    frame.attrs["calibration_scale_dry_bulb"] = s_t
    frame.attrs["calibration_scale_dew_point"] = s_d
    return frame.round(4)
