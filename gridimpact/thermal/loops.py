"""Water loops of a cooling plant: their cold sources, economizers and chillers.

References
----------
.. [1] ASHRAE Standard 90.1-2019, 6.5.1.2 (integrated waterside economizer).
.. [2] U.S. DOE, *EnergyPlus Engineering Reference* (Chiller:Electric:EIR, pumps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gridimpact.errors import SolverError
from gridimpact.thermal import chiller as ch
from gridimpact.thermal import heat_rejection as hr
from gridimpact.thermal import hydraulics as hy
from gridimpact.thermal.params import ThermalParameters

FloatArray = npt.NDArray[np.float64]
MW = 1e6
UNBOUNDED = 10**9


@dataclass(frozen=True)
class LoopSpec:
    """Static description of one loop."""

    name: str  # "liquid" | "air"
    source: str  # "tower" | "dry" | "air_chiller"
    chillers: str  # "" | "water_cooled_chiller" | "air_cooled_chiller"
    supply_c: float
    delta_t_k: float
    pump_head_kpa: float


@dataclass(frozen=True)
class Sizes:
    """Installed equipment (N = units needed at design, installed = N + spares)."""

    chillers_needed: dict[str, int]
    chillers_installed: dict[str, int]
    tower_cells_needed: int
    dry_coolers_needed: int
    design_heat_w: dict[str, float]  # per loop, for pump part-load
    design_tower_heat_w: float
    design_dry_heat_w: float
    design_tcs_heat_w: float
    design_crah_heat_w: float


def unbounded_sizes(loops: tuple[LoopSpec, ...]) -> Sizes:
    """Sizes with unlimited chillers (used for the sizing pass)."""
    big = {loop.name: UNBOUNDED for loop in loops if loop.chillers}
    return Sizes(big, big, UNBOUNDED, UNBOUNDED, {}, 0.0, 0.0, 0.0, 0.0)


def loop_specs(p: ThermalParameters, has_liquid: bool) -> tuple[LoopSpec, ...]:
    """The loops of the selected architecture."""
    o = p.options
    loops: list[LoopSpec] = []
    if has_liquid:
        if o.name == "liquid_towers":
            source, chillers = "tower", ("water_cooled_chiller" if o.chiller_trim else "")
        elif o.name == "liquid_dry_coolers":
            source, chillers = "dry", ("air_cooled_chiller" if o.chiller_trim else "")
        else:
            source, chillers = "air_chiller", "air_cooled_chiller"
        loops.append(
            LoopSpec(
                "liquid",
                source,
                chillers,
                p.class_limit_c,
                p.f("liquid_loop.fws_delta_t_k"),
                p.f("liquid_loop.fws_pump_head_kpa"),
            )
        )
    air_source = "tower" if o.air_side == "water_cooled_chillers" else "air_chiller"
    loops.append(
        LoopSpec(
            "air",
            air_source,
            o.air_side.rstrip("s"),
            p.f("air_loop.chilled_water_supply_c"),
            p.f("air_loop.chilled_water_delta_t_k"),
            p.f("air_loop.chilled_water_pump_head_kpa"),
        )
    )
    return tuple(loops)


def _pump_eta(p: ThermalParameters) -> float:
    return p.f("pumps.pump_efficiency") * p.f("pumps.motor_efficiency")


def pump_power_w(
    p: ThermalParameters,
    heat_w: FloatArray,
    design_heat_w: float,
    flow_design_m3_s: float,
    head_kpa: float,
) -> FloatArray:
    """Variable-speed pump power of a loop whose flow follows its heat (W)."""
    design_w = float(hy.flow_power_w(flow_design_m3_s, head_kpa * 1e3, _pump_eta(p)))
    frac = heat_w / design_heat_w if design_heat_w > 0 else np.zeros_like(heat_w)
    return hy.part_load_power_w(
        design_w, frac, p.f("pumps.part_load_exponent"), p.f("pumps.min_flow_fraction")
    )


def water_flow_m3_per_s(
    p: ThermalParameters, heat_w: float | FloatArray, delta_t_k: float
) -> FloatArray:
    """Water flow carrying ``heat_w`` at ``delta_t_k``."""
    return hy.volume_flow_for_heat_m3_per_s(
        heat_w, p.f("fluids.water_cp_j_per_kg_k"), p.f("fluids.water_density_kg_per_m3"), delta_t_k
    )


def source_water_c(
    p: ThermalParameters, source: str, db: FloatArray, wb: FloatArray
) -> tuple[FloatArray, float]:
    """Water temperature the cold source can deliver, and the HX approach to add."""
    hx = p.f("plant.economizer_hx_approach_k")
    if source == "tower":
        t = hr.tower_leaving_water_c(
            wb, p.f("cooling_tower.approach_k"), p.f("cooling_tower.min_leaving_water_c")
        )
        return t, hx
    if source == "dry":
        on = p.options.adiabatic_assist & (db >= p.f("dry_cooler.adiabatic_switch_on_c"))
        air = hr.adiabatic_inlet_air_c(db, wb, p.f("dry_cooler.adiabatic_effectiveness"), on)
        return air + p.f("dry_cooler.approach_k"), hx
    return db + p.f("air_cooled_chiller.free_cooling_approach_k"), 0.0


def condenser_entering_c(
    p: ThermalParameters, chillers: str, db: FloatArray, wb: FloatArray
) -> FloatArray:
    """Entering condenser fluid temperature of the loop's chillers."""
    if chillers == "water_cooled_chiller":
        return hr.tower_leaving_water_c(
            wb, p.f("cooling_tower.approach_k"), p.f("cooling_tower.min_leaving_water_c")
        )
    return db + p.f("air_cooled_chiller.condenser_recirculation_k")


@dataclass(frozen=True)
class LoopResult:
    """Hourly results of one loop."""

    heat_w: FloatArray
    economizer_fraction: FloatArray
    economizer_heat_w: FloatArray
    chiller_load_w: FloatArray
    chiller_power_w: FloatArray
    chiller_units_running: FloatArray
    chiller_cop: FloatArray
    carnot_cop: FloatArray
    condenser_c: FloatArray
    supply_c: FloatArray
    pump_w: FloatArray


def run_loop(
    p: ThermalParameters,
    loop: LoopSpec,
    heat_w: FloatArray,
    db: FloatArray,
    wb: FloatArray,
    sizes: Sizes,
) -> LoopResult:
    """Operate one loop for every hour.

    References
    ----------
    .. [1] ASHRAE Standard 90.1-2019, 6.5.1.2 (integrated waterside economizer).
    .. [2] EnergyPlus Engineering Reference, Chiller:Electric:EIR.
    """
    ret_c = loop.supply_c + loop.delta_t_k
    src_c, hx = source_water_c(p, loop.source, db, wb)
    frac = hr.economizer_fraction(src_c, hx, loop.supply_c, ret_c)
    design_heat = sizes.design_heat_w.get(loop.name, float(np.max(heat_w, initial=0.0)))
    flow_design = float(water_flow_m3_per_s(p, design_heat, loop.delta_t_k))
    pumps = pump_power_w(p, heat_w, design_heat, flow_design, loop.pump_head_kpa)
    zeros = np.zeros_like(heat_w)
    nan = np.full_like(heat_w, np.nan)
    if not loop.chillers:
        supply = np.maximum(loop.supply_c, src_c + hx)
        return LoopResult(
            heat_w, frac, heat_w.copy(), zeros, zeros, zeros, nan, nan, nan, supply, pumps
        )
    c = loop.chillers
    cond = condenser_entering_c(p, c, db, wb)
    lchw_range = p[f"{c}.leaving_chilled_range_c"]
    cond_range = p[f"{c}.entering_condenser_range_c"]
    unit_cap = ch.chiller_available_capacity_w(
        p.f(f"{c}.unit_capacity_mw") * MW,
        p[f"{c}.capft"],
        loop.supply_c,
        cond,
        lchw_range,
        cond_range,
    )
    unit_cap = np.where(cond <= p.f(f"{c}.max_entering_condenser_c"), unit_cap, 0.0)
    load = heat_w * (1.0 - frac)
    installed = sizes.chillers_installed.get(loop.name, 0)
    capacity = installed * unit_cap
    served = np.minimum(load, capacity)
    deficit = load - served
    running = np.where(served > 0, np.ceil(served / np.maximum(unit_cap, 1.0) - 1e-9), 0.0)
    power = ch.chiller_plant_power_w(
        served,
        running,
        unit_cap,
        p.f(f"{c}.reference_cop"),
        p[f"{c}.eirft"],
        p[f"{c}.eirfplr"],
        loop.supply_c,
        cond,
        lchw_range,
        cond_range,
        p.f(f"{c}.min_part_load_ratio"),
        p.f(f"{c}.extrapolation_min_lift_k"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(power > 0, served / power, np.nan)
    carnot = np.where(power > 0, ch.carnot_cop(loop.supply_c, cond), np.nan)
    if np.any(cop >= carnot):
        i = int(np.nanargmax(cop - carnot))
        raise SolverError(
            f"{loop.name} loop chillers: COP {cop[i]:.2f} reaches the Carnot bound {carnot[i]:.2f} "
            f"at hour {i} (check the chiller curves in cooling.toml)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rise = np.where(heat_w > 0, loop.delta_t_k * deficit / heat_w, 0.0)
    supply = loop.supply_c + rise
    return LoopResult(
        heat_w, frac, heat_w * frac, served, power, running, cop, carnot, cond, supply, pumps
    )
