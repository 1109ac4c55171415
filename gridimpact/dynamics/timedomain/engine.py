"""The dynamic engine: ANDES, imported quietly, with its generated code checked once.

ANDES turns its symbolic models into numerical code ("code generation", about a
minute) and caches it under ``~/.andes/pycode``. :func:`ensure_code_generated`
does that once, at install time (``python -m gridimpact.dynamics.timedomain.engine``),
or when ANDES' models changed (ANDES compares the md5 of every model's equations
with the cached code); a study never pays for it.

References
----------
.. [1] H. Cui, F. Li, K. Tomsovic, "Hybrid Symbolic-Numeric Framework for Power
   System Modeling and Analysis", IEEE Trans. Power Syst. 36(2), 2021 (ANDES).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

ENGINE = "ANDES"


def quiet_andes() -> None:
    """Silence ANDES' logging (left on with ``GRIDIMPACT_DEBUG=1``).

    ANDES reports problems (non-convergence, unknown models) by logging; the builders
    check the outcome themselves and raise one-line errors instead.
    """
    if os.environ.get("GRIDIMPACT_DEBUG"):
        return
    lg = logging.getLogger("andes")
    lg.setLevel(logging.CRITICAL)
    if not any(isinstance(h, logging.NullHandler) for h in lg.handlers):
        lg.addHandler(logging.NullHandler())
    lg.propagate = False


def andes_module() -> Any:
    """The imported ``andes`` package, with its logging quietened."""
    import andes

    quiet_andes()
    return andes


def engine_name() -> str:
    """``"ANDES <version>"``, e.g. ``"ANDES 2.0.0"``."""
    return f"{ENGINE} {andes_module().__version__}"


def stale_models() -> list[str] | None:
    """Models whose cached generated code is missing or outdated (``None``: no cache at all)."""
    andes = andes_module()
    system = andes.System(no_undill=True)
    if system.codegen._load_calls() is False:
        return None
    return list(system.codegen._find_stale_models().keys())


def ensure_code_generated() -> bool:
    """Generate ANDES' numerical code if it is missing or outdated.

    Returns
    -------
    bool
        True if code was generated now, False if the cache was up to date.
    """
    andes = andes_module()
    stale = stale_models()
    if stale == []:
        return False
    system = andes.System(no_undill=True)
    if stale is None:
        system.prepare(quick=True, incremental=False)
    else:
        system.prepare(quick=True, incremental=True)
    return True


def main() -> int:
    """Entry point of ``python -m gridimpact.dynamics.timedomain.engine``."""
    generated = ensure_code_generated()
    state = "generated" if generated else "up to date"
    print(f"{engine_name()}: numerical code {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
