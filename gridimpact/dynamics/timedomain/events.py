"""Time-domain events on a :class:`~.model.DynamicModel` (ANDES): campus loss, fault, forced swing.

Every event runs on a *clone* of the model's ANDES system: the device data (input
values, ``as_df(vin=True)``) and the configuration of every model and routine are
copied into a new ``System``, the event devices (``Toggle``, ``Fault``, ``Alter``) are
added before ``setup`` (ANDES does not accept devices after it), and the power flow is
solved again. The model's own system is never touched, so each event starts from the
same initial state; timed devices already in the source (``TimedEvent`` group) and
output selections are left out of the clone so that only the studied event happens.

Frequency is the centre-of-inertia (COI) frequency of the synchronous machines,
``f = f0 · Σ M_i ω_i / Σ M_i`` (``M = 2H`` on the system base): the system frequency
that the governors, the frequency-response obligation (NERC BAL-003) and RoCoF
withstand requirements refer to. A bus frequency at the POI would carry the local
inter-machine swings and the numerical spike of the phase-angle jump at the switching
instant, which a RoCoF relay filters out with its measurement window.

RoCoF is the largest frequency change over a sliding window (default 500 ms) after
the event: ENTSO-E's RoCoF withstand guidance defines RoCoF over 500 ms (2 Hz/s), 1 s
(1.5 Hz/s) and 2 s (1.25 Hz/s) windows.

References
----------
.. [1] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994, §3.9 and
   §11.1 (swing equation, centre of inertia, frequency response).
.. [2] ENTSO-E, "Rate of Change of Frequency (RoCoF) withstand capability", ENTSO-E
   guidance document for national implementation for network codes on grid
   connection, 2018.
.. [3] F. Milano, *Power System Modelling and Scripting*, Springer, 2010, §15
   (centre-of-inertia frequency).
.. [4] H. Cui, F. Li, K. Tomsovic, "Hybrid symbolic-numeric framework for power
   system modeling and analysis", IEEE Trans. Power Systems 36(2), 2021 (ANDES).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import andes
import numpy as np
import numpy.typing as npt
import pandas as pd

from gridimpact.dynamics.timedomain.engine import engine_name
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.dynamics.timedomain.results import (
    FaultRideThrough,
    ForcedOscillation,
    LoadLossDynamics,
    TimeDomainResult,
)
from gridimpact.dynamics.timedomain.ride_through import RideThroughCurve, load_tripped
from gridimpact.errors import one_line

ENGINE = engine_name()
"""Name and version of the dynamic engine."""

_SKIPPED_GROUPS = frozenset({"TimedEvent", "OutputSelect"})
_P_SERVICES = ("Ppf", "Req", "Ipeq")
_PQ_SERVICES = ("Ppf", "Qpf", "Req", "Xeq", "Ipeq", "Iqeq")
_MIN_REMAINING = 1e-6  # share of the campus left when all of it trips (multiplicative Alter)


class TimeDomainError(RuntimeError):
    """A time-domain simulation or the engine failed (one line: what and where)."""


@contextmanager
def quiet_engine() -> Iterator[None]:
    """Silence ANDES' logging and numerical warnings for the duration of a study."""
    andes.config_logger(stream_level=logging.CRITICAL)
    logger = logging.getLogger("andes")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                yield
    finally:
        logger.setLevel(level)


def _copy_config(src: Any, dst: Any) -> None:
    for key, val in src.as_dict(refresh=True).items():
        setattr(dst, key, val)


def clone_system(system: Any, extra: Sequence[tuple[str, dict[str, Any]]] = ()) -> Any:
    """A new ANDES ``System`` with the data of ``system`` plus ``extra`` devices, power flow solved.

    Parameters
    ----------
    system : andes.system.System
        The source (not modified).
    extra : sequence of (model name, parameters)
        Devices added before ``setup`` (``Toggle``, ``Fault``, ``Alter``, ...).

    Raises
    ------
    TimeDomainError
        ``setup`` or the power flow of the clone fails.
    """
    new = andes.System(default_config=True, no_output=True)
    _copy_config(system.config, new.config)
    for name, routine in system.routines.items():
        _copy_config(routine.config, new.routines[name].config)
    for name, mdl in system.models.items():
        _copy_config(mdl.config, new.models[name].config)
        if mdl.n == 0 or mdl.group in _SKIPPED_GROUPS:
            continue
        for row in mdl.as_df(vin=True).to_dict(orient="records"):
            row.pop("uid", None)
            new.add(name, row)
    for name, params in extra:
        new.add(name, dict(params))
    if not new.setup():
        raise TimeDomainError("ANDES setup of the event system failed")
    new.TDS.config.no_tqdm = 1
    new.PFlow.run()
    if not new.PFlow.converged:
        raise TimeDomainError("power flow of the event system did not converge")
    return new


def run_tds(system: Any, tf_s: float) -> None:
    """Run (or resume) the time-domain simulation to ``tf_s``; raise if it stops early."""
    system.TDS.config.tf = float(tf_s)
    ok = system.TDS.run(no_summary=True)
    if ok and not system.TDS.busted:
        return
    t_end = float(system.dae.t)
    if t_end >= tf_s - 1e-6 and "reduced to zero" in str(getattr(system.TDS, "err_msg", "")):
        # ANDES 2.0 can attempt a last sub-ulp step when dae.t lands a rounding error short
        # of tf, and report it as a failure: the solution did reach tf. Clear the flag so a
        # piecewise run can resume.
        system.TDS.busted = False
        return
    msg = getattr(system.TDS, "err_msg", "") or "integration failed"
    raise TimeDomainError(f"simulation stopped at t={t_end:.3f} s: {' '.join(msg.split())}")


def _syngen_models(system: Any) -> list[Any]:
    return [m for m in system.SynGen.models.values() if m.n > 0]


def traces(system: Any, poi_bus_idx: str | int, f0_hz: float, base_mva: float) -> pd.DataFrame:
    """Time series of a finished simulation as a DataFrame.

    Columns: ``time_s``, ``frequency_hz`` (centre of inertia), ``poi_voltage_pu``, and
    per machine ``speed_pu[idx]``, ``pe_mw[idx]`` (electrical power), ``pm_mw[idx]``
    (mechanical power), ``vf_pu[idx]`` (field voltage).
    """
    ts = system.dae.ts
    t = np.asarray(ts.t, dtype=float)
    cols: dict[str, npt.NDArray[np.float64]] = {"time_s": t}
    weighted = np.zeros_like(t)
    m_total = 0.0
    per_machine: dict[str, npt.NDArray[np.float64]] = {}
    for mdl in _syngen_models(system):
        omega = ts.get_data(mdl.omega)
        m_pu = np.asarray(mdl.M.v, dtype=float) * np.asarray(mdl.u.v, dtype=float)
        weighted += omega @ m_pu
        m_total += float(m_pu.sum())
        pe = ts.get_data(mdl.Pe) * base_mva
        pm = ts.get_data(mdl.tm) * base_mva
        vf = ts.get_data(mdl.vf)
        for j, idx in enumerate(mdl.idx.v):
            per_machine[f"speed_pu[{idx}]"] = omega[:, j]
            per_machine[f"pe_mw[{idx}]"] = pe[:, j]
            per_machine[f"pm_mw[{idx}]"] = pm[:, j]
            per_machine[f"vf_pu[{idx}]"] = vf[:, j]
    if m_total <= 0.0:
        raise TimeDomainError("the system has no synchronous machine in service")
    cols["frequency_hz"] = f0_hz * weighted / m_total
    uid = system.Bus.idx2uid(poi_bus_idx)
    cols["poi_voltage_pu"] = ts.get_data(system.Bus.v, a=[uid])[:, 0]
    cols.update(per_machine)
    frame = pd.DataFrame(cols).drop_duplicates("time_s", keep="last")
    return frame.reset_index(drop=True)


# --- pure signal metrics ---------------------------------------------------------------


def value_at(time_s: npt.ArrayLike, x: npt.ArrayLike, t_s: float) -> float:
    """Linear interpolation of ``x`` at ``t_s``."""
    return float(np.interp(t_s, np.asarray(time_s, float), np.asarray(x, float)))


def peak_deviation(
    time_s: npt.ArrayLike, deviation: npt.ArrayLike, t_start_s: float
) -> tuple[float, float]:
    """Signed deviation of largest magnitude at or after ``t_start_s``, and when it occurs."""
    t = np.asarray(time_s, float)
    d = np.asarray(deviation, float)
    mask = t >= t_start_s
    if not mask.any():
        raise ValueError("no samples after t_start_s")
    i = int(np.argmax(np.abs(d[mask])))
    return float(d[mask][i]), float(t[mask][i])


def rocof_hz_per_s(
    time_s: npt.ArrayLike, freq_hz: npt.ArrayLike, *, window_s: float, t_start_s: float
) -> float:
    """Largest rate of change of frequency over a sliding window after ``t_start_s`` (Hz/s).

    ``(f(t + T) − f(t)) / T`` for every ``t ≥ t_start_s`` on a uniform grid (T/50) of the
    linearly interpolated record; the signed value of largest magnitude. A record shorter
    than the window after ``t_start_s`` uses the whole remaining record.

    References
    ----------
    .. [1] ENTSO-E, "Rate of Change of Frequency (RoCoF) withstand capability", 2018:
       RoCoF measured over a 500 ms sliding window.
    """
    t = np.asarray(time_s, float)
    f = np.asarray(freq_hz, float)
    t_end = float(t[-1])
    span = t_end - t_start_s
    if span <= 0.0:
        raise ValueError("no samples after t_start_s")
    window = min(window_s, span)
    dt = window / 50.0
    grid = np.arange(t_start_s, t_end + 0.5 * dt, dt)
    fg = np.interp(grid, t, f)
    n = max(1, round(window / dt))
    rates = (fg[n:] - fg[:-n]) / (n * dt)
    i = int(np.argmax(np.abs(rates)))
    return float(rates[i])


def tone_amplitude(
    time_s: npt.ArrayLike, x: npt.ArrayLike, frequency_hz: float, t_from_s: float
) -> float:
    """Amplitude of the component of ``x`` at ``frequency_hz`` after ``t_from_s``.

    Least-squares fit of ``a sin ωt + b cos ωt + c + d t`` on a uniform resampling (the
    linear term absorbs a slow drift); returns ``sqrt(a² + b²)``.
    """
    t = np.asarray(time_s, float)
    y = np.asarray(x, float)
    n = max(64, int(40 * frequency_hz * (t[-1] - t_from_s)))
    grid = np.linspace(t_from_s, t[-1], n)
    yg = np.interp(grid, t, y)
    w = 2.0 * math.pi * frequency_hz
    basis = np.column_stack([np.sin(w * grid), np.cos(w * grid), np.ones_like(grid),
                             grid - grid[0]])
    coef, *_ = np.linalg.lstsq(basis, yg, rcond=None)
    return float(math.hypot(coef[0], coef[1]))


# --- events ----------------------------------------------------------------------------


def run_load_loss(
    model: DynamicModel,
    *,
    t_event_s: float = 1.0,
    duration_s: float = 20.0,
    rocof_window_s: float = 0.5,
    settling_window_s: float = 2.0,
) -> LoadLossDynamics:
    """Sudden disconnection of the whole campus (``Toggle`` of its ``PQ`` at ``t_event_s``).

    Returns the COI frequency's peak deviation and RoCoF, the POI voltage after the loss
    and the frequency deviation settled at the end (mean over the last
    ``settling_window_s``).

    Raises
    ------
    TimeDomainError
        The simulation fails or stops early (e.g. loss of synchronism).

    References
    ----------
    .. [1] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load
       Reductions", January 2025 (loss of ~1,500 MW of data-center load).
    .. [2] P. Kundur, *Power System Stability and Control*, 1994, §11.1.
    """
    if not 0.0 < t_event_s < duration_s:
        raise ValueError("need 0 < t_event_s < duration_s")
    with quiet_engine():
        ss = clone_system(model.system, [
            ("Toggle", {"model": "PQ", "dev": model.campus_load_idx, "t": t_event_s}),
        ])
        run_tds(ss, duration_s)
        tr = traces(ss, model.poi_bus_idx, model.f0_hz, model.base_mva)
    t = tr["time_s"].to_numpy()
    f = tr["frequency_hz"].to_numpy()
    v = tr["poi_voltage_pu"].to_numpy()
    f_event = value_at(t, f, t_event_s)
    dev = f - f_event
    tr["freq_deviation_hz"] = dev
    peak, t_peak = peak_deviation(t, dev, t_event_s)
    settle = t >= t[-1] - settling_window_s
    after = t > t_event_s
    return LoadLossDynamics(
        campus_p_mw=model.campus_p_mw,
        t_event_s=t_event_s,
        freq_peak_deviation_hz=peak,
        time_of_peak_s=t_peak,
        rocof_hz_per_s=rocof_hz_per_s(t, f, window_s=rocof_window_s, t_start_s=t_event_s),
        rocof_window_s=rocof_window_s,
        poi_voltage_before_pu=value_at(t, v, t_event_s),
        poi_overvoltage_pu=float(v[after].max()),
        settling_freq_deviation_hz=float(dev[settle].mean()),
        settling_window_s=settling_window_s,
        traces=tr,
    )


def _trip_schedule(
    curve: RideThroughCurve, trip_times_s: Sequence[float | None], duration_s: float
) -> list[tuple[float, float]]:
    """(time, change of the campus share on the grid) for trips and returns, in time order."""
    events: list[tuple[float, float]] = []
    for tier, t_trip in zip(curve.tiers, trip_times_s, strict=True):
        if t_trip is None or tier.load_share == 0.0:
            continue
        events.append((t_trip, -tier.load_share))
        if tier.returns and t_trip + tier.return_delay_s < duration_s:
            events.append((t_trip + tier.return_delay_s, tier.load_share))
    return sorted(events)


def _scaling_alters(
    campus_idx: str | int, schedule: Sequence[tuple[float, float]]
) -> list[tuple[str, dict[str, Any]]]:
    """``Alter`` devices that scale the campus load's TDS constants at each scheduled time."""
    devices: list[tuple[str, dict[str, Any]]] = []
    remaining = 1.0
    for t_s, change in schedule:
        new = min(1.0, max(_MIN_REMAINING, remaining + change))
        factor = new / remaining
        remaining = new
        for src in _PQ_SERVICES:
            devices.append(("Alter", {"model": "PQ", "dev": campus_idx, "src": src,
                                      "t": t_s, "method": "*", "amount": factor}))
    return devices


def run_fault_ride_through(
    model: DynamicModel,
    *,
    fault_bus_idx: str | int,
    clearing_time_s: float,
    curve: RideThroughCurve,
    t_fault_s: float = 1.0,
    duration_s: float = 10.0,
    fault_resistance_pu: float = 0.0,
    fault_reactance_pu: float = 1e-4,
    rocof_window_s: float = 0.5,
) -> FaultRideThrough:
    """Three-phase fault at ``fault_bus_idx`` cleared in ``clearing_time_s``; campus ride-through.

    Pass 1 simulates the fault with the whole campus connected; the POI voltage after the
    fault inception is judged by ``curve`` (:func:`~.ride_through.load_tripped`). Pass 2
    repeats the fault with each tripped share removed at its trip time (``Alter`` of the
    campus load's constants; a returning share is restored after its delay) and gives the
    frequency excursion. The fault is ANDES' ``Fault`` (shunt ``rf + j xf`` to ground,
    system base; the default 1e-4 pu reactance is a bolted fault) and is cleared without
    tripping a line.

    Raises
    ------
    TimeDomainError
        A pass fails or stops early.
    """
    if clearing_time_s <= 0.0 or t_fault_s <= 0.0 or t_fault_s + clearing_time_s >= duration_s:
        raise ValueError("need 0 < t_fault_s, 0 < clearing_time_s, t_fault + clearing < duration")
    fault = ("Fault", {"bus": fault_bus_idx, "tf": t_fault_s, "tc": t_fault_s + clearing_time_s,
                       "xf": fault_reactance_pu, "rf": fault_resistance_pu})
    with quiet_engine():
        ss1 = clone_system(model.system, [fault])
        run_tds(ss1, duration_s)
        tr1 = traces(ss1, model.poi_bus_idx, model.f0_hz, model.base_mva)
    t1 = tr1["time_s"].to_numpy()
    judged = t1 >= t_fault_s
    tripped_mw, trip_times = load_tripped(t1[judged], tr1["poi_voltage_pu"].to_numpy()[judged],
                                          curve, model.campus_p_mw)
    schedule = _trip_schedule(curve, trip_times, duration_s)
    if schedule:
        with quiet_engine():
            ss2 = clone_system(model.system,
                               [fault, *_scaling_alters(model.campus_load_idx, schedule)])
            run_tds(ss2, duration_s)
            tr2 = traces(ss2, model.poi_bus_idx, model.f0_hz, model.base_mva)
    else:
        tr2 = tr1.copy()
    t2 = tr2["time_s"].to_numpy()
    f2 = tr2["frequency_hz"].to_numpy()
    v2 = tr2["poi_voltage_pu"].to_numpy()
    dev = f2 - value_at(t2, f2, t_fault_s)
    tr2["freq_deviation_hz"] = dev
    tr1["freq_deviation_hz"] = tr1["frequency_hz"] - value_at(t1, tr1["frequency_hz"], t_fault_s)
    peak, _ = peak_deviation(t2, dev, t_fault_s)
    judged2 = t2 >= t_fault_s
    _, trip_times2 = load_tripped(t2[judged2], v2[judged2], curve, model.campus_p_mw)
    extra = tuple(tier.name for tier, a, b in zip(curve.tiers, trip_times, trip_times2,
                                                    strict=True)
                  if a is None and b is not None and tier.load_share > 0.0)
    tripped = [(tier.name, tt) for tier, tt in zip(curve.tiers, trip_times, strict=True)
               if tt is not None]
    return FaultRideThrough(
        fault_bus_idx=fault_bus_idx,
        t_fault_s=t_fault_s,
        clearing_time_s=clearing_time_s,
        fault_resistance_pu=fault_resistance_pu,
        fault_reactance_pu=fault_reactance_pu,
        poi_min_voltage_pu=float(tr1["poi_voltage_pu"].to_numpy()[judged].min()),
        load_tripped_mw=tripped_mw,
        tiers_tripped=tuple(name for name, _ in tripped),
        trip_times_s=tuple(float(tt) for _, tt in tripped),
        freq_peak_deviation_hz=peak,
        rocof_hz_per_s=rocof_hz_per_s(t2, f2, window_s=rocof_window_s,
                                      t_start_s=t_fault_s + clearing_time_s),
        poi_voltage_after_pu=float(v2[-1]),
        pass2_extra_tiers=extra,
        traces=tr2,
        traces_no_trip=tr1,
    )


def _forced_run(
    model: DynamicModel, frequency_hz: float, amplitude_mw: float, duration_s: float,
    t_start_s: float, steps_per_cycle: int,
) -> pd.DataFrame:
    """Piecewise simulation with the campus active power held at ``P0 + A sin(2πf(t − t0))``.

    The load's TDS constants (constant-power, -current and -impedance parts) are scaled
    between short runs (zero-order hold sampled mid-step, ``steps_per_cycle`` per cycle).
    """
    with quiet_engine():
        ss = clone_system(model.system)
        run_tds(ss, t_start_s)
        uid = ss.PQ.idx2uid(model.campus_load_idx)
        base = {src: float(getattr(ss.PQ, src).v[uid]) for src in _P_SERVICES}
        h = 1.0 / (frequency_hz * steps_per_cycle)
        n_steps = math.floor((duration_s - t_start_s) / h + 1e-9)
        ratio = amplitude_mw / model.campus_p_mw
        for k in range(n_steps):
            t_k = t_start_s + k * h
            scale = 1.0 + ratio * math.sin(2.0 * math.pi * frequency_hz * (t_k + 0.5 * h
                                                                          - t_start_s))
            for src in _P_SERVICES:
                getattr(ss.PQ, src).v[uid] = base[src] * scale
            ss.TDS.custom_event = True
            run_tds(ss, min(duration_s, t_k + h))
        if float(ss.dae.t) < duration_s - 1e-9:
            for src in _P_SERVICES:
                getattr(ss.PQ, src).v[uid] = base[src]
            ss.TDS.custom_event = True
            run_tds(ss, duration_s)
        tr = traces(ss, model.poi_bus_idx, model.f0_hz, model.base_mva)
        sizes = {}
        for mdl in _syngen_models(ss):
            for idx, sn in zip(mdl.idx.v, mdl.Sn.v, strict=True):
                sizes[idx] = float(sn)
    tr.attrs["machine_sn_mva"] = sizes
    return tr


def _amplitudes(tr: pd.DataFrame, frequency_hz: float, t_from_s: float) -> dict[str, float]:
    t = tr["time_s"].to_numpy()
    return {col: tone_amplitude(t, tr[col].to_numpy(), frequency_hz, t_from_s)
            for col in tr.columns if col != "time_s"}


def run_forced_oscillation(
    model: DynamicModel,
    *,
    frequency_hz: float,
    amplitude_mw: float,
    duration_s: float = 12.0,
    t_start_s: float = 0.5,
    steps_per_cycle: int = 20,
    reference_frequency_hz: float | None = None,
) -> ForcedOscillation:
    """Campus active power modulated sinusoidally; amplitude of the forced response.

    The campus draws ``P0 + amplitude_mw · sin(2π f (t − t_start_s))`` from
    ``t_start_s``; amplitudes (POI voltage, COI frequency, machine electrical power) are
    those of the component at ``frequency_hz`` over the second half of the run (after
    the start-up transient has mostly decayed). ``reference_frequency_hz`` adds a second
    run at that frequency and the ratio of the machine-power amplitudes
    (``amplification``): forcing near a lightly damped electromechanical mode is
    amplified by ``≈ 1/(2ζ)`` over forcing far from it.

    References
    ----------
    .. [1] NERC, "Reliability Guideline: Forced Oscillation Monitoring & Mitigation", 2017.
    .. [2] P. Kundur, *Power System Stability and Control*, 1994, §12.3 (response of the
       second-order swing dynamics to a periodic input).
    """
    if frequency_hz <= 0.0 or amplitude_mw <= 0.0:
        raise ValueError("frequency_hz and amplitude_mw must be positive")
    if amplitude_mw > model.campus_p_mw:
        raise ValueError("amplitude_mw exceeds the campus load: the campus cannot generate")
    if duration_s <= t_start_s + 2.0 / frequency_hz:
        raise ValueError("duration_s must cover at least two cycles after t_start_s")
    t_from = t_start_s + 0.5 * (duration_s - t_start_s)
    tr = _forced_run(model, frequency_hz, amplitude_mw, duration_s, t_start_s, steps_per_cycle)
    amp = _amplitudes(tr, frequency_hz, t_from)
    sizes: dict[Any, float] = tr.attrs["machine_sn_mva"]
    largest = max(sizes, key=lambda k: sizes[k])
    pe_amp = {k: amp[f"pe_mw[{k}]"] for k in sizes}
    max_idx = max(pe_amp, key=lambda k: pe_amp[k])
    amplification = None
    if reference_frequency_hz is not None:
        tr_ref = _forced_run(model, reference_frequency_hz, amplitude_mw, duration_s, t_start_s,
                             steps_per_cycle)
        ref = tone_amplitude(tr_ref["time_s"].to_numpy(), tr_ref[f"pe_mw[{max_idx}]"].to_numpy(),
                             reference_frequency_hz, t_from)
        amplification = pe_amp[max_idx] / ref if ref > 0.0 else None
    return ForcedOscillation(
        frequency_hz=float(frequency_hz),
        amplitude_mw=float(amplitude_mw),
        duration_s=float(duration_s),
        poi_voltage_amplitude_pu=amp["poi_voltage_pu"],
        freq_amplitude_hz=amp["frequency_hz"],
        machine_idx=largest,
        machine_pe_amplitude_mw=pe_amp[largest],
        max_pe_machine_idx=max_idx,
        max_machine_pe_amplitude_mw=pe_amp[max_idx],
        reference_frequency_hz=(None if reference_frequency_hz is None
                                else float(reference_frequency_hz)),
        amplification=amplification,
        traces=tr,
    )


def _one_line(exc: BaseException) -> str:
    text = one_line(exc) or type(exc).__name__
    if isinstance(exc, TimeDomainError | ValueError):
        return text
    return f"{type(exc).__name__}: {text}"


def run_time_domain_studies(
    model: DynamicModel,
    *,
    curve: RideThroughCurve,
    swing_frequencies_hz: Sequence[float] = (),
    forced_amplitude_mw: float | None = None,
    swing_amplitudes_mw: Sequence[float] = (),
    fault_model: DynamicModel | None = None,
    fault_bus_idx: str | int | None = None,
    clearing_time_s: float = 0.1,
    load_loss_duration_s: float = 20.0,
    fault_duration_s: float = 10.0,
    forced_duration_s: float = 12.0,
    damping_threshold: float = 0.05,
    rocof_window_s: float = 0.5,
) -> TimeDomainResult:
    """All studies of one model; a study that fails is a note, never an exception.

    ``fault_model``: the same network with the load model of fault studies (default
    ``model``); ``swing_amplitudes_mw``: the amplitude of each swing frequency, the
    forced oscillation's amplitude at the frequency chosen (else
    ``forced_amplitude_mw``).

    Load loss, fault ride-through (at ``fault_bus_idx``, default the POI), the
    electromechanical modes, their separation from ``swing_frequencies_hz`` and, when
    ``forced_amplitude_mw`` is given, a forced oscillation at the swing frequency
    nearest the mode found (compared with a run at three times that frequency, or a third
    of it above 1.25 Hz).
    """
    from gridimpact.dynamics.timedomain.modes import (  # modes imports events
        electromechanical_modes,
        swing_mode_separation,
    )

    notes: list[str] = []
    load_loss = fault = forced = separation = None
    modes = None
    try:
        load_loss = run_load_loss(model, duration_s=load_loss_duration_s,
                                  rocof_window_s=rocof_window_s)
    except Exception as exc:  # an engine failure is a finding
        notes.append(f"load loss not computed: {_one_line(exc)}")
    try:
        fm = model if fault_model is None else fault_model
        fault = run_fault_ride_through(
            fm, fault_bus_idx=fm.poi_bus_idx if fault_bus_idx is None else fault_bus_idx,
            clearing_time_s=clearing_time_s, curve=curve, duration_s=fault_duration_s,
            rocof_window_s=rocof_window_s)
    except Exception as exc:
        notes.append(f"fault ride-through not computed: {_one_line(exc)}")
    try:
        modes = electromechanical_modes(model)
        if len(modes) == 0:
            notes.append("no electromechanical mode in 0.1-2.5 Hz")
        separation = swing_mode_separation(modes, swing_frequencies_hz, damping_threshold)
        if separation is not None and not separation.poorly_damped:
            notes.append(f"no electromechanical mode below {damping_threshold:.0%} damping: "
                         "the separation is to the least damped mode")
    except Exception as exc:
        notes.append(f"small-signal modes not computed: {_one_line(exc)}")
    if forced_amplitude_mw is not None and separation is not None:
        f_hz = separation.swing_frequency_hz
        if len(swing_amplitudes_mw) == len(swing_frequencies_hz) > 0:
            nearest = int(np.argmin(np.abs(np.asarray(swing_frequencies_hz) - f_hz)))
            forced_amplitude_mw = float(swing_amplitudes_mw[nearest])
        f_ref = 3.0 * f_hz if f_hz <= 1.25 else f_hz / 3.0
        try:
            forced = run_forced_oscillation(model, frequency_hz=f_hz,
                                            amplitude_mw=forced_amplitude_mw,
                                            duration_s=forced_duration_s,
                                            reference_frequency_hz=f_ref)
        except Exception as exc:
            notes.append(f"forced oscillation not computed: {_one_line(exc)}")
    return TimeDomainResult(
        engine=ENGINE,
        performed=True,
        description=model.description,
        load_loss=load_loss,
        fault=fault,
        modes=modes,
        mode_separation=separation,
        forced_oscillation=forced,
        notes=tuple(notes),
    )
