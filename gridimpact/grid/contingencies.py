"""The N-1 contingency set by NERC TPL-001 category, and how each outage is solved.

Categories (``Outage.category``), after Table 1 of [1]_:

``line``, ``trafo``
    P1: one transmission circuit or transformer.
``generator``
    P1: one generating unit (``net.gen``, in service, not a slack, ``p_mw > 0``;
    the external grid is not a candidate). Its output is picked up by the
    remaining dispatchable units in proportion to their participation factors
    (:func:`participation_factors`, :func:`redistribute_p_mw`); what they cannot
    pick up goes to the slack.
``shunt``
    P1: one shunt device (``net.shunt``, in service).
``common_structure``
    P7: the circuits of one double-circuit tower line together (the network's
    ``common_structure`` list of line names: ``[[common_structure]]`` in the
    built-in network data, ``[grid] common_structure`` in a case).
``n-1-1``
    P6: two overlapping outages of the POI's critical branches (every pair of
    them): the branches incident to the POI bus, then the single outages with
    the lowest post-contingency POI voltage, ``n11_critical_branches`` in all
    (``data/grid_types.toml`` ``[contingency_set]``). No system adjustment
    (re-dispatch, switching) between the two outages is modelled, which is
    conservative. A pair that is also a common-structure group is studied
    once, as P7.

Islanding: an outage that splits the network is not a failure by itself. The
system that survives is the largest energised component (by load, ties by bus
count) that contains generation; normally the one holding the slack, and then
every bus without a path to a slack is islanded. The loads of the islanded
buses (background and campus) are lost (``load_lost_mw``; TPL-001 allows
consequential load loss for P1 and P7, so it is reported, not counted as a
violation), so are their units (``gen_lost_mw``), and the surviving system is
solved without them, the island's lost net export (generation minus load)
picked up as for a generator outage; islanded buses are not checked. An island
carrying only generators (a step-up transformer outage) is therefore the loss
of that generation. If the slack falls outside the surviving system (a branch
connecting the external grid or slack unit to everything else), the outage is
the loss of the slack unit: its intact-case output counts as generation lost,
is picked up by the surviving units by participation factor like any lost
generation, and the surviving unit with the largest participation factor that
has headroom left becomes the slack and angle reference (``new_slack_gen``).
The pandapower fallback engine does the same (``gen.slack``). Each outage is
solved from the intact case on its own, so results do not depend on the order
of the outages.

References
----------
.. [1] NERC, "TPL-001-5.1 Transmission System Planning Performance
   Requirements", Table 1 (categories P1, P6, P7; footnotes on consequential
   load loss), 2020.
.. [2] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
   Operation, and Control*, 3rd ed., Wiley, 2014, sec. 3.8 (base point and
   participation factors) and ch. 7 (contingency analysis).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandapower as pp
import pandas as pd

from gridimpact import progress
from gridimpact.errors import NetworkError
from gridimpact.grid import engine_pandapower
from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.engine import (
    BatchSolution,
    BranchKind,
    Solution,
    Topology,
    bus_components,
    energised_buses,
    outage_islands,
    solve,
    solve_outages,
)

if TYPE_CHECKING:
    from gridimpact.grid.model import NetworkModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CATEGORIES = ("line", "trafo", "generator", "shunt", "common_structure", "n-1-1")
"""Every category, in the order the outages are listed."""
BRANCH_CATEGORIES = ("line", "trafo")
COMMON_STRUCTURE_KEY = "common_structure"
"""Key of the common-structure groups (lists of line names) on a pandapower net."""
_EPS_MW = 1e-9


@dataclass(frozen=True)
class Outage:
    """One contingency: the elements (positions in the engine's order) switched off together."""

    name: str
    category: str
    lines: tuple[int, ...] = ()
    trafos: tuple[int, ...] = ()
    gens: tuple[int, ...] = ()
    shunts: tuple[int, ...] = ()

    @property
    def single_branch(self) -> tuple[BranchKind, int] | None:
        """``(kind, index)`` if the outage is exactly one line or transformer."""
        if self.gens or self.shunts or len(self.lines) + len(self.trafos) != 1:
            return None
        return ("line", self.lines[0]) if self.lines else ("trafo", self.trafos[0])


def participation_factors(max_p_mw: FloatArray, sn_mva: FloatArray, p_mw: FloatArray) -> FloatArray:
    """Default participation factor of each unit: ``max_p_mw``, else ``sn_mva``, else ``p_mw``.

    Parameters
    ----------
    max_p_mw, sn_mva, p_mw : ndarray
        Per unit; NaN (or <= 0) where a rating is unknown.

    Returns
    -------
    ndarray
        Non-negative factors (the first known rating of each unit).

    References
    ----------
    .. [1] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
       Operation, and Control*, 3rd ed., Wiley, 2014, sec. 3.8: participation
       factors share a change of total generation between the units.
    """
    max_p, sn = np.asarray(max_p_mw, float), np.asarray(sn_mva, float)
    p = np.fmax(np.nan_to_num(np.asarray(p_mw, float)), 0.0)
    use_max = np.isfinite(max_p) & (max_p > 0)
    use_sn = ~use_max & np.isfinite(sn) & (sn > 0)
    return np.where(use_max, max_p, np.where(use_sn, sn, p))


def redistribute_p_mw(
    p_mw: FloatArray, factor: FloatArray, max_p_mw: FloatArray, lost_mw: float
) -> tuple[FloatArray, float]:
    """Share lost generation on units in proportion to their factors, within their limits.

    Parameters
    ----------
    p_mw : ndarray
        Set-points of the units that can pick up, MW.
    factor : ndarray
        Participation factors (:func:`participation_factors`).
    max_p_mw : ndarray
        Upper limits (NaN = unlimited).
    lost_mw : float
        Generation to pick up, MW (nothing is moved if <= 0).

    Returns
    -------
    (ndarray, float)
        New set-points and the part nobody could pick up (left to the slack).

    Notes
    -----
    :math:`p_i' = p_i + \\min(h_i, \\lambda f_i)` with headroom
    :math:`h_i = p_{max,i} - p_i` and the :math:`\\lambda \\ge 0` at which the
    pick-ups sum to ``lost_mw`` (or every unit is at its limit). Computed by
    sharing the remainder on the units below their limit, capping those that
    would exceed it and re-sharing the excess: :math:`\\lambda` only grows from
    round to round, so a capped unit stays capped.

    References
    ----------
    .. [1] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
       Operation, and Control*, 3rd ed., Wiley, 2014, sec. 3.8 (participation
       factors) and ch. 7.
    .. [2] NERC, "TPL-001-5.1", Table 1, P1 (loss of a generator).
    """
    p = np.asarray(p_mw, float).copy()
    f = np.fmax(np.nan_to_num(np.asarray(factor, float)), 0.0)
    cap = np.where(np.isfinite(max_p_mw), np.asarray(max_p_mw, float), np.inf)
    remaining = float(lost_mw)
    free = (f > 0) & (p < cap)
    while remaining > _EPS_MW and free.any():
        share = np.where(free, remaining * f / f[free].sum(), 0.0)
        over = free & (p + share > cap)
        if not over.any():
            p += share
            return p, 0.0
        remaining -= float((cap[over] - p[over]).sum())
        p[over] = cap[over]
        free &= ~over
    return p, max(remaining, 0.0) if lost_mw > 0 else float(lost_mw)


def n11_critical_branches() -> int:
    """Size of the POI's critical-branch set for N-1-1 (``data/grid_types.toml``)."""
    table = read_catalog("grid_types.toml")["contingency_set"]
    return int(value_of(table["n11_critical_branches"]))


# ---------------------------------------------------------------- network data


def add_common_structure(net: pp.pandapowerNet, groups: Sequence[Sequence[str]]) -> None:
    """Append common-structure groups (line names) to ``net["common_structure"]`` (in place)."""
    if groups:
        net[COMMON_STRUCTURE_KEY] = [*common_structure_of(net), *[list(g) for g in groups]]


def common_structure_of(net: pp.pandapowerNet) -> list[list[str]]:
    """The common-structure groups of a net (empty if it has none)."""
    groups = net[COMMON_STRUCTURE_KEY] if COMMON_STRUCTURE_KEY in net else []
    return [[str(name) for name in group] for group in (groups or [])]


def check_common_structure(net: pp.pandapowerNet, where: str) -> None:
    """Every common-structure line name must name a line of ``net``.

    Raises
    ------
    NetworkError
        Naming the field ``grid.common_structure`` and the unknown line.
    """
    names = {str(n) for n in net.line.name}
    for group in common_structure_of(net):
        for name in group:
            if name not in names:
                example = f", e.g. {next(iter(net.line.name))!r}" if len(net.line) else ""
                raise NetworkError(
                    f"{where}: grid.common_structure: line {name!r} not found "
                    f"(give line names of the network{example})"
                )


def _label(name: Any, fallback: str) -> str:
    return fallback if name is None or pd.isna(name) or str(name) == "" else str(name)


def branch_outages(topo: Topology) -> list[Outage]:
    """P1: every in-service line, then every in-service transformer."""
    lines = [
        Outage(topo.line_names[i], "line", lines=(int(i),))
        for i in np.flatnonzero(topo.line_in_service)
    ]
    trafos = [
        Outage(topo.trafo_names[i], "trafo", trafos=(int(i),))
        for i in np.flatnonzero(topo.trafo_in_service)
    ]
    return lines + trafos


def generator_outages(net: pp.pandapowerNet, topo: Topology) -> list[Outage]:
    """P1: every in-service generator that is not a slack and produces (``p_mw > 0``)."""
    gen = net.gen
    on = gen.in_service.astype(bool).to_numpy() & ~gen.slack.astype(bool).to_numpy()
    on &= gen.p_mw.to_numpy(float) > 0
    return [
        Outage(
            _label(gen.name.iloc[i], f"gen at {topo.bus_names[gen.bus.iloc[i]]} ({i})"),
            "generator",
            gens=(int(i),),
        )
        for i in np.flatnonzero(on)
    ]


def shunt_outages(net: pp.pandapowerNet, topo: Topology) -> list[Outage]:
    """P1: every in-service shunt switched off."""
    sh = net.shunt
    return [
        Outage(
            _label(sh.name.iloc[i], f"shunt at {topo.bus_names[sh.bus.iloc[i]]} ({i})"),
            "shunt",
            shunts=(int(i),),
        )
        for i in np.flatnonzero(sh.in_service.astype(bool).to_numpy())
    ]


def common_structure_outages(net: pp.pandapowerNet, topo: Topology) -> list[Outage]:
    """P7: each common-structure group (its in-service lines, if at least two) at once."""
    out = []
    for group in common_structure_of(net):
        lines = sorted(
            {i for i, n in enumerate(topo.line_names) if n in group and topo.line_in_service[i]}
        )
        if len(lines) >= 2:
            out.append(
                Outage(
                    " + ".join(topo.line_names[i] for i in lines),
                    "common_structure",
                    lines=tuple(lines),
                )
            )
    return out


def static_outages(model: NetworkModel, categories: Collection[str] = CATEGORIES) -> list[Outage]:
    """Every outage of the categories that do not depend on the operating point (all but N-1-1)."""
    net, topo = model._net, model.topology
    out: list[Outage] = []
    if "line" in categories or "trafo" in categories:
        out += [o for o in branch_outages(topo) if o.category in categories]
    if "generator" in categories:
        out += generator_outages(net, topo)
    if "shunt" in categories:
        out += shunt_outages(net, topo)
    if "common_structure" in categories:
        out += common_structure_outages(net, topo)
    return out


def _ends(topo: Topology, o: Outage) -> set[int]:
    ln, tr = list(o.lines), list(o.trafos)
    ends = [topo.line_from[ln], topo.line_to[ln], topo.trafo_hv[tr], topo.trafo_lv[tr]]
    return {int(b) for b in np.concatenate(ends)}


def n11_outages(
    topo: Topology,
    singles: Sequence[Outage],
    poi_vm_pu: FloatArray,
    poi_index: int,
    n_critical: int,
    exclude: Collection[Outage] = (),
) -> list[Outage]:
    """P6 (N-1-1): every pair of the POI's critical branches, out together.

    Parameters
    ----------
    topo : Topology
    singles : sequence of Outage
        Single-branch outages (categories ``line``/``trafo``).
    poi_vm_pu : ndarray
        Post-contingency POI voltage of each of ``singles`` (NaN if not solved).
    poi_index : int
        Position of the POI bus.
    n_critical : int
        Size of the critical set: branches incident to the POI first, then the
        lowest POI voltage; ties by name (independent of the order of ``singles``).
    exclude : collection of Outage
        Outages already studied (e.g. common structure): a pair switching off
        the same branches is left out.

    Returns
    -------
    list of Outage
        ``n_critical * (n_critical - 1) / 2`` outages at most, named ``"a, then b"``.
    """
    vm = np.where(np.isfinite(poi_vm_pu), poi_vm_pu, np.inf)
    ranked = sorted(
        range(len(singles)),
        key=lambda r: (poi_index not in _ends(topo, singles[r]), vm[r], singles[r].name),
    )
    critical = [singles[r] for r in ranked[: max(n_critical, 0)]]
    seen = {(frozenset(o.lines), frozenset(o.trafos)) for o in exclude}
    out = []
    for a, b in itertools.combinations(critical, 2):
        lines, trafos = a.lines + b.lines, a.trafos + b.trafos
        if (frozenset(lines), frozenset(trafos)) in seen:
            continue
        out.append(Outage(f"{a.name}, then {b.name}", "n-1-1", lines=lines, trafos=trafos))
    return out


def unique_names(outages: Sequence[Outage]) -> list[Outage]:
    """The outages with repeated names made unique (``"name [category k]"``)."""
    seen: set[str] = set()
    out = []
    for k, o in enumerate(outages):
        name = o.name if o.name not in seen else f"{o.name} [{o.category} {k}]"
        seen.add(name)
        out.append(o if name == o.name else replace(o, name=name))
    return out


# ---------------------------------------------------------------- solving


@dataclass(frozen=True)
class Injections:
    """Per-element injections at one operating point (positions as in the engine)."""

    gen_bus: IntArray
    gen_p_mw: FloatArray
    gen_max_p_mw: FloatArray
    gen_factor: FloatArray
    gen_in_service: BoolArray
    gen_dispatchable: BoolArray
    """In service, not a slack, producing: these pick up lost generation."""
    sgen_bus: IntArray
    sgen_p_mw: FloatArray
    sgen_in_service: BoolArray
    load_bus: IntArray
    load_p_mw: FloatArray
    load_in_service: BoolArray
    shunt_bus: IntArray
    shunt_in_service: BoolArray
    slack_gen: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Engine positions of the in-service slack units (:func:`slack_units`)."""
    slack_bus: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    slack_p_mw: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Their intact-case output, MW (NaN if the intact case was not given)."""


def slack_units(grid: Any) -> tuple[IntArray, IntArray]:
    """Engine positions and buses of the in-service slack units of a grid model.

    Positions as :func:`gridimpact.grid.engine.unit_p_mw` orders the units:
    ``net.gen``, then the external grids (lightsim2grid adds one generator per
    external grid when no generator stands on its bus; the pandapower fallback
    counts every ``net.ext_grid``).
    """
    if engine_pandapower.is_pandapower_grid(grid):
        net = grid.net
        gen, ext = net.gen, net.ext_grid
        on = gen.in_service.astype(bool).to_numpy() & gen.slack.astype(bool).to_numpy()
        ext_on = np.flatnonzero(ext.in_service.astype(bool).to_numpy())
        pos = np.concatenate([np.flatnonzero(on), len(gen) + ext_on])
        bus = np.concatenate([gen.bus.to_numpy()[on], ext.bus.to_numpy()[ext_on]])
        return pos.astype(np.int64), bus.astype(np.int64)
    units = [
        (i, int(g.bus_id))
        for i, g in enumerate(grid.get_generators())
        if g.is_slack and g.connected and g.bus_id >= 0
    ]
    pos = np.array([u[0] for u in units], dtype=np.int64)
    return pos, np.array([u[1] for u in units], dtype=np.int64)


def _column(frame: pd.DataFrame, name: str) -> FloatArray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(float)


def injections_of(
    model: NetworkModel, campus_p_mw: float, load_scale: float, base: Solution | None = None
) -> Injections:
    """Generator, static-generator and load power at the operating point the engine solves.

    Generator set-points are the engine's (``get_gen_target_p`` times
    ``load_scale``, as :func:`gridimpact.grid.engine.set_injections` sets them).
    The slack units' output is read from ``base``, the solved intact case at the
    same operating point (NaN without it: an outage that loses the slack cannot
    then be planned).
    """
    net, topo, grid = model._net, model.topology, model.lsgrid
    gen, sgen, load, shunt = net.gen, net.sgen, net.load, net.shunt
    n_gen = len(gen)
    gen_p = np.asarray(grid.get_gen_target_p(), float)[:n_gen] * load_scale
    gen_on = gen.in_service.astype(bool).to_numpy()
    max_p = _column(gen, "max_p_mw")
    load_p = topo.load_p_mw * load_scale
    load_p[topo.campus_load] = campus_p_mw
    slack_gen, slack_bus = slack_units(grid)
    slack_p = np.full(len(slack_gen), np.nan)
    if base is not None and base.converged and len(base.unit_p_mw):
        slack_p = base.unit_p_mw[slack_gen]
    return Injections(
        gen_bus=gen.bus.to_numpy(np.int64),
        gen_p_mw=gen_p,
        gen_max_p_mw=max_p,
        gen_factor=participation_factors(max_p, _column(gen, "sn_mva"), gen_p),
        gen_in_service=gen_on,
        gen_dispatchable=gen_on & ~gen.slack.astype(bool).to_numpy() & (gen_p > 0),
        sgen_bus=sgen.bus.to_numpy(np.int64),
        sgen_p_mw=np.asarray(grid.get_sgen_target_p(), float)[: len(sgen)],
        sgen_in_service=sgen.in_service.astype(bool).to_numpy(),
        load_bus=load.bus.to_numpy(np.int64),
        load_p_mw=load_p,
        load_in_service=load.in_service.astype(bool).to_numpy(),
        shunt_bus=shunt.bus.to_numpy(np.int64),
        shunt_in_service=shunt.in_service.astype(bool).to_numpy(),
        slack_gen=slack_gen,
        slack_bus=slack_bus,
        slack_p_mw=slack_p,
    )


@dataclass(frozen=True)
class OutagePlan:
    """What one outage switches off and how generation is re-dispatched."""

    line_off: IntArray
    trafo_off: IntArray
    gen_off: IntArray
    sgen_off: IntArray
    load_off: IntArray
    shunt_off: IntArray
    gen_moved: IntArray
    """Units picking up lost generation ..."""
    gen_moved_p_mw: FloatArray
    """... and their new set-points, MW."""
    islanded: IntArray
    """Buses the outage cuts off from every slack (not checked)."""
    load_lost_mw: float
    gen_lost_mw: float
    slack_pickup_mw: float
    """Power the slack takes instead of the units: the part of the lost net export they
    could not pick up, or (negative) the surplus when the lost load exceeds it."""
    slack_off: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Slack units the outage islands (engine positions, :func:`slack_units`)."""
    new_slack_gen: int = -1
    """Unit made the slack of the surviving system when ``slack_off`` is not empty."""

    def apply(self, grid: Any) -> None:
        """Switch the elements off, move the set-points and, if the outage loses the
        slack, make ``new_slack_gen`` the slack, on a grid copy (in place)."""
        for method, items in (
            ("deactivate_powerline", self.line_off),
            ("deactivate_trafo", self.trafo_off),
            ("deactivate_gen", self.gen_off),
            ("deactivate_sgen", self.sgen_off),
            ("deactivate_load", self.load_off),
            ("deactivate_shunt", self.shunt_off),
        ):
            for i in items:
                getattr(grid, method)(int(i))
        for i, p in zip(self.gen_moved, self.gen_moved_p_mw, strict=True):
            grid.change_p_gen(int(i), float(p))
        for i in self.slack_off:
            grid.remove_gen_slackbus(int(i))
            grid.deactivate_gen(int(i))
        if self.new_slack_gen >= 0:
            grid.add_gen_slackbus(self.new_slack_gen, 1.0)


def _union(given: tuple[int, ...], mask: BoolArray) -> IntArray:
    return np.union1d(np.asarray(given, np.int64), np.flatnonzero(mask)).astype(np.int64)


def _surviving_component(
    topo: Topology, inj: Injections, label: IntArray, base_energised: BoolArray
) -> int:
    """Label of the component that survives a split: the largest energised component by
    load (ties: more buses, then the one holding a slack, then the lowest bus) that
    contains generation (a dispatchable unit or a slack); -1 if none does."""
    n = int(label.max()) + 1 if len(label) else 0
    load_on = inj.load_in_service & base_energised[inj.load_bus]
    load = np.bincount(label[inj.load_bus[load_on]], inj.load_p_mw[load_on], minlength=n)
    buses = np.bincount(label[base_energised], minlength=n)
    has_slack = np.zeros(n, dtype=bool)
    has_slack[label[topo.slack_buses]] = True
    has_gen = has_slack.copy()
    producing = inj.gen_dispatchable & base_energised[inj.gen_bus]
    has_gen[label[inj.gen_bus[producing]]] = True
    first_bus = np.full(n, len(label))
    np.minimum.at(first_bus, label, np.arange(len(label)))
    candidates = [c for c in np.unique(label[base_energised]) if has_gen[c]]
    if not candidates:
        return -1
    best = max(candidates, key=lambda c: (load[c], buses[c], has_slack[c], -first_bus[c]))
    return int(best)


def plan_outage(
    topo: Topology, inj: Injections, outage: Outage, base_energised: BoolArray
) -> OutagePlan:
    """The elements an outage switches off (incl. any island it creates) and the re-dispatch.

    The units that pick up (:func:`redistribute_p_mw`) replace the net power
    the outage takes from the rest of the network: the lost generation minus
    the lost load. A surplus (an island that imported power, e.g. a campus cut
    off) is left to the slack, as the campus demand always is.

    If the surviving system (:func:`_surviving_component`) holds no slack, every
    other energised bus is islanded, the islanded slack units' intact-case
    output (``inj.slack_p_mw``) counts as lost generation, and the surviving
    unit with the largest participation factor among those the re-dispatch left
    below their limit (all of them if none is; lowest position on ties) becomes
    the slack (``new_slack_gen``): it is pre-dispatched like the others and then
    also absorbs the change of losses and what nobody could pick up.

    Parameters
    ----------
    topo : Topology
    inj : Injections
        Operating point (:func:`injections_of`, with the intact case for the
        slack units' output).
    outage : Outage
    base_energised : ndarray of bool
        Buses with a path to a slack in the intact network
        (:func:`gridimpact.grid.engine.energised_buses`).

    Raises
    ------
    ValueError
        If the outage loses the slack and ``inj`` holds no intact-case slack output.
    """
    island = np.zeros(topo.n_bus, dtype=bool)
    survivor = np.ones(topo.n_bus, dtype=bool)
    slack_lost = False
    if outage.lines or outage.trafos:
        label = bus_components(
            topo, np.asarray(outage.lines, np.int64), np.asarray(outage.trafos, np.int64)
        )
        energised = np.isin(label, label[topo.slack_buses])
        island = base_energised & ~energised
        if island.any():
            keep = _surviving_component(topo, inj, label, base_energised)
            if keep >= 0 and not energised[label == keep].any():
                survivor = label == keep
                island = base_energised & ~survivor
                slack_lost = True
    in_island_l = topo.line_in_service & (island[topo.line_from] | island[topo.line_to])
    in_island_t = topo.trafo_in_service & (island[topo.trafo_hv] | island[topo.trafo_lv])
    n_gen = len(inj.gen_bus)
    slack_off = inj.slack_gen[island[inj.slack_bus]] if slack_lost else inj.slack_gen[:0]
    slack_p = inj.slack_p_mw[island[inj.slack_bus]] if slack_lost else inj.slack_p_mw[:0]
    if not np.all(np.isfinite(slack_p)):
        raise ValueError(
            f"{outage.name}: the outage loses the slack; its intact-case output is needed "
            "(injections_of(..., base=intact solution))"
        )
    is_slack = np.isin(np.arange(n_gen), inj.slack_gen)
    gen_off = _union(outage.gens, inj.gen_in_service & island[inj.gen_bus])
    sgen_off = np.flatnonzero(inj.sgen_in_service & island[inj.sgen_bus]).astype(np.int64)
    load_off = np.flatnonzero(inj.load_in_service & island[inj.load_bus]).astype(np.int64)
    set_point_off = gen_off[~is_slack[gen_off]] if slack_lost else gen_off
    gen_lost = float(
        inj.gen_p_mw[set_point_off].sum() + inj.sgen_p_mw[sgen_off].sum() + slack_p.sum()
    )
    load_lost = float(inj.load_p_mw[load_off].sum())
    movers = inj.gen_dispatchable.copy()
    movers[gen_off] = False
    if slack_lost:
        movers &= survivor[inj.gen_bus] & ~is_slack
    idx = np.flatnonzero(movers).astype(np.int64)
    new_p, slack_mw = redistribute_p_mw(
        inj.gen_p_mw[idx], inj.gen_factor[idx], inj.gen_max_p_mw[idx], gen_lost - load_lost
    )
    new_slack = -1
    if slack_lost:
        # the component holds a dispatchable unit (_surviving_component); the slack
        # also absorbs the change of losses, so it is chosen with headroom left
        cap = np.where(np.isfinite(inj.gen_max_p_mw[idx]), inj.gen_max_p_mw[idx], np.inf)
        room = new_p < cap - _EPS_MW
        pool = np.flatnonzero(room) if room.any() else np.arange(len(idx))
        new_slack = int(idx[pool[np.argmax(inj.gen_factor[idx][pool])]])
    return OutagePlan(
        line_off=_union(outage.lines, in_island_l),
        trafo_off=_union(outage.trafos, in_island_t),
        gen_off=np.setdiff1d(gen_off, slack_off).astype(np.int64),
        sgen_off=sgen_off,
        load_off=load_off,
        shunt_off=_union(outage.shunts, inj.shunt_in_service & island[inj.shunt_bus]),
        gen_moved=idx,
        gen_moved_p_mw=new_p,
        islanded=np.flatnonzero(island).astype(np.int64),
        load_lost_mw=load_lost,
        gen_lost_mw=gen_lost,
        slack_pickup_mw=slack_mw,
        slack_off=slack_off.astype(np.int64),
        new_slack_gen=new_slack,
    )


@dataclass(frozen=True)
class ContingencySolution:
    """AC results of a list of outages at one operating point (rows in outage order).

    ``batch.island_buses`` counts the buses each outage islands; their
    voltages are NaN. ``load_lost_mw`` / ``gen_lost_mw`` are the load and
    generation of those islands plus the units switched off by the outage
    (a lost slack unit with its intact-case output).
    """

    base: Solution
    batch: BatchSolution
    load_lost_mw: FloatArray
    gen_lost_mw: FloatArray
    islanded: tuple[IntArray, ...]
    new_slack_gen: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per row: the unit made the slack because the outage lost the slack unit
    (:attr:`OutagePlan.new_slack_gen`), else -1."""

    @property
    def slack_lost(self) -> npt.NDArray[np.bool_]:
        """Per row: the outage is the loss of the slack unit (the survivors got a new slack)."""
        return np.asarray(self.new_slack_gen >= 0, dtype=bool)


OUTAGES_PER_ADVANCE = 16
"""Outages solved one by one between two progress reports (:mod:`gridimpact.progress`)."""


def solve_contingencies(
    model: NetworkModel,
    campus_p_mw: float,
    campus_q_mvar: float,
    load_scale: float,
    outages: Sequence[Outage],
) -> ContingencySolution:
    """Solve every outage from the intact case, each on its own.

    Single-branch outages that island nothing are solved together by
    :func:`gridimpact.grid.engine.solve_outages` (lightsim2grid's
    ContingencyAnalysisCPP); every other outage (multi-branch, generator, shunt,
    islanding) by :func:`gridimpact.grid.engine.solve` on its own grid copy
    after :func:`plan_outage`. If the intact case does not converge, no outage
    is solved (all rows NaN).
    """
    topo, template = model.topology_n1, model.lsgrid
    n, nb = len(outages), topo.n_bus
    nl, nt = len(topo.line_names), len(topo.trafo_names)
    vm, va = np.full((n, nb), np.nan), np.full((n, nb), np.nan)
    line_pct, trafo_pct = np.full((n, nl), np.nan), np.full((n, nt), np.nan)
    ok, islands = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    load_lost, gen_lost = np.zeros(n), np.zeros(n)
    new_slack = np.full(n, -1, dtype=np.int64)
    islanded: list[IntArray] = [np.zeros(0, dtype=np.int64)] * n
    batched = [
        j
        for j, o in enumerate(outages)
        if (b := o.single_branch) is not None and outage_islands(topo, *b) == 0
    ]
    args = (campus_p_mw, campus_q_mvar, load_scale)
    rest = sorted(set(range(n)) - set(batched))
    with progress.task("N-1 contingencies", total=n) as task:
        if batched:
            singles = [outages[j].single_branch for j in batched]
            base, part = solve_outages(template, topo, *args, [s for s in singles if s is not None])
            rows = np.asarray(batched, dtype=np.int64)
            vm[rows], va[rows], ok[rows] = part.vm_pu, part.va_degree, part.converged
            line_pct[rows], trafo_pct[rows] = part.line_loading_percent, part.trafo_loading_percent
            task.advance(len(batched))
        else:
            base = solve(template, topo, *args)
        if base.converged:
            inj = injections_of(model, campus_p_mw, load_scale, base)
            base_energised = energised_buses(topo)
            for k, j in enumerate(rest, 1):
                plan = plan_outage(topo, inj, outages[j], base_energised)
                new_slack[j] = plan.new_slack_gen
                sol = solve(template, topo, *args, modify=plan.apply)
                vm[j], va[j], ok[j] = sol.vm_pu, sol.va_degree, sol.converged
                vm[j, plan.islanded] = va[j, plan.islanded] = np.nan
                line_pct[j], trafo_pct[j] = sol.line_loading_percent, sol.trafo_loading_percent
                islands[j], islanded[j] = len(plan.islanded), plan.islanded
                load_lost[j], gen_lost[j] = plan.load_lost_mw, plan.gen_lost_mw
                if k % OUTAGES_PER_ADVANCE == 0:
                    task.advance(OUTAGES_PER_ADVANCE)
        task.advance(len(rest) % OUTAGES_PER_ADVANCE if base.converged else len(rest))
    batch = BatchSolution(ok, vm, va, line_pct, trafo_pct, islands)
    return ContingencySolution(base, batch, load_lost, gen_lost, tuple(islanded), new_slack)


def _concat(first: ContingencySolution, second: ContingencySolution) -> ContingencySolution:
    a, b = first.batch, second.batch
    keys = ["converged", "vm_pu", "va_degree", "line_loading_percent", "trafo_loading_percent"]
    keys.append("island_buses")
    batch = BatchSolution(**{k: np.concatenate([getattr(a, k), getattr(b, k)]) for k in keys})
    return ContingencySolution(
        first.base,
        batch,
        np.concatenate([first.load_lost_mw, second.load_lost_mw]),
        np.concatenate([first.gen_lost_mw, second.gen_lost_mw]),
        first.islanded + second.islanded,
        np.concatenate([first.new_slack_gen, second.new_slack_gen]),
    )


def solve_contingency_set(
    model: NetworkModel,
    campus_p_mw: float,
    campus_q_mvar: float,
    load_scale: float = 1.0,
    outages: Sequence[Outage] | None = None,
) -> tuple[list[Outage], ContingencySolution]:
    """The TPL-001 contingency set at an operating point, solved.

    Parameters
    ----------
    model : NetworkModel
    campus_p_mw, campus_q_mvar, load_scale : float
        Operating point (see :func:`gridimpact.grid.engine.solve`).
    outages : sequence of Outage, optional
        The outages to study; by default every category of :data:`CATEGORIES`
        (N-1-1 pairs chosen from the single-branch results at this operating point).

    Returns
    -------
    (list of Outage, ContingencySolution)
        The outages studied (names made unique) and one result row per outage.
    """
    args = (campus_p_mw, campus_q_mvar, load_scale)
    if outages is not None:
        studied = unique_names(outages)
        return studied, solve_contingencies(model, *args, studied)
    static = static_outages(model)
    sol = solve_contingencies(model, *args, static)
    rows = [r for r, o in enumerate(static) if o.category in BRANCH_CATEGORIES]
    poi = model.poi_index
    extra = n11_outages(
        model.topology,
        [static[r] for r in rows],
        sol.batch.vm_pu[rows, poi] if rows else np.zeros(0),
        poi,
        n11_critical_branches(),
        exclude=[o for o in static if o.category == "common_structure"],
    )
    if not extra or not sol.base.converged:
        return unique_names(static + extra), _concat(sol, _empty_like(sol, len(extra)))
    return unique_names(static + extra), _concat(sol, solve_contingencies(model, *args, extra))


def _empty_like(sol: ContingencySolution, n: int) -> ContingencySolution:
    """``n`` unsolved rows (the intact case did not converge)."""
    b = sol.batch
    nan = {k: np.full((n, *getattr(b, k).shape[1:]), np.nan) for k in ("vm_pu", "va_degree")}
    batch = BatchSolution(
        np.zeros(n, dtype=bool),
        nan["vm_pu"],
        nan["va_degree"],
        np.full((n, b.line_loading_percent.shape[1]), np.nan),
        np.full((n, b.trafo_loading_percent.shape[1]), np.nan),
        np.zeros(n, dtype=np.int64),
    )
    empty = np.zeros(0, dtype=np.int64)
    return ContingencySolution(
        sol.base, batch, np.zeros(n), np.zeros(n), (empty,) * n, np.full(n, -1, dtype=np.int64)
    )


def contingency_set(
    model: NetworkModel, campus_p_mw: float, campus_q_mvar: float, load_scale: float = 1.0
) -> list[Outage]:
    """The outages :func:`gridimpact.grid.n1.run_n1` studies by default at this operating point."""
    return solve_contingency_set(model, campus_p_mw, campus_q_mvar, load_scale)[0]
