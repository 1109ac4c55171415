"""``run_thermal``: size the cooling plant and simulate it for every hour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.case.cooling import CoolingSection
from gridimpact.errors import CaseError
from gridimpact.thermal.design import CLASS_TOLERANCE_K, design_findings, design_table
from gridimpact.thermal.params import ThermalParameters, load_parameters
from gridimpact.thermal.plant import MW, LoopSpec, PlantHours, Sizes, loop_specs, operate
from gridimpact.thermal.resize import chiller_group, grown_sizes, short_loops
from gridimpact.thermal.result import DesignBasis, PlantResizing, ThermalResult
from gridimpact.thermal.sizing import design_basis, size_plant, survival_check
from gridimpact.weather import Weather

__all__ = ["PlantResizing", "ThermalResult", "run_thermal"]

FloatArray = npt.NDArray[np.float64]


def run_thermal(
    section: CoolingSection,
    it_power_mw: pd.Series,
    liquid_fraction: float,
    electrical_loss_heat_mw: pd.Series,
    weather: Weather,
) -> ThermalResult:
    """Size the cooling plant at design conditions, resize it until it passes, simulate every hour.

    The plant is first sized for the 0.4 % design days. If it fails its own design
    check (:func:`~gridimpact.thermal.design.design_findings`: any hour of the
    typical year, the design day or a survival point above the class / setpoint),
    the chillers of the short loops are added step by step
    (:mod:`gridimpact.thermal.resize`) until it passes or the 2N cap is reached.
    The returned hourly and design-day operation is that of the resized plant;
    ``ThermalResult.resizing`` records what changed and why.

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
    .. [3] ASHRAE TC 9.9 (2021) liquid-cooling white paper, Table 1 (W17-W45).
    .. [4] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.39 Condensers,
       ch.40 Cooling Towers, ch.43 Liquid-Chilling Systems.
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
    peak_air = it_peak * (1 - lf) + loss_peak
    initial = size_plant(p, loops, it_peak, it_peak * lf, peak_air, weather)
    flows = _Flows(it, liquid, air, loss, it_peak, lf, peak_air, loss_peak)
    checked = _check(p, loops, initial, flows, weather, it_power_mw.index)
    first = checked
    sizes, steps, cap_reached = initial, 0, False
    grow, unresizable = short_loops(p, loops, checked.sets)
    while not checked.ok and grow:
        bigger = grown_sizes(p, initial, sizes, grow)
        if bigger is None:
            cap_reached = True
            break
        sizes, steps = bigger, steps + 1
        checked = _check(p, loops, sizes, flows, weather, it_power_mw.index)
        grow, unresizable = short_loops(p, loops, checked.sets)
    resizing = _resizing(p, loops, initial, sizes, steps, cap_reached, first, unresizable)
    findings = _resize_findings(resizing, checked.ok) + checked.findings
    grown = tuple(
        n for n, k in sizes.chillers_needed.items() if k != initial.chillers_needed.get(n, 0)
    )
    table = design_table(
        p, loops, sizes, checked.design_day, it_peak * lf, peak_air, checked.basis, grown
    )
    return ThermalResult(
        architecture=section.architecture,
        hourly=checked.hourly,
        design_day=checked.design_day,
        design_table=table,
        design_ok=checked.ok,
        design_findings=tuple(findings),
        parameters=p.sourced,
        water_class=p.options.water_class if lf > 0 else "",
        water_class_limit_c=(p.class_limit_c if lf > 0 else p.f("air_loop.chilled_water_supply_c")),
        design_basis=checked.basis,
        resizing=resizing,
    )


@dataclass(frozen=True)
class _Flows:
    """Hourly heat flows (W) and their peaks, the inputs of every check."""

    it: FloatArray
    liquid: FloatArray
    air: FloatArray
    loss: FloatArray
    it_peak: float
    liquid_fraction: float
    peak_air: float
    loss_peak: float


@dataclass(frozen=True)
class _Checked:
    """A plant operated over the typical year, the design day and the survival points."""

    hourly: pd.DataFrame
    design_day: pd.DataFrame
    basis: DesignBasis
    sets: tuple[PlantHours, ...]
    findings: list[str]
    ok: bool


def _check(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    sizes: Sizes,
    f: _Flows,
    weather: Weather,
    index: pd.Index,
) -> _Checked:
    w = weather.hourly
    hours = operate(
        p,
        loops,
        f.it,
        f.liquid,
        f.air,
        w["dry_bulb_c"].to_numpy(float),
        w["wet_bulb_c"].to_numpy(float),
        sizes,
        pressure_pa=weather.pressure_pa,
    )
    hourly = _frame(p, loops, hours, f.it, f.liquid, f.air, f.loss, w, index)
    basis = design_basis(loops)
    dd_weather = weather.design_day(basis)
    n = len(dd_weather)
    dd_it = np.full(n, f.it_peak)
    dd_air = np.full(n, f.peak_air)
    dd_hours = operate(
        p,
        loops,
        dd_it,
        dd_it * f.liquid_fraction,
        dd_air,
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
        dd_it * f.liquid_fraction,
        dd_air,
        np.full(n, f.loss_peak),
        dd_weather,
        dd_weather.index,
    )
    points, surv = survival_check(
        p, loops, f.it_peak, f.it_peak * f.liquid_fraction, f.peak_air, weather, sizes
    )
    findings, ok = design_findings(p, loops, hourly, design_day, basis, points, surv, sizes)
    return _Checked(hourly, design_day, basis, (hours, dd_hours, surv), findings, ok)


def _resizing(
    p: ThermalParameters,
    loops: tuple[LoopSpec, ...],
    initial: Sizes,
    final: Sizes,
    steps: int,
    cap_reached: bool,
    first: _Checked,
    unresizable: tuple[str, ...],
) -> PlantResizing:
    chillers = [lp for lp in loops if lp.chillers]
    unit_mw = [p.f(f"{lp.chillers}.unit_capacity_mw") for lp in chillers]
    names = [lp.name for lp in chillers]
    init_inst = tuple(initial.chillers_installed.get(n, 0) for n in names)
    final_inst = tuple(final.chillers_installed.get(n, 0) for n in names)
    return PlantResizing(
        steps=steps,
        cap_reached=cap_reached,
        reasons=() if first.ok else tuple(first.findings),
        groups=tuple(chiller_group(lp) for lp in chillers),
        initial_needed=tuple(initial.chillers_needed.get(n, 0) for n in names),
        final_needed=tuple(final.chillers_needed.get(n, 0) for n in names),
        initial_installed=init_inst,
        final_installed=final_inst,
        initial_capacity_mw=tuple(u * c for u, c in zip(unit_mw, init_inst, strict=True)),
        final_capacity_mw=tuple(u * c for u, c in zip(unit_mw, final_inst, strict=True)),
        unresizable=unresizable if not first.ok else (),
    )


def _resize_findings(r: PlantResizing, ok: bool) -> list[str]:
    out: list[str] = []
    if r.resized:
        changes = "; ".join(
            f"{g} {n0}+{i0 - n0} -> {n1}+{i1 - n1} units ({c0:.1f} -> {c1:.1f} MW installed)"
            for g, n0, n1, i0, i1, c0, c1 in zip(
                r.groups,
                r.initial_needed,
                r.final_needed,
                r.initial_installed,
                r.final_installed,
                r.initial_capacity_mw,
                r.final_capacity_mw,
                strict=True,
            )
            if i1 != i0
        )
        status = "passes" if ok else "still fails"
        out.append(
            f"resized in {r.steps} step(s) after failing its design check as first sized "
            f"at the 0.4 % design days ({'; '.join(r.reasons)}): {changes}; the resized plant "
            f"{status} and is the one quoted"
        )
    if r.cap_reached:
        out.append(
            "resizing stopped at its cap (installed chillers at most "
            "plant.resize_max_installed_to_needed x the design-day count): the architecture "
            "cannot hold its class in this climate by adding units"
        )
    out.extend(f"not resizable by adding units: {u}" for u in r.unresizable)
    return out


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
