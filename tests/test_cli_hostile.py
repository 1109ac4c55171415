"""Hostile input at the command line: one line always, never destroy user data,
``validate`` checks everything short of solving, an interrupt leaves nothing behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from gridimpact.cli import main
from gridimpact.errors import CaseError, OutputFolderError
from gridimpact.report.output import MANIFEST, check_output_folder
from tests.conftest import CASE_1M, CASE_100K

GRIDIMPACT = Path(sys.executable).with_name("gridimpact")


def _one_error_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.fixture
def no_study(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a study starts."""
    import gridimpact.study

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the study ran")

    monkeypatch.setattr(gridimpact.study, "run_study", boom)


@pytest.fixture
def fake_study(monkeypatch: pytest.MonkeyPatch) -> None:
    """A study that returns at once and a run folder of two small files."""
    import gridimpact.report.case_outputs
    import gridimpact.report.document
    import gridimpact.study

    def write(result: Any, folder: Path) -> None:
        (folder / "tables").mkdir(parents=True)
        (folder / "results.json").write_text("{}\n", encoding="utf-8")
        (folder / "tables" / "t.csv").write_text("a\n1\n", encoding="utf-8")

    monkeypatch.setattr(
        gridimpact.study, "run_study", lambda loaded: SimpleNamespace(loaded=loaded)
    )
    monkeypatch.setattr(gridimpact.report.case_outputs, "write_case_outputs", write)
    monkeypatch.setattr(
        gridimpact.report.document,
        "headline",
        lambda r: {"facility_peak_mw": 1.0, "poi_bus": "B", "poi_vm_pu": 1.0},
    )


def _run(out: Path, *extra: str) -> int:
    return main(["run", str(CASE_100K), "--out", str(out), *extra])


# --- never destroy user data -------------------------------------------------------------


@pytest.mark.usefixtures("no_study")
def test_out_existing_file_is_refused_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "thesis.pdf"
    target.write_bytes(b"four years of work")
    assert _run(target) == 2
    err = _one_error_line(capsys.readouterr().err)
    assert "is an existing file" in err and "--force" in err
    assert target.read_bytes() == b"four years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.pdf"]


@pytest.mark.usefixtures("no_study")
def test_out_folder_with_user_files_is_refused_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.txt").write_text("chapter 1", encoding="utf-8")
    assert _run(folder) == 2
    err = _one_error_line(capsys.readouterr().err)
    assert "not a gridimpact run folder" in err and "thesis.txt" in err
    assert (folder / "thesis.txt").read_text(encoding="utf-8") == "chapter 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


@pytest.mark.usefixtures("fake_study")
def test_force_replaces_a_foreign_folder(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.txt").write_text("chapter 1", encoding="utf-8")
    assert _run(folder, "--force") == 0
    assert not (folder / "thesis.txt").exists()
    assert (folder / "results.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["work"]  # no .tmp- / .old- left


@pytest.mark.usefixtures("fake_study")
def test_rerun_into_previous_run_folder_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert _run(out) == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "gridimpact" and manifest["kind"] == "run"
    assert manifest["case"] == "colossus_100k" and len(manifest["case_sha256"]) == 64
    assert manifest["files"] == ["results.json", "tables/t.csv"]
    assert _run(out) == 0  # ours: replaced
    capsys.readouterr()
    # a file the user added to a run folder is not ours: refused, kept
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert _run(out) == 2
    assert "notes.txt" in _one_error_line(capsys.readouterr().err)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.usefixtures("fake_study")
def test_compare_marks_every_folder_and_can_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited_case: Callable[[str, str], Path]
) -> None:
    import gridimpact.report.comparison
    import gridimpact.report.document

    def comparison(docs: list[Any], hourly: list[Any], folder: Path) -> None:
        (folder / "comparison.json").write_text("{}", encoding="utf-8")

    monkeypatch.setattr(gridimpact.report.comparison, "write_comparison", comparison)
    monkeypatch.setattr(gridimpact.report.document, "results_document", lambda r: {})
    monkeypatch.setattr(
        gridimpact.study,
        "run_study",
        lambda loaded: SimpleNamespace(
            loaded=loaded, facility=SimpleNamespace(hourly={"facility_power_mw": None})
        ),
    )
    other = edited_case(r'^name = "colossus_100k"', 'name = "other"')
    out = tmp_path / "cmp"
    argv = ["compare", str(CASE_100K), str(other), "--out", str(out)]
    assert main(argv) == 0
    top = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert top["kind"] == "comparison" and top["cases"] == ["colossus_100k", "other"]
    assert f"colossus_100k/{MANIFEST}" in top["files"] and "comparison.json" in top["files"]
    for name in ("colossus_100k", "other"):
        assert json.loads((out / name / MANIFEST).read_text(encoding="utf-8"))["case"] == name
    assert main(argv) == 0  # ours: replaced


@pytest.mark.usefixtures("no_study")
def test_compare_refuses_two_cases_of_one_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edited_case: Callable[[str, str], Path]
) -> None:
    same = edited_case(r"value = 100_000", "value = 50_000")
    assert main(["compare", str(CASE_100K), str(same), "--out", str(tmp_path / "c")]) == 2
    err = _one_error_line(capsys.readouterr().err)
    assert err.startswith(f"error: {same}: case.name: 'colossus_100k' is also the name of ")


def test_run_folder_written_before_manifests_is_ours(tmp_path: Path) -> None:
    legacy = tmp_path / "old"
    (legacy / "figures").mkdir(parents=True)
    (legacy / "results.json").write_text("{}", encoding="utf-8")
    (legacy / "report.pdf").write_bytes(b"%PDF")
    (legacy / "figures" / "a.png").write_bytes(b"png")
    check_output_folder(legacy)
    (legacy / "figures" / "draft.docx").write_bytes(b"doc")
    with pytest.raises(OutputFolderError, match=r"figures/draft\.docx"):
        check_output_folder(legacy)


@pytest.mark.usefixtures("no_study")
@pytest.mark.parametrize("out", [".", "..", "sub/.."])
def test_out_current_folder_or_parent_refused_before_the_study(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.txt").write_text("chapter 1", encoding="utf-8")
    monkeypatch.chdir(work)
    import gridimpact.study

    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("the study ran before --out was checked")

    monkeypatch.setattr(gridimpact.study, "run_study", never)
    assert main(["run", str(CASE_100K), "--out", out, "--force"]) == 2  # even with --force
    err = _one_error_line(capsys.readouterr().err)
    assert "current folder" in err
    assert sorted(p.name for p in work.iterdir()) == ["thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


@pytest.mark.usefixtures("no_study")
def test_out_holding_the_case_file_is_refused_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / "c.toml"
    case.write_text(CASE_100K.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["run", str(case), "--out", str(cases), "--force"]) == 2
    assert "holds the input file" in _one_error_line(capsys.readouterr().err)
    assert case.exists()


def test_out_inside_a_file_and_symlink_are_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is a file, not a folder"):
        check_output_folder(tmp_path / "f" / "run")
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    with pytest.raises(OutputFolderError, match="symbolic link"):
        check_output_folder(tmp_path / "link")


@pytest.mark.usefixtures("no_study")
def test_compare_checks_out_before_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cmp"
    target.write_text("mine", encoding="utf-8")
    assert main(["compare", str(CASE_100K), str(CASE_1M), "--out", str(target)]) == 2
    assert "is an existing file" in _one_error_line(capsys.readouterr().err)
    assert target.read_text(encoding="utf-8") == "mine"


# --- one line, always -------------------------------------------------------------------


def test_internal_error_is_one_line_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bug is not the user's fault, but it is still one line (and no run folder)."""
    import gridimpact.study

    def broken(*_: Any, **__: Any) -> Any:
        raise ValueError("run_dynamics: poi.sc_mva must be finite (got nan)")

    monkeypatch.setattr(gridimpact.study, "run_study", broken)
    monkeypatch.delenv("GRIDIMPACT_DEBUG", raising=False)
    code = main(["run", str(CASE_100K), "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 70 and err.count("\n") == 1 and "internal error (ValueError" in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run"], "Missing argument"),
        (["run", str(CASE_100K), "--bogus"], "No such option: --bogus"),
        (["run", str(CASE_100K), "--out"], "requires an argument"),
        (["frobnicate"], "No such command"),
        (["compare", str(CASE_100K)], "at least two case files"),
        (["validate", "a.toml", "b.toml"], "unexpected extra argument"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert expected in _one_error_line(captured.err)
    assert captured.out == ""


def test_nonexistent_case_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert (
        _one_error_line(capsys.readouterr().err)
        == f"error: {tmp_path / 'nope.toml'}: file not found\n"
    )


@pytest.mark.skipif(not GRIDIMPACT.exists(), reason="console script not installed")
def test_console_script_usage_error_has_no_box() -> None:
    proc = subprocess.run(
        [str(GRIDIMPACT), "run", "--frobnicate"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"),
    [
        (
            r'station = "memphis_kmem"',
            'station = "atlantis"',
            "weather.station: unknown station 'atlantis' (known: memphis_kmem)",
        ),
        (
            r'kind = "synthetic"',
            'kind = "epw"',
            'weather.epw_file: required when weather.kind = "epw"',
        ),
        (
            r'kind = "synthetic"',
            'kind = "epw"\nepw_file = "missing.epw"',
            "weather.epw_file: file not found: ",
        ),
    ],
)
def test_weather_errors_name_the_case_file_and_field(
    edited_case: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
    pattern: str,
    replacement: str,
    expected: str,
) -> None:
    path = edited_case(pattern, replacement)
    assert main(["validate", str(path)]) == 2
    err = _one_error_line(capsys.readouterr().err)
    assert err.startswith(f"error: {path}: {expected}"), err


def test_epw_value_is_shown_as_written() -> None:
    from gridimpact.weather.epw import _shown

    assert _shown(np.float64(99.9)) == "99.9"
    assert _shown(np.int64(999999)) == "999999"
    assert _shown(" abc") == "'abc'"


# --- validate: everything short of solving ----------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"),
    [
        (
            r'poi_bus = "Colossus1 POI 161kV"',
            'poi_bus = "Nowhere 161kV"',
            "'Nowhere 161kV'",
        ),
        (
            r'candidate_poi_buses = \["Whitehaven POI 161kV"\]',
            'candidate_poi_buses = ["Whitehaven POI 161kV", "Atlantis 161kV"]',
            "grid.candidate_poi_buses: memphis_161kv: POI bus 'Atlantis 161kV' not found",
        ),
        (r"^\[grid\]$", '[grid]\nupgrades = ["gold_plated"]', "'gold_plated'"),
        (
            r"^\[grid\]$",
            '[workload]\nduration_s = { value = 3600.0, unit = "s", source = "test" }\n'
            'sample_rate_hz = { value = 500.0, unit = "Hz", source = "test" }\n\n[grid]',
            "workload.sample_rate_hz: ",
        ),
    ],
)
@pytest.mark.usefixtures("no_study")
def test_validate_runs_every_check_short_of_solving(
    edited_case: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
    pattern: str,
    replacement: str,
    expected: str,
) -> None:
    path = edited_case(pattern, replacement)
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    err = _one_error_line(captured.err)
    assert err.startswith(f"error: {path}: ") and expected in err, err
    assert captured.out == ""


def test_workload_budget_in_preflight() -> None:
    from gridimpact.preflight import check_workload_budget

    def workload(duration_s: float, rate_hz: float) -> Any:
        return SimpleNamespace(
            duration_s=SimpleNamespace(value=duration_s),
            sample_rate_hz=SimpleNamespace(value=rate_hz),
        )

    assert check_workload_budget(workload(600.0, 20.0), "c.toml") == 12_000
    assert check_workload_budget(workload(1000.0, 1000.0), "c.toml") == 1_000_000
    with pytest.raises(CaseError, match=r"^c\.toml: workload\.sample_rate_hz: .* 1,000,000"):
        check_workload_budget(workload(3600.0, 500.0), "c.toml")


def test_preflight_lists_its_checks() -> None:
    from gridimpact.case import load_case
    from gridimpact.preflight import preflight

    done = preflight(load_case(CASE_100K))
    assert [line.split(":")[0] for line in done] == ["workload", "weather", "cooling", "network"]


@pytest.mark.usefixtures("no_study")
def test_run_preflights_before_the_study(
    edited_case: Callable[[str, str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_case(r'poi_bus = "Colossus1 POI 161kV"', 'poi_bus = "Nowhere 161kV"')
    assert main(["run", str(path), "--out", str(tmp_path / "run")]) == 2
    assert "'Nowhere 161kV'" in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "run").exists()


# --- interrupts ---------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.mark.skipif(not GRIDIMPACT.exists(), reason="console script not installed")
def test_sigterm_during_a_run_exits_nonzero_and_leaves_nothing(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [str(GRIDIMPACT), "run", str(CASE_100K), "--out", str(tmp_path / "run")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(5.0)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=12.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("gridimpact run did not stop within 12 s of SIGTERM")
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.splitlines() == [
        "error: interrupted by SIGTERM; no partial run folder is left behind"
    ]
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "run").exists()


_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from types import SimpleNamespace
    import gridimpact.report.case_outputs, gridimpact.report.document, gridimpact.study
    from gridimpact.cli import main

    def write(result, folder):
        (folder / "results.json").write_text("{}")
        time.sleep(60)

    gridimpact.study.run_study = lambda loaded: SimpleNamespace(loaded=loaded)
    gridimpact.report.case_outputs.write_case_outputs = write
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupt_while_writing_removes_the_temporary_folder(
    tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / MANIFEST).write_text(
        json.dumps({"tool": "gridimpact", "files": ["results.json"]}), encoding="utf-8"
    )
    (out / "results.json").write_text('{"previous": true}', encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, "run", str(CASE_100K), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    deadline = time.monotonic() + 30.0
    while not any(".tmp-" in p.name for p in tmp_path.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the temporary run folder never appeared"
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=10.0)
    assert proc.returncode == 128 + sig, err
    assert err.splitlines() == [
        f"error: interrupted by {sig.name}; no partial run folder is left behind"
    ]
    assert _leftovers(tmp_path) == []
    # the previous run folder is untouched
    assert (out / "results.json").read_text(encoding="utf-8") == '{"previous": true}'
