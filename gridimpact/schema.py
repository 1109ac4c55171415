"""Numbers that carry their provenance, and the strict base of every schema.

Every numeric input of a case file or a catalog is written as a small table::

    gpu_count = { value = 100_000, unit = "GPU", source = "...", confidence = "reported" }

so that the report's assumptions table can be generated from the inputs
themselves and no number reaches a result without a source.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


Confidence = Literal["published", "reported", "derived", "estimate"]
"""How much a value can be trusted.

``published``: a datasheet, standard or primary document.
``reported``: secondary reporting (news, trade press).
``derived``: computed by hand from other sourced values (say how in ``source``).
``estimate``: an engineering judgement; say on what in ``source``.
"""


class Sourced(BaseModel, Generic[T]):
    """A value with its unit, source and confidence."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    value: T
    unit: str = ""
    source: str = Field(min_length=3)
    confidence: Confidence = "reported"
    note: str = ""

    def __float__(self) -> float:  # convenience for arithmetic on numbers
        return float(self.value)  # type: ignore[arg-type]


def iter_sourced(model: BaseModel, prefix: str = "") -> list[tuple[str, Sourced[Any]]]:
    """All :class:`Sourced` fields of a model tree, with their dotted paths."""
    found: list[tuple[str, Sourced[Any]]] = []
    for name in type(model).model_fields:
        item = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(item, Sourced):
            found.append((path, item))
        elif isinstance(item, BaseModel):
            found.extend(iter_sourced(item, path + "."))
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(sub, Sourced):
                    found.append((f"{path}.{key}", sub))
                elif isinstance(sub, BaseModel):
                    found.extend(iter_sourced(sub, f"{path}.{key}."))
        elif isinstance(item, list | tuple):
            for i, sub in enumerate(item):
                if isinstance(sub, BaseModel):
                    found.extend(iter_sourced(sub, f"{path}[{i}]."))
    return found

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
