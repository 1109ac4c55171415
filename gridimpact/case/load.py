"""Read a case file: TOML → validated, frozen :class:`Case` (+ where it came from)."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridimpact.case.schema import Case
from gridimpact.data.gpus import load_gpu_catalog
from gridimpact.errors import CaseError
from gridimpact.validation import validate_model

MAX_CASE_BYTES = 1_048_576
"""Largest case file read (1 MiB): the shipped cases are ~8 kB; a larger file is not a
case and reading it whole would only cost memory."""


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


def check_references(case: Case, file: str) -> None:
    """Cross-checks pydantic cannot do alone: names that must exist in catalogs."""
    systems = load_gpu_catalog().systems
    if case.compute.gpu_model not in systems:
        known = ", ".join(sorted(systems))
        raise CaseError(
            file,
            "compute.gpu_model",
            f"unknown GPU model {case.compute.gpu_model!r} (known: {known})",
        )


def _parse_toml(raw: bytes, shown: str) -> dict[str, Any]:
    """TOML bytes → a dict; every failure is a one-line :class:`CaseError` on the file."""
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark is tolerated
    except UnicodeDecodeError as exc:
        raise CaseError(
            shown,
            "",
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start}"
            " (save the file as UTF-8)",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(shown, "", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseError(shown, "", "not valid TOML: arrays or tables nested too deep") from None
    except MemoryError:
        raise CaseError(shown, "", "not valid TOML: too large to read") from None
    except ValueError as exc:  # e.g. an integer beyond Python's 4,300-digit limit
        raise CaseError(shown, "", f"not valid TOML: {str(exc).split(':')[0]}") from None


def read_toml_file(file: Path, shown: str, size_hint: str = "") -> tuple[dict[str, Any], bytes]:
    """Read at most :data:`MAX_CASE_BYTES` of UTF-8 TOML: the document and its bytes.

    Raises
    ------
    CaseError
        Naming ``shown``: missing, unreadable, too large (``size_hint`` says why it
        should not be), not UTF-8 or not TOML.
    """
    if not file.is_file():
        raise CaseError(shown, "", "file not found" if not file.exists() else "not a file")
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_CASE_BYTES + 1)
    except OSError as exc:
        raise CaseError(shown, "", f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseError(shown, "", f"larger than {MAX_CASE_BYTES:,} bytes{size_hint}")
    return _parse_toml(raw, shown), raw


def load_case(path: str | Path) -> LoadedCase:
    """Read, parse and validate a case file.

    A case file is at most :data:`MAX_CASE_BYTES` of UTF-8 TOML.

    Raises
    ------
    CaseError
        With the file name and the dotted path of the first offending field.
    """
    file = Path(path)
    shown = str(path)
    data, raw = read_toml_file(file, shown, "; a case file is a few kB of TOML")
    try:
        case = validate_model(Case, data, shown)
        check_references(case, shown)
    except (RecursionError, MemoryError):
        raise CaseError(shown, "", "values nested too deep or too large to validate") from None
    return LoadedCase(case=case, path=file.resolve(), file_sha256=hashlib.sha256(raw).hexdigest())
