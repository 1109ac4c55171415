"""Fuel and air emissions of gas turbines from energy, heat rate and emission factors.

References
----------
.. [1] US EPA, AP-42 Compilation of Air Emission Factors, 5th ed., Section 3.1
   "Stationary Gas Turbines" (04/2000), Tables 3.1-1, 3.1-2a and 3.1-3.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatLike = float | npt.NDArray[np.float64]

LB_PER_SHORT_TON = 2000.0


def fuel_mmbtu(energy_mwh: FloatLike, heat_rate_btu_per_kwh: float) -> FloatLike:
    """Fuel burned to make ``energy_mwh`` at ``heat_rate_btu_per_kwh`` (MMBtu).

    ``MWh · 1000 kWh/MWh · Btu/kWh / 10⁶ Btu/MMBtu``.
    """
    return energy_mwh * heat_rate_btu_per_kwh / 1000.0


def emissions_tons(fuel_mmbtu_: FloatLike, factor_lb_per_mmbtu: float) -> FloatLike:
    """Mass emitted by burning ``fuel_mmbtu_`` at an AP-42-style factor (short tons).

    ``tons = MMBtu · lb/MMBtu / 2000``; factors and fuel on the same (HHV) basis.

    References
    ----------
    .. [1] EPA AP-42 Section 3.1 (factors in lb/MMBtu, HHV).
    """
    return fuel_mmbtu_ * factor_lb_per_mmbtu / LB_PER_SHORT_TON


def tons_at_full_load(
    hours: FloatLike,
    rating_mw: float,
    heat_rate_btu_per_kwh: float,
    factor_lb_per_mmbtu: float,
    unit_count: int = 1,
) -> FloatLike:
    """Emissions of ``unit_count`` units at full load for ``hours`` (short tons).

    ``tons = hours · MW · heat rate · factor / 2000`` (units as in the factors).
    """
    energy_mwh = hours * rating_mw * unit_count
    return emissions_tons(fuel_mmbtu(energy_mwh, heat_rate_btu_per_kwh), factor_lb_per_mmbtu)
