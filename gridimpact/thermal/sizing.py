"""Plant sizing at ASHRAE design conditions and the survival check.

Heat-rejection equipment and chillers are counted for the worst hour of the
0.4 % design days (evaporative basis for evaporative equipment, dry-bulb basis
for dry equipment; each component is sized at its worse of the two) at the
peak IT load. Chillers that only *trim* a tower- or dry-cooler-fed liquid loop
carry no load on the 0.4 % day in most climates, so they are sized for the
survival point instead. One spare is added per block of units (N+1).
The survival check runs the installed plant (spares included) at the extreme
annual wet-bulb and at the 50-year dry-bulb.

References
----------
.. [1] ASHRAE Handbook--Fundamentals (2009), ch.14: 0.4 % design conditions,
   extreme annual wet-bulb, n-year return-period dry-bulb.
.. [2] Uptime Institute, *Tier Standard: Topology* (N+1 component redundancy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.thermal import chiller as ch
from gridimpact.thermal.params import ThermalParameters
from gridimpact.thermal.plant import MW, LoopSpec, PlantHours, Sizes, operate, unbounded_sizes
from gridimpact.thermal.result import DesignBasis
from gridimpact.weather import Weather
from gridimpact.weather import psychrometrics as psy

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DesignPoint:
    """One ambient condition at which the plant is checked."""

    label: str
    dry_bulb_c: float
    wet_bulb_c: float


def design_basis(loops: tuple[LoopSpec, ...]) -> DesignBasis:
    """Basis of the reported design day: ``"evaporative"`` for tower plants, else ``"dry"``."""
    main = loops[0]
    return "evaporative" if main.source == "tower" else "dry"


def survival_points(weather: Weather) -> tuple[DesignPoint, DesignPoint]:
    """Extreme wet-bulb (0.4 % coincident depression) and 50-year dry-bulb (0.4 % moisture)."""
    d = weather.design
    depression = d.evap_mcdb_004_c - d.evap_wb_004_c
    wet = DesignPoint(
        f"extreme wet-bulb {d.extreme_wb_c:.1f} °C", d.extreme_wb_c + depression, d.extreme_wb_c
    )
    dew = psy.as_float(
        psy.dew_point_from_wet_bulb_c(d.cooling_db_004_c, d.cooling_mcwb_004_c, weather.pressure_pa)
    )
    wb_dry = psy.as_float(psy.wet_bulb_from_dew_point_c(d.db_50yr_c, dew, weather.pressure_pa))
    dry = DesignPoint(f"50-year dry-bulb {d.db_50yr_c:.1f} °C", d.db_50yr_c, wb_dry)
    return wet, dry


def with_spares(needed: int, units_per_spare: float) -> int:
    """Installed count: N plus one spare per block of ``units_per_spare`` (N+1 per block)."""
    if needed <= 0:
        return 0
    return needed + math.ceil(needed / units_per_spare)


def _frames(weather: Weather) -> pd.DataFrame:
    return pd.concat([weather.design_day("evaporative"), weather.design_day("dry")])


def size_plant(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    it_w: float,
    liquid_w: float,
    air_w: float,
    weather: Weather,
) -> Sizes:
    """Count the equipment for the peak load at the design conditions.

    Parameters
    ----------
    p : ThermalParameters
    loops : tuple of LoopSpec
    it_w, liquid_w, air_w : float
        Peak IT power, heat to liquid and heat to air, W.
    weather : Weather
        Supplies the design days and survival conditions.

    Returns
    -------
    Sizes
    """
    days = _frames(weather)
    db = days["dry_bulb_c"].to_numpy(float)
    wb = days["wet_bulb_c"].to_numpy(float)
    wet, dry = survival_points(weather)
    n = db.size
    hours = operate(
        p,
        loops,
        np.full(n, it_w),
        np.full(n, liquid_w),
        np.full(n, air_w),
        db,
        wb,
        unbounded_sizes(loops),
        pressure_pa=weather.pressure_pa,
    )
    surv = operate(
        p,
        loops,
        np.full(2, it_w),
        np.full(2, liquid_w),
        np.full(2, air_w),
        np.array([wet.dry_bulb_c, dry.dry_bulb_c]),
        np.array([wet.wet_bulb_c, dry.wet_bulb_c]),
        unbounded_sizes(loops),
        pressure_pa=weather.pressure_pa,
    )
    spare = p.f("plant.units_per_redundant_spare")
    needed: dict[str, int] = {}
    installed: dict[str, int] = {}
    for loop in loops:
        if not loop.chillers:
            continue
        trim = loop.name == "liquid" and loop.source in ("tower", "dry")
        sets = [hours] + ([surv] if trim or p.options.size_for_survival else [])
        count = 0
        for h in sets:
            r = h.loops[loop.name]
            cap = _unit_capacity_w(p, loop, r.condenser_c)
            with np.errstate(divide="ignore", invalid="ignore"):
                units = np.where(
                    cap > 0, r.chiller_load_w / cap, np.where(r.chiller_load_w > 0, np.inf, 0.0)
                )
            finite = units[np.isfinite(units)]
            count = max(count, math.ceil(float(np.max(finite, initial=0.0)) - 1e-9))
        needed[loop.name] = count
        installed[loop.name] = with_spares(count, spare)
    sized = [hours, surv] if p.options.size_for_survival else [hours]
    tower_heat = max(float(np.max(h.columns["tower_heat_mw"])) for h in sized) * MW
    dry_heat = max(float(np.max(h.columns["dry_cooler_heat_mw"])) for h in sized) * MW
    return Sizes(
        chillers_needed=needed,
        chillers_installed=installed,
        tower_cells_needed=math.ceil(
            tower_heat / (p.f("cooling_tower.cell_capacity_mw") * MW) - 1e-9
        ),
        dry_coolers_needed=math.ceil(dry_heat / (p.f("dry_cooler.unit_capacity_mw") * MW) - 1e-9),
        design_heat_w={name: float(np.max(r.heat_w)) for name, r in hours.loops.items()},
        design_tower_heat_w=tower_heat,
        design_dry_heat_w=dry_heat,
        design_tcs_heat_w=liquid_w,
        design_crah_heat_w=air_w,
    )


def _unit_capacity_w(p: ThermalParameters, loop: LoopSpec, condenser_c: FloatArray) -> FloatArray:
    c = loop.chillers
    cap = ch.chiller_available_capacity_w(
        p.f(f"{c}.unit_capacity_mw") * MW,
        p[f"{c}.capft"],
        loop.supply_c,
        condenser_c,
        p[f"{c}.leaving_chilled_range_c"],
        p[f"{c}.entering_condenser_range_c"],
    )
    result: FloatArray = np.where(condenser_c <= p.f(f"{c}.max_entering_condenser_c"), cap, 0.0)
    return result


def survival_check(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    it_w: float,
    liquid_w: float,
    air_w: float,
    weather: Weather,
    sizes: Sizes,
) -> tuple[tuple[DesignPoint, ...], PlantHours]:
    """Operate the installed plant (spares included) at the survival points."""
    points = survival_points(weather)
    db = np.array([pt.dry_bulb_c for pt in points])
    wb = np.array([pt.wet_bulb_c for pt in points])
    n = len(points)
    all_units = Sizes(
        sizes.chillers_installed,
        sizes.chillers_installed,
        sizes.tower_cells_needed,
        sizes.dry_coolers_needed,
        sizes.design_heat_w,
        sizes.design_tower_heat_w,
        sizes.design_dry_heat_w,
        sizes.design_tcs_heat_w,
        sizes.design_crah_heat_w,
    )
    hours = operate(
        p,
        loops,
        np.full(n, it_w),
        np.full(n, liquid_w),
        np.full(n, air_w),
        db,
        wb,
        all_units,
        pressure_pa=weather.pressure_pa,
    )
    return points, hours
