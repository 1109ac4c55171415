"""Case table ``[grid]``: the network, the point of interconnection, the utility."""

from __future__ import annotations

from gridimpact.case.base import Section, SPositiveFloat


class GridSection(Section):
    """Network model and POI.

    ``network`` is the name of a built-in network (``memphis_161kv``) or a
    path, relative to the case file, to a pandapower JSON or MATPOWER case.
    ``poi_bus`` is the bus name in that network where the campus connects.
    """

    network: str = "memphis_161kv"
    poi_bus: str
    utility_name: str
    utility_peak_mw: SPositiveFloat
    """Summer peak demand of the serving utility."""
    system_peak_mw: SPositiveFloat
    """Peak demand of the wider supplier / balancing authority (e.g. TVA)."""
