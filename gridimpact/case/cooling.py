"""Case table ``[cooling]``: the heat-rejection architecture and its parameters."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridimpact.case.bounds import Bool
from gridimpact.schema import Section, Sourced

Architecture = Literal[
    "liquid_towers",
    "liquid_dry_coolers",
    "air_cooled_chillers",
    "air_crah_chilled_water",
]
WaterClass = Literal["W17", "W27", "W32", "W40", "W45"]
AirTerminal = Literal["crah", "rear_door_hx"]
TowerEvaporation = Literal["saturated_exit", "latent_fraction"]

ChilledWaterC = Annotated[float, Field(ge=4, le=27, allow_inf_nan=False)]
ApproachK = Annotated[float, Field(ge=0.1, le=30, allow_inf_nan=False)]
CoolantRiseK = Annotated[float, Field(ge=1, le=40, allow_inf_nan=False)]
CyclesOfConcentration = Annotated[float, Field(ge=1.5, le=50, allow_inf_nan=False)]
CduCapacityMW = Annotated[float, Field(ge=0.01, le=20, allow_inf_nan=False)]


class CoolingSection(Section):
    """Which cooling plant serves the campus.

    Parameters with numbers live in ``gridimpact/data/cooling.toml`` (each
    with its source); a case may override them here. Every override is
    optional; ``None`` keeps the data-file default of the architecture.
    """

    architecture: Architecture = "liquid_towers"
    water_class: WaterClass | None = None
    """ASHRAE TC 9.9 facility-water class of the liquid loop (max supply temperature)."""
    chiller_trim: Bool | None = None
    """``liquid_towers``: chillers trim the facility water when the towers cannot hold the class."""
    adiabatic_assist: Bool | None = None
    """``liquid_dry_coolers``: evaporative pre-cooling of the dry-cooler inlet air."""
    air_terminal: AirTerminal | None = None
    """How the air-side heat reaches the chilled water: CRAH / fan walls (facility fans) or
    passive rear-door heat exchangers (server fans move the air; no facility fan power)."""
    tower_evaporation: TowerEvaporation | None = None
    """Tower water model: air leaves saturated (EnergyPlus method, default) or a fixed
    latent share of the heat."""
    size_for_survival: Bool | None = None
    """Size chillers and heat rejection for the survival conditions (extreme wet-bulb,
    50-year dry-bulb) instead of the ASHRAE 0.4 % design days."""
    chilled_water_supply_c: Sourced[ChilledWaterC] | None = None
    """Chilled-water supply temperature (°C).

    4-27 °C: above freezing with the usual margin, below the 27 °C top of the ASHRAE A1
    recommended server inlet air it must cool.
    """
    tower_approach_k: Sourced[ApproachK] | None = None
    """Cooling-tower approach of leaving water to wet-bulb (K).

    0.1-30 K: a zero approach needs an infinite tower; towers are selected at 2-8 K.
    """
    dry_cooler_approach_k: Sourced[ApproachK] | None = None
    """Dry-cooler approach of leaving fluid to dry-bulb (K).

    0.1-30 K: a zero approach needs an infinite coil; dry coolers are selected at 5-15 K.
    """
    economizer_hx_approach_k: Sourced[ApproachK] | None = None
    """Waterside-economizer heat-exchanger approach (K).

    0.1-30 K: a zero approach needs an infinite exchanger; plate HX run at 0.5-3 K.
    """
    tcs_delta_t_k: Sourced[CoolantRiseK] | None = None
    """Technology-cooling-system (rack coolant) temperature rise (K).

    1-40 K: a smaller rise needs unbounded coolant flow; liquid-cooled racks run 5-15 K.
    """
    cycles_of_concentration: Sourced[CyclesOfConcentration] | None = None
    """Cooling-tower cycles of concentration (-).

    1.5-50: blowdown E/(C−1) grows without bound as C → 1 (towers run 3-6); above 50 is
    beyond zero-liquid-discharge treatment (~10-20).
    """
    cdu_unit_capacity_mw: Sourced[CduCapacityMW] | None = None
    """Capacity of one coolant distribution unit (MW).

    0.01-20 MW: from ~10 kW in-rack CDUs to 10× the largest facility CDUs (~2 MW).
    """
