"""docs/adoption.md and the README: the snippets parse and name what really exists."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checks.cli import SUBCOMMANDS, _parser, main
from checks.report import FORMATTERS

REPOSITORY = Path(__file__).resolve().parents[2]
ADOPTION = (REPOSITORY / "docs/adoption.md").read_text(encoding="utf-8")
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", ADOPTION, re.DOTALL)


@pytest.mark.parametrize("block", YAML_BLOCKS, ids=lambda block: block.split("\n", 1)[0])
def test_every_yaml_snippet_parses(block):
    assert yaml.safe_load(block)


def test_the_pre_commit_snippet_uses_the_hook_this_repository_defines():
    manifest = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text())
    defined = {hook["id"] for hook in manifest}
    configs = [yaml.safe_load(block) for block in YAML_BLOCKS if block.startswith("repos:")]
    assert configs
    used = {hook["id"] for config in configs for repo in config["repos"] for hook in repo["hooks"]}
    assert used <= defined


@pytest.mark.parametrize("text", [ADOPTION, README], ids=["adoption", "readme"])
def test_every_documented_command_and_option_exists(text):
    options = {flag for action in _parser()._actions for flag in action.option_strings}
    code = "\n".join(re.findall(r"```\w*\n(.*?)```", text, re.DOTALL))
    commands = re.findall(r"^\s*(?:- |run: )?arch-check( [^\n#|>]*)", code, re.MULTILINE)
    commands += re.findall(r"`arch-check( [^`]*)`", text)
    assert commands
    for command in commands:
        words = command.split()
        if words and not words[0].startswith("-"):
            assert words[0] in SUBCOMMANDS, command
            continue
        for word in words:
            if word.startswith("--"):
                assert word.split("=")[0] in options, command
    for name in re.findall(r"--format (\w+)", text):
        assert name in FORMATTERS


def _subcommand_options(capsys) -> set[str]:
    found = set()
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        found |= set(re.findall(r"--[a-z-]+", capsys.readouterr().out))
    return found


@pytest.mark.parametrize("text", [ADOPTION, README], ids=["adoption", "readme"])
def test_every_option_named_in_the_prose_exists(text, capsys):
    options = {flag for action in _parser()._actions for flag in action.option_strings}
    known = options | _subcommand_options(capsys) | {"--all-files"}  # pre-commit's own
    for flag in re.findall(r"`(?:arch-check [^`]*?)?(--[a-z][a-z-]*)", text):
        assert flag in known, flag


@pytest.mark.parametrize("page", ["docs/adoption.md", "docs/architecture.md", "docs/rules.md"])
def test_links_to_files_of_this_repository_resolve(page):
    path = REPOSITORY / page
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    assert targets
    for target in targets:
        assert (path.parent / target).exists(), f"{page}: {target}"


def _ci_snippet(key: str) -> list[tuple[str, bool]]:
    """(command, runs even after a failure) of a CI snippet of docs/adoption.md, no install."""
    (config,) = [yaml.safe_load(b) for b in YAML_BLOCKS if key in yaml.safe_load(b)]
    if key == "jobs":
        steps = config["jobs"]["arch-check"]["steps"]
        lines = [(step["run"], step.get("if") == "always()") for step in steps if "run" in step]
    else:
        lines = [(line, False) for line in config[key]["script"]]
    return [(line, always) for line, always in lines if not line.startswith("pip install")]


@pytest.fixture
def legacy_repository(tmp_path, monkeypatch):
    """A repository with one old violation, configured and baselined as the guide says."""
    files = {
        "pyproject.toml": '[tool.arch-check]\nroot = "app"\n',
        "app/__init__.py": "",
        "app/services/__init__.py": "",
        "app/services/users.py": "from fastapi import HTTPException\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["--write-baseline", ".arch-check-baseline.json", "--quiet"]) == 0
    return tmp_path


def _run_job(commands: list[tuple[str, bool]], folder: Path) -> tuple[int, str]:
    """Run a job's commands as CI does: in order; after a failure, only the `always` ones."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    status, output = 0, ""
    for command, always in commands:
        if status and not always:
            continue
        done = subprocess.run(
            ["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True
        )
        output += done.stdout + done.stderr
        status = status or done.returncode
    return status, output


@pytest.mark.slow
@pytest.mark.parametrize("key", ["jobs", "arch-check"], ids=["github", "gitlab"])
def test_ci_snippets_pass_on_old_violations_and_fail_on_new_ones(key, legacy_repository):
    commands = _ci_snippet(key)
    status, output = _run_job(commands, legacy_repository)
    assert status == 0, output
    service = legacy_repository / "app/services/users.py"
    service.write_text(service.read_text() + "import sqlalchemy\n")
    status, output = _run_job(commands, legacy_repository)
    assert status == 1, output
    if key == "jobs":
        assert "::error file=app/services/users.py,line=2," in output
        sarif = json.loads((legacy_repository / "arch-check.sarif").read_text())
        assert len(sarif["runs"][0]["results"]) == 1  # written although the check failed
    else:
        report = json.loads((legacy_repository / "gl-code-quality-report.json").read_text())
        assert [issue["location"]["path"] for issue in report] == ["app/services/users.py"]
