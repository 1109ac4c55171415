"""Typed, frozen results of the dynamics stage (plain data for the report).

Field names are the headline keys of ``results.json`` (units in every name), so
:attr:`DynamicsResult.headline` is a flat view of the groups, never a second
computation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gridimpact.dynamics.allocation import FlickerAllocation
from gridimpact.schema import Sourced


@dataclass(frozen=True)
class SwingMetrics:
    """The campus training-power waveform: swing, ramp and spectrum."""

    swing_peak_to_peak_mw: float
    max_ramp_mw_per_s: float
    iteration_swing_mw: float
    iteration_frequency_hz: float
    dominant_frequency_hz: float
    band_energy_fraction: float
    largest_swing_in_window_mw: float
    smoothed_swing_peak_to_peak_mw: float
    smoothed_max_ramp_mw_per_s: float
    smoothing_extra_power_mw: float
    smoothing_energy_mwh_per_year: float
    oscillation_band_low_hz: float
    oscillation_band_high_hz: float
    swing_window_s: float
    waveform_mean_mw: float
    """Mean of the steady-training waveform (MW): equals ``waveform_hour_facility_mw``."""
    waveform_peak_mw: float
    """Highest instantaneous campus power of the window, the compute phase (MW)."""
    waveform_hour_facility_mw: float
    """Hourly facility load of the hour the waveform is drawn for (MW)."""
    waveform_hour: str
    """Which hour that is (e.g. ``"design day 15:00"``)."""


@dataclass(frozen=True)
class PowerQuality:
    """Voltage fluctuation and flicker severity at the POI against the allocated limits.

    ``pst_poi``: the IEC 61000-4-15 flickermeter on the POI voltage of the case's
    10-minute window (with its job start and stop); ``plt_poi``: over two hours, the
    window followed by eleven windows of steady training. ``*_smoothed``: with the
    GPU power floor (equal to the unsmoothed values when the case has none).
    """

    pst_poi: float
    plt_poi: float
    pst_poi_steady: float
    pst_poi_smoothed: float
    plt_poi_smoothed: float
    pst_limit_allocated: float
    plt_limit_allocated: float
    allocation: FlickerAllocation
    lamp_voltage_v: int
    grid_hz: float
    poi_voltage_fluctuation_percent: float
    poi_voltage_fluctuation_kv: float
    poi_voltage_step_percent: float
    poi_voltage_fluctuation_smoothed_percent: float
    repetition_rate_per_min: float
    flicker_planning_limit_percent: float
    """ΔV/V of repeated rectangular changes at the iteration rate that gives the Pst
    planning level (IEC 61000-4-15 Table 5 curve): a screening value only."""
    planning_limit_swing_mw: float
    short_circuit_ratio: float
    poi_sc_mva: float
    poi_x_over_r: float
    poi_max_transfer_mw: float
    """Largest power the POI's minimum-case Thévenin equivalent delivers at the campus
    power factor (the nose of the P-V curve) (MW)."""
    poi_voltage_collapse: bool
    """The compute-phase peak exceeds ``poi_max_transfer_mw``: the POI voltage has no
    solution at some instant, so Pst, Plt and the voltage changes are undefined
    (null in results.json) and the campus cannot run there without storage."""

    @property
    def flicker_within_limits(self) -> bool:
        """Pst and Plt at the POI within the campus's allocated emission limits."""
        return self.pst_poi <= self.pst_limit_allocated and self.plt_poi <= self.plt_limit_allocated


@dataclass(frozen=True)
class LoadLoss:
    """Sudden loss of the whole campus (its grid import)."""

    load_loss_mw: float
    load_loss_freq_deviation_hz: float
    load_loss_poi_vm_pu: float
    load_loss_poi_voltage_rise_percent: float
    """From the power flows with and without the campus; NaN when the flow with the
    campus has no solution."""
    load_loss_voltage_rise_estimate_percent: float
    grid_import_peak_mw: float
    reference_load_loss_mw: float
    """The ~1,500 MW of data-center load lost in Virginia on 10 July 2024 (NERC)."""


@dataclass(frozen=True)
class StorageSizing:
    """The battery (and optional supercapacitor) that holds the POI to its target.

    ``target`` is ``"flicker"`` (Pst and Plt within the allocated limits) or
    ``"swing"`` (the case's swing / ramp targets).
    """

    target: str
    target_description: str
    bess_filter_time_constant_s: float
    bess_power_mw_required: float
    bess_energy_mwh_required: float
    bess_c_rate: float
    bess_full_cycles_per_year: float
    bess_cycle_life_years: float
    bess_roundtrip_efficiency: float
    bess_loss_mwh_per_year: float
    bess_throughput_mwh_per_year: float
    bess_energy_binding: str
    bess_operating_hours_per_year: float
    pst_poi_with_bess: float
    plt_poi_with_bess: float
    residual_swing_mw: float
    residual_max_ramp_mw_per_s: float
    residual_poi_voltage_change_percent: float
    supercap_power_mw_required: float
    supercap_energy_mwh_required: float


@dataclass(frozen=True)
class DynamicsResult:
    """Results of the dynamics stage at one interconnection.

    ``waveform`` (index ``time_s``, the case's window): ``campus_power_mw``,
    ``campus_power_smoothed_mw`` (GPU floor; equal to the former if disabled),
    ``grid_power_with_bess_mw``, ``bess_power_mw`` (discharge > 0),
    ``supercap_power_mw`` and ``poi_voltage_pu`` / ``poi_voltage_with_bess_pu``
    (relative to their means). ``spectrum``: one-sided amplitude of
    ``campus_power_mw``.
    """

    waveform: pd.DataFrame
    spectrum: pd.DataFrame
    swing: SwingMetrics
    power_quality: PowerQuality
    load_loss: LoadLoss
    storage: StorageSizing
    parameters: tuple[tuple[str, Sourced[Any]], ...]

    @property
    def headline(self) -> dict[str, Any]:
        """Every scalar of the groups under its own (headline) name."""
        out: dict[str, Any] = {}
        for group in (self.swing, self.power_quality, self.load_loss, self.storage):
            for f in dataclasses.fields(group):
                value = getattr(group, f.name)
                if isinstance(value, float | int | str) and not isinstance(value, bool):
                    out[f.name] = value
        pq = self.power_quality
        out["flicker_installation_mva"] = pq.allocation.installation_mva
        out["flicker_supply_capacity_mva"] = pq.allocation.supply_capacity_mva
        out["flicker_share_of_supply_capacity"] = pq.allocation.share_of_supply_capacity
        out["flicker_transfer_coefficient"] = pq.allocation.transfer_coefficient
        out["flicker_within_limits"] = pq.flicker_within_limits
        out["poi_voltage_collapse"] = pq.poi_voltage_collapse
        return out
