"""`arch-check fuzz` against small apps with known bugs, and its exit statuses."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checks.fuzz.cli import main
from checks.fuzz.runner import Options, run

APPS = str(Path(__file__).parents[1] / "fixtures" / "fuzz_apps")
BROKEN = ["--app-dir", APPS, "fuzz_broken_app:app", "--seed", "1", "--max-examples", "20"]
CLEAN = ["--app-dir", APPS, "fuzz_clean_app:app", "--seed", "1"]


def run_json(capsys, argv):
    status = main([*argv, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_broken_app_fails_with_each_planted_bug_named(capsys):
    status, report = run_json(capsys, BROKEN)

    assert status == 1
    found = {(f["operation"], f["check"]) for f in report["failures"]}
    assert ("GET /ratio/{divisor}", "not_a_server_error") in found
    assert ("GET /profile", "response_schema_conformance") in found
    assert ("GET /secret", "ignored_auth") in found
    assert ("POST /accounts", "no_secrets_in_response") in found
    # The 500 is plain text from the server, without the app's conventions.
    assert ("GET /ratio/{divisor}", "errors_are_problem_json") in found
    assert ("GET /ratio/{divisor}", "has_request_id") in found
    assert report["summary"]["failures"] == len(report["failures"])


def test_each_failure_has_a_curl_reproduction_and_the_response(capsys):
    _, report = run_json(capsys, BROKEN)

    server_error = next(f for f in report["failures"] if f["check"] == "not_a_server_error")
    assert server_error["curl"] == ["curl -X GET http://testserver/ratio/0"]
    assert server_error["status"] == 500
    assert "Internal Server Error" in server_error["body"]


def test_text_output_names_operation_check_curl_and_summary(capsys):
    assert main(BROKEN) == 1

    out = capsys.readouterr().out
    assert "FAIL GET /profile [response_schema_conformance]" in out
    assert "curl -X GET http://testserver/profile" in out
    assert "response: 200" in out
    assert out.rstrip().splitlines()[-1].startswith("fuzz FAILED: ")


def test_junit_output_has_a_failed_testcase_per_broken_operation(capsys):
    from xml.etree import ElementTree as ET

    assert main([*BROKEN, "--format", "junit"]) == 1

    suite = ET.fromstring(capsys.readouterr().out)  # noqa: S314 - our own output
    failed = {
        case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None
    }
    assert failed == {"GET /ratio/{divisor}", "GET /profile", "GET /secret", "POST /accounts"}


def test_clean_app_passes_with_auth_hook(capsys):
    assert main([*CLEAN, "--auth", "fuzz_clean_app:auth_headers"]) == 0
    assert "fuzz passed: 0 failure(s) in 2 operation(s)" in capsys.readouterr().out


def test_clean_app_passes_from_factory_with_header(capsys):
    argv = ["--app-dir", APPS, "fuzz_clean_app:create_app", "--factory", "--no-stateful"]
    assert main([*argv, "-H", "Authorization: Bearer s3cret-token"]) == 0


def test_include_and_exclude_path_select_operations(capsys):
    _, only_profile = run_json(capsys, [*BROKEN, "--include-path", "^/profile$"])
    _, without_profile = run_json(capsys, [*BROKEN, "--exclude-path", "^/profile$"])

    assert {f["operation"] for f in only_profile["failures"]} == {"GET /profile"}
    assert only_profile["summary"]["operations"] == 1
    assert "GET /profile" not in {f["operation"] for f in without_profile["failures"]}


def test_excluded_check_is_not_run(capsys):
    _, report = run_json(capsys, [*BROKEN, "--exclude-check", "ignored_auth"])

    assert "ignored_auth" not in {f["check"] for f in report["failures"]}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no_such_module:app"], "cannot import 'no_such_module'"),
        (["--app-dir", APPS, "fuzz_clean_app:nope"], "has no attribute 'nope'"),
        (["--app-dir", APPS, "fuzz_clean_app:create_app"], "pass --factory"),
        (["app-without-colon"], "MODULE:ATTR"),
        (["--max-examples", "0", "m:app"], "--max-examples"),
        (["--include-path", "(", "m:app"], "invalid regex"),
        (["--format", "xml", "m:app"], "--format"),
        ([*CLEAN, "--exclude-check", "no_such_check"], "unknown check 'no_such_check'"),
        (["--app-dir", APPS, "fuzz_broken_app:starts_badly"], "database is not reachable"),
        ([*CLEAN, "--auth", "fuzz_clean_app:ITEMS"], "--auth must name a function"),
        ([*CLEAN, "--auth", "fuzz_clean_app:create_app"], "must return a dict"),
    ],
)
def test_usage_and_import_errors_exit_2_with_one_line(capsys, argv, message):
    assert main(argv) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_missing_schemathesis_asks_for_the_extra(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "schemathesis", None)

    assert main(CLEAN) == 2
    assert capsys.readouterr().err == (
        "arch-check fuzz needs schemathesis: pip install 'arch-check[fuzz]'\n"
    )


@pytest.mark.slow
def test_command_line_reports_import_error_without_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "checks.fuzz", "no_such_module:app"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("arch-check fuzz: error: cannot import")


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("stream", "shown"), [(Terminal(), True), (io.StringIO(), False)])
def test_progress_only_on_a_terminal(stream, shown):
    sys.path.insert(0, APPS)
    import fuzz_clean_app

    run(fuzz_clean_app.app, Options(seed=1, max_examples=5), progress=stream)

    assert ("2/2 operations" in stream.getvalue()) is shown


@pytest.mark.slow
def test_reference_app_passes(capsys, monkeypatch, tmp_path):
    settings = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}",
        "AUTO_MIGRATE": "true",
        "ENVIRONMENT": "test",
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-hs256",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST_KIB": "8",
        "ARGON2_PARALLELISM": "1",
        "REDIS_URL": "",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    argv = ["reference_app.main:create_app", "--factory", "--app-dir", APPS, "--seed", "1"]

    status = main([*argv, "--auth", "fuzz_reference_auth:login", "--max-examples", "10"])

    assert status == 0, capsys.readouterr().out


@pytest.mark.slow
def test_arch_check_fuzz_entry_point_runs_the_command():
    arch_check = Path(sys.executable).with_name("arch-check")
    proc = subprocess.run(
        [str(arch_check), "fuzz", *BROKEN, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["failures"] > 0


@pytest.mark.slow
def test_the_linter_cli_does_not_import_schemathesis():
    code = "import sys, checks.cli; print('schemathesis' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert proc.stdout.strip() == "False"
