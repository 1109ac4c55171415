"""Flicker emission limits of one installation, allocated per IEC/TR 61000-3-7.

The planning level of the system (Pst 0.8, Plt 0.6 at HV-EHV) is shared by every
fluctuating installation the system supplies, and part of it is already taken by
flicker transferred from the upstream system. IEC/TR 61000-3-7:2008 (stage 2)
allocates the rest by the cube-root law of each installation's share of the supply
capacity, because flicker from independent sources adds with the summation
exponent α = 3.

References
----------
.. [1] IEC/TR 61000-3-7:2008, "Assessment of emission limits for the connection of
   fluctuating installations to MV, HV and EHV power systems", clauses 4.2
   (summation law, α = 3), 5 (planning levels, Table 1) and 8 (stage 2 for HV-EHV:
   global contribution and individual emission limits).
.. [2] IEEE Std 1453-2022, "IEEE Recommended Practice for the Analysis of
   Fluctuating Installations on Power Systems" (adopts [1] for North America).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SUMMATION_EXPONENT = 3.0
"""α of the general summation law for Pst and Plt (IEC/TR 61000-3-7:2008, 4.2)."""


def global_contribution(
    planning_level: float, upstream_planning_level: float, transfer_coefficient: float
) -> float:
    """Flicker the installations of the considered system may emit together (-).

    ``G = ∛(L³ − (T·L_up)³)``: the planning level ``L`` minus, by the cube law, the
    flicker transferred from the upstream system at its planning level ``L_up``
    through the transfer coefficient ``T`` (0 when the transfer alone fills ``L``).

    Parameters
    ----------
    planning_level : float
        Planning level of the considered system, Pst or Plt (-).
    upstream_planning_level : float
        Planning level of the upstream system (-).
    transfer_coefficient : float
        Flicker transfer coefficient from the upstream system to the POI (-).

    References
    ----------
    .. [1] IEC/TR 61000-3-7:2008, 8.2 (global contribution G_PstHV, G_PltHV).
    """
    a = SUMMATION_EXPONENT
    room = planning_level**a - (transfer_coefficient * upstream_planning_level) ** a
    return float(np.cbrt(max(room, 0.0)))


def individual_limit(
    global_contribution_: float,
    installation_mva: float,
    supply_capacity_mva: float,
    basic_limit: float,
) -> float:
    """Emission limit of one installation by its share of the supply capacity (-).

    ``E_i = G · ∛(S_i / S_t)`` with the share capped at 1 (an installation larger
    than the stated capacity receives the whole global contribution), and never
    below the basic limit the report grants any installation.

    Parameters
    ----------
    global_contribution_ : float
        ``G`` of :func:`global_contribution` (-).
    installation_mva : float
        Agreed power of the installation ``S_i`` (MVA).
    supply_capacity_mva : float
        Total supply capacity of the system at the POI ``S_t`` (MVA).
    basic_limit : float
        Basic emission limit (Pst 0.35, Plt 0.25) (-).

    References
    ----------
    .. [1] IEC/TR 61000-3-7:2008, 8.2 (E_Psti = G_PstHV · (S_i/S_t)^(1/α)) and the
       basic emission limits of stage 2.
    """
    if installation_mva <= 0.0 or supply_capacity_mva <= 0.0:
        raise ValueError("installation_mva and supply_capacity_mva must be > 0")
    share = min(installation_mva / supply_capacity_mva, 1.0)
    return max(global_contribution_ * share ** (1.0 / SUMMATION_EXPONENT), basic_limit)


@dataclass(frozen=True)
class FlickerAllocation:
    """The campus's Pst and Plt emission limits and the numbers they come from."""

    pst_limit_allocated: float
    plt_limit_allocated: float
    pst_global_contribution: float
    plt_global_contribution: float
    installation_mva: float
    supply_capacity_mva: float
    share_of_supply_capacity: float
    transfer_coefficient: float


def allocate_flicker_limits(
    installation_mva: float,
    supply_capacity_mva: float,
    planning_levels: tuple[float, float],
    upstream_planning_levels: tuple[float, float],
    transfer_coefficient: float,
    basic_limits: tuple[float, float],
) -> FlickerAllocation:
    """Pst and Plt emission limits of the campus (IEC/TR 61000-3-7 stage 2).

    Each pair is ``(Pst, Plt)``. See :func:`global_contribution` and
    :func:`individual_limit`.

    References
    ----------
    .. [1] IEC/TR 61000-3-7:2008, clause 8.
    """
    g = [
        global_contribution(level, up, transfer_coefficient)
        for level, up in zip(planning_levels, upstream_planning_levels, strict=True)
    ]
    e = [
        individual_limit(gi, installation_mva, supply_capacity_mva, basic)
        for gi, basic in zip(g, basic_limits, strict=True)
    ]
    return FlickerAllocation(
        pst_limit_allocated=e[0],
        plt_limit_allocated=e[1],
        pst_global_contribution=g[0],
        plt_global_contribution=g[1],
        installation_mva=installation_mva,
        supply_capacity_mva=supply_capacity_mva,
        share_of_supply_capacity=min(installation_mva / supply_capacity_mva, 1.0),
        transfer_coefficient=transfer_coefficient,
    )
