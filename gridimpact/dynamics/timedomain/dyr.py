"""Checks of a PSS/E DYR file against its RAW case, before ANDES reads the DYR.

ANDES logs and skips what it cannot use (an unsupported model, a machine it cannot
find) and may then fail far from the cause. Here every record of the DYR is read
with its line number and checked: its model is one ANDES 2.0 maps from PSS/E
(``andes/io/psse-dyr.yaml``), its bus is a bus of the RAW, its machine (bus, ID)
is a generator of the RAW and, for exciters, governors and stabilisers, has a
machine model in the DYR. The first problem is one line naming the file, the
record and the model.

References
----------
.. [1] Siemens PTI, *PSS/E Program Operation Manual*, "Dynamics Data File" (DYR
   record format: ``BUS 'MODEL' ID data... /``).
.. [2] ANDES 2.0 ``andes/io/psse-dyr.yaml`` (the PSS/E models it reads).
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gridimpact.dynamics.timedomain.engine import andes_module
from gridimpact.errors import DynamicDataError

NO_BUS_MODELS = ("Toggle",)
"""ANDES' own DYR records whose first field names a model, not a bus."""


@dataclass(frozen=True)
class DyrRecord:
    """One record of a DYR file.

    Attributes
    ----------
    line : int
        1-based line where the record starts.
    model : str
        PSS/E model name (``GENROU``, ``TGOV1``, ...).
    before : tuple of str
        Fields before the quoted model name (the bus number).
    after : tuple of str
        Fields after it (the machine ID, then the parameters).
    """

    line: int
    model: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@lru_cache(maxsize=1)
def supported_models() -> dict[str, dict[str, Any]]:
    """The PSS/E DYR models ANDES reads, with their mapping (ANDES' own ``psse-dyr.yaml``)."""
    import yaml

    andes = andes_module()
    path = pathlib.Path(andes.__file__).parent / "io" / "psse-dyr.yaml"
    with path.open(encoding="utf-8") as handle:
        mapping: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return mapping


def _kind(model: str) -> str:
    """``"machine"`` (GENROU...), ``"on_machine"`` (exciter, governor, PSS: needs a machine
    model), ``"on_gen"`` (needs a RAW generator), ``"bus"`` or ``"none"``."""
    spec = supported_models()[model]
    if model in NO_BUS_MODELS:
        return "none"
    for source in spec.get("find", {}).values():
        if "SynGen" in source and "subidx" in source["SynGen"]:
            return "on_machine"
        if "StaticGen" in source and "subidx" in source["StaticGen"]:
            return "machine" if spec.get("destination") in ("GENROU", "GENCLS") else "on_gen"
    return "bus"


def norm_id(value: object) -> str:
    """A machine ID as compared: quotes and blanks stripped, ``1``/``1.0``/``'1 '`` alike."""
    text = str(value).strip().strip("'\"").strip()
    try:
        number = float(text)
    except ValueError:
        return text.upper()
    return str(int(number)) if number.is_integer() else text


def _split_quoted(text: str) -> list[str]:
    """``text`` split at single quotes (the model name is the first quoted part)."""
    return text.split("'")


def read_dyr_records(path: pathlib.Path) -> list[DyrRecord]:
    """Records of a DYR file, each with its starting line (comments after ``/`` dropped).

    Raises
    ------
    DynamicDataError
        If the file cannot be read or a record has no quoted model name.
    """
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DynamicDataError(f"{path.name}: cannot read the DYR file ({exc.strerror})") from None
    records: list[DyrRecord] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if not pending and not line.strip():
            continue
        if not pending:
            start = number
        if "/" in line:
            pending.append(line.split("/")[0])
            text = " ".join(pending)
            pending = []
            if not text.strip():
                continue
            parts = _split_quoted(text)
            if len(parts) < 3 or not parts[1].strip():
                raise DynamicDataError(
                    f"{path.name} line {start}: record without a quoted model name "
                    f"({' '.join(text.split())[:60]!r})"
                )
            after = " ".join(parts[2:]).replace(",", " ").split()
            records.append(
                DyrRecord(start, parts[1].strip(), tuple(parts[0].split()), tuple(after))
            )
        else:
            pending.append(line)
    if pending and " ".join(pending).strip():
        raise DynamicDataError(f"{path.name} line {start}: record not terminated by '/'")
    return records


@dataclass(frozen=True)
class RawInventory:
    """Buses and machines of a RAW case (as ANDES reads it)."""

    buses: frozenset[int]
    machines: frozenset[tuple[int, str]]


def raw_inventory(raw_path: pathlib.Path) -> RawInventory:
    """Bus numbers and machine (bus, ID) pairs of a PSS/E RAW case, read by ANDES' RAW reader.

    Raises
    ------
    DynamicDataError
        If the RAW cannot be read.
    """
    andes = andes_module()
    from andes.io import psse

    system = andes.System(no_undill=True, default_config=True, no_output=True)
    try:
        psse.read(system, str(raw_path))
    except Exception as exc:  # ANDES' reader raises anything on a malformed file
        raise DynamicDataError(
            f"{raw_path.name}: cannot read the RAW case ({type(exc).__name__}: {exc})"
        ) from exc
    buses = frozenset(int(b) for b in system.Bus.idx.v)
    machines = frozenset(
        (int(bus), norm_id(sub))
        for model in (system.PV, system.Slack)
        for bus, sub in zip(model.bus.v, model.subidx.v, strict=True)
    )
    return RawInventory(buses, machines)


def raw_bus_numbers(raw_path: pathlib.Path) -> frozenset[int]:
    """Bus numbers of a PSS/E RAW case."""
    return raw_inventory(raw_path).buses


def _bus_of(record: DyrRecord, dyr: pathlib.Path) -> int:
    try:
        return int(float(record.before[0]))
    except (IndexError, ValueError):
        field = record.before[0] if record.before else "nothing"
        raise DynamicDataError(
            f"{dyr.name} line {record.line}: {record.model} bus number expected before the "
            f"model name, found {field!r}"
        ) from None


def check_dyr(raw_path: str | pathlib.Path, dyr_path: str | pathlib.Path) -> list[DyrRecord]:
    """Check every record of a DYR file against its RAW case and ANDES' supported models.

    Parameters
    ----------
    raw_path, dyr_path : path
        The PSS/E RAW case and its DYR dynamic data.

    Returns
    -------
    list of DyrRecord
        The records (all checked).

    Raises
    ------
    DynamicDataError
        One line naming the file, the record (line) and the model: unsupported model,
        bus absent from the RAW, machine (bus, ID) absent from the RAW, or an exciter /
        governor / stabiliser whose machine has no machine model in the DYR.
    """
    raw, dyr = pathlib.Path(raw_path), pathlib.Path(dyr_path)
    if not dyr.is_file():
        raise DynamicDataError(f"{dyr.name}: DYR file not found ({dyr})")
    records = read_dyr_records(dyr)
    supported = supported_models()
    for record in records:
        if record.model not in supported:
            raise DynamicDataError(
                f"{dyr.name} line {record.line}: model {record.model} is not supported by "
                f"{_engine()} (supported: {', '.join(sorted(supported))})"
            )
    inventory = raw_inventory(raw)
    machine_models: set[tuple[int, str]] = set()
    for record in records:
        kind = _kind(record.model)
        if kind == "none":
            continue
        bus = _bus_of(record, dyr)
        if bus not in inventory.buses:
            raise DynamicDataError(
                f"{dyr.name} line {record.line}: {record.model} references bus {bus}, "
                f"absent from {raw.name}"
            )
        if kind == "bus":
            continue
        ident = norm_id(record.after[0]) if record.after else ""
        if (bus, ident) not in inventory.machines:
            raise DynamicDataError(
                f"{dyr.name} line {record.line}: {record.model} references machine "
                f"{ident!r} at bus {bus}, absent from {raw.name}"
            )
        if kind == "machine":
            machine_models.add((bus, ident))
    for record in records:
        if _kind(record.model) != "on_machine":
            continue
        bus, ident = _bus_of(record, dyr), norm_id(record.after[0])
        if (bus, ident) not in machine_models:
            raise DynamicDataError(
                f"{dyr.name} line {record.line}: {record.model} of machine {ident!r} at bus "
                f"{bus} has no machine model (GENROU, GENCLS, GENSAL) in {dyr.name}"
            )
    return records


def _engine() -> str:
    from gridimpact.dynamics.timedomain.engine import engine_name

    return engine_name()
