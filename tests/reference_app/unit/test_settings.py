"""Settings: defaults that serve development, one-line errors, no literal secrets."""

import logging
import subprocess
import sys

import pytest

from reference_app.core.config import Settings, SettingsError, load_settings
from reference_app.main import create_app

SETTINGS_ENV = ["DATABASE_URL", "ENVIRONMENT", "SECRET_KEY", "CORS_ORIGINS", "AUTO_MIGRATE"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_development_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./reference_app.db"
    assert settings.migrate_on_startup
    assert settings.secret_key_is_random
    assert len(settings.secret_key.get_secret_value()) >= 32
    assert load_settings().secret_key != settings.secret_key


def test_a_random_secret_key_is_announced(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="reference_app"):
        create_app(Settings(_env_file=None))
        assert "SECRET_KEY is not set" in caplog.text
        caplog.clear()
        create_app(Settings(_env_file=None, secret_key="s" * 32))
        assert "SECRET_KEY" not in caplog.text


def test_environment_values_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@db:5432/app")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("ENVIRONMENT", "production")
    settings = load_settings()
    assert not settings.is_sqlite
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert not settings.migrate_on_startup


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DATABASE_URL": "mysql://db/app"}, "DATABASE_URL: must start with"),
        ({"ENVIRONMENT": "production"}, "SECRET_KEY is required when ENVIRONMENT=production"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY: must be at least 32 characters"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT: Input should be"),
    ],
)
def test_invalid_values_are_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert "short" not in str(error.value).replace("SECRET_KEY: must", "")  # no secret echoed


def test_serving_with_a_bad_value_exits_with_the_line(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import reference_app.main"],
        env={"DATABASE_URL": "mysql://db/app", "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("invalid configuration: DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_cors_origins_as_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", '["https://a.example"]')
    assert load_settings().cors_origins == ["https://a.example"]


def test_secret_key_has_no_literal_default() -> None:
    field = Settings.model_fields["secret_key"]
    assert field.default_factory is not None
    assert Settings(_env_file=None).secret_key != Settings(_env_file=None).secret_key
