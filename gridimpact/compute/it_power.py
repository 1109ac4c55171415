"""GPUs → IT power: nameplate, peak and hourly draw of a GPU fleet."""

from __future__ import annotations

import numpy as np
import pandas as pd


def it_nameplate_mw(
    gpu_count: int, nameplate_w_per_gpu: float, fabric_storage_fraction: float
) -> float:
    """IT nameplate power of a GPU fleet including fabric and storage.

    Parameters
    ----------
    gpu_count : int
        Number of GPUs.
    nameplate_w_per_gpu : float
        GPU-system maximum power divided by its GPUs (W): GPU TDP plus host
        overhead (CPUs, memory, NICs, fans, PSU losses).
    fabric_storage_fraction : float
        Cluster network fabric, storage and CPU-only racks as a fraction of the
        GPU-system power (-).

    Returns
    -------
    float
        IT nameplate power (MW).

    References
    ----------
    .. [1] NVIDIA DGX H100 User Guide (system maximum power 10.2 kW for 8 GPUs).
    .. [2] The Green Grid, "PUE: A Comprehensive Examination of the Metric",
       White Paper 49, 2012 (IT equipment energy boundary).
    """
    return gpu_count * nameplate_w_per_gpu * (1.0 + fabric_storage_fraction) / 1e6


def maintenance_window_hours_per_week(
    peak_draw_fraction: float, mean_draw_fraction: float, idle_draw_fraction: float
) -> float:
    """Weekly idle hours that make a peak/idle schedule average to the mean draw.

    A training fleet runs at its peak draw except in maintenance / idle windows
    at the idle draw; the share of idle time ``f`` solves
    ``mean = (1 - f) * peak + f * idle``.

    Parameters
    ----------
    peak_draw_fraction, mean_draw_fraction, idle_draw_fraction : float
        Draw as a fraction of nameplate (-), with idle <= mean <= peak.

    Returns
    -------
    float
        Idle hours per 168-hour week (h).

    References
    ----------
    .. [1] Energy balance of a two-level schedule (hand derivation).
    """
    span = peak_draw_fraction - idle_draw_fraction
    if span <= 0.0:
        return 0.0
    return 168.0 * (peak_draw_fraction - mean_draw_fraction) / span


def hourly_draw_fraction(
    index: pd.DatetimeIndex,
    peak_draw_fraction: float,
    mean_draw_fraction: float,
    idle_draw_fraction: float,
    window_start_hour_of_week: int = 24 + 6,
) -> pd.Series:
    """Hourly IT draw as a fraction of nameplate: peak, with a weekly idle window.

    The idle window starts each week at ``window_start_hour_of_week`` (hours
    after Monday 00:00; default Tuesday 06:00) and lasts the whole hours from
    :func:`maintenance_window_hours_per_week`; the fractional remainder is
    applied to the hour after the window, so the annual mean equals the mean
    draw exactly over whole weeks.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly time stamps.
    peak_draw_fraction, mean_draw_fraction, idle_draw_fraction : float
        Draw as a fraction of nameplate (-).
    window_start_hour_of_week : int
        Start of the weekly idle window (h after Monday 00:00).

    Returns
    -------
    pandas.Series
        Draw fraction (-) on ``index``.

    References
    ----------
    .. [1] Energy balance of a two-level schedule (hand derivation).
    """
    idle_h = maintenance_window_hours_per_week(
        peak_draw_fraction, mean_draw_fraction, idle_draw_fraction
    )
    whole = int(np.floor(idle_h))
    part = idle_h - whole
    hour_of_week = (index.dayofweek * 24 + index.hour).to_numpy()
    offset = (hour_of_week - window_start_hour_of_week) % 168
    draw = np.full(len(index), peak_draw_fraction)
    draw[offset < whole] = idle_draw_fraction
    draw[offset == whole] = peak_draw_fraction - part * (peak_draw_fraction - idle_draw_fraction)
    return pd.Series(draw, index=index, name="draw_fraction")
