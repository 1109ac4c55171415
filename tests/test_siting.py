"""Siting (:mod:`gridimpact.siting`) on the Memphis network through the 100k case.

Cross-checks: every bus at or above the POI's 161 kV is sited; the POI's row is the
study's own hosting capacity at the POI (``hosting_capacity(with_poi(...))``) and its
minimum-case SCR; the table is ranked by N-1 hosting; a thread pool, a dask client and
a pickled model give the sequential numbers; the run folder is written atomically
with its manifest.
"""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gridimpact.capacity import StudyInputs, study_inputs
from gridimpact.case import LoadedCase, load_case
from gridimpact.errors import OutputFolderError
from gridimpact.grid import hosting_capacity, with_poi
from gridimpact.grid.sc_defaults import run_short_circuit_cases
from gridimpact.report.output import MANIFEST, read_manifest
from gridimpact.report.siting_figures import plot_siting
from gridimpact.siting import (
    SITING_COLUMNS,
    SitingResult,
    candidate_buses,
    host_at,
    host_buses,
    site_campus,
    write_siting,
)
from tests.conftest import CASE_100K

POI = "Colossus1 POI 161kV"


@pytest.fixture(scope="module")
def loaded() -> LoadedCase:
    return load_case(CASE_100K)


@pytest.fixture(scope="module")
def inputs(loaded: LoadedCase) -> StudyInputs:
    return study_inputs(loaded)


@pytest.fixture(scope="module")
def calls() -> list[tuple[int, int, str]]:
    return []


@pytest.fixture(scope="module")
def sited(
    loaded: LoadedCase, inputs: StudyInputs, calls: list[tuple[int, int, str]]
) -> SitingResult:
    return site_campus(
        loaded, inputs=inputs, progress=lambda done, total, bus: calls.append((done, total, bus))
    )


def test_every_bus_at_or_above_the_poi_voltage(sited: SitingResult, inputs: StudyInputs) -> None:
    buses = inputs.network.bus_table()
    expected = set(buses.name[buses.vn_kv >= 161.0])
    assert sited.poi_vn_kv == 161.0
    assert set(sited.table.bus) == expected
    assert len(sited.table) == len(expected) == 24  # the whole Memphis network
    assert (sited.table.vn_kv >= 161.0).all()
    assert list(sited.table.columns[: len(SITING_COLUMNS)]) == SITING_COLUMNS
    assert candidate_buses(inputs.network, 500.0) == list(buses.name[buses.vn_kv >= 500.0])


def test_poi_row_is_the_studys_hosting_capacity(
    sited: SitingResult, inputs: StudyInputs, loaded: LoadedCase
) -> None:
    network = inputs.network
    pf = loaded.case.facility.power_factor.value
    own = hosting_capacity(with_poi(network, POI), pf)
    row = sited.row(POI)
    assert row.hosting_capacity_n0_mw == own.mw_n0
    assert row.hosting_capacity_n1_mw == own.mw_n1
    assert row.limiting_element == own.limiting_element_n1
    assert row.limiting_contingency == own.limiting_contingency_n1
    assert bool(row.case_poi)
    assert sited.table.case_poi.sum() == 1
    minimum = run_short_circuit_cases(network, inputs.facility.peak_mw).minimum
    assert row.scr_min_case == pytest.approx(minimum.scr, rel=1e-12)
    assert sited.facility_peak_mw == inputs.facility.peak_mw
    # the case's 100k campus fits at its POI under N-1 (calibration: ~157 MW there)
    assert 136.0 < inputs.facility.peak_mw < own.mw_n1 < 170.0
    assert bool(row.hosts_campus_n1)


def test_ranked_by_n1_hosting(sited: SitingResult) -> None:
    table = sited.table
    n1 = table.hosting_capacity_n1_mw.to_numpy(float)
    assert np.all(np.diff(n1) <= 0.0)
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert sited.best_bus == table.bus.iloc[0]
    assert (table.hosting_capacity_n1_mw <= table.hosting_capacity_n0_mw + 1e-9).all()
    fits = table.hosting_capacity_n1_mw >= sited.facility_peak_mw
    assert (table.hosts_campus_n1 == fits).all()
    # 500 kV buses host far more than the 161 kV POI; every row names what binds
    assert table.bus.iloc[0].endswith("500kV")
    assert (table.limiting_element != "").all()


def test_progress_reports_every_bus(sited: SitingResult, calls: list[tuple[int, int, str]]) -> None:
    assert [c[0] for c in calls] == list(range(1, len(sited.table) + 1))
    assert {c[1] for c in calls} == {len(sited.table)}
    assert {c[2] for c in calls} == set(sited.table.bus)


def test_parallel_equals_sequential(
    sited: SitingResult, loaded: LoadedCase, inputs: StudyInputs
) -> None:
    with ThreadPoolExecutor(2) as pool:
        parallel = site_campus(loaded, pool, inputs=inputs)
    pd.testing.assert_frame_equal(parallel.table, sited.table)
    assert parallel.runner.startswith("ThreadPoolExecutor")


def test_dask_client_and_pickled_model(sited: SitingResult, inputs: StudyInputs) -> None:
    from distributed import Client

    network, pf = inputs.network, sited.power_factor
    buses = [POI, "Millington 161kV", "TVA South 500kV"]
    reference = host_buses(network, buses, pf)
    seen: list[str] = []
    with Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as client:
        rows = host_buses(network, buses, pf, client, lambda d, n, bus: seen.append(bus))
    pd.testing.assert_frame_equal(rows, reference)
    assert sorted(seen) == sorted(buses)
    # worker processes receive the model pickled: lightsim2grid's grid included
    copy = pickle.loads(pickle.dumps(network))
    pd.testing.assert_frame_equal(host_at(copy, POI, pf), reference.iloc[[0]])


def test_write_siting(sited: SitingResult, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert write_siting(sited, out) == out
    manifest = read_manifest(out)
    assert manifest is not None and manifest["kind"] == "siting"
    assert sorted(manifest["files"]) == ["siting.csv", "siting.json", "siting.png"]
    table = pd.read_csv(out / "siting.csv")
    assert list(table.columns[: len(SITING_COLUMNS)]) == SITING_COLUMNS
    assert list(table.bus) == list(sited.table.bus)
    doc = json.loads((out / "siting.json").read_text(encoding="utf-8"))
    assert doc["poi_bus"] == POI and doc["bus_count"] == 24
    assert (out / "siting.png").stat().st_size > 10_000
    write_siting(sited, out)  # our own run folder is replaced
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError):
        write_siting(sited, foreign)
    assert (foreign / "notes.txt").exists() and not (foreign / MANIFEST).exists()


def test_figure_map_or_bars(sited: SitingResult, tmp_path: Path) -> None:
    args = (sited.table, sited.buses, sited.branches, POI, sited.facility_peak_mw, "t")
    assert plot_siting(*args, str(tmp_path / "map.png")) == "map"
    no_geo = sited.buses.assign(lat=np.nan, lon=np.nan)
    args = (sited.table, no_geo, sited.branches, POI, sited.facility_peak_mw, "t")
    assert plot_siting(*args, str(tmp_path / "bars.png")) == "bars"
    assert (tmp_path / "bars.png").stat().st_size > 10_000
