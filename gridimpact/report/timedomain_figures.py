"""Figures of the time-domain studies: campus trip, fault ride-through, modes.

Each function takes the study's plain tables (DataFrames of traces, the modes) and a
path; nothing is simulated here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gridimpact.report.style import COLORS, LINESTYLES, new_figure, save


def plot_load_loss(traces: pd.DataFrame, t_event_s: float, title: str, path: str) -> None:
    """Centre-of-inertia frequency and POI voltage after the campus trips."""
    fig = new_figure(7.0, 3.8)
    ax_f, ax_v = fig.subplots(2, 1, sharex=True)
    t = traces["time_s"].to_numpy(float)
    ax_f.plot(t, traces["frequency_hz"].to_numpy(float), color=COLORS[0], ls=LINESTYLES[0])
    ax_f.set_ylabel("frequency (Hz)")
    ax_f.ticklabel_format(axis="y", useOffset=False)
    ax_v.plot(t, traces["poi_voltage_pu"].to_numpy(float), color=COLORS[1], ls=LINESTYLES[0])
    ax_v.set_ylabel("POI voltage (pu)")
    ax_v.set_xlabel("time (s)")
    for ax in (ax_f, ax_v):
        ax.axvline(t_event_s, color=COLORS[3], ls=":", lw=0.8)
    ax_f.annotate(
        "campus trips",
        (t_event_s, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        fontsize=7,
        color=COLORS[3],
    )
    ax_f.set_title(title)
    save(fig, path)


def plot_fault(
    traces: pd.DataFrame,
    traces_no_trip: pd.DataFrame,
    trip_times_s: Sequence[float],
    title: str,
    path: str,
) -> None:
    """POI voltage with and without the campus's trips, and the frequency after them."""
    fig = new_figure(7.0, 3.8)
    ax_v, ax_f = fig.subplots(2, 1, sharex=True)
    ax_v.plot(
        traces_no_trip["time_s"].to_numpy(float),
        traces_no_trip["poi_voltage_pu"].to_numpy(float),
        color=COLORS[3],
        ls=LINESTYLES[1],
        label="campus rides through",
    )
    ax_v.plot(
        traces["time_s"].to_numpy(float),
        traces["poi_voltage_pu"].to_numpy(float),
        color=COLORS[0],
        ls=LINESTYLES[0],
        label="with the campus's trips",
    )
    ax_v.set_ylabel("POI voltage (pu)")
    ax_v.legend(loc="lower right")
    ax_f.plot(
        traces["time_s"].to_numpy(float),
        traces["frequency_hz"].to_numpy(float),
        color=COLORS[1],
        ls=LINESTYLES[0],
    )
    ax_f.set_ylabel("frequency (Hz)")
    ax_f.ticklabel_format(axis="y", useOffset=False)
    ax_f.set_xlabel("time (s)")
    for t_s in trip_times_s:
        for ax in (ax_v, ax_f):
            ax.axvline(t_s, color=COLORS[4], ls=":", lw=0.8)
    ax_v.set_title(title)
    save(fig, path)


def plot_modes(
    modes: pd.DataFrame,
    swing_frequencies_hz: Sequence[float],
    damping_threshold: float,
    title: str,
    path: str,
) -> None:
    """Damping ratio against frequency of the electromechanical modes, with the swing."""
    fig = new_figure(7.0, 3.2)
    ax = fig.add_subplot()
    f = modes["frequency_hz"].to_numpy(float) if len(modes) else np.array([])
    z = 100.0 * modes["damping_ratio"].to_numpy(float) if len(modes) else np.array([])
    ax.axvspan(0.1, 2.0, color=COLORS[2], alpha=0.12, lw=0)
    ax.axhline(100.0 * damping_threshold, color=COLORS[4], ls=LINESTYLES[1], lw=1.0)
    ax.annotate(
        f"poorly damped below {100 * damping_threshold:g} %",
        (0.02, 100.0 * damping_threshold),
        xycoords=("axes fraction", "data"),
        xytext=(0, -10),
        textcoords="offset points",
        fontsize=7,
        color=COLORS[4],
    )
    for i, fs in enumerate(swing_frequencies_hz):
        ax.axvline(fs, color=COLORS[1], ls=":", lw=0.9, label="training swing" if i == 0 else None)
    if f.size:
        ax.scatter(f, z, color=COLORS[0], zorder=3, label="electromechanical mode")
    top = max(float(z.max()) if z.size else 0.0, 100.0 * damping_threshold) * 1.25 + 1.0
    ax.set_ylim(0.0, top)
    ax.set_xlim(0.0, 2.6)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("damping ratio (%)")
    ax.set_title(title)
    ax.legend(loc="upper right")
    save(fig, path)
