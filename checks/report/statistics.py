"""`--statistics`: how many violations each rule found, most frequent first."""

from __future__ import annotations

from collections import Counter

from checks.engine import CheckResult


def format_statistics(result: CheckResult) -> str:
    """One line per rule that found something: count, code and name."""
    counts = Counter((v.code, v.name) for v in result.violations)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{count:>{width}}  {code}  {name}\n" for (code, name), count in ordered)
