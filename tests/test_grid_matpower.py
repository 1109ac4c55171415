"""MATPOWER ``.m`` import (pandapower ``from_mpc`` + ``matpowercaseframes``).

Reference values: MATPOWER's ``case9`` (R. D. Zimmerman et al., MATPOWER,
IEEE Trans. Power Syst. 26(1), 2011; data from J. H. Chow (ed.), *Time-Scale
Modeling of Dynamic Networks with Applications to Power Systems*, Springer,
1982, p. 70): 9 buses, 315 MW of load at buses 5, 7 and 9. Our engine is
checked against ``pandapower.runpp`` on the same converted net (1e-6 pu).
"""

from __future__ import annotations

import pathlib
import warnings

import numpy as np
import pandapower as pp
import pytest

from gridimpact.case.grid import GridSection
from gridimpact.grid import load_network, run_n0, run_n1

CASE9_M = """function mpc = case9
mpc.version = '2';
mpc.baseMVA = 100;
%% bus data
mpc.bus = [
    1 3 0 0 0 0 1 1 0 345 1 1.1 0.9;
    2 2 0 0 0 0 1 1 0 345 1 1.1 0.9;
    3 2 0 0 0 0 1 1 0 345 1 1.1 0.9;
    4 1 0 0 0 0 1 1 0 345 1 1.1 0.9;
    5 1 90 30 0 0 1 1 0 345 1 1.1 0.9;
    6 1 0 0 0 0 1 1 0 345 1 1.1 0.9;
    7 1 100 35 0 0 1 1 0 345 1 1.1 0.9;
    8 1 0 0 0 0 1 1 0 345 1 1.1 0.9;
    9 1 125 50 0 0 1 1 0 345 1 1.1 0.9;
];
%% generator data
mpc.gen = [
    1 72.3 27.03 300 -300 1.04 100 1 250 10 0 0 0 0 0 0 0 0 0 0 0;
    2 163 6.54 300 -300 1.025 100 1 300 10 0 0 0 0 0 0 0 0 0 0 0;
    3 85 -10.95 300 -300 1.025 100 1 270 10 0 0 0 0 0 0 0 0 0 0 0;
];
%% branch data
mpc.branch = [
    1 4 0 0.0576 0 250 250 250 0 0 1 -360 360;
    4 5 0.017 0.092 0.158 250 250 250 0 0 1 -360 360;
    5 6 0.039 0.17 0.358 150 150 150 0 0 1 -360 360;
    3 6 0 0.0586 0 300 300 300 0 0 1 -360 360;
    6 7 0.0119 0.1008 0.209 150 150 150 0 0 1 -360 360;
    7 8 0.0085 0.072 0.149 250 250 250 0 0 1 -360 360;
    8 2 0 0.0625 0 250 250 250 0 0 1 -360 360;
    8 9 0.032 0.161 0.306 250 250 250 0 0 1 -360 360;
    9 4 0.01 0.085 0.176 250 250 250 0 0 1 -360 360;
];
"""


def section(poi_bus: str, network: str) -> GridSection:
    """A ``[grid]`` table for the tests (utility numbers are placeholders)."""
    sourced = {"unit": "MW", "source": "test value", "confidence": "estimate"}
    return GridSection(
        network=network,
        poi_bus=poi_bus,
        utility_name="test",
        utility_peak_mw={"value": 315.0, **sourced},
        system_peak_mw={"value": 315.0, **sourced},
    )


@pytest.fixture
def case9_m(tmp_path: pathlib.Path) -> pathlib.Path:
    pytest.importorskip("matpowercaseframes")
    path = tmp_path / "case9.m"
    path.write_text(CASE9_M)
    return path


def test_matpower_m_file_loads_with_bus_numbers(case9_m: pathlib.Path) -> None:
    model = load_network(section("5", case9_m.name), case9_m.parent)
    assert list(model.bus_table().name) == [str(i) for i in range(1, 10)]
    assert "315 MW load" in model.description
    # MATPOWER bus 5 carries the 90 MW load: it is the POI the case names
    res = run_n0(model, 0.0, 0.0)
    assert res.converged and res.poi_bus == "5"


def test_matpower_m_file_matches_pandapower(case9_m: pathlib.Path) -> None:
    from pandapower.converter.matpower.from_mpc import from_mpc

    model = load_network(section("7", case9_m.name), case9_m.parent)
    ours = run_n0(model, 20.0, 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = from_mpc(str(case9_m), f_hz=60)
    pp.create_load(net, int(net.bus.index[6]), p_mw=20.0, q_mvar=5.0)
    pp.runpp(net, numba=False, tolerance_mva=1e-9)
    assert np.allclose(ours.bus_results.vm_pu, net.res_bus.vm_pu, atol=1e-6)
    counts = run_n1(model, 20.0, 5.0).outage_count_by_category
    # case9: 9 branches (all lines), 3 generators of which one is the slack
    assert counts["line"] == 9 and counts["trafo"] == 0 and counts["generator"] == 2


def test_islanded_poi_is_one_network_error(tmp_path: pathlib.Path) -> None:
    """A POI bus with no branch to the rest of case9 (added bus 10) is refused when the
    network is loaded, naming the file and the bus, before any study runs."""
    from gridimpact.errors import NetworkError

    text = CASE9_M.replace(
        "    9 1 125 50 0 0 1 1 0 345 1 1.1 0.9;\n",
        "    9 1 125 50 0 0 1 1 0 345 1 1.1 0.9;\n    10 1 0 0 0 0 1 1 0 345 1 1.1 0.9;\n",
    )
    path = tmp_path / "case9i.m"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NetworkError, match=r"case9i\.m: POI bus '10' is islanded"):
        load_network(section("10", network=path.name), tmp_path)
    assert load_network(section("9", network=path.name), tmp_path).poi_bus == "9"
