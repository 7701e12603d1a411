"""ARC303 sync-db-in-async."""

from __future__ import annotations

from collections.abc import Mapping
from weakref import WeakKeyDictionary

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.index import ProjectIndex
from checks.analysis.names import dotted, keyword
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.kinds_common import (
    SYNC_ENGINE_FACTORIES,
    SYNC_ENGINE_TYPES,
    SYNC_SESSION_FACTORIES,
    SYNC_SESSION_TYPES,
)

_ASYNC_INSTEAD = {
    "engine": "create_async_engine()",
    "session": "AsyncSession",
    "session factory": "async_sessionmaker()",
}
# Code that runs outside the event loop: migrations, scripts and tests' set-up.
_OFFLINE_PACKAGES = frozenset(
    {"alembic", "migrations", "migration", "scripts", "tests", "test", "conftest"}
)
_OFFLINE_PREFIXES = ("test_", "migrate", "migration")
_SYNC_VALUES = SYNC_SESSION_TYPES | SYNC_ENGINE_TYPES | SYNC_ENGINE_FACTORIES
_OPTIONAL = frozenset({"typing.Optional", "typing.Union"})
_SYNC_OR_OPTIONAL = _SYNC_VALUES | _OPTIONAL
# (async handlers, all handlers) per project, computed once per index.
_HANDLERS: WeakKeyDictionary[ProjectIndex, tuple[int, int]] = WeakKeyDictionary()


def _handlers(index: ProjectIndex) -> tuple[int, int]:
    counts = _HANDLERS.get(index)
    if counts is None:
        routes = [route for _, route in index.routes()]
        counts = (sum(route.is_async for route in routes), len(routes))
        _HANDLERS[index] = counts
    return counts


class SyncDbInAsyncRule(Rule):
    """Sync engines and sessions in an async code base, or used inside `async def`."""

    code = "ARC303"
    name = "sync-db-in-async"
    summary = "sync engine or Session used in an async code base or inside async def"
    rationale = (
        "What it does: in a code base whose route handlers are mostly `async def`, reports "
        "`create_engine()`, `Session()`, `sessionmaker()` and `scoped_session()`; in any "
        "code base, reports a sync session or engine used inside an `async def` "
        "(`db.query()` on a `Session` parameter of an async handler). A sessionmaker "
        "that makes AsyncSessions, callbacks passed to `run_sync()`, migrations, scripts and "
        "tests are not reported.\n\n"
        "Why it is bad: a sync driver blocks the thread while the database answers; in "
        "an async handler that thread is the event loop, so one slow query stalls every "
        "request the worker serves. FastAPI only moves plain `def` handlers to a thread "
        "pool."
    )
    fix = (
        "Use `create_async_engine()` with an async driver (asyncpg, aiosqlite), "
        "`async_sessionmaker()` and `AsyncSession`, and `await` every query; or keep the "
        "handler a plain `def` if the code base is sync."
    )
    reference = "reference_app/core/database.py"

    VALID = (
        Valid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
            from sqlalchemy.orm import sessionmaker

            engine = create_async_engine("sqlite+aiosqlite://")
            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
            LegacyLocal = sessionmaker(engine, class_=AsyncSession)

            async def init_models(Base) -> None:
                async with engine.begin() as conn:
                    await conn.run_sync(Base.metadata.create_all)
            """,
            path="app/core/database.py",
            files={
                "app/api/items.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/items")
                    async def list_items(): ...
                """
            },
            note="async engine and factories; sessionmaker(class_=AsyncSession); run_sync",
        ),
        Valid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session
            from app.core.db import get_db

            router = APIRouter()

            @router.get("/items")
            def list_items(db: Session = Depends(get_db)):
                return db.query(dict).all()
            """,
            files={
                "app/core/db.py": """
                    from sqlalchemy import create_engine
                    from sqlalchemy.orm import sessionmaker
                    engine = create_engine("sqlite://")
                    SessionLocal = sessionmaker(bind=engine)
                    def get_db(): ...
                """
            },
            note="a sync code base: plain def handlers run in FastAPI's thread pool",
        ),
        Valid(
            """
            from sqlalchemy import engine_from_config, pool

            def run_migrations_online(config) -> None:
                connectable = engine_from_config(config, poolclass=pool.NullPool)
                with connectable.connect() as connection:
                    connection.execute("SELECT 1")
            """,
            path="app/alembic/env.py",
            files={
                "app/api/items.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/items")
                    async def list_items(): ...
                """
            },
            note="Alembic's env.py runs sync, outside the event loop",
        ),
        Valid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession
            from sqlalchemy.orm import Session

            def _rename(session: Session, name: str) -> None:
                session.execute("UPDATE t SET name = :n", {"n": name})

            async def rename(session: AsyncSession, name: str) -> None:
                await session.run_sync(_rename, name)
            """,
            path="app/repositories/things.py",
            note="a sync Session inside a run_sync callback is how SQLAlchemy bridges them",
        ),
        Valid(
            """
            from sqlalchemy import create_engine
            from app.models.base import Base

            engine = create_engine("postgresql://localhost/app")

            def reset_database() -> None:
                Base.metadata.drop_all(bind=engine)
                Base.metadata.create_all(bind=engine)
            """,
            path="app/migrate_db.py",
            files={
                "app/models/base.py": "Base = None\n",
                "app/api/items.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/items")
                    async def list_items(): ...
                """,
            },
            note="a schema set-up script runs outside the event loop",
        ),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import create_engine
            from sqlalchemy.ext.asyncio import AsyncSession

            class DatabaseManager:
                def __init__(self, database_url: str):
                    self.engine = create_engine(database_url, pool_pre_ping=True, pool_size=20)

                async def get_session(self):
                    async with AsyncSession(self.engine) as session:
                        yield session
            """,
            path="app/core/database/base.py",
            files={
                "app/api/users.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/users")
                    async def list_users(): ...
                """
            },
            line=7,
            note="the seed's DatabaseManager: a sync engine in an async code base",
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session
            from app.core.db import get_db

            router = APIRouter()

            @router.get("/items")
            async def list_items(db: Session = Depends(get_db)):
                return db.query(dict).all()
            """,
            files={"app/core/db.py": "def get_db(): ..."},
            line=10,
            note="a sync Session queried inside an async handler blocks the event loop",
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        parts = ctx.summary.module.split(".")
        self._skip = bool(set(parts) & _OFFLINE_PACKAGES) or parts[-1].startswith(_OFFLINE_PREFIXES)
        self._async_project: bool | None = None
        self._seen: set[tuple[int, str]] = set()  # (function, receiver) already reported
        self._covered: set[int] = set()  # calls inside a reported one

    def visit_Call(self, node: cst.Call) -> None:
        """Sync factories in an async code base; sync sessions used in async def."""
        if self._skip or id(node) in self._covered:
            return
        name = self.ctx.call_name(node)
        kind = _sync_factory(name, node)
        function = self.ctx.function
        in_async = function is not None and function.asynchronous is not None
        if kind is not None and (in_async or self._is_async_project()):
            async_count, total = _handlers(self.ctx.index)
            where = (
                f"inside async def {function.name.value}()"
                if in_async and function is not None
                else f"in a code base whose route handlers are async ({async_count} of {total})"
            )
            self._covered.update(id(n) for n in iter_nodes(node))
            self.report(
                node,
                f"{dotted(node.func)}() makes a sync {kind} {where}: every query blocks "
                f"the event loop; use {_ASYNC_INSTEAD[kind]}",
            )
            return
        if in_async and function is not None and type(node.func) is cst.Attribute:  # leaf class
            self._sync_use(node, node.func, function)

    def _sync_use(self, call: cst.Call, func: cst.Attribute, function: cst.FunctionDef) -> None:
        types = self.ctx.type_of(func.value)
        if not types or not types <= _SYNC_OR_OPTIONAL:
            return
        receiver = dotted(func.value) or "the session"
        key = (id(function), receiver)
        if key in self._seen:
            return
        self._seen.add(key)
        kind = "engine" if types & (SYNC_ENGINE_TYPES | SYNC_ENGINE_FACTORIES) else "session"
        self.report(
            call,
            f"{receiver}.{func.attr.value}() uses a sync {kind} inside async def "
            f"{function.name.value}(): it blocks the event loop; use "
            f"{_ASYNC_INSTEAD[kind]} and await it",
        )

    def _is_async_project(self) -> bool:
        if self._async_project is None:
            async_count, total = _handlers(self.ctx.index)
            self._async_project = total > 0 and async_count * 2 > total
        return self._async_project


def _sync_factory(name: str | None, call: cst.Call) -> str | None:
    """What sync database object the call makes (engine, session, session factory), if any."""
    if name is None:
        return None
    if name in SYNC_ENGINE_FACTORIES:
        return "engine"
    if name in SYNC_SESSION_TYPES and "scoped" not in name:
        return "session"
    if name in SYNC_SESSION_FACTORIES:
        made = keyword(call, "class_")
        if made is not None and "Async" in (dotted(made.value) or ""):
            return None  # sessionmaker(class_=AsyncSession) makes async sessions
        return "session factory"
    return None
