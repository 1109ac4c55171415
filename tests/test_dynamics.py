"""The dynamics stage end to end, on the two headline cases' orders of magnitude."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.sourced import Sourced
from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.dynamics.stage import DynamicsResult, run_dynamics

REQUIRED = {
    "swing_peak_to_peak_mw",
    "max_ramp_mw_per_s",
    "poi_voltage_fluctuation_percent",
    "load_loss_freq_deviation_hz",
    "load_loss_poi_vm_pu",
    "bess_power_mw_required",
    "bess_energy_mwh_required",
    "grid_import_peak_mw",
}
INDEX = pd.date_range("2025-01-01", periods=8760, freq="h")


def _hourly(peak_mw: float) -> pd.Series:
    shape = 0.85 + 0.15 * np.sin(np.arange(8760) / 8760 * 2 * np.pi) ** 2
    return pd.Series(peak_mw * shape, index=INDEX)


def _run(
    gpu_mw: float,
    facility_mw: float,
    workload: WorkloadSection | None = None,
    onsite: OnsiteSection | None = None,
    grid_import: pd.Series | None = None,
) -> DynamicsResult:
    return run_dynamics(
        workload or WorkloadSection(),
        onsite or OnsiteSection(),
        gpu_power_peak_mw=gpu_mw,
        static_power_mw=facility_mw - gpu_mw,
        facility_hourly_mw=_hourly(facility_mw),
        poi_sc_mva=8000.0,
        poi_x_over_r=10.0,
        poi_vn_kv=161.0,
        poi_vm_pu_with_campus=0.985,
        poi_vm_pu_without_campus=1.012,
        grid_import_hourly_mw=grid_import,
    )


def _src(value: float, unit: str = "") -> Sourced[float]:
    return Sourced[float](value=value, unit=unit, source="test value", confidence="estimate")


@pytest.fixture(scope="module")
def r100k() -> DynamicsResult:
    return _run(70.0, 140.0)


@pytest.fixture(scope="module")
def r1m() -> DynamicsResult:
    return _run(1000.0, 1900.0)


def test_result_contract(r1m: DynamicsResult) -> None:
    assert REQUIRED <= set(r1m.headline)
    assert all(isinstance(v, float) and math.isfinite(v) for v in r1m.headline.values())
    assert r1m.waveform.index.name == "time_s"
    assert {
        "campus_power_mw",
        "campus_power_smoothed_mw",
        "grid_power_with_bess_mw",
        "bess_power_mw",
    } <= set(r1m.waveform.columns)
    assert not r1m.waveform.isna().any().any()
    assert list(r1m.spectrum.columns) == ["frequency_hz", "amplitude_mw", "in_oscillation_band"]
    assert not any(k.startswith("turbine") for k in r1m.headline)  # the on-site stage's
    assert r1m.findings and all(isinstance(f, str) for f in r1m.findings)
    names = [n for n, _ in r1m.parameters]
    assert "workload.iteration_period_s" in names and "onsite.swing_window_s" in names
    assert "dynamics.reference.pst1_curve" in names
    assert all(isinstance(s, Sourced) for _, s in r1m.parameters)


def test_100k_swing_within_planning_level(r100k: DynamicsResult) -> None:
    h = r100k.headline
    # 70 MW at 0.95 TDP → 73.7 MW per TDP; swing (0.95 − 0.35) x 73.7 = 44.2 MW
    assert h["iteration_swing_mw"] == pytest.approx(0.60 * 70.0 / 0.95)
    assert h["dominant_frequency_hz"] == pytest.approx(0.5)
    assert h["poi_voltage_fluctuation_percent"] < h["flicker_planning_limit_percent"]
    assert h["bess_power_mw_required"] == 0.0
    assert h["load_loss_freq_deviation_hz"] == pytest.approx(h["load_loss_mw"] / 10150.0)


def test_1m_needs_storage_and_storage_holds_target(r1m: DynamicsResult) -> None:
    h = r1m.headline
    assert h["poi_voltage_fluctuation_percent"] > h["flicker_planning_limit_percent"]
    assert h["band_energy_fraction"] > 0.5
    assert h["bess_power_mw_required"] > 100.0 and h["bess_energy_mwh_required"] > 0.0
    fs = WorkloadSection().sample_rate_hz.value
    grid = r1m.waveform["grid_power_with_bess_mw"].to_numpy()
    assert wl.windowed_swing_mw(grid, int(10 * fs)) <= h["planning_limit_swing_mw"]
    np.testing.assert_allclose(
        r1m.waveform["grid_power_with_bess_mw"] + r1m.waveform["bess_power_mw"],
        r1m.waveform["campus_power_smoothed_mw"],
    )
    assert "dynamics.bess_target_swing_mw" in [n for n, _ in r1m.parameters]
    # 1,900 MW lost with β = 1,015 MW/0.1 Hz → 0.187 Hz
    assert h["load_loss_freq_deviation_hz"] == pytest.approx(1900.0 / 10150.0, rel=1e-6)


def test_load_loss_is_the_grid_import_not_the_campus() -> None:
    """Turbine output is not lost with the load: Δf = max grid import / (10 β)."""
    grid = _hourly(140.0) - 40.0
    r = _run(70.0, 140.0, grid_import=grid)
    assert r.headline["load_loss_mw"] == pytest.approx(float(grid.max()))
    assert r.headline["load_loss_freq_deviation_hz"] == pytest.approx(grid.max() / 10150.0)


def test_power_floor_reduces_fluctuation_and_costs_energy() -> None:
    floor = WorkloadSection(gpu_power_floor_fraction=_src(0.8))
    r = _run(1000.0, 1900.0, workload=floor)
    h = r.headline
    assert (r.waveform["campus_power_smoothed_mw"] >= r.waveform["campus_power_mw"] - 1e-9).all()
    assert h["poi_voltage_fluctuation_smoothed_percent"] < h["poi_voltage_fluctuation_percent"]
    assert h["smoothing_extra_power_mw"] > 0.0 and h["smoothing_energy_mwh_per_year"] > 0.0


def test_supercap_and_ramp_target() -> None:
    onsite = OnsiteSection(
        bess_max_ramp_mw_per_s=_src(50.0, "MW/s"), supercap_crossover_hz=_src(0.5, "Hz")
    )
    r = _run(1000.0, 1900.0, onsite=onsite)
    h = r.headline
    assert h["residual_max_ramp_mw_per_s"] <= 50.0
    assert h["supercap_power_mw_required"] > 0.0
    assert h["bess_power_mw_required"] > 0.0
    wf = r.waveform
    np.testing.assert_allclose(
        wf["grid_power_with_bess_mw"] + wf["bess_power_mw"] + wf["supercap_power_mw"],
        wf["campus_power_smoothed_mw"],
    )


@pytest.mark.parametrize(("gpu_mw", "facility_mw"), [(0.0, 100.0), (50.0, 50.0)])
def test_degenerate_but_valid_inputs_do_not_crash(gpu_mw: float, facility_mw: float) -> None:
    r = _run(gpu_mw, facility_mw, onsite=OnsiteSection())
    assert all(math.isfinite(v) for v in r.headline.values())


def test_nan_hourly_load_is_rejected() -> None:
    bad = _hourly(100.0)
    bad.iloc[5] = float("nan")
    with pytest.raises(ValueError, match="facility_hourly_mw"):
        run_dynamics(
            WorkloadSection(),
            OnsiteSection(),
            gpu_power_peak_mw=50.0,
            static_power_mw=50.0,
            facility_hourly_mw=bad,
            poi_sc_mva=8000.0,
            poi_x_over_r=10.0,
            poi_vn_kv=161.0,
            poi_vm_pu_with_campus=1.0,
            poi_vm_pu_without_campus=1.0,
        )


def test_invalid_stage_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="poi_sc_mva"):
        run_dynamics(
            WorkloadSection(),
            OnsiteSection(),
            gpu_power_peak_mw=1.0,
            static_power_mw=1.0,
            facility_hourly_mw=_hourly(2.0),
            poi_sc_mva=0.0,
            poi_x_over_r=10.0,
            poi_vn_kv=161.0,
            poi_vm_pu_with_campus=1.0,
            poi_vm_pu_without_campus=1.0,
        )
