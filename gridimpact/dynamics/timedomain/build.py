"""Builders of :class:`DynamicModel`: from a network's power-flow case, or from PSS/E RAW + DYR.

From a :class:`~gridimpact.grid.dynamic_export.PowerFlowCase` (any network the tool
loads), every synchronous generator gets a round-rotor machine (GENROU), an IEEE
Type 1 exciter (IEEEX1) and a steam governor (TGOV1) with the typical data of
``data/dynamic_models.toml``. An external grid with a short-circuit level becomes an
equivalent classical machine (GENCLS) behind that short-circuit impedance, carrying
the inertia of the whole interconnection, with a governor whose droop makes the
model's total frequency response equal the interconnection's beta (NERC IFRO):

    beta_eq = beta - sum_i S_i / (R_i f0),     R_eq = S_eq / (beta_eq f0)   [1]

An external grid without short-circuit data (MATPOWER's slack generator) is a
generator like the others. Static generators (PV, wind, batteries) and every load
are constant-power injections; the campus is its own constant-power load at the
POI. ANDES 2.0 keeps a constant-power load constant power at any voltage in the time
domain, which has no solution in a deep fault: fault studies first call
:func:`use_fault_load_model` (P constant current, Q constant impedance).

From PSS/E RAW + DYR, ANDES reads both files itself (after :mod:`.dyr` has checked
the DYR against the RAW) and the campus load is added at the POI bus.

References
----------
.. [1] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994,
   sections 11.1.3-11.1.4 (composite regulating characteristic, beta = 1/R + D).
.. [2] H. Cui, F. Li, K. Tomsovic, "Hybrid Symbolic-Numeric Framework for Power
   System Modeling and Analysis", IEEE Trans. Power Syst. 36(2), 2021 (ANDES).
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gridimpact.case.time_domain import DynamicData, load_dynamic_data
from gridimpact.dynamics.timedomain.dyr import check_dyr
from gridimpact.dynamics.timedomain.engine import andes_module, engine_name
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.errors import DynamicDataError, SolverError
from gridimpact.grid.dynamic_export import PowerFlowCase

__all__ = [
    "DynamicData",
    "load_dynamic_data",
    "model_from_power_flow_case",
    "model_from_raw_dyr",
    "use_fault_load_model",
]

CAMPUS_IDX = "campus"
CAMPUS_TRIP_IDX = "campus_trip"
"""ANDES ``Toggle`` of the campus load, idle (at :data:`IDLE_TIME_S`) until a study arms it."""
IDLE_TIME_S = 1.0e6
"""Time of an unarmed event: beyond any simulation (the case limits them to 600 s)."""
DEG = math.pi / 180.0


@dataclass(frozen=True)
class Equivalent:
    """The interconnection equivalent chosen for one external grid (for the description).

    Attributes
    ----------
    name : str
    sn_mva, h_s : float
        Machine base (MVA) and inertia constant on it (s).
    droop_pu : float
        Governor droop on ``sn_mva``.
    beta_mw_per_hz : float
        Its governor response ``sn_mva / (droop_pu f0)`` (MW/Hz).
    s_sc_mva : float
        Short-circuit power behind which it sits (MVA).
    """

    name: str
    sn_mva: float
    h_s: float
    droop_pu: float
    beta_mw_per_hz: float
    s_sc_mva: float


def _v(item: Any) -> float:
    return float(item.value)


def _campus_pq_config(system: Any) -> None:
    """Every PQ load constant power, in the power flow (as pandapower's) and in the time
    domain (ANDES PQ config, model-wide)."""
    cfg = system.PQ.config
    cfg.pq2z = 0
    cfg.p2p, cfg.p2i, cfg.p2z = 1.0, 0.0, 0.0
    cfg.q2q, cfg.q2i, cfg.q2z = 1.0, 0.0, 0.0


def use_fault_load_model(model: DynamicModel) -> None:
    """Switch every load (the campus included) to constant current P, constant impedance Q.

    Call before ``system.TDS.init()`` of a fault study. ANDES 2.0's PQ load has no
    low-voltage switch in the time domain (its ``vmin``/``pq2z`` act in the power flow
    only), and a constant-power load has no solution in a deep fault (a 1,950 MW campus
    at a bolted POI fault stops the Memphis simulation at the fault); below the
    voltage where power electronics limit their current, the campus draws about
    constant current. P constant current / Q constant impedance is the usual static
    load conversion of transient-stability studies [1]_ (section 7.2.1).

    References
    ----------
    .. [1] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994.
    """
    cfg = model.system.PQ.config
    cfg.p2p, cfg.p2i, cfg.p2z = 0.0, 1.0, 0.0
    cfg.q2q, cfg.q2i, cfg.q2z = 0.0, 0.0, 1.0


def _gen_rating_mva(pfc: PowerFlowCase, k: int, dyn: DynamicData) -> float:
    rating = float(pfc.gen_sn_mva[k])
    if math.isfinite(rating) and rating > 0:
        return rating
    pf = _v(dyn.generator.rated_power_factor)
    pmax = float(pfc.gen_pmax_mw[k])
    p_mw = abs(float(pfc.gen[k, 1]))
    base = pmax if math.isfinite(pmax) and pmax > 0 else max(p_mw, 1.0)
    return max(base, p_mw) / pf


def _add_network(system: Any, pfc: PowerFlowCase) -> dict[int, float]:
    """Buses, loads, shunts and branches; returns the nominal kV of each bus number."""
    base = pfc.base_mva
    vn: dict[int, float] = {}
    for row, name in zip(pfc.bus, pfc.bus_names, strict=True):
        number = int(row[0])
        kv = float(row[9]) if row[9] > 0 else 110.0
        vn[number] = kv
        system.add(
            "Bus", dict(idx=number, name=name[:60] or f"Bus {number}", Vn=kv, v0=1.0, a0=0.0)
        )
        pd, qd, gs, bs = (float(x) / base for x in row[2:6])
        if pd or qd:
            system.add(
                "PQ", dict(idx=f"PQ_{number}", bus=number, name=f"PQ {number}", Vn=kv, p0=pd, q0=qd)
            )
        if gs or bs:
            system.add(
                "Shunt",
                dict(
                    idx=f"SH_{number}",
                    bus=number,
                    name=f"Shunt {number}",
                    Vn=kv,
                    Sn=base,
                    g=gs,
                    b=bs,
                ),
            )
    for k, (row, g) in enumerate(zip(pfc.branch, pfc.branch_g_pu, strict=True)):
        f, t = int(row[0]), int(row[1])
        tap, shift = float(row[8]), float(row[9])
        trans = tap != 0.0 or shift != 0.0
        system.add(
            "Line",
            dict(
                idx=f"L_{k + 1}",
                name=f"Line {f}-{t}",
                bus1=f,
                bus2=t,
                Sn=base,
                fn=pfc.f_hz,
                Vn1=vn[f],
                Vn2=vn[t],
                r=float(row[2]),
                x=float(row[3]),
                b=float(row[4]),
                g=float(g),
                trans=int(trans),
                tap=tap if tap else 1.0,
                phi=shift * DEG,
                u=int(row[10] > 0),
            ),
        )
    return vn


def _add_sources(system: Any, pfc: PowerFlowCase, vn: dict[int, float]) -> list[str]:
    """Slack / PV static generators (idx ``G<k>``) and sgens as negative PQ loads."""
    base = pfc.base_mva
    ref_buses = {int(r[0]) for r in pfc.bus if int(r[1]) == 3}
    static: list[str] = []
    for k, (row, kind) in enumerate(zip(pfc.gen, pfc.gen_kinds, strict=True)):
        number = int(row[0])
        if kind == "sgen":
            system.add(
                "PQ",
                dict(
                    idx=f"SG_{k}",
                    bus=number,
                    name=pfc.gen_names[k][:60],
                    Vn=vn[number],
                    p0=-float(row[1]) / base,
                    q0=-float(row[2]) / base,
                ),
            )
            static.append("")
            continue
        idx = f"G{k}"
        params = dict(
            idx=idx,
            bus=number,
            busr=number,
            name=pfc.gen_names[k][:60] or idx,
            Vn=vn[number],
            Sn=base,
            v0=float(row[5]),
            p0=float(row[1]) / base,
            q0=float(row[2]) / base,
            qmax=float(row[3]) / base,
            qmin=float(row[4]) / base,
            pmax=999.0,
            pmin=-999.0,
        )
        if number in ref_buses and (kind == "ext_grid" or not _has_ext_grid(pfc, number)):
            system.add("Slack", dict(params, a0=0.0))
        else:
            system.add("PV", params)
        static.append(idx)
    return static


def _has_ext_grid(pfc: PowerFlowCase, number: int) -> bool:
    return any(
        kind == "ext_grid" and int(row[0]) == number
        for row, kind in zip(pfc.gen, pfc.gen_kinds, strict=True)
    )


def _add_machine(
    system: Any,
    idx: str,
    bus: int,
    vn: float,
    sn: float,
    p_pu_sys: float,
    base: float,
    f0: float,
    dyn: DynamicData,
) -> float:
    """GENROU + IEEEX1 + TGOV1 on static generator ``idx``; returns its beta (MW/Hz)."""
    g, e, gov = dyn.generator, dyn.exciter, dyn.governor
    syn = f"SYN_{idx}"
    system.add(
        "GENROU",
        dict(
            idx=syn,
            bus=bus,
            gen=idx,
            Sn=sn,
            Vn=vn,
            fn=f0,
            M=2.0 * _v(g.h_s),
            D=_v(g.d_pu),
            ra=_v(g.ra_pu),
            xl=_v(g.xl_pu),
            xd=_v(g.xd_pu),
            xq=_v(g.xq_pu),
            xd1=_v(g.xd_transient_pu),
            xq1=_v(g.xq_transient_pu),
            xd2=_v(g.xd_subtransient_pu),
            xq2=_v(g.xd_subtransient_pu),
            Td10=_v(g.td0_transient_s),
            Tq10=_v(g.tq0_transient_s),
            Td20=_v(g.td0_subtransient_s),
            Tq20=_v(g.tq0_subtransient_s),
            S10=_v(g.saturation_1p0_pu),
            S12=_v(g.saturation_1p2_pu),
        ),
    )
    system.add(
        "IEEEX1",
        dict(
            idx=f"EXC_{idx}",
            syn=syn,
            TR=_v(e.tr_s),
            TA=_v(e.ta_s),
            TB=_v(e.tb_s),
            TC=_v(e.tc_s),
            TE=_v(e.te_s),
            TF1=_v(e.tf_s),
            KA=_v(e.ka_pu),
            KE=_v(e.ke_pu),
            KF1=_v(e.kf_pu),
            VRMAX=_v(e.vrmax_pu),
            VRMIN=_v(e.vrmin_pu),
            E1=_v(e.e1_pu),
            SE1=_v(e.se1_pu),
            E2=_v(e.e2_pu),
            SE2=_v(e.se2_pu),
        ),
    )
    p_machine = p_pu_sys * base / sn
    droop = _v(gov.droop_pu)
    system.add(
        "TGOV1",
        dict(
            idx=f"GOV_{idx}",
            syn=syn,
            R=droop,
            T1=_v(gov.t1_s),
            T2=_v(gov.t2_s),
            T3=_v(gov.t3_s),
            VMAX=max(_v(gov.vmax_pu), p_machine + 0.05),
            VMIN=min(_v(gov.vmin_pu), p_machine),
            Dt=_v(gov.dt_pu),
        ),
    )
    return sn / (droop * f0)


def _add_dynamics(
    system: Any, pfc: PowerFlowCase, static: list[str], vn: dict[int, float], dyn: DynamicData
) -> tuple[int, list[Equivalent], int]:
    """Machines on every source; returns (machines, equivalents, sgens)."""
    f0, base = pfc.f_hz, pfc.base_mva
    eq_rows = [
        k
        for k, kind in enumerate(pfc.gen_kinds)
        if kind == "ext_grid" and math.isfinite(pfc.gen_s_sc_mva[k]) and pfc.gen_s_sc_mva[k] > 0
    ]
    local_beta, machines = 0.0, 0
    for k, kind in enumerate(pfc.gen_kinds):
        if kind == "sgen" or k in eq_rows:
            continue
        number = int(pfc.gen[k, 0])
        local_beta += _add_machine(
            system,
            static[k],
            number,
            vn[number],
            _gen_rating_mva(pfc, k, dyn),
            float(pfc.gen[k, 1]) / base,
            base,
            f0,
            dyn,
        )
        machines += 1
    equivalents: list[Equivalent] = []
    if eq_rows:
        eq = dyn.equivalent
        total_ssc = float(sum(pfc.gen_s_sc_mva[k] for k in eq_rows))
        beta_eq = max(
            dyn.frequency_response_mw_per_hz - local_beta, 0.1 * dyn.frequency_response_mw_per_hz
        )
        for k in eq_rows:
            share = float(pfc.gen_s_sc_mva[k]) / total_ssc
            sn = share * _v(eq.interconnection_capacity_mva)
            ssc = float(pfc.gen_s_sc_mva[k])
            rx = float(pfc.gen_rx[k]) if math.isfinite(pfc.gen_rx[k]) else 0.0
            xd1 = sn / ssc / math.sqrt(1.0 + rx * rx)  # |Z| = sn/ssc on the machine base
            number = int(pfc.gen[k, 0])
            syn = f"SYN_{static[k]}"
            system.add(
                "GENCLS",
                dict(
                    idx=syn,
                    bus=number,
                    gen=static[k],
                    Sn=sn,
                    Vn=vn[number],
                    fn=f0,
                    M=2.0 * _v(eq.h_s),
                    D=_v(eq.d_pu),
                    ra=rx * xd1,
                    xd1=xd1,
                ),
            )
            beta_k = share * beta_eq
            droop = sn / (beta_k * f0)
            gov = dyn.governor
            system.add(
                "TGOV1",
                dict(
                    idx=f"GOV_{static[k]}",
                    syn=syn,
                    R=droop,
                    T1=_v(gov.t1_s),
                    T2=_v(gov.t2_s),
                    T3=_v(gov.t3_s),
                    VMAX=_v(eq.governor_vmax_pu),
                    VMIN=_v(eq.governor_vmin_pu),
                    Dt=0.0,
                ),
            )
            equivalents.append(Equivalent(pfc.gen_names[k], sn, _v(eq.h_s), droop, beta_k, ssc))
    sgens = sum(1 for kind in pfc.gen_kinds if kind == "sgen")
    return machines, equivalents, sgens


def fault_idx(bus_idx: int | str) -> str:
    """ANDES ``idx`` of the idle three-phase ``Fault`` at bus ``bus_idx``."""
    return f"fault_{bus_idx}"


def _add_idle_events(system: Any, fault_buses: Sequence[int | str]) -> None:
    """Unarmed events: the campus trip (``Toggle``) and a bolted fault at each bus.

    ANDES cannot add devices after ``setup()``; a study arms these instead by setting
    their times before ``TDS.init()``: ``system.Toggle.set("t", CAMPUS_TRIP_IDX, "v", t)``,
    ``system.Fault.set("tf", fault_idx(bus), "v", t1)`` and ``"tc"`` (and ``"xf"``).
    """
    system.add("Toggle", dict(idx=CAMPUS_TRIP_IDX, model="PQ", dev=CAMPUS_IDX, t=IDLE_TIME_S))
    for bus in dict.fromkeys(fault_buses):
        system.add(
            "Fault",
            dict(idx=fault_idx(bus), bus=bus, tf=IDLE_TIME_S, tc=IDLE_TIME_S + 1.0, xf=1e-4),
        )


def _add_campus(
    system: Any, bus: int | str, vn: float, p_mw: float, q_mvar: float, base: float
) -> None:
    system.add(
        "PQ",
        dict(
            idx=CAMPUS_IDX,
            bus=bus,
            name="gridimpact campus",
            Vn=vn,
            p0=p_mw / base,
            q0=q_mvar / base,
        ),
    )


def _solve(system: Any, where: str, fit_governors: bool = False) -> None:
    _campus_pq_config(system)
    if not system.setup():
        raise SolverError(f"{where}: ANDES could not set up the dynamic model")
    system.PFlow.run()
    if not system.PFlow.converged:
        raise SolverError(f"{where}: the ANDES power flow of the dynamic model did not converge")
    if fit_governors:
        _fit_governor_limits(system)


def _fit_governor_limits(system: Any) -> None:
    """Widen each typical TGOV1's valve limits to hold its unit's solved dispatch.

    A slack unit's output is known only after the power flow; a governor initialised
    outside its limits would not start flat. The limits are widened (by 5 % of the
    rating), never narrowed. ANDES holds them on the system base after setup.
    """
    gov = system.TGOV1
    for i, syn in enumerate(gov.syn.v):
        if syn not in system.GENROU.idx.v:
            continue
        gen = system.GENROU.get("gen", syn, attr="v")
        margin = 0.05 * float(system.GENROU.get("Sn", syn, attr="v")) / float(system.config.mva)
        model = system.Slack if gen in system.Slack.idx.v else system.PV
        p_sys = float(model.get("p", gen, attr="v"))
        gov.VMAX.v[i] = max(float(gov.VMAX.v[i]), p_sys + margin)
        gov.VMIN.v[i] = min(float(gov.VMIN.v[i]), p_sys - margin)


def _describe_pfc(pfc: PowerFlowCase, machines: int, eqs: list[Equivalent], sgens: int) -> str:
    parts = [
        f"{engine_name()}: {pfc.name}, {len(pfc.bus)} buses",
        f"{machines} generator(s) as GENROU + IEEEX1 + TGOV1 (typical data)",
    ]
    for e in eqs:
        parts.append(
            f"external grid {e.name!r} as a GENCLS equivalent of the interconnection "
            f"(H {e.h_s:g} s on {e.sn_mva:,.0f} MVA = {e.h_s * e.sn_mva / 1000:,.0f} GW s, "
            f"governor droop {e.droop_pu:.3g} pu = {e.beta_mw_per_hz:,.0f} MW/Hz, behind "
            f"{e.s_sc_mva:,.0f} MVA short-circuit power)"
        )
    parts.append(f"{sgens} static generator(s) as constant-power injections")
    parts.append("loads and campus constant power (fault studies: constant current)")
    return "; ".join(parts)


def model_from_power_flow_case(
    pfc: PowerFlowCase, dyn: DynamicData | None = None, fault_bus_rows: Sequence[int] = ()
) -> DynamicModel:
    """A :class:`DynamicModel` of a network with typical dynamic data.

    Parameters
    ----------
    pfc : PowerFlowCase
        The network with the campus at its POI (:func:`gridimpact.grid.dynamic_export.
        export_power_flow_case`).
    dyn : DynamicData, optional
        Dynamic data (``load_dynamic_data()`` if omitted).
    fault_bus_rows : sequence of int
        Rows of ``pfc.bus`` that get an idle ``Fault`` besides the POI.

    Returns
    -------
    DynamicModel
        Power flow solved; ``rebuild()`` builds it again from the same inputs. Idle
        events: ``Toggle`` :data:`CAMPUS_TRIP_IDX` and ``Fault`` :func:`fault_idx` of the
        POI (and of ``fault_bus_rows``), for the studies to arm.

    Raises
    ------
    SolverError
        If ANDES cannot set the system up or its power flow does not converge.
    """
    data = dyn if dyn is not None else load_dynamic_data()
    andes = andes_module()
    system = andes.System(default_config=True, no_output=True)
    system.config.freq = pfc.f_hz
    system.config.mva = pfc.base_mva
    vn = _add_network(system, pfc)
    static = _add_sources(system, pfc, vn)
    poi = int(pfc.bus[pfc.poi_bus_row, 0])
    _add_campus(system, poi, vn[poi], pfc.campus.p_mw, pfc.campus.q_mvar, pfc.base_mva)
    _add_idle_events(system, [poi, *(int(pfc.bus[r, 0]) for r in fault_bus_rows)])
    machines, eqs, sgens = _add_dynamics(system, pfc, static, vn, data)
    _solve(system, pfc.name, fit_governors=True)
    return DynamicModel(
        system=system,
        campus_load_idx=CAMPUS_IDX,
        poi_bus_idx=poi,
        campus_p_mw=pfc.campus.p_mw,
        campus_q_mvar=pfc.campus.q_mvar,
        f0_hz=pfc.f_hz,
        base_mva=pfc.base_mva,
        description=_describe_pfc(pfc, machines, eqs, sgens),
        rebuild=lambda: model_from_power_flow_case(pfc, data, fault_bus_rows),
    )


def _disable_events(system: Any) -> int:
    """Switch off the DYR's own event records (ANDES ``Toggle``/``Fault``): the studies
    apply their events to an undisturbed model. Returns how many there were."""
    count = 0
    for name in ("Toggle", "Fault"):
        model = getattr(system, name)
        for idx in list(model.idx.v):
            model.set("u", idx, attr="v", value=0)
            count += 1
    return count


def _bus_number(system: Any, poi_bus_number: int, raw_path: pathlib.Path) -> int:
    numbers = [int(b) for b in system.Bus.idx.v]
    if int(poi_bus_number) not in numbers:
        raise DynamicDataError(
            f"{raw_path.name}: POI bus {poi_bus_number} is not a bus of the network "
            f"({len(numbers)} buses)"
        )
    return int(poi_bus_number)


def model_from_raw_dyr(
    raw_path: str | pathlib.Path,
    dyr_path: str | pathlib.Path,
    poi_bus_number: int,
    campus_p_mw: float,
    campus_q_mvar: float,
    fault_bus_numbers: Sequence[int] = (),
) -> DynamicModel:
    """A :class:`DynamicModel` of a PSS/E RAW case with its DYR dynamic data.

    The DYR is checked against the RAW first (:func:`.dyr.check_dyr`); ANDES then
    reads both and the campus is added as its own constant-power load at the POI.

    Parameters
    ----------
    raw_path, dyr_path : path
        PSS/E RAW (v32/v33/v34) and DYR files.
    poi_bus_number : int
        PSS/E number of the POI bus.
    campus_p_mw, campus_q_mvar : float
        Campus demand at the POI (MW, Mvar).
    fault_bus_numbers : sequence of int
        Buses that get an idle ``Fault`` besides the POI (as
        :func:`model_from_power_flow_case`; the DYR's own events are disabled).

    Raises
    ------
    DynamicDataError
        If the DYR names buses, machines or models the RAW / ANDES do not have, the POI
        bus is not in the RAW, or ANDES cannot read the files (one line naming the file).
    SolverError
        If the power flow does not converge.
    """
    raw, dyr = pathlib.Path(raw_path), pathlib.Path(dyr_path)
    check_dyr(raw, dyr)
    andes = andes_module()
    try:
        system = andes.load(
            str(raw), addfile=str(dyr), setup=False, no_output=True, default_config=True
        )
    except Exception as exc:  # ANDES' readers raise anything on a malformed file
        raise DynamicDataError(
            f"{raw.name} / {dyr.name}: ANDES cannot read the case ({type(exc).__name__}: {exc})"
        ) from exc
    if system is None:
        raise DynamicDataError(f"{raw.name} / {dyr.name}: ANDES cannot read the case")
    poi = _bus_number(system, poi_bus_number, raw)
    events = _disable_events(system)
    base = float(system.config.mva)
    vn = float(system.Bus.get("Vn", poi, attr="v"))
    _add_campus(system, poi, vn, campus_p_mw, campus_q_mvar, base)
    for number in fault_bus_numbers:
        _bus_number(system, number, raw)
    _add_idle_events(system, [poi, *fault_bus_numbers])
    _solve(system, raw.name)
    models = sorted(
        name
        for name in (
            "GENROU",
            "GENCLS",
            "IEEEX1",
            "EXST1",
            "SEXS",
            "ESST3A",
            "EXDC2",
            "TGOV1",
            "IEEEG1",
            "GAST",
            "HYGOV",
            "IEEEST",
            "ST2CUT",
        )
        if getattr(system, name).n
    )
    description = (
        f"{engine_name()}: {raw.name} + {dyr.name}, {system.Bus.n} buses, "
        f"{system.SynGen.n} machine(s) from the DYR ({', '.join(models)}); loads and campus "
        "constant power (fault studies: constant current)"
        + (f"; {events} event record(s) of the DYR (Toggle, Fault) disabled" if events else "")
    )
    return DynamicModel(
        system=system,
        campus_load_idx=CAMPUS_IDX,
        poi_bus_idx=poi,
        campus_p_mw=float(campus_p_mw),
        campus_q_mvar=float(campus_q_mvar),
        f0_hz=float(system.config.freq),
        base_mva=base,
        description=description,
        rebuild=lambda: model_from_raw_dyr(
            raw, dyr, poi_bus_number, campus_p_mw, campus_q_mvar, fault_bus_numbers
        ),
    )


def power_flow_voltages(model: DynamicModel) -> tuple[np.ndarray, np.ndarray]:
    """Bus voltage magnitudes (pu) and angles (degrees) of the model's power flow, in
    ANDES bus order."""
    system = model.system
    return np.asarray(system.Bus.v.v, dtype=float), np.asarray(system.Bus.a.v) / DEG
