"""`--format github`: workflow commands the Actions runner turns into annotations."""

import re

from checks.analysis.model import Violation
from checks.report.github import format_github

COMMAND = re.compile(r"^::error (?P<properties>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    """What the runner does to a value (actions/runner ActionCommand unescaping)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def _parse(line: str) -> tuple[dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match["properties"].split(","))
    return {key: _unescape(value) for key, value in properties.items()}, _unescape(match["message"])


def test_one_error_command_per_violation_with_its_region():
    violation = Violation(
        "ARC103",
        "route-returns-orm",
        "app/api/users.py",
        12,
        5,
        13,
        30,
        "route returns the ORM model User",
    )
    (line,) = format_github([violation]).splitlines()
    assert line == (
        "::error file=app/api/users.py,line=12,col=5,endLine=13,endColumn=30,title=ARC103"
        "::route returns the ORM model User [route-returns-orm]"
    )


def test_separators_and_newlines_are_escaped_and_survive_the_round_trip():
    message = "50% done: a, b\nsecond line\r"
    violation = Violation("ARC001", "layer-violation", "app/we,ird:name.py", 1, 1, 1, 2, message)
    (line,) = format_github([violation]).splitlines()
    properties, text = _parse(line)
    assert properties["file"] == "app/we,ird:name.py"
    assert properties["title"] == "ARC001"
    assert text == message + " [layer-violation]"


def test_paths_can_be_prefixed_with_the_project_folder_and_order_is_stable():
    first = Violation("ARC101", "route-business-logic", "app/a.py", 9, 1, 9, 2, "m")
    second = Violation("ARC101", "route-business-logic", "app/a.py", 2, 1, 2, 2, "m")
    lines = format_github([first, second], path_prefix="backend/").splitlines()
    assert [_parse(line)[0]["file"] for line in lines] == ["backend/app/a.py"] * 2
    assert [_parse(line)[0]["line"] for line in lines] == ["2", "9"]


def test_nothing_to_report_prints_nothing():
    assert format_github([]) == ""


def test_registered_formatters_name_files_from_the_repository_root(tmp_path):
    from checks.engine import CheckResult
    from checks.report import FORMATTERS, OutputOptions

    (tmp_path / ".git").mkdir()
    (tmp_path / "backend").mkdir()
    result = CheckResult(
        violations=[Violation("ARC101", "route-business-logic", "app/a.py", 2, 1, 2, 2, "m")],
        files=1,
    )
    options = OutputOptions(project_dir=tmp_path / "backend")
    assert "file=backend/app/a.py," in FORMATTERS["github"](result, options)
    assert '"uri": "backend/app/a.py"' in FORMATTERS["sarif"](result, options)
    at_root = OutputOptions(project_dir=tmp_path)
    assert "file=app/a.py," in FORMATTERS["github"](result, at_root)
