"""Typed access to tables and ``Sourced`` values of the cited data files.

Every default number of the weather and thermal models lives in a TOML file
as a :class:`~gridimpact.schema.Sourced` table. These helpers read a
file once and turn its tables into validated ``Sourced`` values, raising
:class:`~gridimpact.errors.CaseError` naming the file and the dotted field.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gridimpact.data import read_data_toml
from gridimpact.errors import CaseError
from gridimpact.schema import Sourced, in_expected_unit
from gridimpact.units import expected_unit


def table_at(name: str, dotted: str) -> dict[str, Any]:
    """The sub-table ``dotted`` (e.g. ``"stations.memphis_kmem"``) of data file ``name``."""
    node: Any = read_data_toml(name)
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            raise CaseError(f"gridimpact/data/{name}", dotted, f"no table '{key}'")
        node = node[key]
    if not isinstance(node, dict):
        raise CaseError(f"gridimpact/data/{name}", dotted, "is not a table")
    return node


def sourced_float(name: str, table: dict[str, Any], dotted: str, key: str) -> Sourced[float]:
    """Validate ``table[key]`` as a ``Sourced[float]``."""
    return _sourced(Sourced[float], name, table, dotted, key)


def sourced_floats(
    name: str, table: dict[str, Any], dotted: str, key: str, length: int | None = None
) -> Sourced[list[float]]:
    """Validate ``table[key]`` as a ``Sourced[list[float]]`` (optionally of fixed length)."""
    item: Sourced[list[float]] = _sourced(Sourced[list[float]], name, table, dotted, key)
    if length is not None and len(item.value) != length:
        raise CaseError(
            f"gridimpact/data/{name}",
            f"{dotted}.{key}",
            f"expected {length} values, got {len(item.value)}",
        )
    return item


def _sourced(model: Any, name: str, table: dict[str, Any], dotted: str, key: str) -> Any:
    where = f"{dotted}.{key}"
    if key not in table:
        raise CaseError(f"gridimpact/data/{name}", where, "missing")
    raw = table[key]
    if isinstance(raw, dict) and isinstance(raw.get("value"), int | list):
        raw = dict(raw)
        value = raw["value"]
        raw["value"] = [float(v) for v in value] if isinstance(value, list) else float(value)
    if isinstance(raw, dict) and "value" in raw:
        raw = _in_key_unit(raw, key, f"gridimpact/data/{name}", where)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CaseError(f"gridimpact/data/{name}", where, str(first["msg"])) from exc


def _in_key_unit(raw: dict[str, Any], key: str, file: str, where: str) -> dict[str, Any]:
    """The table with its value in the unit the key's suffix names (gridimpact.units)."""
    # a key without a unit suffix takes its table's (e.g. water_classes.W17 in °C)
    expected = expected_unit(key) or expected_unit(where.rsplit(".", 2)[-2] if "." in where else "")
    try:
        converted: dict[str, Any] = in_expected_unit(key, raw, expected)
    except ValueError as exc:
        raise CaseError(file, where, str(exc)) from None
    return converted
