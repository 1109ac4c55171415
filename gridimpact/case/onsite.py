"""Case table ``[onsite]``: the on-site turbine fleet, its permit, the interim fleet,
grid import cap, storage target, frequency response.

Every field is optional. ``OnsiteSection()`` is a campus without on-site generation
(stated as such in the report); a case with turbines names its fleet in
``fleet_name`` and lists its unit groups in ``[[onsite.units]]``. Missing numbers take
their sourced defaults from ``gridimpact/data/dynamics.toml`` (table ``[onsite]``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from gridimpact.case.base import (
    Section,
    SNonNegativeFloat,
    SPositiveFloat,
    SPositiveFraction,
)
from gridimpact.case.sourced import Sourced
from gridimpact.case.validation import validate_model
from gridimpact.data import read_data_toml

DATA_FILE = "dynamics.toml"
TURBINE_FILE = "turbines.toml"

NonNegativeInt = Annotated[int, Field(ge=0)]
HoursPerYear = Annotated[float, Field(ge=0.0, le=8784.0)]
Months = Annotated[float, Field(ge=0.0, le=120.0)]
PositivePpm = Annotated[float, Field(gt=0.0, le=1000.0)]

Pollutant = Literal[
    "NOx", "CO", "VOC", "PM", "PM10", "PM2_5", "SO2", "formaldehyde", "HAP_total", "CO2", "CO2e"
]
"""Keys of ``[onsite.permit_caps]`` (PM2_5 is PM2.5)."""


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return dict(read_data_toml(DATA_FILE)["onsite"])


@lru_cache(maxsize=1)
def _turbine_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = read_data_toml(TURBINE_FILE)
    return tuple(data["models"]), tuple(data["controls"])


def _default(name: str) -> Any:
    return Field(default_factory=lambda: _defaults()[name])


def _known_control(v: str) -> str:
    controls = _turbine_keys()[1]
    if v not in controls:
        raise ValueError(f"unknown turbine control {v!r}; known: {', '.join(controls)}")
    return v


class TurbineUnits(Section):
    """One group of identical units: a catalog model and how many."""

    model: str
    """Key of ``gridimpact/data/turbines.toml`` ``[models]``."""
    count: Sourced[NonNegativeInt]
    rating_mw: SPositiveFloat | None = None
    """Per-unit rating when it differs from the catalog's (e.g. a mixed rented fleet)."""

    @field_validator("model")
    @classmethod
    def _known_model(cls, v: str) -> str:
        models = _turbine_keys()[0]
        if v not in models:
            raise ValueError(f"unknown turbine model {v!r}; known: {', '.join(models)}")
        return v


class InterimFleet(Section):
    """Turbines run as prime power before the grid connection is ready (no permit).

    They carry the campus load above ``grid_supply_mw`` (up to their rating) for
    ``months``; ``control`` must be stated (``lean_premix``: no add-on controls).
    """

    description: str
    units: list[TurbineUnits] = Field(min_length=1)
    control: str
    months: Sourced[Months]
    grid_supply_mw: SNonNegativeFloat

    _control = field_validator("control")(classmethod(lambda cls, v: _known_control(v)))


class OnsiteSection(Section):
    """On-site generation, air permit, storage target and the interconnection's frequency
    response.

    Storage target: ``bess_max_swing_mw`` (largest power change at the POI within
    ``swing_window_s``) and/or ``bess_max_ramp_mw_per_s``. When both are absent the
    swing target is derived from the flicker planning level at the POI.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    units: list[TurbineUnits] = Field(default_factory=list)
    """The permitted fleet's unit groups (none: no on-site generation)."""
    fleet_name: str = ""
    """What the fleet is, with its source in words; required when ``units`` are given."""
    turbine_control: str = "scr_oxcat"
    """Key of ``gridimpact/data/turbines.toml`` ``[controls]`` (NOx/CO factors)."""
    nox_guarantee_ppmvd_at_15pct_o2: Sourced[PositivePpm] | None = None
    """Manufacturer NOx guarantee; replaces the control's NOx factor (EPA Method 19)."""
    co_guarantee_ppmvd_at_15pct_o2: Sourced[PositivePpm] | None = None
    """Manufacturer CO guarantee; replaces the control's CO factor (EPA Method 19)."""
    permit_caps: dict[Pollutant, SPositiveFloat] = Field(default_factory=dict)
    """The fleet's permit caps (short t/yr, 12-month rolling) by pollutant."""
    permitted_hours_per_year: Sourced[HoursPerYear] = _default("permitted_hours_per_year")
    interim: InterimFleet | None = None
    grid_import_cap_mw: SPositiveFloat | None = None
    """Largest grid import; turbines carry the load above it. ``None``: no cap,
    turbines run only when the grid cannot serve the campus (backup)."""
    frequency_response_mw_per_0p1hz: SPositiveFloat = _default("frequency_response_mw_per_0p1hz")
    """Interconnection frequency response beta (MW per 0.1 Hz)."""
    bess_max_swing_mw: SPositiveFloat | None = None
    bess_max_ramp_mw_per_s: SPositiveFloat | None = None
    bess_usable_energy_fraction: SPositiveFraction = _default("bess_usable_energy_fraction")
    supercap_crossover_hz: SPositiveFloat | None = None
    """If set, storage power above this frequency goes to a supercapacitor."""
    swing_window_s: SPositiveFloat = _default("swing_window_s")
    pst_planning_level: SPositiveFloat = _default("pst_planning_level")
    """Short-term flicker planning level Pst at the POI (-)."""
    voltage_change_limit_percent: SNonNegativeFloat | None = None
    """Optional explicit dV/V limit (%) replacing the planning-level curve."""

    _control = field_validator("turbine_control")(classmethod(lambda cls, v: _known_control(v)))

    @field_validator("fleet_name")
    @classmethod
    def _fleet_is_named(cls, v: str, info: ValidationInfo) -> str:
        if info.data.get("units") and not v.strip():
            raise ValueError("required when units are given (name the fleet and its source)")
        return v

    @property
    def unit_count(self) -> int:
        """Units of the permitted fleet."""
        return sum(u.count.value for u in self.units)


class _OnsiteTable(Section):
    onsite: OnsiteSection


def parse_onsite(data: dict[str, Any], file: str) -> OnsiteSection:
    """Validate an ``[onsite]`` table; errors name ``onsite.<field>``."""
    return validate_model(_OnsiteTable, {"onsite": data}, file).onsite
