"""Catalogs shipped with the tool (TOML, every value cited), and one way to read them."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from gridimpact.errors import CaseError
from gridimpact.validation import validate_model

M = TypeVar("M", bound=BaseModel)


def data_file_path(name: str) -> str:
    """Path of a data file as shown to users (in error messages and reports)."""
    return f"gridimpact/data/{name}"


@lru_cache(maxsize=16)
def read_data_toml(name: str) -> dict[str, Any]:
    """Parse ``gridimpact/data/<name>`` from the installed package (cached, read-only).

    Raises
    ------
    CaseError
        If the file is missing or is not valid TOML (naming the file).
    """
    resource = resources.files("gridimpact").joinpath("data", name)
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseError(data_file_path(name), "", "data file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(data_file_path(name), "", f"invalid TOML: {exc}") from None


def data_default(name: str, table: str, key: str, **field: Any) -> Any:
    """A pydantic ``Field`` whose default is ``[table] key`` of ``gridimpact/data/<name>``.

    How a case table's optional fields default to their sourced catalog values;
    ``field`` passes further ``Field`` constraints (e.g. ``min_length``).
    """
    return Field(default_factory=lambda: read_data_toml(name)[table][key], **field)


def load_validated(name: str, model: type[M], tables: tuple[str, ...] | None = None) -> M:
    """Read ``gridimpact/data/<name>`` and validate it (or its top-level ``tables``).

    The one validated reader of the shipped catalogs: an error names the file and the
    dotted field, as for a case file. Callers cache the result.

    Raises
    ------
    CaseError
        If the file is missing, is not TOML, or does not match ``model``.
    """
    raw = read_data_toml(name)
    data = raw if tables is None else {k: raw[k] for k in tables if k in raw}
    return validate_model(model, data, data_file_path(name))
