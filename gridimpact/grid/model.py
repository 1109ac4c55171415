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
import pathlib
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandapower as pp
import pandapower.toolbox
import pandas as pd

from gridimpact.case.grid import GridSection
from gridimpact.errors import NetworkError
from gridimpact.grid.contingencies import add_common_structure, check_common_structure
from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.engine import Topology, emergency_rated, energised_buses, topology_of
from gridimpact.grid.engine_pandapower import PandapowerGrid
from gridimpact.grid.equivalents import apply_equivalents
from gridimpact.grid.geo import bus_table_of
from gridimpact.grid.memphis import build_memphis_net, memphis_data
from gridimpact.grid.reactive_limits import build_lsgrid_with_q_limits
from gridimpact.grid.upgrades import apply_upgrades

BUILTIN_NETWORKS = ("memphis_161kv",)
CAMPUS_LOAD_NAME = "gridimpact campus"
ENGINE_LIGHTSIM2GRID = "lightsim2grid"
ENGINE_PANDAPOWER = "pandapower"


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
    NetworkError
        If no bus has that name or alias, or the alias names several buses (the message
        lists their numbers).
    """
    names = [str(n) for n in net.bus.name]
    if bus_name in names:
        return names.index(bus_name)
    if "alias" in net.bus:
        aliases = [str(a).strip() if not pd.isna(a) else "" for a in net.bus.alias]
        hits = [i for i, a in enumerate(aliases) if a and a == bus_name.strip()]
        if len(hits) == 1:
            return hits[0]
        if hits:
            numbers = ", ".join(names[i] for i in hits)
            raise NetworkError(
                f"{source}: POI bus {bus_name!r} is ambiguous: it is the name of buses "
                f"{numbers}; give the bus number instead"
            )
    raise NetworkError(
        f"{source}: POI bus {bus_name!r} not found ({len(names)} buses, e.g. {names[0]!r})"
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
            raise NetworkError(f"{path.name}: generator {k + 1} (at bus {int(b)}): "
                               f"bus {int(b)} not defined")


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


def _read_network_file(path: pathlib.Path) -> pp.pandapowerNet:
    if not path.is_file():
        raise NetworkError(f"{path}: network file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            _refuse_code_in_json(path)
            return pp.from_json(str(path))
        if suffix in (".m", ".mat"):
            return _from_matpower(path)
        if suffix == ".raw":
            from gridimpact.grid.psse import read_raw

            return read_raw(path)
    except NetworkError:
        raise
    except ImportError as exc:
        kind = "PSS/E RAW" if suffix == ".raw" else "MATPOWER"
        raise NetworkError(f"{path}: cannot read {kind} file ({exc.name} missing)") from exc
    except Exception as exc:  # any parser failure is a bad file for the user
        raise NetworkError(f"{path}: invalid network file ({type(exc).__name__}: {exc})") from exc
    raise NetworkError(
        f"{path}: unsupported network format {suffix!r} "
        "(use .json, .m or .mat (MATPOWER) or .raw (PSS/E v32, v33, v35))"
    )


SAFE_JSON_MODULES = ("pandapower", "pandas", "numpy", "builtins", "shapely", "geojson", "networkx")
"""Modules a pandapower JSON may name for its objects; anything else is refused unread."""
_MODULE_IN_JSON = re.compile(r'_module\\*"\s*:\s*\\*"([^"\\]+)')


def _refuse_code_in_json(path: pathlib.Path) -> None:
    """Network files are data: refuse a JSON that asks to import any other module.

    pandapower's JSON reader imports the module named by each ``_module`` key
    (nested DataFrames carry escaped copies); importing is executing, so every
    name is checked against :data:`SAFE_JSON_MODULES` before the file is parsed.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    for module in sorted(set(_MODULE_IN_JSON.findall(text))):
        if module.split(".")[0] not in SAFE_JSON_MODULES:
            raise NetworkError(
                f"{path}: refuses to load: the file names Python module {module!r} "
                "(network files are data; only pandapower/pandas/numpy objects are read)"
            )


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
    NetworkError
        If the POI bus is unknown or the network is invalid or cannot be converted.
    """
    where = source or name
    try:
        work, unsupported = _normalise(copy.deepcopy(net), where)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise NetworkError(f"{where}: invalid network ({type(exc).__name__}: {exc})") from exc
    poi = bus_index(work, poi_bus, where)
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
        raise NetworkError(
            f"{where}: POI bus {poi_bus!r} is islanded: no in-service path to an external "
            "grid or slack generator"
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
    NetworkError
        If ``bus_name`` is not a bus of the network.
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


def load_network(section: GridSection, base_dir: pathlib.Path) -> NetworkModel:
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

    Returns
    -------
    NetworkModel

    Raises
    ------
    NetworkError
        Missing or invalid file, unknown POI bus, unknown upgrade, unknown
        ``grid.common_structure`` line.
    """
    criteria = GridCriteria.from_section(section)
    if section.network in BUILTIN_NETWORKS:
        net = apply_upgrades(build_memphis_net(), section.upgrades, section.network)
        add_common_structure(net, section.common_structure)
        if not section.enforce_q_limits:
            without_q_limits(net)
        label = section.network + "".join(f" + {u}" for u in section.upgrades)
        return model_from_net(
            net,
            label,
            section.poi_bus,
            memphis_data()["description"],
            criteria,
            network=section.network,
            upgrades=tuple(section.upgrades),
        )
    if section.upgrades:
        raise NetworkError(f"{section.network}: upgrades apply to built-in networks only")
    path = (base_dir / section.network).resolve()
    net = _read_network_file(path)
    add_common_structure(net, section.common_structure)
    if not section.enforce_q_limits:
        without_q_limits(net)
    return model_from_net(
        net,
        path.stem,
        section.poi_bus,
        _description(net, path),
        criteria,
        source=str(path),
        network=str(path),
    )
