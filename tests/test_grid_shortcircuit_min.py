"""IEC 60909 minimum short circuit and the ESCR for the weak-grid check.

Reference values: IEC 60909-0:2016 eq. (29) I''k = c Un / (sqrt(3) |Zk|) with
c_min = 1.0 (Table 1), the network feeder impedance Z_Q = c Un^2 / S''kQ,min
(eq. 1) and the line resistance raised to the end-of-fault temperature,
R = R20 (1 + 0.004/K (theta_e - 20 degC)) (eq. 30); hand calculation for a
source plus a line, tolerance 0.5 %. ESCR = (S''k,min - Q_C) / P per IEEE Std
1204-1997, Q_C the shunt capacitors at the POI.
"""

from __future__ import annotations

import math
import pathlib

import pandapower as pp
import pandapower.networks as pn
import pandapower.shortcircuit as sc
import pytest

from gridimpact.case.grid import GridSection
from gridimpact.grid import load_network, run_short_circuit
from gridimpact.grid.model import model_from_net
from gridimpact.grid.sc_defaults import (
    fill_short_circuit_data,
    run_short_circuit_cases,
    run_short_circuit_filled,
    short_circuit_defaults,
)
from gridimpact.grid.std_types import register_us_std_types


def section(poi_bus: str, network: str = "memphis_161kv") -> GridSection:
    """A ``[grid]`` table for the tests (utility numbers are placeholders)."""
    sourced = {"unit": "MW", "source": "test value", "confidence": "estimate"}
    return GridSection(
        network=network,
        poi_bus=poi_bus,
        utility_name="MLGW",
        utility_peak_mw={"value": 3000.0, **sourced},
        system_peak_mw={"value": 31000.0, **sourced},
    )


def test_minimum_case_matches_iec60909_hand_calculation(tmp_path: pathlib.Path) -> None:
    net = pp.create_empty_network(f_hz=60.0)
    register_us_std_types(net)
    a = pp.create_bus(net, 161.0, name="Source")
    b = pp.create_bus(net, 161.0, name="POI")
    pp.create_ext_grid(net, a, s_sc_max_mva=10000.0, rx_max=0.1, s_sc_min_mva=8000.0, rx_min=0.1)
    pp.create_line(net, a, b, 10.0, "ACSR 795 Drake 161kV")
    pp.to_json(net, str(tmp_path / "two_bus.json"))
    model = load_network(section("POI", network="two_bus.json"), tmp_path)
    c, un, theta_e = 1.0, 161.0, 200.0
    z_grid = c * un**2 / 8000.0
    x_grid = z_grid / math.sqrt(1 + 0.1**2)
    r_line = 0.0728 * 10 * (1 + 0.004 * (theta_e - 20.0))
    r_k, x_k = 0.1 * x_grid + r_line, x_grid + 0.477 * 10
    ikss_ka = c * un / (math.sqrt(3) * math.hypot(r_k, x_k))
    res = run_short_circuit(model, 100.0, case="min")
    assert res.computed and res.case == "min"
    assert res.ikss_ka == pytest.approx(ikss_ka, rel=5e-3)
    assert res.sk_mva == pytest.approx(math.sqrt(3) * un * ikss_ka, rel=5e-3)
    assert "minimum" in res.note


def test_minimum_is_weaker_than_maximum_at_both_pois() -> None:
    for poi in ("Colossus1 POI 161kV", "Whitehaven POI 161kV"):
        model = load_network(section(poi), pathlib.Path("."))
        high = run_short_circuit(model, 1950.0)
        low = run_short_circuit(model, 1950.0, case="min")
        assert high.case == "max"
        assert 0.6 * high.sk_mva < low.sk_mva < high.sk_mva
        assert low.scr < high.scr


def two_bus_net(s_sc_min_mva: float | None = None) -> pp.pandapowerNet:
    """External grid (S''k,max 10 GVA, R/X 0.1) and 10 km of ACSR 795 Drake to the POI."""
    net = pp.create_empty_network(f_hz=60.0)
    register_us_std_types(net)
    a = pp.create_bus(net, 161.0, name="Source")
    b = pp.create_bus(net, 161.0, name="POI")
    extra = {} if s_sc_min_mva is None else {"s_sc_min_mva": s_sc_min_mva, "rx_min": 0.1}
    pp.create_ext_grid(net, a, s_sc_max_mva=10000.0, rx_max=0.1, **extra)
    pp.create_line(net, a, b, 10.0, "ACSR 795 Drake 161kV")
    return net


def hand_minimum_sk_mva(s_sc_min_mva: float) -> float:
    """S''k,min at the end of the 10 km line, by hand (IEC 60909-0:2016)."""
    c_min, un_kv, theta_e = 1.0, 161.0, 200.0  # Table 1: c_min = 1.0 above 1 kV
    z_q = c_min * un_kv**2 / s_sc_min_mva  # eq. (1): network feeder Z_Q = c Un^2 / S''kQ
    x_q = z_q / math.sqrt(1.0 + 0.1**2)  # R_Q/X_Q = 0.1 (clause 6.2)
    r_q = 0.1 * x_q
    r_l = 0.0728 * 10.0 * (1.0 + 0.004 * (theta_e - 20.0))  # eq. (30): R_L at theta_e
    x_l = 0.477 * 10.0
    z_k = math.hypot(r_q + r_l, x_q + x_l)  # |Z_k| = |Z_Q + Z_L|
    ikss_ka = c_min * un_kv / (math.sqrt(3.0) * z_k)  # eq. (29)
    return math.sqrt(3.0) * un_kv * ikss_ka  # S''k = sqrt(3) Un I''k


def test_filled_minimum_case_matches_hand_calculation_and_calc_sc() -> None:
    """Network with only the maximum fault level: the minimum is filled at the cited
    fraction of it; S''k,min equals the hand calculation and pandapower's calc_sc."""
    net = two_bus_net()
    ratio = short_circuit_defaults()["ext_grid_s_sc_min_over_max"]
    assert ratio.confidence == "estimate"
    model = model_from_net(net, "two_bus", "POI", "test")
    res = run_short_circuit_filled(model, 500.0, case="min")
    s_min = ratio.value * 10000.0  # 6,670 MVA
    assert res.computed and res.case == "min"
    assert res.sk_mva == pytest.approx(hand_minimum_sk_mva(s_min), rel=5e-3)
    assert "minimum S''k 0.67 x maximum (estimate)" in res.note
    filled = copy_with_min_filled(net)
    filled.line["endtemp_degree"] = 200.0
    sc.calc_sc(filled, case="min", fault="3ph", ip=False, ith=False)
    ref_mva = float(filled.res_bus_sc.at[1, "ikss_ka"]) * math.sqrt(3.0) * 161.0
    assert res.sk_mva == pytest.approx(ref_mva, rel=1e-9)
    high = run_short_circuit_filled(model, 500.0)
    assert high.case == "max" and high.sk_mva > res.sk_mva


def copy_with_min_filled(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """A copy of ``net`` with the cited short-circuit defaults filled in."""
    out = pp.from_json_string(pp.to_json(net))
    fill_short_circuit_data(out)
    return out


def test_escr_subtracts_poi_capacitors() -> None:
    """ESCR = (S''k,min - Q_C) / P (IEEE Std 1204-1997) with 150 Mvar of shunt capacitors
    in the network at the POI plus 50 Mvar of campus capacitors; shunts do not change
    S''k (IEC 60909 neglects them)."""
    net = two_bus_net(s_sc_min_mva=8000.0)
    pp.create_shunt(net, 1, q_mvar=-150.0, name="POI capacitor")
    pp.create_shunt(net, 1, q_mvar=30.0, name="POI reactor (not subtracted)")
    model = model_from_net(net, "two_bus", "POI", "test")
    p_mw = 1500.0
    cases = run_short_circuit_cases(model, p_mw, campus_capacitor_mvar=50.0)
    s_min = hand_minimum_sk_mva(8000.0)  # 5,180 MVA (hand value)
    low = cases.minimum
    assert low.sk_mva == pytest.approx(s_min, rel=5e-3)
    assert low.capacitor_mvar == pytest.approx(200.0)
    assert low.escr == pytest.approx((low.sk_mva - 200.0) / p_mw, rel=1e-12)
    assert low.escr == pytest.approx((s_min - 200.0) / p_mw, rel=5e-3)
    assert low.escr < low.scr
    # label from the minimum-case ESCR on both results
    assert cases.maximum.strength == cases.minimum.strength == cases.strength
    assert cases.maximum.strength_case == "min"
    assert "ESCR" in cases.maximum.note


def test_strength_label_comes_from_the_minimum_case() -> None:
    """A demand whose maximum-case SCR is strong but minimum-case ESCR is weak is weak."""
    model = model_from_net(two_bus_net(s_sc_min_mva=5000.0), "two_bus", "POI", "test")
    high = run_short_circuit(model, 1.0)
    low = run_short_circuit(model, 1.0, case="min")
    p_mw = (high.sk_mva + low.sk_mva) / 2.0 / 3.0  # max SCR > 3 > min ESCR
    cases = run_short_circuit_cases(model, p_mw)
    assert cases.maximum.scr > 3.0 > cases.minimum.escr > 2.0
    assert cases.maximum.strength == "weak" and cases.minimum.strength == "weak"
    assert run_short_circuit_filled(model, p_mw).strength == "weak"
    assert run_short_circuit(model, p_mw).strength == "strong"  # the max case alone


def test_minimum_is_weaker_than_maximum_on_case39() -> None:
    """pandapower's IEEE 39-bus case (no fault data: filled from the cited defaults)."""
    model = model_from_net(pn.case39(), "case39", "16", "IEEE 39-bus")
    cases = run_short_circuit_cases(model, 500.0)
    assert cases.maximum.computed and cases.minimum.computed
    assert 0.3 * cases.maximum.sk_mva < cases.minimum.sk_mva < cases.maximum.sk_mva
    assert (cases.minimum.bus_results.sk_mva < cases.maximum.bus_results.sk_mva).all()
    assert "ASSUMED" in cases.minimum.note


def test_minimum_is_weaker_than_maximum_on_the_builtin_network_filled() -> None:
    for poi in ("Colossus1 POI 161kV", "Whitehaven POI 161kV"):
        cases = run_short_circuit_cases(load_network(section(poi), pathlib.Path(".")), 1950.0)
        assert cases.minimum.sk_mva < cases.maximum.sk_mva
        assert (cases.minimum.bus_results.sk_mva < cases.maximum.bus_results.sk_mva).all()
        assert "ASSUMED" not in cases.maximum.note
