"""Bus coordinates of a pandapower net (GeoJSON points, WGS84 lon/lat)."""

from __future__ import annotations

import json
from typing import Any

import pandapower as pp
import pandas as pd


def _lon_lat(geo: Any) -> tuple[float, float]:
    try:
        coords = json.loads(geo)["coordinates"] if isinstance(geo, str) else geo["coordinates"]
        return float(coords[0]), float(coords[1])
    except (TypeError, ValueError, KeyError, IndexError):
        return float("nan"), float("nan")


def bus_table_of(net: pp.pandapowerNet) -> pd.DataFrame:
    """Bus names, nominal voltage and GeoJSON (WGS84 lon/lat) coordinates of a net."""
    geo = net.bus["geo"] if "geo" in net.bus else pd.Series([None] * len(net.bus))
    lon_lat = [_lon_lat(g) for g in geo]
    return pd.DataFrame(
        {
            "name": [str(n) for n in net.bus.name],
            "vn_kv": net.bus.vn_kv.to_numpy(float),
            "lat": [ll[1] for ll in lon_lat],
            "lon": [ll[0] for ll in lon_lat],
        }
    )
