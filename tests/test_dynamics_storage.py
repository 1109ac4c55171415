"""Filter-based battery / supercapacitor sizing and GPU-smoothing energy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.dynamics import storage


def _campus_1m() -> tuple[np.ndarray, float]:
    w = WorkloadSection()
    t = wl.sample_times_s(w.duration_s.value, w.sample_rate_hz.value)
    frac = wl.gpu_power_fraction(t, w)
    return wl.campus_power_mw(
        frac, 1000.0, w.compute_power_fraction.value, 900.0
    ), w.sample_rate_hz.value


def test_lowpass_step_response_at_one_time_constant() -> None:
    fs, tau = 100.0, 5.0
    p = np.r_[np.zeros(10), np.full(2000, 100.0)]
    y = storage.first_order_lowpass_mw(p, fs, tau)
    assert y[0] == 0.0
    assert y[10 + int(tau * fs) - 1] == pytest.approx(100.0 * (1 - math.exp(-1)), rel=0.01)
    assert np.array_equal(storage.first_order_lowpass_mw(p, fs, 0.0), p)


@pytest.mark.parametrize("target_mw", [50.0, 150.0, 400.0])
def test_battery_sized_holds_swing_under_target(target_mw: float) -> None:
    """Acceptance: the battery sized by the method holds the residual swing under the
    target on the waveform it was sized for."""
    p, fs = _campus_1m()
    tau = storage.size_time_constant_s(p, fs, 10.0, target_mw, None)
    grid = storage.first_order_lowpass_mw(p, fs, tau)
    bess = p - grid
    assert wl.windowed_swing_mw(grid, int(10.0 * fs)) <= target_mw
    assert np.allclose(grid + bess, p)
    # a filter 10 % faster would not hold it (the size is not wildly oversized)
    faster = storage.first_order_lowpass_mw(p, fs, tau * 0.9)
    assert wl.windowed_swing_mw(faster, int(10.0 * fs)) > target_mw
    assert storage.storage_energy_mwh(bess, fs) > 0.0


def test_battery_sized_holds_ramp_under_target() -> None:
    p, fs = _campus_1m()
    tau = storage.size_time_constant_s(p, fs, 10.0, None, 20.0)
    grid = storage.first_order_lowpass_mw(p, fs, tau)
    assert wl.max_ramp_mw_per_s(grid, fs) <= 20.0
    assert wl.max_ramp_mw_per_s(p, fs) > 1000.0


def test_no_storage_when_already_compliant() -> None:
    p = np.full(100, 50.0)
    assert storage.size_time_constant_s(p, 10.0, 10.0, 1.0, 1.0) == 0.0


def test_storage_energy_of_constant_discharge() -> None:
    # 10 MW for 360 s = 1 MWh
    assert storage.storage_energy_mwh(np.full(3600, 10.0), 10.0) == pytest.approx(1.0)
    # charge then discharge the same: 0.5 MWh window
    p = np.r_[np.full(1800, 10.0), np.full(1800, -10.0)]
    assert storage.storage_energy_mwh(p, 10.0) == pytest.approx(0.5)


def test_supercap_split_sums_to_total() -> None:
    p, fs = _campus_1m()
    bess = p - storage.first_order_lowpass_mw(p, fs, 30.0)
    fast, slow = storage.split_fast_slow_mw(bess, fs, 0.5)
    np.testing.assert_allclose(fast + slow, bess)
    assert np.abs(fast).max() > 0 and storage.storage_energy_mwh(
        fast, fs
    ) < storage.storage_energy_mwh(slow, fs)


def test_smoothing_energy_per_year() -> None:
    # 10 MW extra at full load for 8,760 h at constant load = 87,600 MWh
    assert storage.smoothing_energy_mwh_per_year(10.0, np.full(8760, 5.0)) == pytest.approx(
        87_600.0
    )
    assert storage.smoothing_energy_mwh_per_year(10.0, np.zeros(8760)) == 0.0
