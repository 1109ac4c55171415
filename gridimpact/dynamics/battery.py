"""Battery (BESS) model for smoothing a training-power waveform: losses, C-rate, cycling.

The battery supplies a terminal power ``P`` (MW, discharge > 0) over a representative
window (e.g. the 10-minute, 20 Hz campus waveform minus its low-pass, see
:mod:`gridimpact.dynamics.storage`). This module turns that waveform into a
study-grade battery:

* **Losses.** Charge and discharge efficiencies are ``√η_rt`` each (AC-AC round
  trip ``η_rt``); a standby loss (self-discharge and auxiliaries) drains a fixed
  fraction of the nameplate energy per hour. The stored energy changes by
  ``dE/dt = −P⁺/√η_rt + √η_rt·P⁻ − s·E_nom`` with ``P⁺ = max(P, 0)`` and
  ``P⁻ = max(−P, 0)``.
* **State-of-charge control.** Losses make the state of charge drift linearly; the
  SOC controller recovers the drift with a slow, constant charging bias ``b`` (MW)
  chosen so that the stored energy returns to its start value at the end of the
  window (the window is treated as one period of a repeating duty). The battery's
  terminal power is then ``P − b``; by energy conservation the average power the
  grid supplies for the losses is ``b − mean(P)``.
* **Cycling.** The SOC trace is counted with the rainflow method of ASTM E1049-85
  (the ``rainflow`` package). One *equivalent full cycle* is a SOC range of 1.0
  (the whole nameplate discharged and recharged); a counted cycle of range ``d``
  contributes ``d`` full cycles and a half cycle ``d/2``
  (``EFC = Σ count·range``). Damage follows Miner's rule with a Wöhler-type
  depth-of-discharge curve ``N(d) = N_ref·(d/d_ref)^−k``:
  ``D = Σ count / N(range)``; end of life at ``D = 1``.
* **Sizing.** The nameplate energy is the largest of three requirements: the
  energy swing (with losses) fits the SOC window; the power fits the C-rate limit;
  and the cycle life reaches the design life (damage falls as the energy grows
  because every cycle becomes shallower).

Scaling from the window to a year: cycles, damage, throughput and losses per year are
the window's values times ``operating_hours_per_year·3600 / window duration``. Hours
when the waveform does not run are not counted (no standby loss, no calendar ageing
then). Calendar ageing, temperature and C-rate stress on ageing are not modelled:
the cycle life is a cycling-only life, an upper bound on the service life.

References
----------
.. [1] ASTM E1049-85 (reapproved 2011), "Standard Practices for Cycle Counting in
   Fatigue Analysis", §5.4.4 rainflow counting (implemented by the ``rainflow``
   package, https://github.com/iamlikeme/rainflow).
.. [2] M. A. Miner, "Cumulative damage in fatigue", J. Appl. Mech. 12 (1945)
   A159-A164 (linear damage accumulation).
.. [3] B. Xu, A. Oudalov, A. Ulbig, G. Andersson, D. S. Kirschen, "Modeling of
   lithium-ion battery degradation for cell life assessment", IEEE Trans. Smart
   Grid 9(2) (2018) 1131-1140 (rainflow-counted DoD stress model of cycle ageing).
.. [4] A. Soto, A. Berrueta, M. Mateos, P. Sanchis, A. Ursúa, "Impact of
   micro-cycles on the lifetime of lithium-ion batteries: an experimental study",
   Journal of Energy Storage, 2022 (micro-cycles below 2 % DoD age a cell per unit
   of throughput no faster than full cycles: ~50 % more throughput to end of life).
.. [5] J. Wang et al., "Cycle-life model for graphite-LiFePO4 cells", J. Power
   Sources 196 (2011) 3942-3948 (cycle fade of LFP governed by Ah throughput).
.. [6] V. Viswanathan et al., "2022 Grid Energy Storage Technology Cost and
   Performance Assessment", PNNL-33283, Pacific Northwest National Laboratory, 2022.
.. [7] NREL, Annual Technology Baseline, "Utility-Scale Battery Storage" (85 %
   round-trip efficiency after W. Cole, A. W. Frazier, "Cost Projections for
   Utility-Scale Battery Storage: 2020 Update", NREL/TP-6A20-75385, 2020).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import rainflow
from scipy.optimize import brentq

FloatArray = npt.NDArray[np.float64]

Binding = Literal["soc_window", "c_rate", "cycle_life"]

_HOURS_PER_YEAR_MAX = 8784.0  # leap year
_SECONDS_PER_HOUR = 3600.0
_MAX_DOUBLINGS = 200
_ENERGY_REL_TOL = 1e-6


def _check_finite(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


@dataclass(frozen=True)
class BatteryParameters:
    """Battery technology parameters (all dimensionless fractions unless stated).

    Attributes
    ----------
    roundtrip_efficiency : float
        AC-AC round-trip efficiency ``η_rt`` in (0, 1]; charge and discharge
        efficiencies are ``√η_rt`` each.
    standby_loss_fraction_per_h : float
        Self-discharge plus auxiliaries, as a fraction of nameplate energy per hour
        (1/h, ≥ 0), drawn from the stored energy.
    max_c_rate_per_h : float
        Largest terminal power divided by nameplate energy (1/h, > 0).
    soc_min, soc_max : float
        State-of-charge window, fractions of nameplate, ``0 ≤ soc_min < soc_max ≤ 1``.
    cycle_life_full_cycles : float
        Cycles to end of life at the reference depth of discharge (> 0).
    cycle_life_reference_dod : float
        That reference depth ``d_ref`` in (0, 1].
    cycle_life_exponent : float
        Wöhler exponent ``k > 0`` of ``N(d) = N_ref·(d/d_ref)^−k``. ``k = 1`` makes
        ageing proportional to throughput; ``k > 1`` makes shallow cycles cheaper
        per MWh cycled.
    design_life_years : float
        Service life the battery must reach by cycling (years, > 0).

    Raises
    ------
    ValueError
        Naming the parameter when a value is not finite or out of range.
    """

    roundtrip_efficiency: float
    standby_loss_fraction_per_h: float
    max_c_rate_per_h: float
    soc_min: float
    soc_max: float
    cycle_life_full_cycles: float
    cycle_life_reference_dod: float
    cycle_life_exponent: float
    design_life_years: float

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _check_finite(f.name, getattr(self, f.name)))
        if not 0.0 < self.roundtrip_efficiency <= 1.0:
            raise ValueError(
                f"roundtrip_efficiency must be in (0, 1], got {self.roundtrip_efficiency}"
            )
        if self.standby_loss_fraction_per_h < 0.0:
            raise ValueError(
                f"standby_loss_fraction_per_h must be >= 0, got {self.standby_loss_fraction_per_h}"
            )
        if self.max_c_rate_per_h <= 0.0:
            raise ValueError(f"max_c_rate_per_h must be > 0, got {self.max_c_rate_per_h}")
        if not 0.0 <= self.soc_min < 1.0:
            raise ValueError(f"soc_min must be in [0, 1), got {self.soc_min}")
        if not 0.0 < self.soc_max <= 1.0:
            raise ValueError(f"soc_max must be in (0, 1], got {self.soc_max}")
        if self.soc_min >= self.soc_max:
            raise ValueError(
                f"soc_min ({self.soc_min}) must be smaller than soc_max ({self.soc_max})"
            )
        if self.cycle_life_full_cycles <= 0.0:
            raise ValueError(
                f"cycle_life_full_cycles must be > 0, got {self.cycle_life_full_cycles}"
            )
        if not 0.0 < self.cycle_life_reference_dod <= 1.0:
            raise ValueError(
                f"cycle_life_reference_dod must be in (0, 1], got {self.cycle_life_reference_dod}"
            )
        if self.cycle_life_exponent <= 0.0:
            raise ValueError(f"cycle_life_exponent must be > 0, got {self.cycle_life_exponent}")
        if self.design_life_years <= 0.0:
            raise ValueError(f"design_life_years must be > 0, got {self.design_life_years}")

    @property
    def charge_efficiency(self) -> float:
        """One-way charge efficiency ``√η_rt`` (-)."""
        return math.sqrt(self.roundtrip_efficiency)

    @property
    def discharge_efficiency(self) -> float:
        """One-way discharge efficiency ``√η_rt`` (-)."""
        return math.sqrt(self.roundtrip_efficiency)

    @property
    def soc_window(self) -> float:
        """Usable fraction of nameplate, ``soc_max − soc_min`` (-)."""
        return self.soc_max - self.soc_min

    @classmethod
    def from_values(cls, values: Mapping[str, Any], prefix: str = "bess_") -> BatteryParameters:
        """Build from a mapping keyed ``prefix + field name``.

        Each value may be a number, anything with ``__float__`` (e.g. a sourced case
        value) or a table with a ``"value"`` key (a raw ``dynamics.toml`` entry), so
        both ``{f"bess_{name}": getattr(onsite, f"bess_{name}")}`` and
        ``read_data_toml("dynamics.toml")["onsite"]`` work.

        Raises
        ------
        ValueError
            If keys are missing (naming them) or a value is out of range.
        """
        missing = [prefix + f.name for f in fields(cls) if prefix + f.name not in values]
        if missing:
            raise ValueError(f"missing battery parameters: {', '.join(missing)}")
        kwargs: dict[str, float] = {}
        for f in fields(cls):
            item = values[prefix + f.name]
            if isinstance(item, Mapping):
                item = item["value"]
            kwargs[f.name] = float(item)
        return cls(**kwargs)


@dataclass(frozen=True, eq=False)
class SocTrace:
    """State of charge over the window under SOC control (see :func:`soc_trace`).

    Attributes
    ----------
    soc : ndarray
        State of charge (fraction of nameplate), ``n + 1`` points for ``n`` samples:
        the value before the first sample and after each sample.
    terminal_mw : ndarray
        Terminal power with the SOC controller's bias, ``P − bias_mw`` (MW,
        discharge > 0), ``n`` samples.
    bias_mw : float
        Constant charging bias the SOC controller adds (MW).
    nameplate_energy_mwh : float
        Nameplate energy the trace was computed for (MWh).
    duration_s : float
        Window duration ``n / f_s`` (s).
    discharged_mwh, charged_mwh : float
        Energy out of / into the terminals over the window (MWh, ≥ 0).
    conversion_loss_mwh, standby_loss_mwh : float
        Charge/discharge conversion loss and standby loss over the window (MWh).
    """

    soc: FloatArray
    terminal_mw: FloatArray
    bias_mw: float
    nameplate_energy_mwh: float
    duration_s: float
    discharged_mwh: float
    charged_mwh: float
    conversion_loss_mwh: float
    standby_loss_mwh: float

    @property
    def loss_mwh(self) -> float:
        """Energy lost over the window, conversion plus standby (MWh)."""
        return self.conversion_loss_mwh + self.standby_loss_mwh

    @property
    def loss_mw_average(self) -> float:
        """Average power the grid supplies for the losses (MW)."""
        return self.loss_mwh * _SECONDS_PER_HOUR / self.duration_s


@dataclass(frozen=True)
class BatterySizing:
    """A battery sized for a waveform (see :func:`size_battery`).

    Attributes
    ----------
    power_mw : float
        Largest |terminal power|, including the SOC controller's loss-recovery bias (MW).
    energy_mwh : float
        Nameplate energy (MWh): the largest of the three requirements below.
    c_rate_per_h : float
        ``power_mw / energy_mwh`` (1/h).
    full_cycles_per_year : float
        Equivalent full cycles a year (``Σ count·range`` of the SOC trace, scaled).
    cycle_life_years : float
        Years to end of life by cycling, ``1 / damage per year`` (inf without cycling).
    throughput_mwh_per_year : float
        Energy discharged at the terminals a year (MWh/yr).
    loss_mwh_per_year : float
        Grid energy burnt by conversion and standby losses a year (MWh/yr).
    loss_mw_average : float
        Average power of those losses while the waveform runs (MW).
    roundtrip_efficiency, soc_min, soc_max : float
        The battery parameters used.
    binding : {"soc_window", "c_rate", "cycle_life"}
        The requirement that fixed the energy.
    energy_soc_window_mwh, energy_c_rate_mwh, energy_cycle_life_mwh : float
        The three requirements (MWh): swing with losses fits the SOC window; power
        within the C-rate limit; cycle life ≥ design life.
    """

    power_mw: float
    energy_mwh: float
    c_rate_per_h: float
    full_cycles_per_year: float
    cycle_life_years: float
    throughput_mwh_per_year: float
    loss_mwh_per_year: float
    loss_mw_average: float
    roundtrip_efficiency: float
    soc_min: float
    soc_max: float
    binding: Binding
    energy_soc_window_mwh: float = field(default=0.0)
    energy_c_rate_mwh: float = field(default=0.0)
    energy_cycle_life_mwh: float = field(default=0.0)


# --------------------------------------------------------------------------- inputs


def _as_waveform(terminal_mw: npt.ArrayLike, name: str = "storage_mw") -> FloatArray:
    p = np.asarray(terminal_mw, dtype=float)
    if p.ndim != 1 or p.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 samples, got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    return p


def _check_rate(sample_rate_hz: float) -> float:
    fs = _check_finite("sample_rate_hz", sample_rate_hz)
    if fs <= 0.0:
        raise ValueError(f"sample_rate_hz must be > 0, got {sample_rate_hz}")
    return fs


def _check_energy(nameplate_energy_mwh: float) -> float:
    e = _check_finite("nameplate_energy_mwh", nameplate_energy_mwh)
    if e < 0.0:
        raise ValueError(f"nameplate_energy_mwh must be >= 0, got {nameplate_energy_mwh}")
    return e


def _as_soc(soc: npt.ArrayLike) -> FloatArray:
    s = np.asarray(soc, dtype=float)
    if s.ndim != 1:
        raise ValueError(f"soc must be a 1-D array, got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("soc must be finite (found NaN or inf)")
    return s


# --------------------------------------------------------------------------- energy


def _stored_energy_change(
    p_mw: FloatArray, sample_rate_hz: float, params: BatteryParameters, standby_mw: float
) -> FloatArray:
    eta = params.charge_efficiency
    dt_h = 1.0 / (sample_rate_hz * _SECONDS_PER_HOUR)
    rate = -np.maximum(p_mw, 0.0) / eta + np.maximum(-p_mw, 0.0) * eta - standby_mw
    return np.concatenate(([0.0], np.cumsum(rate) * dt_h))


def internal_energy_mwh(
    terminal_mw: npt.ArrayLike,
    sample_rate_hz: float,
    params: BatteryParameters,
    nameplate_energy_mwh: float = 0.0,
) -> FloatArray:
    """Cumulative change of stored energy for a terminal-power waveform (MWh).

    ``ΔE[0] = 0`` and ``ΔE[i+1] = ΔE[i] + (−P⁺/√η_rt + √η_rt·P⁻ − s·E_nom)·Δt`` with
    ``P⁺ = max(P, 0)`` (discharge), ``P⁻ = max(−P, 0)`` (charge), ``s`` the standby
    loss per hour and ``E_nom`` the nameplate energy (rectangle rule, as
    :func:`gridimpact.dynamics.storage.storage_energy_mwh`). With ``η_rt = 1`` and
    ``s = 0`` this is ``−∫P dt``. No SOC-control bias is added (see :func:`soc_trace`).

    Parameters
    ----------
    terminal_mw : array_like
        Terminal power (MW, discharge > 0), ``n`` samples.
    sample_rate_hz : float
        Sample rate (Hz).
    params : BatteryParameters
        Efficiency and standby loss.
    nameplate_energy_mwh : float, optional
        Nameplate energy the standby loss scales with (MWh); 0 ignores standby.

    Returns
    -------
    ndarray
        ``n + 1`` values (MWh).

    References
    ----------
    .. [1] NREL Annual Technology Baseline, "Utility-Scale Battery Storage" (AC-AC
       round-trip efficiency 85 %).
    """
    p = _as_waveform(terminal_mw, "terminal_mw")
    fs = _check_rate(sample_rate_hz)
    e_nom = _check_energy(nameplate_energy_mwh)
    return _stored_energy_change(p, fs, params, params.standby_loss_fraction_per_h * e_nom)


def _loss_recovery_bias_mw(
    p_mw: FloatArray, sample_rate_hz: float, params: BatteryParameters, standby_mw: float
) -> float:
    """Constant charging bias that brings the stored energy back to its start (MW)."""
    eta = params.charge_efficiency
    dt_h = 1.0 / (sample_rate_hz * _SECONDS_PER_HOUR)

    def end_energy(bias_mw: float) -> float:
        q = p_mw - bias_mw
        rate = -np.maximum(q, 0.0) / eta + np.maximum(-q, 0.0) * eta - standby_mw
        return float(np.sum(rate)) * dt_h

    lo = float(np.min(p_mw))  # at or below: never charges, end energy <= 0
    hi = float(np.max(p_mw)) + standby_mw / eta  # at or above: charging covers standby
    f_lo, f_hi = end_energy(lo), end_energy(hi)
    if f_lo >= 0.0:
        return lo
    if f_hi <= 0.0:
        return hi
    scale = max(float(np.max(np.abs(p_mw))), standby_mw, 1e-9)
    return float(brentq(end_energy, lo, hi, xtol=1e-12 * scale, rtol=1e-14))


def soc_trace(
    terminal_mw: npt.ArrayLike,
    sample_rate_hz: float,
    params: BatteryParameters,
    nameplate_energy_mwh: float,
    initial_soc: float | None = None,
) -> SocTrace:
    """State of charge over the window for a given nameplate energy.

    The SOC controller adds a constant charging bias ``b`` (solved by Brent's
    method) so that the stored energy returns to its start value at the end of the
    window: losses would otherwise make the SOC drift linearly. The grid supplies
    ``b − mean(P)`` on average for the losses (energy conservation; equal to
    :attr:`SocTrace.loss_mw_average`).

    Parameters
    ----------
    terminal_mw : array_like
        Power the battery must supply (MW, discharge > 0), ``n`` samples.
    sample_rate_hz : float
        Sample rate (Hz).
    params : BatteryParameters
        Battery parameters.
    nameplate_energy_mwh : float
        Nameplate energy (MWh, > 0).
    initial_soc : float, optional
        SOC before the first sample. ``None`` (default) starts the trace so that its
        excursion is centred in the SOC window: a swing that fits the window stays
        inside it, and a zero-mean swing starts near mid-window.

    Returns
    -------
    SocTrace
        The SOC (``n + 1`` points), the biased terminal power and the window's
        energy balance. The SOC is not clipped: values outside
        ``[soc_min, soc_max]`` mean the energy is too small.
    """
    p = _as_waveform(terminal_mw, "terminal_mw")
    fs = _check_rate(sample_rate_hz)
    e_nom = _check_energy(nameplate_energy_mwh)
    if e_nom <= 0.0:
        raise ValueError(f"nameplate_energy_mwh must be > 0, got {nameplate_energy_mwh}")
    if initial_soc is not None:
        s0 = _check_finite("initial_soc", initial_soc)
        if not 0.0 <= s0 <= 1.0:
            raise ValueError(f"initial_soc must be in [0, 1], got {initial_soc}")
    standby_mw = params.standby_loss_fraction_per_h * e_nom
    bias = _loss_recovery_bias_mw(p, fs, params, standby_mw)
    q = p - bias
    delta = _stored_energy_change(q, fs, params, standby_mw)
    if initial_soc is None:
        mid = 0.5 * (params.soc_min + params.soc_max)
        s0 = mid - 0.5 * (float(np.max(delta)) + float(np.min(delta))) / e_nom
    dt_h = 1.0 / (fs * _SECONDS_PER_HOUR)
    eta = params.charge_efficiency
    dis = np.maximum(q, 0.0)
    chg = np.maximum(-q, 0.0)
    return SocTrace(
        soc=s0 + delta / e_nom,
        terminal_mw=q,
        bias_mw=bias,
        nameplate_energy_mwh=e_nom,
        duration_s=p.size / fs,
        discharged_mwh=float(np.sum(dis)) * dt_h,
        charged_mwh=float(np.sum(chg)) * dt_h,
        conversion_loss_mwh=float(np.sum(dis * (1.0 / eta - 1.0) + chg * (1.0 - eta))) * dt_h,
        standby_loss_mwh=standby_mw * p.size * dt_h,
    )


# --------------------------------------------------------------------------- cycling


def _periodic_order(soc: FloatArray) -> FloatArray:
    """One period of a repeating trace, rotated to start and end at its largest value.

    ``soc[-1]`` is taken as the start of the next period (it should equal ``soc[0]``).
    Counting this sequence closes every cycle of the repeating history (S. D. Downing,
    D. F. Socie, "Simple rainflow counting algorithms", Int. J. Fatigue 4(1) (1982)
    31-40: a periodic history is counted from its largest peak).
    """
    x = soc[:-1]
    i = int(np.argmax(x))
    return np.concatenate((x[i:], x[:i], x[i : i + 1]))


def rainflow_cycles(soc: npt.ArrayLike, periodic: bool = False) -> tuple[FloatArray, FloatArray]:
    """Rainflow cycles of a state-of-charge trace: ranges and counts.

    Parameters
    ----------
    soc : array_like
        State of charge (fraction of nameplate) or any load history.
    periodic : bool, optional
        Treat the trace as one period of a repeating history (its last point is the
        next period's first): the trace is rotated to start and end at its largest
        value so that no half cycle is left over. Default ``False``: the trace is
        counted as given, leftover ranges counting as half cycles.

    Returns
    -------
    ranges, counts : ndarray
        One entry per counted cycle (count 1.0) or half cycle (count 0.5), unbinned.

    References
    ----------
    .. [1] ASTM E1049-85 (2011), §5.4.4 rainflow counting; ``rainflow.extract_cycles``
       (https://github.com/iamlikeme/rainflow).
    """
    s = _as_soc(soc)
    if periodic and s.size >= 2:
        s = _periodic_order(s)
    cycles = [(rng, count) for rng, _mean, count, _i0, _i1 in rainflow.extract_cycles(s)]
    if not cycles:
        return np.zeros(0), np.zeros(0)
    arr = np.asarray(cycles, dtype=float)
    return arr[:, 0], arr[:, 1]


def equivalent_full_cycles(soc: npt.ArrayLike, periodic: bool = False) -> float:
    """Equivalent full cycles of a SOC trace, ``Σ count·range`` (-).

    Convention: a full cycle of range 1.0 (nameplate discharged and recharged) is one
    equivalent full cycle; a cycle of range ``d`` counts ``d``, a half cycle ``d/2``.
    Equals half the total SOC travel of the trace.

    References
    ----------
    .. [1] ASTM E1049-85 (2011), §5.4.4 rainflow counting.
    """
    ranges, counts = rainflow_cycles(soc, periodic)
    return float(np.sum(counts * ranges))


def cycles_to_end_of_life(depth: npt.ArrayLike, params: BatteryParameters) -> FloatArray:
    """Cycles to end of life at a depth of discharge, ``N(d) = N_ref·(d/d_ref)^−k``.

    Returns ``inf`` for ``d = 0``.

    References
    ----------
    .. [1] B. Xu et al., IEEE Trans. Smart Grid 9(2) (2018) 1131-1140 (DoD stress of
       rainflow-counted cycles).
    """
    d = np.asarray(depth, dtype=float)
    with np.errstate(divide="ignore"):
        ratio = d / params.cycle_life_reference_dod
        n = params.cycle_life_full_cycles * np.power(ratio, -params.cycle_life_exponent)
    return np.asarray(n, dtype=float)


def cycle_damage(soc: npt.ArrayLike, params: BatteryParameters, periodic: bool = False) -> float:
    """Cycle damage of a SOC trace by Miner's rule, ``Σ count / N(range)`` (-).

    End of life is reached at damage 1.

    References
    ----------
    .. [1] M. A. Miner, "Cumulative damage in fatigue", J. Appl. Mech. 12 (1945)
       A159-A164.
    .. [2] ASTM E1049-85 (2011), §5.4.4 rainflow counting.
    .. [3] B. Xu et al., IEEE Trans. Smart Grid 9(2) (2018) 1131-1140.
    """
    ranges, counts = rainflow_cycles(soc, periodic)
    per_cycle = np.power(ranges / params.cycle_life_reference_dod, params.cycle_life_exponent)
    return float(np.sum(counts * per_cycle)) / params.cycle_life_full_cycles


# --------------------------------------------------------------------------- sizing


def _smallest_fixed_point(need: Callable[[float], float]) -> float:
    """Smallest ``E`` with ``need(E) <= E`` for a slowly increasing requirement ``need``."""
    e0 = need(0.0)
    if e0 <= 0.0:
        return 0.0
    lo, hi = e0, e0
    for _ in range(_MAX_DOUBLINGS):
        if need(hi) <= hi:
            break
        lo, hi = hi, 2.0 * hi
    else:
        raise ValueError(
            "no energy satisfies the requirement: standby_loss_fraction_per_h too large "
            "for the window"
        )
    if hi == e0:
        return e0
    return float(brentq(lambda e: need(e) - e, lo, hi, xtol=1e-15, rtol=_ENERGY_REL_TOL))


def size_battery(
    storage_mw: npt.ArrayLike,
    sample_rate_hz: float,
    params: BatteryParameters,
    operating_hours_per_year: float,
) -> BatterySizing:
    """Size a battery for a terminal-power waveform: power, energy, cycling, losses.

    The nameplate energy is the largest of:

    * ``soc_window``: the stored-energy swing of the SOC-controlled trace (with
      losses) fits ``soc_max − soc_min``;
    * ``c_rate``: the largest |terminal power| (with the loss-recovery bias) is at
      most ``max_c_rate_per_h`` times the energy;
    * ``cycle_life``: the smallest energy whose cycle life reaches
      ``design_life_years``. Damage per year falls as the energy grows (cycles get
      shallower, ``D ∝ E^−k`` for a fixed waveform), so the root of
      ``ln(cycle life) − ln(design life)`` is found by Brent's method on the energy.

    The waveform is taken as one period of a duty that repeats for
    ``operating_hours_per_year``: per-year values are the window's values times
    ``operating_hours_per_year·3600 / window duration``; the rainflow count treats
    the SOC trace as periodic.

    Parameters
    ----------
    storage_mw : array_like
        Power the battery must supply over a representative window (MW, discharge > 0).
    sample_rate_hz : float
        Sample rate (Hz).
    params : BatteryParameters
        Battery parameters.
    operating_hours_per_year : float
        Hours a year the waveform runs (0 < h ≤ 8784).

    Returns
    -------
    BatterySizing

    Raises
    ------
    ValueError
        Naming the input when it is not finite or out of range.

    References
    ----------
    .. [1] ASTM E1049-85 (2011), §5.4.4 rainflow counting.
    .. [2] M. A. Miner, J. Appl. Mech. 12 (1945) A159-A164.
    .. [3] B. Xu et al., IEEE Trans. Smart Grid 9(2) (2018) 1131-1140.
    .. [4] V. Viswanathan et al., PNNL-33283, 2022; NREL Annual Technology Baseline,
       "Utility-Scale Battery Storage".
    """
    p = _as_waveform(storage_mw)
    fs = _check_rate(sample_rate_hz)
    hours = _check_finite("operating_hours_per_year", operating_hours_per_year)
    if not 0.0 < hours <= _HOURS_PER_YEAR_MAX:
        raise ValueError(
            f"operating_hours_per_year must be in (0, {_HOURS_PER_YEAR_MAX:g}], got {hours}"
        )
    duration_s = p.size / fs
    windows_per_year = hours * _SECONDS_PER_HOUR / duration_s
    s = params.standby_loss_fraction_per_h

    def biased(e_nom: float) -> tuple[FloatArray, float]:
        standby_mw = s * e_nom
        bias = _loss_recovery_bias_mw(p, fs, params, standby_mw)
        return _stored_energy_change(p - bias, fs, params, standby_mw), bias

    def need_soc(e_nom: float) -> float:
        return float(np.ptp(biased(e_nom)[0])) / params.soc_window

    def need_c_rate(e_nom: float) -> float:
        return float(np.max(np.abs(p - biased(e_nom)[1]))) / params.max_c_rate_per_h

    e_soc = _smallest_fixed_point(need_soc)
    e_c = _smallest_fixed_point(need_c_rate)
    if max(e_soc, e_c) <= 0.0:  # the battery never does anything
        return BatterySizing(
            power_mw=0.0,
            energy_mwh=0.0,
            c_rate_per_h=0.0,
            full_cycles_per_year=0.0,
            cycle_life_years=math.inf,
            throughput_mwh_per_year=0.0,
            loss_mwh_per_year=0.0,
            loss_mw_average=0.0,
            roundtrip_efficiency=params.roundtrip_efficiency,
            soc_min=params.soc_min,
            soc_max=params.soc_max,
            binding="soc_window",
        )

    def life_years(e_nom: float) -> float:
        trace = soc_trace(p, fs, params, e_nom)
        damage = cycle_damage(trace.soc, params, periodic=True) * windows_per_year
        return math.inf if damage <= 0.0 else 1.0 / damage

    e_cyc = _cycle_life_energy(life_years, max(e_soc, e_c), params)

    candidates: dict[Binding, float] = {"soc_window": e_soc, "c_rate": e_c, "cycle_life": e_cyc}
    binding: Binding = max(candidates, key=lambda k: candidates[k])
    energy = candidates[binding]

    trace = soc_trace(p, fs, params, energy)
    efc = equivalent_full_cycles(trace.soc, periodic=True)
    damage = cycle_damage(trace.soc, params, periodic=True) * windows_per_year
    power = float(np.max(np.abs(trace.terminal_mw)))
    return BatterySizing(
        power_mw=power,
        energy_mwh=energy,
        c_rate_per_h=power / energy,
        full_cycles_per_year=efc * windows_per_year,
        cycle_life_years=math.inf if damage <= 0.0 else 1.0 / damage,
        throughput_mwh_per_year=trace.discharged_mwh * windows_per_year,
        loss_mwh_per_year=trace.loss_mwh * windows_per_year,
        loss_mw_average=trace.loss_mw_average,
        roundtrip_efficiency=params.roundtrip_efficiency,
        soc_min=params.soc_min,
        soc_max=params.soc_max,
        binding=binding,
        energy_soc_window_mwh=e_soc,
        energy_c_rate_mwh=e_c,
        energy_cycle_life_mwh=e_cyc,
    )


def _cycle_life_energy(
    life_years: Callable[[float], float], e_start: float, params: BatteryParameters
) -> float:
    """Smallest energy whose cycle life reaches the design life (MWh)."""
    target = params.design_life_years

    def gap(e_nom: float) -> float:
        life = life_years(e_nom)
        return math.inf if math.isinf(life) else math.log(life / target)

    g0 = gap(e_start)
    if math.isinf(g0):
        return 0.0  # no cycling at all
    # damage ∝ E^−k: first guess of the root, then bracket by factors of two
    guess = e_start * math.exp(-g0 / params.cycle_life_exponent)
    lo = hi = guess
    g_guess = gap(guess)
    if g_guess < 0.0:
        for _ in range(_MAX_DOUBLINGS):
            lo, hi = hi, 2.0 * hi
            if gap(hi) >= 0.0:
                break
        else:
            raise ValueError("cycle life cannot reach design_life_years at any energy")
    else:
        for _ in range(_MAX_DOUBLINGS):
            lo, hi = 0.5 * lo, lo
            if gap(lo) < 0.0:
                break
        else:
            return lo
    return float(brentq(gap, lo, hi, xtol=1e-15, rtol=_ENERGY_REL_TOL))
