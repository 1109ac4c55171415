"""Three-phase short-circuit level and short-circuit ratio (SCR) at the POI.

The initial symmetrical short-circuit power S''k is computed with
``pandapower.shortcircuit.calc_sc`` (IEC 60909 equivalent voltage source at the
fault location; loads neglected). The maximum case (voltage factor
c_max = 1.1, external grid at ``s_sc_max_mva``) sizes equipment; the minimum
case (c_min = 1.0, external grid at ``s_sc_min_mva``/``rx_min``, line
resistance at the end-of-fault temperature) is the one for a weak-grid check.
US utilities compute fault duty to ANSI/IEEE C37.010, which gives similar
initial symmetrical values for a meshed transmission network. The SCR relates
S''k to the campus demand:

.. math:: \\mathrm{SCR} = S''_k / P_\\text{campus}

The effective short-circuit ratio of IEEE Std 1204-1997 subtracts the shunt
capacitors (and filters) connected at the bus, which raise the voltage but do
not add fault current:

.. math:: \\mathrm{ESCR} = (S''_k - Q_C) / P_\\text{campus}

The system-strength label is classed on the ESCR of the **minimum** case, strong
(ESCR >= 3), weak (2 <= ESCR < 3) or very weak (< 2): the weak-grid check must
hold when the grid is at its weakest (IEEE Std 1204-1997 defines SCR and ESCR
with the minimum short-circuit capacity expected in operation).

References
----------
.. [1] IEC 60909-0:2016, Short-circuit currents in three-phase a.c. systems,
   Part 0: Calculation of currents.
.. [2] IEEE Std 1204-1997, IEEE Guide for Planning DC Links Terminating at AC
   Locations Having Low Short-Circuit Capacities.
.. [3] pandapower documentation, "Short-Circuit",
   https://pandapower.readthedocs.io/en/latest/shortcircuit.html
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.model import NetworkModel


@dataclass(frozen=True)
class ShortCircuitResult:
    """Short-circuit strength at the POI.

    Attributes
    ----------
    computed : bool
        False if the network lacks short-circuit data (then numbers are NaN).
    poi_bus : str
    sk_mva : float
        Initial symmetrical three-phase short-circuit power S''k (IEC 60909, max).
    ikss_ka : float
        Initial symmetrical short-circuit current I''k.
    x_over_r : float
        X/R ratio of the Thevenin impedance at the POI.
    campus_p_mw : float
    scr : float
        ``sk_mva / campus_p_mw`` (inf for zero campus demand).
    strength : str
        ``"strong"``, ``"weak"``, ``"very weak"`` or ``"unknown"``, classed on the
        ESCR of the case named by ``strength_case``.
    bus_results : DataFrame
        ``bus, vn_kv, sk_mva, ikss_ka, x_over_r`` for every bus.
    note : str
    poi_vn_kv : float
        Nominal voltage of the POI bus (kV).
    """

    computed: bool
    poi_bus: str
    sk_mva: float
    ikss_ka: float
    x_over_r: float
    campus_p_mw: float
    scr: float
    strength: str
    bus_results: pd.DataFrame
    note: str
    poi_vn_kv: float = float("nan")
    """Nominal voltage of the POI bus, kV."""
    case: str = "max"
    """IEC 60909 case: ``"max"`` (equipment duty) or ``"min"`` (weak-grid check)."""
    escr: float = float("nan")
    """Effective SCR of this case, ``(sk_mva - capacitor_mvar) / campus_p_mw`` (IEEE 1204)."""
    capacitor_mvar: float = 0.0
    """Shunt-capacitor Mvar at the POI subtracted in the ESCR (network + campus)."""
    strength_case: str = ""
    """IEC 60909 case whose ESCR ``strength`` is classed on (``"min"`` when both were run)."""


def short_circuit_ratio(sk_mva: float, p_mw: float) -> float:
    """SCR = S''k / P (dimensionless; ``inf`` for ``p_mw <= 0``)."""
    return float(sk_mva / p_mw) if p_mw > 0 else float("inf")


def effective_short_circuit_ratio(sk_mva: float, capacitor_mvar: float, p_mw: float) -> float:
    """Effective short-circuit ratio ESCR = (S''k - Q_C) / P.

    Parameters
    ----------
    sk_mva : float
        Three-phase short-circuit power at the bus, MVA (use the minimum case).
    capacitor_mvar : float
        Shunt capacitors and ac filters connected at the bus, Mvar at rated
        voltage (>= 0).
    p_mw : float
        Rated active power of the connected plant (here the campus), MW.

    Returns
    -------
    float
        Dimensionless; ``inf`` for ``p_mw <= 0``.

    References
    ----------
    .. [1] IEEE Std 1204-1997, IEEE Guide for Planning DC Links Terminating at AC
       Locations Having Low Short-Circuit Capacities (definition of ESCR: the
       short-circuit capacity less the fundamental-frequency Mvar of the shunt
       capacitors and filters at the converter bus, over the rated dc power).
    """
    return float((sk_mva - capacitor_mvar) / p_mw) if p_mw > 0 else float("inf")


def poi_capacitor_mvar(net: Any, bus: int) -> float:
    """Shunt-capacitor Mvar connected at ``bus`` (position) in a pandapower net.

    pandapower shunts consume ``q_mvar * step`` at 1 pu; a capacitor has
    ``q_mvar < 0``. Only in-service capacitive shunts count (reactors are not
    subtracted in the IEEE 1204 ESCR).
    """
    shunt = net.shunt
    if not len(shunt):
        return 0.0
    bus_id = net.bus.index[bus]
    step = shunt["step"] if "step" in shunt else 1.0
    q_mvar = (shunt["q_mvar"] * step).where(shunt["in_service"].astype(bool), 0.0)
    q_at_bus = q_mvar[(shunt["bus"] == bus_id).to_numpy()]
    return float(-q_at_bus[q_at_bus < 0].sum())


def strength_class(scr: float) -> str:
    """System-strength class of an SCR or ESCR (IEEE Std 1204-1997 thresholds, catalog)."""
    table = read_catalog("grid_types.toml")["short_circuit"]
    if np.isnan(scr):
        return "unknown"
    if scr < float(value_of(table["scr_very_weak_below"])):
        return "very weak"
    if scr < float(value_of(table["scr_weak_below"])):
        return "weak"
    return "strong"


def _sc_table(model: NetworkModel, case: str = "max") -> pd.DataFrame:
    import pandapower.shortcircuit as sc

    net = model.net_copy()
    if case == "min":
        end_c = float(
            value_of(read_catalog("grid_types.toml")["short_circuit"]["line_end_temperature_c"])
        )
        if "endtemp_degree" not in net.line:
            net.line["endtemp_degree"] = end_c
        net.line["endtemp_degree"] = net.line["endtemp_degree"].fillna(end_c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc.calc_sc(net, case=case, fault="3ph", ip=False, ith=False)
    res = net.res_bus_sc
    return pd.DataFrame(
        {
            "bus": [str(n) for n in net.bus.name],
            "vn_kv": net.bus.vn_kv.to_numpy(float),
            "sk_mva": res.skss_mw.to_numpy(float),
            "ikss_ka": res.ikss_ka.to_numpy(float),
            "x_over_r": (res.xk_ohm / res.rk_ohm).to_numpy(float),
        }
    )


def run_short_circuit(
    model: NetworkModel,
    campus_p_mw: float,
    case: Literal["max", "min"] = "max",
    campus_capacitor_mvar: float = 0.0,
) -> ShortCircuitResult:
    """Short-circuit level at the POI, the campus SCR and ESCR.

    Parameters
    ----------
    model : NetworkModel
        Must carry short-circuit data (external grid ``s_sc_max_mva``/``rx_max``,
        for ``case="min"`` also ``s_sc_min_mva``/``rx_min``, generator
        ``xdss_pu``); otherwise the result says so (``computed=False``).
    campus_p_mw : float
        Campus active power for the SCR, MW.
    case : {"max", "min"}
        IEC 60909 maximum (default) or minimum short circuit; use ``"min"``
        (``s_sc_min_mva``/``rx_min`` at the external grid, c_min, lines at the
        end-of-fault temperature) for the weak-grid check.
    campus_capacitor_mvar : float
        Shunt capacitors of the campus itself at the POI (Mvar at rated voltage),
        added to the network's capacitors at the POI bus for the ESCR.

    Returns
    -------
    ShortCircuitResult
        ``strength`` classed on this case's ESCR (``strength_case == case``);
        :func:`gridimpact.grid.sc_defaults.run_short_circuit_cases` classes both
        cases on the minimum one.

    References
    ----------
    .. [1] IEC 60909-0:2016, Table 1 (voltage factors c_max, c_min) and eq. (30)
       (minimum case: line resistance at the end-of-fault temperature).
    .. [2] IEEE Std 1204-1997 (SCR, ESCR and their weak/very weak thresholds).
    """
    nan = float("nan")
    try:
        table = _sc_table(model, case)
    except Exception as exc:  # missing sc data in an imported network is a finding
        return ShortCircuitResult(
            False,
            model.poi_bus,
            nan,
            nan,
            nan,
            campus_p_mw,
            nan,
            "unknown",
            pd.DataFrame(),
            f"short circuit not computed: {type(exc).__name__}: {exc}",
            case=case,
            strength_case=case,
        )
    row = table.iloc[model.poi_index]
    q_c = poi_capacitor_mvar(model.net_copy(), model.poi_index) + max(campus_capacitor_mvar, 0.0)
    scr = short_circuit_ratio(float(row.sk_mva), campus_p_mw)
    escr = effective_short_circuit_ratio(float(row.sk_mva), q_c, campus_p_mw)
    strength = strength_class(escr)
    cap = f", ESCR {escr:.1f} with {q_c:,.0f} Mvar of capacitors at the POI" if q_c > 0 else ""
    note = (
        f"IEC 60909 {'maximum' if case == 'max' else 'minimum'} 3-phase S''k "
        f"{row.sk_mva:,.0f} MVA at {model.poi_bus}; "
        f"SCR {scr:.1f} for {campus_p_mw:,.0f} MW{cap} ({strength})"
    )
    return ShortCircuitResult(
        True,
        model.poi_bus,
        float(row.sk_mva),
        float(row.ikss_ka),
        float(row.x_over_r),
        campus_p_mw,
        scr,
        strength,
        table,
        note,
        float(row.vn_kv),
        case,
        escr,
        q_c,
        case,
    )
