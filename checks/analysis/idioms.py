"""What the linter knows of FastAPI, SQLAlchemy, SQLModel and Pydantic, by canonical name."""

from __future__ import annotations

ROUTE_METHODS = {
    "get": ("GET",),
    "post": ("POST",),
    "put": ("PUT",),
    "patch": ("PATCH",),
    "delete": ("DELETE",),
    "head": ("HEAD",),
    "options": ("OPTIONS",),
    "trace": ("TRACE",),
    "api_route": (),
    "websocket": ("WEBSOCKET",),
}

APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
ROUTER_CLASSES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})

DECLARATIVE_ROOTS = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
    }
)
DECLARATIVE_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.declarative_base",
        "sqlalchemy.ext.declarative.declarative_base",
        "sqlalchemy.orm.decl_api.declarative_base",
        "sqlalchemy.orm.registry.generate_base",
    }
)
DECLARATIVE_DECORATORS = frozenset(
    {"sqlalchemy.orm.as_declarative", "sqlalchemy.ext.declarative.as_declarative"}
)
SQLMODEL_ROOTS = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})
PYDANTIC_ROOTS = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic.RootModel",
        "pydantic.root_model.RootModel",
        "pydantic.v1.BaseModel",
        "pydantic.generics.GenericModel",
    }
)
SETTINGS_ROOTS = frozenset(
    {
        "pydantic_settings.BaseSettings",
        "pydantic_settings.main.BaseSettings",
        "pydantic.BaseSettings",
    }
)

SESSION_TYPES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.scoping.scoped_session",
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.ext.asyncio.async_scoped_session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
ENGINE_TYPES = frozenset(
    {
        "sqlalchemy.Engine",
        "sqlalchemy.engine.Engine",
        "sqlalchemy.engine.base.Engine",
        "sqlalchemy.Connection",
        "sqlalchemy.engine.Connection",
        "sqlalchemy.engine.base.Connection",
        "sqlalchemy.ext.asyncio.AsyncEngine",
        "sqlalchemy.ext.asyncio.engine.AsyncEngine",
        "sqlalchemy.ext.asyncio.AsyncConnection",
        "sqlalchemy.ext.asyncio.engine.AsyncConnection",
    }
)
# Database connections and cursors of drivers used without SQLAlchemy.
DRIVER_TYPES = frozenset(
    {
        "asyncpg.Connection",
        "asyncpg.connection.Connection",
        "asyncpg.Pool",
        "asyncpg.pool.Pool",
        "sqlite3.Connection",
        "sqlite3.Cursor",
        "aiosqlite.Connection",
        "aiosqlite.Cursor",
        "psycopg.Connection",
        "psycopg.AsyncConnection",
        "psycopg.Cursor",
        "psycopg.AsyncCursor",
        "psycopg2.extensions.connection",
        "psycopg2.extensions.cursor",
        "databases.Database",
    }
)
# Callables whose result is an engine, a session or a session factory.
ENGINE_FACTORIES = frozenset(
    {
        "sqlalchemy.create_engine",
        "sqlalchemy.engine.create_engine",
        "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlmodel.create_engine",
    }
)
SESSION_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.session.async_sessionmaker",
    }
)
DRIVER_CONNECTORS = frozenset(
    {
        "asyncpg.connect",
        "asyncpg.create_pool",
        "sqlite3.connect",
        "aiosqlite.connect",
        "psycopg.connect",
        "psycopg.AsyncConnection.connect",
        "psycopg2.connect",
    }
)
# SQLAlchemy/SQLModel statement builders: calling one builds a query.
QUERY_BUILDERS = frozenset(
    f"{module}.{verb}"
    for module in (
        "sqlalchemy",
        "sqlalchemy.sql",
        "sqlalchemy.sql.expression",
        "sqlalchemy.future",
        "sqlmodel",
        "sqlmodel.sql.expression",
    )
    for verb in ("select", "insert", "update", "delete", "text")
) | frozenset(
    f"sqlalchemy.dialects.{dialect}.insert" for dialect in ("postgresql", "sqlite", "mysql")
)
DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.Security"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
# Wrappers whose first argument is what a generator dependency provides.
ITERATOR_WRAPPERS = frozenset(
    {
        "typing.AsyncIterator",
        "typing.AsyncGenerator",
        "typing.Iterator",
        "typing.Generator",
        "collections.abc.AsyncIterator",
        "collections.abc.AsyncGenerator",
        "collections.abc.Iterator",
        "collections.abc.Generator",
    }
)
RESPONSE_CLASSES = frozenset(
    {
        "fastapi.Response",
        "fastapi.responses.Response",
        "starlette.responses.Response",
        "fastapi.responses.JSONResponse",
        "fastapi.responses.ORJSONResponse",
        "fastapi.responses.UJSONResponse",
        "fastapi.responses.HTMLResponse",
        "fastapi.responses.PlainTextResponse",
        "fastapi.responses.RedirectResponse",
        "fastapi.responses.StreamingResponse",
        "fastapi.responses.FileResponse",
        "starlette.responses.JSONResponse",
        "starlette.responses.HTMLResponse",
        "starlette.responses.PlainTextResponse",
        "starlette.responses.RedirectResponse",
        "starlette.responses.StreamingResponse",
        "starlette.responses.FileResponse",
        "fastapi.JSONResponse",
    }
)
