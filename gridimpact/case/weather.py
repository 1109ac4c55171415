"""Case table ``[weather]``: where the hourly weather and design conditions come from."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridimpact.schema import Section

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_SEED = 2**32 - 1

Year = Annotated[int, Field(strict=True, ge=MIN_YEAR, le=MAX_YEAR)]
Seed = Annotated[int, Field(strict=True, ge=0, le=MAX_SEED)]


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
    seed: Seed = 2024
    """Seed of the synthetic year (and of the background-load residual), an integer.

    0 ≤ seed < 2³²: the range of a 32-bit seed, reproducible on every platform.
    """
    year: Year = 2025
    """Calendar year of the hourly index (weekdays, leap day), an integer.

    1900-2100: the span of measured weather records and of planning horizons.
    """
