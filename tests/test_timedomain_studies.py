"""Time-domain studies on ANDES: hand-solved machines, ANDES' own known results, ride-through.

References used by the tests:

* Kundur, *Power System Stability and Control*, 1994, §12.3 and Example 12.2 (classical
  machine on an infinite bus: ``ωn = sqrt(ω0 Ks / 2H)``, ``Ks = E' EB cos δ0 / XT``);
  §11.1 (swing equation: initial RoCoF ``ΔP f0 / (2 ΣH Sn)``; governor droop
  ``Δf = ΔP / β``, ``β = Σ Sn / (R f0)``).
* ANDES' test suite, ``tests/test_known_good.py`` (github.com/CURENT/andes): IEEE 14-bus
  with the bus-9 fault (``ieee14/ieee14_fault.json``), GENROU speed, mechanical power and
  field voltage at t = 2 s against ``tests/pkl/ieee14_fault_2s.pkl`` (``decimal=2``).
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from gridimpact.dynamics.load_loss import frequency_deviation_hz
from gridimpact.dynamics.timedomain.events import (
    ENGINE,
    rocof_hz_per_s,
    run_fault_ride_through,
    run_forced_oscillation,
    run_load_loss,
    run_time_domain_studies,
    tone_amplitude,
)
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.dynamics.timedomain.modes import electromechanical_modes, swing_mode_separation
from gridimpact.dynamics.timedomain.results import TimeDomainResult
from gridimpact.dynamics.timedomain.ride_through import (
    RideThroughCurve,
    RideThroughTier,
    load_tripped,
)
from tests.timedomain_helpers import andes_case_model, smib_model, two_machine_model

OMEGA0 = 2 * math.pi * 60.0

# ---------------------------------------------------------------- ride-through (pure)

UPS = RideThroughTier("UPS transfer", voltage_pu=0.8, max_duration_s=0.05, load_share=0.5)
PSU = RideThroughTier("PSU drop-out", voltage_pu=0.5, max_duration_s=0.2, load_share=0.3,
                      returns=True, return_delay_s=2.0)
CURVE = RideThroughCurve((UPS, PSU), source="test")


def _dip(depth_pu: float, t_on: float, t_off: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0.0, 2.0, 2001)  # 1 ms samples
    v = np.where((t >= t_on) & (t < t_off), depth_pu, 1.0)
    return t, v


def test_ride_through_short_shallow_dip_trips_nothing() -> None:
    t, v = _dip(0.85, 1.0, 1.5)  # above both thresholds
    mw, times = load_tripped(t, v, CURVE, 1000.0)
    assert mw == 0.0 and times == (None, None)


def test_ride_through_dip_between_tiers() -> None:
    # 0.6 pu for 100 ms: below 0.8 for longer than 50 ms (UPS trips at 1.0 + 0.05 s),
    # never below 0.5 (PSU rides through): 0.5 x 1000 MW.
    t, v = _dip(0.6, 1.0, 1.1)
    mw, times = load_tripped(t, v, CURVE, 1000.0)
    assert mw == pytest.approx(500.0)
    assert times[0] == pytest.approx(1.05, abs=2e-3) and times[1] is None


def test_ride_through_deep_long_dip_trips_both() -> None:
    t, v = _dip(0.2, 1.0, 1.3)  # 300 ms at 0.2 pu: both tiers, PSU at 1.0 + 0.2 s
    mw, times = load_tripped(t, v, CURVE, 1000.0)
    assert mw == pytest.approx(800.0)
    assert times[1] == pytest.approx(1.2, abs=2e-3)


def test_ride_through_dip_exactly_at_limit_rides_through() -> None:
    t, v = _dip(0.2, 1.0, 1.04)  # 40 ms < 50 ms: nothing trips
    assert load_tripped(t, v, CURVE, 1000.0)[0] == 0.0


def test_ride_through_two_short_dips_do_not_add_up() -> None:
    t = np.linspace(0.0, 2.0, 2001)
    v = np.where(((t >= 1.0) & (t < 1.04)) | ((t >= 1.1) & (t < 1.14)), 0.7, 1.0)
    assert load_tripped(t, v, CURVE, 1000.0)[0] == 0.0


def test_ride_through_curve_rejects_shares_above_one() -> None:
    with pytest.raises(ValueError, match="sum"):
        RideThroughCurve((UPS, PSU, RideThroughTier("x", 0.9, 0.1, 0.4)))


# ---------------------------------------------------------------- pure metrics


def test_rocof_of_a_ramp_and_tone_amplitude() -> None:
    t = np.linspace(0.0, 5.0, 501)
    f = 60.0 + np.where(t > 1.0, 0.3 * (t - 1.0), 0.0)
    assert rocof_hz_per_s(t, f, window_s=0.5, t_start_s=1.0) == pytest.approx(0.3, rel=1e-6)
    x = 3.0 + 0.2 * np.sin(2 * math.pi * 1.3 * t + 0.4) + 0.01 * t
    assert tone_amplitude(t, x, 1.3, 1.0) == pytest.approx(0.2, rel=1e-3)


# ---------------------------------------------------------------- SMIB (Kundur Ex. 12.2)


def _kundur_12_2_natural_frequency_hz() -> float:
    """Kundur 1994 Example 12.2, circuit 2 out: Ks and ωn by hand."""
    p, q, xd1, x_ext, h = 0.9, 0.3, 0.3, 0.65, 3.5
    et = 1.0 + 0j  # terminal voltage as reference
    i = (p - 1j * q) / et.conjugate()
    eb = et - 1j * x_ext * i  # infinite bus: 0.995 at -36 deg
    e1 = et + 1j * xd1 * i  # E' behind X'd
    delta0 = cmath.phase(e1) - cmath.phase(eb)
    ks = abs(e1) * abs(eb) / (xd1 + x_ext) * math.cos(delta0)  # Kundur: 0.757
    assert abs(eb) == pytest.approx(0.995, abs=5e-4)
    assert ks == pytest.approx(0.757, abs=1e-3)
    wn = math.sqrt(OMEGA0 * ks / (2 * h))  # Kundur: 6.39 rad/s
    assert wn == pytest.approx(6.39, abs=0.01)
    return wn / (2 * math.pi)


@pytest.fixture(scope="module")
def smib() -> DynamicModel:
    return smib_model()


def test_smib_eigenvalue_matches_hand_solution(smib: DynamicModel) -> None:
    fn_hz = _kundur_12_2_natural_frequency_hz()
    modes = electromechanical_modes(smib)
    assert len(modes) == 1
    row = modes.iloc[0]
    assert row["dominant_machine"] == "M1"
    assert row["frequency_hz"] == pytest.approx(fn_hz, rel=2e-3)  # ANDES: 1.0164 Hz
    assert abs(row["damping_ratio"]) < 1e-6  # KD = 0: undamped


def test_smib_ringing_frequency_matches_hand_solution(smib: DynamicModel) -> None:
    """Rotor speed rings at fn after a small, briefly applied fault at the terminal.

    The trapezoidal rule at ANDES' 1/30 s step shortens the ringing frequency by
    ``(2/h)·atan(ωh/2)/ω − 1 ≈ −0.4 %``: tolerance 1 %.
    """
    fn_hz = _kundur_12_2_natural_frequency_hz()
    fr = run_fault_ride_through(smib, fault_bus_idx=1, clearing_time_s=0.05,
                                curve=RideThroughCurve(()), fault_reactance_pu=0.5,
                                duration_s=6.0)
    tr = fr.traces_no_trip
    t = tr["time_s"].to_numpy()
    w = tr["speed_pu[M1]"].to_numpy() - 1.0
    keep = t > 1.2
    t, w = t[keep], w[keep]
    up = np.flatnonzero((w[:-1] < 0) & (w[1:] >= 0))
    crossings = t[up] - w[up] * (t[up + 1] - t[up]) / (w[up + 1] - w[up])
    assert len(crossings) >= 4
    assert 1.0 / np.diff(crossings).mean() == pytest.approx(fn_hz, rel=0.01)
    assert fr.load_tripped_mw == 0.0


def test_forced_oscillation_resonates_near_a_lightly_damped_mode() -> None:
    """KD chosen for ζ ≈ 5 %: forcing at the mode is amplified ~1/(2ζ) over 3·fn."""
    model = smib_model(d_pu=4.5, campus_p_pu=0.1)
    modes = electromechanical_modes(model)
    fn_hz = float(modes["frequency_hz"].iloc[0])
    assert float(modes["damping_ratio"].iloc[0]) == pytest.approx(0.05, abs=0.005)
    fo = run_forced_oscillation(model, frequency_hz=fn_hz, amplitude_mw=2.0, duration_s=12.0,
                                reference_frequency_hz=3.0 * fn_hz)
    assert fo.max_pe_machine_idx == "M1"
    assert fo.amplification is not None and fo.amplification > 4.0
    # at resonance the machine swings several times the 2 MW forcing
    assert fo.max_machine_pe_amplitude_mw > 3 * 2.0
    sep = swing_mode_separation(modes, [fn_hz + 0.2, 3.0], damping_threshold=0.06)
    assert sep is not None and sep.poorly_damped
    assert sep.separation_hz == pytest.approx(0.2, abs=1e-9)


# ---------------------------------------------------------------- governors only


def test_load_loss_initial_rocof_is_swing_equation() -> None:
    """No governors, D = 0, constant-power loads, lossless lines: the COI frequency ramps
    at ΔP f0 / (2 ΣH Sn) = 100·60 / (2·(4·500 + 6·500)) = 0.6 Hz/s (Kundur §11.1). Tol 1 %."""
    model = two_machine_model(droop=None)
    ll = run_load_loss(model, t_event_s=1.0, duration_s=3.0)
    expected = 100.0 * 60.0 / (2.0 * (4.0 * 500.0 + 6.0 * 500.0))
    assert ll.rocof_hz_per_s == pytest.approx(expected, rel=0.01)
    assert ll.rocof_window_s == 0.5


def test_load_loss_settles_at_droop_deviation() -> None:
    """Governors are the only response: Δf = ΔP / β, β = Σ Sn / (R f0) = 333 MW/Hz
    (the existing ``frequency_deviation_hz`` with β in MW/0.1 Hz). Tol 1 %."""
    model = two_machine_model(droop=(0.05, 0.05))
    ll = run_load_loss(model, t_event_s=1.0, duration_s=20.0)
    beta_mw_per_hz = (500.0 + 500.0) / (0.05 * 60.0)
    expected = float(frequency_deviation_hz(model.campus_p_mw, beta_mw_per_hz / 10.0))
    assert expected == pytest.approx(0.3)
    assert ll.settling_freq_deviation_hz == pytest.approx(expected, rel=0.01)
    assert ll.freq_peak_deviation_hz > ll.settling_freq_deviation_hz  # overshoot (inertia)
    # the governors act within the 500 ms window: below the initial 0.6 Hz/s
    assert 0.0 < ll.rocof_hz_per_s < 0.6


# ---------------------------------------------------------------- ANDES' own results


def test_ieee14_fault_reproduces_andes_known_good() -> None:
    """ANDES tests/test_known_good.py, ieee14_fault.json to t = 2 s (tstep 1/30, tol 1e-4,
    fixed step, no shrink): GENROU ω, tm, vf against ieee14_fault_2s.pkl (ANDES asserts
    ``decimal=2``; here 2e-3). The case's load PQ_6 at the faulted bus 9 is the campus and
    rides through (no tiers)."""
    known = np.array([
        1.000493, 1.000598, 1.000044, 0.999296, 0.999996,  # omega
        0.801028, 0.386596, 0.392101, 0.307012, 0.343143,  # tm (pu, 100 MVA)
        1.533159, 1.405325, 1.523081, 1.667238, 1.452423,  # vf
    ])
    model = andes_case_model("ieee14/ieee14_fault.json", existing_campus="PQ_6",
                             tds_config={"shrinkt": 0})
    fr = run_fault_ride_through(model, fault_bus_idx=9, clearing_time_s=0.1, t_fault_s=1.0,
                                curve=RideThroughCurve(()), duration_s=2.0)
    last = fr.traces_no_trip.iloc[-1]
    gens = [f"GENROU_{k}" for k in range(1, 6)]
    got = np.array([last[f"speed_pu[{g}]"] for g in gens]
                   + [last[f"pm_mw[{g}]"] / model.base_mva for g in gens]
                   + [last[f"vf_pu[{g}]"] for g in gens])
    np.testing.assert_allclose(got, known, atol=2e-3)
    assert fr.poi_min_voltage_pu < 0.01  # bolted fault at the POI


# ---------------------------------------------------------------- IEEE 14 with a campus


@pytest.fixture(scope="module")
def ieee14() -> DynamicModel:
    return andes_case_model("ieee14/ieee14.json", campus_bus=9, campus_p_mw=50.0,
                            campus_q_mvar=10.0)


def test_ieee14_load_loss_raises_frequency_and_voltage(ieee14: DynamicModel) -> None:
    ll = run_load_loss(ieee14, t_event_s=1.0, duration_s=15.0)
    assert ll.freq_peak_deviation_hz > 0.0 and ll.rocof_hz_per_s > 0.0
    assert 0.0 < ll.settling_freq_deviation_hz < ll.freq_peak_deviation_hz
    assert ll.poi_overvoltage_pu > ll.poi_voltage_before_pu
    assert {"time_s", "frequency_hz", "poi_voltage_pu"} <= set(ll.traces.columns)


def test_ieee14_modes_are_rotor_modes(ieee14: DynamicModel) -> None:
    modes = electromechanical_modes(ieee14)
    assert len(modes) >= 4  # one local mode per machine pair (5 GENROU)
    assert modes["frequency_hz"].between(0.1, 2.5).all()
    assert set(modes["dominant_state"]) <= {"delta", "omega"}
    assert (modes["damping_ratio"].diff().dropna() >= 0).all()  # least damped first
    sep = swing_mode_separation(modes, [0.5], damping_threshold=0.05)
    assert sep is not None and not sep.poorly_damped  # all IEEE 14 modes are > 5 % damped
    assert sep.mode_damping_ratio == pytest.approx(float(modes["damping_ratio"].min()))


def test_ieee14_fault_ride_through_trips_and_frequency_rises(ieee14: DynamicModel) -> None:
    curve = RideThroughCurve((UPS, PSU))
    fr = run_fault_ride_through(ieee14, fault_bus_idx=9, clearing_time_s=0.1, curve=curve,
                                duration_s=6.0)
    # the bolted fault at the POI lasts 100 ms: UPS (0.8 pu, 50 ms) trips, PSU (0.2 s) not
    assert fr.tiers_tripped == ("UPS transfer",)
    assert fr.load_tripped_mw == pytest.approx(0.5 * 50.0)
    assert fr.freq_peak_deviation_hz > 0.0  # load lost: frequency rises
    headline = TimeDomainResult(engine=ENGINE, performed=True, fault=fr).headline
    assert headline["fault_ride_through_load_tripped_mw"] == pytest.approx(25.0)
    assert headline["load_loss_freq_peak_deviation_hz"] is None
    assert headline["dynamics_engine"].startswith("ANDES")


def test_failed_study_is_a_note_and_headline_has_no_nan(smib: DynamicModel) -> None:
    """A fault at a bus the system does not have: the fault study is a note, the rest runs."""
    res = run_time_domain_studies(smib, curve=CURVE, swing_frequencies_hz=[0.5],
                                  fault_bus_idx=99, load_loss_duration_s=3.0,
                                  fault_duration_s=3.0)
    assert res.performed and res.fault is None and res.load_loss is not None
    assert any(note.startswith("fault ride-through not computed") for note in res.notes)
    assert all("\n" not in note for note in res.notes)
    head = res.headline
    assert head["fault_ride_through_load_tripped_mw"] is None
    assert head["electromechanical_modes"][0]["frequency_hz"] == pytest.approx(1.0164, abs=1e-3)
    # the undamped SMIB mode is below 5 %: poorly damped, 0.5164 Hz from the 0.5 Hz swing
    assert head["swing_mode_min_frequency_separation_hz"] == pytest.approx(0.5164, abs=1e-3)
    for value in head.values():
        assert not (isinstance(value, float) and not math.isfinite(value))
