"""Case table ``[grid]``: the network, the point of interconnection, the utility."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field

from gridimpact.schema import Section, Sourced, SPositiveFloat


@cache
def _criteria_table() -> dict[str, Any]:
    text = resources.files("gridimpact").joinpath("data", "grid_types.toml").read_text("utf-8")
    criteria: dict[str, Any] = tomllib.loads(text)["criteria"]
    return criteria


def _criterion(key: str) -> Any:
    """Default planning criterion ``key`` from ``data/grid_types.toml`` ``[criteria]``."""
    return Sourced[float].model_validate(_criteria_table()[key])


class GridSection(Section):
    """Network model, POI and steady-state planning criteria.

    ``network`` is the name of a built-in network (``memphis_161kv``) or a
    path, relative to the case file, to a pandapower JSON or MATPOWER case.
    ``poi_bus`` is the bus name in that network where the campus connects.
    The voltage and thermal criteria default to common US planning practice
    (``gridimpact/data/grid_types.toml``, each with its source): 0.95-1.05 pu
    and 100 % of the normal rating with all elements in service (N-0),
    0.90-1.10 pu and 100 % after an outage (N-1). Loadings refer to the normal
    rating with all elements in service and to the emergency rating after an
    outage (built-in network: ambient-adjusted ratings of the weather year,
    ``gridimpact/grid/ratings.py``; imported networks: the file rating for both).
    ``upgrades`` names optional network reinforcements of the built-in network
    (keys of ``[upgrade]`` in ``gridimpact/data/memphis_network.toml``) that are
    applied before any study. ``candidate_poi_buses`` names further buses of
    the same network at which hosting capacity is also evaluated.
    ``common_structure`` names groups of lines on one tower line, each studied
    as one N-1 outage (NERC TPL-001-5.1 P7).
    """

    network: str = "memphis_161kv"
    poi_bus: str
    utility_name: str
    utility_peak_mw: SPositiveFloat
    """Summer peak demand of the serving utility."""
    system_peak_mw: SPositiveFloat
    """Peak demand of the wider supplier / balancing authority (e.g. TVA)."""
    vm_min_n0_pu: SPositiveFloat = Field(default_factory=lambda: _criterion("vm_min_n0_pu"))
    """Lowest acceptable bus voltage with all elements in service."""
    vm_max_n0_pu: SPositiveFloat = Field(default_factory=lambda: _criterion("vm_max_n0_pu"))
    """Highest acceptable bus voltage with all elements in service."""
    vm_min_n1_pu: SPositiveFloat = Field(default_factory=lambda: _criterion("vm_min_n1_pu"))
    """Lowest acceptable bus voltage after a single outage."""
    vm_max_n1_pu: SPositiveFloat = Field(default_factory=lambda: _criterion("vm_max_n1_pu"))
    """Highest acceptable bus voltage after a single outage."""
    max_loading_n0_percent: SPositiveFloat = Field(
        default_factory=lambda: _criterion("max_loading_n0_percent")
    )
    """Highest acceptable branch loading (percent of normal rating), N-0."""
    max_loading_n1_percent: SPositiveFloat = Field(
        default_factory=lambda: _criterion("max_loading_n1_percent")
    )
    """Highest acceptable branch loading (percent of emergency rating), N-1."""
    upgrades: tuple[str, ...] = ()
    """Optional reinforcements of the built-in network to apply (names)."""
    candidate_poi_buses: tuple[str, ...] = ()
    """Other buses of the network where the hosting capacity is also evaluated."""
    enforce_q_limits: bool = True
    """Hold generators within their reactive limits (PV -> PQ switching, as
    ``pandapower.runpp(enforce_q_lims=True)``); ``false`` lets them hold their voltage
    with any Q (MATPOWER's default), e.g. for a case that has no solution within its
    limits."""
    common_structure: tuple[Annotated[tuple[str, ...], Field(min_length=2)], ...] = ()
    """Groups of line names sharing one tower line, e.g. ``[["line a", "line b"]]``: each
    group is one N-1 outage (NERC TPL-001-5.1 Table 1, P7), added to the network's own."""
