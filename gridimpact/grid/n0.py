"""Intact-system (N-0) AC power flow with the campus at the POI."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridimpact.grid.engine import solve
from gridimpact.grid.model import NetworkModel
from gridimpact.grid.results import branch_frame, bus_frame, max_loading, violation_frame


@dataclass(frozen=True)
class N0Result:
    """Result of one intact-system power flow.

    Attributes
    ----------
    converged : bool
        False if Newton-Raphson failed; then every number is NaN and ``note`` says so.
    poi_bus : str
    poi_vm_pu : float
        Voltage magnitude at the POI.
    max_branch_loading_percent : float
        Highest line/transformer loading (percent of normal rating).
    max_loading_branch : str
    min_vm_pu, max_vm_pu : float
        Extreme bus voltages.
    bus_results : DataFrame
        ``bus, vn_kv, vm_pu, va_degree, lat, lon``.
    branch_results : DataFrame
        ``branch, kind, from_bus, to_bus, loading_percent, p_from_mw, q_from_mvar``.
    violations : DataFrame
        ``element, kind, quantity, value, limit`` against the N-0 criteria.
    note : str
    """

    converged: bool
    poi_bus: str
    poi_vm_pu: float
    max_branch_loading_percent: float
    max_loading_branch: str
    min_vm_pu: float
    max_vm_pu: float
    bus_results: pd.DataFrame
    branch_results: pd.DataFrame
    violations: pd.DataFrame
    note: str

    @property
    def secure(self) -> bool:
        """Converged and without any N-0 violation."""
        return self.converged and self.violations.empty


def background_load_mw(model: NetworkModel) -> float:
    """Total modelled background (utility) load at summer peak, MW."""
    topo = model.topology
    return float(topo.load_p_mw[topo.background_loads].sum())


def run_n0(
    model: NetworkModel, campus_p_mw: float, campus_q_mvar: float, load_scale: float = 1.0
) -> N0Result:
    """AC power flow of the intact network with the campus load at the POI.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw : float
        Campus active power drawn at the POI, MW.
    campus_q_mvar : float
        Campus reactive power drawn at the POI, Mvar (positive = lagging/inductive).
    load_scale : float
        Multiplier on the background loads (1.0 = summer peak as modelled).

    Returns
    -------
    N0Result
        Non-convergence is reported (``converged=False``), never raised.

    References
    ----------
    .. [1] W. F. Tinney, C. E. Hart, "Power Flow Solution by Newton's Method",
       IEEE Trans. PAS-86(11), 1967.
    .. [2] NERC TPL-001-5.1, Table 1 (category P0 performance requirements).
    """
    topo, crit = model.topology, model.criteria
    sol = solve(model.lsgrid, topo, campus_p_mw, campus_q_mvar, load_scale)
    buses = bus_frame(topo, model.bus_table(), sol)
    branches = branch_frame(topo, sol)
    load_text = (
        f"campus {campus_p_mw:.1f} MW / {campus_q_mvar:.1f} Mvar, background x{load_scale:g}"
    )
    if not sol.converged:
        empty = violation_frame(buses.iloc[0:0], branches.iloc[0:0], 0.0, 0.0, 0.0)
        return N0Result(
            False,
            model.poi_bus,
            float("nan"),
            float("nan"),
            "",
            float("nan"),
            float("nan"),
            buses,
            branches,
            empty,
            f"AC power flow did not converge ({load_text}): the operating point is beyond "
            "the network's transfer or voltage-stability limit",
        )
    violations = violation_frame(
        buses, branches, crit.vm_min_n0_pu, crit.vm_max_n0_pu, crit.max_loading_n0_percent
    )
    loading, branch = max_loading(branches)
    note = f"{load_text}: {len(violations)} N-0 violation(s)"
    return N0Result(
        True,
        model.poi_bus,
        float(sol.vm_pu[model.poi_index]),
        loading,
        branch,
        float(np.min(sol.vm_pu)),
        float(np.max(sol.vm_pu)),
        buses,
        branches,
        violations,
        note,
    )
