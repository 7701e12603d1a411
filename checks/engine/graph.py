"""grimp's import graph of the project, built once per run.

grimp stops at the first file it cannot parse, and a file that does not parse is
ARC000, never a crash: such files are left out through a shadow tree of links.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from checks.engine.config import Config, ConfigError


def build_graph(
    config: Config, roots: list[str], exclude_type_checking: bool, cache: str | None
) -> Any:
    """The import graph of `roots`; files that do not parse (ARC000) are left out of it."""
    import grimp
    from grimp.exceptions import SourceSyntaxError

    unique_roots = list(dict.fromkeys(roots))
    broken: set[Path] = set()
    while True:
        with _importable(config, unique_roots, broken) as shadowed:
            try:
                return grimp.build_graph(
                    *unique_roots,
                    include_external_packages=True,
                    exclude_type_checking_imports=exclude_type_checking,
                    cache_dir=None if shadowed else cache,
                )
            except SourceSyntaxError as error:
                path = Path(error.filename).resolve()
                if path in broken:
                    raise ConfigError(f"{path}: import-linter cannot parse it") from None
                broken.add(path)
            except Exception as error:
                roots_text = ", ".join(unique_roots)
                raise ConfigError(
                    f"cannot build the import graph of {roots_text}: {error}"
                ) from None


@contextlib.contextmanager
def _importable(config: Config, roots: list[str], broken: set[Path]) -> Iterator[bool]:
    """Make the packages findable by grimp; with broken files, through a shadow tree.

    grimp stops at the first file it cannot parse, so the shadow tree links every
    file of the packages except the broken ones. Yields whether it is shadowed.
    """
    with contextlib.ExitStack() as stack:
        entries = list(dict.fromkeys([str(config.root_dir.parent), str(config.project_dir)]))
        if broken:
            shadow = stack.enter_context(tempfile.TemporaryDirectory(prefix="arch-check-"))
            for root in roots:
                _link_tree(_package_dir(config, root), Path(shadow) / root, broken)
            entries = [shadow]
        sys.path[:0] = entries
        try:
            yield bool(broken)
        finally:
            for entry in entries:
                sys.path.remove(entry)


def _package_dir(config: Config, name: str) -> Path:
    if name == config.root_package:
        return config.root_dir
    return config.project_dir / name


def _link_tree(source: Path, target: Path, broken: set[Path]) -> None:
    for folder, subfolders, names in os.walk(source):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        destination = target / os.path.relpath(folder, source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = Path(folder, name)
            if name.endswith(".py") and path.resolve() not in broken:
                (destination / name).symlink_to(path)
