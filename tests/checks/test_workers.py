"""Parallel workers give the same results as one process."""

from __future__ import annotations

from pathlib import Path

from checks.engine import check_project, load_config
from checks.engine.runner import MIN_FILES_FOR_WORKERS


def test_two_jobs_report_exactly_what_one_job_reports(tmp_path: Path, write_project) -> None:
    files = {}
    for number in range(MIN_FILES_FOR_WORKERS):
        files[f"app/services/s{number}.py"] = f"from app.repositories import r{number}\n"
        files[f"app/repositories/r{number}.py"] = "import sqlalchemy\n"
        if number % 7 == 0:
            files[f"app/services/bad{number}.py"] = "import fastapi\nfrom app.api import v\n"
    files["app/api/v.py"] = "def broken(:\n"
    write_project(tmp_path, files)
    config = load_config(tmp_path)
    one = check_project(config, jobs=1, use_cache=False)
    two = check_project(config, jobs=2, use_cache=False)
    assert one.violations == two.violations
    assert {v.code for v in two.violations} == {"ARC000", "ARC001", "ARC002"}
    assert two.stats.parsed == one.stats.parsed == len(list(tmp_path.rglob("*.py")))
