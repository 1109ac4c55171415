"""Reports: figures (PNG), PDF, CSV tables and JSON, written atomically."""

from __future__ import annotations

from pathlib import Path

from gridimpact.report.case_outputs import write_case_outputs
from gridimpact.report.comparison import write_comparison
from gridimpact.report.document import results_document
from gridimpact.report.output import atomic_directory
from gridimpact.study import StudyResult


def write_run(result: StudyResult, out: str | Path) -> Path:
    """Write one case's run folder at ``out`` (replacing it only on success)."""
    out = Path(out)
    with atomic_directory(out) as tmp:
        write_case_outputs(result, tmp)
    return out


def write_compare(results: list[StudyResult], out: str | Path) -> Path:
    """Write each case into ``out/<case name>/`` and the comparison into ``out``."""
    out = Path(out)
    with atomic_directory(out) as tmp:
        for result in results:
            write_case_outputs(result, tmp / result.loaded.case.case.name)
        write_comparison(
            [results_document(r) for r in results],
            [r.facility.hourly["facility_power_mw"] for r in results],
            tmp,
        )
    return out


__all__ = ["write_compare", "write_run"]
