"""Report properties users rely on: reproducible bytes, one-page summary, traceability."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from gridimpact.report import write_run
from gridimpact.report.comparison import comparison_document
from gridimpact.report.document import violations_by_element
from gridimpact.report.labels import QUANTITIES, column_label, label, number
from gridimpact.report.narrative import not_studied, onsite_findings
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
def study(study_100k: StudyResult) -> StudyResult:
    return study_100k


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


def _page_of(pages: list[str], heading: str) -> int:
    return next(
        i
        for i, text in enumerate(pages)
        if any(line.strip() == heading for line in text.splitlines())
    )


def test_front_matter_order_and_one_page_summaries(run_folder: Path) -> None:
    pages = [p.extract_text() for p in PdfReader(run_folder / "report.pdf").pages]
    plain = _page_of(pages, "In plain language")
    summary = _page_of(pages, "Executive summary")
    basis = _page_of(pages, "Study basis")
    contents = _page_of(pages, "Contents")
    # cover, plain language (one page), executive summary (one page), basis, contents
    assert (plain, summary) == (1, 2)
    assert basis < contents
    doc = json.loads((run_folder / "results.json").read_text())
    h = doc["headline"]
    flat = " ".join(pages[summary].split())
    # the answer is stated in words as well as in the table, numbers as printed
    assert f"draw {number(h['facility_peak_mw'])} MW at the point of interconnection" in flat
    assert f"can host {number(h['hosting_capacity_n1_mw'])} MW under N-1" in flat
    plain_text = " ".join(pages[plain].split())
    for part in ("What the campus needs", "What the grid and the neighbours get"):
        assert part in plain_text
    assert f"{number(h['facility_peak_mw'])} megawatts" in plain_text


def test_revision_block_on_first_page(run_folder: Path) -> None:
    first = " ".join(PdfReader(run_folder / "report.pdf").pages[0].extract_text().split())
    doc = json.loads((run_folder / "results.json").read_text())
    assert "Revision" in first and "Prepared by" in first
    assert f"gridimpact {doc['tool_version']}" in first
    assert doc["case"]["file_sha256"][:8] in first


def test_study_basis_states_criteria_and_what_was_not_studied(run_folder: Path) -> None:
    doc = json.loads((run_folder / "results.json").read_text())
    basis = doc["study_basis"]
    # the criteria are the network's own (catalog defaults: NERC TPL-001-5 Table 1)
    assert basis["criteria"]["vm_min_n0_pu"] == 0.95
    assert basis["criteria"]["vm_min_n1_pu"] == 0.9
    assert sum(basis["contingencies_by_category"].values()) == basis["contingency_count"]
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(run_folder / "report.pdf").pages).split()
    )
    assert "Not studied" in text
    assert "Harmonic distortion" in text
    assert basis["line_rating_basis"] in text
    # generator outages: stated as not studied exactly when the set holds none
    no_gen = {**basis, "contingencies_by_category": {"line": 3}}
    assert any(
        "none is in the contingency set" in s for s in not_studied({**doc, "study_basis": no_gen})
    )
    assert not any(
        "none is in the contingency set" in s
        for s in not_studied(
            {**doc, "study_basis": {**basis, "contingencies_by_category": {"generator": 1}}}
        )
    )


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
    contents = next(
        text
        for text in (p.extract_text() for p in pages)
        if any(line.strip() == "Contents" for line in text.splitlines())
    )
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


def test_numbers_are_printed_with_thousands_separators() -> None:
    assert number(100000) == "100,000"
    assert number(1956.1) == "1,956.1"
    assert number(0.8182) == "0.8182"
    assert number(None) == "n/a"
    assert number(True) == "yes"


def test_labels_never_print_raw_keys() -> None:
    # every listed headline key has words and a unit; unlisted keys read their unit
    assert all("_" not in q.label for q in QUANTITIES.values())
    assert label("bess_loss_mwh_per_year") == ("Battery losses", "MWh/yr")
    assert label("some_new_peak_mw") == ("Some new peak", "MW")
    assert label("poi_vm_pu_recommended")[1] == "pu"
    assert column_label("annual_energy_gwh") == "Annual energy (GWh)"
    assert column_label("share_of_facility_percent") == "Share of facility energy (%)"


def test_violations_are_summarised_by_element() -> None:
    import pandas as pd

    # hand-made: line A overloaded in two outages (worst 130 % in o2), bus B low in one
    # (0.85 pu), one outage diverges; only o2 is the campus's on line A
    table = pd.DataFrame(
        {
            "contingency": ["o1", "o2", "o1", "o3"],
            "element": ["A", "A", "B", "o3"],
            "kind": ["line", "line", "bus", "grid"],
            "quantity": ["loading_percent", "loading_percent", "vm_pu", "converged"],
            "value": [110.0, 130.0, 0.85, 0.0],
            "limit": [100.0, 100.0, 0.9, 1.0],
            "attributable": [False, True, True, True],
            "preexisting": [True, False, False, False],
        }
    )
    out = violations_by_element(table).set_index("element")
    assert list(out.index) == ["A", "B"]  # 30 % beyond before 5.6 %; o3 diverged, not here
    assert out.loc["A", "worst_value"] == 130.0
    assert out.loc["A", "worst_contingency"] == "o2"
    assert out.loc["A", "contingency_count"] == 2
    assert out.loc["A", "attributable_count"] == 1
    assert out.loc["B", "worst_value"] == 0.85


def test_full_violation_lists_are_written_to_csv(run_folder: Path) -> None:
    for name in ("n1_violations_attributed", "n1_violations_by_element", "n1_diverged_outages"):
        assert (run_folder / "tables" / f"{name}.csv").exists()


def test_comparison_ratios_only_where_they_mean_something() -> None:
    def doc(name: str, h: dict[str, object]) -> dict[str, object]:
        return {"case": {"name": name, "title": name, "file_sha256": "0"}, "headline": h}

    comp = comparison_document(
        [
            doc(
                "a",
                {
                    "facility_peak_mw": 100.0,
                    "scr": 68.0,
                    "poi_vm_pu": 1.01,
                    "hosting_margin_n1_mw": 20.0,
                },
            ),
            doc(
                "b",
                {
                    "facility_peak_mw": 1400.0,
                    "scr": 3.4,
                    "poi_vm_pu": 0.82,
                    "hosting_margin_n1_mw": -1860.0,
                },
            ),
        ]
    )
    rows = {r["key"]: r for r in comp["rows"]}
    assert rows["facility_peak_mw"]["ratio_last_to_first"] == 14.0  # 1400 / 100
    for key in ("scr", "poi_vm_pu", "hosting_margin_n1_mw"):
        assert rows[key]["ratio_last_to_first"] is None, key
    assert rows["poi_vm_pu"]["difference_last_minus_first"] == pytest.approx(-0.19)
    assert rows["hosting_margin_n1_mw"]["difference_last_minus_first"] == -1880.0
    assert rows["scr"]["difference_last_minus_first"] is None
