"""The arch-check command: exit statuses, output formats, options."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import checks
from checks.cli import main
from checks.report import OutputOptions
from checks.report.text import format_text

CLEAN = {
    "app/services/users.py": "from app.repositories.users import find\n",
    "app/repositories/users.py": "def find() -> None: ...\n",
}
DIRTY = {
    **CLEAN,
    "app/services/orders.py": "import json\nfrom sqlalchemy import select\n",
    "app/schemas/order.py": "from app.services import orders\n",
}

JSON_SCHEMA = {
    "type": "object",
    "required": ["version", "violations", "summary"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "code",
                    "name",
                    "path",
                    "line",
                    "column",
                    "end_line",
                    "end_column",
                    "message",
                    "layer",
                ],
                "properties": {
                    "code": {"type": "string", "pattern": "^ARC[0-9]{3}$"},
                    "name": {"type": "string"},
                    "path": {"type": "string", "pattern": "^[^\\\\]+$"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                    "end_column": {"type": "integer", "minimum": 1},
                    "message": {"type": "string"},
                    "layer": {"type": ["string", "null"]},
                },
            },
        },
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": ["files", "violations", "by_code"],
            "properties": {
                "files": {"type": "integer"},
                "violations": {"type": "integer"},
                "by_code": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        },
    },
}


@pytest.fixture
def dirty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_project) -> Path:
    write_project(tmp_path, DIRTY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_0_when_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, write_project
) -> None:
    write_project(tmp_path, CLEAN)
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert capsys.readouterr().out == "No violations in 5 files.\n"


def test_exit_1_and_text_lines_with_hints(dirty: Path, capsys) -> None:
    assert main(["--no-cache"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("app/schemas/order.py:1:1: ARC001 app.schemas.order (schemas)")
    assert (
        lines[1]
        == "    hint: reference_app/api/dependencies.py shows the right way (layer-violation)"
    )
    assert lines[2].startswith("app/services/orders.py:2:1: ARC002 ")
    assert lines[-1] == "Found 2 violations in 8 files checked (ARC001: 1, ARC002: 1)."
    assert "\033[" not in "".join(lines)  # not a terminal: no colour


def test_json_has_the_documented_shape(dirty: Path, capsys) -> None:
    assert main(["--format", "json", "--no-cache"]) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, JSON_SCHEMA)
    assert document["summary"] == {
        "files": 8,
        "violations": 2,
        "by_code": {"ARC001": 1, "ARC002": 1},
    }
    first = document["violations"][0]
    assert (first["path"], first["line"], first["column"], first["layer"]) == (
        "app/schemas/order.py",
        1,
        1,
        "schemas",
    )


def test_select_ignore_and_paths_narrow_the_report(dirty: Path, capsys) -> None:
    assert main(["--select", "ARC002", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["by_code"] == {"ARC002": 1}
    assert main(["--ignore", "arc0", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["app/schemas", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [v["path"] for v in document["violations"]] == ["app/schemas/order.py"]
    assert document["summary"]["files"] == 2


def test_quiet_prints_violations_only(dirty: Path, capsys) -> None:
    assert main(["-q"]) == 1
    assert [line[:22] for line in capsys.readouterr().out.splitlines()] == [
        "app/schemas/order.py:1",
        "app/services/orders.py",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "xml"], "--format: unknown format 'xml' (choose from text, json"),
        (["--select", "ARC7"], "--select: 'ARC7' names no rule"),
        (["--jobs", "0"], "--jobs: expected a positive number, got 0"),
        (["missing.py"], "missing.py: no such file or folder"),
    ],
)
def test_usage_errors_exit_2_with_one_line(dirty: Path, capsys, arguments, message) -> None:
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_bad_arguments_exit_2_with_one_line(dirty: Path, capsys) -> None:
    with pytest.raises(SystemExit) as outcome:
        main(["--jobs", "two"])
    assert outcome.value.code == 2
    assert capsys.readouterr().err == (
        "arch-check: argument --jobs: invalid int value: 'two' (see arch-check --help)\n"
    )


def test_internal_error_is_one_line_not_a_traceback(
    dirty: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("checks.engine.runner.run", explode)
    assert main([]) == 2
    assert capsys.readouterr().err == "arch-check: internal error: RuntimeError: boom\n"


def test_colour_only_when_asked_for() -> None:
    from checks.analysis.model import Violation
    from checks.engine import CheckResult

    result = CheckResult([Violation("ARC002", "forbidden-import", "a.py", 1, 1, 1, 2, "m")], 1)
    assert "\033[31m" in format_text(result, color=True)
    assert "\033[" not in format_text(result, color=False)
    assert OutputOptions().color is False


@pytest.mark.slow
def test_python_m_checks_version_imports_no_parser() -> None:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "checks", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout == f"arch-check {checks.__version__}\n"
    imported = {line.split("|")[-1].strip() for line in completed.stderr.splitlines()}
    assert not {"libcst", "importlinter", "grimp"} & imported


def _run_on_a_terminal(folder: Path, environment: dict[str, str]) -> bytes:
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "checks", "--no-cache"],
        stdout=child,
        stderr=child,
        env=environment,
        cwd=folder,
    )
    os.close(child)
    output = b""
    with contextlib.suppress(OSError):  # EIO once the child closes the terminal
        while chunk := os.read(parent, 4096):
            output += chunk
    process.wait()
    os.close(parent)
    return output


@pytest.mark.slow
def test_colour_on_a_terminal_unless_no_color(dirty: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\033[31mARC001" in _run_on_a_terminal(dirty, environment)
    plain = _run_on_a_terminal(dirty, {**environment, "NO_COLOR": "1"})
    assert b"ARC001" in plain
    assert not re.search(rb"\033\[[0-9;]*m", plain)  # no colour (erasing a progress line is fine)


def test_a_reader_that_stops_early_is_not_an_internal_error() -> None:
    """`arch-check rules | head -1` once head has gone: no traceback, no "internal error"."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: EPIPE at once
    process = subprocess.Popen(
        [sys.executable, "-m", "checks", "rules"], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.wait() == 1
    assert stderr == ""
