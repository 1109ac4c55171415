"""The command line: parse, call, print, exit code. Nothing else lives here.

Every outcome is one line: a result on stdout, or ``error: <what>`` on stderr with
exit code 2 (bad input: case, option, ``--out``), 3 (no result), 4 (writing failed),
130 / 143 (interrupted by SIGINT / SIGTERM; the partial run folder is removed).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import FrameType, ModuleType
from typing import Annotated, Any

import typer
from rich.console import Console

from gridimpact import __version__
from gridimpact.errors import CaseError, GridImpactError, one_line

# pypowsybl (imported by lightsim2grid when installed) logs a warning about its optional
# 'opf' extra at import; the CLI's output is one line per outcome, so keep it quiet.
logging.getLogger("powsybl").setLevel(logging.ERROR)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Grid-impact and cooling engineering of very large AI data-center campuses.",
)
# soft_wrap: a result line is never broken at the terminal width; no markup: paths and
# case names are printed as they are (``[x]`` is not a style tag).
out_console = Console(soft_wrap=True, highlight=False, markup=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

CaseArg = Annotated[Path, typer.Argument(help="Case file (TOML).", show_default=False)]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace --out even if it is a file or a folder holding files gridimpact "
        "did not write (never the current folder, a parent of it, or a folder holding "
        "the case).",
    ),
]


QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress display on stderr (shown only on a terminal)."),
]


def _progress(quiet: bool) -> AbstractContextManager[Any]:
    """The rich progress display on stderr, when it is a terminal and not --quiet."""
    from gridimpact import progress

    return progress.reporting(err_console, enabled=sys.stderr.isatty() and not quiet)


class Interrupted(BaseException):
    """SIGINT / SIGTERM during a command.

    A :class:`BaseException` (like :class:`KeyboardInterrupt`) so that no ``except
    Exception`` swallows it, while every ``finally`` and context manager on the way out
    runs: the temporary run folder is removed.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _default_out(case_file: Path) -> Path:
    return Path("reports") / case_file.stem


@app.command()
def validate(case: CaseArg) -> None:
    """Run every check of a case short of solving; print a one-line verdict.

    Checks the case file (schema, units, catalog names), loads the weather (station,
    EPW file, year, seed) and the network (file, POI bus, upgrades, candidate POI
    buses), resolves the cooling parameters and checks the workload waveform's size.
    """
    from gridimpact.case import load_case
    from gridimpact.preflight import preflight

    loaded = load_case(case)
    preflight(loaded, str(case))
    out_console.print(f"{case}: ok ({loaded.case.case.name}, sha256 {loaded.file_sha256[:12]})")


@app.command()
def run(
    case: CaseArg,
    out: Annotated[Path | None, typer.Option(help="Run folder (default reports/<case>).")] = None,
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run the study of one case and write its run folder."""
    from gridimpact.case import load_case
    from gridimpact.preflight import case_file_named, input_files, preflight
    from gridimpact.report.output import check_output_folder

    # bad input fails here, before the study runs: the case, then --out (costs nothing),
    # then everything short of solving
    loaded = load_case(case)
    target = out or _default_out(case)
    inputs = input_files(loaded)
    check_output_folder(target, force=force, inputs=inputs)
    preflight(loaded, str(case))

    from gridimpact.report import write_run
    from gridimpact.report.document import headline
    from gridimpact.study import run_study

    with case_file_named(str(case)), _progress(quiet):
        result = run_study(loaded)
    folder = write_run(result, target, force=force, inputs=inputs)
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
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run several cases and write their run folders and a comparison."""
    from gridimpact.case import load_case
    from gridimpact.preflight import case_file_named, input_files, preflight
    from gridimpact.report.output import check_output_folder

    if len(cases) < 2:
        raise typer.BadParameter("give at least two case files")
    loaded = [load_case(c) for c in cases]  # validate all before running any
    seen: dict[str, Path] = {}
    for item, given in zip(loaded, cases, strict=True):
        name = item.case.case.name
        if name in seen:  # each case's run folder is out/<name>: one would overwrite the other
            raise CaseError(
                str(given),
                "case.name",
                f"{name!r} is also the name of {seen[name]}; each case of a comparison "
                "needs its own name",
            )
        seen[name] = given
    inputs = [p for item in loaded for p in input_files(item)]
    check_output_folder(out, force=force, inputs=inputs)
    for item, given in zip(loaded, cases, strict=True):
        preflight(item, str(given))

    from gridimpact.report import write_compare
    from gridimpact.report.document import headline
    from gridimpact.study import run_study

    results = []
    for item, given in zip(loaded, cases, strict=True):
        out_console.print(f"running {item.case.case.name} ...")
        with case_file_named(str(given)), _progress(quiet):
            results.append(run_study(item))
    folder = write_compare(results, out, force=force, inputs=inputs)
    for r in results:
        h = headline(r)
        out_console.print(f"{r.loaded.case.case.name}: facility peak {h['facility_peak_mw']} MW")
    out_console.print(f"comparison -> {folder}")


@app.command()
def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep file (TOML).", show_default=False)],
    out: Annotated[
        Path | None, typer.Option(help="Sweep folder (default reports/<sweep file>).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Local worker processes (default: min(4, CPU count))."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running dask scheduler, e.g. tcp://host:8786 (its workers "
            "need this gridimpact and the case files and --out at the same paths)."
        ),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Run a parameter sweep of a case on dask.distributed; write its sweep folder.

    Every point is validated before any runs. Points already in --out are reused; a
    point that fails is a row of sweep.csv with its error.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from gridimpact.sweep import run_sweep, sweep_summary_line

    if workers is not None and scheduler is not None:
        raise typer.BadParameter("give --workers or --scheduler, not both")
    target = out or _default_out(sweep_file)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    shown = err_console.is_terminal and not quiet
    with Progress(
        *columns, TimeElapsedColumn(), console=err_console, transient=True, disable=not shown
    ) as bar:
        task = bar.add_task("validating the points", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        result = run_sweep(
            sweep_file,
            target,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
            announce=bar.console.print,  # where the points run, and the dashboard
        )
    out_console.print(sweep_summary_line(result))


WorkersOpt = Annotated[
    int,
    typer.Option(
        min=1,
        help="Worker processes on this machine (a dask LocalCluster, one thread each); "
        "1 runs in this process.",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        help="Address of a running dask scheduler (e.g. tcp://10.0.0.5:8786) to run on "
        "instead of this machine.",
        show_default=False,
    ),
]


@contextlib.contextmanager
def _executor(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A dask Client (local cluster or remote scheduler), or None to run in this process."""
    if scheduler is not None and workers > 1:
        raise typer.BadParameter("give --workers or --scheduler, not both")
    if scheduler is None and workers <= 1:
        yield None
        return
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            except (OSError, TimeoutError) as exc:
                raise typer.BadParameter(
                    f"--scheduler {scheduler}: cannot connect ({exc})"
                ) from None
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
                )
            )
            client = stack.enter_context(Client(cluster))
        err_console.print(f"dask dashboard: {client.dashboard_link}")
        yield client


@app.command()
def site(
    case: CaseArg,
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default reports/<case>-siting).")
    ] = None,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Hosting capacity of the case's campus at every bus at or above its POI's voltage.

    Writes siting.csv (ranked by N-1 hosting), siting.json and siting.png (a map where
    the network has bus coordinates, else a ranked bar chart).
    """
    from gridimpact.case import load_case
    from gridimpact.preflight import case_file_named, input_files, preflight
    from gridimpact.report.output import check_output_folder

    loaded = load_case(case)
    target = out or Path("reports") / f"{case.stem}-siting"
    inputs = input_files(loaded)
    check_output_folder(target, force=force, inputs=inputs)
    preflight(loaded, str(case))

    from gridimpact import progress
    from gridimpact.siting import site_campus, write_siting

    with _executor(workers, scheduler) as executor, case_file_named(str(case)), _progress(quiet):
        with contextlib.ExitStack() as bars:
            tasks: list[Any] = []

            def advance(done: int, total: int, bus: str) -> None:
                if not tasks:
                    tasks.append(bars.enter_context(progress.task("buses", total=total)))
                tasks[0].advance(1)

            result = site_campus(loaded, executor, progress=advance)
    folder = write_siting(result, target, force=force, inputs=inputs)
    poi = result.row(result.poi_bus)
    best = result.table.iloc[0]
    out_console.print(
        f"{result.case_name}: {len(result.table)} buses at or above {result.poi_vn_kv:g} kV; "
        f"best {best.bus} ({best.hosting_capacity_n1_mw:,.0f} MW N-1), POI "
        f"{result.poi_bus} {poi.hosting_capacity_n1_mw:,.0f} MW (rank {poi['rank']}) "
        f"for a {result.facility_peak_mw:,.0f} MW campus -> {folder}"
    )


@app.command()
def version() -> None:
    """Print the tool version."""
    out_console.print(f"gridimpact {__version__}")


def _click_exceptions() -> ModuleType:
    """click's exceptions: vendored by recent typer, the click package before."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - typer < 0.20 depends on click
        return importlib.import_module("click.exceptions")


INTERNAL_ERROR_EXIT = 70
"""Exit code of an unexpected failure (EX_SOFTWARE of sysexits.h)."""


def _error(message: str) -> None:
    err_console.print(f"error: {one_line(message)}")


def _usage_error(exc: Any) -> str:
    """A click usage error in one line, with the command to ask for help."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"{exc.format_message()}{hint}"


def _install_signal_handlers() -> dict[int, Any]:
    """SIGINT / SIGTERM raise :class:`Interrupted` (main thread only); old handlers."""
    saved: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return saved
    handler: Callable[[int, FrameType | None], None] = _raise_interrupted
    for sig in (signal.SIGINT, signal.SIGTERM):
        saved[sig] = signal.signal(sig, handler)
    return saved


def main(argv: list[str] | None = None) -> int:
    """Entry point: every outcome is one line and an exit code.

    :class:`GridImpactError` → ``error: <one line>`` and its exit code; usage errors
    (unknown option, missing argument) → one line, exit 2; SIGINT / SIGTERM →
    ``error: interrupted by SIGTERM ...``, exit 128 + signal number, with the partial run
    folder removed. ``--help`` (and no arguments at all) print the help.
    """
    clicks = _click_exceptions()
    saved = _install_signal_handlers()
    try:
        rv = app(args=argv, prog_name="gridimpact", standalone_mode=False)
    except GridImpactError as exc:
        _error(exc.one_line())
        return exc.exit_code
    except Interrupted as exc:
        name = signal.Signals(exc.signum).name
        _error(f"interrupted by {name}; no partial run folder is left behind")
        return 128 + exc.signum
    except clicks.UsageError as exc:
        no_args = getattr(clicks, "NoArgsIsHelpError", None)
        if no_args is not None and isinstance(exc, no_args):
            out_console.print(exc.format_message())  # bare `gridimpact`: the help
            return 2
        _error(_usage_error(exc))
        return 2
    except clicks.ClickException as exc:  # e.g. FileError
        _error(exc.format_message())
        return int(getattr(exc, "exit_code", 1))
    except typer.Abort:
        _error("aborted")
        return 1
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return int(exc.code or 0)
        _error(str(exc.code))
        return 1
    except Exception as exc:  # a bug, not the user's input: still one line, no traceback
        if os.environ.get("GRIDIMPACT_DEBUG"):
            raise
        _error(
            f"internal error ({type(exc).__name__}: {exc}); no run folder was written. "
            "Please report it with the case file; GRIDIMPACT_DEBUG=1 shows the traceback"
        )
        return INTERNAL_ERROR_EXIT
    finally:
        for sig, old in saved.items():
            if old is not None:  # None: a handler installed from C, cannot be restored
                signal.signal(sig, old)
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
