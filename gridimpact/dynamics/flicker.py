"""IEC 61000-4-15 Ed. 2.0 (2010) flickermeter: Pinst, Pst and Plt from voltage samples.

A vectorised digital model of the five blocks of the standard's flickermeter
(clause 4), for the 120 V and the 230 V reference lamp, 50 Hz or 60 Hz supply:

1. input-voltage adaptation: the input is divided by a slowly varying r.m.s.
   reference, its mean square through a first-order low-pass with τ = 27.3 s (a
   1 min 10 %-90 % step response, ``60 s / ln 9``); filtering the mean square
   rather than the half-period r.m.s. is the same for small fluctuations;
2. squaring demodulator;
3. weighting filters: first-order high-pass 0.05 Hz, 6th-order Butterworth
   low-pass (35 Hz on 50 Hz supplies, 42 Hz on 60 Hz supplies) and the lamp-eye
   weighting filter ``K ω1 s / (s² + 2λs + ω1²) · (1 + s/ω2) / ((1 + s/ω3)(1 + s/ω4))``;
4. squaring and first-order sliding mean (τ = 300 ms), scaled so that the lamp's
   Table 1 reference (sinusoidal 8.8 Hz, ΔV/V = 0.250 % for the 230 V lamp,
   0.321 % for the 120 V lamp) gives a maximum Pinst of 1;
5. statistical evaluation of Pinst over 10 min. Exact empirical percentiles
   (``numpy.percentile``, every sample) replace the standard's class-based
   cumulative probability function, which approximates them with finite classes.

The analogue filters are discretised with the bilinear transform, prewarped at
the Butterworth and high-pass cut-offs and, for the weighting filter, at 8.8 Hz.

Settling: :func:`instantaneous_flicker` assumes the supply was steady before the
record (it prepends 60 s of the record's first nominal cycle, repeated), so its
output has no start-up transient. :func:`pst` evaluates the 10 min that start
60 s into the record (or as late as the record allows, down to its first sample),
so a record of 11 min or more is evaluated on filters settled on real data.

A steady sine reads Pst ≈ 0.004 (120 V lamp, 60 Hz) to 0.009 (230 V lamp, 50 Hz):
the double-frequency ripple the 6th-order Butterworth leaves (-55 dB) is weighted,
not an error of this model. The fast path :func:`pst_from_relative_rms` has no
carrier and no such floor.

References
----------
.. [1] IEC 61000-4-15:2010 (Ed. 2.0), "Electromagnetic compatibility (EMC) - Part
   4-15: Testing and measurement techniques - Flickermeter - Functional and design
   specifications", clauses 4-5 (5.7.2: short-term evaluation), Tables 1, 2, 5.
.. [2] IEEE Std 1453-2015 / 1453-2022, "IEEE Recommended Practice for the Analysis of
   Fluctuating Installations on Power Systems" (adopts IEC 61000-4-15, including
   the 120 V lamp model).
.. [3] P. Jourdan (Solcept AG), "flicker_sim", open-source IEC 61000-4-15 simulator,
   2009; M. Šíra (CMI), QWTB ``alg_flicker_sim`` and ``verify_flicker_sim.m``, 2018;
   MathWorks Simscape "Digital Flickermeter" (``FlickermeterInit.m``): weighting
   constants of both lamps, Butterworth cut-offs, 27.3 s adaptation and the Ed. 2
   test tables, cross-checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from numpy.typing import ArrayLike
from scipy import signal

FloatArray = npt.NDArray[np.float64]

EVALUATION_INTERVAL_S = 600.0
"""Short-term observation interval of Pst (s)."""
SETTLING_S = 60.0
"""Filter settling before the evaluated interval (s)."""
ADAPTATION_TIME_CONSTANT_S = 27.3
"""Block 1 reference filter (clause 5.3): 1 min 10 %-90 % step response, 60 s / ln 9."""
HIGH_PASS_CUTOFF_HZ = 0.05
SMOOTHING_TIME_CONSTANT_S = 0.3
REFERENCE_MODULATION_HZ = 8.8
MIN_SAMPLES_PER_CYCLE = 8.0
"""Lowest carrier sampling: samples per nominal cycle."""
MIN_ENVELOPE_RATE_HZ = 100.0
"""Lowest sampling rate of an r.m.s. envelope (above twice the 42 Hz cut-off)."""
ENVELOPE_SAMPLES_PER_CYCLE = 16.0
"""Envelopes are interpolated up to at least this many samples per nominal cycle."""

PERCENTILES = (0.1, 0.7, 1.0, 1.5, 2.2, 3.0, 4.0, 6.0, 8.0, 10.0, 13.0, 17.0, 30.0, 50.0, 80.0)
"""Percent of time exceeded, clause 5.7.2."""

BUTTERWORTH_CUTOFF_HZ = {50: 35.0, 60: 42.0}
"""Block 3 6th-order Butterworth cut-off by nominal supply frequency (Hz)."""


@dataclass(frozen=True)
class LampModel:
    """Lamp-eye weighting filter constants (frequencies as ω/2π, Hz) and Table 1 reference."""

    k: float
    lambda_hz: float
    f1_hz: float
    f2_hz: float
    f3_hz: float
    f4_hz: float
    reference_dv_percent: float


LAMPS = {
    230: LampModel(1.74802, 4.05981, 9.15494, 2.27979, 1.22535, 21.9, 0.250),
    120: LampModel(1.6357, 4.167375, 9.077169, 2.939902, 1.394468, 17.31512, 0.321),
}
"""IEC 61000-4-15:2010 weighting-filter constants; reference ΔV/V from Tables 1a/1b."""


def _lamp(lamp_voltage_v: int) -> LampModel:
    if lamp_voltage_v not in LAMPS:
        raise ValueError(f"lamp_voltage_v must be 120 or 230, got {lamp_voltage_v!r}")
    return LAMPS[lamp_voltage_v]


def _butterworth_cutoff_hz(grid_hz: float) -> float:
    for nominal_hz, cutoff_hz in BUTTERWORTH_CUTOFF_HZ.items():
        if grid_hz == nominal_hz:
            return cutoff_hz
    raise ValueError(f"grid_hz must be 50 or 60 (nominal), got {grid_hz!r}")


def _samples(x: ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-D array of samples")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has non-finite samples")
    return arr


def _check_rate(sample_rate_hz: float, minimum_hz: float) -> None:
    if not (math.isfinite(sample_rate_hz) and sample_rate_hz >= minimum_hz):
        raise ValueError(f"sample_rate_hz must be >= {minimum_hz:g} Hz, got {sample_rate_hz!r}")


def weighting_filter_sos(lamp_voltage_v: int, sample_rate_hz: float) -> FloatArray:
    """Block 3 lamp-eye weighting filter, bilinear with prewarping at 8.8 Hz (SOS).

    ``H(s) = K ω1 s / (s² + 2λs + ω1²) · (1 + s/ω2) / ((1 + s/ω3)(1 + s/ω4))``.

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clause 4.4 (Block 3), weighting-filter constants.
    .. [2] IEEE Std 1453-2015 (adopts the IEC 61000-4-15 120 V lamp model).
    """
    m = _lamp(lamp_voltage_v)
    w1, w2, w3, w4, lam = (2 * np.pi * f for f in (m.f1_hz, m.f2_hz, m.f3_hz, m.f4_hz, m.lambda_hz))
    zeros = np.array([0.0, -w2])
    poles = np.concatenate([np.roots([1.0, 2.0 * lam, w1 * w1]), [-w3, -w4]])
    gain = m.k * w1 * w3 * w4 / w2
    f0 = REFERENCE_MODULATION_HZ
    fs_warped = np.pi * f0 / math.tan(np.pi * f0 / sample_rate_hz)
    z, p, k = signal.bilinear_zpk(zeros, poles, gain, fs_warped)
    return np.asarray(signal.zpk2sos(z, p, k, pairing="nearest"), dtype=float)


def block3_sos(lamp_voltage_v: int, grid_hz: float, sample_rate_hz: float) -> FloatArray:
    """Block 3 cascade: 0.05 Hz high-pass, 6th-order Butterworth, weighting filter (SOS).

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clause 4.4.
    """
    cutoff_hz = _butterworth_cutoff_hz(grid_hz)
    hp = signal.butter(1, HIGH_PASS_CUTOFF_HZ, "highpass", fs=sample_rate_hz, output="sos")
    lp = signal.butter(6, cutoff_hz, "lowpass", fs=sample_rate_hz, output="sos")
    return np.vstack([hp, lp, weighting_filter_sos(lamp_voltage_v, sample_rate_hz)])


def _smoothing_sos(sample_rate_hz: float) -> FloatArray:
    cutoff_hz = 1.0 / (2.0 * np.pi * SMOOTHING_TIME_CONSTANT_S)
    return np.asarray(signal.butter(1, cutoff_hz, fs=sample_rate_hz, output="sos"), dtype=float)


def block4_gain(lamp_voltage_v: int, grid_hz: float, sample_rate_hz: float) -> float:
    """Block 4 scaling: the lamp's Table 1 8.8 Hz reference gives max Pinst = 1 (-).

    A sinusoidal fluctuation ΔV/V (peak-to-peak) reaches block 3 as a sine of
    amplitude ``a = ΔV/V / 2`` times the block 3 gain; squared and smoothed it
    peaks at ``a²/2 · (1 + |H4(2 · 8.8 Hz)|)`` (mean plus residual ripple).

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clause 4.5 and Tables 1a/1b.
    """
    f0 = REFERENCE_MODULATION_HZ
    _, h3 = signal.sosfreqz(
        block3_sos(lamp_voltage_v, grid_hz, sample_rate_hz), [f0], fs=sample_rate_hz
    )
    _, h4 = signal.sosfreqz(_smoothing_sos(sample_rate_hz), [2.0 * f0], fs=sample_rate_hz)
    a = _lamp(lamp_voltage_v).reference_dv_percent / 200.0 * abs(h3[0])
    return float(1.0 / (a * a / 2.0 * (1.0 + abs(h4[0]))))


def _adapted_square(x_squared: FloatArray, sample_rate_hz: float) -> FloatArray:
    """Blocks 1 and 2: ``x² / (2 · LP{x²})``, the low-pass started at the first 0.1 s."""
    alpha = -math.expm1(-1.0 / (sample_rate_hz * ADAPTATION_TIME_CONSTANT_S))
    start = float(np.mean(x_squared[: max(1, round(sample_rate_hz * 0.1))]))
    if start <= 0.0:
        raise ValueError("the record starts with zero voltage")
    ref, _ = signal.lfilter([alpha], [1.0, alpha - 1.0], x_squared, zi=[(1.0 - alpha) * start])
    if np.any(ref <= 0.0):
        raise ValueError("the r.m.s. reference collapsed to zero (interruption)")
    return np.asarray(x_squared / (2.0 * ref), dtype=float)


def _pinst_from_demodulated(
    demodulated: FloatArray, lamp_voltage_v: int, grid_hz: float, sample_rate_hz: float
) -> FloatArray:
    """Blocks 3 and 4 on the demodulator output, filters started in steady state."""
    sos3 = block3_sos(lamp_voltage_v, grid_hz, sample_rate_hz)
    level = float(np.mean(demodulated[: max(1, round(0.1 * sample_rate_hz))]))
    zi = signal.sosfilt_zi(sos3) * level
    weighted, _ = signal.sosfilt(sos3, demodulated, zi=zi)
    smoothed = signal.sosfilt(_smoothing_sos(sample_rate_hz), weighted * weighted)
    return np.asarray(smoothed * block4_gain(lamp_voltage_v, grid_hz, sample_rate_hz), dtype=float)


def _periodic_preroll(x: FloatArray, period_samples: float, n_preroll: int) -> FloatArray:
    """``n_preroll`` samples before ``x`` that repeat its first period (interpolated)."""
    n_first = min(x.size, math.ceil(period_samples) + 1)
    phase = np.mod(np.arange(-n_preroll, 0, dtype=float), period_samples)
    return np.interp(phase, np.arange(n_first, dtype=float), x[:n_first])


def _pinst_with_preroll(
    x: FloatArray,
    period_samples: float,
    lamp_voltage_v: int,
    grid_hz: float,
    sample_rate_hz: float,
) -> FloatArray:
    """Pinst of ``x`` after a steady 60 s pre-roll, aligned with ``x``.

    ``x`` is a carrier (``x²/(2 ref)`` = ``(u/U)² sin²``, mean ``(u/U)²/2``) or an r.m.s.
    envelope (``r²/(2 ref)`` = ``(u/U)²/2`` directly): the same block 3 input.
    """
    n_pre = round(SETTLING_S * sample_rate_hz)
    ext = np.concatenate([_periodic_preroll(x, period_samples, n_pre), x])
    demod = _adapted_square(ext * ext, sample_rate_hz)
    return _pinst_from_demodulated(demod, lamp_voltage_v, grid_hz, sample_rate_hz)[n_pre:]


def instantaneous_flicker(
    voltage: ArrayLike,
    sample_rate_hz: float,
    grid_hz: float = 60.0,
    lamp_voltage_v: int = 120,
) -> FloatArray:
    """Instantaneous flicker sensation Pinst (output of block 4), one value per sample (-).

    Parameters
    ----------
    voltage : array_like
        Instantaneous voltage samples (any unit; the flickermeter is relative).
    sample_rate_hz : float
        Sampling rate (Hz), at least 8 samples per nominal cycle.
    grid_hz : float
        Nominal supply frequency, 50 or 60 (Hz).
    lamp_voltage_v : int
        Reference lamp, 120 or 230 (V).

    Returns
    -------
    ndarray
        Pinst (perceptibility units squared, 1 = threshold), aligned with ``voltage``;
        the supply is taken as steady (its first cycle repeated) for 60 s before.

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clauses 4.2-4.6 (blocks 1-4).
    .. [2] IEEE Std 1453-2015/2022.
    """
    _lamp(lamp_voltage_v)
    _check_rate(sample_rate_hz, MIN_SAMPLES_PER_CYCLE * _nominal_hz(grid_hz))
    v = _samples(voltage, "voltage")
    period = sample_rate_hz / grid_hz
    if v.size <= period:
        raise ValueError("voltage must cover at least one nominal cycle")
    return _pinst_with_preroll(v, period, lamp_voltage_v, grid_hz, sample_rate_hz)


def _nominal_hz(grid_hz: float) -> float:
    _butterworth_cutoff_hz(grid_hz)
    return float(grid_hz)


def pst_from_pinst(pinst: ArrayLike) -> float:
    """Block 5: short-term flicker severity from Pinst over the observation interval (-).

    ``Pst = sqrt(0.0314 P0.1 + 0.0525 P1s + 0.0657 P3s + 0.28 P10s + 0.08 P50s)`` with
    ``Px`` the level exceeded x % of the time (exact ``numpy.percentile``, linear
    interpolation) and the smoothed ``P1s = (P0.7 + P1 + P1.5)/3``,
    ``P3s = (P2.2 + P3 + P4)/3``, ``P10s = (P6 + P8 + P10 + P13 + P17)/5``,
    ``P50s = (P30 + P50 + P80)/3``.

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clause 5.7.2.
    """
    p = _samples(pinst, "pinst")
    levels = dict(zip(PERCENTILES, np.percentile(p, [100.0 - x for x in PERCENTILES]), strict=True))
    p1s = (levels[0.7] + levels[1.0] + levels[1.5]) / 3.0
    p3s = (levels[2.2] + levels[3.0] + levels[4.0]) / 3.0
    p10s = (levels[6.0] + levels[8.0] + levels[10.0] + levels[13.0] + levels[17.0]) / 5.0
    p50s = (levels[30.0] + levels[50.0] + levels[80.0]) / 3.0
    total = 0.0314 * levels[0.1] + 0.0525 * p1s + 0.0657 * p3s + 0.28 * p10s + 0.08 * p50s
    return math.sqrt(max(float(total), 0.0))


def _evaluation_window(n_samples: int, sample_rate_hz: float) -> slice:
    """The 10 min that start ``SETTLING_S`` in, or as late as a shorter record allows."""
    n_eval = round(EVALUATION_INTERVAL_S * sample_rate_hz)
    if n_samples < n_eval:
        raise ValueError(
            f"Pst needs at least {EVALUATION_INTERVAL_S:g} s of samples, "
            f"got {n_samples / sample_rate_hz:.1f} s"
        )
    start = min(round(SETTLING_S * sample_rate_hz), n_samples - n_eval)
    return slice(start, start + n_eval)


def pst(
    voltage: ArrayLike,
    sample_rate_hz: float,
    grid_hz: float = 60.0,
    lamp_voltage_v: int = 120,
) -> float:
    """Short-term flicker severity of instantaneous voltage samples (>= 10 min) (-).

    Blocks 1-4 on the whole record (after a steady 60 s pre-roll), block 5 on the
    10 min that start 60 s into the record (the last 10 min if it is shorter than
    11 min).

    Parameters
    ----------
    voltage : array_like
        Instantaneous voltage samples, at least 600 s.
    sample_rate_hz : float
        Sampling rate (Hz), at least 8 samples per nominal cycle.
    grid_hz : float
        Nominal supply frequency, 50 or 60 (Hz).
    lamp_voltage_v : int
        Reference lamp, 120 or 230 (V).

    Returns
    -------
    float
        Pst (-); 1.0 is the conventional irritability threshold.

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clauses 4 and 5, Table 5.
    .. [2] IEEE Std 1453-2015/2022.
    """
    pinst = instantaneous_flicker(voltage, sample_rate_hz, grid_hz, lamp_voltage_v)
    return pst_from_pinst(pinst[_evaluation_window(pinst.size, sample_rate_hz)])


def pst_from_relative_rms(
    relative_rms: ArrayLike,
    sample_rate_hz: float,
    grid_hz: float = 60.0,
    lamp_voltage_v: int = 120,
) -> float:
    """Fast path: Pst from a sampled r.m.s. envelope ``u(t)/U``, without a carrier (-).

    The squaring demodulator's output without its double-frequency ripple is
    ``(u/U_ref)²/2``, so blocks 3-5 run directly on the envelope. Envelopes
    sampled below 16 samples per nominal cycle are first interpolated by an
    integer factor (``scipy.signal.resample_poly``). Same settling rule as
    :func:`pst`.

    Parameters
    ----------
    relative_rms : array_like
        R.m.s. envelope, e.g. ``1 + ΔV/V`` (-), at least 600 s, all positive.
    sample_rate_hz : float
        Envelope sampling rate (Hz), at least 100 Hz.
    grid_hz : float
        Nominal supply frequency, 50 or 60 (Hz); sets the Butterworth cut-off.
    lamp_voltage_v : int
        Reference lamp, 120 or 230 (V).

    Returns
    -------
    float
        Pst (-).

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clauses 4.3-4.6 and 5.7.2.
    """
    _lamp(lamp_voltage_v)
    _nominal_hz(grid_hz)
    _check_rate(sample_rate_hz, MIN_ENVELOPE_RATE_HZ)
    r = _samples(relative_rms, "relative_rms")
    if np.any(r <= 0.0):
        raise ValueError("relative_rms must be positive")
    r, rate_hz = _upsampled(r, sample_rate_hz, ENVELOPE_SAMPLES_PER_CYCLE * grid_hz)
    window = _evaluation_window(r.size, rate_hz)
    pinst = _pinst_with_preroll(r, 1.0, lamp_voltage_v, grid_hz, rate_hz)
    return pst_from_pinst(pinst[window])


def _upsampled(r: FloatArray, rate_hz: float, target_hz: float) -> tuple[FloatArray, float]:
    """Band-limited (polyphase) interpolation by the integer factor that reaches ``target_hz``.

    Keeps the bilinear filters far below Nyquist: a 100-120 Hz half-period r.m.s.
    series then gives Pst within ~2 % of the carrier flickermeter up to 1620 changes/min.
    """
    up = math.ceil(target_hz / rate_hz - 1e-9)
    if up <= 1:
        return r, rate_hz
    return np.asarray(signal.resample_poly(r, up, 1, padtype="edge"), dtype=float), rate_hz * up


def plt(pst_values: ArrayLike) -> float:
    """Long-term flicker severity ``Plt = (Σ Pst³ / N)^(1/3)``, normally N = 12 (2 h) (-).

    References
    ----------
    .. [1] IEC 61000-4-15:2010, clause 5.7 (long-term flicker evaluation).
    """
    p = np.asarray(pst_values, dtype=float).ravel()
    if p.size == 0 or not np.all(np.isfinite(p)) or np.any(p < 0.0):
        raise ValueError("pst_values must be a non-empty set of finite, non-negative values")
    return float(np.cbrt(np.mean(p**3)))


def voltage_samples(
    relative_rms: ArrayLike,
    envelope_rate_hz: float,
    grid_hz: float = 60.0,
    sample_rate_hz: float | None = None,
    nominal_voltage_v: float = 1.0,
    interpolation: Literal["linear", "previous"] = "linear",
    phase_rad: float = 0.0,
) -> tuple[FloatArray, float]:
    """Instantaneous voltage ``√2 · U · u(t) · sin(2π f t + φ)`` from an r.m.s. envelope.

    Parameters
    ----------
    relative_rms : array_like
        Envelope ``u(t)/U`` (-), sample ``i`` at ``i / envelope_rate_hz``.
    envelope_rate_hz : float
        Envelope sampling rate (Hz).
    grid_hz : float
        Carrier frequency (Hz).
    sample_rate_hz : float, optional
        Output rate (Hz); default 32 samples per cycle (1,920 Hz at 60 Hz).
    nominal_voltage_v : float
        R.m.s. voltage U of ``u/U = 1`` (V).
    interpolation : {"linear", "previous"}
        Linear interpolation of the envelope, or zero-order hold (steps).
    phase_rad : float
        Carrier phase at t = 0 (rad).

    Returns
    -------
    tuple of (ndarray, float)
        Voltage samples (V) covering the envelope's duration, and their rate (Hz).

    References
    ----------
    .. [1] IEC 61000-4-15:2010, Tables 1, 2 and 5 (test signals: modulated sine carrier).
    """
    r = _samples(relative_rms, "relative_rms")
    if not (math.isfinite(envelope_rate_hz) and envelope_rate_hz > 0.0):
        raise ValueError(f"envelope_rate_hz must be positive, got {envelope_rate_hz!r}")
    fs = 32.0 * grid_hz if sample_rate_hz is None else float(sample_rate_hz)
    _check_rate(fs, 4.0 * grid_hz)
    n = round(r.size / envelope_rate_hz * fs)
    t_s = np.arange(n) / fs
    position = t_s * envelope_rate_hz
    if interpolation == "previous":
        u = r[np.minimum(np.floor(position + 1e-9).astype(int), r.size - 1)]
    else:
        u = np.interp(position, np.arange(r.size, dtype=float), r)
    carrier = np.sin(2.0 * np.pi * grid_hz * t_s + phase_rad)
    return np.sqrt(2.0) * nominal_voltage_v * u * carrier, fs
