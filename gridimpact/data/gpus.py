"""The GPU-system catalog (``gridimpact/data/gpus.toml``), validated."""

from __future__ import annotations

from functools import lru_cache

from gridimpact.data import load_validated
from gridimpact.schema import Section, SFraction, SPositiveFloat, SPositiveInt

CATALOG_FILE = "gpus.toml"


class GpuSystem(Section):
    """One GPU system type: the GPU, the box it sits in, and the rack."""

    description: str
    gpu_tdp_w: SPositiveFloat
    system_max_power_w: SPositiveFloat
    gpus_per_system: SPositiveInt
    gpus_per_rack: SPositiveInt
    liquid_capture_fraction: SFraction

    @property
    def host_overhead_w_per_gpu(self) -> float:
        """System power that is not GPU TDP, per GPU (W)."""
        return self.system_max_power_w.value / self.gpus_per_system.value - self.gpu_tdp_w.value

    @property
    def nameplate_w_per_gpu(self) -> float:
        """System maximum power per GPU (W)."""
        return self.system_max_power_w.value / self.gpus_per_system.value

    @property
    def rack_power_kw(self) -> float:
        """Rack power at system maximum (kW)."""
        return self.nameplate_w_per_gpu * self.gpus_per_rack.value / 1000.0


class GpuCatalog(Section):
    """All systems of the catalog, by model key."""

    systems: dict[str, GpuSystem]


@lru_cache(maxsize=1)
def load_gpu_catalog() -> GpuCatalog:
    """Load and validate the shipped GPU catalog."""
    return load_validated(CATALOG_FILE, GpuCatalog)
