"""Shared fixtures: paths to the shipped cases and a writer of edited copies."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"
CASE_100K = CASES / "colossus_100k.toml"
CASE_1M = CASES / "colossus_1m.toml"


@pytest.fixture
def edited_case(tmp_path: Path) -> Callable[[str, str], Path]:
    """Copy colossus_100k.toml with one regex substitution; return the new path."""

    def make(pattern: str, replacement: str) -> Path:
        text = CASE_100K.read_text(encoding="utf-8")
        new, n = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert n == 1, f"pattern {pattern!r} not found in the case"
        path = tmp_path / "edited.toml"
        path.write_text(new, encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session")
def study_100k() -> Any:
    """The shipped 100k study, run once per test session (results are frozen)."""
    from gridimpact.study import run_study

    return run_study(CASE_100K)


@pytest.fixture(scope="session")
def study_1m() -> Any:
    """The shipped 1M study, run once per test session (results are frozen)."""
    from gridimpact.study import run_study

    return run_study(CASE_1M)
