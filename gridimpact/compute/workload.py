"""Training-workload power waveform: one GPU's power as a fraction of TDP, over time.

A synchronous training job alternates a compute phase (GPUs near TDP) and a
communication phase (GPUs waiting on collectives) every iteration; checkpoints
pause compute; the job starts and stops as a whole. Because all GPUs of a job are
synchronised, the campus GPU power is the single-GPU waveform scaled by the GPU
count. Everything here is pure and vectorised over a time array.

References
----------
.. [1] E. Choukse et al., "Power Stabilization for AI Training Datacenters",
   arXiv:2508.14318, 2025.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d, minimum_filter1d

from gridimpact.case.workload import WorkloadSection

FloatArray = npt.NDArray[np.float64]


def sample_times_s(duration_s: float, sample_rate_hz: float) -> FloatArray:
    """Sample instants ``0, 1/fs, …`` covering ``[0, duration_s)`` (s)."""
    n = max(round(duration_s * sample_rate_hz), 2)
    return np.arange(n, dtype=float) / sample_rate_hz


def iteration_fraction(
    time_s: FloatArray,
    iteration_period_s: float,
    compute_duty_cycle: float,
    compute_fraction: float,
    communication_fraction: float,
    ramp_up_s: float,
    ramp_down_s: float,
) -> FloatArray:
    """Trapezoidal compute/communication wave, as a fraction of TDP.

    Each period starts with the compute phase (ramping up over ``ramp_up_s``),
    holds ``compute_fraction`` until ``compute_duty_cycle * period``, ramps down
    over ``ramp_down_s`` and holds ``communication_fraction`` to the period's end.

    Parameters
    ----------
    time_s : ndarray
        Sample instants (s).
    iteration_period_s : float
        Training-iteration period (s).
    compute_duty_cycle : float
        Share of the period in the compute phase (-), ramp-up included.
    compute_fraction, communication_fraction : float
        GPU power in each phase as a fraction of TDP (-).
    ramp_up_s, ramp_down_s : float
        Durations of the edges (s); must fit in their phases.

    Returns
    -------
    ndarray
        GPU power as a fraction of TDP (-).

    References
    ----------
    .. [1] arXiv:2508.14318, section on compute/communication power phases.
    """
    phase_s = np.mod(time_s, iteration_period_s)
    t_high = compute_duty_cycle * iteration_period_s
    knots_s = [0.0, ramp_up_s, t_high, t_high + ramp_down_s, iteration_period_s]
    levels = [
        communication_fraction,
        compute_fraction,
        compute_fraction,
        communication_fraction,
        communication_fraction,
    ]
    return np.interp(phase_s, knots_s, levels)


def job_activity(
    time_s: FloatArray, job_start_s: float, job_stop_s: float, job_ramp_s: float
) -> FloatArray:
    """Share of the job running (0 before start, ramps to 1, back to 0 after stop) (-)."""
    up = np.clip((time_s - job_start_s) / job_ramp_s, 0.0, 1.0)
    down = np.clip((job_stop_s + job_ramp_s - time_s) / job_ramp_s, 0.0, 1.0)
    return np.minimum(up, down)


def _activity(time_s: FloatArray, w: WorkloadSection, job_start_stop: bool) -> FloatArray:
    if not job_start_stop:
        return np.ones_like(time_s)
    return job_activity(time_s, w.job_start_s.value, w.job_stop_s.value, w.job_ramp_s.value)


def checkpoint_activity(
    time_s: FloatArray,
    job_start_s: float,
    job_stop_s: float,
    interval_s: float,
    pause_s: float,
    ramp_down_s: float,
    ramp_up_s: float,
) -> FloatArray:
    """Share of a checkpoint pause in progress (0 = training, 1 = paused) (-).

    A pause of ``pause_s`` ends every ``interval_s`` after the job starts; its edges
    take ``ramp_down_s`` (into the pause) and ``ramp_up_s`` (out of it).
    """
    if pause_s <= 0.0:
        return np.zeros_like(time_s)
    elapsed_s = time_s - job_start_s
    u_s = np.mod(elapsed_s, interval_s)
    begin_s = interval_s - pause_s
    into = (u_s - begin_s) / ramp_down_s
    out_of = (interval_s - u_s) / ramp_up_s
    share = np.clip(np.minimum(into, out_of), 0.0, 1.0)
    running = (elapsed_s >= begin_s) & (time_s <= job_stop_s)
    return np.where(running, share, 0.0)


def gpu_power_fraction(
    time_s: FloatArray, w: WorkloadSection, job_start_stop: bool = True
) -> FloatArray:
    """Power of one GPU of the job as a fraction of TDP, without smoothing (-).

    ``job_start_stop=False``: the job trains through the whole window (no start or
    stop step), the steady state between restarts; it has been training since
    before the window, so every checkpoint interval in it holds its pause.
    """
    stop_s = w.job_stop_s.value if job_start_stop else np.inf
    wave = iteration_fraction(
        time_s,
        w.iteration_period_s.value,
        w.compute_duty_cycle.value,
        w.compute_power_fraction.value,
        w.communication_power_fraction.value,
        w.ramp_up_s.value,
        w.ramp_down_s.value,
    )
    start_s = w.job_start_s.value
    if not job_start_stop:  # training began whole checkpoint intervals before the window
        interval_s = w.checkpoint_interval_s.value
        start_s -= interval_s * math.ceil(start_s / interval_s)
    pause = checkpoint_activity(
        time_s,
        start_s,
        stop_s,
        w.checkpoint_interval_s.value,
        w.checkpoint_pause_s.value,
        w.ramp_down_s.value,
        w.ramp_up_s.value,
    )
    training = wave * (1.0 - pause) + w.checkpoint_power_fraction.value * pause
    active = _activity(time_s, w, job_start_stop)
    idle = w.idle_power_fraction.value
    return idle + active * (training - idle)


def smoothed_power_fraction(
    fraction: FloatArray, activity: FloatArray, floor_fraction: float, idle_fraction: float
) -> FloatArray:
    """GPU power with a power floor held while the job runs (fraction of TDP).

    GPU power smoothing burns extra power when the GPU would otherwise fall below
    the floor; the floor follows the job's start/stop ramp.

    References
    ----------
    .. [1] arXiv:2508.14318 (GPU power smoothing: power floor and ramp limits).
    """
    floor = idle_fraction + activity * (floor_fraction - idle_fraction)
    return np.maximum(fraction, floor)


def campus_power_mw(
    gpu_fraction: FloatArray,
    gpu_power_peak_mw: float,
    compute_fraction: float,
    static_power_mw: float,
) -> FloatArray:
    """Campus power: GPU waveform scaled so the compute phase equals the GPU peak (MW).

    ``gpu_power_peak_mw`` is the campus GPU power at ``compute_fraction`` of TDP;
    ``static_power_mw`` does not swing (hosts, fabric, cooling, losses).
    """
    return static_power_mw + gpu_fraction * (gpu_power_peak_mw / compute_fraction)


def campus_gpu_peak_mw(gpu_count: int, gpu_tdp_w: float, compute_power_fraction: float) -> float:
    """Campus GPU power in the compute phase: ``count · TDP · fraction`` (MW).

    All GPUs of a synchronous job are in phase, so the campus swing is the
    single-GPU swing times the GPU count (``gpu_tdp_w`` from the GPU catalog).
    """
    return gpu_count * gpu_tdp_w * compute_power_fraction / 1e6


def mean_gpu_power_mw(w: WorkloadSection, gpu_power_peak_mw: float) -> float:
    """Mean campus GPU power over steady training (MW).

    The steady-training waveform (``job_start_stop=False``: compute/communication
    iterations and checkpoint pauses, no job start or stop) averaged over the
    window. The case window is a whole number of iterations and checkpoint
    intervals, so its mean is the mean of any hour of uninterrupted training.

    References
    ----------
    .. [1] arXiv:2508.14318 (synchronised compute/communication phases).
    """
    t_s = sample_times_s(w.duration_s.value, w.sample_rate_hz.value)
    frac = gpu_power_fraction(t_s, w, job_start_stop=False)
    return float(np.mean(frac)) * gpu_power_peak_mw / w.compute_power_fraction.value


def static_power_for_hour_mw(
    w: WorkloadSection, gpu_power_peak_mw: float, hour_facility_mw: float
) -> float:
    """Power that does not swing, so that training averages to the hour's facility load (MW).

    One load basis: the hourly facility load is the hour's mean (its energy); the
    sub-second waveform drawn for that hour must average to it. The static part
    (hosts, fabric, cooling, losses) is the hour's load less the mean GPU power;
    the compute-phase peak then lies above the hourly value by the GPU swing's
    upper half. Clipped at zero (a GPU mean above the hour's load would mean the
    hourly model under-counts the GPUs).

    References
    ----------
    .. [1] Energy balance of the hour: mean(static + GPU(t)) = hourly facility load.
    """
    return max(hour_facility_mw - mean_gpu_power_mw(w, gpu_power_peak_mw), 0.0)


def gpu_power_w(gpu_fraction: FloatArray, gpu_tdp_w: float) -> FloatArray:
    """Power of one GPU (W) from its fraction of TDP."""
    return gpu_fraction * gpu_tdp_w


def peak_to_peak_mw(p_mw: FloatArray) -> float:
    """Largest minus smallest power of a waveform (MW)."""
    return float(np.ptp(p_mw))


def max_ramp_mw_per_s(p_mw: FloatArray, sample_rate_hz: float) -> float:
    """Steepest sample-to-sample power change (MW/s)."""
    return float(np.max(np.abs(np.diff(p_mw)))) * sample_rate_hz


def windowed_swing_mw(p_mw: FloatArray, window_samples: int) -> float:
    """Largest power change (max − min) within any window of ``window_samples`` (MW).

    With a window equal to the period of the lower edge of the oscillation band
    (10 s for 0.1 Hz) this measures the swing a grid oscillation can see; slower
    drifts are excluded.
    """
    size = int(min(max(window_samples, 2), p_mw.size))
    hi = maximum_filter1d(p_mw, size=size, mode="nearest")
    lo = minimum_filter1d(p_mw, size=size, mode="nearest")
    return float(np.max(hi - lo))


def amplitude_spectrum_mw(p_mw: FloatArray, sample_rate_hz: float) -> tuple[FloatArray, FloatArray]:
    """One-sided amplitude spectrum of a power waveform.

    The amplitude of a bin is that of the sinusoid it represents:
    ``2 |X_k| / N`` (the DC and Nyquist bins ``|X_k| / N``). No window is applied,
    so a waveform holding a whole number of periods shows its harmonics exactly
    (a square wave of peak-to-peak ``A`` has fundamental ``2A/π``).

    Parameters
    ----------
    p_mw : ndarray
        Uniformly sampled power (MW).
    sample_rate_hz : float
        Sampling rate (Hz).

    Returns
    -------
    frequency_hz, amplitude_mw : ndarray
        Bin frequencies (Hz) and amplitudes (MW).

    References
    ----------
    .. [1] numpy.fft.rfft; A. V. Oppenheim, R. W. Schafer, *Discrete-Time Signal
       Processing*, 3rd ed., 2010, ch. 8.
    """
    n = p_mw.size
    amplitude = np.abs(np.fft.rfft(p_mw)) / n
    amplitude[1:] *= 2.0
    if n % 2 == 0:
        amplitude[-1] /= 2.0
    frequency_hz = np.fft.rfftfreq(n, d=1.0 / sample_rate_hz).astype(np.float64)
    return frequency_hz, amplitude.astype(np.float64)


def band_energy_fraction(
    frequency_hz: FloatArray, amplitude_mw: FloatArray, low_hz: float, high_hz: float
) -> float:
    """Share of the fluctuating (non-DC) power variance inside ``[low_hz, high_hz]`` (-)."""
    power = amplitude_mw**2
    ac = frequency_hz > 0.0
    total = float(np.sum(power[ac]))
    if total <= 0.0:
        return 0.0
    band = ac & (frequency_hz >= low_hz) & (frequency_hz <= high_hz)
    return float(np.sum(power[band])) / total


@dataclass(frozen=True)
class CampusWaveforms:
    """Campus power waveforms of one training job (sub-second samples)."""

    time_s: FloatArray
    activity: FloatArray
    """Share of the job running at each sample (-)."""
    campus_mw: FloatArray
    """Campus power without GPU smoothing (MW)."""
    smoothed_mw: FloatArray
    """Campus power with the GPU power floor (equal to ``campus_mw`` if disabled) (MW)."""
    iteration_swing_mw: float
    """Compute-to-communication swing of the campus (MW)."""
    smoothed_iteration_swing_mw: float
    """The same swing with the floor applied (MW)."""


def campus_waveforms(
    w: WorkloadSection,
    gpu_power_peak_mw: float,
    static_power_mw: float,
    job_start_stop: bool = True,
) -> CampusWaveforms:
    """Campus waveforms for a case's ``[workload]`` table (MW).

    ``job_start_stop=False`` gives the window of steady training (no job start or
    stop, checkpoints kept).

    References
    ----------
    .. [1] arXiv:2508.14318 (synchronised compute/communication swings; power floor).
    """
    fs = w.sample_rate_hz.value
    t_s = sample_times_s(w.duration_s.value, fs)
    frac = gpu_power_fraction(t_s, w, job_start_stop)
    active = _activity(t_s, w, job_start_stop)
    top = w.compute_power_fraction.value
    campus = campus_power_mw(frac, gpu_power_peak_mw, top, static_power_mw)
    low = w.communication_power_fraction.value
    smoothed = campus.copy()
    floor = w.gpu_power_floor_fraction
    if floor is not None:
        sfrac = smoothed_power_fraction(frac, active, floor.value, w.idle_power_fraction.value)
        smoothed = campus_power_mw(sfrac, gpu_power_peak_mw, top, static_power_mw)
    low_smoothed = low if floor is None else max(low, floor.value)
    per_tdp_mw = gpu_power_peak_mw / top
    return CampusWaveforms(
        t_s, active, campus, smoothed, (top - low) * per_tdp_mw, (top - low_smoothed) * per_tdp_mw
    )
