"""Which rules run: `select`/`ignore` (codes or prefixes) and `per-file-ignores`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from checks.engine.catalog import RuleInfo
from checks.engine.config import ConfigError


@dataclass(frozen=True)
class Selection:
    """The selected rules and the per-file exceptions."""

    rules: tuple[RuleInfo, ...]
    per_file_ignores: Mapping[str, tuple[str, ...]]

    @property
    def codes(self) -> frozenset[str]:
        """The codes of the selected rules."""
        return frozenset(rule.code for rule in self.rules)

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """Codes (or prefixes) switched off for one file by `per-file-ignores`."""
        return tuple(
            code
            for pattern, codes in self.per_file_ignores.items()
            if fnmatchcase(path, pattern) or fnmatchcase(path, pattern.rstrip("/*") + "/*")
            for code in codes
        )

    def applies(self, code: str, path: str) -> bool:
        """Whether a finding of `code` in `path` is reported."""
        return code in self.codes and not any(code.startswith(c) for c in self.ignored_in(path))

    def ran(self, code_or_prefix: str, path: str) -> bool:
        """Whether some rule named by `code_or_prefix` judged `path`."""
        return any(
            rule.code.startswith(code_or_prefix) and self.applies(rule.code, path)
            for rule in self.rules
        )


def select_rules(
    catalog: Mapping[str, RuleInfo],
    select: Sequence[str],
    ignore: Sequence[str],
    per_file_ignores: Mapping[str, tuple[str, ...]],
    labels: tuple[str, str] = ("--select", "--ignore"),
) -> Selection:
    """Validate codes and prefixes (`labels` name their source in errors), pick the rules."""
    for flag, codes in zip(labels, (select, ignore), strict=True):
        for code in codes:
            if not any(rule_code.startswith(code.upper()) for rule_code in catalog):
                raise ConfigError(f"{flag}: {code!r} names no rule (see `arch-check rules`)")
    chosen = tuple(
        rule
        for rule in catalog.values()
        if any(rule.code.startswith(c.upper()) for c in select)
        and not any(rule.code.startswith(c.upper()) for c in ignore)
    )
    return Selection(chosen, per_file_ignores)
