"""Attribution of violations to the campus, and hosting capacity from the first attributable one.

References and tolerances:
- 3-bus mesh: the campus's share of its power on a branch is the DC distribution
  factor of two parallel paths, DF = X_direct / (X_direct + X_detour) (Wood &
  Wollenberg, Power Generation, Operation, and Control, 3rd ed., ch. 7, PTDF of a
  two-path network), in MVA per MW at the campus power factor (/0.95); the AC value
  agrees within 0.01.
- IEEE 39-bus (pandapower.networks.case39, a network nobody here wrote): the N-0
  hosting capacity at bus 16 equals an independent bisection written below with
  pandapower's own ``runpp`` (generator Q limits enforced, as the engine does) and the
  thresholds of ``data/grid_types.toml``
  ``[attribution]`` (tolerance 2 MW: two 1-MW bisections).
"""

from __future__ import annotations

import math
import pathlib
import warnings

import pandapower as pp
import pandapower.networks as pn
import pytest

from gridimpact.grid import hosting_capacity, load_network, run_n0, run_n1
from gridimpact.grid.attribution import (
    AttributionRules,
    attributable,
    attribute_violations,
    branch_rating_mva,
    study_verdict,
)
from gridimpact.grid.model import NetworkModel
from tests.grid_helpers import section

X_OHM_PER_KM = 0.4


def _three_bus(tmp_path: pathlib.Path) -> pathlib.Path:
    """A (source) - B (existing 200 MW load) - C (campus); A-C 1 km, A-B and B-C 20 km.

    A-B is rated 0.3 kA: the existing load alone overloads it (about half of the
    load at B flows on A-B, 0.37 kA).
    """
    net = pp.create_empty_network(f_hz=60.0)
    a, b, c = (pp.create_bus(net, 161.0, name=n) for n in "ABC")
    pp.create_ext_grid(net, a, vm_pu=1.02)
    for f, t, km, ka, name in ((a, b, 20.0, 0.3, "A-B"), (b, c, 20.0, 2.0, "B-C"),
                               (a, c, 1.0, 2.0, "A-C")):
        pp.create_line_from_parameters(
            net, f, t, km, r_ohm_per_km=0.05, x_ohm_per_km=X_OHM_PER_KM, c_nf_per_km=0.0,
            max_i_ka=ka, name=name,
        )
    pp.create_load(net, b, p_mw=200.0, q_mvar=40.0, name="existing")
    path = tmp_path / "three_bus.json"
    pp.to_json(net, str(path))
    return path


@pytest.fixture()
def three_bus(tmp_path: pathlib.Path) -> pathlib.Path:
    return _three_bus(tmp_path)


def _model(path: pathlib.Path, poi: str) -> NetworkModel:
    return load_network(section(poi, network=path.name), path.parent)


def test_preexisting_overload_the_campus_barely_touches_is_not_attributed(
    three_bus: pathlib.Path,
) -> None:
    model = _model(three_bus, "C")
    without = run_n0(model, 0.0, 0.0)
    assert list(without.violations.element) == ["A-B"]  # the overload exists before the project
    p = 100.0
    with_campus = run_n0(model, p, 0.329 * p)
    table = attribute_violations(
        with_campus.violations, without.violations, p, branch_rating_mva(model.topology)
    )
    row = table.set_index("element").loc["A-B"]
    # X_AC / (X_AC + X_AB + X_BC) of the campus MW, in MVA per MW at pf 0.95: 2.6 %
    df_hand = 1.0 / (1.0 + 20.0 + 20.0) / 0.95
    assert row.preexisting
    assert row.distribution_factor == pytest.approx(df_hand, abs=0.01)
    assert not row.attributable
    assert attributable(table).empty


def test_campus_on_the_overloaded_path_is_attributed(three_bus: pathlib.Path) -> None:
    model = _model(three_bus, "B")
    without = run_n0(model, 0.0, 0.0)
    p = 100.0
    with_campus = run_n0(model, p, 0.329 * p)
    table = attribute_violations(
        with_campus.violations, without.violations, p, branch_rating_mva(model.topology)
    )
    row = table.set_index("element").loc["A-B"]
    # share of a load at B on A-B, X_(A-C-B) / X_loop = 51 % of the MW, / pf 0.95 in MVA
    df_hand = (20.0 + 1.0) / 41.0 / 0.95
    assert row.preexisting and row.attributable
    assert row.distribution_factor == pytest.approx(df_hand, abs=0.01)


def test_hosting_capacity_ignores_a_preexisting_violation(three_bus: pathlib.Path) -> None:
    model = _model(three_bus, "C")
    host = hosting_capacity(model, 0.95, tolerance_mw=1.0)
    # before attribution this was 0 MW (the network fails N-0 without the campus);
    # now the limit is A-C, which carries 97.6 % of the campus (hand DF above):
    # 0.976 P/0.95 + the B-load share on A-C (~0.49 * 204 MVA) ~ sqrt(3)*161*2 = 558 MVA
    assert host.limiting_element_n0 == "A-C"
    s_ac_mva = math.sqrt(3.0) * 161.0 * 2.0
    p_hand = (s_ac_mva - 0.49 * math.hypot(200.0, 40.0)) * 0.95 / 0.976
    assert host.mw_n0 == pytest.approx(p_hand, rel=0.05)


def test_verdict_counts_preexisting_apart(three_bus: pathlib.Path) -> None:
    model = _model(three_bus, "C")
    p, q = 100.0, 32.9
    verdict = study_verdict(
        model.topology,
        p,
        (run_n0(model, 0.0, 0.0), run_n0(model, p, q)),
        (run_n1(model, 0.0, 0.0), run_n1(model, p, q)),
    )
    assert verdict.preexisting_count_n0 == 1
    assert verdict.attributable_count_n0 == 0 and verdict.secure_n0


def _independent_n0_hosting(bus: int, pf: float, rules: AttributionRules) -> float:
    """Bisection with pandapower.runpp and the attribution rule written out here."""
    net = pn.case39()
    load = pp.create_load(net, bus, p_mw=0.0, q_mvar=0.0)
    tan = math.tan(math.acos(pf))
    line_mva = {
        f"l{i}": math.sqrt(3.0) * net.bus.vn_kv[r.from_bus] * r.max_i_ka * r.df * r.parallel
        for i, r in net.line.iterrows()
    }
    trafo_mva = {f"t{i}": r.sn_mva * r.parallel for i, r in net.trafo.iterrows()}
    rating = {**line_mva, **trafo_mva}

    def state(p: float) -> dict[tuple[str, str], float] | None:
        net.load.loc[load, ["p_mw", "q_mvar"]] = [p, p * tan]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pp.runpp(net, init="flat", tolerance_mva=1e-8, enforce_q_lims=True)
        except pp.LoadflowNotConverged:
            return None
        out: dict[tuple[str, str], float] = {}
        for i, vm in net.res_bus.vm_pu.items():
            if vm < 0.95:
                out[(f"b{i}", "low")] = vm
            elif vm > 1.05:
                out[(f"b{i}", "high")] = vm
        for i, v in net.res_line.loading_percent.items():
            if v > 100.0:
                out[(f"l{i}", "over")] = v
        for i, v in net.res_trafo.loading_percent.items():
            if v > 100.0:
                out[(f"t{i}", "over")] = v
        return out

    base = state(0.0)
    assert base is not None and base  # case39 fails N-0 before any campus (bus 36 at 1.064 pu)

    def feasible(p: float) -> bool:
        now = state(p)
        if now is None:
            return False
        for key, value in now.items():
            if key not in base:
                return False
            change = value - base[key]
            if key[1] == "over":
                df = change / 100.0 * rating[key[0]] / p
                big = change >= rules.loading_increase_min_percent
                if df >= rules.distribution_factor_min and big:
                    return False
            elif (key[1] == "low" and -change >= rules.vm_change_min_pu) or (
                key[1] == "high" and change >= rules.vm_change_min_pu
            ):
                return False
        return True

    lo, hi = 0.0, 5000.0
    while hi - lo > 1.0:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if feasible(mid) else (lo, mid)
    return lo


def test_case39_n0_hosting_matches_independent_runpp_bisection(tmp_path: pathlib.Path) -> None:
    net = pn.case39()
    pp.to_json(net, str(tmp_path / "case39.json"))
    model = load_network(section("16", network="case39.json"), tmp_path)
    host = hosting_capacity(model, 0.95, tolerance_mw=1.0)
    assert host.mw_n0 > 0.0  # was 0 MW before attribution (bus 36 at 1.064 pu without campus)
    reference = _independent_n0_hosting(15, 0.95, AttributionRules.default())  # bus "16"
    assert host.mw_n0 == pytest.approx(reference, abs=2.0)
