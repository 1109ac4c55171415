"""Sudden loss of the whole campus: the interconnection's frequency and the POI voltage.

On 10 July 2024 about 1,500 MW of data-center load in Virginia transferred to backup
at once after a line fault; a campus of that size is a single contingency of the
interconnection. The settling frequency rise follows from the interconnection's
frequency response; the POI voltage after the loss from the power flow without the
campus.

References
----------
.. [1] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load
   Reductions", January 2025.
.. [2] NERC, "Frequency Response Annual Analysis" (BAL-003), annual reports.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatLike = float | npt.NDArray[np.float64]


def frequency_deviation_hz(delta_p_mw: FloatLike, beta_mw_per_0p1hz: float) -> FloatLike:
    """Settling frequency deviation after a sudden power imbalance, ``Δf = ΔP / β`` (Hz).

    Positive for a load loss (frequency rises).

    Parameters
    ----------
    delta_p_mw : float or ndarray
        Lost load (MW).
    beta_mw_per_0p1hz : float
        Interconnection frequency response (MW per 0.1 Hz), as NERC publishes it.

    References
    ----------
    .. [1] NERC, "Frequency Response Annual Analysis" (BAL-003-2): frequency response
       β in MW/0.1 Hz and the Interconnection Frequency Response Obligation.
    .. [2] P. Kundur, *Power System Stability and Control*, 1994, §11.1 (Δf = −ΔP/β).
    """
    return delta_p_mw / (10.0 * beta_mw_per_0p1hz)
