"""Read a case file: TOML → validated, frozen :class:`Case` (+ where it came from)."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gridimpact.case.schema import Case
from gridimpact.data.gpus import load_gpu_catalog
from gridimpact.errors import CaseError
from gridimpact.validation import validate_model


@dataclass(frozen=True)
class LoadedCase:
    """A validated case and the file it was read from."""

    case: Case
    path: Path
    file_sha256: str

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the case (EPW, network files) are relative to."""
        return self.path.parent


def _check_references(case: Case, file: str) -> None:
    """Cross-checks pydantic cannot do alone: names that must exist in catalogs."""
    systems = load_gpu_catalog().systems
    if case.compute.gpu_model not in systems:
        known = ", ".join(sorted(systems))
        raise CaseError(
            file,
            "compute.gpu_model",
            f"unknown GPU model {case.compute.gpu_model!r} (known: {known})",
        )


def load_case(path: str | Path) -> LoadedCase:
    """Read, parse and validate a case file.

    Raises
    ------
    CaseError
        With the file name and the dotted path of the first offending field.
    """
    file = Path(path)
    shown = str(path)
    if not file.is_file():
        raise CaseError(shown, "", "file not found" if not file.exists() else "not a file")
    raw = file.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CaseError(shown, "", f"not valid TOML: {exc}") from None
    case = validate_model(Case, data, shown)
    _check_references(case, shown)
    return LoadedCase(case=case, path=file.resolve(), file_sha256=hashlib.sha256(raw).hexdigest())
