"""The `arch-check` hook of .pre-commit-hooks.yaml, run by the real pre-commit.

`pre-commit try-repo` clones the hook repository at a commit (uncommitted edits to
tracked files go into a temporary commit; untracked files are left out), then
pip-installs it into a fresh environment. So the test commits this checkout's files
as they are on disk (tracked and untracked, minus ignored ones) into a scratch
repository and tries that: the same in a fresh CI clone and in a working tree.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}
SERVICE_WITH_VIOLATION = "from fastapi import HTTPException\n\n\ndef find():\n    return None\n"
SERVICE_FIXED = "def find():\n    return None\n"


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _commit_all(folder: Path) -> None:
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "snapshot")


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory) -> Path:
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = _git(REPOSITORY, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = REPOSITORY / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _commit_all(snapshot)
    return snapshot


@pytest.fixture
def team_repository(tmp_path) -> Path:
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n\n[tool.arch-check]\nroot = "app"\n',
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/users.py": "from app.services.users import find\n",
        "app/services/__init__.py": "",
        "app/services/users.py": SERVICE_WITH_VIOLATION,
        "README.md": "not Python: the hook must not be given this file\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    _commit_all(tmp_path)
    return tmp_path


def _try_repo(team: Path, hook_repo: Path) -> subprocess.CompletedProcess[str]:
    # Without a package index, fail fast (then skip, below) instead of retrying for long.
    pip = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_RETRIES": "1", "PIP_DEFAULT_TIMEOUT": "60"}
    env = {**os.environ, **GIT_IDENTITY, **pip}
    env.pop("VIRTUAL_ENV", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "arch-check"]
    return subprocess.run(
        [*command, "--all-files", "--verbose"],
        cwd=team,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _index_reachable() -> bool:
    """Whether pip can fetch the build backend (else the environment cannot be installed)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", folder]
        done = subprocess.run([*probe, "hatchling"], capture_output=True, timeout=300)
    return done.returncode == 0


def test_hook_fails_on_a_violation_and_passes_once_it_is_fixed(hook_repository, team_repository):
    failed = _try_repo(team_repository, hook_repository)
    output = failed.stdout + failed.stderr
    if failed.returncode not in (0, 1) and not _index_reachable():
        pytest.skip("pre-commit cannot install the hook's environment: no package index here")
    assert failed.returncode == 1, output
    assert "arch-check....." in failed.stdout and "Failed" in failed.stdout
    assert "app/services/users.py:1:1: ARC002" in failed.stdout
    assert "Found 1 violation in 5 files checked" in failed.stdout  # the .py files, not README.md

    (team_repository / "app/services/users.py").write_text(SERVICE_FIXED)
    passed = _try_repo(team_repository, hook_repository)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def _pre_commit_snippet(hook_repo: Path) -> str:
    """docs/adoption.md's .pre-commit-config.yaml, pointed at the scratch hook repository."""
    adoption = (REPOSITORY / "docs/adoption.md").read_text(encoding="utf-8")
    (snippet,) = [b for b in re.findall(r"```yaml\n(.*?)```", adoption, re.DOTALL) if "repos:" in b]
    config = yaml.safe_load(snippet)
    config["repos"][0]["repo"] = str(hook_repo)
    config["repos"][0]["rev"] = _git(hook_repo, "rev-parse", "HEAD").strip()
    return yaml.safe_dump(config)


def test_the_documented_adoption_flow_goes_green_and_then_blocks_new_violations(
    hook_repository, team_repository, tmp_path
):
    """README/docs/adoption.md: init, baseline, the documented hook; old violations pass."""
    team = team_repository
    (team / "pyproject.toml").write_text('[project]\nname = "shop"\n')  # no section yet
    arch_check = [sys.executable, "-m", "checks"]
    run = {"cwd": team, "capture_output": True, "text": True}
    init = subprocess.run([*arch_check, "init"], **run)
    assert init.returncode == 0, init.stderr
    assert "first run: 1 violation" in init.stdout
    baseline = [*arch_check, "--write-baseline", ".arch-check-baseline.json"]
    assert subprocess.run(baseline, **run).returncode == 0
    (team / ".gitignore").write_text(".arch-check-cache/\n")
    (team / ".pre-commit-config.yaml").write_text(_pre_commit_snippet(hook_repository))
    _git(team, "add", "-A")
    _git(team, "commit", "-q", "-m", "arch-check: configuration and baseline")

    env = {**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("VIRTUAL_ENV", None)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    green = subprocess.run(pre_commit, env=env, timeout=600, **run)
    if green.returncode not in (0, 1) and not _index_reachable():
        pytest.skip("pre-commit cannot install the hook's environment: no package index here")
    assert green.returncode == 0, green.stdout + green.stderr

    service = team / "app/services/users.py"
    service.write_text(service.read_text() + "\n\ndef cheapest():\n    import sqlalchemy\n")
    red = subprocess.run(pre_commit, env=env, timeout=600, **run)
    assert red.returncode == 1, red.stdout + red.stderr
    assert "1 known violation in .arch-check-baseline.json not shown" in red.stdout
    assert re.search(r"app/services/users\.py:\d+:5: ARC002", red.stdout)
    assert "Found 1 violation" in red.stdout
