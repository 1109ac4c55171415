"""Short circuit for networks without short-circuit data: fill, then IEC 60909.

MATPOWER cases and most pandapower exports carry no external-grid fault level
and no generator sub-transient reactances, so :func:`run_short_circuit` cannot
run. Here the missing fields are filled from the cited defaults in
``gridimpact/data/short_circuit_defaults.toml`` (IEC 60909-0 conventions), the
IEC 60909 calculation is run, and the result says which values were assumed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandapower as pp

from gridimpact.case.sourced import Sourced
from gridimpact.data import read_data_toml
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.shortcircuit import ShortCircuitResult, run_short_circuit

DEFAULTS_FILE = "short_circuit_defaults.toml"


def short_circuit_defaults() -> dict[str, Sourced[float]]:
    """The cited default short-circuit data."""
    return {k: Sourced[float].model_validate(v) for k, v in read_data_toml(DEFAULTS_FILE).items()}


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


def run_short_circuit_filled(model: NetworkModel, campus_p_mw: float) -> ShortCircuitResult:
    """IEC 60909 at the POI after filling missing data with the cited defaults."""
    net = model.net_copy()
    assumed = fill_short_circuit_data(net)
    result = run_short_circuit(dataclasses.replace(model, _net=net), campus_p_mw)
    if not assumed:
        return result
    note = "ASSUMED short-circuit data (network has none): " + ", ".join(assumed)
    return dataclasses.replace(result, note=f"{note}. {result.note}")
