"""Case table ``[compute]``: the GPU fleet and how hard it runs."""

from __future__ import annotations

from pydantic import model_validator

from gridimpact.schema import Section, SFraction, SPositiveFraction, SPositiveInt


class ComputeSection(Section):
    """GPU count and model, and the factors that turn nameplate into IT draw.

    ``gpu_model`` is a key of the hardware catalog (``gridimpact/data/gpus.toml``).
    """

    gpu_model: str
    gpu_count: SPositiveInt
    peak_draw_fraction: SPositiveFraction
    """Sustained draw of a GPU system at its busiest hour, as a fraction of nameplate."""
    mean_draw_fraction: SPositiveFraction
    """Year-average draw as a fraction of nameplate (training, idle, maintenance)."""
    idle_draw_fraction: SFraction
    """Draw during maintenance / idle windows as a fraction of nameplate."""
    fabric_storage_fraction: SFraction
    """Network fabric, storage and CPU-only racks, as a fraction of GPU-system power."""

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
