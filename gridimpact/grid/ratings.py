"""Ambient-adjusted thermal ratings of overhead lines (IEEE Std 738 / CIGRE TB 601).

The steady-state ampacity of a bare overhead conductor is the current at which
Joule and solar heating balance convective and radiative cooling with the
conductor at its maximum allowed temperature. The heat balance is not
re-implemented here: :func:`conductor_ampacity_a` is a thin vectorised wrapper
over the `linerate` package (Statnett), which implements IEEE Std 738-2012 and
CIGRE TB 601 and is checked against the standards' worked examples [1]_ [2]_.

:func:`hourly_line_ratings` rates every line of a network hour by hour from a
weather year: a *normal* rating (N-0) at the normal maximum conductor
temperature and an *emergency* rating (N-1) at the emergency temperature, with
the design wind (the weather year carries none) and the clear-sky sun at each
hour's position (none at night), the ambient-adjusted rating (AAR) of FERC
Order No. 881 [3]_. The *design* rating of a line is its lowest hourly rating of
the year (a hot summer afternoon), so every hourly rating is at or above it;
hourly ratings are expressed as factors of the design normal rating.
Conductors are read from ``data/conductors.toml`` and the rating assumptions
and the line-type -> conductor map from ``data/grid_types.toml``
``[line_ratings]``, each value with its source. Lines whose type is not in the
map (imported MATPOWER / PSS/E networks) keep their file rating: static, with
the emergency rating equal to the normal one.

:func:`apply_line_ratings` writes the design ratings into a copy of a
pandapower net: ``max_i_ka`` (normal) and ``max_i_emergency_ka`` (emergency),
both per parallel circuit, so that ``max_i_ka * df * parallel`` (the rating the
engine uses, :func:`gridimpact.grid.engine.topology_of`) is the design rating.

References
----------
.. [1] IEEE Std 738-2012, *IEEE Standard for Calculating the Current-Temperature
   Relationship of Bare Overhead Conductors*, IEEE, 2013 (Annex B: Drake at
   100 °C conductor, 40 °C air, 0.61 m/s wind: 1025 A).
.. [2] CIGRE Working Group B2.43, *Guide for Thermal Rating Calculations of
   Overhead Lines*, Technical Brochure 601, 2014.
.. [3] FERC Order No. 881, *Managing Transmission Line Ratings*, 177 FERC
   ¶ 61,179 (2021): ambient-adjusted ratings reflect the ambient air temperature
   and the presence or absence of solar heating.
.. [4] linerate, https://github.com/statnett/linerate (models ``IEEE738`` and
   ``Cigre601``, ``compute_steady_state_ampacity``).
.. [5] J. D. Glover, T. J. Overbye, M. S. Sarma, *Power System Analysis and
   Design*, 6th ed., Cengage, 2017, Appendix Table A.4 (ACSR data).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace
from importlib import metadata
from typing import Any, Literal

import linerate
import numpy as np
import numpy.typing as npt
import pandapower as pp
import pandas as pd

from gridimpact.grid._data import read_catalog, value_of

__all__ = [
    "ConductorData",
    "LineRatings",
    "RatingSettings",
    "apply_line_ratings",
    "conductor_ampacity_a",
    "conductor_catalog",
    "hourly_line_ratings",
]

CONDUCTORS_FILE = "conductors.toml"
GRID_TYPES_FILE = "grid_types.toml"

Method = Literal["ieee738", "cigre601"]
Solar = Literal["hourly", "noon", "none"]
FloatArray = npt.NDArray[np.float64]

_METHOD_NAMES = {"ieee738": "IEEE 738-2012", "cigre601": "CIGRE TB 601"}
_SOLAR_TEXT = {
    "hourly": "clear-sky sun by hour",
    "noon": "clear-sky noon sun",
    "none": "no sun",
}
#: Upper end of the ampacity search, A per sub-conductor (linerate's default).
_MAX_AMPACITY_A = 8000.0
#: Half-length of the tiny span that carries the line direction, degrees.
_SPAN_HALF_DEG = 1e-4


@dataclass(frozen=True)
class ConductorData:
    """One bare stranded conductor (SI units), as ``data/conductors.toml`` gives it."""

    name: str
    conductor_diameter_m: float
    core_diameter_m: float
    outer_strand_diameter_m: float
    aluminium_area_m2: float
    temperature1_c: float
    resistance1_ohm_per_m: float
    temperature2_c: float
    resistance2_ohm_per_m: float
    emissivity: float
    solar_absorptivity: float

    def resistance_ohm_per_m(self, temp_c: npt.ArrayLike) -> FloatArray:
        """AC resistance at ``temp_c``, linear in temperature through the two tabulated points."""
        slope = (self.resistance2_ohm_per_m - self.resistance1_ohm_per_m) / (
            self.temperature2_c - self.temperature1_c
        )
        t = np.asarray(temp_c, dtype=float)
        return self.resistance1_ohm_per_m + slope * (t - self.temperature1_c)


def conductor_catalog() -> dict[str, ConductorData]:
    """Every conductor of ``data/conductors.toml``, keyed by name (``"Drake"``, ``"Falcon"``).

    Returns
    -------
    dict
        ``{name: ConductorData}``; the surface emissivity and absorptivity of
        ``[surface]`` apply to all.
    """
    data = read_catalog(CONDUCTORS_FILE)
    surface = data["surface"]
    out: dict[str, ConductorData] = {}
    for name, table in data["conductor"].items():

        def v(key: str, table: dict[str, Any] = table) -> float:
            return float(value_of(table[key]))

        out[name] = ConductorData(
            name=name,
            conductor_diameter_m=v("conductor_diameter_mm") * 1e-3,
            core_diameter_m=v("core_diameter_mm") * 1e-3,
            outer_strand_diameter_m=v("outer_strand_diameter_mm") * 1e-3,
            aluminium_area_m2=v("aluminium_area_mm2") * 1e-6,
            temperature1_c=v("temperature1_c"),
            resistance1_ohm_per_m=v("resistance1_ohm_per_m"),
            temperature2_c=v("temperature2_c"),
            resistance2_ohm_per_m=v("resistance2_ohm_per_m"),
            emissivity=float(value_of(surface["emissivity"])),
            solar_absorptivity=float(value_of(surface["solar_absorptivity"])),
        )
    return out


def _linerate_conductor(conductor: ConductorData, sun: bool) -> linerate.Conductor:
    # The ACSR magnetic-core correction is left off (b = 1, m = 0): the tabulated
    # AC resistances already include it at their currents, as in the IEEE 738
    # Annex B example.
    return linerate.Conductor(
        core_diameter=conductor.core_diameter_m,
        conductor_diameter=conductor.conductor_diameter_m,
        outer_layer_strand_diameter=conductor.outer_strand_diameter_m,
        emissivity=conductor.emissivity,
        solar_absorptivity=conductor.solar_absorptivity if sun else 0.0,
        temperature1=conductor.temperature1_c,
        temperature2=conductor.temperature2_c,
        resistance_at_temperature1=conductor.resistance1_ohm_per_m,
        resistance_at_temperature2=conductor.resistance2_ohm_per_m,
        aluminium_cross_section_area=conductor.aluminium_area_m2,
        constant_magnetic_effect=1,
        current_density_proportional_magnetic_effect=0,
        max_magnetic_core_relative_resistance_increase=1,
    )


def _span(
    conductor: linerate.Conductor,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
    line_azimuth_deg: float,
    subconductors: int,
) -> linerate.Span:
    """A short level span at the site whose direction is ``line_azimuth_deg`` (east of north)."""
    az = math.radians(line_azimuth_deg)
    d_lat = _SPAN_HALF_DEG * math.cos(az)
    d_lon = _SPAN_HALF_DEG * math.sin(az) / math.cos(math.radians(latitude_deg))
    start = linerate.Tower(
        latitude=latitude_deg - d_lat, longitude=longitude_deg - d_lon, altitude=elevation_m
    )
    end = linerate.Tower(
        latitude=latitude_deg + d_lat, longitude=longitude_deg + d_lon, altitude=elevation_m
    )
    return linerate.Span(
        conductor=conductor, start_tower=start, end_tower=end, num_conductors=subconductors
    )


def conductor_ampacity_a(
    conductor: ConductorData,
    air_temp_c: npt.ArrayLike,
    wind_speed_m_per_s: npt.ArrayLike,
    max_conductor_temp_c: npt.ArrayLike,
    *,
    time_utc: npt.ArrayLike | None = None,
    latitude_deg: float = 0.0,
    longitude_deg: float = 0.0,
    elevation_m: float = 0.0,
    line_azimuth_deg: float = 90.0,
    wind_attack_angle_deg: float = 90.0,
    ground_albedo: float = 0.15,
    subconductors: int = 1,
    method: Method = "ieee738",
    tolerance_a: float = 1e-3,
) -> FloatArray:
    """Steady-state ampacity of a conductor (bundle) by IEEE Std 738 or CIGRE TB 601.

    Thin wrapper over linerate's ``IEEE738`` / ``Cigre601`` thermal models and
    ``compute_steady_state_ampacity`` (bisection on the heat balance
    ``P_J + P_s - P_c - P_r = 0`` at the maximum conductor temperature).

    Parameters
    ----------
    conductor : ConductorData
        Conductor geometry, AC resistance at two temperatures, emissivity and
        solar absorptivity.
    air_temp_c : array_like
        Ambient air temperature, °C.
    wind_speed_m_per_s : array_like
        Wind speed, m/s (at ``wind_attack_angle_deg`` to the conductor).
    max_conductor_temp_c : array_like
        Maximum allowed conductor temperature, °C.
    time_utc : array_like of datetime64, optional
        Time (UTC) of each value, for the sun's position (clear sky). ``None``
        rates without solar heating (night).
    latitude_deg, longitude_deg : float
        Site (degrees north, east).
    elevation_m : float
        Conductor elevation above sea level, m (air density; solar intensity).
    line_azimuth_deg : float
        Direction of the line, degrees east of north (solar incidence; 90 = east-west).
    wind_attack_angle_deg : float
        Angle between wind and conductor axis, degrees (90 = perpendicular).
    ground_albedo : float
        Ground albedo (``method="cigre601"`` only).
    subconductors : int
        Sub-conductors per phase; the bundle ampacity is this many times one
        sub-conductor's (no mutual heating).
    method : {"ieee738", "cigre601"}
        Thermal model.
    tolerance_a : float
        Bisection accuracy per sub-conductor, A.

    Returns
    -------
    numpy.ndarray
        Ampacity per phase, A, broadcast over the array inputs; 0 where the
        conductor exceeds ``max_conductor_temp_c`` without current.

    References
    ----------
    .. [1] IEEE Std 738-2012, steady-state heat balance and Annex B.
    .. [2] CIGRE Technical Brochure 601 (2014).
    .. [3] linerate, ``linerate.IEEE738``, ``linerate.Cigre601``.
    """
    air, wind, t_max = np.broadcast_arrays(
        np.asarray(air_temp_c, dtype=float),
        np.asarray(wind_speed_m_per_s, dtype=float),
        np.asarray(max_conductor_temp_c, dtype=float),
    )
    sun = time_utc is not None
    when: npt.NDArray[np.datetime64] | np.datetime64
    if sun:
        when = np.asarray(time_utc, dtype="datetime64[m]")
        when = np.broadcast_to(when, np.broadcast_shapes(air.shape, when.shape))
        air, wind, t_max = (np.broadcast_to(a, when.shape) for a in (air, wind, t_max))
    else:
        when = np.datetime64("2001-01-01T00:00", "m")  # unused: absorptivity is 0
    span = _span(
        _linerate_conductor(conductor, sun),
        latitude_deg,
        longitude_deg,
        elevation_m,
        line_azimuth_deg,
        int(subconductors),
    )
    wind_direction = span.conductor_azimuth + math.radians(wind_attack_angle_deg)
    weather = linerate.Weather(
        air_temperature=air,
        wind_direction=wind_direction,
        wind_speed=wind,
        ground_albedo=ground_albedo,
        clearness_ratio=1.0,
    )
    model: linerate.ThermalModel
    if method == "ieee738":
        model = linerate.IEEE738(span, weather, when)
    elif method == "cigre601":
        model = linerate.Cigre601(span, weather, when)
    else:
        raise ValueError(f"unknown thermal-rating method {method!r} (ieee738, cigre601)")
    ampacity = model.compute_steady_state_ampacity(
        t_max, max_ampacity=_MAX_AMPACITY_A, tolerance=tolerance_a
    )
    return np.asarray(ampacity, dtype=float)


@dataclass(frozen=True)
class RatingSettings:
    """Assumptions of the hourly line ratings (defaults: ``grid_types.toml`` ``[line_ratings]``)."""

    method: Method
    normal_max_conductor_temp_c: float
    emergency_max_conductor_temp_c: float
    wind_speed_m_per_s: float
    wind_attack_angle_deg: float
    solar: Solar
    line_azimuth_deg: float
    ground_albedo: float
    latitude_deg: float
    longitude_deg: float
    elevation_m: float
    utc_offset_h: float
    std_types: tuple[tuple[str, str, int], ...] = field(default=())
    """``(std_type, conductor name, sub-conductors per phase)`` of every mapped line type."""

    @classmethod
    def from_catalog(cls, **overrides: Any) -> RatingSettings:
        """The catalog defaults, with keyword ``overrides`` (field names)."""
        table = read_catalog(GRID_TYPES_FILE)["line_ratings"]
        std_types = tuple(
            (name, str(value_of(t["conductor"])), int(value_of(t["subconductors"])))
            for name, t in table.get("std_type", {}).items()
        )
        settings = cls(
            method=str(value_of(table["method"])),  # type: ignore[arg-type]
            normal_max_conductor_temp_c=float(value_of(table["normal_max_conductor_temp_c"])),
            emergency_max_conductor_temp_c=float(value_of(table["emergency_max_conductor_temp_c"])),
            wind_speed_m_per_s=float(value_of(table["wind_speed_m_per_s"])),
            wind_attack_angle_deg=float(value_of(table["wind_attack_angle_deg"])),
            solar=str(value_of(table["solar"])),  # type: ignore[arg-type]
            line_azimuth_deg=float(value_of(table["line_azimuth_deg"])),
            ground_albedo=float(value_of(table["ground_albedo"])),
            latitude_deg=float(value_of(table["latitude_deg"])),
            longitude_deg=float(value_of(table["longitude_deg"])),
            elevation_m=float(value_of(table["elevation_m"])),
            utc_offset_h=float(value_of(table["utc_offset_h"])),
            std_types=std_types,
        )
        return replace(settings, **overrides)

    def conductor_of(self, std_type: object) -> tuple[str, int] | None:
        """``(conductor, sub-conductors)`` of a line type, ``None`` if it is not mapped."""
        for name, conductor, n in self.std_types:
            if name == std_type:
                return conductor, n
        return None


@dataclass(frozen=True, eq=False)
class LineRatings:
    """Design and hourly thermal ratings of a network's lines.

    Ratings are per network line (pandapower row): ``max_i_ka * df * parallel``.
    The hourly normal rating of line ``j`` at hour ``h`` is
    ``design_normal_ka[j] * normal_factor[h, j]`` and its hourly emergency
    rating ``design_normal_ka[j] * emergency_factor[h, j]`` (both factors refer
    to the design *normal* rating). Every factor of a thermally rated line is
    >= 1 (the design rating is the lowest hourly rating); file-rated lines have
    factor 1 and emergency = normal.
    """

    basis: str
    """How the ratings were made (the headline ``line_rating_basis``)."""
    hours: pd.DatetimeIndex
    line_index: npt.NDArray[np.int64]
    """pandapower index of each line."""
    line_names: tuple[str, ...]
    line_conductor: tuple[str | None, ...]
    """Conductor of each line; ``None`` for a line that keeps its file rating."""
    design_normal_ka: FloatArray
    design_emergency_ka: FloatArray
    conductor_names: tuple[str, ...]
    conductor_normal_factor: FloatArray
    """Hours x conductors: hourly normal ampacity / lowest hourly normal ampacity."""
    conductor_emergency_factor: FloatArray
    """Hours x conductors: hourly emergency ampacity / lowest hourly normal ampacity."""
    conductor_design_normal_a: FloatArray
    """Design (lowest hourly) normal ampacity of one sub-conductor, A."""
    conductor_design_emergency_a: FloatArray
    """Design (lowest hourly) emergency ampacity of one sub-conductor, A."""
    conductor_design_hour: tuple[pd.Timestamp, ...]
    """Hour of the lowest normal ampacity of each conductor."""
    settings: RatingSettings

    @property
    def n_file_rated(self) -> int:
        """Lines that keep their file (static) rating."""
        return sum(c is None for c in self.line_conductor)

    @property
    def n_thermal_rated(self) -> int:
        """Lines rated from the conductor heat balance."""
        return len(self.line_conductor) - self.n_file_rated

    def _line_columns(self) -> npt.NDArray[np.int64]:
        pos = {name: k for k, name in enumerate(self.conductor_names)}
        return np.array([pos.get(c, -1) if c is not None else -1 for c in self.line_conductor])

    def _expand(self, per_conductor: FloatArray) -> FloatArray:
        cols = self._line_columns()
        ones = np.ones((len(self.hours), 1))
        table = np.hstack([per_conductor.reshape(len(self.hours), -1), ones])
        return table[:, cols]  # column -1 is the appended ones (file-rated lines)

    @property
    def normal_factor(self) -> FloatArray:
        """Hours x lines: hourly normal rating / design normal rating (>= 1)."""
        return self._expand(self.conductor_normal_factor)

    @property
    def emergency_factor(self) -> FloatArray:
        """Hours x lines: hourly emergency rating / design normal rating."""
        return self._expand(self.conductor_emergency_factor)

    def hourly_normal_ka(self) -> FloatArray:
        """Hours x lines: hourly normal rating, kA."""
        return self.normal_factor * self.design_normal_ka

    def hourly_emergency_ka(self) -> FloatArray:
        """Hours x lines: hourly emergency rating, kA."""
        return self.emergency_factor * self.design_normal_ka


def _column(lines: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name in lines.columns:
        return lines[name]
    return pd.Series(default, index=lines.index)


def _sun_times_utc(local: pd.DatetimeIndex, settings: RatingSettings) -> npt.NDArray[Any] | None:
    """UTC times at which the sun is evaluated, by ``settings.solar``."""
    if settings.solar == "none":
        return None
    if local.tz is not None:  # zone-aware: its own offset, not settings.utc_offset_h
        utc = local.tz_convert("UTC").tz_localize(None)
        local = local.tz_localize(None)
    else:
        utc = local - pd.Timedelta(hours=settings.utc_offset_h)
    if settings.solar == "noon":
        # local apparent solar noon, ignoring the equation of time (as linerate)
        utc = local.normalize() + pd.Timedelta(hours=12.0 - settings.longitude_deg / 15.0)
    elif settings.solar != "hourly":
        raise ValueError(f"unknown solar option {settings.solar!r} (hourly, noon, none)")
    return utc.to_numpy(dtype="datetime64[m]")


def _basis(settings: RatingSettings, n_thermal: int, n_file: int) -> str:
    n_all = n_thermal + n_file
    if n_thermal == 0:
        return f"file ratings (static) for all {n_all} lines"
    version = metadata.version("linerate")
    text = (
        f"{_METHOD_NAMES[settings.method]} via linerate {version}, hourly ambient "
        f"({_SOLAR_TEXT[settings.solar]}); normal {settings.normal_max_conductor_temp_c:g} °C / "
        f"emergency {settings.emergency_max_conductor_temp_c:g} °C conductor; "
        f"{settings.wind_speed_m_per_s:g} m/s design wind at "
        f"{settings.wind_attack_angle_deg:g}°; design = lowest hour"
    )
    if n_file:
        text += f"; {n_file} of {n_all} lines at file ratings (static)"
    return text


def hourly_line_ratings(
    lines: pd.DataFrame,
    hourly: pd.DataFrame,
    *,
    settings: RatingSettings | None = None,
    elevation_m: float | None = None,
) -> LineRatings:
    """Normal and emergency thermal ratings of every line at every hour of a weather year.

    Parameters
    ----------
    lines : pandas.DataFrame
        The network's lines, e.g. ``net.line``: ``std_type`` (mapped to a
        conductor by ``settings.std_types``), ``parallel`` and ``df`` (default
        1), ``max_i_ka`` (file rating, kept for unmapped lines) and ``name``.
        Optional per-line ``conductor`` and ``subconductors`` columns override
        the type map (a missing / NaN conductor falls back to it).
    hourly : pandas.DataFrame
        Hourly weather with a ``DatetimeIndex`` in local standard time and a
        ``dry_bulb_c`` column (e.g. :attr:`gridimpact.weather.Weather.hourly`).
        Wind is not read: the design wind of ``settings`` applies at every hour.
    settings : RatingSettings, optional
        Rating assumptions; default :meth:`RatingSettings.from_catalog`.
    elevation_m : float, optional
        Site elevation, m (e.g. :attr:`gridimpact.weather.Weather.elevation_m`);
        default ``settings.elevation_m``.

    Returns
    -------
    LineRatings
        Design ratings (lowest hour of the year) per line and hourly factors.

    Raises
    ------
    ValueError
        If ``hourly`` has no ``dry_bulb_c`` or no ``DatetimeIndex``, or a line
        names a conductor that ``data/conductors.toml`` does not hold.

    Notes
    -----
    The factor of a thermally rated line depends on its conductor only
    (sub-conductors, parallel circuits and ``df`` scale the rating at every
    hour alike), so each conductor is rated once per temperature limit.

    References
    ----------
    .. [1] IEEE Std 738-2012; CIGRE TB 601 (2014); FERC Order No. 881 (2021).
    """
    s = settings if settings is not None else RatingSettings.from_catalog()
    if "dry_bulb_c" not in hourly.columns:
        raise ValueError("hourly weather needs a 'dry_bulb_c' column")
    if not isinstance(hourly.index, pd.DatetimeIndex):
        raise ValueError("hourly weather needs a DatetimeIndex (local standard time)")
    site_elevation_m = s.elevation_m if elevation_m is None else float(elevation_m)
    catalog = conductor_catalog()

    # conductor and sub-conductors of every line
    std_type = _column(lines, "std_type", None)
    own_conductor = _column(lines, "conductor", None)
    own_n = _column(lines, "subconductors", None)
    line_conductor: list[str | None] = []
    line_n: list[int] = []
    for idx in lines.index:
        c, n = own_conductor[idx], own_n[idx]
        conductor: str | None
        if isinstance(c, str) and c:
            conductor, subs = c, int(n) if pd.notna(n) else 1
        else:
            mapped = s.conductor_of(std_type[idx])
            conductor, subs = mapped if mapped is not None else (None, 0)
        if conductor is not None and conductor not in catalog:
            raise ValueError(
                f"line {idx}: conductor {conductor!r} is not in gridimpact/data/{CONDUCTORS_FILE}"
            )
        line_conductor.append(conductor)
        line_n.append(subs)

    # rate each conductor once per temperature limit (A per sub-conductor)
    used = tuple(sorted({c for c in line_conductor if c is not None}))
    air = hourly["dry_bulb_c"].to_numpy(float)
    sun = _sun_times_utc(pd.DatetimeIndex(hourly.index), s)

    def rate(conductor: ConductorData, max_temp_c: float) -> FloatArray:
        return conductor_ampacity_a(
            conductor,
            air,
            s.wind_speed_m_per_s,
            max_temp_c,
            time_utc=sun,
            latitude_deg=s.latitude_deg,
            longitude_deg=s.longitude_deg,
            elevation_m=site_elevation_m,
            line_azimuth_deg=s.line_azimuth_deg,
            wind_attack_angle_deg=s.wind_attack_angle_deg,
            ground_albedo=s.ground_albedo,
            method=s.method,
        )

    n_h = len(air)
    normal_factor = np.ones((n_h, len(used)))
    emergency_factor = np.ones((n_h, len(used)))
    design_normal_a = np.zeros(len(used))
    design_emergency_a = np.zeros(len(used))
    design_hour: list[pd.Timestamp] = []
    for k, name in enumerate(used):
        normal = rate(catalog[name], s.normal_max_conductor_temp_c)
        emergency = rate(catalog[name], s.emergency_max_conductor_temp_c)
        worst = int(np.argmin(normal))
        if not normal[worst] > 0.0:
            raise ValueError(
                f"conductor {name!r} has no ampacity at {air[worst]:g} °C air: the normal "
                f"maximum conductor temperature {s.normal_max_conductor_temp_c:g} °C is too low"
            )
        design_normal_a[k] = normal[worst]
        design_emergency_a[k] = float(np.min(emergency))
        design_hour.append(pd.Timestamp(hourly.index[worst]))
        normal_factor[:, k] = normal / normal[worst]
        emergency_factor[:, k] = emergency / normal[worst]

    # per-line design ratings (facility rating = per circuit x parallel x df)
    parallel = _column(lines, "parallel", 1).fillna(1).to_numpy(float)
    df = _column(lines, "df", 1.0).fillna(1.0).to_numpy(float)
    file_ka = _column(lines, "max_i_ka", np.nan).to_numpy(float) * df * parallel
    pos = {name: k for k, name in enumerate(used)}
    design_normal_ka = file_ka.copy()
    design_emergency_ka = file_ka.copy()
    for j, (c, n) in enumerate(zip(line_conductor, line_n, strict=True)):
        if c is not None:
            scale = n * parallel[j] * df[j] / 1000.0
            design_normal_ka[j] = design_normal_a[pos[c]] * scale
            design_emergency_ka[j] = design_emergency_a[pos[c]] * scale

    n_file = sum(c is None for c in line_conductor)
    names = _column(lines, "name", "").to_numpy()
    return LineRatings(
        basis=_basis(s, len(line_conductor) - n_file, n_file),
        hours=pd.DatetimeIndex(hourly.index),
        line_index=lines.index.to_numpy(np.int64),
        line_names=tuple("" if pd.isna(x) else str(x) for x in names),
        line_conductor=tuple(line_conductor),
        design_normal_ka=design_normal_ka,
        design_emergency_ka=design_emergency_ka,
        conductor_names=used,
        conductor_normal_factor=normal_factor,
        conductor_emergency_factor=emergency_factor,
        conductor_design_normal_a=design_normal_a,
        conductor_design_emergency_a=design_emergency_a,
        conductor_design_hour=tuple(design_hour),
        settings=s,
    )


def apply_line_ratings(net: pp.pandapowerNet, ratings: LineRatings) -> pp.pandapowerNet:
    """A copy of ``net`` with the design ratings in ``line.max_i_ka`` / ``line.max_i_emergency_ka``.

    Both columns are per parallel circuit and before the derating factor, as
    pandapower defines ``max_i_ka``: ``max_i_ka * df * parallel`` equals
    ``ratings.design_normal_ka`` and ``max_i_emergency_ka * df * parallel``
    equals ``ratings.design_emergency_ka``.

    Parameters
    ----------
    net : pandapowerNet
        Network whose lines ``ratings`` was computed for (same line index).
    ratings : LineRatings
        Output of :func:`hourly_line_ratings`.

    Returns
    -------
    pandapowerNet
        Deep copy of ``net``; ``net`` itself is not changed.

    Raises
    ------
    ValueError
        If the line index of ``net`` differs from the one ``ratings`` was made for.
    """
    if not np.array_equal(net.line.index.to_numpy(np.int64), ratings.line_index):
        raise ValueError("the ratings were computed for a different set of lines")
    out = copy.deepcopy(net)
    per_circuit = (out.line.df * out.line.parallel).to_numpy(float)
    out.line["max_i_ka"] = ratings.design_normal_ka / per_circuit
    out.line["max_i_emergency_ka"] = ratings.design_emergency_ka / per_circuit
    return out
