"""The time-domain stage: build the dynamic model of the interconnection, run the studies.

``run_time_domain`` takes the network as plain data (a :class:`PowerFlowCase` the
grid package exported, or a PSS/E RAW + DYR pair named by the case), builds the
ANDES model with the campus at its POI, and runs the campus trip, the fault with
the campus's ride-through curve, the electromechanical modes and a forced
oscillation at the training swing frequency nearest the least damped mode. Missing
or bad dynamic data and engine failures are findings (``performed`` False with the
reason, or a note per study), never an exception: the steady-state study stands
on its own. Equations and sources: ``docs/methodology.md`` section 5.5.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pathlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridimpact.case.time_domain import TimeDomainSection
from gridimpact.dynamics.timedomain.build import (
    model_from_power_flow_case,
    model_from_raw_dyr,
    use_fault_load_model,
)
from gridimpact.dynamics.timedomain.engine import engine_name
from gridimpact.dynamics.timedomain.events import run_time_domain_studies
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.dynamics.timedomain.results import TimeDomainResult
from gridimpact.dynamics.timedomain.ride_through import RideThroughCurve, RideThroughTier
from gridimpact.errors import DynamicDataError, GridImpactError, one_line
from gridimpact.grid.dynamic_export import PowerFlowCase

__all__ = ["RawDyrSource", "TimeDomainResult", "run_time_domain", "swing_frequencies_hz"]

#: Components of the training-power spectrum at least this share of the largest
#: in-band component are the swing frequencies checked against the modes.
SWING_COMPONENT_SHARE = 0.1


@dataclass(frozen=True)
class RawDyrSource:
    """A PSS/E RAW network with its DYR dynamic data (``[grid] dynamic_data``)."""

    raw_path: pathlib.Path
    dyr_path: pathlib.Path
    poi_bus_number: int
    campus_p_mw: float
    campus_q_mvar: float


def swing_frequencies_hz(
    spectrum: pd.DataFrame, share: float = SWING_COMPONENT_SHARE
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The training swing's in-band frequencies and their amplitudes (Hz, MW).

    Every component of the amplitude spectrum inside the electromechanical band whose
    amplitude is at least ``share`` of the largest in-band component.
    """
    band = spectrum[spectrum["in_oscillation_band"] & (spectrum["frequency_hz"] > 0.0)]
    if band.empty:
        return (), ()
    top = float(band["amplitude_mw"].max())
    keep = band[band["amplitude_mw"] >= share * top]
    return (
        tuple(float(f) for f in keep["frequency_hz"]),
        tuple(float(a) for a in keep["amplitude_mw"]),
    )


def ride_through_curve(section: TimeDomainSection) -> RideThroughCurve:
    """The case's ride-through tiers as the studies' curve."""
    tiers = tuple(
        RideThroughTier(
            t.name,
            voltage_pu=t.voltage_pu.value,
            max_duration_s=t.duration_s.value,
            load_share=t.share_fraction.value,
            returns=t.returns.value,
            return_delay_s=t.return_delay_s.value,
        )
        for t in section.ride_through
    )
    sources = "; ".join(f"{t.name}: {t.voltage_pu.source}" for t in section.ride_through)
    return RideThroughCurve(tiers, sources)


def _build(source: PowerFlowCase | RawDyrSource) -> DynamicModel:
    if isinstance(source, RawDyrSource):
        return model_from_raw_dyr(
            source.raw_path,
            source.dyr_path,
            source.poi_bus_number,
            source.campus_p_mw,
            source.campus_q_mvar,
        )
    return model_from_power_flow_case(source)


def _source_key(source: PowerFlowCase | RawDyrSource) -> str:
    """A digest of everything the dynamic model is built from."""
    h = hashlib.sha256()
    if isinstance(source, RawDyrSource):
        for path in (source.raw_path, source.dyr_path):
            h.update(str(path).encode())
            h.update(path.read_bytes() if path.is_file() else b"missing")
        h.update(repr((source.poi_bus_number, source.campus_p_mw, source.campus_q_mvar)).encode())
        return h.hexdigest()
    for f in dataclasses.fields(source):
        value = getattr(source, f.name)
        h.update(f.name.encode())
        h.update(value.tobytes() if isinstance(value, np.ndarray) else repr(value).encode())
    return h.hexdigest()


#: Results of recent runs by the digest of their inputs: a study run again on the same
#: case in one process (the tests, a report re-rendered) does not simulate again.
_RECENT: OrderedDict[str, TimeDomainResult] = OrderedDict()
_RECENT_SIZE = 8


def run_time_domain(
    section: TimeDomainSection,
    source: PowerFlowCase | RawDyrSource,
    *,
    spectrum: pd.DataFrame,
) -> TimeDomainResult:
    """Campus trip, fault ride-through, modes and forced oscillation at one interconnection.

    Parameters
    ----------
    section : TimeDomainSection
        The case's ``[time_domain]`` table.
    source : PowerFlowCase or RawDyrSource
        The network with the campus at its POI.
    spectrum : pandas.DataFrame
        Amplitude spectrum of the campus training power (``frequency_hz``,
        ``amplitude_mw``, ``in_oscillation_band``) from the dynamics stage.

    Returns
    -------
    TimeDomainResult
        ``performed`` False (with ``reason``) when the model cannot be built.

    References
    ----------
    .. [1] Kundur, *Power System Stability and Control*, 1994, ch. 11-13.
    .. [2] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load
       Reductions", January 2025.
    """
    key = hashlib.sha256(
        "|".join(
            (
                _source_key(source),
                section.model_dump_json(),
                pd.util.hash_pandas_object(spectrum, index=True).to_numpy().tobytes().hex(),
            )
        ).encode()
    ).hexdigest()
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    result = _run(section, source, spectrum)
    _RECENT[key] = result
    while len(_RECENT) > _RECENT_SIZE:
        _RECENT.popitem(last=False)
    return result


def _fault_bus_idx(
    section: TimeDomainSection, source: PowerFlowCase | RawDyrSource
) -> int | None:
    """ANDES bus of ``time_domain.fault_bus`` (None: the POI).

    A RAW network's buses are named by their PSS/E number; an exported network's by
    name, numbered by their row.
    """
    name = section.fault_bus
    if name is None:
        return None
    if isinstance(source, RawDyrSource):
        if not name.strip().isdigit():
            raise DynamicDataError(
                f"time_domain.fault_bus {name!r}: a RAW network's buses are PSS/E numbers"
            )
        return int(name)
    if name not in source.bus_names:
        raise DynamicDataError(f"time_domain.fault_bus {name!r} is not a bus of {source.name}")
    return int(source.bus[source.bus_names.index(name), 0])


def _run(
    section: TimeDomainSection, source: PowerFlowCase | RawDyrSource, spectrum: pd.DataFrame
) -> TimeDomainResult:
    try:
        fault_bus_idx = _fault_bus_idx(section, source)
        model = _build(source)
    except GridImpactError as exc:
        return not_performed(exc.one_line())
    except Exception as exc:  # the engine refused the model: a finding, not a crash
        return not_performed(f"the dynamic model failed: {one_line(exc) or type(exc).__name__}")
    fault_model = model.rebuild()  # the same network, loads as in fault studies
    use_fault_load_model(fault_model)
    for m in (model, fault_model):
        m.system.TDS.config.tstep = section.time_step_s.value
    freqs, amplitudes_mw = swing_frequencies_hz(spectrum)
    return run_time_domain_studies(
        model,
        curve=ride_through_curve(section),
        swing_frequencies_hz=freqs,
        forced_amplitude_mw=max(amplitudes_mw) if freqs else None,
        swing_amplitudes_mw=amplitudes_mw,
        fault_model=fault_model,
        fault_bus_idx=fault_bus_idx,
        clearing_time_s=section.fault_clearing_time_s.value,
        load_loss_duration_s=section.load_loss_duration_s.value,
        fault_duration_s=section.fault_duration_s.value,
        forced_duration_s=section.forced_oscillation_duration_s.value,
        damping_threshold=section.poorly_damped_ratio.value,
        rocof_window_s=section.rocof_window_s.value,
    )


def not_performed(reason: str) -> TimeDomainResult:
    """A result saying the time-domain studies did not run, and why."""
    return TimeDomainResult(engine=engine_name(), performed=False, reason=reason)

