"""Case files: schema, loading and validation."""

from gridimpact.case.load import LoadedCase, load_case
from gridimpact.case.schema import Case
from gridimpact.schema import Sourced, iter_sourced

__all__ = ["Case", "LoadedCase", "Sourced", "iter_sourced", "load_case"]
