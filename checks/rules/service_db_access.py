"""ARC201 service-db-access."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.names import dotted
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.kinds_common import db_kind, opens_db, receiver_kind, statement_builder

_OPENED = {
    "session": "opens a session",
    "engine": "creates an engine",
    "connection": "opens a database connection",
    "session factory": "creates a session factory",
}


class ServiceDbAccessRule(Rule):
    """Queries, sessions and engines used in the services layer."""

    code = "ARC201"
    name = "service-db-access"
    summary = "service builds queries or uses a session or engine itself"
    rationale = (
        "What it does: reports, in the services layer, a statement built with "
        "`select()`, `insert()`, `update()`, `delete()` or `text()`; a method called on a "
        "session, engine or driver connection (`session.execute()`, `self.session.add()`, "
        "`self.repo.session.commit()`: the receiver's type decides, followed through "
        "attributes and parameters, or an unannotated `db_session`/`session`/`db` "
        "parameter with a method only a session has); and a session or engine opened "
        "there. Calling a "
        "repository's methods (`self.repo.add(user)`) is what a service should do and is "
        "not reported.\n\n"
        "Why it is bad: a service that queries is tied to the schema and to SQLAlchemy, "
        "cannot be unit-tested with a fake repository, and duplicates queries that belong "
        "in one place; a service that commits takes the transaction away from the "
        "request's unit of work."
    )
    fix = (
        "Move the query into a repository method that receives the session, and call that "
        "method from the service. Let the session dependency of the composition root "
        "commit or roll back once per request."
    )
    reference = "reference_app/services/users.py"
    layers = frozenset({"services"})

    VALID = (
        Valid(
            """
            from app.models.user import User
            from app.repositories.users import UserRepository

            class UserService:
                def __init__(self, repo: UserRepository) -> None:
                    self.repo = repo

                async def register(self, email: str) -> User:
                    if await self.repo.get_by_email(email) is not None:
                        raise ValueError(email)
                    user = User(email=email)
                    self.repo.add(user)
                    await self.repo.delete(user.id)
                    return await self.repo.get(user.id)
            """,
            path="app/services/users.py",
            files={
                "app/models/user.py": "class User: ...",
                "app/repositories/users.py": """
                    from sqlalchemy.ext.asyncio import AsyncSession
                    class UserRepository:
                        def __init__(self, session: AsyncSession) -> None:
                            self.session = session
                        def add(self, user) -> None:
                            self.session.add(user)
                """,
            },
            note="add/delete/get on a repository are repository calls, not DB access",
        ),
        Valid(
            """
            from app.repositories.users import UserRepository

            class UserService:
                def __init__(self, session) -> None:
                    self.users = UserRepository(session)

                def names(self, items: list[str]) -> list[str]:
                    found = {}
                    found.update({"a": 1})
                    result = [i for i in items]
                    result.append("x")
                    return sorted(set(result).union({"y"}))
            """,
            path="app/services/users.py",
            files={"app/repositories/users.py": "class UserRepository: ..."},
            note="handing the session on to a repository; set.union and dict.update are not SQL",
        ),
        Valid(
            """
            from app.core.events import select

            def pick(options: list[str]) -> str:
                return select(options)
            """,
            path="app/users/service.py",
            files={"app/core/events.py": "def select(options): ..."},
            note="a project function named select() is not sqlalchemy.select",
        ),
        Valid(
            """
            def fetch_profile(session, user_id: int) -> dict:
                response = session.get(f"https://api.example.com/users/{user_id}")
                session.delete("https://api.example.com/cache")
                return response.json()
            """,
            path="app/services/profiles.py",
            note="an untyped `session` used with get/delete may be an HTTP session: not judged",
        ),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.models.user import User

            class UserService:
                def __init__(self, session: AsyncSession) -> None:
                    self.session = session

                async def get_by_email(self, email: str) -> User | None:
                    result = await self.session.execute(select(User).where(User.email == email))
                    return result.scalar_one_or_none()
            """,
            path="app/services/users.py",
            files={"app/models/user.py": "class User: ..."},
            line=11,
        ),
        Invalid(
            """
            from app.repositories.users import UserRepository

            class UserService:
                def __init__(self, repo: UserRepository) -> None:
                    self.repo = repo

                async def rename(self, user, name: str) -> None:
                    user.name = name
                    await self.repo.session.commit()
            """,
            path="app/services/users.py",
            files={
                "app/repositories/users.py": """
                    from sqlalchemy.ext.asyncio import AsyncSession
                    class UserRepository:
                        def __init__(self, session: AsyncSession) -> None:
                            self.session = session
                """
            },
            line=10,
            note="through an attribute chain: the repository's session",
        ),
        Invalid(
            """
            from sqlmodel import Session, select
            from app.core.db import engine
            from app.orders.models import Order

            def list_orders() -> list[Order]:
                with Session(engine) as session:
                    return list(session.exec(select(Order)))
            """,
            path="app/orders/service.py",
            files={
                "app/core/db.py": "from sqlmodel import create_engine\nengine = create_engine()\n",
                "app/orders/models.py": "class Order: ...",
            },
            line=7,
            note="domain-first: a service module that opens its own session",
        ),
        Invalid(
            """
            from app.incidents.models import Incident

            def get(*, db_session, incident_id: int) -> Incident | None:
                return db_session.query(Incident).filter(Incident.id == incident_id).first()
            """,
            path="app/incidents/service.py",
            files={"app/incidents/models.py": "class Incident: ..."},
            line=5,
            note="an unannotated db_session, with a method only a session has (dispatch)",
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        self._covered: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        """One report per outermost database call (its arguments are part of it)."""
        if id(node) in self._covered:
            return
        message = self._message(node)
        if message is not None:
            self._covered.update(id(n) for n in iter_nodes(node) if isinstance(n, cst.Call))
            self.report(node, f"{message}; move it into a repository method the service calls")

    def _message(self, call: cst.Call) -> str | None:
        ctx = self.ctx
        name = ctx.call_name(call)
        if statement_builder(name):
            return f"the service builds an SQL statement with {dotted(call.func)}()"
        opened = opens_db(name)
        if opened is not None:
            return f"the service {_OPENED[opened]} with {dotted(call.func)}()"
        func = call.func
        if type(func) is cst.Attribute:  # a leaf class: cheaper than isinstance()
            kind = receiver_kind(ctx, func)
            if kind == "session factory" and func.attr.value == "begin":
                return f"the service opens a session with {dotted(func) or 'begin'}()"
            if kind is not None and kind != "session factory":
                shown = dotted(func) or f"...{func.attr.value}"
                return f"the service calls {shown}() on a {kind}"
        if name is not None and db_kind(ctx.type_of(call)) == "session":
            return f"the service opens a session with {dotted(call.func)}()"
        return None
