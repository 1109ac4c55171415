"""Compute stage: GPU fleet → IT power."""

from gridimpact.compute.catalog import GpuSystem, load_gpu_catalog
from gridimpact.compute.fleet import ITLoad, compute_it_load

__all__ = ["GpuSystem", "ITLoad", "compute_it_load", "load_gpu_catalog"]
