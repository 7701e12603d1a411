"""docs/rules.md is generated from the rule classes, and stays in sync with them."""

from pathlib import Path

import pytest

from checks.cli import main
from checks.report.rules_doc import MARKDOWN_COMMAND
from checks.rules import ALL_RULES

REPOSITORY = Path(__file__).resolve().parents[2]


def test_docs_rules_md_is_up_to_date(capsys):
    assert main(["rules", "--markdown"]) == 0
    generated = capsys.readouterr().out
    current = (REPOSITORY / "docs/rules.md").read_text(encoding="utf-8")
    assert current == generated, f"docs/rules.md is stale: run `{MARKDOWN_COMMAND}`"


def test_every_rule_has_a_section_with_its_examples(capsys):
    main(["rules", "--markdown"])
    text = capsys.readouterr().out
    for rule in ALL_RULES:
        section = text.split(f"\n## {rule.code}\n", 1)[1].split("\n## ", 1)[0]
        assert f"**{rule.name}**: {rule.summary}" in section
        assert section.count("```python") >= len(rule.INVALID) + len(rule.VALID)
        assert f"[`{rule.reference}`](../{rule.reference})" in section


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_points_at_a_file_of_the_reference_app(rule):
    assert rule.reference.startswith("reference_app/")
    assert (REPOSITORY / rule.reference).is_file(), f"{rule.code}: {rule.reference} is missing"
    assert rule.summary and "\n" not in rule.summary
