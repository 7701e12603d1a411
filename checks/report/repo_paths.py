"""Paths as code hosts name them: relative to the repository root, not the project.

arch-check reports paths relative to the folder of pyproject.toml; GitHub annotations
and code-scanning alerts resolve them from the repository root. In a monorepo
(`backend/pyproject.toml`) the two differ by a prefix.
"""

from __future__ import annotations

from pathlib import Path


def repository_prefix(project_dir: Path | None) -> str:
    """The project folder relative to its git repository's root, with "/" ("" at the root)."""
    if project_dir is None:
        return ""
    project = project_dir.resolve()
    for folder in (project, *project.parents):
        if (folder / ".git").exists():
            relative = project.relative_to(folder).as_posix()
            return "" if relative == "." else f"{relative}/"
    return ""
