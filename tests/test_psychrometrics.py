"""Psychrometrics against ASHRAE reference points."""

from __future__ import annotations

import numpy as np
import pytest

from gridimpact.weather import psychrometrics as psy

SEA_LEVEL_PA = 101_325.0


def test_reference_point_30c_50pct_sea_level() -> None:
    # ASHRAE Handbook--Fundamentals 2017 ch.1 / ASHRAE psychrometric chart no.1:
    # 30 °C, 50 % RH at 101.325 kPa -> W ≈ 0.0133 kg/kg, t* ≈ 22.0 °C, h ≈ 64 kJ/kg.
    w = psy.as_float(psy.humidity_ratio_from_rel_hum_kg_per_kg(30.0, 50.0, SEA_LEVEL_PA))
    wb = psy.as_float(psy.wet_bulb_from_rel_hum_c(30.0, 50.0, SEA_LEVEL_PA))
    h = psy.as_float(psy.moist_air_enthalpy_j_per_kg(30.0, w))
    assert w == pytest.approx(0.0133, abs=0.0002)  # tolerance: chart reading, ±0.2 g/kg
    assert wb == pytest.approx(22.0, abs=0.1)  # tolerance: chart reading, ±0.1 K
    assert h / 1000 == pytest.approx(64.0, abs=1.0)  # tolerance: chart reading, ±1 kJ/kg


def test_standard_pressure_sea_level_and_memphis() -> None:
    # ASHRAE Fundamentals 2017 ch.1 eq.3: 101.325 kPa at 0 m; ≈100.36 kPa at 81 m.
    assert psy.as_float(psy.standard_pressure_pa(0.0)) == pytest.approx(101_325.0, rel=1e-6)
    assert psy.as_float(psy.standard_pressure_pa(81.0)) == pytest.approx(100_356.0, abs=20.0)


def test_latent_heat_30c_matches_steam_tables() -> None:
    # Steam tables (ASHRAE Fundamentals 2017 ch.1 Table 3): h_fg(30 °C) = 2430.5 kJ/kg;
    # tolerance 0.3 %.
    assert psy.as_float(psy.latent_heat_of_vaporisation_j_per_kg(30.0)) / 1000 == pytest.approx(
        2430.5, rel=0.003
    )


def test_vectorised_round_trip_dew_point() -> None:
    db = np.array([-5.0, 10.0, 25.0, 35.0])
    rh = np.array([80.0, 60.0, 70.0, 45.0])
    dp = psy.dew_point_from_rel_hum_c(db, rh)
    assert dp.shape == (4,)
    np.testing.assert_allclose(psy.rel_hum_from_dew_point_percent(db, dp), rh, atol=0.01)
    wb = psy.wet_bulb_from_dew_point_c(db, dp, SEA_LEVEL_PA)
    np.testing.assert_allclose(wb, psy.wet_bulb_from_rel_hum_c(db, rh, SEA_LEVEL_PA), atol=0.01)
    np.testing.assert_allclose(psy.dew_point_from_wet_bulb_c(db, wb, SEA_LEVEL_PA), dp, atol=0.02)
    assert np.all(wb <= db) and np.all(wb >= dp)


def test_dew_point_above_dry_bulb_is_saturation() -> None:
    wb = psy.as_float(psy.wet_bulb_from_dew_point_c(20.0, 21.0, SEA_LEVEL_PA))
    assert wb == pytest.approx(20.0, abs=0.01)
