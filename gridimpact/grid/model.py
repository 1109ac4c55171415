"""The network model handed to every grid study, and how it is loaded.

A :class:`NetworkModel` wraps a private pandapower net (never returned) plus its
lightsim2grid conversion; it is built either from the representative Memphis
network or from a user file (pandapower JSON, MATPOWER ``.m``/``.mat``, PSS/E
``.raw`` via :mod:`gridimpact.grid.psse`). A
campus load with zero power is added at the POI bus so that every study only
changes injections.

References
----------
.. [1] pandapower documentation, "File I/O" (``from_json``) and "Converter"
   (``pandapower.converter.from_mpc``), https://pandapower.readthedocs.io
.. [2] R. D. Zimmerman, C. E. Murillo-Sanchez, R. J. Thomas, "MATPOWER:
   Steady-State Operations, Planning and Analysis Tools for Power Systems
   Research and Education", IEEE Trans. Power Syst. 26(1), 2011.
"""

from __future__ import annotations

import copy
import difflib
import io
import json
import pathlib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandapower as pp
import pandapower.toolbox
import pandas as pd

from gridimpact.case.grid import GridSection
from gridimpact.errors import NetworkCaseError, NetworkError
from gridimpact.grid.contingencies import add_common_structure, check_common_structure
from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.engine import Topology, emergency_rated, energised_buses, topology_of
from gridimpact.grid.engine_pandapower import PandapowerGrid
from gridimpact.grid.equivalents import apply_equivalents
from gridimpact.grid.geo import bus_table_of
from gridimpact.grid.memphis import build_memphis_net, memphis_data
from gridimpact.grid.reactive_limits import build_lsgrid_with_q_limits
from gridimpact.grid.upgrades import apply_upgrades, available_upgrades

BUILTIN_NETWORKS = ("memphis_161kv",)
CAMPUS_LOAD_NAME = "gridimpact campus"
ENGINE_LIGHTSIM2GRID = "lightsim2grid"
ENGINE_PANDAPOWER = "pandapower"


class PoiBusError(NetworkError):
    """A POI bus is unknown, ambiguous, out of service or has no path to a source.

    ``detail`` is the message without the network it is in (``source``), so that
    :func:`load_network` can name the case field instead.
    """

    def __init__(self, source: str, detail: str) -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {detail}")


@dataclass(frozen=True)
class NetworkModel:
    """A loaded network with its POI; the pandapower net stays private.

    Attributes
    ----------
    name : str
        Network name (built-in key or file stem).
    poi_bus : str
        Bus name where the campus connects.
    description : str
        One-line description for reports.
    criteria : GridCriteria
        Voltage band and thermal limits used by the studies.
    network : str
        Built-in network key (e.g. ``"memphis_161kv"``) or the path of the file it came from.
    upgrades : tuple of str
        Catalog upgrades applied to the network (built-in networks only).
    engine : str
        ``"lightsim2grid"`` (fast engine) or ``"pandapower"`` (fallback: each power
        flow a ``pandapower.runpp``, for networks lightsim2grid cannot represent).
    engine_note : str
        One line saying why the fallback is used (empty with lightsim2grid).
    """

    name: str
    poi_bus: str
    description: str
    _net: pp.pandapowerNet = field(repr=False, compare=False)
    criteria: GridCriteria = field(default_factory=GridCriteria.default)
    _lsgrid: Any = field(default=None, repr=False, compare=False)
    _topology: Topology | None = field(default=None, repr=False, compare=False)
    network: str = ""
    upgrades: tuple[str, ...] = ()
    engine: str = ENGINE_LIGHTSIM2GRID
    engine_note: str = ""

    @property
    def builtin(self) -> bool:
        """Whether the network is a built-in representative network."""
        return self.network in BUILTIN_NETWORKS

    def bus_table(self) -> pd.DataFrame:
        """Buses: ``name``, ``vn_kv``, ``lat``, ``lon`` (NaN where unknown)."""
        return bus_table_of(self._net)

    @property
    def poi_index(self) -> int:
        """Position of the POI bus."""
        return bus_index(self._net, self.poi_bus, self.name)

    @property
    def topology(self) -> Topology:
        """Static arrays of the network (for the engine)."""
        assert self._topology is not None
        return self._topology

    @property
    def topology_n1(self) -> Topology:
        """The topology with post-contingency (emergency) line ratings: every N-1 study
        computes its loadings on it (percent of the emergency rating)."""
        return emergency_rated(self.topology)

    @property
    def lsgrid(self) -> Any:
        """Template grid model for the engine (copy before modifying): a lightsim2grid
        ``LSGrid``, or a :class:`PandapowerGrid` when ``engine == "pandapower"``."""
        return self._lsgrid

    def net_copy(self) -> pp.pandapowerNet:
        """A deep copy of the private pandapower net (for grid-internal studies).

        This is the normalised net the engine solves: impedances, wards,
        3-winding transformers ... already replaced by their exact equivalents
        (:mod:`gridimpact.grid.equivalents`), so it holds the same lines and
        transformers, in the same order, as :attr:`topology`.
        """
        return copy.deepcopy(self._net)


def bus_index(net: pp.pandapowerNet, bus_name: str, source: str) -> int:
    """Position of a bus given by name (imported networks: the utility's bus number as
    a string, e.g. ``"2002"``) or by a unique ``alias`` (the utility's bus name, e.g.
    ``"ODESSA 2 0"``).

    Raises
    ------
    PoiBusError
        (a :class:`NetworkError`) If no bus has that name or alias (the message names the
        closest bus names), or the alias names several buses (the message lists their
        numbers).
    """
    names = [str(n) for n in net.bus.name]
    if bus_name in names:
        return names.index(bus_name)
    aliases: list[str] = []
    if "alias" in net.bus:
        aliases = [str(a).strip() if not pd.isna(a) else "" for a in net.bus.alias]
        hits = [i for i, a in enumerate(aliases) if a and a == bus_name.strip()]
        if len(hits) == 1:
            return hits[0]
        if hits:
            numbers = ", ".join(names[i] for i in hits)
            raise PoiBusError(
                source,
                f"POI bus {bus_name!r} is ambiguous: it is the name of buses "
                f"{numbers}; give the bus number instead",
            )
    raise PoiBusError(
        source, f"POI bus {bus_name!r} not found ({_closest(bus_name, names, aliases)})"
    )


def _closest(wanted: str, names: list[str], aliases: Iterable[str] = ()) -> str:
    """``"9 buses, closest: 'a', 'b'"`` (or ``"e.g. 'a'"`` when nothing is close)."""
    known = list(dict.fromkeys([*names, *(a for a in aliases if a)]))
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    if close:
        return f"{len(names)} buses, closest: " + ", ".join(repr(c) for c in close)
    if not names:
        return "the network has no buses"
    return f"{len(names)} buses, e.g. {names[0]!r}"


def _poi_supply_problem(net: pp.pandapowerNet, index: int, bus_name: str) -> str | None:
    """Why a POI bus cannot take the campus (``None`` if it can): out of service, or no
    in-service path to an external grid or slack generator.

    Uses pandapower's topology graph (:func:`pandapower.topology.create_nxgraph`, only
    in-service buses, branches and closed switches) so that a path through an
    out-of-service bus does not count.
    """
    import pandapower.topology as top

    bus = net.bus.index[index]
    if not bool(net.bus.in_service.iloc[index]):
        return f"POI bus {bus_name!r} is out of service (in_service = false in the network)"
    graph = top.create_nxgraph(net, respect_switches=True, include_out_of_service=False)
    eg = net.ext_grid[net.ext_grid.in_service.astype(bool)]
    gen = net.gen[net.gen.in_service.astype(bool) & net.gen.slack.astype(bool)]
    sources = {int(b) for b in (*eg.bus, *gen.bus)}
    if bus in graph and sources & set(top.connected_component(graph, bus)):
        return None
    return (
        f"POI bus {bus_name!r} is islanded: not connected to any source (no in-service "
        "path to an external grid or slack generator)"
    )


def _check_matpower_tables(path: pathlib.Path) -> None:
    """Refuse NaN in any numeric MATPOWER table and branches/generators on undefined buses.

    The case is parsed (never executed) by ``matpowercaseframes``, as ``from_mpc`` does.
    """
    from matpowercaseframes import CaseFrames

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = CaseFrames(str(path))
    for table in getattr(frames, "attributes", ()):
        value = getattr(frames, table, None)
        if isinstance(value, pd.DataFrame):
            numeric = value.select_dtypes(include="number")
            if numeric.isna().to_numpy().any():
                row, col = np.argwhere(numeric.isna().to_numpy())[0]
                raise NetworkError(
                    f"{path.name}: mpc.{table} row {row + 1} column "
                    f"{numeric.columns[col]}: NaN is not a value"
                )
    buses = {int(b) for b in frames.bus["BUS_I"]}
    for k, (f, t) in enumerate(zip(frames.branch["F_BUS"], frames.branch["T_BUS"], strict=True)):
        for b in (int(f), int(t)):
            if b not in buses:
                raise NetworkError(
                    f"{path.name}: branch {k + 1} (from bus {int(f)} to {int(t)}): "
                    f"bus {b} not defined"
                )
    for k, b in enumerate(frames.gen["GEN_BUS"]):
        if int(b) not in buses:
            raise NetworkError(
                f"{path.name}: generator {k + 1} (at bus {int(b)}): bus {int(b)} not defined"
            )


def _from_matpower(path: pathlib.Path) -> pp.pandapowerNet:
    """A MATPOWER case (``.m`` needs ``matpowercaseframes``) with buses named by number.

    pandapower's ``from_mpc`` indexes buses by the MATPOWER bus number minus one;
    every bus is named here by its MATPOWER number (``BUS_I``), so ``poi_bus = "5"``
    is MATPOWER bus 5, also when the case has ``mpc.bus_name`` (case_ACTIVSg2000):
    those names are kept in the bus column ``alias``.
    """
    from pandapower.converter.matpower.from_mpc import from_mpc

    if path.suffix.lower() == ".m":
        _check_matpower_tables(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = from_mpc(str(path), f_hz=60)
    named = ~(net.bus.name.isna() | (net.bus.name.astype(str) == ""))
    net.bus["alias"] = [
        str(n).strip() if k else None for n, k in zip(net.bus.name, named, strict=True)
    ]
    net.bus["name"] = [str(int(i) + 1) for i in net.bus.index]
    return net


PICKLE_SUFFIXES = (".p", ".pkl", ".pickle")
"""Python pickles (``pandapower.to_pickle``): reading one runs code, so they are refused."""


def _is_pickle(head: bytes) -> bool:
    """A pickle of protocol 2 or later starts with the PROTO opcode ``\\x80`` and its
    protocol number."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def _read_network_file(path: pathlib.Path) -> pp.pandapowerNet:
    """Read a network file (JSON, MATPOWER or PSS/E RAW) as data, never as code.

    Raises
    ------
    NetworkError
        One line naming the file: missing, a pickle, an unsupported format, a JSON that
        names anything but pandapower's own element classes, unreadable, or a network
        with a missing or non-finite number where one is needed.
    """
    suffix = path.suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        raise NetworkError(_pickle_refusal(path))
    if not path.is_file():
        raise NetworkError(f"{path}: network file not found")
    with path.open("rb") as handle:
        if _is_pickle(handle.read(2)):
            raise NetworkError(_pickle_refusal(path))
    if suffix not in (".json", ".m", ".mat", ".raw"):
        raise NetworkError(
            f"{path}: unsupported network format {suffix!r} "
            "(use .json, .m or .mat (MATPOWER) or .raw (PSS/E v32, v33, v35))"
        )
    try:
        if suffix == ".json":
            net = _from_pandapower_json(path)
        elif suffix in (".m", ".mat"):
            net = _from_matpower(path)
        else:
            from gridimpact.grid.psse import read_raw

            net = read_raw(path)
    except NetworkError:
        raise
    except ImportError as exc:
        kind = "PSS/E RAW" if suffix == ".raw" else "MATPOWER"
        raise NetworkError(f"{path}: cannot read {kind} file ({exc.name} missing)") from exc
    except Exception as exc:  # any parser failure is a bad file for the user
        text = " ".join(str(exc).split())[:300]
        raise NetworkError(f"{path}: invalid network file ({type(exc).__name__}: {text})") from exc
    _check_numbers(net, path.name)
    return net


def _pickle_refusal(path: pathlib.Path) -> str:
    return (
        f"{path}: refuses to load: the file is a Python pickle, and reading a pickle runs "
        "code (network files are data: write it with pandapower.to_json)"
    )


MAX_NETWORK_JSON_BYTES = 1 << 30
"""Largest pandapower JSON read (1 GiB; a 70 000-bus case is about 100 MB)."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of JSON arrays/objects, counted through the JSON texts nested in strings
(pandapower's own files: about 10)."""
MAX_JSON_TEXT_DEPTH = 6
"""Deepest nesting of JSON documents inside strings (pandapower's own files: 2)."""

_PANDAPOWER_NET = ("pandapower.auxiliary", "pandapowerNet")
_TABLE_CLASSES = frozenset(
    {
        ("pandas.core.frame", "DataFrame"),
        ("pandas", "DataFrame"),
        ("pandas.core.series", "Series"),
        ("pandas", "Series"),
    }
)
"""The pandas objects pandapower writes (and decodes from their own JSON text)."""
_NUMPY_DTYPES = (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
)  # fmt: skip
JSON_DTYPES = frozenset(
    {
        *_NUMPY_DTYPES,
        "object",
        # pandas' nullable columns: pandapower's own tables use Int64 (e.g. trafo tap_pos)
        *("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"),
        *("Float32", "Float64", "boolean", "string", "str"),
    }
)
"""Column types a pandapower JSON may declare (``dtype``): numpy's and pandas' plain ones."""
JSON_OBJECTS = frozenset(
    {
        _PANDAPOWER_NET,
        *_TABLE_CLASSES,
        ("numpy", "array"),
        *(("numpy", name) for name in (*_NUMPY_DTYPES, "bool_")),
        ("pandas", "Index"),
        *(("builtins", name) for name in ("tuple", "set", "frozenset", "complex")),
    }
)
"""Every (``_module``, ``_class``) a pandapower JSON may name; anything else is refused
before pandapower reads the file. These are what ``pandapower.to_json`` writes for a net
(``pandapowerNet``, its tables as ``DataFrame``) and for values inside it (pandas
``Series``/``Index``, numpy arrays and scalars, tuples and sets); pandapower's decoder
handles each with fixed code (no module named by the file is imported for them)."""
_SIGNATURE_KEYS = frozenset(
    {
        "_module", "_class", "_object", "dtype", "orient", "typ", "index_name",
        "index_names", "column_name", "column_names", "is_multiindex", "is_multicolumn",
    }
)  # fmt: skip
"""Keys pandapower writes next to ``_module``/``_class`` (they become pandas arguments)."""
_ORIENTS = frozenset({"split", "columns", "index"})
_MODULE_IN_TEXT = re.compile(r'_module\\*"\s*:\s*\\*"([^"\\]+)')


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers a duplicated key (and its values)."""

    duplicate: tuple[str, list[Any]] | None = None


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    if len(obj) != len(pairs):
        seen: dict[str, list[Any]] = {}
        for key, value in pairs:
            seen.setdefault(key, []).append(value)
        key = next(k for k, values in seen.items() if len(values) > 1)
        obj.duplicate = (key, seen[key])
    return obj


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key(where: str, key: Any) -> str:
    return (
        f"{where}.{key}"
        if isinstance(key, str) and key.isidentifier()
        else f"{where}[{_short(key)}]"
    )


class _Refusal(Exception):
    """A JSON network file names something that is not data (internal)."""


def _parse_json_text(text: str, where: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_json_object)
    except RecursionError:
        raise _Refusal(f"{where}: JSON nested too deeply") from None


def _refuse_code_in_json(path: pathlib.Path, text: str | None = None) -> None:
    """Network files are data: refuse a JSON that is not a plain pandapower net.

    pandapower's JSON reader imports the module named by each ``_module`` key (also
    inside the JSON texts it nests in strings: every table is a DataFrame written as a
    JSON string that has its own ``_module``/``_class``/``dtype``) and passes the other
    keys of such an object to pandas; importing is executing. So the file is first
    decoded with the standard library (which resolves ``\\uXXXX`` escapes), every key
    and value is walked, down through every string that is itself a JSON object or array
    (at most :data:`MAX_JSON_TEXT_DEPTH` deep), and only :data:`JSON_OBJECTS` with the keys
    pandapower writes and :data:`JSON_DTYPES` are accepted.

    Raises
    ------
    NetworkError
        One line naming the file and the offending key path (``$`` is the whole file).
    """
    if text is None:
        text = path.read_text(encoding="utf-8")
    try:
        try:
            doc = _parse_json_text(text, "$")
        except ValueError as exc:
            raise NetworkError(f"{path}: not a JSON file ({exc})") from None
        if not (
            isinstance(doc, dict)
            and (doc.get("_module"), doc.get("_class")) == _PANDAPOWER_NET
            and isinstance(doc.get("_object"), dict | str)
        ):
            if isinstance(doc, dict):
                kind = "a JSON object without pandapower's net signature"
            else:
                kind = "a JSON array" if isinstance(doc, list) else "a single JSON value"
            raise NetworkError(
                f"{path}: not a pandapower network: the file is {kind} (a pandapower JSON "
                'is one object with "_module": "pandapower.auxiliary", "_class": '
                '"pandapowerNet"; write the net with pandapower.to_json)'
            )
        _walk_json(doc)
    except _Refusal as exc:
        raise NetworkError(
            f"{path}: refuses to load: {exc} (network files are data; only pandapower's "
            "own tables are read)"
        ) from None


def _walk_json(doc: Any) -> None:
    """Check every key and value of a decoded pandapower JSON (see
    :func:`_refuse_code_in_json`); raises :class:`_Refusal`."""
    # (value, key path, nesting depth, JSON-text depth, must be JSON text)
    stack: list[tuple[Any, str, int, int, bool]] = [(doc, "$", 0, 0, False)]
    while stack:
        value, where, depth, text_depth, is_text = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _Refusal(f"{where}: nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, str):
            if is_text or value.lstrip()[:1] in ("{", "["):
                if text_depth >= MAX_JSON_TEXT_DEPTH:
                    raise _Refusal(
                        f"{where}: JSON text nested deeper than {MAX_JSON_TEXT_DEPTH} levels"
                    )
                try:
                    inner = _parse_json_text(value, where)
                except ValueError:
                    if is_text:
                        raise _Refusal(_bad_text(value, where)) from None
                    continue  # plain text that pandapower never decodes
                if is_text and not isinstance(inner, dict):
                    raise _Refusal(_bad_text(value, where))
                stack.append((inner, where + "<json>", depth + 1, text_depth + 1, False))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{where}[{i}]", depth + 1, text_depth, False)
                for i, item in enumerate(value)
            )
        elif isinstance(value, dict):
            duplicate = getattr(value, "duplicate", None)
            if duplicate is not None:
                key, values = duplicate
                shown = ", ".join(_short(v) for v in values)
                raise _Refusal(f"{_key(where, key)}: duplicate key (values {shown})")
            text_object = False
            if "_module" in value or "_class" in value:
                text_object = _check_signature(value, where)
            for key, item in value.items():
                is_table_text = text_object and key == "_object"
                stack.append((item, _key(where, key), depth + 1, text_depth, is_table_text))


def _bad_text(value: str, where: str) -> str:
    """Why a table's ``_object`` text is refused (naming a module it mentions, if any)."""
    allowed = {module for module, _ in JSON_OBJECTS}
    named = [m for m in _MODULE_IN_TEXT.findall(value) if m not in allowed]
    if named:
        return f"{where}: names Python module {_short(named[0])} in text that is not valid JSON"
    return f"{where}: a table's data must be a JSON object written as text"


def _check_signature(obj: dict[str, Any], where: str) -> bool:
    """Check one object pandapower would deserialize (it has ``_module``/``_class``);
    True if its ``_object`` must be JSON text (a pandas table)."""
    module, cls = obj.get("_module"), obj.get("_class")
    if not isinstance(module, str) or not isinstance(cls, str):
        missing = "_class" if isinstance(module, str) else "_module"
        raise _Refusal(
            f"{_key(where, '_module')}: names Python module {_short(module)}, class "
            f"{_short(cls)} ({missing} missing or not a string)"
        )
    if (module, cls) not in JSON_OBJECTS:
        raise _Refusal(
            f"{_key(where, '_module')}: names Python module {_short(module)}, class {_short(cls)}, "
            "which is not one of pandapower's network objects"
        )
    for key, item in obj.items():
        if key not in _SIGNATURE_KEYS:
            raise _Refusal(f"{_key(where, key)}: unexpected key in a {cls} object")
        if key == "orient" and item not in _ORIENTS:
            raise _Refusal(f"{_key(where, key)}: orient {_short(item)} is not a table layout")
        if key == "typ" and item != "series":
            raise _Refusal(f"{_key(where, key)}: typ {_short(item)} is not 'series'")
        if key in ("is_multiindex", "is_multicolumn") and not isinstance(item, bool):
            raise _Refusal(f"{_key(where, key)}: {_short(item)} is not true or false")
        if key == "dtype":
            _check_dtypes(item, _key(where, key))
    if (module, cls) == _PANDAPOWER_NET and not isinstance(obj.get("_object"), dict | str):
        raise _Refusal(f"{_key(where, '_object')}: a pandapowerNet must hold an object")
    if (module, cls) in _TABLE_CLASSES:
        if not isinstance(obj.get("_object"), str):
            raise _Refusal(f"{_key(where, '_object')}: a {cls} must hold JSON text")
        return True
    return False


def _check_dtypes(value: Any, where: str) -> None:
    """``dtype``: one column type, or a mapping column → type, each in :data:`JSON_DTYPES`."""
    items = value.items() if isinstance(value, dict) else [(None, value)]
    for column, dtype in items:
        if not isinstance(dtype, str) or dtype not in JSON_DTYPES:
            at = where if column is None else _key(where, column)
            raise _Refusal(f"{at}: dtype {_short(dtype)} is not a numpy/pandas column type")


def _from_pandapower_json(path: pathlib.Path) -> pp.pandapowerNet:
    """A pandapower JSON, checked by :func:`_refuse_code_in_json` before pandapower reads
    it (from the text checked, not the file again)."""
    size = path.stat().st_size
    if size > MAX_NETWORK_JSON_BYTES:
        raise NetworkError(
            f"{path}: refuses to load: {size / 2**20:.0f} MB is larger than the "
            f"{MAX_NETWORK_JSON_BYTES / 2**20:.0f} MB a network JSON may be"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NetworkError(f"{path}: not a JSON file (not UTF-8 text: {exc.reason})") from None
    _refuse_code_in_json(path, text)
    net = pp.from_json(io.StringIO(text))
    if not isinstance(net, pp.pandapowerNet):
        raise NetworkError(f"{path}: not a pandapower network (pandapower read a {type(net)})")
    return net


FINITE_COLUMNS: dict[str, tuple[str, ...]] = {
    "bus": ("vn_kv",),
    "line": (
        "from_bus", "to_bus", "length_km", "r_ohm_per_km", "x_ohm_per_km", "c_nf_per_km",
        "max_i_ka", "parallel", "df",
    ),
    "trafo": (
        "hv_bus", "lv_bus", "sn_mva", "vn_hv_kv", "vn_lv_kv", "vk_percent", "vkr_percent",
        "pfe_kw", "i0_percent", "shift_degree", "parallel",
    ),
    "load": ("bus", "p_mw", "q_mvar", "scaling"),
    "gen": ("bus", "p_mw", "vm_pu", "scaling"),
    "ext_grid": ("bus", "vm_pu", "va_degree"),
}  # fmt: skip
"""Per element table, the columns every power flow needs: NaN or infinite there is refused.
Elsewhere in these tables NaN means "not given" (e.g. tap changer, short-circuit data)
and only ``min_*``/``max_*`` limits may be infinite (no limit)."""


def _check_numbers(net: pp.pandapowerNet, source: str) -> None:
    """Refuse a bus/line/trafo/load/gen/ext_grid table with a missing or non-finite number
    where one is needed (one line naming table, element and column).

    Raises
    ------
    NetworkError
    """
    for table, required in FINITE_COLUMNS.items():
        frame = net[table] if table in net else None
        if not isinstance(frame, pd.DataFrame):
            raise NetworkError(f"{source}: {table}: not a table")
        if frame.empty:
            continue
        absent = [c for c in required if c not in frame.columns]
        if absent:
            raise NetworkError(f"{source}: {table}: column {absent[0]} missing")
        for column in frame.columns:
            values = frame[column]
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                continue
            array = values.to_numpy(dtype=float, na_value=np.nan)
            if column in required:
                bad = ~np.isfinite(array)
            elif str(column).startswith(("min_", "max_")):
                continue
            else:
                bad = np.isinf(array)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise NetworkError(
                    f"{source}: {table} {_element(frame, row)} column {column}: "
                    f"{array[row]} is not a value (a network must give a finite number)"
                )
        if table == "bus" and (frame.vn_kv.to_numpy(float) <= 0).any():
            row = int(np.flatnonzero(frame.vn_kv.to_numpy(float) <= 0)[0])
            raise NetworkError(
                f"{source}: bus {_element(frame, row)} column vn_kv: {frame.vn_kv.iloc[row]} kV "
                "is not a base voltage (must be above 0)"
            )


def _element(frame: pd.DataFrame, row: int) -> str:
    """``"3 ('Bus 4')"``: index (and name) of a row, for messages."""
    name = frame["name"].iloc[row] if "name" in frame.columns else None
    label = f"{frame.index[row]}"
    return label if name is None or pd.isna(name) else f"{label} ({_short(str(name))})"


def _apply_switches(net: pp.pandapowerNet, source: str) -> None:
    """Open line/trafo switches take their element out of service; then drop switches."""
    sw = net.switch
    if (sw.et == "b").any():
        raise NetworkError(f"{source}: bus-bus switches are not supported; merge the buses first")
    for kind, et in (("line", "l"), ("trafo", "t")):
        opened = sw[(sw.et == et) & ~sw.closed.astype(bool)].element
        net[kind].loc[net[kind].index.isin(opened), "in_service"] = False
    net.switch = net.switch.iloc[0:0]


def _normalise(net: pp.pandapowerNet, source: str) -> tuple[pp.pandapowerNet, list[str]]:
    """Continuous indexes, string bus names (index if unnamed), branch names (ends if
    unnamed), exact equivalents of the elements lightsim2grid cannot convert.

    Returns the net and one line per element lightsim2grid cannot represent
    (empty if the fast engine can solve the network exactly).
    """
    pp.toolbox.create_continuous_bus_index(net)
    pp.toolbox.create_continuous_elements_index(net)
    names = [
        str(i) if pd.isna(n) or str(n) == "" else str(n)
        for i, n in zip(net.bus.index, net.bus.name, strict=True)
    ]
    net.bus["name"] = names
    if len(set(names)) != len(names):
        raise NetworkError(f"{source}: bus names are not unique")
    for table, ends in (("line", ("from_bus", "to_bus")), ("trafo", ("hv_bus", "lv_bus"))):
        frame = net[table]
        frame["name"] = [
            f"{net.bus.at[a, 'name']} - {net.bus.at[b, 'name']} ({table} {i})"
            if pd.isna(n) or str(n) == ""
            else str(n)
            for i, n, a, b in zip(
                frame.index, frame.name, frame[ends[0]], frame[ends[1]], strict=True
            )
        ]
    if "switch" in net and len(net.switch):
        _apply_switches(net, source)
    if not len(net.ext_grid) and not net.gen.slack.any():
        raise NetworkError(f"{source}: no external grid or slack generator")
    unsupported = apply_equivalents(net)
    return net, unsupported


ISLAND_TABLES = ("load", "sgen", "gen", "shunt", "ward", "xward", "storage", "motor")
BRANCH_ENDS = (
    ("line", ("from_bus", "to_bus")),
    ("trafo", ("hv_bus", "lv_bus")),
    ("trafo3w", ("hv_bus", "mv_bus", "lv_bus")),
    ("impedance", ("from_bus", "to_bus")),
    ("dcline", ("from_bus", "to_bus")),
)


def _retire_islands(net: pp.pandapowerNet, poi: int, poi_bus: str, where: str) -> str:
    """Take buses with no in-service path to a source out of service, with what they hold.

    An island with load cannot be served by any power flow: it is a finding about the
    network (returned as one line for the network description, naming the buses and
    the load left unserved), not a reason for every study to diverge. An islanded POI
    is an error (nothing can be studied there).
    """
    import pandapower.topology as top

    live = set(net.bus.index[net.bus.in_service])
    dead = sorted(set(top.unsupplied_buses(net)) & live)
    if not dead:
        return ""
    if int(net.bus.index[poi]) in dead:
        raise PoiBusError(
            where,
            f"POI bus {poi_bus!r} is islanded: not connected to any source (no in-service "
            "path to an external grid or slack generator)",
        )
    load = net.load
    lost_mw = float(load.p_mw[load.bus.isin(dead) & load.in_service].sum())
    net.bus.loc[dead, "in_service"] = False
    for table in ISLAND_TABLES:
        if table in net and len(net[table]):
            net[table].loc[net[table].bus.isin(dead), "in_service"] = False
    for table, ends in BRANCH_ENDS:
        if table in net and len(net[table]):
            touched = np.zeros(len(net[table]), dtype=bool)
            for end in ends:
                touched |= net[table][end].isin(dead).to_numpy()
            net[table].loc[touched, "in_service"] = False
    names = ", ".join(str(n) for n in net.bus.name[dead][:3]) + (", ..." if len(dead) > 3 else "")
    return (
        f"{len(dead)} islanded bus(es) ({names}) with {lost_mw:.1f} MW of load have no path "
        "to a source and are left out of service (that load is unserved in every study)"
    )


def _description(net: pp.pandapowerNet, path: pathlib.Path) -> str:
    return (
        f"{path.name}: {len(net.bus)} buses, {len(net.line)} lines, {len(net.trafo)} transformers, "
        f"{float(net.load.p_mw.sum()):.0f} MW load"
    )


def model_from_net(
    net: pp.pandapowerNet,
    name: str,
    poi_bus: str,
    description: str,
    criteria: GridCriteria | None = None,
    source: str | None = None,
    network: str = "",
    upgrades: tuple[str, ...] = (),
) -> NetworkModel:
    """Wrap a pandapower net: add the campus load at the POI and convert for the engine.

    Elements lightsim2grid cannot convert are first replaced by exact
    equivalents (:func:`gridimpact.grid.equivalents.apply_equivalents`); if
    something still cannot be represented, or lightsim2grid's converter
    fails, the model uses the pandapower fallback engine and says why in
    ``engine_note`` (the study is never refused for it).

    Parameters
    ----------
    net : pandapowerNet
        The network (copied, not modified).
    name, poi_bus, description : str
        Identity and POI bus name.
    criteria : GridCriteria, optional
        Planning criteria (catalog defaults if omitted).
    source : str, optional
        File (or network name) quoted in error messages; ``name`` if omitted.
    network : str
        Built-in network key or file path (kept on the model for provenance).
    upgrades : tuple of str
        Catalog upgrades already applied to ``net``.

    Raises
    ------
    PoiBusError
        (a :class:`NetworkError`) If the POI bus is unknown, ambiguous, out of service or
        islanded.
    NetworkError
        If the network is invalid or cannot be converted.
    """
    where = source or name
    try:
        work, unsupported = _normalise(copy.deepcopy(net), where)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise NetworkError(f"{where}: invalid network ({type(exc).__name__}: {exc})") from exc
    poi = bus_index(work, poi_bus, where)
    if not bool(work.bus.in_service.iloc[poi]):
        raise PoiBusError(where, f"POI bus {poi_bus!r} is out of service")
    islands = _retire_islands(work, poi, poi_bus, where)
    if islands:
        description = f"{description}; {islands}"
    check_common_structure(work, where)
    campus = pp.create_load(work, poi, p_mw=0.0, q_mvar=0.0, name=CAMPUS_LOAD_NAME)
    campus_pos = int(np.flatnonzero(work.load.index == campus)[0])
    engine, note = ENGINE_LIGHTSIM2GRID, ""
    grid: Any = None
    if not unsupported:
        try:
            grid = build_lsgrid_with_q_limits(work)  # + generator Q-limit companions
        except Exception as exc:  # any converter failure: solve with pandapower instead
            unsupported = [f"lightsim2grid conversion failed ({type(exc).__name__}: {exc})"]
    if unsupported:
        engine, grid = ENGINE_PANDAPOWER, PandapowerGrid(copy.deepcopy(work))
        note = "solved with pandapower runpp (slow): " + "; ".join(unsupported)
    topology = topology_of(work, campus_pos)
    if not energised_buses(topology)[poi]:
        raise PoiBusError(
            where,
            f"POI bus {poi_bus!r} is islanded: not connected to any source (no in-service "
            "path to an external grid or slack generator)",
        )
    return NetworkModel(
        name=name,
        poi_bus=poi_bus,
        description=description,
        _net=work,
        criteria=criteria or GridCriteria.default(),
        _lsgrid=grid,
        _topology=topology,
        network=network,
        upgrades=tuple(upgrades),
        engine=engine,
        engine_note=note,
    )


def net_without_campus(model: NetworkModel) -> pp.pandapowerNet:
    """A copy of the model's net without the campus load (ready for :func:`model_from_net`)."""
    net = model.net_copy()
    net.load = net.load[net.load.name != CAMPUS_LOAD_NAME]
    return net


def with_poi(model: NetworkModel, bus_name: str) -> NetworkModel:
    """The same network (criteria, upgrades) with the campus at another POI bus.

    Parameters
    ----------
    model : NetworkModel
    bus_name : str
        Name of the new POI bus.

    Returns
    -------
    NetworkModel
        A new model; ``model`` is not changed.

    Raises
    ------
    PoiBusError
        (a :class:`NetworkError`) If ``bus_name`` is not a bus of the network, is out of
        service or has no path to a source. :func:`load_network` has already checked
        the case's ``grid.candidate_poi_buses``, naming that field.
    """
    if bus_name == model.poi_bus:
        return model
    bus_index(model._net, bus_name, model.name)
    return model_from_net(
        net_without_campus(model),
        model.name,
        bus_name,
        model.description,
        model.criteria,
        network=model.network,
        upgrades=model.upgrades,
    )


def without_q_limits(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """Drop every generator reactive limit of ``net`` (in place; also returned).

    For ``[grid] enforce_q_limits = false``: generators then hold their voltage
    set-point with any Q, as in MATPOWER's and pandapower's default power flow.
    """
    for column in ("min_q_mvar", "max_q_mvar"):
        if column in net.gen:
            net.gen[column] = np.nan
    return net


def load_network(
    section: GridSection, base_dir: pathlib.Path, case_file: str = "case"
) -> NetworkModel:
    """Load the network named by a case's ``[grid]`` table.

    Parameters
    ----------
    section : GridSection
        ``network`` is ``"memphis_161kv"`` (the representative network) or a
        path relative to ``base_dir`` to a pandapower JSON (``.json``), a
        MATPOWER case (``.m``/``.mat``) or a PSS/E RAW case (``.raw``, v32/v33/v35);
        ``poi_bus`` must name a bus in it (imported networks: the bus number, or a
        unique bus name).
    base_dir : pathlib.Path
        Folder of the case file.
    case_file : str
        The case file, named by errors about a ``[grid]`` field.

    Returns
    -------
    NetworkModel

    Raises
    ------
    NetworkCaseError
        (a :class:`CaseError` and a :class:`NetworkError`, one line
        ``case_file: grid.<field>: ...``) Network file not found (``grid.network``),
        unknown upgrade or upgrades of a network file (``grid.upgrades``), POI bus
        unknown, ambiguous, out of service or not connected to any source
        (``grid.poi_bus``, ``grid.candidate_poi_buses``).
    NetworkError
        Invalid network file (naming the file), unknown ``grid.common_structure`` line.
    """
    criteria = GridCriteria.from_section(section)
    if section.network in BUILTIN_NETWORKS:
        known = available_upgrades()
        for name in section.upgrades:
            if name not in known:
                raise NetworkCaseError(
                    case_file,
                    "grid.upgrades",
                    f"unknown upgrade {name!r} of {section.network} "
                    f"(known: {', '.join(sorted(known)) or 'none'})",
                )
        net = apply_upgrades(build_memphis_net(), section.upgrades, section.network)
        add_common_structure(net, section.common_structure)
        if not section.enforce_q_limits:
            without_q_limits(net)
        label = section.network + "".join(f" + {u}" for u in section.upgrades)
        shown = label
        build: dict[str, Any] = dict(
            net=net,
            name=label,
            description=memphis_data()["description"],
            network=section.network,
            upgrades=tuple(section.upgrades),
        )
    else:
        if section.upgrades:
            raise NetworkCaseError(
                case_file,
                "grid.upgrades",
                f"upgrades ({', '.join(section.upgrades)}) apply to the built-in network "
                f"{', '.join(BUILTIN_NETWORKS)} only, not to the network file "
                f"{section.network!r}: build them into the file instead",
            )
        path = (base_dir / section.network).resolve()
        if not path.is_file():
            problem = "is not a file" if path.exists() else "not found"
            raise NetworkCaseError(
                case_file, "grid.network", f"network file {section.network!r} {problem} ({path})"
            )
        net = _read_network_file(path)
        add_common_structure(net, section.common_structure)
        if not section.enforce_q_limits:
            without_q_limits(net)
        shown = path.name
        build = dict(
            net=net,
            name=path.stem,
            description=_description(net, path),
            source=str(path),
            network=str(path),
        )
    try:
        model = model_from_net(poi_bus=section.poi_bus, criteria=criteria, **build)
    except PoiBusError as exc:
        raise NetworkCaseError(case_file, "grid.poi_bus", f"{shown}: {exc.detail}") from None
    _check_pois(model, section, case_file, shown)
    return model


def _check_pois(model: NetworkModel, section: GridSection, case_file: str, shown: str) -> None:
    """Every POI of the case (``grid.poi_bus``, ``grid.candidate_poi_buses``) is a bus of
    the network, in service and connected to a source (pandapower's topology graph).

    Raises
    ------
    NetworkCaseError
    """
    net = model._net
    pois = [("grid.poi_bus", section.poi_bus)]
    pois += [("grid.candidate_poi_buses", b) for b in section.candidate_poi_buses]
    for field_name, bus in pois:
        try:
            index = bus_index(net, bus, shown)
        except PoiBusError as exc:
            raise NetworkCaseError(case_file, field_name, f"{shown}: {exc.detail}") from None
        problem = _poi_supply_problem(net, index, bus)
        if problem:
            raise NetworkCaseError(case_file, field_name, f"{shown}: {problem}")
