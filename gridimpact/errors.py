"""One exception hierarchy for the whole tool.

The CLI turns every :class:`GridImpactError` into a single line on stderr and a
non-zero exit code; anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations


class GridImpactError(Exception):
    """Base class of every error the tool reports to its user."""

    exit_code: int = 1

    def one_line(self) -> str:
        """The message the CLI prints: one line, no traceback."""
        return " ".join(str(self).split())


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


class SolverError(GridImpactError):
    """A numerical study could not produce a result at all.

    Divergence of one operating point is a *finding* and is reported in the
    results; this error is for failures that leave nothing to report.
    """

    exit_code = 3


class ReportError(GridImpactError):
    """Writing the run folder failed."""

    exit_code = 4
