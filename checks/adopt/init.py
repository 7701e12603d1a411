"""`arch-check init`: detect the application package and write `[tool.arch-check]`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from checks.adopt.detect import Detection


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def section_text(detection: Detection) -> str:
    """The `[tool.arch-check]` tables for `detection`, with LF newlines.

    Only layer patterns that matched a module are written: the engine rejects a
    configured pattern that matches nothing, and missing layers keep their defaults.
    """
    lines = [
        "[tool.arch-check]",
        f"# Written by `arch-check init` ({detection.layout} layout); see docs/adoption.md.",
        f"root = {json.dumps(detection.root)}",
    ]
    if detection.exclude:
        lines.append(f"exclude = {_toml_list(detection.exclude)}")
    if detection.patterns:
        lines += ["", "[tool.arch-check.layers]"]
        lines += [f"{layer} = {_toml_list(found)}" for layer, found in detection.patterns.items()]
    return "\n".join(lines) + "\n"


def describe(detection: Detection) -> list[str]:
    """Lines telling what `init` detected, for the terminal."""
    lines = [f"application package: {detection.root} ({detection.layout} layout)"]
    for layer, modules in detection.modules.items():
        shown = ", ".join(modules[:3]) + (
            f", ... ({len(modules)} modules)" if len(modules) > 3 else ""
        )
        lines.append(f"  {layer:<13} {shown}")
    if detection.unlayered:
        shown = ", ".join(detection.unlayered[:5])
        more = f" and {len(detection.unlayered) - 5} more" if len(detection.unlayered) > 5 else ""
        lines.append(f"  in no layer:  {shown}{more} (arch-check --verbose lists them)")
    if detection.exclude:
        lines.append(f"  excluded:     {', '.join(detection.exclude)}")
    return lines


def write_config(project: Path, detection: Detection, force: bool = False) -> str:
    """Write the section into `project`/pyproject.toml; returns "created", "appended"..."""
    from checks.adopt.pyproject import add_section

    return add_section(project / "pyproject.toml", section_text(detection), force=force)
