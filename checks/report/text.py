"""`--format text`: `path:line:col: CODE message`, a hint line, and a summary."""

from __future__ import annotations

from collections.abc import Callable

from checks.engine import CheckResult

_BOLD, _RED, _DIM, _GREEN, _RESET = "\033[1m", "\033[31m", "\033[2m", "\033[32m", "\033[0m"


def format_text(result: CheckResult, *, color: bool = False, quiet: bool = False) -> str:
    """Violations in report order; `quiet` leaves out hints and the summary."""

    def paint(text: str, *styles: str) -> str:
        return f"{''.join(styles)}{text}{_RESET}" if color else text

    lines: list[str] = []
    for v in result.violations:
        where = paint(f"{v.path}:{v.line}:{v.column}:", _BOLD)
        lines.append(f"{where} {paint(v.code, _BOLD, _RED)} {v.message}")
        reference = result.references.get(v.code)
        if not quiet and reference:
            lines.append(paint(f"    hint: {reference} shows the right way ({v.name})", _DIM))
    if not quiet:
        lines.append(_summary(result, paint))
    return "".join(f"{line}\n" for line in lines)


def _summary(result: CheckResult, paint: Callable[..., str]) -> str:
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    if not result.violations:
        return paint(f"No violations in {files}.", _GREEN)
    counts = ", ".join(f"{code}: {count}" for code, count in result.by_code.items())
    noun = "violation" if len(result.violations) == 1 else "violations"
    return paint(f"Found {len(result.violations)} {noun} in {files} checked ({counts}).", _BOLD)
