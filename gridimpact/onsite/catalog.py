"""The gas-turbine catalog (``gridimpact/data/turbines.toml``), validated."""

from __future__ import annotations

from functools import lru_cache

from pydantic import model_validator

from gridimpact.data import load_validated
from gridimpact.onsite.emissions import (
    MOLAR_MASS_LB_PER_LBMOL,
    co2e_lb_per_mmbtu,
    ppmvd_to_lb_per_mmbtu,
)
from gridimpact.schema import Section, SPositiveFloat, SPositiveFraction

CATALOG_FILE = "turbines.toml"

POLLUTANTS: tuple[str, ...] = (
    "NOx",
    "CO",
    "VOC",
    "PM",
    "PM10",
    "PM2_5",
    "SO2",
    "formaldehyde",
    "HAP_total",
    "CO2",
    "CO2e",
)
"""Every pollutant the on-site stage reports, in report order (PM2_5 is PM2.5)."""


class TurbineModel(Section):
    """One gas-turbine generator set (ISO rating, LHV heat rate)."""

    description: str
    rating_mw: SPositiveFloat
    heat_rate_lhv_btu_per_kwh: SPositiveFloat
    min_load_fraction: SPositiveFraction


class Control(Section):
    """NOx / CO of one combustor + add-on control set.

    Each pollutant is given either as an AP-42 factor (lb/MMBtu, HHV) or as a
    stack concentration (ppmvd at 15 % O2), never both.
    """

    description: str
    nox_lb_per_mmbtu: SPositiveFloat | None = None
    co_lb_per_mmbtu: SPositiveFloat | None = None
    nox_ppmvd_at_15pct_o2: SPositiveFloat | None = None
    co_ppmvd_at_15pct_o2: SPositiveFloat | None = None

    @model_validator(mode="after")
    def _one_basis_each(self) -> Control:
        for gas in ("nox", "co"):
            given = [
                getattr(self, f"{gas}_lb_per_mmbtu") is not None,
                getattr(self, f"{gas}_ppmvd_at_15pct_o2") is not None,
            ]
            if sum(given) != 1:
                raise ValueError(f"give exactly one of {gas}_lb_per_mmbtu, {gas}_ppmvd_at_15pct_o2")
        return self


class Fuel(Section):
    """Natural-gas properties and the EPA Method 19 constants."""

    hhv_over_lhv: SPositiveFloat
    hhv_btu_per_scf: SPositiveFloat
    fd_dscf_per_mmbtu: SPositiveFloat
    o2_reference_percent: SPositiveFloat
    o2_ambient_percent: SPositiveFloat
    molar_volume_scf_per_lbmol: SPositiveFloat


class CommonFactors(Section):
    """Emission factors common to natural-gas turbines (HHV basis)."""

    voc_lb_per_mmbtu: SPositiveFloat
    pm_lb_per_mmbtu: SPositiveFloat
    so2_lb_per_mmbtu: SPositiveFloat
    formaldehyde_lb_per_mmbtu: SPositiveFloat
    hap_total_lb_per_mmbtu: SPositiveFloat
    co2_lb_per_mmbtu: SPositiveFloat
    ch4_lb_per_mmbtu: SPositiveFloat
    n2o_lb_per_mmbtu: SPositiveFloat


class TurbineCatalog(Section):
    """All turbine models, control options and fuel data."""

    fuel: Fuel
    common: CommonFactors
    controls: dict[str, Control]
    models: dict[str, TurbineModel]

    def heat_rate_hhv_btu_per_kwh(self, model: str) -> float:
        """Fuel per kWh on the HHV basis of the emission factors (Btu/kWh)."""
        return self.models[model].heat_rate_lhv_btu_per_kwh.value * self.fuel.hhv_over_lhv.value

    def ppmvd_to_lb_per_mmbtu(self, gas: str, ppmvd: float) -> float:
        """A concentration at 15 % O2 (dry) as lb/MMBtu by EPA Method 19 (``gas``: NOx, CO)."""
        f = self.fuel
        return float(
            ppmvd_to_lb_per_mmbtu(
                ppmvd,
                MOLAR_MASS_LB_PER_LBMOL[gas],
                f.fd_dscf_per_mmbtu.value,
                f.o2_reference_percent.value,
                f.o2_ambient_percent.value,
                f.molar_volume_scf_per_lbmol.value,
            )
        )

    def nox_co_lb_per_mmbtu(self, control: str) -> dict[str, float]:
        """NOx and CO factors of one control option (lb/MMBtu, HHV)."""
        c = self.controls[control]
        out = {}
        for gas, lb, ppm in (
            ("NOx", c.nox_lb_per_mmbtu, c.nox_ppmvd_at_15pct_o2),
            ("CO", c.co_lb_per_mmbtu, c.co_ppmvd_at_15pct_o2),
        ):
            if lb is not None:
                out[gas] = lb.value
            else:
                assert ppm is not None  # the validator guarantees one of the two
                out[gas] = self.ppmvd_to_lb_per_mmbtu(gas, ppm.value)
        return out

    def factors_lb_per_mmbtu(
        self, control: str, gwp_ch4: float, gwp_n2o: float
    ) -> dict[str, float]:
        """Emission factor of every pollutant in :data:`POLLUTANTS` (lb/MMBtu, HHV).

        PM10 and PM2.5 equal total PM (AP-42 Table 3.1-2a footnote: all turbine PM
        is below 1 µm); CO2e = CO2 + GWP_CH4 · CH4 + GWP_N2O · N2O.
        """
        k = self.common
        return {
            **self.nox_co_lb_per_mmbtu(control),
            "VOC": k.voc_lb_per_mmbtu.value,
            "PM": k.pm_lb_per_mmbtu.value,
            "PM10": k.pm_lb_per_mmbtu.value,
            "PM2_5": k.pm_lb_per_mmbtu.value,
            "SO2": k.so2_lb_per_mmbtu.value,
            "formaldehyde": k.formaldehyde_lb_per_mmbtu.value,
            "HAP_total": k.hap_total_lb_per_mmbtu.value,
            "CO2": k.co2_lb_per_mmbtu.value,
            "CO2e": co2e_lb_per_mmbtu(
                k.co2_lb_per_mmbtu.value,
                k.ch4_lb_per_mmbtu.value,
                k.n2o_lb_per_mmbtu.value,
                gwp_ch4,
                gwp_n2o,
            ),
        }


@lru_cache(maxsize=1)
def load_turbine_catalog() -> TurbineCatalog:
    """Load and validate the shipped turbine catalog."""
    return load_validated(CATALOG_FILE, TurbineCatalog)
