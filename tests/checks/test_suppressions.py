"""Inline suppressions and ARC900 for the ones that suppress nothing."""

from __future__ import annotations

from pathlib import Path

from checks.engine import check_project, load_config


def _report(folder: Path, select: list[str] | None = None) -> list[tuple[str, int]]:
    result = check_project(load_config(folder), select=select, jobs=1, use_cache=False)
    return [(v.code, v.line) for v in result.violations]


def test_a_suppression_hides_its_violation_and_only_that_one(tmp_path: Path, write_project) -> None:
    service = """\
        import sqlalchemy  # arch-check: ignore[ARC002]
        from fastapi import HTTPException
        import json  # arch-check: ignore[ARC002, ARC001]
    """
    write_project(tmp_path, {"app/services/users.py": service})
    assert _report(tmp_path) == [
        ("ARC002", 2),
        ("ARC900", 3),  # one finding per unused code
        ("ARC900", 3),
    ]


def test_a_suppression_of_a_rule_that_did_not_run_is_not_unused(
    tmp_path: Path, write_project
) -> None:
    write_project(
        tmp_path, {"app/services/users.py": "import json  # arch-check: ignore[ARC002]\n"}
    )
    assert _report(tmp_path, ["ARC001", "ARC900"]) == []
    assert _report(tmp_path, ["ARC002", "ARC900"]) == [("ARC900", 1)]


def test_suppression_text_in_a_string_is_not_a_suppression(tmp_path: Path, write_project) -> None:
    service = 'import sqlalchemy; HELP = "# arch-check: ignore[ARC002]"\n'
    write_project(tmp_path, {"app/services/users.py": service})
    assert _report(tmp_path) == [("ARC002", 1)]


def test_per_file_ignores_silence_a_rule_in_matching_files(tmp_path: Path, write_project) -> None:
    config = """\
        [tool.arch-check]
        root = "app"
        [tool.arch-check.per-file-ignores]
        "app/services/legacy/*" = ["ARC002"]
    """
    files = {
        "app/services/legacy/users.py": "import sqlalchemy\n",
        "app/services/users.py": "import sqlalchemy\n",
    }
    write_project(tmp_path, files, config)
    result = check_project(load_config(tmp_path), jobs=1, use_cache=False)
    assert [v.path for v in result.violations] == ["app/services/users.py"]


def test_a_finding_at_a_decorator_is_suppressed_on_its_def_line() -> None:
    from checks.analysis.model import Violation
    from checks.engine.suppressions import apply_suppressions

    source = b'@router.get("/")\nasync def users():  # arch-check: ignore[ARC104]\n    return []\n'
    finding = Violation("ARC104", "route-missing-response-model", "a.py", 1, 1, 3, 14, "m")
    kept, unused = apply_suppressions("a.py", [finding], source, lambda code: True, "api")
    assert (kept, unused) == ([], [])
    inside = source.replace(b"return []", b"return []  # arch-check: ignore[ARC104]").replace(
        b":  # arch-check: ignore[ARC104]\n    return", b":\n    return"
    )
    kept, unused = apply_suppressions("a.py", [finding], inside, lambda code: True, "api")
    assert kept == [finding] and [v.line for v in unused] == [3]
