"""The progress line: only for long runs on a terminal, erased before the report."""

import io
import time

from checks.cli import main
from checks.report import progress as progress_module
from checks.report.progress import progress


def test_a_long_run_shows_a_status_line_and_erases_it(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0.01)
    stream = io.StringIO()
    with progress(stream, "arch-check: checking", enabled=True):
        time.sleep(0.3)
    text = stream.getvalue()
    assert text.startswith("\rarch-check: checking ")
    assert text.endswith("\r\033[K")


def test_a_short_run_or_no_terminal_shows_nothing():
    stream = io.StringIO()
    with progress(stream, "arch-check: checking", enabled=True):
        pass  # finishes before the delay
    with progress(stream, "arch-check: checking", enabled=False):
        time.sleep(0.05)
    assert stream.getvalue() == ""


def test_the_cli_shows_no_progress_when_stderr_is_not_a_terminal(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0.0)
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[tool.arch-check]\nroot = "app"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache"]) == 0
    assert capsys.readouterr().err == ""
