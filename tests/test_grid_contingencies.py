"""The NERC TPL-001 contingency set: generator, shunt, common-structure, N-1-1, islanding.

References used here (none written by this project):

- IEEE 39-bus (New England) system as ``pandapower.networks.case39`` (MATPOWER
  ``case39``): generator set-points and ``max_p_mw`` (Pmax), load of bus 39.
- ``pandapower.runpp`` on that net with the outage applied by hand: bus voltages
  within 1e-4 pu, branch loadings within 0.1 percentage points (the tolerances of
  the grid-studies issue, as in tests/test_grid_n1.py).
- Hand calculations of the participation-factor re-dispatch written out below.
- Loss of the slack unit: ``runpp`` on the same net with the external grid out of
  service and the new slack unit marked ``gen.slack = True`` (pandapower's own
  slack-generator model), set-points re-dispatched by hand; the external grid's
  output in the intact case from ``runpp`` (``res_ext_grid.p_mw``).

Generator reactive limits are removed from the test nets so that the reference
(``runpp`` with ``enforce_q_lims=False``) and the engine differ only in what is
tested here, the outage itself.
"""

from __future__ import annotations

import copy
import math
import pathlib

import numpy as np
import pandapower as pp
import pandapower.networks as pn
import pytest

from gridimpact.errors import NetworkError
from gridimpact.grid import NetworkModel, load_network
from gridimpact.grid.contingencies import (
    CATEGORIES,
    Outage,
    contingency_set,
    injections_of,
    n11_critical_branches,
    plan_outage,
    redistribute_p_mw,
    solve_contingencies,
)
from gridimpact.grid.engine import energised_buses
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.model import model_from_net
from gridimpact.grid.n1 import N1Result, run_n1
from tests.grid_helpers import C1_POI, PF_TAN, section

VM_TOL_PU = 1e-4
LOADING_TOL_PCT = 0.1
CAMPUS_P_MW, CAMPUS_Q_MVAR = 100.0, 20.0
POI = "16"  # case39 bus 16 (position 15)


def _case39() -> pp.pandapowerNet:
    net = pn.case39()
    net.gen["min_q_mvar"] = np.nan
    net.gen["max_q_mvar"] = np.nan
    return net


def _model39(net: pp.pandapowerNet | None = None) -> NetworkModel:
    return model_from_net(net if net is not None else _case39(), "case39", POI, "IEEE 39-bus")


def _reference(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """runpp on a copy of ``net`` with the campus load at bus 16."""
    ref = copy.deepcopy(net)
    pp.create_load(ref, 15, p_mw=CAMPUS_P_MW, q_mvar=CAMPUS_Q_MVAR)
    pp.runpp(ref, numba=False, tolerance_mva=1e-9)
    return ref


def _one(model: NetworkModel, outage: Outage) -> N1Result:
    res = run_n1(model, CAMPUS_P_MW, CAMPUS_Q_MVAR, outages=[outage])
    assert res.converged and res.n_converged == 1
    return res


def _assert_matches(res: N1Result, ref: pp.pandapowerNet, skip_buses: tuple[int, ...] = ()) -> None:
    """One-outage N1Result (its worst values are that outage's) against runpp."""
    ours = res.bus_worst.min_vm_pu.to_numpy(float)
    theirs = ref.res_bus.vm_pu.to_numpy(float)
    keep = np.setdiff1d(np.arange(len(ours)), skip_buses)
    assert np.all(np.isnan(ours[list(skip_buses)]))
    assert np.max(np.abs(ours[keep] - theirs[keep])) < VM_TOL_PU
    loading = np.concatenate(
        [ref.res_line.loading_percent.fillna(0.0), ref.res_trafo.loading_percent.fillna(0.0)]
    )
    assert np.max(np.abs(res.branch_worst.max_loading_percent - loading)) < LOADING_TOL_PCT


def test_participation_factor_redistribution_by_hand() -> None:
    """Loss of case39 gen 0 (250 MW). Factors = Pmax; remaining units (Pg / Pmax, MW):
    G1 650/725, G2 632/652, G3 508/508, G4 650/687, G5 560/580, G6 540/564, G7 830/865,
    G8 1000/1100. G3 has no headroom. Round 1: 250 shared on sum(Pmax) = 5173 excluding
    G3: G2 +31.5 > 20, G5 +28.0 > 20, G6 +27.3 > 24, G7 +41.8 > 35 are capped (99 MW).
    Round 2: 151 MW on G1, G4, G8 (725 + 687 + 1100 = 2512): G4 +41.3 > 37 capped.
    Round 3: 114 MW on G1, G8 (1825): G1 +45.288 (695.288), G8 +68.712 (1068.712)."""
    p = np.array([650.0, 632, 508, 650, 560, 540, 830, 1000])
    pmax = np.array([725.0, 652, 508, 687, 580, 564, 865, 1100])
    new, slack = redistribute_p_mw(p, pmax, pmax, 250.0)
    hand = [650 + 114 * 725 / 1825, 652, 508, 687, 580, 564, 865, 1000 + 114 * 1100 / 1825]
    assert new == pytest.approx(hand, abs=1e-9)
    assert slack == 0.0
    # more than the headroom (311 MW): every unit at Pmax, the rest to the slack
    full, rest = redistribute_p_mw(p, pmax, pmax, 400.0)
    assert full == pytest.approx(pmax) and rest == pytest.approx(89.0)
    # no limit known: plain proportional sharing
    free, rest = redistribute_p_mw(
        np.array([100.0, 50.0]), np.array([3.0, 1.0]), np.full(2, np.nan), 40.0
    )
    assert free == pytest.approx([130.0, 60.0]) and rest == 0.0


def test_generator_outage_matches_runpp_with_hand_setpoints() -> None:
    model = _model39()
    outages = contingency_set(model, CAMPUS_P_MW, CAMPUS_Q_MVAR)
    gens = [o for o in outages if o.category == "generator"]
    assert len(gens) == 9  # every case39 unit; the external grid is not a candidate
    res = _one(model, gens[0])
    row = res.contingencies.iloc[0]
    assert row.category == "generator" and row.gen_lost_mw == pytest.approx(250.0)
    ref = _case39()
    ref.gen.loc[0, "in_service"] = False
    ref.gen.loc[1, "p_mw"] = 650 + 114 * 725 / 1825  # hand set-points (test above)
    ref.gen.loc[2:7, "p_mw"] = [652, 508, 687, 580, 564, 865]
    ref.gen.loc[8, "p_mw"] = 1000 + 114 * 1100 / 1825
    _assert_matches(res, _reference(ref))


def test_common_structure_from_the_case_matches_runpp(tmp_path: pathlib.Path) -> None:
    pp.to_json(_case39(), str(tmp_path / "case39.json"))
    pair = ["2 - 3 (line 2)", "2 - 25 (line 3)"]
    sec = section(POI, network="case39.json", common_structure=[pair])
    model = load_network(sec, tmp_path)
    outages = contingency_set(model, CAMPUS_P_MW, CAMPUS_Q_MVAR)
    p7 = [o for o in outages if o.category == "common_structure"]
    assert [o.lines for o in p7] == [(2, 3)]
    res = _one(model, p7[0])
    assert res.contingencies.islanded_buses.iloc[0] == 0
    ref = _case39()
    ref.line.loc[[2, 3], "in_service"] = False
    _assert_matches(res, _reference(ref))


def test_unknown_common_structure_line_is_a_network_error(tmp_path: pathlib.Path) -> None:
    pp.to_json(_case39(), str(tmp_path / "case39.json"))
    sec = section(POI, network="case39.json", common_structure=[["2 - 3 (line 2)", "no such"]])
    with pytest.raises(NetworkError, match=r"grid\.common_structure: line 'no such' not found"):
        load_network(sec, tmp_path)


def test_shunt_outage_matches_runpp() -> None:
    net = _case39()
    pp.create_shunt(net, 15, q_mvar=-150.0, name="cap 16")  # 150 Mvar capacitor at the POI
    model = _model39(net)
    shunts = [o for o in contingency_set(model, CAMPUS_P_MW, CAMPUS_Q_MVAR) if o.shunts]
    assert [(o.name, o.category) for o in shunts] == [("cap 16", "shunt")]
    res = _one(model, shunts[0])
    with_cap = _reference(net)
    ref = _reference(_case39())  # the same net without the capacitor
    assert with_cap.res_bus.vm_pu[15] - ref.res_bus.vm_pu[15] > 0.005  # the outage matters
    _assert_matches(res, ref)


def test_step_up_transformer_outage_is_the_loss_of_its_generator() -> None:
    """case39 trafo 0 (bus 2 - bus 30) is the only branch of generator bus 30 (gen 0,
    250 MW, no load): its outage islands that bus and must equal gen 0's outage."""
    model = _model39()
    gsu = Outage("2 - 30 (trafo 0)", "trafo", trafos=(0,))
    gen = Outage("G0", "generator", gens=(0,))
    res = run_n1(model, CAMPUS_P_MW, CAMPUS_Q_MVAR, outages=[gsu, gen])
    rows = res.contingencies.set_index("contingency")
    assert rows.loc[gsu.name, "islanded_buses"] == 1
    assert rows.loc[gsu.name, "load_lost_mw"] == 0.0
    assert rows.loc[gsu.name, "gen_lost_mw"] == pytest.approx(250.0)
    assert rows.loc[gsu.name, "consequence"] == "generation lost"
    assert res.max_load_lost_mw == 0.0
    assert list(res.load_loss.contingency) == [gsu.name]
    one_gsu, one_gen = _one(model, gsu), _one(model, gen)
    vm_gsu, vm_gen = one_gsu.bus_worst.min_vm_pu, one_gen.bus_worst.min_vm_pu
    assert np.isnan(vm_gsu[29]) and np.nanmax(np.abs(vm_gsu - vm_gen)) < 1e-8


def test_islanded_load_is_lost_and_the_rest_matches_runpp() -> None:
    """Lines 1-39 and 9-39 out together island bus 39: MATPOWER case39 bus 39 carries
    Pd = 1104 MW and a 1000 MW unit, so load_lost = 1104 MW and gen_lost = 1000 MW (hand
    sums). The island imported 104 MW, so nothing is re-dispatched (the slack absorbs
    the surplus); the rest must match runpp with both lines, the load and the unit out."""
    model = _model39()
    outage = Outage("1-39 + 9-39", "common_structure", lines=(1, 14))
    res = _one(model, outage)
    row = res.contingencies.iloc[0]
    assert row.islanded_buses == 1
    assert row.load_lost_mw == pytest.approx(1104.0) and res.max_load_lost_mw == pytest.approx(
        1104.0
    )
    assert row.gen_lost_mw == pytest.approx(1000.0)
    assert res.load_loss.islanded_bus_names.iloc[0] == "39"
    assert res.violations.empty or "islanded_buses" not in set(res.violations.quantity)
    plan = plan_outage(model.topology, injections_of(model, CAMPUS_P_MW, 1.0), outage,
                       energised_buses(model.topology))  # fmt: skip
    assert plan.slack_pickup_mw == pytest.approx(-104.0)
    ref = _case39()
    ref.line.loc[[1, 14], "in_service"] = False
    ref.load.loc[ref.load.bus == 38, "in_service"] = False
    ref.gen.loc[ref.gen.bus == 38, "in_service"] = False
    _assert_matches(res, _reference(ref), skip_buses=(38,))


@pytest.fixture(scope="module")
def c1() -> NetworkModel:
    return load_network(section(C1_POI), pathlib.Path("."))


def test_category_counts_match_the_memphis_network(c1: NetworkModel) -> None:
    res = run_n1(c1, 150.0, 150.0 * PF_TAN)
    net = c1.net_copy()
    n_crit = n11_critical_branches()
    expected = {
        "line": int(net.line.in_service.sum()),
        "trafo": int(net.trafo.in_service.sum()),
        "generator": int((net.gen.in_service & ~net.gen.slack & (net.gen.p_mw > 0)).sum()),
        "shunt": int(net.shunt.in_service.sum()),
        "common_structure": len(net["common_structure"]),
        # every pair of the critical set, less the pair that is the P7 double circuit
        "n-1-1": math.comb(n_crit, 2) - 1,
    }
    assert expected == {"line": 39, "trafo": 6, "generator": 1, "shunt": 1,
                        "common_structure": 1, "n-1-1": 5}  # fmt: skip
    assert res.outage_count_by_category == expected
    assert list(res.outage_count_by_category) == list(CATEGORIES)
    assert res.n_contingencies == sum(expected.values()) == len(res.contingencies)
    # the double-circuit tap to the POI: both circuits out cuts the campus off
    p7 = res.contingencies[res.contingencies.category == "common_structure"].iloc[0]
    assert p7.load_lost_mw == pytest.approx(150.0) and p7.islanded_buses == 1
    assert res.max_load_lost_mw == pytest.approx(150.0)
    n11 = res.contingencies[res.contingencies.category == "n-1-1"].contingency
    assert all(", then " in name for name in n11)
    assert sum("Allen - Colossus1 POI ckt" in name for name in n11) == 4  # incident circuits


def test_verdict_does_not_depend_on_outage_order(tmp_path: pathlib.Path) -> None:
    """A radial tap to the POI (its outage islands the campus) listed first or last."""
    net = build_memphis_net()
    radial = pp.create_bus(net, vn_kv=161.0, name="Radial 161kV")
    pp.create_line(net, 8, radial, 5.0, "ACSR 795 Drake 161kV", name="radial tap")
    pp.to_json(net, str(tmp_path / "radial.json"))
    model = load_network(section("Radial 161kV", network="radial.json"), tmp_path)
    outages = contingency_set(model, 200.0, 40.0)
    assert outages[0].category == "line"
    results = [run_n1(model, 200.0, 40.0, outages=o) for o in (outages, outages[::-1])]
    results.append(run_n1(model, 200.0, 40.0))
    cols = ["contingency", "element", "quantity"]
    for res in results:
        assert res.load_loss.contingency.iloc[0] == "radial tap"
        assert res.max_load_lost_mw == pytest.approx(200.0)
        assert res.secure == results[0].secure
        assert res.worst_loading_percent == pytest.approx(results[0].worst_loading_percent)
        assert res.min_vm_pu == pytest.approx(results[0].min_vm_pu)
        got = res.violations.sort_values(cols).reset_index(drop=True)
        ref = results[0].violations.sort_values(cols).reset_index(drop=True)
        assert got[cols].equals(ref[cols]) and np.allclose(got.value, ref.value)
        assert res.load_loss.equals(results[0].load_loss)


def test_pandapower_fallback_solves_generator_and_shunt_outages() -> None:
    """case9 with a motor (no lightsim2grid converter) and a capacitor: the fallback engine
    must solve the unit and shunt outages as runpp does with them switched off."""
    net = pn.case9()
    net.gen["min_q_mvar"] = np.nan
    net.gen["max_q_mvar"] = np.nan
    pp.create_motor(net, 6, pn_mech_mw=5.0, cos_phi=0.9, efficiency_percent=95.0)
    pp.create_shunt(net, 4, q_mvar=-30.0, name="cap 5")
    model = model_from_net(net, "case9", "5", "case9 + motor")
    assert model.engine == "pandapower"
    outages = [o for o in contingency_set(model, 0.0, 0.0) if o.gens or o.shunts]
    assert [o.category for o in outages] == ["generator", "generator", "shunt"]
    inj = injections_of(model, 0.0, 1.0)
    for outage in (outages[0], outages[2]):
        res = run_n1(model, 0.0, 0.0, outages=[outage])
        plan = plan_outage(model.topology, inj, outage, energised_buses(model.topology))
        ref = copy.deepcopy(net)
        ref.gen.loc[list(plan.gen_off), "in_service"] = False
        ref.gen.loc[list(plan.gen_moved), "p_mw"] = plan.gen_moved_p_mw
        ref.shunt.loc[list(plan.shunt_off), "in_service"] = False
        pp.runpp(ref, numba=False, tolerance_mva=1e-9)
        vm = res.bus_worst.min_vm_pu.to_numpy(float)
        assert np.max(np.abs(vm - ref.res_bus.vm_pu.to_numpy(float))) < VM_TOL_PU


# ---------------------------------------------------------------- loss of the slack unit

SLACK_TRAFO = 1  # case39 trafo 1, bus 6 - bus 31: the only branch of the external grid's bus


def _slack_outage(model: NetworkModel) -> Outage:
    return Outage(model.topology.trafo_names[SLACK_TRAFO], "trafo", trafos=(SLACK_TRAFO,))


def _without_slack_trafo(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """``net`` (case39) with trafo 6-31, the external grid and the load of bus 31 out,
    unit G0 (bus 30) the slack and G1..G8 at Pmax: the hand re-dispatch below."""
    ref = copy.deepcopy(net)
    ref.trafo.loc[SLACK_TRAFO, "in_service"] = False
    ref.ext_grid["in_service"] = False
    ref.load.loc[ref.load.bus == 30, "in_service"] = False
    ref.gen.loc[0, "slack"] = True
    ref.gen.loc[1:8, "p_mw"] = ref.gen.loc[1:8, "max_p_mw"]
    return ref


def test_outage_cutting_off_the_external_grid_is_the_loss_of_the_slack_unit() -> None:
    """case39's external grid (bus 31, the slack) connects to the rest only through
    trafo 6-31. Its outage leaves 38 buses, 9 units and 6245 MW of load without the
    slack: that is the loss of the slack unit and of the 9.2 MW load of bus 31 (MATPOWER
    case39 Pd), not the loss of 38 buses. Lost net export L = P_ext - 9.2 MW, with P_ext
    the external grid's intact output (runpp, campus included). Re-dispatch by Pmax,
    sum(Pmax) without G3 (no headroom) = 6213 MW: for L > 643 MW every unit but G0 is
    capped in round 1 (G1 needs L > 75 * 6213 / 725 = 643, the others less), they take
    their headroom 75 + 20 + 37 + 20 + 24 + 35 + 100 = 311 MW, G0 the rest (below its
    790 MW headroom while L < 1101). G0 is then the only unit with headroom: the new slack."""
    model = _model39()
    outage = _slack_outage(model)
    intact = _reference(_case39())
    p_ext = float(intact.res_ext_grid.p_mw.iloc[0])
    lost = p_ext - 9.2
    assert 643.0 < lost < 1101.0  # the hand re-dispatch above applies
    res = _one(model, outage)
    row = res.contingencies.iloc[0]
    assert row.islanded_buses == 1 and res.load_loss.islanded_bus_names.iloc[0] == "31"
    assert row.load_lost_mw == pytest.approx(9.2) and res.max_load_lost_mw == pytest.approx(9.2)
    assert row.gen_lost_mw == pytest.approx(p_ext, abs=1e-3)
    assert row.consequence.startswith("slack unit lost (load and generation lost")
    sol = solve_contingencies(model, CAMPUS_P_MW, CAMPUS_Q_MVAR, 1.0, [outage])
    assert list(sol.slack_lost) == [True] and list(sol.new_slack_gen) == [0]
    inj = injections_of(model, CAMPUS_P_MW, 1.0, sol.base)
    plan = plan_outage(model.topology, inj, outage, energised_buses(model.topology))
    assert list(plan.slack_off) == [9]  # the unit lightsim2grid made of the external grid
    assert plan.gen_moved_p_mw[0] == pytest.approx(250.0 + lost - 311.0, abs=1e-3)
    assert plan.slack_pickup_mw == 0.0
    ref = _without_slack_trafo(_case39())
    ref.gen.loc[0, "p_mw"] = 250.0 + lost - 311.0  # the slack: its set-point does not matter
    _assert_matches(res, _reference(ref), skip_buses=(30,))


def test_new_slack_unit_is_not_held_at_a_reactive_limit() -> None:
    """As above with generator Q limits and G0's Qmax lowered to 200 Mvar: as the new
    slack G0 supplies ~248 Mvar. A slack unit is not limited (runpp(enforce_q_lims=True)
    leaves the reference generators free), so the result must match runpp with limits."""
    net = pn.case39()
    net.gen.loc[0, "max_q_mvar"] = 200.0
    model = _model39(net)
    res = _one(model, _slack_outage(model))
    ref = _without_slack_trafo(net)
    pp.create_load(ref, 15, p_mw=CAMPUS_P_MW, q_mvar=CAMPUS_Q_MVAR)
    pp.runpp(ref, numba=False, tolerance_mva=1e-9, enforce_q_lims=True)
    assert ref.res_gen.q_mvar.iloc[0] > 200.0 + 10.0  # beyond its limit, as the slack
    _assert_matches(res, ref, skip_buses=(30,))


def test_slack_loss_does_not_depend_on_outage_order() -> None:
    model = _model39()
    outages = [
        _slack_outage(model),
        Outage("2 - 30 (trafo 0)", "trafo", trafos=(0,)),
        Outage("G0", "generator", gens=(0,)),
        Outage("1-39 + 9-39", "common_structure", lines=(1, 14)),
    ]
    results = [
        run_n1(model, CAMPUS_P_MW, CAMPUS_Q_MVAR, outages=o) for o in (outages, outages[::-1])
    ]
    first, second = (r.contingencies.set_index("contingency").sort_index() for r in results)
    assert first.equals(second)
    assert results[0].load_loss.equals(results[1].load_loss)
    assert first.loc["2 - 30 (trafo 0)", "gen_lost_mw"] == pytest.approx(250.0)  # unchanged
    assert first.loc["1-39 + 9-39", "load_lost_mw"] == pytest.approx(1104.0)  # unchanged


@pytest.mark.parametrize("motor", [False, True], ids=["lightsim2grid", "pandapower"])
def test_slack_loss_on_case9_matches_runpp_with_hand_setpoints(motor: bool) -> None:
    """case9: line 1-4 is the only branch of the external grid's bus 1 (no load there).
    Its outage loses the slack, L = P_ext (runpp, intact). Units G0 (bus 2, 163 MW,
    Pmax 300) and G1 (bus 3, 85 MW, Pmax 270) share L by Pmax, both below Pmax; G0 (larger
    factor) becomes the slack and G1 is set to 85 + L * 270 / 570. With a motor the
    network needs the pandapower fallback engine, which must do the same."""
    net = pn.case9()
    net.gen["min_q_mvar"] = np.nan
    net.gen["max_q_mvar"] = np.nan
    if motor:
        pp.create_motor(net, 6, pn_mech_mw=5.0, cos_phi=0.9, efficiency_percent=95.0)
    model = model_from_net(net, "case9", "5", "case9")
    assert model.engine == ("pandapower" if motor else "lightsim2grid")
    intact = copy.deepcopy(net)
    pp.runpp(intact, numba=False, tolerance_mva=1e-9)
    lost = float(intact.res_ext_grid.p_mw.iloc[0])
    assert 163.0 + lost * 300 / 570 < 300.0 and 85.0 + lost * 270 / 570 < 270.0
    outage = Outage("1 - 4", "line", lines=(0,))
    assert (model.topology.line_from[0], model.topology.line_to[0]) == (0, 3)
    res = run_n1(model, 0.0, 0.0, outages=[outage])
    assert res.n_converged == 1
    row = res.contingencies.iloc[0]
    assert row.islanded_buses == 1 and row.load_lost_mw == 0.0
    assert row.gen_lost_mw == pytest.approx(lost, abs=1e-3)
    assert row.consequence.startswith("slack unit lost (generation lost")
    sol = solve_contingencies(model, 0.0, 0.0, 1.0, [outage])
    assert list(sol.new_slack_gen) == [0]
    ref = copy.deepcopy(net)
    ref.line.loc[0, "in_service"] = False
    ref.ext_grid["in_service"] = False
    ref.gen.loc[0, "slack"] = True
    ref.gen.loc[0, "p_mw"] = 163.0 + lost * 300 / 570
    ref.gen.loc[1, "p_mw"] = 85.0 + lost * 270 / 570
    pp.runpp(ref, numba=False, tolerance_mva=1e-9)
    vm = res.bus_worst.min_vm_pu.to_numpy(float)
    assert np.isnan(vm[0])
    assert np.max(np.abs(vm[1:] - ref.res_bus.vm_pu.to_numpy(float)[1:])) < VM_TOL_PU
    loading = ref.res_line.loading_percent.fillna(0.0).to_numpy(float)
    assert np.max(np.abs(res.branch_worst.max_loading_percent - loading)) < LOADING_TOL_PCT
