"""Catalogs shipped with the tool (TOML, every value cited)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def read_data_toml(name: str) -> dict[str, Any]:
    """Parse ``gridimpact/data/<name>`` from the installed package."""
    text = resources.files("gridimpact").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def data_file_path(name: str) -> str:
    """Path of a data file as shown to users (in error messages and reports)."""
    return f"gridimpact/data/{name}"
