"""PSS/E RAW import (``gridimpact.grid.psse.read_raw``) against solvers we did not write.

Reference: ANDES 2.0 (H. Cui, F. Li, K. Tomsovic, "Hybrid Symbolic-Numeric Framework
for Power System Modeling and Analysis", IEEE Trans. Power Syst. 36(2), 2021) reads
the same RAW file with its own parser and solves it with its own Newton power flow
(``andes.load(path, setup=True, no_output=True)``, ``ss.PFlow.run()``, voltages
``ss.Bus.v.v``, angles ``ss.Bus.a.v``). Where ANDES cannot be the reference (it
diverges on Nordic 44; its star legs with zero impedance on wscc9_3wxfr), the
reference is PowSyBl OpenLoadFlow on the importer's IIDM model. ``pandapower.runpp``
on our converted net must agree within 1e-4 pu and 0.01 degree.
"""

from __future__ import annotations

import copy
import functools
import pathlib
import warnings
from typing import Any

import numpy as np
import pandapower as pp
import pytest

from gridimpact.errors import NetworkError

ANDES_CASES = pathlib.Path(__file__).resolve().parents[1] / (
    ".venv/lib/python3.11/site-packages/andes/cases"
)
VM_TOL_PU = 1e-4
VA_TOL_DEG = 0.01


@pytest.fixture(scope="session")
def andes() -> Any:
    """ANDES, imported once (its first run generates code in ~/.andes, ~7 s)."""
    mod = pytest.importorskip("andes")
    mod.config_logger(stream_level=50)
    return mod


def cases_dir(andes: Any) -> pathlib.Path:
    return pathlib.Path(andes.__file__).parent / "cases"


def read(path: pathlib.Path) -> pp.pandapowerNet:
    """``read_raw`` of a shipped case, converted once per session (a copy each call)."""
    pytest.importorskip("pypowsybl")
    return copy.deepcopy(_read_cached(path))


@functools.cache
def _read_cached(path: pathlib.Path) -> pp.pandapowerNet:
    from gridimpact.grid.psse import read_raw

    return read_raw(path)


def solve(net: pp.pandapowerNet) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.runpp(net, numba=False, tolerance_mva=1e-10, max_iteration=30)


def andes_solution(andes: Any, path: pathlib.Path) -> dict[str, tuple[float, float]]:
    ss = andes.load(str(path), setup=True, no_output=True, default_config=True)
    ss.PFlow.config.tol = 1e-10
    ss.PFlow.run()
    assert ss.PFlow.converged
    return {
        str(i): (float(v), float(np.rad2deg(a)))
        for i, v, a in zip(ss.Bus.idx.v, ss.Bus.v.v, ss.Bus.a.v, strict=True)
    }


def max_differences(
    net: pp.pandapowerNet, ref: dict[str, tuple[float, float]]
) -> tuple[float, float]:
    names = list(net.bus.name)
    common = [n for n in ref if n in names]
    assert len(common) == len([n for n in names if not n.endswith("star")])
    pos = [names.index(n) for n in common]
    dv = np.abs(net.res_bus.vm_pu.to_numpy()[pos] - [ref[n][0] for n in common])
    da = np.abs(net.res_bus.va_degree.to_numpy()[pos] - [ref[n][1] for n in common])
    return float(dv.max()), float(da.max())


@pytest.mark.parametrize(
    "case",
    [
        "ieee14/ieee14.raw",
        "ieee39/ieee39.raw",
        "kundur/kundur.raw",
        "npcc/npcc.raw",
        "wecc/wecc.raw",
        "wscc9/wscc9.raw",
    ],
)
def test_power_flow_matches_andes(andes: Any, case: str) -> None:
    """Reference: ANDES's own RAW parser and power flow; 1e-4 pu, 0.01 degree (measured:
    ≤ 2e-6 pu, ≤ 5e-4 degree; npcc has 69 branches between different base voltages)."""
    path = cases_dir(andes) / case
    net = read(path)
    solve(net)
    dv, da = max_differences(net, andes_solution(andes, path))
    assert dv < VM_TOL_PU and da < VA_TOL_DEG, (dv, da)


RAW_FEATURES = {
    # transformer 4-7: WINDV1 = 1.02 (CW = 1) and ANG1 = 5 degrees
    "0.99677,   0.000,   0.000,    20.00,    20.00,     0.00,-1,": (
        "1.02000,   0.000,   5.000,    20.00,    20.00,     0.00,-1,"
    ),
    # transformer 4-9: impedance on its own 50 MVA base (CZ = 2)
    "     4,     9,     0,'1 ',1,1,1,": "     4,     9,     0,'1 ',1,2,1,",
    " 0.00000E+0, 5.56180E-1,   100.00": " 0.00000E+0, 2.78090E-1,    50.00",
}


def test_off_nominal_tap_phase_shift_and_winding_base_match_andes(
    andes: Any, tmp_path: pathlib.Path
) -> None:
    """IEEE 14 with an off-nominal tap, a 5 degree phase shifter and a CZ = 2
    transformer. Reference: ANDES power flow of the same file (it models these three
    exactly); 1e-4 pu, 0.01 degree (measured 5e-9 pu, 8e-7 degree)."""
    text = (cases_dir(andes) / "ieee14/ieee14.raw").read_text()
    for old, new in RAW_FEATURES.items():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "ieee14_features.raw"
    path.write_text(text)
    net = read(path)
    solve(net)
    dv, da = max_differences(net, andes_solution(andes, path))
    assert dv < VM_TOL_PU and da < VA_TOL_DEG, (dv, da)
    assert net.trafo.shift_degree.abs().max() == pytest.approx(5.0)


@pytest.mark.parametrize("case", ["nordic44/N44_BC.raw", "wscc9/wscc9_3wxfr.raw"])
def test_power_flow_matches_openloadflow(andes: Any, case: str) -> None:
    """Cases ANDES cannot solve as written (Nordic 44: its power flow diverges; wscc9_3wxfr:
    its star legs with zero impedance). Reference: PowSyBl OpenLoadFlow on the importer's
    model; 1e-4 pu, 0.01 degree (measured N44 1.2e-6 pu / 3e-5 degree, wscc9_3wxfr 8e-8 pu /
    4e-6 degree)."""
    ppow = pytest.importorskip("pypowsybl")
    path = cases_dir(andes) / case
    network = ppow.network.load(
        str(path), parameters={"psse.import.ignore-node-breaker-topology": "true"}
    )
    params = ppow.loadflow.Parameters(
        distributed_slack=False,
        use_reactive_limits=False,
        transformer_voltage_control_on=False,
        shunt_compensator_voltage_control_on=False,
    )
    assert str(ppow.loadflow.run_ac(network, params)[0].status).endswith("CONVERGED")
    buses = network.get_bus_breaker_view_buses()
    kv = network.get_voltage_levels()["nominal_v"]
    ref = {
        str(bid).strip()[1:]: (float(r.v_mag) / float(kv[r.voltage_level_id]), float(r.v_angle))
        for bid, r in buses.iterrows()
    }
    net = read(path)
    solve(net)
    dv, da = max_differences(net, ref)
    assert dv < VM_TOL_PU and da < VA_TOL_DEG, (dv, da)


def test_three_winding_transformer_is_a_named_star(andes: Any) -> None:
    net = read(cases_dir(andes) / "wscc9/wscc9_3wxfr.raw")
    star = net.bus[net.bus.name.str.endswith("star")]
    assert list(star.name) == ["4-5-6 1 star"]
    legs = net.trafo[net.trafo.name.str.startswith("4-5-6 1 winding")]
    assert len(legs) == 3 and (legs.lv_bus == star.index[0]).all()
    assert "zero-impedance transformer winding" in net["import_note"]


def test_lightsim2grid_engine_equals_pandapower_on_an_imported_raw(andes: Any) -> None:
    """Our engine (lightsim2grid) on imported nets against pandapower.runpp (1e-6 pu):
    wscc9_3wxfr (star legs, one of zero impedance) and kundur."""
    from gridimpact.grid import load_network, run_n0
    from tests.grid_helpers import section

    pytest.importorskip("pypowsybl")
    for case, poi in (("wscc9/wscc9_3wxfr.raw", "5"), ("kundur/kundur.raw", "7")):
        path = cases_dir(andes) / case
        model = load_network(section(poi, network=str(path)), path.parent)
        res = run_n0(model, 0.0, 0.0)
        net = read(path)
        solve(net)
        assert res.converged
        vm = res.bus_results.vm_pu.to_numpy()[: len(net.bus)]
        assert np.allclose(vm, net.res_bus.vm_pu, atol=1e-6)
    # a POI may be given by the RAW NAME as well (unique); reports keep the number
    path = cases_dir(andes) / "wscc9/wscc9_3wxfr.raw"
    by_alias = load_network(section("Bus 5", network=str(path)), path.parent)
    assert by_alias.bus_table().name.iloc[by_alias.poi_index] == "5"


def test_buses_are_named_by_number_with_the_raw_name_as_alias(andes: Any) -> None:
    net = read(cases_dir(andes) / "ieee14/ieee14.raw")
    assert list(net.bus.name) == [str(i) for i in range(1, 15)]
    assert net.bus.alias.iloc[13] == "BUS14"
    assert len(net.ext_grid) == 1 and net.bus.name[net.ext_grid.bus.iloc[0]] == "1"
    assert net.gen.max_q_mvar.notna().all()


def test_load_parts_isolated_buses_and_line_end_shunts(andes: Any, tmp_path: pathlib.Path) -> None:
    text = (cases_dir(andes) / "ieee14/ieee14.raw").read_text()
    text = text.replace(  # bus 3 load: + 10 MW constant current, + 5 MW / -3 Mvar admittance
        "50.000,    25.000,     0.000,     0.000,     0.000,     0.000",
        "50.000,    25.000,    10.000,     0.000,     5.000,    -3.000",
    ).replace("    14,'BUS14       ', 138.0000,1,", "    14,'BUS14       ', 138.0000,4,")
    path = tmp_path / "parts.raw"
    path.write_text(text)
    net = read(path)
    b3 = net.bus.index[net.bus.name == "3"][0]
    load = net.load[net.load.bus == b3].iloc[0]
    assert load.p_mw == pytest.approx(50.0 + 10.0 * 1.00042)  # IP at the RAW voltage
    adm = net.shunt[net.shunt.name.str.contains("admittance")].iloc[0]
    assert (adm.p_mw, adm.q_mvar) == (5.0, 3.0)  # YQ < 0: inductive, consumes Mvar
    assert "constant-current" in net["import_note"]
    b14 = net.bus.index[net.bus.name == "14"][0]
    assert not net.bus.in_service[b14]
    assert not net.load[net.load.bus == b14].in_service.any()
    assert not net.line[(net.line.from_bus == b14) | (net.line.to_bus == b14)].in_service.any()
    n44 = read(cases_dir(andes) / "nordic44/N44_BC.raw")
    assert n44.shunt.name.str.contains("end").any()  # GI/BI/GJ/BJ kept (ANDES drops them)


def test_unsupported_version_is_a_network_error(andes: Any, tmp_path: pathlib.Path) -> None:
    text = (cases_dir(andes) / "ieee14/ieee14.raw").read_text()
    path = tmp_path / "case.raw"
    path.write_text(text.replace("100.00,  32,", "100.00,  34,", 1))
    with pytest.raises(NetworkError, match=r"^case\.raw: PSS/E RAW version 34 is not supported"):
        read(path)
    path.write_text(text.replace("100.00,  32,", "100.00,  29,", 1))
    with pytest.raises(NetworkError, match="version 29"):
        read(path)


def test_branch_to_undefined_bus_is_a_network_error(andes: Any, tmp_path: pathlib.Path) -> None:
    text = (cases_dir(andes) / "ieee14/ieee14.raw").read_text()
    path = tmp_path / "case.raw"
    path.write_text(text.replace("    13,     14,'1 '", "    13,     99,'1 '", 1))
    with pytest.raises(
        NetworkError, match=r"^case\.raw: branch 16 \(from bus 13 to 99\): bus 99 not defined$"
    ):
        read(path)


def test_poi_not_in_the_raw_network_is_a_network_error(andes: Any) -> None:
    from gridimpact.grid import load_network
    from tests.grid_helpers import section

    pytest.importorskip("pypowsybl")
    path = cases_dir(andes) / "ieee14/ieee14.raw"
    with pytest.raises(NetworkError, match=r"ieee14\.raw: POI bus '99' not found"):
        load_network(section("99", network=str(path)), path.parent)
