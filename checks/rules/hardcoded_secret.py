"""ARC503 hardcoded-secret: a secret, key, password or token setting with a literal default."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import libcst as cst

from checks.analysis.names import keyword, literal_string, positional
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.secret_common import secret_setting_kind, words
from checks.rules.sql_common import sql_keyword

_CONFIG = "app/core/config.py"
_SECRET_WRAPPERS = frozenset(
    {"pydantic.SecretStr", "pydantic.SecretBytes", "pydantic.types.SecretStr"}
)
_FIELDS = frozenset({"pydantic.Field", "pydantic.fields.Field", "sqlmodel.Field"})
_ENV_READERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
# `config("SECRET_KEY", default="...")`: python-decouple, or a starlette `Config` instance.
_CONFIG_READERS = frozenset({"decouple.config", "starlette.config.Config"})


class HardcodedSecretRule(Rule):
    """Reports literal defaults of secret settings and of module constants named like secrets."""

    code = "ARC503"
    name = "hardcoded-secret"
    summary = "A settings field for a secret or key with a literal default"
    rationale = (
        "Flags a secret written into the source: a `BaseSettings` field named like a "
        "secret, key, password or token with a literal default (`SECRET_KEY: str = "
        '"changeme"`), the same as a module constant (`SECRET_KEY = "..."`), and '
        '`os.getenv("SECRET_KEY", "dev")` fallbacks. A default is used whenever the '
        "environment forgets the variable, so production silently runs with the key every "
        "clone of the repository knows: anyone can sign tokens, and the value lives on in "
        "the git history. `None`, a required field, `Field(default_factory=...)`, an empty "
        "string (nothing configured) and `SecretStr` without a literal are not reported."
    )
    fix = (
        "Make the field required (`secret_key: SecretStr`) so a missing variable fails at "
        "start-up, or default to `None` and refuse to start in production; for development, "
        "generate a random value per process (`Field(default_factory=...)`)."
    )
    reference = "reference_app/core/config.py"
    VALID: ClassVar = (
        Valid(
            """
            import secrets

            from pydantic import Field, SecretStr
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                secret_key: SecretStr
                jwt_secret: str | None = None
                smtp_password: str = ""
                signing_key: str = Field(default_factory=secrets.token_hex)
                access_token_expire_minutes: int = 30
                token_url: str = "/auth/token"
                api_key_header: str = "X-API-Key"
                cache_key_prefix: str = "app:"
                password_min_length: int = 8
            """,
            path=_CONFIG,
            note="required, None, empty, generated, and settings about secrets that are not one",
        ),
        Valid(
            """
            import os
            from enum import Enum

            SECRET_KEY = os.environ["SECRET_KEY"]
            API_KEY_NAME = "api_key"
            PASSWORD = "password"
            SQL_REVOKE_TOKEN = "UPDATE refresh_tokens SET revoked = true WHERE id = :id"

            class GrantType(str, Enum):
                PASSWORD = "password"
            """,
            path=_CONFIG,
            note="read from the environment; constants holding a label or a query, not a secret",
        ),
        Valid(
            """
            TEST_USER_PASSWORD = "123456"
            """,
            path="app/conftest.py",
            note="a test fixture's password in the root package's conftest.py",
        ),
        Valid(
            """
            from pydantic_settings import BaseSettings

            class AppSettings(BaseSettings):
                secret_key: str

            class TestSettings(AppSettings):
                secret_key: str = "test-secret"
            """,
            path="app/core/settings/test.py",
            note="settings the test suite runs with (a `test` module, a `Test*` class)",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            """
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = "sqlite:///./app.db"
                SECRET_KEY: str = "changeme"
                ALGORITHM: str = "HS256"
            """,
            path=_CONFIG,
            line=6,
        ),
        Invalid(
            """
            from pydantic import Field, SecretStr
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                first_superuser_password: SecretStr = Field(default=SecretStr("admin123"))
            """,
            path=_CONFIG,
            line=6,
            note="a literal inside Field() and SecretStr()",
        ),
        Invalid(
            """
            import os

            SECRET_KEY = os.getenv("SECRET_KEY", "dev-secret-key")
            STRIPE_API_KEY = "sk_live_51H8abc"
            """,
            path="app/core/security.py",
            line=4,
            note="module constants: an environment fallback and a literal",
        ),
        Invalid(
            """
            from starlette.config import Config
            from starlette.datastructures import Secret

            config = Config(".env")

            DEBUG = config("DEBUG", cast=bool, default=False)
            JWT_SECRET = config("JWT_SECRET", cast=Secret, default="not-a-secret")
            SENTRY_APP_KEY = config("SENTRY_APP_KEY", default="")
            """,
            path="app/config.py",
            line=8,
            note="starlette's Config with a literal default (an empty one configures nothing)",
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """Check the fields of a pydantic-settings class."""
        if _is_test_module(self.ctx.summary.module):
            return
        index = self.ctx.index
        name = index.canonical(f"{self.ctx.summary.module}.{self.ctx.scope_name()}")
        if name not in index.settings or node.name.value.startswith("Test"):
            return  # `TestSettings`: what the test suite runs with
        for small in _simple_statements(node.body.body):
            self._check(small, f"setting `{node.name.value}.{{}}`")

    def visit_Module(self, node: cst.Module) -> None:
        """Check module-level constants (UPPER_CASE names)."""
        if _is_test_module(self.ctx.summary.module):
            return
        for small in _simple_statements(node.body):
            self._check(small, "constant `{}`", constants_only=True)

    def _check(
        self, small: cst.BaseSmallStatement, what: str, constants_only: bool = False
    ) -> None:
        if isinstance(small, cst.AnnAssign):
            targets, value = [small.target], small.value
        elif isinstance(small, cst.Assign):
            targets, value = [t.target for t in small.targets], small.value
        else:
            return
        if value is None:
            return
        for target in targets:
            if not isinstance(target, cst.Name):
                continue
            field = target.value
            if constants_only and not field.isupper():
                continue
            kind = secret_setting_kind(field)
            if kind is None:
                continue
            secret = self._literal(value)
            if secret is None or _is_label(secret, field) or _is_statement(secret, field):
                continue
            article = "an" if kind[0] in "aeiouAEIOU" else "a"
            self.report(
                target,
                f"{what.format(field)} has a literal default: {article} {kind} in the source "
                "is known to everyone with the repository; read it from the environment",
            )

    def _literal(self, value: cst.BaseExpression) -> str | None:
        """The non-empty literal a default expression holds, if any."""
        text = literal_string(value)
        if text is not None:
            return text or None
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return None  # bytes
        if not isinstance(value, cst.Call):
            return None
        callee = self.ctx.call_name(value)
        if callee in _SECRET_WRAPPERS:
            arg = positional(value, 0)
            return self._literal(arg.value) if arg is not None else None
        if callee in _FIELDS:
            arg = positional(value, 0) or keyword(value, "default")
            return self._literal(arg.value) if arg is not None else None
        if callee in _ENV_READERS:
            arg = positional(value, 1) or keyword(value, "default")
            return self._literal(arg.value) if arg is not None else None
        if callee in _CONFIG_READERS or self.ctx.index.instances.get(callee) in _CONFIG_READERS:
            arg = keyword(value, "default")
            return self._literal(arg.value) if arg is not None else None
        return None


def _is_test_module(module: str) -> bool:
    """`conftest`, `test_*`/`*_test` modules and `tests` packages: fixtures, not credentials.

    fastapi_best_architecture keeps `PYTEST_PASSWORD = '123456'` in its root package's
    conftest.py; a test user's password configures nothing a deployment runs with.
    """
    parts = module.split(".")
    return any(
        part in ("conftest", "tests", "test", "testing")
        or part.startswith("test_")
        or part.endswith("_test")
        for part in parts
    )


def _simple_statements(body: Sequence[cst.CSTNode]) -> list[cst.BaseSmallStatement]:
    found: list[cst.BaseSmallStatement] = []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            found.extend(stmt.body)
    return found


def _is_statement(value: str, name: str) -> bool:
    """`SQL_INSERT_REFRESH_TOKEN = "INSERT ..."`: a query about tokens, not a token."""
    return bool({"sql", "query", "stmt"} & set(words(name))) or sql_keyword(value) is not None


def _is_label(value: str, name: str) -> bool:
    """`PASSWORD = "password"`: the value names the field instead of being a secret."""
    return words(value) == words(name)
