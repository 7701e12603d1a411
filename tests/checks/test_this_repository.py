"""arch-check on this repository: the reference app breaks none of its own rules.

This also runs the repository's `.importlinter` contracts, including the layering
of `checks` itself (command line -> subcommands -> reports -> engine -> rules ->
analysis), so an import that breaks it fails here as well as in pre-commit.
"""

from __future__ import annotations

from pathlib import Path

from checks.engine import check_project, load_config

REPOSITORY = Path(__file__).parents[2]


def test_reference_app_and_checks_report_nothing() -> None:
    result = check_project(load_config(REPOSITORY), jobs=2, use_cache=False)
    assert result.violations == []
    assert result.files > 30
