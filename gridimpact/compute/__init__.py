"""Compute stage: GPU fleet → IT power."""

from gridimpact.compute.fleet import ITLoad, compute_it_load
from gridimpact.data.gpus import GpuSystem, load_gpu_catalog

__all__ = ["GpuSystem", "ITLoad", "compute_it_load", "load_gpu_catalog"]
