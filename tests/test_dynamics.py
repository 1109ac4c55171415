"""The dynamics stage end to end, on the two headline cases' orders of magnitude."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.dynamics import flicker, storage
from gridimpact.dynamics.poi import PoiFlickermeter
from gridimpact.dynamics.stage import DynamicsResult, PoiSupply, run_dynamics
from gridimpact.schema import Sourced

REQUIRED = {
    "swing_peak_to_peak_mw",
    "max_ramp_mw_per_s",
    "poi_voltage_fluctuation_percent",
    "load_loss_freq_deviation_hz",
    "load_loss_poi_vm_pu",
    "grid_import_peak_mw",
    # issue 11 contract
    "pst_poi",
    "plt_poi",
    "pst_limit_allocated",
    "plt_limit_allocated",
    "pst_poi_with_bess",
    "bess_power_mw_required",
    "bess_energy_mwh_required",
    "bess_c_rate",
    "bess_full_cycles_per_year",
    "bess_roundtrip_efficiency",
}
POI = PoiSupply(
    sc_mva=8000.0,
    x_over_r=10.0,
    vn_kv=161.0,
    vm_pu_with_campus=0.985,
    vm_pu_without_campus=1.012,
    supply_capacity_mva=1000.0,
)
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
        facility_hour_mw=facility_mw,
        facility_hourly_mw=_hourly(facility_mw),
        poi=POI,
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
    h = r1m.headline
    assert REQUIRED <= set(h)
    numbers = {k: v for k, v in h.items() if isinstance(v, float)}
    assert all(math.isfinite(v) for v in numbers.values())
    assert r1m.waveform.index.name == "time_s"
    assert {
        "campus_power_mw",
        "campus_power_smoothed_mw",
        "grid_power_with_bess_mw",
        "bess_power_mw",
        "poi_voltage_pu",
        "poi_voltage_with_bess_pu",
    } <= set(r1m.waveform.columns)
    assert not r1m.waveform.isna().any().any()
    assert list(r1m.spectrum.columns) == ["frequency_hz", "amplitude_mw", "in_oscillation_band"]
    assert not any(k.startswith("turbine") for k in h)  # the on-site stage's
    names = [n for n, _ in r1m.parameters]
    assert "workload.iteration_period_s" in names and "onsite.swing_window_s" in names
    assert "onsite.flicker_transfer_coefficient" in names
    assert "onsite.bess_cycle_life_exponent" in names
    assert "dynamics.reference.pst1_curve" in names and "dynamics.bess_target" in names
    assert all(isinstance(s, Sourced) for _, s in r1m.parameters)


def test_plt_is_two_hours_of_one_restart_and_eleven_steady_windows(r1m: DynamicsResult) -> None:
    # IEC 61000-4-15 4.7.3: Plt = ∛(Σ Pst³ / 12) over 12 consecutive 10-min values.
    h = r1m.headline
    expected = ((h["pst_poi"] ** 3 + 11 * h["pst_poi_steady"] ** 3) / 12) ** (1 / 3)
    assert h["plt_poi"] == pytest.approx(expected, rel=1e-12)
    assert h["plt_poi"] == pytest.approx(flicker.plt([h["pst_poi"]] + [h["pst_poi_steady"]] * 11))


def test_allocation_uses_the_campus_share_of_the_supply_capacity(r100k: DynamicsResult) -> None:
    # Campus MVA = peak MW / pf 0.98; share of the 1,000 MVA supply capacity; the
    # allocated limit is G·∛share (IEC/TR 61000-3-7 8.2) or the 0.35 basic limit.
    h = r100k.headline
    mva = float(r100k.waveform["campus_power_mw"].max()) / 0.98
    assert h["flicker_installation_mva"] == pytest.approx(mva)
    assert h["flicker_share_of_supply_capacity"] == pytest.approx(mva / 1000.0)
    g = (0.8**3 - (0.8 * 0.8) ** 3) ** (1 / 3)
    assert h["pst_limit_allocated"] == pytest.approx(max(g * (mva / 1000.0) ** (1 / 3), 0.35))


def test_100k_within_allocated_flicker_limits(r100k: DynamicsResult) -> None:
    h = r100k.headline
    # 70 MW at 0.95 TDP → 73.7 MW per TDP; swing (0.95 − 0.35) x 73.7 = 44.2 MW
    assert h["iteration_swing_mw"] == pytest.approx(0.60 * 70.0 / 0.95)
    assert h["dominant_frequency_hz"] == pytest.approx(0.5)
    # Small-change formula ΔV ≈ 44.2·(cos ψ + 0.203 sin ψ)/8000 = 0.167 %; the exact
    # Thévenin solution adds the quadrature term (P·X − Q·R)²/2 (≈ +6 % here): 10 %.
    # At 60 changes/min this is far below the ~1 % that gives Pst = 1.
    assert h["poi_voltage_fluctuation_percent"] == pytest.approx(0.167, rel=0.10)
    assert 0.0 < h["pst_poi"] < h["pst_limit_allocated"]
    assert h["plt_poi"] < h["plt_limit_allocated"] and h["flicker_within_limits"]
    assert h["bess_power_mw_required"] == 0.0 and h["bess_filter_time_constant_s"] == 0.0
    assert h["load_loss_freq_deviation_hz"] == pytest.approx(h["load_loss_mw"] / 10150.0)


def test_1m_needs_storage_and_storage_meets_the_allocated_limits(r1m: DynamicsResult) -> None:
    h = r1m.headline
    assert h["pst_poi"] > h["pst_limit_allocated"] and not h["flicker_within_limits"]
    assert h["band_energy_fraction"] > 0.5
    # with the battery, on the full (carrier) flickermeter
    assert h["pst_poi_with_bess"] <= h["pst_limit_allocated"]
    assert h["plt_poi_with_bess"] <= h["plt_limit_allocated"]
    assert h["bess_power_mw_required"] > 100.0 and h["bess_energy_mwh_required"] > 0.0
    assert h["bess_c_rate"] == pytest.approx(
        h["bess_power_mw_required"] / h["bess_energy_mwh_required"]
    )
    assert h["bess_c_rate"] <= 4.0  # the default C-rate limit
    assert h["bess_full_cycles_per_year"] > 0.0 and h["bess_cycle_life_years"] >= 15.0 * 0.99
    assert h["bess_loss_mwh_per_year"] > 0.0 and h["bess_roundtrip_efficiency"] == 0.85
    np.testing.assert_allclose(
        r1m.waveform["grid_power_with_bess_mw"] + r1m.waveform["bess_power_mw"],
        r1m.waveform["campus_power_smoothed_mw"],
    )
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
    assert h["pst_poi_smoothed"] < h["pst_poi"]
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
    numbers = [v for k, v in r.headline.items() if isinstance(v, float)]
    assert all(math.isfinite(v) for v in numbers if v != math.inf)


def test_nan_hourly_load_is_rejected() -> None:
    bad = _hourly(100.0)
    bad.iloc[5] = float("nan")
    with pytest.raises(ValueError, match="facility_hourly_mw"):
        run_dynamics(
            WorkloadSection(),
            OnsiteSection(),
            gpu_power_peak_mw=50.0,
            facility_hour_mw=100.0,
            facility_hourly_mw=bad,
            poi=POI,
        )


def test_invalid_stage_input_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"poi\.sc_mva"):
        run_dynamics(
            WorkloadSection(),
            OnsiteSection(),
            gpu_power_peak_mw=1.0,
            facility_hour_mw=2.0,
            facility_hourly_mw=_hourly(2.0),
            poi=PoiSupply(0.0, 10.0, 161.0, 1.0, 1.0, 100.0),
        )


def test_storage_filter_is_the_smallest_that_meets_the_limits(r1m: DynamicsResult) -> None:
    """A faster filter (15 % smaller time constant) lets the POI exceed a limit."""
    h = r1m.headline
    tau_s = 0.85 * h["bess_filter_time_constant_s"]
    meter = PoiFlickermeter(POI.sc_mva, POI.x_over_r, 0.98, 20.0, 120)
    w = WorkloadSection()
    static_mw = wl.static_power_for_hour_mw(w, 1000.0, 1900.0)
    window = wl.campus_waveforms(w, 1000.0, static_mw)
    steady = wl.campus_waveforms(w, 1000.0, static_mw, job_start_stop=False)
    lp = storage.first_order_lowpass_mw
    pst_w, _, plt_2h = meter.severity(
        lp(window.smoothed_mw, 20.0, tau_s), lp(steady.smoothed_mw, 20.0, tau_s)
    )
    assert pst_w > h["pst_limit_allocated"] or plt_2h > h["plt_limit_allocated"]


def test_one_load_basis_waveform_mean_is_the_hourly_load(r1m: DynamicsResult) -> None:
    """Steady training averages to the hour's facility load; the compute phase lies above it.

    Hand calculation of the default [workload] (dynamics.toml), ramps neglected: per
    300 s checkpoint interval, 280 s of iterations at 0.7 x 0.95 + 0.3 x 0.35 = 0.770 of
    TDP and 20 s of checkpoint at 0.25 -> mean 0.9333 x 0.770 + 0.0667 x 0.25 = 0.735 of
    TDP. The 0.2 s ramps move it by < 1 %, the tolerance. The compute-phase peak is
    the hourly load plus the GPU power above its mean: 1000 x (1 - 0.735 / 0.95).
    """
    sw = r1m.swing
    assert sw.waveform_mean_mw == pytest.approx(1900.0, rel=1e-9)
    assert sw.waveform_hour_facility_mw == 1900.0
    mean_fraction = wl.mean_gpu_power_mw(WorkloadSection(), 1000.0) / 1000.0 * 0.95
    assert mean_fraction == pytest.approx(0.735, rel=0.01)
    assert sw.waveform_peak_mw == pytest.approx(1900.0 + 1000.0 * (1 - 0.735 / 0.95), rel=0.01)
    assert r1m.waveform["campus_power_mw"].max() == pytest.approx(sw.waveform_peak_mw)
