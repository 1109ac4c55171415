"""Speed of the IEC 61000-4-15 flickermeter (:mod:`gridimpact.dynamics.flicker`).

Run ``python benchmarks/bench_flicker.py``. It times, best of ``--repeat`` runs
(``time.perf_counter``):

* :func:`~gridimpact.dynamics.flicker.pst` on a 10-minute 60 Hz carrier sampled at
  1,920 Hz (1.15 M samples; 120 V lamp), rectangular modulation at 1620 changes/min,
  ΔV/V = 0.548 % (IEC 61000-4-15:2010 Table 5, Pst = 1);
* :func:`~gridimpact.dynamics.flicker.pst_from_relative_rms` on the same fluctuation
  as an r.m.s. envelope at 120 Hz (half-cycle rate) and at 1,920 Hz.

Target: ``pst`` on the 10-minute 1,920 Hz record in <= 2 s. Times and ratios only,
no assertions.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from gridimpact.dynamics.flicker import pst, pst_from_relative_rms

TARGET_S = 2.0
GRID_HZ = 60.0
CARRIER_RATE_HZ = 1920.0
DURATION_S = 600.0
CHANGES_PER_MIN, DV_PERCENT = 1620.0, 0.548


def best_of(func: Callable[[], object], repeat: int) -> float:
    """Shortest wall-clock time of ``repeat`` calls, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def envelope(rate_hz: float) -> np.ndarray:
    """Rectangular ``u/U = 1 ± ΔV/V / 2`` at ``CHANGES_PER_MIN``, ``DURATION_S`` long."""
    k = np.arange(round(DURATION_S * rate_hz))
    half_period = rate_hz * 60.0 / CHANGES_PER_MIN
    sign = np.where(np.floor((k + 0.5) / half_period) % 2 == 0, 1.0, -1.0)
    return 1.0 + DV_PERCENT / 200.0 * sign


def carrier() -> np.ndarray:
    """120 V r.m.s. 60 Hz carrier modulated by :func:`envelope`, at 1,920 Hz."""
    t_s = np.arange(round(DURATION_S * CARRIER_RATE_HZ)) / CARRIER_RATE_HZ
    return np.sqrt(2.0) * 120.0 * envelope(CARRIER_RATE_HZ) * np.sin(2 * np.pi * GRID_HZ * t_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    v = carrier()
    value = pst(v, CARRIER_RATE_HZ, GRID_HZ, 120)
    t_pst = best_of(lambda: pst(v, CARRIER_RATE_HZ, GRID_HZ, 120), args.repeat)
    print(
        f"pst, {DURATION_S:.0f} s carrier at {CARRIER_RATE_HZ:.0f} Hz ({v.size:,} samples): "
        f"{t_pst:.3f} s (target <= {TARGET_S:.0f} s, ratio {t_pst / TARGET_S:.3f}); "
        f"Pst = {value:.3f}"
    )
    for rate_hz in (2.0 * GRID_HZ, CARRIER_RATE_HZ):
        r = envelope(rate_hz)
        value = pst_from_relative_rms(r, rate_hz, GRID_HZ, 120)
        t_env = best_of(partial(pst_from_relative_rms, r, rate_hz, GRID_HZ, 120), args.repeat)
        print(
            f"pst_from_relative_rms, envelope at {rate_hz:.0f} Hz ({r.size:,} samples): "
            f"{t_env:.3f} s (ratio {t_env / TARGET_S:.3f}); Pst = {value:.3f}"
        )


if __name__ == "__main__":
    main()
