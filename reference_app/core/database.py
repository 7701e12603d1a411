"""The async engine and session factory, created per app in the lifespan.

Nothing here runs at import time: `Database(settings)` is built when the app starts
and disposed when it stops. Sessions are handed out per request by the unit-of-work
dependency in `api/dependencies.py`.
"""

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from reference_app.core.config import Settings
from reference_app.core.exceptions import ServiceUnavailableError


class Database:
    """Owns one engine and its session factory."""

    def __init__(self, settings: Settings) -> None:
        self.engine: AsyncEngine = create_async_engine(
            settings.database_url, **_engine_options(settings)
        )
        if settings.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _configure_sqlite)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def ping(self) -> None:
        """Run a trivial query; raise ServiceUnavailableError when the database is down."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(select(1))
        except (SQLAlchemyError, OSError) as exc:
            raise ServiceUnavailableError("the database is not reachable") from exc

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _engine_options(settings: Settings) -> dict[str, Any]:
    if settings.is_sqlite:
        # aiosqlite runs one connection per thread; the busy timeout makes a writer
        # wait for the WAL lock instead of failing at once.
        return {"connect_args": {"timeout": settings.sqlite_busy_timeout_seconds}}
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_recycle": settings.db_pool_recycle_seconds,
        "pool_pre_ping": True,
    }


def _configure_sqlite(dbapi_connection: Any, _connection_record: Any) -> None:
    """Turn on what SQLite leaves off by default: WAL and foreign keys."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()
