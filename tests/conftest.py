"""Shared services for every test: PostgreSQL and Redis, when configured.

`TEST_POSTGRES_URL` / `TEST_REDIS_URL` unset: tests that need them are skipped with
the reason. Set but unreachable: those tests fail (CI sets both, see `.ci/run`).
"""

import asyncio
import os

import pytest
from sqlalchemy import make_url


def _require(variable: str) -> str:
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{variable} is not set; export it to run the tests that need this service")
    return url


def _asyncpg_dsn(url: str) -> str:
    """The plain libpq DSN asyncpg accepts, from a SQLAlchemy `postgresql+asyncpg` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresServer:
    """The test server: create and drop uniquely named databases on it.

    Other test sessions share the server, so callers pass names made unique with a
    random part (`arch_check_<hex>`); nothing ever uses a fixed database name.
    """

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def url_of(self, database: str) -> str:
        """SQLAlchemy URL of `database` on this server."""
        url = make_url(self.admin_url).set(database=database)
        return url.render_as_string(hide_password=False)

    async def create(self, database: str, *, template: str | None = None) -> str:
        """Create `database` (optionally as a copy of `template`) and return its URL."""
        suffix = f' TEMPLATE "{template}"' if template else ""
        await self._execute(f'CREATE DATABASE "{database}"{suffix}')
        return self.url_of(database)

    async def drop(self, database: str) -> None:
        """Drop `database`, closing any connection left to it."""
        await self._execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    async def _execute(self, statement: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(_asyncpg_dsn(self.admin_url), timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()


async def _ping_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=5)
    await connection.close()


async def _ping_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=5)
    try:
        await client.ping()
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the PostgreSQL admin database (`TEST_POSTGRES_URL`)."""
    url = _require("TEST_POSTGRES_URL")
    try:
        asyncio.run(_ping_postgres(url))
    except Exception as exc:
        pytest.fail(f"TEST_POSTGRES_URL={url} is set but not reachable: {exc!r}")
    return url


@pytest.fixture(scope="session")
def postgres_server(postgres_url: str) -> PostgresServer:
    """The PostgreSQL server, to create and drop per-test databases on."""
    return PostgresServer(postgres_url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the Redis server (`TEST_REDIS_URL`); use unique key prefixes on it."""
    url = _require("TEST_REDIS_URL")
    try:
        asyncio.run(_ping_redis(url))
    except Exception as exc:
        pytest.fail(f"TEST_REDIS_URL={url} is set but not reachable: {exc!r}")
    return url
