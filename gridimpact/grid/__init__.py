"""Grid studies: network loading, N-0/N-1 AC power flow, short circuit, hosting, time series.

The pandapower network never leaves this package; studies return frozen
dataclasses of scalars and DataFrames. One AC power-flow engine
(:mod:`gridimpact.grid.engine`, lightsim2grid's C++ grid model with KLU) serves
every study except the IEC 60909 short circuit (pandapower).
"""

from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.hosting import HostingResult, hosting_by_poi, hosting_capacity, q_from_pf
from gridimpact.grid.load_shape import background_load_scale
from gridimpact.grid.model import NetworkModel, load_network, with_poi
from gridimpact.grid.n0 import N0Result, background_load_mw, run_n0
from gridimpact.grid.n1 import N1Result, run_n1
from gridimpact.grid.parameters import network_parameters
from gridimpact.grid.screening import UpgradeScreeningResult, screen_upgrades
from gridimpact.grid.shortcircuit import ShortCircuitResult, run_short_circuit
from gridimpact.grid.timeseries import (
    TimeSeriesN1Result,
    TimeSeriesResult,
    run_timeseries,
    run_timeseries_n1,
)
from gridimpact.grid.upgrades import available_upgrades

__all__ = [
    "GridCriteria",
    "HostingResult",
    "N0Result",
    "N1Result",
    "NetworkModel",
    "ShortCircuitResult",
    "TimeSeriesN1Result",
    "TimeSeriesResult",
    "UpgradeScreeningResult",
    "available_upgrades",
    "background_load_mw",
    "background_load_scale",
    "hosting_by_poi",
    "hosting_capacity",
    "load_network",
    "network_parameters",
    "q_from_pf",
    "run_n0",
    "run_n1",
    "run_short_circuit",
    "run_timeseries",
    "run_timeseries_n1",
    "screen_upgrades",
    "with_poi",
]
