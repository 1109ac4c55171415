"""Case table ``[cooling]``: the heat-rejection architecture and its parameters."""

from __future__ import annotations

from typing import Literal

from gridimpact.schema import SDeltaK, Section, SPositiveFloat, STemperatureC

Architecture = Literal[
    "liquid_towers",
    "liquid_dry_coolers",
    "air_cooled_chillers",
    "air_crah_chilled_water",
]
WaterClass = Literal["W17", "W27", "W32", "W40", "W45"]
AirTerminal = Literal["crah", "rear_door_hx"]
TowerEvaporation = Literal["saturated_exit", "latent_fraction"]


class CoolingSection(Section):
    """Which cooling plant serves the campus.

    Parameters with numbers live in ``gridimpact/data/cooling.toml`` (each
    with its source); a case may override them here. Every override is
    optional; ``None`` keeps the data-file default of the architecture.
    """

    architecture: Architecture = "liquid_towers"
    water_class: WaterClass | None = None
    """ASHRAE TC 9.9 facility-water class of the liquid loop (max supply temperature)."""
    chiller_trim: bool | None = None
    """``liquid_towers``: chillers trim the facility water when the towers cannot hold the class."""
    adiabatic_assist: bool | None = None
    """``liquid_dry_coolers``: evaporative pre-cooling of the dry-cooler inlet air."""
    air_terminal: AirTerminal | None = None
    """How the air-side heat reaches the chilled water: CRAH / fan walls (facility fans) or
    passive rear-door heat exchangers (server fans move the air; no facility fan power)."""
    tower_evaporation: TowerEvaporation | None = None
    """Tower water model: air leaves saturated (EnergyPlus method, default) or a fixed
    latent share of the heat."""
    size_for_survival: bool | None = None
    """Size chillers and heat rejection for the survival conditions (extreme wet-bulb,
    50-year dry-bulb) instead of the ASHRAE 0.4 % design days."""
    chilled_water_supply_c: STemperatureC | None = None
    tower_approach_k: SDeltaK | None = None
    dry_cooler_approach_k: SDeltaK | None = None
    economizer_hx_approach_k: SDeltaK | None = None
    tcs_delta_t_k: SDeltaK | None = None
    cycles_of_concentration: SPositiveFloat | None = None
    cdu_unit_capacity_mw: SPositiveFloat | None = None
