"""Linear-sensitivity screening of the hourly N-1: which (hour, outage) pairs need AC.

A full-year hourly AC N-1 by brute force costs ``hours x outages`` Newton-Raphson
solves (8,760 x 3,200 = 28 million on a 2,000-bus network). Production
contingency tools first screen with linear sensitivities and solve in full AC
only the cases that can come near a limit; this module does the same:

1. **Thermal screening (LODF on the AC base case).** The intact-system AC time
   series is solved for every hour anyway. Line outage distribution factors
   (LODF, from lightsim2grid's DC model of the same network, computed once per
   topology) estimate the post-contingency active flow of branch *l* after the
   outage of branch *k*: :math:`P'_l = P_l + \\mathrm{LODF}_{lk} P_k`, with
   the reactive flow kept at its base value. The estimated loading is the AC base
   loading plus the change of apparent power over the branch rating at the
   base-case voltage. A pair (hour, outage) is flagged when any branch's estimate
   reaches the N-1 thermal limit minus ``loading_margin_percent``. A bound
   ``max_t loading_l + 100 |LODF_lk| max_t |P_k| / min_t S_rating_l`` first
   drops the branch/outage pairs that cannot reach the threshold in any hour, so
   only the remaining pairs are evaluated hour by hour.
2. **Voltage and convergence screening (AC at the extreme operating points).**
   The operating point of every hour is set by two numbers, the campus demand
   and the background-load multiplier (generation follows the background load),
   so every outage is solved in full AC at the extreme points of that plane
   (convex-hull vertices, at most ``max_extreme_hours``). An outage that
   diverges there, or breaks a criterion there that the linear estimate did not
   flag, is solved at every hour. Otherwise its post-contingency voltage at each
   hour is estimated as the AC base-case voltage plus the outage's most adverse
   voltage change at the extreme points; hours where it comes within
   ``vm_margin_pu`` of the N-1 band are flagged.
3. The ``always_ac_outages`` outages with the highest loading and the lowest
   voltage at the extreme points are solved at every hour, so that every hour
   has an AC worst case.

Every flagged pair is then solved in full AC by lightsim2grid (one chained
TimeSeriesCPP run per outage over its flagged hours); the others are reported
as screened out with their linear estimate. Outages that island buses are not
screened (they are findings at every hour).

References
----------
.. [1] A. J. Wood, B. F. Wollenberg, G. B. Sheblé, *Power Generation,
   Operation, and Control*, 3rd ed., Wiley, 2014, sections 7.3 (linear
   sensitivity factors: PTDF, LODF) and 7.4 (contingency selection).
.. [2] B. Stott, J. Jardim, O. Alsac, "DC Power Flow Revisited", IEEE Trans.
   Power Syst. 24(3), 1290-1300, 2009.
.. [3] T. Güler, G. Gross, M. Liu, "Generalized Line Outage Distribution
   Factors", IEEE Trans. Power Syst. 22(2), 879-881, 2007.
.. [4] lightsim2grid documentation, ``LSGrid.get_lodf``,
   https://lightsim2grid.readthedocs.io
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, QhullError

from gridimpact.grid._data import read_catalog, value_of
from gridimpact.grid.criteria import GridCriteria, n1_breaks
from gridimpact.grid.engine import (
    SQRT3,
    BatchSolution,
    BranchKind,
    FloatArray,
    IntArray,
    Topology,
    _batch_from,
    _timeseries_with_restarts,
    flat_start,
    set_injections,
    timeseries_injections,
)

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ScreeningSettings:
    """Margins of the N-1 screening (defaults: ``data/grid_types.toml``
    ``[contingency_screening]``, each with its source).

    A linear estimate ``x + d`` (base value plus estimated outage effect) is
    trusted to within ``min(|d|, absolute) + relative * |d|``: the margin grows
    with the size of the estimated effect, since linear estimates err in
    proportion to it, and an outage that moves nothing gets none.
    """

    loading_margin_percent: float
    vm_margin_pu: float
    relative_margin: float
    max_extreme_hours: int
    always_ac_outages: int

    @classmethod
    def default(cls) -> ScreeningSettings:
        """The catalog defaults."""
        table = read_catalog("grid_types.toml")["contingency_screening"]
        return cls(
            loading_margin_percent=float(value_of(table["loading_margin_percent"])),
            vm_margin_pu=float(value_of(table["vm_margin_pu"])),
            relative_margin=float(value_of(table["relative_margin"])),
            max_extreme_hours=int(value_of(table["max_extreme_hours"])),
            always_ac_outages=int(value_of(table["always_ac_outages"])),
        )


@dataclass(frozen=True)
class BaseFlows:
    """The intact-system AC time series with side-1 branch flows.

    ``p_from_mw`` and ``q_from_mvar`` have one row per step and one column per
    branch (lines, then transformers: lightsim2grid's order), float32 to keep a
    2,000-bus year under a few hundred MB.
    """

    batch: BatchSolution
    p_from_mw: npt.NDArray[np.float32]
    q_from_mvar: npt.NDArray[np.float32]


def solve_base_flows(
    template: Any,
    topo: Topology,
    campus_p_mw: FloatArray,
    campus_q_mvar: FloatArray,
    background_scale: FloatArray,
) -> BaseFlows:
    """Intact-system AC time series (as :func:`engine.solve_timeseries`) plus branch flows."""
    grid = template.copy()
    set_injections(grid, topo, 0.0, 0.0, 1.0)
    inj = timeseries_injections(grid, topo, campus_p_mw, campus_q_mvar, background_scale)
    v, powers, ok = _timeseries_with_restarts(grid, topo, *inj)
    batch = _batch_from(topo, v, powers, ok)
    p = np.where(ok[:, None], powers[..., 0], np.nan).astype(np.float32)
    q = np.where(ok[:, None], powers[..., 1], np.nan).astype(np.float32)
    return BaseFlows(batch, p, q)


def rows_of(base: BaseFlows, rows: IntArray | BoolArray) -> BaseFlows:
    """The base flows of a subset of steps."""
    b = base.batch
    batch = BatchSolution(
        b.converged[rows],
        b.vm_pu[rows],
        b.va_degree[rows],
        b.line_loading_percent[rows],
        b.trafo_loading_percent[rows],
        b.island_buses[rows],
    )
    return BaseFlows(batch, base.p_from_mw[rows], base.q_from_mvar[rows])


def lodf_matrix(template: Any, topo: Topology) -> FloatArray:
    """Line outage distribution factors of the intact network, ``[monitored, outaged]``.

    Rows and columns are branches in lightsim2grid's order (lines, then
    transformers). Entry ``[l, k]`` is the fraction of the pre-outage flow of
    ``k`` that moves onto ``l`` when ``k`` trips. Bridges (outages that split
    the network) have no finite factors.

    References
    ----------
    .. [1] Wood, Wollenberg, Sheblé, *Power Generation, Operation, and Control*,
       3rd ed., 2014, section 7.3.
    """
    grid = template.copy()
    set_injections(grid, topo, 0.0, 0.0, 1.0)
    grid.dc_pf(flat_start(topo), 10, 1e-8)
    return np.array(grid.get_lodf(), dtype=float, copy=True)


def extreme_rows(campus_p_mw: FloatArray, background_scale: FloatArray, max_rows: int) -> IntArray:
    """Steps at the extreme operating points of (campus demand, background scale).

    Both coordinates are scaled to [0, 1]; the convex-hull vertices of the
    points (plus the steps of the largest and smallest of each coordinate and
    of their sum) are returned, thinned to at most ``max_rows`` evenly along
    the hull. Quantities that vary monotonically (or linearly) over the plane
    take their extremes at these points.
    """
    norm = operating_features(campus_p_mw, background_scale)[:, 1:]
    total = norm.sum(axis=1)
    must = {
        int(np.argmax(norm[:, 0])),
        int(np.argmin(norm[:, 0])),
        int(np.argmax(norm[:, 1])),
        int(np.argmin(norm[:, 1])),
        int(np.argmax(total)),
        int(np.argmin(total)),
    }
    try:
        hull = list(ConvexHull(norm).vertices) if len(norm) >= 3 else []
    except QhullError:  # collinear or degenerate points: the extremes above suffice
        hull = []
    others = [int(v) for v in hull if int(v) not in must]
    room = max(max_rows - len(must), 0)
    if len(others) > room:
        others = [others[i] for i in np.linspace(0, len(others) - 1, room).round().astype(int)]
    return np.array(sorted(must | set(others)), dtype=np.int64)


def branch_rating_mva(topo: Topology, vm_pu: FloatArray) -> FloatArray:
    """Apparent-power rating (MVA) of every branch at the side-1 voltage of each step.

    ``loading_percent = 100 S / rating`` for the side-1 flow, with the ratings
    of :func:`engine.branch_loadings` (line ``sqrt(3) V max_i_ka``,
    transformer ``sn_mva`` at the actual HV voltage).
    """
    side1 = np.concatenate([topo.line_from, topo.trafo_hv])
    per_pu = np.concatenate(
        [
            SQRT3 * topo.bus_vn_kv[topo.line_from] * topo.line_imax_ka,
            SQRT3 * topo.trafo_rating_ka_kv,
        ]
    )
    return np.asarray(vm_pu[:, side1] * per_pu[np.newaxis, :], dtype=float)


@dataclass(frozen=True)
class ThermalFlags:
    """Result of the LODF screening: which (step, outage) pairs need AC."""

    flags: BoolArray
    """Shape (steps, outages)."""
    dc_max_loading_percent: FloatArray
    """Per outage: highest estimated loading at steps not flagged (NaN: none tracked)."""
    candidate_pairs: int
    """Branch/outage pairs that passed the bound and were evaluated hour by hour."""
    total_pairs: int


def thermal_flags(
    loading_percent: FloatArray,
    p_mw: npt.NDArray[np.floating[Any]],
    q_mvar: npt.NDArray[np.floating[Any]],
    rating_mva: FloatArray,
    lodf: FloatArray,
    outage_branches: IntArray,
    monitored: BoolArray,
    crit: GridCriteria,
    settings: ScreeningSettings,
    dv_side1_pu: FloatArray | None = None,
) -> ThermalFlags:
    r"""Flag the (step, outage) pairs whose LODF estimate may break the N-1 thermal criterion.

    Parameters
    ----------
    loading_percent : ndarray, shape (T, NB)
        AC base-case loading of every branch (NaN where out of service).
    p_mw, q_mvar : ndarray, shape (T, NB)
        AC base-case side-1 active and reactive flows.
    rating_mva : ndarray, shape (T, NB)
        Branch ratings at the side-1 voltage (:func:`branch_rating_mva`).
    lodf : ndarray, shape (NB, NB)
        ``[monitored, outaged]`` distribution factors.
    outage_branches : ndarray of int
        Branch positions of the outages to screen.
    monitored : ndarray of bool, shape (NB,)
        Branches whose loading counts (in service, finite rating).
    crit : GridCriteria
        The N-1 thermal limit.
    settings : ScreeningSettings
        Estimate margins.
    dv_side1_pu : ndarray, shape (NB, outages), optional
        Largest AC voltage change (absolute, pu) the outage causes at each
        branch's side-1 bus (from the extreme points): a branch's current, and so
        its loading, rises by ``L |dv| / (1 - |dv|)`` at constant power, which
        the LODF (active flow) does not see; added to the margin.

    Returns
    -------
    ThermalFlags

    Notes
    -----
    Estimated change of loading of branch *l* after outage *k* at step *t*, with
    the outaged branch's active and reactive flow redistributed by the LODF:
    :math:`d = 100\,(|S_l + \mathrm{LODF}_{lk} S_k| - |S_l|) / S^{rat}_l`
    (:math:`S = P + jQ`), trusted within :math:`m = \min(|d|, m_a) + r|d|`
    (an outage that moves nothing on *l* gets no margin there). A pair is
    flagged where a branch may exceed the limit (:math:`L + d + m > L_{max}`;
    always where it exceeds it already). Since
    :math:`|d| \le D = 100 |\mathrm{LODF}_{lk}| \max_t |S_k| / \min_t S^{rat}_l`,
    pairs with :math:`\max_t L + (1 + r) D + \min(D, m_a) \le L_{max}` are
    dropped before any hourly work.

    References
    ----------
    .. [1] Wood, Wollenberg, Sheblé, 3rd ed., 2014, section 7.3.
    """
    n_steps, n_out = loading_percent.shape[0], len(outage_branches)
    lim = crit.max_loading_n1_percent
    m_abs, rel = settings.loading_margin_percent, settings.relative_margin
    flags = np.zeros((n_steps, n_out), dtype=bool)
    dc_max = np.full(n_out, np.nan)
    with np.errstate(invalid="ignore"):
        l_max = np.nanmax(np.where(monitored, loading_percent, np.nan), axis=0)
        rat_min = np.nanmin(rating_mva, axis=0)
    s_abs_max = np.nanmax(np.hypot(p_mw, q_mvar), axis=0) if n_steps else np.zeros(lodf.shape[0])
    factors = np.abs(np.nan_to_num(lodf[:, outage_branches], nan=0.0, posinf=0.0, neginf=0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        bound_d = (
            100.0
            * factors
            * s_abs_max[outage_branches][None, :]
            / np.where(rat_min > 0, rat_min, np.inf)[:, None]
        )
    bound_d = np.nan_to_num(bound_d, nan=0.0)
    reach = (1.0 + rel) * bound_d + np.minimum(bound_d, m_abs)
    l_top = np.nan_to_num(l_max, nan=-np.inf)[:, None]
    if dv_side1_pu is not None:
        dv = np.clip(dv_side1_pu, 0.0, 0.5)
        reach = reach + np.maximum(l_top, 0.0) * (1.0 + rel) * dv / (1.0 - dv)
    candidates = l_top + reach > lim
    candidates[~monitored, :] = False
    candidates[outage_branches, np.arange(n_out)] = False  # the outaged branch carries 0
    n_cand = 0
    for j in np.flatnonzero(candidates.any(axis=0)):
        ls = np.flatnonzero(candidates[:, j])
        n_cand += len(ls)
        k = outage_branches[j]
        p_l = p_mw[:, ls].astype(float)
        q_l = q_mvar[:, ls].astype(float)
        factor = lodf[ls, k][None, :]
        p_post = p_l + factor * p_mw[:, k].astype(float)[:, None]
        q_post = q_l + factor * q_mvar[:, k].astype(float)[:, None]
        d = 100.0 * (np.hypot(p_post, q_post) - np.hypot(p_l, q_l)) / rating_mva[:, ls]
        base = loading_percent[:, ls]
        volt = 0.0
        if dv_side1_pu is not None:
            dvk = np.clip(dv_side1_pu[ls, j], 0.0, 0.5)[None, :]
            volt = np.maximum(base + d, 0.0) * (1.0 + rel) * dvk / (1.0 - dvk)
        hit = (base + d + rel * np.abs(d) + np.minimum(np.abs(d), m_abs) + volt > lim) | (
            base > lim
        )
        flags[:, j] = np.nan_to_num(hit, nan=0).any(axis=1)
        est = np.where(np.isfinite(base + d), base + d, -np.inf)[~flags[:, j]]
        dc_max[j] = float(est.max()) if est.size and np.isfinite(est.max()) else np.nan
    return ThermalFlags(flags, dc_max, n_cand, int(monitored.sum()) * n_out)


def voltage_flags(
    vm_base_pu: FloatArray,
    dv_low_pu: npt.NDArray[np.floating[Any]],
    dv_high_pu: npt.NDArray[np.floating[Any]],
    crit: GridCriteria,
    settings: ScreeningSettings,
    fit: tuple[FloatArray, npt.NDArray[np.float32], npt.NDArray[np.float32]] | None = None,
) -> BoolArray:
    """Flag the (step, outage) pairs whose estimated voltage may break the N-1 band.

    Parameters
    ----------
    vm_base_pu : ndarray, shape (T, B)
        AC base-case bus voltages.
    dv_low_pu, dv_high_pu : ndarray, shape (K, B)
        Per outage and bus, the lowest and highest voltage change caused by the
        outage at the extreme operating points (AC).
    crit : GridCriteria
        The N-1 voltage band.
    settings : ScreeningSettings
        Estimate margins (``min(|dv|, vm_margin_pu) + relative_margin * |dv|``).
    fit : (features, coef, residual), optional
        Per-step operating features (T, 3), per-outage planes of the voltage
        change (K, 3, B) and their misfit (K, B) (:class:`ExtremeResponse`).
        The pairs that the envelope flags are then re-checked hour by hour with
        the plane's value at that step (plus the misfit and the margins) in
        place of the envelope.

    Returns
    -------
    ndarray of bool, shape (T, K)
    """
    n_steps, n_out = vm_base_pu.shape[0], dv_low_pu.shape[0]
    lo_lim, hi_lim = crit.vm_min_n1_pu, crit.vm_max_n1_pu
    m_abs, rel = settings.vm_margin_pu, settings.relative_margin
    lo_d, hi_d = np.abs(dv_low_pu), np.abs(dv_high_pu)
    down = np.minimum(dv_low_pu, 0.0) - np.minimum(lo_d, m_abs) - rel * lo_d  # most adverse
    up = np.maximum(dv_high_pu, 0.0) + np.minimum(hi_d, m_abs) + rel * hi_d
    flags = np.zeros((n_steps, n_out), dtype=bool)
    vm = np.nan_to_num(vm_base_pu, nan=1.0)
    cand = (vm.min(axis=0)[None, :] + down < lo_lim) | (vm.max(axis=0)[None, :] + up > hi_lim)
    for k in np.flatnonzero(cand.any(axis=1)):
        bs = np.flatnonzero(cand[k])
        v = vm[:, bs]
        if fit is not None:
            est = fit[0] @ fit[1][k][:, bs].astype(float)
            spread = np.minimum(np.abs(est), m_abs) + rel * np.abs(est) + fit[2][k, bs]
            hit = (v + est - spread < lo_lim) | (v + est + spread > hi_lim)
            flags[:, k] = hit.any(axis=1)
            continue
        dn, upk = down[k, bs][None, :], up[k, bs][None, :]
        hit = (v + dn < lo_lim) | (v + upk > hi_lim)
        flags[:, k] = hit.any(axis=1)
    return flags


def outage_branch_positions(topo: Topology, outages: list[tuple[BranchKind, int]]) -> IntArray:
    """Branch position (lines, then transformers) of each outage."""
    nl = len(topo.line_names)
    return np.array([i if k == "line" else nl + i for k, i in outages], dtype=np.int64)


def outage_grid(base_grid: Any, kind: BranchKind, index: int) -> Any:
    """A copy of ``base_grid`` with one branch switched off."""
    grid = base_grid.copy()
    if kind == "line":
        grid.deactivate_powerline(int(index))
    else:
        grid.deactivate_trafo(int(index))
    return grid


def solve_outage_rows(
    base_grid: Any,
    topo: Topology,
    injections: tuple[FloatArray, FloatArray, FloatArray],
    outage: tuple[BranchKind, int],
    rows: IntArray,
    v_init: npt.NDArray[np.complex128] | None = None,
) -> BatchSolution:
    """AC power flow of one outage at the given steps (chained TimeSeriesCPP run).

    ``base_grid`` carries the injections set by :func:`engine.set_injections`;
    ``injections`` are the per-step generator and load matrices of
    :func:`engine.timeseries_injections` for all steps; ``v_init`` is the start
    of the first step (e.g. its intact-case voltages; flat start if None).
    """
    gen_p, load_p, load_q = injections
    grid = outage_grid(base_grid, *outage)
    v, powers, ok = _timeseries_with_restarts(
        grid,
        topo,
        gen_p[rows].copy(),
        load_p[rows].copy(),
        load_q[rows].copy(),
        v_init,
        q_limits=False,
    )
    return _batch_from(topo, v, powers, ok)


@dataclass(frozen=True)
class ExtremeResponse:
    """One outage solved in AC at the extreme operating points."""

    converged: bool
    dv_low_pu: npt.NDArray[np.float32]
    dv_high_pu: npt.NDArray[np.float32]
    max_loading_percent: FloatArray
    min_vm_pu: FloatArray
    max_vm_pu: FloatArray
    breaks: BoolArray
    """Per extreme point: the outage breaks the N-1 criteria."""
    dv_coef: npt.NDArray[np.float32]
    """Least-squares plane of the voltage change over the operating plane, shape (3, buses):
    ``dv = c0 + c1 * campus + c2 * background`` (both scaled to [0, 1])."""
    dv_residual_pu: npt.NDArray[np.float32]
    """Largest misfit of that plane at the extreme points, per bus."""


def extreme_response(
    batch: BatchSolution,
    base: BatchSolution,
    topo: Topology,
    crit: GridCriteria,
    features: FloatArray,
) -> ExtremeResponse:
    """Reduce an outage's AC results at the extreme points to voltage changes and worst values."""
    ok = bool(batch.converged.all())
    dv = np.nan_to_num(batch.vm_pu - base.vm_pu, nan=0.0)
    coef = np.linalg.lstsq(features, dv, rcond=None)[0] if ok else np.zeros((3, 0))
    resid = np.abs(dv - features @ coef).max(axis=0) if ok else np.zeros(0)
    loading = branch_matrix(topo, batch)
    with np.errstate(invalid="ignore"):
        return ExtremeResponse(
            ok,
            np.nanmin(dv, axis=0).astype(np.float32) if ok else np.zeros(0, np.float32),
            np.nanmax(dv, axis=0).astype(np.float32) if ok else np.zeros(0, np.float32),
            np.nanmax(np.where(np.isfinite(loading), loading, -np.inf), axis=1),
            np.nanmin(np.where(np.isfinite(batch.vm_pu), batch.vm_pu, np.inf), axis=1),
            np.nanmax(np.where(np.isfinite(batch.vm_pu), batch.vm_pu, -np.inf), axis=1),
            n1_breaks(crit, loading, batch.vm_pu),
            coef.astype(np.float32),
            resid.astype(np.float32),
        )


def branch_names(topo: Topology) -> list[str]:
    """Names of the in-service branches, in the column order of :func:`branch_matrix`."""
    names = [n for n, m in zip(topo.line_names, topo.line_in_service, strict=True) if m]
    return names + [n for n, m in zip(topo.trafo_names, topo.trafo_in_service, strict=True) if m]


def branch_matrix(topo: Topology, batch: BatchSolution) -> FloatArray:
    """Loading of every in-service branch (lines, then transformers), shape (steps, branches)."""
    return np.hstack(
        [
            batch.line_loading_percent[:, topo.line_in_service],
            batch.trafo_loading_percent[:, topo.trafo_in_service],
        ]
    )


@dataclass(frozen=True)
class ScreeningPlan:
    """Which (step, outage) pairs the hourly N-1 solves in full AC."""

    solve: BoolArray
    """Shape (steps, outages): True where the pair is solved in AC."""
    dc_max_loading_percent: FloatArray
    """Per outage: highest LODF loading estimate at the steps screened out (NaN: none tracked)."""
    extreme_rows: IntArray
    """Steps at which every outage was solved in AC to screen voltages and convergence."""
    always_ac: IntArray
    """Outages solved at every step (worst at the extreme points)."""
    full_year: IntArray
    """Outages solved at every step because they diverged or broke a criterion at an extreme
    point that the linear estimate did not flag."""
    candidate_pairs: int
    total_pairs: int


def map_threads(fn: Any, items: list[Any], workers: int) -> list[Any]:
    if workers <= 1:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def plan_screening(
    base_grid: Any,
    template: Any,
    topo: Topology,
    base: BaseFlows,
    injections: tuple[FloatArray, FloatArray, FloatArray],
    campus_p_mw: FloatArray,
    background_scale: FloatArray,
    outages: list[tuple[BranchKind, int]],
    screened: BoolArray,
    crit: GridCriteria,
    settings: ScreeningSettings,
    workers: int = 1,
) -> ScreeningPlan:
    """Screen every (step, outage) pair; see the module docstring for the method.

    Parameters
    ----------
    base_grid : LSGrid
        Grid copy carrying :func:`engine.set_injections` (for the AC solves).
    template : LSGrid
        The model's template (for the LODF).
    topo : Topology
    base : BaseFlows
        Intact-system AC results of every step.
    injections : (gen_p, load_p, load_q)
        Per-step injection matrices (:func:`engine.timeseries_injections`).
    campus_p_mw, background_scale : ndarray, shape (T,)
        The two numbers that set each step's operating point.
    outages : list of (kind, index)
    screened : ndarray of bool
        Per outage: screen it (False: it islands buses and is not solved at all).
    crit : GridCriteria
        The N-1 criteria.
    settings : ScreeningSettings
    workers : int
        Threads for the AC solves at the extreme points.
    """
    batch = base.batch
    n_steps, n_out = len(batch.converged), len(outages)
    positions = outage_branch_positions(topo, outages)
    loading = np.hstack([batch.line_loading_percent, batch.trafo_loading_percent])
    in_service = np.concatenate([topo.line_in_service, topo.trafo_in_service])
    rating = branch_rating_mva(topo, batch.vm_pu)
    idx = np.flatnonzero(screened)
    flags = np.zeros((n_steps, n_out), dtype=bool)
    ext = extreme_rows(campus_p_mw, background_scale, settings.max_extreme_hours)
    ext = ext[batch.converged[ext]]
    base_ext = rows_of(base, ext).batch
    v_first = _complex_voltage(base_ext, 0)
    features = operating_features(campus_p_mw, background_scale)
    responses = map_threads(
        lambda j: extreme_response(
            solve_outage_rows(base_grid, topo, injections, outages[j], ext, v_first),
            base_ext,
            topo,
            crit,
            features[ext],
        ),
        list(idx),
        workers,
    )
    dv_low = np.zeros((n_out, topo.n_bus), dtype=np.float32)
    dv_coef = np.zeros((n_out, 3, topo.n_bus), dtype=np.float32)
    dv_resid = np.zeros((n_out, topo.n_bus), dtype=np.float32)
    dv_high = np.zeros((n_out, topo.n_bus), dtype=np.float32)
    worst_load, worst_vm = np.full(n_out, -np.inf), np.full(n_out, np.inf)
    full_year = []
    for j, r in zip(idx, responses, strict=True):
        if r.converged:
            dv_low[j], dv_high[j] = r.dv_low_pu, r.dv_high_pu
            dv_coef[j], dv_resid[j] = r.dv_coef, r.dv_residual_pu
    side1 = np.concatenate([topo.line_from, topo.trafo_hv])
    thermal = thermal_flags(
        loading,
        base.p_from_mw,
        base.q_from_mvar,
        rating,
        lodf_matrix(template, topo),
        positions[idx],
        in_service & np.isfinite(np.nanmin(rating, axis=0)),
        crit,
        settings,
        np.maximum(np.abs(dv_low[idx]), np.abs(dv_high[idx])).T[side1].astype(float),
    )
    flags[:, idx] = thermal.flags
    dc_max = np.full(n_out, np.nan)
    dc_max[idx] = thermal.dc_max_loading_percent

    flags[:, idx] |= voltage_flags(
        batch.vm_pu,
        dv_low[idx],
        dv_high[idx],
        crit,
        settings,
        (features, dv_coef[idx], dv_resid[idx]),
    )
    for j, r in zip(idx, responses, strict=True):
        if not r.converged or (r.breaks & ~flags[ext, j]).any():
            full_year.append(j)
            continue
        worst_load[j], worst_vm[j] = r.max_loading_percent.max(), r.min_vm_pu.min()
    n_top = settings.always_ac_outages
    order_load = [j for j in np.argsort(-worst_load, kind="stable") if np.isfinite(worst_load[j])]
    order_vm = [j for j in np.argsort(worst_vm, kind="stable") if np.isfinite(worst_vm[j])]
    always = np.array(sorted(set(order_load[:n_top]) | set(order_vm[:n_top])), dtype=np.int64)
    full = np.array(full_year, dtype=np.int64)
    flags[:, always] = True
    flags[:, full] = True
    flags[~batch.converged, :] = True
    flags[:, ~screened] = False
    return ScreeningPlan(
        flags, dc_max, ext, always, full, thermal.candidate_pairs, thermal.total_pairs
    )


def _complex_voltage(batch: BatchSolution, row: int) -> npt.NDArray[np.complex128]:
    """Bus voltages of one solved step as complex pu (a warm start for that step)."""
    vm = np.nan_to_num(batch.vm_pu[row], nan=1.0)
    va = np.radians(np.nan_to_num(batch.va_degree[row], nan=0.0))
    return np.asarray(vm * np.exp(1j * va), dtype=np.complex128)


def operating_features(campus_p_mw: FloatArray, background_scale: FloatArray) -> FloatArray:
    """``[1, campus, background]`` per step, both scaled to [0, 1] (shape (T, 3))."""
    pts = np.column_stack([campus_p_mw, background_scale]).astype(float)
    span = np.ptp(pts, axis=0)
    norm = (pts - pts.min(axis=0)) / np.where(span > 0, span, 1.0)
    return np.column_stack([np.ones(len(pts)), norm])
