"""The fallback engine: pandapower's own ``runpp`` behind the grid-model methods engine.py uses.

Networks holding an element that lightsim2grid cannot represent exactly (see
:mod:`gridimpact.grid.equivalents`) are solved by :class:`PandapowerGrid`, a
small object with the ``LSGrid`` methods :mod:`gridimpact.grid.engine` calls
(``copy``, ``change_p_load``, ``deactivate_powerline``, ``deactivate_gen``, ``ac_pf``,
``get_line_res1`` ...), each power flow a ``pandapower.runpp`` on its own copy
of the net. It is much slower than lightsim2grid (one full pandapower power
flow per operating point and per outage) but gives pandapower's results for
every element pandapower supports.

References
----------
.. [1] pandapower documentation, "Power Flow" (``runpp``),
   https://pandapower.readthedocs.io/en/latest/powerflow/ac.html
.. [2] lightsim2grid documentation, "LSGrid" (the methods mirrored here),
   https://lightsim2grid.readthedocs.io
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import numpy.typing as npt
import pandapower as pp
from pandapower.powerflow import LoadflowNotConverged

FloatArray = npt.NDArray[np.float64]
ComplexArray = npt.NDArray[np.complex128]
BranchResult = tuple[FloatArray, FloatArray, FloatArray, FloatArray]


class PandapowerGrid:
    """A pandapower net with the subset of the lightsim2grid ``LSGrid`` API the engine uses.

    Parameters
    ----------
    net : pandapowerNet
        Network (kept, not copied: call :meth:`copy` before changing it).

    Notes
    -----
    Generator, load and static-generator indices are positions in
    ``net.gen``/``net.load``/``net.sgen``, as in lightsim2grid's conversion.
    After :meth:`ac_pf` the ``get_*_res*`` methods return pandapower's result
    tables; out-of-service branches read 0.
    """

    def __init__(self, net: pp.pandapowerNet) -> None:
        self.net = net
        self._solved: pp.pandapowerNet | None = None
        self.enforce_q_lims = False
        """Enforce generator reactive limits in :meth:`ac_pf` (``runpp(enforce_q_lims=True)``)."""

    def copy(self) -> PandapowerGrid:
        """A deep copy (independent net, no results; keeps ``enforce_q_lims``)."""
        out = PandapowerGrid(copy.deepcopy(self.net))
        out.enforce_q_lims = self.enforce_q_lims
        return out

    def q_limited_gens(self) -> list[str]:
        """Names of the in-service, non-slack generators the last solve left at a finite
        reactive limit (empty without ``enforce_q_lims`` or results)."""
        if not self.enforce_q_lims or self._solved is None or not len(self.net.gen):
            return []
        gen, q = self.net.gen, self.net.res_gen.q_mvar.to_numpy(float)
        lo = gen.min_q_mvar.to_numpy(float) if "min_q_mvar" in gen else np.full(len(gen), np.nan)
        hi = gen.max_q_mvar.to_numpy(float) if "max_q_mvar" in gen else np.full(len(gen), np.nan)
        tol = 1e-6 * np.maximum(1.0, np.abs(q))
        at = (np.abs(q - lo) <= tol) | (np.abs(q - hi) <= tol)
        at &= gen.in_service.to_numpy(bool) & ~gen.slack.to_numpy(bool)
        return [
            str(n) if n is not None and str(n) not in ("", "nan") else f"gen {i}"
            for i, n in enumerate(gen.name)
            if at[i]
        ]

    def get_gen_target_p(self) -> FloatArray:
        """Generator active-power set-points, MW (``p_mw * scaling``)."""
        gen = self.net.gen
        return (gen.p_mw * gen.scaling.fillna(1.0)).to_numpy(float)

    def get_sgen_target_p(self) -> FloatArray:
        """Static-generator active-power injections, MW (``p_mw * scaling``)."""
        sgen = self.net.sgen
        return (sgen.p_mw * sgen.scaling.fillna(1.0)).to_numpy(float)

    def _set(self, table: str, column: str, i: int, value: float) -> None:
        frame = self.net[table]
        frame.iat[i, frame.columns.get_loc(column)] = value
        if "scaling" in frame:
            frame.iat[i, frame.columns.get_loc("scaling")] = 1.0

    def change_p_gen(self, i: int, p_mw: float) -> None:
        """Set generator ``i``'s active power, MW."""
        self._set("gen", "p_mw", i, p_mw)

    def change_p_sgen(self, i: int, p_mw: float) -> None:
        """Set static generator ``i``'s active power, MW."""
        self._set("sgen", "p_mw", i, p_mw)

    def change_p_load(self, i: int, p_mw: float) -> None:
        """Set load ``i``'s active power, MW."""
        self._set("load", "p_mw", i, p_mw)

    def change_q_load(self, i: int, q_mvar: float) -> None:
        """Set load ``i``'s reactive power, Mvar."""
        self._set("load", "q_mvar", i, q_mvar)

    def deactivate_powerline(self, i: int) -> None:
        """Take line ``i`` out of service."""
        self.net.line.loc[self.net.line.index[i], "in_service"] = False

    def deactivate_trafo(self, i: int) -> None:
        """Take transformer ``i`` out of service."""
        self.net.trafo.loc[self.net.trafo.index[i], "in_service"] = False

    def _off(self, table: str, i: int) -> None:
        frame = self.net[table]
        frame.loc[frame.index[i], "in_service"] = False

    def deactivate_gen(self, i: int) -> None:
        """Take unit ``i`` out of service (positions past ``net.gen``: the external grids)."""
        n_gen = len(self.net.gen)
        if i < n_gen:
            self._off("gen", i)
        else:
            self._off("ext_grid", i - n_gen)

    def add_gen_slackbus(self, i: int, weight: float) -> None:
        """Make generator ``i`` a slack (``gen.slack``; ``weight`` as ``slack_weight``)."""
        frame = self.net.gen
        frame.loc[frame.index[i], "slack"] = True
        frame.loc[frame.index[i], "slack_weight"] = float(weight)

    def remove_gen_slackbus(self, i: int) -> None:
        """Generator ``i`` no longer a slack (an external grid stays one while in service)."""
        if i < len(self.net.gen):
            frame = self.net.gen
            frame.loc[frame.index[i], "slack"] = False
            frame.loc[frame.index[i], "slack_weight"] = 0.0

    def unit_p_mw(self) -> FloatArray:
        """Active power of every unit of the last solve, MW: ``net.gen``, then ``net.ext_grid``."""
        gen = self.net.res_gen.p_mw.reindex(self.net.gen.index)
        ext = self.net.res_ext_grid.p_mw.reindex(self.net.ext_grid.index)
        return np.concatenate([gen.fillna(0.0).to_numpy(float), ext.fillna(0.0).to_numpy(float)])

    def deactivate_sgen(self, i: int) -> None:
        """Take static generator ``i`` out of service."""
        self._off("sgen", i)

    def deactivate_load(self, i: int) -> None:
        """Take load ``i`` out of service."""
        self._off("load", i)

    def deactivate_shunt(self, i: int) -> None:
        """Take shunt ``i`` out of service."""
        self._off("shunt", i)

    def ac_pf(self, v_init: ComplexArray, max_iter: int, tol_pu: float) -> ComplexArray:
        """Newton-Raphson power flow with ``pandapower.runpp``.

        Parameters
        ----------
        v_init : ndarray of complex
            Ignored (pandapower starts from a DC power flow).
        max_iter : int
            Iteration limit.
        tol_pu : float
            Mismatch tolerance in pu of ``net.sn_mva``.

        Returns
        -------
        ndarray of complex
            Bus voltages in pu (NaN at isolated buses), or an empty array if
            the power flow does not converge.
        """
        del v_init
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pp.runpp(
                    self.net,
                    max_iteration=max_iter,
                    tolerance_mva=tol_pu * float(self.net.sn_mva),
                    numba=False,
                    enforce_q_lims=self.enforce_q_lims,
                )
        except LoadflowNotConverged:
            self._solved = None
            return np.zeros(0, dtype=np.complex128)
        self._solved = self.net
        res = self.net.res_bus
        return res.vm_pu.to_numpy(float) * np.exp(1j * np.radians(res.va_degree.to_numpy(float)))

    def _branch(self, table: str, side: str, bus_side: str) -> BranchResult:
        res = self.net[f"res_{table}"]
        p = res[f"p_{side}_mw"].fillna(0.0).to_numpy(float)
        q = res[f"q_{side}_mvar"].fillna(0.0).to_numpy(float)
        vm = res[f"vm_{side}_pu"].fillna(0.0).to_numpy(float)
        vn = self.net.bus.vn_kv.loc[self.net[table][bus_side]].to_numpy(float)
        i_ka = res[f"i_{side}_ka"].fillna(0.0).to_numpy(float)
        return p, q, vm * vn, i_ka

    def get_line_res1(self) -> BranchResult:
        """From-end ``(p_mw, q_mvar, v_kv, i_ka)`` of every line."""
        return self._branch("line", "from", "from_bus")

    def get_line_res2(self) -> BranchResult:
        """To-end ``(p_mw, q_mvar, v_kv, i_ka)`` of every line."""
        return self._branch("line", "to", "to_bus")

    def get_trafo_res1(self) -> BranchResult:
        """HV-side ``(p_mw, q_mvar, v_kv, i_ka)`` of every transformer."""
        return self._branch("trafo", "hv", "hv_bus")

    def get_trafo_res2(self) -> BranchResult:
        """LV-side ``(p_mw, q_mvar, v_kv, i_ka)`` of every transformer."""
        return self._branch("trafo", "lv", "lv_bus")

    def branch_powers(self) -> FloatArray:
        """``P1, Q1, P2, Q2`` per branch (lines, then transformers), as lightsim2grid's
        ``compute_branch_results`` returns them for one row."""
        rows = []
        for first, second in (
            (self.get_line_res1(), self.get_line_res2()),
            (self.get_trafo_res1(), self.get_trafo_res2()),
        ):
            rows.append(np.column_stack([first[0], first[1], second[0], second[1]]))
        return np.concatenate(rows, axis=0) if rows else np.zeros((0, 4))


def is_pandapower_grid(grid: object) -> bool:
    """Whether ``grid`` is the pandapower fallback (not a lightsim2grid ``LSGrid``)."""
    return isinstance(grid, PandapowerGrid)


def run_outages(
    grid: PandapowerGrid, branch_ids: list[int], n_lines: int, max_iter: int, tol_pu: float
) -> tuple[ComplexArray, FloatArray, npt.NDArray[np.bool_]]:
    """One power flow per single-branch outage (the ContingencyAnalysisCPP counterpart).

    Parameters
    ----------
    grid : PandapowerGrid
        Network at the operating point (not modified).
    branch_ids : list of int
        Branch positions: lines first (``0..n_lines-1``), then transformers.
    n_lines : int
        Number of lines.
    max_iter, tol_pu
        Solver settings (see :meth:`PandapowerGrid.ac_pf`).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Voltages ``(outages, buses)``, branch powers ``(outages, branches, 4)``
        and the converged mask.
    """
    n_bus = len(grid.net.bus)
    n_branch = n_lines + len(grid.net.trafo)
    v = np.full((len(branch_ids), n_bus), np.nan + 0j)
    powers = np.zeros((len(branch_ids), n_branch, 4))
    ok = np.zeros(len(branch_ids), dtype=bool)
    for r, b in enumerate(branch_ids):
        g = grid.copy()
        if b < n_lines:
            g.deactivate_powerline(b)
        else:
            g.deactivate_trafo(b - n_lines)
        vr = g.ac_pf(np.zeros(0, dtype=np.complex128), max_iter, tol_pu)
        if vr.shape[0]:
            v[r], powers[r], ok[r] = vr, g.branch_powers(), True
    return v, powers, ok


def run_timeseries(
    grid: PandapowerGrid,
    gen_p_mw: FloatArray,
    sgen_p_mw: FloatArray,
    load_p_mw: FloatArray,
    load_q_mvar: FloatArray,
    max_iter: int,
    tol_pu: float,
) -> tuple[ComplexArray, FloatArray, npt.NDArray[np.bool_]]:
    """One power flow per time step (the TimeSeriesCPP counterpart; steps independent).

    Parameters
    ----------
    grid : PandapowerGrid
        Network (not modified).
    gen_p_mw, sgen_p_mw, load_p_mw, load_q_mvar : ndarray, shape (T, elements)
        Injections per step.
    max_iter, tol_pu
        Solver settings.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Voltages ``(T, buses)``, branch powers ``(T, branches, 4)``, converged mask.
    """
    n = len(load_p_mw)
    n_bus = len(grid.net.bus)
    n_branch = len(grid.net.line) + len(grid.net.trafo)
    v = np.full((n, n_bus), np.nan + 0j)
    powers = np.zeros((n, n_branch, 4))
    ok = np.zeros(n, dtype=bool)
    g = grid.copy()
    for t in range(n):
        for i, p in enumerate(gen_p_mw[t]):
            g.change_p_gen(i, float(p))
        for i, p in enumerate(sgen_p_mw[t]):
            g.change_p_sgen(i, float(p))
        for i, (p, q) in enumerate(zip(load_p_mw[t], load_q_mvar[t], strict=True)):
            g.change_p_load(i, float(p))
            g.change_q_load(i, float(q))
        vt = g.ac_pf(np.zeros(0, dtype=np.complex128), max_iter, tol_pu)
        if vt.shape[0]:
            v[t], powers[t], ok[t] = vt, g.branch_powers(), True
    return v, powers, ok
