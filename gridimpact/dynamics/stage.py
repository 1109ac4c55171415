"""The dynamics stage: training swings, POI flicker, load loss and storage.

``run_dynamics`` builds the campus training-power waveform (sub-second), turns it
into the POI voltage through the grid's Thévenin impedance (IEC 60909 minimum
case), measures Pst and Plt with the IEC 61000-4-15 flickermeter against the
emission limits IEC/TR 61000-3-7 allocates to the campus, estimates the frequency
deviation of a sudden loss of the campus, and sizes the battery that brings the
POI within its limits (losses, C-rate, state-of-charge window, rainflow cycles and
cycle life). It returns a typed :class:`DynamicsResult`; the words the report
prints about it are written in ``gridimpact/report``. Equations:
``docs/methodology.md`` section 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.case.base import Section, SPositiveFloat
from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.sourced import Sourced, iter_sourced
from gridimpact.case.validation import validate_model
from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.data import data_file_path, read_data_toml
from gridimpact.dynamics import battery, flicker, storage
from gridimpact.dynamics import power_quality as pq
from gridimpact.dynamics.allocation import allocate_flicker_limits
from gridimpact.dynamics.results import (
    DynamicsResult,
    LoadLoss,
    PowerQuality,
    StorageSizing,
    SwingMetrics,
)
from gridimpact.dynamics.waveform import poi_relative_voltage, thevenin_voltage_pu

__all__ = ["DynamicsResult", "load_dynamics_reference", "run_dynamics"]

DATA_FILE = "dynamics.toml"
STEADY_WINDOWS_PER_PLT = 11
"""Plt covers 12 Pst intervals (2 h): the case's window and 11 of steady training."""
CONFIRM_STEPS = 40
"""Steps of +5 % in τ allowed when the carrier flickermeter disagrees with the fast path."""
ENVELOPE_RATE_HZ = 200.0
"""Rate the POI voltage envelope is interpolated to for the flickermeter's fast path."""
FloatArray = npt.NDArray[np.float64]


class _Reference(Section):
    oscillation_band_low_hz: SPositiveFloat
    oscillation_band_high_hz: SPositiveFloat
    pst1_curve: Sourced[list[list[float]]]
    virginia_2024_load_loss_mw: SPositiveFloat


class DynamicsReference(Section):
    """Reference values of ``gridimpact/data/dynamics.toml`` (not case inputs)."""

    reference: _Reference


@lru_cache(maxsize=1)
def load_dynamics_reference() -> DynamicsReference:
    """Load and validate the reference tables of ``dynamics.toml``."""
    raw = read_data_toml(DATA_FILE)
    data = {k: raw[k] for k in ("reference",)}
    return validate_model(DynamicsReference, data, data_file_path(DATA_FILE))


@dataclass(frozen=True)
class PoiSupply:
    """The interconnection as the dynamics stage sees it (Thévenin equivalent + flows)."""

    sc_mva: float
    """IEC 60909 minimum-case short-circuit power (MVA)."""
    x_over_r: float
    vn_kv: float
    vm_pu_with_campus: float
    """NaN when the power flow with the campus has no solution."""
    vm_pu_without_campus: float
    supply_capacity_mva: float
    """Default ``S_t`` of the flicker allocation (the case may state its own)."""


@dataclass(frozen=True)
class _Flickermeter:
    """Pst/Plt of campus power waveforms at the POI."""

    sc_mva: float
    x_over_r: float
    power_factor: float
    sample_rate_hz: float
    lamp_voltage_v: int

    @property
    def grid_hz(self) -> float:
        return 60.0 if self.lamp_voltage_v == 120 else 50.0

    def voltage(self, p_mw: FloatArray) -> FloatArray:
        return poi_relative_voltage(p_mw, self.power_factor, self.sc_mva, self.x_over_r)

    def solvable(self, p_mw: FloatArray) -> bool:
        """Whether the POI voltage has a solution at every sample."""
        return bool(np.all(np.isfinite(self.voltage(p_mw))))

    def pst(self, p_mw: FloatArray, fast: bool = False) -> float:
        """Pst of one 10-min window (``fast``: from the RMS envelope, no carrier)."""
        u = self.voltage(p_mw)
        if fast:
            n = round(u.size * ENVELOPE_RATE_HZ / self.sample_rate_hz)
            t_s = np.arange(n) / ENVELOPE_RATE_HZ
            u_fine = np.interp(t_s, np.arange(u.size) / self.sample_rate_hz, u)
            return flicker.pst_from_relative_rms(
                u_fine, ENVELOPE_RATE_HZ, self.grid_hz, self.lamp_voltage_v
            )
        v, rate_hz = flicker.voltage_samples(u, self.sample_rate_hz, self.grid_hz)
        return flicker.pst(v, rate_hz, self.grid_hz, self.lamp_voltage_v)

    def severity(
        self, window_mw: FloatArray, steady_mw: FloatArray, fast: bool = False
    ) -> tuple[float, float, float]:
        """(Pst of the window, Pst of steady training, Plt over 2 h).

        NaN when the POI voltage has no solution at some sample (the campus exceeds
        the largest power the Thévenin equivalent can transfer): flicker is undefined.
        """
        if not (self.solvable(window_mw) and self.solvable(steady_mw)):
            return math.nan, math.nan, math.nan
        pst_window, pst_steady = self.pst(window_mw, fast), self.pst(steady_mw, fast)
        return (
            pst_window,
            pst_steady,
            flicker.plt([pst_window] + [pst_steady] * STEADY_WINDOWS_PER_PLT),
        )


def _check_inputs(gpu_power_peak_mw: float, static_power_mw: float, poi: PoiSupply) -> None:
    values = {"gpu_power_peak_mw": gpu_power_peak_mw, "static_power_mw": static_power_mw}
    values |= {f"poi.{k}": v for k, v in vars(poi).items() if k != "vm_pu_with_campus"}
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"run_dynamics: {name} must be finite (got {value})")
    for name in ("gpu_power_peak_mw", "static_power_mw"):
        if values[name] < 0.0:
            raise ValueError(f"run_dynamics: {name} must be >= 0 (got {values[name]})")
    for name in ("poi.sc_mva", "poi.x_over_r", "poi.vn_kv", "poi.supply_capacity_mva"):
        if values[name] <= 0.0:
            raise ValueError(f"run_dynamics: {name} must be > 0 (got {values[name]})")


def run_dynamics(
    workload: WorkloadSection,
    onsite: OnsiteSection,
    *,
    gpu_power_peak_mw: float,
    static_power_mw: float,
    facility_hourly_mw: pd.Series,
    poi: PoiSupply,
    grid_import_hourly_mw: pd.Series | None = None,
) -> DynamicsResult:
    """Swings, POI flicker, load loss and storage for one campus at one interconnection.

    Parameters
    ----------
    workload, onsite : WorkloadSection, OnsiteSection
        Case tables (defaults from ``gridimpact/data/dynamics.toml``).
    gpu_power_peak_mw : float
        Campus GPU power in the compute phase (the part that swings) (MW).
    static_power_mw : float
        Campus power that does not swing (hosts, fabric, cooling, losses) (MW).
    facility_hourly_mw : pandas.Series
        Campus load at the POI, hour by hour (8760 values) (MW).
    poi : PoiSupply
        The interconnection's minimum-case short circuit, flows and supply capacity.
    grid_import_hourly_mw : pandas.Series, optional
        Grid import hour by hour after on-site generation under the import cap (MW);
        the facility load when omitted (no on-site generation).

    Returns
    -------
    DynamicsResult

    References
    ----------
    .. [1] arXiv:2508.14318 (training swings); IEC 61000-4-15:2010 (flickermeter);
       IEC/TR 61000-3-7:2008 and IEEE Std 1453-2022 (planning levels, allocation);
       NERC Frequency Response Annual Analysis (β); ASTM E1049-85 (rainflow).
    """
    _check_inputs(gpu_power_peak_mw, static_power_mw, poi)
    hourly = np.asarray(facility_hourly_mw, dtype=float)
    if not np.all(np.isfinite(hourly)):
        raise ValueError("run_dynamics: facility_hourly_mw holds NaN or infinite values")
    hourly = hourly.clip(min=0.0)
    grid_mw = (
        hourly if grid_import_hourly_mw is None else np.asarray(grid_import_hourly_mw, dtype=float)
    )
    ref = load_dynamics_reference()
    window = wl.campus_waveforms(workload, gpu_power_peak_mw, static_power_mw)
    steady = wl.campus_waveforms(workload, gpu_power_peak_mw, static_power_mw, job_start_stop=False)
    meter = _Flickermeter(
        poi.sc_mva,
        poi.x_over_r,
        workload.swing_power_factor.value,
        workload.sample_rate_hz.value,
        int(onsite.flicker_lamp_voltage_v.value),
    )
    swing = _swing_metrics(workload, onsite, window, ref, hourly)
    quality = _power_quality(workload, onsite, window, steady, meter, poi, ref)
    store, series = _storage(onsite, window, steady, meter, quality, hourly)
    load_loss = _load_loss(window.campus_mw, grid_mw, onsite, poi, meter, ref)
    waveform = pd.DataFrame(
        {
            "campus_power_mw": window.campus_mw,
            "campus_power_smoothed_mw": window.smoothed_mw,
            **series,
            "poi_voltage_pu": meter.voltage(window.campus_mw),
            "poi_voltage_with_bess_pu": meter.voltage(series["grid_power_with_bess_mw"]),
        },
        index=pd.Index(window.time_s, name="time_s"),
    )
    freq, amp = wl.amplitude_spectrum_mw(window.campus_mw, workload.sample_rate_hz.value)
    band = (swing.oscillation_band_low_hz, swing.oscillation_band_high_hz)
    spectrum = pd.DataFrame(
        {
            "frequency_hz": freq,
            "amplitude_mw": amp,
            "in_oscillation_band": (freq >= band[0]) & (freq <= band[1]),
        }
    )
    return DynamicsResult(
        waveform=waveform,
        spectrum=spectrum,
        swing=swing,
        power_quality=quality,
        load_loss=load_loss,
        storage=store,
        parameters=_parameters(workload, onsite, ref, store),
    )


def _swing_metrics(
    w: WorkloadSection,
    onsite: OnsiteSection,
    wf: wl.CampusWaveforms,
    ref: DynamicsReference,
    hourly: FloatArray,
) -> SwingMetrics:
    fs = w.sample_rate_hz.value
    band = (
        ref.reference.oscillation_band_low_hz.value,
        ref.reference.oscillation_band_high_hz.value,
    )
    freq, amp = wl.amplitude_spectrum_mw(wf.campus_mw, fs)
    steady = wf.activity >= 1.0
    extra_mw = float(np.mean((wf.smoothed_mw - wf.campus_mw)[steady])) if steady.any() else 0.0
    return SwingMetrics(
        swing_peak_to_peak_mw=wl.peak_to_peak_mw(wf.campus_mw),
        max_ramp_mw_per_s=wl.max_ramp_mw_per_s(wf.campus_mw, fs),
        iteration_swing_mw=wf.iteration_swing_mw,
        iteration_frequency_hz=1.0 / w.iteration_period_s.value,
        dominant_frequency_hz=float(freq[1:][np.argmax(amp[1:])]),
        band_energy_fraction=wl.band_energy_fraction(freq, amp, *band),
        largest_swing_in_window_mw=wl.windowed_swing_mw(wf.campus_mw, _window(onsite, fs)),
        smoothed_swing_peak_to_peak_mw=wl.peak_to_peak_mw(wf.smoothed_mw),
        smoothed_max_ramp_mw_per_s=wl.max_ramp_mw_per_s(wf.smoothed_mw, fs),
        smoothing_extra_power_mw=extra_mw,
        smoothing_energy_mwh_per_year=storage.smoothing_energy_mwh_per_year(extra_mw, hourly),
        oscillation_band_low_hz=band[0],
        oscillation_band_high_hz=band[1],
        swing_window_s=onsite.swing_window_s.value,
    )


def _window(onsite: OnsiteSection, fs_hz: float) -> int:
    return round(onsite.swing_window_s.value * fs_hz)


def _dv_pct(delta_p_mw: float, meter: _Flickermeter, base_mw: float) -> float:
    """Voltage change at the POI when the campus drops by ``delta_p_mw`` from ``base_mw`` (%).

    Exact on the Thévenin equivalent (near a weak grid's voltage limit a change is
    larger than the small-change formula ``(ΔP cos ψ + ΔQ sin ψ)/S″k`` says).
    """
    p = np.array([base_mw, max(base_mw - delta_p_mw, 0.0)])
    v = thevenin_voltage_pu(
        p, np.asarray(pq.reactive_swing_mvar(p, meter.power_factor)), meter.sc_mva, meter.x_over_r
    )
    return float(100.0 * (v[1] - v[0]) / v[0])


def _power_quality(
    w: WorkloadSection,
    onsite: OnsiteSection,
    window: wl.CampusWaveforms,
    steady: wl.CampusWaveforms,
    meter: _Flickermeter,
    poi: PoiSupply,
    ref: DynamicsReference,
) -> PowerQuality:
    rate_per_min = pq.changes_per_minute(w.iteration_period_s.value)
    if onsite.voltage_change_limit_percent is None:
        limit_pct = float(
            pq.planning_limit_percent(
                rate_per_min, ref.reference.pst1_curve.value, onsite.pst_planning_level.value
            )
        )
    else:
        limit_pct = onsite.voltage_change_limit_percent.value
    campus_mva = float(np.max(window.campus_mw)) / meter.power_factor
    supply = onsite.flicker_supply_capacity_mva
    alloc = allocate_flicker_limits(
        campus_mva,
        poi.supply_capacity_mva if supply is None else supply.value,
        (onsite.pst_planning_level.value, onsite.plt_planning_level.value),
        (onsite.pst_upstream_planning_level.value, onsite.plt_upstream_planning_level.value),
        onsite.flicker_transfer_coefficient.value,
        (onsite.pst_basic_emission_limit.value, onsite.plt_basic_emission_limit.value),
    )
    pst_w, pst_s, plt_ = meter.severity(window.campus_mw, steady.campus_mw)
    pst_ws, _, plt_s = meter.severity(window.smoothed_mw, steady.smoothed_mw)
    peak_mw = float(np.max(window.campus_mw))
    fluct = _dv_pct(window.iteration_swing_mw, meter, peak_mw)
    step_mw = wl.windowed_swing_mw(window.campus_mw, _window(onsite, w.sample_rate_hz.value))
    return PowerQuality(
        pst_poi=pst_w,
        plt_poi=plt_,
        pst_poi_steady=pst_s,
        pst_poi_smoothed=pst_ws,
        plt_poi_smoothed=plt_s,
        pst_limit_allocated=alloc.pst_limit_allocated,
        plt_limit_allocated=alloc.plt_limit_allocated,
        allocation=alloc,
        lamp_voltage_v=meter.lamp_voltage_v,
        grid_hz=meter.grid_hz,
        poi_voltage_fluctuation_percent=fluct,
        poi_voltage_fluctuation_kv=fluct / 100.0 * poi.vn_kv,
        poi_voltage_step_percent=_dv_pct(step_mw, meter, peak_mw),
        poi_voltage_fluctuation_smoothed_percent=_dv_pct(
            window.smoothed_iteration_swing_mw, meter, peak_mw
        ),
        repetition_rate_per_min=rate_per_min,
        flicker_planning_limit_percent=limit_pct,
        planning_limit_swing_mw=pq.swing_limit_mw(
            limit_pct, meter.sc_mva, meter.x_over_r, meter.power_factor
        ),
        short_circuit_ratio=poi.sc_mva / max(float(np.max(window.campus_mw)), 1e-9),
        poi_sc_mva=poi.sc_mva,
        poi_x_over_r=poi.x_over_r,
    )


def battery_parameters(onsite: OnsiteSection) -> battery.BatteryParameters:
    """The case's battery technology (defaults from ``dynamics.toml`` ``[onsite]``)."""
    fields = {n: getattr(onsite, n) for n in type(onsite).model_fields if n.startswith("bess_")}
    return battery.BatteryParameters.from_values(fields)


def _time_constant_s(
    onsite: OnsiteSection,
    window_mw: FloatArray,
    steady_mw: FloatArray,
    meter: _Flickermeter,
    quality: PowerQuality,
) -> tuple[float, str]:
    """Smallest filter τ meeting the allocated Pst/Plt (and the case's swing targets)."""
    fs = meter.sample_rate_hz

    def within(tau_s: float, fast: bool) -> bool:
        lp = storage.first_order_lowpass_mw
        p_w, _, p_l = meter.severity(lp(window_mw, fs, tau_s), lp(steady_mw, fs, tau_s), fast)
        return p_w <= quality.pst_limit_allocated and p_l <= quality.plt_limit_allocated

    tau_s = storage.smallest_time_constant_s(lambda t: within(t, True), rel_tol=1e-2)
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


def _storage(
    onsite: OnsiteSection,
    window: wl.CampusWaveforms,
    steady: wl.CampusWaveforms,
    meter: _Flickermeter,
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
    win = _window(onsite, fs)
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
        residual_poi_voltage_change_percent=_dv_pct(
            residual_mw, meter, float(np.max(window.smoothed_mw))
        ),
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


def _split(onsite: OnsiteSection, fs_hz: float) -> Any:
    """Storage power → (supercapacitor, battery) by the case's crossover frequency."""
    crossover = onsite.supercap_crossover_hz

    def split(total_mw: FloatArray) -> tuple[FloatArray, FloatArray]:
        if crossover is None:
            return np.zeros_like(total_mw), total_mw
        return storage.split_fast_slow_mw(total_mw, fs_hz, crossover.value)

    return split


def _load_loss(
    campus_mw: FloatArray,
    grid_mw: FloatArray,
    onsite: OnsiteSection,
    poi: PoiSupply,
    meter: _Flickermeter,
    ref: DynamicsReference,
) -> LoadLoss:
    loss_mw = max(float(np.max(grid_mw)) if grid_mw.size else float(np.max(campus_mw)), 0.0)
    beta = onsite.frequency_response_mw_per_0p1hz.value
    return LoadLoss(
        load_loss_mw=loss_mw,
        load_loss_freq_deviation_hz=float(pq.frequency_deviation_hz(loss_mw, beta)),
        load_loss_poi_vm_pu=poi.vm_pu_without_campus,
        load_loss_poi_voltage_rise_percent=100.0
        * (poi.vm_pu_without_campus - poi.vm_pu_with_campus),
        load_loss_voltage_rise_estimate_percent=_dv_pct(loss_mw, meter, loss_mw),
        grid_import_peak_mw=loss_mw,
        reference_load_loss_mw=ref.reference.virginia_2024_load_loss_mw.value,
    )


def _parameters(
    workload: WorkloadSection,
    onsite: OnsiteSection,
    ref: DynamicsReference,
    store: StorageSizing,
) -> tuple[tuple[str, Sourced[Any]], ...]:
    items = iter_sourced(workload, "workload.") + iter_sourced(onsite, "onsite.")
    items += iter_sourced(ref, "dynamics.")
    items.append(
        (
            "dynamics.bess_target",
            Sourced[str](
                value=store.target_description,
                source="derived: IEC/TR 61000-3-7 allocation of the flicker planning levels "
                "to the campus (and the case's swing / ramp targets, if any)",
                confidence="derived",
            ),
        )
    )
    return tuple(items)
