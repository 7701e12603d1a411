"""Plain, picklable records shared by every layer of the linter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Violation:
    """One reported problem; field names follow the JSON output (DESIGN.md section 3)."""

    code: str
    name: str
    path: str  # relative to the project root, with "/"
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int
    message: str
    layer: str | None = None
    scope: str = ""  # enclosing "Class.function" (for baseline fingerprints), "" at module level

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order of reports: by file, position, code, then message (a total order)."""
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Position:
    """A source range, 1-based line and column."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class RouteInfo:
    """A route handler found in a module."""

    function: str  # qualified name within the module, e.g. "create_user"
    router: str | None  # canonical name of the router object, e.g. "app.api.users.router"
    methods: tuple[str, ...]  # upper-case HTTP methods, ("WEBSOCKET",) for websockets
    path: str | None  # the path argument, None when it is not a literal
    response_model: tuple[str, ...] | None  # canonical names in response_model=; None: absent
    response_model_none: bool  # response_model=None given explicitly
    status_code: int | None
    returns: tuple[str, ...]  # canonical names in the return annotation
    has_response_class: bool
    position: Position
    is_async: bool = False  # `async def` handler (False for add_api_route endpoints)


@dataclass(slots=True)
class RouterInfo:
    """An object created by a call that may make an APIRouter or FastAPI app (the index decides)."""

    name: (
        str  # canonical name, e.g. "app.api.users.router" ("app.main.create_app.app" in a function)
    )
    callee: str  # canonical name of what was called to create it, e.g. "fastapi.APIRouter"
    prefix: str | None  # "" when absent, None when not a literal
    position: Position
    default_response_class: str | None = None  # canonical name, when given
    hidden: bool = False  # include_in_schema=False: not in the OpenAPI document


@dataclass(slots=True)
class IncludeInfo:
    """`parent.include_router(child, prefix=...)` found in a module."""

    parent: str | None  # canonical name of the including router/app
    child: str | None  # canonical name of the included router
    prefix: str | None  # None when not a literal
    position: Position
    default_response_class: str | None = None  # as RouterInfo's, given to include_router()
    hidden: bool = False


@dataclass(slots=True)
class ClassInfo:
    """A class definition with its bases resolved to canonical dotted names."""

    name: str  # canonical, e.g. "app.models.user.User"
    bases: tuple[str, ...]  # canonical names of resolvable bases, in order
    keywords: dict[str, str]  # class keywords as source text, e.g. {"table": "True"}
    has_tablename: bool
    is_abstract: bool  # __abstract__ = True
    # attribute name -> canonical names of its type (annotation, or the callee that built it)
    fields: dict[str, tuple[str, ...]]
    position: Position
    # method name -> "staticmethod" or "classmethod" (plain methods are not listed)
    method_kinds: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ModuleSummary:
    """What one module contributes to the project index; small and picklable."""

    module: str  # dotted name, e.g. "app.api.users"
    path: str  # relative to the project root, with "/"
    layer: str | None
    is_package: bool  # an __init__.py
    composition_root: bool = False  # matches the config's `composition-roots`
    imports: dict[str, str] = field(default_factory=dict)  # local alias -> canonical name
    imported_modules: tuple[str, ...] = ()  # modules imported anywhere in the file
    classes: list[ClassInfo] = field(default_factory=list)
    # canonical function or method name -> canonical names in its declared return type
    returns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # module-level type aliases and annotated names -> canonical names they stand for
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # module-level names bound to a call's result -> canonical name of the callee
    instances: dict[str, str] = field(default_factory=dict)
    routers: list[RouterInfo] = field(default_factory=list)
    routes: list[RouteInfo] = field(default_factory=list)
    includes: list[IncludeInfo] = field(default_factory=list)
    syntax_error: tuple[str, int, int] | None = None  # (message, line, column)
