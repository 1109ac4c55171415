"""Units are real: a field's name says its unit; other units are converted or refused."""

from __future__ import annotations

import glob
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from gridimpact.case import iter_sourced, load_case
from gridimpact.errors import CaseError
from gridimpact.schema import Section, Sourced
from gridimpact.units import convert, convert_value, expected_unit, parse_unit
from gridimpact.validation import validate_model
from tests.conftest import CASE_1M, CASE_100K, ROOT

# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("utility_peak_mw", "MW"),
        ("max_q_mvar", "Mvar"),
        ("sn_mva", "MVA"),
        ("vn_hv_kv", "kV"),
        ("gpu_tdp_w", "W"),
        ("chilled_water_supply_c", "°C"),
        ("tower_approach_k", "K"),
        ("sgen_k", "1"),  # IEC 60909 factor k, not a kelvin
        ("vm_min_n1_pu", "pu"),
        ("max_loading_n0_percent", "%"),
        ("sample_rate_hz", "Hz"),
        ("iteration_period_s", "s"),
        ("utc_offset_h", "h"),
        ("bess_max_ramp_mw_per_s", "MW/s"),  # longest suffix wins over _s
        ("frequency_response_mw_per_0p1hz", "MW/0.1Hz"),  # ... and over _hz
        ("bess_standby_loss_fraction_per_h", "1/h"),
        ("fan_specific_power_kw_per_kw", "kW/kW"),
        ("permitted_hours_per_year", "h/yr"),
        ("bess_design_life_years", "yr"),
        ("months", "month"),
        ("major_source_tons_per_year", "short ton/yr"),
        ("nox_ppmvd_at_15pct_o2", "ppmvd @15% O2"),
        ("heat_rate_lhv_btu_per_kwh", "Btu/kWh"),
        ("colossus1_water_mgd", "MGD"),
        ("unit_flow_m3_per_s", "m³/s"),
        ("latitude_deg", "deg"),
        ("gpu_count", "GPU"),
        ("gpus_per_rack", "GPU"),
        ("count", "unit"),
        ("bess_cycle_life_full_cycles", "cycles"),
        ("permit_caps", "short ton/yr"),
        ("liquid_capture_fraction", "1"),
        ("ups_efficiency", "1"),
        ("cycles_of_concentration", None),
        ("power_factor", None),
        ("gpu_model", None),
    ],
)
def test_expected_unit_from_the_name(name: str, unit: str | None) -> None:
    assert expected_unit(name) == unit


# -------------------------------------------------------------------------- convert


@pytest.mark.parametrize(
    ("value", "given", "field", "out"),
    [
        (3.0, "GW", "utility_peak_mw", 3000.0),
        (212.0, "°F", "chilled_water_supply_c", 100.0),
        (212.0, "degF", "chilled_water_supply_c", 100.0),
        (373.15, "K", "chilled_water_supply_c", 100.0),
        (9.0, "°F", "tower_approach_k", 5.0),  # a difference: no offset
        (4.0, "degC", "tower_approach_k", 4.0),
        (161.0, "kV", "vn_hv_kv", 161.0),
        (161_000.0, "V", "vn_hv_kv", 161.0),
        (100.0, "MVAr", "max_q_mvar", 100.0),
        (97.0, "%", "ups_efficiency", 0.97),  # % on a fraction field
        (8.0, "%", "fabric_storage_fraction", 0.08),
        (0.95, "fraction", "max_loading_n0_percent", 95.0),
        (100.0, "% of rating", "max_loading_n0_percent", 100.0),
        (1.0, "yr", "months", 12.0),
        (30.0, "MW/Hz", "frequency_response_mw_per_0p1hz", 3.0),
        (1.0, "m³/s", "colossus1_water_mgd", 22.8244653237),
        (0.2, "%/h", "bess_standby_loss_fraction_per_h", 0.002),
        (100_000.0, "1", "gpu_count", 100_000.0),  # a count as a plain number
        (15.0, "units", "count", 15.0),
        (0.85, "W/W", "cycles_of_concentration", 0.85),  # any ratio on a dimensionless field
        (0.8, "t CO2e / t", "ch4", 0.8),
    ],
)
def test_convert_compatible_units(value: float, given: str, field: str, out: float) -> None:
    assert convert(value, given, expected_unit(field), field) == pytest.approx(out, rel=1e-9)


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ("MW", "gpu_count", ("'MW'", "'GPU'")),
        ("rack", "gpu_count", ("'rack'", "'GPU'")),
        ("F", "chilled_water_supply_c", ("'F'", "'°C'", "farad")),
        ("MW", "sn_mva", ("'MW'", "'MVA'", "apparent")),
        ("MVA", "utility_peak_mw", ("'MVA'", "'MW'")),
        ("%", "power_factor", ("'%'", "fraction field")),  # % only where the name says so
        ("%", "vm_min_n0_pu", ("'%'", "'pu'")),
        ("1", "max_loading_n0_percent", ("'1'", "'%'", "ambiguous")),
        ("-", "iteration_period_s", ("'-'", "'s'", "ambiguous")),
        ("1", "latitude_deg", ("'1'", "'deg'")),
        ("MW", "liquid_capture_fraction", ("'MW'", "dimensionless")),
        ("ppm", "nox_ppmvd_at_15pct_o2", ("'ppm'", "'ppmvd @15% O2'")),
        ("blorps", "utility_peak_mw", ("unknown unit 'blorps'", "'MW'")),
        ("9**9**9", "utility_peak_mw", ("unknown unit",)),
        ("0*MW", "utility_peak_mw", ("unknown unit",)),
        ("degC*s", "chilled_water_supply_c", ("unknown unit",)),
        ("((", "utility_peak_mw", ("unknown unit",)),
    ],
)
def test_convert_refuses_incompatible_or_unknown(
    given: str, field: str, words: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError) as info:
        convert(1.0, given, expected_unit(field), field)
    for word in words:
        assert word in str(info.value)


def test_convert_value_keeps_ints_and_lists() -> None:
    assert convert_value(15, "unit", "unit", "count") == 15
    out = convert_value(3, "GW", "MW", "utility_peak_mw")
    assert out == 3000 and isinstance(out, int)
    assert convert_value([32.0, 212.0], "°F", "°C", "mean_dry_bulb_c") == pytest.approx(
        [0.0, 100.0]
    )
    curve = [[1.0, 2.0], [3.0, 4.0]]  # a curve: only its unit must be known
    assert convert_value(curve, "[changes/min, % dV/V]", None, "pst1_curve") is curve
    assert convert_value("ACSR", "-", None, "conductor") == "ACSR"
    with pytest.raises(ValueError, match="unknown unit"):
        convert_value("ACSR", "blorp", None, "conductor")


def test_every_shipped_unit_string_parses() -> None:
    units: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "value" in node and "source" in node:
                units.add(str(node.get("unit", "")))
                return
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    for path in _shipped_files():
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    assert {"GPU", "unit", "cycles", "1", "-", "MW/0.1Hz", "short ton/yr"} <= units
    for unit in units:
        parse_unit(unit)


def _shipped_files() -> list[Path]:
    names = glob.glob(str(ROOT / "gridimpact" / "data" / "*.toml"))
    names += glob.glob(str(ROOT / "cases" / "*.toml"))
    return [Path(n) for n in sorted(names)]


def _sourced_tables(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        if "value" in node and "source" in node:
            return [(path, node)]
        return [item for k, v in node.items() for item in _sourced_tables(v, (*path, str(k)))]
    if isinstance(node, list):
        return [item for v in node for item in _sourced_tables(v, path)]
    return []


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: p.name)
def test_shipped_units_match_their_names(path: Path) -> None:
    """Every sourced number of the shipped data and cases is already in the unit its
    name (or, for a name without a unit, its table's name) says: nothing converts."""
    for where, table in _sourced_tables(tomllib.loads(path.read_text(encoding="utf-8"))):
        key, parent = where[-1], where[-2] if len(where) > 1 else ""
        own = expected_unit(key)
        name = key if own is not None or not parent else parent
        expected = own if own is not None else expected_unit(name)
        dotted = ".".join(where)
        try:
            out = convert_value(table["value"], table.get("unit", ""), expected, name)
        except ValueError as exc:
            pytest.fail(f"{path.name}: {dotted}: {exc}")
        assert out == table["value"], f"{path.name}: {dotted} would convert to {out}"


# ------------------------------------------------------------------ Section hook


class _Probe(Section):
    vn_kv: Sourced[float]
    chilled_water_supply_c: Sourced[float] | None = None
    mean_dry_bulb_c: Sourced[list[float]] | None = None
    conductor: Sourced[str] | None = None
    caps: dict[str, Sourced[float]] = Field(default_factory=dict)


def _src(value: Any, unit: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": "test value", **extra}


def test_kv_on_a_kv_field_is_unchanged() -> None:
    probe = _Probe(vn_kv=_src(161.0, "kV"))  # type: ignore[arg-type]
    assert (probe.vn_kv.value, probe.vn_kv.unit, probe.vn_kv.note) == (161.0, "kV", "")


def test_section_converts_dicts_instances_and_lists() -> None:
    probe = _Probe(
        vn_kv=Sourced[float](value=161_000.0, unit="V", source="test value", note="POI"),
        chilled_water_supply_c=_src(59.0, "°F"),  # type: ignore[arg-type]
        mean_dry_bulb_c=_src([32.0, 50.0], "degF"),  # type: ignore[arg-type]
        conductor=_src("ACSR Drake", "-"),  # type: ignore[arg-type]
        caps={"p_mw": _src(2.0, "GW")},  # type: ignore[dict-item]
    )
    assert (probe.vn_kv.value, probe.vn_kv.unit) == (161.0, "kV")
    assert probe.vn_kv.note == "POI; given as 161000 V"
    assert probe.chilled_water_supply_c is not None
    assert probe.chilled_water_supply_c.value == pytest.approx(15.0)
    assert probe.chilled_water_supply_c.note == "given as 59 °F"
    assert probe.mean_dry_bulb_c is not None
    assert probe.mean_dry_bulb_c.value == pytest.approx([0.0, 10.0])
    assert probe.conductor is not None and probe.conductor.value == "ACSR Drake"
    assert probe.caps["p_mw"].value == 2000.0  # a dict key with a unit suffix


def test_section_errors_name_the_field() -> None:
    with pytest.raises(CaseError) as info:
        validate_model(_Probe, {"vn_kv": _src(161.0, "MW")}, "probe.toml")
    assert info.value.field == "vn_kv"
    assert "'MW'" in info.value.message and "'kV'" in info.value.message
    with pytest.raises(CaseError) as info:
        validate_model(
            _Probe, {"vn_kv": _src(1.0, "kV"), "caps": {"p_mw": _src(1.0, "kV")}}, "probe.toml"
        )
    assert info.value.field == "caps"
    assert info.value.message.startswith("p_mw: unit 'kV'")


# --------------------------------------------------------------- case files


def _error(path: Path) -> CaseError:
    with pytest.raises(CaseError) as info:
        load_case(path)
    line = info.value.one_line()
    assert "\n" not in line and str(path) in line
    return info.value


def test_gw_on_utility_peak_mw_is_converted(edited_case: Callable[[str, str], Path]) -> None:
    path = edited_case(
        r'utility_peak_mw = \{ value = 3_000.0, unit = "MW"',
        'utility_peak_mw = { value = 3, unit = "GW"',
    )
    peak = load_case(path).case.grid.utility_peak_mw
    assert (peak.value, peak.unit) == (3000.0, "MW")
    assert peak.note == "given as 3 GW"
    assert dict(iter_sourced(load_case(path).case))["grid.utility_peak_mw"].note == peak.note


def test_fahrenheit_on_a_celsius_field(edited_case: Callable[[str, str], Path]) -> None:
    line = '[cooling]\nchilled_water_supply_c = { value = %s, unit = "°F", source = "test value" }'
    cooling = load_case(edited_case(r"^\[cooling\]$", line % "59.0")).case.cooling
    assert cooling.chilled_water_supply_c is not None
    assert cooling.chilled_water_supply_c.value == pytest.approx(15.0)
    assert cooling.chilled_water_supply_c.unit == "°C"
    # converted before the range check: 212 °F is 100 °C, above the field's limit
    err = _error(edited_case(r"^\[cooling\]$", line % "212.0"))
    assert err.field == "cooling.chilled_water_supply_c"
    assert "less than or equal" in err.message and "(got 100.0)" in err.message


def test_mw_on_gpu_count_is_refused(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(edited_case(r'value = 100_000, unit = "GPU"', 'value = 100_000, unit = "MW"'))
    assert err.field == "compute.gpu_count"
    assert "'MW'" in err.message and "'GPU'" in err.message
    assert err.one_line().startswith(f"{err.file}: compute.gpu_count: unit 'MW'")


def test_unknown_unit_is_refused(edited_case: Callable[[str, str], Path]) -> None:
    err = _error(
        edited_case(
            r'utility_peak_mw = \{ value = 3_000.0, unit = "MW"',
            'utility_peak_mw = { value = 3_000.0, unit = "megawatts-ish"',
        )
    )
    assert err.field == "grid.utility_peak_mw"
    assert "unknown unit 'megawatts-ish'" in err.message and "'MW'" in err.message


def test_percent_on_dimensionless_fields(edited_case: Callable[[str, str], Path]) -> None:
    """A percentage converts on a fraction or efficiency field, and nowhere else."""
    path = edited_case(
        r'ups_efficiency = \{ value = 0.97, unit = "1"', 'ups_efficiency = { value = 97, unit = "%"'
    )
    ups = load_case(path).case.facility.ups_efficiency
    assert (ups.value, ups.unit, ups.note) == (pytest.approx(0.97), "1", "given as 97 %")
    err = _error(
        edited_case(
            r'power_factor = \{ value = 0.98, unit = "1"', 'power_factor = { value = 98, unit = "%"'
        )
    )
    assert err.field == "facility.power_factor"
    assert "'%'" in err.message and "fraction field" in err.message


def test_permit_caps_are_checked_per_pollutant(edited_case: Callable[[str, str], Path]) -> None:
    caps = load_case(
        edited_case(
            r'NOx = \{ value = 87.0, unit = "short ton/yr"',
            'NOx = { value = 87.0, unit = "t/yr"',  # metric tonnes
        )
    ).case.onsite.permit_caps
    assert caps["NOx"].value == pytest.approx(87.0 * 1.10231131, rel=1e-6)
    assert (caps["NOx"].unit, caps["NOx"].note) == ("short ton/yr", "given as 87 t/yr")
    assert caps["CO"].note == ""
    err = _error(
        edited_case(
            r'NOx = \{ value = 87.0, unit = "short ton/yr"', 'NOx = { value = 87.0, unit = "MW"'
        )
    )
    assert err.field == "onsite.permit_caps"
    assert err.message.startswith("NOx: unit 'MW'") and "'short ton/yr'" in err.message


@pytest.mark.parametrize("path", [CASE_100K, CASE_1M], ids=lambda p: p.name)
def test_shipped_cases_load_unchanged(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    loaded = load_case(path).case
    for dotted, item in iter_sourced(loaded):
        assert "given as" not in item.note, dotted
    assert loaded.compute.gpu_count.value == raw["compute"]["gpu_count"]["value"]
    assert isinstance(loaded.compute.gpu_count.value, int)
