"""Rounding of results.json numbers by the unit in their key."""

from __future__ import annotations

import math

import pytest

from gridimpact.report.document import round_for_key


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("poi_vm_pu", 0.871912, 0.8719),
        ("min_vm_pu_n0", 0.87186, 0.8719),
        ("max_ramp_mw_per_s", 3600.0000049, 3600.0),
        ("bess_power_mw_required", 976.4058, 976.4),
        ("bess_energy_mwh_required", 10.0249, 10.0),
        ("poi_sc_mva", 6689.4, 6689.0),
        ("facility_peak_mvar", 396.12, 396.1),
        ("pue_design_day", 1.20512, 1.205),
        # SCR: 2 decimals below 10 (classes end at 3 and 2), 2 significant figures above
        ("scr", 3.4295, 3.43),
        ("scr", 77.06, 77.0),
        ("scr_min_case", 2.983, 2.98),
        ("escr_min_case", 123.4, 120.0),
        # flicker severity to 2 decimals (IEC 61000-4-15 reports Pst as x.xx)
        ("pst_poi", 12.004, 12.0),
        ("plt_limit_allocated", 0.472, 0.47),
        # water flow of a cooling plant to whole m3/h
        ("flow_m3_per_h", 108124.961, 108125.0),
        ("poi_voltage_fluctuation_percent", 3.34578, 3.346),
        ("n1_worst_loading_percent", 1039.28, 1039.3),
        ("band_energy_fraction", 0.62727, 0.627),
    ],
)
def test_round_by_unit_token(key: str, value: float, expected: float) -> None:
    assert round_for_key(key, value) == expected


def test_non_finite_becomes_none_and_ints_stay() -> None:
    assert round_for_key("poi_vm_pu", math.nan) is None
    assert round_for_key("gpu_count", 100_000) == 100_000
    assert round_for_key("n0_converged", True) is True
