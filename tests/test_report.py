"""Report properties users rely on: reproducible bytes, one-page summary, traceability."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from gridimpact.report import write_run
from gridimpact.report.narrative import onsite_findings
from gridimpact.study import StudyResult, run_study
from tests.conftest import CASE_100K

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def study() -> StudyResult:
    return run_study(CASE_100K)


@pytest.fixture(scope="module")
def run_folder(study: StudyResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        return write_run(study, tmp_path_factory.mktemp("a") / "run")
    finally:
        mp.undo()


def test_same_case_gives_byte_identical_outputs(
    run_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = write_run(run_study(CASE_100K), tmp_path / "run")  # a fresh study, not a copy
    first, second = _digests(run_folder), _digests(again)
    assert set(first) == set(second)
    assert {"report.pdf", "results.json"} <= set(first)
    assert [k for k in first if first[k] != second[k]] == []


def test_report_date_comes_from_source_date_epoch(run_folder: Path) -> None:
    text = PdfReader(run_folder / "report.pdf").pages[0].extract_text()
    assert "2026-01-01" in text


def test_executive_summary_is_one_page_with_sentences(run_folder: Path) -> None:
    pages = PdfReader(run_folder / "report.pdf").pages
    summary = pages[1].extract_text()
    assert "Executive summary" in summary
    assert "Contents" in pages[2].extract_text()  # the summary did not spill over
    doc = json.loads((run_folder / "results.json").read_text())
    flat = " ".join(summary.split())
    h = doc["headline"]
    # the answer is stated in words as well as in the table
    assert f"draw {h['facility_peak_mw']} MW at the point of interconnection" in flat
    assert f"can host {h['hosting_capacity_n1_mw']} MW under N-1" in flat


def test_onsite_findings_are_written_from_results_json(run_folder: Path) -> None:
    doc = json.loads((run_folder / "results.json").read_text())
    ons = doc["onsite"]
    assert ons["findings"] == onsite_findings(ons)
    h = ons["headline"]
    assert f"{ons['unit_count']} units, {h['turbine_fleet_mw']} MW" in ons["findings"][0]
    assert f"holds the import to {h['backup_secure_import_mw']} MW" in ons["findings"][1]
    text = " ".join(p.extract_text() for p in PdfReader(run_folder / "report.pdf").pages)
    assert ons["findings"][1] in " ".join(text.split())


def test_pages_are_numbered_and_have_contents(run_folder: Path) -> None:
    pages = PdfReader(run_folder / "report.pdf").pages
    for i, page in enumerate(pages, start=1):
        assert f"page {i}" in page.extract_text()
    contents = pages[2].extract_text()
    for heading in ("Load and cooling", "N-1", "Short circuit", "Dynamics", "Assumptions"):
        assert heading in contents


def test_every_assumption_row_has_a_source(run_folder: Path) -> None:
    doc = json.loads((run_folder / "results.json").read_text())
    assert len(doc["assumptions"]) > 50
    for row in doc["assumptions"]:
        assert len(row["source"]) >= 3, row["input"]
        assert row["confidence"] in {"published", "reported", "derived", "estimate"}


def test_figures_are_print_resolution(run_folder: Path) -> None:
    from PIL import Image

    pngs = sorted((run_folder / "figures").glob("*.png"))
    assert len(pngs) >= 10
    for png in pngs:
        with Image.open(png) as im:
            # 150 dpi at >= 6 inches wide
            assert im.width >= 900, png.name
