"""Fuel and air emissions of gas turbines from energy, heat rate and emission factors.

All functions are pure and vectorised (floats or numpy arrays). Emission factors
and fuel are on the higher-heating-value (HHV) basis of EPA AP-42; "tons" are US
short tons (2,000 lb), the unit of US air permits.

References
----------
.. [1] US EPA, AP-42 Compilation of Air Pollutant Emission Factors, 5th ed., Section 3.1
   "Stationary Gas Turbines" (04/2000), Tables 3.1-1, 3.1-2a and 3.1-3.
.. [2] 40 CFR Part 60, Appendix A-7, Method 19 "Determination of sulfur dioxide removal
   efficiency and particulate matter, sulfur dioxide, and nitrogen oxide emission
   rates", Eq. 19-1, Tables 19-1 and 19-2.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatLike = float | npt.NDArray[np.float64]

LB_PER_SHORT_TON = 2000.0

MOLAR_MASS_LB_PER_LBMOL: dict[str, float] = {"NOx": 46.01, "CO": 28.01, "SO2": 64.06}
"""Molar masses used by Method 19 (NOx counted as NO2), lb/lb-mol (IUPAC atomic weights)."""


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

    ``tons = hours · MW · heat rate · factor / 2000`` (units as in the factors): the
    potential to emit when ``hours`` are the permitted hours.

    References
    ----------
    .. [1] 40 CFR 70.2 and 52.21(b)(4): potential to emit at maximum capacity.
    """
    energy_mwh = hours * rating_mw * unit_count
    return emissions_tons(fuel_mmbtu(energy_mwh, heat_rate_btu_per_kwh), factor_lb_per_mmbtu)


def ppmvd_to_lb_per_mmbtu(
    ppmvd: FloatLike,
    molar_mass_lb_per_lbmol: float,
    fd_dscf_per_mmbtu: float,
    o2_reference_percent: float = 15.0,
    o2_ambient_percent: float = 20.9,
    molar_volume_scf_per_lbmol: float = 385.3,
) -> FloatLike:
    """Stack concentration (ppm by volume, dry, at ``o2_reference_percent`` O2) → lb/MMBtu.

    ``C [lb/dscf] = ppm · 10⁻⁶ · M / V_m`` and Method 19 Eq. 19-1
    ``E = C · Fd · 20.9 / (20.9 − %O2)``. For NOx (as NO2) at 15 % O2 on natural gas
    (Fd = 8,710 dscf/MMBtu): 1 ppm = 1.194·10⁻⁷ lb/dscf → 0.003685 lb/MMBtu.

    References
    ----------
    .. [1] 40 CFR 60 App. A-7, Method 19, Eq. 19-1, Table 19-1 (ppm → lb/scf: NOx
       1.194E-07, CO 7.267E-08, SO2 1.660E-07) and Table 19-2 (Fd).
    """
    c_lb_per_dscf = ppmvd * 1e-6 * molar_mass_lb_per_lbmol / molar_volume_scf_per_lbmol
    return (
        c_lb_per_dscf
        * fd_dscf_per_mmbtu
        * o2_ambient_percent
        / (o2_ambient_percent - o2_reference_percent)
    )


def co2e_lb_per_mmbtu(
    co2_lb_per_mmbtu: float,
    ch4_lb_per_mmbtu: float,
    n2o_lb_per_mmbtu: float,
    gwp_ch4: float,
    gwp_n2o: float,
) -> float:
    """CO2-equivalent factor ``CO2 + GWP_CH4·CH4 + GWP_N2O·N2O`` (lb CO2e/MMBtu).

    References
    ----------
    .. [1] 40 CFR 98 Subpart A, Eq. A-1 and Table A-1 (global warming potentials).
    """
    return co2_lb_per_mmbtu + gwp_ch4 * ch4_lb_per_mmbtu + gwp_n2o * n2o_lb_per_mmbtu
