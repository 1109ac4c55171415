"""One AC power-flow engine over lightsim2grid's own grid model.

The pandapower network is converted once with
:func:`lightsim2grid.network.init_from_pandapower`; every study then works on
cheap copies of that C++ grid model (change loads, switch one branch off,
Newton-Raphson with a KLU sparse solver). Branch loadings are computed exactly
as ``pandapower.runpp`` does (line: larger end current over
``max_i_ka * df * parallel``; transformer: ``trafo_loading="current"``), so the
two paths agree to solver tolerance (cross-checked in the tests).

pandapower 3.5.6's ``run_contingency_ls2g`` cannot be used with lightsim2grid
1.2.0 (it imports the removed ``lightsim2grid.gridmodel.from_pandapower``),
which is why this module calls lightsim2grid directly.

Networks that lightsim2grid cannot represent exactly (see
:mod:`gridimpact.grid.equivalents`) get a
:class:`~gridimpact.grid.engine_pandapower.PandapowerGrid` as ``template``
instead of an ``LSGrid``: the same calls, each power flow a
``pandapower.runpp``; the batch functions dispatch on the template type.

References
----------
.. [1] B. Donnot, "LightSim2grid: a fast backend for Grid2Op",
   https://lightsim2grid.readthedocs.io
.. [2] L. Thurner et al., "pandapower - an Open-Source Python Tool for
   Convenient Modeling, Analysis, and Optimization of Electric Power Systems",
   IEEE Trans. Power Syst. 33(6), 2018, doi:10.1109/TPWRS.2018.2829021.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandapower as pp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gridimpact import progress
from gridimpact.grid import engine_pandapower, reactive_limits

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BranchKind = Literal["line", "trafo"]
R = TypeVar("R")

MAX_ITERATIONS = 30
TOLERANCE_PU = 1e-8
SQRT3 = float(np.sqrt(3.0))


@dataclass(frozen=True)
class Topology:
    """Static arrays of a network, in pandapower element order (buses ``0..n-1``)."""

    bus_names: tuple[str, ...]
    bus_vn_kv: FloatArray
    line_names: tuple[str, ...]
    line_from: IntArray
    line_to: IntArray
    line_imax_ka: FloatArray
    line_in_service: npt.NDArray[np.bool_]
    trafo_names: tuple[str, ...]
    trafo_hv: IntArray
    trafo_lv: IntArray
    trafo_rating_ka_kv: FloatArray
    """``sn_mva * parallel * df / sqrt(3)``: divide ``i_ka * vn_kv`` by it for loading."""
    trafo_vn_hv_kv: FloatArray
    trafo_vn_lv_kv: FloatArray
    trafo_in_service: npt.NDArray[np.bool_]
    load_p_mw: FloatArray
    load_q_mvar: FloatArray
    campus_load: int
    slack_buses: IntArray
    line_imax_emergency_ka: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Post-contingency (emergency) rating of each line, kA (``max_i_emergency_ka *
    df * parallel``; the normal rating where the net has none). Empty: same as normal."""
    single_outage_islands: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Buses islanded by the outage of each line, then each transformer (filled by
    :func:`topology_of`; empty means "not computed")."""

    @property
    def n_bus(self) -> int:
        """Number of buses."""
        return len(self.bus_names)

    @property
    def background_loads(self) -> IntArray:
        """Indices of every load except the campus."""
        idx = np.arange(len(self.load_p_mw), dtype=np.int64)
        return idx[idx != self.campus_load]


@dataclass(frozen=True)
class Solution:
    """Raw AC power-flow result of one operating point (all arrays in element order)."""

    converged: bool
    vm_pu: FloatArray
    va_degree: FloatArray
    line_loading_percent: FloatArray
    line_p_from_mw: FloatArray
    line_q_from_mvar: FloatArray
    trafo_loading_percent: FloatArray
    trafo_p_hv_mw: FloatArray
    trafo_q_hv_mvar: FloatArray
    island_buses: int = 0
    """Buses cut off from every slack by the outage (not solved if > 0)."""
    q_limited_gens: tuple[str, ...] = ()
    """Generators held at a reactive-power limit (PV -> PQ; :mod:`.reactive_limits`)."""
    unit_p_mw: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Active power of every generating unit of the engine, MW (:func:`unit_p_mw`; empty
    if not solved): what the slack units actually produce."""


def topology_of(net: pp.pandapowerNet, campus_load: int) -> Topology:
    """Collect the static arrays the engine needs from a pandapower net.

    Parameters
    ----------
    net : pandapowerNet
        Network with buses indexed ``0..n-1``.
    campus_load : int
        Index (position) in ``net.load`` of the campus load.

    Notes
    -----
    Transformer loadings refer the terminal currents to ``rating_vn_hv_kv`` /
    ``rating_vn_lv_kv`` when the net has them (the rated voltages before
    :mod:`gridimpact.grid.equivalents` re-expressed the transformer between the
    bus voltages), else to ``vn_hv_kv`` / ``vn_lv_kv``, as ``pandapower.runpp`` does.
    """
    line, trafo = net.line, net.trafo
    slack = np.concatenate([net.ext_grid.bus.values, net.gen.bus.values[net.gen.slack.values]])
    topo = Topology(
        bus_names=tuple(str(n) for n in net.bus.name),
        bus_vn_kv=net.bus.vn_kv.to_numpy(float),
        line_names=tuple(str(n) for n in line.name),
        line_from=line.from_bus.to_numpy(np.int64),
        line_to=line.to_bus.to_numpy(np.int64),
        line_imax_ka=(line.max_i_ka * line.df * line.parallel).to_numpy(float),
        line_imax_emergency_ka=(
            line.get("max_i_emergency_ka", line.max_i_ka).fillna(line.max_i_ka)
            * line.df
            * line.parallel
        ).to_numpy(float),
        line_in_service=line.in_service.to_numpy(bool),
        trafo_names=tuple(str(n) for n in trafo.name),
        trafo_hv=trafo.hv_bus.to_numpy(np.int64),
        trafo_lv=trafo.lv_bus.to_numpy(np.int64),
        trafo_rating_ka_kv=(trafo.sn_mva * trafo.parallel * trafo.df / SQRT3).to_numpy(float),
        trafo_vn_hv_kv=trafo.get("rating_vn_hv_kv", trafo.vn_hv_kv).to_numpy(float),
        trafo_vn_lv_kv=trafo.get("rating_vn_lv_kv", trafo.vn_lv_kv).to_numpy(float),
        trafo_in_service=trafo.in_service.to_numpy(bool),
        load_p_mw=(net.load.p_mw * net.load.scaling).to_numpy(float),
        load_q_mvar=(net.load.q_mvar * net.load.scaling).to_numpy(float),
        campus_load=campus_load,
        slack_buses=slack[np.isin(slack, net.bus.index[net.bus.in_service])].astype(np.int64),
    )
    empty = np.zeros(0, dtype=np.int64)
    islands = [island_bus_count(topo, np.array([i]), empty) for i in range(len(line))]
    islands += [island_bus_count(topo, empty, np.array([i])) for i in range(len(trafo))]
    return replace(topo, single_outage_islands=np.asarray(islands, dtype=np.int64))


def emergency_rated(topo: Topology) -> Topology:
    """The same topology with the emergency line ratings as ``line_imax_ka``.

    Loadings computed on it are in percent of the post-contingency (emergency)
    rating, the rating NERC TPL-001-5.1 Table 1 checks P1-P7 events against.
    Transformers keep their nameplate rating (no emergency overload rating modelled).
    """
    if len(topo.line_imax_emergency_ka) != len(topo.line_imax_ka):
        return topo
    return replace(topo, line_imax_ka=topo.line_imax_emergency_ka)


def rerated(batch: BatchSolution, rated: Topology, target: Topology) -> BatchSolution:
    """Line loadings of ``batch`` (solved on ``rated``) re-expressed on ``target``'s ratings."""
    if np.array_equal(rated.line_imax_ka, target.line_imax_ka):
        return batch
    scale = rated.line_imax_ka / target.line_imax_ka
    return replace(batch, line_loading_percent=batch.line_loading_percent * scale[np.newaxis, :])


def build_lsgrid(net: pp.pandapowerNet) -> Any:
    """Convert a pandapower net to a lightsim2grid ``LSGrid`` (KLU Newton-Raphson).

    Raises
    ------
    RuntimeError, ValueError, KeyError
        From lightsim2grid when the net holds elements it cannot convert.
    """
    from lightsim2grid.network import init_from_pandapower

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return init_from_pandapower(net)


def island_bus_count(topo: Topology, line_out: IntArray, trafo_out: IntArray) -> int:
    """Number of buses without a path to any slack bus after removing branches.

    Parameters
    ----------
    topo : Topology
        The network.
    line_out, trafo_out : ndarray of int
        Indices of the lines / transformers taken out of service.
    """
    return int(topo.n_bus - energised_buses(topo, line_out, trafo_out).sum())


def energised_buses(
    topo: Topology, line_out: IntArray | None = None, trafo_out: IntArray | None = None
) -> npt.NDArray[np.bool_]:
    """Per bus: is there a path to a slack bus (after removing the given branches)?"""
    label = bus_components(topo, line_out, trafo_out)
    return np.asarray(np.isin(label, label[topo.slack_buses]), dtype=bool)


def bus_components(
    topo: Topology, line_out: IntArray | None = None, trafo_out: IntArray | None = None
) -> IntArray:
    """Connected-component label of every bus (after removing the given branches)."""
    lines = topo.line_in_service.copy()
    trafos = topo.trafo_in_service.copy()
    if line_out is not None:
        lines[line_out] = False
    if trafo_out is not None:
        trafos[trafo_out] = False
    rows = np.concatenate([topo.line_from[lines], topo.trafo_hv[trafos]])
    cols = np.concatenate([topo.line_to[lines], topo.trafo_lv[trafos]])
    n = topo.n_bus
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    return np.asarray(label, dtype=np.int64)


def outage_islands(topo: Topology, kind: BranchKind, index: int) -> int:
    """Buses islanded by the outage of one branch (precomputed when available)."""
    pos = index if kind == "line" else len(topo.line_names) + index
    if len(topo.single_outage_islands):
        return int(topo.single_outage_islands[pos])
    empty = np.zeros(0, dtype=np.int64)
    one = np.array([index], dtype=np.int64)
    return island_bus_count(
        topo, one if kind == "line" else empty, one if kind == "trafo" else empty
    )


def set_injections(
    grid: Any, topo: Topology, campus_p_mw: float, campus_q_mvar: float, load_scale: float
) -> None:
    """Set campus and scaled background loads on a grid model (in place).

    Dispatchable generation is scaled with the background load (load-following
    dispatch, as in :func:`timeseries_injections`); the slack covers the rest.
    """
    if load_scale != 1.0:
        for i, target_mw in enumerate(np.asarray(grid.get_gen_target_p(), float)):
            grid.change_p_gen(i, float(target_mw * load_scale))
    for i in topo.background_loads:
        grid.change_p_load(int(i), float(topo.load_p_mw[i] * load_scale))
        grid.change_q_load(int(i), float(topo.load_q_mvar[i] * load_scale))
    grid.change_p_load(topo.campus_load, float(campus_p_mw))
    grid.change_q_load(topo.campus_load, float(campus_q_mvar))


def flat_start(topo: Topology) -> npt.NDArray[np.complex128]:
    """Flat-start voltage vector (1 pu, 0 degrees); the solver imposes PV set-points."""
    return np.ones(topo.n_bus, dtype=np.complex128)


def _nan(n: int) -> FloatArray:
    return np.full(n, np.nan)


def failed_solution(topo: Topology, island_buses: int = 0) -> Solution:
    """A non-converged result: every array NaN, ``converged=False``."""
    nb, nl, nt = topo.n_bus, len(topo.line_names), len(topo.trafo_names)
    return Solution(
        False,
        _nan(nb),
        _nan(nb),
        _nan(nl),
        _nan(nl),
        _nan(nl),
        _nan(nt),
        _nan(nt),
        _nan(nt),
        island_buses,
    )


def branch_loadings(
    topo: Topology,
    i_line_ka: tuple[FloatArray, FloatArray],
    i_trafo_ka: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """Line and transformer loading in percent, as ``pandapower.runpp`` defines them.

    Parameters
    ----------
    topo : Topology
        Ratings.
    i_line_ka : (ndarray, ndarray)
        Line currents at the from and to ends, kA (``nan`` or 0 if out of service).
    i_trafo_ka : (ndarray, ndarray)
        Transformer currents at the HV and LV terminals, kA.

    Notes
    -----
    A line between buses of different rated voltage (the exact equivalent of
    a shunted pandapower ``impedance``, :mod:`gridimpact.grid.equivalents`) is
    rated in MVA: its to-end current is compared with ``max_i_ka`` scaled by
    ``vn_from / vn_to``. For every ordinary line (same voltage at both ends)
    this is ``pandapower.runpp``'s definition.

    References
    ----------
    .. [1] pandapower documentation, "Line" and "Transformer" result tables
       (``loading_percent``), https://pandapower.readthedocs.io/en/latest/elements.html
    """
    to_per_from = topo.bus_vn_kv[topo.line_to] / topo.bus_vn_kv[topo.line_from]
    i_line = np.fmax(np.nan_to_num(i_line_ka[0]), np.nan_to_num(i_line_ka[1]) * to_per_from)
    line_pct = 100.0 * i_line / topo.line_imax_ka
    s_trafo = np.fmax(
        np.nan_to_num(i_trafo_ka[0]) * topo.trafo_vn_hv_kv,
        np.nan_to_num(i_trafo_ka[1]) * topo.trafo_vn_lv_kv,
    )
    trafo_pct = 100.0 * s_trafo / topo.trafo_rating_ka_kv
    return line_pct, trafo_pct


def unit_p_mw(grid: Any) -> FloatArray:
    """Active power of every generating unit of a solved grid model, MW.

    Units in the engine's order: ``net.gen``, then the generators lightsim2grid's
    conversion adds for the external grids (the pandapower fallback: every
    ``net.ext_grid``). Slack units report what they produce, others their set-point
    (0 for a unit :mod:`.reactive_limits` holds at a limit: its companion carries it).
    """
    if engine_pandapower.is_pandapower_grid(grid):
        return np.asarray(grid.unit_p_mw(), dtype=float)
    return np.array(grid.get_gen_res()[0], dtype=float, copy=True)


def read_solution(grid: Any, topo: Topology, v: npt.NDArray[np.complex128]) -> Solution:
    """Collect bus and branch results from a solved grid model."""
    p_l, q_l, _, a_l1 = grid.get_line_res1()
    _, _, _, a_l2 = grid.get_line_res2()
    p_t, q_t, _, a_t1 = grid.get_trafo_res1()
    _, _, _, a_t2 = grid.get_trafo_res2()
    line_pct, trafo_pct = branch_loadings(topo, (a_l1, a_l2), (a_t1, a_t2))
    return Solution(
        True,
        np.abs(v).astype(float),
        np.degrees(np.angle(v)).astype(float),
        line_pct,
        # copies: lightsim2grid returns views into the solved grid's buffers,
        # which are freed (and reused) once ``grid`` goes out of scope
        np.array(p_l, dtype=float, copy=True),
        np.array(q_l, dtype=float, copy=True),
        trafo_pct,
        np.array(p_t, dtype=float, copy=True),
        np.array(q_t, dtype=float, copy=True),
        unit_p_mw=unit_p_mw(grid),
    )


def solve(
    template: Any,
    topo: Topology,
    campus_p_mw: float,
    campus_q_mvar: float,
    load_scale: float = 1.0,
    outage: tuple[BranchKind, int] | None = None,
    modify: Callable[[Any], None] | None = None,
) -> Solution:
    """AC power flow of one operating point on a copy of ``template``.

    Parameters
    ----------
    template : lightsim2grid LSGrid or PandapowerGrid
        Converted network (not modified).
    topo : Topology
        Its static arrays.
    campus_p_mw, campus_q_mvar : float
        Campus demand at the POI (positive = consumption).
    load_scale : float
        Multiplier on every background load (1.0 = modelled summer peak).
    outage : (kind, index) or None
        One branch switched off (``("line", i)`` or ``("trafo", i)``).
    modify : callable, optional
        ``modify(grid)`` applied to the grid copy after the injections are set
        and before the power flow (switching elements off, moving generator
        set-points: :mod:`gridimpact.grid.contingencies`).

    Returns
    -------
    Solution
        ``converged=False`` (arrays NaN) if Newton-Raphson fails or the outage
        leaves buses without a source (``island_buses > 0``).
    """
    empty = np.zeros(0, dtype=np.int64)
    line_out = np.array([outage[1]]) if outage and outage[0] == "line" else empty
    trafo_out = np.array([outage[1]]) if outage and outage[0] == "trafo" else empty
    islands = outage_islands(topo, outage[0], outage[1]) if outage else 0
    if islands:
        return failed_solution(topo, islands)
    grid = template.copy()
    set_injections(grid, topo, campus_p_mw, campus_q_mvar, load_scale)
    for i in line_out:
        grid.deactivate_powerline(int(i))
    for i in trafo_out:
        grid.deactivate_trafo(int(i))
    if modify is not None:
        modify(grid)
    # generator reactive limits: PV -> PQ outer loop (no-op without limits)
    v, pinned = reactive_limits.ac_pf_q_limited(
        grid, flat_start(topo), MAX_ITERATIONS, TOLERANCE_PU
    )
    if v.shape[0] == 0:
        return failed_solution(topo)
    limited = reactive_limits.pinned_names(grid, pinned)
    return replace(read_solution(grid, topo, v), q_limited_gens=limited)


@dataclass(frozen=True)
class BatchSolution:
    """AC power-flow results of many operating points (rows) of one network.

    Arrays have one row per operating point; rows that did not converge (or
    were not solved because the outage islands buses) hold NaN.
    """

    converged: npt.NDArray[np.bool_]
    vm_pu: FloatArray
    va_degree: FloatArray
    line_loading_percent: FloatArray
    trafo_loading_percent: FloatArray
    island_buses: IntArray
    q_limited_count: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per row, generators held at a reactive limit (empty: not computed)."""


def _branch_ends(topo: Topology) -> tuple[IntArray, IntArray]:
    return (
        np.concatenate([topo.line_from, topo.trafo_hv]),
        np.concatenate([topo.line_to, topo.trafo_lv]),
    )


def batch_loadings(
    topo: Topology, v: npt.NDArray[np.complex128], powers: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Branch loadings of many solved rows from end powers and bus voltages.

    Parameters
    ----------
    topo : Topology
    v : ndarray of complex, shape (rows, buses)
        Bus voltages in pu.
    powers : ndarray, shape (rows, lines + trafos, 4)
        ``P1, Q1, P2, Q2`` in MW/Mvar at both branch ends (lightsim2grid
        ``compute_branch_results``; lines first, then transformers).

    Returns
    -------
    (ndarray, ndarray)
        Line and transformer loading in percent, shape (rows, lines) and (rows, trafos).

    Notes
    -----
    End current :math:`I = |S| / (\\sqrt{3}\\, |V| V_n)` as in ``pandapower.runpp``;
    loadings then follow :func:`branch_loadings`.
    """
    side1, side2 = _branch_ends(topo)
    vm_kv = np.abs(v) * topo.bus_vn_kv[np.newaxis, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        i1 = np.hypot(powers[..., 0], powers[..., 1]) / (SQRT3 * vm_kv[:, side1])
        i2 = np.hypot(powers[..., 2], powers[..., 3]) / (SQRT3 * vm_kv[:, side2])
    nl = len(topo.line_names)
    line_pct, trafo_pct = branch_loadings(topo, (i1[:, :nl], i2[:, :nl]), (i1[:, nl:], i2[:, nl:]))
    return line_pct, trafo_pct


def _batch_from(
    topo: Topology, v: npt.NDArray[np.complex128], powers: FloatArray, ok: npt.NDArray[np.bool_]
) -> BatchSolution:
    line_pct, trafo_pct = batch_loadings(topo, v, powers)
    vm = np.abs(v).astype(float)
    va = np.degrees(np.angle(v)).astype(float)
    for arr in (vm, va, line_pct, trafo_pct):
        arr[~ok] = np.nan
    return BatchSolution(ok, vm, va, line_pct, trafo_pct, np.zeros(len(ok), dtype=np.int64))


def solve_outages(
    template: Any,
    topo: Topology,
    campus_p_mw: float,
    campus_q_mvar: float,
    load_scale: float,
    outages: list[tuple[BranchKind, int]],
) -> tuple[Solution, BatchSolution]:
    """Base case and every single-branch outage, with lightsim2grid's ContingencyAnalysisCPP.

    Parameters
    ----------
    template, topo
        Converted network and its arrays.
    campus_p_mw, campus_q_mvar, load_scale : float
        Operating point (see :func:`solve`).
    outages : list of (kind, index)
        Branches to switch off one at a time.

    Returns
    -------
    (Solution, BatchSolution)
        The intact case and one row per outage in the given order. If the
        intact case does not converge no outage is solved (all rows NaN).
        Outages that island buses are not solved (``island_buses > 0``).

    References
    ----------
    .. [1] lightsim2grid documentation, "Contingency analysis",
       https://lightsim2grid.readthedocs.io/en/latest/security_analysis.html
    """
    nl, n = len(topo.line_names), len(outages)
    islands = np.array([outage_islands(topo, k, i) for k, i in outages], dtype=np.int64)
    grid = template.copy()
    set_injections(grid, topo, campus_p_mw, campus_q_mvar, load_scale)
    v0, pinned = reactive_limits.ac_pf_q_limited(
        grid, flat_start(topo), MAX_ITERATIONS, TOLERANCE_PU
    )
    nan_rows = np.full((n, topo.n_bus), np.nan + 0j)
    nan_powers = np.zeros((n, nl + len(topo.trafo_names), 4))
    if v0.shape[0] == 0:
        batch = _batch_from(topo, nan_rows, nan_powers, np.zeros(n, dtype=bool))
        return failed_solution(topo), BatchSolution(**{**batch.__dict__, "island_buses": islands})
    limited = reactive_limits.pinned_names(grid, pinned)
    base = replace(read_solution(grid, topo, v0), q_limited_gens=limited)
    branch_ids = [i if k == "line" else nl + i for k, i in outages]
    solvable = [b for b, isl in zip(branch_ids, islands, strict=True) if isl == 0]
    v, powers, ok = nan_rows.copy(), nan_powers.copy(), np.zeros(n, dtype=bool)
    if solvable and engine_pandapower.is_pandapower_grid(grid):
        v_pp, p_pp, ok_pp = engine_pandapower.run_outages(
            grid, solvable, nl, MAX_ITERATIONS, TOLERANCE_PU
        )
        row_pp = {b: r for r, b in enumerate(solvable)}
        for j, b in enumerate(branch_ids):
            if islands[j] == 0:
                r = row_pp[b]
                v[j], powers[j], ok[j] = v_pp[r], p_pp[r], bool(ok_pp[r])
    elif solvable:
        from lightsim2grid.lightsim2grid_cpp import ContingencyAnalysisCPP

        ca = ContingencyAnalysisCPP(grid)
        ca.add_multiple_n1(solvable)
        ca.compute(v0, MAX_ITERATIONS, TOLERANCE_PU)
        row_of = {int(d[0]): r for r, d in enumerate(ca.my_defaults())}
        v_ca, p_ca, ok_ca = ca.get_voltages(), ca.compute_branch_results(), ca.converged_mask()
        for j, b in enumerate(branch_ids):
            if islands[j] == 0:
                r = row_of[b]
                v[j], powers[j], ok[j] = v_ca[r], p_ca[r], bool(ok_ca[r])
    batch = _batch_from(topo, v, powers, ok)
    # outages were solved from the Q-limited base: rows where a limit no longer
    # holds are solved again on their own, with the loop (reactive_limits)
    count = np.full(n, len(limited), dtype=np.int64)
    if engine_pandapower.is_pandapower_grid(grid):  # runpp(enforce_q_lims) per row: no count
        count = np.zeros(0, dtype=np.int64)
    redo = reactive_limits.rows_to_resolve(
        grid, pinned, v0, v, powers, ok, islands, _branch_ends(topo)
    )
    for j in redo:
        row = solve(template, topo, campus_p_mw, campus_q_mvar, load_scale, outages[j])
        batch.converged[j], batch.vm_pu[j], batch.va_degree[j] = (
            row.converged, row.vm_pu, row.va_degree
        )
        batch.line_loading_percent[j] = row.line_loading_percent
        batch.trafo_loading_percent[j] = row.trafo_loading_percent
        count[j] = len(row.q_limited_gens)
    extra = {"island_buses": islands, "q_limited_count": count}
    return base, BatchSolution(**{**batch.__dict__, **extra})


MAX_RESTARTS = 500
"""Time-series rows after a divergence are re-solved from the next row at most this often."""


def _run_timeseries_chunk(
    grid: Any,
    v0: npt.NDArray[np.complex128],
    gen_p: FloatArray,
    load_p: FloatArray,
    load_q: FloatArray,
) -> tuple[npt.NDArray[np.complex128], FloatArray, npt.NDArray[np.bool_]]:
    sgen_target = np.asarray(grid.get_sgen_target_p(), float)
    sgen_p = np.ascontiguousarray(np.tile(sgen_target, (len(load_p), 1)))
    if engine_pandapower.is_pandapower_grid(grid):
        return engine_pandapower.run_timeseries(
            grid, gen_p, sgen_p, load_p, load_q, MAX_ITERATIONS, TOLERANCE_PU
        )
    from lightsim2grid.lightsim2grid_cpp import TimeSeriesCPP

    ts = TimeSeriesCPP(grid)
    ts.compute_Vs(gen_p, sgen_p, load_p, load_q, v0, MAX_ITERATIONS, TOLERANCE_PU)
    ok = np.asarray(ts.converged_mask(), dtype=bool)
    # copies: the arrays are views into ``ts``, freed when this function returns
    v = np.array(ts.get_voltages(), copy=True)
    powers = np.array(ts.compute_branch_results(), copy=True)
    return v, powers, ok


def timeseries_injections(
    grid: Any,
    topo: Topology,
    campus_p_mw: FloatArray,
    campus_q_mvar: FloatArray,
    background_scale: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Generator P and load P/Q matrices (rows = steps) for TimeSeriesCPP.

    Dispatchable generation follows the background load in proportion (a
    load-following dispatch, so that generation and background load stay in
    balance at every hour); the slack covers the campus and the losses.
    """
    n = len(campus_p_mw)
    gen_p = np.tile(np.asarray(grid.get_gen_target_p(), float), (n, 1))
    gen_p *= background_scale[:, np.newaxis]
    load_p = np.tile(topo.load_p_mw, (n, 1))
    load_q = np.tile(topo.load_q_mvar, (n, 1))
    bg = topo.background_loads
    load_p[:, bg] *= background_scale[:, np.newaxis]
    load_q[:, bg] *= background_scale[:, np.newaxis]
    load_p[:, topo.campus_load] = campus_p_mw
    load_q[:, topo.campus_load] = campus_q_mvar
    return gen_p, load_p, load_q


def _timeseries_with_restarts(
    grid: Any,
    topo: Topology,
    gen_p: FloatArray,
    load_p: FloatArray,
    load_q: FloatArray,
    v_init: npt.NDArray[np.complex128] | None = None,
    q_limits: bool = True,
) -> tuple[npt.NDArray[np.complex128], FloatArray, npt.NDArray[np.bool_]]:
    """Chained time series from ``v_init`` (flat start if None); restarted flat after a
    divergent step. With ``q_limits`` the steps where a unit leaves its reactive limits
    are solved again with the PV -> PQ loop (:func:`_q_limited_steps`); the hourly N-1
    (outage rows) skips it: one full solve per (step, outage) is beyond its budget."""
    start_v = flat_start(topo) if v_init is None else v_init
    # the intact year (q_limits) reports its steps; an outage's run (no q_limits) is one
    # step of its caller's task
    reporter = progress.current() if q_limits else progress.NULL
    with reporter.task("chained AC power flow", total=len(load_p)) as task:
        v, powers, ok = _chained_steps(grid, topo, (gen_p, load_p, load_q), start_v, task)
    if not q_limits or engine_pandapower.is_pandapower_grid(grid):
        return v, powers, ok
    return _q_limited_steps(grid, topo, (gen_p, load_p, load_q), v, powers, ok)


def _chained_steps(
    grid: Any,
    topo: Topology,
    injections: tuple[FloatArray, FloatArray, FloatArray],
    start_v: npt.NDArray[np.complex128],
    task: progress.Task,
) -> tuple[npt.NDArray[np.complex128], FloatArray, npt.NDArray[np.bool_]]:
    """:func:`_timeseries_with_restarts` without the reactive limits; ``task`` advances by
    the steps settled by each chained run."""
    gen_p, load_p, load_q = injections
    n = len(load_p)
    v_c, p_c, ok_c = _run_timeseries_chunk(grid, start_v, gen_p, load_p, load_q)
    # the pandapower fallback solves every step on its own: nothing to restart
    if engine_pandapower.is_pandapower_grid(grid) or ok_c.all():
        task.advance(n)
        return v_c, p_c, ok_c
    v = np.full((n, topo.n_bus), np.nan + 0j)
    powers = np.zeros((n, len(topo.line_names) + len(topo.trafo_names), 4))
    ok = np.zeros(n, dtype=bool)
    start, restarts = 0, 0
    while start < n and restarts <= MAX_RESTARTS:
        rows = slice(start, n)
        v_c, p_c, ok_c = _run_timeseries_chunk(
            grid, flat_start(topo), gen_p[rows].copy(), load_p[rows].copy(), load_q[rows].copy()
        )
        good = np.flatnonzero(ok_c)
        v[start + good], powers[start + good], ok[start + good] = v_c[good], p_c[good], True
        if ok_c.all():
            break
        settled = int(np.argmin(ok_c)) + 1
        task.advance(settled)
        start += settled
        restarts += 1
    task.advance(n - start)  # the last run's steps (or those left unsolved)
    return v, powers, ok


STEPS_PER_ADVANCE = 16
"""Time steps solved one by one between two progress reports (:mod:`gridimpact.progress`)."""


def _q_limited_steps(
    grid: Any,
    topo: Topology,
    injections: tuple[FloatArray, FloatArray, FloatArray],
    v: npt.NDArray[np.complex128],
    powers: FloatArray,
    ok: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.complex128], FloatArray, npt.NDArray[np.bool_]]:
    """Steps of a time series (solved without reactive limits: TimeSeriesCPP runs no
    outer loop) in which a unit leaves its limits, solved again one by one with the
    PV -> PQ loop of :mod:`.reactive_limits`; the others are already exact."""
    limits = reactive_limits.limits_of(grid)
    if limits is None or not ok.any():
        return v, powers, ok
    gen_p, load_p, load_q = injections
    flag = reactive_limits.timeseries_rows_over_limits(
        grid, limits, v, powers, load_q, _branch_ends(topo)
    )
    rows = np.flatnonzero(flag & ok)
    if not len(rows):
        return v, powers, ok
    v, powers, ok = v.copy(), powers.copy(), ok.copy()
    with progress.task("steps at reactive limits", total=len(rows)) as task:
        for k, t in enumerate(rows, 1):
            step = grid.copy()
            for i, p_mw in enumerate(gen_p[t]):
                step.change_p_gen(i, float(p_mw))
            for i in range(load_p.shape[1]):
                step.change_p_load(i, float(load_p[t, i]))
                step.change_q_load(i, float(load_q[t, i]))
            v_t, _ = reactive_limits.ac_pf_q_limited(
                step, v[t], MAX_ITERATIONS, TOLERANCE_PU, limits
            )
            if v_t.shape[0] == 0:
                v[t], powers[t], ok[t] = np.nan, 0.0, False
            else:
                v[t], powers[t] = v_t, reactive_limits.base_branch_powers(step)
            if k % STEPS_PER_ADVANCE == 0:
                task.advance(STEPS_PER_ADVANCE)
        task.advance(len(rows) % STEPS_PER_ADVANCE)
    return v, powers, ok


def solve_timeseries(
    template: Any,
    topo: Topology,
    campus_p_mw: FloatArray,
    campus_q_mvar: FloatArray,
    background_scale: FloatArray,
) -> BatchSolution:
    """AC power flow of every time step with lightsim2grid's TimeSeriesCPP.

    Parameters
    ----------
    template, topo
        Converted network and its arrays.
    campus_p_mw, campus_q_mvar, background_scale : ndarray, shape (T,)
        Campus demand and background-load multiplier per step.

    Returns
    -------
    BatchSolution
        One row per step. TimeSeriesCPP chains the steps (each starts from the
        previous solution) and stops at the first divergence; the remaining
        steps are then solved again from the next step, so one bad hour only
        loses that hour (up to ``MAX_RESTARTS`` divergences).

    References
    ----------
    .. [1] lightsim2grid documentation, "Time Series",
       https://lightsim2grid.readthedocs.io/en/latest/time_series.html
    """
    grid = template.copy()
    set_injections(grid, topo, 0.0, 0.0, 1.0)
    inj = timeseries_injections(grid, topo, campus_p_mw, campus_q_mvar, background_scale)
    v, powers, ok = _timeseries_with_restarts(grid, topo, *inj)
    return _batch_from(topo, v, powers, ok)


def map_timeseries_outages(
    template: Any,
    topo: Topology,
    campus_p_mw: FloatArray,
    campus_q_mvar: FloatArray,
    background_scale: FloatArray,
    outages: list[tuple[BranchKind, int]],
    reduce: Callable[[int, BatchSolution], R],
    workers: int = 1,
) -> list[R]:
    """The time series once per single-branch outage, each reduced as soon as it is solved.

    Parameters
    ----------
    template, topo
        Converted network and its arrays.
    campus_p_mw, campus_q_mvar, background_scale : ndarray, shape (T,)
        Operating point per step (see :func:`solve_timeseries`).
    outages : list of (kind, index)
        Branches to switch off one at a time.
    reduce : callable
        ``reduce(islanded_buses, batch) -> R`` applied to each outage's result
        (``batch`` is all NaN and not solved if the outage islands buses), so
        that only the reductions are kept in memory.
    workers : int
        Threads solving outages concurrently (lightsim2grid releases the GIL
        in ``compute_Vs``); results do not depend on it.

    Returns
    -------
    list
        ``reduce`` results in the order of ``outages``.

    Notes
    -----
    The injection matrices are built once; each outage costs one grid copy and
    one chained TimeSeriesCPP run (each step warm-started from the previous
    one; restarted after a divergent step).

    References
    ----------
    .. [1] lightsim2grid documentation, "Time Series",
       https://lightsim2grid.readthedocs.io/en/latest/time_series.html
    """
    base = template.copy()
    set_injections(base, topo, 0.0, 0.0, 1.0)
    inj = timeseries_injections(base, topo, campus_p_mw, campus_q_mvar, background_scale)
    n = len(campus_p_mw)

    def one(outage: tuple[BranchKind, int]) -> R:
        kind, i = outage
        islands = outage_islands(topo, kind, i)
        if islands:
            nan_v = np.full((n, topo.n_bus), np.nan + 0j)
            nan_p = np.zeros((n, len(topo.line_names) + len(topo.trafo_names), 4))
            return reduce(islands, _batch_from(topo, nan_v, nan_p, np.zeros(n, dtype=bool)))
        grid = base.copy()
        if kind == "line":
            grid.deactivate_powerline(int(i))
        else:
            grid.deactivate_trafo(int(i))
        v, powers, ok = _timeseries_with_restarts(grid, topo, *inj, q_limits=False)
        return reduce(0, _batch_from(topo, v, powers, ok))

    if workers <= 1:
        return [one(o) for o in outages]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, outages))
