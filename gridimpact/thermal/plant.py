"""Hour-by-hour operation of a cooling plant (vectorised over hours).

A plant has up to two water loops:

* the **liquid loop** (facility water, FWS) feeding the CDUs of direct-to-chip
  racks, supplied at the limit of its ASHRAE facility-water class;
* the **air loop** (chilled water) feeding CRAHs / fan walls that remove the
  air-side heat (IT heat not captured by cold plates, plus electrical losses).

Each loop has a *cold source*: cooling towers through a plate heat exchanger
(``"tower"``), dry coolers with optional adiabatic pre-cooling (``"dry"``) or
air-cooled chillers with integrated free-cooling coils (``"air_chiller"``).
The economizer carries the share of the load its water temperature allows;
chillers (water-cooled on the tower water, or air-cooled) carry the rest when
the loop has them. What cannot be carried raises the supply temperature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gridimpact.thermal import heat_rejection as hr
from gridimpact.thermal import hydraulics as hy
from gridimpact.thermal import water as wt
from gridimpact.thermal.loops import (
    MW,
    UNBOUNDED,
    LoopResult,
    LoopSpec,
    Sizes,
    loop_specs,
    pump_power_w,
    run_loop,
    unbounded_sizes,
    water_flow_m3_per_s,
)
from gridimpact.thermal.params import ThermalParameters
from gridimpact.weather import psychrometrics as psy

__all__ = [
    "MW",
    "UNBOUNDED",
    "LoopResult",
    "LoopSpec",
    "PlantHours",
    "Sizes",
    "loop_specs",
    "operate",
    "unbounded_sizes",
    "water_flow_m3_per_s",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PlantHours:
    """Everything computed for a set of hours."""

    columns: dict[str, FloatArray]
    loops: dict[str, LoopResult]


def operate(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    it_w: FloatArray,
    liquid_w: FloatArray,
    air_w: FloatArray,
    db: FloatArray,
    wb: FloatArray,
    sizes: Sizes,
    pressure_pa: float = 101_325.0,
) -> PlantHours:
    """Run the whole plant for the given hours.

    Parameters
    ----------
    p : ThermalParameters
        Model parameters.
    loops : tuple of LoopSpec
        The architecture's loops (from :func:`loop_specs`).
    it_w, liquid_w, air_w : numpy.ndarray
        IT power, heat captured by cold plates, and air-side heat (incl.
        electrical losses), W.
    db, wb : numpy.ndarray
        Ambient dry-bulb and wet-bulb, °C.
    sizes : Sizes
        Installed equipment (or :func:`unbounded_sizes` for the sizing pass).
    pressure_pa : float
        Station pressure, Pa (tower evaporation).

    Returns
    -------
    PlantHours
    """
    cols: dict[str, FloatArray] = {}
    zeros = np.zeros_like(it_w)
    # CDUs (TCS pumps): heat of the pumps ends in the liquid loop.
    tcs_design = sizes.design_tcs_heat_w or float(np.max(liquid_w, initial=0.0))
    tcs_flow = hy.volume_flow_for_heat_m3_per_s(
        tcs_design,
        p.f("fluids.tcs_coolant_cp_j_per_kg_k"),
        p.f("fluids.tcs_coolant_density_kg_per_m3"),
        p.f("liquid_loop.tcs_delta_t_k"),
    )
    cdu_pumps = pump_power_w(
        p, liquid_w, tcs_design, float(tcs_flow), p.f("liquid_loop.tcs_pump_head_kpa")
    )
    # CRAH / fan walls: fan heat ends in the air loop.
    crah_design = sizes.design_crah_heat_w or float(np.max(air_w, initial=0.0))
    air_flow = hy.volume_flow_for_heat_m3_per_s(
        crah_design,
        p.f("fluids.air_cp_j_per_kg_k"),
        p.f("fluids.air_density_kg_per_m3"),
        p.f("air_loop.crah_air_delta_t_k"),
    )
    crah_design_w = float(
        hy.flow_power_w(
            air_flow, p.f("air_loop.crah_fan_pressure_pa"), p.f("air_loop.crah_fan_efficiency")
        )
    )
    if p.options.air_terminal == "rear_door_hx":
        crah_design_w = 0.0  # server fans move the air through passive rear doors (IT power)
    crah_fans = hy.part_load_power_w(
        crah_design_w,
        air_w / crah_design if crah_design > 0 else zeros,
        3.0,
        p.f("pumps.min_flow_fraction"),
    )
    heat = {"liquid": liquid_w + cdu_pumps, "air": air_w + crah_fans}
    results: dict[str, LoopResult] = {}
    for loop in loops:
        results[loop.name] = run_loop(p, loop, heat[loop.name], db, wb, sizes)
    # Heat to the towers / dry coolers / air.
    tower_heat = zeros.copy()
    dry_heat = zeros.copy()
    free_cooling_heat = zeros.copy()
    for loop in loops:
        r = results[loop.name]
        if loop.source == "tower":
            tower_heat += r.economizer_heat_w + r.pump_w
        elif loop.source == "dry":
            dry_heat += r.economizer_heat_w + r.pump_w
        else:
            free_cooling_heat += r.economizer_heat_w
        if loop.chillers == "water_cooled_chiller":
            tower_heat += r.chiller_load_w + r.chiller_power_w
    range_k = p.f("cooling_tower.range_k")
    tower_design = sizes.design_tower_heat_w or float(np.max(tower_heat, initial=0.0))
    cw_flow_design = float(water_flow_m3_per_s(p, tower_design, range_k))
    cw_pumps = pump_power_w(
        p, tower_heat, tower_design, cw_flow_design, p.f("cooling_tower.pump_head_kpa")
    )
    tower_heat = tower_heat + cw_pumps
    cells = sizes.tower_cells_needed if sizes.tower_cells_needed < UNBOUNDED else None
    tower_capacity = (
        cells * p.f("cooling_tower.cell_capacity_mw") * MW if cells else max(tower_design, 1.0)
    )
    tower_fans = hr.fan_power_w(
        tower_heat,
        tower_capacity,
        p.f("cooling_tower.fan_specific_power_kw_per_kw"),
        p.f("cooling_tower.min_fan_speed_fraction"),
    )
    dry_design = sizes.design_dry_heat_w or float(np.max(dry_heat, initial=0.0))
    n_dry = sizes.dry_coolers_needed if sizes.dry_coolers_needed < UNBOUNDED else None
    dry_capacity = (
        n_dry * p.f("dry_cooler.unit_capacity_mw") * MW if n_dry else max(dry_design, 1.0)
    )
    dry_fans = hr.fan_power_w(
        dry_heat,
        dry_capacity,
        p.f("dry_cooler.fan_specific_power_kw_per_kw"),
        p.f("dry_cooler.min_fan_speed_fraction"),
    )
    free_fans = free_cooling_heat * p.f(
        "air_cooled_chiller.free_cooling_fan_specific_power_kw_per_kw"
    )
    # Water.
    rho_w = p.f("fluids.water_density_kg_per_m3")
    t_water = hr.tower_leaving_water_c(
        wb, p.f("cooling_tower.approach_k"), p.f("cooling_tower.min_leaving_water_c")
    )
    circulation = tower_heat / (p.f("fluids.water_cp_j_per_kg_k") * range_k)
    if p.options.tower_evaporation == "saturated_exit":
        # Air flow at full speed follows the design water-to-air ratio L/G; fan speed
        # follows the load fraction (the same law as the fan power).
        full_air = tower_capacity / (p.f("fluids.water_cp_j_per_kg_k") * range_k)
        full_air /= p.f("cooling_tower.water_to_air_ratio")
        x = tower_heat / tower_capacity
        speed = np.where(x > 0, np.clip(x, p.f("cooling_tower.min_fan_speed_fraction"), 1.0), 0.0)
        w_in = psy.humidity_ratio_from_wet_bulb_kg_per_kg(db, wb, pressure_pa)
        air = full_air * speed * np.maximum(x, 1.0)
        evap = wt.evaporation_saturated_exit_kg_per_s(tower_heat, air, db, w_in, pressure_pa)
    else:
        evap = wt.evaporation_kg_per_s(
            tower_heat, p.f("cooling_tower.latent_fraction"), t_water + range_k / 2.0
        )
    drift = wt.drift_kg_per_s(circulation, p.f("cooling_tower.drift_fraction"))
    blow = wt.blowdown_kg_per_s(evap, drift, p.f("cooling_tower.cycles_of_concentration"))
    # Adiabatic pre-cooling water of dry coolers.
    if any(lp.source == "dry" for lp in loops) and p.options.adiabatic_assist:
        on = db >= p.f("dry_cooler.adiabatic_switch_on_c")
        pre = hr.adiabatic_inlet_air_c(db, wb, p.f("dry_cooler.adiabatic_effectiveness"), on)
        air_kg_s = dry_heat / (
            p.f("fluids.air_cp_j_per_kg_k") * p.f("dry_cooler.air_temperature_rise_k")
        )
        sensible_w = air_kg_s * p.f("fluids.air_cp_j_per_kg_k") * (db - pre)
        evap_ad = wt.evaporation_kg_per_s(sensible_w, 1.0, wb)
        evap = evap + evap_ad
        blow = blow + evap_ad / (p.f("dry_cooler.adiabatic_cycles_of_concentration") - 1.0)
    chillers = sum((r.chiller_power_w for r in results.values()), zeros)
    pumps = cdu_pumps + cw_pumps + sum((r.pump_w for r in results.values()), zeros)
    fans = crah_fans + tower_fans + dry_fans + free_fans
    cols.update(
        cdu_pumps_mw=cdu_pumps / MW,
        crah_fans_mw=crah_fans / MW,
        tower_fans_mw=tower_fans / MW,
        dry_cooler_fans_mw=dry_fans / MW,
        free_cooling_fans_mw=free_fans / MW,
        condenser_pumps_mw=cw_pumps / MW,
        facility_pumps_mw=results["liquid"].pump_w / MW if "liquid" in results else zeros,
        chilled_water_pumps_mw=results["air"].pump_w / MW,
        fans_mw=fans / MW,
        pumps_mw=pumps / MW,
        chillers_mw=chillers / MW,
        liquid_loop_chillers_mw=results["liquid"].chiller_power_w / MW
        if "liquid" in results
        else zeros,
        air_loop_chillers_mw=results["air"].chiller_power_w / MW,
        cooling_power_mw=(fans + pumps + chillers) / MW,
        tower_heat_mw=tower_heat / MW,
        dry_cooler_heat_mw=dry_heat / MW,
        evaporation_m3_per_h=wt.kg_per_s_to_m3_per_h(evap, rho_w),
        drift_m3_per_h=wt.kg_per_s_to_m3_per_h(drift, rho_w),
        blowdown_m3_per_h=wt.kg_per_s_to_m3_per_h(blow, rho_w),
    )
    cols["makeup_water_m3_per_h"] = (
        cols["evaporation_m3_per_h"] + cols["drift_m3_per_h"] + cols["blowdown_m3_per_h"]
    )
    return PlantHours(cols, results)
