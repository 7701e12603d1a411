"""Add or replace `[tool.arch-check]` in pyproject.toml as text, never by round-tripping.

A TOML library would reformat the file and drop its comments; this appends the
section's text, or (with `force`) swaps the text of the arch-check tables only, and
checks by parsing before and after that nothing else changed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from checks.engine.config import ConfigError

_HEADER = re.compile(r"^[ \t]*\[\[?([^\]\[]+)\]\]?[ \t]*(#.*)?$")
_FAMILY = ("tool", "arch-check")


def _table_name(header: str) -> tuple[str, ...]:
    """The key path of a table header, e.g. `tool . "arch-check"` -> ("tool", "arch-check")."""
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', header)
    return tuple(next(part for part in key if part) for key in keys)


def _in_family(name: tuple[str, ...]) -> bool:
    return name[:2] == _FAMILY


def _without_section(data: dict[str, object]) -> dict[str, object]:
    tool = dict(data.get("tool", {}))  # type: ignore[call-overload]
    tool.pop("arch-check", None)
    return {**data, "tool": tool}


def add_section(pyproject: Path, section: str, force: bool = False) -> str:
    """Write `section` (TOML text with LF newlines) into `pyproject`; returns what was done.

    Raises ConfigError (one line naming the file) for a file that does not parse, an
    existing section without `force`, or a section that cannot be replaced as text.
    """
    if not pyproject.exists():
        pyproject.write_bytes(section.encode())
        return "created"
    raw = pyproject.read_bytes()
    try:
        text = raw.decode("utf-8")
        before = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject.name}: cannot parse: {error}") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    section = section.replace("\n", newline)
    exists = "arch-check" in before.get("tool", {})
    if exists and not force:
        raise ConfigError(
            f"{pyproject.name}: tool.arch-check: already present; pass --force to replace it"
        )
    if exists:
        updated, action = _replace(text, section, newline, pyproject), "replaced"
    else:
        updated, action = _append(text, section, newline), "appended"
    after = tomllib.loads(updated)
    if _without_section(after) != _without_section(before):
        raise ConfigError(f"{pyproject.name}: tool.arch-check: cannot edit safely; edit by hand")
    pyproject.write_bytes(updated.encode("utf-8"))
    return action


def _append(text: str, section: str, newline: str) -> str:
    """`text`, a blank line, then `section`."""
    if not text:
        return section
    if not text.endswith("\n"):
        text += newline
    if not text.endswith(newline * 2):
        text += newline
    return text + section


def _replace(text: str, section: str, newline: str, pyproject: Path) -> str:
    """`text` with every [tool.arch-check...] table removed and `section` at the first."""
    lines = text.splitlines(keepends=True)
    headers = [
        (index, _table_name(match.group(1)))
        for index, line in enumerate(lines)
        if (match := _HEADER.match(line.rstrip("\r\n")))
    ]
    blocks: list[tuple[int, int]] = []
    for position, (start, name) in enumerate(headers):
        if not _in_family(name):
            continue
        end = headers[position + 1][0] if position + 1 < len(headers) else len(lines)
        following = headers[position + 1][1] if position + 1 < len(headers) else None
        if following and not _in_family(following):
            # comments and blank lines just above the next table belong to it
            while end - 1 > start and (
                not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
            ):
                end -= 1
        blocks.append((start, end))
    if not blocks:
        raise ConfigError(
            f"{pyproject.name}: tool.arch-check: not written as [tool.arch-check] tables; "
            "edit by hand"
        )
    first = blocks[0][0]
    kept = [line for index, line in enumerate(lines) if not any(s <= index < e for s, e in blocks)]
    insert_at = first - sum(e - s for s, e in blocks if e <= first)
    following = kept[insert_at:]
    body = section if not following or not following[0].strip() else section + newline
    return "".join(kept[:insert_at]) + body + "".join(following)
