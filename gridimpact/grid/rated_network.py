"""A network model with ambient-adjusted line ratings from the study's weather year.

:func:`gridimpact.grid.ratings.hourly_line_ratings` rates every line whose type
maps to a catalog conductor (IEEE 738 via linerate) at every hour; the lowest
hour of the year is the design rating. The model returned here carries the
design **normal** rating in ``max_i_ka`` (N-0 and the hourly N-0 scale it by
the hour's factor) and the design **emergency** rating in
``max_i_emergency_ka`` (post-contingency loadings refer to it). Lines of other
types keep their file rating (emergency = normal).
"""

from __future__ import annotations

from typing import Any

import pandapower as pp
import pandas as pd

from gridimpact.grid.model import NetworkModel, model_from_net, net_without_campus
from gridimpact.grid.ratings import LineRatings, apply_line_ratings, hourly_line_ratings
from gridimpact.grid.upgrades import RATINGS_BY_TYPE_KEY


def ratings_by_type(net: pp.pandapowerNet, ratings: LineRatings) -> dict[str, Any]:
    """Design (normal, emergency) rating per circuit, kA, of each thermally rated line type."""
    out: dict[str, Any] = {}
    per_circuit = (net.line.df * net.line.parallel).to_numpy(float)
    std = net.line.get("std_type", pd.Series([None] * len(net.line), index=net.line.index))
    for k, (conductor, std_type) in enumerate(zip(ratings.line_conductor, std, strict=True)):
        if conductor is None or not isinstance(std_type, str) or std_type in out:
            continue
        out[std_type] = (
            float(ratings.design_normal_ka[k] / per_circuit[k]),
            float(ratings.design_emergency_ka[k] / per_circuit[k]),
        )
    return out


def rate_network(
    model: NetworkModel, hourly: pd.DataFrame, elevation_m: float | None = None
) -> tuple[NetworkModel, LineRatings]:
    """The model with design line ratings from a weather year, and the hourly ratings.

    Parameters
    ----------
    model : NetworkModel
    hourly : DataFrame
        Hourly weather (``dry_bulb_c``, local standard time index), e.g.
        :attr:`gridimpact.weather.Weather.hourly`.
    elevation_m : float, optional
        Site elevation (default: the rating catalog's).

    Returns
    -------
    (NetworkModel, LineRatings)
        A new model (same POI, criteria, upgrades); ``model`` is not changed.
    """
    net = net_without_campus(model)
    ratings = hourly_line_ratings(net.line, hourly, elevation_m=elevation_m)
    rated = apply_line_ratings(net, ratings)
    rated[RATINGS_BY_TYPE_KEY] = ratings_by_type(rated, ratings)
    rated_model = model_from_net(
        rated,
        model.name,
        model.poi_bus,
        model.description,
        model.criteria,
        network=model.network,
        upgrades=model.upgrades,
    )
    return rated_model, ratings
