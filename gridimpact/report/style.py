"""One figure style for every PNG: print-friendly, readable in black and white."""

from __future__ import annotations

from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

DPI = 150
# grey-scale-distinguishable palette (luminance ordered) + line styles
COLORS = ("#1b3a5c", "#d9822b", "#5b9bd5", "#7f7f7f", "#c0392b", "#2e8b57")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))
HATCHES = ("", "//", "..", "xx", "\\\\", "++")

RC: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
    "svg.hashsalt": "gridimpact",
}


def new_figure(width_in: float = 7.0, height_in: float = 3.6) -> Figure:
    """A figure with the house style applied."""
    cast(Any, plt.rcParams).update(RC)
    return plt.figure(figsize=(width_in, height_in), layout="constrained")


def save(fig: Figure, path: str) -> None:
    """Save a PNG without time-dependent metadata (byte-reproducible) and close it."""
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
