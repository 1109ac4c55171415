"""Figures of one study and of a comparison, each saved as a PNG.

Functions take plain tables (DataFrames) and a path; they compute nothing that
the results do not already hold beyond sorting and resampling for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import cm
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from gridimpact.report.labels import name as arch_name
from gridimpact.report.style import COLORS, HATCHES, LINESTYLES, new_figure, save
from gridimpact.thermal.water import m3_per_h_to_mgd


def plot_facility_year(hourly: pd.DataFrame, title: str, path: str) -> None:
    """Daily maximum and mean facility power over the year, with IT power."""
    fig = new_figure()
    ax = fig.add_subplot()
    daily = hourly.resample("D")
    fac_max = daily["facility_power_mw"].max()
    fac_mean = daily["facility_power_mw"].mean()
    it_mean = daily["it_power_mw"].mean()
    ax.plot(
        fac_max.index,
        fac_max.to_numpy(),
        color=COLORS[0],
        ls=LINESTYLES[0],
        label="facility, daily max",
    )
    ax.plot(
        fac_mean.index,
        fac_mean.to_numpy(),
        color=COLORS[1],
        ls=LINESTYLES[1],
        label="facility, daily mean",
    )
    ax.plot(
        it_mean.index, it_mean.to_numpy(), color=COLORS[3], ls=LINESTYLES[2], label="IT, daily mean"
    )
    ax.set_ylabel("Power at POI (MW)")
    ax.set_xlabel("Date")
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left", ncols=3)
    save(fig, path)


def plot_design_day(
    design_day: pd.DataFrame, weather_dd: pd.DataFrame, title: str, path: str
) -> None:
    """Stacked facility power over the design day, with the design weather."""
    fig = new_figure()
    ax = fig.add_subplot()
    hours = np.arange(len(design_day))
    parts = [
        ("it_power_mw", "IT"),
        ("cooling_power_mw", "cooling"),
        ("ups_loss_mw", "UPS loss"),
        ("transformer_loss_mw", "transformer loss"),
        ("misc_power_mw", "lighting & misc"),
    ]
    bottom = np.zeros(len(design_day))
    for i, (col, label) in enumerate(parts):
        values = design_day[col].to_numpy(dtype=float)
        ax.bar(
            hours,
            values,
            bottom=bottom,
            color=COLORS[i % len(COLORS)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            linewidth=0.3,
            label=label,
        )
        bottom = bottom + values
    ax.set_xlabel("Hour of design day (local standard time)")
    ax.set_ylabel("Power at POI (MW)")
    ax.set_title(title)
    ax.set_xticks(hours[::3])
    ax2 = ax.twinx()
    ax2.plot(
        hours,
        weather_dd["dry_bulb_c"].to_numpy(),
        color="black",
        ls="-",
        marker="o",
        ms=2.5,
        label="dry-bulb",
    )
    ax2.plot(
        hours,
        weather_dd["wet_bulb_c"].to_numpy(),
        color="black",
        ls="--",
        marker="s",
        ms=2.5,
        label="wet-bulb",
    )
    ax2.set_ylabel("Temperature (°C)")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(handles + h2, labels + l2, loc="outside lower center", ncols=4)
    save(fig, path)


def plot_load_duration(
    curves: Sequence[tuple[str, pd.Series]], path: str, title: str = "Facility load duration curve"
) -> None:
    """Load duration curve(s): hourly power sorted from highest to lowest."""
    fig = new_figure()
    ax = fig.add_subplot()
    for i, (label, series) in enumerate(curves):
        values = np.sort(series.to_numpy(dtype=float))[::-1]
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            color=COLORS[i % len(COLORS)],
            ls=LINESTYLES[i % len(LINESTYLES)],
            label=label,
        )
    ax.set_xlabel("Hours of the year at or above")
    ax.set_ylabel("Power at POI (MW)")
    ax.set_title(title)
    ax.set_xlim(0, 8760)
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left")
    save(fig, path)


def plot_network_map(
    buses: pd.DataFrame, branches: pd.DataFrame, poi_bus: str, title: str, path: str
) -> None:
    """Network map: branches coloured (and thickened) by loading, buses by voltage."""
    fig = new_figure(7.0, 5.6)
    ax = fig.add_subplot()
    pos = buses.set_index("bus")[["lon", "lat"]]
    known = pos.dropna()
    if known.empty:
        ax.text(0.5, 0.5, "no bus coordinates in this network", ha="center", transform=ax.transAxes)
        save(fig, path)
        return
    # loading colour scale 0-150 %: above that the colour is "over" (red) and the bar
    # is extended, with the highest value written on it (the scale never clips silently)
    loading_max = float(np.nanmax(branches["loading_percent"].to_numpy(dtype=float), initial=0.0))
    norm = Normalize(vmin=0.0, vmax=LOADING_SCALE_MAX)
    cmap = matplotlib.colormaps["viridis_r"].with_extremes(over="#c0392b")
    for row in branches.itertuples(index=False):
        if row.from_bus not in known.index or row.to_bus not in known.index:
            continue
        a, b = known.loc[row.from_bus], known.loc[row.to_bus]
        loading = float(row.loading_percent)
        ls = "-" if row.kind == "line" else ":"
        ax.plot(
            [a.lon, b.lon],
            [a.lat, b.lat],
            color=cmap(norm(loading)),
            ls=ls,
            lw=1.0 + 2.5 * min(loading, LOADING_SCALE_MAX) / LOADING_SCALE_MAX,
            zorder=1,
        )
    vm = buses["vm_pu"].to_numpy(dtype=float)
    # voltage scale: at least 0.90-1.10 pu (the N-1 band), wider to cover the data
    v_low = min(0.90, float(np.floor(np.nanmin(vm, initial=1.0) * 50.0) / 50.0))
    v_high = max(1.10, float(np.ceil(np.nanmax(vm, initial=1.0) * 50.0) / 50.0))
    sizes = np.where(buses["vn_kv"].to_numpy(dtype=float) >= 300.0, 60.0, 30.0)
    sc = ax.scatter(
        buses["lon"],
        buses["lat"],
        c=vm,
        cmap="coolwarm",
        norm=TwoSlopeNorm(vcenter=1.0, vmin=v_low, vmax=v_high),
        s=sizes,
        edgecolors="black",
        linewidths=0.5,
        zorder=2,
    )
    if poi_bus in known.index:
        p = known.loc[poi_bus]
        ax.scatter(
            [p.lon],
            [p.lat],
            marker="*",
            s=220,
            facecolors="none",
            edgecolors="black",
            linewidths=1.2,
            zorder=3,
            label=f"POI: {poi_bus}",
        )
        ax.legend(loc="upper left")
    _place_labels(fig, ax, known, poi_bus)
    vbar = fig.colorbar(sc, ax=ax, label="Bus voltage (pu)", shrink=0.7)
    vbar.ax.axhline(float(np.nanmin(vm, initial=1.0)), color="black", lw=1.0)
    vbar.ax.text(
        0.5,
        -0.04,
        f"min {np.nanmin(vm, initial=1.0):.3f}",
        transform=vbar.ax.transAxes,
        ha="center",
        va="top",
        fontsize=6.5,
    )
    extend = "max" if loading_max > LOADING_SCALE_MAX else "neither"
    lbar = fig.colorbar(
        cm.ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        label="Branch loading (% of rating)",
        shrink=0.7,
        extend=extend,
    )
    lbar.ax.text(
        0.5,
        1.08 if extend == "max" else 1.02,
        f"max {loading_max:,.0f} %",
        transform=lbar.ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=6.5,
    )
    ax.set_xlabel("Longitude (°)")
    ax.set_ylabel("Latitude (°)")
    ax.set_title(title)
    ax.set_aspect(1.0 / np.cos(np.deg2rad(float(known["lat"].mean()))))
    save(fig, path)


LOADING_SCALE_MAX = 150.0
"""Top of the map's loading colour scale (%); higher loadings take the "over" colour."""


def _place_labels(fig: Figure, ax: Axes, pos: pd.DataFrame, poi_bus: str) -> None:
    """Bus names placed where they overlap no other name (greedy, deterministic).

    Each name tries eight offsets around its bus, nearest first, then the same at
    twice the distance with a leader line; a name with no free place is left out
    (the POI and the 500 kV stations are placed first, so they are always named).
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    order = sorted(
        pos.index,
        key=lambda b: (b != poi_bus, "500" not in str(b), str(b)),
    )
    taken: list[Any] = []
    pts = ax.transData.transform(pos[["lon", "lat"]].to_numpy(dtype=float))
    dirs = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
    for bus in order:
        text = str(bus).replace(" 161kV", "").replace(" 500kV", " (500)")
        xy = pos.loc[bus, ["lon", "lat"]].to_numpy(dtype=float)
        placed = False
        for dist, leader in ((4.0, False), (14.0, True), (24.0, True)):
            for dx, dy in dirs:
                ann = ax.annotate(
                    text,
                    xy,
                    xytext=(dx * dist, dy * dist),
                    textcoords="offset points",
                    fontsize=5.5,
                    ha="left" if dx > 0 else "right" if dx < 0 else "center",
                    va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                    arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "0.4"} if leader else None,
                    zorder=4,
                )
                box = ann.get_window_extent(renderer).expanded(1.05, 1.15)
                hits_point = any(box.contains(float(x), float(y)) for x, y in pts)
                if not hits_point and not any(box.overlaps(t) for t in taken):
                    taken.append(box)
                    placed = True
                    break
                ann.remove()
            if placed:
                break


def plot_daily_water(
    hourly: pd.DataFrame, references_mgd: Sequence[tuple[str, float]], title: str, path: str
) -> None:
    """Daily makeup water (MGD) over the year against reference volumes."""
    fig = new_figure()
    ax = fig.add_subplot()
    daily = hourly["makeup_water_m3_per_h"].resample("D").mean()
    daily = pd.Series(m3_per_h_to_mgd(daily.to_numpy()), index=daily.index)
    ax.plot(daily.index, daily.to_numpy(), color=COLORS[0], label="campus makeup water")
    for i, (label, mgd) in enumerate(references_mgd):
        ax.axhline(
            mgd,
            color=COLORS[(i + 1) % len(COLORS)],
            ls=LINESTYLES[(i + 1) % len(LINESTYLES)],
            label=label,
        )
    ax.set_xlabel("Date")
    ax.set_ylabel("Water (million US gallons per day)")
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    save(fig, path)


WAVEFORM_SERIES = (
    ("campus_power_mw", "campus (no mitigation)"),
    ("campus_power_smoothed_mw", "with GPU power smoothing"),
    ("grid_power_with_bess_mw", "grid side with battery"),
)


ENVELOPE_S = 5.0
"""Bin of the whole-window envelope (s): several training iterations per bin."""


def plot_waveform(
    waveform: pd.DataFrame,
    title: str,
    path: str,
    zoom_s: float = 20.0,
    columns: Sequence[str] | None = None,
) -> None:
    """Campus power over the sampled window (as a 1-s min-max envelope, readable at any
    length) with a zoom drawn sample by sample; ``columns`` the traces that exist
    (a mitigation that changes nothing is not drawn, nor put in the legend)."""
    fig = new_figure(7.0, 4.8)
    axes = fig.subplots(2, 1)
    t = waveform.index.to_numpy(dtype=float)
    keep = set(columns) if columns is not None else {c for c, _ in WAVEFORM_SERIES}
    series = [(c, lab) for c, lab in WAVEFORM_SERIES if c in waveform and c in keep]
    start = t[0] + 0.2 * (t[-1] - t[0])
    window = (t >= start) & (t <= start + zoom_s)
    bins = np.floor((t - t[0]) / ENVELOPE_S).astype(int)
    for i, (col, lab) in enumerate(series):
        values = waveform[col].to_numpy(dtype=float)
        frame = pd.DataFrame({"b": bins, "v": values}).groupby("b")["v"]
        lo, hi, mean = frame.min(), frame.max(), frame.mean()
        x = t[0] + (lo.index.to_numpy(dtype=float) + 0.5) * ENVELOPE_S
        axes[0].fill_between(
            x, lo.to_numpy(), hi.to_numpy(), color=COLORS[i], alpha=0.25, lw=0, step="mid"
        )
        axes[0].plot(x, mean.to_numpy(), color=COLORS[i], ls=LINESTYLES[i], lw=1.0, label=lab)
        axes[1].plot(
            t[window],
            values[window],
            color=COLORS[i],
            ls=LINESTYLES[i],
            lw=1.8 if col == "grid_power_with_bess_mw" else 1.0,
            label=lab,
        )
    axes[0].axvspan(start, start + zoom_s, color="0.85", zorder=0, label=f"{zoom_s:g}-s zoom below")
    axes[0].set_title(f"{title} - whole window: {ENVELOPE_S:g}-s mean (line) and min-max (band)")
    axes[1].set_title(f"{title} - {zoom_s:g}-s zoom, every sample")
    for ax in axes:
        ax.set_ylabel("Power at POI (MW)")
    axes[1].set_xlabel("Time (s)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4)
    save(fig, path)


def plot_spectrum(
    spectrum: pd.DataFrame, band_hz: tuple[float, float], title: str, path: str
) -> None:
    """One-sided amplitude spectrum of the campus power, oscillation band shaded."""
    fig = new_figure()
    ax = fig.add_subplot()
    f = spectrum["frequency_hz"].to_numpy(dtype=float)
    a = spectrum["amplitude_mw"].to_numpy(dtype=float)
    keep = f > 0
    ax.axvspan(
        band_hz[0],
        band_hz[1],
        facecolor="0.85",
        hatch="//",
        edgecolor="0.6",
        label=f"oscillation band {band_hz[0]:g}-{band_hz[1]:g} Hz",
    )
    ax.plot(f[keep], a[keep], color=COLORS[0], lw=0.9, label="campus power spectrum")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel("Frequency (Hz)")
    ax.set_ylabel("Amplitude (MW)")
    ax.set_title(title)
    ax.legend(loc="upper right")
    save(fig, path)


def plot_poi_flicker(
    waveform: pd.DataFrame,
    severity: Sequence[tuple[str, float, float]],
    limits: tuple[float, float],
    title: str,
    path: str,
    zoom_s: float = 20.0,
    with_battery: bool = True,
) -> None:
    """POI voltage over a zoom, and Pst / Plt of each mitigation against the limits.

    ``severity``: ``(label, Pst, Plt)`` per case; ``limits``: allocated ``(Pst, Plt)``;
    ``with_battery``: draw the voltage with the battery (false when none is needed).
    """
    fig = new_figure(7.0, 5.0)
    top, bottom = fig.subplots(2, 1, height_ratios=(1.2, 1.0))
    t = waveform.index.to_numpy(dtype=float)
    start = t[0] + 0.2 * (t[-1] - t[0])
    mask = (t >= start) & (t <= start + zoom_s)
    traces = [("poi_voltage_pu", "no mitigation")]
    if with_battery:
        traces.append(("poi_voltage_with_bess_pu", "with battery"))
    for i, (col, label) in enumerate(traces):
        dv = 100.0 * (waveform[col].to_numpy(dtype=float)[mask] - 1.0)
        if not np.isfinite(dv).any():
            continue  # no solution (voltage collapse): nothing drawn, no legend entry
        top.plot(t[mask], dv, color=COLORS[i], ls=LINESTYLES[i], lw=1.4, label=label)
    top.set_xlabel("Time (s)")
    top.set_ylabel("POI voltage vs its mean (%)")
    top.set_title(f"{title} - {zoom_s:g}-s zoom")
    if top.get_legend_handles_labels()[0]:
        top.legend(loc="upper right", ncols=2)
    else:
        top.text(
            0.5, 0.5, "no POI voltage solution at the compute-phase peak (voltage collapse)",
            transform=top.transAxes, ha="center", va="center", fontsize=8, color=COLORS[4],
        )
    x = np.arange(len(severity))
    width = 0.38
    for j, (name, offset) in enumerate((("Pst", -width / 2), ("Plt (2 h)", width / 2))):
        values = [row[1 + j] for row in severity]
        bars = bottom.bar(
            x + offset,
            values,
            width,
            color=COLORS[j],
            hatch=HATCHES[j],
            label=name,
            edgecolor="black",
        )
        bottom.bar_label(bars, fmt="%.2f", fontsize=7)
        bottom.hlines(
            limits[j],
            x[0] - 0.5,
            x[-1] + 0.5,
            colors=COLORS[j],
            linestyles="--",
            label=f"{name} limit allocated ({limits[j]:.2f})",
        )
    bottom.set_yscale("log")
    low = min([*limits, *(v for row in severity for v in row[1:] if v > 0.0)], default=0.1)
    high = max([*limits, *(v for row in severity for v in row[1:])])
    bottom.set_ylim(low / 3.0, high * 6.0)
    bottom.set_xticks(x, [row[0] for row in severity])
    bottom.set_ylabel("Flicker severity (-)")
    bottom.set_title("IEC 61000-4-15 flickermeter at the POI")
    bottom.legend(loc="upper center", fontsize=7, ncols=4)
    save(fig, path)


EMISSION_SCENARIOS = ("as_permitted", "backup", "interim_primary", "mitigated")
SCENARIO_LABELS = {
    "as_permitted": "as permitted (potential to emit)",
    "backup": "backup duty",
    "interim_primary": "interim prime power",
    "mitigated": "mitigated (SCR + oxidation catalyst)",
}
_LIMIT_MARKERS = (
    ("permit_cap", "|", "black", "permit cap"),
    ("title_v_major_source", "D", "#c0392b", "Title V major source"),
    ("psd_major_source", "s", "#6c3483", "PSD major source"),
    ("psd_significant_emission_rate", "v", "#b9770e", "PSD significant rate"),
    ("hap_major_source", "^", "#1f618d", "HAP major source"),
)


def plot_emissions(emissions: pd.DataFrame, title: str, path: str) -> None:
    """Tons per pollutant of each scenario against every cap and threshold (log scale).

    A mass-emission comparison only: no dispersion modelling, so nothing here is an
    ambient concentration or a NAAQS check (the caption and the axis say so).
    """
    rows = emissions[emissions["pollutant"] != "CO2"].reset_index(drop=True)
    fig = new_figure(7.0, 6.0)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1].astype(float)
    height = 0.8 / len(EMISSION_SCENARIOS)
    for i, name in enumerate(EMISSION_SCENARIOS):
        tons = rows[f"{name}_tons_per_year"].to_numpy(dtype=float)
        if not (tons > 0.0).any():
            continue  # a scenario with no emissions has no bar, so no legend entry
        ax.barh(
            y + 0.4 - (i + 0.5) * height,
            np.where(tons > 0.0, tons, np.nan),
            height=height,
            color=COLORS[i],
            hatch=HATCHES[i],
            edgecolor="black",
            linewidth=0.3,
            label=SCENARIO_LABELS.get(name, name.replace("_", " ")),
        )
    for kind, marker, color, label in _LIMIT_MARKERS:
        limit = rows[f"{kind}_tons_per_year"].to_numpy(dtype=float)
        if np.isfinite(limit).any():
            ax.scatter(limit, y, marker=marker, s=60, color=color, zorder=3, label=label)
    ax.set_xscale("log")
    names = [
        p.replace("PM2_5", "PM2.5").replace("HAP_total", "total HAP") for p in rows["pollutant"]
    ]
    ax.set_yticks(y, names)
    ax.set_xlabel("Mass emissions, short tons per year (log scale) - no dispersion modelling")
    ax.set_title(title)
    ax.grid(True, axis="x", which="major", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=6.5, ncol=5)
    save(fig, path)


def plot_heatmap(values: pd.Series, label: str, title: str, path: str) -> None:
    """Hourly values as a day-of-year x hour-of-day heat map."""
    frame = pd.DataFrame(
        {
            "v": values.to_numpy(dtype=float),
            "day": values.index.dayofyear,
            "hour": values.index.hour,
        }
    )
    grid = frame.pivot_table(index="hour", columns="day", values="v", aggfunc="mean")
    fig = new_figure(7.0, 3.0)
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(
        grid.columns.to_numpy(),
        grid.index.to_numpy(),
        grid.to_numpy(),
        cmap="cividis",
        shading="nearest",
    )
    fig.colorbar(mesh, ax=ax, label=label)
    ax.set_xlabel("Day of year")
    ax.set_ylabel("Hour of day")
    ax.set_title(title)
    ax.grid(False)
    save(fig, path)


def plot_cooling_tradeoff(
    alternatives: pd.DataFrame, references_mgd: Sequence[tuple[str, float]], title: str, path: str
) -> None:
    """Power vs water of each cooling architecture for the same campus."""
    fig = new_figure()
    ax = fig.add_subplot()
    markers = ("o", "s", "^", "D", "v")
    for i, row in enumerate(alternatives.itertuples(index=False)):
        ax.scatter(
            [row.facility_peak_mw],
            [row.water_makeup_avg_mgd],
            marker=markers[i % len(markers)],
            s=70 if row.selected else 45,
            color=COLORS[i % len(COLORS)],
            edgecolors="black",
            clip_on=False,  # a dry plant sits on the zero line: draw it whole
            label=f"{arch_name(row.architecture)} (PUE {row.pue_annual:.3f})"
            + (" - case" if row.selected else ""),
        )
    for i, (label, mgd) in enumerate(references_mgd):
        ax.axhline(mgd, color="0.3", ls=LINESTYLES[(i + 1) % len(LINESTYLES)], lw=0.8, label=label)
    ax.set_xlabel("Facility planning peak at POI (MW)")
    ax.set_ylabel("Makeup water, annual mean (MGD)")
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize=7)
    save(fig, path)


def plot_n1_loading(branch_worst: pd.DataFrame, title: str, path: str, top: int = 12) -> None:
    """Intact and worst post-contingency loading of the most loaded branches."""
    if branch_worst.empty or "max_loading_percent" not in branch_worst:
        fig = new_figure(7.0, 2.0)
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            "N-1 not evaluated: the intact case has no power-flow solution",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        save(fig, path)
        return
    rows = branch_worst.sort_values("max_loading_percent", ascending=False).head(top)[::-1]
    fig = new_figure(7.0, 0.6 + 0.28 * max(len(rows), 1) + 1.0)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    ax.barh(
        y + 0.2, rows["base_loading_percent"], height=0.38, color=COLORS[2], label="intact (N-0)"
    )
    ax.barh(
        y - 0.2,
        rows["max_loading_percent"],
        height=0.38,
        color=COLORS[0],
        hatch="//",
        edgecolor="white",
        label="worst N-1",
    )
    ax.axvline(100.0, color="black", ls="--", lw=1.0, label="rating")
    ax.set_yticks(y, [str(b) for b in rows["branch"]], fontsize=6.5)
    ax.set_xlabel("Loading (% of rating)")
    ax.set_title(title)
    ax.legend(loc="lower right")
    save(fig, path)


def plot_need_vs_capacity(
    names: Sequence[str],
    need_mw: Sequence[float],
    hosting_n1_mw: Sequence[float],
    hosting_n0_mw: Sequence[float],
    path: str,
) -> None:
    """Each case's peak need against what its POI can host (N-0 and N-1)."""
    fig = new_figure()
    ax = fig.add_subplot()
    x = np.arange(len(names))
    ax.bar(x - 0.27, need_mw, width=0.27, color=COLORS[0], label="campus peak need")
    ax.bar(
        x,
        hosting_n0_mw,
        width=0.27,
        color=COLORS[2],
        hatch="..",
        edgecolor="black",
        label="POI hosting capacity, N-0",
    )
    ax.bar(
        x + 0.27,
        hosting_n1_mw,
        width=0.27,
        color="white",
        hatch="//",
        edgecolor="black",
        label="POI hosting capacity, N-1",
    )
    ax.set_xticks(x, list(names))
    ax.set_ylabel("Power (MW)")
    ax.set_title("Campus need against hosting capacity at its POI")
    ax.legend(loc="upper left")
    save(fig, path)


def plot_grid_year(
    hourly_n0: pd.DataFrame, hourly_n1: pd.DataFrame | None, title: str, path: str
) -> None:
    """Daily extremes over the year: worst branch loading and lowest voltage, N-0 and N-1."""
    fig = new_figure(7.0, 4.8)
    ax_load, ax_v = fig.subplots(2, 1, sharex=True)
    series = [("N-0", hourly_n0)]
    if hourly_n1 is not None:
        # hours whose intact case already breaks the N-1 criteria are not solved for
        # outages (their values are the intact case's): not drawn as N-1
        solved = ~hourly_n1.get("base_exceeds_n1", pd.Series(False, hourly_n1.index))
        n_skip = int((~solved).sum())
        series.append(("worst N-1", hourly_n1.where(solved)))
        if n_skip:
            ax_load.text(
                0.99,
                0.14,
                f"N-1 not solved in {n_skip:,} h: the intact case already breaks the N-1 criteria",
                transform=ax_load.transAxes,
                ha="right",
                va="bottom",
                fontsize=7,
            )
    for i, (name, hourly) in enumerate(series):
        daily = hourly.resample("D")
        loading, vm = daily["max_loading_percent"].max(), daily["min_vm_pu"].min()
        style = {"color": COLORS[i], "ls": LINESTYLES[i]}
        drawn = bool(np.isfinite(loading.to_numpy(dtype=float)).any())
        # a series with no solved hour draws nothing: no legend entry either
        ax_load.plot(
            loading.index,
            loading.to_numpy(),
            label=f"{name}, daily max" if drawn else None,
            **style,
        )
        ax_v.plot(vm.index, vm.to_numpy(), label=f"{name}, daily min" if drawn else None, **style)
    ax_load.axhline(100.0, color="black", lw=0.8, ls=":", label="rating")
    ax_v.axhline(0.95, color="black", lw=0.8, ls=":", label="0.95 pu (N-0)")
    ax_v.axhline(0.90, color="0.4", lw=0.8, ls="-.", label="0.90 pu (N-1)")
    ax_load.set_ylabel("Highest branch loading (%)")
    ax_v.set_ylabel("Lowest bus voltage (pu)")
    ax_v.set_xlabel("Date")
    ax_load.set_title(title)
    ax_load.legend(loc="upper left", ncols=3)
    ax_v.legend(loc="upper center", ncols=3, fontsize=7)
    save(fig, path)
