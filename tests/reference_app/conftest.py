"""Database and app fixtures for the reference app's tests, on SQLite and PostgreSQL.

Every test that asks for `database_url` (or `settings`, `app`, `client`,
`session`) runs once per backend: `[sqlite]` always, `[postgres]` when
`TEST_POSTGRES_URL` is set. Each test gets its own database, copied from a
template that `alembic upgrade head` built once per session, so the schema always
comes from the migrations and no state is shared between tests.

For other test suites (fuzzing): `app` is a fresh app whose lifespan is running,
`client` an httpx client on it, `settings_factory(database_url, **overrides)`
builds test settings, and `app_factory(settings)` starts more apps.
"""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from reference_app.core.config import Settings
from reference_app.core.database import Database
from reference_app.core.migrations import upgrade_to_head
from reference_app.main import create_app

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker below."""
    config.addinivalue_line(
        "markers",
        "one_backend: the test does not depend on the database backend; run it on SQLite only",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the PostgreSQL run of tests marked `one_backend` (validation, headers...)."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("one_backend")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("migrated_template") == "postgres"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


SettingsFactory = Callable[..., Settings]
AppFactory = Callable[[Settings], AbstractAsyncContextManager[FastAPI]]


def make_test_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test: this database, cheap argon2, a fixed key, no `.env`."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "auto_migrate": False,
        "secret_key": TEST_SECRET_KEY,
        # The cheapest argon2id parameters: the suite hashes hundreds of passwords.
        "argon2_time_cost": 1,
        "argon2_memory_cost_kib": 8,
        "argon2_parallelism": 1,
        "log_level": "WARNING",
        "redis_url": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """Create an app and run its lifespan around the block, as a server would."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def _migrate(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


def unique_name(purpose: str) -> str:
    """A database name no other test session on the shared server can be using."""
    return f"arch_check_{uuid.uuid4().hex[:16]}_{purpose}"


class SqliteTemplate:
    """A migrated SQLite file; each test gets a copy."""

    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def clone(self, directory: Path) -> str:
        """Copy the template into `directory` and return the copy's URL."""
        target = directory / "test.db"
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"

    async def discard(self, url: str) -> None:
        """Nothing to do: the copy lives in the test's tmp_path."""


class PostgresTemplate:
    """A migrated PostgreSQL database; each test gets `CREATE DATABASE ... TEMPLATE` of it."""

    backend = "postgres"

    def __init__(self, server: Any, name: str) -> None:
        self.server = server
        self.name = name
        self._clones: dict[str, str] = {}

    async def clone(self, directory: Path) -> str:
        """Create a fresh database from the template and return its URL."""
        name = unique_name("test")
        url = await self.server.create(name, template=self.name)
        self._clones[url] = name
        return url

    async def discard(self, url: str) -> None:
        """Drop the database `clone` created."""
        await self.server.drop(self._clones.pop(url))


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqliteTemplate | PostgresTemplate]:
    """A database migrated to head once per session and backend, to copy per test."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
        asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
        yield SqliteTemplate(path)
        return
    server = request.getfixturevalue("postgres_server")
    name = unique_name("template")
    url = asyncio.run(server.create(name))
    try:
        asyncio.run(_migrate(url))
        yield PostgresTemplate(server, name)
    finally:
        asyncio.run(server.drop(name))


@pytest.fixture
def backend(migrated_template: SqliteTemplate | PostgresTemplate) -> str:
    """The backend this test runs on: "sqlite" or "postgres"."""
    return migrated_template.backend


@pytest.fixture
async def database_url(
    migrated_template: SqliteTemplate | PostgresTemplate, tmp_path: Path
) -> AsyncIterator[str]:
    """URL of a fresh, migrated database that only this test uses."""
    url = await migrated_template.clone(tmp_path)
    yield url
    await migrated_template.discard(url)


@pytest.fixture
def settings_factory() -> SettingsFactory:
    """`make_test_settings(database_url, **overrides)`, for tests that need variants."""
    return make_test_settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Test settings on this test's database."""
    return make_test_settings(database_url)


@pytest.fixture
def app_factory() -> AppFactory:
    """`running_app(settings)`: an async context manager yielding an app whose lifespan runs."""
    return running_app


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """A fresh app on this test's database, lifespan started (and stopped after the test)."""
    async with running_app(settings) as started:
        yield started


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling `app` in process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    """The app's `Database` (engine and session factory) on this test's database."""
    db = Database(settings)
    yield db
    await db.dispose()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session on this test's database, for repository tests."""
    async with database.sessionmaker() as db_session:
        yield db_session
