"""Configuration errors: exit status 2 and one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.cli import main

APP = {"app/api/users.py": "X = 1\n", "app/services/users.py": "Y = 2\n"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.arch-check]\nroot = "app"\ncolour = true\n',
            "pyproject.toml: tool.arch-check.colour: unknown key",
        ),
        (
            "[tool.arch-check]\nroot = 3\n",
            "pyproject.toml: tool.arch-check.root: expected a string",
        ),
        ("[tool.arch-check]\nexclude = []\n", "pyproject.toml: tool.arch-check.root: missing"),
        (
            '[tool.arch-check]\nroot = "backend"\n',
            "pyproject.toml: tool.arch-check.root: 'backend' is not a package folder",
        ),
        (
            '[tool.arch-check]\nroot = "app"\nexclude = "tests"\n',
            "pyproject.toml: tool.arch-check.exclude: expected a list of strings, got a string",
        ),
        (
            '[tool.arch-check]\nroot = "app"\n[tool.arch-check.layers]\napi = ["web"]\n',
            "pyproject.toml: tool.arch-check.layers.api: pattern 'web' matches no module",
        ),
        (
            '[tool.arch-check]\nroot = "app"\n[tool.arch-check.layers]\nworkers = ["jobs"]\n',
            "pyproject.toml: tool.arch-check.layers.workers: unknown layer",
        ),
        (
            '[tool.arch-check]\nroot = "app"\ntype-checking-imports = "yes"\n',
            "pyproject.toml: tool.arch-check.type-checking-imports: expected true or false",
        ),
        (
            '[tool.arch-check]\nroot = "app"\n[tool.arch-check.rules]\nselect = ["XYZ"]\n',
            "pyproject.toml: tool.arch-check.rules.select: 'XYZ' names no rule",
        ),
        (
            '[tool.arch-check]\nroot = "app"\n[tool.arch-check.rules.ARC999]\nx = 1\n',
            "pyproject.toml: tool.arch-check.rules.ARC999: unknown key",
        ),
        (
            '[tool.arch-check]\nroot = "app"\n[tool.arch-check.rules.ARC001]\nstrict = true\n',
            "pyproject.toml: tool.arch-check.rules.ARC001.strict: unknown option",
        ),
        ('[tool.arch-check\nroot = "app"\n', "no pyproject.toml with a [tool.arch-check] section"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    message: str,
    write_project,
) -> None:
    write_project(tmp_path, APP, config)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(message) or message in captured.err, captured.err


def test_rule_option_of_wrong_type_is_reported(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_project,
) -> None:
    from checks.rules import ALL_RULES

    rule = next((r for r in ALL_RULES if r.default_options), None)
    if rule is None:
        pytest.skip("no rule has options yet")
    name, default = next(iter(rule.default_options.items()))
    wrong = '"text"' if not isinstance(default, str) else "3"
    config = (
        f'[tool.arch-check]\nroot = "app"\n[tool.arch-check.rules.{rule.code}]\n{name} = {wrong}\n'
    )
    write_project(tmp_path, APP, config)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache"]) == 2
    assert f"tool.arch-check.rules.{rule.code}.{name}: expected" in capsys.readouterr().err


def test_config_is_found_from_a_subfolder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_project,
) -> None:
    write_project(tmp_path, APP)
    monkeypatch.chdir(tmp_path / "app" / "api")
    assert main(["--no-cache", "--format", "json"]) == 0
    assert '"files": 5' in capsys.readouterr().out


def test_root_alone_gives_layers_for_both_layouts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_project,
) -> None:
    files = {**APP, "app/orders/router.py": "", "app/orders/crud.py": "", "app/misc/tool.py": ""}
    write_project(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--verbose"]) == 0
    unmatched = capsys.readouterr().err.splitlines()[-1]
    assert unmatched.endswith("app, app.misc, app.misc.tool, app.orders")


def test_verbose_names_modules_the_import_graph_cannot_see(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_project,
) -> None:
    """A folder without __init__.py escapes the import contracts: --verbose says so."""
    write_project(tmp_path, {**APP, "app/jobs/nightly.py": "import sqlalchemy\n"})
    (tmp_path / "app/jobs/__init__.py").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--verbose"]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("arch-check: 1 modules are not in the import graph")
    assert last.endswith(": app.jobs.nightly")
