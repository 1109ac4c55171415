"""Case table ``[facility]``: electrical chain between the POI and the IT load."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gridimpact.case.bounds import Fraction, PowerFactor
from gridimpact.schema import Section, Sourced

Efficiency = Annotated[float, Field(gt=0.5, le=1, allow_inf_nan=False)]


class FacilitySection(Section):
    """Electrical losses and auxiliary loads of the campus."""

    ups_efficiency: Sourced[Efficiency]
    """UPS efficiency.

    (0.5, 1]: no UPS on a data center loses half its power (double conversion: 94-98 %).
    """
    transformer_efficiency: Sourced[Efficiency]
    """Combined efficiency of the step-down transformers from POI to the IT busway.

    (0.5, 1]: power transformers lose ~0.5-2 % per stage, never half the power.
    """
    misc_load_fraction: Sourced[Fraction]
    """Lighting, offices and building services as a fraction of IT power.

    [0, 1]: at most as much as the IT load (~1 % in a hyperscale hall).
    """
    power_factor: Sourced[PowerFactor]
    """Campus power factor at the POI (lagging).

    [0.5, 1]: utilities require ≥ 0.85-0.95 of large loads; 0.5 is below any
    uncorrected industrial load.
    """
