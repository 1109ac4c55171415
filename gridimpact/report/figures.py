"""Figures of one study and of a comparison, each saved as a PNG.

Functions take plain tables (DataFrames) and a path; they compute nothing that
the results do not already hold beyond sorting and resampling for display.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import cm
from matplotlib.colors import Normalize

from gridimpact.report.style import COLORS, HATCHES, LINESTYLES, new_figure, save

M3_PER_H_TO_MGD = 24.0 / 3785.411784  # m³/h → million US gallons per day


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
    ax.legend(handles + h2, labels + l2, loc="lower left", ncols=4, framealpha=0.9)
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
    norm = Normalize(vmin=0.0, vmax=120.0)
    cmap = matplotlib.colormaps["viridis_r"]
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
            lw=1.0 + 2.5 * min(loading, 120.0) / 120.0,
            zorder=1,
        )
    sizes = np.where(buses["vn_kv"].to_numpy(dtype=float) >= 300.0, 60.0, 30.0)
    sc = ax.scatter(
        buses["lon"],
        buses["lat"],
        c=buses["vm_pu"],
        cmap="coolwarm",
        vmin=0.95,
        vmax=1.05,
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
    for name, p in known.iterrows():
        ax.annotate(
            str(name).replace(" 161kV", "").replace(" 500kV", " (500)"),
            (p.lon, p.lat),
            fontsize=5.5,
            xytext=(3, 3),
            textcoords="offset points",
        )
    fig.colorbar(sc, ax=ax, label="Bus voltage (pu)", shrink=0.7)
    fig.colorbar(
        cm.ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        label="Branch loading (% of rating)",
        shrink=0.7,
    )
    ax.set_xlabel("Longitude (°)")
    ax.set_ylabel("Latitude (°)")
    ax.set_title(title)
    ax.set_aspect(1.0 / np.cos(np.deg2rad(float(known["lat"].mean()))))
    save(fig, path)


def plot_daily_water(
    hourly: pd.DataFrame, references_mgd: Sequence[tuple[str, float]], title: str, path: str
) -> None:
    """Daily makeup water (MGD) over the year against reference volumes."""
    fig = new_figure()
    ax = fig.add_subplot()
    daily = hourly["makeup_water_m3_per_h"].resample("D").mean() * M3_PER_H_TO_MGD
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
