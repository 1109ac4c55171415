"""The POI voltage the campus power waveform makes through the grid's Thévenin impedance.

The network behind the POI is its Thévenin equivalent: a source at 1 pu behind
``Z = V²/S″k`` at the angle ``ψ = arctan(X/R)`` of the IEC 60909 short circuit. For
each sample of the campus power ``P + jQ`` the receiving-end voltage solves the
two-bus power-flow equation exactly (no small-change linearisation: the campus
is a large share of ``S″k`` on a weak grid).

References
----------
.. [1] IEC/TR 61000-3-7:2008, 6.2 (voltage changes from the short-circuit power and
   its angle at the point of evaluation; minimum short-circuit power of normal
   operation).
.. [2] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994, §14.3
   (receiving-end voltage of a two-bus system, ``V⁴ + (2(PR+QX) − E²)V² +
   Z²S² = 0``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from gridimpact.dynamics.power_quality import reactive_swing_mvar

FloatArray = npt.NDArray[np.float64]


def thevenin_voltage_pu(
    p_mw: FloatArray,
    q_mvar: FloatArray,
    sc_mva: float,
    x_over_r: float,
    source_vm_pu: float = 1.0,
) -> FloatArray:
    """Receiving-end voltage of a load behind a Thévenin source, sample by sample (pu).

    Parameters
    ----------
    p_mw, q_mvar : ndarray
        Load active and reactive power (MW, Mvar; load > 0).
    sc_mva : float
        Three-phase short-circuit power at the POI (MVA): ``|Z| = 1/S″k`` on an
        ``S″k`` base.
    x_over_r : float
        X/R of the Thévenin impedance (-).
    source_vm_pu : float
        Source voltage behind the impedance (pu).

    Returns
    -------
    ndarray
        Voltage magnitude at the POI (pu); NaN where the load exceeds the largest
        power the impedance can transfer (voltage collapse).

    References
    ----------
    .. [1] Kundur (1994), §14.3; IEC/TR 61000-3-7:2008, 6.2.
    """
    if sc_mva <= 0.0 or x_over_r <= 0.0:
        raise ValueError("sc_mva and x_over_r must be > 0")
    psi = np.arctan(x_over_r)
    r_pu, x_pu = np.cos(psi) / sc_mva, np.sin(psi) / sc_mva  # per MVA on a 1 pu voltage base
    p, q = np.asarray(p_mw, dtype=float), np.asarray(q_mvar, dtype=float)
    b = source_vm_pu**2 - 2.0 * (p * r_pu + q * x_pu)
    disc = b**2 - 4.0 * (r_pu**2 + x_pu**2) * (p**2 + q**2)
    with np.errstate(invalid="ignore"):
        v2 = 0.5 * (b + np.sqrt(np.where(disc >= 0.0, disc, np.nan)))
    return np.sqrt(v2)


def max_transfer_mw(
    sc_mva: float, x_over_r: float, power_factor: float, source_vm_pu: float = 1.0
) -> float:
    """Largest active power a Thévenin source delivers to a load at ``power_factor`` (MW).

    The nose of the P-V curve: ``P_max = E² cos φ / (2 |Z| (1 + cos(θ − φ)))`` with
    ``|Z| = 1/S″k`` (pu on an MVA base), ``θ = atan(X/R)`` the impedance angle and
    ``φ = acos(pf)`` the lagging load angle. Beyond it the POI voltage has no
    solution (:func:`thevenin_voltage_pu` returns NaN): voltage collapse.

    Parameters
    ----------
    sc_mva : float
        Three-phase short-circuit power at the POI (MVA).
    x_over_r : float
        X/R of the Thévenin impedance (-).
    power_factor : float
        Lagging load power factor (-), in (0, 1].
    source_vm_pu : float
        Source voltage behind the impedance (pu).

    References
    ----------
    .. [1] T. Van Cutsem and C. Vournas, *Voltage Stability of Electric Power
       Systems*, Kluwer, 1998, §2.3 (maximum deliverable power of a load behind an
       impedance).
    .. [2] Kundur (1994), §14.2 (P-V characteristic of a radial system).
    """
    theta = math.atan(x_over_r)
    phi = math.acos(power_factor)
    return source_vm_pu**2 * sc_mva * math.cos(phi) / (2.0 * (1.0 + math.cos(theta - phi)))


def poi_relative_voltage(
    p_mw: FloatArray, power_factor: float, sc_mva: float, x_over_r: float
) -> FloatArray:
    """POI voltage over its mean for a campus power waveform at ``power_factor`` (-).

    The relative RMS envelope ``u(t)/Ū`` the flickermeter weighs; the reactive power
    follows the active power at a lagging ``power_factor``.

    References
    ----------
    .. [1] IEC 61000-4-15:2010 (the flickermeter responds to relative voltage
       fluctuation); IEC/TR 61000-3-7:2008, 6.2.
    """
    p = np.asarray(p_mw, dtype=float)
    v = thevenin_voltage_pu(p, np.asarray(reactive_swing_mvar(p, power_factor)), sc_mva, x_over_r)
    return v / np.mean(v)
