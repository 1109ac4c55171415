"""One exception hierarchy for the whole tool.

The CLI turns every :class:`GridImpactError` into a single line on stderr and a
non-zero exit code; anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(str(text).split())


class GridImpactError(Exception):
    """Base class of every error the tool reports to its user."""

    exit_code: int = 1

    def one_line(self) -> str:
        """The message the CLI prints: one line, no traceback."""
        return one_line(str(self))


class CaseError(GridImpactError):
    """A case file (or a catalog it names) is missing or invalid.

    Parameters
    ----------
    file : str
        The file the problem is in.
    field : str
        Dotted path of the offending field (empty for whole-file problems).
    message : str
        What is wrong, in words a user can act on.
    """

    exit_code = 2

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        where = f"{file}: {field}: " if field else f"{file}: "
        super().__init__(where + message)


class WeatherError(GridImpactError):
    """A weather file is missing, malformed or physically implausible."""

    exit_code = 2


class NetworkError(GridImpactError):
    """A network model cannot be built or loaded, or a named bus is unknown."""

    exit_code = 2


class DynamicDataError(NetworkError):
    """Dynamic data (a PSS/E DYR beside a RAW network) cannot be used.

    One line naming the file, the record (line number) and the model, e.g.
    ``case.dyr line 12: GENROU references bus 9999, absent from net.raw``.
    """


class SolverError(GridImpactError):
    """A numerical study could not produce a result at all.

    Divergence of one operating point is a *finding* and is reported in the
    results; this error is for failures that leave nothing to report.
    """

    exit_code = 3


class ReportError(GridImpactError):
    """Writing the run folder failed."""

    exit_code = 4


class NetworkCaseError(CaseError, NetworkError):
    """A ``[grid]`` field names something the network does not have (or cannot use).

    One line ``case file: grid.field: what is wrong``, as every :class:`CaseError`;
    also a :class:`NetworkError`, which is what callers of :func:`load_network` catch.
    """


class WeatherCaseError(CaseError, WeatherError):
    """A ``[weather]`` entry of the case is wrong (unknown station, EPW file missing).

    Both a :class:`CaseError` (the message names the case file and ``weather.<field>``)
    and a :class:`WeatherError` (what callers of :func:`load_weather` catch).
    """


class OutputFolderError(ReportError):
    """The output folder cannot be used without destroying data that is not ours.

    Raised before anything is written (and before the study runs, from the CLI): the
    user's input is at fault, so the exit code is that of bad input.
    """

    exit_code = 2


class SweepError(GridImpactError):
    """A sweep cannot be run as asked (workers, scheduler address)."""

    exit_code = 2
