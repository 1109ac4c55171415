"""The facility stage: IT + cooling + electrical chain → hourly MW/Mvar at the POI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from gridimpact.case.facility import FacilitySection
from gridimpact.compute import ITLoad
from gridimpact.facility.power import (
    facility_power_mw,
    power_usage_effectiveness,
    reactive_power_mvar,
    ups_loss_mw,
)

if TYPE_CHECKING:
    from gridimpact.thermal import ThermalResult

COLUMNS = (
    "it_power_mw",
    "cooling_power_mw",
    "ups_loss_mw",
    "misc_power_mw",
    "transformer_loss_mw",
    "facility_power_mw",
    "facility_q_mvar",
)


@dataclass(frozen=True)
class FacilityLoad:
    """Campus load at the POI: the hourly year and the design day."""

    hourly: pd.DataFrame
    design_day: pd.DataFrame
    peak_mw: float
    """Planning peak: the larger of the design-day and the hourly-year maximum."""
    peak_q_mvar: float
    annual_energy_gwh: float
    pue_annual: float
    pue_design_day: float
    peak_mw_design_day: float
    """Highest hour of the ASHRAE 0.4 % design day (plant at design weather) (MW)."""
    peak_mw_year: float
    """Highest hour of the weather year (MW)."""
    peak_hour_year: pd.Timestamp
    """The weather-year hour of ``peak_mw_year``."""
    peak_hour_design_day: pd.Timestamp
    """The design-day hour of ``peak_mw_design_day``."""

    @property
    def peak_from_design_day(self) -> bool:
        """True when the planning peak is the design day's (else the year's peak hour)."""
        return self.peak_mw_design_day >= self.peak_mw_year

    @property
    def peak_hour_label(self) -> str:
        """The hour of the planning peak in words, e.g. ``"design day 15:00"``."""
        if self.peak_from_design_day:
            return f"ASHRAE 0.4 % design day, {self.peak_hour_design_day:%H:%M}"
        return f"weather-year peak hour, {self.peak_hour_year:%d %b %H:%M}"

    @property
    def hourly_pue(self) -> pd.Series:
        """PUE hour by hour: facility power over IT power (ISO/IEC 30134-2:2016)."""
        h = self.hourly
        return (h["facility_power_mw"] / h["it_power_mw"]).rename("pue")


def electrical_loss_heat_mw(section: FacilitySection, it: ITLoad) -> pd.Series:
    """Heat inside the buildings besides IT, hour by hour (MW): UPS losses plus lighting
    and building services. Transformer losses are left out: the POI substation and
    pad-mount transformers reject theirs outdoors.
    """
    ups = ups_loss_mw(it.hourly_it_mw, section.ups_efficiency.value)
    return (ups + misc_power_mw(section, it)).rename("electrical_loss_heat_mw")


def misc_power_mw(section: FacilitySection, it: ITLoad) -> float:
    """Lighting, offices and building services: a constant share of peak IT power (MW)."""
    return section.misc_load_fraction.value * it.it_peak_mw


def _table(
    section: FacilitySection, it_mw: pd.Series, cooling_mw: pd.Series, misc_mw: float
) -> pd.DataFrame:
    ups = section.ups_efficiency.value
    tx = section.transformer_efficiency.value
    p_mw = facility_power_mw(it_mw, cooling_mw, misc_mw, ups, tx)
    table = pd.DataFrame(
        {
            "it_power_mw": it_mw,
            "cooling_power_mw": cooling_mw,
            "ups_loss_mw": ups_loss_mw(it_mw, ups),
            "misc_power_mw": misc_mw,
            "transformer_loss_mw": p_mw * (1.0 - tx),
            "facility_power_mw": p_mw,
            "facility_q_mvar": reactive_power_mvar(p_mw, section.power_factor.value),
        },
        index=it_mw.index,
    )
    return table[list(COLUMNS)]


def compute_facility_load(
    section: FacilitySection, it: ITLoad, thermal: ThermalResult
) -> FacilityLoad:
    """Hourly and design-day campus load at the POI."""
    misc_mw = misc_power_mw(section, it)
    hourly = _table(section, it.hourly_it_mw, thermal.hourly["cooling_power_mw"], misc_mw)
    dd_it = pd.Series(it.it_peak_mw, index=thermal.design_day.index, name="it_power_mw")
    design_day = _table(section, dd_it, thermal.design_day["cooling_power_mw"], misc_mw)
    dd_p = design_day["facility_power_mw"]
    year_p = hourly["facility_power_mw"]
    peak = max(float(dd_p.max()), float(year_p.max()))
    return FacilityLoad(
        hourly=hourly,
        design_day=design_day,
        peak_mw=peak,
        peak_q_mvar=float(reactive_power_mvar(peak, section.power_factor.value)),
        annual_energy_gwh=float(hourly["facility_power_mw"].sum()) / 1000.0,
        pue_annual=power_usage_effectiveness(
            float(hourly["facility_power_mw"].sum()), float(hourly["it_power_mw"].sum())
        ),
        pue_design_day=power_usage_effectiveness(
            float(design_day["facility_power_mw"].sum()),
            float(design_day["it_power_mw"].sum()),
        ),
        peak_mw_design_day=float(dd_p.max()),
        peak_mw_year=float(year_p.max()),
        peak_hour_year=pd.Timestamp(year_p.idxmax()),
        peak_hour_design_day=pd.Timestamp(dd_p.idxmax()),
    )
