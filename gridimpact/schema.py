"""Numbers that carry their provenance, and the strict base of every schema.

Every numeric input of a case file or a catalog is written as a small table::

    gpu_count = { value = 100_000, unit = "GPU", source = "...", confidence = "reported" }

so that the report's assumptions table can be generated from the inputs
themselves and no number reaches a result without a source.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Annotated, Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gridimpact.units import convert_value, expected_unit

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

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

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


def _is_sourced(annotation: Any) -> bool:
    """Whether a field annotation is (or may be) a :class:`Sourced`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_sourced(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_is_sourced(arg) for arg in get_args(annotation))
    return isinstance(annotation, type) and issubclass(annotation, Sourced)


def _sourced_dict(annotation: Any) -> bool:
    """Whether a field annotation is a ``dict`` whose values are :class:`Sourced`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _sourced_dict(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_sourced_dict(arg) for arg in get_args(annotation))
    if origin is dict:
        args = get_args(annotation)
        return len(args) == 2 and _is_sourced(args[1])
    return False


@cache
def _field_shape(model: type[BaseModel], name: str) -> str:
    """``"sourced"``, ``"dict"`` (of sourced values) or ``""`` for field ``name``."""
    info = model.model_fields.get(name)
    if info is None:
        return ""
    if _is_sourced(info.annotation):
        return "sourced"
    return "dict" if _sourced_dict(info.annotation) else ""


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def in_expected_unit(name: str, item: Any, expected: str | None) -> Any:
    """``item`` (a sourced table or :class:`Sourced`) with its value in ``expected``.

    Returned unchanged when it is not a sourced number, states no unit, or is already
    in the expected unit (any spelling of it); converted otherwise, with the unit set
    to ``expected`` and the value as given kept in ``note`` ("given as 3 GW").

    Raises
    ------
    ValueError
        If the unit is unknown or cannot be converted to ``expected``.
    """
    if isinstance(item, Sourced):
        value, unit, note = item.value, item.unit, item.note
    elif isinstance(item, dict) and "value" in item and isinstance(item.get("unit"), str):
        value, unit, note = item["value"], item["unit"], item.get("note", "")
    else:
        return item
    if not unit.strip():
        return item
    new = convert_value(value, unit, expected, name)
    if new is value or (type(new) is type(value) and new == value):
        return item
    given = f"given as {_shown(value)} {unit}"
    data = item.model_dump() if isinstance(item, Sourced) else dict(item)
    data.update(
        value=new,
        unit=expected or "1",
        note=f"{note}; {given}" if isinstance(note, str) and note else given,
    )
    return data


class Section(BaseModel):
    """Base of every case-file table: unknown keys are errors, values are frozen.

    Every sourced number is checked against the unit its field name carries
    (:mod:`gridimpact.units`): a compatible unit is converted (``3 GW`` on
    ``utility_peak_mw`` becomes 3000 MW, noted "given as 3 GW"), an incompatible or
    unknown one is an error naming the field. The values of a ``dict`` of sourced
    numbers (``permit_caps``) are checked against their key's unit suffix, or else
    the field's.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _units_of_the_name(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        shape = "" if name is None else _field_shape(cls, name)
        if name is None or not shape:
            return value
        if shape == "sourced":
            return in_expected_unit(name, value, expected_unit(name))
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            own = expected_unit(str(key))
            where = str(key) if own is not None else name
            try:
                out[key] = in_expected_unit(where, item, own or expected_unit(name))
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return out


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
