"""Turn pydantic validation errors into one-line :class:`CaseError` messages."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gridimpact.errors import CaseError

M = TypeVar("M", bound=BaseModel)

_PHRASES = (
    ("Input should be", "must be"),
    ("Extra inputs are not permitted", "unknown key"),
    ("Field required", "required field is missing"),
    ("String should", "must"),
    ("Value error, ", ""),
)


def dotted_path(loc: tuple[int | str, ...]) -> str:
    """``('compute', 'gpu_count', 'value')`` → ``compute.gpu_count``.

    The trailing ``value`` of a sourced number is dropped: to a user the field is
    ``gpu_count``. List positions are shown as ``[i]``.
    """
    parts = list(loc)
    if len(parts) > 1 and parts[-1] == "value":
        parts = parts[:-1]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(error: dict[str, Any]) -> str:
    msg = str(error.get("msg", "invalid value"))
    for old, new in _PHRASES:
        msg = msg.replace(old, new)
    if error.get("type") == "missing" or error.get("type") == "extra_forbidden":
        return msg
    value = error.get("input")
    if isinstance(value, dict | list):
        return msg
    return f"{msg} (got {value!r})"


def case_error_from(file: str, exc: ValidationError) -> CaseError:
    """The first validation error of ``exc`` as a :class:`CaseError`."""
    first = exc.errors()[0]
    return CaseError(file, dotted_path(tuple(first["loc"])), _message(dict(first)))


def validate_model(model: type[M], data: dict[str, Any], file: str) -> M:
    """Validate ``data`` against ``model``; raise a one-line :class:`CaseError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise case_error_from(file, exc) from None
