"""Parameters of the cooling-plant models: data-file defaults plus case overrides.

Defaults come from ``gridimpact/data/cooling.toml`` (each a cited ``Sourced``
table); the case's ``[cooling]`` table may override some of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridimpact.case.cooling import CoolingSection
from gridimpact.data import read_data_toml
from gridimpact.data.tables import sourced_float, sourced_floats
from gridimpact.errors import CaseError
from gridimpact.schema import Sourced

COOLING_FILE = "cooling.toml"

_LIST_FIELDS = {
    "capft": 6,
    "eirft": 6,
    "eirfplr": 3,
    "leaving_chilled_range_c": 2,
    "entering_condenser_range_c": 2,
}
#: CoolingSection field -> dotted data-file name it overrides.
_OVERRIDES = {
    "chilled_water_supply_c": "air_loop.chilled_water_supply_c",
    "tower_approach_k": "cooling_tower.approach_k",
    "dry_cooler_approach_k": "dry_cooler.approach_k",
    "economizer_hx_approach_k": "plant.economizer_hx_approach_k",
    "tcs_delta_t_k": "liquid_loop.tcs_delta_t_k",
    "cycles_of_concentration": "cooling_tower.cycles_of_concentration",
    "cdu_unit_capacity_mw": "liquid_loop.cdu_unit_capacity_mw",
}
_NUMERIC_TABLES = (
    "water_classes",
    "fluids",
    "liquid_loop",
    "air_loop",
    "pumps",
    "plant",
    "cooling_tower",
    "dry_cooler",
    "water_cooled_chiller",
    "air_cooled_chiller",
)


@dataclass(frozen=True)
class ArchitectureOptions:
    """Non-numeric choices of one architecture."""

    name: str
    water_class: str
    air_side: str  # "water_cooled_chillers" | "air_cooled_chillers"
    chiller_trim: bool
    adiabatic_assist: bool
    air_terminal: str  # "crah" | "rear_door_hx"
    tower_evaporation: str  # "saturated_exit" | "latent_fraction"
    size_for_survival: bool


@dataclass(frozen=True)
class ThermalParameters:
    """All numbers the thermal models use, by dotted name, with their sources."""

    values: dict[str, Any]
    sourced: tuple[tuple[str, Sourced[Any]], ...]
    options: ArchitectureOptions

    def __getitem__(self, dotted: str) -> Any:
        return self.values[dotted]

    def f(self, dotted: str) -> float:
        """A scalar parameter as float."""
        return float(self.values[dotted])

    @property
    def class_limit_c(self) -> float:
        """Maximum facility supply temperature of the selected water class, °C."""
        return self.f(f"water_classes.{self.options.water_class}")


def load_parameters(section: CoolingSection) -> ThermalParameters:
    """Read ``cooling.toml`` and apply the case overrides of ``section``.

    Raises
    ------
    CaseError
        If a data-file value is missing or invalid.
    """
    data = read_data_toml(COOLING_FILE)
    values: dict[str, Any] = {}
    sourced: dict[str, Sourced[Any]] = {}
    for table_name in _NUMERIC_TABLES:
        table = data.get(table_name)
        if not isinstance(table, dict):
            raise CaseError(f"gridimpact/data/{COOLING_FILE}", table_name, "missing table")
        for key in table:
            item: Sourced[Any]
            if key in _LIST_FIELDS:
                item = sourced_floats(COOLING_FILE, table, table_name, key, _LIST_FIELDS[key])
            else:
                item = sourced_float(COOLING_FILE, table, table_name, key)
            values[f"{table_name}.{key}"] = item.value
            sourced[f"{table_name}.{key}"] = item
    for field, dotted in _OVERRIDES.items():
        override = getattr(section, field)
        if override is not None:
            values[dotted] = float(override.value)
            sourced[dotted] = override
    arch = data.get("architectures", {}).get(section.architecture)
    if not isinstance(arch, dict):
        raise CaseError(
            f"gridimpact/data/{COOLING_FILE}",
            f"architectures.{section.architecture}",
            "missing table",
        )
    options = ArchitectureOptions(
        name=section.architecture,
        water_class=section.water_class or str(arch.get("water_class", "W32")),
        air_side=str(arch.get("air_side", "water_cooled_chillers")),
        chiller_trim=bool(
            section.chiller_trim
            if section.chiller_trim is not None
            else arch.get("chiller_trim", False)
        ),
        adiabatic_assist=bool(
            section.adiabatic_assist
            if section.adiabatic_assist is not None
            else arch.get("adiabatic_assist", False)
        ),
        air_terminal=str(section.air_terminal or arch.get("air_terminal", "crah")),
        tower_evaporation=str(
            section.tower_evaporation
            or data.get("models", {}).get("tower_evaporation", "saturated_exit")
        ),
        size_for_survival=bool(
            section.size_for_survival
            if section.size_for_survival is not None
            else arch.get("size_for_survival", False)
        ),
    )
    if options.air_terminal not in ("crah", "rear_door_hx"):
        raise CaseError(
            f"gridimpact/data/{COOLING_FILE}",
            f"architectures.{section.architecture}.air_terminal",
            f"unknown air terminal '{options.air_terminal}'",
        )
    if f"water_classes.{options.water_class}" not in values:
        raise CaseError(
            f"gridimpact/data/{COOLING_FILE}", "water_classes", f"no class {options.water_class}"
        )
    for field in (
        "water_class",
        "chiller_trim",
        "adiabatic_assist",
        "air_terminal",
        "tower_evaporation",
        "size_for_survival",
    ):
        from_case = getattr(section, field) is not None
        where = (
            "case file [cooling]"
            if from_case
            else f"gridimpact default, data/{COOLING_FILE} [architectures.{options.name}]"
        )
        sourced[f"options.{field}"] = Sourced[str](
            value=str(getattr(options, field)),
            unit="",
            source=where,
            confidence="estimate",
        )
    return ThermalParameters(values=values, sourced=tuple(sorted(sourced.items())), options=options)
