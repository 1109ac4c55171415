"""Resizing a plant that fails its own design check: more chillers, step by step.

A plant is first sized for the 0.4 % design days (:func:`~gridimpact.thermal.sizing.size_plant`).
It passes its design check when every loop holds its setpoint (the ASHRAE TC 9.9
facility-water class of the liquid loop, the chilled-water setpoint of the air loop)
in every hour of the typical year, on the design day and at the survival points.
A loop whose chillers run out of capacity lets its supply temperature rise by
``ΔT · deficit / heat`` (:func:`~gridimpact.thermal.loops.run_loop`); adding
chillers to that loop is what removes the deficit. Each step adds
``plant.resize_step_fraction`` of the loop's design-day count (at least one unit),
until the check passes or the installed count would exceed
``plant.resize_max_installed_to_needed`` times the design-day count (2N).

Failures more chillers cannot fix are left as they are and named: a loop without
chillers above its class (its cold source and approach set the temperature) and
chillers whose condenser inlet exceeds their operating limit (no capacity at all).

References
----------
.. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.43 Liquid-Chilling
   Systems (multiple-chiller plants, staging), ch.39 Condensers (air-cooled condenser
   capacity falls as the entering air warms) and ch.40 Cooling Towers.
.. [2] ASHRAE TC 9.9, *Emergence and Expansion of Liquid Cooling in Mainstream
   Data Centers* (2021), Table 1: facility water classes W17-W45 (maximum supply).
.. [3] Uptime Institute, *Tier Standard: Topology* (N+1 and 2N component redundancy).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from gridimpact.errors import CaseError
from gridimpact.thermal.loops import LoopSpec, Sizes
from gridimpact.thermal.params import COOLING_FILE, ThermalParameters
from gridimpact.thermal.plant import PlantHours
from gridimpact.thermal.sizing import with_spares

#: Tolerance on a loop's supply temperature above its setpoint (numerical noise), K.
SUPPLY_TOLERANCE_K = 0.05


def chiller_group(loop: LoopSpec) -> str:
    """Name of a loop's chiller group as the design table and the resizing show it."""
    return f"{loop.chillers.replace('_', ' ')} ({loop.name} loop)"


def short_loops(
    p: ThermalParameters, loops: tuple[LoopSpec, ...], checked: Iterable[PlantHours]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Loops whose chillers lack capacity, and failures more chillers cannot fix.

    Parameters
    ----------
    p : ThermalParameters
    loops : tuple of LoopSpec
    checked : iterable of PlantHours
        The installed plant operated over every checked condition (typical year,
        design day, survival points).

    Returns
    -------
    grow : tuple of str
        Names of the loops whose supply rose above setpoint for want of chiller
        capacity (adding chillers lowers it).
    unresizable : tuple of str
        Sentences naming failures adding chillers cannot remove.

    References
    ----------
    .. [1] ASHRAE Handbook--HVAC Systems and Equipment (2020), ch.43 (multiple-chiller plants).
    """
    sets = tuple(checked)
    grow: list[str] = []
    fixed: list[str] = []
    for loop in loops:
        supply = np.concatenate([h.loops[loop.name].supply_c for h in sets])
        over = float(np.max(supply - loop.supply_c, initial=0.0))
        if over <= SUPPLY_TOLERANCE_K:
            continue
        if not loop.chillers:
            fixed.append(
                f"{loop.name} loop has no chillers: its cold source holds it up to "
                f"{over:.1f} K above {loop.supply_c:.0f} °C (a smaller approach, chiller "
                "trim or another class is needed, not more units)"
            )
            continue
        cond = np.concatenate([h.loops[loop.name].condenser_c for h in sets])
        limit = p.f(f"{loop.chillers}.max_entering_condenser_c")
        if float(np.nanmax(cond)) > limit:
            fixed.append(
                f"{chiller_group(loop)}: condenser inlet {float(np.nanmax(cond)):.1f} °C above "
                f"the {limit:.0f} °C operating limit (no capacity there, however many units)"
            )
            continue
        grow.append(loop.name)
    return tuple(grow), tuple(fixed)


def resize_limits(p: ThermalParameters) -> tuple[float, float]:
    """Step fraction and cap of the resizing, validated.

    Returns
    -------
    tuple of float
        ``(step_fraction, max_installed_to_needed)``.

    Raises
    ------
    CaseError
        A value outside (0, 1] for the step or below 1 for the cap.
    """
    step = p.f("plant.resize_step_fraction")
    cap = p.f("plant.resize_max_installed_to_needed")
    where = f"gridimpact/data/{COOLING_FILE}"
    if not 0.0 < step <= 1.0:
        raise CaseError(where, "plant.resize_step_fraction", f"must be in (0, 1], got {step}")
    if cap < 1.0:
        raise CaseError(where, "plant.resize_max_installed_to_needed", f"must be >= 1, got {cap}")
    return step, cap


def grown_sizes(
    p: ThermalParameters, initial: Sizes, current: Sizes, grow: tuple[str, ...]
) -> Sizes | None:
    """The plant one resizing step larger, or ``None`` when the cap forbids the step.

    Each loop in ``grow`` gains ``max(1, ceil(step · N0))`` needed units, ``N0`` its
    design-day count; installed = needed + one spare per block. The step is refused
    when any grown loop would install more than ``cap · N0`` units (``cap`` = 2: 2N).

    Parameters
    ----------
    p : ThermalParameters
    initial : Sizes
        The plant as first sized at the design days.
    current : Sizes
        The plant of the previous step.
    grow : tuple of str
        Loops to grow.

    Returns
    -------
    Sizes or None

    References
    ----------
    .. [1] Uptime Institute, *Tier Standard: Topology* (N+1, 2N).
    """
    step, cap = resize_limits(p)
    spare = p.f("plant.units_per_redundant_spare")
    needed = dict(current.chillers_needed)
    installed = dict(current.chillers_installed)
    for name in grow:
        n0 = max(initial.chillers_needed.get(name, 0), 1)
        n = needed.get(name, 0) + max(1, math.ceil(step * n0 - 1e-9))
        if with_spares(n, spare) > cap * n0 + 1e-9:
            return None
        needed[name] = n
        installed[name] = with_spares(n, spare)
    return replace(current, chillers_needed=needed, chillers_installed=installed)
