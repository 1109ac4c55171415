"""Climate stations: location, ASHRAE design conditions and monthly normals.

Read from ``gridimpact/data/climate_stations.toml``; every value there carries
its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridimpact.data import read_data_toml
from gridimpact.data.tables import sourced_float, sourced_floats, table_at
from gridimpact.errors import CaseError
from gridimpact.schema import Sourced

STATIONS_FILE = "climate_stations.toml"

_DESIGN_FIELDS = (
    "cooling_db_004_c",
    "cooling_mcwb_004_c",
    "evap_wb_004_c",
    "evap_mcdb_004_c",
    "extreme_wb_c",
    "db_50yr_c",
    "daily_range_k",
)
_MONTHLY_FIELDS = (
    "mean_dry_bulb_c",
    "daily_range_k",
    "rel_hum_morning_percent",
    "rel_hum_afternoon_percent",
    "daily_anomaly_sd_k",
    "daily_dew_point_anomaly_sd_k",
)


@dataclass(frozen=True)
class DesignConditions:
    """ASHRAE cooling design conditions of a station (all °C, range in K)."""

    station_name: str
    cooling_db_004_c: float
    cooling_mcwb_004_c: float
    evap_wb_004_c: float
    evap_mcdb_004_c: float
    extreme_wb_c: float
    db_50yr_c: float
    daily_range_k: float  # mean daily DB range of hottest month
    source: str


@dataclass(frozen=True)
class Station:
    """Everything the weather package knows about one station."""

    key: str
    name: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    utc_offset_h: float
    design: DesignConditions
    monthly: dict[str, tuple[float, ...]]  # field -> 12 values Jan..Dec
    daily_autocorrelation: float
    dew_point_temperature_correlation: float
    parameters: tuple[tuple[str, Sourced[Any]], ...]


def available_stations() -> tuple[str, ...]:
    """Keys of the stations in the catalog."""
    return tuple(sorted(read_data_toml(STATIONS_FILE).get("stations", {})))


def load_station(key: str) -> Station:
    """Load one station of ``gridimpact/data/climate_stations.toml``.

    Raises
    ------
    CaseError
        If the station is unknown or one of its values is missing or invalid.
    """
    if key not in available_stations():
        known = ", ".join(available_stations())
        raise CaseError(
            f"gridimpact/data/{STATIONS_FILE}",
            "weather.station",
            f"unknown station '{key}' (known: {known})",
        )
    base = f"stations.{key}"
    params: list[tuple[str, Sourced[Any]]] = []

    def one(sub: str, field: str) -> float:
        item = sourced_float(
            STATIONS_FILE, table_at(STATIONS_FILE, f"{base}.{sub}"), f"{base}.{sub}", field
        )
        params.append((f"weather.{key}.{sub}.{field}", item))
        return float(item.value)

    loc = {
        f: one("location", f)
        for f in ("latitude_deg", "longitude_deg", "elevation_m", "utc_offset_h")
    }
    design_values = {f: one("design", f) for f in _DESIGN_FIELDS}
    monthly_table = table_at(STATIONS_FILE, f"{base}.monthly")
    monthly: dict[str, tuple[float, ...]] = {}
    for field in _MONTHLY_FIELDS:
        item = sourced_floats(STATIONS_FILE, monthly_table, f"{base}.monthly", field, length=12)
        params.append((f"weather.{key}.monthly.{field}", item))
        monthly[field] = tuple(item.value)
    ar = one("synthesis", "daily_autocorrelation")
    rho = one("synthesis", "dew_point_temperature_correlation")
    name = str(table_at(STATIONS_FILE, base).get("name", key))
    design = DesignConditions(
        station_name=name,
        source="ASHRAE Handbook--Fundamentals (2009) ch.14 design conditions, "
        f"from gridimpact/data/{STATIONS_FILE} [{base}.design]",
        **design_values,
    )
    return Station(
        key=key,
        name=name,
        design=design,
        monthly=monthly,
        daily_autocorrelation=ar,
        dew_point_temperature_correlation=rho,
        parameters=tuple(params),
        **loc,
    )


def daily_range_fractions() -> tuple[float, ...]:
    """ASHRAE fraction of the daily range for hours 1..24 (index 0 = hour ending 01:00)."""
    table = table_at(STATIONS_FILE, "design_day")
    item = sourced_floats(STATIONS_FILE, table, "design_day", "fraction_of_daily_range", length=24)
    return tuple(item.value)
