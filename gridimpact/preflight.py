"""Every check of a case short of solving it: what ``gridimpact validate`` runs.

:func:`gridimpact.case.load_case` checks the case file on its own (schema, units,
catalog names). :func:`preflight` goes on to everything the study would otherwise
find out only after seconds to minutes of solving: the weather loads (station, EPW file, year,
seed), the network loads (file, POI bus, upgrades, common-structure lines, candidate
POI buses), the cooling parameters resolve, and the training-power waveform fits its
resource budget. Nothing here solves a power flow. It costs about as much as loading
the weather and the network once (a second or two); the study reuses the cached
synthetic weather.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from gridimpact.case import LoadedCase
from gridimpact.case.bounds import MAX_SAMPLES
from gridimpact.case.workload import WorkloadSection
from gridimpact.errors import CaseError

_UNNAMED_CASE = ("case", "case file")
"""File names that stages which do not know the case file put in a :class:`CaseError`."""

MAX_WAVEFORM_SAMPLES = MAX_SAMPLES
"""Largest training-power waveform, ``workload.duration_s × workload.sample_rate_hz``
samples (:data:`gridimpact.case.bounds.MAX_SAMPLES`; the schema enforces it too)."""


def check_workload_budget(workload: WorkloadSection, file: str) -> int:
    """Samples of the training-power waveform; raise if over :data:`MAX_WAVEFORM_SAMPLES`.

    The schema refuses such a case already; this holds for sections built in code too.

    Raises
    ------
    CaseError
        Naming ``workload.sample_rate_hz`` (the field the schema names for it too).
    """
    duration_s = float(workload.duration_s.value)
    rate_hz = float(workload.sample_rate_hz.value)
    samples = duration_s * rate_hz
    if samples > MAX_WAVEFORM_SAMPLES:
        raise CaseError(
            file,
            "workload.sample_rate_hz",
            f"{duration_s:g} s at {rate_hz:g} Hz is {samples:,.0f} waveform samples, more "
            f"than the {MAX_WAVEFORM_SAMPLES:,} allowed; lower workload.sample_rate_hz or "
            "shorten workload.duration_s",
        )
    return max(round(samples), 2)


@contextlib.contextmanager
def case_file_named(file: str) -> Iterator[None]:
    """Put ``file`` into :class:`CaseError` s raised as ``case: field: ...``.

    Stages that only see a section of the case (not the file it came from) raise
    ``CaseError("case", field, message)``; the user should read the file's name.
    """
    try:
        yield
    except CaseError as exc:
        if exc.file not in _UNNAMED_CASE:
            raise
        try:
            named = type(exc)(file, exc.field, exc.message)
        except TypeError:  # a subclass with another constructor: keep it as it is
            raise exc from None
        raise named from None


def input_files(loaded: LoadedCase) -> list[Path]:
    """Files the study reads besides the tool's own data: case, EPW, network file."""
    case = loaded.case
    found = [loaded.path]
    if case.weather.kind == "epw" and case.weather.epw_file:
        found.append(loaded.base_dir / case.weather.epw_file)
    network = loaded.base_dir / case.grid.network
    if network.is_file():
        found.append(network)
    if case.grid.dynamic_data:
        dyr = loaded.base_dir / case.grid.dynamic_data
        if dyr.is_file():
            found.append(dyr)
    return found


def preflight(loaded: LoadedCase, file: str | None = None) -> list[str]:
    """Run every check of a loaded case short of solving.

    Parameters
    ----------
    loaded : LoadedCase
        A case that :func:`gridimpact.case.load_case` accepted.
    file : str, optional
        The case file as the user named it (default: its resolved path), for errors.

    Returns
    -------
    list of str
        One line per check passed, e.g. ``"weather: synthetic typical year ..."``.

    Raises
    ------
    GridImpactError
        The first failing check (:class:`CaseError`, :class:`WeatherError`,
        :class:`NetworkError`), as one line naming the file and field.
    """
    shown = file or str(loaded.path)
    with case_file_named(shown):
        return _preflight(loaded, shown)


def _preflight(loaded: LoadedCase, shown: str) -> list[str]:
    from gridimpact.grid import load_network
    from gridimpact.thermal.params import load_parameters
    from gridimpact.weather import load_weather

    case = loaded.case
    done: list[str] = []

    samples = check_workload_budget(case.workload, shown)
    done.append(f"workload: {samples:,} waveform samples (limit {MAX_WAVEFORM_SAMPLES:,})")

    weather = load_weather(case.weather, loaded.base_dir, case_file=shown)
    done.append(f"weather: {weather.source}, year {case.weather.year}")

    load_parameters(case.cooling)
    done.append(f"cooling: {case.cooling.architecture} parameters")

    network = load_network(case.grid, loaded.base_dir, case_file=shown)  # POIs, upgrades
    buses = ", ".join((case.grid.poi_bus, *case.grid.candidate_poi_buses))
    done.append(f"network: {network.name}, POI bus(es) {buses}")
    if case.grid.dynamic_data:
        done.append(check_dynamic_data(loaded, shown))
    return done


def check_dynamic_data(loaded: LoadedCase, shown: str) -> str:
    """Check ``grid.dynamic_data`` (a PSS/E DYR) against the RAW network.

    A missing file is an input error; a DYR the time-domain studies cannot use is not:
    the steady-state studies still run, and the returned line says why the dynamic
    studies will not.

    Raises
    ------
    NetworkCaseError
        If the DYR file does not exist (``grid.dynamic_data``).
    """
    from gridimpact.dynamics.timedomain.dyr import check_dyr
    from gridimpact.errors import DynamicDataError, NetworkCaseError

    grid = loaded.case.grid
    assert grid.dynamic_data is not None
    dyr = (loaded.base_dir / grid.dynamic_data).resolve()
    if not dyr.is_file():
        problem = "is not a file" if dyr.exists() else "not found"
        raise NetworkCaseError(
            shown, "grid.dynamic_data", f"DYR file {grid.dynamic_data!r} {problem} ({dyr})"
        )
    try:
        records = check_dyr(loaded.base_dir / grid.network, dyr)
    except DynamicDataError as exc:
        return f"dynamic data: {exc.one_line()} (the time-domain studies will not run)"
    return f"dynamic data: {dyr.name}, {len(records)} records checked against {grid.network}"
