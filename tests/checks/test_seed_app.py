"""The seed guide's own samples: arch-check must report exactly the golden findings.

Regenerate the golden file after a rule change, then review every changed line:
    cd tests/fixtures/seed_app && ../../../.venv/bin/arch-check --no-cache -q > expected.txt
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.cli import main

SEED_APP = Path(__file__).parents[1] / "fixtures" / "seed_app"


def test_seed_app_reports_exactly_the_golden_findings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(SEED_APP)
    status = main(["--no-cache", "-q"])
    reported = capsys.readouterr().out.splitlines()
    expected = (SEED_APP / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert reported == expected
    assert status == (1 if expected else 0)
