"""gridimpact: grid-impact and cooling engineering of very large AI data-center campuses."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gridimpact")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
