"""List the modules of the application package, with their layers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatchcase

from checks.engine.config import Config, ConfigError
from checks.engine.layers import layer_of, matches_any, pattern_matches

_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Python module under the root package."""

    path: str  # relative to the project folder, with "/"
    module: str  # dotted name
    layer: str | None
    is_package: bool
    is_composition_root: bool


def discover(config: Config) -> list[SourceFile]:
    """Every module under the root package (minus `exclude`), sorted by path.

    Raises ConfigError for an explicitly configured layer pattern that matches nothing,
    since a typo there would silently exempt a whole layer from every rule.
    """
    files: list[SourceFile] = []
    relative_names: list[str] = []
    root_parts = config.root.split("/")
    for folder, subfolders, names in os.walk(config.root_dir):
        relative_folder = os.path.relpath(folder, config.project_dir).replace(os.sep, "/")
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in _SKIPPED_FOLDERS
            and not is_excluded(f"{relative_folder}/{name}", config.exclude)
        )
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            path = f"{relative_folder}/{name}"
            if is_excluded(path, config.exclude):
                continue
            parts = path[: -len(".py")].split("/")[len(root_parts) :]
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            if not all(part.isidentifier() for part in parts):
                continue
            relative = ".".join(parts)
            relative_names.append(relative)
            files.append(
                SourceFile(
                    path=path,
                    module=".".join([config.root_package, *parts]),
                    layer=layer_of(relative, config.layers),
                    is_package=is_package,
                    is_composition_root=matches_any(relative, config.composition_roots),
                )
            )
    _check_patterns_match(config, relative_names)
    return sorted(files, key=lambda source: source.path)


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether a project-relative path (or a folder above it) matches an exclude glob."""
    return any(
        fnmatchcase(path, pattern) or fnmatchcase(path, pattern.rstrip("/*") or pattern)
        for pattern in patterns
    )


def _check_patterns_match(config: Config, relative_names: list[str]) -> None:
    prefixes = {
        ".".join(parts[:depth])
        for name in relative_names
        if name
        for parts in [name.split(".")]
        for depth in range(1, len(parts) + 1)
    }
    for layer, patterns in config.explicit_layer_patterns.items():
        for pattern in patterns:
            if not any(pattern_matches(pattern, prefix) for prefix in prefixes):
                raise ConfigError(
                    f"{config.config_file.name}: tool.arch-check.layers.{layer}: "
                    f"pattern {pattern!r} matches no module under {config.root}"
                )
