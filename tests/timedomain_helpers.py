"""Dynamic models for the time-domain tests: ANDES' own cases and hand-built small systems.

Each builder returns a :class:`~gridimpact.dynamics.timedomain.model.DynamicModel` with a
solved power flow and the campus as its own ``PQ``; ``rebuild`` calls the builder again.
"""

from __future__ import annotations

import logging
from typing import Any

import andes

from gridimpact.dynamics.timedomain.model import DynamicModel

andes.config_logger(stream_level=logging.CRITICAL)
F0_HZ = 60.0
BASE_MVA = 100.0


def _finish(ss: Any, campus_idx: str, poi_bus: Any, description: str, rebuild: Any) -> DynamicModel:
    assert ss.setup(), "ANDES setup failed"
    ss.TDS.config.no_tqdm = 1
    ss.PFlow.run()
    assert ss.PFlow.converged, "power flow did not converge"
    uid = ss.PQ.idx2uid(campus_idx)
    return DynamicModel(
        system=ss,
        campus_load_idx=campus_idx,
        poi_bus_idx=poi_bus,
        campus_p_mw=float(ss.PQ.p0.v[uid]) * ss.config.mva,
        campus_q_mvar=float(ss.PQ.q0.v[uid]) * ss.config.mva,
        f0_hz=float(ss.config.freq),
        base_mva=float(ss.config.mva),
        description=description,
        rebuild=rebuild,
    )


def andes_case_model(
    case: str | tuple[str, str],
    *,
    campus_bus: Any = None,
    campus_p_mw: float = 0.0,
    campus_q_mvar: float = 0.0,
    existing_campus: str | None = None,
    tds_config: dict[str, Any] | None = None,
) -> DynamicModel:
    """An ANDES shipped case (``andes.get_case`` path, or RAW + DYR pair) with a campus PQ.

    Either ``existing_campus`` names a PQ of the case as the campus, or a new PQ
    ``"CAMPUS"`` of ``campus_p_mw`` / ``campus_q_mvar`` is added at ``campus_bus``.
    """

    def rebuild() -> DynamicModel:
        return andes_case_model(case, campus_bus=campus_bus, campus_p_mw=campus_p_mw,
                                campus_q_mvar=campus_q_mvar, existing_campus=existing_campus,
                                tds_config=tds_config)

    if isinstance(case, tuple):
        ss = andes.load(andes.get_case(case[0]), addfile=andes.get_case(case[1]),
                        default_config=True, no_output=True, setup=False)
    else:
        ss = andes.load(andes.get_case(case), default_config=True, no_output=True, setup=False)
    for key, val in (tds_config or {}).items():
        setattr(ss.TDS.config, key, val)
    if existing_campus is None:
        vn = ss.Bus.Vn.v[list(ss.Bus.idx.v).index(campus_bus)]
        ss.add("PQ", {"idx": "CAMPUS", "name": "campus", "bus": campus_bus, "Vn": vn,
                      "p0": campus_p_mw / ss.config.mva, "q0": campus_q_mvar / ss.config.mva})
        campus_idx = "CAMPUS"
    else:
        campus_idx = existing_campus
        pq_df_bus = ss.PQ.bus.v[list(ss.PQ.idx.v).index(existing_campus)]
        campus_bus = pq_df_bus
    name = case if isinstance(case, str) else "+".join(case)
    return _finish(ss, campus_idx, campus_bus, f"ANDES case {name}", rebuild)


def _constant_power_loads(ss: Any) -> None:
    """PQ loads stay constant power in the simulation (no conversion to impedance)."""
    cfg = ss.PQ.config
    cfg.p2p, cfg.p2i, cfg.p2z = 1.0, 0.0, 0.0
    cfg.q2q, cfg.q2i, cfg.q2z = 1.0, 0.0, 0.0


def smib_model(
    *,
    p_pu: float = 0.9,
    vt_pu: float = 1.0,
    vinf_pu: float = 0.995,
    x_pu: float = 0.65,
    xd1_pu: float = 0.3,
    h_s: float = 3.5,
    d_pu: float = 0.0,
    campus_p_pu: float = 0.0,
) -> DynamicModel:
    """Classical machine (GENCLS) on an infinite bus through ``x_pu`` (Kundur 1994, Ex. 12.2).

    Defaults: Kundur's Example 12.2 with one circuit out (Xtr + X1 = 0.15 + 0.5), P = 0.9,
    Et = 1.0, EB = 0.995, X'd = 0.3, H = 3.5 s, KD = 0, all per unit on the system base.
    The infinite bus is a GENCLS of 10^9 MVA (as ANDES' own SMIB case). A constant-power
    campus of ``campus_p_pu`` sits at the machine terminal (bus 1, the POI); the machine's
    power-flow output is ``p_pu + campus_p_pu`` so the line carries ``p_pu``.
    """

    def rebuild() -> DynamicModel:
        return smib_model(p_pu=p_pu, vt_pu=vt_pu, vinf_pu=vinf_pu, x_pu=x_pu, xd1_pu=xd1_pu,
                          h_s=h_s, d_pu=d_pu, campus_p_pu=campus_p_pu)

    ss = andes.System(default_config=True, no_output=True)
    for idx, v0 in ((1, vt_pu), (2, vinf_pu)):
        ss.add("Bus", {"idx": idx, "name": f"bus{idx}", "Vn": 230.0, "v0": v0})
    ss.add("Line", {"idx": "L1", "bus1": 1, "bus2": 2, "r": 0.0, "x": x_pu, "b": 0.0,
                    "Vn1": 230.0, "Vn2": 230.0})
    ss.add("PV", {"idx": "G1", "bus": 1, "Sn": BASE_MVA, "Vn": 230.0, "p0": p_pu + campus_p_pu,
                  "v0": vt_pu, "ra": 0.0})
    ss.add("Slack", {"idx": "INF", "bus": 2, "Sn": BASE_MVA, "Vn": 230.0, "v0": vinf_pu,
                     "a0": 0.0, "ra": 0.0})
    ss.add("GENCLS", {"idx": "M1", "bus": 1, "gen": "G1", "Sn": BASE_MVA, "Vn": 230.0,
                      "M": 2.0 * h_s, "D": d_pu, "ra": 0.0, "xd1": xd1_pu, "fn": F0_HZ})
    ss.add("GENCLS", {"idx": "MINF", "bus": 2, "gen": "INF", "Sn": 1e9, "Vn": 230.0,
                      "M": 6.0, "D": 0.0, "ra": 0.0, "xd1": 0.01, "fn": F0_HZ})
    ss.add("PQ", {"idx": "CAMPUS", "bus": 1, "Vn": 230.0, "p0": campus_p_pu, "q0": 0.0})
    _constant_power_loads(ss)
    return _finish(ss, "CAMPUS", 1, "SMIB: GENCLS on an infinite bus (Kundur Ex. 12.2)", rebuild)


def two_machine_model(
    *,
    sn_mva: tuple[float, float] = (500.0, 500.0),
    h_s: tuple[float, float] = (4.0, 6.0),
    droop: tuple[float, float] | None = (0.05, 0.05),
    load_mw: float = 600.0,
    campus_mw: float = 100.0,
) -> DynamicModel:
    """Two classical machines (``D = 0``) feeding a load bus over lossless lines.

    With ``droop`` each machine has a TGOV1 governor (droop R on its rating, no turbine
    damping), otherwise constant mechanical power. Loads are constant power (no load
    damping, no voltage dependence), so the governors are the only frequency response.
    """

    def rebuild() -> DynamicModel:
        return two_machine_model(sn_mva=sn_mva, h_s=h_s, droop=droop, load_mw=load_mw,
                                 campus_mw=campus_mw)

    ss = andes.System(default_config=True, no_output=True)
    for idx in (1, 2, 3):
        ss.add("Bus", {"idx": idx, "name": f"bus{idx}", "Vn": 230.0, "v0": 1.0})
    ss.add("Line", {"idx": "L13", "bus1": 1, "bus2": 3, "r": 0.0, "x": 0.05, "b": 0.0,
                    "Vn1": 230.0, "Vn2": 230.0})
    ss.add("Line", {"idx": "L23", "bus1": 2, "bus2": 3, "r": 0.0, "x": 0.05, "b": 0.0,
                    "Vn1": 230.0, "Vn2": 230.0})
    total = (load_mw + campus_mw) / BASE_MVA
    ss.add("Slack", {"idx": "G1", "bus": 1, "Sn": sn_mva[0], "Vn": 230.0, "v0": 1.0, "a0": 0.0,
                     "p0": total / 2, "ra": 0.0})
    ss.add("PV", {"idx": "G2", "bus": 2, "Sn": sn_mva[1], "Vn": 230.0, "v0": 1.0,
                  "p0": total / 2, "ra": 0.0})
    for k, gen in enumerate(("G1", "G2")):
        ss.add("GENCLS", {"idx": f"M{k + 1}", "bus": k + 1, "gen": gen, "Sn": sn_mva[k],
                          "Vn": 230.0, "M": 2.0 * h_s[k], "D": 0.0, "ra": 0.0, "xd1": 0.25,
                          "fn": F0_HZ})
        if droop is not None:
            ss.add("TGOV1", {"idx": f"GOV{k + 1}", "syn": f"M{k + 1}", "R": droop[k],
                             "VMAX": 5.0, "VMIN": 0.0, "T1": 0.2, "T2": 1.0, "T3": 2.0,
                             "Dt": 0.0})
    ss.add("PQ", {"idx": "LOAD", "bus": 3, "Vn": 230.0, "p0": load_mw / BASE_MVA, "q0": 0.5})
    ss.add("PQ", {"idx": "CAMPUS", "bus": 3, "Vn": 230.0, "p0": campus_mw / BASE_MVA, "q0": 0.0})
    _constant_power_loads(ss)
    return _finish(ss, "CAMPUS", 3, "two GENCLS machines, constant-power load", rebuild)
