"""`--format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning and GitLab read.

The driver lists every rule with its rationale, fix and reference-app file as help
text, so a code-scanning alert explains itself; results point at the rule by id and
index. URIs are relative to the repository root (`%SRCROOT%`), and columns count
Unicode code points, as libcst does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import checks
from checks.analysis.model import Violation
from checks.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def rule_help(rule: type[Rule]) -> str:
    """The plain-text help of a rule: why, how to fix, and where the right way is shown."""
    return f"{rule.rationale}\n\nHow to fix: {rule.fix}\n\nThe right way: {rule.reference}"


def rule_help_markdown(rule: type[Rule]) -> str:
    """The same help in Markdown, which GitHub shows on the alert page."""
    fix, reference = rule.fix, rule.reference
    return f"{rule.rationale}\n\n**How to fix:** {fix}\n\n**The right way:** `{reference}`"


def _descriptor(rule: type[Rule]) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule_help(rule), "markdown": rule_help_markdown(rule)},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["architecture", "fastapi"], "reference": rule.reference},
    }


def _bare_descriptor(violation: Violation) -> dict[str, object]:
    """A descriptor for a code with no rule class (an engine finding), so results still link."""
    return {
        "id": violation.code,
        "name": violation.name,
        "shortDescription": {"text": violation.name.replace("-", " ")},
        "defaultConfiguration": {"level": "error"},
    }


def _result(violation: Violation, index: int, path_prefix: str) -> dict[str, object]:
    return {
        "ruleId": violation.code,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": violation.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": f"{path_prefix}{violation.path}",
                        "uriBaseId": SRCROOT,
                    },
                    "region": {
                        "startLine": violation.line,
                        "startColumn": violation.column,
                        "endLine": violation.end_line,
                        "endColumn": violation.end_column,
                    },
                }
            }
        ],
    }


def sarif_log(
    violations: Iterable[Violation], rules: Sequence[type[Rule]], path_prefix: str = ""
) -> dict[str, object]:
    """The SARIF log as a dict: every rule of `rules`, and one result per violation.

    URIs are `path_prefix` + the project-relative path: the repository root is the
    `%SRCROOT%` that code-scanning services resolve them from.
    """
    ordered = sorted(violations, key=Violation.sort_key)
    descriptors = [_descriptor(rule) for rule in rules]
    index = {rule.code: position for position, rule in enumerate(rules)}
    for violation in ordered:
        if violation.code not in index:
            index[violation.code] = len(descriptors)
            descriptors.append(_bare_descriptor(violation))
    driver = {
        "name": "arch-check",
        "version": checks.__version__,
        "semanticVersion": checks.__version__,
        "rules": descriptors,
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(violation, index[violation.code], path_prefix) for violation in ordered
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def format_sarif(
    violations: Iterable[Violation],
    rules: Sequence[type[Rule]] | None = None,
    path_prefix: str = "",
) -> str:
    """The SARIF log as JSON text; `rules` defaults to the whole catalog."""
    if rules is None:
        from checks.rules import ALL_RULES

        rules = ALL_RULES
    return json.dumps(sarif_log(violations, rules, path_prefix), indent=2) + "\n"
