"""The dynamic model handed between the builders and the studies.

A :class:`DynamicModel` is an ANDES ``System`` whose power flow has converged,
with the campus as its own constant-power load at the point of interconnection.
The builders (``build.py``) make it from a network; the studies (``events.py``,
``modes.py``) run on it. Studies that change the system take a fresh model from
``DynamicModel.rebuild`` so that each event starts from the same initial state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DynamicModel:
    """An initialised ANDES system with the campus identified.

    Attributes
    ----------
    system : andes.system.System
        The ANDES system, set up, with a converged power flow (``system.PFlow.converged``).
    campus_load_idx : str or int
        ANDES ``idx`` of the campus ``PQ`` load (only the campus, never merged with other load).
    poi_bus_idx : str or int
        ANDES ``idx`` of the POI bus.
    campus_p_mw, campus_q_mvar : float
        Campus load at the POI in the power flow (MW, Mvar).
    f0_hz : float
        Nominal frequency (Hz).
    base_mva : float
        System base (MVA).
    description : str
        One line: what the model holds (machines, their models, the external-grid
        equivalent).
    rebuild : callable
        ``rebuild()`` returns a fresh, independent ``DynamicModel`` of the same network
        (same initial state).
    """

    system: Any = field(repr=False, compare=False)
    campus_load_idx: str | int
    poi_bus_idx: str | int
    campus_p_mw: float
    campus_q_mvar: float
    f0_hz: float
    base_mva: float
    description: str
    rebuild: Callable[[], DynamicModel] = field(repr=False, compare=False)
