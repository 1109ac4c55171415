"""The root of the case schema: one frozen, validated :class:`Case`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridimpact.case.compute import ComputeSection
from gridimpact.case.cooling import CoolingSection
from gridimpact.case.facility import FacilitySection
from gridimpact.case.grid import GridSection
from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.time_domain import TimeDomainSection
from gridimpact.case.weather import WeatherSection
from gridimpact.case.workload import WorkloadSection
from gridimpact.schema import Section

CASE_SCHEMA_VERSION = 1

Latitude = Annotated[float, Field(strict=True, ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180, allow_inf_nan=False)]


class CaseMeta(Section):
    """Identity of the case."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)
    title: str
    description: str = ""


class SiteSection(Section):
    """Where the campus is."""

    name: str
    latitude_deg: Latitude
    """Latitude of the campus (degrees north); -90 to 90 by definition, a number."""
    longitude_deg: Longitude
    """Longitude of the campus (degrees east); -180 to 180 by definition, a number."""
    address: str = ""


class Case(Section):
    """A complete, validated study case."""

    schema_version: Literal[1]
    case: CaseMeta
    site: SiteSection
    compute: ComputeSection
    facility: FacilitySection
    weather: WeatherSection = WeatherSection()
    cooling: CoolingSection = CoolingSection()
    grid: GridSection
    workload: WorkloadSection = WorkloadSection()
    onsite: OnsiteSection = OnsiteSection()
    time_domain: TimeDomainSection = TimeDomainSection()
