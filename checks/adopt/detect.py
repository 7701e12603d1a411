"""Find a repository's application package and how its modules map onto the layers.

Used by `arch-check init`. The package is the one (at the top level, or one folder
down as in `src/app` or a monorepo's `backend/app`) with the most modules that import
FastAPI or sit in a layer; the layout is layer-first when layers are top-level
packages (`app/services/`), domain-first when they are modules inside feature
packages (`app/users/service.py`).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from checks.engine.config import ConfigError
from checks.engine.layers import DEFAULT_LAYER_PATTERNS, LAYER_NAMES, pattern_matches

_NOT_APPS = frozenset(
    {"tests", "test", "docs", "scripts", "build", "dist", "node_modules", "site-packages"}
)
_MIGRATION_FOLDERS = ("alembic", "migrations")
_IMPORTS_FASTAPI = re.compile(r"^\s*(from|import)\s+(fastapi|starlette)\b", re.MULTILINE)


@dataclass
class Detection:
    """What `init` found: the package folder, its layout and the layer patterns it uses."""

    root: str  # folder of the application package, relative to the project, with "/"
    layout: str  # "layer-first", "domain-first", "mixed" or "unknown"
    patterns: dict[str, list[str]] = field(default_factory=dict)  # layer -> matched patterns
    modules: dict[str, list[str]] = field(default_factory=dict)  # layer -> modules in it
    unlayered: list[str] = field(default_factory=list)  # modules in no layer
    exclude: list[str] = field(default_factory=list)


def _skipped(name: str) -> bool:
    return name.startswith((".", "_")) or name in _NOT_APPS or "venv" in name


def _is_package(folder: Path) -> bool:
    name = folder.name
    return not _skipped(name) and name.isidentifier() and (folder / "__init__.py").is_file()


def candidate_packages(project: Path) -> list[str]:
    """Packages at the top level of `project`, or one folder down (`src/app`, `backend/app`).

    Relative paths, with "/".
    """
    found = []
    for entry in sorted(project.iterdir()):
        if not entry.is_dir() or _skipped(entry.name):
            continue
        if _is_package(entry):
            found.append(entry.name)
        else:
            found += [
                f"{entry.name}/{sub.name}" for sub in sorted(entry.iterdir()) if _is_package(sub)
            ]
    return found


def _modules(package_dir: Path) -> list[tuple[str, Path]]:
    """(dotted name relative to the package, file) for each module below it."""
    modules = []
    for folder, subfolders, names in os.walk(package_dir):
        subfolders[:] = sorted(
            name for name in subfolders if not _skipped(name) and name not in _MIGRATION_FOLDERS
        )
        relative = Path(folder).relative_to(package_dir).parts
        if not all(part.isidentifier() for part in relative):
            continue
        for name in sorted(names):
            if name.endswith(".py") and name[:-3].isidentifier():
                parts = [*relative] if name == "__init__.py" else [*relative, name[:-3]]
                modules.append((".".join(parts), Path(folder) / name))
    return modules


def _match_at(prefix: str) -> tuple[str, str] | None:
    for layer in LAYER_NAMES:
        for pattern in DEFAULT_LAYER_PATTERNS[layer]:
            if pattern_matches(pattern, prefix):
                return layer, pattern
    return None


def _layer_match(relative: str) -> tuple[str, str, int] | None:
    """(layer, pattern, depth of the matching package) by the default patterns.

    The deepest match decides the layer, as in the engine; the pattern reported is the
    shallowest one that gives the same layer, so `api.router` needs only "api".
    """
    parts = relative.split(".") if relative else []
    matches = [(depth, _match_at(".".join(parts[:depth]))) for depth in range(1, len(parts) + 1)]
    found = [(depth, match) for depth, match in matches if match]
    if not found:
        return None
    depth, (layer, pattern) = found[-1]
    for shallower, (other_layer, other_pattern) in reversed(found[:-1]):
        if other_layer != layer:
            break
        depth, pattern = shallower, other_pattern
    return layer, pattern, depth


def _score(package_dir: Path) -> int:
    score = 0
    for relative, path in _modules(package_dir):
        if _layer_match(relative):
            score += 1
        try:
            if _IMPORTS_FASTAPI.search(path.read_text(encoding="utf-8", errors="replace")):
                score += 2
        except OSError:
            continue
    return score


def find_root(project: Path) -> str:
    """The application package of `project`; ConfigError when none or several fit."""
    scored = sorted(
        ((_score(project / name), name) for name in candidate_packages(project)), reverse=True
    )
    scored = [(score, name) for score, name in scored if score > 0]
    if not scored:
        raise ConfigError(
            f"{project}: no Python package that uses FastAPI found here or one folder down; "
            "run from the repository root or pass --root PACKAGE_FOLDER"
        )
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        tied = ", ".join(name for score, name in scored if score == scored[0][0])
        raise ConfigError(f"{project}: several application packages fit ({tied}); pass --root")
    return scored[0][1]


def detect(project: Path, root: str | None = None) -> Detection:
    """Detect the package (unless `root` is given), its layout and its layer patterns."""
    if root is None:
        root = find_root(project)
    root = root.strip("/")
    package_dir = project / root
    if not (package_dir / "__init__.py").is_file():
        raise ConfigError(f"--root: {root!r} is not a package folder (no {root}/__init__.py)")
    patterns: dict[str, list[str]] = defaultdict(list)
    modules: dict[str, list[str]] = defaultdict(list)
    unlayered: list[str] = []
    depths = {"top": 0, "nested": 0}
    package = root.rsplit("/", 1)[-1]
    for relative, _ in _modules(package_dir):
        if not relative:
            continue
        match = _layer_match(relative)
        if match is None:
            unlayered.append(f"{package}.{relative}")
            continue
        layer, pattern, depth = match
        if pattern not in patterns[layer]:
            patterns[layer].append(pattern)
        modules[layer].append(f"{package}.{relative}")
        if layer not in ("core", "utils"):
            depths["top" if depth == 1 else "nested"] += 1
    ordered = {layer: patterns[layer] for layer in LAYER_NAMES if patterns[layer]}
    return Detection(
        root=root,
        layout=_layout(depths["top"], depths["nested"]),
        patterns={
            layer: sorted(found, key=DEFAULT_LAYER_PATTERNS[layer].index)
            for layer, found in ordered.items()
        },
        modules={layer: modules[layer] for layer in ordered},
        unlayered=unlayered,
        exclude=[
            f"{root}/{name}/**" for name in _MIGRATION_FOLDERS if (package_dir / name).is_dir()
        ],
    )


def _layout(top: int, nested: int) -> str:
    if not top and not nested:
        return "unknown"
    if nested <= top // 4:
        return "layer-first"
    if top <= nested // 4:
        return "domain-first"
    return "mixed"
