"""US standard types and catalog provenance.

Reference values: Glover, Overbye, Sarma, *Power System Analysis and Design*,
6th ed., Table A.4 (ACSR Drake: GMR 0.0375 ft, diameter 1.108 in, 907 A;
Falcon: GMR 0.0520 ft, diameter 1.545 in, 1,380 A) and the textbook
inductance/capacitance formulas x = 2 pi f 2e-4 ln(D/GMR) ohm/km,
c = 2 pi eps0 / ln(D/r); tolerance 1 %.
"""

from __future__ import annotations

import math
import pathlib

import pandapower as pp
import pytest

from gridimpact.errors import NetworkError
from gridimpact.grid import available_upgrades, load_network
from gridimpact.grid._data import read_catalog
from gridimpact.grid.memphis import great_circle_km
from gridimpact.grid.std_types import (
    line_type_parameters,
    register_us_std_types,
    trafo_type_parameters,
)
from tests.grid_helpers import section

EPS0_NF_PER_KM = 8.8541878128e-3 * 1e3  # nF/km


def _x_ohm_per_km(gmd_ft: float, gmr_ft: float) -> float:
    return 2 * math.pi * 60.0 * 2e-4 * math.log(gmd_ft / gmr_ft)


def _c_nf_per_km(gmd_ft: float, r_ft: float) -> float:
    return 2 * math.pi * EPS0_NF_PER_KM / math.log(gmd_ft / r_ft)


@pytest.mark.parametrize(
    ("name", "gmr_ft", "radius_ft", "gmd_ft"),
    [
        ("ACSR 795 Drake 161kV", 0.0375, 1.108 / 24, 21.0),
        ("ACSR 1590 Falcon 161kV", 0.0520, 1.545 / 24, 21.0),
        (
            "3xACSR 795 Drake 500kV",
            (0.0375 * 1.5**2) ** (1 / 3),
            (1.108 / 24 * 1.5**2) ** (1 / 3),
            41.6,
        ),
    ],
)
def test_line_types_follow_textbook_geometry(
    name: str, gmr_ft: float, radius_ft: float, gmd_ft: float
) -> None:
    data = line_type_parameters()[name]
    assert data["x_ohm_per_km"] == pytest.approx(_x_ohm_per_km(gmd_ft, gmr_ft), rel=0.01)
    assert data["c_nf_per_km"] == pytest.approx(_c_nf_per_km(gmd_ft, radius_ft), rel=0.01)


def test_drake_rating_at_161kv() -> None:
    drake = line_type_parameters()["ACSR 795 Drake 161kV"]
    assert drake["max_i_ka"] == pytest.approx(0.907)
    assert math.sqrt(3) * 161.0 * drake["max_i_ka"] == pytest.approx(252.9, abs=0.1)


def test_every_catalog_number_is_sourced() -> None:
    for file_name in ("grid_types.toml", "memphis_network.toml", "load_shape.toml"):
        stack: list[object] = [read_catalog(file_name)]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if "value" in item:
                    assert len(item["source"]) >= 3
                    assert item["confidence"] in {"published", "reported", "derived", "estimate"}
                    continue
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    for bus in read_catalog("memphis_network.toml")["bus"]:
        assert bus["source"]


def test_types_register_in_pandapower() -> None:
    net = pp.create_empty_network(f_hz=60.0)
    register_us_std_types(net)
    for name in line_type_parameters():
        assert pp.std_type_exists(net, name, "line")
    for name, data in trafo_type_parameters().items():
        assert pp.std_type_exists(net, name, "trafo")
        assert 600.0 <= data["sn_mva"] <= 1000.0


def test_great_circle_distance_memphis_to_nashville() -> None:
    # Memphis (35.1495 N, 90.0490 W) to Nashville (36.1627 N, 86.7816 W): ~315 km
    assert great_circle_km(35.1495, -90.0490, 36.1627, -86.7816) == pytest.approx(315, abs=5)


def test_unknown_upgrade_raises_network_error() -> None:
    assert "whitehaven_500kv" in available_upgrades()
    with pytest.raises(NetworkError, match="no_such_upgrade"):
        load_network(section(upgrades=("no_such_upgrade",)), pathlib.Path("."))


def test_upgrade_adds_elements() -> None:
    model = load_network(section(upgrades=("colossus1_third_circuit",)), pathlib.Path("."))
    assert model.name == "memphis_161kv + colossus1_third_circuit"
    assert "Allen - Colossus1 POI ckt 3" in model.topology.line_names
