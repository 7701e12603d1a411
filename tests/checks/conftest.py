"""Fixtures of the linter's tests: small throwaway projects."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

DEFAULT_CONFIG = '[tool.arch-check]\nroot = "app"\n'


@pytest.fixture
def write_project() -> Callable[..., Path]:
    """`write_project(folder, {"app/x.py": source}, config=...)`: a project on disk."""
    return _write_project


def _write_project(folder: Path, files: Mapping[str, str], config: str = DEFAULT_CONFIG) -> Path:
    """Write `files` (path -> source, dedented) under `folder` with a pyproject.toml.

    Every folder of a .py file below the project gets an `__init__.py` if none is given,
    so the files form importable packages as in a real application.
    """
    (folder / "pyproject.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for path, source in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source), encoding="utf-8")
    for path in list(files):
        parent = (folder / path).parent
        while parent != folder:
            init = parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
            parent = parent.parent
    return folder
