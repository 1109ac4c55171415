"""Resizing of a plant that fails its own design check (gridimpact/thermal/resize.py)."""

from __future__ import annotations

import dataclasses
import math
import pathlib

import numpy as np
import pandas as pd
import pytest

from gridimpact.case.cooling import CoolingSection
from gridimpact.case.weather import WeatherSection
from gridimpact.thermal import ThermalResult, model, run_thermal
from gridimpact.thermal.design import design_findings
from gridimpact.thermal.loops import Sizes
from gridimpact.thermal.params import ThermalParameters, load_parameters
from gridimpact.thermal.plant import MW, loop_specs
from gridimpact.thermal.resize import grown_sizes
from gridimpact.thermal.sizing import design_basis, size_plant, survival_check
from gridimpact.weather import Weather, load_weather

IT_MW = 115.0  # ~100k H100-class campus, as tests/test_thermal_run.py
LIQUID_FRACTION = 0.8
LOSS_FRACTION = 0.05


@pytest.fixture(scope="module")
def weather() -> Weather:
    return load_weather(WeatherSection(), pathlib.Path("."))


def _run(weather: Weather, **kw: object) -> ThermalResult:
    it = pd.Series(IT_MW, index=weather.hourly.index)
    return run_thermal(CoolingSection(**kw), it, LIQUID_FRACTION, it * LOSS_FRACTION, weather)


def _with_cap(monkeypatch: pytest.MonkeyPatch, cap: float) -> None:
    """Make run_thermal read a different resizing cap (as if cooling.toml said so)."""

    def patched(section: CoolingSection) -> ThermalParameters:
        p = load_parameters(section)
        values = {**p.values, "plant.resize_max_installed_to_needed": cap}
        return dataclasses.replace(p, values=values)

    monkeypatch.setattr(model, "load_parameters", patched)


@pytest.fixture(scope="module")
def resized(weather: Weather) -> ThermalResult:
    return _run(weather, architecture="air_cooled_chillers")


@pytest.fixture(scope="module")
def unresized(weather: Weather) -> ThermalResult:
    # Cap 1.0: not one unit may be added, so this is the plant as first sized.
    with pytest.MonkeyPatch.context() as mp:
        _with_cap(mp, 1.0)
        return _run(weather, architecture="air_cooled_chillers")


def test_failing_plant_is_resized_and_then_passes(
    resized: ThermalResult, unresized: ThermalResult
) -> None:
    r = resized.resizing
    assert not unresized.design_ok and resized.design_ok
    assert r.resized and not r.cap_reached
    assert resized.summary()["design_resized"] is True
    assert resized.summary()["design_resize_steps"] == r.steps
    # The short loop is the liquid loop (W32 at the 50-year dry-bulb); each step adds
    # max(1, ceil(0.02 x N0)) needed units (cooling.toml plant.resize_step_fraction).
    g = r.groups.index("air cooled chiller (liquid loop)")
    n0 = r.initial_needed[g]
    assert r.final_needed[g] - n0 == r.steps * max(1, math.ceil(0.02 * n0))
    # Installed = needed + one spare per block of 10 (plant.units_per_redundant_spare).
    assert r.final_installed[g] == r.final_needed[g] + math.ceil(r.final_needed[g] / 10)
    assert r.final_capacity_mw[g] == pytest.approx(1.5 * r.final_installed[g])
    # The air loop held its setpoint: untouched.
    a = r.groups.index("air cooled chiller (air loop)")
    assert r.final_installed[a] == r.initial_installed[a]
    # The design table quotes the resized count; the first sizing's findings are kept.
    table = resized.design_table.set_index("equipment")
    assert table.loc["air cooled chiller (liquid loop)", "count"] == r.final_installed[g]
    assert r.reasons and set(r.reasons) <= set(unresized.design_findings)
    assert not resized.hourly["water_class_exceeded"].any()
    assert resized.hourly["facility_supply_temp_c"].max() <= 32.0 + 0.05


def test_passing_plant_is_untouched(weather: Weather) -> None:
    r = _run(weather, architecture="liquid_towers")
    assert r.design_ok and not r.resizing.resized and r.resizing.steps == 0
    assert r.resizing.reasons == () and not r.resizing.cap_reached
    assert r.resizing.final_installed == r.resizing.initial_installed
    assert r.summary()["design_resized"] is False
    assert r.design_findings[0].startswith("plant holds W32")


def test_cap_stops_the_resizing_and_the_plant_still_fails(
    weather: Weather, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cap 1.05 x N0 is below the N+1 count the first sizing already installs: no step fits.
    _with_cap(monkeypatch, 1.05)
    r = _run(weather, architecture="air_cooled_chillers")
    assert not r.design_ok
    assert r.resizing.cap_reached and r.resizing.steps == 0
    assert r.summary()["design_resize_cap_reached"] is True
    assert any(f.startswith("resizing stopped at its cap") for f in r.design_findings)


def test_grown_sizes_hand_count_to_the_2n_cap() -> None:
    # N0 = 10 needed; step max(1, ceil(0.02 x 10)) = 1 unit; installed = n + ceil(n / 10).
    # 2N cap = 20 installed: n = 18 -> 20 allowed, n = 19 -> 21 refused, so 8 steps fit.
    p = load_parameters(CoolingSection(architecture="air_cooled_chillers"))
    initial = Sizes({"liquid": 10}, {"liquid": 11}, 0, 0, {}, 0.0, 0.0, 0.0, 0.0)
    sizes: Sizes | None = initial
    steps = 0
    while True:
        assert sizes is not None
        nxt = grown_sizes(p, initial, sizes, ("liquid",))
        if nxt is None:
            break
        sizes, steps = nxt, steps + 1
    assert steps == 8
    assert sizes is not None and sizes.chillers_needed["liquid"] == 18
    assert sizes.chillers_installed["liquid"] == 20


def test_resized_plant_power_changes_only_in_the_hours_it_was_short(
    resized: ThermalResult, unresized: ThermalResult
) -> None:
    # Hand argument. Chillers are staged on load (running = ceil(served / unit capacity)):
    # where the first plant carried the whole load, the same units run at the same
    # part-load ratio -> identical cooling power. Where it was short (supply above W32),
    # the liquid loop's deficit was D = (T_supply - 32) / ΔT_fws x Q_liquid (run_loop:
    # rise = ΔT · deficit / heat; ΔT_fws = 10 K, Q_liquid = IT to liquid + CDU pumps).
    # The chillers' share is S_new = Q_liquid (1 - economizer fraction); the resized plant
    # lifts all of it (the first one S_old = S_new - D), spread over more units at
    # a PLR <= 1. With EIRFPLR f(x) = 0.105 + 0.203 x + 0.690 x², the power per heat
    # f(x)/x rises with x above x = sqrt(0.105/0.690) = 0.39, so the resized loop's
    # power per heat lifted is not higher: P_new <= P_old · S_new / S_old. The power
    # rises with the extra heat and falls with the part-load gain: a small deficit can
    # even cost less power than running every unit flat out.
    before, after = unresized.hourly, resized.hourly
    supply = before["facility_supply_temp_c"].to_numpy()
    short = supply > 32.0 + 1e-9
    assert short.any() and (after["facility_supply_temp_c"] <= 32.0 + 0.05).all()
    np.testing.assert_allclose(
        after.loc[~short, "cooling_power_mw"], before.loc[~short, "cooling_power_mw"], rtol=1e-12
    )
    np.testing.assert_allclose(after["pumps_mw"], before["pumps_mw"], rtol=1e-12)
    b, a = before.loc[short], after.loc[short]
    q_liquid = (b["heat_to_liquid_mw"] + b["cdu_pumps_mw"]).to_numpy()
    deficit = (supply[short] - 32.0) / 10.0 * q_liquid
    s_new = q_liquid * (1.0 - b["economizer_fraction"].to_numpy())  # free cooling takes a share
    s_old = s_new - deficit
    p_old = b["liquid_loop_chillers_mw"].to_numpy()
    p_new = a["liquid_loop_chillers_mw"].to_numpy()
    assert (deficit > 0).all()
    assert (p_new <= p_old * s_new / s_old * (1 + 1e-9)).all()
    np.testing.assert_allclose(a["air_loop_chillers_mw"], b["air_loop_chillers_mw"], rtol=1e-12)


def test_typical_year_hours_above_the_class_fail_the_check(weather: Weather) -> None:
    # Rule: one typical-year hour above the class fails the plant (the design basis is
    # meant to bound those hours). A passing plant with one hour forced 0.5 K above W32.
    section = CoolingSection(architecture="liquid_towers")
    r = run_thermal(
        section,
        pd.Series(IT_MW, index=weather.hourly.index),
        LIQUID_FRACTION,
        pd.Series(IT_MW * LOSS_FRACTION, index=weather.hourly.index),
        weather,
    )
    assert r.design_ok
    p = load_parameters(section)
    loops = loop_specs(p, has_liquid=True)
    it_w, loss_w = IT_MW * MW, IT_MW * LOSS_FRACTION * MW
    liquid_w, air_w = it_w * LIQUID_FRACTION, it_w * (1 - LIQUID_FRACTION) + loss_w
    sizes = size_plant(p, loops, it_w, liquid_w, air_w, weather)
    points, surv = survival_check(p, loops, it_w, liquid_w, air_w, weather, sizes)
    hourly = r.hourly.copy()
    hourly.iloc[4000, hourly.columns.get_loc("water_class_exceeded")] = True
    hourly.iloc[4000, hourly.columns.get_loc("facility_supply_temp_c")] = 32.5
    basis = design_basis(loops)
    findings, ok = design_findings(p, loops, hourly, r.design_day, basis, points, surv, sizes)
    assert not ok
    assert findings == [
        "typical year: facility water above W32 limit (32 °C) for 1 h (max margin 0.5 K)"
    ]
