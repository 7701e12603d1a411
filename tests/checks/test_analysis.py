"""The analysis layer: summaries, the project index and type inference, on small projects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from checks.analysis.context import ModuleContext
from checks.analysis.index import ProjectIndex
from checks.analysis.parse import ParsedFile, parse_file


def parse(files: dict[str, str]) -> tuple[dict[str, ParsedFile], ProjectIndex]:
    """Parse a project given as {"app/x.py": source}; modules are named from their paths."""
    parsed = {}
    for path, source in files.items():
        is_package = path.endswith("__init__.py")
        module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        code = textwrap.dedent(source).encode()
        parsed[path] = parse_file(code, path, module, None, is_package)
    return parsed, ProjectIndex.build(p.summary for p in parsed.values())


def context(parsed: ParsedFile, index: ProjectIndex) -> ModuleContext:
    assert parsed.tree is not None and parsed.summarizer is not None
    return ModuleContext(parsed.tree, parsed.summary, index, parsed.summarizer)


def function(parsed: ParsedFile, name: str) -> cst.FunctionDef:
    assert parsed.tree is not None
    for node in parsed.tree.body:
        if isinstance(node, cst.FunctionDef) and node.name.value == name:
            return node
    raise AssertionError(name)


MODELS = {
    "app/__init__.py": "",
    "app/models/__init__.py": "from .user import User\nfrom .base import Base\n",
    "app/models/base.py": """
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass

        class TimestampMixin(Base):
            __abstract__ = True
    """,
    "app/models/user.py": """
        from sqlalchemy.orm import Mapped, mapped_column
        from .base import TimestampMixin

        class User(TimestampMixin):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)

        class Admin(User):
            level: Mapped[int]
    """,
    "app/schemas/user.py": """
        from pydantic import BaseModel

        class UserBase(BaseModel):
            email: str

        class UserRead(UserBase):
            id: int
    """,
}


def test_orm_models_follow_project_bases_and_skip_bases_and_abstract_classes():
    _, index = parse(MODELS)
    assert index.orm_models == {"app.models.user.User", "app.models.user.Admin"}
    assert "app.models.base.Base" in index.orm_bases
    assert not index.is_orm("app.models.base.TimestampMixin")
    assert index.schemas == {"app.schemas.user.UserBase", "app.schemas.user.UserRead"}


def test_re_exports_resolve_to_the_defining_module():
    _, index = parse(MODELS)
    assert index.canonical("app.models.User") == "app.models.user.User"
    assert index.is_orm("app.models.User")


def test_declarative_base_results_and_tablename_and_sqlmodel_tables():
    _, index = parse(
        {
            "app/db.py": """
                from sqlalchemy.ext.declarative import declarative_base
                from sqlmodel import SQLModel, Field

                Base = declarative_base()

                class Item(Base):
                    __tablename__ = "items"

                class Loose:
                    __tablename__ = "loose"

                class HeroBase(SQLModel):
                    name: str

                class Hero(HeroBase, table=True):
                    id: int | None = Field(default=None, primary_key=True)
            """,
        }
    )
    assert index.orm_models == {"app.db.Item", "app.db.Loose", "app.db.Hero"}
    assert "app.db.HeroBase" in index.schemas
    assert "app.db.Hero" not in index.schemas


def test_routes_on_module_routers_and_on_an_app_made_in_a_factory():
    parsed, index = parse(
        {
            "app/api/users.py": """
                from fastapi import APIRouter, status
                from app.schemas.user import UserRead

                router = APIRouter(prefix="/users")

                @router.get("/{user_id}", response_model=UserRead)
                async def read_user(user_id: int): ...

                @router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
                async def delete_user(user_id: int) -> None: ...
            """,
            "app/main.py": """
                from fastapi import FastAPI
                from app.api import users

                def create_app() -> FastAPI:
                    app = FastAPI()
                    app.include_router(users.router, prefix="/api/v1")

                    @app.get("/health")
                    async def health() -> dict[str, str]: ...

                    return app

                app = create_app()
            """,
            **{k: v for k, v in MODELS.items() if k.startswith("app/schemas")},
        }
    )
    routes = {(s.module, r.function): r for s, r in index.routes()}
    assert set(routes) == {
        ("app.api.users", "read_user"),
        ("app.api.users", "delete_user"),
        ("app.main", "create_app.health"),
    }
    assert routes[("app.api.users", "read_user")].response_model == ("app.schemas.user.UserRead",)
    assert routes[("app.api.users", "delete_user")].status_code == 204
    include = parsed["app/main.py"].summary.includes[0]
    assert (include.parent, include.child, include.prefix) == (
        "app.main.create_app.app",
        "app.api.users.router",
        "/api/v1",
    )
    assert include.position.line == 7  # the dedented source starts with a blank line
    assert index.is_router("app.main.app")  # create_app() is annotated -> FastAPI


def test_decorators_of_objects_that_are_not_routers_are_not_routes():
    _, index = parse(
        {
            "app/cache.py": """
                from app.lib import cache

                @cache.get("/key")
                def cached(): ...
            """,
        }
    )
    assert index.routes() == []


def test_types_flow_through_depends_annotated_aliases_and_declared_returns():
    parsed, index = parse(
        {
            **MODELS,
            "app/core/db.py": """
                from collections.abc import AsyncIterator
                from typing import Annotated
                from fastapi import Depends
                from sqlalchemy.ext.asyncio import AsyncSession

                async def get_session() -> AsyncIterator[AsyncSession]:
                    yield ...

                SessionDep = Annotated[AsyncSession, Depends(get_session)]
            """,
            "app/services/users.py": """
                from app.models import User

                class UserService:
                    def __init__(self, repo: "UserRepository") -> None:
                        self.repo = repo

                    async def get(self, user_id: int) -> User | None: ...
            """,
            "app/api/users.py": """
                from fastapi import Depends
                from app.core.db import SessionDep, get_session
                from app.services.users import UserService

                def get_service(db: SessionDep) -> UserService: ...

                async def handler(
                    db: SessionDep,
                    raw=Depends(get_session),
                    service: UserService = Depends(get_service),
                ):
                    user = await service.get(1)
                    return user
            """,
        }
    )
    api = parsed["app/api/users.py"]
    ctx = context(api, index)
    handler = function(api, "handler")
    ctx.enter(handler)
    db, raw, service = handler.params.params
    assert ctx.param_type(db) == {"sqlalchemy.ext.asyncio.AsyncSession"}
    assert ctx.param_type(raw) == {"sqlalchemy.ext.asyncio.AsyncSession"}
    assert ctx.param_type(service) == {"app.services.users.UserService"}
    assert all(ctx.is_dependency(p) for p in (db, raw, service))
    assert "app.models.user.User" in ctx.type_of(cst.parse_expression("user"))
    assert "app.models.user.User" in ctx.type_of(cst.parse_expression("await service.get(1)"))


def test_fingerprint_ignores_bodies_and_positions_but_not_declarations():
    base = {**MODELS}
    _, index = parse(base)
    moved_down = "\n\n# moved down\n" + textwrap.dedent(base["app/models/user.py"])
    edited = {**base, "app/models/user.py": moved_down}
    _, moved = parse(edited)
    assert moved.fingerprint() == index.fingerprint()
    schemas = textwrap.dedent(base["app/schemas/user.py"])
    grown = {**base, "app/schemas/user.py": schemas + "\nclass UserOut(UserBase):\n    pass\n"}
    _, changed = parse(grown)
    assert changed.fingerprint() != index.fingerprint()


def test_a_file_that_does_not_parse_is_reported_not_raised():
    parsed, index = parse({"app/broken.py": "x = 1\ny = (\n"})
    summary = parsed["app/broken.py"].summary
    assert summary.syntax_error is not None
    message, line, column = summary.syntax_error
    assert line >= 2 and column >= 1 and message
    assert parsed["app/broken.py"].tree is None
    assert index.routes() == []


def test_route_info_records_async_handlers():
    parsed, index = parse(
        {
            "app/api/items.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.get("/a")
                async def a() -> None: ...

                @router.get("/b")
                def b() -> None: ...
            """
        }
    )
    routes = {r.function: r.is_async for r in parsed["app/api/items.py"].summary.routes}
    assert routes == {"a": True, "b": False}
    assert index.module_of("app.api.items.router").module == "app.api.items"


def test_calling_a_session_factory_instance_gives_a_session():
    parsed, index = parse(
        {
            "app/db.py": """
                from sqlalchemy.ext.asyncio import AsyncSession
                from sqlalchemy.orm import sessionmaker
                SessionLocal = sessionmaker(bind=None)
                AsyncLocal = sessionmaker(bind=None, class_=AsyncSession)

                def use():
                    sync = SessionLocal()
                    other = AsyncLocal()
            """
        }
    )
    ctx = context(parsed["app/db.py"], index)
    use = function(parsed["app/db.py"], "use")
    ctx.enter(use)
    sync, other = (s.body[0].value for s in use.body.body)
    assert ctx.type_of(sync) == {"sqlalchemy.orm.Session"}
    assert ctx.type_of(other) == {"sqlalchemy.ext.asyncio.AsyncSession"}


def test_positions_come_from_the_source_in_its_declared_encoding() -> None:
    """parse_file decodes the bytes itself (no codegen); a coding cookie must be honoured."""
    source = "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n\nclass User:\n    pass\n"
    parsed = parse_file(source.encode("latin-1"), "app/m.py", "app.m", None, False)
    assert parsed.tree is not None
    (info,) = parsed.summary.classes
    assert info.position.line == 4


def test_routes_in_a_module_match_the_project_routes() -> None:
    """ModuleContext reads its routes per module, not by scanning every module per file."""
    _, index = parse(
        {
            "app/__init__.py": "",
            "app/api/users.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.get("/users")
                def list_users():
                    return []
            """,
            "app/api/items.py": "x = 1\n",
        }
    )
    assert [r.function for r in index.routes_in("app.api.users")] == ["list_users"]
    assert index.routes_in("app.api.items") == []
    assert [(s.module, r.function) for s, r in index.routes()] == [("app.api.users", "list_users")]


def test_local_types_are_found_in_match_cases():
    parsed, index = parse(
        {
            "app/db.py": """
                from sqlalchemy.orm import Session

                def use(kind: str):
                    match kind:
                        case "a":
                            db = Session()
                        case _:
                            pass
            """
        }
    )
    ctx = context(parsed["app/db.py"], index)
    ctx.enter(function(parsed["app/db.py"], "use"))
    assert ctx.type_of(cst.parse_expression("db")) == {"sqlalchemy.orm.Session"}


def test_response_models_collects_response_model_and_return_annotations():
    _parsed, index = parse(
        {
            "app/schemas/user.py": """
                from pydantic import BaseModel

                class UserRead(BaseModel):
                    id: int

                class Page(BaseModel):
                    total: int
            """,
            "app/api/users.py": """
                from fastapi import APIRouter
                from app.schemas.user import Page, UserRead

                router = APIRouter()

                @router.get("/users/{user_id}", response_model=UserRead)
                def get_user(user_id: int):
                    ...

                @router.get("/users")
                def list_users() -> Page:
                    ...
            """,
        }
    )
    assert {"app.schemas.user.UserRead", "app.schemas.user.Page"} <= index.response_models


def test_router_settings_come_from_the_router_its_includes_and_the_apps_above():
    _parsed, index = parse(
        {
            "app/backoffice/views.py": """
                from fastapi import APIRouter

                router = APIRouter()
                hidden = APIRouter()
                plain = APIRouter()
            """,
            "app/backoffice/__init__.py": """
                from fastapi import FastAPI
                from fastapi.responses import HTMLResponse
                from .views import hidden, router

                office = FastAPI(default_response_class=HTMLResponse)
                office.include_router(router, prefix="/users")
                office.include_router(hidden, include_in_schema=False)
            """,
            "app/main.py": """
                from fastapi import FastAPI
                from fastapi.responses import ORJSONResponse
                from app.backoffice.views import plain

                app = FastAPI(default_response_class=ORJSONResponse)
                app.include_router(plain)
            """,
        }
    )
    html = "fastapi.responses.HTMLResponse"
    assert index.router_settings("app.backoffice.views.router") == (html, False)
    assert index.router_settings("app.backoffice.views.hidden") == (html, True)
    assert index.router_settings("app.backoffice.views.plain") == (
        "fastapi.responses.ORJSONResponse",
        False,
    )
    assert index.router_settings(None) == (None, False)


def test_a_router_class_made_by_a_factory_makes_routers():
    _parsed, index = parse(
        {
            "app/routing.py": """
                from fastapi import APIRouter as _APIRouter

                def get_api_router_class(route_class: type) -> type[_APIRouter]:
                    ...

                APIRouter = get_api_router_class(object)
            """,
            "app/api/users.py": """
                from app.routing import APIRouter

                router = APIRouter(prefix="/users")

                @router.get("/")
                def list_users():
                    return []
            """,
        }
    )
    assert [(s.module, r.function) for s, r in index.routes()] == [("app.api.users", "list_users")]


def test_session_get_returns_an_instance_of_the_model_it_names():
    parsed, index = parse(
        {
            **MODELS,
            "app/api/users.py": """
                from sqlalchemy.orm import Session
                from app.models import User

                def handler(db: Session, other):
                    user = db.get(User, 1)
                    return user
            """,
        }
    )
    api = parsed["app/api/users.py"]
    ctx = context(api, index)
    ctx.enter(function(api, "handler"))
    assert ctx.type_of(cst.parse_expression("user")) == {"app.models.user.User"}
    assert ctx.type_of(cst.parse_expression("db.get_one(User, 1)")) == {"app.models.user.User"}
    assert ctx.type_of(cst.parse_expression("other.get(User, 1)")) == frozenset()


def test_report_positions_match_libcsts_metadata_wrapper() -> None:
    """rules.run generates code only for the statements holding findings; same ranges."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    from checks.analysis.walk import iter_nodes
    from checks.rules.run import _positions

    source = textwrap.dedent(
        """\
        # a header comment
        import os

        def twin():
            return 1

        def twin():
            return 1

        @router.get("/users/{id}")
        async def read(id: int, db=Depends(get_db)):
            rows = [r for r in await db.execute(text(f"SELECT {id}")) if r]
            return {"rows": rows, "n": len(rows) * 2}
        """
    )
    tree = cst.parse_module(source)
    expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    read, twin = tree.body[-1], tree.body[-2]
    deep = [n for n in iter_nodes(read) if isinstance(n, (cst.Call, cst.BinaryOperation))]
    found = _positions(tree, source, deep)
    assert deep and all(found[n] == expected[n] for n in deep)
    # An identical statement elsewhere makes the text ambiguous: the whole module is used.
    twin_nodes = list(iter_nodes(twin))
    assert all(_positions(tree, source, twin_nodes)[n] == expected[n] for n in twin_nodes)


def test_newtype_aliases_expand_to_their_base_through_re_exports():
    parsed, index = parse(
        {
            "app/db.py": """
                from typing import NewType
                from sqlalchemy.ext.asyncio import AsyncSession as _AsyncSession
                ReadSession = NewType("ReadSession", _AsyncSession)
                AsyncSession = NewType("AsyncSession", ReadSession)
            """,
            "app/services/users.py": """
                from app.db import AsyncSession

                async def rename(session: AsyncSession) -> None: ...
            """,
        }
    )
    ctx = context(parsed["app/services/users.py"], index)
    rename = function(parsed["app/services/users.py"], "rename")
    assert ctx.param_type(rename.params.params[0]) == {"sqlalchemy.ext.asyncio.AsyncSession"}


def test_static_and_class_methods_are_recorded():
    _, index = parse(
        {
            "app/services/users.py": """
                class UserService:
                    @staticmethod
                    def score(a: int) -> int: ...

                    @classmethod
                    def build(cls) -> "UserService": ...

                    def get(self) -> None: ...
            """
        }
    )
    info = index.classes["app.services.users.UserService"]
    assert info.method_kinds == {"score": "staticmethod", "build": "classmethod"}


def test_router_prefix_is_none_when_not_a_literal():
    parsed, _ = parse(
        {
            "app/api/items.py": """
                from fastapi import APIRouter
                from app.core.config import settings
                plain = APIRouter()
                fixed = APIRouter(prefix="/items")
                dynamic = APIRouter(prefix=f"{settings.API}/items")
            """
        }
    )
    prefixes = {
        r.name.rsplit(".", 1)[-1]: r.prefix for r in parsed["app/api/items.py"].summary.routers
    }
    assert prefixes == {"plain": "", "fixed": "/items", "dynamic": None}


def test_fingerprint_survives_the_round_trip_summaries_make_through_cache_and_workers():
    """Summaries come back from the cache or a worker as copies; equal facts, equal digest."""
    import pickle

    parsed, index = parse(
        {
            **MODELS,
            "app/api/users.py": "from fastapi import APIRouter\n"
            "router = APIRouter()\n@router.get(PATH)\nasync def a(): ...\n"
            "@router.get('/x')\nasync def b(): ...\n",
        }
    )
    summaries = [p.summary for p in parsed.values()]
    copies = [pickle.loads(pickle.dumps(s)) for s in summaries]
    assert ProjectIndex.build(copies).fingerprint() == index.fingerprint()
    assert ProjectIndex.build(pickle.loads(pickle.dumps(summaries))).fingerprint() == (
        index.fingerprint()
    )


def test_the_walker_reaches_every_node_libcsts_own_visitor_reaches():
    """`children` takes sequence fields whole and skips only whitespace and punctuation."""
    from checks.analysis.walk import iter_nodes

    source = textwrap.dedent(
        """
        import os, sys as system
        from . import a
        @decorator(x=[1, *rest], **kw)
        async def f(a, /, b: int = 2, *args: str, c, **kwargs) -> dict[str, int] | None:
            async with open(p) as h, other():
                x = {k: v for k, v in zip(a, b) if k} or (lambda y: y + 1)(2)
                match x:
                    case {"k": [1, 2, *others]} | None if x:
                        return f"{x!r:>10}" + "concat" "enated"
            try:
                yield await g()
            except* (ValueError, TypeError) as e:
                raise RuntimeError from e
            finally:
                global q; del q[1:2, ::3]
        """
    )
    tree = cst.parse_module(source)
    seen = {id(node) for node in iter_nodes(tree)}
    punctuation = (
        cst.BaseParenthesizableWhitespace,
        cst.Comma,
        cst.Dot,
        cst.Semicolon,
        cst.Colon,
        cst.AssignEqual,
        cst.LeftParen,
        cst.RightParen,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.EmptyLine,
        cst.TrailingWhitespace,
        cst.Newline,
        cst.Comment,
        cst.Asynchronous,
        cst.ImportStar,
        cst.BaseAugOp,
    )

    class Everything(cst.CSTVisitor):
        def __init__(self) -> None:
            self.missed: list[str] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            if id(node) not in seen and not isinstance(node, punctuation):
                self.missed.append(type(node).__name__)
            return True

    visitor = Everything()
    tree.visit(visitor)
    assert visitor.missed == []


def test_a_syntax_error_is_placed_where_python_places_it():
    parsed, _ = parse({"app/broken.py": "x = 1\ny = )\n"})
    message, line, column = parsed["app/broken.py"].summary.syntax_error
    assert (line, column) == (2, 5)
    assert "unmatched ')'" in message


def test_parsing_builds_libcsts_own_tree_and_leaves_node_validation_on():
    """parse_file skips libcst's per-node validation while the parser runs, and only then."""
    repository = Path(__file__).parents[2]
    sources = sorted((repository / "reference_app").rglob("*.py"))
    sources += sorted((repository / "tests" / "fixtures").rglob("*.py"))
    assert len(sources) > 50
    for path in sources:
        source = path.read_bytes()
        parsed = parse_file(source, str(path), "m", None, is_package=False)
        if parsed.tree is None:  # a fixture that is broken on purpose
            with pytest.raises(cst.ParserSyntaxError):
                cst.parse_module(source)
            continue
        assert parsed.tree.deep_equals(cst.parse_module(source)), path
        assert parsed.tree.code.encode(parsed.tree.encoding) == source, path

    parse_file(b"def broken(:\n", "app/broken.py", "app.broken", None, is_package=False)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_exact_type_tests_name_only_libcst_classes_without_subclasses():
    """`type(node) is cst.X` (and sets of such types) stand for isinstance() only on leaves."""
    import re

    checks_dir = Path(__file__).parents[2] / "checks"
    compared: set[str] = set()
    for path in checks_dir.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        compared.update(re.findall(r"\bis (?:not )?cst\.(\w+)", source))
        for members in re.findall(r"frozenset\(\{([^}]*)\}\)", source):
            compared.update(re.findall(r"cst\.(\w+)", members))
    assert {"Name", "Attribute", "Call"} <= compared
    with_subclasses = sorted(name for name in compared if getattr(cst, name).__subclasses__())
    assert with_subclasses == []
