"""ARC900 unused-suppression: an `arch-check: ignore[...]` that suppressed nothing.

Detected by the engine after every other rule (`checks.engine.suppressions`).
"""

from __future__ import annotations

from typing import ClassVar

from checks.rules.base import Invalid, Rule, Valid


class UnusedSuppressionRule(Rule):
    """Stale suppressions hide the next real problem on that line."""

    code = "ARC900"
    name = "unused-suppression"
    summary = "A suppression comment that suppresses nothing"
    rationale = (
        "A suppression outlives the problem it silenced: once the code is fixed, the comment "
        "stays and would silently hide the next violation on that line. Only real comments "
        "count, and only for rules that ran on the file."
    )
    fix = "Remove the code from the comment, or the whole comment."
    reference = "reference_app/api/dependencies.py"
    VALID: ClassVar = (
        Valid(
            "from sqlalchemy import select  # arch-check: ignore[ARC002]\n",
            path="app/services/users.py",
            note="the suppression is used",
        ),
        Valid(
            'HELP = "write # arch-check: ignore[ARC002] to suppress"\n',
            path="app/services/users.py",
            note="text inside a string is not a suppression",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            "import json  # arch-check: ignore[ARC002]\n",
            path="app/services/users.py",
            line=1,
        ),
    )
