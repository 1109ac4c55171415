"""Builder of the representative Memphis-area network from ``memphis_network.toml``.

The network is representative, not the utilities' model (which is confidential
Critical Energy Infrastructure Information); see ``docs/network_memphis.md``.
Line lengths are great-circle distances between the substations times a route
factor unless a line states its own length.

References
----------
.. [1] pandapower documentation, "Create Functions",
   https://pandapower.readthedocs.io/en/latest/elements.html
"""

from __future__ import annotations

import math
from typing import Any

import pandapower as pp

from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.std_types import register_us_std_types

MEMPHIS_FILE = "memphis_network.toml"
EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), used for great-circle distances."""


def great_circle_km(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """Great-circle distance between two points (haversine formula).

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : float
        Coordinates in decimal degrees (WGS84).

    Returns
    -------
    float
        Distance in km on a sphere of the mean Earth radius.

    References
    ----------
    .. [1] R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2), 1984.
    """
    phi1, phi2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2_deg - lon1_deg)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def memphis_data() -> dict[str, Any]:
    """The parsed representative-network catalog (read-only)."""
    return read_catalog(MEMPHIS_FILE)


def _line_length_km(line: dict[str, Any], buses: dict[str, dict[str, Any]], route: float) -> float:
    if "length_km" in line:
        return float(line["length_km"])
    a, b = buses[line["from_bus"]], buses[line["to_bus"]]
    return max(route * great_circle_km(a["lat"], a["lon"], b["lat"], b["lon"]), 0.5)


def _add_buses(net: pp.pandapowerNet, data: dict[str, Any]) -> dict[str, int]:
    index: dict[str, int] = {}
    for bus in data["bus"]:
        index[bus["name"]] = pp.create_bus(
            net, vn_kv=bus["vn_kv"], name=bus["name"], geodata=(bus["lon"], bus["lat"])
        )
    return index


def _add_branches(net: pp.pandapowerNet, data: dict[str, Any], idx: dict[str, int]) -> None:
    buses = {b["name"]: b for b in data["bus"]}
    route = float(value_of(data["system"]["route_factor"]))
    for line in data["line"]:
        pp.create_line(
            net,
            idx[line["from_bus"]],
            idx[line["to_bus"]],
            length_km=_line_length_km(line, buses, route),
            std_type=line["std_type"],
            name=line.get("name", f"{line['from_bus']} - {line['to_bus']}"),
            parallel=int(line.get("circuits", 1)),
        )
    for trafo in data["trafo"]:
        pp.create_transformer(
            net, idx[trafo["hv_bus"]], idx[trafo["lv_bus"]], trafo["std_type"], name=trafo["name"]
        )


def _add_injections(net: pp.pandapowerNet, data: dict[str, Any], idx: dict[str, int]) -> None:
    system = data["system"]
    total_mw = float(value_of(system["summer_peak_load_mw"]))
    pf = float(value_of(system["load_power_factor"]))
    tan_phi = math.tan(math.acos(pf))
    weight_mw = sum(float(load["share_mw"]) for load in data["load"])
    for load in data["load"]:
        p_mw = total_mw * float(load["share_mw"]) / weight_mw
        pp.create_load(
            net, idx[load["bus"]], p_mw=p_mw, q_mvar=p_mw * tan_phi, name=f"MLGW {load['bus']}"
        )
    for shunt in data.get("shunt", []):
        q_mvar = float(value_of(shunt["q_mvar"]))
        pp.create_shunt(net, idx[shunt["bus"]], q_mvar=-q_mvar, name=f"Cap {shunt['bus']}")
    for gen in data["gen"]:
        sn_mva = float(value_of(gen["sn_mva"]))
        vn_kv = float(net.bus.at[idx[gen["bus"]], "vn_kv"])
        pp.create_gen(
            net,
            idx[gen["bus"]],
            p_mw=float(value_of(gen["p_mw"])),
            vm_pu=float(value_of(gen["vm_pu"])),
            sn_mva=sn_mva,
            name=gen["name"],
            vn_kv=vn_kv,
            xdss_pu=float(value_of(gen["xdss_pu"])),
            rdss_ohm=0.0,
            cos_phi=float(value_of(gen["cos_phi"])),
            min_q_mvar=float(value_of(gen["min_q_mvar"])) if "min_q_mvar" in gen else math.nan,
            max_q_mvar=float(value_of(gen["max_q_mvar"])) if "max_q_mvar" in gen else math.nan,
        )
    ext = data["ext_grid"]
    pp.create_ext_grid(
        net,
        idx[ext["bus"]],
        vm_pu=float(value_of(ext["vm_pu"])),
        name=ext["name"],
        s_sc_max_mva=float(value_of(ext["s_sc_max_mva"])),
        s_sc_min_mva=float(value_of(ext["s_sc_min_mva"])),
        rx_max=float(value_of(ext["rx_max"])),
        rx_min=float(value_of(ext["rx_min"])),
    )


def build_memphis_net() -> pp.pandapowerNet:
    """Build the representative Memphis-area network at summer peak.

    Returns
    -------
    pandapowerNet
        Buses indexed ``0..n-1`` with geodata, US std types, lines, 500/161 kV
        autotransformers, MLGW background loads, Allen CC and the TVA external grid;
        ``net["common_structure"]`` lists the line names of each double-circuit
        tower line (NERC TPL-001-5.1 P7 outages, :mod:`gridimpact.grid.contingencies`).
    """
    data = memphis_data()
    system = data["system"]
    net = pp.create_empty_network(
        name=data["name"],
        f_hz=float(value_of(system["frequency_hz"])),
        sn_mva=float(value_of(system["sn_mva"])),
    )
    register_us_std_types(net)
    idx = _add_buses(net, data)
    _add_branches(net, data, idx)
    _add_injections(net, data, idx)
    net["common_structure"] = [list(group["lines"]) for group in data.get("common_structure", [])]
    return net
