"""Psychrometrics of moist air, vectorised over numpy arrays.

Thin wrappers around psychrolib (which implements ASHRAE Handbook--Fundamentals
2017, ch.1) in SI units. Inputs broadcast like numpy ufuncs; outputs are
float arrays (0-d for scalar input).

References
----------
.. [1] ASHRAE, *ASHRAE Handbook--Fundamentals*, ch.1 Psychrometrics, 2017.
.. [2] D. Meyer and D. Thevenard, "PsychroLib: a library of psychrometric
   functions to calculate thermodynamic properties of air", Journal of Open
   Source Software 4(33), 1137, 2019. https://doi.org/10.21105/joss.01137
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import psychrolib

psychrolib.SetUnitSystem(psychrolib.SI)

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

#: Specific heat of liquid water near 20-40 °C, J/(kg·K) (ASHRAE Fundamentals 2017 ch.1).
CP_LIQUID_WATER_J_PER_KG_K = 4186.0

_wb_from_rh = np.vectorize(psychrolib.GetTWetBulbFromRelHum, otypes=[float])
_wb_from_dp = np.vectorize(psychrolib.GetTWetBulbFromTDewPoint, otypes=[float])
_dp_from_rh = np.vectorize(psychrolib.GetTDewPointFromRelHum, otypes=[float])
_dp_from_wb = np.vectorize(psychrolib.GetTDewPointFromTWetBulb, otypes=[float])
_rh_from_dp = np.vectorize(psychrolib.GetRelHumFromTDewPoint, otypes=[float])
_w_from_rh = np.vectorize(psychrolib.GetHumRatioFromRelHum, otypes=[float])
_w_from_dp = np.vectorize(psychrolib.GetHumRatioFromTDewPoint, otypes=[float])
_h_moist = np.vectorize(psychrolib.GetMoistAirEnthalpy, otypes=[float])
_h_sat = np.vectorize(psychrolib.GetSatAirEnthalpy, otypes=[float])
_w_sat = np.vectorize(psychrolib.GetSatHumRatio, otypes=[float])
_p_std = np.vectorize(psychrolib.GetStandardAtmPressure, otypes=[float])
_w_from_wb = np.vectorize(psychrolib.GetHumRatioFromTWetBulb, otypes=[float])


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=float)


def _rh01(rel_hum_percent: ArrayLike) -> FloatArray:
    return np.clip(_f(rel_hum_percent) / 100.0, 1e-6, 1.0)


def standard_pressure_pa(elevation_m: ArrayLike) -> FloatArray:
    """Standard-atmosphere pressure at an elevation (ASHRAE Fundamentals 2017 ch.1 eq. 3).

    Parameters
    ----------
    elevation_m : array_like
        Elevation above sea level, m.

    Returns
    -------
    numpy.ndarray
        Pressure, Pa.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 3.
    """
    result: FloatArray = _p_std(_f(elevation_m))
    return result


def wet_bulb_from_rel_hum_c(
    dry_bulb_c: ArrayLike, rel_hum_percent: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Thermodynamic wet-bulb temperature from dry-bulb and relative humidity.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    rel_hum_percent : array_like
        Relative humidity, % (clipped to (0, 100]).
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 33/35 (solved iteratively by psychrolib).
    """
    result: FloatArray = _wb_from_rh(_f(dry_bulb_c), _rh01(rel_hum_percent), _f(pressure_pa))
    return result


def wet_bulb_from_dew_point_c(
    dry_bulb_c: ArrayLike, dew_point_c: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Thermodynamic wet-bulb temperature from dry-bulb and dew point.

    Dew points above the dry-bulb are clipped to the dry-bulb (saturation).

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    dew_point_c : array_like
        Dew-point temperature, °C.
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 33/35 and 39.
    """
    db = _f(dry_bulb_c)
    dp = np.minimum(_f(dew_point_c), db)
    result: FloatArray = _wb_from_dp(db, dp, _f(pressure_pa))
    return result


def dew_point_from_rel_hum_c(dry_bulb_c: ArrayLike, rel_hum_percent: ArrayLike) -> FloatArray:
    """Dew-point temperature from dry-bulb and relative humidity.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    rel_hum_percent : array_like
        Relative humidity, %.

    Returns
    -------
    numpy.ndarray
        Dew-point temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 5/6 inverted (psychrolib).
    """
    result: FloatArray = _dp_from_rh(_f(dry_bulb_c), _rh01(rel_hum_percent))
    return result


def dew_point_from_wet_bulb_c(
    dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Dew-point temperature from dry-bulb and wet-bulb.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    wet_bulb_c : array_like
        Wet-bulb temperature, °C (must not exceed the dry-bulb).
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Dew-point temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 33/35.
    """
    result: FloatArray = _dp_from_wb(_f(dry_bulb_c), _f(wet_bulb_c), _f(pressure_pa))
    return result


def rel_hum_from_dew_point_percent(dry_bulb_c: ArrayLike, dew_point_c: ArrayLike) -> FloatArray:
    """Relative humidity from dry-bulb and dew point.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    dew_point_c : array_like
        Dew-point temperature, °C (clipped to the dry-bulb).

    Returns
    -------
    numpy.ndarray
        Relative humidity, %.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 5/6 and 24.
    """
    db = _f(dry_bulb_c)
    result: FloatArray = 100.0 * _rh_from_dp(db, np.minimum(_f(dew_point_c), db))
    return result


def humidity_ratio_from_rel_hum_kg_per_kg(
    dry_bulb_c: ArrayLike, rel_hum_percent: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Humidity ratio (kg water per kg dry air) from dry-bulb and relative humidity.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    rel_hum_percent : array_like
        Relative humidity, %.
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Humidity ratio, kg/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 20 and 24.
    """
    result: FloatArray = _w_from_rh(_f(dry_bulb_c), _rh01(rel_hum_percent), _f(pressure_pa))
    return result


def humidity_ratio_from_dew_point_kg_per_kg(
    dew_point_c: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Humidity ratio from dew point.

    Parameters
    ----------
    dew_point_c : array_like
        Dew-point temperature, °C.
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Humidity ratio, kg/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 20.
    """
    result: FloatArray = _w_from_dp(_f(dew_point_c), _f(pressure_pa))
    return result


def saturation_humidity_ratio_kg_per_kg(temp_c: ArrayLike, pressure_pa: ArrayLike) -> FloatArray:
    """Humidity ratio of saturated air at a temperature.

    Parameters
    ----------
    temp_c : array_like
        Temperature, °C.
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Saturation humidity ratio, kg/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 23.
    """
    result: FloatArray = _w_sat(_f(temp_c), _f(pressure_pa))
    return result


def humidity_ratio_from_wet_bulb_kg_per_kg(
    dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike, pressure_pa: ArrayLike
) -> FloatArray:
    """Humidity ratio from dry-bulb and wet-bulb.

    Parameters
    ----------
    dry_bulb_c, wet_bulb_c : array_like
        Dry-bulb and wet-bulb temperature, °C (wet-bulb clipped to the dry-bulb).
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Humidity ratio, kg/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 33/35.
    """
    db = _f(dry_bulb_c)
    result: FloatArray = _w_from_wb(db, np.minimum(_f(wet_bulb_c), db), _f(pressure_pa))
    return result


def saturation_temperature_from_enthalpy_c(
    enthalpy_j_per_kg: ArrayLike, pressure_pa: float, step_k: float = 0.02
) -> FloatArray:
    """Temperature of saturated air with a given enthalpy (inverse of the saturation line).

    psychrolib's saturated-air enthalpy is tabulated on a fine temperature grid
    (-40 to 80 °C) at ``pressure_pa`` and inverted by linear interpolation
    (the function is strictly increasing).

    Parameters
    ----------
    enthalpy_j_per_kg : array_like
        Moist-air enthalpy, J/kg dry air.
    pressure_pa : float
        Atmospheric pressure, Pa.
    step_k : float
        Grid step, K (interpolation error well below 0.01 K at 0.02 K).

    Returns
    -------
    numpy.ndarray
        Saturation temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 23 and 32.
    """
    grid_c = np.arange(-40.0, 80.0 + step_k, step_k)
    h_grid = _saturated_enthalpy_table(float(pressure_pa), float(step_k))
    result: FloatArray = np.interp(_f(enthalpy_j_per_kg), h_grid, grid_c)
    return result


@lru_cache(maxsize=8)
def _saturated_enthalpy_table(pressure_pa: float, step_k: float) -> FloatArray:
    grid_c = np.arange(-40.0, 80.0 + step_k, step_k)
    table: FloatArray = _h_sat(grid_c, pressure_pa)
    table.flags.writeable = False
    return table


def moist_air_enthalpy_j_per_kg(
    dry_bulb_c: ArrayLike, humidity_ratio_kg_per_kg: ArrayLike
) -> FloatArray:
    """Specific enthalpy of moist air per kg of dry air.

    Parameters
    ----------
    dry_bulb_c : array_like
        Dry-bulb temperature, °C.
    humidity_ratio_kg_per_kg : array_like
        Humidity ratio, kg/kg dry air.

    Returns
    -------
    numpy.ndarray
        Enthalpy, J/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 32.
    """
    result: FloatArray = _h_moist(_f(dry_bulb_c), _f(humidity_ratio_kg_per_kg))
    return result


def saturated_air_enthalpy_j_per_kg(temp_c: ArrayLike, pressure_pa: ArrayLike) -> FloatArray:
    """Specific enthalpy of saturated moist air per kg of dry air.

    Parameters
    ----------
    temp_c : array_like
        Temperature, °C.
    pressure_pa : array_like
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Enthalpy, J/kg dry air.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 23 and 32.
    """
    result: FloatArray = _h_sat(_f(temp_c), _f(pressure_pa))
    return result


def latent_heat_of_vaporisation_j_per_kg(water_temp_c: ArrayLike) -> FloatArray:
    """Heat needed to evaporate liquid water at a temperature, per kg of water.

    The vapour enthalpy is psychrolib's ASHRAE expression
    ``h_g = 2501 kJ/kg + 1.86 kJ/(kg·K)·t`` (read off the moist-air enthalpy as
    the derivative with respect to humidity ratio); the liquid enthalpy is
    ``h_f = c_p,w·t``. At 30 °C this gives ≈2431 kJ/kg (steam tables: 2430).

    Parameters
    ----------
    water_temp_c : array_like
        Water temperature, °C.

    Returns
    -------
    numpy.ndarray
        Latent heat h_fg, J/kg.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals 2017, ch.1, eq. 30 and 32.
    """
    t = _f(water_temp_c)
    h_vapour = _h_moist(t, 1.0) - _h_moist(t, 0.0)
    result: FloatArray = h_vapour - CP_LIQUID_WATER_J_PER_KG_K * t
    return result


def as_float(x: Any) -> float:
    """A Python float from a 0-d array or number (helper for scalar call sites)."""
    return float(np.asarray(x, dtype=float))
