"""The sourced values behind the grid studies, for the report's assumptions table.

Only the values the studies of a :class:`~gridimpact.grid.model.NetworkModel`
actually use are listed: the planning criteria, the short-circuit and hosting
settings, the data of the conductor and transformer types present in the
network, and (for the built-in network) the external-grid strength, the plant
dispatch, the load totals and the capacitor banks. Each comes as a dotted name
and a :class:`~gridimpact.schema.Sourced` value carrying its unit, source
and confidence, exactly as written in the data TOML files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gridimpact.grid._data import read_catalog
from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.load_shape import LOAD_SHAPE_FILE
from gridimpact.grid.memphis import memphis_data
from gridimpact.grid.model import CAMPUS_LOAD_NAME, NetworkModel
from gridimpact.grid.std_types import GRID_TYPES_FILE
from gridimpact.schema import Sourced

CONDUCTORS_FILE = "conductors.toml"

Parameter = tuple[str, Sourced[Any]]

LINE_TYPE_KEYS = ("r_ohm_per_km", "x_ohm_per_km", "c_nf_per_km", "max_i_ka")
TRAFO_TYPE_KEYS = ("sn_mva", "vn_hv_kv", "vn_lv_kv", "vk_percent", "vkr_percent")
SYSTEM_KEYS = ("summer_peak_load_mw", "load_power_factor", "route_factor")
EXT_GRID_KEYS = ("vm_pu", "s_sc_max_mva", "s_sc_min_mva", "rx_max")
GEN_KEYS = ("p_mw", "vm_pu", "sn_mva", "xdss_pu")


def _sourced(entry: dict[str, Any]) -> Sourced[Any]:
    return Sourced[Any].model_validate(entry)


def _table(prefix: str, table: dict[str, Any], keys: tuple[str, ...]) -> list[Parameter]:
    return [(f"{prefix}.{k}", _sourced(table[k])) for k in keys if k in table]


def _sourced_entries(prefix: str, table: dict[str, Any]) -> list[Parameter]:
    """Every ``{value, unit, source, confidence}`` entry of a catalog table."""
    return [
        (f"{prefix}.{key}", _sourced(entry))
        for key, entry in table.items()
        if isinstance(entry, dict) and "value" in entry
    ]


def _criteria(criteria: GridCriteria) -> list[Parameter]:
    catalog = read_catalog(GRID_TYPES_FILE)["criteria"]
    rows: list[Parameter] = []
    for key in GridCriteria.__dataclass_fields__:
        value = float(getattr(criteria, key))
        entry = catalog[key]
        if not np.isclose(value, float(entry["value"])):
            entry = {
                "value": value,
                "unit": entry["unit"],
                "source": "case file, [grid] table",
                "confidence": "estimate",
            }
        rows.append((f"grid.criteria.{key}", _sourced(entry)))
    return rows


def _std_types(model: NetworkModel) -> list[Parameter]:
    net = model._net
    catalog = read_catalog(GRID_TYPES_FILE)
    rows: list[Parameter] = []
    in_use = (
        ("line", net.line.std_type[net.line.in_service], LINE_TYPE_KEYS),
        ("trafo", net.trafo.std_type[net.trafo.in_service], TRAFO_TYPE_KEYS),
    )
    for kind, used, keys in in_use:
        for name in sorted({str(t) for t in used.dropna()}):
            if name in catalog[kind]:
                rows += _table(f"grid.{kind}_type[{name}]", catalog[kind][name], keys)
    return rows


def _builtin(model: NetworkModel) -> list[Parameter]:
    data = memphis_data()
    rows = _table("grid.system", data["system"], SYSTEM_KEYS)
    rows += _table("grid.ext_grid", data["ext_grid"], EXT_GRID_KEYS)
    for gen in data["gen"]:
        rows += _table(f"grid.gen[{gen['name']}]", gen, GEN_KEYS)
    for shunt in data.get("shunt", []):
        rows += _table(f"grid.shunt[{shunt['bus']}]", shunt, ("q_mvar",))
    return rows


def _load_totals(model: NetworkModel) -> list[Parameter]:
    net = model._net
    loads = net.load[(net.load.name != CAMPUS_LOAD_NAME) & net.load.in_service]
    p_mw = float((loads.p_mw * loads.scaling).sum())
    q_mvar = float((loads.q_mvar * loads.scaling).sum())
    where = (
        "sum of the substation loads of the built-in network (data/memphis_network.toml)"
        if model.builtin
        else f"sum of the loads in the network file {model.network or model.name}"
    )
    confidence = "derived" if model.builtin else "reported"
    rows: list[Parameter] = [
        (
            "grid.background_load_p_mw",
            _sourced({"value": p_mw, "unit": "MW", "source": where, "confidence": confidence}),
        ),
        (
            "grid.background_load_q_mvar",
            _sourced({"value": q_mvar, "unit": "Mvar", "source": where, "confidence": confidence}),
        ),
    ]
    if not model.builtin:
        if len(net.ext_grid) and "s_sc_max_mva" in net.ext_grid:
            sk = float(net.ext_grid.s_sc_max_mva.fillna(np.nan).max())
            if np.isfinite(sk):
                src = f"external grid of the network file {model.network or model.name}"
                rows.append(
                    (
                        "grid.ext_grid.s_sc_max_mva",
                        _sourced(
                            {"value": sk, "unit": "MVA", "source": src, "confidence": "reported"}
                        ),
                    )
                )
    return rows


def load_shape_parameters() -> tuple[tuple[str, Sourced[Any]], ...]:
    """The sourced values of the hourly background-load shape (``data/load_shape.toml``).

    Returns
    -------
    tuple of (str, Sourced)
        ``("grid.load_shape.<table>.<key>", value)`` for every entry.
    """
    catalog = read_catalog(LOAD_SHAPE_FILE)
    return tuple(
        row
        for table, entries in catalog.items()
        for row in _sourced_entries(f"grid.load_shape.{table}", entries)
    )


def network_parameters(
    model: NetworkModel, include_load_shape: bool = False
) -> tuple[tuple[str, Sourced[Any]], ...]:
    """Every sourced value the grid studies of ``model`` use, for the assumptions table.

    Parameters
    ----------
    model : NetworkModel
    include_load_shape : bool
        Also list the load-shape values (:func:`load_shape_parameters`), when
        the hourly studies used :func:`~gridimpact.grid.background_load_scale`.

    Returns
    -------
    tuple of (str, Sourced)
        ``(dotted name, value)`` pairs, e.g.
        ``("grid.criteria.vm_min_n1_pu", Sourced(value=0.9, unit="pu", ...))``,
        ``("grid.line_type[ACSR 795 Drake 161kV].max_i_ka", ...)``. Criteria set
        in the case (different from the catalog default) are marked as coming
        from the case file. Imported networks list only the criteria, the
        catalog settings, the load totals and the external-grid strength.

    References
    ----------
    .. [1] J. D. Glover, T. J. Overbye, M. S. Sarma, *Power System Analysis and
       Design*, 6th ed., Cengage, 2017, Table A.4 (conductor data).
    .. [2] NERC, "TPL-001-5.1 Transmission System Planning Performance
       Requirements", Table 1, 2020 (criteria).
    """
    catalog = read_catalog(GRID_TYPES_FILE)
    rows = _criteria(model.criteria)
    rows += _table(
        "grid.short_circuit",
        catalog["short_circuit"],
        (
            "scr_weak_below",
            "scr_very_weak_below",
            "voltage_factor_c_max",
            "voltage_factor_c_min",
            "line_end_temperature_c",
        ),
    )
    rows += _table("grid.hosting", catalog["hosting"], ("max_search_mw", "tolerance_mw"))
    for section in ("attribution", "contingency_set", "line_ratings"):
        rows += _sourced_entries(f"grid.{section}", catalog[section])
    for name, entries in read_catalog(CONDUCTORS_FILE).get("conductor", {}).items():
        rows += _sourced_entries(f"grid.conductor[{name}]", entries)
    rows += _std_types(model)
    if model.builtin:
        rows += _builtin(model)
    rows += _load_totals(model)
    if include_load_shape:
        rows += load_shape_parameters()
    return tuple(rows)
