"""Case table ``[time_domain]`` and the dynamic data of ``data/dynamic_models.toml``.

Every field of ``[time_domain]`` is optional; a missing field takes its sourced
default from ``gridimpact/data/dynamic_models.toml`` (table ``[time_domain]``), so
``TimeDomainSection()`` is complete and valid. The same file holds the typical
machine, exciter and governor data and the external-grid equivalent
(:class:`DynamicData`, read with :func:`load_dynamic_data`), which are not case
inputs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from gridimpact.case.bounds import PositiveFraction, finite
from gridimpact.data import data_default, load_validated
from gridimpact.schema import Section, Sourced

DATA_FILE = "dynamic_models.toml"
FREQUENCY_RESPONSE_FILE = "dynamics.toml"

MAX_RIDE_THROUGH_TIERS = 10

ClearingTimeS = Annotated[float, finite(gt=0, le=1.0)]
FaultReactancePu = Annotated[float, finite(gt=0, le=1.0)]
EventTimeS = Annotated[float, finite(ge=0.1, le=60)]
SimulationS = Annotated[float, finite(ge=1, le=600)]
TimeStepS = Annotated[float, finite(ge=0.0005, le=0.05)]
WindowS = Annotated[float, finite(gt=0, le=5)]
DampingRatio = Annotated[float, finite(gt=0, le=0.5)]
TierVoltagePu = Annotated[float, finite(gt=0, le=1.0)]
TierDurationS = Annotated[float, finite(ge=0, le=60)]


def _default(name: str) -> Any:
    return data_default(DATA_FILE, "time_domain", name)


class RideThroughTier(Section):
    """One tier of the campus ride-through curve.

    When the POI voltage stays below ``voltage_pu`` for longer than ``duration_s``,
    ``share_fraction`` of the campus load drops; ``returns`` says whether it comes back
    when the voltage recovers.
    """

    name: str = Field(min_length=1, max_length=64)
    voltage_pu: Sourced[TierVoltagePu]
    """Voltage threshold (pu of nominal), (0, 1]: a dip is a voltage below nominal."""
    duration_s: Sourced[TierDurationS]
    """Time below the threshold before the load drops (s), 0-60 s: beyond a minute
    it is an outage, not a ride-through."""
    share_fraction: Sourced[PositiveFraction]
    """Share of the campus load that drops, (0, 1]."""
    returns: Sourced[bool]
    """Whether the dropped load comes back when the voltage recovers."""
    return_delay_s: Sourced[TierDurationS]
    """Time from the trip to the return (s), 0-60 s; used only when ``returns``."""


class TimeDomainSection(Section):
    """Settings of the time-domain studies (campus trip, fault, modes, forced oscillation)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    fault_bus: str | None = None
    """Bus of the three-phase fault (name as ``grid.poi_bus``); the POI if omitted."""
    fault_clearing_time_s: Sourced[ClearingTimeS] = _default("fault_clearing_time_s")
    """Fault clearing time (s), (0, 1]: HV faults are cleared within cycles; a
    second is beyond any backup-protection time."""
    fault_reactance_pu: Sourced[FaultReactancePu] = _default("fault_reactance_pu")
    """Fault reactance (pu on the system base), (0, 1]: bolted (1e-4) to remote."""
    event_time_s: Sourced[EventTimeS] = _default("event_time_s")
    """Time of every event after the start of the simulation (s), 0.1-60 s."""
    load_loss_duration_s: Sourced[SimulationS] = _default("load_loss_duration_s")
    """Simulated time of the campus trip (s), 1-600 s."""
    fault_duration_s: Sourced[SimulationS] = _default("fault_duration_s")
    """Simulated time of the fault study (s), 1-600 s."""
    forced_oscillation_duration_s: Sourced[SimulationS] = _default("forced_oscillation_duration_s")
    """Simulated time of the forced-oscillation run (s), 1-600 s."""
    time_step_s: Sourced[TimeStepS] = _default("time_step_s")
    """Integration step (s), 0.5 ms to 50 ms (at most 1/(10 f) of the 2 Hz band top)."""
    rocof_window_s: Sourced[WindowS] = _default("rocof_window_s")
    """RoCoF measurement window (s), (0, 5]."""
    poorly_damped_ratio: Sourced[DampingRatio] = _default("poorly_damped_ratio")
    """Damping ratio below which a mode is poorly damped, (0, 0.5]."""
    ride_through: list[RideThroughTier] = data_default(
        DATA_FILE,
        "time_domain",
        "ride_through",
        min_length=1,
        max_length=MAX_RIDE_THROUGH_TIERS,
    )
    """Ride-through tiers of the campus (ITIC / NERC 2025 / PSU hold-up defaults)."""

    @field_validator("ride_through")
    @classmethod
    def _distinct_names(cls, tiers: list[RideThroughTier]) -> list[RideThroughTier]:
        names = [t.name for t in tiers]
        if len(set(names)) != len(names):
            raise ValueError("ride-through tier names must be distinct")
        total = sum(t.share_fraction.value for t in tiers)
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"ride-through tiers partition the campus load: their share_fraction "
                f"values add up to {total:g}, more than 1"
            )
        return tiers


class _Generator(Section):
    h_s: Sourced[Annotated[float, finite(gt=0, le=20)]]
    d_pu: Sourced[Annotated[float, finite(ge=0, le=50)]]
    ra_pu: Sourced[Annotated[float, finite(ge=0, le=0.1)]]
    xd_pu: Sourced[Annotated[float, finite(gt=0, le=5)]]
    xq_pu: Sourced[Annotated[float, finite(gt=0, le=5)]]
    xd_transient_pu: Sourced[Annotated[float, finite(gt=0, le=2)]]
    xq_transient_pu: Sourced[Annotated[float, finite(gt=0, le=2)]]
    xd_subtransient_pu: Sourced[Annotated[float, finite(gt=0, le=1)]]
    xl_pu: Sourced[Annotated[float, finite(ge=0, le=1)]]
    td0_transient_s: Sourced[Annotated[float, finite(gt=0, le=20)]]
    tq0_transient_s: Sourced[Annotated[float, finite(gt=0, le=20)]]
    td0_subtransient_s: Sourced[Annotated[float, finite(gt=0, le=1)]]
    tq0_subtransient_s: Sourced[Annotated[float, finite(gt=0, le=1)]]
    saturation_1p0_pu: Sourced[Annotated[float, finite(ge=0, le=1)]]
    saturation_1p2_pu: Sourced[Annotated[float, finite(ge=0, le=2)]]
    rated_power_factor: Sourced[PositiveFraction]


class _Exciter(Section):
    tr_s: Sourced[Annotated[float, finite(ge=0, le=1)]]
    ta_s: Sourced[Annotated[float, finite(gt=0, le=5)]]
    tb_s: Sourced[Annotated[float, finite(ge=0, le=20)]]
    tc_s: Sourced[Annotated[float, finite(ge=0, le=20)]]
    te_s: Sourced[Annotated[float, finite(gt=0, le=5)]]
    tf_s: Sourced[Annotated[float, finite(gt=0, le=20)]]
    ka_pu: Sourced[Annotated[float, finite(gt=0, le=1000)]]
    ke_pu: Sourced[Annotated[float, finite(ge=-1, le=2)]]
    kf_pu: Sourced[Annotated[float, finite(ge=0, le=2)]]
    vrmax_pu: Sourced[Annotated[float, finite(gt=0, le=20)]]
    vrmin_pu: Sourced[Annotated[float, finite(ge=-20, le=0)]]
    e1_pu: Sourced[Annotated[float, finite(gt=0, le=10)]]
    se1_pu: Sourced[Annotated[float, finite(ge=0, le=5)]]
    e2_pu: Sourced[Annotated[float, finite(gt=0, le=10)]]
    se2_pu: Sourced[Annotated[float, finite(ge=0, le=5)]]


class _Governor(Section):
    droop_pu: Sourced[Annotated[float, finite(gt=0, le=1)]]
    t1_s: Sourced[Annotated[float, finite(gt=0, le=10)]]
    t2_s: Sourced[Annotated[float, finite(ge=0, le=20)]]
    t3_s: Sourced[Annotated[float, finite(gt=0, le=50)]]
    vmax_pu: Sourced[Annotated[float, finite(gt=0, le=2)]]
    vmin_pu: Sourced[Annotated[float, finite(ge=-2, le=1)]]
    dt_pu: Sourced[Annotated[float, finite(ge=0, le=10)]]


class _Equivalent(Section):
    interconnection_capacity_mva: Sourced[Annotated[float, finite(gt=0, le=2e6)]]
    h_s: Sourced[Annotated[float, finite(gt=0, le=20)]]
    d_pu: Sourced[Annotated[float, finite(ge=0, le=50)]]
    governor_vmax_pu: Sourced[Annotated[float, finite(gt=0, le=2)]]
    governor_vmin_pu: Sourced[Annotated[float, finite(ge=-2, le=1)]]


class _FrequencyResponse(Section):
    model_config = ConfigDict(extra="ignore", frozen=True)

    frequency_response_mw_per_0p1hz: Sourced[Annotated[float, finite(gt=0, le=1e6)]]


class DynamicData(Section):
    """Typical dynamic data of ``dynamic_models.toml`` plus the interconnection's
    frequency response (``dynamics.toml`` ``[onsite] frequency_response_mw_per_0p1hz``).

    Machine data are per unit on the machine's own MVA rating.
    """

    generator: _Generator
    exciter: _Exciter
    governor: _Governor
    equivalent: _Equivalent
    frequency_response: _FrequencyResponse
    time_domain: TimeDomainSection

    @property
    def frequency_response_mw_per_hz(self) -> float:
        """The interconnection frequency response beta (MW/Hz)."""
        return 10.0 * float(self.frequency_response.frequency_response_mw_per_0p1hz.value)


class _DynamicModelsFile(Section):
    generator: _Generator
    exciter: _Exciter
    governor: _Governor
    equivalent: _Equivalent
    time_domain: TimeDomainSection


class _FrequencyResponseFile(Section):
    model_config = ConfigDict(extra="ignore", frozen=True)

    onsite: _FrequencyResponse


@lru_cache(maxsize=1)
def load_dynamic_data() -> DynamicData:
    """The validated dynamic data (cached).

    Raises
    ------
    CaseError
        If ``dynamic_models.toml`` (or the frequency response of ``dynamics.toml``) is
        missing or invalid, naming the file and the dotted field.
    """
    models = load_validated(DATA_FILE, _DynamicModelsFile)
    beta = load_validated(FREQUENCY_RESPONSE_FILE, _FrequencyResponseFile, tables=("onsite",))
    return DynamicData(
        generator=models.generator,
        exciter=models.exciter,
        governor=models.governor,
        equivalent=models.equivalent,
        frequency_response=beta.onsite,
        time_domain=models.time_domain,
    )


__all__ = ["DynamicData", "RideThroughTier", "TimeDomainSection", "load_dynamic_data"]
