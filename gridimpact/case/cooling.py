"""Case table ``[cooling]``: the heat-rejection architecture and its parameters."""

from __future__ import annotations

from typing import Literal

from gridimpact.case.base import Section

Architecture = Literal[
    "liquid_towers",
    "liquid_dry_coolers",
    "air_cooled_chillers",
    "air_crah_chilled_water",
]


class CoolingSection(Section):
    """Which cooling plant serves the campus.

    Parameters with numbers live in ``gridimpact/data/cooling.toml`` (each
    with its source); a case may override them here.
    """

    architecture: Architecture = "liquid_towers"
