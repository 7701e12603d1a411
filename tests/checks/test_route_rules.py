"""The route rules (ARC101-ARC104) on small projects, where examples cannot say enough."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.engine import check_project, load_config

WriteProject = Callable[..., Path]  # the `write_project` fixture of conftest.py

# ORM model in models/ re-exported by the package, a schema, a service in services/
# annotated `-> User`, and a dependency alias: the layer-first layout across modules.
PROJECT = {
    "app/models/__init__.py": "from app.models.user import User\n",
    "app/models/base.py": """\
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass
    """,
    "app/models/user.py": """\
        from sqlalchemy.orm import Mapped, mapped_column
        from app.models.base import Base

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            hashed_password: Mapped[str]
    """,
    "app/schemas/user.py": """\
        from pydantic import BaseModel, ConfigDict

        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
    """,
    "app/services/users.py": """\
        from app.models import User
        from app.schemas.user import UserRead

        class UserService:
            async def get(self, user_id: int) -> User: ...
            async def read(self, user_id: int) -> UserRead: ...
    """,
    "app/api/deps.py": """\
        from typing import Annotated
        from fastapi import Depends
        from app.services.users import UserService

        def get_user_service() -> UserService: ...

        UserServiceDep = Annotated[UserService, Depends(get_user_service)]
    """,
}

ROUTE_WITHOUT_SCHEMA = """\
    from fastapi import APIRouter
    from app.api.deps import UserServiceDep

    router = APIRouter()

    @router.get("/users/{user_id}")
    async def read_user(user_id: int, users: UserServiceDep):
        return await users.get(user_id)
"""

ROUTE_THROUGH_SCHEMA = """\
    from fastapi import APIRouter
    from app.api.deps import UserServiceDep
    from app.schemas.user import UserRead

    router = APIRouter()

    @router.get("/users/{user_id}", response_model=UserRead)
    async def read_user(user_id: int, users: UserServiceDep):
        return await users.get(user_id)

    @router.get("/users/{user_id}/read")
    async def read_user_schema(user_id: int, users: UserServiceDep) -> UserRead:
        return await users.read(user_id)
"""


def _config(options: str = "") -> str:
    return '[tool.arch-check]\nroot = "app"\n' + options


def _found(folder: Path, code: str) -> list[tuple[str, int, str]]:
    result = check_project(load_config(folder), select=[code], jobs=1, use_cache=False)
    return [(v.path, v.line, v.message) for v in result.violations if v.code == code]


def test_arc103_follows_the_service_return_type_across_modules(
    tmp_path: Path, write_project: WriteProject
) -> None:
    write_project(tmp_path, {**PROJECT, "app/api/users.py": ROUTE_WITHOUT_SCHEMA}, _config())
    [(path, line, message)] = _found(tmp_path, "ARC103")
    assert (path, line) == ("app/api/users.py", 8)
    assert "`User`" in message and "await users.get(user_id)" in message


def test_arc103_passes_orm_through_a_schema_unless_strict(
    tmp_path: Path, write_project: WriteProject
) -> None:
    files = {**PROJECT, "app/api/users.py": ROUTE_THROUGH_SCHEMA}
    write_project(tmp_path, files, _config())
    assert _found(tmp_path, "ARC103") == []

    write_project(tmp_path, files, _config("[tool.arch-check.rules.ARC103]\nstrict = true\n"))
    found = _found(tmp_path, "ARC103")
    assert [(path, line) for path, line, _ in found] == [("app/api/users.py", 9)]
    assert "through its response schema" in found[0][2]


def test_arc103_strict_reports_an_orm_return_annotation_behind_a_schema(
    tmp_path: Path, write_project: WriteProject
) -> None:
    route = """\
        from fastapi import APIRouter
        from app.models import User
        from app.schemas.user import UserRead

        router = APIRouter()

        @router.get("/me", response_model=UserRead)
        async def read_me() -> User: ...
    """
    strict = _config("[tool.arch-check.rules.ARC103]\nstrict = true\n")
    write_project(tmp_path, {**PROJECT, "app/api/me.py": route}, strict)
    assert [(p, line) for p, line, _ in _found(tmp_path, "ARC103")] == [("app/api/me.py", 8)]


def test_arc103_in_a_domain_first_layout(tmp_path: Path, write_project: WriteProject) -> None:
    files = {
        "app/users/models.py": PROJECT["app/models/user.py"].replace(
            "app.models.base", "app.core.db"
        ),
        "app/core/db.py": PROJECT["app/models/base.py"],
        "app/users/service.py": """\
            from app.users.models import User

            class UserService:
                async def list(self) -> list[User]: ...
        """,
        "app/users/router.py": """\
            from typing import Annotated
            from fastapi import APIRouter, Depends
            from app.users.service import UserService

            router = APIRouter()

            @router.get("/users")
            async def list_users(users: Annotated[UserService, Depends()]):
                found = await users.list()
                return found
        """,
    }
    write_project(tmp_path, files, _config())
    assert [(p, line) for p, line, _ in _found(tmp_path, "ARC103")] == [("app/users/router.py", 10)]


def test_arc101_budget_comes_from_the_config(tmp_path: Path, write_project: WriteProject) -> None:
    route = """\
        from fastapi import APIRouter
        from app.api.deps import UserServiceDep
        from app.schemas.user import UserRead

        router = APIRouter()

        @router.get("/users/{user_id}")
        async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
            \"""One user.\"""
            user = await users.read(user_id)
            await users.touch(user_id)
            return user
    """
    files = {**PROJECT, "app/api/users.py": route}
    write_project(tmp_path, files, _config())
    assert _found(tmp_path, "ARC101") == []
    write_project(tmp_path, files, _config("[tool.arch-check.rules.ARC101]\nmax_statements = 2\n"))
    [(_, line, message)] = _found(tmp_path, "ARC101")
    assert line == 12  # the first statement beyond the budget, the docstring not counted
    assert "3 statements" in message


def test_arc101_reports_each_loop_once_not_what_it_contains(
    tmp_path: Path, write_project: WriteProject
) -> None:
    route = """\
        from fastapi import APIRouter
        from app.api.deps import UserServiceDep

        router = APIRouter()

        @router.post("/users/bulk", status_code=204)
        async def bulk(ids: list[int], users: UserServiceDep) -> None:
            for user_id in ids:
                if user_id % 2:
                    await users.touch(user_id * 10)
    """
    write_project(tmp_path, {**PROJECT, "app/api/users.py": route}, _config())
    assert [line for _, line, _ in _found(tmp_path, "ARC101")] == [8]


def test_arc102_names_the_session_and_the_method(
    tmp_path: Path, write_project: WriteProject
) -> None:
    route = """\
        from typing import Annotated
        from fastapi import APIRouter, Depends
        from sqlalchemy.ext.asyncio import AsyncSession
        from app.core.db import get_session

        router = APIRouter()
        Db = Annotated[AsyncSession, Depends(get_session)]

        @router.delete("/users/{user_id}", status_code=204)
        async def delete_user(user_id: int, db: Db) -> None:
            await db.commit()
    """
    files = {
        "app/core/db.py": "async def get_session(): ...\n",
        "app/api/users.py": route,
    }
    write_project(tmp_path, files, _config())
    [(_, line, message)] = _found(tmp_path, "ARC102")
    assert line == 11
    assert "`db.commit()`" in message and "AsyncSession" in message


def test_arc104_judges_add_api_route_endpoints(tmp_path: Path, write_project: WriteProject) -> None:
    route = """\
        from fastapi import APIRouter

        router = APIRouter()

        async def stats():
            return {"users": 1}

        async def health() -> str:
            return "ok"

        router.add_api_route("/stats", stats, methods=["GET"])
        router.add_api_route("/health", health)
    """
    write_project(tmp_path, {"app/api/stats.py": route}, _config())
    assert [line for _, line, _ in _found(tmp_path, "ARC104")] == [5]


def test_arc103_response_model_none_is_no_schema(
    tmp_path: Path, write_project: WriteProject
) -> None:
    route = """\
        from fastapi import APIRouter
        from app.api.deps import UserServiceDep

        router = APIRouter()

        @router.get("/users/{user_id}", response_model=None)
        async def read_user(user_id: int, users: UserServiceDep):
            user = await users.get(user_id)
            return user
    """
    write_project(tmp_path, {**PROJECT, "app/api/users.py": route}, _config())
    assert [line for _, line, _ in _found(tmp_path, "ARC103")] == [9]
    assert _found(tmp_path, "ARC104") == []  # response_model=None is a deliberate choice
