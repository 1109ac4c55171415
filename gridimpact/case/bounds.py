"""Bounded, finite number types shared by the case tables.

Every number a case file may state is finite (no ``inf``/``nan``) and bounded; the
physical reason for each bound is in the docstring of the field that uses it. Plain
(non-sourced) numbers and booleans are strict: ``"2024"`` is not a seed and
``"true"`` is not a boolean (``Sourced`` values are strict already).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool

MAX_POWER_MW = 2_000_000
"""Largest power a case may state (MW): 2 TW, above the peak demand of the largest
synchronous grid (China, ~1.45 TW in 2024) and ~10× a 10⁸-GPU campus."""

MAX_SAMPLES = 1_000_000
"""Budget of the training waveform, ``duration_s × sample_rate_hz`` samples.

The dynamics stage holds the waveform, a steady-training window, 12-window Plt
records and the carrier flickermeter's 1,920 Hz signal (32 samples per 60 Hz cycle
over ``duration_s``); measured peak memory of the stage at the budget is ~0.7 GB
(3,600 s at 278 Hz) and ~0.5 GB at 600 s × 1 kHz, against ~0.2 GB at the default
600 s × 20 Hz = 12,000 samples.
"""


def finite(
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
) -> Any:
    """Constraint of a finite number within the given limits (``Annotated`` metadata)."""
    return Field(gt=gt, ge=ge, lt=lt, le=le, allow_inf_nan=False)


Bool = StrictBool
"""A TOML boolean; strings and numbers are refused."""

PowerMW = Annotated[float, finite(gt=0, le=MAX_POWER_MW)]
"""A positive power (MW, MVA) up to :data:`MAX_POWER_MW`."""
NonNegativePowerMW = Annotated[float, finite(ge=0, le=MAX_POWER_MW)]
"""A power (MW) from zero up to :data:`MAX_POWER_MW`."""
Fraction = Annotated[float, finite(ge=0, le=1)]
"""A share of a whole, 0 to 1."""
PositiveFraction = Annotated[float, finite(gt=0, le=1)]
"""A share of a whole, above 0 and up to 1."""
PowerFactor = Annotated[float, finite(ge=0.5, le=1)]
"""A lagging power factor, 0.5 to 1."""
