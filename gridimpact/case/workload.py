"""Case table ``[workload]``: the power waveform of one synchronous training job.

Every field is optional; a missing field takes its sourced default from
``gridimpact/data/dynamics.toml`` (table ``[workload]``), so ``WorkloadSection()``
is a complete, valid section. GPU powers are fractions of the GPU's TDP.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, ValidationInfo, field_validator

from gridimpact.case.bounds import MAX_SAMPLES, Fraction, PositiveFraction, PowerFactor, finite
from gridimpact.data import data_default
from gridimpact.schema import Section, Sourced
from gridimpact.validation import validate_model

DATA_FILE = "dynamics.toml"

MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ = 10, 1000
MIN_DURATION_S, MAX_DURATION_S = 600, 3600
MIN_SAMPLES_PER_ITERATION = 4


IterationPeriodS = Annotated[float, finite(ge=0.1, le=600)]
EdgeS = Annotated[float, finite(ge=0.001, le=MAX_DURATION_S)]
CheckpointIntervalS = Annotated[float, finite(ge=1, le=604_800)]
NonNegativeTime = Annotated[float, finite(ge=0, le=604_800)]
JobTimeS = Annotated[float, finite(ge=0, le=MAX_DURATION_S)]
JobStopS = Annotated[float, finite(gt=0, le=MAX_DURATION_S)]
DurationS = Annotated[float, finite(ge=MIN_DURATION_S, le=MAX_DURATION_S)]
SampleRateHz = Annotated[float, finite(ge=MIN_SAMPLE_RATE_HZ, le=MAX_SAMPLE_RATE_HZ)]


def _default(name: str) -> Any:
    return data_default(DATA_FILE, "workload", name)


def _value(info: ValidationInfo, name: str) -> float | None:
    item = info.data.get(name)
    return None if item is None else float(item.value)


class WorkloadSection(Section):
    """Iteration timing, power levels, checkpoints, job start/stop and sampling.

    Cross-field bounds (ramps that fit their phase, a floor at or below the compute
    level, a stop after the start, ...) are checked field by field so that an error
    names the offending field, e.g. ``workload.gpu_power_floor_fraction``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    iteration_period_s: Sourced[IterationPeriodS] = _default("iteration_period_s")
    """Period of one training iteration (s).

    0.1-600 s: synchronous training iterations last ~1-10 s (arXiv:2508.14318); a
    10-min cycle is a load change, not an oscillation.
    """
    compute_duty_cycle: Sourced[PositiveFraction] = _default("compute_duty_cycle")
    """Share of an iteration in the compute phase (-).

    (0, 1]: a share of the iteration (the communication phase must hold ramp_down_s).
    """
    compute_power_fraction: Sourced[PositiveFraction] = _default("compute_power_fraction")
    """GPU power in the compute phase as a fraction of TDP (-).

    (0, 1]: a GPU's sustained power is capped at its TDP.
    """
    communication_power_fraction: Sourced[Fraction] = _default("communication_power_fraction")
    """GPU power in the communication phase as a fraction of TDP (-).

    0 to compute_power_fraction: GPUs wait on the network at lower power.
    """
    checkpoint_power_fraction: Sourced[Fraction] = _default("checkpoint_power_fraction")
    """GPU power while a checkpoint is written as a fraction of TDP (-).

    0 to compute_power_fraction: GPUs near idle while storage is written.
    """
    idle_power_fraction: Sourced[Fraction] = _default("idle_power_fraction")
    """GPU power before the job starts and after it stops (-).

    0 to compute_power_fraction: an idle GPU draws less than a busy one.
    """
    ramp_up_s: Sourced[EdgeS] = _default("ramp_up_s")
    """Rise time of the compute edge (s).

    1 ms up to the compute phase: GPU power steps within tens of ms, never instantly.
    """
    ramp_down_s: Sourced[EdgeS] = _default("ramp_down_s")
    """Fall time of the compute edge (s).

    1 ms up to the communication phase: as ramp_up_s.
    """
    checkpoint_interval_s: Sourced[CheckpointIntervalS] = _default("checkpoint_interval_s")
    """Time between checkpoints (s).

    1 s to 1 week: checkpoints take seconds to write; no large run goes a week without.
    """
    checkpoint_pause_s: Sourced[NonNegativeTime] = _default("checkpoint_pause_s")
    """Compute pause while a checkpoint is written (s).

    0 up to checkpoint_interval_s: the pause fits between checkpoints.
    """
    job_start_s: Sourced[JobTimeS] = _default("job_start_s")
    """When the job starts in the waveform window (s).

    0 to 3,600 s, before job_stop_s: inside the longest window.
    """
    job_ramp_s: Sourced[EdgeS] = _default("job_ramp_s")
    """Whole-cluster start / stop ramp (s).

    1 ms to 3,600 s: a start is never instant and fits in the longest window.
    """
    duration_s: Sourced[DurationS] = _default("duration_s")
    """Length of the waveform window (s).

    600-3,600 s: at least one IEC 61000-4-15 Pst interval (10 min) and two iterations;
    at most an hour (longer behaviour is the hourly profile's), within the sample budget.
    """
    job_stop_s: Sourced[JobStopS] = _default("job_stop_s")
    """When the job stops (or fails) in the window (s).

    After job_start_s, at most duration_s.
    """
    sample_rate_hz: Sourced[SampleRateHz] = _default("sample_rate_hz")
    """Sampling rate of the waveform (Hz).

    10-1,000 Hz: resolves the 0.1-2 Hz swing band (Nyquist 5 Hz) up to 1-ms edges; at
    least 4 samples per iteration; duration_s × sample_rate_hz a whole number ≤ 10⁶
    samples (memory).
    """
    swing_power_factor: Sourced[PowerFactor] = _default("swing_power_factor")
    """Power factor of the swinging GPU load (lagging), for the reactive swing.

    0.5-1: server supplies with active PFC run at ≥ 0.95; 0.5 is below any PFC supply.
    """
    gpu_power_floor_fraction: Sourced[Fraction] | None = None
    """GPU power smoothing: floor on GPU power while the job runs (fraction of TDP);
    ``None`` disables smoothing.

    0 to compute_power_fraction: a floor above the peak would be the peak.
    """

    @field_validator(
        "communication_power_fraction", "checkpoint_power_fraction", "idle_power_fraction"
    )
    @classmethod
    def _below_compute(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        top = _value(info, "compute_power_fraction")
        if top is not None and v.value > top:
            raise ValueError(f"must not exceed compute_power_fraction ({top}) (got {v.value})")
        return v

    @field_validator("ramp_up_s")
    @classmethod
    def _ramp_up_fits(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        period, duty = _value(info, "iteration_period_s"), _value(info, "compute_duty_cycle")
        if period is not None and duty is not None and v.value > duty * period:
            raise ValueError(
                f"must fit in the compute phase of {duty * period:g} s (got {v.value})"
            )
        return v

    @field_validator("ramp_down_s")
    @classmethod
    def _ramp_down_fits(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        period, duty = _value(info, "iteration_period_s"), _value(info, "compute_duty_cycle")
        if period is not None and duty is not None and v.value > (1.0 - duty) * period:
            raise ValueError(
                f"must fit in the communication phase of {(1.0 - duty) * period:g} s"
                f" (got {v.value})"
            )
        return v

    @field_validator("checkpoint_pause_s")
    @classmethod
    def _pause_fits(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        interval = _value(info, "checkpoint_interval_s")
        if interval is not None and v.value >= interval:
            raise ValueError(
                f"must be shorter than checkpoint_interval_s ({interval}) (got {v.value})"
            )
        return v

    @field_validator("duration_s")
    @classmethod
    def _long_enough(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        period = _value(info, "iteration_period_s")
        if period is not None and v.value < 2.0 * period:
            raise ValueError(
                f"must cover at least two iterations ({2 * period:g} s) (got {v.value})"
            )
        return v

    @field_validator("job_stop_s")
    @classmethod
    def _stop_after_start(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        start, duration = _value(info, "job_start_s"), _value(info, "duration_s")
        if start is not None and v.value <= start:
            raise ValueError(f"must be after job_start_s ({start}) (got {v.value})")
        if duration is not None and v.value > duration:
            raise ValueError(f"must not be after duration_s ({duration}) (got {v.value})")
        return v

    @field_validator("sample_rate_hz")
    @classmethod
    def _within_budget(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        duration, period = _value(info, "duration_s"), _value(info, "iteration_period_s")
        if duration is not None and duration * v.value > MAX_SAMPLES:
            raise ValueError(
                f"duration_s × sample_rate_hz = {duration:g} s × {v.value:g} Hz ="
                f" {duration * v.value:,.0f} samples exceeds the budget of {MAX_SAMPLES:,}"
                " samples (memory of the dynamics stage); lower workload.sample_rate_hz or"
                " workload.duration_s"
            )
        if duration is not None and abs(duration * v.value - round(duration * v.value)) > 1e-6:
            # a fractional count is rounded down to a window shorter than duration_s,
            # which can leave the flickermeter short of its 600-s Pst interval
            raise ValueError(
                f"duration_s × sample_rate_hz = {duration:g} s × {v.value:g} Hz ="
                f" {duration * v.value:g} must be a whole number of samples (got {v.value:g})"
            )
        if period is not None and period * v.value < MIN_SAMPLES_PER_ITERATION:
            raise ValueError(
                f"must give at least {MIN_SAMPLES_PER_ITERATION} samples per iteration of"
                f" iteration_period_s = {period:g} s, i.e. at least"
                f" {MIN_SAMPLES_PER_ITERATION / period:g} Hz (got {v.value:g})"
            )
        return v

    @field_validator("gpu_power_floor_fraction")
    @classmethod
    def _floor_below_peak(
        cls, v: Sourced[float] | None, info: ValidationInfo
    ) -> Sourced[float] | None:
        top = _value(info, "compute_power_fraction")
        if v is not None and top is not None and v.value > top:
            raise ValueError(f"floor above the compute (peak) power fraction {top} (got {v.value})")
        return v


class _WorkloadTable(Section):
    workload: WorkloadSection


def parse_workload(data: dict[str, Any], file: str) -> WorkloadSection:
    """Validate a ``[workload]`` table; errors name ``workload.<field>``."""
    return validate_model(_WorkloadTable, {"workload": data}, file).workload
