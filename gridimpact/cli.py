"""The command line: parse, call, print, exit code. Nothing else lives here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gridimpact import __version__
from gridimpact.errors import GridImpactError

# pypowsybl (imported by lightsim2grid when installed) logs a warning about its optional
# 'opf' extra at import; the CLI's output is one line per outcome, so keep it quiet.
logging.getLogger("powsybl").setLevel(logging.ERROR)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Grid-impact and cooling engineering of very large AI data-center campuses.",
)
out_console = Console()
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

CaseArg = Annotated[Path, typer.Argument(help="Case file (TOML).", show_default=False)]


def _default_out(case_file: Path) -> Path:
    return Path("reports") / case_file.stem


@app.command()
def validate(case: CaseArg) -> None:
    """Check a case file and print a one-line verdict."""
    from gridimpact.case import load_case

    loaded = load_case(case)
    out_console.print(f"{case}: ok ({loaded.case.case.name}, sha256 {loaded.file_sha256[:12]})")


@app.command()
def run(
    case: CaseArg,
    out: Annotated[Path | None, typer.Option(help="Run folder (default reports/<case>).")] = None,
) -> None:
    """Run the study of one case and write its run folder."""
    from gridimpact.case import load_case

    loaded = load_case(case)  # bad input fails here, before any study module loads
    from gridimpact.report import write_run
    from gridimpact.report.document import headline
    from gridimpact.study import run_study

    result = run_study(loaded)
    folder = write_run(result, out or _default_out(case))
    h = headline(result)
    out_console.print(
        f"{result.loaded.case.case.name}: facility peak {h['facility_peak_mw']} MW, "
        f"POI {h['poi_bus']} at "
        + (f"{h['poi_vm_pu']} pu" if h["poi_vm_pu"] is not None else "no power-flow solution")
        + f" -> {folder}"
    )


@app.command()
def compare(
    cases: Annotated[list[Path], typer.Argument(help="Two or more case files.")],
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("reports/comparison"),
) -> None:
    """Run several cases and write their run folders and a comparison."""
    from gridimpact.case import load_case
    from gridimpact.report import write_compare
    from gridimpact.report.document import headline
    from gridimpact.study import run_study

    if len(cases) < 2:
        raise typer.BadParameter("give at least two case files")
    loaded = [load_case(c) for c in cases]  # validate all before running any
    results = []
    for item in loaded:
        out_console.print(f"running {item.case.case.name} ...")
        results.append(run_study(item))
    folder = write_compare(results, out)
    for r in results:
        h = headline(r)
        out_console.print(f"{r.loaded.case.case.name}: facility peak {h['facility_peak_mw']} MW")
    out_console.print(f"comparison -> {folder}")


@app.command()
def version() -> None:
    """Print the tool version."""
    out_console.print(f"gridimpact {__version__}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: every :class:`GridImpactError` becomes one line and an exit code.

    Usage errors (unknown option, missing argument) are reported by typer itself
    with exit code 2.
    """
    try:
        app(args=argv, prog_name="gridimpact")
    except GridImpactError as exc:
        err_console.print(f"error: {exc.one_line()}", markup=False)
        return exc.exit_code
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return int(exc.code or 0)
        err_console.print(str(exc.code), markup=False)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
