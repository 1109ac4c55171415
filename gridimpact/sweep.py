"""Parameter sweeps: one base case, some of its values varied, every point a full study.

A sweep file is TOML::

    base = "colossus_100k.toml"   # the base case, relative to the sweep file
    name = "gpu_count"            # optional (default: the sweep file's stem)
    description = "..."           # optional
    zip = false                   # optional: true pairs the lists instead of crossing them

    [parameters]
    "compute.gpu_count" = [50_000, 100_000, 200_000, 400_000]
    "cooling.architecture" = ["liquid_towers", "air_cooled_chillers"]

Each key of ``[parameters]`` is the dotted path of one case field (list elements as
``onsite.units[0].count``, dict entries as ``onsite.permit_caps.NOx``); its list holds
the values the sweep gives it. The points are the Cartesian product of the lists in the
order written (the last parameter varies fastest), or with ``zip = true`` the lists
taken side by side (equal lengths required).

How a value is put into the case (the base case's parsed TOML is edited, then
validated as a whole):

* A *sourced* field (``{ value, unit, source, confidence }``): the list gives new
  ``value`` s **in the unit of the base case's entry** (which is kept); ``source``
  becomes ``"sweep"``, ``confidence`` becomes ``"estimate"`` (a swept value is a
  what-if, not a sourced fact: the assumptions table of each point flags it as such)
  and ``note`` says what the base case had. A list element may also be a table, merged
  over the base entry (``{ value = 3, unit = "GW" }``; its own ``source`` /
  ``confidence`` are kept). A sourced field the base case leaves at its default gets the
  default's unit (or the unit its name implies).
* Any other field: the value replaces the base case's.
* Paths in values (``grid.network``, ``weather.epw_file``) are relative to the base
  case, as in the base case itself.
* The point's ``case.title`` gets the swept values appended (``[sweep: ...]``), so
  that each point's report says which point it is. ``case.name`` is kept.

Every point is validated (schema, catalog names, then :func:`gridimpact.preflight.preflight`)
before anything runs; the first bad point stops the sweep with one line naming the
point and the field. The point's :class:`~gridimpact.case.LoadedCase` has the base case's
path (relative network / EPW paths resolve as for the base) and, as ``file_sha256``,
the SHA-256 of the canonical JSON of the point's case document: the *point key*.

:func:`run_sweep` runs the points on dask.distributed (a ``LocalCluster`` of worker
processes, or an existing scheduler) and writes into ``out``:

``points/<index>-<key[:12]>/``
    each point's run folder (:func:`gridimpact.report.write_run`), written by the task
    that ran it. A rerun reuses a point whose folder holds ``results.json`` and a
    manifest with the same key and tool version (status ``reused``): an interrupted or
    extended sweep only runs what is missing. The key covers the case document, not the
    contents of a network or EPW *file* it names: after editing such a file, give a
    new ``out`` (or delete ``points/``).
``sweep.csv`` / ``sweep.parquet``
    one row per point: ``point``, the parameters (their dotted names; a table or list
    value JSON-encoded), ``status`` (``ok``, ``reused``, ``failed``), ``error`` (one
    line), ``elapsed_s`` (run time of the point's task, this run), ``case_sha256``,
    ``folder``, then every scalar headline key of ``results.json`` (numbers, strings,
    booleans, empty when missing). Headline values that are dicts or lists
    (``n1_outage_count_by_category``, ``turbine_pte_tons_per_year``,
    ``permit_caps_tons_per_year``, ``emission_scenarios``, ``permit_exceedances``) are
    left out of the table: they are in ``sweep.json`` and in each point's
    ``results.json``.
``sweep.json``
    the sweep definition and every row with its whole headline.
``figures/``
    one PNG per (headline key of :data:`gridimpact.report.sweep_figures.SWEEP_FIGURE_KEYS`
    × swept numeric parameter), the other parameters as separate lines.
``.gridimpact-run.json``
    the manifest (``kind = "sweep"``) that marks the folder as ours.

A point that fails while running (any exception in the study or while writing its
folder) is a ``failed`` row with its error in one line; the sweep goes on.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import importlib.util
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
import types
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from gridimpact import __version__
from gridimpact.case import LoadedCase, load_case
from gridimpact.case.load import check_references, read_toml_file
from gridimpact.case.schema import Case
from gridimpact.errors import CaseError, GridImpactError, OutputFolderError, SweepError, one_line
from gridimpact.report.output import (
    MANIFEST,
    MANIFEST_FORMAT,
    check_output_folder,
    read_manifest,
    write_json,
)
from gridimpact.schema import Sourced
from gridimpact.units import expected_unit
from gridimpact.validation import validate_model

if TYPE_CHECKING:
    import pandas as pd

MAX_POINTS = 10_000
"""Most points a sweep may have (each is a full study of seconds to minutes)."""
MAX_VALUES = 1_000
"""Most values one parameter may take."""
SWEEP_SOURCE = "sweep"
"""``source`` of a sourced value set by a sweep."""
SWEEP_CONFIDENCE = "estimate"
"""``confidence`` of a sourced value set by a sweep: a what-if, not a sourced fact."""
DEFAULT_MAX_WORKERS = 4
"""Default local workers: ``min(4, CPU count)`` (each runs one study at a time)."""
TASK_RETRIES = 2
"""Retries of a point's task whose worker died (the study itself never raises)."""

STATUS_OK, STATUS_REUSED, STATUS_FAILED = "ok", "reused", "failed"

Progress = Callable[[int, int, str], None]
"""``progress(done, total, label)``: called as each point finishes (or is reused)."""

_PATH_PART = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")
_INDEX = re.compile(r"\[(\d+)\]")
_POINT_FOLDER = re.compile(r"^(\d+)-([0-9a-f]{12})$")
_LEFTOVER = re.compile(r"^\.[^/]+\.(?:tmp|old)-[^/]+$")
"""Temporary files / folders of an atomic write killed before it could clean up."""


# --------------------------------------------------------------------------- the file


class SweepSpec(BaseModel):
    """The sweep file, as validated (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    base: StrictStr = Field(min_length=1)
    """The base case file, relative to the sweep file."""
    name: StrictStr = Field(default="", pattern=r"^$|^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=64)
    description: StrictStr = ""
    paired: StrictBool = Field(default=False, alias="zip")
    """``zip = true``: the i-th point takes the i-th value of every list."""
    parameters: dict[str, Annotated[list[Any], Field(min_length=1, max_length=MAX_VALUES)]] = Field(
        min_length=1
    )


@dataclass(frozen=True)
class Parameter:
    """A swept case field."""

    path: str
    """Dotted path as normalised (a trailing ``.value`` of a sourced field dropped)."""
    steps: tuple[str | int, ...]
    """Keys and list positions from the case root."""
    sourced: bool
    """The field is a sourced table (the values replace its ``value``)."""
    values: tuple[Any, ...]
    unit: str = ""
    """Unit of a sourced field's values (that of the base case's entry)."""


@dataclass(frozen=True)
class Sweep:
    """A validated sweep file and its base case."""

    file: Path
    spec: SweepSpec
    base: LoadedCase
    base_document: dict[str, Any]
    """The base case's parsed TOML (never modified)."""
    parameters: tuple[Parameter, ...]

    @property
    def name(self) -> str:
        return self.spec.name or self.file.stem

    @property
    def size(self) -> int:
        if self.spec.paired:
            return len(self.parameters[0].values)
        size = 1
        for p in self.parameters:
            size *= len(p.values)
        return size

    def definition(self) -> dict[str, Any]:
        """The sweep as written to ``sweep.json``."""
        return {
            "file": self.file.name,
            "name": self.name,
            "description": self.spec.description,
            "base": self.spec.base,
            "base_sha256": self.base.file_sha256,
            "zip": self.spec.paired,
            "parameters": {p.path: list(p.values) for p in self.parameters},
            "units": {p.path: p.unit for p in self.parameters if p.sourced},
        }


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep: its values and its validated case."""

    index: int
    """1-based position in the sweep."""
    params: dict[str, Any]
    loaded: LoadedCase
    document: dict[str, Any]
    """The point's case document (the edited TOML) whose canonical JSON is the key."""

    @property
    def key(self) -> str:
        """SHA-256 of the canonical JSON of the point's case document."""
        return self.loaded.file_sha256

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={_shown(v)}" for k, v in self.params.items())

    def folder_name(self, total: int) -> str:
        width = max(3, len(str(total)))
        return f"{self.index:0{width}d}-{self.key[:12]}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # TOML dates and times
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(document: dict[str, Any]) -> str:
    """The canonical JSON of a case document (sorted keys, no spaces, UTF-8 text)."""
    return json.dumps(
        document,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def point_key(document: dict[str, Any]) -> str:
    """The point key: SHA-256 (hex) of :func:`canonical_json` of the case document."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


# ------------------------------------------------------------------- dotted paths


def _alternatives(annotation: Any) -> list[Any]:
    """``annotation`` without ``Annotated`` / ``Optional``, unions flattened."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [a for arg in get_args(annotation) for a in _alternatives(arg)]
    return [] if annotation is type(None) else [annotation]


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _is_sourced(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Sourced)


def _field_names(kinds: list[Any]) -> list[str]:
    return sorted({n for k in kinds if _is_model(k) for n in k.model_fields})


def _resolve(path: str) -> tuple[tuple[str | int, ...], bool]:
    """The steps of a dotted case path and whether it ends on a sourced field.

    Raises
    ------
    ValueError
        The path is malformed, names no field of the case, or names a whole table.
    """
    parts = path.split(".")
    if parts[-1] == "value" and len(parts) > 1:
        parts = parts[:-1]  # compute.gpu_count.value is compute.gpu_count
    steps: list[str | int] = []
    kinds: list[Any] = [Case]
    for i, part in enumerate(parts):
        match = _PATH_PART.match(part)
        if match is None:
            raise ValueError(f"{part!r} is not a field name (letters, digits, _ and [index])")
        name, indices = match.group(1), [int(n) for n in _INDEX.findall(match.group(2))]
        where = ".".join(parts[:i]) or "the case"
        if any(_is_sourced(k) for k in kinds):
            raise ValueError(
                f"{where} is a sourced value: sweep it as {where} (its value), not its {name}"
            )
        models = [k for k in kinds if _is_model(k)]
        dicts = [k for k in kinds if get_origin(k) is dict]
        found = [m.model_fields[name].annotation for m in models if name in m.model_fields]
        if found:
            kinds = [a for ann in found for a in _alternatives(ann)]
        elif dicts:  # a key of a dict field (onsite.permit_caps.NOx)
            kinds = [a for d in dicts for a in _alternatives(get_args(d)[1])]
        else:
            known = _field_names(kinds)
            hint = f"; fields of {where}: {', '.join(known)}" if known else ""
            raise ValueError(f"unknown case field {'.'.join([*parts[:i], name])!r}{hint}")
        steps.append(name)
        for index in indices:
            lists = [k for k in kinds if get_origin(k) in (list, tuple)]
            if not lists:
                raise ValueError(f"{'.'.join([*parts[:i], name])} is not a list; [{index}] is")
            kinds = [a for seq in lists for a in _alternatives(get_args(seq)[0])]
            steps.append(index)
    if any(_is_sourced(k) for k in kinds):
        return tuple(steps), True
    if kinds and all(_is_model(k) for k in kinds):
        raise ValueError(f"is a table; sweep one of its fields ({', '.join(_field_names(kinds))})")
    return tuple(steps), False


def _dotted(steps: tuple[str | int, ...]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else ("." if out else "") + step
    return out


def _get(document: Any, steps: tuple[str | int, ...]) -> Any:
    """The value at ``steps`` of a parsed document (None where absent)."""
    node = document
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(step)
    return node


def _model_value(model: Any, steps: tuple[str | int, ...]) -> Any:
    """The value at ``steps`` of a validated model (None where absent)."""
    node = model
    for step in steps:
        if node is None:
            return None
        if isinstance(step, int):
            node = node[step] if isinstance(node, list | tuple) and step < len(node) else None
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            node = getattr(node, step, None)
    return node


def _unit_of(steps: tuple[str | int, ...], document: dict[str, Any], base: Case) -> str:
    """Unit of a sourced field's swept values: the base entry's, else the default's."""
    entry = _get(document, steps)
    if isinstance(entry, dict) and isinstance(entry.get("unit"), str):
        return str(entry["unit"])
    default = _model_value(base, steps)
    if isinstance(default, Sourced):
        return default.unit
    name = next((s for s in reversed(steps) if isinstance(s, str)), "")
    return expected_unit(name) or ""


def _sourced_entry(
    old: Any, value: Any, steps: tuple[str | int, ...], base: Case, unit: str
) -> dict[str, Any]:
    """The sourced table a swept value makes of the base entry ``old``."""
    if isinstance(old, dict):
        entry = dict(old)
    else:
        default = _model_value(base, steps)
        entry = default.model_dump() if isinstance(default, Sourced) else {"unit": unit}
    before = entry.get("value")
    had = f"{_shown(before)} {entry.get('unit', '')}".strip()
    entry.pop("note", None)
    if isinstance(value, dict):  # a table merged over the base entry
        merged = {**entry, "source": SWEEP_SOURCE, "confidence": SWEEP_CONFIDENCE}
        merged.update(value)
        entry = merged
    else:
        entry.update(value=value, source=SWEEP_SOURCE, confidence=SWEEP_CONFIDENCE)
    if before is not None:
        entry.setdefault("note", f"swept; the base case has {had}")
    return entry


def _set(document: dict[str, Any], steps: tuple[str | int, ...], value: Any) -> None:
    """Set ``value`` at ``steps`` in ``document`` (a deep copy), creating tables."""
    node: Any = document
    for step, following in itertools.pairwise(steps):
        if isinstance(step, int):
            node = node[step]
            continue
        child = node.get(step)
        if child is None:
            child = [] if isinstance(following, int) else {}
            node[step] = child
        node = child
    last = steps[-1]
    node[last] = value


def _check_steps_exist(document: dict[str, Any], steps: tuple[str | int, ...]) -> str | None:
    """Why ``steps`` cannot be set in the base document (no such list entry), or None.

    Missing tables are created; a list position must exist in the base case.
    """
    node: Any = document
    for i, step in enumerate(steps):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                size = len(node) if isinstance(node, list) else 0
                entries = "entry" if size == 1 else "entries"
                return (
                    f"the base case has {size} {entries} in {_dotted(steps[:i])}; "
                    f"[{step}] is out of range"
                )
            node = node[step]
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return None


# --------------------------------------------------------------------- load and points


def load_sweep(path: str | Path) -> Sweep:
    """Read and validate a sweep file and its base case (the points are not built yet).

    Raises
    ------
    CaseError
        One line: the sweep file and ``parameters.<path>`` (or ``base``, ``zip``), or the
        base case file and its field.
    """
    file = Path(path)
    shown = str(path)
    data, _ = read_toml_file(file, shown)
    spec = validate_model(SweepSpec, data, shown)
    base_path = file.parent / spec.base
    if not base_path.is_file():
        raise CaseError(shown, "base", f"base case {spec.base!r} not found (next to {shown})")
    base = load_case(base_path)
    document, raw = read_toml_file(base.path, str(base_path))
    if hashlib.sha256(raw).hexdigest() != base.file_sha256:
        raise CaseError(str(base_path), "", "the file changed while it was read; try again")
    params: list[Parameter] = []
    seen: dict[tuple[str | int, ...], str] = {}
    for dotted, values in spec.parameters.items():
        where = f"parameters.{dotted}"
        try:
            steps, sourced = _resolve(dotted)
        except ValueError as exc:
            raise CaseError(shown, where, str(exc)) from None
        if steps in seen:
            raise CaseError(shown, where, f"the same field as {seen[steps]!r}")
        seen[steps] = dotted
        problem = _check_steps_exist(document, steps)
        if problem is not None:
            raise CaseError(shown, where, problem)
        unit = _unit_of(steps, document, base.case) if sourced else ""
        params.append(Parameter(_dotted(steps), steps, sourced, tuple(values), unit))
    if spec.paired:
        first = params[0]
        for p in params[1:]:
            if len(p.values) != len(first.values):
                raise CaseError(
                    shown,
                    f"parameters.{p.path}",
                    f"has {len(p.values)} values, {first.path} has {len(first.values)}; "
                    "zip = true pairs the lists, which must have equal lengths",
                )
    sweep = Sweep(file, spec, base, document, tuple(params))
    if sweep.size > MAX_POINTS:
        raise CaseError(
            shown,
            "parameters",
            f"{sweep.size:,} points, more than the {MAX_POINTS:,} allowed; "
            "sweep fewer values (or zip = true)",
        )
    return sweep


def _combinations(sweep: Sweep) -> Iterator[tuple[Any, ...]]:
    lists = [p.values for p in sweep.parameters]
    if sweep.spec.paired:
        return zip(*lists, strict=True)
    return itertools.product(*lists)


def point_document(sweep: Sweep, values: tuple[Any, ...]) -> dict[str, Any]:
    """The case document of one point: the base document with ``values`` set."""
    document = copy.deepcopy(sweep.base_document)
    for param, value in zip(sweep.parameters, values, strict=True):
        old = _get(document, param.steps)
        if param.sourced:
            value = _sourced_entry(old, value, param.steps, sweep.base.case, param.unit)
        _set(document, param.steps, value)
    meta = document.get("case")
    if isinstance(meta, dict) and isinstance(meta.get("title"), str):
        swept = ", ".join(
            f"{p.path}={_shown(v)}" for p, v in zip(sweep.parameters, values, strict=True)
        )
        meta["title"] = f"{meta['title']} [sweep: {swept}]"
    return document


def _point_file(sweep: Sweep, index: int, label: str) -> str:
    """How a point is named in its one-line errors."""
    return f"{sweep.file} point {index} ({label})"


def _loaded_point(document: dict[str, Any], base_path: Path, shown: str) -> LoadedCase:
    """Validate a point's case document into a :class:`LoadedCase` (schema and catalogs)."""
    try:
        case = validate_model(Case, document, shown)
        check_references(case, shown)
        key = point_key(document)
    except (RecursionError, MemoryError):
        raise CaseError(shown, "", "values nested too deep or too large to validate") from None
    except ValueError as exc:  # a NaN / infinity that the schema has not refused
        raise CaseError(shown, "", f"cannot be written as JSON: {exc}") from None
    return LoadedCase(case=case, path=base_path, file_sha256=key)


def sweep_points(sweep: Sweep) -> list[SweepPoint]:
    """Every point of the sweep, validated against the case schema and the catalogs.

    Raises
    ------
    CaseError
        The first point that is not a valid case: ``<sweep file> point <i> (<values>):
        <field>: <what is wrong>``.
    """
    points = []
    for i, values in enumerate(_combinations(sweep), start=1):
        params = {p.path: v for p, v in zip(sweep.parameters, values, strict=True)}
        label = ", ".join(f"{k}={_shown(v)}" for k, v in params.items())
        document = point_document(sweep, values)
        loaded = _loaded_point(document, sweep.base.path, _point_file(sweep, i, label))
        points.append(SweepPoint(i, params, loaded, document))
    return points


_PREFLIGHT_SECTIONS = ("workload", "weather", "cooling", "grid")
"""The sections :func:`gridimpact.preflight.preflight` reads (points equal in them
share one preflight)."""


def preflight_points(sweep: Sweep, points: list[SweepPoint]) -> None:
    """Every check short of solving, for every point (once per distinct set of the
    sections preflight reads).

    Raises
    ------
    GridImpactError
        The first failing check, naming the point.
    """
    from gridimpact.preflight import preflight

    done: set[str] = set()
    for point in points:
        sections = {k: point.document.get(k) for k in _PREFLIGHT_SECTIONS}
        key = canonical_json(sections)
        if key in done:
            continue
        preflight(point.loaded, _point_file(sweep, point.index, point.label))
        done.add(key)


# ------------------------------------------------------------------------ the tasks


@dataclass(frozen=True)
class PointTask:
    """What a worker needs to run one point (plain data, cheap to send)."""

    index: int
    params: dict[str, Any]
    key: str
    document: dict[str, Any]
    base_path: str
    folder: str
    """Absolute path of the point's run folder."""
    shown: str
    """How the point is named in errors."""


def _row(
    task: PointTask, status: str, error: str, elapsed: float | None, headline: dict[str, Any]
) -> dict[str, Any]:
    return {
        "point": task.index,
        "params": task.params,
        "case_sha256": task.key,
        "folder": task.folder,
        "status": status,
        "error": error,
        "elapsed_s": None if elapsed is None else round(elapsed, 3),
        "headline": headline,
    }


def _run_point(task: PointTask) -> dict[str, Any]:
    """Run one point's study and write its run folder; never raises for a study failure.

    Returns the point's row: ``point``, ``params``, ``case_sha256``, ``folder``,
    ``status`` (``ok`` / ``failed``), ``error`` (one line, empty when ok),
    ``elapsed_s`` and ``headline`` (empty when failed).
    """
    logging.getLogger("powsybl").setLevel(logging.ERROR)  # its import warning, per worker
    start = time.perf_counter()
    try:
        from gridimpact import study
        from gridimpact.preflight import case_file_named, input_files
        from gridimpact.report import write_run
        from gridimpact.report.document import headline

        loaded = _loaded_point(task.document, Path(task.base_path), task.shown)
        if loaded.file_sha256 != task.key:
            raise GridImpactError(f"{task.shown}: the case document changed on the way")
        with case_file_named(task.shown):
            result = study.run_loaded_study(loaded)
        write_run(result, Path(task.folder), inputs=input_files(loaded))
        values = headline(result)
    except GridImpactError as exc:
        return _row(task, STATUS_FAILED, exc.one_line(), time.perf_counter() - start, {})
    except Exception as exc:
        error = one_line(f"{type(exc).__name__}: {exc}")
        return _row(task, STATUS_FAILED, error, time.perf_counter() - start, {})
    return _row(task, STATUS_OK, "", time.perf_counter() - start, values)


def reusable_headline(folder: Path, key: str) -> dict[str, Any] | None:
    """The headline of a finished run folder of the point ``key`` (None: run it again).

    Reused only if the folder's manifest is ours, for this key and this tool version,
    and its ``results.json`` is for the same key.
    """
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("kind") != "run":
        return None
    if manifest.get("case_sha256") != key or manifest.get("version") != __version__:
        return None
    if "results.json" not in manifest["files"]:
        return None
    try:
        doc = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("case"), dict):
        return None
    if doc["case"].get("file_sha256") != key or not isinstance(doc.get("headline"), dict):
        return None
    return dict(doc["headline"])


def _reuse(points_dir: Path, name: str, key: str) -> dict[str, Any] | None:
    """Headline of the point's finished folder, moving one of another index into place."""
    folder = points_dir / name
    if folder.is_dir():
        return reusable_headline(folder, key)
    if not points_dir.is_dir():
        return None
    for other in sorted(points_dir.glob(f"*-{key[:12]}")):
        match = _POINT_FOLDER.match(other.name)
        if match is None or not other.is_dir() or other.is_symlink():
            continue
        found = reusable_headline(other, key)
        if found is not None:  # the sweep was edited: same point, another index
            other.rename(folder)
            return found
    return None


# ----------------------------------------------------------------- the output folder


def _all_files(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_dir():
            found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def _is_ours(out: Path, relative: str, listed: set[str]) -> bool:
    """Whether a file of a sweep folder is one the tool wrote."""
    if relative == MANIFEST or relative in listed:
        return True
    parts = relative.split("/")
    if _LEFTOVER.match(parts[0]) or (
        len(parts) > 1 and parts[0] == "points" and _LEFTOVER.match(parts[1])
    ):
        return True
    if len(parts) < 3 or parts[0] != "points" or not _POINT_FOLDER.match(parts[1]):
        return False
    inner = "/".join(parts[2:])
    manifest = read_manifest(out / "points" / parts[1])
    return manifest is not None and (inner == MANIFEST or inner in manifest["files"])


def check_sweep_folder(out: Path, inputs: list[Path]) -> None:
    """Refuse an ``out`` that is not new, empty or a sweep folder of ours.

    The rules of :func:`gridimpact.report.output.check_output_folder` that hold even
    with ``--force`` apply (never the current folder, a parent of it, the home folder,
    a folder holding an input file); then every file in ``out`` must be the sweep's
    (listed in its manifest, of kind ``sweep``) or of one of its point run folders.

    Raises
    ------
    OutputFolderError
        One line naming ``out`` and what is in the way.
    """
    check_output_folder(out, force=True, inputs=inputs)
    if not (out.exists() or out.is_symlink()):
        return
    hint = "give a new or empty folder, or the folder of an earlier run of this sweep"
    if out.is_symlink() or not out.is_dir():
        what = "a symbolic link" if out.is_symlink() else "an existing file"
        raise OutputFolderError(f"--out {out}: is {what}; {hint}")
    try:
        files = _all_files(out)
        if not files:
            return
        manifest = read_manifest(out)
        if manifest is None or manifest.get("kind") != "sweep":
            kind = "" if manifest is None else f" ({manifest.get('kind')} folder)"
            raise OutputFolderError(
                f"--out {out}: is not a gridimpact sweep folder{kind} (it holds {files[0]}); "
                + hint
            )
        listed = set(manifest["files"])
        foreign = next((f for f in files if not _is_ours(out, f, listed)), None)
    except OSError as exc:
        raise OutputFolderError(f"--out {out}: cannot be read ({exc.strerror})") from None
    if foreign is not None:
        raise OutputFolderError(
            f"--out {out}: holds {foreign}, which gridimpact did not write; {hint}"
        )


def _remove_leftovers(out: Path) -> None:
    """Remove temporary files of atomic writes killed mid-way (names only we use)."""
    for folder in (out, out / "points"):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if _LEFTOVER.match(item.name):
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item, ignore_errors=True)
                else:
                    item.unlink(missing_ok=True)


def _write_sweep_manifest(out: Path, sweep: Sweep, files: list[str]) -> None:
    doc = {
        "tool": "gridimpact",
        "version": __version__,
        "format": MANIFEST_FORMAT,
        "kind": "sweep",
        "sweep": sweep.name,
        "base_sha256": sweep.base.file_sha256,
        "files": sorted(files),
    }
    _atomic_write(out / MANIFEST, lambda p: write_json(doc, p))


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through a temporary sibling renamed into place."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class SweepResult:
    """What a sweep produced (the files are in ``out``)."""

    sweep: Sweep
    out: Path
    rows: list[dict[str, Any]]
    """One per point, in point order: ``point``, ``params``, ``case_sha256``, ``folder``
    (relative to ``out``), ``status``, ``error``, ``elapsed_s``, ``headline``."""
    table: pd.DataFrame
    """``sweep.csv`` as a frame."""
    scheduler: str
    """Where the points ran: ``local cluster``, the scheduler address or ``synchronous``."""
    workers: int
    dashboard: str | None
    """The dask dashboard address (None: synchronous, or nothing ran)."""
    elapsed_s: float
    figures: list[Path] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r["status"] == status)

    @property
    def ok(self) -> int:
        return self.count(STATUS_OK)

    @property
    def reused(self) -> int:
        return self.count(STATUS_REUSED)

    @property
    def failed(self) -> int:
        return self.count(STATUS_FAILED)


def _cell(value: Any) -> Any:
    return (
        json.dumps(value, ensure_ascii=False, default=str)
        if isinstance(value, dict | list)
        else value
    )


def sweep_table(sweep: Sweep, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``sweep.csv`` as a frame (columns: see the module docstring)."""
    import pandas as pd

    headline_keys: dict[str, None] = {}
    for row in rows:
        for key, value in row["headline"].items():
            if value is None or isinstance(value, bool | int | float | str):
                headline_keys.setdefault(key, None)
    records = []
    for row in rows:
        record: dict[str, Any] = {"point": row["point"]}
        record.update({p.path: _cell(row["params"][p.path]) for p in sweep.parameters})
        record.update(
            status=row["status"],
            error=row["error"],
            elapsed_s=row["elapsed_s"],
            case_sha256=row["case_sha256"],
            folder=row["folder"],
        )
        for key in headline_keys:
            value = row["headline"].get(key)
            record[key] = None if isinstance(value, dict | list) else value
        records.append(record)
    columns = [
        "point",
        *(p.path for p in sweep.parameters),
        "status",
        "error",
        "elapsed_s",
        "case_sha256",
        "folder",
        *headline_keys,
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def _parquet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns mixing strings with other types become strings (Arrow needs one type)."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype != object:
            continue
        kinds = {type(v) for v in out[column] if v is not None and v == v}
        if len(kinds - {int, float}) > 0 and len(kinds) > 1:
            out[column] = [None if v is None else _shown(v) for v in out[column]]
    return out


def write_sweep_outputs(
    sweep: Sweep, rows: list[dict[str, Any]], out: Path
) -> tuple[pd.DataFrame, list[Path]]:
    """``sweep.csv``, ``sweep.parquet``, ``sweep.json`` and ``figures/`` (each atomically)."""
    from gridimpact.report.output import atomic_directory
    from gridimpact.report.sweep_figures import plot_sweep_figures

    table = sweep_table(sweep, rows)
    _atomic_write(out / "sweep.csv", lambda p: table.to_csv(p, index=False))
    _atomic_write(
        out / "sweep.parquet",
        lambda p: _parquet_safe(table).to_parquet(p, index=False, engine="pyarrow"),
    )
    doc = {
        "tool": "gridimpact",
        "version": __version__,
        "sweep": sweep.definition(),
        "summary": {
            "points": len(rows),
            **{
                s: sum(r["status"] == s for r in rows)
                for s in (STATUS_OK, STATUS_REUSED, STATUS_FAILED)
            },
        },
        "points": rows,
    }
    doc = json.loads(json.dumps(doc, default=_json_default))  # TOML dates as text
    _atomic_write(out / "sweep.json", lambda p: write_json(doc, p))
    swept = [p.path for p in sweep.parameters]
    units = {p.path: p.unit for p in sweep.parameters}
    with atomic_directory(out / "figures", force=True) as tmp:
        made = plot_sweep_figures(table, swept, tmp, title=sweep.name, units=units)
    figures = [out / "figures" / Path(p).name for p in made]
    return table, figures


# ------------------------------------------------------------------------ execution


@dataclass
class _Runner:
    """A dask client (and the local cluster it owns), or in-process execution."""

    scheduler: str
    workers: int
    dashboard: str | None
    client: Any = None
    cluster: Any = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.client is not None:
                self.client.close()
        with contextlib.suppress(Exception):
            if self.cluster is not None:
                self.cluster.close()


def _start(workers: int | None, scheduler: str | None, needed: int) -> _Runner:
    if scheduler == "synchronous":
        return _Runner("synchronous", 1, None)
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            why = one_line(str(exc)) or type(exc).__name__
            raise SweepError(f"--scheduler {scheduler}: cannot connect ({why})") from None
        count = len(client.scheduler_info().get("workers", {}))
        return _Runner(scheduler, count, client.dashboard_link, client=client)
    n = workers or min(DEFAULT_MAX_WORKERS, os.cpu_count() or 1)
    n = max(1, min(n, needed))
    with warnings.catch_warnings():  # 8787 taken: another port, said in the dashboard link
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            silence_logs=logging.ERROR,
            dashboard_address=":8787",
        )
    try:
        client = Client(cluster)
    except BaseException:
        cluster.close()
        raise
    return _Runner("local cluster", n, client.dashboard_link, client=client, cluster=cluster)


def dashboard_note(result_or_link: SweepResult | str | None) -> str:
    """The dashboard address as a user should read it (with a hint if bokeh is missing)."""
    link = result_or_link.dashboard if isinstance(result_or_link, SweepResult) else result_or_link
    if not link:
        return ""
    if importlib.util.find_spec("bokeh") is None:
        return f"{link} (install bokeh>=3.1 to see it)"
    return link


def _lost(task: PointTask, exc: BaseException) -> dict[str, Any]:
    """The row of a point whose task itself failed (its worker died too often)."""
    return _row(task, STATUS_FAILED, one_line(f"{type(exc).__name__}: {exc}"), None, {})


def _execute(
    runner: _Runner, tasks: list[PointTask], finished: Callable[[dict[str, Any]], None]
) -> None:
    if runner.client is None:
        for task in tasks:
            finished(_run_point(task))
        return
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    futures = {
        runner.client.submit(
            _run_point,
            task,
            key=f"gridimpact-point-{task.index}-{task.key[:12]}-{token}",
            retries=TASK_RETRIES,
            pure=False,
        ): task
        for task in tasks
    }
    for future in as_completed(futures):
        task = futures[future]
        try:
            row = future.result()
        except Exception as exc:  # KilledWorker, a worker without gridimpact, ...
            row = _lost(task, exc)
        finished(row)


def run_sweep(
    sweep_file: str | Path,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    announce: Callable[[str], None] | None = None,
) -> SweepResult:
    """Validate every point, run the missing ones on dask, write the sweep's outputs.

    Parameters
    ----------
    sweep_file : str or Path
        The sweep file (TOML; see the module docstring).
    out : str or Path
        The sweep folder: new, empty, or one of an earlier run of a sweep (whose
        finished points are reused).
    workers : int, optional
        Worker processes of the local cluster (default ``min(4, CPU count)``; never
        more than the points to run). Not used with ``scheduler``.
    scheduler : str, optional
        ``"tcp://host:8786"``: run on that existing cluster (its workers need this
        gridimpact and the same paths to the case files and ``out``: a shared file
        system). ``"synchronous"``: run in this process, one point after another,
        without dask (tests, debugging).
    progress : callable, optional
        ``progress(done, total, label)`` as each point finishes or is reused.
    announce : callable, optional
        Called once with a line saying where the points run (and the dashboard), when
        the cluster is up and before the first point starts.

    Raises
    ------
    GridImpactError
        Before anything runs: the sweep file, a point (schema or preflight), ``out``,
        the workers / scheduler. Failures of single points are rows, not errors.
    """
    started = time.perf_counter()
    if workers is not None and workers < 1:
        raise SweepError(f"--workers {workers}: give at least 1")
    if workers is not None and scheduler is not None:
        raise SweepError("give --workers or --scheduler, not both")
    from gridimpact.preflight import input_files

    sweep = load_sweep(sweep_file)
    points = sweep_points(sweep)
    out = Path(out)
    inputs = [sweep.file, *{p for point in points for p in input_files(point.loaded)}]
    check_sweep_folder(out, inputs)
    preflight_points(sweep, points)

    total = len(points)
    rows: dict[int, dict[str, Any]] = {}
    done = 0
    where = out.resolve()

    def finished(row: dict[str, Any]) -> None:
        nonlocal done
        row["folder"] = Path(row["folder"]).relative_to(where).as_posix()
        rows[row["point"]] = row
        done += 1
        if progress is not None:
            label = f"point {row['point']}/{total}: {row['status']}"
            if row["elapsed_s"] is not None and row["status"] != STATUS_REUSED:
                label += f" in {row['elapsed_s']:.1f} s"
            progress(done, total, label)

    points_dir = out / "points"
    tasks: list[PointTask] = []
    reused: list[tuple[PointTask, dict[str, Any]]] = []
    for point in points:
        name = point.folder_name(total)
        task = PointTask(
            index=point.index,
            params=point.params,
            key=point.key,
            document=point.document,
            base_path=str(sweep.base.path),
            folder=str(where / "points" / name),
            shown=_point_file(sweep, point.index, point.label),
        )
        found = _reuse(points_dir, name, point.key)
        if found is None:
            tasks.append(task)
        else:
            reused.append((task, found))

    # the cluster first: a scheduler that cannot be reached leaves no folder behind
    runner = _start(workers, scheduler, len(tasks)) if tasks else _Runner("", 0, None)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
        old = read_manifest(out)
        kept = [f for f in (old["files"] if old else []) if (out / f).is_file()]
        _write_sweep_manifest(out, sweep, kept)  # the folder is ours from now on
        points_dir.mkdir(exist_ok=True)
        for task, found in reused:
            finished(_row(task, STATUS_REUSED, "", None, found))
        if tasks:
            if announce is not None:
                note = dashboard_note(runner.dashboard)
                announce(
                    f"{len(tasks)} of {total} points to run on {runner.scheduler}, "
                    f"{runner.workers} worker{'s' if runner.workers != 1 else ''}"
                    + (f"; dashboard {note}" if note else "")
                )
            _execute(runner, tasks, finished)
    finally:
        runner.close()
    _remove_leftovers(out)  # of tasks killed while writing (retried elsewhere)

    ordered = [rows[i] for i in sorted(rows)]
    table, figures = write_sweep_outputs(sweep, ordered, out)
    written = ["sweep.csv", "sweep.parquet", "sweep.json"]
    written += [f"figures/{p.name}" for p in figures]
    _write_sweep_manifest(out, sweep, written)
    return SweepResult(
        sweep=sweep,
        out=out,
        rows=ordered,
        table=table,
        scheduler=runner.scheduler,
        workers=runner.workers,
        dashboard=runner.dashboard,
        elapsed_s=time.perf_counter() - started,
        figures=figures,
    )


def sweep_summary_line(result: SweepResult) -> str:
    """One line for the CLI: points run / reused / failed, time, where they ran, ``out``."""
    parts = [f"{result.ok} run", f"{result.reused} reused"]
    failed = f"{result.failed} failed"
    if result.failed:
        first = next(r for r in result.rows if r["status"] == STATUS_FAILED)
        failed += f" (first: point {first['point']}: {first['error']})"
    parts.append(failed)
    where = (
        f" on {result.scheduler} ({result.workers} worker{'s' if result.workers != 1 else ''})"
        if result.workers
        else ""
    )
    return (
        f"{result.sweep.name}: {len(result.rows)} points ({', '.join(parts)}) "
        f"in {result.elapsed_s:.1f} s{where} -> {result.out}"
    )


__all__ = [
    "Parameter",
    "PointTask",
    "SweepError",
    "SweepPoint",
    "SweepResult",
    "SweepSpec",
    "check_sweep_folder",
    "load_sweep",
    "point_key",
    "preflight_points",
    "run_sweep",
    "sweep_points",
    "sweep_summary_line",
]
