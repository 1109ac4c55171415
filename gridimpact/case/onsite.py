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

from gridimpact.case.bounds import (
    MAX_POWER_MW,
    NonNegativePowerMW,
    PositiveFraction,
    PowerMW,
    finite,
)
from gridimpact.data import data_default, read_data_toml
from gridimpact.schema import Section, Sourced
from gridimpact.validation import validate_model

DATA_FILE = "dynamics.toml"
TURBINE_FILE = "turbines.toml"

MAX_UNIT_GROUPS = 100


UnitCount = Annotated[int, Field(ge=0, le=1000)]
UnitRatingMW = Annotated[float, finite(gt=0.0, le=1000.0)]
HoursPerYear = Annotated[float, finite(ge=0.0, le=8784.0)]
Months = Annotated[float, finite(ge=0.0, le=120.0)]
PositivePpm = Annotated[float, finite(gt=0.0, le=1000.0)]
TonsPerYear = Annotated[float, finite(gt=0, le=100_000_000)]
FrequencyResponse = Annotated[float, finite(gt=0, le=100_000)]
RampMWPerS = Annotated[float, finite(gt=0, le=1000 * MAX_POWER_MW)]
RoundTripEfficiency = Annotated[float, finite(ge=0.5, le=1.0)]
StandbyLossPerH = Annotated[float, finite(ge=0.0, le=0.01)]
CRatePerH = Annotated[float, finite(ge=0.01, le=100.0)]
SocMin = Annotated[float, finite(ge=0.0, lt=1.0)]
CycleLife = Annotated[float, finite(ge=1, le=1_000_000)]
WoehlerExponent = Annotated[float, finite(ge=0.1, le=5.0)]
DesignLifeYears = Annotated[float, finite(ge=1.0, le=50.0)]
CrossoverHz = Annotated[float, finite(ge=1e-3, le=10.0)]
SwingWindowS = Annotated[float, finite(ge=1.0, le=600.0)]
FlickerLevel = Annotated[float, finite(gt=0.0, le=5.0)]
TransferCoefficient = Annotated[float, finite(ge=0.0, le=2.0)]
VoltageChangePercent = Annotated[float, finite(ge=0.0, le=10.0)]

Pollutant = Literal[
    "NOx", "CO", "VOC", "PM", "PM10", "PM2_5", "SO2", "formaldehyde", "HAP_total", "CO2", "CO2e"
]
"""Keys of ``[onsite.permit_caps]`` (PM2_5 is PM2.5)."""


@lru_cache(maxsize=1)
def _turbine_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = read_data_toml(TURBINE_FILE)
    return tuple(data["models"]), tuple(data["controls"])


def _default(name: str) -> Any:
    return data_default(DATA_FILE, "onsite", name)


def _known_control(v: str) -> str:
    controls = _turbine_keys()[1]
    if v not in controls:
        raise ValueError(f"unknown turbine control {v!r}; known: {', '.join(controls)}")
    return v


class TurbineUnits(Section):
    """One group of identical units: a catalog model and how many."""

    model: str
    """Key of ``gridimpact/data/turbines.toml`` ``[models]``."""
    count: Sourced[UnitCount]
    """Units in the group.

    0-1,000: ~25× the largest on-site fleets announced (Colossus 2: 41 turbines).
    """
    rating_mw: Sourced[UnitRatingMW] | None = None
    """Per-unit rating when it differs from the catalog's (e.g. a mixed rented fleet).

    (0, 1,000] MW: above the largest gas turbine built (GE 9HA.02, ~570 MW).
    """

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
    units: list[TurbineUnits] = Field(min_length=1, max_length=MAX_UNIT_GROUPS)
    """Unit groups of the interim fleet (1-100 groups: one per model or rating)."""
    control: str
    months: Sourced[Months]
    """Months the interim fleet runs.

    0-120 months: a fleet running ten years is the permanent fleet, not an interim.
    """
    grid_supply_mw: Sourced[NonNegativePowerMW]
    """Grid supply while the interim fleet runs (MW).

    0 to 2·10⁶ MW: up to the peak of the largest synchronous grid (China, ~1.45 TW).
    """

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

    units: list[TurbineUnits] = Field(default_factory=list, max_length=MAX_UNIT_GROUPS)
    """The permitted fleet's unit groups (none: no on-site generation).

    At most 100 groups: one per model or rating; real fleets have a few.
    """
    fleet_name: str = ""
    """What the fleet is, with its source in words; required when ``units`` are given."""
    turbine_control: str = "scr_oxcat"
    """Key of ``gridimpact/data/turbines.toml`` ``[controls]`` (NOx/CO factors)."""
    nox_guarantee_ppmvd_at_15pct_o2: Sourced[PositivePpm] | None = None
    """Manufacturer NOx guarantee; replaces the control's NOx factor (EPA Method 19).

    (0, 1,000] ppmvd: above uncontrolled gas turbines (~100-200 ppmvd NOx).
    """
    co_guarantee_ppmvd_at_15pct_o2: Sourced[PositivePpm] | None = None
    """Manufacturer CO guarantee; replaces the control's CO factor (EPA Method 19).

    (0, 1,000] ppmvd: above uncontrolled CO at part load (a few hundred ppmvd).
    """
    permit_caps: dict[Pollutant, Sourced[TonsPerYear]] = Field(default_factory=dict)
    """The fleet's permit caps (short t/yr, 12-month rolling) by pollutant.

    (0, 10⁸] short t/yr: above the CO2 of the largest power plants (~30 Mt/yr).
    """
    permitted_hours_per_year: Sourced[HoursPerYear] = _default("permitted_hours_per_year")
    """Hours per year the permit lets the fleet run (h/yr).

    0-8,784 h: the hours of a leap year.
    """
    interim: InterimFleet | None = None
    grid_import_cap_mw: Sourced[PowerMW] | None = None
    """Largest grid import; turbines carry the load above it. ``None``: no cap,
    turbines run only when the grid cannot serve the campus (backup).

    (0, 2·10⁶] MW: up to the peak of the largest synchronous grid (China, ~1.45 TW).
    """
    frequency_response_mw_per_0p1hz: Sourced[FrequencyResponse] = _default(
        "frequency_response_mw_per_0p1hz"
    )
    """Interconnection frequency response beta (MW per 0.1 Hz).

    (0, 10⁵]: ~100× the Eastern Interconnection's obligation (1,015 MW/0.1 Hz).
    """
    bess_max_swing_mw: Sourced[PowerMW] | None = None
    """Largest power change at the POI within ``swing_window_s`` (MW).

    (0, 2·10⁶] MW: up to the peak of the largest synchronous grid (China, ~1.45 TW).
    """
    bess_max_ramp_mw_per_s: Sourced[RampMWPerS] | None = None
    """Largest power ramp at the POI (MW/s).

    (0, 2·10⁹] MW/s: the largest stated power (2 TW) within one 1-ms sample.
    """
    bess_roundtrip_efficiency: Sourced[RoundTripEfficiency] = _default("bess_roundtrip_efficiency")
    """Battery AC-AC round-trip efficiency (-); sqrt of it each way.

    0.5-1: below 50 % no storage is built (Li-ion 85-95 %, flow batteries 65-75 %).
    """
    bess_standby_loss_fraction_per_h: Sourced[StandbyLossPerH] = _default(
        "bess_standby_loss_fraction_per_h"
    )
    """Self-discharge plus auxiliaries, fraction of nameplate energy per hour (1/h).

    0-0.01 /h (24 %/day): ~20× the auxiliaries of a containerised BESS (~0.05 %/h).
    """
    bess_max_c_rate_per_h: Sourced[CRatePerH] = _default("bess_max_c_rate_per_h")
    """Largest battery power / nameplate energy (1/h).

    0.01-100 /h: from 100-h storage to a 36-s discharge, beyond power cells (~10-20C).
    """
    bess_soc_min: Sourced[SocMin] = _default("bess_soc_min")
    """Lower state-of-charge limit (fraction of nameplate, < bess_soc_max).

    [0, 1): a share of nameplate, below bess_soc_max.
    """
    bess_soc_max: Sourced[PositiveFraction] = _default("bess_soc_max")
    """Upper state-of-charge limit (fraction of nameplate).

    (bess_soc_min, 1]: a battery cannot hold more than its nameplate energy.
    """
    bess_cycle_life_full_cycles: Sourced[CycleLife] = _default("bess_cycle_life_full_cycles")
    """Cycles to end of life at bess_cycle_life_reference_dod.

    1-10⁶ cycles: 50× the best lithium-titanate cells (~20,000 cycles).
    """
    bess_cycle_life_reference_dod: Sourced[PositiveFraction] = _default(
        "bess_cycle_life_reference_dod"
    )
    """Depth of discharge at which bess_cycle_life_full_cycles holds (-).

    (0, 1]: a share of nameplate energy.
    """
    bess_cycle_life_exponent: Sourced[WoehlerExponent] = _default("bess_cycle_life_exponent")
    """Woehler exponent k of N(d) = N_ref (d / d_ref)^-k (-).

    0.1-5: measured exponents of Li-ion cells are ~0.5-2.5.
    """
    bess_design_life_years: Sourced[DesignLifeYears] = _default("bess_design_life_years")
    """Years the battery must last by cycling.

    1-50 years: from a one-year rental to twice the longest BESS service lives (~20-25 yr).
    """
    supercap_crossover_hz: Sourced[CrossoverHz] | None = None
    """If set, storage power above this frequency goes to a supercapacitor.

    10⁻³-10 Hz: from a ~17-min period to 5× the top of the 0.1-2 Hz swing band.
    """
    swing_window_s: Sourced[SwingWindowS] = _default("swing_window_s")
    """Window of the largest power change, ``bess_max_swing_mw`` (s).

    1-600 s: ≥ 10 samples at the lowest sample rate (10 Hz; shorter swings are ramps,
    see bess_max_ramp_mw_per_s), and within the shortest waveform (600 s).
    """
    pst_planning_level: Sourced[FlickerLevel] = _default("pst_planning_level")
    """Short-term flicker planning level Pst at the POI (-).

    (0, 5]: planning levels are 0.8-1.0; 5 is five times the irritability threshold.
    """
    plt_planning_level: Sourced[FlickerLevel] = _default("plt_planning_level")
    """Long-term flicker planning level Plt at the POI (-).

    (0, 5]: planning levels are 0.6-0.8; 5 is five times the irritability threshold.
    """
    pst_upstream_planning_level: Sourced[FlickerLevel] = _default("pst_upstream_planning_level")
    """The upstream system's Pst planning level (-).

    (0, 5]: planning levels are 0.8-1.0; 5 is five times the irritability threshold.
    """
    plt_upstream_planning_level: Sourced[FlickerLevel] = _default("plt_upstream_planning_level")
    """The upstream system's Plt planning level (-).

    (0, 5]: planning levels are 0.6-0.8; 5 is five times the irritability threshold.
    """
    flicker_transfer_coefficient: Sourced[TransferCoefficient] = _default(
        "flicker_transfer_coefficient"
    )
    """Flicker transfer coefficient from the upstream system to the POI (-).

    0-2: measured coefficients are ~0.6-1.1; a bus does not double upstream flicker.
    """
    pst_basic_emission_limit: Sourced[FlickerLevel] = _default("pst_basic_emission_limit")
    """Pst any installation may emit whatever its size (IEC/TR 61000-3-7 stage 2) (-).

    (0, pst_planning_level]: one installation cannot be granted the whole system's room.
    """
    plt_basic_emission_limit: Sourced[FlickerLevel] = _default("plt_basic_emission_limit")
    """Plt any installation may emit whatever its size (IEC/TR 61000-3-7 stage 2) (-).

    (0, plt_planning_level]: one installation cannot be granted the whole system's room.
    """
    flicker_supply_capacity_mva: Sourced[PowerMW] | None = None
    """Total supply capacity S_t the planning level is shared over (MVA); ``None``: the
    sum of the normal ratings of the branches at the POI bus.

    (0, 2·10⁶] MVA: up to the peak of the largest synchronous grid (China, ~1.45 TW).
    """
    flicker_lamp_voltage_v: Sourced[Literal[120, 230]] = _default("flicker_lamp_voltage_v")
    """Lamp of the flickermeter's weighting curve (120 V / 60 Hz or 230 V / 50 Hz)."""
    voltage_change_limit_percent: Sourced[VoltageChangePercent] | None = None
    """Optional explicit dV/V limit (%) replacing the planning-level curve.

    0-10 %: a 10 % step is a voltage dip, far beyond rapid-change limits (~3 %).
    """

    _control = field_validator("turbine_control")(classmethod(lambda cls, v: _known_control(v)))

    @field_validator("bess_soc_max")
    @classmethod
    def _soc_window(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        low = info.data.get("bess_soc_min")
        if low is not None and v.value <= low.value:
            raise ValueError(f"must be above bess_soc_min ({low.value}) (got {v.value})")
        return v

    @field_validator("pst_basic_emission_limit", "plt_basic_emission_limit")
    @classmethod
    def _basic_within_planning(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        name = "pst_" if info.field_name == "pst_basic_emission_limit" else "plt_"
        name += "planning_level"
        level = info.data.get(name)
        if level is not None and v.value > level.value:
            raise ValueError(f"must not exceed {name} ({level.value}) (got {v.value})")
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
