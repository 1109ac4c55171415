"""Optional reinforcements of the representative network (``[upgrade.*]`` in the catalog).

Each upgrade adds buses, lines and transformers described in
``data/memphis_network.toml``; a case selects them by name in ``[grid] upgrades``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandapower as pp

from gridimpact.errors import NetworkError
from gridimpact.grid._data import value_of
from gridimpact.grid.geo import bus_table_of
from gridimpact.grid.memphis import great_circle_km, memphis_data

RATINGS_BY_TYPE_KEY = "gridimpact_line_ratings_by_type"
"""Net attribute set by :func:`gridimpact.grid.rated_network.rate_network`: std_type →
(normal, emergency) design rating per circuit, kA, so that upgrade lines get them too."""


def _rate_line(net: pp.pandapowerNet, index: int) -> None:
    """Give an upgrade line the design ratings of its type in a rated net (in place)."""
    table = net.get(RATINGS_BY_TYPE_KEY) if RATINGS_BY_TYPE_KEY in net else None
    std_type = net.line.at[index, "std_type"]
    if not table or std_type not in table:
        return
    if "max_i_emergency_ka" not in net.line:
        net.line["max_i_emergency_ka"] = float("nan")
    net.line.at[index, "max_i_ka"], net.line.at[index, "max_i_emergency_ka"] = table[std_type]


def available_upgrades() -> dict[str, str]:
    """Upgrade names and their one-line descriptions."""
    return {k: v["description"] for k, v in memphis_data().get("upgrade", {}).items()}


def _bus_lookup(net: pp.pandapowerNet, name: str, source: str) -> int:
    names = [str(n) for n in net.bus.name]
    if name not in names:
        raise NetworkError(
            f"{source}: refers to bus {name!r}, which is not in the network "
            "(the upgrade catalog data/memphis_network.toml is inconsistent)"
        )
    return int(net.bus.index[names.index(name)])


def _apply_one(net: pp.pandapowerNet, spec: dict[str, Any], source: str) -> None:
    route = float(value_of(memphis_data()["system"]["route_factor"]))
    for bus in spec.get("bus", []):
        pp.create_bus(net, vn_kv=bus["vn_kv"], name=bus["name"], geodata=(bus["lon"], bus["lat"]))
    coords = bus_table_of(net)
    for line in spec.get("line", []):
        f = _bus_lookup(net, line["from_bus"], source)
        t = _bus_lookup(net, line["to_bus"], source)
        a, b = coords.iloc[f], coords.iloc[t]
        length_km = line.get(
            "length_km", max(route * great_circle_km(a.lat, a.lon, b.lat, b.lon), 0.5)
        )
        index = pp.create_line(
            net,
            f,
            t,
            length_km=float(length_km),
            std_type=line["std_type"],
            name=line.get("name", f"{line['from_bus']} - {line['to_bus']}"),
        )
        _rate_line(net, int(index))
    for trafo in spec.get("trafo", []):
        pp.create_transformer(
            net,
            _bus_lookup(net, trafo["hv_bus"], source),
            _bus_lookup(net, trafo["lv_bus"], source),
            trafo["std_type"],
            name=trafo["name"],
        )


def apply_upgrades(net: pp.pandapowerNet, names: Sequence[str], source: str) -> pp.pandapowerNet:
    """Add the named upgrades to ``net`` (in place) and return it.

    Raises
    ------
    NetworkError
        If a name is not an upgrade of the catalog.
    """
    catalog = memphis_data().get("upgrade", {})
    for name in names:
        if name not in catalog:
            known = ", ".join(sorted(catalog)) or "none"
            raise NetworkError(f"{source}: unknown upgrade {name!r} (known: {known})")
        _apply_one(net, catalog[name], f"{source}: upgrade {name!r}")
    return net
