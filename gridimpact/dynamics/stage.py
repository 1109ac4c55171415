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
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.data import load_validated
from gridimpact.dynamics import power_quality as pq
from gridimpact.dynamics import storage
from gridimpact.dynamics.allocation import allocate_flicker_limits
from gridimpact.dynamics.load_loss import frequency_deviation_hz
from gridimpact.dynamics.mitigation import size_storage
from gridimpact.dynamics.poi import PoiFlickermeter, PoiSupply, dv_percent
from gridimpact.dynamics.results import (
    DynamicsResult,
    LoadLoss,
    PowerQuality,
    StorageSizing,
    SwingMetrics,
)
from gridimpact.dynamics.waveform import max_transfer_mw
from gridimpact.schema import Section, Sourced, SPositiveFloat, iter_sourced

__all__ = ["DynamicsResult", "PoiSupply", "load_dynamics_reference", "run_dynamics"]

DATA_FILE = "dynamics.toml"
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
    return load_validated(DATA_FILE, DynamicsReference, tables=("reference",))


def _check_inputs(gpu_power_peak_mw: float, facility_hour_mw: float, poi: PoiSupply) -> None:
    values = {"gpu_power_peak_mw": gpu_power_peak_mw, "facility_hour_mw": facility_hour_mw}
    values |= {f"poi.{k}": v for k, v in vars(poi).items() if k != "vm_pu_with_campus"}
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"run_dynamics: {name} must be finite (got {value})")
    for name in ("gpu_power_peak_mw", "facility_hour_mw"):
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
    facility_hour_mw: float,
    facility_hourly_mw: pd.Series,
    poi: PoiSupply,
    grid_import_hourly_mw: pd.Series | None = None,
    facility_hour: str = "",
) -> DynamicsResult:
    """Swings, POI flicker, load loss and storage for one campus at one interconnection.

    Parameters
    ----------
    workload, onsite : WorkloadSection, OnsiteSection
        Case tables (defaults from ``gridimpact/data/dynamics.toml``).
    gpu_power_peak_mw : float
        Campus GPU power in the compute phase (the part that swings) (MW).
    facility_hour_mw : float
        Facility load of the hour the waveform is drawn for (MW): steady training
        averages to it (one load basis); the power that does not swing (hosts, fabric,
        cooling, losses) is what remains after the mean GPU power.
    facility_hourly_mw : pandas.Series
        Campus load at the POI, hour by hour (8760 values) (MW).
    poi : PoiSupply
        The interconnection's minimum-case short circuit, flows and supply capacity.
    grid_import_hourly_mw : pandas.Series, optional
        Grid import hour by hour after on-site generation under the import cap (MW);
        the facility load when omitted (no on-site generation).
    facility_hour : str
        What the hour is (e.g. ``"design day 15:00"``), for the report.

    Returns
    -------
    DynamicsResult

    References
    ----------
    .. [1] arXiv:2508.14318 (training swings); IEC 61000-4-15:2010 (flickermeter);
       IEC/TR 61000-3-7:2008 and IEEE Std 1453-2022 (planning levels, allocation);
       NERC Frequency Response Annual Analysis (β); ASTM E1049-85 (rainflow).
    """
    _check_inputs(gpu_power_peak_mw, facility_hour_mw, poi)
    static_power_mw = wl.static_power_for_hour_mw(workload, gpu_power_peak_mw, facility_hour_mw)
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
    meter = PoiFlickermeter(
        poi.sc_mva,
        poi.x_over_r,
        workload.swing_power_factor.value,
        workload.sample_rate_hz.value,
        int(onsite.flicker_lamp_voltage_v.value),
    )
    swing = _swing_metrics(
        workload, onsite, (window, steady), ref, hourly, (facility_hour_mw, facility_hour)
    )
    quality = assess_power_quality(workload, onsite, window, steady, meter, poi, ref)
    store, series = size_storage(onsite, window, steady, meter, quality, hourly)
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
    waves: tuple[wl.CampusWaveforms, wl.CampusWaveforms],
    ref: DynamicsReference,
    hourly: FloatArray,
    hour: tuple[float, str],
) -> SwingMetrics:
    wf, steady_wf = waves
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
        largest_swing_in_window_mw=wl.windowed_swing_mw(
            wf.campus_mw, round(onsite.swing_window_s.value * fs)
        ),
        smoothed_swing_peak_to_peak_mw=wl.peak_to_peak_mw(wf.smoothed_mw),
        smoothed_max_ramp_mw_per_s=wl.max_ramp_mw_per_s(wf.smoothed_mw, fs),
        smoothing_extra_power_mw=extra_mw,
        smoothing_energy_mwh_per_year=storage.smoothing_energy_mwh_per_year(extra_mw, hourly),
        oscillation_band_low_hz=band[0],
        oscillation_band_high_hz=band[1],
        swing_window_s=onsite.swing_window_s.value,
        waveform_mean_mw=float(np.mean(steady_wf.campus_mw)),
        waveform_peak_mw=float(np.max(wf.campus_mw)),
        waveform_hour_facility_mw=hour[0],
        waveform_hour=hour[1],
    )


def assess_power_quality(
    w: WorkloadSection,
    onsite: OnsiteSection,
    window: wl.CampusWaveforms,
    steady: wl.CampusWaveforms,
    meter: PoiFlickermeter,
    poi: PoiSupply,
    ref: DynamicsReference,
) -> PowerQuality:
    """Flicker of the campus at the POI against the limits allocated to it (no storage).

    Pst of the case window and of steady training, Plt over 2 h (window + 11 steady
    windows), with and without GPU power smoothing; the IEC/TR 61000-3-7 allocation;
    the voltage-change screening values.
    """
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
    if w.gpu_power_floor_fraction is None:  # no floor: the smoothed waveform is the campus's
        pst_ws, plt_s = pst_w, plt_
    else:
        pst_ws, _, plt_s = meter.severity(window.smoothed_mw, steady.smoothed_mw)
    peak_mw = float(np.max(window.campus_mw))
    fluct = dv_percent(window.iteration_swing_mw, meter, peak_mw)
    step_mw = wl.windowed_swing_mw(
        window.campus_mw, round(onsite.swing_window_s.value * w.sample_rate_hz.value)
    )
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
        poi_voltage_step_percent=dv_percent(step_mw, meter, peak_mw),
        poi_voltage_fluctuation_smoothed_percent=dv_percent(
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
        poi_max_transfer_mw=max_transfer_mw(poi.sc_mva, poi.x_over_r, meter.power_factor),
        poi_voltage_collapse=not meter.solvable(window.campus_mw),
    )


def _load_loss(
    campus_mw: FloatArray,
    grid_mw: FloatArray,
    onsite: OnsiteSection,
    poi: PoiSupply,
    meter: PoiFlickermeter,
    ref: DynamicsReference,
) -> LoadLoss:
    loss_mw = max(float(np.max(grid_mw)) if grid_mw.size else float(np.max(campus_mw)), 0.0)
    beta = onsite.frequency_response_mw_per_0p1hz.value
    return LoadLoss(
        load_loss_mw=loss_mw,
        load_loss_freq_deviation_hz=float(frequency_deviation_hz(loss_mw, beta)),
        load_loss_poi_vm_pu=poi.vm_pu_without_campus,
        load_loss_poi_voltage_rise_percent=100.0
        * (poi.vm_pu_without_campus - poi.vm_pu_with_campus),
        load_loss_voltage_rise_estimate_percent=dv_percent(loss_mw, meter, loss_mw),
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
