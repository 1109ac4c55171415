"""Turbine catalog, dispatch, fuel; the [onsite] case table."""

from __future__ import annotations

import numpy as np
import pytest

from gridimpact.case import load_case
from gridimpact.case.onsite import OnsiteSection, parse_onsite
from gridimpact.errors import CaseError
from gridimpact.onsite.catalog import load_turbine_catalog
from gridimpact.onsite.dispatch import dispatch_against_import_cap, grid_unservable_hours
from gridimpact.onsite.emissions import emissions_tons, fuel_mmbtu, tons_at_full_load
from gridimpact.schema import iter_sourced
from tests.conftest import CASE_1M, CASE_100K

SRC = {"source": "test value"}


def _units(model: str = "SMT-130", count: int = 3) -> list[dict[str, object]]:
    return [{"model": model, "count": {"value": count, **SRC}}]


def test_onsite_defaults_are_no_fleet_and_sourced() -> None:
    o = OnsiteSection()
    assert o.units == [] and o.unit_count == 0 and o.fleet_name == ""
    assert o.permit_caps == {} and o.interim is None and o.grid_import_cap_mw is None
    assert all(len(s.source) > 10 for _, s in iter_sourced(o))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"units": _units("LM6000"), "fleet_name": "x"}, "onsite.units[0].model"),
        ({"turbine_control": "magic"}, "onsite.turbine_control"),
        ({"units": _units(count=-1), "fleet_name": "x"}, "onsite.units[0].count"),
        ({"units": _units()}, "onsite.fleet_name"),
        ({"permitted_hours_per_year": {"value": 9000.0, **SRC}}, "onsite.permitted_hours_per_year"),
        ({"permit_caps": {"NOx": {"value": 0.0, **SRC}}}, "onsite.permit_caps.NOx"),
        (
            {"nox_guarantee_ppmvd_at_15pct_o2": {"value": -2.0, **SRC}},
            "onsite.nox_guarantee_ppmvd_at_15pct_o2",
        ),
        (
            {
                "interim": {
                    "description": "d",
                    "units": _units(),
                    "control": "none",
                    "months": {"value": 6.0, **SRC},
                    "grid_supply_mw": {"value": 50.0, **SRC},
                }
            },
            "onsite.interim.control",
        ),
        (
            {
                "interim": {
                    "description": "d",
                    "units": _units(),
                    "control": "lean_premix",
                    "months": {"value": 600.0, **SRC},
                    "grid_supply_mw": {"value": 50.0, **SRC},
                }
            },
            "onsite.interim.months",
        ),
        (
            {"frequency_response_mw_per_0p1hz": {"value": 0.0, **SRC}},
            "onsite.frequency_response_mw_per_0p1hz",
        ),
    ],
)
def test_bad_onsite_input_names_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(CaseError) as info:
        parse_onsite(data, "case.toml")
    assert info.value.field == field
    assert "\n" not in str(info.value) and "case.toml" in str(info.value)


def test_unknown_pollutant_cap_is_refused() -> None:
    with pytest.raises(CaseError, match=r"onsite\.permit_caps\.NOX"):
        parse_onsite({"permit_caps": {"NOX": {"value": 87.0, **SRC}}}, "case.toml")


def test_each_shipped_case_names_its_own_fleet() -> None:
    """Colossus 1: 15 SMT-130 (Shelby County permit of 2025-07-02, as reported).

    Colossus 2: 41 turbines at Southaven, 17 PGM-130 + 16 Titan 350 + 8 PE6000 ≈ 1.2 GW
    (Southaven permit of 2026-03-10 as reported by desotocountynews.com / teslarati.com).
    """
    c100k, c1m = load_case(CASE_100K).case.onsite, load_case(CASE_1M).case.onsite
    assert [(u.model, u.count.value) for u in c100k.units] == [("SMT-130", 15)]
    assert c100k.permit_caps["NOx"].value == 87.0 and c100k.interim is not None
    assert c100k.interim.units[0].count.value == 35  # SELC: up to 35 turbines
    assert [(u.model, u.count.value) for u in c1m.units] == [
        ("PGM-130", 17),
        ("Titan-350", 16),
        ("PE6000", 8),
    ]
    assert c1m.unit_count == 41 and c1m.permit_caps == {}
    cat = load_turbine_catalog()
    fleet_mw = sum(u.count.value * cat.models[u.model].rating_mw.value for u in c1m.units)
    assert fleet_mw == pytest.approx(1200.0, rel=0.1)  # "≈ 1.2 GW" reported
    assert "Southaven" in c1m.fleet_name and "Shelby County" in c100k.fleet_name


def test_catalog_is_sourced_and_hhv_conversion() -> None:
    cat = load_turbine_catalog()
    assert set(cat.models) >= {"SMT-130", "PGM-130", "Titan-350", "PE6000"}
    assert all(len(s.source) > 10 for _, s in iter_sourced(cat))
    assert cat.heat_rate_hhv_btu_per_kwh("SMT-130") == pytest.approx(9695.0 * 1.108)
    factors = cat.factors_lb_per_mmbtu("lean_premix", 28.0, 265.0)
    assert factors["NOx"] == pytest.approx(0.099)  # EPA AP-42 Table 3.1-1, lean premix
    assert factors["CO"] == pytest.approx(0.015)  # EPA AP-42 Table 3.1-1, lean premix
    assert factors["CO2"] == pytest.approx(110.0)  # EPA AP-42 Table 3.1-2a
    assert factors["SO2"] == pytest.approx(0.0034)  # AP-42 Table 3.1-2a default
    assert factors["PM10"] == factors["PM2_5"] == factors["PM"] == pytest.approx(0.0066)


def test_nox_tons_is_hours_mw_heat_rate_factor() -> None:
    """1,000 h x 16.5 MW x 10,742 Btu/kWh (HHV) x 0.0074 lb/MMBtu / 2,000 lb/t.

    = 16,500 MWh x 10.74206 MMBtu/MWh = 177,244 MMBtu → 1,311.6 lb → 0.6558 t.
    """
    hr = 9695.0 * 1.108
    assert fuel_mmbtu(16_500.0, hr) == pytest.approx(177_244.0, rel=1e-5)
    assert emissions_tons(177_244.0, 0.0074) == pytest.approx(0.65580, rel=1e-4)
    assert tons_at_full_load(1000.0, 16.5, hr, 0.0074) == pytest.approx(0.65580, rel=1e-4)
    assert tons_at_full_load(1000.0, 16.5, hr, 0.0074, 15) == pytest.approx(9.837, rel=1e-3)


def test_dispatch_against_cap_with_min_load_and_fleet_limit() -> None:
    load = np.array([90.0, 130.0, 105.0, 400.0])
    turb, grid, units = dispatch_against_import_cap(load, 100.0, 16.5, 15, 0.5)
    assert turb[0] == 0.0 and units[0] == 0 and grid[0] == 90.0
    assert turb[1] == pytest.approx(30.0) and units[1] == 2 and grid[1] == pytest.approx(100.0)
    # 5 MW needed, one unit at its 8.25 MW minimum: grid import falls below the cap
    assert units[2] == 1 and turb[2] == pytest.approx(8.25) and grid[2] == pytest.approx(96.75)
    # fleet of 247.5 MW cannot hold the cap at 400 MW
    assert units[3] == 15 and turb[3] == pytest.approx(247.5) and grid[3] == pytest.approx(152.5)
    np.testing.assert_allclose(turb + grid, load)


def test_dispatch_with_an_hourly_cap() -> None:
    load = np.full(3, 140.0)
    cap = np.array([np.inf, 100.0, 0.0])
    turb, grid, units = dispatch_against_import_cap(load, cap, 16.5, 15, 0.5)
    np.testing.assert_allclose(turb, [0.0, 40.0, 140.0])
    np.testing.assert_allclose(grid, [140.0, 100.0, 0.0])
    assert list(units) == [0, 3, 9]


def test_dispatch_without_cap_runs_nothing() -> None:
    load = np.full(24, 140.0)
    turb, grid, units = dispatch_against_import_cap(load, float("inf"), 16.5, 15, 0.5)
    assert turb.sum() == 0.0 and units.sum() == 0 and np.array_equal(grid, load)


def test_unservable_hours_combine_n0_and_n1() -> None:
    converged = np.array([True, False, True, True])
    n0 = np.array([0, 0, 2, 0])
    n1 = np.array([False, False, False, True])
    assert list(grid_unservable_hours(converged, n0, n1)) == [False, True, True, True]
    assert list(grid_unservable_hours(converged, n0, None)) == [False, True, True, False]
