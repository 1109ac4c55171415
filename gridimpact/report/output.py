"""Run folders: written to a temporary sibling, moved into place only when complete.

A run folder is marked as ours by a manifest, :data:`MANIFEST` (``.gridimpact-run.json``),
that lists every file the tool wrote into it. An existing ``--out`` is replaced only if
it is empty, or a run folder of ours holding nothing but the files its manifest lists
(or, for folders written before manifests existed, nothing but report files); anything
else is refused unless ``force`` is given. Some targets are refused even with ``force``:
the current folder or one of its parents, the home folder or one of its parents, and a
folder holding one of the study's input files.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gridimpact.errors import OutputFolderError, ReportError

MANIFEST = ".gridimpact-run.json"
"""File that marks a run folder as written by this tool."""
MANIFEST_FORMAT = 1
"""Version of the manifest's layout."""

#: Files of run folders written before manifests existed (relative paths, posix).
_LEGACY_FILE = re.compile(
    r"(?:[^/]+/)?(?:report\.pdf|results\.json|comparison\.pdf|comparison\.json"
    r"|figures/[^/]+\.png|tables/[^/]+\.csv)"
)


def _files(folder: Path) -> list[str]:
    """Every non-directory entry under ``folder`` (relative posix paths, sorted)."""
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_dir():
            found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a run folder of ours, or None if there is no valid one."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("tool") != "gridimpact":
        return None
    files = doc.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return doc


def write_manifest(folder: Path, **fields: Any) -> Path:
    """Write the manifest of a finished run folder, listing every file in it.

    The content is deterministic (no dates): run folders stay byte-reproducible.
    """
    from gridimpact import __version__

    doc: dict[str, Any] = {"tool": "gridimpact", "version": __version__, "format": MANIFEST_FORMAT}
    doc.update(fields)
    doc["files"] = [f for f in _files(folder) if f != MANIFEST]
    path = folder / MANIFEST
    write_json(doc, path)
    return path


def _foreign_file(folder: Path) -> str | None:
    """First file in ``folder`` the tool did not write (None: the folder is ours)."""
    files = [f for f in _files(folder) if f != MANIFEST]
    manifest = read_manifest(folder)
    if manifest is not None:
        listed = set(manifest["files"])
        return next((f for f in files if f not in listed), None)
    if (folder / MANIFEST).exists():
        return f"{MANIFEST}, unreadable or not ours"
    if not any(f in ("results.json", "comparison.json") for f in files):
        return files[0] if files else None
    return next((f for f in files if not _LEGACY_FILE.fullmatch(f)), None)


def _is_within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_output_folder(out: Path, *, force: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output folder whose replacement would destroy data that is not ours.

    Parameters
    ----------
    out : pathlib.Path
        The run folder to be written (replaced if it exists).
    force : bool
        Replace an existing file or a folder holding files the tool did not write.
    inputs : iterable of pathlib.Path
        The study's input files (case, EPW, network): ``out`` must not hold any.

    Raises
    ------
    OutputFolderError
        With one line that names ``out`` and says what to do.
    """
    out = Path(out)
    shown = str(out)
    where = out.resolve()
    cwd = Path.cwd().resolve()
    if _is_within(cwd, where):
        what = "the current folder" if where == cwd else "a parent of the current folder"
        raise OutputFolderError(
            f"--out {shown}: is {what}; replacing it would delete it, "
            "give a new folder such as reports/<case>"
        )
    home = Path.home().resolve()
    if _is_within(home, where):
        raise OutputFolderError(
            f"--out {shown}: is the home folder or a parent of it; give a new folder"
        )
    for item in inputs:
        src = Path(item).resolve()
        if _is_within(src, where):
            raise OutputFolderError(
                f"--out {shown}: holds the input file {item}; give another folder"
            )
    for parent in where.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputFolderError(f"--out {shown}: {parent} is a file, not a folder")
    if not (out.exists() or out.is_symlink()):
        return
    hint = "give a new or empty folder, or --force to replace it"
    if out.is_symlink():
        if not force:
            raise OutputFolderError(f"--out {shown}: is a symbolic link; {hint}")
        return
    if not out.is_dir():
        if not force:
            raise OutputFolderError(f"--out {shown}: is an existing file; {hint}")
        return
    try:
        foreign = _foreign_file(out)
    except OSError as exc:
        raise OutputFolderError(f"--out {shown}: cannot be read ({exc.strerror})") from None
    if foreign is not None and not force:
        raise OutputFolderError(
            f"--out {shown}: is not a gridimpact run folder (it holds {foreign}); {hint}"
        )


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT / SIGTERM while the run folder is swapped in, then deliver them.

    Without this, an interrupt between moving the old folder away and moving the new
    one in would leave neither at ``out``.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def record(signum: int, frame: object) -> None:
        pending.append(signum)

    saved: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None:  # None: installed from C, cannot be restored
            saved[sig] = handler
            signal.signal(sig, record)
    try:
        yield
    finally:
        for signum, old in saved.items():
            signal.signal(signum, old)
        for signum in dict.fromkeys(pending):
            signal.raise_signal(signum)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_directory(
    out: Path, *, force: bool = False, inputs: Iterable[Path] = ()
) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds.

    On any exception (including an interrupt) the temporary folder is removed and
    ``out`` is untouched: a failed run leaves no half-written report. ``out`` is
    checked with :func:`check_output_folder` before and again just before the swap.

    Raises
    ------
    OutputFolderError
        ``out`` would destroy data that is not ours (see :func:`check_output_folder`).
    ReportError
        The folder cannot be created or written.
    """
    out = Path(out)
    inputs = tuple(inputs)
    check_output_folder(out, force=force, inputs=inputs)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a run folder is not
    except OSError as exc:
        raise ReportError(f"{out.parent}: cannot create output folder ({exc.strerror})") from None
    try:
        try:
            yield tmp
        except OSError as exc:
            raise ReportError(f"{out}: cannot write run folder ({exc.strerror})") from exc
        with _signals_deferred():
            check_output_folder(out, force=force, inputs=inputs)
            if out.exists() or out.is_symlink():
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
                out.rename(old / out.name)
                try:
                    tmp.rename(out)
                except BaseException:
                    (old / out.name).rename(out)
                    shutil.rmtree(old, ignore_errors=True)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ReportError(f"{out}: cannot replace run folder ({exc.strerror})") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(doc: dict[str, Any], path: Path) -> None:
    """Write a JSON document with stable key order and formatting."""
    path.write_text(
        json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )
