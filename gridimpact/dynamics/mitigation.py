"""Mitigation of the POI flicker: the storage filter and the battery behind it.

The grid sees a first-order low-pass of the campus power; the storage supplies the
rest. The filter's time constant is the smallest that brings Pst and Plt at the POI
within the limits allocated to the campus (and the case's swing / ramp targets);
the battery is then sized with its losses, C-rate, state-of-charge window and cycle
life (:mod:`gridimpact.dynamics.battery`).

References
----------
.. [1] E. Choukse et al., arXiv:2508.14318, 2025 (storage smoothing training swings).
.. [2] J. Marcos et al., Solar Energy 99 (2014) 28-35 (filter-based storage sizing).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gridimpact import progress
from gridimpact.case.onsite import OnsiteSection
from gridimpact.compute import workload as wl
from gridimpact.dynamics import battery, storage
from gridimpact.dynamics.poi import STEADY_WINDOWS_PER_PLT, PoiFlickermeter, dv_percent
from gridimpact.dynamics.results import PowerQuality, StorageSizing

CONFIRM_STEPS = 40
"""Steps of +5 % in τ allowed when the carrier flickermeter disagrees with the fast path."""
FloatArray = npt.NDArray[np.float64]


def battery_parameters(onsite: OnsiteSection) -> battery.BatteryParameters:
    """The case's battery technology (defaults from ``dynamics.toml`` ``[onsite]``)."""
    fields = {n: getattr(onsite, n) for n in type(onsite).model_fields if n.startswith("bess_")}
    return battery.BatteryParameters.from_values(fields)


def _time_constant_s(
    onsite: OnsiteSection,
    window_mw: FloatArray,
    steady_mw: FloatArray,
    meter: PoiFlickermeter,
    quality: PowerQuality,
) -> tuple[float, str]:
    """Smallest filter τ meeting the allocated Pst/Plt (and the case's swing targets)."""
    fs = meter.sample_rate_hz
    rel_tol = 1e-2
    span = math.log(storage._TAU_MAX_S) - math.log(storage._TAU_MIN_S)
    # the bisection with its two end checks, then usually one full-flickermeter check
    checks = 3 + progress.bisection_steps(span, rel_tol)
    with progress.steps("storage filter search", checks) as steps:

        def within(tau_s: float, fast: bool) -> bool:
            lp = storage.first_order_lowpass_mw
            p_w, _, p_l = meter.severity(lp(window_mw, fs, tau_s), lp(steady_mw, fs, tau_s), fast)
            steps.step()
            return p_w <= quality.pst_limit_allocated and p_l <= quality.plt_limit_allocated

        tau_s = storage.smallest_time_constant_s(lambda t: within(t, True), rel_tol=rel_tol)
        for _ in range(CONFIRM_STEPS):  # confirm on the full flickermeter
            if tau_s == 0.0 or within(tau_s, False):
                break
            tau_s *= 1.05
        else:
            return math.nan, "no filter brings the POI within the allocated limits"
    described = (
        f"Pst <= {quality.pst_limit_allocated:.2f} and Plt <= "
        f"{quality.plt_limit_allocated:.2f} at the POI"
    )
    swing = None if onsite.bess_max_swing_mw is None else onsite.bess_max_swing_mw.value
    ramp = None if onsite.bess_max_ramp_mw_per_s is None else onsite.bess_max_ramp_mw_per_s.value
    if swing is not None or ramp is not None:
        tau_swing = storage.size_time_constant_s(
            window_mw, fs, onsite.swing_window_s.value, swing, ramp
        )
        tau_s = max(tau_s, tau_swing)
        if swing is not None:
            described += f"; swing <= {swing:g} MW in {onsite.swing_window_s.value:g} s"
        if ramp is not None:
            described += f"; ramp <= {ramp:g} MW/s"
    return tau_s, described


def size_storage(
    onsite: OnsiteSection,
    window: wl.CampusWaveforms,
    steady: wl.CampusWaveforms,
    meter: PoiFlickermeter,
    quality: PowerQuality,
    hourly: FloatArray,
) -> tuple[StorageSizing, dict[str, FloatArray]]:
    fs = meter.sample_rate_hz
    tau_s, described = _time_constant_s(
        onsite, window.smoothed_mw, steady.smoothed_mw, meter, quality
    )
    if math.isnan(tau_s):
        return _no_storage_solution(described, window.smoothed_mw)
    grid_w = storage.first_order_lowpass_mw(window.smoothed_mw, fs, tau_s)
    grid_s = storage.first_order_lowpass_mw(steady.smoothed_mw, fs, tau_s)
    pst_b, _, plt_b = meter.severity(grid_w, grid_s)
    total_w, total_s = window.smoothed_mw - grid_w, steady.smoothed_mw - grid_s
    split = _split(onsite, fs)
    fast_w, slow_w = split(total_w)
    _, slow_s = split(total_s)
    record = np.concatenate([slow_w, *[slow_s] * STEADY_WINDOWS_PER_PLT])
    hours = storage.training_hours_per_year(hourly)
    sized = battery.size_battery(record, fs, battery_parameters(onsite), hours)
    win = round(onsite.swing_window_s.value * fs)
    residual_mw = wl.windowed_swing_mw(grid_w, win)
    result = StorageSizing(
        target="flicker"
        if onsite.bess_max_swing_mw is None and onsite.bess_max_ramp_mw_per_s is None
        else "flicker_and_swing",
        target_description=described,
        bess_filter_time_constant_s=tau_s,
        bess_power_mw_required=sized.power_mw,
        bess_energy_mwh_required=sized.energy_mwh,
        bess_c_rate=sized.c_rate_per_h,
        bess_full_cycles_per_year=sized.full_cycles_per_year,
        bess_cycle_life_years=sized.cycle_life_years,
        bess_roundtrip_efficiency=sized.roundtrip_efficiency,
        bess_loss_mwh_per_year=sized.loss_mwh_per_year,
        bess_throughput_mwh_per_year=sized.throughput_mwh_per_year,
        bess_energy_binding=sized.binding,
        bess_operating_hours_per_year=hours,
        pst_poi_with_bess=pst_b,
        plt_poi_with_bess=plt_b,
        residual_swing_mw=residual_mw,
        residual_max_ramp_mw_per_s=wl.max_ramp_mw_per_s(grid_w, fs),
        residual_poi_voltage_change_percent=dv_percent(residual_mw, meter, float(np.max(grid_w))),
        supercap_power_mw_required=float(np.max(np.abs(fast_w))),
        supercap_energy_mwh_required=storage.storage_energy_mwh(fast_w, fs),
    )
    series = {
        "grid_power_with_bess_mw": grid_w,
        "bess_power_mw": slow_w,
        "supercap_power_mw": fast_w,
    }
    return result, series


def _no_storage_solution(
    described: str, design_mw: FloatArray
) -> tuple[StorageSizing, dict[str, FloatArray]]:
    """No filter meets the limits (the POI voltage collapses): every size is unknown."""
    nan = math.nan
    result = StorageSizing(
        target="none",
        target_description=described,
        bess_filter_time_constant_s=nan,
        bess_power_mw_required=nan,
        bess_energy_mwh_required=nan,
        bess_c_rate=nan,
        bess_full_cycles_per_year=nan,
        bess_cycle_life_years=nan,
        bess_roundtrip_efficiency=nan,
        bess_loss_mwh_per_year=nan,
        bess_throughput_mwh_per_year=nan,
        bess_energy_binding="none",
        bess_operating_hours_per_year=nan,
        pst_poi_with_bess=nan,
        plt_poi_with_bess=nan,
        residual_swing_mw=nan,
        residual_max_ramp_mw_per_s=nan,
        residual_poi_voltage_change_percent=nan,
        supercap_power_mw_required=nan,
        supercap_energy_mwh_required=nan,
    )
    zeros = np.zeros_like(design_mw)
    series = {
        "grid_power_with_bess_mw": design_mw,
        "bess_power_mw": zeros,
        "supercap_power_mw": zeros,
    }
    return result, series


def _split(
    onsite: OnsiteSection, fs_hz: float
) -> Callable[[FloatArray], tuple[FloatArray, FloatArray]]:
    """Storage power → (supercapacitor, battery) by the case's crossover frequency."""
    crossover = onsite.supercap_crossover_hz

    def split(total_mw: FloatArray) -> tuple[FloatArray, FloatArray]:
        if crossover is None:
            return np.zeros_like(total_mw), total_mw
        return storage.split_fast_slow_mw(total_mw, fs_hz, crossover.value)

    return split
