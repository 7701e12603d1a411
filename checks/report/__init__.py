"""Output formats: a registry from `--format` name to a function that renders a result.

A formatter takes the CheckResult and the OutputOptions and returns the whole text
to print on stdout. To add one, define it in its own module and register it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checks.engine import CheckResult
from checks.report.json import format_json
from checks.report.repo_paths import repository_prefix
from checks.report.text import format_text


@dataclass(frozen=True)
class OutputOptions:
    """How to render: colour on a terminal only, and how much to say."""

    color: bool = False
    quiet: bool = False
    project_dir: Path | None = None  # where the reported paths are relative to


Formatter = Callable[[CheckResult, OutputOptions], str]


def _sarif(result: CheckResult, options: OutputOptions) -> str:
    # Imported on use: sarif imports the rule classes, hence libcst, which a warm
    # run in text or json format must not pay for.
    from checks.report.sarif import format_sarif

    return format_sarif(result.violations, path_prefix=repository_prefix(options.project_dir))


def _github(result: CheckResult, options: OutputOptions) -> str:
    from checks.report.github import format_github

    return format_github(result.violations, repository_prefix(options.project_dir))


def _gitlab(result: CheckResult, options: OutputOptions) -> str:
    from checks.report.gitlab import format_gitlab

    return format_gitlab(result.violations, repository_prefix(options.project_dir))


FORMATTERS: dict[str, Formatter] = {
    "text": lambda result, options: format_text(result, color=options.color, quiet=options.quiet),
    "json": lambda result, options: format_json(result),
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
}

__all__ = ["FORMATTERS", "Formatter", "OutputOptions"]
