"""Turn pydantic validation errors into one-line :class:`CaseError` messages."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gridimpact.errors import CaseError

M = TypeVar("M", bound=BaseModel)

_PHRASES = (
    ("Tuple should have", "must have"),
    ("List should have", "must have"),
    (" after validation", ""),
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


SOURCED_TABLE = (
    'must be a sourced table { value = ..., unit = "...", source = "...", '
    'confidence = "published|reported|derived|estimate" }'
)


def _shown(value: Any) -> str:
    """A rejected input as the user wrote it in TOML (not as a Python repr)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if hasattr(value, "item"):  # numpy scalar
        return repr(value.item())
    return repr(value)


def _message(error: dict[str, Any]) -> str:
    msg = str(error.get("msg", "invalid value"))
    if "instance of Sourced[" in msg:  # a bare number where a sourced table is expected
        msg = SOURCED_TABLE
    for old, new in _PHRASES:
        msg = msg.replace(old, new)
    if error.get("type") == "missing" or error.get("type") == "extra_forbidden":
        return msg
    value = error.get("input")
    if isinstance(value, dict | list):
        return msg
    return f"{msg} (got {_shown(value)})"


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
