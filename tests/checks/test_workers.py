"""Parallel workers give the same results as one process."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checks.engine import ConfigError, check_project, load_config
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


def test_the_engine_runs_workers_from_a_script_read_on_stdin(tmp_path: Path, write_project) -> None:
    """No spawned process: a script fed to `python -` has no main file to re-import."""
    files = {f"app/services/s{n}.py": "import fastapi\n" for n in range(MIN_FILES_FOR_WORKERS)}
    write_project(tmp_path, files)
    script = textwrap.dedent(
        f"""
        from checks.engine import check_project, load_config

        result = check_project(load_config({str(tmp_path)!r}), jobs=2, use_cache=False)
        print(result.stats.parsed, sorted({{v.code for v in result.violations}}))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    expected_files = len(list(tmp_path.rglob("*.py")))
    assert completed.stdout.split(maxsplit=1) == [str(expected_files), "['ARC002']\n"]


def test_a_bad_contract_config_stops_the_workers_and_says_which_file(
    tmp_path: Path, write_project
) -> None:
    """Contracts are checked while the workers parse; their error must not leave them running."""
    files = {f"app/services/s{n}.py": "x = 1\n" for n in range(MIN_FILES_FOR_WORKERS)}
    write_project(tmp_path, files)
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = app\n\n"
        "[importlinter:contract:odd]\nname = Odd\ntype = no_such_type\n"
    )
    with pytest.raises(ConfigError, match=r"^\.importlinter: contract 'Odd': "):
        check_project(load_config(tmp_path), jobs=2, use_cache=False)
    assert multiprocessing.active_children() == []


def test_a_process_that_used_grimp_still_checks_contracts_with_workers(
    tmp_path: Path, write_project
) -> None:
    """grimp's threads do not survive a fork: a second run must not hand grimp to a child."""
    files = {f"app/services/s{n}.py": "import fastapi\n" for n in range(MIN_FILES_FOR_WORKERS)}
    write_project(tmp_path, files)
    script = textwrap.dedent(
        f"""
        from checks.engine import check_project, load_config

        config = load_config({str(tmp_path)!r})
        for jobs in (1, 2):
            result = check_project(config, jobs=jobs, use_cache=False)
            print(result.stats.contracts_checked, len(result.violations))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    count = MIN_FILES_FOR_WORKERS
    assert completed.stdout.splitlines() == [f"True {count}", f"True {count}"]


def test_workers_judge_with_facts_from_summaries_cached_by_an_earlier_run(
    tmp_path: Path, write_project
) -> None:
    """Workers build the index from pickled summaries, fresh and cached: ARC103 needs both.

    The route returns what a service in another file declares (`-> User`, an ORM model
    in a third file). After the first run only the fillers change, so the workers parse
    them while the route, service and model facts come from the cache; then a new
    selection re-checks every file without parsing any (the files spill to new workers).
    """
    service = "from app.models.user import User\n\nasync def get(user_id: int) -> User: ...\n"
    route = (
        "from fastapi import APIRouter\nfrom app.services import users\n\n"
        "router = APIRouter()\n\n@router.get('/users/{user_id}')\n"
        "async def read_user(user_id: int):\n    return await users.get(user_id)\n"
    )
    model = (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n"
        "class User(Base):\n    __tablename__ = 'users'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    fillers = {f"app/utils/f{n}.py": f"def f{n}():\n    return {n}\n" for n in range(50)}
    files = {
        "app/models/user.py": model,
        "app/services/users.py": service,
        "app/api/users.py": route,
        **fillers,
    }
    write_project(tmp_path, files)
    config = load_config(tmp_path)
    first = check_project(config, jobs=2)
    assert ("ARC103", "app/api/users.py") in [(v.code, v.path) for v in first.violations]

    for path in fillers:
        (tmp_path / path).write_text((tmp_path / path).read_text().replace("return", "return -"))
    partial = check_project(config, jobs=2)
    assert partial.stats.parsed == len(fillers)
    assert partial.violations == check_project(config, jobs=1, use_cache=False).violations

    reselected = check_project(config, jobs=2, select=["ARC1"])
    every_file = len(list(tmp_path.rglob("*.py")))
    assert reselected.stats.parsed == reselected.stats.checked == every_file
    uncached = check_project(config, jobs=1, use_cache=False, select=["ARC1"])
    assert reselected.violations == uncached.violations == first.violations
