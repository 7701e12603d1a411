"""ARC301 raw-sql: an SQL string literal executed instead of a query built with SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.sql_common import QUERY_KEYWORDS, is_probe, sql_site

_REPO = "app/repositories/users.py"


class RawSqlRule(Rule):
    """Reports SQL text (a literal, or built only from constants) that reaches an executing call."""

    code = "ARC301"
    name = "raw-sql"
    summary = 'An SQL string literal executed (text("SELECT ..."), execute("..."))'
    rationale = (
        'Flags an SQL statement written as a string and executed: `text("SELECT ...")`, '
        '`session.execute("...")`, `conn.exec_driver_sql(...)`, a DB-API cursor\'s or '
        "asyncpg's `execute`/`fetch`. Table and column names in a string are invisible to "
        "the type checker, to refactoring and to the ORM's mapping: renaming a column "
        "breaks the query only at run time, the statement ties the code to one database's "
        "dialect, and the next change to it is one f-string away from an injection (ARC302). "
        "A query built with `select()`/`insert()`/`update()` in a repository is checked "
        "against the model. Connection settings (`PRAGMA`, `SET`), `SELECT 1` probes and "
        "Alembic migrations are not reported: nothing replaces them."
    )
    fix = (
        "Build the statement with SQLAlchemy's query builder (`select(User).where(User.id == "
        "user_id)`) in a repository; for SQL the builder cannot express, keep the `text()` in "
        "the repository with bound parameters (`:id`) and suppress this rule on that line."
    )
    reference = "reference_app/repositories/users.py"
    VALID: ClassVar = (
        Valid(
            """
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.models.user import User

            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self.session = session

                async def get(self, user_id: int) -> User | None:
                    return await self.session.scalar(select(User).where(User.id == user_id))
            """,
            path=_REPO,
            note="a query built with select()",
        ),
        Valid(
            """
            import logging
            import re

            logger = logging.getLogger(__name__)
            PATTERN = re.compile("SELECT .* FROM users")

            def report(user_id: int) -> str:
                logger.info(f"select user {user_id}")
                return "SELECT {} FROM users".format("id")
            """,
            path="app/services/report.py",
            note="SQL-looking strings that are logged, compiled or formatted, never executed",
        ),
        Valid(
            """
            from sqlalchemy import Column, DateTime, text
            from sqlalchemy.orm import DeclarativeBase

            class Base(DeclarativeBase):
                pass

            class Event(Base):
                __tablename__ = "events"
                created_at = Column(DateTime, server_default=text("CURRENT_TIMESTAMP"))
                order = text("created_at DESC")
            """,
            path="app/models/event.py",
            note="text() fragments that are not statements (defaults, ORDER BY clauses)",
        ),
        Valid(
            """
            from sqlalchemy import event, text
            from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

            def enable_sqlite_pragmas(engine: AsyncEngine) -> None:
                @event.listens_for(engine.sync_engine, "connect")
                def _on_connect(dbapi_connection, _record) -> None:
                    cursor = dbapi_connection.cursor()
                    cursor.execute("PRAGMA foreign_keys=ON")
                    cursor.close()

            async def ping(session: AsyncSession) -> bool:
                await session.execute(text("SELECT 1"))
                return True
            """,
            path="app/core/database.py",
            note="connection settings and a liveness probe: nothing replaces them",
        ),
        Valid(
            """
            from alembic import op

            def upgrade() -> None:
                op.execute("UPDATE users SET is_active = true WHERE is_active IS NULL")
            """,
            path="app/migrations/versions/0002_backfill.py",
            note="an Alembic migration inside the package runs fixed SQL on purpose",
        ),
        Valid(
            """
            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession

            async def search(session: AsyncSession, term: str) -> list:
                result = await session.execute(
                    text(f"SELECT id FROM users WHERE name LIKE '%{term}%'")
                )
                return list(result)
            """,
            path=_REPO,
            note="SQL built from a value is ARC302 (sql-injection), not reported twice",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            """
            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession

            async def get_user(session: AsyncSession, user_id: int):
                result = await session.execute(
                    text("SELECT id, email FROM users WHERE id = :id"), {"id": user_id}
                )
                return result.first()
            """,
            path=_REPO,
            line=7,
            note="parameterised text(): safe from injection, still raw SQL",
        ),
        Invalid(
            """
            import sqlite3

            def count_users(path: str) -> int:
                conn = sqlite3.connect(path)
                cursor = conn.cursor()
                query = "SELECT count(*) FROM users"
                cursor.execute(query)
                return cursor.fetchone()[0]
            """,
            path="app/repositories/stats.py",
            line=8,
            note="a DB-API cursor, the statement assigned one line before",
        ),
        Invalid(
            """
            import asyncpg

            ACTIVE_USERS = '''
                SELECT id, email
                FROM users
                WHERE is_active
            '''

            async def active_users(conn: asyncpg.Connection) -> list:
                return await conn.fetch(ACTIVE_USERS)
            """,
            path="app/repositories/users.py",
            line=11,
            note="asyncpg with a module constant",
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import AsyncEngine

            async def purge(engine: AsyncEngine) -> None:
                async with engine.begin() as conn:
                    await conn.exec_driver_sql("DELETE FROM sessions WHERE expired")
            """,
            path="app/services/cleanup.py",
            line=6,
        ),
        Invalid(
            """
            from databases import Database

            database = Database("postgresql://localhost/app")

            async def recent_orders() -> list:
                return await database.fetch_all(query="SELECT * FROM orders ORDER BY id DESC")
            """,
            path="app/repositories/orders.py",
            line=7,
            note="the `databases` library, statement passed by keyword",
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        self._cache: dict[int, object] = {}  # assignments per function, shared by its calls

    def visit_Call(self, node: cst.Call) -> None:
        """Report an executing call whose statement is fixed SQL text."""
        site = sql_site(self.ctx, node, self._cache)
        if site is None or site.how is not None or site.keyword not in QUERY_KEYWORDS:
            return
        if is_probe(site.text):
            return
        self.report(
            node,
            f'raw SQL executed through `{site.sink}()`: "{site.preview()}"; build the query '
            "with SQLAlchemy (select/insert/update) in a repository",
        )
