"""`--format github`: one GitHub Actions workflow command per violation.

The runner turns `::error file=...,line=...::message` lines into annotations on the
pull request's diff, so no extra action or token is needed. Values are escaped as the
runner unescapes them (actions/toolkit `escapeData` and `escapeProperty`).
"""

from __future__ import annotations

from collections.abc import Iterable

from checks.analysis.model import Violation


def escape_data(text: str) -> str:
    """Escape a command's message: `%`, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: `:` and `,` separate properties, so they are escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(violation: Violation, path_prefix: str = "") -> str:
    """The workflow command for one violation.

    `path_prefix` is the project folder relative to the repository root ("" when
    pyproject.toml is at the root), since annotations name files from the repository root.
    """
    properties = {
        "file": f"{path_prefix}{violation.path}",
        "line": violation.line,
        "col": violation.column,
        "endLine": violation.end_line,
        "endColumn": violation.end_column,
        "title": violation.code,
    }
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::error {rendered}::{escape_data(f'{violation.message} [{violation.name}]')}"


def format_github(violations: Iterable[Violation], path_prefix: str = "") -> str:
    """Every violation as a workflow command, one a line, in report order."""
    ordered = sorted(violations, key=Violation.sort_key)
    return "".join(annotation(violation, path_prefix) + "\n" for violation in ordered)
