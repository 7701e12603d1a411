"""The `.importlinter` contracts for reference_app hold, and they catch real breaches.

Each breach is planted in a copy of the package in a temporary folder, which
shadows the installed one on `PYTHONPATH`; the repository is never modified.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = [
    "reference-app-layers",
    "reference-app-api",
    "reference-app-services",
    "reference-app-repositories",
    "reference-app-models",
    "reference-app-schemas",
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the reference app's contracts, from `cwd`."""
    arguments = [str(LINT_IMPORTS), "--no-cache"]
    for contract in CONTRACTS:
        arguments += ["--contract", contract]
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_the_reference_app_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("services/posts.py", "import fastapi", "reference_app.services: no web framework"),
        ("services/users.py", "import sqlalchemy", "reference_app.services: no web framework"),
        (
            "repositories/users.py",
            "import reference_app.services.users",
            "reference_app: layers import downwards only",
        ),
        (
            "api/v1/posts.py",
            "import reference_app.repositories.posts",
            "reference_app.api: no data access",
        ),
        ("schemas/post.py", "import sqlalchemy", "reference_app.schemas: utils only"),
        ("models/post.py", "import pydantic", "reference_app.models: no pydantic"),
    ],
)
def test_a_planted_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, broken: str
) -> None:
    shutil.copytree(ROOT / "reference_app", tmp_path / "reference_app")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / "reference_app" / module
    target.write_text(f"{planted}  # planted by the test\n{target.read_text()}")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    report = " ".join(result.stdout.split())  # contract names may wrap
    assert "1 broken" in report, result.stdout
    assert report.count(" BROKEN") == 1
    assert broken in report.split(" BROKEN")[0].rsplit(" KEPT", 1)[-1], result.stdout
