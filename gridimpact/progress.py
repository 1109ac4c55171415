"""Progress of the long stages, reported without knowing about the terminal.

Physics and grid code only announce what they do::

    from gridimpact import progress

    progress.stage("grid studies")
    with progress.task("N-1 at every hour", total=len(outages)) as t:
        for chunk in chunks:
            ...
            t.advance(len(chunk))

Nothing is shown unless a reporter is installed: the default one does nothing (one
function call per :func:`stage`, :func:`task` and ``advance``), so tests and library
use print nothing. The command line installs the ``rich`` reporter with
:func:`reporting` when stderr is a terminal; tests install their own with :func:`using`.

The reporter in force lives in a :class:`contextvars.ContextVar`: installing one
affects only the thread (or task) that installed it. A task handle may be advanced
from any thread (the outages solved on a thread pool); a thread of its own (a dask
worker, a thread pool's worker) calling :func:`stage` or :func:`task` sees the no-op
reporter unless it runs in a copy of the caller's context
(:func:`contextvars.copy_context`). Sweeps on worker processes report their points
themselves.

Keep the calls coarse: advance per chunk of hours, per outage batch, per bisection
step, never per power flow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, TaskID
    from rich.progress import Task as RichTask
    from rich.text import Text

__all__ = [
    "NULL",
    "NullReporter",
    "Reporter",
    "RichReporter",
    "StepCounter",
    "Task",
    "bisection_steps",
    "current",
    "reporting",
    "stage",
    "steps",
    "task",
    "using",
]


class Task(Protocol):
    """Handle of one running task."""

    def advance(self, amount: float = 1) -> None:
        """``amount`` more units of the task's ``total`` are done."""


class Reporter(Protocol):
    """What receives the progress: stage labels and tasks."""

    def stage(self, label: str) -> None:
        """A new stage of the study starts (the previous one ended)."""

    def task(self, label: str, total: float) -> AbstractContextManager[Task]:
        """A task of ``total`` units; the context manager's value is its handle."""


class _NoTask:
    """The no-op task: its own context manager and handle (one shared instance)."""

    __slots__ = ()

    def __enter__(self) -> _NoTask:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def advance(self, amount: float = 1) -> None:
        return None


_NO_TASK = _NoTask()


class NullReporter:
    """The default reporter: shows nothing, costs a function call."""

    def stage(self, label: str) -> None:
        return None

    def task(self, label: str, total: float) -> AbstractContextManager[Task]:
        return _NO_TASK


NULL = NullReporter()
"""The no-op reporter (the default)."""

_current: ContextVar[Reporter] = ContextVar("gridimpact_progress_reporter", default=NULL)


def current() -> Reporter:
    """The reporter in force in this context."""
    return _current.get()


def stage(label: str) -> None:
    """Announce that a stage of the study starts (e.g. ``"grid studies"``)."""
    _current.get().stage(label)


def task(label: str, total: float) -> AbstractContextManager[Task]:
    """A task of ``total`` units: ``with progress.task(label, total=n) as t: t.advance(k)``.

    Advance it by ``total`` in all (the reporter does not complete it by itself).
    """
    return _current.get().task(label, total)


def bisection_steps(span: float, tolerance: float) -> int:
    """Halvings of a bracket ``span`` wide until it is no wider than ``tolerance``
    (at most 1,100: a bracket of floats cannot be halved more often)."""
    n = 0
    while span > tolerance and n < 1100:
        span *= 0.5
        n += 1
    return n


class StepCounter:
    """Steps of a task whose step count is an estimate (a bisection that may stop early).

    :meth:`step` never advances the task past its total; :meth:`finish` advances the rest.
    """

    __slots__ = ("_handle", "done", "total")

    def __init__(self, handle: Task, total: int) -> None:
        self._handle, self.total, self.done = handle, total, 0

    def step(self, n: int = 1) -> None:
        """``n`` more steps are done (counted up to the total)."""
        k = min(n, self.total - self.done)
        if k > 0:
            self.done += k
            self._handle.advance(k)

    def finish(self) -> None:
        """The search is over: the task is complete."""
        self.step(self.total - self.done)


@contextmanager
def steps(label: str, total: int) -> Iterator[StepCounter]:
    """A :func:`task` advanced step by step whose ``total`` is an estimate; complete on a
    normal exit (an early stop), never advanced past ``total`` (an underestimate)."""
    with task(label, total) as handle:
        counter = StepCounter(handle, total)
        yield counter
        counter.finish()


@contextmanager
def using(reporter: Reporter) -> Iterator[Reporter]:
    """Install ``reporter`` in this context for the duration of the block (nestable)."""
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)


@contextmanager
def reporting(console: Console, enabled: bool = True) -> Iterator[Reporter]:
    """Show the progress on ``console`` (rich) for the duration of the block.

    Parameters
    ----------
    console : rich.console.Console
        Where to draw (the command line's stderr console).
    enabled : bool
        False (``--quiet``, stderr not a terminal) installs the no-op reporter: nothing
        is printed inside the block.

    Nothing is drawn either when ``console`` is not a terminal: a log file or a pipe
    gets no progress lines. The display is transient: it is erased when the block ends
    (also on an error), so the command's one-line outcome stays the only output. Inside
    a block already drawing on the same console the running display is reused.
    """
    outer = _current.get()
    if not enabled or not console.is_terminal or console.is_dumb_terminal:
        with using(NULL) as null:
            yield null
        return
    if isinstance(outer, RichReporter) and outer.console is console:
        yield outer
        return
    with RichReporter(console) as reporter, using(reporter):
        yield reporter


class RichReporter:
    """Stage label and task bars on a ``rich.progress`` display (transient).

    The first row is the current stage with its elapsed time; each open task adds a
    row (indented by nesting) that disappears when the task ends. Thread-safe: rich's
    display locks its own state, and the nesting depth is counted under a lock.
    Use it as a context manager (start / stop the display), usually via
    :func:`reporting`.
    """

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.table import Column

        self.console = console
        self._progress: Progress = _progress_class()(
            TextColumn("{task.description}", table_column=Column(min_width=36, no_wrap=True)),
            BarColumn(bar_width=30),
            _count_column(),
            TimeElapsedColumn(),
            _remaining_column(),
            console=console,
            transient=True,
            refresh_per_second=4,
        )
        self._lock = threading.Lock()
        self._stage: TaskID | None = None
        self._depth = 0

    def __enter__(self) -> RichReporter:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def stage(self, label: str) -> None:
        with self._lock:
            if self._stage is None:
                self._stage = self._progress.add_task(label, total=None)
            else:
                self._progress.reset(self._stage, description=label)

    def task(self, label: str, total: float) -> AbstractContextManager[Task]:
        return _RichTask(self, label, total)

    def _open(self, label: str, total: float) -> TaskID:
        with self._lock:
            self._depth += 1
            indent = "  " * self._depth
        return self._progress.add_task(indent + label, total=total)

    def _close(self, task_id: TaskID) -> None:
        self._progress.remove_task(task_id)
        with self._lock:
            self._depth -= 1


SHOW_AFTER_S = 0.5
"""A task row is drawn once its task has run this long (short tasks do not flash by)."""


def _progress_class() -> type[Progress]:
    """``rich.progress.Progress`` drawing the stage row and the tasks older than
    :data:`SHOW_AFTER_S`."""
    from rich.progress import Progress
    from rich.table import Table

    class StageProgress(Progress):
        def make_tasks_table(self, tasks: Iterable[RichTask]) -> Table:
            return super().make_tasks_table(
                t for t in tasks if t.total is None or (t.elapsed or 0.0) >= SHOW_AFTER_S
            )

    return StageProgress


class _RichTask:
    """One task row of a :class:`RichReporter`."""

    __slots__ = ("_id", "_label", "_open", "_progress", "_reporter", "_total")

    def __init__(self, reporter: RichReporter, label: str, total: float) -> None:
        self._reporter, self._label, self._total = reporter, label, total
        self._progress = reporter._progress
        self._open = False

    def __enter__(self) -> _RichTask:
        self._id = self._reporter._open(self._label, self._total)
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._open = False
        self._reporter._close(self._id)

    def advance(self, amount: float = 1) -> None:
        if self._open:  # a late advance (after the row is gone) never breaks a study
            self._progress.advance(self._id, amount)


def _count_column() -> ProgressColumn:
    """``done/total`` (nothing for the stage row, which has no total)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class CountColumn(ProgressColumn):
        def render(self, task: RichTask) -> Text:
            if task.total is None:
                return Text("")
            return Text(f"{task.completed:,.0f}/{task.total:,.0f}", style="progress.download")

    return CountColumn()


def _remaining_column() -> ProgressColumn:
    from rich.progress import TimeRemainingColumn

    return TimeRemainingColumn(compact=True)
