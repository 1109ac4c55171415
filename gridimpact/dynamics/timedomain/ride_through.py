"""Voltage ride-through of the campus load: which share drops, and when, for a POI voltage dip.

A data-center campus is not one load with one setting: its UPS systems transfer to
battery (and then to on-site generation) when the supply voltage leaves a
voltage-time envelope, and server power supplies that see a deeper or longer dip
drop out. The curve here is a set of independent *tiers*, each a share of the
campus load with its own envelope: the share leaves the grid when the POI voltage
stays below ``voltage_pu`` for longer than ``max_duration_s``. A tier that
``returns`` comes back ``return_delay_s`` after it tripped (UPS re-transfer); one
that does not stays off for the rest of the study.

The mechanism is a pure function of a voltage trajectory; the default tiers live in
the data files.

References
----------
.. [1] Information Technology Industry Council (ITI), "ITI (CBEMA) Curve Application
   Note", 2000: the voltage-time envelope of single-phase 120 V IT equipment
   (no interruption in function for 0 V up to 20 ms, 70 % up to 0.5 s, 80 % up to
   10 s, 90 % steady state).
.. [2] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load
   Reductions", January 2025: about 1,500 MW of data-center load in Virginia
   transferred to backup power during a sequence of normally cleared 230 kV faults
   (UPS transfer on voltage dips) and did not return automatically.
.. [3] IEEE Std 1668-2017, "Recommended Practice for Voltage Sag and Short
   Interruption Ride-Through Testing for End-Use Electrical Equipment Rated Less
   than 1000 V".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class RideThroughTier:
    """One share of the campus load with its own voltage-time trip setting.

    Attributes
    ----------
    name : str
        What the share is (e.g. ``"UPS transfer"``, ``"PSU drop-out"``).
    voltage_pu : float
        Trip threshold: the share trips when the POI voltage stays *below* it ...
    max_duration_s : float
        ... for longer than this (s), in one continuous dip.
    load_share : float
        Share of the campus load (0-1) in this tier.
    returns : bool
        Whether the share comes back on the grid (UPS re-transfer) during the study.
    return_delay_s : float
        Time from the trip to the return (s), used only when ``returns``.
    """

    name: str
    voltage_pu: float
    max_duration_s: float
    load_share: float
    returns: bool = False
    return_delay_s: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 < self.voltage_pu <= 1.2:
            raise ValueError(f"ride-through tier {self.name!r}: voltage_pu must be in (0, 1.2]")
        if self.max_duration_s < 0.0:
            raise ValueError(f"ride-through tier {self.name!r}: max_duration_s must be >= 0")
        if not 0.0 <= self.load_share <= 1.0:
            raise ValueError(f"ride-through tier {self.name!r}: load_share must be in [0, 1]")
        if self.return_delay_s < 0.0:
            raise ValueError(f"ride-through tier {self.name!r}: return_delay_s must be >= 0")


@dataclass(frozen=True)
class RideThroughCurve:
    """The campus ride-through: independent tiers whose shares sum to at most 1."""

    tiers: tuple[RideThroughTier, ...]
    source: str = ""

    def __post_init__(self) -> None:
        total = sum(t.load_share for t in self.tiers)
        if total > 1.0 + 1e-9:
            raise ValueError(f"ride-through curve: tier load shares sum to {total:.3f} > 1")
        names = [t.name for t in self.tiers]
        if len(set(names)) != len(names):
            raise ValueError("ride-through curve: tier names must be unique")


def _dip_trip_time_s(
    time_s: npt.NDArray[np.float64], voltage_pu: npt.NDArray[np.float64], threshold_pu: float,
    max_duration_s: float,
) -> float | None:
    """First time a continuous stretch below ``threshold_pu`` has lasted ``max_duration_s``.

    Crossings are located by linear interpolation between samples.
    """
    below = voltage_pu < threshold_pu
    if not below.any():
        return None
    # starts and ends of runs of `below`
    edges = np.diff(below.astype(np.int8))
    starts = [int(i) + 1 for i in np.flatnonzero(edges == 1)]
    ends = [int(i) + 1 for i in np.flatnonzero(edges == -1)]
    if below[0]:
        starts.insert(0, 0)
    if below[-1]:
        ends.append(len(below))

    def crossing(i0: int, i1: int) -> float:
        v0, v1 = voltage_pu[i0], voltage_pu[i1]
        if v1 == v0:
            return float(time_s[i1])
        frac = (threshold_pu - v0) / (v1 - v0)
        return float(time_s[i0] + frac * (time_s[i1] - time_s[i0]))

    for i_start, i_end in zip(starts, ends, strict=True):
        t_in = float(time_s[0]) if i_start == 0 else crossing(i_start - 1, i_start)
        t_out = float(time_s[-1]) if i_end == len(below) else crossing(i_end - 1, i_end)
        if t_out - t_in > max_duration_s:
            return t_in + max_duration_s
    return None


def load_tripped(
    time_s: npt.ArrayLike,
    voltage_pu: npt.ArrayLike,
    curve: RideThroughCurve,
    campus_p_mw: float,
) -> tuple[float, tuple[float | None, ...]]:
    """Campus load that leaves the grid for a POI voltage trajectory, and when each tier trips.

    Each tier trips at the first instant its voltage has stayed continuously below its
    threshold for ``max_duration_s``; the tripped MW is the sum of the shares of the
    tiers that trip (returning tiers included: the MW is the load that left the grid).

    Parameters
    ----------
    time_s : array_like
        Sample times (s), increasing.
    voltage_pu : array_like
        POI voltage magnitude at those times (pu).
    curve : RideThroughCurve
        The campus ride-through tiers.
    campus_p_mw : float
        Campus load before the disturbance (MW).

    Returns
    -------
    tripped_mw : float
        Campus load that trips (MW).
    trip_times_s : tuple of float or None
        Per tier (in ``curve.tiers`` order): trip time (s), or ``None`` when it rides through.

    References
    ----------
    .. [1] ITI (CBEMA) Curve Application Note, 2000.
    .. [2] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load
       Reductions", January 2025.
    """
    t = np.asarray(time_s, dtype=float)
    v = np.asarray(voltage_pu, dtype=float)
    if t.shape != v.shape or t.ndim != 1:
        raise ValueError("time_s and voltage_pu must be 1-D arrays of the same length")
    if t.size and not np.all(np.isfinite(v)):
        raise ValueError("voltage_pu holds NaN or inf")
    trip_times = tuple(
        _dip_trip_time_s(t, v, tier.voltage_pu, tier.max_duration_s) if t.size else None
        for tier in curve.tiers
    )
    share = sum(tier.load_share for tier, tt in zip(curve.tiers, trip_times, strict=True)
                if tt is not None)
    tripped_mw = float(campus_p_mw * share)
    return (0.0 if math.isclose(tripped_mw, 0.0) else tripped_mw), trip_times
