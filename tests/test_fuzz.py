"""Property-based fuzzing of the readers: a valid result or one clear error line, never
another exception (issue 15).

Case documents are the shipped 100k case with one field replaced by a generated value
(any TOML type, huge, negative, non-finite, nested); network files are generated
JSON documents; EPW files are generated lines. Bounded examples keep the whole file
under ~60 s on two cores.
"""

from __future__ import annotations

import math
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridimpact.case import load_case
from gridimpact.errors import GridImpactError
from tests.conftest import CASE_100K

SHIPPED = tomllib.loads(Path(CASE_100K).read_text(encoding="utf-8"))
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _paths(node: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of the shipped case (tables, Sourced tables and their members)."""
    out: list[tuple[str, ...]] = []
    if isinstance(node, dict):
        for key, sub in node.items():
            out.append((*prefix, key))
            out += _paths(sub, (*prefix, key))
    return out


PATHS = _paths(SHIPPED)
SCALARS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=string.printable, max_size=20),
    st.booleans(),
    st.sampled_from([0, -1, 1e308, -1e-308, 99999, 2**63, "", "MW", "GW", "F"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["value", "unit", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(type(value))


def _dump(doc: dict[str, Any]) -> str:
    """A minimal TOML writer: scalars first, then [tables] (nested via inline tables)."""
    lines = [f'"{k}" = {_toml_value(v)}' for k, v in doc.items() if not isinstance(v, dict)]
    for name, table in doc.items():
        if isinstance(table, dict):
            lines.append(f'["{name}"]')
            lines += [f'"{k}" = {_toml_value(v)}' for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _replace(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict(doc)
    node = out
    for key in path[:-1]:
        node[key] = dict(node.get(key, {}))  # a table the shipped case leaves to defaults
        node = node[key]
    node[path[-1]] = value
    return out


def test_dump_round_trips_the_shipped_case(tmp_path: Path) -> None:
    """The fuzz writer itself: the shipped case written back loads unchanged."""
    case = tmp_path / "case.toml"
    case.write_text(_dump(SHIPPED), encoding="utf-8")
    assert load_case(case).case == load_case(CASE_100K).case


@FUZZ
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_case_fuzz_is_a_case_or_one_error_line(
    tmp_path: Path, path: tuple[str, ...], value: Any
) -> None:
    case = tmp_path / "case.toml"
    case.write_text(_dump(_replace(SHIPPED, path, value)), encoding="utf-8")
    try:
        load_case(case)
    except GridImpactError as exc:
        message = str(exc)
        assert message and "\n" not in message, message
        assert str(case) in message or case.name in message, message


NETWORK_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=12),
        st.sampled_from(["pandapowerNet", "DataFrame", "pandapower.auxiliary", "os", "shutil"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["_module", "_class", "_object", "dtype", "bus", "line", "x"]),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@FUZZ
@given(doc=NETWORK_VALUES)
def test_network_file_fuzz_is_one_error_line(tmp_path: Path, doc: Any) -> None:
    import json

    from gridimpact.grid.model import _read_network_file

    path = tmp_path / "net.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        _read_network_file(path)
    except GridImpactError as exc:
        assert "\n" not in str(exc), str(exc)


EPW_LINES = st.lists(
    st.text(alphabet=string.digits + ",.-+eEnaNi \t", max_size=60), min_size=0, max_size=12
)


@FUZZ
@given(lines=EPW_LINES)
def test_epw_fuzz_is_one_error_line(tmp_path: Path, lines: list[str]) -> None:
    from gridimpact.weather.epw import read_epw_weather

    path = tmp_path / "w.epw"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        read_epw_weather(path, 2025)
    except GridImpactError as exc:
        assert "\n" not in str(exc), str(exc)


@pytest.mark.parametrize("depth", [5_000])
def test_deeply_nested_toml_is_one_error_line(tmp_path: Path, depth: int) -> None:
    case = tmp_path / "deep.toml"
    case.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(GridImpactError) as info:
        load_case(case)
    assert "\n" not in str(info.value)
