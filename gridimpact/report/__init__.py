"""Reports: figures (PNG), PDF, CSV tables and JSON, written atomically.

The writers import the plotting and study modules when called, so that
``gridimpact.report.output`` (the run-folder checks the CLI makes before a study
runs) stays cheap to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gridimpact.report.output import atomic_directory, write_manifest

if TYPE_CHECKING:
    from gridimpact.study import StudyResult


def _case_fields(result: StudyResult) -> dict[str, str]:
    loaded = result.loaded
    return {"case": loaded.case.case.name, "case_sha256": loaded.file_sha256}


def write_run(
    result: StudyResult, out: str | Path, *, force: bool = False, inputs: Iterable[Path] = ()
) -> Path:
    """Write one case's run folder at ``out`` (replacing it only on success).

    An existing ``out`` is replaced only if it is empty or a run folder of ours, unless
    ``force``; it must not hold any of ``inputs`` (see
    :func:`gridimpact.report.output.check_output_folder`). The folder gets a manifest,
    ``.gridimpact-run.json``, listing the files written.
    """
    from gridimpact.report.case_outputs import write_case_outputs

    out = Path(out)
    with atomic_directory(out, force=force, inputs=inputs) as tmp:
        write_case_outputs(result, tmp)
        write_manifest(tmp, kind="run", **_case_fields(result))
    return out


def write_compare(
    results: list[StudyResult],
    out: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[Path] = (),
) -> Path:
    """Write each case into ``out/<case name>/`` and the comparison into ``out``.

    Each case folder and ``out`` itself get a manifest (see :func:`write_run`).
    """
    from gridimpact.report.case_outputs import write_case_outputs
    from gridimpact.report.comparison import write_comparison
    from gridimpact.report.document import results_document

    out = Path(out)
    with atomic_directory(out, force=force, inputs=inputs) as tmp:
        for result in results:
            folder = tmp / result.loaded.case.case.name
            write_case_outputs(result, folder)
            write_manifest(folder, kind="run", **_case_fields(result))
        write_comparison(
            [results_document(r) for r in results],
            [r.facility.hourly["facility_power_mw"] for r in results],
            tmp,
        )
        write_manifest(tmp, kind="comparison", cases=[r.loaded.case.case.name for r in results])
    return out


__all__ = ["write_compare", "write_run"]
