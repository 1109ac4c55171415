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

from gridimpact.data import read_data_toml
from gridimpact.schema import (
    Section,
    SNonNegativeFloat,
    Sourced,
    SPositiveFloat,
    SPositiveFraction,
)
from gridimpact.validation import validate_model

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

    Storage target: the flicker emission limits IEC/TR 61000-3-7 allocates to the
    campus (Pst and Plt at the POI), and in addition, if given, ``bess_max_swing_mw``
    (largest power change at the POI within ``swing_window_s``) and/or
    ``bess_max_ramp_mw_per_s``.
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
    bess_roundtrip_efficiency: SPositiveFraction = _default("bess_roundtrip_efficiency")
    """Battery AC-AC round-trip efficiency (-); sqrt of it each way."""
    bess_standby_loss_fraction_per_h: SNonNegativeFloat = _default(
        "bess_standby_loss_fraction_per_h"
    )
    """Self-discharge plus auxiliaries, fraction of nameplate energy per hour (1/h)."""
    bess_max_c_rate_per_h: SPositiveFloat = _default("bess_max_c_rate_per_h")
    """Largest battery power / nameplate energy (1/h)."""
    bess_soc_min: SNonNegativeFloat = _default("bess_soc_min")
    """Lower state-of-charge limit (fraction of nameplate, < bess_soc_max)."""
    bess_soc_max: SPositiveFraction = _default("bess_soc_max")
    """Upper state-of-charge limit (fraction of nameplate)."""
    bess_cycle_life_full_cycles: SPositiveFloat = _default("bess_cycle_life_full_cycles")
    """Cycles to end of life at bess_cycle_life_reference_dod."""
    bess_cycle_life_reference_dod: SPositiveFraction = _default("bess_cycle_life_reference_dod")
    bess_cycle_life_exponent: SPositiveFloat = _default("bess_cycle_life_exponent")
    """Woehler exponent k of N(d) = N_ref (d / d_ref)^-k (-)."""
    bess_design_life_years: SPositiveFloat = _default("bess_design_life_years")
    """Years the battery must last by cycling."""
    supercap_crossover_hz: SPositiveFloat | None = None
    """If set, storage power above this frequency goes to a supercapacitor."""
    swing_window_s: SPositiveFloat = _default("swing_window_s")
    pst_planning_level: SPositiveFloat = _default("pst_planning_level")
    """Short-term flicker planning level Pst at the POI (-)."""
    plt_planning_level: SPositiveFloat = _default("plt_planning_level")
    """Long-term flicker planning level Plt at the POI (-)."""
    pst_upstream_planning_level: SPositiveFloat = _default("pst_upstream_planning_level")
    plt_upstream_planning_level: SPositiveFloat = _default("plt_upstream_planning_level")
    flicker_transfer_coefficient: SNonNegativeFloat = _default("flicker_transfer_coefficient")
    """Flicker transfer coefficient from the upstream system to the POI (-)."""
    pst_basic_emission_limit: SPositiveFloat = _default("pst_basic_emission_limit")
    plt_basic_emission_limit: SPositiveFloat = _default("plt_basic_emission_limit")
    flicker_supply_capacity_mva: SPositiveFloat | None = None
    """Total supply capacity S_t the planning level is shared over (MVA); ``None``: the
    sum of the normal ratings of the branches at the POI bus."""
    flicker_lamp_voltage_v: Sourced[Literal[120, 230]] = _default("flicker_lamp_voltage_v")
    """Lamp of the flickermeter's weighting curve (120 V / 60 Hz or 230 V / 50 Hz)."""
    voltage_change_limit_percent: SNonNegativeFloat | None = None
    """Optional explicit dV/V limit (%) replacing the planning-level curve."""

    _control = field_validator("turbine_control")(classmethod(lambda cls, v: _known_control(v)))

    @field_validator("bess_soc_max")
    @classmethod
    def _soc_window(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        low = info.data.get("bess_soc_min")
        if low is not None and v.value <= low.value:
            raise ValueError(f"must be above bess_soc_min ({low.value}) (got {v.value})")
        return v

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
