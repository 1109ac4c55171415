"""US 60 Hz line and transformer standard types for pandapower.

pandapower's built-in library holds European 50 Hz types only; the 161 kV and
500 kV ACSR conductors and the 500/161 kV autotransformer used by the
representative Memphis network are read from ``data/grid_types.toml`` (each
parameter cited there) and registered with :func:`pandapower.create_std_type`.

References
----------
.. [1] J. D. Glover, T. J. Overbye, M. S. Sarma, *Power System Analysis and
   Design*, 6th ed., Cengage, 2017, Appendix Tables A.2 and A.4.
.. [2] pandapower documentation, "Standard Type Libraries",
   https://pandapower.readthedocs.io/en/latest/std_types.html
"""

from __future__ import annotations

from typing import Any

import pandapower as pp

from gridimpact.grid._data import read_catalog, values_of

GRID_TYPES_FILE = "grid_types.toml"


def line_type_parameters() -> dict[str, dict[str, Any]]:
    """Parameters of every US line type, keyed by type name.

    Returns
    -------
    dict
        ``{name: {r_ohm_per_km, x_ohm_per_km, c_nf_per_km, max_i_ka, type}}``.
    """
    catalog = read_catalog(GRID_TYPES_FILE)["line"]
    return {name: {**values_of(table), "type": "ol"} for name, table in catalog.items()}


def trafo_type_parameters() -> dict[str, dict[str, Any]]:
    """Parameters of every US two-winding transformer type, keyed by type name.

    Returns
    -------
    dict
        ``{name: {sn_mva, vn_hv_kv, vn_lv_kv, vk_percent, vkr_percent, pfe_kw,
        i0_percent, shift_degree}}``.
    """
    catalog = read_catalog(GRID_TYPES_FILE)["trafo"]
    return {name: values_of(table) for name, table in catalog.items()}


def register_us_std_types(net: pp.pandapowerNet) -> None:
    """Add the US line and transformer types to ``net``'s type library (in place).

    Parameters
    ----------
    net : pandapowerNet
        Network whose ``std_types`` receive the types.
    """
    for name, data in line_type_parameters().items():
        pp.create_std_type(net, data, name, element="line")
    for name, data in trafo_type_parameters().items():
        pp.create_std_type(net, data, name, element="trafo")
