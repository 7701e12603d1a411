"""Inline suppressions: `# arch-check: ignore[ARC101,ARC102]` on the reported line.

For a finding that starts at a decorator, the line of the decorated `def`/`class`
counts too. Only real comments count (found with `tokenize`, so the same text
inside a string does not), and a suppression that suppresses nothing is reported
as ARC900.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from checks.analysis.model import Violation

MARKER = b"arch-check:"
_DEFINITION = re.compile(r"\s*(async\s+def|def|class)\s")
_SUPPRESSION = re.compile(r"#\s*arch-check:\s*ignore\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One code of an `ignore[...]` comment, with the comment's position."""

    code: str
    line: int
    column: int  # 1-based
    end_column: int


def find_suppressions(source: bytes) -> list[Suppression]:
    """The suppressions in a file's comments (cheap when the file has none)."""
    if MARKER not in source:
        return []
    found: list[Suppression] = []
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _SUPPRESSION.search(token.string)
            if match is None:
                continue
            line, column = token.start
            column += match.start() + 1
            end_column = token.start[1] + match.end() + 1
            for code in match.group(1).split(","):
                if code.strip():
                    found.append(Suppression(code.strip().upper(), line, column, end_column))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return found
    return found


def apply_suppressions(
    path: str,
    violations: Iterable[Violation],
    source: bytes,
    rule_ran: Callable[[str], bool],
    layer: str | None,
) -> tuple[list[Violation], list[Violation]]:
    """Split a file's violations into (kept, unused-suppression findings).

    A suppression matches a violation whose code equals or starts with the suppressed
    code, on the violation's start line (or its `def`/`class` line, see above). It is
    unused (ARC900) only if a rule it names ran on the file.
    """
    suppressions = find_suppressions(source)
    if not suppressions:
        return list(violations), []
    lines = source.decode("utf-8", errors="replace").splitlines()
    used: set[Suppression] = set()
    kept: list[Violation] = []
    for violation in violations:
        anchors = _anchor_lines(violation, lines)
        matching = [
            s for s in suppressions if s.line in anchors and violation.code.startswith(s.code)
        ]
        if matching:
            used.update(matching)
        else:
            kept.append(violation)
    unused = [
        Violation(
            code="ARC900",
            name="unused-suppression",
            path=path,
            line=s.line,
            column=s.column,
            end_line=s.line,
            end_column=s.end_column,
            message=f"suppression of {s.code} suppresses nothing: remove it",
            layer=layer,
        )
        for s in suppressions
        if s not in used and rule_ran(s.code)
    ]
    return kept, unused


def _anchor_lines(violation: Violation, lines: list[str]) -> set[int]:
    """The reported line, plus the `def`/`class` line when the finding starts at a decorator."""
    anchors = {violation.line}
    if 0 < violation.line <= len(lines) and lines[violation.line - 1].lstrip().startswith("@"):
        for number in range(violation.line + 1, min(violation.end_line, len(lines)) + 1):
            if _DEFINITION.match(lines[number - 1]):
                anchors.add(number)
                break
    return anchors
