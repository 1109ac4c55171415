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

and is classed as strong (SCR >= 3), weak (2 <= SCR < 3) or very weak (< 2).

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
from typing import Literal

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
        ``"strong"``, ``"weak"``, ``"very weak"`` or ``"unknown"``.
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


def short_circuit_ratio(sk_mva: float, p_mw: float) -> float:
    """SCR = S''k / P (dimensionless; ``inf`` for ``p_mw <= 0``)."""
    return float(sk_mva / p_mw) if p_mw > 0 else float("inf")


def strength_class(scr: float) -> str:
    """System-strength class of an SCR per IEEE Std 1204-1997 thresholds (catalog values)."""
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
    model: NetworkModel, campus_p_mw: float, case: Literal["max", "min"] = "max"
) -> ShortCircuitResult:
    """Short-circuit level at the POI and the campus SCR.

    Parameters
    ----------
    model : NetworkModel
        Must carry short-circuit data (external grid ``s_sc_max_mva``/``rx_max``,
        generator ``xdss_pu``); otherwise the result says so (``computed=False``).
    campus_p_mw : float
        Campus active power for the SCR, MW.
    case : {"max", "min"}
        IEC 60909 maximum (default) or minimum short circuit; use ``"min"``
        (``s_sc_min_mva``/``rx_min`` at the external grid, c_min) for the
        weak-grid SCR check.

    Returns
    -------
    ShortCircuitResult
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
        )
    row = table.iloc[model.poi_index]
    scr = short_circuit_ratio(float(row.sk_mva), campus_p_mw)
    strength = strength_class(scr)
    note = (
        f"IEC 60909 {'maximum' if case == 'max' else 'minimum'} 3-phase S''k "
        f"{row.sk_mva:,.0f} MVA at {model.poi_bus}; "
        f"SCR {scr:.1f} for {campus_p_mw:,.0f} MW ({strength})"
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
    )
