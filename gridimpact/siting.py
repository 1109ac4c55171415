"""Siting: where on the network the campus fits, bus by bus.

:func:`site_campus` computes the campus's N-0 and N-1 hosting capacity
(:func:`gridimpact.grid.hosting.hosting_by_poi`: bisection on the campus demand at the
case's power factor, violations attributed to the campus) at every in-service bus
with a path to a source whose nominal voltage is at least the voltage of the case's
POI, and the short-circuit ratio of the case's campus there (IEC 60909 minimum case,
one calculation for every bus). The network is the study's: the case's network with
the design line ratings of its weather year; the campus demand is the study's facility
peak (IT → cooling → facility on the case's weather).

Buses are independent, so they run in parallel on any executor: a
``concurrent.futures`` executor (threads or processes; the network model pickles,
lightsim2grid grid included) or a dask ``distributed.Client`` (the model is scattered
to every worker once). The default runs them one after the other.

:func:`write_siting` writes ``siting.csv`` (ranked by N-1 hosting), ``siting.json``
and ``siting.png`` (a map coloured by N-1 hosting where the network has bus
coordinates, else a ranked bar chart) into a run folder, atomically.
"""

from __future__ import annotations

import concurrent.futures
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridimpact.capacity import StudyInputs, study_inputs
from gridimpact.case import LoadedCase
from gridimpact.grid import NetworkModel, hosting_by_poi
from gridimpact.grid.engine import energised_buses
from gridimpact.grid.sc_defaults import run_short_circuit_filled
from gridimpact.grid.shortcircuit import short_circuit_ratio

SITING_COLUMNS = [
    "bus",
    "vn_kv",
    "hosting_capacity_n0_mw",
    "hosting_capacity_n1_mw",
    "limiting_element",
    "scr_min_case",
]
"""The columns of ``siting.csv`` every reader can rely on (then the extra ones below)."""
EXTRA_COLUMNS = [
    "rank",
    "limiting_quantity",
    "limiting_contingency",
    "capped",
    "sk_min_mva",
    "hosts_campus_n1",
    "case_poi",
]

Progress = Callable[[int, int, str], None]
"""``progress(done, total, bus)``: called in the caller's process as each bus finishes."""


@dataclass(frozen=True)
class SitingResult:
    """Hosting capacity of the case's campus at every candidate bus of its network.

    ``table`` is ranked by N-1 hosting (then N-0 hosting, then SCR, then bus name):
    :data:`SITING_COLUMNS` then :data:`EXTRA_COLUMNS` (``limiting_element`` and its
    quantity and contingency are what fails just above the N-1 hosting capacity: the
    N-0 limit, with no contingency, where N-1 hosting equals N-0 hosting, and
    ``"(search bound)"`` where the search reached its bound, ``capped``;
    ``hosts_campus_n1``: the case's facility peak fits there under N-1; ``case_poi``:
    the case's own POI). ``buses`` (``bus, vn_kv, lat, lon``) and ``branches``
    (``from_bus, to_bus, kind``, in service) draw the map.
    """

    case_name: str
    case_sha256: str
    network: str
    poi_bus: str
    poi_vn_kv: float
    gpu_count: int
    gpu_model: str
    facility_peak_mw: float
    power_factor: float
    table: pd.DataFrame
    buses: pd.DataFrame
    branches: pd.DataFrame
    note: str
    elapsed_s: float = float("nan")
    """Wall-clock time of the hosting searches (not written to the run folder)."""
    runner: str = "sequential"

    @property
    def best_bus(self) -> str:
        """The bus with the largest N-1 hosting capacity."""
        return str(self.table.bus.iloc[0]) if len(self.table) else ""

    def row(self, bus: str) -> pd.Series:
        """The table row of one bus."""
        return self.table.set_index("bus").loc[bus]


def candidate_buses(model: NetworkModel, min_vn_kv: float) -> list[str]:
    """In-service buses with a path to a source and ``vn_kv >= min_vn_kv`` (network order)."""
    table = model.bus_table()
    in_service = model.net_copy().bus.in_service.to_numpy(bool)
    live = energised_buses(model.topology)
    keep = in_service & live & (table.vn_kv.to_numpy(float) >= min_vn_kv - 1e-9)
    return [str(b) for b in table.name[keep]]


def host_at(model: NetworkModel, bus: str, power_factor: float) -> pd.DataFrame:
    """One row of :func:`hosting_by_poi` for the campus at ``bus`` (the task a worker runs)."""
    return hosting_by_poi(model, [bus], power_factor)


def _is_dask_client(executor: Any) -> bool:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        return False
    return isinstance(executor, Client)


def _runner_name(executor: Any) -> str:
    if executor is None:
        return "sequential"
    if _is_dask_client(executor):
        workers = executor.scheduler_info().get("workers", {})
        return f"dask ({len(workers)} workers)"
    workers = getattr(executor, "_max_workers", None)
    return type(executor).__name__ + (f" ({workers} workers)" if workers else "")


def host_buses(
    model: NetworkModel,
    buses: Sequence[str],
    power_factor: float,
    executor: Any = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`hosting_by_poi` at each of ``buses``, one task per bus on ``executor``.

    Rows come back in the order of ``buses`` whatever order the tasks finish in.
    On a failure the tasks not yet started are cancelled and the error is raised.
    """
    total = len(buses)
    rows: dict[str, pd.DataFrame] = {}

    def done(bus: str, row: pd.DataFrame) -> None:
        rows[bus] = row
        if progress is not None:
            progress(len(rows), total, bus)

    if executor is None:
        for bus in buses:
            done(bus, host_at(model, bus, power_factor))
    elif _is_dask_client(executor):
        from distributed import as_completed

        shared = executor.scatter(model, broadcast=True, hash=False)
        futures = {
            executor.submit(host_at, shared, bus, power_factor, pure=False): bus for bus in buses
        }
        try:
            for future in as_completed(futures):
                done(futures[future], future.result())
        finally:
            left = [f for f in futures if not f.done()]
            if left:
                executor.cancel(left)
    else:
        pending = {executor.submit(host_at, model, bus, power_factor): bus for bus in buses}
        try:
            for future in concurrent.futures.as_completed(pending):
                done(pending[future], future.result())
        finally:
            for future in pending:
                future.cancel()
    if not buses:
        return hosting_by_poi(model, [], power_factor)
    return pd.concat([rows[b] for b in buses], ignore_index=True)


def rank_sites(
    hosting: pd.DataFrame,
    sk_min_mva: pd.Series,
    facility_peak_mw: float,
    poi_bus: str,
) -> pd.DataFrame:
    """The siting table from :func:`hosting_by_poi` rows and the buses' minimum-case S''k."""
    sk = sk_min_mva.reindex(hosting.poi_bus).to_numpy(float)
    # N-1 hosting equal to N-0 hosting: the intact-network limit binds (no contingency)
    same = hosting.limiting_element_n1.astype(str) == ""
    element = hosting.limiting_element_n1.where(~same, hosting.limiting_element_n0).astype(str)
    quantity = hosting.limiting_quantity_n1.where(~same, hosting.limiting_quantity_n0)
    element = element.where(~(same & hosting.capped.astype(bool)), "(search bound)")
    table = pd.DataFrame(
        {
            "bus": hosting.poi_bus.astype(str),
            "vn_kv": hosting.vn_kv.astype(float),
            "hosting_capacity_n0_mw": hosting.mw_n0.astype(float),
            "hosting_capacity_n1_mw": hosting.mw_n1.astype(float),
            "limiting_element": element,
            "scr_min_case": [short_circuit_ratio(s, facility_peak_mw) for s in sk],
            "limiting_quantity": quantity.astype(str),
            "limiting_contingency": hosting.limiting_contingency_n1.astype(str),
            "capped": hosting.capped.astype(bool),
            "sk_min_mva": sk,
            "hosts_campus_n1": hosting.mw_n1.astype(float) >= facility_peak_mw,
            "case_poi": hosting.poi_bus.astype(str) == poi_bus,
        }
    )
    table = table.sort_values(
        ["hosting_capacity_n1_mw", "hosting_capacity_n0_mw", "scr_min_case", "bus"],
        ascending=[False, False, False, True],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)
    table.insert(len(SITING_COLUMNS), "rank", np.arange(1, len(table) + 1))
    return table[SITING_COLUMNS + EXTRA_COLUMNS]


def _map_data(model: NetworkModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    bus_table = model.bus_table()
    buses = pd.DataFrame(
        {
            "bus": bus_table.name.astype(str),
            "vn_kv": bus_table.vn_kv.astype(float),
            "lat": bus_table.lat.astype(float),
            "lon": bus_table.lon.astype(float),
        }
    )
    topo = model.topology
    names = topo.bus_names
    lines = [
        (names[a], names[b], "line")
        for a, b, on in zip(topo.line_from, topo.line_to, topo.line_in_service, strict=True)
        if on
    ]
    trafos = [
        (names[a], names[b], "trafo")
        for a, b, on in zip(topo.trafo_hv, topo.trafo_lv, topo.trafo_in_service, strict=True)
        if on
    ]
    branches = pd.DataFrame(lines + trafos, columns=["from_bus", "to_bus", "kind"])
    return buses, branches


def site_network(
    model: NetworkModel,
    facility_peak_mw: float,
    power_factor: float,
    executor: Any = None,
    progress: Progress | None = None,
    min_vn_kv: float | None = None,
) -> tuple[pd.DataFrame, str]:
    """Siting table of one network for a campus of ``facility_peak_mw``; and a note.

    ``min_vn_kv`` defaults to the nominal voltage of the model's POI.
    """
    vn = dict(zip(model.bus_table().name, model.bus_table().vn_kv, strict=True))
    floor = float(vn[model.poi_bus] if min_vn_kv is None else min_vn_kv)
    buses = candidate_buses(model, floor)
    hosting = host_buses(model, buses, power_factor, executor, progress)
    sc = run_short_circuit_filled(model, facility_peak_mw, case="min")
    sk = (
        sc.bus_results.set_index("bus")["sk_mva"]
        if sc.computed
        else pd.Series(np.nan, index=pd.Index(buses, name="bus"))
    )
    table = rank_sites(hosting, sk, facility_peak_mw, model.poi_bus)
    fits = int(table.hosts_campus_n1.sum())
    note = (
        f"{len(table)} buses at or above {floor:g} kV: {fits} host the campus's "
        f"{facility_peak_mw:,.1f} MW under N-1"
        + (
            f"; most N-1 hosting at {table.bus.iloc[0]} "
            f"({table.hosting_capacity_n1_mw.iloc[0]:,.0f} MW)"
            if len(table)
            else ""
        )
        + ("" if sc.computed else f"; no short circuit ({sc.note})")
    )
    return table, note


def site_campus(
    loaded: LoadedCase,
    executor: Any = None,
    progress: Progress | None = None,
    inputs: StudyInputs | None = None,
) -> SitingResult:
    """N-0 / N-1 hosting capacity and SCR of the case's campus at every bus of its network
    at or above the POI's voltage.

    Parameters
    ----------
    loaded : LoadedCase
    executor : optional
        Runs one hosting search per bus: anything with ``submit`` returning
        ``concurrent.futures`` futures (``ProcessPoolExecutor``, ``ThreadPoolExecutor``)
        or a dask ``distributed.Client``. None: one after the other in this process.
    progress : callable, optional
        ``progress(done, total, bus)`` after each bus.
    inputs : StudyInputs, optional
        The case's weather, rated network and campus load if already built
        (:func:`gridimpact.capacity.study_inputs`).

    Returns
    -------
    SitingResult
    """
    inputs = inputs or study_inputs(loaded)
    case = loaded.case
    network = inputs.network
    pf = case.facility.power_factor.value
    peak = inputs.facility.peak_mw
    start = time.perf_counter()
    table, note = site_network(network, peak, pf, executor, progress)
    elapsed = time.perf_counter() - start
    buses, branches = _map_data(network)
    vn = dict(zip(buses.bus, buses.vn_kv, strict=True))
    return SitingResult(
        case_name=case.case.name,
        case_sha256=loaded.file_sha256,
        network=network.name,
        poi_bus=network.poi_bus,
        poi_vn_kv=float(vn[network.poi_bus]),
        gpu_count=inputs.it.gpu_count,
        gpu_model=inputs.it.gpu_model,
        facility_peak_mw=peak,
        power_factor=pf,
        table=table,
        buses=buses,
        branches=branches,
        note=note,
        elapsed_s=elapsed,
        runner=_runner_name(executor),
    )


def _plain(value: Any) -> Any:
    """JSON-safe scalar: NaN/inf → None, numpy → Python."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def siting_document(result: SitingResult) -> dict[str, Any]:
    """``siting.json``: the study's identity and the ranked table (deterministic)."""
    table = result.table
    return {
        "case": result.case_name,
        "network": result.network,
        "poi_bus": result.poi_bus,
        "poi_vn_kv": result.poi_vn_kv,
        "gpu_model": result.gpu_model,
        "gpu_count": result.gpu_count,
        "facility_peak_mw": round(result.facility_peak_mw, 3),
        "power_factor": result.power_factor,
        "bus_count": len(table),
        "buses_hosting_campus_n1": int(table.hosts_campus_n1.sum()),
        "best_bus": result.best_bus,
        "note": result.note,
        "sites": [
            {k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")
        ],
    }


def write_siting(
    result: SitingResult,
    out: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[Path] = (),
) -> Path:
    """Write ``siting.csv``, ``siting.json`` and ``siting.png`` into the run folder ``out``.

    The folder is replaced only when every file is written
    (:func:`gridimpact.report.output.atomic_directory`, same rules for an existing
    ``out`` as ``gridimpact run``) and gets the manifest ``.gridimpact-run.json``
    (``kind = "siting"``).
    """
    from gridimpact.report.output import atomic_directory, write_json, write_manifest
    from gridimpact.report.siting_figures import plot_siting

    out = Path(out)
    with atomic_directory(out, force=force, inputs=inputs) as tmp:
        result.table.to_csv(tmp / "siting.csv", index=False, float_format="%.3f")
        write_json(siting_document(result), tmp / "siting.json")
        plot_siting(
            result.table,
            result.buses,
            result.branches,
            result.poi_bus,
            result.facility_peak_mw,
            f"Siting: N-1 hosting capacity by bus - {result.case_name}",
            str(tmp / "siting.png"),
        )
        write_manifest(tmp, kind="siting", case=result.case_name, case_sha256=result.case_sha256)
    return out


__all__ = [
    "SITING_COLUMNS",
    "SitingResult",
    "candidate_buses",
    "host_buses",
    "rank_sites",
    "site_campus",
    "site_network",
    "siting_document",
    "write_siting",
]
