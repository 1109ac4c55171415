"""Steady-state planning criteria applied by the grid studies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gridimpact.case.grid import GridSection
from gridimpact.grid._data import read_catalog, value_of


@dataclass(frozen=True)
class GridCriteria:
    """Voltage band and thermal limit for the intact (N-0) and N-1 states.

    Defaults are read from ``data/grid_types.toml`` ``[criteria]``; see the
    sources there (NERC TPL-001-5 Table 1; ATC planning criteria).

    References
    ----------
    .. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
       Requirements", Table 1, 2020.
    """

    vm_min_n0_pu: float
    vm_max_n0_pu: float
    vm_min_n1_pu: float
    vm_max_n1_pu: float
    max_loading_n0_percent: float
    max_loading_n1_percent: float

    @classmethod
    def default(cls) -> GridCriteria:
        """The catalog defaults (0.95-1.05 / 0.90-1.10 pu, 100 % / 100 %)."""
        table = read_catalog("grid_types.toml")["criteria"]
        return cls(**{key: float(value_of(table[key])) for key in cls.__dataclass_fields__})

    @classmethod
    def from_section(cls, section: GridSection) -> GridCriteria:
        """The criteria of a case's ``[grid]`` table."""
        return cls(**{key: float(getattr(section, key)) for key in cls.__dataclass_fields__})


def n1_breaks(
    crit: GridCriteria, loading_percent: npt.NDArray[np.float64], vm_pu: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Per step: does the state break the N-1 criteria on some element?

    Parameters
    ----------
    crit : GridCriteria
    loading_percent, vm_pu : ndarray, shape (steps, branches) / (steps, buses)
        Branch loadings and bus voltages (NaN: not solved or out of service; ignored).

    Returns
    -------
    ndarray of bool, shape (steps,)
    """
    with np.errstate(invalid="ignore"):
        over = np.nan_to_num(loading_percent, nan=-np.inf) > crit.max_loading_n1_percent
        low = np.nan_to_num(vm_pu, nan=np.inf) < crit.vm_min_n1_pu
        high = np.nan_to_num(vm_pu, nan=-np.inf) > crit.vm_max_n1_pu
    return np.asarray(over.any(axis=1) | low.any(axis=1) | high.any(axis=1), dtype=bool)
