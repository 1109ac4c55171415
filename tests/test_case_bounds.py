"""Hostile case files (issue 15): every field bounded, a sample budget, one-line errors.

Each bad input is ``cases/colossus_100k.toml`` with one field changed (or one
``[workload]`` / ``[onsite]`` / ``[grid]`` key added); loading it must raise a
:class:`CaseError` whose text is one line naming the file and the dotted field, and
must do so at validation (no hang, no traceback, no memory exhaustion).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridimpact.case import load_case
from gridimpact.case.bounds import MAX_SAMPLES
from gridimpact.case.load import MAX_CASE_BYTES
from gridimpact.errors import CaseError
from tests.conftest import CASE_100K, CASES

ROOT = CASES.parent


def _sourced(value: str, unit: str = "1") -> str:
    return f'{{ value = {value}, unit = "{unit}", source = "test value", confidence = "estimate" }}'


def _replace(pattern: str, replacement: str) -> str:
    text = CASE_100K.read_text(encoding="utf-8")
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert n == 1, f"pattern {pattern!r} not found in the case"
    return new


def _in_table(table: str, line: str) -> str:
    """The case with ``line`` as the first key of its ``[table]``."""
    return _replace(rf"^\[{re.escape(table)}\]$", f"[{table}]\n{line}")


def _workload(*lines: str) -> str:
    """The case with a ``[workload]`` table of ``lines`` appended."""
    return CASE_100K.read_text(encoding="utf-8") + "\n[workload]\n" + "\n".join(lines) + "\n"


BAD: list[tuple[str, str, str]] = [
    # (id, case text, dotted field)
    (
        "gpu_count_1e12",
        _replace(r"value = 100_000,", "value = 1_000_000_000_000,"),
        "compute.gpu_count",
    ),
    ("gpu_count_1e30", _replace(r"value = 100_000,", f"value = {10**30},"), "compute.gpu_count"),
    ("gpu_count_float", _replace(r"value = 100_000,", "value = 1e5,"), "compute.gpu_count"),
    ("gpu_count_bool", _replace(r"value = 100_000,", "value = true,"), "compute.gpu_count"),
    (
        "peak_draw_nan",
        _replace(r"peak_draw_fraction = \{ value = 0.85", "peak_draw_fraction = { value = nan"),
        "compute.peak_draw_fraction",
    ),
    (
        "utility_peak_inf",
        _replace(r"utility_peak_mw = \{ value = 3_000.0", "utility_peak_mw = { value = inf"),
        "grid.utility_peak_mw",
    ),
    (
        "utility_peak_nan",
        _replace(r"utility_peak_mw = \{ value = 3_000.0", "utility_peak_mw = { value = nan"),
        "grid.utility_peak_mw",
    ),
    (
        "system_below_utility",
        _replace(r"system_peak_mw = \{ value = 31_100.0", "system_peak_mw = { value = 2_000.0"),
        "grid.system_peak_mw",
    ),
    (
        "vm_min_above_vm_max",
        _in_table("grid", f"vm_min_n0_pu = {_sourced('1.06', 'pu')}"),
        "grid.vm_max_n0_pu",
    ),
    (
        "vm_max_below_vm_min",
        _in_table("grid", f"vm_max_n0_pu = {_sourced('0.9', 'pu')}"),
        "grid.vm_max_n0_pu",
    ),
    (
        "vm_n1_band_tighter",
        _in_table("grid", f"vm_min_n1_pu = {_sourced('0.97', 'pu')}"),
        "grid.vm_min_n1_pu",
    ),
    (
        "vm_absurd",
        _in_table("grid", f"vm_max_n1_pu = {_sourced('1e6', 'pu')}"),
        "grid.vm_max_n1_pu",
    ),
    (
        "loading_n1_above_200",
        _in_table("grid", f"max_loading_n1_percent = {_sourced('250.0', '%')}"),
        "grid.max_loading_n1_percent",
    ),
    (
        "loading_inf",
        _in_table("grid", f"max_loading_n0_percent = {_sourced('inf', '%')}"),
        "grid.max_loading_n0_percent",
    ),
    ("bool_as_string", _in_table("grid", 'enforce_q_limits = "false"'), "grid.enforce_q_limits"),
    ("bool_as_int", _in_table("grid", "enforce_q_limits = 1"), "grid.enforce_q_limits"),
    (
        "cooling_bool_as_string",
        _in_table("cooling", 'chiller_trim = "true"'),
        "cooling.chiller_trim",
    ),
    (
        "too_many_candidate_pois",
        _replace(
            r"^candidate_poi_buses = .*$", "candidate_poi_buses = [" + ", ".join(['"b"'] * 21) + "]"
        ),
        "grid.candidate_poi_buses",
    ),
    (
        "cycles_of_concentration_inf",
        _in_table("cooling", f"cycles_of_concentration = {_sourced('inf')}"),
        "cooling.cycles_of_concentration",
    ),
    (
        "cycles_of_concentration_one",
        _in_table("cooling", f"cycles_of_concentration = {_sourced('1.0')}"),
        "cooling.cycles_of_concentration",
    ),
    (
        "chilled_water_frozen",
        _in_table("cooling", f"chilled_water_supply_c = {_sourced('-40.0', '°C')}"),
        "cooling.chilled_water_supply_c",
    ),
    ("year_99999", _replace(r"^year = 2025$", "year = 99999"), "weather.year"),
    ("year_float", _replace(r"^year = 2025$", "year = 2025.0"), "weather.year"),
    ("year_string", _replace(r"^year = 2025$", 'year = "2025"'), "weather.year"),
    ("seed_negative", _replace(r"^seed = 2024$", "seed = -1"), "weather.seed"),
    ("seed_2_32", _replace(r"^seed = 2024$", f"seed = {2**32}"), "weather.seed"),
    ("seed_string", _replace(r"^seed = 2024$", 'seed = "2024"'), "weather.seed"),
    ("seed_bool", _replace(r"^seed = 2024$", "seed = true"), "weather.seed"),
    (
        "latitude_string",
        _replace(r"^latitude_deg = 35.06$", 'latitude_deg = "35.06"'),
        "site.latitude_deg",
    ),
    (
        "latitude_nan",
        _replace(r"^latitude_deg = 35.06$", "latitude_deg = nan"),
        "site.latitude_deg",
    ),
    (
        "sample_rate_1e7",
        _workload(f"sample_rate_hz = {_sourced('1e7', 'Hz')}"),
        "workload.sample_rate_hz",
    ),
    ("duration_1e9", _workload(f"duration_s = {_sourced('1e9', 's')}"), "workload.duration_s"),
    ("duration_inf", _workload(f"duration_s = {_sourced('inf', 's')}"), "workload.duration_s"),
    (
        "duration_below_pst_interval",
        _workload(f"duration_s = {_sourced('300.0', 's')}"),
        "workload.duration_s",
    ),
    ("job_start_inf", _workload(f"job_start_s = {_sourced('inf', 's')}"), "workload.job_start_s"),
    (
        "iteration_unresolved",
        _workload(
            f"iteration_period_s = {_sourced('0.1', 's')}",
            f"ramp_up_s = {_sourced('0.01', 's')}",
            f"ramp_down_s = {_sourced('0.01', 's')}",
        ),
        "workload.sample_rate_hz",
    ),
    (
        # 6,000.06 samples: rounded down, the window fell short of the 600-s Pst interval
        "fractional_sample_count",
        _workload(f"sample_rate_hz = {_sourced('10.0001', 'Hz')}"),
        "workload.sample_rate_hz",
    ),
    (
        "swing_window_vanishing",
        _in_table("onsite", f"swing_window_s = {_sourced('1e-6', 's')}"),
        "onsite.swing_window_s",
    ),
    (
        "swing_window_nan",
        _in_table("onsite", f"swing_window_s = {_sourced('nan', 's')}"),
        "onsite.swing_window_s",
    ),
    (
        "bess_ramp_inf",
        _in_table("onsite", f"bess_max_ramp_mw_per_s = {_sourced('inf', 'MW/s')}"),
        "onsite.bess_max_ramp_mw_per_s",
    ),
    (
        "permit_cap_huge",
        _replace(r"^NOx = \{ value = 87.0", "NOx = { value = 1e300"),
        "onsite.permit_caps.NOx",
    ),
    (
        "turbine_count_huge",
        _replace(r"value = 15, unit", "value = 1_000_000, unit"),
        "onsite.units[0].count",
    ),
    (
        "interim_months_inf",
        _replace(r"months = \{ value = 12.0", "months = { value = inf"),
        "onsite.interim.months",
    ),
    (
        "basic_limit_above_planning",
        _in_table("onsite", f"pst_basic_emission_limit = {_sourced('0.9')}"),
        "onsite.pst_basic_emission_limit",
    ),
    (
        "standby_loss_absurd",
        _in_table("onsite", f"bess_standby_loss_fraction_per_h = {_sourced('0.5', '1/h')}"),
        "onsite.bess_standby_loss_fraction_per_h",
    ),
]


def _load_error(path: Path) -> CaseError:
    with pytest.raises(CaseError) as info:
        load_case(path)
    err = info.value
    text = str(err)
    assert "\n" not in text and text == err.one_line()
    assert text.startswith(f"{path}: ")
    return err


@pytest.mark.parametrize(("text", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_field_is_one_line_naming_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    err = _load_error(path)
    assert err.field == field, str(err)
    assert f"{path}: {field}: " in str(err)


def test_year_minus_one_fails_fast_at_validation(tmp_path: Path) -> None:
    """Once a > 5 min hang in the weather stage: now refused by the schema."""
    path = tmp_path / "year.toml"
    path.write_text(_replace(r"^year = 2025$", "year = -1"), encoding="utf-8")
    err = _load_error(path)  # load_case validates only: no weather is generated
    assert err.field == "weather.year"
    assert "1900" in err.message and "-1" in err.message


def test_sample_budget_names_both_fields_and_the_limit(tmp_path: Path) -> None:
    # each within its own bound (3,600 s, 1 kHz) but 3.6 million samples together
    path = tmp_path / "budget.toml"
    path.write_text(
        _workload(
            f"duration_s = {_sourced('3600.0', 's')}",
            f"job_stop_s = {_sourced('3500.0', 's')}",
            f"sample_rate_hz = {_sourced('1000.0', 'Hz')}",
        ),
        encoding="utf-8",
    )
    err = _load_error(path)
    assert err.field == "workload.sample_rate_hz"
    assert "workload.duration_s" in err.message and "workload.sample_rate_hz" in err.message
    assert f"{MAX_SAMPLES:,}" in err.message and "3,600,000" in err.message


def test_largest_waveform_within_budget_loads(tmp_path: Path) -> None:
    path = tmp_path / "edge.toml"
    path.write_text(
        _workload(
            f"duration_s = {_sourced('1000.0', 's')}",
            f"job_stop_s = {_sourced('980.0', 's')}",
            f"sample_rate_hz = {_sourced('1000.0', 'Hz')}",
        ),
        encoding="utf-8",
    )
    w = load_case(path).case.workload
    assert w.duration_s.value * w.sample_rate_hz.value == MAX_SAMPLES


@pytest.mark.parametrize("opening", ["[", "{ a = "])
def test_deeply_nested_toml_is_one_line(tmp_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    depth = 5000
    path = tmp_path / "deep.toml"
    path.write_text(
        _replace(
            r"^candidate_poi_buses = .*$",
            "candidate_poi_buses = " + opening * depth + "1" + closing * depth,
        ),
        encoding="utf-8",
    )
    err = _load_error(path)
    assert "nested too deep" in err.message


def test_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(
        CASE_100K.read_text(encoding="utf-8").replace("Memphis", "M\u00e9mphis").encode("latin-1")
    )
    err = _load_error(path)
    assert err.field == ""
    assert "not UTF-8" in err.message and "0xe9" in err.message


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + CASE_100K.read_bytes())
    assert load_case(path).case.case.name == "colossus_100k"


def test_integer_too_long_to_read_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "digits.toml"
    path.write_text(_replace(r"value = 100_000,", "value = " + "9" * 5000 + ","), encoding="utf-8")
    err = _load_error(path)
    assert "not valid TOML" in err.message and "set_int_max_str_digits" not in err.message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    text = CASE_100K.read_text(encoding="utf-8")
    path.write_text(text + "# " + "x" * MAX_CASE_BYTES + "\n", encoding="utf-8")
    err = _load_error(path)
    assert f"{MAX_CASE_BYTES:,}" in err.message


def _case_files() -> list[Path]:
    found = sorted(CASES.glob("*.toml")) + sorted((ROOT / "tests").rglob("*.toml"))
    return [p for p in found if "schema_version" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_and_fixture_cases_still_load(path: Path) -> None:
    loaded = load_case(path)
    w = loaded.case.workload
    assert w.duration_s.value * w.sample_rate_hz.value <= MAX_SAMPLES
