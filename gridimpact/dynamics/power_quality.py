"""Power quality at the POI: voltage change and flicker planning levels.

Pure, vectorised physics for the dynamics stage (no network model needed).

References
----------
.. [1] IEC/TR 61000-3-7:2008, "Assessment of emission limits for the connection of
   fluctuating installations to MV, HV and EHV power systems".
.. [2] IEEE Std 1453-2022, "IEEE Recommended Practice for the Analysis of
   Fluctuating Installations on Power Systems".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatLike = float | npt.NDArray[np.float64]


def reactive_swing_mvar(delta_p_mw: FloatLike, power_factor: float) -> FloatLike:
    """Reactive-power change that goes with an active-power change at ``power_factor``.

    ``ΔQ = ΔP · tan(arccos(pf))`` (Mvar), lagging.
    """
    return delta_p_mw * np.tan(np.arccos(power_factor))


def voltage_change_percent(
    delta_p_mw: FloatLike, delta_q_mvar: FloatLike, sc_mva: float, x_over_r: float
) -> FloatLike:
    """Relative voltage change at the POI from a load change.

    ``ΔV/V ≈ (ΔP·R + ΔQ·X) / V² = (ΔP·cos ψ + ΔQ·sin ψ) / S″k`` with the source
    impedance angle ``ψ = arctan(X/R)`` and ``Z = V²/S″k``.

    Parameters
    ----------
    delta_p_mw : float or ndarray
        Active-power change (MW).
    delta_q_mvar : float or ndarray
        Reactive-power change (Mvar), same sign convention (load increase > 0).
    sc_mva : float
        Three-phase short-circuit power at the POI (MVA).
    x_over_r : float
        X/R ratio of the source impedance at the POI (-).

    Returns
    -------
    float or ndarray
        ΔV/V (%).

    References
    ----------
    .. [1] IEC/TR 61000-3-7:2008, Annex (simplified voltage-change formula).
    .. [2] IEEE Std 1453-2022, clause on voltage-change estimation.
    """
    psi = np.arctan(x_over_r)
    return 100.0 * (delta_p_mw * np.cos(psi) + delta_q_mvar * np.sin(psi)) / sc_mva


def changes_per_minute(period_s: float) -> float:
    """Repetition rate of a rectangular fluctuation: two changes per period (1/min)."""
    return 2.0 * 60.0 / period_s


def pst1_voltage_change_percent(
    changes_per_min: FloatLike, curve: Sequence[Sequence[float]]
) -> FloatLike:
    """ΔV/V of rectangular changes that gives Pst = 1, by repetition rate (%).

    Log-log interpolation in the tabulated ``curve`` of ``(changes/min, ΔV/V %)``;
    held constant beyond its ends (conservative below 1 change/min). The
    curve falls to a minimum near 1,620 changes/min (8.8 Hz) and rises after it.

    References
    ----------
    .. [1] IEC 61000-4-15:2010, Table 5 (rectangular changes for Pst = 1).
    .. [2] IEEE Std 1453-2022 (adopts IEC 61000-4-15 and 61000-3-7).
    """
    rate = np.asarray([row[0] for row in curve], dtype=float)
    dv = np.asarray([row[1] for row in curve], dtype=float)
    r = np.clip(changes_per_min, rate[0], rate[-1])
    return np.exp(np.interp(np.log(r), np.log(rate), np.log(dv)))


def planning_limit_percent(
    changes_per_min: FloatLike, curve: Sequence[Sequence[float]], pst_planning_level: float
) -> FloatLike:
    """Largest repeated rectangular ΔV/V that keeps Pst at the planning level (%).

    For rectangular changes at a fixed rate Pst is proportional to ΔV, so the
    limit is the Pst = 1 curve times the planning level (0.8 at HV-EHV).

    References
    ----------
    .. [1] IEC/TR 61000-3-7:2008, Table 1 (planning levels) and clause 6.
    .. [2] IEEE Std 1453-2022.
    """
    return pst_planning_level * pst1_voltage_change_percent(changes_per_min, curve)


def swing_limit_mw(
    limit_percent: float, sc_mva: float, x_over_r: float, power_factor: float
) -> float:
    """Active-power swing that makes ``limit_percent`` ΔV/V at the POI (MW).

    Inverse of :func:`voltage_change_percent` with ``ΔQ = ΔP·tan φ``.
    """
    per_mw = float(
        voltage_change_percent(1.0, reactive_swing_mvar(1.0, power_factor), sc_mva, x_over_r)
    )
    return limit_percent / per_mw
