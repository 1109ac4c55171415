"""Electric chillers: the DOE-2 / EnergyPlus ``Chiller:Electric:EIR`` model.

``P = Q_avail / COP_ref · EIRFT(T_lchw, T_ec) · EIRFPLR(PLR)`` with
``Q_avail = Q_ref · CAPFT(T_lchw, T_ec)`` and ``PLR = Q / Q_avail``.
CAPFT and EIRFT are biquadratic in the leaving chilled-water temperature and
the entering condenser-fluid temperature (water for water-cooled, air for
air-cooled machines); EIRFPLR is quadratic in PLR. Curve inputs are clamped to
their validity limits, as EnergyPlus does; outside those limits the EIR is
carried by the reverse-Carnot lift ratio (see :func:`lift_extrapolation`), so
the chiller keeps the second-law efficiency of the nearest valid point and can
never beat Carnot.

References
----------
.. [1] U.S. DOE, *EnergyPlus Engineering Reference*, "Electric Chiller Model
   Based on Condenser Entering Temperature" (Chiller:Electric:EIR).
.. [2] M. Hydeman, N. Webb, P. Sreedharan, S. Blanc, "Development and testing
   of a reformulated regression-based electric chiller model", ASHRAE
   Transactions 108(2), 2002.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

KELVIN = 273.15


def _clip(x: ArrayLike, bounds: Sequence[float]) -> FloatArray:
    result: FloatArray = np.clip(np.asarray(x, dtype=float), float(bounds[0]), float(bounds[1]))
    return result


def biquadratic(c: Sequence[float], x: ArrayLike, y: ArrayLike) -> FloatArray:
    """EnergyPlus ``Curve:Biquadratic``: ``c0 + c1 x + c2 x² + c3 y + c4 y² + c5 x y``."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    result: FloatArray = c[0] + c[1] * xa + c[2] * xa**2 + c[3] * ya + c[4] * ya**2 + c[5] * xa * ya
    return result


def quadratic(c: Sequence[float], x: ArrayLike) -> FloatArray:
    """EnergyPlus ``Curve:Quadratic``: ``c0 + c1 x + c2 x²``."""
    xa = np.asarray(x, dtype=float)
    result: FloatArray = c[0] + c[1] * xa + c[2] * xa**2
    return result


def carnot_cop(
    leaving_chilled_c: ArrayLike, entering_condenser_c: ArrayLike, min_lift_k: float = 0.5
) -> FloatArray:
    """Reverse-Carnot COP between the chilled-water and condenser temperatures.

    ``COP_C = T_evap / (T_cond - T_evap)`` in kelvin. Using the leaving chilled
    water and entering condenser fluid (rather than refrigerant temperatures)
    gives the smallest possible lift, hence an upper bound on any real COP.

    Parameters
    ----------
    leaving_chilled_c, entering_condenser_c : array_like
        Temperatures, °C.
    min_lift_k : float
        Floor on the lift to keep the bound finite.

    Returns
    -------
    numpy.ndarray
        Carnot COP, W/W.

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals (2017), ch.2 Thermodynamics and refrigeration cycles.
    """
    t_evap = np.asarray(leaving_chilled_c, dtype=float) + KELVIN
    lift = np.maximum(np.asarray(entering_condenser_c, dtype=float) + KELVIN - t_evap, min_lift_k)
    result: FloatArray = t_evap / lift
    return result


def lift_extrapolation(
    leaving_chilled_c: ArrayLike,
    entering_condenser_c: ArrayLike,
    leaving_chilled_range_c: Sequence[float],
    entering_condenser_range_c: Sequence[float],
    min_lift_k: float,
) -> FloatArray:
    """EIR multiplier for temperatures outside the curves' validity limits.

    ``r = [lift/T_evap] / [lift_c/T_evap,c]`` with ``lift = max(T_cond - T_evap,
    min_lift)``, the subscript ``c`` denoting the inputs clamped to the limits.
    Inside the limits ``r = 1``. Since the reverse-Carnot EIR is ``lift/T_evap``,
    the extrapolated COP is the clamped COP times the ratio of Carnot COPs:
    the fraction of Carnot achieved is held constant.

    Parameters
    ----------
    leaving_chilled_c, entering_condenser_c : array_like
        Actual temperatures, °C.
    leaving_chilled_range_c, entering_condenser_range_c : sequence of 2 float
        Curve validity limits, °C.
    min_lift_k : float
        Floor on the temperature lift, K.

    Returns
    -------
    numpy.ndarray
        EIR multiplier (dimensionless).

    References
    ----------
    .. [1] Modelica Buildings library, ``Buildings.Fluid.Chillers.Carnot_TEva``
       (COP as a constant fraction of the Carnot COP).
    .. [2] ASHRAE Handbook--Fundamentals (2017), ch.2 (reverse Carnot cycle).
    """
    x = np.asarray(leaving_chilled_c, dtype=float)
    y = np.asarray(entering_condenser_c, dtype=float)
    xc = _clip(x, leaving_chilled_range_c)
    yc = _clip(y, entering_condenser_range_c)
    actual = np.maximum(y - x, min_lift_k) / (x + KELVIN)
    clamped = np.maximum(yc - xc, min_lift_k) / (xc + KELVIN)
    result: FloatArray = actual / clamped
    return result


def chiller_available_capacity_w(
    reference_capacity_w: float,
    capft: Sequence[float],
    leaving_chilled_c: ArrayLike,
    entering_condenser_c: ArrayLike,
    leaving_chilled_range_c: Sequence[float],
    entering_condenser_range_c: Sequence[float],
) -> FloatArray:
    """Available cooling capacity of one chiller, ``Q_ref · CAPFT``, W.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, Chiller:Electric:EIR.
    """
    x = _clip(leaving_chilled_c, leaving_chilled_range_c)
    y = _clip(entering_condenser_c, entering_condenser_range_c)
    result: FloatArray = reference_capacity_w * np.maximum(biquadratic(capft, x, y), 0.05)
    return result


def chiller_plant_power_w(
    load_w: ArrayLike,
    running_units: ArrayLike,
    unit_capacity_w: ArrayLike,
    reference_cop: float,
    eirft: Sequence[float],
    eirfplr: Sequence[float],
    leaving_chilled_c: ArrayLike,
    entering_condenser_c: ArrayLike,
    leaving_chilled_range_c: Sequence[float],
    entering_condenser_range_c: Sequence[float],
    min_part_load_ratio: float,
    min_lift_k: float = 5.0,
) -> FloatArray:
    """Electric power of ``running_units`` identical chillers sharing ``load_w`` equally.

    Parameters
    ----------
    load_w : array_like
        Cooling load on the chillers, W.
    running_units : array_like
        Number of chillers running (0 where the load is zero).
    unit_capacity_w : array_like
        Available capacity of one chiller at the hour's temperatures (Q_ref · CAPFT), W.
    reference_cop : float
        COP at the curves' reference temperatures and full load.
    eirft, eirfplr : sequence of float
        EIR curves (biquadratic, quadratic).
    leaving_chilled_c, entering_condenser_c : array_like
        Leaving chilled-water and entering condenser-fluid temperatures, °C.
    leaving_chilled_range_c, entering_condenser_range_c : sequence of 2 float
        Curve validity limits; inputs are clamped to them.
    min_part_load_ratio : float
        Below this PLR the chiller false-loads (EIRFPLR evaluated at the minimum).
    min_lift_k : float
        Lift floor of the out-of-range extrapolation (:func:`lift_extrapolation`), K.

    Returns
    -------
    numpy.ndarray
        Compressor (and, for air-cooled, condenser-fan) power, W.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, "Electric Chiller Model Based on
       Condenser Entering Temperature".
    """
    load = np.asarray(load_w, dtype=float)
    n = np.asarray(running_units, dtype=float)
    cap = np.asarray(unit_capacity_w, dtype=float)
    x = _clip(leaving_chilled_c, leaving_chilled_range_c)
    y = _clip(entering_condenser_c, entering_condenser_range_c)
    total_cap = np.maximum(n * cap, 1e-9)
    plr = np.clip(load / total_cap, min_part_load_ratio, 1.0)
    eir = np.maximum(biquadratic(eirft, x, y), 0.0) * np.maximum(quadratic(eirfplr, plr), 0.0)
    eir = eir * lift_extrapolation(
        leaving_chilled_c,
        entering_condenser_c,
        leaving_chilled_range_c,
        entering_condenser_range_c,
        min_lift_k,
    )
    result: FloatArray = np.where(load > 0.0, n * cap / reference_cop * eir, 0.0)
    return result
