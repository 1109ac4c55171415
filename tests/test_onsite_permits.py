"""Air-permit thresholds (cited data) and the comparison logic."""

from __future__ import annotations

import math

import pytest

from gridimpact.onsite.permits import (
    find_exceedances,
    limits_table,
    load_air_permit_data,
    max_hours_within,
)
from gridimpact.schema import iter_sourced


def test_thresholds_are_the_cited_statutory_values() -> None:
    """40 CFR 70.2 (100 t/yr); 40 CFR 52.21(b)(1)(i)(b) (250 t/yr) and (b)(23)(i) SERs
    (NOx 40, CO 100, VOC 40, PM 25, PM10 15, PM2.5 10, SO2 40); (b)(49)(iv) CO2e 75,000;
    CAA 112(a)(1): 10 / 25 t/yr of HAP."""
    air = load_air_permit_data()
    t = air.thresholds()
    assert t["NOx"] == {
        "title_v_major_source": 100.0,
        "psd_major_source": 250.0,
        "psd_significant_emission_rate": 40.0,
    }
    ser = {
        p: t[p]["psd_significant_emission_rate"]
        for p in ("CO", "VOC", "PM", "PM10", "PM2_5", "SO2")
    }
    assert ser == {"CO": 100.0, "VOC": 40.0, "PM": 25.0, "PM10": 15.0, "PM2_5": 10.0, "SO2": 40.0}
    assert t["CO2e"] == {"psd_significant_emission_rate": 75000.0}
    assert t["formaldehyde"] == {"hap_major_source": 10.0}
    assert t["HAP_total"] == {"hap_major_source": 25.0}
    for name, s in iter_sourced(air):
        assert "CFR" in s.source or "Clean Air Act" in s.source, name
        assert s.confidence == "published", name


LIMITS = limits_table(load_air_permit_data().thresholds(), {"NOx": 87.0, "CO": 94.0})


def test_caps_are_broken_above_thresholds_reached_at() -> None:
    at = find_exceedances({"NOx": 87.0, "CO": 100.0}, LIMITS, compare_caps=True)
    assert [(e["pollutant"], e["limit_kind"]) for e in at] == [
        ("CO", "permit_cap"),
        ("CO", "title_v_major_source"),
    ]
    assert find_exceedances({"NOx": 87.0001}, LIMITS, compare_caps=False) == []


def test_significant_rates_only_for_a_psd_major_scenario() -> None:
    minor = find_exceedances({"NOx": 60.0, "PM2_5": 20.0}, LIMITS, compare_caps=False)
    assert minor == []  # above the SERs, but no pollutant reaches 250 t/yr
    major = find_exceedances({"NOx": 260.0, "PM2_5": 20.0}, LIMITS, compare_caps=False)
    assert {(e["pollutant"], e["limit_kind"]) for e in major} == {
        ("NOx", "title_v_major_source"),
        ("NOx", "psd_major_source"),
        ("NOx", "psd_significant_emission_rate"),
        ("PM2_5", "psd_significant_emission_rate"),
    }
    e = next(x for x in major if x["pollutant"] == "PM2_5")
    assert e["value"] == 20.0 and e["limit"] == 10.0


def test_max_hours_within_limits() -> None:
    # 0.01 t/h NOx against 87 t → 8,700 h; 0.02 t/h CO against 94 t → 4,700 h (binds)
    assert max_hours_within({"NOx": 0.01, "CO": 0.02}, {"NOx": 87.0, "CO": 94.0}) == pytest.approx(
        4700.0
    )
    assert max_hours_within({"NOx": 0.001}, {"NOx": 87.0}) == 8760.0  # never above the year
    assert math.isinf(max_hours_within({"NOx": 0.01}, {}))
