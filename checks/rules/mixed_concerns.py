"""ARC401 mixed-concerns."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.kinds_common import receiver_kind, statement_builder

ROUTES, MODELS, SCHEMAS, QUERIES = "routes", "ORM models", "Pydantic schemas", "database queries"
_HOMES = {
    ROUTES: "the api layer",
    MODELS: "models",
    SCHEMAS: "schemas",
    QUERIES: "a repository",
}
# Session/connection methods that read or write data (close(), begin() and the like do not).
# commit(), flush() and refresh() end or sync the unit of work without stating a query:
# polar's SSE endpoints commit before streaming to release the connection, and
# dispatch's views commit what a service wrote; ARC102 reports those calls in handlers.
_QUERY_METHODS = frozenset(
    {
        "execute",
        "exec",
        "query",
        "scalars",
        "scalar",
        "get",
        "add",
        "add_all",
        "delete",
        "merge",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "executemany",
        "bulk_save_objects",
    }
)
_SHOWN = 3


class MixedConcernsRule(Rule):
    """One file defining two or more of routes, ORM models, schemas and queries."""

    code = "ARC401"
    name = "mixed-concerns"
    summary = "one file mixes routes, ORM models, Pydantic schemas or database queries"
    rationale = (
        "What it does: reports a file that defines two or more of: route handlers, ORM "
        "models, Pydantic schemas, and database queries (statements built with "
        "`select()`/`text()`..., or data read and written through a session or "
        "connection). An SQLModel file with table and non-table classes counts as models "
        "plus schemas. It is reported once per file, naming what it mixes.\n\n"
        "Why it is bad: each of these changes for its own reason (the API contract, the "
        "table schema, the query plan); in one file, a change to one is a diff in all, "
        "the layers' import contracts cannot tell them apart, and the table ends up "
        "doubling as the API schema, so a new column leaks out of every endpoint."
    )
    fix = (
        "Give each concern its module: routes in `api/` (or `<domain>/router.py`), models "
        "in `models/`, request/response schemas in `schemas/`, queries in a repository."
    )
    reference = "reference_app/api/v1/users.py"

    VALID = (
        Valid(
            """
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from app.schemas.user import UserCreate, UserRead
            from app.services.users import UserService

            router = APIRouter(prefix="/users")

            @router.post("")
            async def create_user(data: UserCreate, users: UserService) -> UserRead:
                return await users.register(data)
            """,
            files={
                "app/schemas/user.py": (
                    "from pydantic import BaseModel\n"
                    "class UserCreate(BaseModel):\n    email: str\n"
                    "class UserRead(BaseModel):\n    id: int\n"
                ),
                "app/services/users.py": "class UserService: ...",
            },
            note="routes that use schemas defined elsewhere",
        ),
        Valid(
            """
            from pydantic import BaseModel
            from pydantic_settings import BaseSettings
            from sqlalchemy import create_engine

            class Settings(BaseSettings):
                database_url: str = "sqlite://"

            settings = Settings()
            engine = create_engine(settings.database_url)

            def ping() -> None:
                with engine.connect() as connection:
                    connection.close()
            """,
            path="app/core/config.py",
            note="settings are not schemas; opening and closing a connection is not a query",
        ),
        Valid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession
            from sse_starlette import EventSourceResponse
            from app.api.deps import get_session, events_for

            router = APIRouter()

            @router.get("/orders/{order_id}/stream")
            async def stream(order_id: int, session: AsyncSession = Depends(get_session)):
                await session.commit()
                return EventSourceResponse(events_for(order_id))
            """,
            note="committing the unit of work (before a stream) states no query",
        ),
        Valid(
            """
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.models.user import User

            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self.session = session

                async def get(self, user_id: int) -> User | None:
                    return await self.session.get(User, user_id)

                async def by_email(self, email: str) -> User | None:
                    found = await self.session.scalars(select(User).where(User.email == email))
                    return found.first()
            """,
            path="app/repositories/users.py",
            files={"app/models/user.py": "class User: ..."},
            note="a repository: queries only",
        ),
        Valid(
            """
            from sqlalchemy import String, text
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                status: Mapped[str] = mapped_column(String(20), server_default=text("'new'"))
            """,
            path="app/models/order.py",
            note="text() as a column's server default is DDL, not a query",
        ),
        Valid(
            """
            from sqlalchemy import Index, exists, select, text
            from sqlalchemy.ext.hybrid import hybrid_property
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                parent_id: Mapped[int | None]

                @hybrid_property
                def has_children(self) -> bool:
                    return False

                @has_children.expression
                def has_children(cls):
                    return exists(select(Order.id).where(Order.parent_id == cls.id))

            Index("ix_orders_open", Order.id, postgresql_where=text("parent_id IS NULL"))
            """,
            path="app/models/order.py",
            note="SQL expressions of a hybrid property and a partial index map the table",
        ),
        Valid(
            """
            from sqlalchemy import exists, select
            from sqlalchemy.orm import DeclarativeBase, Mapped, Relationship, mapped_column

            class Base(DeclarativeBase):
                pass

            class Customer(Base):
                __tablename__ = "customers"
                id: Mapped[int] = mapped_column(primary_key=True)

            class CustomerComparator(Relationship.Comparator[Customer]):
                def __eq__(self, other: object):
                    return exists(select(Customer.id).where(Customer.id == other))
            """,
            path="app/models/customer.py",
            note="a relationship comparator's SQL expression is mapping machinery (polar)",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter
            from pydantic import BaseModel
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()
            router = APIRouter()

            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                email = Column(String)

            class UserOut(BaseModel):
                id: int
                email: str

            @router.get("/users/{user_id}", response_model=UserOut)
            def read_user(user_id: int): ...
            """,
            path="app/api/users.py",
            line=15,
            note="a table, its schema and its route in one file",
        ),
        Invalid(
            """
            from sqlmodel import Field, SQLModel

            class UserBase(SQLModel):
                email: str

            class User(UserBase, table=True):
                id: int | None = Field(default=None, primary_key=True)
                hashed_password: str

            class UserPublic(UserBase):
                id: int
            """,
            path="app/models.py",
            line=7,
            note="SQLModel table and non-table classes count as models plus schemas",
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        # concern -> (names found, node of the first one), in order of first appearance
        self._found: dict[str, tuple[list[str], cst.CSTNode]] = {}
        self._in_model = 0  # depth of ORM model or mapping classes around the current node
        self._models: set[int] = set()

    def _add(self, concern: str, label: str, node: cst.CSTNode) -> None:
        entry = self._found.get(concern)
        if entry is None:
            self._found[concern] = ([label], node)
        elif label not in entry[0]:
            entry[0].append(label)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Route handlers."""
        if self.ctx.route_of(node) is not None:
            self._add(ROUTES, f"{node.name.value}()", node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """ORM models and Pydantic schemas (not classes local to a function)."""
        ctx = self.ctx
        if ctx.function is not None:
            return
        name = ctx.index.canonical(f"{ctx.summary.module}.{ctx.scope_name()}")
        info = ctx.index.classes.get(name)
        if name in ctx.index.orm_models:
            self._add(MODELS, node.name.value, node.name)
        elif name in ctx.index.schemas:
            self._add(SCHEMAS, node.name.value, node.name)
        if name in ctx.index.orm_models or (
            info is not None and any(b.startswith("sqlalchemy.") for b in info.bases)
        ):  # models and mapping machinery (comparators, type decorators)
            self._in_model += 1
            self._models.add(id(node))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        """Leaving an ORM model."""
        if id(node) in self._models:
            self._in_model -= 1

    def visit_Call(self, node: cst.Call) -> None:
        """Statements built, and data read or written through a session or connection."""
        if QUERIES in self._found or self.ctx.function is None:
            return  # at module or class level, `text("...")` is a default or an index's DDL
        func = node.func
        # An exact type test (a leaf class): isinstance() is slow when it fails, on every call.
        if type(func) is cst.Attribute and func.attr.value in _QUERY_METHODS:
            kind = receiver_kind(self.ctx, func)
            if kind in ("session", "engine", "connection"):
                self._add(QUERIES, f"{func.attr.value}()", node)
                return
        if self._in_model:
            return  # a hybrid property's SQL expression is part of the model's mapping
        name = self.ctx.call_name(node)
        if statement_builder(name):
            self._add(QUERIES, f"{(name or '').rsplit('.', 1)[-1]}()", node)

    def leave_Module(self, node: cst.Module) -> None:
        """Report once, at the first definition of the second concern."""
        if len(self._found) < 2:
            return
        parts = []
        for concern, (labels, _) in self._found.items():
            shown = ", ".join(labels[:_SHOWN]) + (", ..." if len(labels) > _SHOWN else "")
            parts.append(f"{concern} ({shown})")
        mixed = ", ".join(parts[:-1]) + " and " + parts[-1]
        homes = ", ".join(_HOMES[c] for c in self._found)
        second = list(self._found.values())[1][1]
        self.report(second, f"this file mixes {mixed}; give each its own module ({homes})")
