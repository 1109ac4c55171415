"""Facility power at the POI from IT power, cooling power and the electrical chain."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

ArrayLike = TypeVar("ArrayLike", float, npt.NDArray[np.float64], pd.Series)


def ups_loss_mw(it_power_mw: ArrayLike, ups_efficiency: float) -> ArrayLike:
    """Heat dissipated by the UPS that feeds the IT load.

    Parameters
    ----------
    it_power_mw : float or array
        IT power at the UPS output (MW).
    ups_efficiency : float
        UPS efficiency at the operating load (-).

    Returns
    -------
    float or array
        UPS loss (MW), rejected as heat into the electrical rooms.

    References
    ----------
    .. [1] IEC 62040-3:2021, Uninterruptible power systems - Part 3: Method of
       specifying the performance and test requirements (efficiency definition).
    """
    return it_power_mw * (1.0 / ups_efficiency - 1.0)


def facility_power_mw(
    it_power_mw: ArrayLike,
    cooling_power_mw: ArrayLike,
    misc_power_mw: ArrayLike | float,
    ups_efficiency: float,
    transformer_efficiency: float,
) -> ArrayLike:
    """Active power drawn at the point of interconnection.

    ``P_poi = (P_it / eta_ups + P_cooling + P_misc) / eta_tx``: the IT load is
    fed through the UPS, and every load of the campus through the step-down
    transformers.

    Parameters
    ----------
    it_power_mw : float or array
        IT power (MW).
    cooling_power_mw : float or array
        Electrical power of the cooling plant (MW).
    misc_power_mw : float or array
        Lighting, offices and building services (MW).
    ups_efficiency, transformer_efficiency : float
        Efficiencies of the UPS and of the transformer chain (-).

    Returns
    -------
    float or array
        Facility power at the POI (MW).

    References
    ----------
    .. [1] The Green Grid, White Paper 49, "PUE: A Comprehensive Examination of
       the Metric", 2012 (total facility energy measured at the utility meter).
    """
    return (
        it_power_mw / ups_efficiency + cooling_power_mw + misc_power_mw
    ) / transformer_efficiency


def reactive_power_mvar(p_mw: ArrayLike, power_factor: float) -> ArrayLike:
    """Lagging reactive power of a load at a given power factor.

    Parameters
    ----------
    p_mw : float or array
        Active power (MW).
    power_factor : float
        Displacement power factor, lagging (-), 0 < pf <= 1.

    Returns
    -------
    float or array
        Reactive power (Mvar), ``Q = P * tan(acos(pf))``.

    References
    ----------
    .. [1] IEEE Std 1459-2010, Definitions for the measurement of electric
       power quantities (displacement power factor).
    """
    return p_mw * float(np.tan(np.arccos(power_factor)))


def power_usage_effectiveness(facility_energy_mwh: float, it_energy_mwh: float) -> float:
    """PUE = total facility energy / IT energy.

    References
    ----------
    .. [1] ISO/IEC 30134-2:2016, Information technology - Data centres - Key
       performance indicators - Part 2: Power usage effectiveness (PUE).
    """
    return facility_energy_mwh / it_energy_mwh
