"""What a name or a value is, for the rules that ask the same questions.

Database access is judged by the receiver's type (a session, an engine, a driver
connection) or by the canonical name of the callee (`sqlalchemy.select`), never by a
method name alone: `self.repo.add(user)` is a repository call, `self.session.add(user)`
is not. Services and repositories are project classes, recognised by the layer of the
module that defines them, or by their names when that module has no layer.
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.idioms import (
    DRIVER_CONNECTORS,
    DRIVER_TYPES,
    ENGINE_FACTORIES,
    ENGINE_TYPES,
    SESSION_FACTORIES,
    SESSION_TYPES,
)
from checks.analysis.index import ProjectIndex

# sqlalchemy/sqlmodel functions that build a statement (last part of the canonical name).
_STATEMENT_BUILDERS = frozenset(
    {"select", "insert", "update", "delete", "text", "union", "union_all", "exists"}
)
_SQL_PACKAGES = ("sqlalchemy.", "sqlmodel.")

SYNC_SESSION_TYPES = frozenset(
    name for name in SESSION_TYPES if "asyncio" not in name and "async_" not in name
)
SYNC_ENGINE_TYPES = frozenset(name for name in ENGINE_TYPES if "asyncio" not in name)
SYNC_ENGINE_FACTORIES = frozenset({"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine"})
SYNC_ENGINE_FACTORIES |= {"sqlmodel.create_engine", "sqlalchemy.engine.engine_from_config"}
SYNC_SESSION_FACTORIES = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.scoping.scoped_session",
    }
)
_ANY_SESSION_FACTORIES = SESSION_FACTORIES | SYNC_SESSION_FACTORIES

_CONTAINERS = frozenset(
    f"{module}.{name}"
    for module in ("builtins", "typing", "collections.abc")
    for name in (
        "list",
        "dict",
        "set",
        "tuple",
        "frozenset",
        "List",
        "Dict",
        "Set",
        "Tuple",
        "FrozenSet",
        "Sequence",
        "Mapping",
        "MutableMapping",
        "Iterable",
        "Collection",
        "MutableSequence",
    )
)
_SERVICE_NAME = re.compile(r"(Service|UseCase|Interactor)$")
_REPOSITORY_NAME = re.compile(r"(Repository|Repo|DAO|Dao|CRUD|Crud)$|^(CRUD|Crud)[A-Z]")
_NOT_COMPONENT_NAME = re.compile(r"(Error|Exception|Exc|Warning|Config|Settings|Enum)$")


def statement_builder(name: str | None) -> bool:
    """Whether `name` is a sqlalchemy/sqlmodel function that builds an SQL statement."""
    return (
        name is not None
        and name.startswith(_SQL_PACKAGES)
        and name.rsplit(".", 1)[-1] in _STATEMENT_BUILDERS
    )


def db_kind(types: frozenset[str]) -> str | None:
    """The kind of database object a value of these types is: session, engine, connection."""
    if not types.isdisjoint(_ANY_SESSION_FACTORIES):
        return "session factory"  # `async_sessionmaker[AsyncSession]` names both
    if not types.isdisjoint(_CONTAINERS):
        return None  # `list[Session]`: the value holds sessions, it is not one
    for name in sorted(types):
        if name in SESSION_TYPES:
            return "session"
        if name in ENGINE_TYPES or name in ENGINE_FACTORIES:
            return "connection" if name.endswith("Connection") else "engine"
        if name in DRIVER_TYPES or name in DRIVER_CONNECTORS:
            return "connection"
    return None


# Parameters teams leave unannotated but always pass a session as (dispatch's
# `def get(*, db_session, id)`), and methods only a database session has: both must
# hold before an untyped receiver counts as a session.
_SESSION_PARAMS = frozenset({"db_session", "session", "db", "async_session", "dbsession"})
_SESSION_ONLY_METHODS = frozenset(
    {
        "query",
        "execute",
        "exec",
        "scalars",
        "scalar",
        "add",
        "add_all",
        "commit",
        "flush",
        "refresh",
        "merge",
        "rollback",
        "begin_nested",
        "bulk_save_objects",
        "bulk_insert_mappings",
        "bulk_update_mappings",
        "stream",
        "stream_scalars",
        "expunge",
    }
)


def receiver_kind(ctx: ModuleContext, func: cst.Attribute) -> str | None:
    """The kind of database object `func.value` is (see `db_kind`), for `x.method(...)`.

    Its inferred type decides; an unannotated parameter named like a session
    (`db_session`, `session`, `db`) counts only when the method is one that only a
    database session has (`query`, `add`, `commit`..., not `get` or `delete`).
    """
    receiver = func.value
    kind = db_kind(ctx.type_of(receiver))
    if kind is not None or not isinstance(receiver, cst.Name):
        return kind
    name = receiver.value
    if name not in _SESSION_PARAMS or func.attr.value not in _SESSION_ONLY_METHODS:
        return None
    for function in reversed(ctx.functions):
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == name:
                untyped = param.annotation is None and param.default is None
                return "session" if untyped else None
    return None


def opens_db(name: str | None) -> str | None:
    """What calling `name` opens: "session", "engine", "connection", "session factory"."""
    if name is None:
        return None
    if name in SESSION_TYPES:
        return "session"
    if name in ENGINE_FACTORIES or name in SYNC_ENGINE_FACTORIES:
        return "engine"
    if name in DRIVER_CONNECTORS:
        return "connection"
    if name in SESSION_FACTORIES or name in SYNC_SESSION_FACTORIES:
        return "session factory"
    return None


def component_kind(index: ProjectIndex, name: str | None, depth: int = 0) -> str | None:
    """Whether `name` is a project service or repository class ("service", "repository").

    In the services and repositories layers, a class is one when its name says so
    (`UserService`, `OrderRepo`, `CRUDUser`) or when it holds a session, an engine or
    another component (`self.repo = repo`); value objects, commands, exceptions, enums,
    schemas and models defined there are not. Elsewhere only a module with no layer
    counts, by name.
    """
    if name is None or depth > 2:
        return None
    name = index.canonical(name)
    info = index.classes.get(name)
    if info is None or index.kinds(name) or name in index.orm_bases:
        return None
    short = name.rsplit(".", 1)[-1]
    ancestors = [a.rsplit(".", 1)[-1] for a in index.ancestors(name)]
    if any(_NOT_COMPONENT_NAME.search(a) for a in ancestors) or any(
        b.startswith(("enum.", "builtins.")) for b in info.bases
    ):
        return None
    summary = index.module_of(name)
    layer = summary.layer if summary is not None else None
    if layer in ("services", "repositories"):
        if not _has_methods(index, name):
            return None
        named = _SERVICE_NAME.search(short) or _REPOSITORY_NAME.search(short)
        if not named and not _holds_dependencies(index, name, depth):
            return None
        return "service" if layer == "services" else "repository"
    if layer is None:
        if _SERVICE_NAME.search(short):
            return "service"
        if _REPOSITORY_NAME.search(short):
            return "repository"
    return None


def _holds_dependencies(index: ProjectIndex, name: str, depth: int) -> bool:
    """A class whose attributes (its own or its project bases') are sessions or components."""
    for ancestor in index.ancestors(name):
        info = index.classes.get(ancestor)
        if info is None:
            continue
        for types in info.fields.values():
            if db_kind(frozenset(types)) in ("session", "engine", "connection"):
                return True
            if any(t != name and component_kind(index, t, depth + 1) for t in types):
                return True
    return False


def _has_methods(index: ProjectIndex, name: str) -> bool:
    owners = _METHOD_OWNERS.get(index)
    if owners is None:
        owners = frozenset(
            owner
            for owner, _, method in (key.rpartition(".") for key in index.returns)
            if not method.startswith("__")  # a sentinel with a __repr__ is no component
        )
        _METHOD_OWNERS[index] = owners
    return any(ancestor in owners for ancestor in index.ancestors(name))


_METHOD_OWNERS: WeakKeyDictionary[ProjectIndex, frozenset[str]] = WeakKeyDictionary()
