"""Case table ``[workload]``: the power waveform of one synchronous training job.

Every field is optional; a missing field takes its sourced default from
``gridimpact/data/dynamics.toml`` (table ``[workload]``), so ``WorkloadSection()``
is a complete, valid section. GPU powers are fractions of the GPU's TDP.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from gridimpact.data import read_data_toml
from gridimpact.schema import (
    Section,
    SFraction,
    Sourced,
    SPositiveFloat,
    SPositiveFraction,
)
from gridimpact.validation import validate_model

DATA_FILE = "dynamics.toml"

SampleRateHz = Annotated[float, Field(ge=10.0)]
NonNegativeTime = Annotated[float, Field(ge=0.0)]


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return dict(read_data_toml(DATA_FILE)["workload"])


def _default(name: str) -> Any:
    return Field(default_factory=lambda: _defaults()[name])


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

    iteration_period_s: SPositiveFloat = _default("iteration_period_s")
    compute_duty_cycle: SPositiveFraction = _default("compute_duty_cycle")
    """Share of an iteration in the compute phase (-)."""
    compute_power_fraction: SPositiveFraction = _default("compute_power_fraction")
    """GPU power in the compute phase as a fraction of TDP (-)."""
    communication_power_fraction: SFraction = _default("communication_power_fraction")
    checkpoint_power_fraction: SFraction = _default("checkpoint_power_fraction")
    idle_power_fraction: SFraction = _default("idle_power_fraction")
    """GPU power before the job starts and after it stops (-)."""
    ramp_up_s: SPositiveFloat = _default("ramp_up_s")
    ramp_down_s: SPositiveFloat = _default("ramp_down_s")
    checkpoint_interval_s: SPositiveFloat = _default("checkpoint_interval_s")
    checkpoint_pause_s: Sourced[NonNegativeTime] = _default("checkpoint_pause_s")
    job_start_s: Sourced[NonNegativeTime] = _default("job_start_s")
    job_ramp_s: SPositiveFloat = _default("job_ramp_s")
    duration_s: SPositiveFloat = _default("duration_s")
    job_stop_s: SPositiveFloat = _default("job_stop_s")
    sample_rate_hz: Sourced[SampleRateHz] = _default("sample_rate_hz")
    swing_power_factor: SPositiveFraction = _default("swing_power_factor")
    """Power factor of the swinging GPU load (lagging), for the reactive swing."""
    gpu_power_floor_fraction: SFraction | None = None
    """GPU power smoothing: floor on GPU power while the job runs (fraction of TDP);
    ``None`` disables smoothing."""

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
