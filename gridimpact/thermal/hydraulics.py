"""Flows, pumps and fans: sensible heat transport and the power to move fluids.

References
----------
.. [1] ASHRAE Handbook--Fundamentals (2017), ch.3 (fluid flow) and ch.1.
.. [2] U.S. DOE, *EnergyPlus Engineering Reference*, "Pumps" and "Fans"
   (power = flow x pressure rise / total efficiency; part-load curves).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def volume_flow_for_heat_m3_per_s(
    heat_w: ArrayLike, cp_j_per_kg_k: float, density_kg_per_m3: float, delta_t_k: float
) -> FloatArray:
    """Volume flow that carries ``heat_w`` at a temperature rise ``delta_t_k``.

    ``Q = rho · V · cp · dT``, solved for V.

    Parameters
    ----------
    heat_w : array_like
        Heat flow, W.
    cp_j_per_kg_k : float
        Specific heat of the fluid, J/(kg·K).
    density_kg_per_m3 : float
        Density of the fluid, kg/m³.
    delta_t_k : float
        Temperature rise (or drop) of the fluid, K.

    Returns
    -------
    numpy.ndarray
        Volume flow, m³/s.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals (2017), ch.1/ch.4 (sensible heat of a stream).
    """
    result: FloatArray = np.asarray(heat_w, dtype=float) / (
        cp_j_per_kg_k * density_kg_per_m3 * delta_t_k
    )
    return result


def flow_power_w(
    volume_flow_m3_per_s: ArrayLike, pressure_rise_pa: float, efficiency: float
) -> FloatArray:
    """Electric power to move a fluid: ``P = V · dp / eta``.

    Parameters
    ----------
    volume_flow_m3_per_s : array_like
        Volume flow, m³/s.
    pressure_rise_pa : float
        Total pressure rise (pump head or fan total pressure), Pa.
    efficiency : float
        Total (wire-to-fluid) efficiency, 0-1.

    Returns
    -------
    numpy.ndarray
        Electric power, W.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, "Pumps": P = V·H / (eta_impeller · eta_motor).
    """
    result: FloatArray = (
        np.asarray(volume_flow_m3_per_s, dtype=float) * pressure_rise_pa / efficiency
    )
    return result


def part_load_power_w(
    design_power_w: float, flow_fraction: ArrayLike, exponent: float, min_flow_fraction: float
) -> FloatArray:
    """Power of a variable-speed pump or fan at part flow.

    ``P = P_design · max(x, x_min)^n`` for ``x > 0`` and zero when the flow is
    zero; ``n = 3`` is the ideal affinity law.

    Parameters
    ----------
    design_power_w : float
        Power at design flow, W.
    flow_fraction : array_like
        Flow as a fraction of design flow.
    exponent : float
        Part-load exponent n.
    min_flow_fraction : float
        Minimum speed/flow fraction while running.

    Returns
    -------
    numpy.ndarray
        Power, W.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.44 (pump affinity laws).
    """
    x = np.asarray(flow_fraction, dtype=float)
    running = x > 0.0
    result: FloatArray = np.where(
        running, design_power_w * np.maximum(x, min_flow_fraction) ** exponent, 0.0
    )
    return result


def liters_per_minute_per_kw(
    cp_j_per_kg_k: float, density_kg_per_m3: float, delta_t_k: float
) -> float:
    """Coolant flow per kW of heat at a temperature rise, L/min per kW (CDU sizing rule)."""
    return (
        float(volume_flow_for_heat_m3_per_s(1000.0, cp_j_per_kg_k, density_kg_per_m3, delta_t_k))
        * 60_000.0
    )
