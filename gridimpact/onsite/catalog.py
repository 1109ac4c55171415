"""The gas-turbine catalog (``gridimpact/data/turbines.toml``), validated."""

from __future__ import annotations

from functools import lru_cache

from gridimpact.case.base import Section, SPositiveFloat, SPositiveFraction
from gridimpact.case.validation import validate_model
from gridimpact.data import data_file_path, read_data_toml

CATALOG_FILE = "turbines.toml"


class TurbineModel(Section):
    """One gas-turbine generator set (ISO rating, LHV heat rate)."""

    description: str
    rating_mw: SPositiveFloat
    heat_rate_lhv_btu_per_kwh: SPositiveFloat
    min_load_fraction: SPositiveFraction


class Control(Section):
    """NOx / CO emission factors of one combustor + add-on control set (HHV basis)."""

    description: str
    nox_lb_per_mmbtu: SPositiveFloat
    co_lb_per_mmbtu: SPositiveFloat


class Fuel(Section):
    """Natural-gas properties."""

    hhv_over_lhv: SPositiveFloat
    hhv_btu_per_scf: SPositiveFloat


class CommonFactors(Section):
    """Emission factors common to natural-gas turbines (HHV basis)."""

    voc_lb_per_mmbtu: SPositiveFloat
    pm_lb_per_mmbtu: SPositiveFloat
    formaldehyde_lb_per_mmbtu: SPositiveFloat
    hap_total_lb_per_mmbtu: SPositiveFloat
    co2_lb_per_mmbtu: SPositiveFloat


class TurbineCatalog(Section):
    """All turbine models, control options and fuel data."""

    fuel: Fuel
    common: CommonFactors
    controls: dict[str, Control]
    models: dict[str, TurbineModel]

    def heat_rate_hhv_btu_per_kwh(self, model: str) -> float:
        """Fuel per kWh on the HHV basis of the emission factors (Btu/kWh)."""
        return self.models[model].heat_rate_lhv_btu_per_kwh.value * self.fuel.hhv_over_lhv.value

    def factors_lb_per_mmbtu(self, control: str) -> dict[str, float]:
        """Emission factor of every pollutant for one control option (lb/MMBtu)."""
        c, k = self.controls[control], self.common
        return {
            "NOx": c.nox_lb_per_mmbtu.value,
            "CO": c.co_lb_per_mmbtu.value,
            "VOC": k.voc_lb_per_mmbtu.value,
            "PM": k.pm_lb_per_mmbtu.value,
            "formaldehyde": k.formaldehyde_lb_per_mmbtu.value,
            "HAP_total": k.hap_total_lb_per_mmbtu.value,
            "CO2": k.co2_lb_per_mmbtu.value,
        }


@lru_cache(maxsize=1)
def load_turbine_catalog() -> TurbineCatalog:
    """Load and validate the shipped turbine catalog."""
    return validate_model(
        TurbineCatalog, read_data_toml(CATALOG_FILE), data_file_path(CATALOG_FILE)
    )
