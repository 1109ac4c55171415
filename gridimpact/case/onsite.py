"""Case table ``[onsite]``: turbines, grid import cap, storage target, frequency response.

Every field is optional; a missing number takes its sourced default from
``gridimpact/data/dynamics.toml`` (table ``[onsite]``), so ``OnsiteSection()``
is a complete, valid section (15 Solar SMT-130 with SCR, no import cap, storage
sized to the flicker planning level at the POI).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

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


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return dict(read_data_toml(DATA_FILE)["onsite"])


@lru_cache(maxsize=1)
def _turbine_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = read_data_toml(TURBINE_FILE)
    return tuple(data["models"]), tuple(data["controls"])


def _default(name: str) -> Any:
    return Field(default_factory=lambda: _defaults()[name])


class OnsiteSection(Section):
    """On-site generation, storage target and the interconnection's frequency response.

    Storage target: ``bess_max_swing_mw`` (largest power change at the POI within
    ``swing_window_s``) and/or ``bess_max_ramp_mw_per_s``. When both are absent the
    swing target is derived from the flicker planning level at the POI.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    turbine_model: str = "SMT-130"
    """Key of ``gridimpact/data/turbines.toml`` ``[models]``."""
    turbine_control: str = "scr_oxcat"
    """Key of ``gridimpact/data/turbines.toml`` ``[controls]`` (NOx/CO factors)."""
    turbine_count: Sourced[NonNegativeInt] = _default("turbine_count")
    grid_import_cap_mw: SPositiveFloat | None = None
    """Largest grid import; turbines carry the load above it. ``None``: no cap,
    turbines run only as backup."""
    permitted_hours_per_year: Sourced[HoursPerYear] = _default("permitted_hours_per_year")
    backup_hours_per_year: Sourced[HoursPerYear] = _default("backup_hours_per_year")
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

    @field_validator("turbine_model")
    @classmethod
    def _known_model(cls, v: str) -> str:
        models = _turbine_keys()[0]
        if v not in models:
            raise ValueError(f"unknown turbine model {v!r}; known: {', '.join(models)}")
        return v

    @field_validator("turbine_control")
    @classmethod
    def _known_control(cls, v: str) -> str:
        controls = _turbine_keys()[1]
        if v not in controls:
            raise ValueError(f"unknown turbine control {v!r}; known: {', '.join(controls)}")
        return v

    @field_validator("backup_hours_per_year")
    @classmethod
    def _backup_within_permit(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        permitted = info.data.get("permitted_hours_per_year")
        if permitted is not None and v.value > permitted.value:
            raise ValueError(
                f"must not exceed permitted_hours_per_year ({permitted.value}) (got {v.value})"
            )
        return v


class _OnsiteTable(Section):
    onsite: OnsiteSection


def parse_onsite(data: dict[str, Any], file: str) -> OnsiteSection:
    """Validate an ``[onsite]`` table; errors name ``onsite.<field>``."""
    return validate_model(_OnsiteTable, {"onsite": data}, file).onsite
