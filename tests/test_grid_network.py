"""Network loading and the intact-system power flow (N-0).

Reference values: the representative network is calibrated to public facts
(MLGW summer peak ~3,000 MW, WREG; four TVA delivery points, Daily Memphian;
150 MW approved for Colossus 1, TVA board 2024-11-07 via lpm.org) and the
engine is cross-checked against ``pandapower.runpp`` (voltages 1e-4 pu,
loadings 0.1 percentage points, tolerances of the grid-studies issue).
"""

from __future__ import annotations

import copy
import pathlib

import numpy as np
import pandapower as pp
import pytest

from gridimpact.errors import NetworkError
from gridimpact.grid import NetworkModel, background_load_mw, load_network, run_n0
from gridimpact.grid.memphis import build_memphis_net, great_circle_km
from tests.grid_helpers import C1_POI, PF_TAN, WH_POI, section


@pytest.fixture(scope="module")
def model() -> NetworkModel:
    return load_network(section(), pathlib.Path("."))


def test_network_size_and_geography(model: NetworkModel) -> None:
    buses = model.bus_table()
    assert list(buses.columns) == ["name", "vn_kv", "lat", "lon"]
    hv = buses[buses.vn_kv == 161.0]
    assert len(hv) >= 15
    assert buses.lat.between(34.9, 35.4).all() and buses.lon.between(-90.2, -89.6).all()
    assert {C1_POI, WH_POI} <= set(buses.name)
    # Colossus 1 POI within ~2 km of 3231 Paul R. Lowry Rd (35.06 N, 90.15 W, approximate)
    c1 = buses.set_index("name").loc[C1_POI]
    assert great_circle_km(c1.lat, c1.lon, 35.06, -90.15) < 2.0


def test_background_load_is_mlgw_summer_peak(model: NetworkModel) -> None:
    assert background_load_mw(model) == pytest.approx(3000.0, rel=1e-9)


def test_base_case_converges_without_violation(model: NetworkModel) -> None:
    res = run_n0(model, 0.0, 0.0)
    assert res.converged
    assert res.violations.empty, res.violations
    assert 0.95 <= res.min_vm_pu <= res.max_vm_pu <= 1.05
    assert res.max_branch_loading_percent <= 100.0
    assert set(res.bus_results.columns) == {"bus", "vn_kv", "vm_pu", "va_degree", "lat", "lon"}
    assert list(res.branch_results.columns) == [
        "branch",
        "kind",
        "from_bus",
        "to_bus",
        "loading_percent",
        "p_from_mw",
        "q_from_mvar",
    ]


def test_colossus1_150mw_converges_within_criteria(model: NetworkModel) -> None:
    res = run_n0(model, 150.0, 150.0 * PF_TAN)
    assert res.converged and res.violations.empty
    assert res.poi_bus == C1_POI
    assert 0.95 <= res.poi_vm_pu <= 1.05


def test_1100mw_at_colossus1_violates_n0(model: NetworkModel) -> None:
    res = run_n0(model, 1100.0, 1100.0 * PF_TAN)
    assert not res.violations.empty
    assert res.max_branch_loading_percent > 100.0
    assert set(res.violations.quantity) <= {"vm_pu", "loading_percent"}


def test_load_scale_reduces_loading(model: NetworkModel) -> None:
    peak = run_n0(model, 150.0, 49.0)
    light = run_n0(model, 150.0, 49.0, load_scale=0.6)
    assert light.converged
    assert (
        light.branch_results.set_index("branch").loc["Shelby T1", "loading_percent"]
        < (peak.branch_results.set_index("branch").loc["Shelby T1", "loading_percent"])
    )


def test_divergence_is_a_finding_not_a_crash(model: NetworkModel) -> None:
    res = run_n0(model, 20000.0, 8000.0)
    assert not res.converged
    assert "did not converge" in res.note


def test_engine_matches_pandapower_runpp(model: NetworkModel) -> None:
    ours = run_n0(model, 300.0, 300.0 * PF_TAN, load_scale=0.9)
    net = build_memphis_net()
    net.load["p_mw"] *= 0.9
    net.load["q_mvar"] *= 0.9
    net.gen["p_mw"] *= 0.9  # load-following dispatch, as the engine models load_scale
    poi = int(net.bus.index[net.bus.name == C1_POI][0])
    pp.create_load(net, poi, p_mw=300.0, q_mvar=300.0 * PF_TAN)
    pp.runpp(net, numba=False, tolerance_mva=1e-9)
    assert np.allclose(ours.bus_results.vm_pu, net.res_bus.vm_pu, atol=1e-4)
    ref = np.concatenate([net.res_line.loading_percent, net.res_trafo.loading_percent])
    assert np.allclose(ours.branch_results.loading_percent, ref, atol=0.1)


def test_pandapower_json_round_trip(tmp_path: pathlib.Path, model: NetworkModel) -> None:
    pp.to_json(build_memphis_net(), str(tmp_path / "memphis.json"))
    loaded = load_network(section(network="memphis.json"), tmp_path)
    assert loaded.name == "memphis"
    a, b = run_n0(loaded, 150.0, 49.0), run_n0(model, 150.0, 49.0)
    assert a.converged
    assert a.poi_vm_pu == pytest.approx(b.poi_vm_pu, abs=1e-9)
    assert a.max_branch_loading_percent == pytest.approx(b.max_branch_loading_percent, abs=1e-6)


def test_unknown_poi_bus_raises_network_error() -> None:
    with pytest.raises(NetworkError, match="No Such Bus"):
        load_network(section(poi_bus="No Such Bus"), pathlib.Path("."))


def test_missing_and_invalid_files_raise_network_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(NetworkError, match="not found"):
        load_network(section(network="absent.json"), tmp_path)
    (tmp_path / "bad.json").write_text("{ not json")
    with pytest.raises(NetworkError, match=r"bad\.json"):
        load_network(section(network="bad.json"), tmp_path)
    (tmp_path / "net.csv").write_text("a,b")
    with pytest.raises(NetworkError, match="unsupported"):
        load_network(section(network="net.csv"), tmp_path)


def test_matpower_mat_import(tmp_path: pathlib.Path) -> None:
    import pandapower.networks as pn
    from pandapower.converter.matpower.to_mpc import to_mpc

    to_mpc(pn.case9(), str(tmp_path / "case9.mat"), init="flat")
    loaded = load_network(section(poi_bus="5", network="case9.mat"), tmp_path)
    res = run_n0(loaded, 10.0, 3.0)
    assert res.converged and res.poi_bus == "5"


def test_model_does_not_leak_mutation(model: NetworkModel) -> None:
    before = copy.deepcopy(model.bus_table())
    run_n0(model, 500.0, 100.0)
    assert model.bus_table().equals(before)
    assert run_n0(model, 0.0, 0.0).violations.empty


def test_network_error_names_file_and_bus(tmp_path: pathlib.Path) -> None:
    pp.to_json(build_memphis_net(), str(tmp_path / "m.json"))
    with pytest.raises(NetworkError) as info:
        load_network(section(poi_bus="Nowhere 161kV", network="m.json"), tmp_path)
    line = info.value.one_line()
    assert "m.json" in line and "Nowhere 161kV" in line and "\n" not in line
    (tmp_path / "empty.json").write_text("{}")
    with pytest.raises(NetworkError, match=r"empty\.json"):
        load_network(section(network="empty.json"), tmp_path)
