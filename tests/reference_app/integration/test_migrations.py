"""Migrations build the schema from nothing, match the models, and go back down."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from reference_app.core.migrations import alembic_config, upgrade_to_head
from reference_app.models import Base


@pytest.fixture
async def empty_database_url(backend: str, tmp_path: Path, request) -> AsyncIterator[str]:
    """A database with no tables at all."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"arch_check_{uuid.uuid4().hex[:16]}_empty"
    url = await server.create(name)
    yield url
    await server.drop(name)


def _differences(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _downgrade_to_base(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


async def test_upgrade_from_empty_matches_the_models(empty_database_url: str) -> None:
    engine = create_async_engine(empty_database_url, poolclass=NullPool)
    try:
        await upgrade_to_head(engine)
        async with engine.connect() as connection:
            assert {"users", "posts", "alembic_version"} <= await connection.run_sync(_tables)
            assert await connection.run_sync(_differences) == []
        async with engine.begin() as connection:
            await connection.run_sync(_downgrade_to_base)
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) <= {"alembic_version"}
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()
