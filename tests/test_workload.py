"""Training-power waveform, its metrics and spectrum; the [workload] case table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gridimpact.case.workload import WorkloadSection, parse_workload
from gridimpact.compute import workload as wl
from gridimpact.errors import CaseError
from gridimpact.schema import iter_sourced


def _src(value: float) -> dict[str, object]:
    """A sourced test value in the field's own unit (an empty unit means the expected one)."""
    return {"value": value, "unit": "", "source": "test value", "confidence": "estimate"}


def test_defaults_validate_and_are_sourced() -> None:
    w = WorkloadSection()
    items = dict(iter_sourced(w))
    assert "iteration_period_s" in items and "sample_rate_hz" in items
    assert all(len(s.source) > 10 for s in items.values())
    assert w.sample_rate_hz.value >= 10.0
    assert w.gpu_power_floor_fraction is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"compute_duty_cycle": _src(1.5)}, "workload.compute_duty_cycle"),
        ({"iteration_period_s": _src(-2.0)}, "workload.iteration_period_s"),
        ({"gpu_power_floor_fraction": _src(0.99)}, "workload.gpu_power_floor_fraction"),
        ({"communication_power_fraction": _src(0.99)}, "workload.communication_power_fraction"),
        ({"ramp_up_s": _src(1.5)}, "workload.ramp_up_s"),
        ({"ramp_down_s": _src(0.7)}, "workload.ramp_down_s"),
        ({"job_stop_s": _src(10.0)}, "workload.job_stop_s"),
        ({"job_stop_s": _src(700.0)}, "workload.job_stop_s"),
        ({"sample_rate_hz": _src(5.0)}, "workload.sample_rate_hz"),
        ({"checkpoint_pause_s": _src(400.0)}, "workload.checkpoint_pause_s"),
        ({"duration_s": _src(3.0)}, "workload.duration_s"),
        ({"bogus": 1}, "workload.bogus"),
    ],
)
def test_bad_waveform_parameter_names_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(CaseError) as info:
        parse_workload(data, "case.toml")
    assert info.value.field == field
    assert "\n" not in info.value.one_line()
    assert "unit" not in info.value.one_line()  # the range check, not the unit check, fails


def test_iteration_wave_levels_and_ramp() -> None:
    t = np.arange(0.0, 4.0, 0.01)
    f = wl.iteration_fraction(t, 2.0, 0.7, 0.95, 0.35, 0.2, 0.2)
    assert f[np.searchsorted(t, 0.5)] == pytest.approx(0.95)  # compute phase
    assert f[np.searchsorted(t, 1.8)] == pytest.approx(0.35)  # communication phase
    assert f[np.searchsorted(t, 0.1)] == pytest.approx(0.65)  # half way up the ramp
    # ramp 0.6 of TDP in 0.2 s = 3 TDP/s
    assert wl.max_ramp_mw_per_s(f, 100.0) == pytest.approx(3.0, rel=1e-6)


def test_campus_waveform_levels_job_and_checkpoint() -> None:
    w = WorkloadSection()
    t = wl.sample_times_s(w.duration_s.value, w.sample_rate_hz.value)
    frac = wl.gpu_power_fraction(t, w)
    p = wl.campus_power_mw(frac, 950.0, w.compute_power_fraction.value, 900.0)
    at = {s: p[int(s * w.sample_rate_hz.value)] for s in (5.0, 31.0, 310.0, 595.0)}
    idle_mw = 900.0 + w.idle_power_fraction.value * 1000.0
    assert at[5.0] == pytest.approx(idle_mw)  # before the job
    assert at[595.0] == pytest.approx(idle_mw)  # after it stops
    assert at[31.0] == pytest.approx(900.0 + 950.0)  # compute phase = GPU peak
    assert at[310.0] == pytest.approx(900.0 + w.checkpoint_power_fraction.value * 1000.0)
    assert p.max() == pytest.approx(1850.0)
    assert wl.peak_to_peak_mw(p) == pytest.approx(950.0 - w.idle_power_fraction.value * 1000.0)


def test_power_floor_raises_only_low_phases() -> None:
    w = WorkloadSection()
    t = wl.sample_times_s(w.duration_s.value, w.sample_rate_hz.value)
    frac = wl.gpu_power_fraction(t, w)
    act = wl.job_activity(t, w.job_start_s.value, w.job_stop_s.value, w.job_ramp_s.value)
    smooth = wl.smoothed_power_fraction(frac, act, 0.8, w.idle_power_fraction.value)
    assert np.all(smooth >= frac)
    assert smooth.max() == pytest.approx(frac.max())
    steady = act >= 1.0
    assert smooth[steady].min() == pytest.approx(0.8)
    assert wl.gpu_power_w(np.array([1.0]), 700.0)[0] == 700.0


def test_spectrum_of_square_wave() -> None:
    """Square wave, period 2 s, 0/100 MW, 20 samples per period, 50 periods.

    Reference (hand): sampled square wave with N = 20 samples per period and 10 high,
    fundamental amplitude = (2A/N)/sin(π/N) = 63.92 MW (continuous: 2A/π = 63.66);
    no even harmonics; DC = 50 MW.
    """
    fs, n_per = 10.0, 20
    p = np.tile(np.r_[np.full(10, 100.0), np.zeros(10)], 50)
    f, a = wl.amplitude_spectrum_mw(p, fs)
    k1 = int(np.argmin(np.abs(f - 0.5)))
    assert f[k1] == pytest.approx(0.5)
    assert a[0] == pytest.approx(50.0)
    assert a[k1] == pytest.approx(2 * 100.0 / n_per / math.sin(math.pi / n_per), rel=1e-9)
    assert a[k1] == pytest.approx(2 * 100.0 / math.pi, rel=0.01)
    assert a[2 * k1] == pytest.approx(0.0, abs=1e-9)
    assert a[3 * k1] == pytest.approx(2 * 100.0 / n_per / math.sin(3 * math.pi / n_per))
    assert int(np.argmax(a[1:])) + 1 == k1


def test_band_energy_fraction_of_sines() -> None:
    fs = 20.0
    t = np.arange(0, 100, 1 / fs)
    f, a = wl.amplitude_spectrum_mw(np.sin(2 * np.pi * 0.5 * t), fs)
    assert wl.band_energy_fraction(f, a, 0.1, 2.0) == pytest.approx(1.0)
    f, a = wl.amplitude_spectrum_mw(np.sin(2 * np.pi * 3.0 * t), fs)
    assert wl.band_energy_fraction(f, a, 0.1, 2.0) == pytest.approx(0.0, abs=1e-12)
    assert wl.band_energy_fraction(f, np.zeros_like(a), 0.1, 2.0) == 0.0


def test_windowed_swing_sees_fast_changes_only() -> None:
    fs = 10.0
    slow = np.linspace(0.0, 100.0, 1000)  # 100 MW over 100 s: 10 MW per 10 s
    assert wl.windowed_swing_mw(slow, int(10 * fs)) == pytest.approx(10.0, rel=0.02)
    step = np.r_[np.zeros(100), np.full(100, 50.0)]
    assert wl.windowed_swing_mw(step, int(10 * fs)) == pytest.approx(50.0)


def test_campus_gpu_peak_from_the_gpu_catalog() -> None:
    """100,000 H100 (700 W TDP, NVIDIA datasheet) at 95 % of TDP → 66.5 MW."""
    from gridimpact.data.gpus import load_gpu_catalog

    tdp = load_gpu_catalog().systems["H100"].gpu_tdp_w.value
    assert wl.campus_gpu_peak_mw(100_000, tdp, 0.95) == pytest.approx(66.5)
