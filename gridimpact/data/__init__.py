"""Catalogs shipped with the tool (TOML, every value cited), and one way to read them."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from gridimpact.errors import CaseError


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
