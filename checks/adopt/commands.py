"""The `init`, `rules` and `explain` subcommands: each takes its argv, returns the exit status.

Bad input raises ConfigError (one line on stderr, exit status 2, from `checks.cli`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from checks.engine.config import ConfigError


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line: ConfigError, exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message} (see {self.prog} --help)")


def rules_main(argv: Sequence[str]) -> int:
    """`arch-check rules [--markdown]`: the catalog, or docs/rules.md."""
    parser = _Parser(prog="arch-check rules", description="List every rule.")
    parser.add_argument(
        "--markdown", action="store_true", help="print docs/rules.md (the full reference)"
    )
    options = parser.parse_args(argv)
    from checks.report.rules_doc import rules_markdown, rules_table
    from checks.rules import ALL_RULES

    sys.stdout.write(rules_markdown(ALL_RULES) if options.markdown else rules_table(ALL_RULES))
    return 0


def explain_main(argv: Sequence[str]) -> int:
    """`arch-check explain CODE|NAME`: why a rule exists, bad and good code, what to read."""
    parser = _Parser(prog="arch-check explain", description="Explain one rule.")
    parser.add_argument("rule", metavar="CODE|NAME", help="e.g. ARC103 or route-returns-orm")
    options = parser.parse_args(argv)
    from checks.report.rules_doc import explain
    from checks.rules import rule_by_code

    rule = rule_by_code(options.rule)
    if rule is None:
        raise ConfigError(
            f"arch-check explain: unknown rule {options.rule!r} (see arch-check rules)"
        )
    sys.stdout.write(explain(rule))
    return 0


def init_main(argv: Sequence[str]) -> int:
    """`arch-check init`: detect the app package, write the config, show a first run."""
    parser = _Parser(
        prog="arch-check init",
        description="Write [tool.arch-check] into ./pyproject.toml for this repository.",
    )
    parser.add_argument("--root", help="the application package folder (default: detect it)")
    parser.add_argument(
        "--force", action="store_true", help="replace an existing [tool.arch-check] section"
    )
    options = parser.parse_args(argv)
    from checks.adopt.detect import detect
    from checks.adopt.init import describe, write_config

    project = Path.cwd()
    detection = detect(project, options.root)
    action = write_config(project, detection, force=options.force)
    out = sys.stdout
    out.write("\n".join(describe(detection)) + "\n")
    out.write(f"{action} [tool.arch-check] in {project / 'pyproject.toml'}\n")
    return _first_run(project)


def _first_run(project: Path) -> int:
    """Check the project once and say what to do next; 0 (init worked) either way."""
    from checks.engine import check_project, load_config
    from checks.report.progress import progress

    with progress(sys.stderr, "arch-check: first run", sys.stderr.isatty()):
        result = check_project(load_config(project))
    counts = ", ".join(f"{code}: {count}" for code, count in result.by_code.items())
    out = sys.stdout
    if not result.violations:
        out.write(f"first run: no violations in {_count(result.files, 'file')}\n")
        return 0
    out.write(
        f"first run: {_count(len(result.violations), 'violation')} in "
        f"{_count(result.files, 'file')} checked ({counts})\n"
        "next: record them so that only new ones fail, and commit the file:\n"
        "  arch-check --write-baseline .arch-check-baseline.json\n"
        "then run (in pre-commit and CI): arch-check --baseline .arch-check-baseline.json\n"
    )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
