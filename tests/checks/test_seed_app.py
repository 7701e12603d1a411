"""The seed guide's own samples: arch-check must report exactly the golden findings.

The golden file lists `path:line:col: CODE name` (messages are left out so that
rewording a message does not churn it). After a rule lands or changes, regenerate
it with one command, then review every changed line against the seed's errata:
    ARCH_CHECK_REGENERATE_GOLDEN=1 python -m pytest tests/checks/test_seed_app.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checks.engine import check_project, load_config

SEED_APP = Path(__file__).parents[1] / "fixtures" / "seed_app"
GOLDEN = SEED_APP / "expected.txt"


def test_seed_app_reports_exactly_the_golden_findings() -> None:
    result = check_project(load_config(SEED_APP), jobs=1, use_cache=False)
    reported = [f"{v.path}:{v.line}:{v.column}: {v.code} {v.name}" for v in result.violations]
    if os.environ.get("ARCH_CHECK_REGENERATE_GOLDEN"):
        GOLDEN.write_text("".join(f"{line}\n" for line in reported), encoding="utf-8")
        pytest.skip(f"regenerated {GOLDEN}: review `git diff` before committing it")
    assert reported == GOLDEN.read_text(encoding="utf-8").splitlines()
