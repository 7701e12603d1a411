"""The engine's public API: load a project's configuration and check it.

    config = load_config(".")
    result = check_project(config, select=["ARC1"], jobs=2)

Bad input of any kind raises `ConfigError`, whose text is the one line to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checks.engine.config import Config, ConfigError, load_config
from checks.engine.result import CheckResult, RunStats

__all__ = ["CheckResult", "Config", "ConfigError", "RunStats", "check_project", "load_config"]


def check_project(
    config: Config,
    *,
    paths: Sequence[str | Path] = (),
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
) -> CheckResult:
    """Check the project of `config`.

    `paths` (files or folders, relative to the current folder or absolute) narrow the
    report; import contracts still judge the whole graph. `select`/`ignore` (codes or
    prefixes) replace the configured ones when given.
    """
    from checks.engine.cache import CACHE_FOLDER, Cache
    from checks.engine.catalog import rule_catalog
    from checks.engine.config import check_rule_options
    from checks.engine.runner import run
    from checks.engine.selection import select_rules

    cache = Cache(config.project_dir / CACHE_FOLDER if use_cache else None)
    catalog = rule_catalog(cache)
    check_rule_options(config, {code: rule.default_options for code, rule in catalog.items()})
    file_name = config.config_file.name
    labels = ("--select", "--ignore")
    if select is None and ignore is None:
        labels = (
            f"{file_name}: tool.arch-check.rules.select",
            f"{file_name}: tool.arch-check.rules.ignore",
        )
    selection = select_rules(
        catalog,
        config.select if select is None else select,
        config.ignore if ignore is None else ignore,
        config.per_file_ignores,
        labels,
    )
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs: expected a positive number, got {jobs}")
    scope = [_relative(config, Path(path)) for path in paths]
    return run(config, selection, cache, scope=scope, jobs=jobs)


def _relative(config: Config, path: Path) -> str:
    absolute = path.resolve()
    if not absolute.exists():
        raise ConfigError(f"{path}: no such file or folder")
    try:
        relative = absolute.relative_to(config.project_dir.resolve()).as_posix()
    except ValueError:
        raise ConfigError(f"{path}: not inside the project {config.project_dir}") from None
    return "" if relative == "." else relative
