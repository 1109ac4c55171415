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
    import_cap_mw: float,
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
    import_cap_mw : float
        Largest grid import (MW); ``inf`` for no cap.
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


def backup_additions(
    turbine_mw: FloatArray,
    units_running: FloatArray,
    load_mw: FloatArray,
    unit_rating_mw: float,
    unit_count: int,
    backup_hours: float,
) -> tuple[float, float, float]:
    """Energy, running hours and unit-hours added by backup duty over a year.

    Grid outages and readiness tests (``backup_hours`` a year) fall at random hours:
    the fleet then carries the average load (up to its rating). Only what the
    cap-driven dispatch does not already run is added, so hours never double-count.

    Returns
    -------
    energy_mwh, run_hours, unit_hours : float
        Additional turbine energy (MWh), hours with any unit running (h) and
        unit-hours (h).
    """
    if load_mw.size == 0 or unit_count == 0 or backup_hours <= 0.0:
        return 0.0, 0.0, 0.0
    backup_mw = min(unit_rating_mw * unit_count, float(np.mean(load_mw)))
    extra_mw = max(backup_mw - float(np.mean(turbine_mw)), 0.0)
    idle_share = float(np.mean(units_running == 0))
    backup_units = float(np.ceil(backup_mw / unit_rating_mw))
    extra_units = max(backup_units - float(np.mean(units_running)), 0.0)
    return backup_hours * extra_mw, backup_hours * idle_share, backup_hours * extra_units
