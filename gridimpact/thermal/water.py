"""Water use of evaporative heat rejection: evaporation, drift, blowdown, makeup.

References
----------
.. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40 Cooling
   Towers ("Water makeup", "Blowdown") and HVAC Applications ch.50 Water
   Treatment (cycles of concentration).
.. [2] U.S. DOE, *EnergyPlus Engineering Reference*, "Cooling tower makeup
   water usage": evaporation, drift and blowdown ``B = E/(C-1) - D``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gridimpact.weather.psychrometrics import (
    latent_heat_of_vaporisation_j_per_kg,
    moist_air_enthalpy_j_per_kg,
    saturation_humidity_ratio_kg_per_kg,
    saturation_temperature_from_enthalpy_c,
)

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def evaporation_kg_per_s(
    heat_rejected_w: ArrayLike, latent_fraction: float, water_temp_c: ArrayLike
) -> FloatArray:
    """Water evaporated by an evaporative cooler: ``E = f_latent · Q / h_fg(T)``.

    Parameters
    ----------
    heat_rejected_w : array_like
        Heat rejected by the tower, W.
    latent_fraction : float
        Share of the heat leaving as latent heat of evaporation, 0-1.
    water_temp_c : array_like
        Temperature at which the water evaporates, °C (sets h_fg via psychrolib).

    Returns
    -------
    numpy.ndarray
        Evaporation, kg/s.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40.
    .. [2] ASHRAE Handbook--Fundamentals (2017), ch.1 (h_fg).
    """
    h_fg = latent_heat_of_vaporisation_j_per_kg(water_temp_c)
    result: FloatArray = latent_fraction * np.asarray(heat_rejected_w, dtype=float) / h_fg
    return result


def evaporation_saturated_exit_kg_per_s(
    heat_rejected_w: ArrayLike,
    air_flow_kg_per_s: ArrayLike,
    dry_bulb_c: ArrayLike,
    humidity_ratio_kg_per_kg: ArrayLike,
    pressure_pa: float,
) -> FloatArray:
    """Tower evaporation assuming the exhaust air leaves saturated (EnergyPlus "SaturatedExit").

    The air gains ``dh = Q / m_air``; it leaves saturated at the temperature whose
    saturated enthalpy is ``h_in + dh``; the water evaporated is
    ``m_air · (W_sat(T_out) - W_in)``. The latent share of the heat then follows
    the weather: high in humid summer, low in cold winter air that is mostly
    warmed.

    Parameters
    ----------
    heat_rejected_w : array_like
        Heat rejected, W.
    air_flow_kg_per_s : array_like
        Dry-air mass flow through the tower, kg/s.
    dry_bulb_c : array_like
        Inlet air dry-bulb, °C.
    humidity_ratio_kg_per_kg : array_like
        Inlet air humidity ratio, kg/kg dry air.
    pressure_pa : float
        Atmospheric pressure, Pa.

    Returns
    -------
    numpy.ndarray
        Evaporation, kg/s (zero where no heat or no air).

    References
    ----------
    .. [1] U.S. DOE, *EnergyPlus Engineering Reference*, "Cooling Towers and
       Fluid Coolers: evaporative water loss, saturated exit method".
    .. [2] ASHRAE Handbook--Fundamentals (2017), ch.1.
    """
    q = np.asarray(heat_rejected_w, dtype=float)
    m_air = np.asarray(air_flow_kg_per_s, dtype=float)
    w_in = np.asarray(humidity_ratio_kg_per_kg, dtype=float)
    h_in = moist_air_enthalpy_j_per_kg(dry_bulb_c, w_in)
    with np.errstate(divide="ignore", invalid="ignore"):
        h_out = h_in + np.where(m_air > 0, q / m_air, 0.0)
    t_out = saturation_temperature_from_enthalpy_c(h_out, pressure_pa)
    w_out = saturation_humidity_ratio_kg_per_kg(t_out, pressure_pa)
    result: FloatArray = np.where((q > 0) & (m_air > 0), m_air * np.maximum(w_out - w_in, 0.0), 0.0)
    return result


def drift_kg_per_s(circulation_kg_per_s: ArrayLike, drift_fraction: float) -> FloatArray:
    """Droplets carried out with the exhaust air: a fraction of the circulating water.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, cooling tower drift loss.
    """
    result: FloatArray = np.asarray(circulation_kg_per_s, dtype=float) * drift_fraction
    return result


def blowdown_kg_per_s(
    evaporation: ArrayLike, drift: ArrayLike, cycles_of_concentration: float
) -> FloatArray:
    """Bleed that holds dissolved solids at ``C`` cycles: ``B = max(E/(C-1) - D, 0)``.

    Drift also removes dissolved solids, so it is credited against the bleed
    (as in EnergyPlus).

    Parameters
    ----------
    evaporation, drift : array_like
        Evaporation and drift, kg/s.
    cycles_of_concentration : float
        Ratio of dissolved solids in the basin to the makeup water (> 1).

    Returns
    -------
    numpy.ndarray
        Blowdown, kg/s.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.40, eq. for blowdown.
    .. [2] EnergyPlus Engineering Reference, cooling tower blowdown.
    """
    e = np.asarray(evaporation, dtype=float)
    result: FloatArray = np.maximum(
        e / (cycles_of_concentration - 1.0) - np.asarray(drift, dtype=float), 0.0
    )
    return result


def kg_per_s_to_m3_per_h(mass_flow_kg_per_s: ArrayLike, density_kg_per_m3: float) -> FloatArray:
    """Convert a water mass flow to m³/h."""
    result: FloatArray = np.asarray(mass_flow_kg_per_s, dtype=float) * 3600.0 / density_kg_per_m3
    return result


M3_PER_US_GALLON = 0.003785411784  # NIST Handbook 44, Appendix C


def m3_per_h_to_mgd(flow_m3_per_h: ArrayLike) -> FloatArray:
    """Convert m³/h to million US gallons per day."""
    result: FloatArray = np.asarray(flow_m3_per_h, dtype=float) * 24.0 / M3_PER_US_GALLON / 1e6
    return result
