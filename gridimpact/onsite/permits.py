"""Air-permit limits and thresholds, and the comparison of emissions with them.

Limit kinds (``limit_kind``):

- ``permit_cap``: the case's permit cap (12-month rolling), exceeded above the cap;
- ``title_v_major_source``: Title V major source, PTE ≥ 100 t/yr of a regulated pollutant;
- ``psd_major_source``: PSD major stationary source, PTE ≥ 250 t/yr (unlisted category);
- ``psd_significant_emission_rate``: a pollutant subject to PSD review at a PSD major
  source (only reported when the scenario is PSD major for some pollutant);
- ``hap_major_source``: 10 t/yr of one HAP (formaldehyde), 25 t/yr of all HAPs.

Thresholds apply to potential to emit; scenarios of actual operation (backup, the
interim fleet) are compared with them for scale.

References
----------
.. [1] 40 CFR 70.2 (Title V major source); 40 CFR 52.21(b)(1), (b)(23), (b)(49) (PSD);
   Clean Air Act 112(a)(1) and 40 CFR 63.2 (HAP major source).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from gridimpact.data import load_validated
from gridimpact.schema import Section, SPositiveFloat

PERMITS_FILE = "air_permits.toml"

LIMIT_KINDS = (
    "permit_cap",
    "title_v_major_source",
    "psd_major_source",
    "psd_significant_emission_rate",
    "hap_major_source",
)
CRITERIA = ("NOx", "CO", "VOC", "PM", "PM10", "PM2_5", "SO2")
"""Regulated NSR pollutants counted for Title V and PSD applicability."""


class _TitleV(Section):
    major_source_tons_per_year: SPositiveFloat


class _Psd(Section):
    major_source_tons_per_year: SPositiveFloat
    nox_tons_per_year: SPositiveFloat
    co_tons_per_year: SPositiveFloat
    voc_tons_per_year: SPositiveFloat
    pm_tons_per_year: SPositiveFloat
    pm10_tons_per_year: SPositiveFloat
    pm2_5_tons_per_year: SPositiveFloat
    so2_tons_per_year: SPositiveFloat
    co2e_tons_per_year: SPositiveFloat


class _Hap(Section):
    single_tons_per_year: SPositiveFloat
    total_tons_per_year: SPositiveFloat


class _Gwp(Section):
    ch4: SPositiveFloat
    n2o: SPositiveFloat


class _Mitigation(Section):
    control: str


class AirPermitData(Section):
    """``gridimpact/data/air_permits.toml``: thresholds, GWPs, mitigation control."""

    title_v: _TitleV
    psd: _Psd
    hap: _Hap
    gwp: _Gwp
    mitigation: _Mitigation

    def thresholds(self) -> dict[str, dict[str, float]]:
        """Statutory thresholds by pollutant and limit kind (short t/yr)."""
        tv, psd, hap = self.title_v, self.psd, self.hap
        ser = {
            "NOx": psd.nox_tons_per_year.value,
            "CO": psd.co_tons_per_year.value,
            "VOC": psd.voc_tons_per_year.value,
            "PM": psd.pm_tons_per_year.value,
            "PM10": psd.pm10_tons_per_year.value,
            "PM2_5": psd.pm2_5_tons_per_year.value,
            "SO2": psd.so2_tons_per_year.value,
        }
        out: dict[str, dict[str, float]] = {
            p: {
                "title_v_major_source": tv.major_source_tons_per_year.value,
                "psd_major_source": psd.major_source_tons_per_year.value,
                "psd_significant_emission_rate": ser[p],
            }
            for p in CRITERIA
        }
        out["formaldehyde"] = {"hap_major_source": hap.single_tons_per_year.value}
        out["HAP_total"] = {"hap_major_source": hap.total_tons_per_year.value}
        out["CO2e"] = {"psd_significant_emission_rate": psd.co2e_tons_per_year.value}
        out["CO2"] = {}
        return out


@lru_cache(maxsize=1)
def load_air_permit_data() -> AirPermitData:
    """Load and validate ``air_permits.toml``."""
    return load_validated(PERMITS_FILE, AirPermitData)


def limits_table(
    thresholds: Mapping[str, Mapping[str, float]], caps: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    """Every limit by pollutant and kind: thresholds plus the case's permit caps."""
    out = {p: dict(kinds) for p, kinds in thresholds.items()}
    for p, cap in caps.items():
        out.setdefault(p, {})["permit_cap"] = cap
    return out


def _exceeds(kind: str, value: float, limit: float) -> bool:
    # a cap is broken above it; a major-source threshold is reached at it
    return value > limit if kind == "permit_cap" else value >= limit


def find_exceedances(
    tons: Mapping[str, float],
    limits: Mapping[str, Mapping[str, float]],
    *,
    compare_caps: bool,
) -> list[dict[str, Any]]:
    """Limits reached or exceeded by one scenario's tons per pollutant.

    Returns ``{pollutant, value, limit, limit_kind}`` records in pollutant order of
    ``tons`` and limit order of :data:`LIMIT_KINDS`. PSD significant emission rates
    are listed only when some pollutant reaches the PSD major-source threshold;
    permit caps only with ``compare_caps``.
    """
    psd_major = any(
        _exceeds("psd_major_source", tons[p], limits[p]["psd_major_source"])
        for p in tons
        if "psd_major_source" in limits.get(p, {})
    )
    out = []
    for p, value in tons.items():
        for kind in LIMIT_KINDS:
            limit = limits.get(p, {}).get(kind)
            if limit is None or (kind == "permit_cap" and not compare_caps):
                continue
            if kind == "psd_significant_emission_rate" and not psd_major:
                continue
            if _exceeds(kind, value, limit):
                out.append({"pollutant": p, "value": value, "limit": limit, "limit_kind": kind})
    return out


def max_hours_within(
    tons_per_hour: Mapping[str, float], limits_tons_per_year: Mapping[str, float]
) -> float:
    """Largest yearly hours at full load that keep every pollutant under its limit (h/yr).

    ``min_p limit_p / rate_p``, at most 8,760 h; ``inf`` when no pollutant is limited.
    """
    hours = [
        limits_tons_per_year[p] / rate
        for p, rate in tons_per_hour.items()
        if p in limits_tons_per_year and rate > 0.0
    ]
    return min([*hours, 8760.0]) if hours else math.inf
