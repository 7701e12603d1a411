"""`--write-baseline FILE` and `--baseline FILE` applied to a finished run."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from checks.adopt.baseline import (
    BaselineError,
    apply_baseline,
    line_reader,
    load_baseline,
    run_scope,
    write_baseline,
)
from checks.engine import CheckResult, ConfigError


def record(
    result: CheckResult, project_dir: Path, file: str, paths: Sequence[str], limited: bool
) -> str:
    """Write the baseline of the whole project; returns the line to tell the user.

    `limited`: the run used --select or --ignore, so its violations are not all of them.
    """
    if paths or limited:
        raise ConfigError(
            "--write-baseline: records the whole project with the configured rules; "
            "leave out PATHs, --select and --ignore"
        )
    count = write_baseline(Path(file), result.violations, line_reader(project_dir))
    return (
        f"arch-check: recorded {count} violation{'' if count == 1 else 's'} in {file}; "
        "commit it and run "
        f"`arch-check --baseline {file}` so that only new violations fail"
    )


def compare(
    result: CheckResult,
    project_dir: Path,
    file: str,
    paths: Sequence[str],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> tuple[CheckResult, str]:
    """The result with only violations new since the baseline, and a line about the rest."""
    try:
        baseline = load_baseline(Path(file))
    except BaselineError as error:
        raise ConfigError(str(error)) from None
    reader: Callable[[str, int], str] = line_reader(project_dir)
    scope = run_scope(project_dir, paths, select, ignore)
    outcome = apply_baseline(result.violations, baseline, reader, scope)
    known = f"{outcome.known} known violation{'' if outcome.known == 1 else 's'}"
    message = f"arch-check: {known} in {file} not shown"
    if outcome.fixed:
        message += (
            f"; {outcome.fixed} of its entries are fixed: shrink it with "
            f"`arch-check --write-baseline {file}`"
        )
    return dataclasses.replace(result, violations=outcome.new), message
