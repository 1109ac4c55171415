"""IEC 60909 minimum short circuit for the weak-grid check.

Reference values: IEC 60909-0:2016 eq. (29) I''k = c Un / (sqrt(3) |Zk|) with
c_min = 1.0 (Table 1), the network feeder impedance Z_Q = c Un^2 / S''kQ,min
(eq. 1) and the line resistance raised to the end-of-fault temperature,
R = R20 (1 + 0.004/K (theta_e - 20 degC)) (eq. 30); hand calculation for a
source plus a line, tolerance 0.5 %.
"""

from __future__ import annotations

import math
import pathlib

import pandapower as pp
import pytest

from gridimpact.case.grid import GridSection
from gridimpact.grid import load_network, run_short_circuit
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
