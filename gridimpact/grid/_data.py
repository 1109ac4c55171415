"""Reading the grid catalogs (TOML files in :mod:`gridimpact.data`).

Values are stored in the ``Sourced`` form ``{ value, unit, source, confidence }``;
these helpers return the bare numbers to the network builders, which keep the
provenance in the data files and the documentation.
"""

from __future__ import annotations

from typing import Any

from gridimpact.data import read_data_toml

read_catalog = read_data_toml
"""Parse a TOML catalog shipped in ``gridimpact/data`` (cached; treat as read-only)."""


def value_of(entry: Any) -> Any:
    """The bare value of a ``Sourced``-form table, or the entry itself if plain."""
    if isinstance(entry, dict) and "value" in entry:
        return entry["value"]
    return entry


def values_of(table: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Bare values of every ``Sourced``-form entry of a table (plain keys dropped)."""
    return {
        key: entry["value"]
        for key, entry in table.items()
        if isinstance(entry, dict) and "value" in entry and key not in skip
    }
