"""ASHRAE cooling design-day profiles."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gridimpact.weather import psychrometrics as psy


def design_day_profile(
    *,
    peak_dry_bulb_c: float,
    peak_wet_bulb_c: float,
    daily_range_k: float,
    fraction_of_daily_range: Sequence[float],
    pressure_pa: float,
    date: pd.Timestamp,
) -> pd.DataFrame:
    """24-hour design-day weather from a peak condition and the daily range.

    The dry-bulb follows ``T(h) = T_peak - f(h)·DR`` with the ASHRAE fraction of
    daily range ``f(h)`` (zero at 14-15 h). The moisture content (dew point) of
    the peak condition is held through the day, so the wet-bulb equals
    ``peak_wet_bulb_c`` at the peak hours and falls with the dry-bulb.

    Parameters
    ----------
    peak_dry_bulb_c, peak_wet_bulb_c : float
        Coincident peak dry-bulb and wet-bulb, °C (e.g. the 0.4 % evaporation
        wet-bulb with its mean coincident dry-bulb).
    daily_range_k : float
        Mean daily dry-bulb range of the hottest month, K.
    fraction_of_daily_range : sequence of 24 float
        ASHRAE Table 6 fractions, hour ending 1..24.
    pressure_pa : float
        Station pressure, Pa.
    date : pandas.Timestamp
        Day to stamp on the 24 hour-beginning index.

    Returns
    -------
    pandas.DataFrame
        24 rows, columns ``dry_bulb_c, wet_bulb_c, dew_point_c,
        rel_hum_percent, pressure_pa``.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals (2009), ch.14, "Generating design-day
       data" and Table 6.
    """
    frac = np.asarray(fraction_of_daily_range, dtype=float)
    db = peak_dry_bulb_c - frac * daily_range_k
    dew = psy.as_float(psy.dew_point_from_wet_bulb_c(peak_dry_bulb_c, peak_wet_bulb_c, pressure_pa))
    dp = np.minimum(np.full(24, dew), db)
    frame = pd.DataFrame(
        {
            "dry_bulb_c": db,
            "wet_bulb_c": psy.wet_bulb_from_dew_point_c(db, dp, pressure_pa),
            "dew_point_c": dp,
            "rel_hum_percent": psy.rel_hum_from_dew_point_percent(db, dp),
            "pressure_pa": np.full(24, pressure_pa),
        },
        index=pd.date_range(pd.Timestamp(date).normalize(), periods=24, freq="h"),
    )
    frame.index.name = "time"
    return frame
