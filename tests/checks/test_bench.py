"""A smoke run of the benchmark on a tiny generated repository (the real one is 100k lines)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import check_project, load_config

REPOSITORY = Path(__file__).parents[2]


@pytest.mark.parametrize("layout", ["layer", "domain"])
def test_generated_repository_reports_only_the_planted_violations(
    tmp_path: Path, layout: str
) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            str(tmp_path),
            "--lines",
            "3000",
            "--layout",
            layout,
        ],
        cwd=REPOSITORY,
        capture_output=True,
        check=True,
    )
    result = check_project(load_config(tmp_path), jobs=1, use_cache=False)
    found = sorted({(v.code, v.path.rsplit("/", 1)[-1]) for v in result.violations})
    if layout == "layer":
        assert found == [("ARC001", "invoice.py"), ("ARC002", "invoice.py")]
    else:
        assert found == [("ARC001", "router.py"), ("ARC002", "service.py")]
        assert {v.path.split("/")[1] for v in result.violations} == {"invoice"}


@pytest.mark.slow
def test_bench_script_prints_every_measure() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--lines",
            "1500",
            "--layout",
            "domain",
            "--jobs",
            "2",
            "--repeat",
            "2",
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    for label in ("bare libcst parse", "cold", "warm", "one changed file", "lint-imports"):
        assert label in completed.stdout
