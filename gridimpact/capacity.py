"""The largest campus an interconnection hosts, in GPUs.

The grid studies give the hosting capacity of a POI in MW (:mod:`gridimpact.grid.hosting`);
the reader of a siting study asks for GPUs. :func:`max_gpus` turns one into the other
with the case's own chain, IT load → cooling plant → facility load
(:func:`campus_load`, the first stages of the study without the grid studies), for a
campus that differs from the case only in its GPU count:

* **with the battery** (the case's sized storage holds the POI within the flicker limits,
  so only the grid criteria bind): the largest GPU count whose facility peak is within
  the N-1 hosting capacity of the POI;
* **without a battery**: the same, and in addition the unmitigated campus's flicker at
  the POI (IEC 61000-4-15 Pst over the case's window, Plt over two hours) within the
  emission limits IEC/TR 61000-3-7 allocates to it, both evaluated by the dynamics
  stage's own function on the POI's minimum-case Thévenin equivalent; the swing grows
  with the GPU count and the allocated limit with the cube root of the campus's share
  of the supply capacity, so this bound is not a fixed number of MW;
* **with each screened interconnection option** (:mod:`gridimpact.grid.screening`):
  the largest GPU count within that option's N-1 hosting capacity.

The search (:func:`largest_feasible`) starts from the linear estimate (GPU count ×
hosting / facility peak; flicker starts from the N-1 answer), takes secant steps on
the logarithmic margin (``log(hosting / facility peak)``; ``-log`` of the larger of
Pst/limit and Plt/limit, expected slope 2/3 since Pst ∝ GPUs and the limit ∝
GPUs^(1/3)) on the true chain (cooling plant and losses make the facility peak
slightly nonlinear in the GPU count, the Thévenin voltage makes Pst superlinear near
the POI's limit), brackets the answer half a resolution either side and bisects what
is left until the bracket is narrower than 0.5 % of the answer or 1,000 GPUs,
whichever is wider. Every reported count has been evaluated and meets its criteria;
the bracket's other end, at most one resolution step above, does not. A whole search
costs 2-3 s per case (about 15 chain and 7 flickermeter evaluations).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gridimpact.case import LoadedCase
from gridimpact.case.compute import MAX_GPUS, ComputeSection
from gridimpact.compute import ITLoad, compute_it_load
from gridimpact.compute import workload as wl
from gridimpact.data.gpus import load_gpu_catalog
from gridimpact.dynamics.poi import PoiFlickermeter, PoiSupply
from gridimpact.dynamics.results import PowerQuality
from gridimpact.dynamics.stage import assess_power_quality, load_dynamics_reference
from gridimpact.errors import SolverError
from gridimpact.facility import FacilityLoad, compute_facility_load, electrical_loss_heat_mw
from gridimpact.grid import HostingResult, NetworkModel, hosting_capacity, load_network
from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.attribution import poi_supply_capacity_mva
from gridimpact.grid.rated_network import rate_network
from gridimpact.grid.ratings import LineRatings
from gridimpact.grid.sc_defaults import run_short_circuit_filled
from gridimpact.grid.shortcircuit import ShortCircuitResult
from gridimpact.thermal import run_thermal
from gridimpact.weather import Weather, load_weather

RELATIVE_RESOLUTION = 0.005
"""Bisection stops when the bracket is narrower than this share of the answer ..."""
ABSOLUTE_RESOLUTION_GPUS = 1_000
"""... or than this many GPUs, whichever is wider."""


def compute_section_with(section: ComputeSection, gpu_count: int) -> ComputeSection:
    """The case's ``[compute]`` table with another GPU count (everything else kept)."""
    count = section.gpu_count.model_copy(update={"value": int(gpu_count)})
    return section.model_copy(update={"gpu_count": count})


def campus_load(
    loaded: LoadedCase, weather: Weather, gpu_count: int
) -> tuple[ITLoad, FacilityLoad]:
    """IT and facility load of the case's campus with ``gpu_count`` GPUs.

    The first stages of :func:`gridimpact.study.run_loaded_study` (compute → thermal →
    facility) on the case's weather; nothing of the grid.
    """
    case = loaded.case
    it = compute_it_load(
        compute_section_with(case.compute, gpu_count), pd.DatetimeIndex(weather.hourly.index)
    )
    loss_heat_mw = electrical_loss_heat_mw(case.facility, it)
    thermal = run_thermal(case.cooling, it.hourly_it_mw, it.liquid_fraction, loss_heat_mw, weather)
    return it, compute_facility_load(case.facility, it, thermal)


@dataclass(frozen=True)
class StudyInputs:
    """What the study builds before its grid studies: weather, rated network, campus load."""

    weather: Weather
    network: NetworkModel
    """The case's network with the design line ratings of its weather year."""
    line_ratings: LineRatings
    it: ITLoad
    facility: FacilityLoad


def study_inputs(loaded: LoadedCase) -> StudyInputs:
    """Weather, rated network, IT and facility load of a case, as the study builds them."""
    case = loaded.case
    shown = str(loaded.path)
    weather = load_weather(case.weather, loaded.base_dir, case_file=shown)
    network, ratings = rate_network(
        load_network(case.grid, loaded.base_dir, case_file=shown),
        weather.hourly,
        weather.elevation_m,
    )
    it, facility = campus_load(loaded, weather, case.compute.gpu_count.value)
    return StudyInputs(weather, network, ratings, it, facility)


def resolution_gpus(gpu_count: int) -> int:
    """Resolution of the search at ``gpu_count``: 0.5 % of it or 1,000 GPUs, the wider."""
    return max(math.ceil(RELATIVE_RESOLUTION * gpu_count), ABSOLUTE_RESOLUTION_GPUS)


SECANT_STEPS = 6
"""Most secant steps before the bracket is closed by bisection."""
MAX_LOG_STEP = math.log(4.0)
"""Largest secant step: a factor of 4 in the GPU count."""


def largest_feasible(
    margin: Callable[[int], float],
    estimate: int,
    slope: float = 1.0,
    upper: int = MAX_GPUS,
) -> tuple[int, int]:
    """Largest GPU count with ``margin(n) >= 0``, searched from ``estimate``: ``(lo, hi)``.

    ``margin`` is a log-ratio of limit to value (e.g. ``log(hosting / facility peak)``),
    decreasing in the GPU count; NaN counts as infeasible. ``lo`` is feasible (0 if no
    count is), ``hi`` is not (``upper + 1`` if ``upper`` is feasible) and
    ``hi - lo <= resolution_gpus(lo)``.

    Secant steps on ``log n`` (the first one with ``slope``, the expected
    ``-d margin / d log n``) bring the estimate to the root; two counts half a
    resolution on either side of it then bracket the answer, and bisection closes
    whatever bracket remains. Assumes feasibility is monotone in the GPU count.
    """
    upper = int(upper)
    seen: dict[int, float] = {}

    def m(n: int) -> float:
        if n not in seen:
            value = float(margin(n))
            seen[n] = -math.inf if math.isnan(value) else value
        return seen[n]

    def ok(n: int) -> bool:
        return n <= 0 or (n <= upper and m(n) >= 0.0)

    def clamp(x: float) -> int:
        return int(min(max(round(x), 1), upper))

    n, prev = clamp(estimate), 0
    for _ in range(SECANT_STEPS):
        mn, x = m(n), math.log(n)
        if not np.isfinite(mn):
            step = -MAX_LOG_STEP if mn < 0.0 else MAX_LOG_STEP
        elif prev > 0 and np.isfinite(seen[prev]) and seen[prev] != mn:
            step = -mn * (x - math.log(prev)) / (mn - seen[prev])
        else:
            step = mn / slope
        prev, n = n, clamp(math.exp(x + min(max(step, -MAX_LOG_STEP), MAX_LOG_STEP)))
        if abs(n - prev) <= resolution_gpus(prev) // 2:
            break
    hi = min((k for k, v in seen.items() if v < 0.0), default=upper + 1)
    lo = max((k for k, v in seen.items() if v >= 0.0 and k < hi), default=0)
    half = max((resolution_gpus(n) - 2) // 2, 1)
    for trial in (n - half, n + half):
        if lo < trial < hi:
            if ok(trial):
                lo = trial
            else:
                hi = trial
    while hi > upper:
        if lo >= upper:
            return upper, upper + 1
        trial = min(max(2 * lo, resolution_gpus(lo)), upper)
        if ok(trial):
            lo = trial
        else:
            hi = trial
    while hi - lo > resolution_gpus(lo):
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo, hi


@dataclass(frozen=True)
class MaxGpus:
    """The largest campus (GPU count) an interconnection hosts N-1 secure."""

    max_gpus_n1: int
    """With the battery: facility peak within the N-1 hosting capacity of the POI."""
    max_gpus_n1_without_bess: int
    """Without a battery: N-1, and the unmitigated flicker within the allocated limits."""
    by_option: dict[str, int]
    """Screened interconnection option (``upgrades.options.option``) → largest GPU count
    within its N-1 hosting capacity (a lower bound where that hosting was capped)."""
    limit: str
    """What binds each number, in words."""
    method: str
    """How the numbers were found, in words."""
    gpu_model: str = ""
    case_gpu_count: int = 0
    poi_bus: str = ""
    hosting_mw_n1: float = float("nan")
    """N-1 hosting capacity of the requested POI, MW."""
    facility_peak_mw_at_max: float = float("nan")
    """Facility peak of ``max_gpus_n1`` GPUs, MW (<= ``hosting_mw_n1``)."""
    bracket_n1: tuple[int, int] = (0, 0)
    """``(max_gpus_n1, a count found not to fit)``, at most one resolution step apart."""
    bracket_without_bess: tuple[int, int] = (0, 0)
    max_gpus_flicker: int = 0
    """Flicker alone (no battery, grid criteria ignored): the largest count within the
    allocated Pst/Plt limits at the POI."""
    bracket_flicker: tuple[int, int] = (0, 0)
    binding_without_bess: str = ""
    """``"N-1 hosting"`` or ``"flicker"``: what stops the campus without a battery."""
    resolution_gpus: int = ABSOLUTE_RESOLUTION_GPUS
    """Search resolution at ``max_gpus_n1`` (0.5 % or 1,000 GPUs, the wider)."""
    chain_evaluations: int = 0
    """IT → thermal → facility evaluations the search ran."""
    flicker_evaluations: int = 0
    """Power-quality (flickermeter) evaluations the search ran."""
    capped_options: tuple[str, ...] = field(default=())
    """Options whose hosting search hit its bound (their count is a lower bound)."""

    @property
    def headline(self) -> dict[str, object]:
        """The headline keys of ``results.json``."""
        return {
            "max_gpus": self.max_gpus_n1,  # the key issue 14 names
            "max_gpus_without_bess": self.max_gpus_n1_without_bess,
            "max_gpus_by_option": dict(self.by_option),
        }


class _Campus:
    """Facility peak of the case's campus as a function of its GPU count (memoised)."""

    def __init__(
        self,
        loaded: LoadedCase,
        weather: Weather,
        reference: tuple[ITLoad, FacilityLoad] | None,
    ) -> None:
        self.loaded, self.weather = loaded, weather
        self.peaks: dict[int, float] = {}
        if reference is not None:
            it, facility = reference
            self.peaks[it.gpu_count] = facility.peak_mw
        self.evaluations = 0

    def peak_mw(self, gpu_count: int) -> float:
        if gpu_count not in self.peaks:
            _, facility = campus_load(self.loaded, self.weather, gpu_count)
            self.peaks[gpu_count] = facility.peak_mw
            self.evaluations += 1
        return self.peaks[gpu_count]

    def margin(self, hosting_mw: float) -> Callable[[int], float]:
        """``log(hosting / facility peak)``: >= 0 where the campus fits."""

        def fits(n: int) -> float:
            if n <= 0:
                return math.inf
            return math.log(hosting_mw / self.peak_mw(n)) if hosting_mw > 0.0 else -math.inf

        return fits


class _Flicker:
    """Unmitigated flicker of the campus at the POI against its allocated limits."""

    def __init__(self, loaded: LoadedCase, campus: _Campus, poi: PoiSupply) -> None:
        case = loaded.case
        self.case, self.campus, self.poi = case, campus, poi
        self.tdp_w = load_gpu_catalog().systems[case.compute.gpu_model].gpu_tdp_w.value
        w = case.workload
        self.meter = PoiFlickermeter(
            poi.sc_mva,
            poi.x_over_r,
            w.swing_power_factor.value,
            w.sample_rate_hz.value,
            int(case.onsite.flicker_lamp_voltage_v.value),
        )
        self.results: dict[int, PowerQuality] = {}

    def quality(self, gpu_count: int) -> PowerQuality:
        """The dynamics stage's power quality for ``gpu_count`` GPUs at the POI."""
        if gpu_count not in self.results:
            w = self.case.workload
            gpu_mw = wl.campus_gpu_peak_mw(gpu_count, self.tdp_w, w.compute_power_fraction.value)
            static_mw = wl.static_power_for_hour_mw(w, gpu_mw, self.campus.peak_mw(gpu_count))
            window = wl.campus_waveforms(w, gpu_mw, static_mw)
            steady = wl.campus_waveforms(w, gpu_mw, static_mw, job_start_stop=False)
            self.results[gpu_count] = assess_power_quality(
                w,
                self.case.onsite,
                window,
                steady,
                self.meter,
                self.poi,
                load_dynamics_reference(),
            )
        return self.results[gpu_count]

    def margin(self, gpu_count: int) -> float:
        """``-log`` of the larger of Pst / limit and Plt / limit (NaN: no solution)."""
        if gpu_count <= 0:
            return math.inf
        q = self.quality(gpu_count)
        ratio = max(q.pst_poi / q.pst_limit_allocated, q.plt_poi / q.plt_limit_allocated)
        if not np.isfinite(ratio):
            return -math.inf
        if ratio <= 0.0:
            return math.inf
        margin = -math.log(ratio)
        # the stage's own test decides; the margin only steers the search
        return max(margin, 0.0) if q.flicker_within_limits else min(margin, -1e-12)


FLICKER_SLOPE = 2.0 / 3.0
"""``-d log(Pst / limit) / d log(GPUs)``: Pst ∝ swing ∝ GPUs, limit ∝ GPUs^(1/3)."""


def _linear(gpu_count: int, hosting_mw: float, peak_mw: float) -> int:
    return max(round(gpu_count * hosting_mw / peak_mw), 1) if peak_mw > 0 else 1


def max_gpus(
    loaded: LoadedCase,
    weather: Weather,
    hosting: HostingResult,
    short_circuit_min: ShortCircuitResult,
    supply_capacity_mva: float,
    *,
    options: pd.DataFrame | None = None,
    reference: tuple[ITLoad, FacilityLoad] | None = None,
) -> MaxGpus:
    """Largest campus (GPU count) the POI hosts N-1 secure, with and without a battery,
    and with each screened interconnection option.

    Parameters
    ----------
    loaded : LoadedCase
    weather : Weather
        The case's weather (the cooling plant's design day and year).
    hosting : HostingResult
        Hosting capacity of the requested POI (``GridResults.hosting``).
    short_circuit_min : ShortCircuitResult
        IEC 60909 minimum case at the requested POI (``GridResults.short_circuit_min``):
        the Thévenin source of the flicker assessment, as in the dynamics stage.
    supply_capacity_mva : float
        Supply capacity at the POI for the flicker allocation
        (:func:`gridimpact.grid.attribution.poi_supply_capacity_mva`; the case's
        ``onsite.flicker_supply_capacity_mva`` overrides it, as in the dynamics stage).
    options : DataFrame, optional
        ``UpgradeScreeningResult.options`` (``option, hosting_n0_mw, hosting_n1_mw``):
        one count per option. None: ``by_option`` is empty.
    reference : (ITLoad, FacilityLoad), optional
        The case's own IT and facility load (saves one evaluation of the chain).

    Returns
    -------
    MaxGpus

    Raises
    ------
    SolverError
        If the minimum-case short circuit at the POI was not computed.
    """
    if not short_circuit_min.computed:
        raise SolverError(
            f"{short_circuit_min.poi_bus}: {short_circuit_min.note}; max_gpus needs it"
        )
    case = loaded.case
    n_case = case.compute.gpu_count.value
    campus = _Campus(loaded, weather, reference)
    peak_case = campus.peak_mw(n_case)
    host_mw = max(float(hosting.mw_n1), 0.0)
    fits = campus.margin(host_mw)
    lo_n1, hi_n1 = largest_feasible(fits, _linear(n_case, host_mw, peak_case))

    poi = PoiSupply(
        sc_mva=short_circuit_min.sk_mva,
        x_over_r=short_circuit_min.x_over_r,
        vn_kv=short_circuit_min.poi_vn_kv,
        vm_pu_with_campus=float("nan"),
        vm_pu_without_campus=float("nan"),
        supply_capacity_mva=supply_capacity_mva,
    )
    flicker = _Flicker(loaded, campus, poi)
    lo_fl, hi_fl = largest_feasible(flicker.margin, lo_n1 or n_case, slope=FLICKER_SLOPE)

    def both(n: int) -> float:
        return min(fits(n), flicker.margin(n))

    if lo_fl >= lo_n1 and both(lo_n1) >= 0.0:
        lo_nb, hi_nb, binding = lo_n1, hi_n1, "N-1 hosting"
    elif lo_fl < lo_n1 and both(lo_fl) >= 0.0:
        lo_nb, hi_nb, binding = lo_fl, hi_fl, "flicker"
    else:  # not monotone in between: search the conjunction itself
        lo_nb, hi_nb = largest_feasible(both, min(lo_n1, lo_fl) or 1, slope=FLICKER_SLOPE)
        binding = "flicker" if fits(hi_nb) >= 0.0 else "N-1 hosting"

    by_option: dict[str, int] = {}
    capped: list[str] = []
    bound_mw = _hosting_bound_mw()
    table = options if options is not None else pd.DataFrame(columns=["option", "hosting_n1_mw"])
    for option, mw_n1, mw_n0 in zip(
        table["option"],
        table["hosting_n1_mw"].astype(float),
        table.get("hosting_n0_mw", table["hosting_n1_mw"]).astype(float),
        strict=True,
    ):
        mw = max(float(mw_n1), 0.0) if np.isfinite(mw_n1) else 0.0
        by_option[str(option)] = largest_feasible(
            campus.margin(mw), _linear(n_case, mw, peak_case)
        )[0]
        if mw_n0 >= bound_mw:
            capped.append(str(option))

    model = case.compute.gpu_model
    limit = _limit_text(hosting, host_mw, model, (lo_n1, lo_nb, lo_fl, hi_fl), campus, flicker)
    if capped:
        limit += " Lower bounds (hosting search bound reached): " + ", ".join(capped) + "."
    method = (
        "Light study per GPU count (the case's IT load, cooling plant and facility load on "
        "its weather year, everything but the GPU count kept): the facility peak against "
        "the N-1 hosting capacity of the grid studies (MW at the case's power factor) and, "
        "without a battery, the unmitigated campus's Pst and Plt at the POI (IEC 61000-4-15 "
        "flickermeter on the IEC 60909 minimum-case Thévenin equivalent) against its "
        "IEC/TR 61000-3-7 allocated limits, by the dynamics stage's function. Search: from "
        "the linear estimate (GPUs x hosting / facility peak), secant steps on the log "
        "margin, then bisection to "
        f"{RELATIVE_RESOLUTION:.1%} or {ABSOLUTE_RESOLUTION_GPUS:,} GPUs (the wider); "
        f"{campus.evaluations} chain and {len(flicker.results)} flicker evaluations."
    )
    return MaxGpus(
        max_gpus_n1=lo_n1,
        max_gpus_n1_without_bess=lo_nb,
        by_option=by_option,
        limit=limit,
        method=method,
        gpu_model=model,
        case_gpu_count=n_case,
        poi_bus=hosting.poi_bus,
        hosting_mw_n1=host_mw,
        facility_peak_mw_at_max=campus.peak_mw(lo_n1) if lo_n1 > 0 else 0.0,
        bracket_n1=(lo_n1, hi_n1),
        bracket_without_bess=(lo_nb, hi_nb),
        max_gpus_flicker=lo_fl,
        bracket_flicker=(lo_fl, hi_fl),
        binding_without_bess=binding,
        resolution_gpus=resolution_gpus(lo_n1),
        chain_evaluations=campus.evaluations,
        flicker_evaluations=len(flicker.results),
        capped_options=tuple(capped),
    )


def _limit_text(
    hosting: HostingResult,
    host_mw: float,
    model: str,
    counts: tuple[int, int, int, int],
    campus: _Campus,
    flicker: _Flicker,
) -> str:
    lo_n1, lo_nb, lo_fl, hi_fl = counts
    if hosting.capped:
        what = "the hosting search bound (a lower bound)"
    else:
        what = hosting.limiting_element_n1 or "the N-0 hosting capacity"
        if hosting.limiting_contingency_n1:
            what += f" after outage of {hosting.limiting_contingency_n1}"
    peak = campus.peak_mw(lo_n1) if lo_n1 > 0 else 0.0
    q = flicker.results.get(hi_fl)
    over = (
        f" (at {hi_fl:,} GPUs Pst {q.pst_poi:.2f}, Plt {q.plt_poi:.2f} against "
        f"{q.pst_limit_allocated:.2f}, {q.plt_limit_allocated:.2f})"
        if q is not None
        else ""
    )
    flicker_words = f"flicker alone allows {lo_fl:,} GPUs{over}"
    return (
        f"With the battery: {lo_n1:,} {model} GPUs ({peak:,.1f} MW facility peak) within "
        f"the N-1 hosting capacity of {hosting.poi_bus}, {host_mw:,.1f} MW (limit: {what}). "
        f"Without a battery: {lo_nb:,} GPUs; {flicker_words}."
    )


def _hosting_bound_mw() -> float:
    """Upper bound of the hosting search (``grid_types.toml`` ``[hosting] max_search_mw``)."""
    return float(value_of(read_catalog("grid_types.toml")["hosting"]["max_search_mw"]))


def max_gpus_for_case(
    loaded: LoadedCase,
    inputs: StudyInputs | None = None,
    options: pd.DataFrame | None = None,
) -> MaxGpus:
    """:func:`max_gpus` of a case without running the study: the hosting capacity and
    minimum-case short circuit at its POI are computed here (about a second on the
    Memphis network); ``options`` as in :func:`max_gpus`."""
    inputs = inputs or study_inputs(loaded)
    network = inputs.network
    hosting = hosting_capacity(network, loaded.case.facility.power_factor.value)
    sc_min = run_short_circuit_filled(network, inputs.facility.peak_mw, case="min")
    return max_gpus(
        loaded,
        inputs.weather,
        hosting,
        sc_min,
        poi_supply_capacity_mva(network.topology, network.poi_index),
        options=options,
        reference=(inputs.it, inputs.facility),
    )


__all__ = [
    "MaxGpus",
    "StudyInputs",
    "campus_load",
    "compute_section_with",
    "largest_feasible",
    "max_gpus",
    "max_gpus_for_case",
    "resolution_gpus",
    "study_inputs",
]
