"""Storage sizing by filtering: the grid sees a low-passed campus waveform.

The battery (and optionally a supercapacitor) supplies the difference between the
campus power and a first-order low-pass of it. The filter's time constant is the
smallest that holds the grid-side waveform within the target swing and/or ramp on
the waveform itself; the storage power and energy follow from the difference.

References
----------
.. [1] E. Choukse et al., "Power Stabilization for AI Training Datacenters",
   arXiv:2508.14318, 2025 (rack / facility storage to smooth training swings).
.. [2] J. Marcos et al., "Storage requirements for PV power ramp-rate control",
   Solar Energy 99 (2014) 28-35 (filter-based storage sizing).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter, lfilter_zi

from gridimpact.compute.workload import max_ramp_mw_per_s, windowed_swing_mw

FloatArray = npt.NDArray[np.float64]

_TAU_MIN_S = 1e-3
_TAU_MAX_S = 1e7


def first_order_lowpass_mw(
    p_mw: FloatArray, sample_rate_hz: float, time_constant_s: float
) -> FloatArray:
    """First-order low-pass of a power waveform, started in steady state (MW).

    Discrete form ``y[n] = y[n-1] + α (x[n] − y[n-1])``, ``α = 1 − exp(−Δt/τ)``;
    ``τ = 0`` returns the input.

    References
    ----------
    .. [1] scipy.signal.lfilter; Oppenheim & Schafer, *Discrete-Time Signal
       Processing*, 3rd ed., 2010, §7.1 (impulse invariance).
    """
    if time_constant_s <= 0.0:
        return p_mw.astype(float, copy=True)
    alpha = 1.0 - math.exp(-1.0 / (sample_rate_hz * time_constant_s))
    b, a = np.array([alpha]), np.array([1.0, alpha - 1.0])
    y, _ = lfilter(b, a, p_mw, zi=lfilter_zi(b, a) * p_mw[0])
    return np.asarray(y, dtype=float)


def meets_target(
    grid_mw: FloatArray,
    sample_rate_hz: float,
    window_s: float,
    max_swing_mw: float | None,
    max_ramp_mw_per_s_: float | None,
) -> bool:
    """Whether a grid-side waveform is within the swing and ramp targets."""
    if max_swing_mw is not None:
        window = round(window_s * sample_rate_hz)
        if windowed_swing_mw(grid_mw, window) > max_swing_mw:
            return False
    if max_ramp_mw_per_s_ is not None:
        if max_ramp_mw_per_s(grid_mw, sample_rate_hz) > max_ramp_mw_per_s_:
            return False
    return True


def size_time_constant_s(
    p_mw: FloatArray,
    sample_rate_hz: float,
    window_s: float,
    max_swing_mw: float | None,
    max_ramp_mw_per_s_: float | None,
    rel_tol: float = 1e-3,
) -> float:
    """Smallest low-pass time constant whose output meets the swing/ramp targets (s).

    See :func:`smallest_time_constant_s`; the returned τ always meets the target on
    ``p_mw``.
    """

    def ok(tau_s: float) -> bool:
        grid = first_order_lowpass_mw(p_mw, sample_rate_hz, tau_s)
        return meets_target(grid, sample_rate_hz, window_s, max_swing_mw, max_ramp_mw_per_s_)

    return smallest_time_constant_s(ok, rel_tol)


def smallest_time_constant_s(ok: Callable[[float], bool], rel_tol: float = 1e-3) -> float:
    """Smallest filter time constant ``τ`` for which ``ok(τ)`` holds (s).

    Bisection on ``log τ`` for a criterion that, once met, stays met as ``τ`` grows
    (a slower filter passes less fluctuation); returns 0 when ``ok(0)`` (no storage
    needed) and the upper search bound (10⁷ s) if no filter complies. The returned
    ``τ`` always satisfies ``ok`` (the bisection keeps the compliant end).
    """
    if ok(0.0):
        return 0.0
    lo, hi = math.log(_TAU_MIN_S), math.log(_TAU_MAX_S)
    if not ok(math.exp(hi)):
        return _TAU_MAX_S
    while hi - lo > rel_tol:
        mid = 0.5 * (lo + hi)
        if ok(math.exp(mid)):
            hi = mid
        else:
            lo = mid
    return math.exp(hi)


def storage_energy_mwh(storage_mw: FloatArray, sample_rate_hz: float) -> float:
    """Energy swing the storage must hold for a discharge waveform (MWh).

    Range of the cumulative discharged energy ``∫ P dt`` (starting from zero):
    the smallest usable energy that can follow the waveform without running
    empty or full, losses ignored.
    """
    cumulative = np.concatenate(([0.0], np.cumsum(storage_mw))) / sample_rate_hz / 3600.0
    return float(np.ptp(cumulative))


def split_fast_slow_mw(
    storage_mw: FloatArray, sample_rate_hz: float, crossover_hz: float
) -> tuple[FloatArray, FloatArray]:
    """Split storage power into a fast part (supercapacitor) and a slow part (battery).

    The slow part is a first-order low-pass at ``crossover_hz``
    (``τ = 1/(2π f_c)``); the fast part is the rest.
    """
    slow = first_order_lowpass_mw(storage_mw, sample_rate_hz, 1.0 / (2.0 * math.pi * crossover_hz))
    return storage_mw - slow, slow


def training_hours_per_year(hourly_load_mw: FloatArray) -> float:
    """Full-load training hours in the year (h/yr).

    Each hour is weighted by its load relative to the year's peak: the hourly load
    is the proxy for the share of GPUs training (0 when the year has no load).
    """
    peak = float(np.max(hourly_load_mw)) if hourly_load_mw.size else 0.0
    if peak <= 0.0:
        return 0.0
    return float(np.sum(np.clip(hourly_load_mw, 0.0, None) / peak))


def smoothing_energy_mwh_per_year(extra_mw: float, hourly_load_mw: FloatArray) -> float:
    """Energy burned by a GPU power floor over a year (MWh/yr).

    The floor adds ``extra_mw`` on average while training at full load, for
    :func:`training_hours_per_year`.
    """
    return extra_mw * training_hours_per_year(hourly_load_mw)
