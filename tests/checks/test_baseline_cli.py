"""`arch-check --write-baseline` / `--baseline` on a real project, through the CLI."""

import json
from pathlib import Path

import pytest

from checks.cli import main

SERVICE = "from fastapi import HTTPException\n\n\ndef find():\n    return None\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    files = {
        "pyproject.toml": '[tool.arch-check]\nroot = "app"\n',
        "app/__init__.py": "",
        "app/services/__init__.py": "",
        "app/services/users.py": SERVICE,
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys, *args: str) -> tuple[int, list[tuple[str, str, int]], str]:
    status = main(["--format", "json", "--no-cache", *args])
    captured = capsys.readouterr()
    found = [(v["code"], v["path"], v["line"]) for v in json.loads(captured.out)["violations"]]
    return status, found, captured.err


def test_only_new_violations_fail_and_fixed_ones_are_counted(project: Path, capsys):
    service = project / "app/services/users.py"
    assert main(["--write-baseline", "baseline.json", "--no-cache"]) == 0
    assert "recorded 1 violation in baseline.json" in capsys.readouterr().err

    assert _run(capsys, "--baseline", "baseline.json")[:2] == (0, [])

    service.write_text('"""Users."""\n\nimport logging\n\n' + SERVICE)  # moved down 4 lines
    status, found, err = _run(capsys, "--baseline", "baseline.json")
    assert (status, found) == (0, [])
    assert "1 known violation in baseline.json not shown" in err

    service.write_text("import sqlalchemy\n" + SERVICE)  # one new violation
    status, found, _ = _run(capsys, "--baseline", "baseline.json")
    assert (status, found) == (1, [("ARC002", "app/services/users.py", 1)])

    service.write_text("def find():\n    return None\n")  # the recorded one is fixed
    status, found, err = _run(capsys, "--baseline", "baseline.json")
    assert (status, found) == (0, [])
    assert "1 of its entries are fixed" in err and "--write-baseline baseline.json" in err


def test_a_renamed_file_is_new(project: Path, capsys):
    assert main(["--write-baseline", "baseline.json", "--no-cache"]) == 0
    (project / "app/services/users.py").rename(project / "app/services/accounts.py")
    status, found, err = _run(capsys, "--baseline", "baseline.json")
    assert (status, found) == (1, [("ARC002", "app/services/accounts.py", 1)])
    assert "1 of its entries are fixed" in err


def test_a_run_limited_to_other_files_reports_nothing_fixed(project: Path, capsys):
    (project / "app/services/other.py").write_text("X = 1\n")
    assert main(["--write-baseline", "baseline.json", "--no-cache"]) == 0
    capsys.readouterr()
    status, found, err = _run(capsys, "--baseline", "baseline.json", "app/services/other.py")
    assert (status, found) == (0, [])
    assert "fixed" not in err


def test_a_run_limited_to_other_rules_reports_nothing_fixed(project: Path, capsys):
    assert main(["--write-baseline", "baseline.json", "--no-cache"]) == 0
    capsys.readouterr()
    status, found, err = _run(capsys, "--baseline", "baseline.json", "--select", "ARC1")
    assert (status, found) == (0, [])
    assert "fixed" not in err
    status, found, err = _run(capsys, "--baseline", "baseline.json", "--ignore", "ARC002")
    assert "fixed" not in err
    _, _, err = _run(capsys, "--baseline", "baseline.json", "--select", "ARC0")
    assert "0 known" not in err and "fixed" not in err


def test_bad_baseline_usage_is_exit_2_with_one_line(project: Path, capsys):
    assert main(["--baseline", "missing.json"]) == 2
    assert capsys.readouterr().err == "missing.json: baseline file not found\n"
    assert main(["--write-baseline", "b.json", "app/services/users.py"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--write-baseline", "b.json", "--select", "ARC1"]) == 2
    assert "--select" in capsys.readouterr().err
    assert not (project / "b.json").exists()


def test_statistics_count_violations_per_rule(project: Path, capsys):
    (project / "app/services/orders.py").write_text("import fastapi\nimport sqlalchemy\n")
    assert main(["--statistics", "--quiet", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "3  ARC002  forbidden-import"
    assert main(["--statistics", "--format", "json", "--no-cache"]) == 1
    captured = capsys.readouterr()
    json.loads(captured.out)  # statistics stay off a machine-readable stdout
    assert "3  ARC002  forbidden-import" in captured.err


def test_quiet_says_nothing_about_the_baseline(project: Path, capsys):
    assert main(["--write-baseline", "baseline.json", "--quiet", "--no-cache"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["--baseline", "baseline.json", "--quiet", "--no-cache"]) == 0
    assert capsys.readouterr() == ("", "")
