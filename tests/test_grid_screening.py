"""Upgrade screening, another POI, and the sourced network parameters.

Reference values: the calibration of docs/network_memphis.md (N-1 hosting at
Whitehaven POI 161 kV ~232 MW, so 2,000 MW there is not N-1 secure; TVA
discussed a 500 kV loop for a GW-scale Memphis-area site, transmissionhub.com,
which the ``whitehaven_500kv_loop`` option represents and which hosts ~2.9 GW
N-1). Same-network results after ``with_poi`` must equal a fresh load (1e-9).
"""

from __future__ import annotations

import pathlib

import pandapower as pp
import pytest

from gridimpact.errors import NetworkError
from gridimpact.grid import (
    NetworkModel,
    load_network,
    network_parameters,
    run_n0,
    screen_upgrades,
    with_poi,
)
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.screening import applicable_upgrades, upgraded_model, with_prerequisites
from gridimpact.schema import Sourced
from tests.grid_helpers import C1_POI, PF_TAN, WH_POI, rated, section


@pytest.fixture(scope="module")
def wh() -> NetworkModel:
    """Whitehaven POI with the study's line ratings (Memphis year)."""
    return rated(load_network(section(WH_POI), pathlib.Path(".")))


def test_500kv_loop_clears_2gw_at_whitehaven(wh: NetworkModel) -> None:
    res = screen_upgrades(wh, 2000.0, 2000.0 * PF_TAN)
    opts = res.options.set_index("option")
    assert list(opts.index) == [
        "none",
        "colossus1_third_circuit",
        "whitehaven_500kv",
        "whitehaven_500kv_loop",
        "all",
    ]
    assert not opts.loc["none", "clears_n1"] and opts.loc["none", "attributable_n1"] > 0
    loop = opts.loc["whitehaven_500kv_loop"]
    assert loop.clears_n1 and loop.clears and loop.attributable_n1 == 0
    assert res.recommended == "whitehaven_500kv_loop"  # the cheaper 500 kV option fails N-1
    assert opts.loc["whitehaven_500kv", "new_circuit_km"] < loop.new_circuit_km
    assert loop.upgrades == "whitehaven_500kv + whitehaven_500kv_loop"
    assert loop.poi_bus == "Whitehaven 500kV"
    assert loop.hosting_n1_mw >= 2000.0 > opts.loc["none", "hosting_n1_mw"]
    assert loop.sk_mva > opts.loc["none", "sk_mva"]
    assert not opts.loc["whitehaven_500kv", "clears_n1"]
    assert res.best_option == "whitehaven_500kv_loop" and res.best_clears
    assert opts.loc["colossus1_third_circuit", "poi_bus"] == WH_POI


def test_screen_named_upgrades_only(wh: NetworkModel) -> None:
    # 80 MW at Whitehaven 161 kV is within its N-1 hosting (~99 MW, limit: loss of Allen CC)
    res = screen_upgrades(wh, 80.0, 80.0 * PF_TAN, upgrades=["colossus1_third_circuit"])
    assert list(res.options.option) == ["none", "colossus1_third_circuit"]
    assert res.best_option == "none" and res.best_clears and res.recommended == "none"
    with pytest.raises(NetworkError, match="no_such"):
        screen_upgrades(wh, 150.0, 49.0, upgrades=["no_such"])


def test_prerequisites_and_applicability(tmp_path: pathlib.Path) -> None:
    assert with_prerequisites("whitehaven_500kv_loop") == [
        "whitehaven_500kv",
        "whitehaven_500kv_loop",
    ]
    assert with_prerequisites("whitehaven_500kv_loop", ("whitehaven_500kv",)) == [
        "whitehaven_500kv_loop"
    ]
    net = pp.create_empty_network(f_hz=60.0)
    a, b = pp.create_bus(net, 161.0, name="A"), pp.create_bus(net, 161.0, name="B")
    pp.create_ext_grid(net, a)
    pp.create_line_from_parameters(net, a, b, 5.0, 0.07, 0.4, 9.0, 0.9)
    pp.to_json(net, str(tmp_path / "tiny.json"))
    tiny = load_network(section("B", network="tiny.json"), tmp_path)
    assert applicable_upgrades(tiny) == ()
    res = screen_upgrades(tiny, 10.0, 3.0)
    assert list(res.options.option) == ["none"]


def test_upgraded_model_keeps_criteria_and_moves_poi(wh: NetworkModel) -> None:
    up = upgraded_model(wh, ["whitehaven_500kv"])
    assert up.poi_bus == "Whitehaven 500kV" and up.upgrades == ("whitehaven_500kv",)
    assert up.criteria == wh.criteria and wh.poi_bus == WH_POI


def test_with_poi_equals_fresh_load(wh: NetworkModel) -> None:
    moved = with_poi(wh, C1_POI)
    fresh = rated(load_network(section(C1_POI), pathlib.Path(".")))
    a, b = run_n0(moved, 150.0, 49.0), run_n0(fresh, 150.0, 49.0)
    assert moved.poi_bus == C1_POI and wh.poi_bus == WH_POI
    assert a.poi_vm_pu == pytest.approx(b.poi_vm_pu, abs=1e-9)
    assert a.max_branch_loading_percent == pytest.approx(b.max_branch_loading_percent, abs=1e-9)
    assert len(moved.topology.load_p_mw) == len(wh.topology.load_p_mw)
    assert with_poi(wh, WH_POI) is wh
    with pytest.raises(NetworkError, match="Nowhere"):
        with_poi(wh, "Nowhere 161kV")


def test_candidate_poi_buses_in_section() -> None:
    assert section().candidate_poi_buses == ()
    s = section(candidate_poi_buses=(WH_POI,))
    assert s.candidate_poi_buses == (WH_POI,)


def test_network_parameters_builtin(wh: NetworkModel) -> None:
    rows = network_parameters(wh)
    names = [n for n, _ in rows]
    assert len(names) == len(set(names)) and 20 <= len(rows) <= 120
    # the attribution thresholds, rating assumptions and conductor data are listed too
    assert {"grid.attribution.distribution_factor_min", "grid.line_ratings.wind_speed_m_per_s",
            "grid.conductor[Drake].resistance2_ohm_per_m"} <= set(names)
    assert all(isinstance(v, Sourced) and len(v.source) >= 3 for _, v in rows)
    values = dict(rows)
    assert float(values["grid.criteria.vm_min_n1_pu"]) == 0.90
    assert float(values["grid.line_type[ACSR 795 Drake 161kV].max_i_ka"]) == 0.907
    assert float(values["grid.ext_grid.s_sc_max_mva"]) == 30000.0
    assert float(values["grid.gen[Allen CC].p_mw"]) == 1000.0
    assert float(values["grid.background_load_p_mw"]) == pytest.approx(3000.0)
    with_shape = dict(network_parameters(wh, include_load_shape=True))
    assert float(with_shape["grid.load_shape.system.annual_energy_gwh"]) == 13600.0
    assert len(with_shape) > len(values)
    custom = load_network(
        section(WH_POI, vm_min_n1_pu={"value": 0.92, "source": "utility criteria"}),
        pathlib.Path("."),
    )
    entry = dict(network_parameters(custom))["grid.criteria.vm_min_n1_pu"]
    assert entry.value == 0.92 and "case" in entry.source


def test_network_parameters_user_network(tmp_path: pathlib.Path) -> None:
    net = build_memphis_net()
    net.line["std_type"] = None
    pp.to_json(net, str(tmp_path / "m.json"))
    rows = dict(network_parameters(load_network(section(network="m.json"), tmp_path)))
    assert not any(k.startswith("grid.line_type") for k in rows)
    assert "grid.gen[Allen CC].p_mw" not in rows
    assert rows["grid.background_load_p_mw"].confidence == "reported"
    assert float(rows["grid.ext_grid.s_sc_max_mva"]) == 30000.0


def test_hosting_by_poi_matches_single_poi_runs(wh: NetworkModel) -> None:
    from gridimpact.grid import hosting_by_poi, hosting_capacity

    table = hosting_by_poi(wh, [C1_POI, WH_POI], 0.95, tolerance_mw=5.0)
    assert list(table.poi_bus) == [C1_POI, WH_POI]
    row = table.set_index("poi_bus").loc[WH_POI]
    assert row.mw_n1 == pytest.approx(hosting_capacity(wh, 0.95, tolerance_mw=5.0).mw_n1)
    assert table.set_index("poi_bus").loc[C1_POI, "mw_n1"] > row.mw_n1
    with pytest.raises(NetworkError):
        hosting_by_poi(wh, ["Nowhere"], 0.95)


def test_options_keep_the_short_circuit_on_a_user_network(tmp_path: pathlib.Path) -> None:
    """IEEE 39-bus (pandapower.networks.case39) has no fault data: the options table must
    carry the same filled IEC 60909 levels as the POI study (it used to be null), for
    the requested POI and for a candidate POI, minimum case below maximum."""
    import pandapower.networks as pn

    from gridimpact.grid.sc_defaults import run_short_circuit_filled

    pp.to_json(pn.case39(), str(tmp_path / "case39.json"))
    model = load_network(section("16", network="case39.json"), tmp_path)
    res = screen_upgrades(model, 200.0, 200.0 * PF_TAN, candidate_poi_buses=("4",))
    opts = res.options.set_index("option")
    assert list(opts.index) == ["none", "POI 4"]
    poi_sc = run_short_circuit_filled(model, 200.0)
    assert opts.loc["none", "sk_mva"] == pytest.approx(poi_sc.sk_mva)
    assert (opts.sk_min_mva > 0).all() and (opts.sk_min_mva < opts.sk_mva).all()
    assert opts.loc["POI 4", "kind"] == "poi" and opts.loc["POI 4", "poi_bus"] == "4"
