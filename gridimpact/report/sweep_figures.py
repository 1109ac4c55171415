"""Figures of a parameter sweep: headline values against each swept numeric parameter.

One PNG per (key of :data:`SWEEP_FIGURE_KEYS` present in the sweep table × swept
parameter whose values are all numbers, at least two distinct). The other swept
parameters make one line each per combination of their values (legend); failed points
are gaps. Input is the ``sweep.csv`` frame (:func:`gridimpact.sweep.sweep_table`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.ticker import StrMethodFormatter

from gridimpact.report.labels import label
from gridimpact.report.style import COLORS, LINESTYLES, new_figure, save

SWEEP_FIGURE_KEYS: tuple[str, ...] = (
    "facility_peak_mw",
    "pue_annual",
    "water_makeup_avg_mgd",
    "hosting_margin_n1_mw",
    "n1_violation_count",
    "attributable_violation_count_n1",
    "scr_min_case",
    "pst_poi",
    "bess_power_mw_required",
)
"""Headline keys drawn against each swept numeric parameter."""

REFERENCE_LINES: dict[str, tuple[float | str, str]] = {
    "hosting_margin_n1_mw": (0.0, "no margin"),
    "pst_poi": ("pst_limit_allocated", "allocated Pst limit"),
}
"""Horizontal reference per key: a number, or a column of the table (its first value)."""

MARKERS = ("o", "s", "^", "D", "v", "P")


def numeric_parameters(table: pd.DataFrame, parameters: Sequence[str]) -> list[str]:
    """The swept parameters whose values are all numbers, with two distinct or more."""
    found = []
    for name in parameters:
        if name not in table.columns:
            continue
        column = table[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            continue
        if column.notna().all() and column.nunique() >= 2:
            found.append(name)
    return found


def _finite(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


def _file_name(key: str, parameter: str) -> str:
    return f"{key}_vs_{re.sub(r'[^A-Za-z0-9_]+', '_', parameter).strip('_')}.png"


def _reference(table: pd.DataFrame, key: str) -> tuple[float, str] | None:
    ref = REFERENCE_LINES.get(key)
    if ref is None:
        return None
    value, text = ref
    if isinstance(value, str):
        column = _finite(table[value]) if value in table.columns else pd.Series(dtype=float)
        column = column.dropna()
        if column.empty:
            return None
        return float(column.iloc[0]), text
    return float(value), text


def plot_against(
    table: pd.DataFrame,
    key: str,
    parameter: str,
    others: Sequence[str],
    path: Path,
    *,
    title: str = "",
    unit: str = "",
) -> None:
    """One headline key against one swept parameter, a line per value of the others."""
    fig = new_figure(6.4, 3.6)
    ax = fig.add_subplot()
    groups = (
        [((), table)] if not others else list(table.groupby(list(others), sort=False, dropna=False))
    )
    for i, (values, group) in enumerate(groups):
        group = group.sort_values(parameter, kind="stable")
        x = _finite(group[parameter]).to_numpy()
        y = _finite(group[key]).to_numpy()
        names = values if isinstance(values, tuple) else (values,)
        text = ", ".join(f"{o}={v}" for o, v in zip(others, names, strict=True))
        ax.plot(
            x,
            y,
            color=COLORS[i % len(COLORS)],
            ls=LINESTYLES[i % len(LINESTYLES)],
            marker=MARKERS[i % len(MARKERS)],
            markersize=4,
            label=text or None,
        )
    ref = _reference(table, key)
    if ref is not None:
        ax.axhline(ref[0], color=COLORS[4], lw=0.8, ls="--", label=ref[1])
    text, y_unit = label(key)
    ax.set_ylabel(f"{text} ({y_unit})" if y_unit and y_unit != "-" else text)
    ax.set_xlabel(f"{parameter} ({unit})" if unit and unit != "1" else parameter)
    xs = _finite(table[parameter]).dropna()
    if not xs.empty and (xs == xs.round()).all() and xs.abs().max() >= 1000:
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(f"{title}: {text}" if title else text)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best")
    save(fig, str(path))


def plot_sweep_figures(
    table: pd.DataFrame,
    parameters: Sequence[str],
    folder: Path,
    *,
    title: str = "",
    units: Mapping[str, str] | None = None,
    keys: Sequence[str] = SWEEP_FIGURE_KEYS,
) -> list[str]:
    """Draw every figure of a sweep into ``folder``; return their paths.

    A key is drawn if the table has it with at least one finite value.
    """
    folder.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    numeric = numeric_parameters(table, parameters)
    for parameter in numeric:
        others = [p for p in parameters if p != parameter and table[p].nunique(dropna=False) > 1]
        for key in keys:
            if key not in table.columns:
                continue
            values = _finite(table[key])
            if not any(math.isfinite(v) for v in values):
                continue
            path = folder / _file_name(key, parameter)
            plot_against(
                table,
                key,
                parameter,
                others,
                path,
                title=title,
                unit=(units or {}).get(parameter, ""),
            )
            made.append(str(path))
    return made


__all__ = ["SWEEP_FIGURE_KEYS", "numeric_parameters", "plot_against", "plot_sweep_figures"]
