"""N-1 at every hour of a time series.

Reference values: ``pandapower.contingency.run_contingency`` at single hours
(loadings within 0.1 percentage points, voltages within 1e-4 pu, the
tolerances of the grid-studies issue) and :func:`gridimpact.grid.run_n1`
(ContingencyAnalysisCPP, itself cross-checked against pandapower) at the worst
hour (1e-3, same solver tolerance). Calibration facts as in ``test_grid_n1``:
150 MW at the Colossus 1 POI is N-1 secure, ~1.1 GW at one MLGW 161 kV POI is not.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandapower as pp
import pandapower.contingency as ppc
import pandas as pd
import pytest

from gridimpact.grid import (
    NetworkModel,
    TimeSeriesN1Result,
    background_load_scale,
    load_network,
    run_n1,
    run_timeseries,
    run_timeseries_n1,
)
from gridimpact.grid.contingencies import branch_outages
from gridimpact.grid.memphis import build_memphis_net
from gridimpact.grid.timeseries_n1 import INTACT_LABEL
from tests.grid_helpers import C1_POI, PF_TAN, WH_POI, section


def year_scale() -> pd.Series:
    """Background scale of a Memphis-like synthetic year (see test_grid_load_shape)."""
    idx = pd.date_range("2023-01-01", periods=8760, freq="h")
    doy, hour = idx.dayofyear.to_numpy(), idx.hour.to_numpy()
    rng = np.random.default_rng(11)
    weather = pd.Series(rng.normal(0.0, 3.0, 366)).rolling(3, min_periods=1).mean().to_numpy()
    temp = (
        16.8
        - 11.7 * np.cos(2 * np.pi * (doy - 20) / 365)
        + 5.0 * np.cos(2 * np.pi * (hour - 15) / 24)
        + weather[doy - 1]
    )
    return background_load_scale(pd.Series(temp, idx), seed=3)


@pytest.fixture(scope="module")
def c1() -> NetworkModel:
    return load_network(section(C1_POI), pathlib.Path("."))


@pytest.fixture(scope="module")
def wh() -> NetworkModel:
    return load_network(section(WH_POI), pathlib.Path("."))


@pytest.fixture(scope="module")
def scale() -> pd.Series:
    return year_scale()


@pytest.fixture(scope="module")
def c1_year(c1: NetworkModel, scale: pd.Series) -> TimeSeriesN1Result:
    p = pd.Series(136.0, scale.index)
    return run_timeseries_n1(c1, p, p * PF_TAN, scale)


def test_full_year_colossus1_is_n1_secure(c1_year: TimeSeriesN1Result) -> None:
    """Speed is measured in benchmarks/bench_solvers.py, not asserted here."""
    res = c1_year
    assert res.hours == 8760 and res.n_contingencies == 45
    assert res.wall_time_s > 0.0  # measured and reported
    assert res.hours_with_violation == 0
    assert bool(res.hourly.all_converged.all())
    assert 50.0 < res.worst_loading_percent <= 100.0
    assert res.min_vm_pu >= 0.90
    assert len(res.contingencies) == 45
    assert (res.contingencies.hours_violating == 0).all()
    assert res.worst_loading_contingency in set(res.contingencies.contingency)


def test_worst_hour_matches_run_n1(
    c1: NetworkModel, scale: pd.Series, c1_year: TimeSeriesN1Result
) -> None:
    t = c1_year.worst_loading_step
    # the hourly N-1 studies line and transformer outages (see timeseries_n1)
    outages = branch_outages(c1.topology)
    ref = run_n1(c1, 136.0, 136.0 * PF_TAN, float(scale[t]), outages=outages)
    assert c1_year.worst_loading_percent == pytest.approx(ref.worst_loading_percent, abs=1e-3)
    assert c1_year.worst_loading_branch == ref.worst_loading_branch
    assert c1_year.worst_loading_contingency == ref.worst_loading_contingency
    row = c1_year.hourly.loc[t]
    assert row.min_vm_pu == pytest.approx(ref.min_vm_pu, abs=1e-5)


def test_matches_pandapower_run_contingency_at_sample_hours(wh: NetworkModel) -> None:
    idx = pd.RangeIndex(3)
    scale = pd.Series([0.55, 0.8, 1.0], idx)
    p = pd.Series([300.0, 250.0, 200.0], idx)
    res = run_timeseries_n1(wh, p, p * PF_TAN, scale)
    for h in idx:
        net = build_memphis_net()
        net.load["p_mw"] *= scale[h]
        net.load["q_mvar"] *= scale[h]
        net.gen["p_mw"] *= scale[h]  # load-following dispatch, as the engine models it
        poi = int(net.bus.index[net.bus.name == WH_POI][0])
        pp.create_load(net, poi, p_mw=p[h], q_mvar=p[h] * PF_TAN)
        net.line["max_loading_percent"] = 100.0
        net.trafo["max_loading_percent"] = 100.0
        cases = {
            "line": {"index": net.line.index.tolist()},
            "trafo": {"index": net.trafo.index.tolist()},
        }
        ref = ppc.run_contingency(net, cases, numba=False, tolerance_mva=1e-9)
        ref_max = max(
            np.nanmax(ref["line"]["max_loading_percent"]),
            np.nanmax(ref["trafo"]["max_loading_percent"]),
        )
        row = res.hourly.loc[h]
        assert row.max_loading_percent == pytest.approx(ref_max, abs=0.1)
        assert row.min_vm_pu == pytest.approx(np.nanmin(ref["bus"]["min_vm_pu"]), abs=1e-4)
        assert row.max_vm_pu == pytest.approx(np.nanmax(ref["bus"]["max_vm_pu"]), abs=1e-4)
        assert row.n1_violation == (ref_max > 100.0)


def test_gigawatt_at_whitehaven_161kv_violates_every_hour(wh: NetworkModel) -> None:
    idx = pd.date_range("2023-07-01", periods=24, freq="h")
    p = pd.Series(1950.0, idx)
    res = run_timeseries_n1(wh, p, p * PF_TAN, pd.Series(0.8, idx))
    assert res.hours_with_violation == 24
    assert res.worst_loading_percent > 300.0
    # the intact case already breaks the N-1 criteria at every hour: no outage is solved,
    # and the hour's worst values are the intact case's own (a lower bound)
    assert bool(res.hourly.base_exceeds_n1.all())
    assert set(res.hourly.max_loading_contingency) == {INTACT_LABEL}
    direct = run_timeseries(wh, p, p * PF_TAN, pd.Series(0.8, idx))
    assert res.worst_loading_percent == pytest.approx(direct.worst_loading_percent, abs=1e-9)


def test_divergent_hour_is_a_violation_not_a_crash(c1: NetworkModel) -> None:
    idx = pd.RangeIndex(5)
    p = pd.Series([150.0, 150.0, 1.0e5, 150.0, 150.0], idx)
    res = run_timeseries_n1(c1, p, p * 0.3, pd.Series(0.9, idx), workers=1)
    assert list(res.hourly.n1_violation) == [False, False, True, False, False]
    assert not res.hourly.all_converged[2] and res.hourly.all_converged[3]
    assert np.isnan(res.hourly.max_loading_percent[2])
    assert res.hourly.max_loading_branch[2] == ""


def test_workers_do_not_change_results(c1: NetworkModel) -> None:
    idx = pd.RangeIndex(48)
    rng = np.random.default_rng(1)
    p = pd.Series(100.0 + 100.0 * rng.random(48), idx)
    s = pd.Series(0.5 + 0.5 * rng.random(48), idx)
    a = run_timeseries_n1(c1, p, p * PF_TAN, s, workers=1)
    b = run_timeseries_n1(c1, p, p * PF_TAN, s, workers=2)
    pd.testing.assert_frame_equal(a.hourly, b.hourly)


def test_run_timeseries_n1_flag(c1: NetworkModel) -> None:
    idx = pd.RangeIndex(3)
    p = pd.Series([100.0, 150.0, 200.0], idx)
    plain = run_timeseries(c1, p, p * PF_TAN, pd.Series(1.0, idx))
    assert plain.n1 is None
    both = run_timeseries(c1, p, p * PF_TAN, pd.Series(1.0, idx), n1=True)
    assert both.n1 is not None and both.n1.hours == 3
    assert both.n1.hourly.index.equals(both.hourly.index)
    # post-contingency loading is never below the intact one at the same hour
    assert (both.n1.hourly.max_loading_percent >= both.hourly.max_loading_percent - 1e-9).all()


def test_islanding_outage_counts_every_hour(tmp_path: pathlib.Path) -> None:
    net = build_memphis_net()
    radial = pp.create_bus(net, vn_kv=161.0, name="Radial 161kV")
    pp.create_line(net, 8, radial, 5.0, "ACSR 795 Drake 161kV", name="radial tap")
    pp.to_json(net, str(tmp_path / "radial.json"))
    model = load_network(section("Radial 161kV", network="radial.json"), tmp_path)
    idx = pd.RangeIndex(6)
    p = pd.Series(50.0, idx)
    res = run_timeseries_n1(model, p, p * 0.2, pd.Series(0.9, idx))
    row = res.contingencies.set_index("contingency").loc["radial tap"]
    assert row.islanded_buses == 1 and row.hours_violating == 6
    assert np.isnan(row.max_loading_percent)
    assert res.hours_with_violation == 6
    assert not res.hourly.all_converged.any()
