"""What a run produces: the violations to report and how the run went."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.analysis.model import Violation


@dataclass
class RunStats:
    """Work done, so tests and `--verbose` can see what the cache saved."""

    parsed: int = 0  # files parsed with libcst
    checked: int = 0  # files run through the per-file rules
    indexed: bool = False  # the project index was (re)built
    contracts_checked: bool = False  # the import graph was built and contracts checked


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking a project; formatters turn it into text."""

    violations: list[Violation]
    files: int  # files in the report's scope
    unmatched_modules: list[str] = field(default_factory=list)  # modules of no layer
    # modules the import graph cannot see (no __init__.py above them): no ARC001/ARC002
    outside_graph: list[str] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)
    references: dict[str, str] = field(default_factory=dict)  # code -> reference-app file

    @property
    def by_code(self) -> dict[str, int]:
        """Violation counts per code, in code order."""
        counts: dict[str, int] = {}
        for violation in sorted(self.violations, key=lambda v: v.code):
            counts[violation.code] = counts.get(violation.code, 0) + 1
        return counts
