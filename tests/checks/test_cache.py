"""The content-hash cache: warm runs parse nothing, edits re-parse little, bad caches ignored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import check_project, load_config

FILES = {
    "app/api/users.py": "from app.repositories import users\n",
    "app/services/users.py": "def create() -> None: ...\n",
    "app/repositories/users.py": "def find() -> None: ...\n",
    "app/schemas/user.py": "X = 1\n",
}


def _run(folder: Path, **options: object):
    return check_project(load_config(folder), jobs=1, **options)


def test_warm_run_parses_nothing_and_reports_the_same(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, FILES)
    cold = _run(tmp_path)
    assert cold.stats.parsed == 9 and cold.stats.contracts_checked
    warm = _run(tmp_path)
    assert warm.violations == cold.violations
    assert (warm.stats.parsed, warm.stats.checked, warm.stats.indexed) == (0, 0, False)
    assert not warm.stats.contracts_checked
    assert (tmp_path / ".arch-check-cache" / ".gitignore").read_text() == "*\n"


def test_one_changed_file_is_parsed_again_alone(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, FILES)
    _run(tmp_path)
    (tmp_path / "app/schemas/user.py").write_text("Y = 2\n")
    changed = _run(tmp_path)
    assert changed.stats.parsed == 1 and changed.stats.checked == 1


def test_a_new_violation_in_a_changed_file_is_found(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, FILES)
    assert [v.code for v in _run(tmp_path).violations] == ["ARC001"]
    (tmp_path / "app/services/users.py").write_text("import fastapi\n")
    assert [v.path for v in _run(tmp_path).violations] == [
        "app/api/users.py",
        "app/services/users.py",
    ]


def test_a_corrupt_cache_is_ignored(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, FILES)
    expected = _run(tmp_path).violations
    for pickle_file in (tmp_path / ".arch-check-cache").glob("*.pickle"):
        pickle_file.write_bytes(b"\x80\x05not a pickle")
    again = _run(tmp_path)
    assert again.violations == expected and again.stats.parsed == 9
    assert _run(tmp_path).stats.parsed == 0  # and it was rewritten


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, FILES)
    _run(tmp_path, use_cache=False)
    assert not (tmp_path / ".arch-check-cache").exists()
    _run(tmp_path)
    assert _run(tmp_path, use_cache=False).stats.parsed == 9


@pytest.mark.slow
def test_warm_command_imports_no_parser(tmp_path: Path, write_project) -> None:
    """A warm run reads the cache only: neither libcst nor import-linter is imported."""
    write_project(tmp_path, FILES)
    command = [sys.executable, "-X", "importtime", "-m", "checks", "-q"]
    subprocess.run(command, cwd=tmp_path, capture_output=True, check=False)
    warm = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert warm.returncode == 1, warm.stderr
    imported = {line.split("|")[-1].strip() for line in warm.stderr.splitlines()}
    assert "checks.engine.runner" in imported
    assert not {"libcst", "importlinter", "grimp"} & imported


def test_a_body_edit_after_a_parallel_cold_run_reparses_one_file(tmp_path: Path) -> None:
    """The index fingerprint must not depend on whether summaries were parsed now or cached."""
    generated = subprocess.run(
        [sys.executable, "-m", "bench.generate", str(tmp_path), "--lines", "4000"],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        check=True,
    )
    assert generated.returncode == 0
    config = load_config(tmp_path)
    assert check_project(config, jobs=2).stats.parsed > 40
    service = tmp_path / "app/services/order.py"
    service.write_text(service.read_text().replace("value.strip()", "value.lower()", 1))
    assert check_project(config, jobs=2).stats.parsed == 1
