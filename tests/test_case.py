"""Case files: the shipped cases validate; bad input fails with one clear line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gridimpact.case import iter_sourced, load_case
from gridimpact.errors import CaseError
from tests.conftest import CASE_1M, CASE_100K


@pytest.mark.parametrize("path", [CASE_100K, CASE_1M])
def test_shipped_cases_validate_and_every_number_is_sourced(path: Path) -> None:
    loaded = load_case(path)
    assert len(loaded.file_sha256) == 64
    sourced = iter_sourced(loaded.case)
    assert len(sourced) >= 10
    for dotted, item in sourced:
        assert len(item.source) > 10, dotted
        assert item.confidence in {"published", "reported", "derived", "estimate"}


def _error(path: Path) -> CaseError:
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = info.value.one_line()
    assert "\n" not in message
    assert str(path) in message
    return info.value


def test_negative_gpu_count_names_the_field(edited_case: Callable[[str, str], Path]) -> None:
    path = edited_case(r"value = 100_000", "value = -5")
    err = _error(path)
    assert err.field == "compute.gpu_count"
    assert "greater than 0" in err.message and "-5" in err.message


def test_unknown_gpu_model_lists_known_models(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(edited_case(r'gpu_model = "H100"', 'gpu_model = "H900"'))
    assert err.field == "compute.gpu_model"
    assert "'H900'" in err.message and "GB200-NVL72" in err.message


def test_string_where_a_number_belongs(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(
        edited_case(r"ups_efficiency = \{ value = 0.97", 'ups_efficiency = { value = "0.97"')
    )
    assert err.field == "facility.ups_efficiency"
    assert "number" in err.message or "float" in err.message


def test_unknown_key_is_rejected(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(edited_case(r"^\[compute\]$", "[compute]\ngpu_colour = 3"))
    assert err.field == "compute.gpu_colour"
    assert "unknown key" in err.message


def test_out_of_order_draw_fractions(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(
        edited_case(r"mean_draw_fraction = \{ value = 0.78", "mean_draw_fraction = { value = 0.95")
    )
    assert err.field == "compute"
    assert "idle_draw_fraction <= mean_draw_fraction" in err.message


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.toml")
    assert err.message == "file not found"


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("schema_version = \n", encoding="utf-8")
    assert "not valid TOML" in _error(path).message


def test_missing_source_is_an_error(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(
        edited_case(
            r"gpu_count = \{ value = 100_000, unit = \"GPU\", source = \"[^\"]*\"",
            'gpu_count = { value = 100_000, unit = "GPU"',
        )
    )
    assert err.field == "compute.gpu_count.source"
    assert "required" in err.message
