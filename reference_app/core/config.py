"""Application settings, read from the environment and `.env`.

Only `load_settings()` reads the environment, so tests build `Settings(...)` directly
and nothing is read at import time.
"""

import json
import secrets
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
MIN_SECRET_KEY_LENGTH = 32


class SettingsError(ValueError):
    """An invalid configuration value, described in one line naming the variable."""


class Settings(BaseSettings):
    """Every configuration value of the app; environment names are the upper-case ones."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    database_url: str = "sqlite+aiosqlite:///./reference_app.db"
    # None: migrate on startup in development only; production runs `alembic upgrade head`.
    auto_migrate: bool | None = None
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_recycle_seconds: int = Field(default=1800, ge=-1)
    sqlite_busy_timeout_seconds: float = Field(default=5.0, gt=0)

    redis_url: str | None = None
    cache_key_prefix: str = "reference_app:"
    cache_ttl_seconds: int = Field(default=300, ge=1)

    # Required in production; otherwise a random key per process (never a literal default).
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    access_token_expire_minutes: int = Field(default=30, ge=1)
    # Argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    cors_origins: Annotated[list[str], NoDecode] = []

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(SUPPORTED_DATABASE_SCHEMES):
            msg = "must start with " + " or ".join(SUPPORTED_DATABASE_SCHEMES)
            raise ValueError(msg)
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept `https://a.example,https://b.example` as well as a JSON list."""
        if isinstance(value, str) and value.lstrip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < MIN_SECRET_KEY_LENGTH:
            msg = f"must be at least {MIN_SECRET_KEY_LENGTH} characters (HS256 key)"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _require_production_secret(self) -> "Settings":
        if self.secret_key_is_random and self.environment == "production":
            msg = "SECRET_KEY is required when ENVIRONMENT=production"
            raise ValueError(msg)
        return self

    @property
    def secret_key_is_random(self) -> bool:
        """Whether SECRET_KEY was left unset, so tokens die with the process."""
        return "secret_key" not in self.model_fields_set

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")

    @property
    def migrate_on_startup(self) -> bool:
        """Whether the lifespan applies migrations (the development default)."""
        if self.auto_migrate is None:
            return self.environment == "development"
        return self.auto_migrate


def load_settings() -> Settings:
    """Read settings from the environment, turning a validation error into one line."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        name = "_".join(str(part) for part in error["loc"]).upper()
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return "invalid configuration: " + "; ".join(problems)
