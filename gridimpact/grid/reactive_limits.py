"""Generator reactive-power limits in the fast engine: the PV -> PQ outer loop.

lightsim2grid 1.2.0 holds every voltage-regulating (PV) generator at its
voltage set-point whatever reactive power that takes: it runs no reactive-limit
outer loop itself (``LSGrid.set_gen_can_be_pv`` only flags units a caller
pinned). This module adds the standard one-directional loop of MATPOWER's
``runpf`` (``ENFORCE_Q_LIMS``) and ``pandapower.runpp(enforce_q_lims=True)``:

1. solve the power flow with every generator PV;
2. every non-slack, in-service generator whose reactive output lies outside
   ``[min_q_mvar, max_q_mvar]`` (all violations at once) is switched to a
   fixed injection at (P, violated limit), i.e. its bus becomes PQ unless
   another generator still regulates it;
3. re-solve (warm start) and repeat until no unit violates; each pass pins at
   least one more unit, so the loop ends after at most ``n_limited + 1`` solves.
   A pinned unit is never released (one-directional, as MATPOWER and pandapower).

The slack (external grid, slack generators) is not limited.

How a unit is pinned without rebuilding the grid model: before conversion
(:func:`build_lsgrid_with_q_limits`) every generator with a finite limit gets
one companion static generator at its bus, zero and **out of service** (it
changes nothing: same admittance matrix, same injections; lightsim2grid's time
series tiles ``get_sgen_target_p``, which is 0 for them; the pandapower net the
short circuit uses never holds them). Pinning unit *i* deactivates generator
*i* and reactivates its companion at (P_i, Q_limit). Networks without finite
generator Q limits get no companions and solve exactly as before.

The pandapower fallback engine (:class:`~gridimpact.grid.engine_pandapower.PandapowerGrid`)
calls ``pandapower.runpp(enforce_q_lims=True)`` instead.

References
----------
.. [1] R. D. Zimmerman, C. E. Murillo-Sanchez, "MATPOWER User's Manual",
   version 7.1, 2020, section 4.1 (``pf.enforce_q_lims``: generators exceeding
   their reactive limits are converted to PQ at the limit and the power flow is
   re-run).
.. [2] pandapower documentation, "Power Flow" (``runpp``, ``enforce_q_lims``),
   https://pandapower.readthedocs.io/en/latest/powerflow/ac.html
.. [3] B. Donnot, "LightSim2grid", https://lightsim2grid.readthedocs.io
   (``LSGrid.deactivate_gen``, ``reactivate_sgen``, ``change_q_sgen``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandapower as pp

from gridimpact.grid import engine_pandapower

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ComplexArray = npt.NDArray[np.complex128]

COMPANION_PREFIX = "gridimpact q-limit companion of gen "
"""Name prefix of the companion static generators (followed by ``<index>: <name>``)."""
Q_TOLERANCE_MVAR = 1e-4
"""A unit violates its limit when it exceeds it by more than this (numerical noise)."""
VM_TOLERANCE_PU = 1e-6
"""Voltage tolerance of the outage re-check (a PV bus holds its set-point to ~1e-8 pu)."""


def has_q_limits(net: pp.pandapowerNet) -> bool:
    """Whether any in-service, non-slack generator of ``net`` has a finite Q limit."""
    return bool(_limited_gens(net).any())


def _limited_gens(net: pp.pandapowerNet) -> BoolArray:
    gen = net.gen
    if not len(gen):
        return np.zeros(0, dtype=bool)
    lo = gen["min_q_mvar"].to_numpy(float) if "min_q_mvar" in gen else np.full(len(gen), np.nan)
    hi = gen["max_q_mvar"].to_numpy(float) if "max_q_mvar" in gen else np.full(len(gen), np.nan)
    slack = gen["slack"].to_numpy(bool) if "slack" in gen else np.zeros(len(gen), dtype=bool)
    finite = np.isfinite(lo) | np.isfinite(hi)
    return np.asarray(finite & ~slack & gen["in_service"].to_numpy(bool), dtype=bool)


def with_q_limit_companions(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """A copy of ``net`` with one zero, out-of-service static generator per limited generator.

    Parameters
    ----------
    net : pandapowerNet
        Network (not modified).

    Returns
    -------
    pandapowerNet
        ``net`` itself when no generator has a finite Q limit, else a copy whose
        ``sgen`` table ends with the companions, named
        ``COMPANION_PREFIX + "<gen position>: <gen name>"``.
    """
    limited = _limited_gens(net)
    if not limited.any():
        return net
    out = copy.deepcopy(net)
    for pos in np.flatnonzero(limited):
        name = net.gen.name.iloc[pos]
        label = f"gen {pos}" if name is None or str(name) in ("", "nan", "None") else str(name)
        pp.create_sgen(
            out,
            int(net.gen.bus.iloc[pos]),
            p_mw=0.0,
            q_mvar=0.0,
            in_service=False,
            name=f"{COMPANION_PREFIX}{pos}: {label}",
        )
    return out


def build_lsgrid_with_q_limits(net: pp.pandapowerNet) -> Any:
    """Convert ``net`` to a lightsim2grid ``LSGrid`` with the Q-limit companions.

    The static generators keep their pandapower names in the ``LSGrid`` (that is
    how :func:`limits_of` finds the companions). Without finite generator Q
    limits this is exactly :func:`gridimpact.grid.engine.build_lsgrid`.
    """
    from gridimpact.grid.engine import build_lsgrid

    work = with_q_limit_companions(net)
    grid = build_lsgrid(work)
    if work is not net:
        grid.set_sgen_names([str(n) for n in work.sgen.name])
    return grid


@dataclass(frozen=True)
class GenLimits:
    """The limited generators of a grid model and their companions.

    Attributes
    ----------
    gen : ndarray of int
        Generator positions (pandapower ``gen`` order = lightsim2grid order).
    companion : ndarray of int
        Static-generator position of each one's companion.
    min_q_mvar, max_q_mvar : ndarray
        Limits (``-inf``/``inf`` where the network gives none).
    target_vm_pu : ndarray
        Voltage set-points.
    names : tuple of str
    bus : ndarray of int
        Bus of each generator (also while pinned: lightsim2grid reports -1 for a
        disconnected element, so the companion's bus is used then).
    """

    gen: IntArray
    companion: IntArray
    min_q_mvar: FloatArray
    max_q_mvar: FloatArray
    target_vm_pu: FloatArray
    names: tuple[str, ...]
    bus: IntArray


def limits_of(grid: Any) -> GenLimits | None:
    """Limited generators of an ``LSGrid`` built by :func:`build_lsgrid_with_q_limits`.

    Returns None when the grid has no companions (no limits to enforce).
    """
    if engine_pandapower.is_pandapower_grid(grid):
        return None
    rows = []
    for j, sgen in enumerate(grid.get_static_generators()):
        name = str(sgen.name)
        if name.startswith(COMPANION_PREFIX):
            pos, _, label = name[len(COMPANION_PREFIX) :].partition(": ")
            rows.append((int(pos), j, label))
    if not rows:
        return None
    gens = list(grid.get_generators())
    sgens = list(grid.get_static_generators())
    idx = np.array([r[0] for r in rows], dtype=np.int64)
    bus = [gens[pos].bus_id if gens[pos].bus_id >= 0 else sgens[j].bus_id for pos, j, _ in rows]
    lo = np.array([gens[i].min_q_mvar for i in idx], dtype=float)
    hi = np.array([gens[i].max_q_mvar for i in idx], dtype=float)
    return GenLimits(
        gen=idx,
        companion=np.array([r[1] for r in rows], dtype=np.int64),
        min_q_mvar=np.where(np.isnan(lo), -np.inf, lo),
        max_q_mvar=np.where(np.isnan(hi), np.inf, hi),
        target_vm_pu=np.array([gens[i].target_vm_pu for i in idx], dtype=float),
        names=tuple(r[2] for r in rows),
        bus=np.array(bus, dtype=np.int64),
    )


@dataclass(frozen=True)
class Pinned:
    """Generators held at a reactive limit (positions into :class:`GenLimits` arrays).

    Attributes
    ----------
    mask : ndarray of bool
        Per limited generator: pinned.
    at_max : ndarray of bool
        Per limited generator: pinned at ``max_q_mvar`` (else at ``min_q_mvar``).
    names : tuple of str
        Names of the pinned generators, in generator order.
    """

    mask: BoolArray
    at_max: BoolArray
    names: tuple[str, ...]


def _ac_pf(grid: Any, v_init: ComplexArray, max_iter: int, tol_pu: float) -> ComplexArray:
    try:
        v = np.asarray(grid.ac_pf(v_init, max_iter, tol_pu))
    except RuntimeError:
        return np.zeros(0, dtype=np.complex128)
    if v.shape[0] == 0 or not np.all(np.isfinite(v)):
        return np.zeros(0, dtype=np.complex128)
    return v


def pin(grid: Any, limits: GenLimits, units: IntArray, q_mvar: FloatArray) -> None:
    """Replace limited generators ``units`` (positions in ``limits``) by fixed (P, Q) injections.

    Parameters
    ----------
    grid : LSGrid
        Modified in place.
    units : ndarray of int
        Positions into the :class:`GenLimits` arrays.
    q_mvar : ndarray
        Reactive injection of each (its violated limit), Mvar.
    """
    target_p = np.asarray(grid.get_gen_target_p(), float)
    for k, q in zip(units, q_mvar, strict=True):
        gen, sgen = int(limits.gen[k]), int(limits.companion[k])
        grid.deactivate_gen(gen)
        grid.reactivate_sgen(sgen)
        grid.change_p_sgen(sgen, float(target_p[gen]))
        grid.change_q_sgen(sgen, float(q))


def ac_pf_q_limited(
    grid: Any,
    v_init: ComplexArray,
    max_iter: int,
    tol_pu: float,
    limits: GenLimits | None = None,
) -> tuple[ComplexArray, Pinned | None]:
    """AC power flow with generator reactive limits enforced (PV -> PQ outer loop).

    Parameters
    ----------
    grid : LSGrid or PandapowerGrid
        Grid model at its operating point; left solved, with pinned units
        replaced by their companions (in place).
    v_init : ndarray of complex
        Start voltages of the first solve (later solves start from the last one).
    max_iter, tol_pu
        Newton-Raphson settings of each solve.
    limits : GenLimits, optional
        From :func:`limits_of` (looked up when omitted).

    Returns
    -------
    (ndarray of complex, Pinned or None)
        Bus voltages (empty if a solve does not converge) and the pinned
        units (None when the grid has no limits, or for the pandapower fallback,
        whose pinned names come from :meth:`PandapowerGrid.q_limited_gens`).

    Notes
    -----
    All violating units are pinned at once, at the limit they exceed, as
    ``pandapower.runpp(enforce_q_lims=True)`` does; at most ``len(limits.gen) + 1``
    solves.

    References
    ----------
    .. [1] MATPOWER User's Manual 7.1, section 4.1 (``pf.enforce_q_lims``).
    .. [2] pandapower 3.5, ``pandapower.pf.run_newton_raphson_pf._run_ac_pf_with_qlims_enforced``.
    """
    if engine_pandapower.is_pandapower_grid(grid):
        grid.enforce_q_lims = has_q_limits(grid.net)
        # runpp gives NaN at the buses it isolates (an outage's island): not a failure
        try:
            return np.asarray(grid.ac_pf(v_init, max_iter, tol_pu)), None
        except RuntimeError:
            return np.zeros(0, dtype=np.complex128), None
    limits = limits if limits is not None else limits_of(grid)
    v = _ac_pf(grid, v_init, max_iter, tol_pu)
    if limits is None:
        return v, None
    n = len(limits.gen)
    pinned = np.zeros(n, dtype=bool)
    at_max = np.zeros(n, dtype=bool)
    # a unit made the slack after the conversion (a contingency that loses the
    # original slack, gridimpact.grid.contingencies) is not limited either
    gens = list(grid.get_generators())
    slack = np.array([bool(gens[int(i)].is_slack) for i in limits.gen], dtype=bool)
    for _ in range(n):
        if v.shape[0] == 0:
            break
        status = np.asarray(grid.get_gen_status(), dtype=bool)[limits.gen]
        q = np.asarray(grid.get_gen_res()[1], dtype=float)[limits.gen]
        free = status & ~pinned & ~slack
        over = free & (q > limits.max_q_mvar + Q_TOLERANCE_MVAR)
        under = free & (q < limits.min_q_mvar - Q_TOLERANCE_MVAR)
        if not (over | under).any():
            break
        units = np.flatnonzero(over | under)
        pin(grid, limits, units, np.where(over, limits.max_q_mvar, limits.min_q_mvar)[units])
        pinned |= over | under
        at_max |= over
        v = _ac_pf(grid, v.copy(), max_iter, tol_pu)
    names = tuple(limits.names[k] for k in np.flatnonzero(pinned))
    return v, Pinned(pinned, at_max, names)


def bus_reactive_flow_mvar(
    powers: FloatArray, side1: IntArray, side2: IntArray, n_bus: int
) -> FloatArray:
    """Reactive power leaving each bus into the branches, per row.

    Parameters
    ----------
    powers : ndarray, shape (rows, branches, 4)
        ``P1, Q1, P2, Q2`` per branch (lightsim2grid ``compute_branch_results``).
    side1, side2 : ndarray of int
        Bus of each branch end.
    n_bus : int

    Returns
    -------
    ndarray, shape (rows, n_bus)
    """
    q1 = np.nan_to_num(powers[..., 1])
    q2 = np.nan_to_num(powers[..., 3])
    out = np.zeros((powers.shape[0], n_bus))
    for end, q in ((side1, q1), (side2, q2)):
        np.add.at(out.T, end, q.T)
    return out


def outage_rows_to_resolve(
    grid: Any,
    limits: GenLimits,
    pinned: Pinned,
    v_base: ComplexArray,
    base_powers: FloatArray,
    v_rows: ComplexArray,
    powers_rows: FloatArray,
    ok_rows: BoolArray,
    ends: tuple[IntArray, IntArray],
) -> BoolArray:
    """Outage rows (solved from the pinned base state) whose reactive limits no longer hold.

    Parameters
    ----------
    grid : LSGrid
        The solved, pinned base case.
    limits, pinned
        Its limited and pinned generators.
    v_base : ndarray of complex
        Base-case bus voltages.
    base_powers : ndarray, shape (branches, 4)
        Base-case ``P1, Q1, P2, Q2`` per branch (lines, then transformers).
    v_rows, powers_rows, ok_rows
        Outage rows: voltages, branch powers, converged mask.
    ends : (ndarray, ndarray)
        Bus of each branch end (same order as the powers).

    Returns
    -------
    ndarray of bool
        Rows to solve again on their own with :func:`ac_pf_q_limited`: a free
        unit's reactive output exceeds a limit, or a pinned unit's bus voltage
        moved to the side of its set-point where it would regulate again.

    Notes
    -----
    A free PV unit holds its bus at the set-point, so everything else at that bus
    (loads, shunts, static generators, pinned companions) draws the same
    reactive power as in the base case. The units' reactive output in an
    outage row is therefore the base output plus the change of the reactive
    flow leaving the bus into the branches, shared among the bus's free units
    in the base-case proportions (lightsim2grid shares it by ``max_q - min_q``).
    A row whose regulated voltage moved (beyond ``VM_TOLERANCE_PU``) is always
    re-solved.
    """
    n_bus = v_rows.shape[1]
    all_gens = list(grid.get_generators())
    status = np.asarray(grid.get_gen_status(), dtype=bool)
    q_gen = np.asarray(grid.get_gen_res()[1], dtype=float)
    free_gen = status.copy()
    free_gen[limits.gen[pinned.mask]] = False
    bus_of = np.array([g.bus_id for g in all_gens], dtype=np.int64)
    slack_bus = np.zeros(n_bus, dtype=bool)
    for g, on in zip(all_gens, status, strict=True):
        if on and g.is_slack:
            slack_bus[g.bus_id] = True
    q_bus_gen = np.zeros(n_bus)
    n_free = np.zeros(n_bus)
    np.add.at(q_bus_gen, bus_of[free_gen], q_gen[free_gen])
    np.add.at(n_free, bus_of[free_gen], 1.0)
    flow_base = bus_reactive_flow_mvar(base_powers[np.newaxis], *ends, n_bus)[0]
    flow_rows = bus_reactive_flow_mvar(powers_rows, *ends, n_bus)
    vm_rows = np.abs(v_rows)
    vm_base = np.abs(v_base)
    flag = np.zeros(len(ok_rows), dtype=bool)
    check = free_gen[limits.gen] & ~slack_bus[limits.bus]
    for k in np.flatnonzero(check):
        b = int(limits.bus[k])
        q_own = q_gen[limits.gen[k]]
        share = q_own / q_bus_gen[b] if abs(q_bus_gen[b]) > 1e-9 else 1.0 / n_free[b]
        q_row = share * (q_bus_gen[b] + flow_rows[:, b] - flow_base[b])
        moved = np.abs(vm_rows[:, b] - vm_base[b]) > VM_TOLERANCE_PU
        over = (q_row > limits.max_q_mvar[k] + Q_TOLERANCE_MVAR) | (
            q_row < limits.min_q_mvar[k] - Q_TOLERANCE_MVAR
        )
        flag |= over | moved
    for k in np.flatnonzero(pinned.mask):
        b = int(limits.bus[k])
        set_pu = limits.target_vm_pu[k]
        if pinned.at_max[k]:
            back = (vm_rows[:, b] > set_pu + VM_TOLERANCE_PU) & (vm_base[b] <= set_pu)
        else:
            back = (vm_rows[:, b] < set_pu - VM_TOLERANCE_PU) & (vm_base[b] >= set_pu)
        flag |= back
    return np.asarray(flag & ok_rows, dtype=bool)


def base_branch_powers(grid: Any) -> FloatArray:
    """``P1, Q1, P2, Q2`` per branch (lines, then transformers) of a solved grid model."""
    rows = []
    for first, second in (
        (grid.get_line_res1(), grid.get_line_res2()),
        (grid.get_trafo_res1(), grid.get_trafo_res2()),
    ):
        rows.append(
            np.column_stack(
                [
                    np.asarray(first[0], float),
                    np.asarray(first[1], float),
                    np.asarray(second[0], float),
                    np.asarray(second[1], float),
                ]
            )
        )
    return np.concatenate(rows, axis=0)


def pinned_names(grid: Any, pinned: Pinned | None) -> tuple[str, ...]:
    """Names of the generators a solve left at a reactive limit (either engine)."""
    if engine_pandapower.is_pandapower_grid(grid):
        return tuple(grid.q_limited_gens())
    return () if pinned is None else pinned.names


def rows_to_resolve(
    grid: Any,
    pinned: Pinned | None,
    v_base: ComplexArray,
    v_rows: ComplexArray,
    powers_rows: FloatArray,
    ok_rows: BoolArray,
    islands: IntArray,
    ends: tuple[IntArray, IntArray],
) -> list[int]:
    """Outage rows to solve again on their own with the reactive-limit loop.

    Parameters
    ----------
    grid : LSGrid or PandapowerGrid
        The solved base case (pinned units already replaced).
    pinned : Pinned or None
        From :func:`ac_pf_q_limited` (None: no limits, nothing to re-solve).
    v_base : ndarray of complex
        Base-case voltages.
    v_rows, powers_rows, ok_rows
        Outage rows solved by ``ContingencyAnalysisCPP`` from the pinned base.
    islands : ndarray of int
        Islanded buses per row (rows with islands are never solved).
    ends : (ndarray, ndarray)
        Bus of each branch end (lines, then transformers).

    Returns
    -------
    list of int
        The rows flagged by :func:`outage_rows_to_resolve`, plus (when some unit
        is pinned) the rows that did not converge from the pinned base.

    Notes
    -----
    Choice: the outages are solved from the pinned base state (one fast
    ``ContingencyAnalysisCPP`` batch) and only the rows where that state is no
    longer right are solved again from scratch with the loop, which is what
    ``pandapower.runpp(enforce_q_lims=True)`` gives on that outage. Re-solving
    every row would cost one full solve per outage on large networks; solving
    from the unlimited base would re-solve every row as soon as the base has a
    unit at its limit.
    """
    if pinned is None or engine_pandapower.is_pandapower_grid(grid):
        return []
    limits = limits_of(grid)
    if limits is None:
        return []
    base_powers = base_branch_powers(grid)
    flag = outage_rows_to_resolve(
        grid, limits, pinned, v_base, base_powers, v_rows, powers_rows, ok_rows, ends
    )
    if pinned.mask.any():
        flag |= ~ok_rows & (islands == 0)
    return [int(j) for j in np.flatnonzero(flag)]


def timeseries_rows_over_limits(
    grid: Any,
    limits: GenLimits,
    v: ComplexArray,
    powers: FloatArray,
    load_q_mvar: FloatArray,
    ends: tuple[IntArray, IntArray],
) -> BoolArray:
    """Steps of a time series solved without limits in which a limited unit leaves them.

    Parameters
    ----------
    grid : LSGrid
        The grid model the steps were solved on (loads in the order of ``load_q_mvar``).
    limits : GenLimits
    v : ndarray of complex, shape (steps, buses)
    powers : ndarray, shape (steps, branches, 4)
        ``P1, Q1, P2, Q2`` per branch (lines, then transformers).
    load_q_mvar : ndarray, shape (steps, loads)
    ends : (ndarray, ndarray)
        Bus of each branch end.

    Returns
    -------
    ndarray of bool
        Per step: the generators' reactive output at some bus with limited units,
        from that bus's reactive balance (flow into the branches + loads + shunts
        at |V|² − static generators), is outside the sum of their limits. Buses
        with a slack or an unlimited unit are not checked.
    """
    n_steps, n_bus = v.shape
    demand = bus_reactive_flow_mvar(powers, *ends, n_bus)
    vm2 = np.abs(np.nan_to_num(v)) ** 2
    for j, load in enumerate(grid.get_loads()):
        if load.connected and load.bus_id >= 0:
            demand[:, load.bus_id] += load_q_mvar[:, j]
    for shunt in grid.get_shunts():
        if shunt.connected and shunt.bus_id >= 0:
            demand[:, shunt.bus_id] += shunt.target_q_mvar * vm2[:, shunt.bus_id]
    for sgen in grid.get_static_generators():
        if sgen.connected and sgen.bus_id >= 0:
            demand[:, sgen.bus_id] -= sgen.target_q_mvar
    lo, hi = np.zeros(n_bus), np.zeros(n_bus)
    unchecked = np.zeros(n_bus, dtype=bool)
    limited = set(limits.gen.tolist())
    for i, gen in enumerate(grid.get_generators()):
        if not gen.connected or gen.bus_id < 0:
            continue
        if gen.is_slack or i not in limited:
            unchecked[gen.bus_id] = True
    np.add.at(lo, limits.bus, limits.min_q_mvar)
    np.add.at(hi, limits.bus, limits.max_q_mvar)
    buses = np.unique(limits.bus[(limits.bus >= 0)])
    buses = buses[~unchecked[buses]]
    if not len(buses):
        return np.zeros(n_steps, dtype=bool)
    q = demand[:, buses]
    over = (q > hi[buses] + Q_TOLERANCE_MVAR) | (q < lo[buses] - Q_TOLERANCE_MVAR)
    return np.asarray(over.any(axis=1), dtype=bool)
