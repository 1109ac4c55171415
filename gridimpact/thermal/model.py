"""``run_thermal``: size the cooling plant and simulate it for every hour."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.case.cooling import CoolingSection
from gridimpact.errors import CaseError
from gridimpact.thermal.design import CLASS_TOLERANCE_K, design_findings, design_table
from gridimpact.thermal.params import ThermalParameters, load_parameters
from gridimpact.thermal.plant import MW, LoopSpec, PlantHours, loop_specs, operate
from gridimpact.thermal.result import ThermalResult
from gridimpact.thermal.sizing import design_basis, size_plant, survival_check
from gridimpact.weather import Weather

__all__ = ["ThermalResult", "run_thermal"]

FloatArray = npt.NDArray[np.float64]


def run_thermal(
    section: CoolingSection,
    it_power_mw: pd.Series,
    liquid_fraction: float,
    electrical_loss_heat_mw: pd.Series,
    weather: Weather,
) -> ThermalResult:
    """Size the cooling plant at design conditions and simulate every hour.

    Parameters
    ----------
    section : CoolingSection
        Architecture and overrides of the data-file defaults.
    it_power_mw : pandas.Series
        Hourly IT power, MW, on ``weather.hourly.index``.
    liquid_fraction : float
        Share of IT heat captured by direct-to-chip liquid cooling, 0-1
        (ignored, i.e. 0, for ``air_crah_chilled_water``).
    electrical_loss_heat_mw : pandas.Series
        Hourly UPS / transformer loss heat, MW (rejected by the air side).
    weather : Weather
        Hourly weather and design conditions.

    Returns
    -------
    ThermalResult

    Raises
    ------
    CaseError
        Invalid inputs (misaligned series, fraction out of range).
    SolverError
        A chiller computes a COP at or above the Carnot bound (bad curve data).

    References
    ----------
    .. [1] ASHRAE Handbook--Fundamentals (2009) ch.14 (design conditions).
    .. [2] EnergyPlus Engineering Reference (chillers, towers, pumps).
    """
    if not 0.0 <= liquid_fraction <= 1.0:
        raise CaseError(
            "case", "compute.liquid_fraction", f"must be within [0, 1], got {liquid_fraction}"
        )
    if not it_power_mw.index.equals(weather.hourly.index):
        raise CaseError(
            "case", "weather", "IT power series and weather must share the same hourly index"
        )
    values = it_power_mw.to_numpy(float)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise CaseError("case", "compute", "hourly IT power must be finite and non-negative")
    if not electrical_loss_heat_mw.index.equals(it_power_mw.index):
        raise CaseError(
            "case", "facility", "electrical loss heat and IT power must share the same hourly index"
        )
    losses = electrical_loss_heat_mw.fillna(0.0)
    p = load_parameters(section)
    lf = 0.0 if section.architecture == "air_crah_chilled_water" else float(liquid_fraction)
    loops = loop_specs(p, has_liquid=lf > 0.0)
    it = it_power_mw.to_numpy(float) * MW
    loss = losses.to_numpy(float) * MW
    liquid = it * lf
    air = it * (1.0 - lf) + loss
    it_peak, loss_peak = float(np.max(it, initial=0.0)), float(np.max(loss, initial=0.0))
    sizes = size_plant(p, loops, it_peak, it_peak * lf, it_peak * (1 - lf) + loss_peak, weather)
    w = weather.hourly
    hours = operate(
        p,
        loops,
        it,
        liquid,
        air,
        w["dry_bulb_c"].to_numpy(float),
        w["wet_bulb_c"].to_numpy(float),
        sizes,
        pressure_pa=weather.pressure_pa,
    )
    hourly = _frame(p, loops, hours, it, liquid, air, loss, w, it_power_mw.index)
    basis = design_basis(loops)
    dd_weather = weather.design_day(basis)
    n = len(dd_weather)
    dd_it = np.full(n, it_peak)
    dd_hours = operate(
        p,
        loops,
        dd_it,
        dd_it * lf,
        np.full(n, it_peak * (1 - lf) + loss_peak),
        dd_weather["dry_bulb_c"].to_numpy(float),
        dd_weather["wet_bulb_c"].to_numpy(float),
        sizes,
        pressure_pa=weather.pressure_pa,
    )
    design_day = _frame(
        p,
        loops,
        dd_hours,
        dd_it,
        dd_it * lf,
        np.full(n, it_peak * (1 - lf) + loss_peak),
        np.full(n, loss_peak),
        dd_weather,
        dd_weather.index,
    )
    points, surv = survival_check(
        p, loops, it_peak, it_peak * lf, it_peak * (1 - lf) + loss_peak, weather, sizes
    )
    findings, ok = design_findings(p, loops, hourly, design_day, basis, points, surv, sizes)
    table = design_table(
        p, loops, sizes, design_day, it_peak * lf, it_peak * (1 - lf) + loss_peak, basis
    )
    return ThermalResult(
        architecture=section.architecture,
        hourly=hourly,
        design_day=design_day,
        design_table=table,
        design_ok=ok,
        design_findings=tuple(findings),
        parameters=p.sourced,
        water_class=p.options.water_class if lf > 0 else "",
        water_class_limit_c=(p.class_limit_c if lf > 0 else p.f("air_loop.chilled_water_supply_c")),
        design_basis=basis,
    )


def _frame(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    hours: PlantHours,
    it: FloatArray,
    liquid: FloatArray,
    air: FloatArray,
    loss: FloatArray,
    w: pd.DataFrame,
    index: pd.Index,
) -> pd.DataFrame:
    main = hours.loops[loops[0].name]
    air_loop = hours.loops["air"]
    liquid_loop = hours.loops.get("liquid")
    supply = liquid_loop.supply_c if liquid_loop is not None else air_loop.supply_c
    limit = p.class_limit_c if liquid_loop is not None else p.f("air_loop.chilled_water_supply_c")
    served = sum((r.chiller_load_w for r in hours.loops.values()), np.zeros_like(it))
    power = sum((r.chiller_power_w for r in hours.loops.values()), np.zeros_like(it))
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(power > 0, served / power, np.nan)
    carnot = np.fmin.reduce([r.carnot_cop for r in hours.loops.values()])
    frame = pd.DataFrame(
        {
            "it_power_mw": it / MW,
            "heat_load_mw": (it + loss) / MW,
            "heat_to_liquid_mw": liquid / MW,
            "heat_to_air_mw": air / MW,
            **hours.columns,
            "economizer": main.economizer_fraction >= 1.0,
            "economizer_fraction": main.economizer_fraction,
            "facility_supply_temp_c": supply,
            "chilled_water_supply_temp_c": air_loop.supply_c,
            "water_class_exceeded": supply > limit + CLASS_TOLERANCE_K,
            "chiller_cop": cop,
            "chiller_carnot_cop": carnot,
            "dry_bulb_c": w["dry_bulb_c"].to_numpy(float),
            "wet_bulb_c": w["wet_bulb_c"].to_numpy(float),
        },
        index=index,
    )
    return frame
