"""Heat-rejection equipment and waterside economizers: leaving temperatures and fan power.

References
----------
.. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40 Cooling
   Towers, ch.41 Evaporative Air-Cooling Equipment.
.. [2] ASHRAE Standard 90.1-2019, section 6.5.1.2 (waterside economizers) and
   Table 6.8.1-7 (heat-rejection equipment efficiency).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def tower_leaving_water_c(
    wet_bulb_c: ArrayLike, approach_k: float, min_leaving_c: float
) -> FloatArray:
    """Cold-water temperature of an evaporative cooling tower: ``T_wb + approach``.

    The design approach is held at every load (fans on variable speed, see
    :func:`fan_power_w`), floored at a freeze-protection minimum.

    Parameters
    ----------
    wet_bulb_c : array_like
        Ambient wet-bulb, °C.
    approach_k : float
        Approach of leaving water to wet-bulb, K.
    min_leaving_c : float
        Minimum leaving water temperature, °C.

    Returns
    -------
    numpy.ndarray
        Leaving (cold) water temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40.
    """
    result: FloatArray = np.maximum(np.asarray(wet_bulb_c, dtype=float) + approach_k, min_leaving_c)
    return result


def adiabatic_inlet_air_c(
    dry_bulb_c: ArrayLike, wet_bulb_c: ArrayLike, effectiveness: float, enabled: ArrayLike
) -> FloatArray:
    """Air temperature after evaporative pre-cooling pads.

    ``T = T_db - eps · (T_db - T_wb)`` where ``enabled``, else ``T_db``.

    Parameters
    ----------
    dry_bulb_c, wet_bulb_c : array_like
        Ambient dry-bulb and wet-bulb, °C.
    effectiveness : float
        Saturation effectiveness of the pads, 0-1.
    enabled : array_like of bool
        Whether the pads are wetted that hour.

    Returns
    -------
    numpy.ndarray
        Coil inlet air temperature, °C.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.41, direct
       evaporative cooler saturation effectiveness.
    """
    db = np.asarray(dry_bulb_c, dtype=float)
    cooled = db - effectiveness * (db - np.asarray(wet_bulb_c, dtype=float))
    result: FloatArray = np.where(np.asarray(enabled, dtype=bool), cooled, db)
    return result


def economizer_fraction(
    source_water_c: ArrayLike, hx_approach_k: float, supply_c: float, return_c: float
) -> FloatArray:
    """Share of a loop's heat carried by an (integrated) waterside economizer.

    The economizer pre-cools the loop return from ``return_c`` toward
    ``source_water_c + hx_approach_k``; the fraction of the supply-return
    difference it covers is the share of the load it carries (1 = full
    economizer, 0 = none).

    Parameters
    ----------
    source_water_c : array_like
        Water temperature available from the heat-rejection device, °C.
    hx_approach_k : float
        Approach of the economizer heat exchanger, K.
    supply_c, return_c : float
        Loop supply setpoint and return temperature, °C.

    Returns
    -------
    numpy.ndarray
        Economizer share of the load, 0-1.

    References
    ----------
    .. [1] ASHRAE Standard 90.1-2019, 6.5.1.2 (integrated waterside economizer).
    """
    available = np.asarray(source_water_c, dtype=float) + hx_approach_k
    result: FloatArray = np.clip((return_c - available) / (return_c - supply_c), 0.0, 1.0)
    return result


def fan_power_w(
    heat_rejected_w: ArrayLike,
    installed_capacity_w: float,
    specific_power_w_per_w: float,
    min_speed_fraction: float,
) -> FloatArray:
    """Fan power of variable-speed heat-rejection fans (towers, dry coolers).

    The running units share the load; fan speed follows the load fraction
    ``x = Q / Q_installed`` (at least the minimum speed) and power follows the
    affinity cube, ``P = p_spec · Q_installed · x³``.

    Parameters
    ----------
    heat_rejected_w : array_like
        Heat rejected, W.
    installed_capacity_w : float
        Design heat rejection of the running units, W.
    specific_power_w_per_w : float
        Fan power per unit heat rejected at design, W/W.
    min_speed_fraction : float
        Minimum fan speed, fraction of full speed.

    Returns
    -------
    numpy.ndarray
        Fan power, W.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40 (fan
       affinity laws for tower capacity control).
    """
    q = np.asarray(heat_rejected_w, dtype=float)
    if installed_capacity_w <= 0.0:
        return np.zeros_like(q)
    x = np.clip(q / installed_capacity_w, 0.0, None)
    speed = np.where(x > 0.0, np.maximum(np.minimum(x, 1.0), min_speed_fraction), 0.0)
    overload = np.maximum(x, 1.0)  # beyond design the fans are at full speed; more cells' worth
    result: FloatArray = specific_power_w_per_w * installed_capacity_w * speed**3 * overload
    return result
