"""Case table ``[facility]``: electrical chain between the POI and the IT load."""

from __future__ import annotations

from gridimpact.schema import Section, SEfficiency, SFraction, SPositiveFraction


class FacilitySection(Section):
    """Electrical losses and auxiliary loads of the campus."""

    ups_efficiency: SEfficiency
    transformer_efficiency: SEfficiency
    """Combined efficiency of the step-down transformers from POI to the IT busway."""
    misc_load_fraction: SFraction
    """Lighting, offices, security and building services as a fraction of IT power."""
    power_factor: SPositiveFraction
    """Campus power factor at the POI (lagging)."""
