"""ARC105 route-constructs-dependency."""

from __future__ import annotations

import libcst as cst

from checks.analysis.index import ProjectIndex
from checks.analysis.names import dotted
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.kinds_common import component_kind, db_kind, opens_db

_OPENED = {
    "session": "opens a session",
    "engine": "creates an engine",
    "connection": "opens a database connection",
    "session factory": "creates a session factory",
}


class RouteConstructsDependencyRule(Rule):
    """A route handler that builds its own service, repository, session or engine."""

    code = "ARC105"
    name = "route-constructs-dependency"
    summary = "route handler constructs a service, repository, session or engine itself"
    rationale = (
        "A handler that writes `UserService(UserRepository(SessionLocal()))`, or calls "
        "`UserService.create(data)` on the class, wires its own dependencies: every "
        "request gets objects the app cannot configure, a session outside the request's "
        "unit of work that nobody closes or rolls back, and tests cannot swap in a fake "
        "through `app.dependency_overrides`. The handler also learns how services are "
        "built, which is the composition root's job."
    )
    fix = (
        "Declare the dependency as a parameter, `users: Annotated[UserService, "
        "Depends(get_user_service)]`, and build it in a provider of the composition root "
        "(`api/dependencies.py`) from the request's session; call methods on the instance "
        "FastAPI passes in."
    )
    reference = "reference_app/api/dependencies.py"
    layers = None

    VALID = (
        Valid(
            """
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from app.services.users import UserService
            from app.api.dependencies import get_user_service

            router = APIRouter()

            @router.post("/users")
            async def create_user(
                data: dict, users: Annotated[UserService, Depends(get_user_service)]
            ):
                return await users.create(data)
            """,
            files={
                "app/services/users.py": """
                    class UserService:
                        def __init__(self, repo):
                            self.repo = repo
                        async def create(self, data): ...
                """,
                "app/api/dependencies.py": "def get_user_service(): ...",
            },
            note="the service comes in through Depends(); calling its method is the point",
        ),
        Valid(
            """
            from fastapi import Depends
            from app.db import SessionLocal
            from app.services.users import UserService
            from app.repositories.users import UserRepository

            def get_db():
                db = SessionLocal()
                try:
                    yield db
                finally:
                    db.close()

            def get_user_service(db=Depends(get_db)) -> UserService:
                return UserService(UserRepository(db))
            """,
            path="app/api/dependencies.py",
            files={
                "app/db.py": (
                    "from sqlalchemy.orm import sessionmaker\nSessionLocal = sessionmaker()\n"
                ),
                "app/services/users.py": "class UserService:\n    def create(self): ...\n",
                "app/repositories/users.py": "class UserRepository:\n    def add(self): ...\n",
            },
            note="dependency providers build the graph; they are not handler code",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.services.errors import UserNotFound
            from app.services.commands import CreateUser
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.post("/users")
            async def create_user(data: dict, users=None):
                command = CreateUser(email=data["email"])
                if command is None:
                    raise UserNotFound("x")
                return UserRead(id=1)
            """,
            files={
                "app/services/errors.py": "class UserNotFound(Exception):\n    pass\n",
                "app/services/commands.py": (
                    "from dataclasses import dataclass\n"
                    "@dataclass\nclass CreateUser:\n    email: str\n"
                ),
                "app/schemas/user.py": (
                    "from pydantic import BaseModel\nclass UserRead(BaseModel):\n    id: int\n"
                ),
            },
            note="exceptions, commands and schemas defined in the services layer are not services",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi.responses import JSONResponse
            from app.core.cache import LocalCache

            router = APIRouter()

            @router.get("/health")
            def health():
                LocalCache().clear()
                return JSONResponse({"ok": True})
            """,
            files={"app/core/cache.py": "class LocalCache:\n    def clear(self): ...\n"},
            note="a core helper is neither a service nor a repository",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.services.paging import Page

            router = APIRouter()

            @router.get("/items")
            async def list_items(number: int = 1, items=None):
                return await items.list(Page(number, 20))
            """,
            files={
                "app/services/paging.py": """
                    class Page:
                        def __init__(self, number: int, size: int) -> None:
                            self.number = number
                            self.size = size

                        def offset(self) -> int:
                            return (self.number - 1) * self.size
                """
            },
            note="a value object of the services layer holds no session or repository",
        ),
        Valid(
            """
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from app.api.dependencies import get_order_service
            from app.services.orders import OrderService, OrderUpdate

            router = APIRouter()

            @router.post("/orders/{order_id}/cancel")
            async def cancel(
                order_id: int, orders: Annotated[OrderService, Depends(get_order_service)]
            ) -> None:
                order = await orders.get(order_id)
                async with OrderUpdate(orders.session, order) as update:
                    await orders.cancel(update)
            """,
            files={
                "app/api/dependencies.py": "def get_order_service(): ...",
                "app/services/orders.py": """
                    from sqlalchemy.ext.asyncio import AsyncSession

                    class OrderService:
                        session: AsyncSession

                        async def get(self, order_id: int): ...

                        async def cancel(self, update): ...

                    class OrderUpdate:
                        def __init__(self, session: AsyncSession, order) -> None:
                            self.session = session
                            self.order = order

                        def record(self, event: str) -> None: ...

                        async def __aenter__(self): ...

                        async def __aexit__(self, *exc) -> None: ...
                """,
            },
            note="a per-operation scope opened with `async with` (polar's update contexts)",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.services.scores import ScoreService

            router = APIRouter()

            @router.get("/score")
            async def score(a: int, b: int) -> int:
                return ScoreService.combine(a, b)
            """,
            files={
                "app/services/scores.py": """
                    class ScoreService:
                        @staticmethod
                        def combine(a: int, b: int) -> int:
                            return a + b
                """
            },
            note="a static method is meant to be called on the class",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter
            from app.schemas.user import UserCreate, UserResponse
            from app.services.user_service import UserService

            router = APIRouter(prefix="/users", tags=["users"])

            @router.post("/", response_model=UserResponse, status_code=201)
            async def create_user(user: UserCreate):
                new_user = await UserService.create(user)
                return new_user
            """,
            path="app/api/v1/users/router.py",
            files={
                "app/services/user_service.py": """
                    class UserService:
                        def __init__(self, user_repo):
                            self.user_repo = user_repo
                        async def create(self, user_data: dict): ...
                """,
                "app/schemas/user.py": "",
            },
            line=10,
            note="the seed's router: an instance method called on the class",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.db import SessionLocal
            from app.services.users import UserService
            from app.repositories.users import UserRepository

            router = APIRouter()

            @router.get("/users/{user_id}")
            def read_user(user_id: int):
                db = SessionLocal()
                service = UserService(UserRepository(db))
                return service.get(user_id)
            """,
            files={
                "app/db.py": (
                    "from sqlalchemy.orm import sessionmaker\nSessionLocal = sessionmaker()\n"
                ),
                "app/services/users.py": "class UserService:\n    def get(self, id): ...\n",
                "app/repositories/users.py": "class UserRepository:\n    def get(self, i): ...\n",
            },
            line=11,
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from sqlalchemy.ext.asyncio import AsyncSession
            from app.core.database import engine

            router = APIRouter()

            @router.get("/items")
            async def list_items():
                async with AsyncSession(engine) as session:
                    return []
            """,
            files={"app/core/database.py": "engine = None\n"},
            line=10,
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.orders.repository import OrderRepo

            router = APIRouter()

            @router.delete("/orders/{order_id}", status_code=204)
            async def delete_order(order_id: int):
                await OrderRepo().delete(order_id)
            """,
            path="app/orders/router.py",
            files={
                "app/orders/repository.py": "class OrderRepo:\n    async def delete(self, i): ...\n"
            },
            line=9,
            note="domain-first layout",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.db import Session
            from app.repositories.orders import OrderRepository

            router = APIRouter()

            @router.get("/orders")
            async def list_orders(session: Session):
                orders = OrderRepository.from_session(session)
                return await orders.list()
            """,
            files={
                "app/db.py": "Session = None\n",
                "app/repositories/orders.py": """
                    class OrderRepository:
                        def __init__(self, session) -> None:
                            self.session = session

                        @classmethod
                        def from_session(cls, session) -> "OrderRepository":
                            return cls(session)

                        async def list(self): ...
                """,
            },
            line=10,
            note="a classmethod factory builds the repository in the handler (polar)",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Check the body of each route handler (not its parameters or decorators)."""
        if self.ctx.route_of(node) is None:
            return
        covered: set[int] = set()
        # `async with SubscriptionUpdateContext(session, subscription) as ctx:` (polar)
        # opens a scope for one operation around per-call state, not a component. A
        # WithItem comes before its item in source order, so one pass finds both.
        scopes: set[int] = set()
        for inner in self.ctx.body_nodes(node):
            kind = type(inner)  # exact types: both are leaf classes, and isinstance is slow
            if kind is cst.WithItem:
                if type(inner.item) is cst.Call:
                    scopes.add(id(inner.item))
            elif (
                kind is cst.Call
                and id(inner) not in covered
                and self._check(inner, in_with=id(inner) in scopes)
            ):
                covered.update(id(n) for n in iter_nodes(inner))

    def _check(self, call: cst.Call, in_with: bool = False) -> bool:
        ctx = self.ctx
        name = ctx.call_name(call)
        kind = None if in_with else component_kind(ctx.index, name)
        if kind is not None and name is not None:
            short = name.rsplit(".", 1)[-1]
            self.report(
                call,
                f"the handler constructs the {kind} {short}() itself; receive it through "
                "Depends() from a provider",
            )
            return True
        opened = opens_db(name)
        if opened is None and db_kind(ctx.type_of(call)) == "session" and name is not None:
            opened = "session"  # `SessionLocal()` where SessionLocal is a sessionmaker
        if opened is not None and name is not None:
            self.report(
                call,
                f"the handler {_OPENED[opened]} with {dotted(call.func) or name}(); "
                "receive it through Depends() so the request owns its lifetime",
            )
            return True
        func = call.func
        if (
            type(func) is cst.Attribute  # a leaf class: cheaper than isinstance()
            and func.attr.value == "begin"
            and db_kind(ctx.type_of(func.value)) == "session factory"
        ):
            self.report(
                call,
                f"the handler opens a session with {dotted(func)}(); receive it through "
                "Depends() so the request owns its lifetime",
            )
            return True
        if type(func) is cst.Attribute:
            owner = ctx.qualify(func.value)
            kind = component_kind(ctx.index, owner)
            if kind is not None and owner is not None:
                short, method = owner.rsplit(".", 1)[-1], func.attr.value
                made = _method_kind(ctx.index, ctx.index.canonical(owner), method)
                if made == "staticmethod":
                    return False  # a pure helper needs no instance
                what = (
                    f"builds the {kind} with {short}.{method}() instead of receiving it"
                    if made == "classmethod"
                    else f"calls {short}.{method}() on the {kind} class instead of on an "
                    "instance received"
                )
                self.report(call, f"the handler {what} through Depends()")
                return True
        return False


def _method_kind(index: ProjectIndex, owner: str, method: str) -> str | None:
    """How the class (or a project base) declares `method`: staticmethod, classmethod, None."""
    for ancestor in index.ancestors(owner):
        info = index.classes.get(ancestor)
        if info is not None and method in info.method_kinds:
            return info.method_kinds[method]
    return None
