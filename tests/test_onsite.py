"""Turbine catalog, dispatch, fuel and emissions; the [onsite] case table."""

from __future__ import annotations

import numpy as np
import pytest

from gridimpact.case.onsite import OnsiteSection, parse_onsite
from gridimpact.case.sourced import iter_sourced
from gridimpact.dynamics import load_dynamics_reference
from gridimpact.errors import CaseError
from gridimpact.onsite.catalog import load_turbine_catalog
from gridimpact.onsite.dispatch import dispatch_against_import_cap
from gridimpact.onsite.emissions import emissions_tons, fuel_mmbtu, tons_at_full_load


def test_onsite_defaults_validate_and_are_sourced() -> None:
    o = OnsiteSection()
    assert o.turbine_model == "SMT-130" and o.turbine_count.value == 15
    assert o.grid_import_cap_mw is None
    assert all(len(s.source) > 10 for _, s in iter_sourced(o))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"turbine_model": "LM6000"}, "onsite.turbine_model"),
        ({"turbine_control": "magic"}, "onsite.turbine_control"),
        ({"turbine_count": {"value": -1, "source": "test value"}}, "onsite.turbine_count"),
        (
            {"backup_hours_per_year": {"value": 9000.0, "source": "test value"}},
            "onsite.backup_hours_per_year",
        ),
        (
            {
                "permitted_hours_per_year": {"value": 100.0, "source": "test value"},
                "backup_hours_per_year": {"value": 200.0, "source": "test value"},
            },
            "onsite.backup_hours_per_year",
        ),
        (
            {"frequency_response_mw_per_0p1hz": {"value": 0.0, "source": "test value"}},
            "onsite.frequency_response_mw_per_0p1hz",
        ),
    ],
)
def test_bad_onsite_input_names_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(CaseError) as info:
        parse_onsite(data, "case.toml")
    assert info.value.field == field


def test_catalog_is_sourced_and_hhv_conversion() -> None:
    cat = load_turbine_catalog()
    assert set(cat.models) >= {"SMT-130", "Titan-350"}
    assert all(len(s.source) > 10 for _, s in iter_sourced(cat))
    assert cat.heat_rate_hhv_btu_per_kwh("SMT-130") == pytest.approx(9695.0 * 1.108)
    factors = cat.factors_lb_per_mmbtu("lean_premix")
    assert factors["NOx"] == pytest.approx(0.099)  # EPA AP-42 Table 3.1-1, lean premix
    assert factors["CO2"] == pytest.approx(110.0)  # EPA AP-42 Table 3.1-2a


def test_nox_tons_is_hours_mw_heat_rate_factor() -> None:
    """1,000 h x 16.5 MW x 10,742 Btu/kWh (HHV) x 0.0074 lb/MMBtu / 2,000 lb/t.

    = 16,500 MWh x 10.74206 MMBtu/MWh = 177,244 MMBtu → 1,311.6 lb → 0.6558 t.
    """
    hr = 9695.0 * 1.108
    assert fuel_mmbtu(16_500.0, hr) == pytest.approx(177_244.0, rel=1e-5)
    assert emissions_tons(177_244.0, 0.0074) == pytest.approx(0.65580, rel=1e-4)
    assert tons_at_full_load(1000.0, 16.5, hr, 0.0074) == pytest.approx(0.65580, rel=1e-4)
    assert tons_at_full_load(1000.0, 16.5, hr, 0.0074, 15) == pytest.approx(9.837, rel=1e-3)


def test_permitted_fleet_emissions_match_the_permit_caps_order() -> None:
    """15 SMT-130 at the permitted hours (8,760 h, SCR) against the Shelby County caps.

    Reference: permit of 2025-07-02 as reported: NOx 87, CO 94, VOC 85, PM 73 t/yr,
    formaldehyde 9.8, HAP ~14 t/yr. Tolerance: same order (NOx ±20 %, others x0.25-2).
    """
    cat, ref, o = load_turbine_catalog(), load_dynamics_reference(), OnsiteSection()
    m = cat.models["SMT-130"]
    hr = cat.heat_rate_hhv_btu_per_kwh("SMT-130")
    f = cat.factors_lb_per_mmbtu("scr_oxcat")
    caps = ref.caps_tons_per_year()

    def tons(p: str) -> float:
        return float(
            tons_at_full_load(
                o.permitted_hours_per_year.value, m.rating_mw.value, hr, f[p], o.turbine_count.value
            )
        )

    assert tons("NOx") == pytest.approx(caps["NOx"][0], rel=0.2)
    for p in ("CO", "VOC", "PM", "formaldehyde", "HAP_total"):
        assert 0.25 < tons(p) / caps[p][0] < 2.0, p
    # without SCR (AP-42 lean premix) NOx would be far above the cap and major-source level
    lean = float(tons_at_full_load(8760.0, m.rating_mw.value, hr, 0.099, 15))
    assert lean > 10 * caps["NOx"][0] > caps["NOx"][1]


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


def test_dispatch_without_cap_runs_nothing() -> None:
    load = np.full(24, 140.0)
    turb, grid, units = dispatch_against_import_cap(load, float("inf"), 16.5, 15, 0.5)
    assert turb.sum() == 0.0 and units.sum() == 0 and np.array_equal(grid, load)


def test_backup_hours_do_not_double_count() -> None:
    from gridimpact.onsite.dispatch import backup_additions

    load = np.full(8760, 140.0)
    # no cap-driven running: 100 backup hours at 140 MW with 9 units
    zeros = np.zeros(8760)
    assert backup_additions(zeros, zeros, load, 16.5, 15, 100.0) == pytest.approx(
        (14_000.0, 100.0, 900.0)
    )
    # fleet already carrying the full load every hour: nothing to add
    assert backup_additions(load, np.full(8760, 9.0), load, 16.5, 15, 100.0) == (0.0, 0.0, 0.0)
