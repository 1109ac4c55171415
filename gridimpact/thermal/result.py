"""The result of the thermal stage: sized plant, hourly and design-day operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from gridimpact.schema import Sourced
from gridimpact.thermal.water import m3_per_h_to_mgd

DesignBasis = Literal["evaporative", "dry"]


@dataclass(frozen=True)
class PlantResizing:
    """How the plant was grown after failing its own design check (``steps == 0``: untouched).

    Counts are per chiller group (``"<chiller type> (<loop> loop)"``): ``needed`` units
    hold the loop's setpoint at the worst checked condition, ``installed`` adds one spare
    per block (N+1 per block). Capacities are the installed rated capacity, MW.
    """

    steps: int = 0
    """Resizing steps taken (each adds ``plant.resize_step_fraction`` of the design-day count)."""
    cap_reached: bool = False
    """True when the next step would exceed ``plant.resize_max_installed_to_needed``."""
    reasons: tuple[str, ...] = ()
    """Findings of the plant as first sized at the 0.4 % design days."""
    groups: tuple[str, ...] = ()
    initial_needed: tuple[int, ...] = ()
    final_needed: tuple[int, ...] = ()
    initial_installed: tuple[int, ...] = ()
    final_installed: tuple[int, ...] = ()
    initial_capacity_mw: tuple[float, ...] = ()
    final_capacity_mw: tuple[float, ...] = ()
    unresizable: tuple[str, ...] = ()
    """Failures more chillers cannot fix (loops without chillers, condenser above limit)."""

    @property
    def resized(self) -> bool:
        """Whether any unit was added to the plant as first sized."""
        return self.steps > 0

    @property
    def added_units(self) -> int:
        """Installed units added by the resizing, all groups."""
        return sum(self.final_installed) - sum(self.initial_installed)


@dataclass(frozen=True)
class ThermalResult:
    """Sized plant and its hourly and design-day operation.

    ``hourly`` / ``design_day`` columns: ``it_power_mw``, ``heat_load_mw`` (IT +
    electrical losses), ``heat_to_liquid_mw``, ``heat_to_air_mw``,
    ``cooling_power_mw`` (= ``fans_mw + pumps_mw + chillers_mw``), the
    breakdowns ``cdu_pumps_mw, facility_pumps_mw, chilled_water_pumps_mw,
    condenser_pumps_mw`` (sum = ``pumps_mw``) and ``crah_fans_mw, tower_fans_mw,
    dry_cooler_fans_mw, free_cooling_fans_mw`` (sum = ``fans_mw``),
    ``liquid_loop_chillers_mw, air_loop_chillers_mw`` (sum = ``chillers_mw``),
    heat flows (not power drawn) ``tower_heat_mw, dry_cooler_heat_mw``, water
    (``makeup_water_m3_per_h = evaporation + drift + blowdown``),
    ``economizer`` (bool, full economizer on the main loop),
    ``economizer_fraction``, ``facility_supply_temp_c``,
    ``chilled_water_supply_temp_c``, ``water_class_exceeded`` (bool),
    ``chiller_cop`` / ``chiller_carnot_cop`` (NaN when no chiller runs),
    ``dry_bulb_c``, ``wet_bulb_c``. Only ``cooling_power_mw`` is the total
    electric power of the cooling plant; do not sum the ``*_mw`` columns.
    """

    architecture: str
    hourly: pd.DataFrame
    design_day: pd.DataFrame
    design_table: pd.DataFrame
    design_ok: bool
    design_findings: tuple[str, ...]
    parameters: tuple[tuple[str, Sourced[Any]], ...]
    water_class: str = ""  # "" when there is no liquid loop (air-only)
    water_class_limit_c: float = float("nan")  # or the chilled-water setpoint if air-only
    design_basis: DesignBasis = "evaporative"  # ASHRAE design day used for ``design_day``
    resizing: PlantResizing = PlantResizing()
    """Resizing of a plant that failed its design check (the returned plant is the resized one)."""

    @property
    def annual_pue_cooling_only(self) -> float:
        """(IT + cooling energy) / IT energy over ``hourly``."""
        it = float(self.hourly["it_power_mw"].sum())
        return (it + float(self.hourly["cooling_power_mw"].sum())) / it if it > 0 else float("nan")

    @property
    def mean_makeup_water_m3_per_h(self) -> float:
        """Average makeup water over ``hourly``, m³/h."""
        return float(self.hourly["makeup_water_m3_per_h"].mean())

    @property
    def hourly_wue_l_per_kwh(self) -> pd.Series:
        """Water use effectiveness hour by hour: makeup water (L) per IT energy (kWh).

        References
        ----------
        .. [1] ISO/IEC 30134-9:2022, Water usage effectiveness (WUE).
        """
        it_kw = self.hourly["it_power_mw"] * 1000.0
        return (self.hourly["makeup_water_m3_per_h"] * 1000.0 / it_kw).rename("wue_l_per_kwh")

    def summary(self) -> dict[str, float | int | bool | str]:
        """Headline scalars (unit-suffixed keys) for reports and JSON.

        WUE follows The Green Grid / ISO/IEC 30134-9: annual site water (L) per
        IT energy (kWh); MLC (ASHRAE 90.4 mechanical load component) is the
        annual cooling energy per IT energy.
        """
        h, dd = self.hourly, self.design_day
        it_mwh = float(h["it_power_mw"].sum())
        water_m3 = float(h["makeup_water_m3_per_h"].sum())
        cooling_mwh = float(h["cooling_power_mw"].sum())
        return {
            "architecture": self.architecture,
            "water_class": self.water_class,
            "design_ok": self.design_ok,
            "design_resized": self.resizing.resized,
            "design_resize_steps": self.resizing.steps,
            "design_resize_added_units": self.resizing.added_units,
            "design_resize_cap_reached": self.resizing.cap_reached,
            "pue_cooling_only": self.annual_pue_cooling_only,
            "mechanical_load_component": cooling_mwh / it_mwh if it_mwh > 0 else float("nan"),
            "cooling_energy_mwh": cooling_mwh,
            "mean_cooling_power_mw": float(h["cooling_power_mw"].mean()),
            "peak_cooling_power_mw": float(h["cooling_power_mw"].max()),
            "design_day_peak_cooling_power_mw": float(dd["cooling_power_mw"].max()),
            "annual_water_m3": water_m3,
            "mean_makeup_water_m3_per_h": self.mean_makeup_water_m3_per_h,
            "mean_makeup_water_mgd": float(m3_per_h_to_mgd(self.mean_makeup_water_m3_per_h)),
            "peak_makeup_water_m3_per_h": float(h["makeup_water_m3_per_h"].max()),
            "wue_l_per_kwh": water_m3 * 1000.0 / (it_mwh * 1000.0) if it_mwh > 0 else float("nan"),
            "economizer_hours": int(h["economizer"].sum()),
            "water_class_exceeded_hours": int(h["water_class_exceeded"].sum()),
            "max_facility_supply_temp_c": float(h["facility_supply_temp_c"].max()),
        }
