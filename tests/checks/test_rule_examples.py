"""Every VALID and INVALID example of every rule, run through the public engine API."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.engine import check_project, load_config
from checks.rules import ALL_RULES, Invalid, Rule, Valid

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{kind}-{number}")
    for rule in ALL_RULES
    for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for number, example in enumerate(examples)
]


def _config(rule: type[Rule], example: Valid) -> str:
    lines = ["[tool.arch-check]", 'root = "app"']
    if example.options:
        lines.append(f"[tool.arch-check.rules.{rule.code}]")
        lines += [f"{name} = {_toml(value)}" for name, value in example.options.items()]
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def test_every_rule_has_examples_of_both_kinds() -> None:
    for rule in ALL_RULES:
        assert rule.VALID and rule.INVALID, rule.code
        assert rule.reference.startswith("reference_app/"), rule.code


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(tmp_path: Path, rule: type[Rule], example: Valid, write_project) -> None:
    files = {**example.files, example.path: example.code}
    write_project(tmp_path, files, _config(rule, example))
    # ARC900 judges suppressions of other rules, so those must run too.
    select = ["ARC"] if rule.code == "ARC900" else [rule.code]
    result = check_project(load_config(tmp_path), select=select, jobs=1, use_cache=False)
    found = [v for v in result.violations if v.code == rule.code and v.path == example.path]
    if isinstance(example, Invalid):
        assert found, f"{rule.code} not reported: {example.note or example.code}"
        if example.line is not None:
            assert example.line in [v.line for v in found], found
    else:
        assert not found, f"{rule.code} reported on valid code: {found}"
