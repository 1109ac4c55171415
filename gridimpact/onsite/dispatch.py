"""Hourly dispatch of on-site gas turbines against a grid import cap.

References
----------
.. [1] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation, Operation and
   Control*, 3rd ed., Wiley, 2014, ch. 4 (unit commitment with minimum loads).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def dispatch_against_import_cap(
    load_mw: FloatArray,
    import_cap_mw: float | FloatArray,
    unit_rating_mw: float,
    unit_count: int,
    min_load_fraction: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Turbine output, grid import and units running, hour by hour.

    Turbines carry the load above ``import_cap_mw``, up to the fleet's rating, with
    the fewest units that can do it; units run at an equal share, never below their
    minimum stable load (output above the need then lowers the grid import). Load
    the fleet cannot carry stays on the grid (above the cap: a finding).

    Parameters
    ----------
    load_mw : ndarray
        Campus load at the POI (MW).
    import_cap_mw : float or ndarray
        Largest grid import (MW), one value or one per hour; ``inf`` for no cap.
    unit_rating_mw : float
        Rating of one unit (MW).
    unit_count : int
        Units installed.
    min_load_fraction : float
        Minimum stable load of a unit as a fraction of its rating (-).

    Returns
    -------
    turbine_mw, grid_import_mw, units_running : ndarray
        Per hour (MW, MW, units).
    """
    need_mw = np.clip(load_mw - import_cap_mw, 0.0, unit_rating_mw * unit_count)
    units = np.ceil(need_mw / unit_rating_mw - 1e-9).clip(0, unit_count)
    turbine_mw = np.maximum(need_mw, units * unit_rating_mw * min_load_fraction)
    turbine_mw = np.minimum(turbine_mw, load_mw.clip(min=0.0))
    grid_mw = load_mw - turbine_mw
    return turbine_mw, grid_mw, units


def grid_unservable_hours(
    n0_converged: npt.NDArray[np.bool_],
    n0_violations: npt.NDArray[np.int_],
    n1_violation: npt.NDArray[np.bool_] | None,
) -> npt.NDArray[np.bool_]:
    """Hours in which the grid cannot serve the campus within the planning criteria.

    An hour counts when its power flow with the campus has no solution, breaks the
    N-0 criteria, or (with hourly N-1) breaks the N-1 criteria for some outage: the
    campus must then reduce its grid import to a secure level, the on-site fleet
    carrying the rest (backup duty).

    References
    ----------
    .. [1] NERC TPL-001-5.1, Table 1 (N-0 and single-contingency P1 performance).
    """
    bad = ~np.asarray(n0_converged, dtype=bool) | (np.asarray(n0_violations) > 0)
    if n1_violation is not None:
        bad |= np.asarray(n1_violation, dtype=bool)
    return bad
