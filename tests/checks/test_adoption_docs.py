"""docs/adoption.md and the README: the snippets parse and name what really exists."""

import re
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
    for name in ("init", "rules", "explain"):
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
