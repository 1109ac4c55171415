"""The command line: one line and a non-zero exit code for every bad input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gridimpact.cli import main
from tests.conftest import CASE_100K

GRIDIMPACT = Path(sys.executable).with_name("gridimpact")


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CASE_100K)]) == 0
    assert "ok (colossus_100k" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"),
    [
        (r"value = 100_000", "value = -5", "compute.gpu_count: must be greater than 0 (got -5)"),
        (r'gpu_model = "H100"', 'gpu_model = "H900"', "compute.gpu_model: unknown GPU model"),
        (
            r"ups_efficiency = \{ value = 0.97",
            'ups_efficiency = { value = "x"',
            "facility.ups_efficiency: must be a valid number",
        ),
        (r"^\[grid\]$", "[grid]\npoi_colour = 1", "grid.poi_colour: unknown key"),
    ],
)
def test_bad_case_one_line(
    edited_case: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
    pattern: str,
    replacement: str,
    expected: str,
) -> None:
    path = edited_case(pattern, replacement)
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith(f"error: {path}: ")
    assert expected in err


def test_missing_file_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    assert main(["run", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: {missing}: file not found\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not GRIDIMPACT.exists(), reason="console script not installed")
def test_console_script_prints_no_traceback(edited_case: Callable[[str, str], Path]) -> None:
    path = edited_case(r"value = 100_000", "value = -5")
    proc = subprocess.run(
        [str(GRIDIMPACT), "run", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"error: {path}: compute.gpu_count: must be greater than 0 (got -5)"
    ]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'compute_duty_cycle = { value = 1.5, unit = "1", source = "test input" }',
            "workload.compute_duty_cycle",
        ),
        (
            'iteration_period_s = { value = -2.0, unit = "s", source = "test input" }',
            "workload.iteration_period_s",
        ),
        (
            'gpu_power_floor_fraction = { value = 0.99, unit = "1", source = "test input" }',
            "workload.gpu_power_floor_fraction",
        ),
    ],
)
def test_unphysical_waveform_parameters_name_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, expected: str
) -> None:
    # duty > 1, a negative period, and a power floor above the compute-phase power (0.95 TDP)
    path = tmp_path / "wave.toml"
    path.write_text(
        CASE_100K.read_text(encoding="utf-8") + f"\n[workload]\n{table}\n", encoding="utf-8"
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err, err
