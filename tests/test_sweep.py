"""Parameter sweeps: the sweep file, the points, validation before running, the run on
dask.distributed (one real 2-point sweep of colossus_100k on 2 workers, shared by the
module), reruns, failed points and the outputs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gridimpact.errors import CaseError, GridImpactError, OutputFolderError, SolverError
from gridimpact.report.output import MANIFEST
from gridimpact.report.sweep_figures import plot_sweep_figures
from gridimpact.sweep import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_REUSED,
    SweepResult,
    canonical_json,
    load_sweep,
    run_sweep,
    sweep_points,
    sweep_summary_line,
)
from tests.conftest import CASE_100K, CASES

GPU_COUNTS = (100_000, 120_000)


def _sweep_file(folder: Path, body: str, name: str = "sweep.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f'base = "{CASE_100K.as_posix()}"\n{body}', encoding="utf-8")
    return path


def _error(path: Path) -> CaseError:
    with pytest.raises(CaseError) as info:
        sweep_points(load_sweep(path))
    return info.value


# ------------------------------------------------------------------ the sweep file


def test_shipped_example_is_a_cartesian_product() -> None:
    sweep = load_sweep(CASES / "sweep_gpu_count.toml")
    points = sweep_points(sweep)
    assert sweep.size == len(points) == 8
    assert [p.params for p in points[:3]] == [
        {"compute.gpu_count": 50_000, "cooling.architecture": "liquid_towers"},
        {"compute.gpu_count": 50_000, "cooling.architecture": "air_cooled_chillers"},
        {"compute.gpu_count": 100_000, "cooling.architecture": "liquid_towers"},
    ]
    # the base case path stays that of the base: relative network / EPW paths resolve
    assert all(p.loaded.path == CASE_100K.resolve() for p in points)
    assert points[7].loaded.case.compute.gpu_count.value == 400_000
    assert points[7].loaded.case.cooling.architecture == "air_cooled_chillers"


def test_zip_pairs_the_lists(tmp_path: Path) -> None:
    path = _sweep_file(
        tmp_path,
        'zip = true\n[parameters]\n"compute.gpu_count" = [60_000, 90_000]\n'
        '"cooling.architecture" = ["liquid_towers", "air_cooled_chillers"]\n',
    )
    points = sweep_points(load_sweep(path))
    assert [tuple(p.params.values()) for p in points] == [
        (60_000, "liquid_towers"),
        (90_000, "air_cooled_chillers"),
    ]


def test_unequal_zip_lengths_are_refused(tmp_path: Path) -> None:
    path = _sweep_file(
        tmp_path,
        'zip = true\n[parameters]\n"compute.gpu_count" = [60_000, 90_000, 120_000]\n'
        '"cooling.architecture" = ["liquid_towers", "air_cooled_chillers"]\n',
    )
    err = _error(path)
    assert err.field == "parameters.cooling.architecture"
    assert "equal lengths" in err.message and "\n" not in str(err)


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("compute.gpu_cont", "unknown case field 'compute.gpu_cont'"),
        ("computer.gpu_count", "unknown case field 'computer'"),
        ("compute", "is a table"),
        ("compute.gpu_count.source", "is a sourced value"),
        ("onsite.units[5].count", "out of range"),
    ],
)
def test_unknown_or_unsweepable_path_is_named(tmp_path: Path, key: str, words: str) -> None:
    path = _sweep_file(tmp_path, f'[parameters]\n"{key}" = [1, 2]\n')
    err = _error(path)
    assert err.file == str(path)
    assert err.field == f"parameters.{key}"
    assert words in err.message


def test_sweep_file_schema_errors_are_one_line(tmp_path: Path) -> None:
    path = _sweep_file(tmp_path, '[parameters]\n"compute.gpu_count" = []\n')
    assert _error(path).field.startswith("parameters")
    path = _sweep_file(tmp_path, 'zip = "yes"\n[parameters]\n"compute.gpu_count" = [1]\n')
    assert _error(path).field == "zip"
    path = tmp_path / "nobase.toml"
    path.write_text('base = "missing.toml"\n[parameters]\n"compute.gpu_count" = [1]\n')
    assert _error(path).field == "base"


def test_values_go_into_the_case(tmp_path: Path) -> None:
    path = _sweep_file(
        tmp_path,
        "[parameters]\n"
        '"compute.gpu_count" = [80_000]\n'  # sourced, in the base: unit kept
        '"cooling.tower_approach_k" = [4.5]\n'  # sourced, absent from the base
        '"onsite.units[0].count" = [10]\n'  # a list entry
        '"onsite.permit_caps.NOx" = [{ value = 50.0, source = "draft permit" }]\n'  # a table
        '"grid.poi_bus" = ["Colossus1 POI 161kV"]\n',  # a plain value
    )
    (point,) = sweep_points(load_sweep(path))
    case = point.loaded.case
    gpus = case.compute.gpu_count
    assert (gpus.value, gpus.unit, gpus.source, gpus.confidence) == (
        80_000,
        "GPU",
        "sweep",
        "estimate",
    )
    assert "100000" in gpus.note
    approach = case.cooling.tower_approach_k
    assert approach is not None and (approach.value, approach.unit) == (4.5, "K")
    assert case.onsite.units[0].count.value == 10
    nox = case.onsite.permit_caps["NOx"]
    assert (nox.value, nox.source, nox.unit) == (50.0, "draft permit", "short ton/yr")
    assert "[sweep: compute.gpu_count=80000," in case.case.title
    assert case.case.name == "colossus_100k"


def test_point_key_is_stable_and_differs_between_points(tmp_path: Path) -> None:
    body = '[parameters]\n"compute.gpu_count" = [100_000, 120_000]\n'
    first = sweep_points(load_sweep(_sweep_file(tmp_path / "a", body)))
    again = sweep_points(load_sweep(_sweep_file(tmp_path / "b", body, name="other.toml")))
    assert [p.key for p in first] == [p.key for p in again]
    assert first[0].key != first[1].key
    expected = hashlib.sha256(canonical_json(first[0].document).encode()).hexdigest()
    assert first[0].key == first[0].loaded.file_sha256 == expected
    assert first[0].folder_name(2) == f"001-{first[0].key[:12]}"


# ------------------------------------------------------------- validation before run


@pytest.fixture
def no_study(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a study ran")

    monkeypatch.setattr("gridimpact.study.run_loaded_study", fail)


@pytest.mark.usefixtures("no_study")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('"compute.gpu_count" = [100_000, 0]', "compute.gpu_count"),  # the schema
        ('"grid.poi_bus" = ["Colossus1 POI 161kV", "Nowhere 161kV"]', "grid.poi_bus"),  # preflight
    ],
)
def test_a_bad_point_stops_the_sweep_before_anything_runs(
    tmp_path: Path, body: str, field: str
) -> None:
    path = _sweep_file(tmp_path, f"[parameters]\n{body}\n")
    out = tmp_path / "out"
    with pytest.raises(GridImpactError) as info:
        run_sweep(path, out, scheduler="synchronous")
    line = info.value.one_line()
    assert f"{path} point 2 (" in line and field in line
    assert not out.exists()


@pytest.mark.usefixtures("no_study")
def test_a_foreign_out_folder_is_refused(tmp_path: Path) -> None:
    path = _sweep_file(tmp_path, '[parameters]\n"compute.gpu_count" = [100_000]\n')
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.txt").write_text("mine")
    with pytest.raises(OutputFolderError, match=r"thesis\.txt"):
        run_sweep(path, out, scheduler="synchronous")
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]


# ------------------------------------------------------------------- failed points


def test_a_failing_point_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(loaded: Any) -> Any:
        if loaded.case.compute.gpu_count.value == 100_000:
            raise SolverError("no power-flow solution\nat all")
        raise RuntimeError("boom")

    monkeypatch.setattr("gridimpact.study.run_loaded_study", broken)
    path = _sweep_file(tmp_path, '[parameters]\n"compute.gpu_count" = [100_000, 120_000]\n')
    calls: list[tuple[int, int, str]] = []
    result = run_sweep(
        path, tmp_path / "out", scheduler="synchronous", progress=lambda *a: calls.append(a)
    )
    assert [r["status"] for r in result.rows] == [STATUS_FAILED, STATUS_FAILED]
    assert result.rows[0]["error"] == "no power-flow solution at all"
    assert result.rows[1]["error"] == "RuntimeError: boom"
    assert [c[:2] for c in calls] == [(1, 2), (2, 2)]
    table = pd.read_csv(tmp_path / "out" / "sweep.csv")
    assert list(table["status"]) == [STATUS_FAILED, STATUS_FAILED]
    assert "RuntimeError: boom" in set(table["error"])
    assert not list((tmp_path / "out" / "points").iterdir())
    assert "2 failed (first: point 1: no power-flow solution at all)" in sweep_summary_line(result)


# ------------------------------------------------------- a real sweep on dask workers


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[SweepResult, list[Any]]:
    folder = tmp_path_factory.mktemp("sweep")
    counts = ", ".join(str(n) for n in GPU_COUNTS)
    path = _sweep_file(folder, f'[parameters]\n"compute.gpu_count" = [{counts}]\n')
    calls: list[Any] = []
    result = run_sweep(path, folder / "out", workers=2, progress=lambda *a: calls.append(a))
    return result, calls


def test_sweep_runs_every_point_on_the_cluster(swept: tuple[SweepResult, list[Any]]) -> None:
    result, calls = swept
    assert [r["status"] for r in result.rows] == [STATUS_OK, STATUS_OK], result.rows
    assert result.scheduler == "local cluster" and result.workers == 2
    assert result.dashboard is not None and result.dashboard.startswith("http")
    assert sorted(c[0] for c in calls) == [1, 2] and {c[1] for c in calls} == {2}
    for row in result.rows:
        folder = result.out / row["folder"]
        assert folder.name.endswith(row["case_sha256"][:12])
        doc = json.loads((folder / "results.json").read_text())
        assert doc["case"]["file_sha256"] == row["case_sha256"]
        assert doc["headline"] == row["headline"]
    peaks = [r["headline"]["facility_peak_mw"] for r in result.rows]
    assert peaks[0] < peaks[1]


def test_sweep_csv_parquet_json_and_figures(swept: tuple[SweepResult, list[Any]]) -> None:
    result, _ = swept
    out = result.out
    table = pd.read_csv(out / "sweep.csv")
    assert len(table) == 2
    head = ["point", "compute.gpu_count", "status", "error", "elapsed_s", "case_sha256", "folder"]
    assert list(table.columns[: len(head)]) == head
    assert list(table["compute.gpu_count"]) == list(GPU_COUNTS)
    for key in ("facility_peak_mw", "hosting_margin_n1_mw", "scr_min_case", "pst_poi"):
        assert key in table.columns
    assert "emission_scenarios" not in table.columns  # dicts/lists: sweep.json only
    parquet = pd.read_parquet(out / "sweep.parquet")
    assert list(parquet.columns) == list(table.columns) and len(parquet) == 2
    doc = json.loads((out / "sweep.json").read_text())
    assert doc["sweep"]["parameters"] == {"compute.gpu_count": list(GPU_COUNTS)}
    assert "emission_scenarios" in doc["points"][0]["headline"]
    names = {p.name for p in (out / "figures").glob("*.png")}
    assert "facility_peak_mw_vs_compute_gpu_count.png" in names
    assert names == {p.name for p in result.figures}
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["kind"] == "sweep" and "sweep.csv" in manifest["files"]


def test_rerun_reuses_finished_points(
    swept: tuple[SweepResult, list[Any]], tmp_path: Path, no_study: None
) -> None:
    first, _ = swept
    out = tmp_path / "out"
    shutil.copytree(first.out, out)
    leftover = out / "points" / ".001-0123456789ab.tmp-x1y2z3"  # a write killed mid-way
    (leftover / "tables").mkdir(parents=True)
    (leftover / "tables" / "a.csv").write_text("x\n")
    # the same sweep, values in another order: same points, other indices
    path = _sweep_file(tmp_path, '[parameters]\n"compute.gpu_count" = [120_000, 100_000]\n')
    again = run_sweep(path, out, workers=2)
    assert [r["status"] for r in again.rows] == [STATUS_REUSED, STATUS_REUSED]
    assert again.workers == 0 and again.dashboard is None  # no cluster was started
    assert again.rows[0]["headline"] == first.rows[1]["headline"]
    assert again.rows[0]["folder"] == f"points/001-{first.rows[1]['case_sha256'][:12]}"
    assert sorted(p.name for p in (out / "points").iterdir()) == sorted(
        Path(r["folder"]).name for r in again.rows
    )
    assert "0 run, 2 reused, 0 failed" in sweep_summary_line(again)
    assert not leftover.exists()


# ------------------------------------------------------------------------ figures


def test_figures_draw_numeric_parameters_with_a_line_per_other(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "compute.gpu_count": [50_000, 50_000, 100_000, 100_000],
            "cooling.architecture": ["liquid_towers", "air_cooled_chillers"] * 2,
            "facility_peak_mw": [70.0, 80.0, 140.0, 160.0],
            "pst_poi": [0.2, 0.2, None, 0.4],
            "pst_limit_allocated": [0.35] * 4,
        }
    )
    made = plot_sweep_figures(
        table, ["compute.gpu_count", "cooling.architecture"], tmp_path, title="t"
    )
    assert sorted(Path(p).name for p in made) == [
        "facility_peak_mw_vs_compute_gpu_count.png",
        "pst_poi_vs_compute_gpu_count.png",
    ]
    assert plot_sweep_figures(table, ["cooling.architecture"], tmp_path / "none") == []
