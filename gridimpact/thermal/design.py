"""Design findings and the equipment table of a sized plant."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.thermal import hydraulics as hy
from gridimpact.thermal.loops import MW, LoopSpec, Sizes, water_flow_m3_per_s
from gridimpact.thermal.params import ThermalParameters
from gridimpact.thermal.plant import PlantHours
from gridimpact.thermal.sizing import with_spares

#: Tolerance on the water-class check (numerical noise), K.
CLASS_TOLERANCE_K = 0.05


def design_findings(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    hourly: pd.DataFrame,
    design_day: pd.DataFrame,
    basis: str,
    points: tuple[Any, ...],
    surv: PlantHours,
    sizes: Sizes,
) -> tuple[list[str], bool]:
    """Findings of the design check, and whether the plant passes it.

    Rule: the plant passes when the facility water stays within its class (the
    chilled water within its setpoint for air-only plants, and for the air loop of
    liquid plants) in **every hour** of the typical year, on the 0.4 % design day
    and at both survival points, and no chiller sees a condenser inlet above its
    limit. An exceeded hour in a typical year means the design basis did not
    bound the hours it is meant to bound, so it fails the check (tolerance
    :data:`CLASS_TOLERANCE_K`).

    References
    ----------
    .. [1] ASHRAE TC 9.9, *Emergence and Expansion of Liquid Cooling in Mainstream
       Data Centers* (2021), Table 1: facility water classes W17-W45 are maximum
       supply temperatures.
    .. [2] ASHRAE Handbook--Fundamentals (2009), ch.14: 0.4 % design conditions,
       extreme wet-bulb and n-year dry-bulb.
    """
    findings: list[str] = []
    ok = True
    has_liquid = any(lp.name == "liquid" for lp in loops)
    label = f"facility water above {p.options.water_class} limit ({p.class_limit_c:.0f} °C)"
    limit = p.class_limit_c
    if not has_liquid:
        limit = p.f("air_loop.chilled_water_supply_c")
        label = f"chilled water above its {limit:.0f} °C setpoint"
    chw_set = p.f("air_loop.chilled_water_supply_c")
    for name, frame in (("typical year", hourly), (f"0.4 % {basis} design day", design_day)):
        # Rule: no hour above the class, in the typical year as on the design day; the
        # design basis is meant to bound those hours (ASHRAE TC 9.9 classes are maxima).
        exceeded = frame["water_class_exceeded"].to_numpy(bool)
        if exceeded.any():
            ok = False
            margin = float((frame["facility_supply_temp_c"] - limit).max())
            findings.append(
                f"{name}: {label} for {int(exceeded.sum())} h (max margin {margin:.1f} K)"
            )
        chw = frame["chilled_water_supply_temp_c"].to_numpy(float)
        chw_over = chw > chw_set + CLASS_TOLERANCE_K
        if has_liquid and chw_over.any():
            ok = False
            findings.append(
                f"{name}: chilled water above its {chw_set:.0f} °C setpoint for "
                f"{int(chw_over.sum())} h (max margin {float(chw.max()) - chw_set:.1f} K)"
            )
    main = "liquid" if has_liquid else "air"
    for i, point in enumerate(points):
        supply = float(surv.loops[main].supply_c[i])
        if supply > limit + CLASS_TOLERANCE_K:
            ok = False
            findings.append(f"survival at {point.label}: {label} by {supply - limit:.1f} K")
        chw_surv = float(surv.loops["air"].supply_c[i])
        if has_liquid and chw_surv > chw_set + CLASS_TOLERANCE_K:
            ok = False
            findings.append(
                f"survival at {point.label}: chilled water "
                f"{chw_surv - chw_set:.1f} K above setpoint"
            )
    for loop in loops:
        if loop.chillers:
            c = loop.chillers
            max_c = p.f(f"{c}.max_entering_condenser_c")
            cond = float(np.max(surv.loops[loop.name].condenser_c))
            if cond > max_c:
                ok = False
                kind = c.replace("_", " ")
                findings.append(
                    f"{kind}s ({loop.name} loop) see {cond:.1f} °C condenser inlet at survival, "
                    f"above their {max_c:.0f} °C limit by {cond - max_c:.1f} K"
                )
    if not findings:
        findings.append(
            f"plant holds {p.options.water_class if has_liquid else 'chilled-water setpoint'} "
            "on the design day, at the survival points and in every hour of the year"
        )
    return findings, ok


def design_table(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    sizes: Sizes,
    dd: pd.DataFrame,
    liquid_w: float,
    air_w: float,
    basis: str,
    resized: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Equipment table of the installed plant (``resized``: loops grown by the resizing)."""
    spare = p.f("plant.units_per_redundant_spare")
    cond = f"peak IT on 0.4 % {basis} design day"
    rows: list[dict[str, Any]] = []

    def add(
        equipment: str,
        needed: int,
        unit: float,
        power: float,
        condition: str,
        note: str,
        flow_m3_per_h: float = float("nan"),
    ) -> None:
        count = with_spares(needed, spare)
        rows.append(
            dict(
                equipment=equipment,
                count=count,
                needed=needed,
                unit_capacity_mw=unit,
                total_capacity_mw=unit * count,
                design_power_mw=power,
                flow_m3_per_h=flow_m3_per_h,
                design_condition=condition,
                note=note,
            )
        )

    pump_unit = p.f("pumps.unit_flow_m3_per_s")
    if liquid_w > 0:
        cdu_mw = p.f("liquid_loop.cdu_unit_capacity_mw")
        dt = p.f("liquid_loop.tcs_delta_t_k")
        cp, rho = (
            p.f("fluids.tcs_coolant_cp_j_per_kg_k"),
            p.f("fluids.tcs_coolant_density_kg_per_m3"),
        )
        flow = float(hy.volume_flow_for_heat_m3_per_s(liquid_w, cp, rho, dt)) * 3600
        lpm = hy.liters_per_minute_per_kw(cp, rho, dt)
        add(
            "coolant distribution unit (CDU)",
            math.ceil(liquid_w / (cdu_mw * MW) - 1e-9),
            cdu_mw,
            float(dd["cdu_pumps_mw"].max()),
            "peak IT heat to liquid",
            f"TCS flow {lpm:.2f} L/min per kW at ΔT {dt:.0f} K",
            flow,
        )
        fws = float(water_flow_m3_per_s(p, sizes.design_heat_w["liquid"], loops[0].delta_t_k))
        add(
            "facility water pumps",
            math.ceil(fws / pump_unit - 1e-9),
            float("nan"),
            float(dd["facility_pumps_mw"].max()),
            cond,
            "variable speed",
            fws * 3600,
        )
    rear_door = p.options.air_terminal == "rear_door_hx"
    term_mw = p.f(
        "air_loop.rear_door_unit_capacity_mw" if rear_door else "air_loop.crah_unit_capacity_mw"
    )
    add(
        "rear-door heat exchanger" if rear_door else "CRAH / fan wall",
        math.ceil(air_w / (term_mw * MW) - 1e-9),
        term_mw,
        float(dd["crah_fans_mw"].max()),
        "peak air-side heat",
        "passive doors, server fans move the air" if rear_door else "chilled-water coils",
    )
    chw = float(
        water_flow_m3_per_s(p, sizes.design_heat_w["air"], p.f("air_loop.chilled_water_delta_t_k"))
    )
    add(
        "chilled water pumps",
        math.ceil(chw / pump_unit - 1e-9),
        float("nan"),
        float(dd["chilled_water_pumps_mw"].max()),
        cond,
        "variable speed",
        chw * 3600,
    )
    for loop in loops:
        if not loop.chillers:
            continue
        c = loop.chillers
        unit = p.f(f"{c}.unit_capacity_mw")
        power = float(dd[f"{loop.name}_loop_chillers_mw"].max())
        trim = loop.name == "liquid" and loop.source in ("tower", "dry")
        add(
            f"{c.replace('_', ' ')} ({'facility water trim' if trim else loop.name + ' loop'})",
            sizes.chillers_needed.get(loop.name, 0),
            unit,
            power,
            "resized to hold its setpoint in every checked hour"
            if loop.name in resized
            else ("survival point (trim duty)" if trim else cond),
            f"leaving water {loop.supply_c:.0f} °C; reference COP {p.f(f'{c}.reference_cop'):.2f}",
        )
    if sizes.tower_cells_needed > 0:
        cell = p.f("cooling_tower.cell_capacity_mw")
        cw = float(water_flow_m3_per_s(p, sizes.design_tower_heat_w, p.f("cooling_tower.range_k")))
        add(
            "cooling tower cell",
            sizes.tower_cells_needed,
            cell,
            float(dd["tower_fans_mw"].max()),
            "0.4 % evaporation wet-bulb",
            f"approach {p.f('cooling_tower.approach_k'):.1f} K, "
            f"range {p.f('cooling_tower.range_k'):.1f} K",
            cw * 3600,
        )
        add(
            "condenser water pumps",
            math.ceil(cw / pump_unit - 1e-9),
            float("nan"),
            float(dd["condenser_pumps_mw"].max()),
            cond,
            "tower loop",
            cw * 3600,
        )
        add(
            "economizer plate heat exchanger",
            sizes.tower_cells_needed,
            cell,
            0.0,
            cond,
            f"approach {p.f('plant.economizer_hx_approach_k'):.1f} K",
        )
    if sizes.dry_coolers_needed > 0:
        unit = p.f("dry_cooler.unit_capacity_mw")
        add(
            "dry cooler",
            sizes.dry_coolers_needed,
            unit,
            float(dd["dry_cooler_fans_mw"].max()),
            "0.4 % cooling dry-bulb",
            "adiabatic assist" if p.options.adiabatic_assist else "dry only",
        )
    return pd.DataFrame(rows)
