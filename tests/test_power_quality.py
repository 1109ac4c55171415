"""Voltage fluctuation, flicker planning levels and frequency deviation at the POI."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gridimpact.dynamics import power_quality as pq
from gridimpact.dynamics.load_loss import frequency_deviation_hz
from gridimpact.dynamics.stage import load_dynamics_reference


def test_voltage_change_known_sk_and_x_over_r() -> None:
    """ΔV/V = (ΔP cos ψ + ΔQ sin ψ)/S″k, hand-checked.

    S″k = 8,000 MVA, X/R = 10 → cos ψ = 1/√101 = 0.099504, sin ψ = 10/√101 = 0.995037;
    ΔP = 100 MW, ΔQ = 20 Mvar → (9.9504 + 19.9007)/8000 = 0.373139 %.
    """
    dv = pq.voltage_change_percent(100.0, 20.0, 8000.0, 10.0)
    assert dv == pytest.approx(0.373139, rel=1e-5)
    # purely resistive-looking source (X/R → 0): ΔV/V = ΔP/S″k
    assert pq.voltage_change_percent(80.0, 0.0, 8000.0, 1e-12) == pytest.approx(1.0)
    # vectorised over ΔP
    dp, dq = np.array([0.0, 100.0]), np.array([0.0, 20.0])
    out = np.asarray(pq.voltage_change_percent(dp, dq, 8000.0, 10.0))
    assert out.shape == (2,) and out[1] == pytest.approx(dv)


def test_reactive_swing_at_power_factor() -> None:
    # pf 0.98 → tan φ = 0.20306
    assert pq.reactive_swing_mvar(100.0, 0.98) == pytest.approx(20.306, rel=1e-4)
    assert pq.reactive_swing_mvar(100.0, 1.0) == pytest.approx(0.0, abs=1e-12)


def test_frequency_deviation_known_beta() -> None:
    """Δf = ΔP/β: 1,500 MW (Virginia, 10 July 2024) with β = 1,015 MW/0.1 Hz → 0.1478 Hz."""
    assert frequency_deviation_hz(1500.0, 1015.0) == pytest.approx(1500.0 / 10150.0)
    assert frequency_deviation_hz(1015.0, 1015.0) == pytest.approx(0.1)


def test_planning_limit_on_curve_points_and_clamped() -> None:
    curve = load_dynamics_reference().reference.pst1_curve.value
    rate, dv = curve[3]
    # IEC 61000-4-15:2010 Table 5, 120 V / 60 Hz: 1.040 % at 39 changes/min → 0.832 % at Pst 0.8
    assert (rate, dv) == (39.0, 1.040)
    assert pq.planning_limit_percent(39.0, curve, 0.8) == pytest.approx(0.832)
    assert pq.planning_limit_percent(rate, curve, 0.8) == pytest.approx(0.8 * dv)
    # below the first tabulated rate the 1-change/min value is held (conservative)
    assert pq.planning_limit_percent(0.01, curve, 1.0) == pytest.approx(curve[0][1])
    assert pq.planning_limit_percent(1e5, curve, 1.0) == pytest.approx(curve[-1][1])
    # curve decreases with rate over 1-1620 changes/min
    rates = np.geomspace(1.0, 1620.0, 50)
    assert np.all(np.diff(pq.pst1_voltage_change_percent(rates, curve)) < 0)


def test_changes_per_minute_and_inverse_swing_limit() -> None:
    assert pq.changes_per_minute(2.0) == pytest.approx(60.0)
    mw = pq.swing_limit_mw(0.5, 8000.0, 10.0, 0.98)
    dq = pq.reactive_swing_mvar(mw, 0.98)
    assert pq.voltage_change_percent(mw, dq, 8000.0, 10.0) == pytest.approx(0.5)
    assert math.isfinite(mw) and mw > 0
