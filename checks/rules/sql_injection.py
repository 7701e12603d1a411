"""ARC302 sql-injection: SQL built from values with an f-string, %, + or .format, then executed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.sql_common import sql_site

_REPO = "app/repositories/users.py"
_HOW = {
    "f-string": "an f-string",
    "%": "`%` formatting",
    "+": "string concatenation",
    "+=": "`+=` concatenation",
    ".format": "`str.format()`",
}


class SqlInjectionRule(Rule):
    """Reports an executed SQL statement whose text interpolates values that are not constants."""

    code = "ARC302"
    name = "sql-injection"
    summary = "SQL built with an f-string, %, + or .format and executed"
    rationale = (
        "Flags an SQL statement whose text is built from values (an f-string, `%`, `+`, "
        "`+=` or `.format()`) and then executed, directly or after being assigned to a "
        "variable. A value pasted into SQL text is parsed as SQL: a name such as "
        "`' OR '1'='1` reads every row, and `'; DROP TABLE users; --` is a second "
        "statement. Escaping by hand misses cases; bound parameters never do, because the "
        "driver sends the value apart from the statement. Values that are constants in the "
        "source (module constants, a model's `__tablename__`) are not reported; identifiers "
        "taken from settings or an allow-list are, since the rule cannot see where a value "
        "comes from: suppress those lines once the allow-list is checked."
    )
    fix = (
        "Pass values as bound parameters: `select(User).where(User.name == name)`, or "
        '`text("SELECT ... WHERE name = :name")` with `{"name": name}`, or the driver\'s '
        "placeholders (`$1` for asyncpg, `?`/`%s` for DB-API) with the values as a separate "
        "argument. Table or column names chosen at run time must come from a fixed allow-list."
    )
    reference = "reference_app/repositories/users.py"
    VALID: ClassVar = (
        Valid(
            """
            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession

            async def by_email(session: AsyncSession, email: str):
                query = text("SELECT id FROM users WHERE email = :email")
                return (await session.execute(query, {"email": email})).first()
            """,
            path=_REPO,
            note="bound parameters (raw SQL, ARC301, but not injectable)",
        ),
        Valid(
            """
            import asyncpg

            async def by_id(conn: asyncpg.Connection, user_id: int):
                return await conn.fetchrow("SELECT * FROM users WHERE id = $1", user_id)

            def by_name(cursor, name: str) -> None:
                cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
            """,
            path=_REPO,
            note="driver placeholders with the values passed apart",
        ),
        Valid(
            """
            import logging

            logger = logging.getLogger(__name__)

            def describe(user_id: int) -> str:
                logger.info(f"SELECT user {user_id}")
                message = "DELETE FROM users WHERE id = %s" % user_id
                return message
            """,
            path="app/services/audit.py",
            note="SQL-looking text that is logged or returned, never executed",
        ),
        Valid(
            """
            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.models.user import User

            TABLE = "users"

            async def count(session: AsyncSession) -> int:
                first = await session.scalar(text(f"SELECT count(*) FROM {TABLE}"))
                second = await session.scalar(
                    text(f"SELECT count(*) FROM {User.__tablename__}")
                )
                return first + second
            """,
            path=_REPO,
            note="interpolated constants: fixed in the source (raw SQL, ARC301, only)",
        ),
        Valid(
            """
            import logging

            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession

            logger = logging.getLogger(__name__)

            async def by_email(session: AsyncSession, email: str):
                query = "SELECT id FROM users WHERE email = :email"
                row = (await session.execute(text(query), {"email": email})).first()
                query = f"looked up {email}"
                logger.info(query)
                return row
            """,
            path=_REPO,
            note="a name reused after the execution: only what it holds at the call counts",
        ),
        Valid(
            """
            from sqlalchemy import text
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.repositories.clauses import NOT_DELETED

            ACTIVE_ONLY = "AND is_active"

            async def users(session: AsyncSession, active: bool) -> list:
                extra = ACTIVE_ONLY if active else ""
                alive = NOT_DELETED.format(alias="users")
                query = f"SELECT id FROM users WHERE tenant_id = :tenant {extra} AND {alive}"
                return list(await session.execute(text(query), {"tenant": 1}))

            async def by_ids(session: AsyncSession, ids: list[int]) -> list:
                marks = ", ".join(f":id{i}" for i in range(len(ids)))
                params = {f"id{i}": value for i, value in enumerate(ids)}
                sql = text(f"SELECT id FROM users WHERE id IN ({marks})")
                return list(await session.execute(sql, params))
            """,
            path=_REPO,
            files={"app/repositories/clauses.py": 'NOT_DELETED = "{alias}.deleted_at IS NULL"\n'},
            note="fixed fragments, imported constants, bind-parameter markers (ARC301 only)",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
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
            line=7,
        ),
        Invalid(
            """
            def delete_user(cursor, user_id: str) -> None:
                sql = "DELETE FROM users WHERE id = '%s'" % user_id
                cursor.execute(sql)
            """,
            path=_REPO,
            line=4,
            note="built one statement before it is executed",
        ),
        Invalid(
            """
            import asyncpg

            async def sorted_users(conn: asyncpg.Connection, order: str) -> list:
                query = "SELECT id, email FROM users"
                if order:
                    query += " ORDER BY " + order
                return await conn.fetch(query)
            """,
            path=_REPO,
            line=8,
            note="a literal extended with a value",
        ),
        Invalid(
            """
            from sqlalchemy.orm import Session

            def rename(session: Session, user_id: int, name: str) -> None:
                session.execute("UPDATE users SET name = '{}' WHERE id = {}".format(name, user_id))
            """,
            path="app/services/users.py",
            line=5,
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        self._cache: dict[int, object] = {}  # assignments per function, shared by its calls

    def visit_Call(self, node: cst.Call) -> None:
        """Report an executing call whose statement interpolates values."""
        site = sql_site(self.ctx, node, self._cache)
        if site is None or site.how is None:
            return
        self.report(
            node,
            f"SQL built with {_HOW[site.how]} and executed through `{site.sink}()`: "
            f'"{site.preview()}"; pass the values as bound parameters',
        )
