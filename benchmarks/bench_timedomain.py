"""Speed of the ANDES time-domain studies (:mod:`gridimpact.dynamics.timedomain`).

Run ``python benchmarks/bench_timedomain.py``. On ANDES' IEEE 39-bus case with full
dynamics (``ieee39/ieee39_full.xlsx``: 10 GENROU, TGOV1N, IEEEX1, IEEEST) and a campus
``PQ`` at bus 16, it times (``time.perf_counter``, one run each, after ANDES' one-time
code generation):

* model build (load, campus, setup, power flow);
* load loss of the whole campus (20 s simulated);
* fault ride-through, two passes (10 s simulated each, bolted fault at the POI, 100 ms);
* eigenvalue analysis and the electromechanical modes;
* forced oscillation at the mode nearest the swing frequency, and a reference run
  (12 s simulated each, 20 steps per cycle);
* ``run_time_domain_studies`` (all of the above together).

Target: all dynamic studies of one case in <= 60 s. Times and results only, no assertions.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from typing import Any

import andes

from gridimpact.dynamics.timedomain.events import (
    ENGINE,
    run_fault_ride_through,
    run_forced_oscillation,
    run_load_loss,
    run_time_domain_studies,
)
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.dynamics.timedomain.modes import electromechanical_modes, swing_mode_separation
from gridimpact.dynamics.timedomain.ride_through import RideThroughCurve, RideThroughTier

TARGET_S = 60.0
CASE = "ieee39/ieee39_full.xlsx"
POI_BUS = 16
CURVE = RideThroughCurve((
    RideThroughTier("UPS transfer", voltage_pu=0.7, max_duration_s=0.05, load_share=0.6),
    RideThroughTier("PSU drop-out", voltage_pu=0.5, max_duration_s=0.5, load_share=0.2),
), source="benchmark")


def build(campus_p_mw: float, campus_q_mvar: float) -> DynamicModel:
    """IEEE 39 with full dynamics and a campus PQ at bus 16."""
    andes.config_logger(stream_level=logging.CRITICAL)
    ss = andes.load(andes.get_case(CASE), default_config=True, no_output=True, setup=False)
    vn = ss.Bus.Vn.v[list(ss.Bus.idx.v).index(POI_BUS)]
    ss.add("PQ", {"idx": "CAMPUS", "bus": POI_BUS, "Vn": vn, "p0": campus_p_mw / ss.config.mva,
                  "q0": campus_q_mvar / ss.config.mva})
    ss.setup()
    ss.PFlow.run()
    return DynamicModel(system=ss, campus_load_idx="CAMPUS", poi_bus_idx=POI_BUS,
                        campus_p_mw=campus_p_mw, campus_q_mvar=campus_q_mvar,
                        f0_hz=float(ss.config.freq), base_mva=float(ss.config.mva),
                        description=f"ANDES {CASE} + campus at bus {POI_BUS}",
                        rebuild=lambda: build(campus_p_mw, campus_q_mvar))


def timed(label: str, func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    dt = time.perf_counter() - t0
    print(f"{label:<44s} {dt:7.2f} s")
    return dt, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campus-mw", type=float, default=500.0)
    parser.add_argument("--swing-hz", type=float, default=0.7)
    args = parser.parse_args()
    print(f"engine: {ENGINE}; case {CASE}, campus {args.campus_mw:.0f} MW at bus {POI_BUS}")
    _, model = timed("build model", lambda: build(args.campus_mw, 0.2 * args.campus_mw))
    total = 0.0
    dt, ll = timed("load loss (20 s)", lambda: run_load_loss(model, duration_s=20.0))
    total += dt
    print(f"    peak {ll.freq_peak_deviation_hz:+.3f} Hz, RoCoF {ll.rocof_hz_per_s:+.3f} Hz/s "
          f"(500 ms), settling {ll.settling_freq_deviation_hz:+.3f} Hz, "
          f"POI {ll.poi_voltage_before_pu:.3f} -> max {ll.poi_overvoltage_pu:.3f} pu")
    dt, fr = timed("fault ride-through, 2 passes (10 s each)", lambda: run_fault_ride_through(
        model, fault_bus_idx=POI_BUS, clearing_time_s=0.1, curve=CURVE, duration_s=10.0))
    total += dt
    print(f"    POI min {fr.poi_min_voltage_pu:.3f} pu, tripped {fr.load_tripped_mw:.0f} MW "
          f"{fr.tiers_tripped}, freq peak {fr.freq_peak_deviation_hz:+.3f} Hz")
    dt, modes = timed("eigenvalues + electromechanical modes",
                      lambda: electromechanical_modes(model))
    total += dt
    print(modes[["frequency_hz", "damping_ratio", "dominant_machine"]].to_string(index=False))
    sep = swing_mode_separation(modes, [args.swing_hz])
    f_hz = sep.mode_frequency_hz if sep is not None else args.swing_hz
    dt, fo = timed("forced oscillation + reference (12 s each)", lambda: run_forced_oscillation(
        model, frequency_hz=f_hz, amplitude_mw=0.1 * args.campus_mw, duration_s=12.0,
        reference_frequency_hz=3.0 * f_hz if f_hz <= 1.25 else f_hz / 3.0))
    total += dt
    print(f"    at {fo.frequency_hz:.3f} Hz: POI {fo.poi_voltage_amplitude_pu:.4f} pu, machine "
          f"{fo.max_pe_machine_idx} {fo.max_machine_pe_amplitude_mw:.1f} MW, "
          f"amplification {fo.amplification}")
    print(f"{'sum of the studies':<44s} {total:7.2f} s (target <= {TARGET_S:.0f} s)")
    dt, res = timed("run_time_domain_studies (all together)", lambda: run_time_domain_studies(
        model, curve=CURVE, swing_frequencies_hz=[args.swing_hz],
        forced_amplitude_mw=0.1 * args.campus_mw))
    for key, val in res.headline.items():
        if key != "electromechanical_modes":
            print(f"    {key}: {val}")
    for note in res.notes:
        print(f"    note: {note}")


def shipped_1m_case() -> None:
    """The stage as the 1M study runs it: Memphis 161 kV, 1,962.5 MW at Whitehaven."""
    import pathlib

    import pandas as pd

    from gridimpact.case import load_case
    from gridimpact.compute import workload as wl
    from gridimpact.data.gpus import load_gpu_catalog
    from gridimpact.dynamics.timedomain.stage import run_time_domain
    from gridimpact.grid import load_network
    from gridimpact.grid.dynamic_export import export_power_flow_case

    root = pathlib.Path(__file__).resolve().parents[1]
    loaded = load_case(root / "cases" / "colossus_1m.toml")
    case = loaded.case
    network = load_network(case.grid, loaded.base_dir)
    p_mw = 1962.5
    tdp_w = load_gpu_catalog().systems[case.compute.gpu_model].gpu_tdp_w.value
    gpu_mw = wl.campus_gpu_peak_mw(
        case.compute.gpu_count.value, tdp_w, case.workload.compute_power_fraction.value
    )
    wave = wl.campus_waveforms(
        case.workload, gpu_mw, wl.static_power_for_hour_mw(case.workload, gpu_mw, p_mw)
    )
    freq, amp = wl.amplitude_spectrum_mw(wave.campus_mw, case.workload.sample_rate_hz.value)
    spectrum = pd.DataFrame(
        {"frequency_hz": freq, "amplitude_mw": amp,
         "in_oscillation_band": (freq >= 0.1) & (freq <= 2.0)}
    )
    pfc = export_power_flow_case(network, p_mw, 0.2 * p_mw)
    dt, res = timed("shipped 1M case: run_time_domain (stage)", lambda: run_time_domain(
        case.time_domain, pfc, spectrum=spectrum))
    print(f"    the 1M study's time-domain stage adds {dt:.1f} s (target <= {TARGET_S:.0f} s); "
          f"performed {res.performed}, notes {list(res.notes)}")


if __name__ == "__main__":
    main()
    shipped_1m_case()
