"""Grid studies: network loading, N-0/N-1 AC power flow, short circuit, hosting, time series.

The pandapower network never leaves this package; studies return frozen
dataclasses of scalars and DataFrames. One AC power-flow engine
(:mod:`gridimpact.grid.engine`, lightsim2grid's C++ grid model with KLU) serves
every study except the IEC 60909 short circuit (pandapower).
"""

from gridimpact.grid.criteria import GridCriteria
from gridimpact.grid.hosting import HostingResult, hosting_capacity, q_from_pf
from gridimpact.grid.model import NetworkModel, load_network
from gridimpact.grid.n0 import N0Result, background_load_mw, run_n0
from gridimpact.grid.n1 import N1Result, run_n1
from gridimpact.grid.shortcircuit import ShortCircuitResult, run_short_circuit
from gridimpact.grid.timeseries import TimeSeriesResult, run_timeseries
from gridimpact.grid.upgrades import available_upgrades

__all__ = [
    "GridCriteria",
    "HostingResult",
    "N0Result",
    "N1Result",
    "NetworkModel",
    "ShortCircuitResult",
    "TimeSeriesResult",
    "available_upgrades",
    "background_load_mw",
    "hosting_capacity",
    "load_network",
    "q_from_pf",
    "run_n0",
    "run_n1",
    "run_short_circuit",
    "run_timeseries",
]
