"""ARC102 route-db-access: a route handler that talks to the database itself."""

from __future__ import annotations

import libcst as cst

from checks.analysis.idioms import (
    DRIVER_CONNECTORS,
    DRIVER_TYPES,
    ENGINE_FACTORIES,
    ENGINE_TYPES,
    QUERY_BUILDERS,
    SESSION_FACTORIES,
    SESSION_TYPES,
)
from checks.analysis.names import dotted
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.route_common import short

# What a value can be that makes calling its methods database access, by kind.
_KINDS = (
    ("session", SESSION_TYPES),
    ("engine or connection", ENGINE_TYPES | ENGINE_FACTORIES),
    ("driver connection", DRIVER_TYPES),
    ("session factory", SESSION_FACTORIES),
)
_OPENERS = SESSION_TYPES | ENGINE_TYPES | ENGINE_FACTORIES | SESSION_FACTORIES | DRIVER_CONNECTORS


class RouteDbAccessRule(Rule):
    """Flags sessions, engines, connections and query builders used inside a handler."""

    code = "ARC102"
    name = "route-db-access"
    summary = "A route handler queries, writes or opens a database session or engine itself"
    rationale = (
        "What it does: reports every place a route handler uses the database directly: a "
        "method called on a session, engine or driver connection (`db.execute()`, "
        "`session.add()`, `await db.commit()`, `engine.begin()`), whether the handler built "
        "it or received it as a parameter, through `Depends()`, `Annotated[...]` or an alias "
        "such as `SessionDep`; a statement built in the handler (`select()`, `insert()`, "
        "`update()`, `delete()`, `text()`); and a session or engine opened in the handler "
        "(`AsyncSession(engine)`, `SessionLocal()`, `sessionmaker()`, `create_engine()`).\n\n"
        "Why it is bad: queries in handlers cannot be reused by another endpoint, a job or a "
        "test without HTTP; transaction boundaries end up scattered across endpoints; and the "
        "HTTP layer becomes coupled to the schema of the tables. Passing the session on, to "
        "a repository or service constructor or a repository function, is not database "
        "access and is not reported."
    )
    fix = (
        "Move the query into a repository method (it receives the session), call it from a "
        "service, and let the handler receive the service through `Depends()`. Let the "
        "session dependency own the transaction: commit once per request when the handler "
        "succeeds, roll back when it raises."
    )
    reference = "reference_app/api/v1/users.py"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Judge each route handler's calls, nested functions included, once."""
        if self.ctx.route_of(node) is None:
            return
        handler = node.name.value
        covered: set[int] = set()  # one finding per call chain: `db.execute(select(User))`
        for current in self.ctx.body_nodes(node):
            if type(current) is cst.Call and id(current) not in covered:  # a leaf class
                message = self._access(current)
                if message is not None:
                    self.report(current, f"handler `{handler}` {message}")
                    covered.update(id(n) for n in iter_nodes(current))

    def _access(self, call: cst.Call) -> str | None:
        """What this call does to the database, as a message fragment, or None."""
        func = call.func
        name = self.ctx.call_name(call)
        if name in QUERY_BUILDERS:
            return f"builds a query with `{short(name)}()`; queries belong in a repository"
        if name in _OPENERS or self._made_by_factory(name):
            return (
                f"opens a database session or engine with `{dotted(func) or short(name or '')}()`;"
                " receive a service through Depends() instead"
            )
        if type(func) is cst.Attribute:  # a leaf class: cheaper than isinstance()
            owner_types = self.ctx.type_of(func.value)
            for kind, types in _KINDS:
                found = owner_types & types
                if found:
                    owner = dotted(func.value) or "..."
                    return (
                        f"calls `{owner}.{func.attr.value}()` on a database {kind} "
                        f"({short(min(found))}); move it into a repository behind a service"
                    )
        return None

    def _made_by_factory(self, name: str | None) -> bool:
        """`SessionLocal()` where `SessionLocal = sessionmaker(...)` in any module."""
        if name is None:
            return False
        callee = self.ctx.index.instances.get(name)
        return callee is not None and self.ctx.index.canonical(callee) in SESSION_FACTORIES

    VALID = (
        Valid(
            """
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from app.schemas.user import UserRead
            from app.services.users import UserService, get_user_service

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(
                user_id: int, users: Annotated[UserService, Depends(get_user_service)]
            ) -> UserRead:
                return await users.get(user_id)
            """,
            note="the handler delegates to a service received through Annotated[..., Depends()]",
        ),
        Valid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.core.database import get_session
            from app.repositories.users import UserRepository
            from app.services.users import UserService
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, db: AsyncSession = Depends(get_session)) -> UserRead:
                service = UserService(UserRepository(db))
                return await service.get(user_id)
            """,
            note="passing the session on to a repository constructor is not database access "
            "(constructing dependencies in the handler is ARC105's business)",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app import crud
            from app.api.deps import SessionDep
            from app.schemas.item import ItemRead

            router = APIRouter()

            @router.get("/items/{item_id}")
            def read_item(item_id: int, session: SessionDep) -> ItemRead:
                return crud.get_item(session=session, item_id=item_id)
            """,
            note="handing the session to a repository function (crud module) is delegation",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.services.search import SearchService
            from app.schemas.search import Hit

            router = APIRouter()

            @router.get("/search")
            async def search(q: str, service: SearchService) -> list[Hit]:
                results = await service.execute(q)
                return results
            """,
            note="`execute` on a service is not a session call: the receiver's type decides",
        ),
        Valid(
            """
            from fastapi import APIRouter, Request, Response

            router = APIRouter()

            @router.post("/logout", status_code=204)
            async def logout(request: Request) -> Response:
                session = request.session
                session.clear()
                return Response(status_code=204)
            """,
            note="a variable named `session` that is the HTTP session, not a database session",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from sqlalchemy import select

            router = APIRouter()

            def active_users():
                return select(User).where(User.is_active)

            @router.get("/health")
            async def health() -> dict[str, str]:
                return {"status": "ok"}
            """,
            path="app/users/router.py",
            note="a query built outside any handler is ARC401/ARC201 territory, not a handler's",
        ),
    )
    INVALID = (
        Invalid(
            """
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.core.database import get_session
            from app.models.user import User
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(
                user_id: int, db: Annotated[AsyncSession, Depends(get_session)]
            ) -> UserRead:
                result = await db.execute(select(User).where(User.id == user_id))
                return result.scalar_one()
            """,
            line=16,
            note="a session received through Annotated[AsyncSession, Depends()] runs a query",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import SessionDep
            from app.models import User
            from app.schemas.user import UserCreate, UserRead

            router = APIRouter()

            @router.post("/users", status_code=201)
            def create_user(data: UserCreate, session: SessionDep) -> UserRead:
                user = User(**data.model_dump())
                session.add(user)
                session.commit()
                session.refresh(user)
                return UserRead.model_validate(user)
            """,
            files={
                "app/api/deps.py": """
                    from collections.abc import Generator
                    from typing import Annotated
                    from fastapi import Depends
                    from sqlmodel import Session
                    from app.core.db import engine

                    def get_db() -> Generator[Session, None, None]:
                        with Session(engine) as session:
                            yield session

                    SessionDep = Annotated[Session, Depends(get_db)]
                """,
            },
            line=12,
            note="the full-stack-template style `SessionDep` alias defined in another module",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.core.database import engine
            from app.models.user import User

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def get_user(user_id: int):
                async with AsyncSession(engine) as session:
                    result = await session.execute(select(User).where(User.id == user_id))
                    return result.scalar_one()
            """,
            line=12,
            note="the seed's own sample: a session opened in the handler",
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session
            from app.db.session import SessionLocal

            router = APIRouter()

            @router.delete("/items/{item_id}", status_code=204)
            def delete_item(item_id: int) -> None:
                db = SessionLocal()
                db.query(Item).filter(Item.id == item_id).delete()
            """,
            files={
                "app/db/session.py": """
                    from sqlalchemy import create_engine
                    from sqlalchemy.orm import sessionmaker

                    engine = create_engine("sqlite://")
                    SessionLocal = sessionmaker(bind=engine)
                """,
            },
            line=10,
            note="`SessionLocal()` from a sessionmaker defined in another module",
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy import text
            from app.api.deps import get_db

            router = APIRouter()

            @router.get("/stats")
            async def stats(db=Depends(get_db)) -> dict[str, int]:
                count = await db.scalar(text("SELECT count(*) FROM users"))
                return {"users": count}
            """,
            files={
                "app/api/deps.py": """
                    from collections.abc import AsyncIterator
                    from sqlalchemy.ext.asyncio import AsyncSession
                    from app.core.database import session_factory

                    async def get_db() -> AsyncIterator[AsyncSession]:
                        async with session_factory() as session:
                            yield session
                """,
            },
            line=10,
            note="an unannotated parameter typed by its provider's declared return type",
        ),
        Invalid(
            """
            import asyncpg
            from fastapi import APIRouter, Depends
            from app.api.deps import get_connection
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(
                user_id: int, conn: asyncpg.Connection = Depends(get_connection)
            ) -> UserRead:
                row = await conn.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
                return UserRead(**row)
            """,
            line=13,
            note="a raw driver connection, without SQLAlchemy",
        ),
    )
