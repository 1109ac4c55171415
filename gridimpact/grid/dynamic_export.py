"""Export of a network model to a plain power-flow case for the dynamic engine.

The time-domain studies (:mod:`gridimpact.dynamics.timedomain`) never see the
pandapower net: they receive a :class:`PowerFlowCase`, MATPOWER-layout arrays
built by pandapower's own converter (``to_ppc``: only in-service buses, branches
and elements, islands left out), plus the generators as separate records (kind,
MVA rating, short-circuit power of external grids) and the campus as its own
load record at the POI (never merged with other load of the bus).

References
----------
.. [1] R. D. Zimmerman, C. E. Murillo-Sanchez, "MATPOWER User's Manual",
   Appendix B "Data File Format" (bus, gen and branch column layout), 2020.
.. [2] pandapower documentation, "Converter: to_ppc" (pandapower net to the
   PYPOWER/MATPOWER case), https://pandapower.readthedocs.io
"""

from __future__ import annotations

import copy
import logging
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandapower as pp
import pandas as pd

from gridimpact.errors import NetworkError
from gridimpact.grid.model import CAMPUS_LOAD_NAME, NetworkModel

GEN_KINDS = ("ext_grid", "gen", "sgen")
BUS_COLUMNS = 13
"""MATPOWER bus columns: BUS_I TYPE PD QD GS BS AREA VM VA BASE_KV ZONE VMAX VMIN."""
GEN_COLUMNS = 10
"""MATPOWER gen columns: BUS PG QG QMAX QMIN VG MBASE STATUS PMAX PMIN."""
BRANCH_COLUMNS = 13
"""MATPOWER branch columns: F_BUS T_BUS R X B RATE_A RATE_B RATE_C TAP SHIFT STATUS ANGMIN
ANGMAX."""


@dataclass(frozen=True)
class LoadRecord:
    """One load kept apart from the bus load (the campus).

    Attributes
    ----------
    bus_row : int
        Row of its bus in :attr:`PowerFlowCase.bus` (0-based).
    p_mw, q_mvar : float
        Demand (MW, Mvar; positive = consumption).
    name : str
    """

    bus_row: int
    p_mw: float
    q_mvar: float
    name: str


@dataclass(frozen=True)
class PowerFlowCase:
    """A network as plain arrays (MATPOWER layout, buses numbered 1..n).

    Attributes
    ----------
    name : str
        Network name.
    base_mva, f_hz : float
        System base (MVA) and nominal frequency (Hz).
    bus : ndarray, shape (n, 13)
        MATPOWER bus table (PD/QD/GS/BS in MW/Mvar at 1 pu; every load of the network
        except the campus, which is :attr:`campus`). Bus numbers are ``1..n``.
    gen : ndarray, shape (g, 10)
        MATPOWER gen table of every in-service source: external grids (at the
        reference bus, ``PG`` 0 until solved), generators and static generators
        (``sgen``: constant P/Q injections, their bus keeps its type).
    branch : ndarray, shape (m, 13)
        MATPOWER branch table (per unit on ``base_mva``; ``TAP`` 0 for lines).
    branch_g_pu : ndarray, shape (m,)
        Total shunt conductance of each branch (transformer iron losses), per unit;
        MATPOWER has no column for it; split half to each end as ``B``.
    bus_names : tuple of str
        Name of each bus row.
    gen_names : tuple of str
    gen_kinds : tuple of str
        ``"ext_grid"``, ``"gen"`` or ``"sgen"`` per gen row.
    gen_sn_mva : ndarray, shape (g,)
        MVA rating of each source (NaN where the network gives none; external grids NaN).
    gen_pmax_mw : ndarray, shape (g,)
        Maximum active power of each source (NaN where the network gives none).
    gen_s_sc_mva : ndarray, shape (g,)
        Maximum three-phase short-circuit power of each external grid (NaN for the others).
    gen_rx : ndarray, shape (g,)
        R/X ratio of each external grid's source impedance (NaN for the others).
    poi_bus_row : int
        Row of the POI bus in :attr:`bus`.
    campus : LoadRecord
        The campus load at the POI.
    """

    name: str
    base_mva: float
    f_hz: float
    bus: np.ndarray
    gen: np.ndarray
    branch: np.ndarray
    branch_g_pu: np.ndarray
    bus_names: tuple[str, ...]
    gen_names: tuple[str, ...]
    gen_kinds: tuple[str, ...]
    gen_sn_mva: np.ndarray
    gen_pmax_mw: np.ndarray
    gen_s_sc_mva: np.ndarray
    gen_rx: np.ndarray
    poi_bus_row: int
    campus: LoadRecord

    @property
    def bus_numbers(self) -> np.ndarray:
        """Bus numbers (``1..n``) as integers."""
        return self.bus[:, 0].astype(int)


def _num(value: object, default: float = math.nan) -> float:
    """``value`` as a float, ``default`` for None/NaN/missing."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def _to_ppci(net: pp.pandapowerNet) -> dict[str, np.ndarray]:
    """pandapower's internal MATPOWER-layout case of ``net`` (in-service elements only)."""
    from pandapower.converter.pypower.to_ppc import to_ppc

    quiet = logging.getLogger("pandapower")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ppci: dict[str, np.ndarray] = to_ppc(net, init="flat", calculate_voltage_angles=True)
    finally:
        quiet.setLevel(level)
    return ppci


def export_power_flow_case(
    model: NetworkModel, campus_p_mw: float, campus_q_mvar: float
) -> PowerFlowCase:
    """The network of ``model`` as a :class:`PowerFlowCase` with the campus at its POI.

    Parameters
    ----------
    model : NetworkModel
        A loaded network (islands already retired, campus load at the POI).
    campus_p_mw, campus_q_mvar : float
        Campus demand at the POI (MW, Mvar).

    Returns
    -------
    PowerFlowCase

    Raises
    ------
    NetworkError
        If pandapower cannot convert the network or an element's bus is not exported.
    """
    net = copy.deepcopy(model._net)
    is_campus = net.load.name.astype(str) == CAMPUS_LOAD_NAME
    net.load = net.load[~is_campus]
    sgens = net.sgen[net.sgen.in_service.astype(bool)].copy() if len(net.sgen) else net.sgen
    if len(net.sgen):
        net.sgen["in_service"] = False  # exported as separate records below
    try:
        ppci = _to_ppci(net)
    except Exception as exc:  # pandapower's converter: any failure is the network's
        raise NetworkError(
            f"{model.name}: cannot export the network for the dynamic model "
            f"({type(exc).__name__}: {exc})"
        ) from exc
    lookup = np.asarray(net._pd2ppc_lookups["bus"])
    n_bus = len(ppci["bus"])
    bus = np.array(ppci["bus"][:, :BUS_COLUMNS].real, dtype=float)
    bus[:, 0] = np.arange(1, n_bus + 1)
    names = [""] * n_bus
    for index, name in zip(net.bus.index, net.bus.name, strict=True):
        row = int(lookup[index]) if index < len(lookup) else -1
        if bool(net.bus.in_service.at[index]) and 0 <= row < n_bus:
            names[row] = str(name)

    def row_of(bus_index: int) -> int:
        row = int(lookup[bus_index]) if bus_index < len(lookup) else -1
        if not 0 <= row < n_bus or not names[row]:
            return -1
        return row

    branch = np.array(ppci["branch"][:, :BRANCH_COLUMNS].real, dtype=float)
    branch[:, 0:2] += 1
    branch_g = np.asarray(ppci.get("branch_g", np.zeros(len(branch))), dtype=float).real
    branch[branch[:, 8] == 1.0, 8] = np.where(branch[branch[:, 8] == 1.0, 9] == 0.0, 0.0, 1.0)

    rows: list[list[float]] = []
    gnames: list[str] = []
    kinds: list[str] = []
    sn: list[float] = []
    pmax: list[float] = []
    ssc: list[float] = []
    rx: list[float] = []

    def add(
        kind: str,
        element: pd.Series,
        r: int,
        pg: float,
        qg: float,
        vg: float,
        extra: tuple[float, float, float],
    ) -> None:
        name = element.get("name")
        name = f"{kind} {element.name}" if name is None or pd.isna(name) else str(name)
        qmax, qmin, mbase = extra
        pmax.append(_num(element.get("max_p_mw")))
        rows.append([r + 1, pg, qg, qmax, qmin, vg, mbase, 1.0, 1e9, -1e9])
        gnames.append(name)
        kinds.append(kind)

    for i in net.ext_grid.index[net.ext_grid.in_service.astype(bool)]:
        r = row_of(int(net.ext_grid.bus.at[i]))
        if r < 0:
            continue
        ext = net.ext_grid.loc[i]
        add("ext_grid", ext, r, 0.0, 0.0, _num(ext.vm_pu, 1.0), (1e9, -1e9, model._net.sn_mva))
        sn.append(math.nan)
        ssc.append(_num(ext.get("s_sc_max_mva")))
        rx.append(_num(ext.get("rx_max")))
    for i in net.gen.index[net.gen.in_service.astype(bool)]:
        r = row_of(int(net.gen.bus.at[i]))
        if r < 0:
            continue
        gen = net.gen.loc[i]
        p_mw = _num(gen.p_mw, 0.0) * _num(gen.get("scaling"), 1.0)
        rating = _num(gen.get("sn_mva"))
        add(
            "gen",
            gen,
            r,
            p_mw,
            0.0,
            _num(gen.vm_pu, 1.0),
            (
                _num(gen.get("max_q_mvar"), 1e9),
                _num(gen.get("min_q_mvar"), -1e9),
                rating if not math.isnan(rating) else model._net.sn_mva,
            ),
        )
        sn.append(rating)
        ssc.append(math.nan)
        rx.append(math.nan)
    for i in sgens.index:
        r = row_of(int(sgens.bus.at[i]))
        if r < 0:
            continue
        sg = sgens.loc[i]
        scale = _num(sg.get("scaling"), 1.0)
        add(
            "sgen",
            sg,
            r,
            _num(sg.p_mw, 0.0) * scale,
            _num(sg.q_mvar, 0.0) * scale,
            1.0,
            (0.0, 0.0, _num(sg.get("sn_mva"), math.nan)),
        )
        sn.append(_num(sg.get("sn_mva")))
        ssc.append(math.nan)
        rx.append(math.nan)

    poi_row = row_of(int(net.bus.index[model.poi_index]))
    if poi_row < 0:
        raise NetworkError(
            f"{model.name}: POI bus {model.poi_bus!r} is not in the exported network"
        )
    gen = np.array(rows, dtype=float).reshape(-1, GEN_COLUMNS)
    return PowerFlowCase(
        name=model.name,
        base_mva=float(ppci["baseMVA"]),
        f_hz=float(model._net.f_hz),
        bus=bus,
        gen=gen,
        branch=branch,
        branch_g_pu=branch_g,
        bus_names=tuple(names),
        gen_names=tuple(gnames),
        gen_kinds=tuple(kinds),
        gen_sn_mva=np.array(sn, dtype=float),
        gen_pmax_mw=np.array(pmax, dtype=float),
        gen_s_sc_mva=np.array(ssc, dtype=float),
        gen_rx=np.array(rx, dtype=float),
        poi_bus_row=poi_row,
        campus=LoadRecord(poi_row, float(campus_p_mw), float(campus_q_mvar), CAMPUS_LOAD_NAME),
    )


def pandapower_voltages(
    model: NetworkModel, campus_p_mw: float, campus_q_mvar: float
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Reference power flow: pandapower ``runpp`` of the same net with the campus at the POI.

    Returns
    -------
    names : tuple of str
        In-service bus names.
    vm_pu, va_deg : ndarray
        Their voltage magnitude (pu) and angle (degrees).

    Raises
    ------
    NetworkError
        If pandapower's power flow does not converge.
    """
    net = copy.deepcopy(model._net)
    is_campus = net.load.name.astype(str) == CAMPUS_LOAD_NAME
    net.load.loc[is_campus, ["p_mw", "q_mvar"]] = [campus_p_mw, campus_q_mvar]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pp.runpp(net, numba=False, tolerance_mva=1e-9, calculate_voltage_angles=True)
    except Exception as exc:  # pandapower raises LoadflowNotConverged and others
        raise NetworkError(f"{model.name}: pandapower power flow failed ({exc})") from exc
    live = net.bus.in_service.astype(bool).to_numpy()
    names = tuple(str(n) for n in net.bus.name[live])
    return (
        names,
        net.res_bus.vm_pu.to_numpy()[live],
        net.res_bus.va_degree.to_numpy()[live],
    )
