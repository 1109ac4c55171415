"""Case table ``[compute]``: the GPU fleet and how hard it runs."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from gridimpact.case.bounds import Fraction, PositiveFraction
from gridimpact.data.gpus import load_gpu_catalog
from gridimpact.schema import Section, Sourced

MAX_GPUS = 100_000_000

GpuCount = Annotated[int, Field(gt=0, le=MAX_GPUS)]


class ComputeSection(Section):
    """GPU count and model, and the factors that turn nameplate into IT draw.

    ``gpu_model`` is a key of the hardware catalog (``gridimpact/data/gpus.toml``).
    """

    gpu_model: str
    gpu_count: Sourced[GpuCount]
    """GPUs on the campus.

    1 to 10⁸ GPUs: 100× the largest announced campus (1,000,000 GPUs).
    """
    peak_draw_fraction: Sourced[PositiveFraction]
    """Sustained draw of a GPU system at its busiest hour, as a fraction of nameplate.

    (0, 1]: a system cannot draw more than its nameplate for an hour.
    """
    mean_draw_fraction: Sourced[PositiveFraction]
    """Year-average draw as a fraction of nameplate (training, idle, maintenance).

    (0, 1]: between idle and peak draw, at most nameplate.
    """
    idle_draw_fraction: Sourced[Fraction]
    """Draw during maintenance / idle windows as a fraction of nameplate.

    [0, 1]: from switched off to nameplate (at most the mean draw).
    """
    fabric_storage_fraction: Sourced[Fraction]
    """Network fabric, storage and CPU-only racks, as a fraction of GPU-system power.

    [0, 1]: up to as much as the GPU systems (typically 5-10 %).
    """

    sensitivity_gpu_models: tuple[str, ...] = Field(default=(), max_length=16)
    """Other catalog systems to study beside ``gpu_model`` (same count and draw fractions).

    Keys of ``gridimpact/data/gpus.toml``; at most 16 (each is a full compute → thermal →
    facility run).
    """

    @field_validator("sensitivity_gpu_models")
    @classmethod
    def _known_models(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        systems = load_gpu_catalog().systems
        unknown = [m for m in value if m not in systems]
        if unknown:
            known = ", ".join(sorted(systems))
            raise ValueError(f"unknown GPU model {unknown[0]!r} (known: {known})")
        if len(set(value)) != len(value):
            raise ValueError("a GPU model is listed twice")
        return value

    @model_validator(mode="after")
    def _ordered_draws(self) -> ComputeSection:
        idle, mean, peak = (
            self.idle_draw_fraction.value,
            self.mean_draw_fraction.value,
            self.peak_draw_fraction.value,
        )
        if not idle <= mean <= peak:
            raise ValueError(
                "draw fractions must satisfy idle_draw_fraction <= mean_draw_fraction"
                f" <= peak_draw_fraction (got {idle} <= {mean} <= {peak})"
            )
        return self
