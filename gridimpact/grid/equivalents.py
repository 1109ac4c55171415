"""Exact power-flow equivalents of the pandapower elements lightsim2grid cannot convert.

lightsim2grid's pandapower converter (``init_from_pandapower``) takes buses,
lines, 2-winding transformers, loads, static generators, generators, shunts,
storage and external grids, and only in a restricted form: no ``impedance``,
``ward``, ``xward``, ``trafo3w``; transformers with ``tap_neutral = 0``, no
ideal phase shifters, rated voltages equal to the bus voltages (it never reads
``vn_hv_kv``/``vn_lv_kv``); shunts at step 1 and at the bus voltage;
``parallel = 1`` everywhere. :func:`apply_equivalents` rewrites a network, in
place, into that form. Every rewrite gives the same bus admittance matrix and
the same injections as ``pandapower.runpp`` builds from the original element
(cross-checked in ``tests/test_grid_equivalents.py``):

- ``impedance`` (reciprocal: ``rft = rtf``, ``xft = xtf``) without shunt parts
  and with ``x >= 0`` becomes one transformer between the bus voltages (no
  tap, no magnetising branch, ``sn_mva`` = the impedance's ``sn_mva`` =
  MATPOWER ``RATE_A``); with shunt parts ``gf/bf/gt/bt`` (or ``x < 0``) it
  becomes one line whose pi charging carries the symmetric part of the shunts
  (``max_i_ka`` from ``sn_mva`` at the from-bus voltage; the engine rates the
  to end at the to-bus voltage, so loading is ``S / (v * sn_mva)`` at the worse
  end). An asymmetric shunt remainder (``bf != bt`` or ``gf != gt``) goes to
  bus shunts and stays connected when the branch is out; non-reciprocal
  impedances are not representable (reported, left in place).
- ``trafo`` is re-expressed with pandapower's own tap arithmetic
  (``_calc_tap_from_dataframe``: ratio, symmetrical and ideal tap changers,
  both tap changers, characteristic tables for ratio and angle) as a
  transformer between the bus voltages with one ratio tap on the HV side
  (``tap_neutral = 0``) and the total phase shift in ``shift_degree``;
  ``vk``/``vkr``/``pfe``/``i0`` are referred exactly as pandapower refers them
  through the tapped LV voltage; ``parallel = n`` becomes ``n`` times ``sn_mva``
  (an outage takes out all ``n`` units, as in pandapower). The original rated
  voltages stay in ``rating_vn_hv_kv``/``rating_vn_lv_kv`` for the loading.
- ``trafo3w`` becomes pandapower's own star equivalent
  (``_trafo_df_from_trafo3w``): a star-point bus at the HV bus voltage and three
  2-winding transformers ``"trafo3w i hv|mv|lv: ..."``. An outage of one of
  them is the loss of that winding only; the outage of the whole unit (three
  branches at once) is not a single-branch contingency.
- ``ward`` becomes a load (``ps_mw``/``qs_mvar``; it follows the background
  load scaling like any load) and a shunt (``pz_mw``/``qz_mvar``).
- ``xward`` becomes the ward part plus an internal bus, a line with
  ``r_ohm``/``x_ohm`` and a voltage-controlled generator at ``vm_pu`` with
  ``p_mw = 0`` (pandapower's internal model; pandapower's own
  ``replace_xward_by_internal_elements`` is not used because its impedance is
  off by ``net.sn_mva`` on nets with ``sn_mva != 1``).
- ``shunt`` steps and rated voltages are folded into ``p_mw``/``q_mvar``;
  ``line.parallel`` into the line parameters.
- generators and external grids at the same bus: the generators take the
  external grid's voltage set-point (lightsim2grid makes them the slack).

What cannot be represented is listed by :func:`apply_equivalents` (one line per
element type) and the network then goes to the pandapower fallback engine:
non-reciprocal impedances, several slack buses (pandapower holds each at its
own angle; lightsim2grid would distribute the slack), voltage-dependent
(ZIP) loads, tap-dependent transformer impedances, transformer leakage splits
other than 0.5 with magnetising current, shunt step tables, and element types
without a converter (``motor``, ``asymmetric_load``, ``asymmetric_sgen``,
``dcline``, ``svc``, ``tcsc``, ``ssc``, ``vsc``, ...).

References
----------
.. [1] pandapower documentation, "Datastructure and Elements": Impedance, Ward,
   Extended Ward, Transformer, Three Winding Transformer, Shunt, External Grid
   (electric models), https://pandapower.readthedocs.io/en/latest/elements.html
.. [2] lightsim2grid documentation, "Use with pandapower" (``init_from_pandapower``
   and its limitations), https://lightsim2grid.readthedocs.io
.. [3] L. Thurner et al., "pandapower - an Open-Source Python Tool for
   Convenient Modeling, Analysis, and Optimization of Electric Power Systems",
   IEEE Trans. Power Syst. 33(6), 2018, doi:10.1109/TPWRS.2018.2829021.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
import pandapower as pp
import pandas as pd

FloatArray = npt.NDArray[np.float64]

UNLIMITED_MVA = 99999.0
"""MATPOWER/pandapower convention for "no rating" (``RATE_A = 0`` becomes this)."""
RATING_PREFIX = "rating_vn_"
"""``trafo`` columns ``rating_vn_hv_kv``/``rating_vn_lv_kv``: the rated voltages before the
rewrite, which pandapower's transformer loading refers the currents to."""
RELATIVE_TOLERANCE = 1e-9
"""Two parameters closer than this (relative) are treated as equal."""

UNSUPPORTED_TABLES = (
    "motor",
    "asymmetric_load",
    "asymmetric_sgen",
    "dcline",
    "svc",
    "tcsc",
    "ssc",
    "vsc",
    "line_dc",
    "bus_dc",
    "source_dc",
    "load_dc",
    "b2b_vsc",
)
"""Element tables with no lightsim2grid converter and no equivalent here."""


def apply_equivalents(net: pp.pandapowerNet) -> list[str]:
    """Rewrite ``net`` (in place) into elements lightsim2grid converts exactly.

    Parameters
    ----------
    net : pandapowerNet
        Network with continuous bus and element indexes and string bus names
        (as ``model._normalise`` leaves it). Modified in place.

    Returns
    -------
    list of str
        One line per kind of element that could not be represented (empty if
        the whole network now converts exactly). Those elements are left in
        ``net`` for pandapower.

    References
    ----------
    .. [1] pandapower documentation, "Datastructure and Elements",
       https://pandapower.readthedocs.io/en/latest/elements.html
    """
    for table in ("bus", "line", "trafo", "load", "shunt", "gen"):
        if "name" in net[table]:
            net[table]["name"] = net[table]["name"].astype(object)
    unsupported: list[str] = []
    for table in UNSUPPORTED_TABLES:
        if table in net and len(net[table]):
            unsupported.append(f"{len(net[table])} {table} element(s) (no lightsim2grid converter)")
    unsupported += _load_issues(net)
    unsupported += _impedances(net)
    _wards(net)
    _xwards(net)
    unsupported += _trafo3ws(net)
    unsupported += _trafos(net)
    unsupported += _shunts(net)
    _parallel_lines(net)
    _gen_scaling(net)
    _inactive_gens(net)
    unsupported += _slack(net)
    return unsupported


def _bus_name(net: pp.pandapowerNet, bus: Any) -> str:
    return str(net.bus.at[bus, "name"])


def _new_bus_name(net: pp.pandapowerNet, name: str) -> str:
    names = set(net.bus.name.astype(str))
    candidate, k = name, 1
    while candidate in names:
        k += 1
        candidate = f"{name} ({k})"
    return candidate


def _load_issues(net: pp.pandapowerNet) -> list[str]:
    """Voltage-dependent (ZIP) loads: lightsim2grid models constant power only."""
    load = net.load
    zip_cols = [c for c in ("const_z_percent", "const_i_percent") if c in load]
    if not zip_cols:
        z_i = pd.Series(False, index=load.index)
    else:
        z_i = (load[zip_cols].fillna(0.0).abs() > 0).any(axis=1)
    for c in ("const_z_p_percent", "const_i_p_percent", "const_z_q_percent", "const_i_q_percent"):
        if c in load:
            z_i |= load[c].fillna(0.0).abs() > 0
    if z_i.any():
        return [f"{int(z_i.sum())} voltage-dependent (ZIP) load(s), e.g. load {load.index[z_i][0]}"]
    return []


# --- impedance -------------------------------------------------------------------------


def _impedances(net: pp.pandapowerNet) -> list[str]:
    """Replace reciprocal impedances by one transformer or line each (see module notes)."""
    if "impedance" not in net or not len(net.impedance):
        return []
    imp = net.impedance
    sn_net = float(net.sn_mva)
    reciprocal = np.isclose(imp.rft_pu, imp.rtf_pu, rtol=RELATIVE_TOLERANCE, atol=0.0) & np.isclose(
        imp.xft_pu, imp.xtf_pu, rtol=RELATIVE_TOLERANCE, atol=0.0
    )
    keep = imp.index[~reciprocal]
    imp = imp[reciprocal]
    if len(imp):
        sn_imp = imp.sn_mva.to_numpy(float)
        r_pu = imp.rft_pu.to_numpy(float) * sn_net / sn_imp  # system base
        x_pu = imp.xft_pu.to_numpy(float) * sn_net / sn_imp
        y_pu = {  # shunt parts, system base
            k: (imp[k].fillna(0.0).to_numpy(float) if k in imp else np.zeros(len(imp)))
            * sn_imp
            / sn_net
            for k in ("gf_pu", "bf_pu", "gt_pu", "bt_pu")
        }
        shunted = np.any([v != 0.0 for v in y_pu.values()], axis=0) | (x_pu < 0.0)
        a, b = imp.from_bus.to_numpy(np.int64), imp.to_bus.to_numpy(np.int64)
        vn = net.bus.vn_kv
        vn_a, vn_b = vn.loc[a].to_numpy(float), vn.loc[b].to_numpy(float)
        names = np.asarray(
            [
                f"impedance {i}: {_bus_name(net, f)} - {_bus_name(net, t)}"
                for i, f, t in zip(imp.index, a, b, strict=True)
            ],
            dtype=object,
        )
        on = imp.in_service.to_numpy(bool)
        t = ~shunted
        if t.any():
            a_is_hv = vn_a >= vn_b
            hv, lv = np.where(a_is_hv, a, b)[t], np.where(a_is_hv, b, a)[t]
            pp.create_transformers_from_parameters(
                net,
                hv_buses=hv,
                lv_buses=lv,
                sn_mva=sn_imp[t],
                vn_hv_kv=vn.loc[hv].to_numpy(float),
                vn_lv_kv=vn.loc[lv].to_numpy(float),
                vk_percent=100.0 * np.hypot(r_pu, x_pu)[t] * sn_imp[t] / sn_net,
                vkr_percent=100.0 * r_pu[t] * sn_imp[t] / sn_net,
                pfe_kw=0.0,
                i0_percent=0.0,
                shift_degree=0.0,
                in_service=on[t],
                name=names[t],
            )
        if shunted.any():
            s = shunted
            g_sym = np.minimum(y_pu["gf_pu"], y_pu["gt_pu"])
            b_sym = np.minimum(y_pu["bf_pu"], y_pu["bt_pu"])
            base_r_ohm = vn_a**2 / sn_net
            pp.create_lines_from_parameters(
                net,
                from_buses=a[s],
                to_buses=b[s],
                length_km=1.0,
                r_ohm_per_km=(r_pu * base_r_ohm)[s],
                x_ohm_per_km=(x_pu * base_r_ohm)[s],
                # pandapower's line: B = 2 pi f C base_r in total, half at each end
                c_nf_per_km=(2.0 * b_sym / (2.0 * math.pi * float(net.f_hz) * base_r_ohm) * 1e9)[s],
                g_us_per_km=(2.0 * g_sym / base_r_ohm * 1e6)[s],
                max_i_ka=(sn_imp / (math.sqrt(3.0) * vn_a))[s],
                in_service=on[s],
                name=names[s],
            )
            for end, bus, g_key, b_key in (
                ("from", a, "gf_pu", "bf_pu"),
                ("to", b, "gt_pu", "bt_pu"),
            ):
                g_rest, b_rest = y_pu[g_key] - g_sym, y_pu[b_key] - b_sym
                for k in np.flatnonzero(s & ((g_rest != 0.0) | (b_rest != 0.0))):
                    # a shunt admittance g + jb (pu) consumes p = g, q = -b at 1 pu
                    pp.create_shunt(
                        net,
                        int(bus[k]),
                        q_mvar=float(-b_rest[k] * sn_net),
                        p_mw=float(g_rest[k] * sn_net),
                        in_service=bool(on[k]),
                        name=f"{names[k]} ({end}-end shunt remainder)",
                    )
    net.impedance = net.impedance.loc[keep]
    if len(keep):
        return [
            f"{len(keep)} non-reciprocal impedance(s) (rft != rtf or xft != xtf), "
            f"e.g. impedance {keep[0]}"
        ]
    return []


# --- ward / xward ----------------------------------------------------------------------


def _wards(net: pp.pandapowerNet) -> None:
    """Ward = constant-power load + constant-impedance shunt at its bus."""
    if "ward" not in net or not len(net.ward):
        return
    for i, w in net.ward.iterrows():
        label = f"ward {i} at {_bus_name(net, w.bus)}"
        pp.create_load(
            net,
            w.bus,
            p_mw=w.ps_mw,
            q_mvar=w.qs_mvar,
            in_service=bool(w.in_service),
            name=f"{label} (PQ part)",
        )
        pp.create_shunt(
            net,
            w.bus,
            q_mvar=w.qz_mvar,
            p_mw=w.pz_mw,
            in_service=bool(w.in_service),
            name=f"{label} (Z part)",
        )
    net.ward = net.ward.iloc[0:0]


def _xwards(net: pp.pandapowerNet) -> None:
    """Extended ward = ward + internal PV bus behind ``r_ohm + j x_ohm``."""
    if "xward" not in net or not len(net.xward):
        return
    for i, w in net.xward.iterrows():
        label = f"xward {i} at {_bus_name(net, w.bus)}"
        on = bool(w.in_service)
        vn_kv = float(net.bus.at[w.bus, "vn_kv"])
        pp.create_load(
            net, w.bus, p_mw=w.ps_mw, q_mvar=w.qs_mvar, in_service=on, name=f"{label} (PQ part)"
        )
        pp.create_shunt(
            net, w.bus, q_mvar=w.qz_mvar, p_mw=w.pz_mw, in_service=on, name=f"{label} (Z part)"
        )
        inner = pp.create_bus(
            net, vn_kv, in_service=on, name=_new_bus_name(net, f"{label} internal bus")
        )
        pp.create_line_from_parameters(
            net,
            w.bus,
            inner,
            length_km=1.0,
            r_ohm_per_km=float(w.r_ohm),
            x_ohm_per_km=float(w.x_ohm),
            c_nf_per_km=0.0,
            max_i_ka=UNLIMITED_MVA,
            in_service=on,
            name=f"{label} (internal impedance)",
        )
        pp.create_gen(
            net,
            inner,
            p_mw=0.0,
            vm_pu=float(w.vm_pu),
            in_service=on,
            name=f"{label} (voltage source)",
        )
    net.xward = net.xward.iloc[0:0]


# --- transformers ----------------------------------------------------------------------


@contextmanager
def _pf_options(net: pp.pandapowerNet, aux: dict[str, Any] | None = None) -> Iterator[None]:
    """Temporarily give ``net`` the options pandapower's branch helpers read."""
    saved = {k: net[k] for k in ("_options", "_pd2ppc_lookups") if k in net}
    net["_options"] = {
        "mode": "pf",
        "calculate_voltage_angles": True,
        "trafo3w_losses": "hv",
        "use_pre_fault_voltage": False,
    }
    net["_pd2ppc_lookups"] = {"aux": aux or {}}
    try:
        yield
    finally:
        for k in ("_options", "_pd2ppc_lookups"):
            if k in saved:
                net[k] = saved[k]
            elif k in net:
                del net[k]


def _flag(values: Any, n: int) -> npt.NDArray[np.bool_]:
    if values is None:
        return np.zeros(n, dtype=bool)
    arr = np.asarray(values, dtype=object)
    return np.asarray([False if pd.isna(v) else bool(v) for v in arr], dtype=bool)


def _canonical(
    net: pp.pandapowerNet, df: dict[str, Any] | pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """Transformer rows re-expressed between the bus voltages with one HV ratio tap.

    ``df`` is ``net.trafo`` or pandapower's 2-winding view of ``net.trafo3w``.
    Returns the new parameter columns and the reasons rows cannot be expressed.
    """
    from pandapower.build_branch import _calc_tap_from_dataframe, get_trafo_values

    def col(name: str, default: float = np.nan) -> FloatArray:
        v = get_trafo_values(df, name)
        n = len(get_trafo_values(df, "hv_bus"))
        return np.full(n, default) if v is None else np.asarray(v, dtype=float)

    hv = np.asarray(get_trafo_values(df, "hv_bus"), dtype=np.int64)
    lv = np.asarray(get_trafo_values(df, "lv_bus"), dtype=np.int64)
    n = len(hv)
    problems: list[str] = []
    if _flag(get_trafo_values(df, "tap_dependency_table"), n).any():
        problems.append("tap-dependent impedance (tap_dependency_table)")
    pfe, i0 = np.nan_to_num(col("pfe_kw", 0.0)), np.nan_to_num(col("i0_percent", 0.0))
    magnetising = (pfe != 0) | (i0 != 0)
    for ratio_col in ("leakage_resistance_ratio_hv", "leakage_reactance_ratio_hv"):
        ratio = col(ratio_col, 0.5)
        if np.any(magnetising & np.isfinite(ratio) & (np.abs(ratio - 0.5) > 1e-9)):
            problems.append(f"{ratio_col} != 0.5 with magnetising current")
    with _pf_options(net):
        vn_trafo_hv, vn_trafo_lv, shift = _calc_tap_from_dataframe(net, df)
    vn_hv_bus = net.bus.vn_kv.to_numpy(float)[hv]
    vn_lv_bus = net.bus.vn_kv.to_numpy(float)[lv]
    ratio = (vn_trafo_hv / vn_trafo_lv) / (vn_hv_bus / vn_lv_bus)
    k2 = np.square(vn_trafo_lv / vn_lv_bus)
    parallel = col("parallel", 1.0)
    step = np.abs(ratio - 1.0) * 100.0
    step[np.abs(ratio - 1.0) < 1e-12] = 0.0
    out = pd.DataFrame(
        {
            "vn_hv_kv": vn_hv_bus,
            "vn_lv_kv": vn_lv_bus,
            "sn_mva": col("sn_mva") * parallel,
            "vk_percent": col("vk_percent") * k2,
            "vkr_percent": col("vkr_percent") * k2,
            "pfe_kw": pfe * parallel / k2,
            "i0_percent": i0 / k2,
            "shift_degree": np.asarray(shift, dtype=float),
            "tap_side": "hv",
            "tap_neutral": 0.0,
            "tap_pos": np.sign(ratio - 1.0) * (step > 0),
            "tap_step_percent": step,
            "tap_step_degree": 0.0,
            "tap_min": -1.0,
            "tap_max": 1.0,
            "tap_changer_type": pd.Series(["Ratio" if x > 0 else None for x in step], dtype=object),
            "tap_dependency_table": False,
            "parallel": 1,
        }
    )
    return out, problems


def _trafos(net: pp.pandapowerNet) -> list[str]:
    """Canonical 2-winding transformers (see :func:`_canonical`)."""
    if not len(net.trafo):
        return []
    new, problems = _canonical(net, net.trafo)
    if problems:
        return [f"transformers with {p}" for p in sorted(set(problems))]
    trafo = net.trafo
    for side in ("hv", "lv"):
        # pandapower's loading refers the terminal currents to the rated voltages
        rated = trafo[f"vn_{side}_kv"].astype(float)
        if f"{RATING_PREFIX}{side}_kv" in trafo:
            rated = trafo[f"{RATING_PREFIX}{side}_kv"].astype(float).fillna(rated)
        trafo[f"{RATING_PREFIX}{side}_kv"] = rated
    for column in new.columns:
        values = new[column].to_numpy()
        if (column in trafo and trafo[column].dtype == object) or column == "tap_changer_type":
            trafo[column] = pd.Series(values, index=trafo.index, dtype=object)
        else:
            trafo[column] = values
    for column in ("tap2_pos", "tap2_step_percent", "tap2_step_degree", "tap2_neutral"):
        if column in trafo:
            trafo[column] = np.nan
    if "id_characteristic_table" in trafo:
        trafo["id_characteristic_table"] = pd.NA
    return []


def _trafo3ws(net: pp.pandapowerNet) -> list[str]:
    """Star equivalent of every 3-winding transformer (pandapower's own 2-winding view)."""
    if "trafo3w" not in net or not len(net.trafo3w):
        return []
    from pandapower.build_branch import _trafo_df_from_trafo3w

    t3 = net.trafo3w
    if "loss_side" in t3 and (t3.loss_side.astype(str).str.lower() == "star").any():
        return ["3-winding transformers with losses at the star point"]
    stars = [
        pp.create_bus(
            net,
            float(net.bus.at[row.hv_bus, "vn_kv"]),
            in_service=bool(row.in_service),
            name=_new_bus_name(net, f"trafo3w {i} star point"),
        )
        for i, row in t3.iterrows()
    ]
    with _pf_options(net, {"trafo3w": np.asarray(stars, dtype=np.int64)}):
        df = _trafo_df_from_trafo3w(net)
    n3 = len(t3)
    sides = ("hv", "mv", "lv")
    for k in range(3 * n3):
        side, j = sides[k // n3], k % n3
        i = t3.index[j]
        end = t3.at[i, f"{side}_bus"]
        pp.create_transformer_from_parameters(
            net,
            hv_bus=int(df["hv_bus"][k]),
            lv_bus=int(df["lv_bus"][k]),
            sn_mva=float(df["sn_mva"][k]),
            vn_hv_kv=float(df["vn_hv_kv"][k]),
            vn_lv_kv=float(df["vn_lv_kv"][k]),
            vk_percent=float(df["vk_percent"][k]),
            vkr_percent=float(df["vkr_percent"][k]),
            pfe_kw=float(df["pfe_kw"][k]),
            i0_percent=float(df["i0_percent"][k]),
            shift_degree=float(df["shift_degree"][k]),
            tap_side=_none_if_nan(df.get("tap_side", [None] * 3 * n3)[k]),
            tap_neutral=_nan_if_none(df.get("tap_neutral", [np.nan] * 3 * n3)[k]),
            tap_pos=_nan_if_none(df.get("tap_pos", [np.nan] * 3 * n3)[k]),
            tap_step_percent=_nan_if_none(df.get("tap_step_percent", [np.nan] * 3 * n3)[k]),
            tap_step_degree=_nan_if_none(df.get("tap_step_degree", [np.nan] * 3 * n3)[k]),
            tap_changer_type=_none_if_nan(df.get("tap_changer_type", [None] * 3 * n3)[k]),
            in_service=bool(df["in_service"][k]),
            name=f"trafo3w {i} {side}: {_bus_name(net, end)} - star",
        )
    net.trafo3w = t3.iloc[0:0]
    return []


def _nan_if_none(v: Any) -> float:
    return float("nan") if v is None or pd.isna(v) else float(v)


def _none_if_nan(v: Any) -> Any:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


# --- shunts, lines, generators, slack --------------------------------------------------


def _shunts(net: pp.pandapowerNet) -> list[str]:
    """Fold ``step`` and the shunt's rated voltage into ``p_mw``/``q_mvar``."""
    s = net.shunt
    if not len(s):
        return []
    if "step_dependency_table" in s and s.step_dependency_table.fillna(False).astype(bool).any():
        return ["shunts with step_dependency_table"]
    bus_vn = net.bus.vn_kv.loc[s.bus].to_numpy(float)
    vn = s.vn_kv.to_numpy(float) if "vn_kv" in s else bus_vn
    vn = np.where(np.isfinite(vn), vn, bus_vn)
    step = s.step.to_numpy(float) if "step" in s else np.ones(len(s))
    factor = step * np.square(bus_vn / vn)
    s["p_mw"] = s.p_mw.to_numpy(float) * factor
    s["q_mvar"] = s.q_mvar.to_numpy(float) * factor
    s["vn_kv"] = bus_vn
    if "step" in s:
        s["step"] = 1
    if "max_step" in s:
        s["max_step"] = 1
    return []


def _parallel_lines(net: pp.pandapowerNet) -> None:
    """``parallel = n`` lines as one line with the combined parameters."""
    line = net.line
    n = line.parallel.to_numpy(float)
    if not len(line) or np.all(n == 1):
        return
    line["r_ohm_per_km"] = line.r_ohm_per_km / n
    line["x_ohm_per_km"] = line.x_ohm_per_km / n
    line["c_nf_per_km"] = line.c_nf_per_km * n
    line["g_us_per_km"] = line.g_us_per_km * n
    line["max_i_ka"] = line.max_i_ka * n
    line["parallel"] = 1


def _gen_scaling(net: pp.pandapowerNet) -> None:
    """Generator ``scaling`` folded into ``p_mw`` (lightsim2grid reads ``p_mw`` only)."""
    if len(net.gen) and "scaling" in net.gen:
        net.gen["p_mw"] = net.gen.p_mw * net.gen.scaling.fillna(1.0)
        net.gen["scaling"] = 1.0


def _inactive_gens(net: pp.pandapowerNet) -> None:
    """Drop out-of-service generators.

    They take no part in pandapower's power flow, but lightsim2grid 1.2.0 still
    holds their bus at the generator's voltage set-point after
    ``deactivate_gen`` (measured on ``case_ACTIVSg200``: 0.011 pu).
    """
    if len(net.gen) and not net.gen.in_service.astype(bool).all():
        net.gen = net.gen[net.gen.in_service.astype(bool)].reset_index(drop=True)


def _slack(net: pp.pandapowerNet) -> list[str]:
    """One slack bus, as lightsim2grid models it; several are reported.

    ``pandapower.runpp`` (``distributed_slack=False``) holds every external grid
    and every ``slack=True`` generator at its own voltage angle; lightsim2grid
    shares the slack power between them by weight with one angle reference.
    The two agree only when all slack elements sit on one bus.
    """
    eg = net.ext_grid[net.ext_grid.in_service.astype(bool)]
    gen_on = net.gen.in_service.astype(bool)
    slack_gen = net.gen[gen_on & net.gen.slack.astype(bool)]
    buses = sorted(set(eg.bus.astype(int)) | set(slack_gen.bus.astype(int)))
    if len(buses) > 1:
        names = ", ".join(repr(_bus_name(net, b)) for b in buses[:4])
        return [
            f"{len(buses)} slack buses ({names}): pandapower holds each at its own angle, "
            "lightsim2grid would share the slack power between them"
        ]
    if len(eg):
        vm = float(eg.vm_pu.iloc[0])
        at_slack = gen_on & net.gen.bus.isin(eg.bus)
        net.gen.loc[at_slack, "vm_pu"] = vm
    return []
