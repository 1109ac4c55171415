"""Typed, frozen results of the time-domain studies and the small-signal modes (issue 12).

Every number is finite: an event whose simulation fails is ``None`` in
:class:`TimeDomainResult` with a note saying why, never NaN. The ``headline``
property is a flat view with the issue's keys (units in every name).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class LoadLossDynamics:
    """Sudden loss of the whole campus.

    ``frequency``: the centre-of-inertia frequency of the synchronous machines
    (inertia-weighted mean rotor speed), the system frequency the governors and the
    frequency-response obligations act on; deviations are from its value at the event.
    RoCoF: the largest frequency change over a sliding ``rocof_window_s`` window after
    the event (signed, Hz/s).
    """

    campus_p_mw: float
    t_event_s: float
    freq_peak_deviation_hz: float
    time_of_peak_s: float
    rocof_hz_per_s: float
    rocof_window_s: float
    poi_voltage_before_pu: float
    poi_overvoltage_pu: float
    settling_freq_deviation_hz: float
    settling_window_s: float
    traces: pd.DataFrame = field(repr=False, compare=False)


@dataclass(frozen=True)
class FaultRideThrough:
    """Three-phase fault near the POI and the campus load that rides through it or not.

    Pass 1 (no campus trip) gives the POI voltage the ride-through curve judges; pass 2
    repeats the fault with the tripped shares removed at their trip times and gives the
    frequency excursion that follows. ``tiers_tripped``: names of the tiers that trip.
    ``pass2_extra_tiers``: tiers the pass-2 voltage would trip in addition (the two-pass
    method ignores this feedback; non-empty means the MW tripped is a lower bound).
    """

    fault_bus_idx: str | int
    t_fault_s: float
    clearing_time_s: float
    fault_resistance_pu: float
    fault_reactance_pu: float
    poi_min_voltage_pu: float
    load_tripped_mw: float
    tiers_tripped: tuple[str, ...]
    trip_times_s: tuple[float, ...]
    freq_peak_deviation_hz: float
    rocof_hz_per_s: float
    poi_voltage_after_pu: float
    pass2_extra_tiers: tuple[str, ...]
    traces: pd.DataFrame = field(repr=False, compare=False)
    """Pass 2 (with the trips): time_s, frequency_hz, poi_voltage_pu, ..."""
    traces_no_trip: pd.DataFrame = field(repr=False, compare=False)
    """Pass 1 (the campus rides through)."""


@dataclass(frozen=True)
class ForcedOscillation:
    """The campus load modulated sinusoidally; amplitudes of the steady forced response.

    Amplitudes are of the component at the forcing frequency (least-squares fit over the
    last whole cycles of the run), half peak-to-peak.
    """

    frequency_hz: float
    amplitude_mw: float
    duration_s: float
    poi_voltage_amplitude_pu: float
    freq_amplitude_hz: float
    machine_idx: str | int
    """The largest machine (by rating): its electrical power amplitude below."""
    machine_pe_amplitude_mw: float
    max_pe_machine_idx: str | int
    max_machine_pe_amplitude_mw: float
    reference_frequency_hz: float | None
    """A forcing frequency far from the modes, run for comparison (``None``: not run)."""
    amplification: float | None
    """Largest machine-power amplitude at ``frequency_hz`` over that at the reference."""
    traces: pd.DataFrame = field(repr=False, compare=False)


@dataclass(frozen=True)
class SwingModeSeparation:
    """Separation between the training swing's frequencies and the nearest poorly damped mode.

    ``poorly_damped`` False means no electromechanical mode is below the damping
    threshold and the separation is to the least damped electromechanical mode.
    """

    separation_hz: float
    mode_frequency_hz: float
    mode_damping_ratio: float
    swing_frequency_hz: float
    damping_threshold: float
    poorly_damped: bool


def _finite(value: float | None) -> float | None:
    """``None`` for ``None``/NaN/inf, else the float."""
    if value is None:
        return None
    x = float(value)
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class TimeDomainResult:
    """All time-domain studies of one dynamic model.

    ``performed`` False: no study ran (``reason`` says why, e.g. no dynamic data).
    ``notes``: per-study findings (a simulation that diverged, an engine error).
    ``modes``: the electromechanical modes (:func:`~.modes.electromechanical_modes`).
    """

    engine: str
    performed: bool
    reason: str = ""
    description: str = ""
    load_loss: LoadLossDynamics | None = None
    fault: FaultRideThrough | None = None
    modes: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    mode_separation: SwingModeSeparation | None = None
    forced_oscillation: ForcedOscillation | None = None
    notes: tuple[str, ...] = ()

    @property
    def headline(self) -> dict[str, Any]:
        """Flat dict of the issue's keys (``None`` where a study did not run)."""
        ll, fa, ms, fo = self.load_loss, self.fault, self.mode_separation, self.forced_oscillation
        modes: list[dict[str, float]] = []
        if self.modes is not None and len(self.modes):
            modes = [
                {"frequency_hz": float(f), "damping_ratio": float(z)}
                for f, z in zip(self.modes["frequency_hz"], self.modes["damping_ratio"],
                                strict=True)
                if math.isfinite(f) and math.isfinite(z)
            ]
        out: dict[str, Any] = {
            "dynamics_engine": self.engine,
            "dynamics_performed": self.performed,
            "load_loss_freq_peak_deviation_hz": _finite(ll.freq_peak_deviation_hz) if ll else None,
            "load_loss_rocof_hz_per_s": _finite(ll.rocof_hz_per_s) if ll else None,
            "load_loss_rocof_window_s": _finite(ll.rocof_window_s) if ll else None,
            "load_loss_poi_overvoltage_pu": _finite(ll.poi_overvoltage_pu) if ll else None,
            "load_loss_settling_freq_deviation_hz":
                _finite(ll.settling_freq_deviation_hz) if ll else None,
            "fault_ride_through_load_tripped_mw": _finite(fa.load_tripped_mw) if fa else None,
            "fault_clearing_time_s": _finite(fa.clearing_time_s) if fa else None,
            "fault_poi_min_voltage_pu": _finite(fa.poi_min_voltage_pu) if fa else None,
            "fault_freq_peak_deviation_hz": _finite(fa.freq_peak_deviation_hz) if fa else None,
            "electromechanical_modes": modes,
            "swing_mode_min_frequency_separation_hz": _finite(ms.separation_hz) if ms else None,
            "swing_mode_nearest_frequency_hz": _finite(ms.mode_frequency_hz) if ms else None,
            "swing_mode_nearest_damping_ratio": _finite(ms.mode_damping_ratio) if ms else None,
            "forced_oscillation_frequency_hz": _finite(fo.frequency_hz) if fo else None,
            "forced_oscillation_amplitude_mw": _finite(fo.amplitude_mw) if fo else None,
            "forced_oscillation_poi_voltage_amplitude_pu":
                _finite(fo.poi_voltage_amplitude_pu) if fo else None,
            "forced_oscillation_freq_amplitude_hz": _finite(fo.freq_amplitude_hz) if fo else None,
            "forced_oscillation_machine_pe_amplitude_mw":
                _finite(fo.max_machine_pe_amplitude_mw) if fo else None,
            "forced_oscillation_amplification":
                _finite(fo.amplification) if fo and fo.amplification is not None else None,
        }
        return out
