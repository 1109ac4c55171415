"""Case table ``[weather]``: where the hourly weather and design conditions come from."""

from __future__ import annotations

from typing import Literal

from gridimpact.schema import Section


class WeatherSection(Section):
    """Hourly weather source.

    ``kind = "synthetic"`` generates a seeded typical year from the monthly
    climate and ASHRAE design conditions of ``station`` (a key of
    ``gridimpact/data/climate_stations.toml``). ``kind = "epw"`` reads
    ``epw_file`` (relative to the case file); the design conditions still
    come from ``station``.
    """

    kind: Literal["synthetic", "epw"] = "synthetic"
    station: str = "memphis_kmem"
    epw_file: str | None = None
    seed: int = 2024
    year: int = 2025
