"""The time-domain stage as the study runs it: RAW+DYR files nobody on the team wrote
(ANDES' ieee14), bad dynamic data as a finding, and the shipped Memphis case."""

from __future__ import annotations

import pathlib

import pandas as pd
import pytest

from gridimpact.case.time_domain import TimeDomainSection
from gridimpact.dynamics.timedomain.stage import (
    RawDyrSource,
    run_time_domain,
    swing_frequencies_hz,
)
from gridimpact.report.document import TIME_DOMAIN_HEADLINE_KEYS, headline
from gridimpact.study import StudyResult
from tests.test_timedomain_build import IEEE14_DYR, IEEE14_RAW

#: A training swing of 20 MW at 0.5 Hz (and its third harmonic), in the 0.1-2 Hz band.
SPECTRUM = pd.DataFrame(
    {
        "frequency_hz": [0.0, 0.5, 1.0, 1.5, 3.0],
        "amplitude_mw": [50.0, 20.0, 0.5, 6.0, 4.0],
        "in_oscillation_band": [False, True, True, True, False],
    }
)


def test_swing_frequencies_keep_the_in_band_components() -> None:
    freqs, amps = swing_frequencies_hz(SPECTRUM)
    # 1.0 Hz is below 10 % of the largest in-band component (20 MW), 3 Hz out of band
    assert freqs == (0.5, 1.5)
    assert amps == (20.0, 6.0)


def _source(dyr: pathlib.Path) -> RawDyrSource:
    return RawDyrSource(IEEE14_RAW, dyr, poi_bus_number=9, campus_p_mw=50.0, campus_q_mvar=10.0)


def test_ieee14_raw_and_dyr_run_every_study() -> None:
    """ANDES' own ieee14.raw + ieee14.dyr (GENROU, exciters, governors as shipped)."""
    td = run_time_domain(TimeDomainSection(), _source(IEEE14_DYR), spectrum=SPECTRUM)
    assert td.performed, td.reason
    h = td.headline
    assert set(TIME_DOMAIN_HEADLINE_KEYS) <= set(h)
    assert h["dynamics_engine"].startswith("ANDES ")
    # losing 50 MW of load: frequency rises, the first-swing peak is at least the settling
    assert h["load_loss_freq_peak_deviation_hz"] > 0.0
    assert h["load_loss_rocof_hz_per_s"] > 0.0
    assert h["fault_poi_min_voltage_pu"] < 0.2  # a bolted fault at the POI
    assert h["fault_ride_through_load_tripped_mw"] == pytest.approx(40.0)  # the UPS tier, 0.8
    assert all(0.1 <= m["frequency_hz"] <= 2.5 for m in h["electromechanical_modes"])
    assert h["swing_mode_min_frequency_separation_hz"] is not None


def test_a_bad_dyr_is_a_finding_and_the_study_stands(tmp_path: pathlib.Path) -> None:
    """Issue 12, bad input: one line naming file, record and model; not performed."""
    text = IEEE14_DYR.read_text(encoding="utf-8")
    bad = tmp_path / "bad.dyr"
    bad.write_text(text.replace("      6 'GENROU' 1", "   9999 'GENROU' 1", 1), encoding="utf-8")
    td = run_time_domain(TimeDomainSection(), _source(bad), spectrum=SPECTRUM)
    assert not td.performed
    assert "bad.dyr line" in td.reason
    assert "GENROU references bus 9999" in td.reason
    assert "\n" not in td.reason
    assert td.headline["load_loss_freq_peak_deviation_hz"] is None


def test_memphis_campus_trip_against_the_frequency_response(study_100k: StudyResult) -> None:
    """The shipped case: the governors' droops are sized to the NERC IFRO beta (1,015 MW/
    0.1 Hz, dynamics.toml) and loads are constant power, so after the trip the frequency
    settles near dP/beta (Kundur 1994, 11.1). The campus's share of the network losses
    goes with it, so the settling rise is somewhat larger: +0 to +10 % accepted."""
    td = study_100k.time_domain
    assert td is not None and td.performed, td and td.reason
    h = headline(study_100k)
    df_beta = study_100k.facility.peak_mw / 10_150.0
    settle = h["load_loss_settling_freq_deviation_hz"]
    assert df_beta <= settle <= 1.10 * df_beta
    assert h["load_loss_freq_peak_deviation_hz"] >= settle - 1e-3
    # initial RoCoF ~ dP f0 / (2 E_kin), E_kin = 2,400 GW s of the interconnection
    # equivalent (dynamic_models.toml) + Allen CC; the 500 ms window sees the first
    # governor action, so 25 % tolerance
    rocof_hand = study_100k.facility.peak_mw * 60.0 / (2.0 * 2.4e6)
    assert h["load_loss_rocof_hz_per_s"] == pytest.approx(rocof_hand, rel=0.25)
    assert h["dynamics_engine"] == td.engine


def test_an_unknown_fault_bus_is_a_finding() -> None:
    """``[time_domain] fault_bus`` names a bus of the network or the study says why not."""
    from gridimpact.grid import load_network
    from gridimpact.grid.dynamic_export import export_power_flow_case
    from tests.grid_helpers import section

    pfc = export_power_flow_case(load_network(section(), pathlib.Path(".")), 150.0, 30.0)
    bad = TimeDomainSection(fault_bus="Nowhere 161kV")
    td = run_time_domain(bad, pfc, spectrum=SPECTRUM)
    assert not td.performed
    assert td.reason == "time_domain.fault_bus 'Nowhere 161kV' is not a bus of memphis_161kv"
    raw = run_time_domain(
        TimeDomainSection(fault_bus="Bus 9"), _source(IEEE14_DYR), spectrum=SPECTRUM
    )
    assert not raw.performed
    assert "a RAW network's buses are PSS/E numbers" in raw.reason
