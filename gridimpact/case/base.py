"""Shared pieces of the case schema: the strict base model and constrained types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from gridimpact.case.sourced import Sourced


class Section(BaseModel):
    """Base of every case-file table: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


PositiveInt = Annotated[int, Field(gt=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Field(gt=0, le=1)]
Efficiency = Annotated[float, Field(gt=0.5, le=1)]
TemperatureC = Annotated[float, Field(ge=-60, le=80)]
DeltaK = Annotated[float, Field(gt=0, le=40)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

SPositiveInt = Sourced[PositiveInt]
SPositiveFloat = Sourced[PositiveFloat]
SNonNegativeFloat = Sourced[NonNegativeFloat]
SFraction = Sourced[Fraction]
SPositiveFraction = Sourced[PositiveFraction]
SEfficiency = Sourced[Efficiency]
STemperatureC = Sourced[TemperatureC]
SDeltaK = Sourced[DeltaK]
