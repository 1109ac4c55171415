"""The dynamics stage: training swings, POI power quality, load loss, storage, turbines.

``run_dynamics`` builds the campus training-power waveform (sub-second), measures
its swing, ramp and spectrum, turns it into voltage fluctuation at the POI against
flicker planning levels, estimates the frequency deviation of a sudden loss of the
whole campus (its grid import: on-site turbine output is not lost with the load), and
sizes storage that holds the grid-side swing under a target. Turbines, emissions and
air permits are the on-site stage (``gridimpact/onsite/stage.py``). Equations:
``docs/methodology.md`` section 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.case.base import Section, SPositiveFloat
from gridimpact.case.onsite import OnsiteSection
from gridimpact.case.sourced import Sourced, iter_sourced
from gridimpact.case.validation import validate_model
from gridimpact.case.workload import WorkloadSection
from gridimpact.compute import workload as wl
from gridimpact.data import data_file_path, read_data_toml
from gridimpact.dynamics import power_quality as pq
from gridimpact.dynamics import storage

DATA_FILE = "dynamics.toml"
MAY_BE_UNKNOWN = frozenset({"load_loss_poi_voltage_rise_percent"})
"""Headline values that are NaN (shown as unknown) when the campus power flow diverged."""


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
class DynamicsResult:
    """Results of the dynamics stage (see module docstring).

    ``waveform`` (index ``time_s``): ``campus_power_mw`` (no smoothing),
    ``campus_power_smoothed_mw`` (GPU floor; equal to the former if disabled),
    ``grid_power_with_bess_mw``, ``bess_power_mw`` (battery, discharge > 0) and
    ``supercap_power_mw`` (zero without a supercapacitor); grid + battery +
    supercapacitor = smoothed campus power. ``spectrum``: one-sided amplitude of
    ``campus_power_mw``.
    """

    waveform: pd.DataFrame
    spectrum: pd.DataFrame
    headline: dict[str, float]
    findings: tuple[str, ...]
    parameters: tuple[tuple[str, Sourced[Any]], ...]


@dataclass(frozen=True)
class _Storage:
    time_constant_s: float
    grid_mw: np.ndarray
    bess_mw: np.ndarray
    supercap_mw: np.ndarray
    target_swing_mw: float | None
    target_ramp_mw_per_s: float | None
    target_source: str


def _check_inputs(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"run_dynamics: {name} must be finite (got {value})")
    for name in ("gpu_power_peak_mw", "static_power_mw"):
        if values[name] < 0.0:
            raise ValueError(f"run_dynamics: {name} must be >= 0 (got {values[name]})")
    for name in ("poi_sc_mva", "poi_x_over_r", "poi_vn_kv"):
        if values[name] <= 0.0:
            raise ValueError(f"run_dynamics: {name} must be > 0 (got {values[name]})")


def _size_storage(
    design_mw: np.ndarray, fs_hz: float, onsite: OnsiteSection, planning_swing_mw: float
) -> _Storage:
    swing = None if onsite.bess_max_swing_mw is None else onsite.bess_max_swing_mw.value
    ramp = None if onsite.bess_max_ramp_mw_per_s is None else onsite.bess_max_ramp_mw_per_s.value
    source = "case: onsite.bess_max_swing_mw / onsite.bess_max_ramp_mw_per_s"
    if swing is None and ramp is None:
        swing = planning_swing_mw
        source = "derived: swing at the POI that makes the flicker planning-level dV/V"
    window_s = onsite.swing_window_s.value
    tau_s = storage.size_time_constant_s(design_mw, fs_hz, window_s, swing, ramp)
    grid = storage.first_order_lowpass_mw(design_mw, fs_hz, tau_s)
    total = design_mw - grid
    if onsite.supercap_crossover_hz is None:
        fast, slow = np.zeros_like(total), total
    else:
        fast, slow = storage.split_fast_slow_mw(total, fs_hz, onsite.supercap_crossover_hz.value)
    return _Storage(tau_s, grid, slow, fast, swing, ramp, source)


def run_dynamics(
    workload: WorkloadSection,
    onsite: OnsiteSection,
    *,
    gpu_power_peak_mw: float,
    static_power_mw: float,
    facility_hourly_mw: pd.Series,
    poi_sc_mva: float,
    poi_x_over_r: float,
    poi_vn_kv: float,
    poi_vm_pu_with_campus: float,
    poi_vm_pu_without_campus: float,
    grid_import_hourly_mw: pd.Series | None = None,
) -> DynamicsResult:
    """Swings, POI effects, load loss, storage and turbines for one campus.

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
    poi_sc_mva, poi_x_over_r, poi_vn_kv : float
        Short-circuit power (MVA), X/R (-) and nominal voltage (kV) at the POI.
    poi_vm_pu_with_campus, poi_vm_pu_without_campus : float
        POI voltage from the power flow with and without the campus (pu).
    grid_import_hourly_mw : pandas.Series, optional
        Grid import hour by hour after on-site generation under the import cap (MW);
        the facility load when omitted (no on-site generation).

    Returns
    -------
    DynamicsResult

    References
    ----------
    .. [1] arXiv:2508.14318 (training swings); IEC/TR 61000-3-7:2008 and IEEE Std
       1453-2022 (flicker planning); NERC Frequency Response Annual Analysis (β);
       NERC incident review of the 10 July 2024 Virginia load loss.
    """
    _check_inputs(
        gpu_power_peak_mw=gpu_power_peak_mw,
        static_power_mw=static_power_mw,
        poi_sc_mva=poi_sc_mva,
        poi_x_over_r=poi_x_over_r,
        poi_vn_kv=poi_vn_kv,
        poi_vm_pu_without_campus=poi_vm_pu_without_campus,
    )
    # NaN when the power flow with the campus has no solution: the voltage rise on
    # losing the campus is then unknown (reported as such), the rest still holds.
    hourly = np.asarray(facility_hourly_mw, dtype=float)
    if not np.all(np.isfinite(hourly)):
        raise ValueError("run_dynamics: facility_hourly_mw holds NaN or infinite values")
    hourly = hourly.clip(min=0.0)
    grid_mw = (
        hourly if grid_import_hourly_mw is None else np.asarray(grid_import_hourly_mw, dtype=float)
    )
    ref = load_dynamics_reference()
    w, fs = workload, workload.sample_rate_hz.value
    band = (
        ref.reference.oscillation_band_low_hz.value,
        ref.reference.oscillation_band_high_hz.value,
    )

    # 1. waveform
    wf = wl.campus_waveforms(w, gpu_power_peak_mw, static_power_mw)
    campus, smoothed = wf.campus_mw, wf.smoothed_mw
    window = round(onsite.swing_window_s.value * fs)

    # 2. spectrum
    freq, amp = wl.amplitude_spectrum_mw(campus, fs)
    in_band = (freq >= band[0]) & (freq <= band[1])
    band_fraction = wl.band_energy_fraction(freq, amp, *band)
    dominant_hz = float(freq[1:][np.argmax(amp[1:])])

    # 3. POI voltage fluctuation against planning levels
    rate_per_min = pq.changes_per_minute(w.iteration_period_s.value)
    pf = w.swing_power_factor.value
    if onsite.voltage_change_limit_percent is None:
        limit_pct = float(
            pq.planning_limit_percent(
                rate_per_min, ref.reference.pst1_curve.value, onsite.pst_planning_level.value
            )
        )
    else:
        limit_pct = onsite.voltage_change_limit_percent.value

    def dv_pct(delta_p_mw: float) -> float:
        dq = pq.reactive_swing_mvar(delta_p_mw, pf)
        return float(pq.voltage_change_percent(delta_p_mw, dq, poi_sc_mva, poi_x_over_r))

    fluct_pct, fluct_smoothed_pct = (
        dv_pct(wf.iteration_swing_mw),
        dv_pct(wf.smoothed_iteration_swing_mw),
    )
    step_mw = wl.windowed_swing_mw(campus, window)
    planning_swing_mw = pq.swing_limit_mw(limit_pct, poi_sc_mva, poi_x_over_r, pf)

    # 4. storage
    st = _size_storage(smoothed, fs, onsite, planning_swing_mw)
    usable = onsite.bess_usable_energy_fraction.value
    bess_energy = storage.storage_energy_mwh(st.bess_mw, fs) / usable
    supercap_energy = storage.storage_energy_mwh(st.supercap_mw, fs)
    steady = wf.activity >= 1.0
    extra_mw = float(np.mean((smoothed - campus)[steady])) if steady.any() else 0.0
    smoothing_mwh = storage.smoothing_energy_mwh_per_year(extra_mw, hourly)

    # 5. sudden loss of the campus
    loss_mw = float(np.max(grid_mw)) if grid_mw.size else float(np.max(campus))
    loss_mw = max(loss_mw, 0.0)
    beta = onsite.frequency_response_mw_per_0p1hz.value
    df_hz = float(pq.frequency_deviation_hz(loss_mw, beta))

    headline = {
        "swing_peak_to_peak_mw": wl.peak_to_peak_mw(campus),
        "max_ramp_mw_per_s": wl.max_ramp_mw_per_s(campus, fs),
        "poi_voltage_fluctuation_percent": fluct_pct,
        "load_loss_freq_deviation_hz": df_hz,
        "load_loss_poi_vm_pu": float(poi_vm_pu_without_campus),
        "bess_power_mw_required": float(np.max(np.abs(st.bess_mw))),
        "bess_energy_mwh_required": bess_energy,
        "poi_voltage_fluctuation_kv": fluct_pct / 100.0 * poi_vn_kv,
        "short_circuit_ratio": poi_sc_mva / max(float(np.max(campus)), 1e-9),
        "iteration_swing_mw": wf.iteration_swing_mw,
        "iteration_frequency_hz": 1.0 / w.iteration_period_s.value,
        "dominant_frequency_hz": dominant_hz,
        "band_energy_fraction": band_fraction,
        "largest_swing_in_window_mw": step_mw,
        "repetition_rate_per_min": rate_per_min,
        "flicker_planning_limit_percent": limit_pct,
        "planning_limit_swing_mw": planning_swing_mw,
        "poi_voltage_step_percent": dv_pct(step_mw),
        "poi_voltage_fluctuation_smoothed_percent": fluct_smoothed_pct,
        "smoothed_swing_peak_to_peak_mw": wl.peak_to_peak_mw(smoothed),
        "smoothed_max_ramp_mw_per_s": wl.max_ramp_mw_per_s(smoothed, fs),
        "smoothing_extra_power_mw": extra_mw,
        "smoothing_energy_mwh_per_year": smoothing_mwh,
        "load_loss_mw": loss_mw,
        "load_loss_poi_voltage_rise_percent": 100.0
        * (poi_vm_pu_without_campus - poi_vm_pu_with_campus),
        "load_loss_voltage_rise_estimate_percent": dv_pct(loss_mw),
        "bess_filter_time_constant_s": st.time_constant_s,
        "residual_swing_mw": wl.windowed_swing_mw(st.grid_mw, window),
        "residual_max_ramp_mw_per_s": wl.max_ramp_mw_per_s(st.grid_mw, fs),
        "residual_poi_voltage_change_percent": dv_pct(wl.windowed_swing_mw(st.grid_mw, window)),
        "supercap_power_mw_required": float(np.max(np.abs(st.supercap_mw))),
        "supercap_energy_mwh_required": supercap_energy,
        "grid_import_peak_mw": loss_mw,
    }
    headline = {
        k: float(v) if k in MAY_BE_UNKNOWN else _finite(k, v) for k, v in headline.items()
    }

    waveform = pd.DataFrame(
        {
            "campus_power_mw": campus,
            "campus_power_smoothed_mw": smoothed,
            "grid_power_with_bess_mw": st.grid_mw,
            "bess_power_mw": st.bess_mw,
            "supercap_power_mw": st.supercap_mw,
        },
        index=pd.Index(wf.time_s, name="time_s"),
    )
    spectrum = pd.DataFrame(
        {"frequency_hz": freq, "amplitude_mw": amp, "in_oscillation_band": in_band}
    )
    findings = _findings(headline, onsite, ref, band, st)
    parameters = _parameters(workload, onsite, ref, st)
    return DynamicsResult(waveform, spectrum, headline, findings, parameters)


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ArithmeticError(f"dynamics headline {name} is not finite ({value})")
    return value


def _findings(
    h: dict[str, float],
    onsite: OnsiteSection,
    ref: DynamicsReference,
    band: tuple[float, float],
    st: _Storage,
) -> tuple[str, ...]:
    out: list[str] = []
    f_it = h["iteration_frequency_hz"]
    where = "falls in" if band[0] <= f_it <= band[1] else "falls outside"
    out.append(
        f"Training swing of {h['iteration_swing_mw']:.0f} MW at {f_it:.2f} Hz {where} the "
        f"{band[0]:g}-{band[1]:g} Hz oscillation band ({100 * h['band_energy_fraction']:.0f} % "
        f"of the fluctuating energy in the band); peak-to-peak including job start/stop "
        f"{h['swing_peak_to_peak_mw']:.0f} MW, ramps up to {h['max_ramp_mw_per_s']:.0f} MW/s."
    )
    verdict = (
        "exceeds"
        if h["poi_voltage_fluctuation_percent"] > h["flicker_planning_limit_percent"]
        else "is within"
    )
    out.append(
        f"Repeated voltage change at the POI of {h['poi_voltage_fluctuation_percent']:.2f} % at "
        f"{h['repetition_rate_per_min']:.0f} changes/min {verdict} the planning-level limit of "
        f"{h['flicker_planning_limit_percent']:.2f} % (IEC 61000-3-7 / IEEE 1453); the largest "
        f"swing the POI tolerates at this rate is {h['planning_limit_swing_mw']:.0f} MW."
    )
    vir = ref.reference.virginia_2024_load_loss_mw.value
    out.append(
        f"Sudden loss of the campus ({h['load_loss_mw']:.0f} MW, "
        f"{h['load_loss_mw'] / vir:.1f}x the ~{vir:.0f} MW lost in Virginia on 10 July 2024) "
        f"raises interconnection frequency by ~{1000 * h['load_loss_freq_deviation_hz']:.0f} mHz "
        f"(df = dP/beta) and the POI voltage to {h['load_loss_poi_vm_pu']:.3f} pu."
    )
    if st.time_constant_s > 0.0:
        target = (
            f"swing <= {st.target_swing_mw:.0f} MW in {onsite.swing_window_s.value:g} s"
            if st.target_swing_mw is not None
            else ""
        )
        if st.target_ramp_mw_per_s is not None:
            target += (" and " if target else "") + f"ramp <= {st.target_ramp_mw_per_s:g} MW/s"
        out.append(
            f"Storage to hold {target}: {h['bess_power_mw_required']:.0f} MW / "
            f"{h['bess_energy_mwh_required']:.1f} MWh (filter time constant "
            f"{h['bess_filter_time_constant_s']:.1f} s; residual swing "
            f"{h['residual_swing_mw']:.0f} MW, ramp {h['residual_max_ramp_mw_per_s']:.0f} MW/s)."
        )
    else:
        out.append("No storage is needed: the campus waveform already meets the swing target.")
    if h["smoothing_extra_power_mw"] > 0.0:
        out.append(
            f"GPU power smoothing burns {h['smoothing_extra_power_mw']:.1f} MW on average "
            f"while training, ~{h['smoothing_energy_mwh_per_year']:,.0f} MWh/yr."
        )
    return tuple(out)


def _parameters(
    workload: WorkloadSection,
    onsite: OnsiteSection,
    ref: DynamicsReference,
    st: _Storage,
) -> tuple[tuple[str, Sourced[Any]], ...]:
    items = iter_sourced(workload, "workload.") + iter_sourced(onsite, "onsite.")
    items += iter_sourced(ref, "dynamics.")
    if st.target_swing_mw is not None and onsite.bess_max_swing_mw is None:
        items.append(
            (
                "dynamics.bess_target_swing_mw",
                Sourced[float](
                    value=st.target_swing_mw,
                    unit="MW",
                    source=st.target_source,
                    confidence="derived",
                ),
            )
        )
    return tuple(items)
