"""The POI as the dynamics stage sees it: Thévenin equivalent, voltage, flicker severity.

References
----------
.. [1] IEC/TR 61000-3-7:2008, 6.2 (minimum short-circuit power of normal operation).
.. [2] IEC 61000-4-15:2010 (flickermeter; Plt over 12 Pst intervals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gridimpact.dynamics import flicker
from gridimpact.dynamics import power_quality as pq
from gridimpact.dynamics.waveform import poi_relative_voltage, thevenin_voltage_pu

STEADY_WINDOWS_PER_PLT = 11
"""Plt covers 12 Pst intervals (2 h): the case's window and 11 of steady training."""
ENVELOPE_RATE_HZ = 200.0
"""Rate the POI voltage envelope is interpolated to for the flickermeter's fast path."""
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PoiSupply:
    """The interconnection as the dynamics stage sees it (Thévenin equivalent + flows)."""

    sc_mva: float
    """IEC 60909 minimum-case short-circuit power (MVA)."""
    x_over_r: float
    vn_kv: float
    vm_pu_with_campus: float
    """NaN when the power flow with the campus has no solution."""
    vm_pu_without_campus: float
    supply_capacity_mva: float
    """Default ``S_t`` of the flicker allocation (the case may state its own)."""


@dataclass(frozen=True)
class PoiFlickermeter:
    """Pst/Plt of campus power waveforms at the POI (Thévenin voltage + flickermeter)."""

    sc_mva: float
    x_over_r: float
    power_factor: float
    sample_rate_hz: float
    lamp_voltage_v: int

    @property
    def grid_hz(self) -> float:
        """Supply frequency of the lamp model (60 Hz with the 120 V lamp, else 50 Hz)."""
        return 60.0 if self.lamp_voltage_v == 120 else 50.0

    def voltage(self, p_mw: FloatArray) -> FloatArray:
        """POI voltage over its mean, sample by sample (NaN: no solution) (-)."""
        return poi_relative_voltage(p_mw, self.power_factor, self.sc_mva, self.x_over_r)

    def solvable(self, p_mw: FloatArray) -> bool:
        """Whether the POI voltage has a solution at every sample."""
        return bool(np.all(np.isfinite(self.voltage(p_mw))))

    def pst(self, p_mw: FloatArray, fast: bool = False) -> float:
        """Pst of one 10-min window (``fast``: from the RMS envelope, no carrier)."""
        u = self.voltage(p_mw)
        if fast:
            n = round(u.size * ENVELOPE_RATE_HZ / self.sample_rate_hz)
            t_s = np.arange(n) / ENVELOPE_RATE_HZ
            u_fine = np.interp(t_s, np.arange(u.size) / self.sample_rate_hz, u)
            return flicker.pst_from_relative_rms(
                u_fine, ENVELOPE_RATE_HZ, self.grid_hz, self.lamp_voltage_v
            )
        v, rate_hz = flicker.voltage_samples(u, self.sample_rate_hz, self.grid_hz)
        return flicker.pst(v, rate_hz, self.grid_hz, self.lamp_voltage_v)

    def severity(
        self, window_mw: FloatArray, steady_mw: FloatArray, fast: bool = False
    ) -> tuple[float, float, float]:
        """(Pst of the window, Pst of steady training, Plt over 2 h).

        NaN when the POI voltage has no solution at some sample (the campus exceeds
        the largest power the Thévenin equivalent can transfer): flicker is undefined.
        """
        if not (self.solvable(window_mw) and self.solvable(steady_mw)):
            return math.nan, math.nan, math.nan
        pst_window, pst_steady = self.pst(window_mw, fast), self.pst(steady_mw, fast)
        return (
            pst_window,
            pst_steady,
            flicker.plt([pst_window] + [pst_steady] * STEADY_WINDOWS_PER_PLT),
        )


def dv_percent(delta_p_mw: float, meter: PoiFlickermeter, base_mw: float) -> float:
    """Voltage change at the POI when the campus drops by ``delta_p_mw`` from ``base_mw`` (%).

    Exact on the Thévenin equivalent (near a weak grid's voltage limit a change is
    larger than the small-change formula ``(ΔP cos ψ + ΔQ sin ψ)/S″k`` says).
    """
    p = np.array([base_mw, max(base_mw - delta_p_mw, 0.0)])
    v = thevenin_voltage_pu(
        p, np.asarray(pq.reactive_swing_mvar(p, meter.power_factor)), meter.sc_mva, meter.x_over_r
    )
    return float(100.0 * (v[1] - v[0]) / v[0])
