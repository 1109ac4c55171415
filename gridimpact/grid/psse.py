"""PSS/E RAW power-flow cases (v32, v33, v35) as pandapower nets.

The file is read by pypowsybl (``pypowsybl.network.load``, the PowSyBl PSS/E
importer maintained by LF Energy), which turns the per-unit RAW data into the
physical IIDM model (kV, Ω, S; transformer ratios ρ and angles α that already
include the CW/CZ/CM codes, WINDV1/WINDV2, NOMV1/NOMV2 and the winding MVA
bases). This module converts that physical model to the pandapower element
types our solver (lightsim2grid) accepts: ``bus``, ``load``, ``shunt``,
``gen``, ``sgen``, ``ext_grid``, ``line`` and ``trafo``. A short pre-scan of the
RAW text itself supplies what the importer drops (measured on pypowsybl 1.16):
bus type IDE = 4 (the importer keeps such buses energised), the constant-current
and constant-admittance load parts (the importer adds them to the constant
power at 1 pu), references to undefined buses (the importer accepts them
silently) and the version check.

Buses are named by their PSS/E number (``"2002"``); the RAW ``NAME`` is kept in
the bus column ``alias``. Every element that is not represented exactly is
listed in ``net["import_note"]`` (one line per element type).

References
----------
.. [1] Siemens PTI, *PSS®E 33.4 Program Operation Manual*, ch. 5 "Power Flow
   Raw Data File Contents" (bus, load, fixed shunt, generator, non-transformer
   branch, transformer and switched shunt data records), 2013; and *PSS®E 35
   Program Operation Manual*, ch. 1 "Power Flow Raw Data File Contents", 2019.
.. [2] PowSyBl, "PSS/E importer" and "IIDM grid model" (two- and three-winding
   transformer equivalent circuits), https://powsybl.readthedocs.io
.. [3] pandapower documentation, "Transformer" (electric model, off-nominal
   ratio from ``vn_hv_kv``/``vn_lv_kv`` against the bus voltages) and "Line".
"""

from __future__ import annotations

import math
import pathlib
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandapower as pp
import pandas as pd

from gridimpact.errors import NetworkError

SUPPORTED_RAW_VERSIONS = (32, 33, 35)
"""RAW revisions pypowsybl reads (v32 is read with the v33 layout; v34 is refused)."""

MIN_BRANCH_X_PU = 1e-6
"""Reactance (system base) given to a zero-impedance transformer leg (|z| below this)."""

NO_RATING_MVA = 99999.0
"""Transformer ``sn_mva`` / line rating used when the RAW file gives no rating (RATEA = 0)."""

_END_OF_DATA = "Q"


@dataclass
class _RawBus:
    name: str
    base_kv: float
    ide: int
    vm_pu: float
    va_degree: float


@dataclass
class _RawLoad:
    bus: int
    load_id: str
    status: int
    p_mw: float
    q_mvar: float
    ip_mw: float
    iq_mvar: float
    yp_mw: float
    yq_mvar: float
    dgen_p_mw: float = 0.0
    dgen_q_mvar: float = 0.0


@dataclass
class _RawScan:
    version: int
    s_base_mva: float
    f_hz: float
    buses: dict[int, _RawBus] = field(default_factory=dict)
    loads: list[_RawLoad] = field(default_factory=list)


def _fields(line: str) -> list[str]:
    """Data items of one RAW record: comma or blank separated, quoted strings kept whole,
    everything after an unquoted ``/`` dropped (POM ch. 5, "data input format")."""
    out: list[str] = []
    cur = ""
    quoted = False
    pending = False  # a blank ended an item; a following comma must not add an empty one
    for ch in line:
        if ch == "'" or ch == '"':
            quoted = not quoted
            cur += ch
        elif quoted:
            cur += ch
        elif ch == "/":
            break
        elif ch == ",":
            if cur or not pending:
                out.append(cur.strip())
            cur = ""
            pending = False
        elif ch.isspace():
            if cur:
                out.append(cur.strip())
                cur = ""
                pending = True
        else:
            if pending and not cur:
                pending = False
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return [f.strip().strip("'\"").strip() for f in out]


def _num(items: list[str], i: int, default: float = 0.0) -> float:
    try:
        return float(items[i]) if i < len(items) and items[i] != "" else default
    except ValueError:
        return default


def _int(items: list[str], i: int, default: int = 0) -> int:
    return int(_num(items, i, float(default)))


def _scan_raw(path: pathlib.Path) -> _RawScan:
    """Header, buses and loads of a RAW file, and checks of every bus reference in the
    load, fixed shunt, generator, branch and transformer records."""
    where = path.name
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines:
        raise NetworkError(f"{where}: empty PSS/E RAW file")
    head = _fields(lines[0])
    try:
        version = int(float(head[2]))
    except (IndexError, ValueError):
        raise NetworkError(
            f"{where}: PSS/E RAW version not stated in the first record (IC, SBASE, REV, ...)"
        ) from None
    if version not in SUPPORTED_RAW_VERSIONS:
        raise NetworkError(
            f"{where}: PSS/E RAW version {version} is not supported "
            f"(supported: {', '.join(map(str, SUPPORTED_RAW_VERSIONS))}; "
            "save the case as v33 or v35 from PSS/E)"
        )
    scan = _RawScan(version, _num(head, 1, 100.0) or 100.0, _num(head, 5, 60.0) or 60.0)
    names = ["bus", "load", "fshunt", "gen", "branch"]
    if version >= 34:  # v34+ start with a system-wide data block, and have switching devices
        names = ["system", *names, "swdev"]
    names.append("transformer")
    block: dict[str, list[list[str]]] = {name: [] for name in names}
    current, continuation = 0, 0
    for ln in lines[3:]:
        if ln.lstrip().startswith("@!") or ln.strip() == "":
            continue
        items = _fields(ln)
        if continuation:  # lines 2-5 of a transformer record are never block ends
            continuation -= 1
            block["transformer"][-1].extend(items)
            continue
        if items and items[0].upper() == _END_OF_DATA:
            break
        if items and items[0] == "0":
            current += 1
            if current == len(names):
                break
            continue
        name = names[current]
        if name == "transformer":
            continuation = 3 if _int(items, 2) == 0 else 4
        block[name].append(items)
    for items in block["bus"]:
        number = _int(items, 0)
        scan.buses[number] = _RawBus(
            name=items[1] if len(items) > 1 else "",
            base_kv=_num(items, 2),
            ide=_int(items, 3, 1),
            vm_pu=_num(items, 7, 1.0),
            va_degree=_num(items, 8),
        )
    known = scan.buses

    def check(kind: str, k: int, what: str, buses: list[int]) -> None:
        for b in buses:
            if b != 0 and abs(b) not in known:
                raise NetworkError(f"{where}: {kind} {k} ({what}): bus {abs(b)} not defined")

    for k, items in enumerate(block["load"], 1):
        bus = _int(items, 0)
        check("load", k, f"at bus {bus}", [bus])
        dgen_on = version >= 35 and _int(items, 16, 0) == 1
        scan.loads.append(
            _RawLoad(
                bus=bus,
                load_id=items[1] if len(items) > 1 else "1",
                status=_int(items, 2, 1),
                p_mw=_num(items, 5),
                q_mvar=_num(items, 6),
                ip_mw=_num(items, 7),
                iq_mvar=_num(items, 8),
                yp_mw=_num(items, 9),
                yq_mvar=_num(items, 10),
                dgen_p_mw=_num(items, 14) if dgen_on else 0.0,
                dgen_q_mvar=_num(items, 15) if dgen_on else 0.0,
            )
        )
    for k, items in enumerate(block["fshunt"], 1):
        check("fixed shunt", k, f"at bus {_int(items, 0)}", [_int(items, 0)])
    for k, items in enumerate(block["gen"], 1):
        check("generator", k, f"at bus {_int(items, 0)}", [_int(items, 0)])
    for k, items in enumerate(block["branch"], 1):
        i, j = _int(items, 0), _int(items, 1)
        check("branch", k, f"from bus {abs(i)} to {abs(j)}", [i, j])
    for k, items in enumerate(block["transformer"], 1):
        i, j, kk = _int(items, 0), _int(items, 1), _int(items, 2)
        ends = f"buses {abs(i)}-{abs(j)}" + (f"-{abs(kk)}" if kk else "")
        check("transformer", k, ends, [i, j, kk])
    return scan


def _line_shunt_split(v1: float, v2: float) -> tuple[float, float, float]:
    """Symmetric part kept in the line's π (total) and the remainders at each end."""
    if v1 >= 0 and v2 >= 0:
        sym = min(v1, v2)
        return 2.0 * sym, v1 - sym, v2 - sym
    return 0.0, v1, v2


class _Builder:
    """Adds pandapower elements for IIDM data (all values physical: kV, Ω, S, MW)."""

    def __init__(self, net: pp.pandapowerNet, f_hz: float) -> None:
        self.net = net
        self.f_hz = f_hz
        self.inexact: Counter[str] = Counter()

    def vn(self, bus: int) -> float:
        return float(self.net.bus.at[bus, "vn_kv"])

    def bus_shunt(self, bus: int, g_s: float, b_s: float, name: str, in_service: bool) -> None:
        """Constant admittance g + jb (S) at a bus; q positive = consumed (pandapower)."""
        if g_s == 0.0 and b_s == 0.0:
            return
        v2 = self.vn(bus) ** 2
        pp.create_shunt(
            self.net, bus, q_mvar=-b_s * v2, p_mw=g_s * v2, name=name, in_service=in_service
        )

    def trafo(
        self,
        bus1: int,
        bus2: int,
        rho: float,
        alpha_degree: float,
        r_ohm: float,
        x_ohm: float,
        g_s: float,
        b_s: float,
        sn_mva: float,
        name: str,
        in_service: bool,
        s_base_mva: float,
    ) -> None:
        """An IIDM two-winding transformer as an exact pandapower ``trafo`` (+ bus shunt).

        IIDM: side 1 — ideal ratio ρ·e^{jα} — magnetizing g + jb — series r + jx — side 2,
        with r, x, g, b on the side-2 voltage. pandapower's ``hv`` side carries the
        off-nominal ratio, so hv = side 1, lv = side 2, ``vn_lv_kv`` = side-2 bus
        voltage and ``vn_hv_kv`` = that voltage / ρ; the impedance is then referred to
        the lv bus base without correction. The magnetizing admittance sees the voltage
        ρ·V1, so it is a bus shunt ρ²(g + jb) at side 1 (exact). pandapower's
        ``shift_degree`` is the MATPOWER branch shift (V_internal = V_hv / (τ·e^{jθ})),
        so θ = −α (checked against ANDES with ANG1 = 5°).
        """
        vb2 = self.vn(bus2)
        z_base_ohm = vb2**2 / s_base_mva
        if math.hypot(r_ohm, x_ohm) < MIN_BRANCH_X_PU * z_base_ohm:
            x_ohm = MIN_BRANCH_X_PU * z_base_ohm
            self.inexact["zero-impedance transformer winding"] += 1
        z_pct = 100.0 * math.hypot(r_ohm, x_ohm) * sn_mva / vb2**2
        vk_percent = math.copysign(z_pct, x_ohm) if x_ohm != 0 else z_pct
        pp.create_transformer_from_parameters(
            self.net,
            hv_bus=bus1,
            lv_bus=bus2,
            sn_mva=sn_mva,
            vn_hv_kv=vb2 / rho,
            vn_lv_kv=vb2,
            vk_percent=vk_percent,
            vkr_percent=100.0 * r_ohm * sn_mva / vb2**2,
            pfe_kw=0.0,
            i0_percent=0.0,
            shift_degree=-alpha_degree,
            name=name,
            in_service=in_service,
        )
        self.bus_shunt(bus1, rho**2 * g_s, rho**2 * b_s, f"{name} magnetizing", in_service)

    def line(
        self,
        bus1: int,
        bus2: int,
        r_ohm: float,
        x_ohm: float,
        g1_s: float,
        b1_s: float,
        g2_s: float,
        b2_s: float,
        max_i_ka: float,
        name: str,
        in_service: bool,
        s_base_mva: float,
    ) -> None:
        """An IIDM line: pandapower ``line`` (same base voltage) or 1:1 ``trafo`` (else).

        The symmetric part of the end susceptances is the line's π charging; what is
        left (asymmetric ends, conductances) goes to bus shunts. A branch between two
        base voltages (ratio 1 pu in PSS/E) reaches us as a physical π with
        z = z_pu·V1·V2/S and end admittances y_k = y_s(V_other/V_k − 1) + jB_k; that is
        inverted exactly into a ``trafo`` at nominal ratio (``vn_hv_kv``/``vn_lv_kv`` =
        bus voltages) plus the per-unit end shunts, which is well conditioned.
        """
        vb1, vb2 = self.vn(bus1), self.vn(bus2)
        if abs(vb1 - vb2) > 1e-9 and complex(r_ohm, x_ohm) != 0:
            y_series = 1.0 / complex(r_ohm, x_ohm)
            y1 = complex(g1_s, b1_s) - y_series * (vb2 / vb1 - 1.0)
            y2 = complex(g2_s, b2_s) - y_series * (vb1 / vb2 - 1.0)
            z_lv = complex(r_ohm, x_ohm) * vb2 / vb1
            sn = NO_RATING_MVA if not np.isfinite(max_i_ka) else math.sqrt(3) * vb1 * max_i_ka
            self.trafo(
                bus1,
                bus2,
                vb2 / vb1,
                0.0,
                z_lv.real,
                z_lv.imag,
                0.0,
                0.0,
                sn,
                name,
                in_service,
                s_base_mva,
            )
            self.bus_shunt(bus1, y1.real, y1.imag, f"{name} end 1", in_service)
            self.bus_shunt(bus2, y2.real, y2.imag, f"{name} end 2", in_service)
            return
        b_pi, b1_rest, b2_rest = _line_shunt_split(b1_s, b2_s)
        pp.create_line_from_parameters(
            self.net,
            from_bus=bus1,
            to_bus=bus2,
            length_km=1.0,
            r_ohm_per_km=r_ohm,
            x_ohm_per_km=x_ohm,
            c_nf_per_km=b_pi / (2.0 * math.pi * self.f_hz) * 1e9,
            max_i_ka=max_i_ka if np.isfinite(max_i_ka) else NO_RATING_MVA,
            name=name,
            in_service=in_service,
        )
        self.bus_shunt(bus1, g1_s, b1_rest, f"{name} end 1", in_service)
        self.bus_shunt(bus2, g2_s, b2_rest, f"{name} end 2", in_service)


def _current_limits_ka(network: Any) -> dict[tuple[str, str], float]:
    """Permanent current limits (kA) by (element id, side)."""
    limits = network.get_operational_limits(all_attributes=True)
    if limits.empty:
        return {}
    limits = limits.reset_index()
    permanent = limits[(limits["type"] == "CURRENT") & (limits["acceptable_duration"] == -1)]
    return {
        (str(r.element_id), str(r.side)): float(r.value) / 1000.0 for r in permanent.itertuples()
    }


def _load_iidm(path: pathlib.Path) -> Any:
    import pypowsybl as ppow

    try:
        return ppow.network.load(
            str(path), parameters={"psse.import.ignore-node-breaker-topology": "true"}
        )
    except Exception as exc:  # the importer's own message names the problem
        msg = " ".join(str(exc).split())
        raise NetworkError(f"{path.name}: PSS/E importer (pypowsybl) failed: {msg}") from exc


_BUS_ID = re.compile(r"^B(\d+)$")


def read_raw(path: pathlib.Path) -> pp.pandapowerNet:
    """Read a PSS/E RAW case (v32, v33 or v35) into a pandapower net.

    Parameters
    ----------
    path : pathlib.Path
        The ``.raw`` file.

    Returns
    -------
    pandapowerNet
        Buses named by PSS/E number (``alias`` = RAW NAME, ``in_service`` False for
        IDE = 4); ``net["import_note"]`` lists, one line per element type, what is
        not represented exactly. Element mapping:

        * loads: the constant-power part (PL, QL; minus distributed generation
          DGENP/DGENQ when DGENF = 1, v35) is a ``load``; the constant-admittance
          part (YP, YQ at 1 pu; YQ > 0 capacitive) is an exact ``shunt``; the
          constant-current part (IP, IQ) is turned into constant power at the bus
          voltage stored in the RAW file (VM) and added to the ``load`` —
          approximate, noted;
        * fixed shunts and switched shunts: ``shunt`` at their present
          susceptance (switched shunts at BINIT / the present steps; no switching);
        * generators: ``gen`` (PV; ``vm_pu`` from VS, Q limits in
          ``max_q_mvar``/``min_q_mvar``) or ``sgen`` when not regulating; the
          generator the importer makes the slack (bus IDE = 3) becomes an
          ``ext_grid`` (its VS, the RAW bus angle); generators controlling a remote
          bus hold their own bus at the remote set-point (noted);
        * non-transformer branches: π ``line`` (length 1 km, per-km values =
          totals); line-end shunts (GI, BI, GJ, BJ) and asymmetric charging as
          bus ``shunt``; branches between different base voltages as a 1:1
          ``trafo`` plus end shunts (exact);
        * two-winding transformers: ``trafo`` with the exact off-nominal ratio
          and phase shift (CW, CZ, CM codes resolved by the importer),
          magnetizing admittance as a bus ``shunt`` (exact);
        * three-winding transformers: a star bus ``"<i>-<j>-<k> <ckt> star"`` and
          three ``trafo`` legs ``"<i>-<j>-<k> <ckt> winding <n>"`` (exact star
          equivalent; lightsim2grid has no ``trafo3w``).

    Raises
    ------
    NetworkError
        Unsupported version, undefined bus in a record, no slack, importer failure.

    References
    ----------
    .. [1] Siemens PTI, PSS®E 33.4 Program Operation Manual, ch. 5, and PSS®E 35
       Program Operation Manual, ch. 1 (Power Flow Raw Data File Contents).
    .. [2] PowSyBl IIDM grid model documentation (transformer equivalent circuits).
    """
    where = path.name
    scan = _scan_raw(path)
    network = _load_iidm(path)
    net = pp.create_empty_network(name=path.stem, f_hz=scan.f_hz, sn_mva=scan.s_base_mva)
    net.bus["alias"] = pd.Series(dtype=object)
    build = _Builder(net, scan.f_hz)
    notes: dict[str, str] = {}

    vl_kv = network.get_voltage_levels()["nominal_v"].astype(float)
    iidm_buses = network.get_bus_breaker_view_buses(all_attributes=True)
    bus_of: dict[str, int] = {}
    number_of: dict[int, int] = {}
    iidm_ids = {str(b).strip(): b for b in iidm_buses.index}
    for bus_id in iidm_ids:
        if _BUS_ID.match(bus_id) is None:
            raise NetworkError(f"{where}: unexpected bus id {bus_id!r} from the importer")
    for number, raw in scan.buses.items():  # RAW order
        iidm_id = iidm_ids.get(f"B{number}")
        if iidm_id is None:
            raise NetworkError(f"{where}: bus {number} was dropped by the importer")
        row = iidm_buses.loc[iidm_id]
        idx = pp.create_bus(
            net,
            vn_kv=float(vl_kv[row.voltage_level_id]),
            name=str(number),
            in_service=raw.ide != 4,
        )
        net.bus.at[idx, "alias"] = raw.name
        bus_of[str(iidm_id)] = idx
        number_of[number] = idx
    off_buses = set(net.bus.index[~net.bus.in_service.astype(bool)])
    if off_buses:
        notes["bus"] = (
            f"{len(off_buses)} isolated buses (IDE = 4) and their elements out of service"
        )

    def bus(ref: Any) -> int:
        key = str(ref)
        if key not in bus_of:
            raise NetworkError(f"{where}: element refers to unknown bus {key!r}")
        return bus_of[key]

    def live(connected: Any, *buses: int) -> bool:
        return bool(connected) and not any(b in off_buses for b in buses)

    limits = _current_limits_ka(network)
    s_base = scan.s_base_mva

    # loads (from the RAW records: the importer folds I and Y parts at 1 pu)
    n_current = 0
    for ld in scan.loads:
        b = number_of[ld.bus]
        on = ld.status != 0 and b not in off_buses
        vm = scan.buses[ld.bus].vm_pu
        p = ld.p_mw - ld.dgen_p_mw + ld.ip_mw * vm
        q = ld.q_mvar - ld.dgen_q_mvar + ld.iq_mvar * vm
        n_current += ld.ip_mw != 0.0 or ld.iq_mvar != 0.0
        pp.create_load(net, b, p_mw=p, q_mvar=q, name=f"{ld.bus} load {ld.load_id}", in_service=on)
        if ld.yp_mw != 0.0 or ld.yq_mvar != 0.0:
            pp.create_shunt(
                net,
                b,
                p_mw=ld.yp_mw,
                q_mvar=-ld.yq_mvar,
                name=f"{ld.bus} load {ld.load_id} admittance",
                in_service=on,
            )
    if n_current:
        notes["load"] = (
            f"{n_current} loads with a constant-current part: taken as constant power at "
            "the RAW bus voltage (approximate away from that voltage)"
        )

    # shunts (fixed and switched) at the present section
    shunts = network.get_shunt_compensators(all_attributes=True)
    for sid, row in shunts.iterrows():
        b = bus(row.bus_breaker_bus_id)
        build.bus_shunt(b, float(row.g), float(row.b), str(sid).strip(), live(row.connected, b))
    switched = (
        int(((shunts["model_type"] != "LINEAR") | shunts["voltage_regulation_on"]).sum())
        if len(shunts)
        else 0
    )
    if switched:
        notes["shunt"] = (
            f"{switched} switched shunts fixed at their present susceptance (no switching)"
        )

    # generators; the first in-service generator at each swing bus (IDE = 3) -> ext_grid
    gens = network.get_generators(all_attributes=True)
    swing = {number_of[n] for n, b in scan.buses.items() if b.ide == 3 and n in number_of}
    remote = 0
    n_ext = 0
    for gid, row in gens.iterrows():
        b = bus(row.bus_breaker_bus_id)
        on = live(row.connected, b)
        reg = row.get("regulated_bus_breaker_bus_id")
        reg_bus = bus(reg) if isinstance(reg, str) and reg in bus_of else b
        vm = float(row.target_v) / build.vn(reg_bus) if np.isfinite(row.target_v) else 1.0
        name = str(gid).strip()
        if b in swing and on:
            swing.discard(b)
            swing_bus = scan.buses.get(int(net.bus.at[b, "name"]))
            pp.create_ext_grid(
                net,
                b,
                vm_pu=vm,
                va_degree=swing_bus.va_degree if swing_bus else 0.0,
                name=name,
                max_q_mvar=float(row.max_q),
                min_q_mvar=float(row.min_q),
                max_p_mw=float(row.max_p),
                min_p_mw=float(row.min_p),
            )
            n_ext += 1
            continue
        if bool(row.voltage_regulator_on):
            remote += reg_bus != b
            pp.create_gen(
                net,
                b,
                p_mw=float(row.target_p),
                vm_pu=vm,
                name=name,
                in_service=on,
                max_q_mvar=float(row.max_q),
                min_q_mvar=float(row.min_q),
                max_p_mw=float(row.max_p),
                min_p_mw=float(row.min_p),
            )
        else:
            pp.create_sgen(
                net,
                b,
                p_mw=float(row.target_p),
                q_mvar=float(row.target_q),
                name=name,
                in_service=on,
            )
    if n_ext == 0:
        raise NetworkError(f"{where}: no in-service generator at a swing bus (IDE = 3)")
    if remote:
        notes["gen"] = (
            f"{remote} generators regulating a remote bus hold their own bus at the "
            "remote set-point (approximate)"
        )

    # non-transformer branches
    for lid, row in network.get_lines(all_attributes=True).iterrows():
        b1, b2 = bus(row.bus_breaker_bus1_id), bus(row.bus_breaker_bus2_id)
        name = str(lid).strip()
        i_ka = limits.get((str(lid), "ONE"), float("nan"))
        build.line(
            b1,
            b2,
            float(row.r),
            float(row.x),
            float(row.g1),
            float(row.b1),
            float(row.g2),
            float(row.b2),
            i_ka,
            name,
            live(row.connected1 and row.connected2, b1, b2),
            s_base,
        )

    # two-winding transformers
    for tid, row in network.get_2_windings_transformers(all_attributes=True).iterrows():
        b1, b2 = bus(row.bus_breaker_bus1_id), bus(row.bus_breaker_bus2_id)
        i_ka = limits.get((str(tid), "ONE"), float("nan"))
        sn = math.sqrt(3) * build.vn(b1) * i_ka if np.isfinite(i_ka) else NO_RATING_MVA
        build.trafo(
            b1,
            b2,
            float(row.rho),
            float(row.alpha),
            float(row.r_at_current_tap),
            float(row.x_at_current_tap),
            float(row.g_at_current_tap),
            float(row.b_at_current_tap),
            sn,
            str(tid).strip(),
            live(row.connected1 and row.connected2, b1, b2),
            s_base,
        )

    # three-winding transformers: star bus + three legs
    for tid, row in network.get_3_windings_transformers(all_attributes=True).iterrows():
        legs = [bus(row[f"bus_breaker_bus{n}_id"]) for n in (1, 2, 3)]
        label = "-".join(net.bus.at[b, "name"] for b in legs)
        ckt = str(tid).strip().rsplit("-", 1)[-1]
        base = f"{label} {ckt}"
        legs_on = [live(row[f"connected{n}"], legs[n - 1]) for n in (1, 2, 3)]
        star = pp.create_bus(
            net, vn_kv=float(row.rated_u0), name=f"{base} star", in_service=any(legs_on)
        )
        net.bus.at[star, "alias"] = str(row["name"]).strip() or f"{base} star"
        for n in (1, 2, 3):
            i_ka = limits.get((str(tid), ["ONE", "TWO", "THREE"][n - 1]), float("nan"))
            sn = math.sqrt(3) * build.vn(legs[n - 1]) * i_ka if np.isfinite(i_ka) else NO_RATING_MVA
            build.trafo(
                legs[n - 1],
                star,
                float(row[f"rho{n}"]),
                float(row[f"alpha{n}"]),
                float(row[f"r{n}_at_current_tap"]),
                float(row[f"x{n}_at_current_tap"]),
                float(row[f"g{n}_at_current_tap"]),
                float(row[f"b{n}_at_current_tap"]),
                sn,
                f"{base} winding {n}",
                legs_on[n - 1],
                s_base,
            )

    # what the solver cannot hold
    for getter, label in (
        ("get_hvdc_lines", "HVDC lines"),
        ("get_static_var_compensators", "static var compensators"),
        ("get_dangling_lines", "dangling lines"),
        ("get_batteries", "batteries"),
    ):
        count = len(getattr(network, getter)())
        if count:
            notes[label] = f"{count} {label} not represented (no flow through them)"
    if build.inexact:
        for what, count in build.inexact.items():
            notes[what] = (
                f"{count} {what}s given x = {MIN_BRANCH_X_PU:g} pu (system base) "
                "so the admittance matrix exists"
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net["import_note"] = "\n".join(f"{k}: {v}" for k, v in notes.items())
    return net
