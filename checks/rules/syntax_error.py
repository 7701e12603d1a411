"""ARC000 syntax-error: a file that libcst cannot parse (detected by the engine)."""

from __future__ import annotations

from typing import ClassVar

from checks.rules.base import Invalid, Rule, Valid


class SyntaxErrorRule(Rule):
    """Reported by the engine when parsing fails, so one broken file never stops a run."""

    code = "ARC000"
    name = "syntax-error"
    summary = "A file that cannot be parsed"
    rationale = (
        "A file that does not parse cannot be checked by any other rule, so its problems "
        "would go unnoticed. arch-check reports it and carries on with the rest of the project."
    )
    fix = "Fix the syntax error (run `python -m py_compile FILE` to see Python's own message)."
    reference = "reference_app/main.py"
    VALID: ClassVar = (Valid("def ping() -> str:\n    return 'pong'\n"),)
    INVALID: ClassVar = (
        Invalid("import json\nx = = 1\n", line=2),
        Invalid('import json\nprint "hello"\n', line=2, note="Python 2 code"),
        Invalid("async def users():\n    return [\n", note="an unclosed bracket"),
    )
