"""The largest campus a POI hosts (:func:`gridimpact.capacity.max_gpus`).

Hand checks through the case's own chain (:func:`campus_load`: IT → cooling →
facility): the facility peak at ``max_gpus_n1`` is within the N-1 hosting capacity and
one resolution step above it is not; without a battery the count is never larger;
where flicker binds (a weakened POI), the dynamics stage itself (:func:`run_dynamics`)
finds the count within the allocated limits and the next one outside; each screened
option of the 1M case gets its own count the same way.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from gridimpact.capacity import (
    MaxGpus,
    StudyInputs,
    campus_load,
    largest_feasible,
    max_gpus,
    resolution_gpus,
    study_inputs,
)
from gridimpact.case import load_case
from gridimpact.compute.workload import campus_gpu_peak_mw
from gridimpact.dynamics.poi import PoiSupply
from gridimpact.dynamics.stage import run_dynamics
from gridimpact.grid import HostingResult, hosting_capacity, q_from_pf, screen_upgrades
from gridimpact.grid.attribution import poi_supply_capacity_mva
from gridimpact.grid.sc_defaults import run_short_circuit_filled
from gridimpact.grid.shortcircuit import ShortCircuitResult
from tests.conftest import CASE_1M, CASE_100K


class Case100k:
    def __init__(self) -> None:
        self.loaded = load_case(CASE_100K)
        self.inputs = study_inputs(self.loaded)
        network = self.inputs.network
        self.hosting = hosting_capacity(network, self.loaded.case.facility.power_factor.value)
        self.sc_min = run_short_circuit_filled(network, self.inputs.facility.peak_mw, case="min")
        self.supply_mva = poi_supply_capacity_mva(network.topology, network.poi_index)

    def run(self, sc_min: ShortCircuitResult | None = None) -> MaxGpus:
        return max_gpus(
            self.loaded,
            self.inputs.weather,
            self.hosting,
            sc_min or self.sc_min,
            self.supply_mva,
            reference=(self.inputs.it, self.inputs.facility),
        )

    def peak_mw(self, gpus: int) -> float:
        return campus_load(self.loaded, self.inputs.weather, gpus)[1].peak_mw


@pytest.fixture(scope="module")
def c100k() -> Case100k:
    return Case100k()


@pytest.fixture(scope="module")
def result(c100k: Case100k) -> MaxGpus:
    return c100k.run()


def test_n1_boundary_by_hand(c100k: Case100k, result: MaxGpus) -> None:
    host = c100k.hosting.mw_n1
    n = result.max_gpus_n1
    step = resolution_gpus(n)
    assert result.resolution_gpus == step == max(math.ceil(0.005 * n), 1000)
    assert c100k.peak_mw(n) <= host
    assert c100k.peak_mw(n + step) > host
    lo, hi = result.bracket_n1
    assert lo == n and 0 < hi - lo <= step and c100k.peak_mw(hi) > host
    assert result.facility_peak_mw_at_max == c100k.peak_mw(n)
    # near the linear estimate, not on it: the chain is slightly nonlinear
    linear = 100_000 * host / c100k.inputs.facility.peak_mw
    assert abs(n - linear) < 0.02 * linear
    assert 100_000 < n < 125_000  # the case's campus fits with room (~157 MW N-1)
    assert result.headline == {
        "max_gpus": n,
        "max_gpus_without_bess": result.max_gpus_n1_without_bess,
        "max_gpus_by_option": {},
    }


def test_without_battery_never_more(result: MaxGpus) -> None:
    assert result.max_gpus_n1_without_bess <= result.max_gpus_n1
    # a strong POI (SCR ~68): the grid, not flicker, stops the 100k case
    assert result.binding_without_bess == "N-1 hosting"
    assert result.max_gpus_n1_without_bess == result.max_gpus_n1
    assert result.max_gpus_flicker > result.max_gpus_n1
    assert "N-1 hosting capacity of Colossus1 POI 161kV" in result.limit


def test_no_hosting_means_no_gpus(c100k: Case100k) -> None:
    c100k_none = Case100k.__new__(Case100k)
    c100k_none.__dict__.update(c100k.__dict__)
    c100k_none.hosting = dataclasses.replace(c100k.hosting, mw_n1=0.0)
    res = c100k_none.run()
    assert res.max_gpus_n1 == res.max_gpus_n1_without_bess == 0
    assert res.bracket_n1[1] <= resolution_gpus(0)


def _within_limits(c100k: Case100k, gpus: int, sc: ShortCircuitResult) -> bool:
    """The dynamics stage's flicker verdict for ``gpus`` GPUs at the POI."""
    case = c100k.loaded
    it, facility = campus_load(case, c100k.inputs.weather, gpus)
    gpu_mw = campus_gpu_peak_mw(
        gpus, it.system.gpu_tdp_w.value, case.case.workload.compute_power_fraction.value
    )
    dyn = run_dynamics(
        case.case.workload,
        case.case.onsite,
        gpu_power_peak_mw=gpu_mw,
        facility_hour_mw=facility.peak_mw,
        facility_hourly_mw=facility.hourly["facility_power_mw"],
        poi=PoiSupply(sc.sk_mva, sc.x_over_r, sc.poi_vn_kv, 1.0, 1.0, c100k.supply_mva),
    )
    return dyn.power_quality.flicker_within_limits


def test_flicker_binds_at_a_weak_poi(c100k: Case100k) -> None:
    weak = dataclasses.replace(c100k.sc_min, sk_mva=c100k.sc_min.sk_mva / 10.0)
    res = c100k.run(weak)
    assert res.max_gpus_n1 == c100k.run().max_gpus_n1  # the grid criteria do not change
    assert res.binding_without_bess == "flicker"
    lo, hi = res.bracket_without_bess
    assert lo == res.max_gpus_n1_without_bess < res.max_gpus_n1
    assert 0 < hi - lo <= resolution_gpus(lo)
    assert _within_limits(c100k, lo, weak)
    assert not _within_limits(c100k, hi, weak)


def test_1m_case_screened_options() -> None:
    loaded = load_case(CASE_1M)
    inputs: StudyInputs = study_inputs(loaded)
    network, pf = inputs.network, loaded.case.facility.power_factor.value
    peak = inputs.facility.peak_mw
    screening = screen_upgrades(
        network, peak, q_from_pf(peak, pf), candidate_poi_buses=loaded.case.grid.candidate_poi_buses
    )
    options = screening.options
    hosting: HostingResult = hosting_capacity(network, pf)
    res = max_gpus(
        loaded,
        inputs.weather,
        hosting,
        run_short_circuit_filled(network, peak, case="min"),
        poi_supply_capacity_mva(network.topology, network.poi_index),
        options=options,
        reference=(inputs.it, inputs.facility),
    )
    assert set(res.by_option) == set(options.option)
    assert res.by_option["none"] == res.max_gpus_n1
    for row in options.itertuples(index=False):
        n = res.by_option[row.option]
        assert campus_load(loaded, inputs.weather, n)[1].peak_mw <= row.hosting_n1_mw
        above = campus_load(loaded, inputs.weather, n + resolution_gpus(n))[1].peak_mw
        assert above > row.hosting_n1_mw, row.option
    # the 500 kV loop (recommended) hosts the million GPUs, Whitehaven POI 161 kV ~5 %
    assert res.by_option["whitehaven_500kv_loop"] > 1_000_000
    assert res.max_gpus_n1 < 60_000
    assert res.max_gpus_n1_without_bess <= res.max_gpus_n1


def test_largest_feasible_on_a_known_root() -> None:
    root = 123_456.7
    lo, hi = largest_feasible(lambda n: math.log(root / n), 50_000)
    assert lo <= root < hi and hi - lo <= resolution_gpus(lo)
    lo, hi = largest_feasible(lambda n: -math.inf, 10_000)
    assert lo == 0 and 0 < hi <= 1_000
    assert largest_feasible(lambda n: 1.0, 10, upper=5_000) == (5_000, 5_001)
    # NaN is infeasible
    lo, hi = largest_feasible(lambda n: math.nan if n > 7_777 else 1.0, 20_000)
    assert lo <= 7_777 < hi
