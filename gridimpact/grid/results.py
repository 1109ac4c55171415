"""Turning raw engine solutions into the result tables the studies return."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridimpact.grid.engine import Solution, Topology

VIOLATION_COLUMNS = ["element", "kind", "quantity", "value", "limit"]


def bus_frame(topo: Topology, bus_table: pd.DataFrame, sol: Solution) -> pd.DataFrame:
    """``bus, vn_kv, vm_pu, va_degree, lat, lon`` for every bus."""
    return pd.DataFrame(
        {
            "bus": list(topo.bus_names),
            "vn_kv": topo.bus_vn_kv,
            "vm_pu": sol.vm_pu,
            "va_degree": sol.va_degree,
            "lat": bus_table["lat"].to_numpy(float),
            "lon": bus_table["lon"].to_numpy(float),
        }
    )


def branch_frame(topo: Topology, sol: Solution) -> pd.DataFrame:
    """``branch, kind, from_bus, to_bus, loading_percent, p_from_mw, q_from_mvar``.

    Out-of-service branches are dropped; for transformers ``from`` is the HV side.
    """
    names = topo.bus_names
    lines = pd.DataFrame(
        {
            "branch": list(topo.line_names),
            "kind": "line",
            "from_bus": [names[i] for i in topo.line_from],
            "to_bus": [names[i] for i in topo.line_to],
            "loading_percent": sol.line_loading_percent,
            "p_from_mw": sol.line_p_from_mw,
            "q_from_mvar": sol.line_q_from_mvar,
        }
    )[topo.line_in_service]
    trafos = pd.DataFrame(
        {
            "branch": list(topo.trafo_names),
            "kind": "trafo",
            "from_bus": [names[i] for i in topo.trafo_hv],
            "to_bus": [names[i] for i in topo.trafo_lv],
            "loading_percent": sol.trafo_loading_percent,
            "p_from_mw": sol.trafo_p_hv_mw,
            "q_from_mvar": sol.trafo_q_hv_mvar,
        }
    )[topo.trafo_in_service]
    return pd.concat([lines, trafos], ignore_index=True)


def violation_frame(
    buses: pd.DataFrame,
    branches: pd.DataFrame,
    vm_min_pu: float,
    vm_max_pu: float,
    max_loading_percent: float,
) -> pd.DataFrame:
    """Every bus outside ``[vm_min_pu, vm_max_pu]`` and branch above the loading limit.

    Returns
    -------
    DataFrame
        ``element, kind ('bus'|'line'|'trafo'), quantity ('vm_pu'|'loading_percent'),
        value, limit``; empty (with these columns) if there is none.
    """
    low = buses[buses.vm_pu < vm_min_pu]
    high = buses[buses.vm_pu > vm_max_pu]
    over = branches[branches.loading_percent > max_loading_percent]
    parts = [
        pd.DataFrame(
            {
                "element": low.bus,
                "kind": "bus",
                "quantity": "vm_pu",
                "value": low.vm_pu,
                "limit": vm_min_pu,
            }
        ),
        pd.DataFrame(
            {
                "element": high.bus,
                "kind": "bus",
                "quantity": "vm_pu",
                "value": high.vm_pu,
                "limit": vm_max_pu,
            }
        ),
        pd.DataFrame(
            {
                "element": over.branch,
                "kind": over.kind,
                "quantity": "loading_percent",
                "value": over.loading_percent,
                "limit": max_loading_percent,
            }
        ),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=float if c in ("value", "limit") else object)
                for c in VIOLATION_COLUMNS
            }
        )
    return pd.concat(parts, ignore_index=True)[VIOLATION_COLUMNS]


def max_loading(branches: pd.DataFrame) -> tuple[float, str]:
    """Highest branch loading (percent) and the branch carrying it (NaN, "" if none)."""
    if branches.empty or branches.loading_percent.isna().all():
        return float("nan"), ""
    i = int(np.nanargmax(branches.loading_percent.to_numpy(float)))
    return float(branches.loading_percent.iloc[i]), str(branches.branch.iloc[i])
