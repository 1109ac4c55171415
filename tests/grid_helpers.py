"""Shared pieces of the grid tests: POI names, campus power factor, a ``[grid]`` table."""

from __future__ import annotations

from gridimpact.case.grid import GridSection

C1_POI = "Colossus1 POI 161kV"
WH_POI = "Whitehaven POI 161kV"
PF_TAN = 0.329  # tan(acos(0.95)): campus at 0.95 lagging


def section(poi_bus: str = C1_POI, network: str = "memphis_161kv", **kw: object) -> GridSection:
    """A ``[grid]`` table for the tests (utility numbers are placeholders)."""
    sourced = {"unit": "MW", "source": "test value", "confidence": "estimate"}
    return GridSection(
        network=network,
        poi_bus=poi_bus,
        utility_name="MLGW",
        utility_peak_mw={"value": 3000.0, **sourced},
        system_peak_mw={"value": 31000.0, **sourced},
        **kw,  # type: ignore[arg-type]
    )
