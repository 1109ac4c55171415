"""Thermal: cooling-plant architectures, sizing at design conditions, hourly power and water.

Public API: :func:`run_thermal` and :class:`ThermalResult`.
"""

from gridimpact.thermal.model import ThermalResult, run_thermal

__all__ = ["ThermalResult", "run_thermal"]
