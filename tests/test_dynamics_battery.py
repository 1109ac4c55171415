"""Battery model: losses, SOC control, rainflow cycles, Miner damage, sizing.

Reference values are computed by hand in each test, independently of the model:
square waves have closed-form energy swings, loss-recovery biases and cycle counts.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from gridimpact.case.onsite import OnsiteSection
from gridimpact.data import read_data_toml
from gridimpact.dynamics.battery import (
    BatteryParameters,
    cycle_damage,
    cycles_to_end_of_life,
    equivalent_full_cycles,
    internal_energy_mwh,
    rainflow_cycles,
    size_battery,
    soc_trace,
)
from gridimpact.dynamics.storage import storage_energy_mwh

FS_HZ = 20.0
WINDOW_S = 600.0
N_SAMPLES = int(WINDOW_S * FS_HZ)

# Tolerances
FLOAT_REL = 1e-9  # closed-form identities evaluated in floating point
BIAS_REL = 1e-9  # loss-recovery bias (Brent solve to ~1e-12 of the power scale)
ENERGY_REL = 1e-4  # sizing energies (Brent solve on energy, rtol 1e-6, plus fixed points)
LIFE_REL = 0.01  # brief: cycle life equals design life within 1 %

PARAMS = BatteryParameters(
    roundtrip_efficiency=0.81,  # 0.9 each way: round numbers for the hand calculations
    standby_loss_fraction_per_h=0.0,
    max_c_rate_per_h=4.0,
    soc_min=0.05,
    soc_max=0.95,
    cycle_life_full_cycles=6000.0,
    cycle_life_reference_dod=0.8,
    cycle_life_exponent=1.1,
    design_life_years=15.0,
)


def square_wave_mw(amplitude_mw: float, period_s: float) -> np.ndarray:
    """+A for the first half of each period (discharge), -A for the second half."""
    n_half = round(period_s * FS_HZ / 2.0)
    one_period = np.concatenate((np.full(n_half, amplitude_mw), np.full(n_half, -amplitude_mw)))
    reps = N_SAMPLES // one_period.size
    assert reps * one_period.size == N_SAMPLES
    return np.tile(one_period, reps)


def hand_bias_mw(amplitude_mw: float, rte: float) -> float:
    """Bias b with eta (A + b) = (A - b) / eta for a symmetric square wave (eta = sqrt rte)."""
    return amplitude_mw * (1.0 - rte) / (1.0 + rte)


# --------------------------------------------------------------------------- rainflow


def test_rainflow_reproduces_astm_e1049_example() -> None:
    # ASTM E1049-85 Fig. 6 / §5.4.4 example (also the rainflow package's own test):
    # ranges 3 (half), 4 (one and a half), 6 (half), 8 (one), 9 (half).
    series = [-2, 1, -3, 5, -1, 3, -4, 4, -2]
    ranges, counts = rainflow_cycles(series)
    table: dict[float, float] = {}
    for r, c in zip(ranges, counts, strict=True):
        table[float(r)] = table.get(float(r), 0.0) + float(c)
    assert table == {3.0: 0.5, 4.0: 1.5, 6.0: 0.5, 8.0: 1.0, 9.0: 0.5}

    # EFC = sum(count * range) = 3*0.5 + 4*1.5 + 6*0.5 + 8*1 + 9*0.5 = 23
    assert equivalent_full_cycles(series) == pytest.approx(23.0, rel=FLOAT_REL)

    # Miner with N(d) = 1000 * (d / 1)^-2, on the series scaled by 1/10 (ranges 0.3 ... 0.9):
    # D = (0.5*0.09 + 1.5*0.16 + 0.5*0.36 + 1*0.64 + 0.5*0.81) / 1000 = 1.51e-3
    params = dataclasses.replace(
        PARAMS,
        cycle_life_full_cycles=1000.0,
        cycle_life_reference_dod=1.0,
        cycle_life_exponent=2.0,
    )
    scaled = [x / 10.0 for x in series]
    assert cycle_damage(scaled, params) == pytest.approx(1.51e-3, rel=FLOAT_REL)


def test_cycles_to_end_of_life_woehler_curve() -> None:
    # N(d_ref) = N_ref; N(d_ref / 2) = N_ref * 2^k; N(0) = inf
    n = cycles_to_end_of_life([0.8, 0.4, 0.0], PARAMS)
    assert n[0] == pytest.approx(6000.0, rel=FLOAT_REL)
    assert n[1] == pytest.approx(6000.0 * 2.0**1.1, rel=FLOAT_REL)
    assert math.isinf(n[2])


# --------------------------------------------------------------------------- energy, losses


def test_lossless_battery_reproduces_storage_energy() -> None:
    t = np.arange(N_SAMPLES) / FS_HZ
    p = 300.0 * np.sin(2 * np.pi * t / 2.0) + 80.0 * np.sin(2 * np.pi * t / 37.0 + 0.3)
    p = p - p.mean()  # zero mean: the SOC controller adds no bias
    lossless = dataclasses.replace(PARAMS, roundtrip_efficiency=1.0)

    delta = internal_energy_mwh(p, FS_HZ, lossless)
    cumulative = np.concatenate(([0.0], np.cumsum(p))) / FS_HZ / 3600.0
    np.testing.assert_allclose(delta, -cumulative, rtol=0.0, atol=1e-12)
    assert float(np.ptp(delta)) == pytest.approx(storage_energy_mwh(p, FS_HZ), rel=FLOAT_REL)

    sizing = size_battery(p, FS_HZ, lossless, operating_hours_per_year=1.0)
    assert sizing.energy_soc_window_mwh == pytest.approx(
        storage_energy_mwh(p, FS_HZ) / 0.9, rel=ENERGY_REL
    )
    assert sizing.loss_mwh_per_year == pytest.approx(0.0, abs=1e-9)


def test_square_wave_losses_and_swing_by_hand() -> None:
    a_mw, eta = 100.0, 0.9  # rte 0.81
    p = square_wave_mw(a_mw, period_s=2.0)
    trace = soc_trace(p, FS_HZ, PARAMS, nameplate_energy_mwh=1.0)

    # Bias: eta (A + b) = (A - b) / eta  ->  b = A (1 - eta^2) / (1 + eta^2) = 100 * 0.19 / 1.81
    b = a_mw * 0.19 / 1.81
    assert trace.bias_mw == pytest.approx(b, rel=BIAS_REL)

    # Terminal energy over 600 s: discharge (A - b) for 300 s, charge (A + b) for 300 s
    e_dis = (a_mw - b) * 300.0 / 3600.0
    e_chg = (a_mw + b) * 300.0 / 3600.0
    assert trace.discharged_mwh == pytest.approx(e_dis, rel=BIAS_REL)
    assert trace.charged_mwh == pytest.approx(e_chg, rel=BIAS_REL)

    # Losses: (1/eta - 1) E_dis on discharge + (1 - eta) E_chg on charge, = b * 600 s
    loss = (1.0 / eta - 1.0) * e_dis + (1.0 - eta) * e_chg
    assert trace.loss_mwh == pytest.approx(loss, rel=BIAS_REL)
    assert trace.loss_mwh == pytest.approx(b * 600.0 / 3600.0, rel=BIAS_REL)
    assert trace.loss_mw_average == pytest.approx(b, rel=BIAS_REL)

    # Swing: one half period (1 s) of discharge drawn from storage at (A - b) / eta
    swing_mwh = (a_mw - b) / eta * 1.0 / 3600.0
    assert float(np.ptp(trace.soc)) * 1.0 == pytest.approx(swing_mwh, rel=BIAS_REL)
    # the SOC returns to its start after the window (loss drift recovered)
    assert trace.soc[-1] == pytest.approx(trace.soc[0], abs=1e-9)
    # centred in the window: max + min = soc_min + soc_max
    assert trace.soc.max() + trace.soc.min() == pytest.approx(1.0, rel=FLOAT_REL)


def test_standby_loss_is_recovered_by_the_bias() -> None:
    # Lossless conversion, standby 1 %/h of 10 MWh = 0.1 MW: the bias equals it
    params = dataclasses.replace(PARAMS, roundtrip_efficiency=1.0, standby_loss_fraction_per_h=0.01)
    p = square_wave_mw(50.0, period_s=2.0)
    trace = soc_trace(p, FS_HZ, params, nameplate_energy_mwh=10.0)
    assert trace.bias_mw == pytest.approx(0.1, rel=BIAS_REL)
    assert trace.standby_loss_mwh == pytest.approx(0.1 * 600.0 / 3600.0, rel=FLOAT_REL)
    assert trace.conversion_loss_mwh == pytest.approx(0.0, abs=1e-12)
    assert trace.soc[-1] == pytest.approx(trace.soc[0], abs=1e-9)


def test_loss_average_is_bias_minus_mean_power() -> None:
    # Energy conservation with the SOC back at its start: grid loss power = b - mean(P)
    rng = np.random.default_rng(7)
    p = 40.0 + 200.0 * rng.standard_normal(N_SAMPLES)
    params = dataclasses.replace(PARAMS, standby_loss_fraction_per_h=0.002)
    trace = soc_trace(p, FS_HZ, params, nameplate_energy_mwh=5.0)
    assert trace.loss_mw_average == pytest.approx(trace.bias_mw - p.mean(), rel=1e-7)


def test_initial_soc_is_honoured() -> None:
    p = square_wave_mw(10.0, period_s=2.0)
    trace = soc_trace(p, FS_HZ, PARAMS, nameplate_energy_mwh=1.0, initial_soc=0.5)
    assert trace.soc[0] == 0.5


# --------------------------------------------------------------------------- cycles, damage


def test_square_wave_cycles_and_damage_by_hand() -> None:
    a_mw, eta, e_nom = 100.0, 0.9, 1.0
    p = square_wave_mw(a_mw, period_s=2.0)
    trace = soc_trace(p, FS_HZ, PARAMS, e_nom)
    b = a_mw * 0.19 / 1.81
    d = (a_mw - b) / eta / 3600.0 / e_nom  # SOC range of every swing

    # The SOC is a triangle wave: start at the top, 300 periods, 601 reversal points.
    # As given (not periodic): 600 ranges of d, each a half cycle -> sum of counts 300.
    ranges, counts = rainflow_cycles(trace.soc)
    assert float(np.sum(counts)) == 300.0
    np.testing.assert_allclose(ranges, d, rtol=1e-9)
    # Periodic: the 300 periods close into 300 full cycles of range d.
    ranges_p, counts_p = rainflow_cycles(trace.soc, periodic=True)
    assert float(np.sum(counts_p)) == 300.0
    np.testing.assert_allclose(ranges_p, d, rtol=1e-9)

    # EFC = 300 d; damage = 300 / N(d), N(d) = 6000 (d / 0.8)^-1.1
    assert equivalent_full_cycles(trace.soc) == pytest.approx(300.0 * d, rel=1e-9)
    n_d = 6000.0 * (d / 0.8) ** -1.1
    assert cycle_damage(trace.soc, PARAMS) == pytest.approx(300.0 / n_d, rel=1e-9)
    assert cycle_damage(trace.soc, PARAMS, periodic=True) == pytest.approx(300.0 / n_d, rel=1e-9)


# --------------------------------------------------------------------------- sizing


def test_c_rate_binds_for_large_power_and_tiny_swing() -> None:
    # +-100 MW alternating every sample (0.1 s period): swing ~1.4 kWh, power 110 MW
    a_mw = 100.0
    p = square_wave_mw(a_mw, period_s=0.1)
    sizing = size_battery(p, FS_HZ, PARAMS, operating_hours_per_year=100.0)
    # power = A + b = 2 A / (1 + eta^2) = 200 / 1.81; energy = power / 4
    power = 2.0 * a_mw / 1.81
    assert sizing.binding == "c_rate"
    assert sizing.power_mw == pytest.approx(power, rel=BIAS_REL)
    assert sizing.energy_mwh == pytest.approx(power / 4.0, rel=ENERGY_REL)
    assert sizing.c_rate_per_h == pytest.approx(4.0, rel=ENERGY_REL)
    assert sizing.cycle_life_years > 15.0


def test_soc_window_binds_for_slow_swing() -> None:
    # +1 MW for 300 s then -1 MW for 300 s: one deep cycle a window, run 1 h/yr
    a_mw, eta = 1.0, 0.9
    p = square_wave_mw(a_mw, period_s=600.0)
    params = dataclasses.replace(PARAMS, max_c_rate_per_h=100.0)
    sizing = size_battery(p, FS_HZ, params, operating_hours_per_year=1.0)
    b = a_mw * 0.19 / 1.81
    swing_mwh = (a_mw - b) / eta * 300.0 / 3600.0
    assert sizing.binding == "soc_window"
    assert sizing.energy_mwh == pytest.approx(swing_mwh / 0.9, rel=ENERGY_REL)
    trace = soc_trace(p, FS_HZ, params, sizing.energy_mwh)
    assert trace.soc.min() == pytest.approx(0.05, abs=1e-4)
    assert trace.soc.max() == pytest.approx(0.95, abs=1e-4)
    # 6 windows a year, each one full cycle of range 0.9 -> 5.4 EFC/yr
    assert sizing.full_cycles_per_year == pytest.approx(6.0 * 0.9, rel=ENERGY_REL)


def test_cycle_life_binds_for_the_training_waveform() -> None:
    # +-500 MW, 2 s period, 4000 h/yr, rte 0.85, no standby: all by hand
    a_mw, rte, hours = 500.0, 0.85, 4000.0
    params = dataclasses.replace(PARAMS, roundtrip_efficiency=rte)
    eta = math.sqrt(rte)
    b = hand_bias_mw(a_mw, rte)
    swing_mwh = (a_mw - b) / eta * 1.0 / 3600.0
    cycles_per_year = hours * 3600.0 / 2.0
    # cycles_per_year * (d / 0.8)^1.1 / 6000 = 1 / 15
    depth = 0.8 * (6000.0 / (15.0 * cycles_per_year)) ** (1.0 / 1.1)
    energy = swing_mwh / depth

    p = square_wave_mw(a_mw, period_s=2.0)
    sizing = size_battery(p, FS_HZ, params, operating_hours_per_year=hours)
    assert sizing.binding == "cycle_life"
    assert sizing.energy_mwh == pytest.approx(energy, rel=ENERGY_REL)
    assert sizing.cycle_life_years == pytest.approx(15.0, rel=LIFE_REL)
    assert sizing.full_cycles_per_year == pytest.approx(cycles_per_year * depth, rel=ENERGY_REL)
    assert sizing.throughput_mwh_per_year == pytest.approx((a_mw - b) * hours / 2.0, rel=BIAS_REL)
    assert sizing.loss_mw_average == pytest.approx(b, rel=BIAS_REL)
    assert sizing.loss_mwh_per_year == pytest.approx(b * hours, rel=BIAS_REL)
    assert sizing.energy_mwh == max(
        sizing.energy_soc_window_mwh, sizing.energy_c_rate_mwh, sizing.energy_cycle_life_mwh
    )

    # Doubling the cycling grows the energy by 2^(1/k) (damage per year ~ E^-k)
    doubled = size_battery(p, FS_HZ, params, operating_hours_per_year=2.0 * hours)
    assert doubled.energy_mwh > sizing.energy_mwh
    assert doubled.energy_mwh / sizing.energy_mwh == pytest.approx(2.0 ** (1 / 1.1), rel=1e-3)


def test_cycle_life_solution_with_standby_loss() -> None:
    params = dataclasses.replace(PARAMS, standby_loss_fraction_per_h=0.001)
    p = square_wave_mw(300.0, period_s=2.0)
    sizing = size_battery(p, FS_HZ, params, operating_hours_per_year=6000.0)
    assert sizing.binding == "cycle_life"
    assert sizing.cycle_life_years == pytest.approx(params.design_life_years, rel=LIFE_REL)
    # standby adds s * E on top of the conversion-loss bias
    conversion_only = hand_bias_mw(300.0, 0.81)
    assert sizing.loss_mw_average > conversion_only


def test_idle_waveform_needs_no_battery() -> None:
    sizing = size_battery(np.zeros(100), FS_HZ, PARAMS, operating_hours_per_year=8000.0)
    assert sizing.energy_mwh == 0.0
    assert sizing.power_mw == 0.0
    assert math.isinf(sizing.cycle_life_years)


# --------------------------------------------------------------------------- data, inputs


def test_defaults_from_data_file_and_case() -> None:
    from_toml = BatteryParameters.from_values(read_data_toml("dynamics.toml")["onsite"])
    onsite = OnsiteSection()
    names = [name for name in type(onsite).model_fields if name.startswith("bess_")]
    from_case = BatteryParameters.from_values({name: getattr(onsite, name) for name in names})
    assert from_toml == from_case
    assert from_toml.roundtrip_efficiency == 0.85


def test_from_values_names_a_missing_key() -> None:
    with pytest.raises(ValueError, match="bess_design_life_years"):
        BatteryParameters.from_values({"bess_roundtrip_efficiency": 0.85})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("roundtrip_efficiency", 0.0),
        ("roundtrip_efficiency", 1.2),
        ("roundtrip_efficiency", math.nan),
        ("standby_loss_fraction_per_h", -0.1),
        ("max_c_rate_per_h", 0.0),
        ("soc_max", 1.5),
        ("soc_min", -0.1),
        ("cycle_life_full_cycles", 0.0),
        ("cycle_life_reference_dod", 0.0),
        ("cycle_life_exponent", -1.0),
        ("design_life_years", math.inf),
    ],
)
def test_invalid_parameters_raise(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        dataclasses.replace(PARAMS, **{name: value})


def test_soc_window_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="soc_min"):
        dataclasses.replace(PARAMS, soc_min=0.6, soc_max=0.4)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"storage_mw": np.array([1.0, np.nan, 2.0])}, "storage_mw"),
        ({"storage_mw": np.array([1.0])}, "storage_mw"),
        ({"sample_rate_hz": 0.0}, "sample_rate_hz"),
        ({"operating_hours_per_year": -1.0}, "operating_hours_per_year"),
        ({"operating_hours_per_year": 9000.0}, "operating_hours_per_year"),
    ],
)
def test_invalid_sizing_inputs_raise(kwargs: dict[str, object], name: str) -> None:
    args: dict[str, object] = {
        "storage_mw": square_wave_mw(10.0, 2.0),
        "sample_rate_hz": FS_HZ,
        "params": PARAMS,
        "operating_hours_per_year": 8000.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        size_battery(**args)  # type: ignore[arg-type]


def test_invalid_soc_trace_inputs_raise() -> None:
    p = square_wave_mw(10.0, 2.0)
    with pytest.raises(ValueError, match="nameplate_energy_mwh"):
        soc_trace(p, FS_HZ, PARAMS, nameplate_energy_mwh=0.0)
    with pytest.raises(ValueError, match="initial_soc"):
        soc_trace(p, FS_HZ, PARAMS, nameplate_energy_mwh=1.0, initial_soc=1.5)
    with pytest.raises(ValueError, match="soc"):
        rainflow_cycles([0.1, math.nan, 0.3])
