"""Units of case and catalog values: what a field expects, and converting to it.

Every field name of the schemas carries its unit as a suffix (``utility_peak_mw``,
``chilled_water_supply_c``, ``max_loading_n1_percent``, ...). :func:`expected_unit`
reads that suffix (the longest matching one wins); :func:`convert` turns a value
written in another, compatible unit into the expected one (3 GW → 3000 MW,
212 °F → 100 °C, 4 °F of approach → 2.22 K) and refuses an incompatible or unknown
unit with a message naming both units. :class:`gridimpact.schema.Section` applies
both to every sourced number while validating.

Rules beyond plain dimensional analysis:

- ``_k`` fields are temperature *differences*: °C / °F given there are read as
  degrees of difference (``delta_degC`` / ``delta_degF``), never with an offset.
- Fields without a unit suffix are dimensionless or counts. They take any plain
  number (``1``, ``-``, ``W/W``, ``kg/kg``...) or count label (``GPU``, ``unit``,
  ``cycles``...) unchanged; a percentage is converted (95 % → 0.95) only where
  the name says the field is a fraction (``..._fraction``, ``..._efficiency``).
- ``_percent`` fields take ``%`` (or a descriptive ``% of rating``); an explicit
  ``fraction`` is converted (0.95 → 95); a bare ``1`` / ``-`` is refused as
  ambiguous. The same holds for every other scaled dimensionless unit
  (``Btu/kWh``, ``ppmvd @15% O2``) and for angles (``deg``).
- Counts (``GPU``, ``unit``, ``rack``, ``cycles``), per unit (``pu``) and stack
  concentrations (``ppmvd`` at 15 % O2) are base units of their own: a rack is not
  a GPU and a percentage is not a per-unit value.
- Real, reactive and apparent power (``MW``, ``Mvar``, ``MVA``) share a dimension
  but do not convert into each other.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pint

__all__ = [
    "NAMED_UNITS",
    "SUFFIX_UNITS",
    "convert",
    "convert_value",
    "expected_unit",
    "parse_unit",
    "registry",
]

SUFFIX_UNITS: dict[str, str] = {
    # power and energy
    "mw": "MW",
    "mvar": "Mvar",
    "mva": "MVA",
    "kw": "kW",
    "w": "W",
    "gwh": "GWh",
    "mwh": "MWh",
    "mw_per_s": "MW/s",
    "mw_per_0p1hz": "MW/0.1Hz",
    "kw_per_kw": "kW/kW",
    # voltage and current
    "kv": "kV",
    "v": "V",
    "ka": "kA",
    # temperature: _c absolute, _k a difference
    "c": "°C",
    "k": "K",
    # dimensionless with a meaning
    "pu": "pu",
    "percent": "%",
    "fraction": "1",
    "efficiency": "1",
    # frequency and time
    "hz": "Hz",
    "s": "s",
    "h": "h",
    "hours": "h",
    "months": "month",
    "years": "yr",
    "per_h": "1/h",
    "hours_per_year": "h/yr",
    # length, area, line constants
    "km": "km",
    "m": "m",
    "mm": "mm",
    "mm2": "mm2",
    "ohm_per_km": "ohm/km",
    "ohm_per_m": "ohm/m",
    "nf_per_km": "nF/km",
    # flows and speeds
    "m3_per_h": "m³/h",
    "m3_per_s": "m³/s",
    "mgd": "MGD",
    "kg_per_s": "kg/s",
    "m_per_s": "m/s",
    # pressure, fluids
    "kpa": "kPa",
    "pa": "Pa",
    "j_per_kg_k": "J/(kg·K)",
    "kg_per_m3": "kg/m³",
    # angles
    "deg": "deg",
    "degree": "degree",
    # fuel and emissions
    "tons_per_year": "short ton/yr",
    "lb_per_mmbtu": "lb/MMBtu",
    "btu_per_kwh": "Btu/kWh",
    "btu_per_scf": "Btu/scf",
    "dscf_per_mmbtu": "dscf/MMBtu",
    "scf_per_lbmol": "scf/lb-mol",
    "ppmvd_at_15pct_o2": "ppmvd @15% O2",
    # counts
    "gpu_count": "GPU",
    "gpus_per_rack": "GPU",
    "gpus_per_system": "GPU",
    "count": "unit",
    "cycles": "cycles",
}
"""Unit suffix of a field name (after ``_``, or the whole name) → its unit."""

NAMED_UNITS: dict[str, str] = {
    "sgen_k": "1",  # IEC 60909 factor k of static generators, not a kelvin
    "permit_caps": "short ton/yr",  # [onsite.permit_caps]: pollutant → cap
    "water_classes": "°C",  # cooling.toml [water_classes]: class → max supply temperature
}
"""Whole names whose unit is not in a suffix (checked before the suffixes)."""

_FRACTION_SUFFIXES = ("fraction", "efficiency")

_DEFINITIONS = (
    "GPU = []",
    "rack = [] = _ = racks",
    "unit_count = [] = _ = unit = units",
    "count_cycle = [] = _ = cycles",
    "change = [] = _ = changes",
    "pu = [] = _ = p.u.",
    "ppmvd_15pct_o2 = [] = _ = ppmvd",
    "var = volt * ampere = _ = VAr = VAR",
    "MGD = 1e6 * gallon / day",
    "scf = foot ** 3",
    "dscf = foot ** 3",
    "MMBtu = 1e6 * Btu",
    "lbmol = 453.59237 * mol = _ = lb_mol",
)
"""Project units: counts, per unit, stack concentration, reactive power, US utility units."""

_ALIASES: dict[str, str] = {
    "-": "dimensionless",
    "fraction": "dimensionless",
    "cycle": "cycles",  # pint's cycle is a turn (an angle); here it counts cycles
    "MW/0.1Hz": "MW / (0.1 * Hz)",
    "MW/0.1 Hz": "MW / (0.1 * Hz)",
    "% of rating": "%",
    "% O2 dry": "%",
    "% dV/V": "%",
    "short ton/yr CO2e": "short_ton / yr",
    "t CO2e / t": "t / t",
}
"""Unit strings of the shipped files that are descriptions rather than pint syntax."""

_PLAIN = frozenset({"", "1", "-", "dimensionless"})
"""Unit strings that mean "a plain number" (ambiguous where the field expects a scale)."""

_PPMVD = re.compile(r"^ppmvd\s*(?:@|at)\s*15\s*%\s*O2(?:\s*,?\s*dry)?$", re.IGNORECASE)
_SQUARE_CUBE = re.compile(r"\b(mm|cm|km|m|ft|in)([23])\b")
_OFFSET_UNITS = {"degree_Celsius", "degree_Fahrenheit", "degree_Reaumur"}
_POWER = re.compile(r"\*\*|\^")
_SMALL_POWER = re.compile(r"(?:\*\*|\^)\s*[-+]?\d(?![\d.eE]|\s*(?:\*\*|\^))")
_MAX_LENGTH = 64


@cache
def registry() -> pint.UnitRegistry[Any]:
    """The one unit registry of the tool, with the project units defined."""
    import pint  # imported on first use: most runs never convert a unit

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


def expected_unit(field_name: str) -> str | None:
    """The unit the name of a field says its value is in (``None``: no unit suffix).

    A whole name of :data:`NAMED_UNITS` comes first; otherwise the longest suffix of
    :data:`SUFFIX_UNITS` that is the whole name or follows an underscore wins
    (``frequency_response_mw_per_0p1hz`` → ``MW/0.1Hz``, not ``Hz``).
    """
    name = field_name.lower()
    if name in NAMED_UNITS:
        return NAMED_UNITS[name]
    best: str | None = None
    for suffix in SUFFIX_UNITS:
        if (name == suffix or name.endswith("_" + suffix)) and (
            best is None or len(suffix) > len(best)
        ):
            best = suffix
    return None if best is None else SUFFIX_UNITS[best]


def _pint_text(unit: str) -> str:
    text = " ".join(unit.split())
    text = _ALIASES.get(text, text)
    if _PPMVD.match(text):
        return "ppmvd"
    text = text.replace("·", "*").replace("short ton", "short_ton").replace("lb-mol", "lbmol")
    return _SQUARE_CUBE.sub(r"\1**\2", text)


@cache
def parse_unit(unit: str) -> pint.Quantity:
    """A unit string as a pint quantity (magnitude 1 unless the unit has a number in it).

    A bracketed list (``[changes/min, % dV/V]``, the columns of a curve) is checked
    part by part and returned as a plain number.

    Raises
    ------
    ValueError
        If the unit (or a part of it) is unknown.
    """
    ureg = registry()
    text = unit.strip()
    if text.startswith("[") and text.endswith("]"):
        for part in text[1:-1].split(","):
            parse_unit(part)
        return ureg.Quantity(1.0, "dimensionless")
    expression = _pint_text(text) or "dimensionless"
    if len(expression) > _MAX_LENGTH or not _small_powers(expression):
        raise ValueError(f"unknown unit {unit!r}")
    try:
        parsed = ureg.parse_expression(expression)
        if not isinstance(parsed, ureg.Quantity):
            parsed = ureg.Quantity(float(parsed), "dimensionless")
        scale = float(parsed.to_root_units().magnitude)
    except Exception:  # pint raises several kinds for a bad string
        raise ValueError(f"unknown unit {unit!r}") from None
    if not (math.isfinite(scale) and scale > 0.0):
        raise ValueError(f"unknown unit {unit!r}")
    return parsed


def _small_powers(expression: str) -> bool:
    """Every power in ``expression`` is a single digit, none stacked (``m**2``, not ``9**9**9``)."""
    powers = len(_POWER.findall(expression))
    return powers == len(_SMALL_POWER.findall(expression))


def _power_kind(unit: str) -> str:
    if re.search("var", unit, re.IGNORECASE):
        return "reactive power"
    if "VA" in unit:
        return "apparent power"
    return ""


def _incompatible(given: str, expected: str, why: str = "") -> ValueError:
    hint = f" ({why})" if why else ""
    return ValueError(f"unit {given!r} is not compatible with the expected unit {expected!r}{hint}")


def _temperature_hint(given: str, expected: pint.Quantity) -> str:
    if given.strip() in ("F", "C") and expected.dimensionality == {"[temperature]": 1}:
        return "write degrees as '°F' / 'degF' or '°C' / 'degC'; 'F' is a farad"
    return ""


def convert(value: float, given_unit: str, expected_unit: str | None, field: str) -> float:
    """``value`` in ``given_unit`` expressed in ``expected_unit`` (the unit of ``field``).

    ``expected_unit`` ``None`` means a dimensionless field or a count; ``field`` is the
    field name (a dotted path is fine), used for the rules of the module docstring.
    An empty ``given_unit`` means "in the expected unit" and changes nothing.

    Raises
    ------
    ValueError
        Naming both units, if ``given_unit`` is unknown or cannot be converted to
        ``expected_unit``.
    """
    try:
        return _convert(value, given_unit, expected_unit, field)
    except ValueError:
        raise
    except Exception as exc:  # pint's arithmetic errors: still one clear message
        expected = "1" if expected_unit is None else expected_unit
        raise _incompatible(given_unit, expected, type(exc).__name__) from None


def _convert(value: float, given_unit: str, expected_unit: str | None, field: str) -> float:
    name = field.rsplit(".", 1)[-1].lower()
    expected = "1" if expected_unit is None else expected_unit
    given = given_unit.strip()
    if given == "" or given == expected:
        return value
    e = parse_unit(expected)
    try:
        g = parse_unit(given)
    except ValueError:
        raise ValueError(f"unknown unit {given!r} (expected {expected!r})") from None
    g_root = g.to_root_units()
    e_root = e.to_root_units()
    plain_given = given in _PLAIN  # "fraction" is not: it says what it is

    if e_root.unitless:  # dimensionless expected: a fraction, a ratio, %, Btu/kWh
        scale = float(e_root.magnitude)
        if math.isclose(scale, 1.0, rel_tol=1e-12):  # a plain number, fraction or ratio
            if g_root.unitless:
                factor = float(g_root.magnitude)
                if math.isclose(factor, 1.0, rel_tol=1e-12):
                    return value
                if name.endswith(_FRACTION_SUFFIXES):
                    return _tidy(value * factor)
                raise _incompatible(
                    given,
                    expected,
                    "a percentage converts only on a fraction field (..._fraction, ..._efficiency)",
                )
            if g_root.dimensionless and _is_count(g_root):
                return value  # a count label on a count or ratio ("GPU", "unit", "cycles")
            raise _incompatible(given, expected, "this field is dimensionless")
        # a scaled dimensionless unit: %, Btu/kWh, ...
        if plain_given:
            raise _incompatible(given, expected, f"a bare number is ambiguous; write {expected!r}")
        if not g_root.unitless:
            raise _incompatible(given, expected)
        factor = float(g_root.magnitude) / scale
        return value if math.isclose(factor, 1.0, rel_tol=1e-12) else _tidy(value * factor)

    # expected has units of its own (dimensional, counts, pu, angles, ppmvd)
    if plain_given:
        if _is_count(e_root) or str(e_root.units) == "pu":
            return value  # a count or a per-unit value written as a plain number
        raise _incompatible(given, expected, f"a bare number is ambiguous; write {expected!r}")
    if g_root.units != e_root.units:
        raise _incompatible(given, expected, _temperature_hint(given, e))
    if _power_kind(given) != _power_kind(expected):
        kinds = (_power_kind(given) or "real power", _power_kind(expected) or "real power")
        raise _incompatible(given, expected, f"{kinds[0]} is not {kinds[1]}")
    ureg = registry()
    g_units = g.units
    if str(g_units) in _OFFSET_UNITS and str(e.units) not in _OFFSET_UNITS:
        if expected_unit == "K":  # a temperature difference: no offset
            g_units = ureg.parse_units(f"delta_{g_units}")
    q = ureg.Quantity(value * float(g.magnitude), g_units).to(e.units)
    return _tidy(float(q.magnitude) / float(e.magnitude))


def convert_value(value: Any, given_unit: str, expected_unit: str | None, field: str) -> Any:
    """:func:`convert` for what a sourced value may hold.

    Numbers are converted (an ``int`` stays an ``int`` when the result is whole), flat
    lists of numbers element by element; for anything else (strings, booleans, nested
    lists such as curves) only the unit string must be known.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | list):
        if given_unit.strip():
            parse_unit(given_unit)
        return value
    if isinstance(value, list):
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            if given_unit.strip():
                parse_unit(given_unit)
            return value
        return [convert_value(v, given_unit, expected_unit, field) for v in value]
    if isinstance(value, int) and _identity(given_unit, expected_unit, field):
        return value  # exact: a huge int must not pass through a float
    out = convert(float(value), given_unit, expected_unit, field)
    if out == value:
        return value
    if isinstance(value, int) and float(out).is_integer():
        return int(out)
    return out


def _identity(given_unit: str, expected_unit: str | None, field: str) -> bool:
    """Whether converting from ``given_unit`` changes no number (factor 1, no offset)."""
    return (
        convert(0.0, given_unit, expected_unit, field) == 0.0
        and convert(1.0, given_unit, expected_unit, field) == 1.0
    )


def _is_count(root: Any) -> bool:
    names = {"GPU", "rack", "unit_count", "count_cycle", "change"}
    return bool(root.dimensionless) and all(u in names for u, _ in root.unit_items())


def _tidy(x: float) -> float:
    """Round off the last bits a conversion leaves (100.00000000000006 → 100.0)."""
    return float(f"{x:.12g}") if math.isfinite(x) else x
