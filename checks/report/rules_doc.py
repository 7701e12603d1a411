"""The rule catalog as text: `arch-check rules`, `arch-check explain` and docs/rules.md.

Everything comes from the rule classes (DESIGN.md section 5), so the terminal help,
the SARIF help and the generated reference cannot drift apart.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from checks.rules import Rule
from checks.rules.base import Invalid, Valid

MARKDOWN_COMMAND = "arch-check rules --markdown > docs/rules.md"


def rules_table(rules: Sequence[type[Rule]]) -> str:
    """One line per rule: code, name and summary, in columns."""
    width = max((len(rule.name) for rule in rules), default=0)
    return "".join(f"{rule.code}  {rule.name:<{width}}  {rule.summary}\n" for rule in rules)


def _source(code: str) -> tuple[str, int]:
    """Example code as shown (dedented, no blank lines around) and the lines cut above it.

    Examples are written indented in the rule classes and dedented when run, as here.
    """
    text = textwrap.dedent(code)
    body = text.lstrip("\n")
    return body.rstrip(), text.count("\n", 0, len(text) - len(body))


def _details(example: Valid) -> str:
    """The example's note, its reported line and options, as one phrase ("" if none)."""
    details = [example.note] if example.note else []
    if isinstance(example, Invalid) and example.line is not None:
        details.append(f"reported on line {example.line - _source(example.code)[1]}")
    if example.options:
        details.append("with " + ", ".join(f"{k} = {v!r}" for k, v in example.options.items()))
    return "; ".join(details)


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a rule's text (blank-line separated), each on one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def _paragraph(text: str) -> str:
    wrap = textwrap.TextWrapper(
        width=88,
        initial_indent="  ",
        subsequent_indent="  ",
        break_on_hyphens=False,
        break_long_words=False,
    )
    return "\n\n".join(wrap.fill(block) for block in _paragraphs(text))


def explain(rule: type[Rule]) -> str:
    """The terminal explanation of a rule: why, bad and good code, how to fix, what to read."""
    parts = [f"{rule.code} {rule.name}: {rule.summary}", "", "Why:", _paragraph(rule.rationale)]
    for title, examples in (("Bad", rule.INVALID), ("Good", rule.VALID)):
        for example in examples:
            details = _details(example)
            parts += ["", f"{title}: {example.path}" + (f" ({details})" if details else "")]
            parts += [textwrap.indent(_source(example.code)[0], "    ")]
    parts += ["", "How to fix:", _paragraph(rule.fix), "", f"The right way: {rule.reference}"]
    return "\n".join(parts) + "\n"


def _markdown_examples(title: str, examples: Sequence[Valid]) -> list[str]:
    lines: list[str] = []
    for example in examples:
        details = _details(example)
        lines += ["", f"{title} in `{example.path}`" + (f" ({details})" if details else "") + ":"]
        lines += ["", "```python"]
        lines += [_source(example.code)[0], "```"]
        for path, source in example.files.items():
            lines += ["", f"with `{path}`:", "", "```python", _source(source)[0], "```"]
    return lines


def rules_markdown(rules: Sequence[type[Rule]]) -> str:
    """docs/rules.md: an index table, then each rule's full documentation."""
    lines = [
        "# Rules",
        "",
        f"<!-- Generated from the rule classes by `{MARKDOWN_COMMAND}`; do not edit. -->",
        "",
        "Every rule has a stable code. Select or ignore them by code or prefix",
        '(`--select ARC1`, `[tool.arch-check.rules] ignore = ["ARC104"]`), silence one line',
        "with `# arch-check: ignore[CODE]`, and print one with `arch-check explain CODE`.",
        "",
        "| code | name | summary |",
        "|---|---|---|",
    ]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.summary} |" for r in rules]
    for rule in rules:
        lines += ["", f"## {rule.code}", "", f"**{rule.name}**: {rule.summary}", ""]
        for block in _paragraphs(rule.rationale):
            lines += [block, ""]
        lines += [f"**How to fix:** {' '.join(_paragraphs(rule.fix))}"]
        lines += ["", f"**The right way:** [`{rule.reference}`](../{rule.reference})"]
        if rule.default_options:
            options = ", ".join(f"`{k} = {v!r}`" for k, v in rule.default_options.items())
            lines += ["", f"**Options** (`[tool.arch-check.rules.{rule.code}]`): {options}"]
        lines += _markdown_examples("Reported", rule.INVALID)
        lines += _markdown_examples("Not reported", rule.VALID)
    return "\n".join(lines) + "\n"
