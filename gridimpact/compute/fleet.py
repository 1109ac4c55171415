"""The compute stage: a case's GPU fleet → IT power at peak and hour by hour."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from gridimpact.case.compute import ComputeSection
from gridimpact.compute.it_power import hourly_draw_fraction, it_nameplate_mw
from gridimpact.data.gpus import GpuSystem, load_gpu_catalog


@dataclass(frozen=True)
class ITLoad:
    """IT power of the campus (all powers in MW at the IT equipment)."""

    gpu_model: str
    gpu_count: int
    system: GpuSystem
    racks: int
    it_nameplate_mw: float
    it_peak_mw: float
    it_mean_mw: float
    liquid_fraction: float
    """Share of total IT heat captured by direct-to-chip liquid (-)."""
    hourly_it_mw: pd.Series


def liquid_fraction_of_it(liquid_capture_fraction: float, fabric_storage_fraction: float) -> float:
    """Share of all IT heat that reaches the liquid loop.

    GPU systems send ``liquid_capture_fraction`` of their heat to cold plates;
    fabric, storage and CPU-only racks are air-cooled.

    Parameters
    ----------
    liquid_capture_fraction : float
        Share of GPU-system heat captured by liquid (-).
    fabric_storage_fraction : float
        Fabric/storage power as a fraction of GPU-system power (-).

    Returns
    -------
    float
        Liquid share of total IT heat (-).

    References
    ----------
    .. [1] ASHRAE TC 9.9, "Liquid Cooling Guidelines for Datacom Equipment
       Centers", 2nd ed., 2014 (liquid-captured vs. residual air heat).
    """
    return liquid_capture_fraction / (1.0 + fabric_storage_fraction)


def compute_it_load(section: ComputeSection, index: pd.DatetimeIndex) -> ITLoad:
    """IT power of the fleet in ``section`` on the hourly ``index``."""
    system = load_gpu_catalog().systems[section.gpu_model]
    count = section.gpu_count.value
    nameplate = it_nameplate_mw(
        count, system.nameplate_w_per_gpu, section.fabric_storage_fraction.value
    )
    draw = hourly_draw_fraction(
        index,
        section.peak_draw_fraction.value,
        section.mean_draw_fraction.value,
        section.idle_draw_fraction.value,
    )
    hourly = (draw * nameplate).rename("it_power_mw")
    return ITLoad(
        gpu_model=section.gpu_model,
        gpu_count=count,
        system=system,
        racks=math.ceil(count / system.gpus_per_rack.value),
        it_nameplate_mw=nameplate,
        it_peak_mw=nameplate * section.peak_draw_fraction.value,
        it_mean_mw=float(hourly.mean()),
        liquid_fraction=liquid_fraction_of_it(
            system.liquid_capture_fraction.value, section.fabric_storage_fraction.value
        ),
        hourly_it_mw=hourly,
    )
