"""The `arch-check` command: check a project, or dispatch to a subcommand.

Only the standard library is imported before the arguments are understood, so
`arch-check --version` and `--help` stay fast (no libcst, import-linter or grimp).
Exit status: 0 no violations, 1 violations, 2 usage, configuration or internal error
(one line on stderr; never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

import checks

if TYPE_CHECKING:
    from pathlib import Path

    from checks.engine import CheckResult

# Subcommand -> "module:function"; the function takes the remaining argv and returns
# the exit status. Imported only when used.
SUBCOMMANDS: dict[str, str] = {
    "fuzz": "checks.fuzz.cli:main",
    "init": "checks.adopt.commands:init_main",
    "rules": "checks.adopt.commands:rules_main",
    "explain": "checks.adopt.commands:explain_main",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"arch-check: {message} (see arch-check --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="arch-check",
        description="Check a FastAPI project against its layered architecture.",
        epilog=f"Subcommands: {', '.join(sorted(SUBCOMMANDS))} (arch-check SUBCOMMAND --help).",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="report only on these files or folders"
    )
    parser.add_argument(
        "--format",
        default="text",
        help="output format: text (default), json, sarif, github, gitlab",
    )
    parser.add_argument(
        "--select", type=_codes, help="comma-separated codes or prefixes to check (e.g. ARC1)"
    )
    parser.add_argument("--ignore", type=_codes, help="comma-separated codes or prefixes to skip")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the CPU count)")
    parser.add_argument(
        "--baseline", metavar="FILE", help="report only violations that are not in FILE"
    )
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record today's violations in FILE and exit 0"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="also print the number of violations per rule"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list modules that match no layer"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="violations only: no hints, no summary"
    )
    parser.add_argument("--version", action="version", version=f"arch-check {checks.__version__}")
    return parser


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in text.split(",") if code.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `arch-check` with `argv` (default: the process arguments); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            module_name, _, function = SUBCOMMANDS[arguments[0]].partition(":")
            return getattr(importlib.import_module(module_name), function)(arguments[1:])
        options = _parser().parse_args(arguments)
        return _check(options)
    except KeyboardInterrupt:
        _say("arch-check: interrupted")
        return 2
    except BrokenPipeError:
        # The reader stopped early (`arch-check | head`): silence the final flush, and
        # exit 1 as Python's documentation recommends for SIGPIPE.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        from checks.engine import ConfigError

        if isinstance(error, ConfigError):
            _say(str(error))
        else:
            _say(f"arch-check: internal error: {type(error).__name__}: {error}")
        return 2


def _check(options: argparse.Namespace) -> int:
    from checks.engine import ConfigError, check_project, load_config
    from checks.report import FORMATTERS, OutputOptions

    formatter = FORMATTERS.get(options.format)
    if formatter is None:
        known = ", ".join(FORMATTERS)
        raise ConfigError(f"--format: unknown format {options.format!r} (choose from {known})")
    from checks.report.progress import progress

    config = load_config(os.getcwd())
    with progress(sys.stderr, "arch-check: checking", sys.stderr.isatty() and not options.quiet):
        result = check_project(
            config,
            paths=options.paths,
            select=options.select,
            ignore=options.ignore,
            jobs=options.jobs,
            use_cache=not options.no_cache,
        )
    if options.verbose:
        _explain_run(config.config_file, result)
    if options.write_baseline:
        from checks.adopt.baseline_run import record

        limited = options.select is not None or options.ignore is not None
        message = record(result, config.project_dir, options.write_baseline, options.paths, limited)
        if not options.quiet:
            _say(message)
        return 0
    if options.baseline:
        from checks.adopt.baseline_run import compare

        result, message = compare(
            result,
            config.project_dir,
            options.baseline,
            options.paths,
            options.select,
            options.ignore,
        )
        if not options.quiet:
            _say(message)
    color = options.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    output = formatter(result, OutputOptions(color, options.quiet, config.project_dir))
    sys.stdout.write(output)
    if options.statistics:
        from checks.report.statistics import format_statistics

        (sys.stdout if options.format == "text" else sys.stderr).write(format_statistics(result))
    return 1 if result.violations else 0


def _explain_run(config_file: Path, result: CheckResult) -> None:
    """`--verbose`: what was checked, what the cache saved, and modules of no layer."""
    stats = result.stats
    work = [f"parsed {stats.parsed}", f"checked {stats.checked}"]
    work += ["index rebuilt"] if stats.indexed else []
    work += ["import graph built"] if stats.contracts_checked else []
    _say(f"arch-check: configuration {config_file}")
    _say(f"arch-check: {result.files} files; {', '.join(work)}")
    if result.unmatched_modules:
        _say(
            f"arch-check: {len(result.unmatched_modules)} modules match no layer, so layer "
            f"rules skip them: {', '.join(result.unmatched_modules)}"
        )
    if result.outside_graph:
        _say(
            f"arch-check: {len(result.outside_graph)} modules are not in the import graph "
            f"(a folder without __init__.py?), so no import contract judges them: "
            f"{', '.join(result.outside_graph)}"
        )


def _say(message: str) -> None:
    """One line on stderr (diagnostics; stdout carries only the report)."""
    sys.stderr.write(f"{message}\n")
