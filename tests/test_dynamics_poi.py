"""POI voltage through the Thévenin impedance, and the IEC/TR 61000-3-7 allocation."""

from __future__ import annotations

import math

import numpy as np
import pandapower as pp
import pytest

from gridimpact.dynamics import allocation as al
from gridimpact.dynamics.waveform import (
    max_transfer_mw,
    poi_relative_voltage,
    thevenin_voltage_pu,
)


def _pandapower_vm_pu(p_mw: float, q_mvar: float, sc_mva: float, x_over_r: float) -> float:
    """The same two-bus system solved by pandapower's Newton-Raphson power flow."""
    net = pp.create_empty_network(sn_mva=100.0)
    b0 = pp.create_bus(net, vn_kv=161.0)
    b1 = pp.create_bus(net, vn_kv=161.0)
    pp.create_ext_grid(net, b0, vm_pu=1.0)
    psi = math.atan(x_over_r)
    z_pu = 1.0 / sc_mva  # on a 1 MVA base; pandapower takes it on sn_mva
    pp.create_impedance(
        net, b0, b1, rft_pu=z_pu * math.cos(psi), xft_pu=z_pu * math.sin(psi), sn_mva=1.0
    )
    pp.create_load(net, b1, p_mw=p_mw, q_mvar=q_mvar)
    pp.runpp(net, tolerance_mva=1e-10)
    return float(net.res_bus.vm_pu.at[b1])


@pytest.mark.parametrize(
    ("p_mw", "q_mvar", "sc_mva", "x_over_r"),
    [(150.0, 30.0, 11_600.0, 12.0), (1_900.0, 386.0, 5_700.0, 8.0), (500.0, 0.0, 2_000.0, 3.0)],
)
def test_thevenin_voltage_matches_pandapower_power_flow(
    p_mw: float, q_mvar: float, sc_mva: float, x_over_r: float
) -> None:
    # Trusted path: pandapower runpp on the two-bus equivalent; tolerance 1e-6 pu.
    v = float(thevenin_voltage_pu(np.array([p_mw]), np.array([q_mvar]), sc_mva, x_over_r)[0])
    assert v == pytest.approx(_pandapower_vm_pu(p_mw, q_mvar, sc_mva, x_over_r), abs=1e-6)


def test_small_change_matches_the_linear_formula() -> None:
    # dV/V ≈ (ΔP cos ψ + ΔQ sin ψ)/S″k (IEC/TR 61000-3-7 6.2): 10 MW + 2 Mvar on
    # 10,000 MVA at X/R 10 → (10·0.0995 + 2·0.995)/10,000 = 2.985e-4; 2 % tolerance.
    v = thevenin_voltage_pu(np.array([0.0, 10.0]), np.array([0.0, 2.0]), 10_000.0, 10.0)
    psi = math.atan(10.0)
    linear = (10.0 * math.cos(psi) + 2.0 * math.sin(psi)) / 10_000.0
    assert v[0] == 1.0 and (v[0] - v[1]) == pytest.approx(linear, rel=0.02)


def test_collapse_is_nan_and_relative_voltage_has_unit_mean() -> None:
    # A purely resistive Z = 1/S: maximum transfer P = E²/(4R) = S/4 at unity pf.
    v = thevenin_voltage_pu(np.array([240.0, 260.0]), np.zeros(2), 1_000.0, 1e-9)
    assert math.isfinite(v[0]) and math.isnan(v[1])
    u = poi_relative_voltage(np.array([100.0, 200.0, 300.0]), 0.98, 5_000.0, 10.0)
    assert float(np.mean(u)) == pytest.approx(1.0) and u[0] > u[1] > u[2]


def test_global_contribution_by_hand() -> None:
    # G = ∛(L³ − (T·L_up)³): Pst ∛(0.8³ − 0.64³) = ∛0.249856 = 0.62984;
    # Plt ∛(0.6³ − 0.48³) = ∛0.105408 = 0.47237 (IEC/TR 61000-3-7:2008, 8.2); 1e-4.
    assert al.global_contribution(0.8, 0.8, 0.8) == pytest.approx(0.62984, abs=1e-4)
    assert al.global_contribution(0.6, 0.6, 0.8) == pytest.approx(0.47237, abs=1e-4)
    assert al.global_contribution(0.8, 0.8, 1.0) == 0.0  # the transfer fills the level


def test_individual_limits_by_hand() -> None:
    # Share 0.2 → ∛0.2 = 0.58480: E_Pst = 0.62984·0.5848 = 0.36833,
    # E_Plt = 0.47237·0.5848 = 0.27624 (above the 0.35 / 0.25 basic limits).
    a = al.allocate_flicker_limits(200.0, 1_000.0, (0.8, 0.6), (0.8, 0.6), 0.8, (0.35, 0.25))
    assert a.pst_limit_allocated == pytest.approx(0.36833, abs=1e-4)
    assert a.plt_limit_allocated == pytest.approx(0.27624, abs=1e-4)
    # Share 0.05 → 0.62984·0.36840 = 0.232 < 0.35: the basic limits apply.
    b = al.allocate_flicker_limits(50.0, 1_000.0, (0.8, 0.6), (0.8, 0.6), 0.8, (0.35, 0.25))
    assert (b.pst_limit_allocated, b.plt_limit_allocated) == (0.35, 0.25)
    # Larger than the supply capacity: the whole global contribution, share capped at 1.
    c = al.allocate_flicker_limits(2_000.0, 500.0, (0.8, 0.6), (0.8, 0.6), 0.8, (0.35, 0.25))
    assert c.share_of_supply_capacity == 1.0
    assert c.pst_limit_allocated == pytest.approx(c.pst_global_contribution)
    with pytest.raises(ValueError, match="supply_capacity_mva"):
        al.individual_limit(0.6, 100.0, 0.0, 0.35)


@pytest.mark.parametrize(("sc_mva", "x_over_r", "pf"), [(5833.0, 5.68, 0.98), (1000.0, 10.0, 0.9)])
def test_max_transfer_is_the_nose_of_the_pv_curve(
    sc_mva: float, x_over_r: float, pf: float
) -> None:
    """Van Cutsem & Vournas (1998) §2.3: the load-flow solution exists up to P_max and
    not beyond. Hand check of the first case (the 1M campus at Whitehaven 161 kV):
    theta = atan(5.68) = 80.0 deg, phi = acos(0.98) = 11.5 deg,
    P_max = 5833 x 0.98 / (2 x (1 + cos 68.5 deg)) = 2,092 MW (0.5 % tolerance)."""
    p_max = max_transfer_mw(sc_mva, x_over_r, pf)
    if sc_mva == 5833.0:
        assert p_max == pytest.approx(2092.0, rel=0.005)
    q = np.tan(np.arccos(pf))
    p = np.array([0.999 * p_max, 1.001 * p_max])
    v = thevenin_voltage_pu(p, p * q, sc_mva, x_over_r)
    below, above = v[:1], v[1:]
    assert np.isfinite(below).all()
    assert np.isnan(above).all()
