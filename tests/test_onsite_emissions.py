"""Potential to emit and the emission scenarios, checked by hand calculation.

Hand-calculation basis (every number written out below):
- fuel = MWh x heat rate (HHV) / 1000; HHV heat rate = LHV x HHV/LHV
  (SMT-130: 9,695 Btu/kWh LHV, Solar Turbines spec; HHV/LHV 1.108 → 10,742.06 Btu/kWh);
- tons = fuel (MMBtu) x AP-42 factor (lb/MMBtu) / 2,000;
- ppm → lb/MMBtu by EPA Method 19 (40 CFR 60 App. A-7, Eq. 19-1):
  E = ppm x 1e-6 x M / 385.3 x Fd x 20.9 / (20.9 - 15), Fd = 8,710 dscf/MMBtu (Table 19-2).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gridimpact.case.onsite import OnsiteSection, parse_onsite
from gridimpact.onsite.catalog import load_turbine_catalog
from gridimpact.onsite.emissions import co2e_lb_per_mmbtu, ppmvd_to_lb_per_mmbtu
from gridimpact.onsite.stage import OnsiteResult, run_onsite
from gridimpact.report.document import _onsite_document

SRC = {"source": "test value"}
HR_SMT130_HHV = 9695.0 * 1.108  # 10,742.06 Btu/kWh
INDEX = pd.date_range("2025-01-01", periods=8760, freq="h")
# 15 SMT-130 x 16.5 MW x 8,760 h = 2,168,100 MWh; x 10.74206 MMBtu/MWh
FUEL_15_SMT130_MMBTU = 2_168_100.0 * HR_SMT130_HHV / 1000.0  # 23,289,860 MMBtu


def _method19(ppm: float, molar_mass: float) -> float:
    return ppm * 1e-6 * molar_mass / 385.3 * 8710.0 * 20.9 / (20.9 - 15.0)


def test_method19_matches_table_19_1_and_hand_value() -> None:
    """Method 19 Table 19-1: ppm NOx x 1.194E-07 = lb/scf, CO 7.267E-08, SO2 1.660E-07."""
    for gas, m, table in (
        ("NOx", 46.01, 1.194e-7),
        ("CO", 28.01, 7.267e-8),
        ("SO2", 64.06, 1.660e-7),
    ):
        per_ppm_lb_per_scf = float(ppmvd_to_lb_per_mmbtu(1.0, m, 1.0, 0.0, 20.9))
        assert per_ppm_lb_per_scf == pytest.approx(table, rel=2e-3), gas
    # 2 ppm NOx at 15 % O2 on natural gas: 2 x 1.194e-7 x 8,710 x 20.9/5.9 = 0.00737 lb/MMBtu
    assert float(ppmvd_to_lb_per_mmbtu(2.0, 46.01, 8710.0)) == pytest.approx(0.007369, rel=1e-3)
    cat = load_turbine_catalog()
    assert cat.ppmvd_to_lb_per_mmbtu("CO", 4.0) == pytest.approx(_method19(4.0, 28.01), rel=1e-12)
    # vectorised
    np.testing.assert_allclose(
        ppmvd_to_lb_per_mmbtu(np.array([1.0, 2.0]), 46.01, 8710.0),
        [0.0036844, 0.0073687],
        rtol=1e-4,
    )


def test_co2e_factor_by_hand() -> None:
    """AP-42 Table 3.1-2a: CO2 110, CH4 8.6E-03, N2O 3.0E-03 lb/MMBtu; GWP 28 / 265
    (40 CFR 98 Table A-1): 110 + 0.2408 + 0.795 = 111.0358 lb CO2e/MMBtu."""
    assert co2e_lb_per_mmbtu(110.0, 0.0086, 0.003, 28.0, 265.0) == pytest.approx(111.0358)
    f = load_turbine_catalog().factors_lb_per_mmbtu("scr_oxcat", 28.0, 265.0)
    assert f["CO2e"] == pytest.approx(111.0358)


def _colossus1(**extra: object) -> OnsiteSection:
    data: dict[str, object] = {
        "fleet_name": "15 SMT-130 (test)",
        "units": [{"model": "SMT-130", "count": {"value": 15, **SRC}}],
        "turbine_control": "scr_oxcat",
        "permit_caps": {
            "NOx": {"value": 87.0, **SRC},
            "CO": {"value": 94.0, **SRC},
            "VOC": {"value": 85.0, **SRC},
            "PM": {"value": 73.0, **SRC},
            "formaldehyde": {"value": 9.8, **SRC},
            "HAP_total": {"value": 14.0, **SRC},
        },
    }
    data.update(extra)
    return parse_onsite(data, "test.toml")


def _run(
    onsite: OnsiteSection,
    load_mw: float = 140.0,
    unservable: np.ndarray | None = None,
    secure_mw: float = 100.0,
) -> OnsiteResult:
    load = pd.Series(np.full(8760, load_mw), index=INDEX)
    mask = np.zeros(8760, dtype=bool) if unservable is None else unservable
    return run_onsite(onsite, load, mask, secure_mw)


@pytest.fixture(scope="module")
def c1() -> OnsiteResult:
    return _run(_colossus1())


def test_pte_of_the_permitted_fleet_by_hand(c1: OnsiteResult) -> None:
    """15 SMT-130 at 8,760 h: fuel 23,289,860 MMBtu (HHV).

    NOx 2 ppm → 0.0073687 lb/MMBtu → 85.81 t (Shelby County cap 87 t, as reported);
    CO 4 ppm → 0.0089719 → 104.48 t (cap 94 t, Title V 100 t);
    PM AP-42 0.0066 → 76.86 t (cap 73 t); SO2 0.0034 → 39.59 t; HCHO 0.00071 → 8.27 t.
    """
    pte = c1.pte_tons_per_year
    fuel = FUEL_15_SMT130_MMBTU
    assert fuel == pytest.approx(23_289_860.0, rel=1e-6)
    assert pte["NOx"] == pytest.approx(fuel * _method19(2.0, 46.01) / 2000.0, rel=1e-9)
    assert pte["NOx"] == pytest.approx(85.81, abs=0.01)
    assert pte["CO"] == pytest.approx(104.48, abs=0.01)
    assert (
        pte["PM"]
        == pytest.approx(fuel * 0.0066 / 2000.0, rel=1e-9)
        == pytest.approx(76.86, abs=0.01)
    )
    assert pte["PM10"] == pte["PM2_5"] == pte["PM"]
    assert pte["SO2"] == pytest.approx(39.59, abs=0.01)
    assert pte["formaldehyde"] == pytest.approx(8.27, abs=0.01)
    assert pte["CO2e"] == pytest.approx(fuel * 111.0358 / 2000.0, rel=1e-6)
    # per unit: one fifteenth of the fleet
    per_unit = c1.unit_pte.set_index("units").loc["1 x SMT-130", "NOx_tons_per_year"]
    assert per_unit * 15 == pytest.approx(pte["NOx"], rel=1e-12)


def test_lean_premix_without_scr_is_the_issues_1150_t(c1: OnsiteResult) -> None:
    """AP-42 Table 3.1-1 lean premix 0.099 lb/MMBtu x 23,289,860 MMBtu / 2000 = 1,152.9 t."""
    lean = _run(_colossus1(turbine_control="lean_premix"))
    assert lean.pte_tons_per_year["NOx"] == pytest.approx(1152.85, abs=0.05)
    assert lean.pte_tons_per_year["CO"] == pytest.approx(FUEL_15_SMT130_MMBTU * 0.015 / 2000.0)
    # the mitigated scenario applies SCR + oxidation catalyst: back to the 2 ppm value
    assert lean.scenarios["mitigated"]["NOx"] == pytest.approx(c1.pte_tons_per_year["NOx"])
    for p, tons in lean.scenarios["mitigated"].items():
        assert tons <= lean.scenarios["as_permitted"][p] + 1e-9, p


def test_manufacturer_guarantee_replaces_the_control_factor() -> None:
    r = _run(_colossus1(co_guarantee_ppmvd_at_15pct_o2={"value": 3.0, **SRC}))
    expected = FUEL_15_SMT130_MMBTU * _method19(3.0, 28.01) / 2000.0  # 78.36 t
    assert r.pte_tons_per_year["CO"] == pytest.approx(expected, rel=1e-9)
    assert not any(
        e["pollutant"] == "CO" and e["scenario"] == "as_permitted" for e in r.exceedances
    )


def test_exceedances_of_colossus1_caps_and_hour_limit(c1: OnsiteResult) -> None:
    found = {(e["scenario"], e["pollutant"], e["limit_kind"]) for e in c1.exceedances}
    assert ("as_permitted", "CO", "permit_cap") in found
    assert ("as_permitted", "CO", "title_v_major_source") in found
    assert ("as_permitted", "PM", "permit_cap") in found
    assert ("as_permitted", "NOx", "permit_cap") not in found  # 85.8 < 87
    # NOx 85.8 t is above the 40 t PSD significant rate, but the fleet is not PSD major
    assert not any(k == "psd_significant_emission_rate" for s, _, k in found if s == "as_permitted")
    for e in c1.exceedances:
        assert set(e) == {"scenario", "pollutant", "value", "limit", "limit_kind"}
    # every cap holds at 94 / (104.48 / 8760) = 7,881 h/yr (CO binds)
    assert c1.headline["permit_caps_max_hours_per_year"] == pytest.approx(
        94.0 / (c1.pte_tons_per_year["CO"] / 8760.0)
    )
    assert c1.headline["permit_caps_max_hours_per_year"] == pytest.approx(7881.5, abs=0.5)


def test_backup_runs_only_when_the_grid_cannot_serve(c1: OnsiteResult) -> None:
    """No unservable hour: no backup fuel. 100 unservable hours at 140 MW with a 100 MW
    secure import: 40 MW x 100 h = 4,000 MWh → 42,968 MMBtu → NOx 0.158 t."""
    assert c1.scenarios["backup"]["NOx"] == 0.0 and c1.headline["turbine_hours_per_year"] == 0.0
    mask = np.zeros(8760, dtype=bool)
    mask[:100] = True
    r = _run(_colossus1(), unservable=mask, secure_mw=100.0)
    assert r.headline["grid_unservable_hours_per_year"] == 100.0
    assert r.headline["turbine_hours_per_year"] == 100.0
    assert float(r.turbine_hourly["turbine_power_mw"].sum()) == pytest.approx(4000.0)
    fuel = 4000.0 * HR_SMT130_HHV / 1000.0
    assert r.scenarios["backup"]["NOx"] == pytest.approx(fuel * _method19(2.0, 46.01) / 2000.0)
    # the normal-operation import (no cap) is the whole load: backup is not normal
    assert float(r.grid_import_normal_mw.max()) == pytest.approx(140.0)
    assert (r.turbine_hourly["grid_import_mw"][:100] <= 100.0 + 1e-9).all()


def test_backup_beyond_the_fleet_is_unserved() -> None:
    mask = np.ones(8760, dtype=bool)
    r = _run(_colossus1(), load_mw=400.0, unservable=mask, secure_mw=0.0)
    # 400 MW needed, 247.5 MW of turbines: 152.5 MW x 8,760 h unserved
    assert r.headline["unserved_above_cap_mwh_per_year"] == pytest.approx(152.5 * 8760.0)
    assert r.scenarios["backup"]["NOx"] == pytest.approx(r.scenarios["as_permitted"]["NOx"])
    doc = _onsite_document(r)
    assert doc["headline"]["unserved_above_cap_mwh_per_year"] == 1_335_900.0
    assert doc["findings"][2] == (
        "The fleet (247.5 MW) cannot carry what the grid cannot: 1,335,900.0 MWh/yr remain "
        "unserved."
    )


def test_interim_prime_power_by_hand() -> None:
    """35 units of 12 MW (420 MW) carry 140 - 50 = 90 MW for 6 months, no add-on control:
    90 MW x 8,760 h x 6/12 = 394,200 MWh → x 10.74206 = 4,234,520 MMBtu →
    NOx 0.099 → 209.61 t (Title V 100 t reached, PSD 250 t not)."""
    interim = {
        "description": "35 portable turbines (test)",
        "units": [
            {"model": "SMT-130", "count": {"value": 35, **SRC}, "rating_mw": {"value": 12.0, **SRC}}
        ],
        "control": "lean_premix",
        "months": {"value": 6.0, **SRC},
        "grid_supply_mw": {"value": 50.0, **SRC},
    }
    r = _run(_colossus1(interim=interim))
    fuel = 394_200.0 * HR_SMT130_HHV / 1000.0
    assert r.scenarios["interim_primary"]["NOx"] == pytest.approx(fuel * 0.099 / 2000.0)
    assert r.scenarios["interim_primary"]["NOx"] == pytest.approx(209.61, abs=0.01)
    kinds = {e["limit_kind"] for e in r.exceedances if e["scenario"] == "interim_primary"}
    assert kinds == {"title_v_major_source"}  # no permit caps for the unpermitted fleet
    basis = r.scenario_basis.set_index("scenario").loc["interim_primary"]
    assert basis["energy_mwh"] == pytest.approx(394_200.0)
    assert r.interim is not None
    assert (r.interim.description, r.interim.fleet.unit_count) == (
        "35 portable turbines (test)",
        35,
    )
    assert (r.interim.fleet.rating_mw, r.interim.months, r.interim.grid_supply_mw) == (
        420.0,
        6.0,
        50.0,
    )
    doc = _onsite_document(r)
    assert doc["interim"]["control"] == r.interim.control != ""
    co = next(
        e["interim_primary_tons_per_year"] for e in doc["emissions"] if e["pollutant"] == "CO"
    )
    assert doc["findings"][-1] == (
        f"Interim prime power: 35 portable turbines (test) (35 units, 420.0 MW), "
        f"{r.interim.control}, for 6.0 months above 50.0 MW of grid supply: NOx 209.6 t, CO "
        f"{co} t in its first 12 months."
    )


def test_no_fleet_is_stated_and_emits_nothing() -> None:
    r = _run(OnsiteSection())
    assert r.fleet_name.startswith("none")
    assert all(v == 0.0 for s in r.scenarios.values() for v in s.values())
    assert r.exceedances == () and math.isinf(r.headline["minor_source_max_hours_per_year"])
    assert r.fleet.unit_count == 0 and r.interim is None
    doc = _onsite_document(r)
    assert doc["findings"] == ["No on-site generation: the case declares no turbine fleet."]
    assert doc["interim"] is None


def test_findings_print_the_stored_values(c1: OnsiteResult) -> None:
    """The report writes the on-site findings from the rounded values it stores."""
    assert (c1.fleet.unit_count, c1.fleet.rating_mw, c1.permitted_hours_per_year) == (
        15,
        247.5,
        8760.0,
    )
    doc = _onsite_document(c1)
    assert (doc["unit_count"], doc["permitted_hours_per_year"], doc["interim"]) == (
        15,
        8760.0,
        None,
    )
    pte = {e["pollutant"]: e["as_permitted_tons_per_year"] for e in doc["emissions"]}
    assert pte["CO2e"] == round(c1.pte_tons_per_year["CO2e"], 1)
    first, second = doc["findings"]  # no interim fleet, nothing unserved
    assert first == (
        "15 SMT-130 (test): 15 units, 247.5 MW. Potential to emit at 8,760.0 h/yr: NOx 85.8 t, "
        f"CO 104.5 t, PM 76.9 t, VOC {pte['VOC']} t, SO2 39.6 t, formaldehyde 8.3 t, HAP "
        f"{pte['HAP_total']} t, CO2e {pte['CO2e']:,} t a year."
    )
    assert second == (
        "The grid cannot serve the campus within criteria in 0.0 h/yr (hourly N-0 and N-1); "
        "the fleet then holds the import to 100.0 MW (N-1 hosting capacity), running 0.0 h/yr "
        "and emitting 0.0 t NOx."
    )


def test_mixed_fleet_pte_is_the_sum_of_its_groups() -> None:
    """17 PGM-130 + 16 Titan 350 + 8 PE6000 at 8,760 h, lean premix NOx 0.099 lb/MMBtu:
    fuel = 8,760 x (17 x 16.5 x 10.74206 + 16 x 38 x 8,470 x 1.108/1000
    + 8 x 48 x 8,600 x 1.108/1000) MMBtu."""
    units = [
        {"model": "PGM-130", "count": {"value": 17, **SRC}},
        {"model": "Titan-350", "count": {"value": 16, **SRC}},
        {"model": "PE6000", "count": {"value": 8, **SRC}},
    ]
    r = _run(
        parse_onsite({"fleet_name": "mix", "units": units, "turbine_control": "lean_premix"}, "t")
    )
    fuel = (
        8760.0
        * (17 * 16.5 * HR_SMT130_HHV + 16 * 38.0 * 8470.0 * 1.108 + 8 * 48.0 * 8600.0 * 1.108)
        / 1000.0
    )
    assert r.pte_tons_per_year["NOx"] == pytest.approx(fuel * 0.099 / 2000.0, rel=1e-9)
    assert r.headline["turbine_fleet_mw"] == pytest.approx(1272.5)
    # no caps in the case: thresholds only, and the fleet is PSD major → SERs listed
    kinds = {e["limit_kind"] for e in r.exceedances}
    assert "permit_cap" not in kinds and "psd_significant_emission_rate" in kinds
