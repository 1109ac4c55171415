"""GPUs → IT power, checked against hand calculations from NVIDIA's published figures."""

from __future__ import annotations

import pandas as pd
import pytest

from gridimpact.case import load_case
from gridimpact.compute import compute_it_load, load_gpu_catalog
from gridimpact.compute.fleet import liquid_fraction_of_it
from gridimpact.compute.it_power import (
    hourly_draw_fraction,
    it_nameplate_mw,
    maintenance_window_hours_per_week,
)
from tests.conftest import CASE_100K

YEAR = pd.date_range("2025-01-01", periods=8760, freq="h")


def test_catalog_host_overhead_matches_dgx_h100_user_guide() -> None:
    # NVIDIA DGX H100 User Guide: 10.2 kW system max, 8 x 700 W H100 SXM.
    # Hand: (10200 - 8 * 700) / 8 = 575 W per GPU; rack of 64 GPUs = 8 x 10.2 = 81.6 kW.
    h100 = load_gpu_catalog().systems["H100"]
    assert h100.host_overhead_w_per_gpu == pytest.approx(575.0, abs=1e-9)
    assert h100.rack_power_kw == pytest.approx(81.6, abs=1e-9)


def test_catalog_gb200_rack_power_per_gpu() -> None:
    # Introl (blog): ~120 kW per GB200 NVL72 rack of 72 GPUs -> 1,666.7 W per GPU.
    gb200 = load_gpu_catalog().systems["GB200-NVL72"]
    assert gb200.nameplate_w_per_gpu == pytest.approx(120_000 / 72, rel=1e-12)
    assert gb200.rack_power_kw == pytest.approx(120.0, rel=1e-12)


def test_catalog_has_every_system_the_issue_names() -> None:
    assert {"H100", "H200", "B200", "GB200-NVL72", "GB300-NVL72"} <= set(load_gpu_catalog().systems)


def test_it_nameplate_hand_calculation() -> None:
    # 100,000 GPUs x 1,275 W x 1.08 = 137.7 MW (hand calculation).
    assert it_nameplate_mw(100_000, 1275.0, 0.08) == pytest.approx(137.7, abs=1e-9)


def test_maintenance_window_energy_balance() -> None:
    # mean = (1 - f) peak + f idle -> f = (0.85 - 0.78) / (0.85 - 0.35) = 0.14 -> 23.52 h/week
    assert maintenance_window_hours_per_week(0.85, 0.78, 0.35) == pytest.approx(23.52)
    assert maintenance_window_hours_per_week(0.8, 0.8, 0.8) == 0.0


def test_hourly_schedule_averages_to_the_mean_over_whole_weeks() -> None:
    weeks = pd.date_range("2025-01-06", periods=52 * 168, freq="h")  # starts on a Monday
    draw = hourly_draw_fraction(weeks, 0.85, 0.78, 0.35)
    assert draw.mean() == pytest.approx(0.78, abs=1e-12)
    assert draw.max() == pytest.approx(0.85) and draw.min() == pytest.approx(0.35)


def test_case_it_load() -> None:
    it = compute_it_load(load_case(CASE_100K).case.compute, YEAR)
    # 137.7 MW nameplate x 0.85 peak draw = 117.045 MW (hand calculation)
    assert it.it_peak_mw == pytest.approx(117.045, abs=1e-6)
    assert it.hourly_it_mw.max() == pytest.approx(it.it_peak_mw)
    assert it.it_mean_mw == pytest.approx(137.7 * 0.78, rel=0.005)  # 52 weeks + 1 day
    assert it.racks == 1563  # ceil(100000 / 64)
    # liquid share of IT heat = 0.80 / 1.08
    assert it.liquid_fraction == pytest.approx(0.80 / 1.08)
    assert liquid_fraction_of_it(0.9, 0.0) == 0.9


def test_catalog_gb300_rack_is_gb200_plus_the_gpu_tdp_step() -> None:
    # Derived in gpus.toml: GB200 NVL72 rack 120 kW + 72 x (1,400 - 1,200) W = 134.4 kW;
    # the Grace CPUs, switch trays and power shelves are the same, so the host overhead per
    # GPU is unchanged: 120,000 / 72 - 1,200 = 466.7 W (hand calculation).
    systems = load_gpu_catalog().systems
    gb200, gb300 = systems["GB200-NVL72"], systems["GB300-NVL72"]
    assert gb300.gpu_tdp_w.value - gb200.gpu_tdp_w.value == pytest.approx(200.0)
    assert gb300.rack_power_kw == pytest.approx(120.0 + 72 * 0.2, rel=1e-12)
    assert gb300.host_overhead_w_per_gpu == pytest.approx(gb200.host_overhead_w_per_gpu)
    assert gb300.host_overhead_w_per_gpu == pytest.approx(120_000 / 72 - 1200, rel=1e-12)
    # Within the reported 120-142 kW per GB300 NVL72 rack (see the source text).
    assert 120.0 <= gb300.rack_power_kw <= 142.0
