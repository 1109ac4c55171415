"""GPU-system sensitivity of the 1M case: GB300 NVL72 beside the case's GB200 NVL72."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from gridimpact.case import LoadedCase, load_case
from gridimpact.compute import compute_it_load
from gridimpact.errors import CaseError
from gridimpact.facility import compute_facility_load, electrical_loss_heat_mw
from gridimpact.gpu_sensitivity import SENSITIVITY_COLUMNS, run_gpu_sensitivity
from gridimpact.thermal import run_thermal
from gridimpact.weather import Weather, load_weather
from tests.conftest import CASE_1M


@pytest.fixture(scope="module")
def loaded() -> LoadedCase:
    return load_case(CASE_1M)


@pytest.fixture(scope="module")
def weather(loaded: LoadedCase) -> Weather:
    return load_weather(loaded.case.weather, loaded.base_dir, case_file=str(loaded.path))


@pytest.fixture(scope="module")
def table(loaded: LoadedCase, weather: Weather) -> pd.DataFrame:
    return run_gpu_sensitivity(loaded, weather, loaded.case.compute.sensitivity_gpu_models)


def test_rows_and_columns(table: pd.DataFrame, loaded: LoadedCase) -> None:
    assert loaded.case.compute.sensitivity_gpu_models == ("GB300-NVL72",)
    assert tuple(table.columns) == SENSITIVITY_COLUMNS
    assert list(table["gpu_model"]) == ["GB200-NVL72", "GB300-NVL72"]
    assert list(table["selected"]) == [True, False]
    assert table["cooling_design_ok"].all()


def test_gb300_it_peak_follows_the_gpu_tdp_step(table: pd.DataFrame) -> None:
    # IT peak = GPUs x system power per GPU x (1 + fabric 0.08) x peak draw 0.85.
    # GB200 NVL72: 1e6 x 120,000 / 72 x 1.08 x 0.85 = 1,530.0 MW.
    # GB300 NVL72: the rack gains 72 GPUs x (1,400 - 1,200) W TDP = 14.4 kW, the host
    # (Grace CPUs, switch trays) is unchanged: 1e6 x 134,400 / 72 x 1.08 x 0.85 = 1,713.6 MW.
    # The IT ratio 1 + 72 x 200 / 120,000 = 1.12 is below the bare TDP ratio 1,400 / 1,200
    # = 1.167 because only the GPU share of the rack power scales with the TDP.
    rows = table.set_index("gpu_model")
    gb200, gb300 = rows.loc["GB200-NVL72"], rows.loc["GB300-NVL72"]
    assert gb200["gpu_tdp_w"] == 1200.0 and gb300["gpu_tdp_w"] == 1400.0
    assert gb200["it_peak_mw"] == pytest.approx(1530.0, rel=1e-12)
    assert gb300["it_peak_mw"] == pytest.approx(1713.6, rel=1e-12)
    ratio = 1.0 + 72 * (gb300["gpu_tdp_w"] - gb200["gpu_tdp_w"]) / 120_000.0
    assert gb300["it_peak_mw"] / gb200["it_peak_mw"] == pytest.approx(ratio, rel=1e-12)
    assert ratio < gb300["gpu_tdp_w"] / gb200["gpu_tdp_w"]
    # More IT power -> more facility power and energy on the same site.
    assert gb300["facility_peak_mw"] > gb200["facility_peak_mw"]
    assert gb300["annual_energy_gwh"] > gb200["annual_energy_gwh"]


def test_selected_row_equals_the_main_study_chain(
    table: pd.DataFrame, loaded: LoadedCase, weather: Weather
) -> None:
    # The chain of gridimpact.study.run_loaded_study for the case as written.
    case = loaded.case
    it = compute_it_load(case.compute, pd.DatetimeIndex(weather.hourly.index))
    loss = electrical_loss_heat_mw(case.facility, it)
    thermal = run_thermal(case.cooling, it.hourly_it_mw, it.liquid_fraction, loss, weather)
    facility = compute_facility_load(case.facility, it, thermal)
    row = table.loc[table["selected"]].iloc[0]
    assert row["it_peak_mw"] == it.it_peak_mw
    assert row["facility_peak_mw"] == facility.peak_mw
    assert row["pue_design_day"] == facility.pue_design_day
    assert row["pue_annual"] == facility.pue_annual
    assert row["annual_energy_gwh"] == facility.annual_energy_gwh
    assert row["water_makeup_avg_mgd"] == thermal.summary()["mean_makeup_water_mgd"]
    assert row["cooling_design_ok"] == thermal.design_ok
    assert row["resized"] == thermal.resizing.resized


def test_own_model_only_once_and_unknown_key_is_a_case_error(
    loaded: LoadedCase, weather: Weather
) -> None:
    one = run_gpu_sensitivity(loaded, weather, ("GB200-NVL72",))
    assert list(one["gpu_model"]) == ["GB200-NVL72"] and one["selected"].all()
    with pytest.raises(CaseError, match=r"compute\.sensitivity_gpu_models.*'B999'"):
        run_gpu_sensitivity(loaded, weather, ("B999",))


def test_unknown_key_in_the_case_file_is_a_one_line_case_error(
    edited_case: Callable[[str, str], Path],
) -> None:
    path = edited_case(
        r'^gpu_model = "H100"$', 'gpu_model = "H100"\nsensitivity_gpu_models = ["X1"]'
    )
    with pytest.raises(CaseError) as err:
        load_case(path)
    text = str(err.value)
    assert "compute.sensitivity_gpu_models" in text and "'X1'" in text and "\n" not in text
