"""Electromechanical modes (ANDES eigenvalue analysis) and their separation from the training swing.

The state matrix of the linearised system at the power-flow operating point gives
eigenvalues ``λ = σ ± jω``; a mode oscillates at ``f = ω/2π`` with damping ratio
``ζ = −σ/|λ|``. Electromechanical (rotor-angle) modes are the oscillatory modes whose
largest participation factor is a rotor angle or speed state of a synchronous
machine, in the 0.1-2.5 Hz band (local plant modes ~1-2.5 Hz, inter-area modes
~0.1-1 Hz).

A mode is poorly damped below a damping-ratio threshold; 5 % is the common planning
criterion (e.g. Rogers, and the IEEE PES task force report on electromechanical mode
identification); the threshold is a parameter.

References
----------
.. [1] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994, ch. 12
   (§12.2 eigenproperties, participation factors; §12.3 single machine).
.. [2] N. Hatziargyriou et al., "Definition and Classification of Power System
   Stability – Revisited & Extended", IEEE Trans. Power Systems 36(4), 2021
   (IEEE PES TR-77, 2020): rotor-angle small-disturbance stability.
.. [3] G. Rogers, *Power System Oscillations*, Kluwer, 2000, ch. 1 (5 % damping as
   the usual minimum for electromechanical modes).
.. [4] IEEE PES Task Force on Identification of Electromechanical Modes,
   "Identification of Electromechanical Modes in Power Systems", IEEE PES TR-15, 2012.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from gridimpact.dynamics.timedomain.events import TimeDomainError, clone_system, quiet_engine
from gridimpact.dynamics.timedomain.model import DynamicModel
from gridimpact.dynamics.timedomain.results import SwingModeSeparation

BAND_LOW_HZ = 0.1
BAND_HIGH_HZ = 2.5
_ROTOR_STATES = frozenset({"delta", "omega"})
MODE_COLUMNS = ("frequency_hz", "damping_ratio", "real_per_s", "imag_rad_per_s",
                "dominant_state", "dominant_machine", "dominant_model", "rotor_participation")


def electromechanical_modes(
    model: DynamicModel, *, f_min_hz: float = BAND_LOW_HZ, f_max_hz: float = BAND_HIGH_HZ,
) -> pd.DataFrame:
    """Electromechanical modes of the model at its power-flow operating point.

    Runs ANDES' eigenvalue analysis (``EIG``) on a clone of the system and keeps, of
    each complex-conjugate pair, the eigenvalue with positive imaginary part when its
    frequency is in ``[f_min_hz, f_max_hz]`` and its largest participation factor is a
    rotor angle (``delta``) or speed (``omega``) state of a synchronous machine.

    Returns
    -------
    pandas.DataFrame
        One row per mode, sorted by damping ratio (least damped first): ``frequency_hz``,
        ``damping_ratio`` (fraction), ``real_per_s`` (σ, 1/s), ``imag_rad_per_s`` (ω),
        ``dominant_state`` (``"delta"``/``"omega"``), ``dominant_machine`` (idx),
        ``dominant_model`` (e.g. ``GENROU``), ``rotor_participation`` (sum of the
        normalised participation factors of all rotor angle and speed states).

    Raises
    ------
    TimeDomainError
        The eigenvalue analysis fails.

    References
    ----------
    .. [1] P. Kundur, *Power System Stability and Control*, 1994, §12.2 (participation
       factors) and §12.3.
    """
    with quiet_engine():
        ss = clone_system(model.system)
        if not ss.EIG.run():
            raise TimeDomainError("ANDES eigenvalue analysis failed")
        mu = np.asarray(ss.EIG.mu)
        pf = np.asarray(ss.EIG.pfactors, dtype=float)
        names = [str(n) for n in ss.EIG.x_name]
        syn_models = {name for name, m in ss.SynGen.models.items() if m.n > 0}
    parsed = [n.split(" ", 2) + [""] * (3 - len(n.split(" ", 2))) for n in names]
    rotor = np.array([p[0] in _ROTOR_STATES and p[1] in syn_models for p in parsed])
    rows = []
    for i, lam in enumerate(mu):
        if lam.imag <= 1e-9:
            continue
        freq = lam.imag / (2.0 * math.pi)
        if not f_min_hz <= freq <= f_max_hz:
            continue
        j = int(np.argmax(pf[i]))
        if not rotor[j]:
            continue
        state, mdl, idx = parsed[j]
        rows.append({
            "frequency_hz": float(freq),
            "damping_ratio": float(-lam.real / abs(lam)),
            "real_per_s": float(lam.real),
            "imag_rad_per_s": float(lam.imag),
            "dominant_state": state,
            "dominant_machine": idx,
            "dominant_model": mdl,
            "rotor_participation": float(pf[i][rotor].sum()),
        })
    frame = pd.DataFrame(rows, columns=list(MODE_COLUMNS))
    return frame.sort_values("damping_ratio", kind="stable").reset_index(drop=True)


def swing_mode_separation(
    modes: pd.DataFrame, swing_frequencies_hz: Sequence[float], damping_threshold: float = 0.05,
) -> SwingModeSeparation | None:
    """Smallest distance between the swing's frequencies and the poorly damped modes.

    Poorly damped: ``damping_ratio < damping_threshold``. When no electromechanical mode
    is below the threshold, the separation is to the least damped electromechanical
    mode and ``poorly_damped`` is False. ``None`` when there are no modes or no swing
    frequencies.

    Parameters
    ----------
    modes : pandas.DataFrame
        From :func:`electromechanical_modes`.
    swing_frequencies_hz : sequence of float
        The training swing's dominant frequencies (Hz).
    damping_threshold : float
        Damping ratio (fraction) below which a mode is poorly damped (5 %: Rogers 2000).

    References
    ----------
    .. [1] G. Rogers, *Power System Oscillations*, 2000, ch. 1.
    .. [2] NERC, "Reliability Guideline: Forced Oscillation Monitoring & Mitigation", 2017
       (resonance of a forced oscillation with a poorly damped system mode).
    """
    swings = [float(f) for f in swing_frequencies_hz if math.isfinite(float(f))]
    if len(modes) == 0 or not swings:
        return None
    poor = modes[modes["damping_ratio"] < damping_threshold]
    poorly_damped = len(poor) > 0
    candidates = poor if poorly_damped else modes.nsmallest(1, "damping_ratio")
    best: tuple[float, float, float, float] | None = None
    for f_mode, zeta in zip(candidates["frequency_hz"], candidates["damping_ratio"], strict=True):
        for f_swing in swings:
            sep = abs(float(f_mode) - f_swing)
            if best is None or sep < best[0]:
                best = (sep, float(f_mode), float(zeta), f_swing)
    assert best is not None
    return SwingModeSeparation(
        separation_hz=best[0],
        mode_frequency_hz=best[1],
        mode_damping_ratio=best[2],
        swing_frequency_hz=best[3],
        damping_threshold=damping_threshold,
        poorly_damped=poorly_damped,
    )
