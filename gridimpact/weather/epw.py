"""Reading EnergyPlus weather (EPW) files, with row-level validation.

Parsing is delegated to :func:`pvlib.iotools.read_epw`; this module checks the
result row by row (EPW "missing" codes such as 99.9 / 999 / 999999 fall outside
the plausible ranges and are rejected) and raises
:class:`~gridimpact.errors.WeatherError` naming the file, the data row and the
line number of the first bad value.

References
----------
.. [1] U.S. DOE, *EnergyPlus Auxiliary Programs*, "Weather Converter Program",
   EPW data dictionary (field order, units and missing-value codes).
.. [2] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python
   package for modeling solar energy systems", JOSS 3(29), 884, 2018.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pvlib

from gridimpact.errors import WeatherError
from gridimpact.weather import psychrometrics as psy
from gridimpact.weather.synthetic import HOURS_PER_YEAR, hourly_index

EPW_HEADER_LINES = 8
_PARSE_YEAR = 2000  # a leap year

#: (pvlib column, our name, low, high): plausible physical ranges; EPW missing codes fall outside.
_CHECKS: tuple[tuple[str, str, float, float], ...] = (
    ("temp_air", "dry_bulb_c", -70.0, 70.0),
    ("temp_dew", "dew_point_c", -70.0, 50.0),
    ("relative_humidity", "rel_hum_percent", 0.0, 110.0),
    ("atmospheric_pressure", "pressure_pa", 31_000.0, 120_000.0),
)
_DEW_POINT_EXCESS_TOLERANCE_K = 1.0


def _shown(raw: object) -> str:
    """A raw EPW value as the user wrote it: ``99.9``, not ``np.float64(99.9)``."""
    if isinstance(raw, str):
        return repr(raw.strip())
    try:
        return f"{float(raw):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(str(raw))


def read_epw_weather(path: pathlib.Path, year: int) -> pd.DataFrame:
    """Read and validate an EPW file into the hourly weather frame.

    Parameters
    ----------
    path : pathlib.Path
        The EPW file.
    year : int
        Year stamped on the index (EPW typical years mix source years).

    Returns
    -------
    pandas.DataFrame
        8760 rows, naive local-standard-time hourly index (hour-beginning),
        columns ``dry_bulb_c, wet_bulb_c, dew_point_c, rel_hum_percent,
        pressure_pa``. The wet-bulb is computed with psychrolib from dry-bulb,
        dew point and station pressure.

    Raises
    ------
    WeatherError
        Missing file, unparseable content, wrong row count, rows out of
        calendar sequence, or a missing / out-of-range value (the message
        names the data row and the file line). Files with 8784 rows (a leap
        year) lose their 29 February.

    References
    ----------
    .. [1] EnergyPlus Auxiliary Programs, EPW data dictionary.
    """
    name = path.name
    if not path.is_file():
        raise WeatherError(f"{path}: EPW file not found")
    try:
        # A leap coerce-year lets files with 29 February parse; the index is rebuilt below.
        data, _meta = pvlib.iotools.read_epw(path, coerce_year=_PARSE_YEAR)
    except Exception as exc:  # pvlib/pandas raise many types for malformed files
        raise WeatherError(f"{name}: cannot parse EPW file: {' '.join(str(exc).split())}") from exc
    data = data.reset_index(drop=True)
    line = data.index.to_numpy() + 1 + EPW_HEADER_LINES
    leap_day = (data["month"] == 2) & (data["day"] == 29)
    if len(data) == HOURS_PER_YEAR + 24 and int(leap_day.sum()) == 24:
        data, line = data.loc[~leap_day].reset_index(drop=True), line[~leap_day.to_numpy()]
    if len(data) != HOURS_PER_YEAR:
        raise WeatherError(f"{name}: expected {HOURS_PER_YEAR} hourly data rows, found {len(data)}")
    index = hourly_index(year)
    stamp = data[["month", "day", "hour"]].to_numpy(dtype=int)
    expected = np.column_stack([index.month, index.day, index.hour + 1])
    wrong = (stamp != expected).any(axis=1)
    if wrong.any():
        i = int(np.argmax(wrong))
        m, d, h = stamp[i]
        raise WeatherError(
            f"{name}: data row {i + 1} (line {line[i]}): month/day/hour {m}/{d}/{h} out of "
            f"sequence, expected {expected[i][0]}/{expected[i][1]}/{expected[i][2]}"
        )
    out: dict[str, np.ndarray] = {}
    for column, ours, low, high in _CHECKS:
        values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            i = int(np.argmax(bad))
            raw = _shown(data[column].iloc[i])
            raise WeatherError(
                f"{name}: data row {i + 1} (line {line[i]}): {ours} = {raw} "
                f"is missing or outside [{low:g}, {high:g}]"
            )
        out[ours] = values
    excess = out["dew_point_c"] - out["dry_bulb_c"]
    if (excess > _DEW_POINT_EXCESS_TOLERANCE_K).any():
        i = int(np.argmax(excess > _DEW_POINT_EXCESS_TOLERANCE_K))
        raise WeatherError(
            f"{name}: data row {i + 1} (line {line[i]}): dew point "
            f"{out['dew_point_c'][i]:g} °C exceeds dry-bulb {out['dry_bulb_c'][i]:g} °C"
        )
    dew = np.minimum(out["dew_point_c"], out["dry_bulb_c"])
    frame = pd.DataFrame(
        {
            "dry_bulb_c": out["dry_bulb_c"],
            "wet_bulb_c": psy.wet_bulb_from_dew_point_c(out["dry_bulb_c"], dew, out["pressure_pa"]),
            "dew_point_c": dew,
            "rel_hum_percent": np.minimum(out["rel_hum_percent"], 100.0),
            "pressure_pa": out["pressure_pa"],
        },
        index=index,
    )
    frame.index.name = "time"
    return frame
