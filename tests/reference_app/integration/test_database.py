"""The engine set-up and the request's unit of work."""

from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text

from reference_app.api.dependencies import get_session
from reference_app.core.config import Settings
from reference_app.core.database import Database
from reference_app.core.exceptions import ServiceUnavailableError
from reference_app.repositories.users import UserRepository

unit_of_work = asynccontextmanager(get_session)


async def count_users(database: Database) -> int:
    async with database.sessionmaker() as session:
        return len([u for u in [await UserRepository(session).get_by_username("uow")] if u])


async def test_unit_of_work_commits_on_success(database: Database) -> None:
    async with unit_of_work(database) as session:
        await UserRepository(session).add(
            email="uow@example.com", username="uow", password_hash="h"
        )
    assert await count_users(database) == 1


async def test_unit_of_work_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with unit_of_work(database) as session:
            await UserRepository(session).add(
                email="uow@example.com", username="uow", password_hash="h"
            )
            raise RuntimeError("handler failed")
    assert await count_users(database) == 0


async def test_ping(database: Database) -> None:
    await database.ping()


async def test_ping_reports_an_unreachable_database() -> None:
    settings = Settings(
        _env_file=None, database_url="postgresql+asyncpg://postgres@127.0.0.1:9/none"
    )
    database = Database(settings)
    with pytest.raises(ServiceUnavailableError):
        await database.ping()
    await database.dispose()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(database: Database, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
