"""Case table ``[grid]``: the network, the point of interconnection, the utility."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from gridimpact.case.bounds import Bool, PowerMW
from gridimpact.schema import Section, Sourced

MAX_CANDIDATE_POIS = 20
MAX_UPGRADES = 100
MAX_COMMON_STRUCTURES = 100
MAX_LINES_PER_STRUCTURE = 20

VoltagePu = Annotated[float, Field(ge=0.5, le=1.5, allow_inf_nan=False)]
LoadingPercent = Annotated[float, Field(ge=1, le=200, allow_inf_nan=False)]


@cache
def _criteria_table() -> dict[str, Any]:
    text = resources.files("gridimpact").joinpath("data", "grid_types.toml").read_text("utf-8")
    criteria: dict[str, Any] = tomllib.loads(text)["criteria"]
    return criteria


def _criterion(key: str) -> Any:
    """Default planning criterion ``key`` from ``data/grid_types.toml`` ``[criteria]``
    (a sourced table, validated as the field's type)."""
    return dict(_criteria_table()[key])


def _value(info: ValidationInfo, name: str) -> float | None:
    item = info.data.get(name)
    return None if item is None else float(item.value)


class GridSection(Section):
    """Network model, POI and steady-state planning criteria.

    ``network`` is the name of a built-in network (``memphis_161kv``) or a
    path, relative to the case file, to a pandapower JSON or MATPOWER case.
    ``poi_bus`` is the bus name in that network where the campus connects.
    The voltage and thermal criteria default to common US planning practice
    (``gridimpact/data/grid_types.toml``, each with its source): 0.95-1.05 pu
    and 100 % of the normal rating with all elements in service (N-0),
    0.90-1.10 pu and 100 % after an outage (N-1). Loadings refer to the normal
    rating with all elements in service and to the emergency rating after an
    outage (built-in network: ambient-adjusted ratings of the weather year,
    ``gridimpact/grid/ratings.py``; imported networks: the file rating for both).
    ``upgrades`` names optional network reinforcements of the built-in network
    (keys of ``[upgrade]`` in ``gridimpact/data/memphis_network.toml``) that are
    applied before any study. ``candidate_poi_buses`` names further buses of
    the same network at which hosting capacity is also evaluated.
    ``common_structure`` names groups of lines on one tower line, each studied
    as one N-1 outage (NERC TPL-001-5.1 P7).

    Each voltage band has its minimum below its maximum, and the N-1 band holds
    the N-0 band (a criterion after an outage is never tighter than with all
    elements in service); likewise the N-1 loading limit is at least the N-0 one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    network: str = "memphis_161kv"
    poi_bus: str
    utility_name: str
    utility_peak_mw: Sourced[PowerMW]
    """Summer peak demand of the serving utility.

    (0, 2·10⁶] MW: up to the peak of the largest synchronous grid (China, ~1.45 TW).
    """
    system_peak_mw: Sourced[PowerMW]
    """Peak demand of the wider supplier / balancing authority (e.g. TVA).

    utility_peak_mw to 2·10⁶ MW: the wider system contains the utility.
    """
    vm_min_n0_pu: Sourced[VoltagePu] = Field(default_factory=lambda: _criterion("vm_min_n0_pu"))
    """Lowest acceptable bus voltage with all elements in service.

    0.5-1.5 pu: outside it load and generator voltage protection trips (NERC PRC-024
    ride-through ends at 0.45 / 1.2 pu).
    """
    vm_max_n0_pu: Sourced[VoltagePu] = Field(default_factory=lambda: _criterion("vm_max_n0_pu"))
    """Highest acceptable bus voltage with all elements in service.

    Above vm_min_n0_pu, at most 1.5 pu (see vm_min_n0_pu).
    """
    vm_min_n1_pu: Sourced[VoltagePu] = Field(default_factory=lambda: _criterion("vm_min_n1_pu"))
    """Lowest acceptable bus voltage after a single outage.

    0.5 pu to vm_min_n0_pu: an outage never tightens the band.
    """
    vm_max_n1_pu: Sourced[VoltagePu] = Field(default_factory=lambda: _criterion("vm_max_n1_pu"))
    """Highest acceptable bus voltage after a single outage.

    vm_max_n0_pu to 1.5 pu, above vm_min_n1_pu: an outage never tightens the band.
    """
    max_loading_n0_percent: Sourced[LoadingPercent] = Field(
        default_factory=lambda: _criterion("max_loading_n0_percent")
    )
    """Highest acceptable branch loading (percent of normal rating), N-0.

    1-200 %: at twice its rating a conductor passes its maximum temperature within
    minutes (short-time emergency ratings are ≤ ~150 %).
    """
    max_loading_n1_percent: Sourced[LoadingPercent] = Field(
        default_factory=lambda: _criterion("max_loading_n1_percent")
    )
    """Highest acceptable branch loading (percent of emergency rating), N-1.

    1-200 % as N-0; not ordered against N-0, whose basis is the normal rating.
    """
    upgrades: tuple[str, ...] = Field(default=(), max_length=MAX_UPGRADES)
    """Optional reinforcements of the built-in network to apply (names).

    At most 100: far more than the named reinforcements of any network file.
    """
    candidate_poi_buses: tuple[str, ...] = Field(default=(), max_length=MAX_CANDIDATE_POIS)
    """Other buses of the network where the hosting capacity is also evaluated.

    At most 20: each costs a full hosting-capacity search (run time).
    """
    enforce_q_limits: Bool = True
    """Hold generators within their reactive limits (PV -> PQ switching, as
    ``pandapower.runpp(enforce_q_lims=True)``); ``false`` lets them hold their voltage
    with any Q (MATPOWER's default), e.g. for a case that has no solution within its
    limits."""
    common_structure: tuple[
        Annotated[tuple[str, ...], Field(min_length=2, max_length=MAX_LINES_PER_STRUCTURE)], ...
    ] = Field(default=(), max_length=MAX_COMMON_STRUCTURES)
    """Groups of line names sharing one tower line, e.g. ``[["line a", "line b"]]``: each
    group is one N-1 outage (NERC TPL-001-5.1 Table 1, P7), added to the network's own.

    At most 100 groups of 2-20 lines: a tower carries a handful of circuits.
    """
    dynamic_data: str | None = Field(default=None, min_length=1, max_length=4096)
    """PSS/E dynamic data (``.dyr``) of a RAW network, path relative to the case file:
    the machines, exciters and governors of the time-domain studies. Only beside a
    ``.raw`` ``network``; other networks get typical data
    (``gridimpact/data/dynamic_models.toml``)."""

    @field_validator("dynamic_data")
    @classmethod
    def _dyr_beside_raw(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            return v
        network = str(info.data.get("network", ""))
        if not network.lower().endswith(".raw"):
            raise ValueError(
                f"a DYR file is only allowed beside a PSS/E RAW network (network = "
                f"{network!r}); other networks get typical dynamic data"
            )
        if not v.lower().endswith(".dyr"):
            raise ValueError(f"must name a PSS/E .dyr file (got {v!r})")
        return v

    @field_validator("system_peak_mw")
    @classmethod
    def _system_holds_utility(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        utility = _value(info, "utility_peak_mw")
        if utility is not None and v.value < utility:
            raise ValueError(
                f"must not be below utility_peak_mw ({utility:g}), the system contains the"
                f" utility (got {v.value:g})"
            )
        return v

    @field_validator("vm_max_n0_pu", "vm_max_n1_pu")
    @classmethod
    def _band_ordered(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        low_name = "vm_min_n0_pu" if info.field_name == "vm_max_n0_pu" else "vm_min_n1_pu"
        low = _value(info, low_name)
        if low is not None and v.value <= low:
            raise ValueError(f"must be above {low_name} ({low:g}) (got {v.value:g})")
        return v

    @field_validator("vm_min_n1_pu")
    @classmethod
    def _n1_low_not_tighter(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        low = _value(info, "vm_min_n0_pu")
        if low is not None and v.value > low:
            raise ValueError(
                f"must not be above vm_min_n0_pu ({low:g}): an outage never tightens the"
                f" voltage band (got {v.value:g})"
            )
        return v

    @field_validator("vm_max_n1_pu")
    @classmethod
    def _n1_high_not_tighter(cls, v: Sourced[float], info: ValidationInfo) -> Sourced[float]:
        high = _value(info, "vm_max_n0_pu")
        if high is not None and v.value < high:
            raise ValueError(
                f"must not be below vm_max_n0_pu ({high:g}): an outage never tightens the"
                f" voltage band (got {v.value:g})"
            )
        return v
