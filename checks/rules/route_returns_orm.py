"""ARC103 route-returns-orm: a route that sends ORM objects out as its response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from checks.rules.base import Invalid, Rule, Valid
from checks.rules.route_common import (
    declares_schema,
    is_response_class,
    quoted,
    returned_values,
    route_keyword,
    short,
)

_MAX_SHOWN = 40  # characters of a returned expression quoted in a message

# The project around the examples: an ORM model re-exported by its package, a schema.
_PROJECT = {
    "app/models/__init__.py": "from app.models.user import User\n",
    "app/models/base.py": """
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass
    """,
    "app/models/user.py": """
        from sqlalchemy.orm import Mapped, mapped_column
        from app.models.base import Base

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str]
            hashed_password: Mapped[str]
    """,
    "app/schemas/user.py": """
        from pydantic import BaseModel, ConfigDict

        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
            email: str
    """,
    "app/services/users.py": """
        from app.models import User
        from app.schemas.user import UserRead

        class UserService:
            async def get(self, user_id: int) -> User: ...
            async def list(self) -> list[User]: ...
            async def read(self, user_id: int) -> UserRead: ...
    """,
    "app/api/deps.py": """
        from typing import Annotated
        from fastapi import Depends
        from app.models import User
        from app.services.users import UserService

        def get_user_service() -> UserService: ...
        async def get_current_user() -> User: ...

        UserServiceDep = Annotated[UserService, Depends(get_user_service)]
        CurrentUser = Annotated[User, Depends(get_current_user)]
    """,
}


class RouteReturnsOrmRule(Rule):
    """Flags ORM models declared as, or returned without, a route's response schema."""

    code = "ARC103"
    name = "route-returns-orm"
    summary = "A route's response is an ORM model instead of a response schema"
    rationale = (
        "What it does: reports a route whose effective response model (`response_model=`, "
        "else the return annotation) is an ORM model or a container of one (`User`, "
        "`list[User]`, `Optional[User]`, `Page[User]`), and a route with no response schema "
        "that returns an ORM object: the returned expression's type is inferred across "
        "modules, so `return await service.get(user_id)` is reported when `get` is annotated "
        "`-> User` in the services layer. ORM models are recognised project-wide "
        "(DeclarativeBase subclasses, `declarative_base()` results, `__tablename__`, SQLModel "
        "`table=True`). With the option `strict = true` it also reports ORM objects returned "
        "through a schema `response_model`, where FastAPI does filter the fields.\n\n"
        "Why it is bad: without a schema every column goes out, password hashes and internal "
        "flags included, and the API's contract changes with every migration (a SQLModel "
        "table model as response model sends all its fields; FastAPI refuses a plain "
        "SQLAlchemy class there at startup, or serialises its attributes when "
        "`response_model=None` or `Any` lets it through); lazy "
        "relationships load (or fail) while the response is being serialised, after the "
        "session may be closed. Even through a schema, handing ORM objects to the HTTP layer "
        "ties it to the tables, which is what `strict` is for."
    )
    fix = (
        "Declare a Pydantic response schema (`class UserRead(BaseModel)` with "
        "`model_config = ConfigDict(from_attributes=True)`) as the return annotation, and "
        "convert in the service (`return UserRead.model_validate(user)`), so the handler "
        "only ever sees schemas."
    )
    reference = "reference_app/services/users.py"
    default_options: ClassVar[Mapping[str, object]] = {"strict": False}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Judge each route handler's declared response model, then what it returns."""
        route = self.ctx.route_of(node)
        if route is None or route.methods == ("WEBSOCKET",):
            return
        handler = node.name.value
        index = self.ctx.index
        model_arg = route_keyword(node, "response_model")
        annotation = node.returns.annotation if node.returns is not None else None
        if route.response_model is not None:
            declared, source, where = route.response_model, "response_model", model_arg
        elif route.response_model_none:
            declared, source, where = (), "", None
        else:
            declared, source, where = route.returns, "return annotation", annotation
        orm = sorted({short(n) for n in declared if index.is_orm(n)})
        if orm:
            self.report(
                where if where is not None else node.name,
                f"route `{handler}` declares the ORM model `{orm[0]}` as its {source}: the "
                "table becomes the API contract; declare a response schema instead",
            )
            return
        if route.has_response_class or any(is_response_class(self.ctx, n) for n in declared):
            return
        schema = declares_schema(self.ctx, declared)
        if schema and not self.options.get("strict", False):
            return
        if schema and annotation is not None and source == "response_model":
            returned = sorted({short(n) for n in route.returns if index.is_orm(n)})
            if returned:
                self.report(
                    annotation,
                    f"route `{handler}` is annotated to return the ORM model `{returned[0]}` "
                    "through its response schema; return the schema itself (strict)",
                )
                return
        for value in returned_values(node):
            found = sorted({short(n) for n in self.ctx.type_of(value) if index.is_orm(n)})
            if not found:
                continue
            shown = self._shown(value)
            if schema:
                message = (
                    f"route `{handler}` returns `{shown}`, an ORM `{found[0]}` object, through "
                    f"its response schema; convert it in the service (strict)"
                )
            else:
                message = (
                    f"route `{handler}` returns `{shown}`, an ORM `{found[0]}` object, with no "
                    "response schema: every column is serialised"
                )
            self.report(value, message)

    def _shown(self, node: cst.CSTNode) -> str:
        return quoted(self.ctx, node, _MAX_SHOWN)

    VALID = (
        Valid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
                return await users.read(user_id)
            """,
            files=_PROJECT,
            options={"strict": True},
            note="the reference app's way: the service returns the schema (passes strict)",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserRead)
            async def read_user(user_id: int, users: UserServiceDep):
                return await users.get(user_id)
            """,
            files=_PROJECT,
            note="an ORM object filtered through a schema response_model passes unless strict",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users")
            async def list_users(users: UserServiceDep) -> list[UserRead]:
                found = await users.list()
                return [UserRead.model_validate(user) for user in found]
            """,
            files=_PROJECT,
            options={"strict": True},
            note="converting ORM results to the schema in the handler returns schemas",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from app.schemas.user import User

            router = APIRouter()

            @router.get("/me")
            async def read_me() -> User:
                return User(id=1, email="me@example.com")
            """,
            files={
                "app/schemas/user.py": """
                    from pydantic import BaseModel

                    class User(BaseModel):
                        id: int
                        email: str
                """,
                "app/models/user.py": """
                    from sqlalchemy.orm import DeclarativeBase

                    class Base(DeclarativeBase):
                        pass

                    class User(Base):
                        __tablename__ = "users"
                """,
            },
            note="a Pydantic schema named like an ORM model: names are resolved, not matched",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from sqlmodel import Session
            from app.models import Hero, HeroPublic

            router = APIRouter()

            @router.get("/heroes/{hero_id}", response_model=HeroPublic)
            def read_hero(hero_id: int, session: Session):
                return session.get(Hero, hero_id)
            """,
            files={
                "app/models.py": """
                    from sqlmodel import Field, SQLModel

                    class HeroBase(SQLModel):
                        name: str

                    class Hero(HeroBase, table=True):
                        id: int | None = Field(default=None, primary_key=True)
                        secret_name: str

                    class HeroPublic(HeroBase):
                        id: int
                """,
            },
            note="a SQLModel class without table=True is a schema, not an ORM model",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi.responses import JSONResponse
            from app.api.deps import CurrentUser

            router = APIRouter()

            @router.get("/me/export", response_class=JSONResponse)
            async def export_me(me: CurrentUser) -> JSONResponse:
                return JSONResponse({"id": me.id, "email": me.email})
            """,
            files=_PROJECT,
            note="a route that builds its own Response chooses what goes out",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.models.user import User

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=User)
            async def read_user(user_id: int, users: UserServiceDep):
                return await users.get(user_id)
            """,
            files=_PROJECT,
            line=8,
            note="the ORM model itself as response_model",
        ),
        Invalid(
            """
            from typing import Optional
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.models import User

            router = APIRouter()

            @router.get("/users")
            async def list_users(users: UserServiceDep) -> Optional[list[User]]:
                return await users.list()
            """,
            files=_PROJECT,
            line=10,
            note="a container of the ORM model as the return annotation",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, users: UserServiceDep):
                return await users.get(user_id)
            """,
            files=_PROJECT,
            line=9,
            note="no response schema; the service, in another module, is annotated `-> User`",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.models import User

            router = APIRouter()

            @router.post("/users", status_code=201)
            async def create_user(email: str):
                user = User(email=email)
                return user
            """,
            files=_PROJECT,
            line=10,
            note="an ORM object built in the handler and returned without a schema",
        ),
        Invalid(
            """
            from typing import Any
            from fastapi import APIRouter
            from sqlalchemy.orm import Session
            from app.models import User

            router = APIRouter()

            @router.get("/users/{user_id}")
            def read_user(user_id: int, session: Session) -> Any:
                return session.get(User, user_id)
            """,
            files=_PROJECT,
            line=11,
            note="`session.get(User, ...)` returns a User; `-> Any` is no schema",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import CurrentUser
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/me", response_model=UserRead)
            async def read_me(me: CurrentUser):
                return me
            """,
            files=_PROJECT,
            options={"strict": True},
            line=10,
            note="strict: the ORM user of a dependency returned through a schema",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.models import Hero

            router = APIRouter()

            @router.post("/heroes/", response_model=Hero)
            def create_hero(hero: Hero) -> Hero:
                return hero
            """,
            files={
                "app/models.py": """
                    from sqlmodel import Field, SQLModel

                    class Hero(SQLModel, table=True):
                        id: int | None = Field(default=None, primary_key=True)
                        secret_name: str
                """,
            },
            line=7,
            note="a SQLModel table model as the response model",
        ),
    )
