"""Siting figure: N-1 hosting capacity by bus, as a map or as a ranked bar chart.

The functions take the siting table and the network's buses and branches
(:class:`gridimpact.siting.SitingResult`) and a path; they compute nothing beyond
sorting for display.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm

from gridimpact.report.style import COLORS, HATCHES, new_figure, save

MAX_BARS = 30
"""Buses shown in the bar chart (the best ranked; the POI is always shown)."""


def _short(name: str) -> str:
    return str(name).replace(" 161kV", "").replace(" 500kV", " (500)")


def has_coordinates(table: pd.DataFrame, buses: pd.DataFrame) -> bool:
    """Whether at least two sited buses have finite coordinates (a map can be drawn)."""
    pos = buses.set_index("bus")[["lon", "lat"]].reindex(table.bus)
    return int(np.isfinite(pos.to_numpy(float)).all(axis=1).sum()) >= 2


def plot_siting(
    table: pd.DataFrame,
    buses: pd.DataFrame,
    branches: pd.DataFrame,
    poi_bus: str,
    campus_mw: float,
    title: str,
    path: str,
) -> str:
    """The siting figure: a map where the buses have coordinates, else ranked bars.

    Returns ``"map"`` or ``"bars"``.
    """
    if has_coordinates(table, buses):
        plot_siting_map(table, buses, branches, poi_bus, campus_mw, title, path)
        return "map"
    plot_siting_bars(table, poi_bus, campus_mw, title, path)
    return "bars"


def plot_siting_map(
    table: pd.DataFrame,
    buses: pd.DataFrame,
    branches: pd.DataFrame,
    poi_bus: str,
    campus_mw: float,
    title: str,
    path: str,
) -> None:
    """Network map, sited buses coloured by N-1 hosting capacity; the campus's need marked.

    Colours on a log scale (hosting spans tens of MW to the search bound); buses whose
    N-1 hosting covers the campus (``campus_mw``) have a thick outline, buses above the
    POI's voltage are drawn larger (under co-located lower-voltage buses) and buses not
    sited (below the POI's voltage) are small grey dots.
    """
    fig = new_figure(7.0, 5.6)
    ax = fig.add_subplot()
    pos = buses.set_index("bus")[["lon", "lat"]].dropna()
    for row in branches.itertuples(index=False):
        if row.from_bus not in pos.index or row.to_bus not in pos.index:
            continue
        a, b = pos.loc[row.from_bus], pos.loc[row.to_bus]
        ax.plot(
            [a.lon, b.lon],
            [a.lat, b.lat],
            color="0.7",
            ls="-" if row.kind == "line" else ":",
            lw=0.8,
            zorder=1,
        )
    other = pos.drop(index=[b for b in table.bus if b in pos.index])
    if len(other):
        ax.scatter(other.lon, other.lat, s=8, color="0.6", zorder=2, label="not sited")
    sited = table.join(pos, on="bus").dropna(subset=["lon", "lat"])
    sited = sited.sort_values("vn_kv", ascending=False, kind="stable")
    hosting = sited.hosting_capacity_n1_mw.to_numpy(float)
    positive = hosting[np.isfinite(hosting) & (hosting > 0.0)]
    low = min(float(positive.min()) if positive.size else 1.0, campus_mw) * 0.8
    high = max(float(positive.max()) if positive.size else 1.0, campus_mw) * 1.05
    norm = LogNorm(vmin=max(low, 1e-3), vmax=max(high, 2.0 * max(low, 1e-3)), clip=True)
    fits = sited.hosts_campus_n1.to_numpy(bool)
    kv = sited.vn_kv.to_numpy(float)
    size = np.where(kv > float(np.nanmin(kv)) + 1e-9, 150.0, 45.0)
    sc = ax.scatter(
        sited.lon,
        sited.lat,
        c=np.clip(np.nan_to_num(hosting, nan=0.0), norm.vmin, None),
        cmap=matplotlib.colormaps["viridis"],
        norm=norm,
        s=size,
        edgecolors="black",
        linewidths=[1.6 if f else 0.5 for f in fits],
        zorder=3,
    )
    if poi_bus in pos.index:
        p = pos.loc[poi_bus]
        ax.scatter(
            [p.lon],
            [p.lat],
            marker="*",
            s=260,
            facecolors="none",
            edgecolors=COLORS[4],
            linewidths=1.2,
            zorder=4,
            label=f"case POI: {poi_bus}",
        )
    seen: dict[tuple[float, float], int] = {}
    for row in sited.itertuples(index=False):
        spot = (round(float(row.lon), 4), round(float(row.lat), 4))
        stacked = seen.get(spot, 0)
        seen[spot] = stacked + 1
        capped = " (bound)" if bool(row.capped) else ""
        ax.annotate(
            f"{_short(row.bus)} {row.hosting_capacity_n1_mw:,.0f}{capped}",
            (row.lon, row.lat),
            fontsize=5.5,
            xytext=(4, 3 - 8 * stacked),
            textcoords="offset points",
        )
    bar = fig.colorbar(sc, ax=ax, label="N-1 hosting capacity (MW, log scale)", shrink=0.7)
    bar.ax.axhline(campus_mw, color=COLORS[4], lw=1.5)
    bar.ax.text(
        -0.3,
        campus_mw,
        "campus",
        ha="right",
        va="center",
        fontsize=6,
        transform=bar.ax.get_yaxis_transform(),
    )
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=2,
        title="outlined: hosts the campus (N-1)\nlarge: above the POI voltage",
        title_fontsize=6,
        fontsize=6,
    )
    ax.set_xlabel("Longitude (°)")
    ax.set_ylabel("Latitude (°)")
    ax.set_title(title)
    ax.set_aspect(1.0 / np.cos(np.deg2rad(float(pos["lat"].mean()))))
    save(fig, path)


def plot_siting_bars(
    table: pd.DataFrame, poi_bus: str, campus_mw: float, title: str, path: str
) -> None:
    """Ranked horizontal bars of N-1 hosting (N-0 behind), the campus's need as a line.

    At most :data:`MAX_BARS` buses (the best ranked, plus the POI wherever it ranks).
    """
    shown = table.head(MAX_BARS)
    if poi_bus in set(table.bus) and poi_bus not in set(shown.bus):
        shown = pd.concat([shown, table[table.bus == poi_bus]])
    shown = shown.iloc[::-1]
    height = min(max(2.4, 0.22 * len(shown) + 1.2), 9.0)
    fig = new_figure(7.0, height)
    ax = fig.add_subplot()
    y = np.arange(len(shown))
    ax.barh(
        y,
        shown.hosting_capacity_n0_mw,
        color="none",
        edgecolor=COLORS[3],
        hatch=HATCHES[1],
        label="N-0 hosting",
    )
    colors = [COLORS[1] if b == poi_bus else COLORS[0] for b in shown.bus]
    ax.barh(y, shown.hosting_capacity_n1_mw, height=0.6, color=colors, label="N-1 hosting")
    ax.axvline(campus_mw, color=COLORS[4], ls="--", lw=1.2, label=f"campus {campus_mw:,.0f} MW")
    labels = [
        f"{b} ({kv:g} kV)" + (", case POI" if b == poi_bus else "")
        for b, kv in zip(shown.bus, shown.vn_kv, strict=True)
    ]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_xlabel("Hosting capacity (MW)")
    more = f" (best {MAX_BARS} of {len(table)})" if len(table) > MAX_BARS else ""
    ax.set_title(title + more)
    ax.legend(loc="lower right")
    save(fig, path)


__all__ = ["has_coordinates", "plot_siting", "plot_siting_bars", "plot_siting_map"]
