"""Progress reporting (gridimpact.progress): silent by default, complete, terminal-only."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from gridimpact import progress
from gridimpact.grid import engine, load_network
from gridimpact.study import StudyResult, run_study
from tests.conftest import CASE_100K
from tests.grid_helpers import PF_TAN, WH_POI, section

STAGES = [
    "weather",
    "network",
    "thermal",
    "facility",
    "grid studies",
    "on-site",
    "dynamics",
    "time-domain dynamics",
    "largest campus the POI hosts",
    "GPU-system sensitivity",
    "cooling alternatives",
]


@dataclass
class Recorded:
    label: str
    total: float
    stage: str | None
    advances: list[float] = field(default_factory=list)
    closed: bool = False


class Recorder:
    """A reporter that keeps every call (advances may come from worker threads)."""

    def __init__(self) -> None:
        self.stages: list[str] = []
        self.tasks: list[Recorded] = []
        self.lock = threading.Lock()

    def stage(self, label: str) -> None:
        self.stages.append(label)

    @contextmanager
    def task(self, label: str, total: float) -> Iterator[progress.Task]:
        rec = Recorded(label, total, self.stages[-1] if self.stages else None)
        self.tasks.append(rec)
        recorder = self

        class Handle:
            def advance(self, amount: float = 1) -> None:
                assert not rec.closed, f"{label}: advanced after it ended"
                with recorder.lock:
                    rec.advances.append(amount)

        yield Handle()
        rec.closed = True


@pytest.fixture(scope="module")
def recorded() -> tuple[Recorder, StudyResult]:
    recorder = Recorder()
    with progress.using(recorder):
        result = run_study(CASE_100K)
    assert progress.current() is progress.NULL
    return recorder, result


def test_default_reporter_prints_nothing_and_costs_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert progress.current() is progress.NULL
    for _ in range(1_000):  # overhead is measured, not asserted (see the module docs)
        progress.stage("weather")
        with progress.task("N-1 at every hour", total=2) as t:
            t.advance()
            t.advance()
    assert progress.current() is progress.NULL  # nothing was installed by the calls
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_study_reports_its_stages_in_order(recorded: tuple[Recorder, StudyResult]) -> None:
    recorder, _ = recorded
    assert recorder.stages == STAGES


def test_every_task_is_advanced_to_its_total(recorded: tuple[Recorder, StudyResult]) -> None:
    recorder, _ = recorded
    assert recorder.tasks
    for rec in recorder.tasks:
        assert rec.closed, rec.label
        assert all(a >= 0 for a in rec.advances), rec.label
        assert sum(rec.advances) == rec.total, (rec.label, sum(rec.advances), rec.total)


def test_long_loops_report_tasks(recorded: tuple[Recorder, StudyResult]) -> None:
    recorder, result = recorded
    labels = {rec.label for rec in recorder.tasks}
    for expected in (
        "N-1 contingencies",
        "N-1 at every hour",
        "interconnection options",
        "hosting capacity by POI",
        "8,760-h time series",
        "storage filter search",
    ):
        assert expected in labels, expected
    poi = result.grid.network.poi_bus
    assert f"N-0 hosting capacity at {poi}" in labels
    assert f"N-1 hosting capacity at {poi}" in labels
    by_stage = {rec.stage for rec in recorder.tasks if rec.label == "N-1 at every hour"}
    assert by_stage == {"grid studies"}
    assert {rec.stage for rec in recorder.tasks if rec.label == "storage filter search"} == {
        "dynamics"
    }
    n1 = result.grid.timeseries.n1
    assert n1 is not None
    hourly = [r for r in recorder.tasks if r.label == "N-1 at every hour"]
    assert [r.total for r in hourly] == [n1.n_contingencies]
    series = [r for r in recorder.tasks if r.label == "8,760-h time series"]
    assert len(series) == 1 and series[0].total >= len(result.grid.timeseries.hourly)


def test_time_series_reports_restarts_and_reactive_limit_steps() -> None:
    """48 steps across light and heavy load (some hold a unit at its reactive limit), two
    of them beyond what the network can carry (the chained run restarts after each)."""
    model = load_network(section(WH_POI), Path("."))
    rng = np.random.default_rng(7)
    p = 200.0 + 1700.0 * rng.random(48)
    p[[10, 30]] = 60_000.0
    s = 0.5 + 0.5 * rng.random(48)
    recorder = Recorder()
    with progress.using(recorder):
        batch = engine.solve_timeseries(model.lsgrid, model.topology, p, p * PF_TAN, s)
    assert not batch.converged[[10, 30]].any() and batch.converged.sum() == 46
    chained = [r for r in recorder.tasks if r.label == "chained AC power flow"]
    assert [r.total for r in chained] == [48] and len(chained[0].advances) > 1
    limited = [r for r in recorder.tasks if r.label == "steps at reactive limits"]
    assert len(limited) == 1 and limited[0].total > 0
    for rec in recorder.tasks:
        assert rec.closed and sum(rec.advances) == rec.total, rec.label


def test_steps_never_overshoot_and_complete_on_exit() -> None:
    recorder = Recorder()
    with progress.using(recorder):
        with progress.steps("under", 3) as s:
            for _ in range(5):
                s.step()
        with progress.steps("early stop", 10) as s:
            s.step()
    assert [sum(r.advances) for r in recorder.tasks] == [3, 10]
    assert progress.bisection_steps(5000.0, 1.0) == 13  # 5000 / 2**13 = 0.61 <= 1
    assert progress.bisection_steps(1.0, 1.0) == 0
    assert progress.bisection_steps(1.0, -1.0) == 1100  # bounded
    assert progress.bisection_steps(float("inf"), 1.0) == 1100


def test_rich_reporter_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)  # draw every task, however short
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with progress.reporting(console) as reporter:
        assert isinstance(reporter, progress.RichReporter)
        assert progress.current() is reporter
        with progress.reporting(console) as inner:  # nested: the same display
            assert inner is reporter
        progress.stage("grid studies")
        with progress.task("N-1 at every hour", total=40) as outer:
            with progress.task("N-1 contingencies", total=10) as nested:
                nested.advance(10)
            workers = [threading.Thread(target=outer.advance, args=(10,)) for _ in range(4)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            reporter._progress.refresh()
            drawn = buffer.getvalue()
        progress.stage("dynamics")
    assert progress.current() is progress.NULL
    assert "grid studies" in drawn and "N-1 at every hour" in drawn and "40/40" in drawn


def test_rich_reporter_does_not_flash_short_tasks() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with progress.reporting(console) as reporter:
        assert isinstance(reporter, progress.RichReporter)
        progress.stage("grid studies")
        with progress.task("N-1 contingencies", total=5) as t:
            t.advance(5)
            reporter._progress.refresh()
    drawn = buffer.getvalue()
    assert "grid studies" in drawn and "N-1 contingencies" not in drawn


def test_rich_reporter_is_removed_after_an_error() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    with pytest.raises(RuntimeError), progress.reporting(console):
        progress.stage("weather")
        raise RuntimeError("boom")
    assert progress.current() is progress.NULL


def test_threads_of_their_own_see_the_no_op_reporter() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    seen: list[progress.Reporter] = []
    with progress.reporting(console):
        worker = threading.Thread(target=lambda: seen.append(progress.current()))
        worker.start()
        worker.join()
    assert seen == [progress.NULL]


@pytest.mark.parametrize(("terminal", "enabled"), [(False, True), (True, False), (False, False)])
def test_nothing_is_printed_off_a_terminal_or_when_quiet(terminal: bool, enabled: bool) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=100)
    with progress.reporting(console, enabled=enabled) as reporter:
        assert reporter is progress.NULL
        progress.stage("grid studies")
        with progress.task("N-1 at every hour", total=3) as t:
            t.advance(3)
    assert buffer.getvalue() == ""
