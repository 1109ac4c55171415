"""Short circuit for networks without short-circuit data: fill, then IEC 60909.

MATPOWER cases and most pandapower exports carry no external-grid fault level
and no generator sub-transient reactances, so :func:`run_short_circuit` cannot
run. Here the missing fields are filled from the cited defaults in
``gridimpact/data/short_circuit_defaults.toml`` (IEC 60909-0 conventions), the
IEC 60909 calculation is run, and the result says which values were assumed.

Both IEC 60909 cases are filled: the maximum (``s_sc_max_mva``/``rx_max``) sizes
equipment, the minimum (``s_sc_min_mva``/``rx_min``; an estimated fraction of
the maximum when missing) gives the effective short-circuit ratio on which the
system-strength label is classed (IEEE Std 1204-1997).

References
----------
.. [1] IEC 60909-0:2016, Short-circuit currents in three-phase a.c. systems,
   Part 0: Calculation of currents.
.. [2] IEEE Std 1204-1997, IEEE Guide for Planning DC Links Terminating at AC
   Locations Having Low Short-Circuit Capacities.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandapower as pp
from pydantic import RootModel

from gridimpact.data import load_validated
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.shortcircuit import ShortCircuitResult, run_short_circuit, strength_class
from gridimpact.schema import Sourced

DEFAULTS_FILE = "short_circuit_defaults.toml"


class _Defaults(RootModel[dict[str, Sourced[float]]]):
    """``short_circuit_defaults.toml``: name → sourced number."""


@lru_cache(maxsize=1)
def short_circuit_defaults() -> dict[str, Sourced[float]]:
    """The cited default short-circuit data."""
    return load_validated(DEFAULTS_FILE, _Defaults).root


def _missing(frame: Any, column: str) -> Any:
    """Boolean mask of rows where ``column`` is absent or NaN."""
    if column not in frame:
        frame[column] = np.nan
    return frame[column].isna()


def fill_short_circuit_data(net: pp.pandapowerNet) -> list[str]:
    """Fill missing short-circuit fields of ``net`` in place; return what was assumed."""
    d = {k: s.value for k, s in short_circuit_defaults().items()}
    assumed: list[str] = []
    eg = net.ext_grid
    if len(eg) and _missing(eg, "s_sc_max_mva").any():
        eg.loc[eg["s_sc_max_mva"].isna(), "s_sc_max_mva"] = d["ext_grid_s_sc_max_mva"]
        assumed.append(f"external grid S''k {d['ext_grid_s_sc_max_mva']:,.0f} MVA")
    if len(eg) and _missing(eg, "rx_max").any():
        eg.loc[eg["rx_max"].isna(), "rx_max"] = d["ext_grid_rx_max"]
        assumed.append(f"external grid R/X {d['ext_grid_rx_max']:g}")
    if len(eg) and _missing(eg, "s_sc_min_mva").any():
        rows = eg["s_sc_min_mva"].isna()
        ratio = d["ext_grid_s_sc_min_over_max"]
        eg.loc[rows, "s_sc_min_mva"] = ratio * eg.loc[rows, "s_sc_max_mva"]
        assumed.append(f"external grid minimum S''k {ratio:.2f} x maximum (estimate)")
    if len(eg) and _missing(eg, "rx_min").any():
        eg.loc[eg["rx_min"].isna(), "rx_min"] = d["ext_grid_rx_min"]
        assumed.append(f"external grid minimum-case R/X {d['ext_grid_rx_min']:g}")
    gen = net.gen
    if len(gen):
        rows = _missing(gen, "vn_kv")
        gen.loc[rows, "vn_kv"] = net.bus.loc[gen.loc[rows, "bus"], "vn_kv"].to_numpy()
        gen.loc[_missing(gen, "cos_phi"), "cos_phi"] = d["gen_cos_phi"]
        rows = _missing(gen, "sn_mva")
        rating = gen["max_p_mw"] if "max_p_mw" in gen else gen["p_mw"]
        rating = rating.abs().fillna(gen["p_mw"].abs())
        gen.loc[rows, "sn_mva"] = (rating / gen["cos_phi"]).clip(lower=1.0)[rows]
        rows = _missing(gen, "xdss_pu")
        if rows.any():
            gen.loc[rows, "xdss_pu"] = d["gen_xdss_pu"]
            assumed.append(f"generator X''d {d['gen_xdss_pu']:g} pu")
        rows = _missing(gen, "rdss_ohm")
        z_base_ohm = gen["vn_kv"] ** 2 / gen["sn_mva"]
        r_ohm = d["gen_rdss_over_xdss"] * gen["xdss_pu"] * z_base_ohm
        gen.loc[rows, "rdss_ohm"] = r_ohm[rows]
    sgen = net.sgen
    if len(sgen):
        rows = _missing(sgen, "k")
        if rows.any():
            sgen.loc[rows, "k"] = d["sgen_k"]
            assumed.append(f"static generator (inverter) k = {d['sgen_k']:g} x rated current")
        rows = _missing(sgen, "sn_mva")
        sgen.loc[rows, "sn_mva"] = sgen["p_mw"].abs().clip(lower=1.0)[rows]
    return assumed


def run_short_circuit_filled(
    model: NetworkModel,
    campus_p_mw: float,
    case: Literal["max", "min"] = "max",
    campus_capacitor_mvar: float = 0.0,
) -> ShortCircuitResult:
    """IEC 60909 at the POI after filling missing data with the cited defaults.

    Parameters
    ----------
    model : NetworkModel
        The network (not modified; the filling is done on a copy).
    campus_p_mw : float
        Campus active power, MW.
    case : {"max", "min"}
        IEC 60909 case to return. With ``"max"`` the minimum case is run as well
        and ``strength`` (with ``strength_case="min"``) is classed on the
        minimum-case ESCR; ``sk_mva``/``scr``/``escr`` stay those of the maximum.
    campus_capacitor_mvar : float
        Campus shunt capacitors at the POI, Mvar, for the ESCR.

    Returns
    -------
    ShortCircuitResult

    References
    ----------
    .. [1] IEC 60909-0:2016 (maximum and minimum short-circuit currents).
    .. [2] IEEE Std 1204-1997 (ESCR; weak below 3, very weak below 2).
    """
    if case == "max":
        return run_short_circuit_cases(model, campus_p_mw, campus_capacitor_mvar).maximum
    result, assumed = _run_filled(model, campus_p_mw, "min", campus_capacitor_mvar)
    return dataclasses.replace(result, note=_assumed_note(assumed) + result.note)


def _assumed_note(assumed: list[str]) -> str:
    if not assumed:
        return ""
    return "ASSUMED short-circuit data (network has none): " + ", ".join(assumed) + ". "


def _run_filled(
    model: NetworkModel, campus_p_mw: float, case: Literal["max", "min"], capacitor_mvar: float
) -> tuple[ShortCircuitResult, list[str]]:
    net = model.net_copy()
    assumed = fill_short_circuit_data(net)
    model_filled = dataclasses.replace(model, _net=net)
    return run_short_circuit(model_filled, campus_p_mw, case, capacitor_mvar), assumed


@dataclass(frozen=True)
class ShortCircuitCases:
    """Both IEC 60909 cases at the POI; the strength label of each comes from the minimum.

    Attributes
    ----------
    maximum : ShortCircuitResult
        c_max = 1.1, external grid at ``s_sc_max_mva``: equipment duty.
    minimum : ShortCircuitResult
        c_min = 1.0, external grid at ``s_sc_min_mva``, lines at the end-of-fault
        temperature: the weak-grid check (ESCR).
    """

    maximum: ShortCircuitResult
    minimum: ShortCircuitResult

    @property
    def strength(self) -> str:
        """System-strength class of the minimum-case ESCR (IEEE Std 1204-1997)."""
        return self.minimum.strength


def run_short_circuit_cases(
    model: NetworkModel, campus_p_mw: float, campus_capacitor_mvar: float = 0.0
) -> ShortCircuitCases:
    """Maximum and minimum IEC 60909 cases at the POI, strength from the minimum-case ESCR.

    Parameters
    ----------
    model : NetworkModel
        The network; missing short-circuit data is filled from the cited defaults.
    campus_p_mw : float
        Campus active power, MW.
    campus_capacitor_mvar : float
        Campus shunt capacitors at the POI, Mvar (added to the network's
        capacitors at the POI bus) for ESCR = (S''k,min - Q_C) / P.

    Returns
    -------
    ShortCircuitCases
        ``maximum.strength`` is replaced by the minimum-case class
        (``strength_case="min"``), so either result carries the same label.

    References
    ----------
    .. [1] IEC 60909-0:2016 (maximum and minimum short-circuit currents).
    .. [2] IEEE Std 1204-1997 (ESCR; weak below 3, very weak below 2).
    """
    high, assumed = _run_filled(model, campus_p_mw, "max", campus_capacitor_mvar)
    low, _ = _run_filled(model, campus_p_mw, "min", campus_capacitor_mvar)
    prefix = _assumed_note(assumed)
    low = dataclasses.replace(low, note=prefix + low.note)
    if not (high.computed and low.computed):
        return ShortCircuitCases(dataclasses.replace(high, note=prefix + high.note), low)
    label = strength_class(low.escr)
    caps = f" with {low.capacitor_mvar:,.0f} Mvar of capacitors" if low.capacitor_mvar > 0 else ""
    note = (
        f"{prefix}IEC 60909 maximum 3-phase S''k {high.sk_mva:,.0f} MVA at {high.poi_bus}, "
        f"SCR {high.scr:.1f}; minimum S''k {low.sk_mva:,.0f} MVA, ESCR {low.escr:.1f}{caps} "
        f"for {campus_p_mw:,.0f} MW ({label}, classed on the minimum case)"
    )
    high = dataclasses.replace(high, strength=label, strength_case="min", note=note)
    return ShortCircuitCases(high, low)
