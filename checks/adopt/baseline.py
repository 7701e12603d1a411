"""The baseline: today's violations, recorded so that only new ones fail a run.

A fingerprint hashes the code, the file's path, the enclosing "Class.function" and
the offending line with its whitespace normalised, never the line number: an edit
above a violation moves it without making it new, while renaming the file or
changing the offending line does. Identical violations in one scope share a
fingerprint, so the file stores a count per fingerprint and matching is by count.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.analysis.model import Violation

FORMAT_VERSION = 1


class BaselineError(Exception):
    """An unreadable baseline file: exit status 2 with this one-line message."""


@dataclass(frozen=True)
class BaselineResult:
    """What a run looks like against a baseline."""

    new: list[Violation]  # not in the baseline: these are reported
    known: int  # in the baseline and still there: not reported
    fixed: int  # in the baseline but no longer found: the file can shrink


def normalise(line: str) -> str:
    """The offending line without indentation or runs of whitespace."""
    return " ".join(line.split())


def fingerprint(violation: Violation, line_text: str) -> str:
    """The stable identity of a violation (see the module docstring)."""
    parts = (violation.code, violation.path, violation.scope, normalise(line_text))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def line_reader(root: Path) -> Callable[[str, int], str]:
    """A function (path, line) -> text of that line, reading each file of `root` once."""
    cache: dict[str, list[str]] = {}

    def read(path: str, line: int) -> str:
        if path not in cache:
            try:
                text = (root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            cache[path] = text.splitlines()
        lines = cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    return read


def write_baseline(
    file: Path, violations: Iterable[Violation], read_line: Callable[[str, int], str]
) -> int:
    """Record `violations` in `file` (sorted, one entry per fingerprint); returns their count."""
    entries: dict[str, dict[str, object]] = {}
    total = 0
    for violation in sorted(violations, key=Violation.sort_key):
        key = fingerprint(violation, read_line(violation.path, violation.line))
        entry = entries.setdefault(
            key,
            {
                "fingerprint": key,
                "code": violation.code,
                "path": violation.path,
                "scope": violation.scope,
                "message": violation.message,
                "count": 0,
            },
        )
        entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
        total += 1
    ordered = sorted(entries.values(), key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    document = {"version": FORMAT_VERSION, "tool": "arch-check", "violations": ordered}
    file.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return total


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: fingerprint -> count, and the (path, code) of each fingerprint."""

    counts: Counter[str]
    origins: dict[str, tuple[str, str]]


def load_baseline(file: Path) -> Baseline:
    """Read a baseline file written by `write_baseline`."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: baseline file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{file}: cannot read baseline: {error}") from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{file}: not an arch-check baseline (version {FORMAT_VERSION})")
    counts: Counter[str] = Counter()
    origins: dict[str, tuple[str, str]] = {}
    for entry in document.get("violations", []):
        try:
            key, count = entry["fingerprint"], entry["count"]
            path, code = entry["path"], entry["code"]
        except (TypeError, KeyError) as error:
            raise BaselineError(f"{file}: baseline entry without {error}") from None
        if not all(isinstance(value, str) for value in (key, path, code)) or not isinstance(
            count, int
        ):
            raise BaselineError(f"{file}: malformed baseline entry {entry!r}")
        counts[key] += count
        origins[key] = (path, code)
    return Baseline(counts, origins)


def apply_baseline(
    violations: Sequence[Violation],
    baseline: Baseline,
    read_line: Callable[[str, int], str],
    in_scope: Callable[[str, str], bool] | None = None,
) -> BaselineResult:
    """Split today's violations into new and known, and count the fixed entries.

    With identical violations, the first ones (in report order) are taken as known and
    the rest as new. `in_scope(path, code)` tells whether the run judged that code in
    that file: a run limited to some files (as pre-commit's) or rules (`--select`) must
    not count the other entries as fixed.
    """
    remaining = Counter(baseline.counts)
    new: list[Violation] = []
    known = 0
    for violation in sorted(violations, key=Violation.sort_key):
        key = fingerprint(violation, read_line(violation.path, violation.line))
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(violation)
    fixed = sum(
        count
        for key, count in remaining.items()
        if count > 0 and (in_scope is None or in_scope(*baseline.origins[key]))
    )
    return BaselineResult(new=new, known=known, fixed=fixed)


def run_scope(
    project_dir: Path,
    paths: Sequence[str],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Callable[[str, str], bool] | None:
    """Whether a run limited to `paths` and to rules by `select`/`ignore` judged (path, code).

    None: the run judged everything (no limits given).
    """
    if not paths and select is None and ignore is None:
        return None

    def code_ran(code: str) -> bool:
        chosen = select is None or any(code.startswith(prefix) for prefix in select)
        return chosen and not any(code.startswith(prefix) for prefix in ignore or ())

    in_paths = _path_scope(project_dir, paths)
    return lambda path, code: code_ran(code) and (in_paths is None or in_paths(path))


def _path_scope(project_dir: Path, paths: Sequence[str]) -> Callable[[str], bool] | None:
    if not paths:
        return None
    root = project_dir.resolve()
    scope = []
    for path in paths:
        try:
            relative = Path(path).resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        scope.append("" if relative == "." else relative)
    return lambda path: any(not s or path == s or path.startswith(f"{s}/") for s in scope)
