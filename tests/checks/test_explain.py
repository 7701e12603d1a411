"""`arch-check rules` and `arch-check explain`, for every rule of the catalog."""

import textwrap

import pytest

from checks.cli import main
from checks.rules import ALL_RULES


def test_rules_lists_every_code_name_and_summary(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES, strict=True):
        assert line.split()[:2] == [rule.code, rule.name]
        assert line.endswith(rule.summary)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_explain_prints_why_examples_fix_and_the_file_to_read(rule, capsys):
    assert main(["explain", rule.code.lower()]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{rule.code} {rule.name}: {rule.summary}\n")
    flat = " ".join(text.split())
    assert " ".join(rule.rationale.split()) in flat  # every word, none broken at a hyphen
    assert " ".join(rule.fix.split()) in flat
    assert f"The right way: {rule.reference}" in text
    shown = text.splitlines()
    for example in (*rule.INVALID, *rule.VALID):
        for line in textwrap.dedent(example.code).strip("\n").splitlines():
            assert f"    {line}".rstrip() in shown
    assert text.count("\nBad: ") == len(rule.INVALID)
    assert text.count("\nGood: ") == len(rule.VALID)


def test_explain_by_name_is_the_same(capsys):
    rule = ALL_RULES[-1]
    main(["explain", rule.code])
    by_code = capsys.readouterr().out
    assert main(["explain", rule.name]) == 0
    assert capsys.readouterr().out == by_code


@pytest.mark.parametrize("argv", [["explain", "ARC999"], ["explain"], ["rules", "--nope"]])
def test_bad_input_is_exit_2_with_one_line(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(f"arch-check {argv[0]}: ")
