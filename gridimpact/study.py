"""The orchestrator: the only place that knows the order of the stages.

case → compute / weather / network → thermal → facility load → grid studies →
on-site generation and air permits → dynamics → frozen :class:`StudyResult`.
Every stage is a function of the ones before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pandas as pd

from gridimpact import progress
from gridimpact.capacity import MaxGpus, max_gpus
from gridimpact.case import LoadedCase, load_case
from gridimpact.case.cooling import Architecture, CoolingSection
from gridimpact.compute import ITLoad, compute_it_load
from gridimpact.compute.workload import campus_gpu_peak_mw
from gridimpact.dynamics.stage import DynamicsResult, PoiSupply, run_dynamics
from gridimpact.dynamics.timedomain.results import TimeDomainResult
from gridimpact.dynamics.timedomain.stage import RawDyrSource, not_performed, run_time_domain
from gridimpact.errors import GridImpactError, SolverError
from gridimpact.facility import FacilityLoad, compute_facility_load, electrical_loss_heat_mw
from gridimpact.gpu_sensitivity import run_gpu_sensitivity
from gridimpact.grid import (
    HostingResult,
    N0Result,
    N1Result,
    NetworkModel,
    TimeSeriesResult,
    UpgradeScreeningResult,
    background_load_scale,
    hosting_by_poi,
    hosting_capacity,
    load_network,
    run_n0,
    run_n1,
    run_timeseries,
    screen_upgrades,
    with_poi,
)
from gridimpact.grid.attribution import Verdict, poi_supply_capacity_mva, study_verdict
from gridimpact.grid.dynamic_export import PowerFlowCase, export_power_flow_case
from gridimpact.grid.rated_network import rate_network
from gridimpact.grid.ratings import LineRatings
from gridimpact.grid.sc_defaults import run_short_circuit_cases
from gridimpact.grid.screening import NO_UPGRADE, KnownStudies, option_model
from gridimpact.grid.shortcircuit import ShortCircuitResult
from gridimpact.onsite.dispatch import grid_unservable_hours
from gridimpact.onsite.stage import OnsiteResult, run_onsite
from gridimpact.thermal import ThermalResult, run_thermal
from gridimpact.weather import Weather, load_weather


@dataclass(frozen=True)
class GridResults:
    """Grid studies of one case."""

    network: NetworkModel
    n0_base: N0Result
    """Summer peak without the campus."""
    n0_campus: N0Result
    """Summer peak with the campus at its design-day peak."""
    n1_base: N1Result
    """The contingency set at summer peak without the campus."""
    n1_campus: N1Result
    """The contingency set with the campus at its design-day peak."""
    verdict: Verdict
    """N-0 and N-1 violations split into pre-existing and attributable to the campus."""
    short_circuit: ShortCircuitResult
    """IEC 60909 maximum short circuit at the POI, SCR at the campus peak."""
    short_circuit_min: ShortCircuitResult
    """IEC 60909 minimum short circuit at the POI: the SCR that decides grid strength."""
    hosting: HostingResult
    """Largest campus at the POI meeting N-0 and N-1 criteria."""
    hosting_candidates: pd.DataFrame
    """Hosting capacity at the POI and at the case's candidate POIs."""
    upgrades: UpgradeScreeningResult
    """Interconnection options (upgrades, candidate POIs) evaluated with the campus at its
    peak; the recommended one is ``upgrades.recommended``."""
    recommended: Interconnection | None
    """The recommended interconnection's network and short circuit (None if no option
    passes)."""
    timeseries: TimeSeriesResult
    """8,760 h: weather-correlated background load + hourly campus, N-0 and N-1 every hour."""
    campus_p_mw: float
    campus_q_mvar: float
    power_factor: float
    line_ratings: LineRatings | None = None
    """Ambient-adjusted line ratings of the weather year (None: file ratings only)."""


@dataclass(frozen=True)
class StudyResult:
    """Everything one study produced; frozen, plain data."""

    loaded: LoadedCase
    it: ITLoad
    weather: Weather
    thermal: ThermalResult
    facility: FacilityLoad
    grid: GridResults
    onsite: OnsiteResult
    dynamics: DynamicsResult
    """At the requested POI."""
    dynamics_recommended: DynamicsResult | None
    """At the recommended interconnection (None if no screened option passes)."""
    cooling_alternatives: pd.DataFrame
    """Every cooling architecture for the same campus and weather: power vs water."""
    capacity: MaxGpus | None = None
    """Largest campus (GPUs) the POI hosts N-1 secure, with and without the battery and
    with each screened interconnection option."""
    time_domain: TimeDomainResult | None = None
    """Campus trip, fault ride-through, modes and forced oscillation on ANDES at the
    requested POI (``performed`` False with the reason when they could not run)."""
    gpu_sensitivity: pd.DataFrame | None = None
    """The campus built with the case's GPU system and each of
    ``compute.sensitivity_gpu_models`` (None when the case lists none), with the
    margin to the POI's N-1 hosting capacity."""


@dataclass(frozen=True)
class Interconnection:
    """The recommended interconnection: its option, network and short circuit."""

    option: str
    description: str
    network: NetworkModel
    short_circuit: ShortCircuitResult
    short_circuit_min: ShortCircuitResult
    n0_base: N0Result
    n0_campus: N0Result
    requested: bool
    """True when the requested POI as it is passes (then every number equals the requested's)."""


def recommend_interconnection(
    network: NetworkModel, upgrades: UpgradeScreeningResult, known: KnownStudies
) -> Interconnection | None:
    """The network of the cheapest screened option that passes, studied at its POI.

    ``known`` holds the requested POI's studies (reused when it is the one).
    """
    option = upgrades.recommended
    if option is None:
        return None
    p_mw, q_mvar = upgrades.campus_p_mw, upgrades.campus_q_mvar
    model = option_model(network, upgrades.options, option)
    requested = option == NO_UPGRADE
    cases = known.short_circuit if requested else run_short_circuit_cases(model, p_mw)
    n0 = known.n0 if requested else (run_n0(model, 0.0, 0.0), run_n0(model, p_mw, q_mvar))
    return Interconnection(
        option=option,
        description=upgrades.describe(option),
        network=model,
        short_circuit=cases.maximum,
        short_circuit_min=cases.minimum,
        n0_base=n0[0],
        n0_campus=n0[1],
        requested=requested,
    )


def run_grid_studies(
    network: NetworkModel,
    facility: FacilityLoad,
    power_factor: float,
    background_scale: pd.Series,
    candidate_poi_buses: tuple[str, ...] = (),
    line_ratings: LineRatings | None = None,
) -> GridResults:
    """Grid studies at summer peak with the campus at its design peak, and over the year.

    Every peak study runs with and without the campus so that violations can be
    attributed (:mod:`gridimpact.grid.attribution`). With ``line_ratings`` (the
    network already rated by :func:`rate_network`), the year's N-0 uses each hour's
    line rating.
    """
    p_mw = facility.peak_mw
    q_mvar = facility.peak_q_mvar
    hourly = facility.hourly
    n0 = (run_n0(network, 0.0, 0.0), run_n0(network, p_mw, q_mvar))
    n1 = (run_n1(network, 0.0, 0.0), run_n1(network, p_mw, q_mvar))
    pois = (network.poi_bus, *[b for b in candidate_poi_buses if b != network.poi_bus])
    hosting_at = {
        bus: hosting_capacity(
            with_poi(network, bus),
            power_factor,
            base=(n0[0], n1[0]) if bus == network.poi_bus else None,
        )
        for bus in pois
    }
    known = KnownStudies(n0, n1, hosting_at, run_short_circuit_cases(network, p_mw))
    upgrades = screen_upgrades(
        network, p_mw, q_mvar, candidate_poi_buses=candidate_poi_buses, known=known
    )
    return GridResults(
        network=network,
        n0_base=n0[0],
        n0_campus=n0[1],
        n1_base=n1[0],
        n1_campus=n1[1],
        verdict=study_verdict(network.topology, p_mw, n0, n1),
        short_circuit=known.short_circuit.maximum,
        short_circuit_min=known.short_circuit.minimum,
        hosting=hosting_at[network.poi_bus],
        hosting_candidates=hosting_by_poi(network, pois, power_factor, known=hosting_at),
        upgrades=upgrades,
        recommended=recommend_interconnection(network, upgrades, known),
        timeseries=run_timeseries(
            network,
            hourly["facility_power_mw"],
            hourly["facility_q_mvar"],
            background_scale,
            n1=True,
            line_rating_factor=None if line_ratings is None else line_ratings.normal_factor,
        ),
        line_ratings=line_ratings,
        campus_p_mw=p_mw,
        campus_q_mvar=q_mvar,
        power_factor=power_factor,
    )


def run_onsite_stage(loaded: LoadedCase, facility: FacilityLoad, grid: GridResults) -> OnsiteResult:
    """On-site fleet, emission scenarios and air permits.

    Backup duty comes from the grid studies: the hours of the 8,760-h time series in
    which the campus cannot be served within N-0 / N-1 criteria (N-0: violations
    attributable to the campus only), with the grid import then held to the N-1
    hosting capacity.
    """
    ts = grid.timeseries
    unservable = grid_unservable_hours(
        ts.hourly["converged"].to_numpy(),
        ts.hourly["n_attributable"].to_numpy(),
        None if ts.n1 is None else ts.n1.hourly["n1_violation"].to_numpy(),
    )
    return run_onsite(
        loaded.case.onsite,
        facility.hourly["facility_power_mw"],
        unservable,
        max(grid.hosting.mw_n1, 0.0),
    )


def run_dynamics_stage(
    loaded: LoadedCase,
    it: ITLoad,
    facility: FacilityLoad,
    poi: tuple[NetworkModel, ShortCircuitResult, N0Result, N0Result],
    onsite: OnsiteResult,
) -> DynamicsResult:
    """Training swings, flicker, load loss and storage for the campus at one interconnection.

    ``poi`` is the interconnection's network, its IEC 60909 minimum-case short
    circuit and its intact power flows without and with the campus. The minimum
    short-circuit power is the one the emission of voltage fluctuations is assessed
    against (IEC/TR 61000-3-7:2008, 6.2). The GPUs' compute-phase power swings;
    everything else at the design-day peak (hosts, fabric, cooling, losses) is
    taken as static.
    """
    case = loaded.case
    gpu_mw = campus_gpu_peak_mw(
        it.gpu_count, it.system.gpu_tdp_w.value, case.workload.compute_power_fraction.value
    )
    network, sc, n0_base, n0_campus = poi
    if not sc.computed:
        raise SolverError(f"{sc.poi_bus}: {sc.note}; the dynamics studies need it")
    return run_dynamics(
        case.workload,
        case.onsite,
        gpu_power_peak_mw=gpu_mw,
        facility_hour_mw=facility.peak_mw,
        facility_hour=facility.peak_hour_label,
        facility_hourly_mw=facility.hourly["facility_power_mw"],
        poi=PoiSupply(
            sc_mva=sc.sk_mva,
            x_over_r=sc.x_over_r,
            vn_kv=sc.poi_vn_kv,
            vm_pu_with_campus=n0_campus.poi_vm_pu,
            vm_pu_without_campus=n0_base.poi_vm_pu,
            supply_capacity_mva=poi_supply_capacity_mva(network.topology, network.poi_index),
        ),
        grid_import_hourly_mw=onsite.grid_import_normal_mw,
    )


def run_time_domain_stage(
    loaded: LoadedCase, network: NetworkModel, facility: FacilityLoad, dynamics: DynamicsResult
) -> TimeDomainResult:
    """The time-domain studies of the campus at its POI, at the planning-peak hour.

    A RAW network with ``grid.dynamic_data`` is read with its DYR by the engine; any
    other network is exported as plain power-flow data and given the typical dynamic
    models of ``gridimpact/data/dynamic_models.toml``. Bad dynamic data is a finding
    (``performed`` False), the steady-state study stands.
    """
    case = loaded.case
    p_mw, q_mvar = facility.peak_mw, facility.peak_q_mvar
    source: PowerFlowCase | RawDyrSource
    if case.grid.dynamic_data:
        source = RawDyrSource(
            raw_path=Path(network.network),
            dyr_path=(loaded.base_dir / case.grid.dynamic_data).resolve(),
            poi_bus_number=int(network.poi_bus),
            campus_p_mw=p_mw,
            campus_q_mvar=q_mvar,
        )
    else:
        try:
            source = export_power_flow_case(network, p_mw, q_mvar)
        except GridImpactError as exc:
            return not_performed(f"the network could not be exported: {exc.one_line()}")
    return run_time_domain(case.time_domain, source, spectrum=dynamics.spectrum)


ARCHITECTURES: tuple[Architecture, ...] = get_args(Architecture)


def run_cooling_alternatives(
    loaded: LoadedCase,
    it: ITLoad,
    weather: Weather,
    loss_heat_mw: pd.Series,
    selected: tuple[ThermalResult, FacilityLoad],
) -> pd.DataFrame:
    """The campus under each cooling architecture, side by side.

    The case's own architecture is the ``selected`` result already computed with
    its overrides; the others run with the defaults of ``gridimpact/data/cooling.toml``.
    """
    rows = []
    for arch in ARCHITECTURES:
        if arch == loaded.case.cooling.architecture:
            thermal, facility = selected
        else:
            thermal = run_thermal(
                CoolingSection(architecture=arch),
                it.hourly_it_mw,
                it.liquid_fraction,
                loss_heat_mw,
                weather,
            )
            facility = compute_facility_load(loaded.case.facility, it, thermal)
        summary = thermal.summary()
        rows.append(
            {
                "architecture": arch,
                "selected": arch == loaded.case.cooling.architecture,
                "design_ok": thermal.design_ok,
                "facility_peak_mw": facility.peak_mw,
                "cooling_peak_mw": summary["design_day_peak_cooling_power_mw"],
                "pue_design_day": facility.pue_design_day,
                "pue_annual": facility.pue_annual,
                "annual_energy_gwh": facility.annual_energy_gwh,
                "water_makeup_avg_mgd": summary["mean_makeup_water_mgd"],
                "wue_l_per_kwh": summary["wue_l_per_kwh"],
            }
        )
    return pd.DataFrame(rows)


def run_loaded_study(loaded: LoadedCase) -> StudyResult:
    """Run every stage of the study for an already validated case."""
    case = loaded.case
    shown = str(loaded.path)
    progress.stage("weather")
    weather = load_weather(case.weather, loaded.base_dir, case_file=shown)
    progress.stage("network")
    network, line_ratings = rate_network(
        load_network(case.grid, loaded.base_dir, case_file=shown),
        weather.hourly,
        weather.elevation_m,
    )
    progress.stage("thermal")
    it = compute_it_load(case.compute, pd.DatetimeIndex(weather.hourly.index))
    loss_heat_mw = electrical_loss_heat_mw(case.facility, it)
    thermal = run_thermal(case.cooling, it.hourly_it_mw, it.liquid_fraction, loss_heat_mw, weather)
    progress.stage("facility")
    facility = compute_facility_load(case.facility, it, thermal)
    progress.stage("grid studies")
    background = background_load_scale(weather.hourly["dry_bulb_c"], case.weather.seed)
    grid = run_grid_studies(
        network,
        facility,
        case.facility.power_factor.value,
        background,
        case.grid.candidate_poi_buses,
        line_ratings,
    )
    progress.stage("on-site")
    onsite = run_onsite_stage(loaded, facility, grid)
    progress.stage("dynamics")
    dynamics = run_dynamics_stage(
        loaded,
        it,
        facility,
        (network, grid.short_circuit_min, grid.n0_base, grid.n0_campus),
        onsite,
    )
    progress.stage("time-domain dynamics")
    time_domain = run_time_domain_stage(loaded, network, facility, dynamics)
    rec = grid.recommended
    dynamics_recommended = (
        None
        if rec is None
        else dynamics
        if rec.requested
        else run_dynamics_stage(
            loaded,
            it,
            facility,
            (rec.network, rec.short_circuit_min, rec.n0_base, rec.n0_campus),
            onsite,
        )
    )
    progress.stage("largest campus the POI hosts")
    capacity = max_gpus(
        loaded,
        weather,
        grid.hosting,
        grid.short_circuit_min,
        poi_supply_capacity_mva(network.topology, network.poi_index),
        options=grid.upgrades.options,
        reference=(it, facility),
    )
    progress.stage("GPU-system sensitivity")
    sensitivity = None
    if case.compute.sensitivity_gpu_models:
        sensitivity = run_gpu_sensitivity(loaded, weather, case.compute.sensitivity_gpu_models)
        sensitivity["hosting_margin_n1_mw"] = grid.hosting.mw_n1 - sensitivity["facility_peak_mw"]
    progress.stage("cooling alternatives")
    return StudyResult(
        loaded=loaded,
        it=it,
        weather=weather,
        thermal=thermal,
        facility=facility,
        grid=grid,
        onsite=onsite,
        dynamics=dynamics,
        dynamics_recommended=dynamics_recommended,
        cooling_alternatives=run_cooling_alternatives(
            loaded, it, weather, loss_heat_mw, (thermal, facility)
        ),
        capacity=capacity,
        gpu_sensitivity=sensitivity,
        time_domain=time_domain,
    )


def run_study(case: str | Path | LoadedCase) -> StudyResult:
    """Run a study from a case file path (or an already loaded case)."""
    loaded = case if isinstance(case, LoadedCase) else load_case(case)
    return run_loaded_study(loaded)
