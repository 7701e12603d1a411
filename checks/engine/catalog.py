"""What the engine needs to know about rules, without importing them.

Importing the rules imports libcst (about 0.2 s), which a warm run must not pay:
the catalog of codes, names, references and default options is kept in the cache,
whose key already changes whenever arch-check's own code does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checks.engine.cache import Cache


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata, picklable and cheap."""

    code: str
    name: str
    reference: str  # the reference-app file that shows the right way
    default_options: Mapping[str, object]


def rule_catalog(cache: Cache) -> dict[str, RuleInfo]:
    """Every rule of the catalog by code, in code order."""
    catalog = cache.get("catalog", "rules", "1")
    if catalog is None:
        from checks.rules import ALL_RULES

        catalog = {
            rule.code: RuleInfo(rule.code, rule.name, rule.reference, dict(rule.default_options))
            for rule in ALL_RULES
        }
        cache.put("catalog", "rules", "1", catalog)
    return catalog


def rule_classes(codes: set[str] | frozenset[str]) -> list[type]:
    """The rule classes of `codes`, in catalog order (this imports the rules)."""
    from checks.rules import ALL_RULES

    return [rule for rule in ALL_RULES if rule.code in codes]
