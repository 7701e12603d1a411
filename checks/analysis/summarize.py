"""Extract a module's contribution to the project index in one statement-level pass.

Only statements are visited (plus the calls that stand alone as statements), never
every expression, so summarising costs a small fraction of the parse. Positions come
from the source text: libcst's PositionProvider would cost more than the parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from http import HTTPStatus

import libcst as cst

from checks.analysis.idioms import ROUTE_METHODS
from checks.analysis.model import (
    ClassInfo,
    IncludeInfo,
    ModuleSummary,
    Position,
    RouteInfo,
    RouterInfo,
)
from checks.analysis.names import (
    BUILTIN_TYPES,
    annotation_names,
    dotted,
    import_bindings,
    keyword,
    literal_string,
    positional,
    qualify,
)

# Exact statement types (all libcst leaf classes): isinstance() on libcst's ABCs runs
# Python code whenever the answer is no, and these tests run on every statement.
_COMPOUND_BODIES = frozenset({cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While})
_DEFINITIONS = frozenset({cst.ClassDef, cst.FunctionDef})
_IMPORTS = frozenset({cst.Import, cst.ImportFrom})
_ASSIGNMENTS = frozenset({cst.Assign, cst.AnnAssign})
_NEW_TYPES = frozenset({"typing.NewType", "typing_extensions.NewType"})
_SYNC_SESSIONMAKERS = frozenset(
    {"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"}
)


def status_code_value(node: cst.BaseExpression | None) -> int | None:
    """`204`, `status.HTTP_204_NO_CONTENT` or `HTTPStatus.NO_CONTENT` as an int."""
    if isinstance(node, cst.Integer):
        return int(node.value)
    name = dotted(node) if node is not None else None
    if name is None:
        return None
    last = name.rsplit(".", 1)[-1]
    match = re.match(r"HTTP_(\d{3})", last)
    if match:
        return int(match.group(1))
    if last in HTTPStatus.__members__:
        return int(HTTPStatus[last])
    return None


class _TextPositions:
    """Lines of definitions, assignments and include_router calls, from one scan of the text.

    Built on first use: most modules need a position for a few records, and a regex
    search from the top of the file per record made summarising quadratic.
    """

    _CLASS = re.compile(r"\s*class\s+(\w+)\b")
    _DEF = re.compile(r"\s*(?:async\s+)?def\s+(\w+)\b")
    _ASSIGNED = re.compile(r"\s*([\w.]+)\s*(?::[^=]*)?=")
    _INCLUDE = re.compile(r"(include_router)\s*\(")

    def __init__(self, source: str) -> None:
        self.source = source
        self._first: dict[tuple[str, str], tuple[int, int]] | None = None
        self._includes: list[tuple[int, int]] = []

    def _scan(self) -> dict[tuple[str, str], tuple[int, int]]:
        first: dict[tuple[str, str], tuple[int, int]] = {}
        for number, line in enumerate(self.source.splitlines(), start=1):
            for kind, regex, hint in (
                ("class", self._CLASS, "class"),
                ("def", self._DEF, "def"),
                ("assigned", self._ASSIGNED, "="),
            ):
                if hint in line and (match := regex.match(line)):
                    first.setdefault((kind, match.group(1)), (number, match.start(1) + 1))
            if "include_router" in line and (match := self._INCLUDE.search(line)):
                self._includes.append((number, match.start(1) + 1))
        return first

    def _position(self, kind: str, name: str) -> Position:
        if self._first is None:
            self._first = self._scan()
        line, column = self._first.get((kind, name), (1, 1))
        return Position(line, column, line, column + len(name))

    def of_class(self, name: str) -> Position:
        """Where `class name` first stands."""
        return self._position("class", name)

    def of_def(self, name: str) -> Position:
        """Where `def name` (or `async def name`) first stands."""
        return self._position("def", name)

    def of_assignment(self, name: str) -> Position:
        """Where `name = ...` (or `name: T = ...`) first stands."""
        return self._position("assigned", name)

    def of_include(self, after_line: int) -> Position:
        """The first `include_router(` call below line `after_line`."""
        if self._first is None:
            self._first = self._scan()
        for line, column in self._includes:
            if line > after_line:
                return Position(line, column, line, column + len("include_router"))
        return Position(1, 1, 1, 1)


class Summarizer:
    """Builds a ModuleSummary; also the name resolver of the module's top-level names."""

    def __init__(self, tree: cst.Module, source: str, summary: ModuleSummary) -> None:
        self.tree = tree
        self.summary = summary
        self.text = _TextPositions(source)
        self.toplevel: set[str] = set()
        self.scopes: list[dict[str, str]] = []  # function-local names bound to routers/apps
        self._function_params: dict[str, tuple[str, ...]] = {}
        self._collect_imports_and_toplevel()

    # -- name resolution -------------------------------------------------------------
    def resolve(self, head: str) -> str | None:
        """Canonical name of a bare name as seen at module level (or in a function scope)."""
        for scope in reversed(self.scopes):
            if head in scope:
                return scope[head]
        imported = self.summary.imports.get(head)
        if imported is not None:
            return imported
        if head in self.toplevel:
            return f"{self.summary.module}.{head}"
        if head in BUILTIN_TYPES:
            return f"builtins.{head}"
        return None

    def _collect_imports_and_toplevel(self) -> None:
        imported: list[str] = []
        module, is_package = self.summary.module, self.summary.is_package
        for stmt, depth in _statements(self.tree.body):
            kind = type(stmt)
            if kind is cst.SimpleStatementLine:
                for small in stmt.body:
                    small_kind = type(small)
                    if small_kind in _IMPORTS:
                        for local, canonical, source_module in import_bindings(
                            small, module, is_package
                        ):
                            imported.append(source_module)
                            if local != "*":
                                self.summary.imports.setdefault(local, canonical)
                    elif depth == 0 and small_kind in _ASSIGNMENTS:
                        for target in _targets(small):
                            self.toplevel.add(target)
            elif depth == 0 and kind in _DEFINITIONS:
                self.toplevel.add(stmt.name.value)
        self.summary.imported_modules = tuple(dict.fromkeys(m for m in imported if m))

    # -- the pass ----------------------------------------------------------------------
    def run(self) -> ModuleSummary:
        """Fill in the summary from the module's statements."""
        self._body(self.tree.body, prefix=self.summary.module, in_class=None, in_function=None)
        return self.summary

    def _body(
        self,
        body: object,
        prefix: str,
        in_class: ClassInfo | None,
        in_function: cst.FunctionDef | None,
    ) -> None:
        for stmt in _iter_body(body):
            kind = type(stmt)
            if kind is cst.SimpleStatementLine:
                for small in stmt.body:
                    self._small(small, prefix, in_class, in_function)
            elif kind is cst.ClassDef:
                if in_function is None:
                    self._class(stmt, prefix)
            elif kind is cst.FunctionDef:
                self._function(stmt, prefix, in_class, in_function)
            elif kind in _COMPOUND_BODIES:
                for block in _blocks(stmt):
                    self._body(block, prefix, in_class, in_function)

    def _class(self, node: cst.ClassDef, prefix: str) -> None:
        name = f"{prefix}.{node.name.value}"
        bases = []
        for arg in node.bases:
            value = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value
            base = qualify(value, self.resolve)
            if base is not None:
                bases.append(base)
        keywords = {
            arg.keyword.value: self.tree.code_for_node(arg.value)
            for arg in node.keywords
            if arg.keyword is not None
        }
        info = ClassInfo(
            name=name,
            bases=tuple(bases),
            keywords=keywords,
            has_tablename=False,
            is_abstract=False,
            fields={},
            position=self.text.of_class(node.name.value),
        )
        self.summary.classes.append(info)
        self._body(node.body, prefix=name, in_class=info, in_function=None)

    def _function(
        self,
        node: cst.FunctionDef,
        prefix: str,
        in_class: ClassInfo | None,
        in_function: cst.FunctionDef | None,
    ) -> None:
        name = f"{prefix}.{node.name.value}"
        returns = annotation_names(node.returns.annotation if node.returns else None, self.resolve)
        if in_class is not None and in_function is None and node.name.value == "__tablename__":
            in_class.has_tablename = True  # a `@declared_attr` table name on a base
        if in_function is None:
            self.summary.returns[name] = returns
            if in_class is not None:
                for decorator in node.decorators:
                    kind = dotted(decorator.decorator)
                    if kind in ("staticmethod", "classmethod"):
                        in_class.method_kinds[node.name.value] = kind
            if in_class is not None and any(
                dotted(d.decorator) in ("property", "functools.cached_property", "cached_property")
                for d in node.decorators
            ):
                in_class.fields[node.name.value] = returns
        self._routes_of(node, name, returns)
        self.scopes.append({})
        outer_params = self._function_params
        params = {
            p.name.value: annotation_names(
                p.annotation.annotation if p.annotation else None, self.resolve
            )
            for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        }
        self._function_params = params
        self._body(node.body, prefix=name, in_class=in_class, in_function=node)
        self._function_params = outer_params
        self.scopes.pop()

    def _routes_of(self, node: cst.FunctionDef, name: str, returns: tuple[str, ...]) -> None:
        for decorator in node.decorators:
            call = decorator.decorator
            if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
                continue
            verb = call.func.attr.value
            if verb not in ROUTE_METHODS:
                continue
            methods = ROUTE_METHODS[verb]
            if verb == "api_route":
                methods = _literal_methods(call) or ("GET",)
            route = self._route(call, name, methods, returns, call.func.value, positional(call, 0))
            route.is_async = node.asynchronous is not None
            self.summary.routes.append(route)

    def _route(
        self,
        call: cst.Call,
        function: str,
        methods: tuple[str, ...],
        returns: tuple[str, ...],
        router: cst.BaseExpression,
        path_arg: cst.Arg | None,
    ) -> RouteInfo:
        path_value = path_arg.value if path_arg else None
        if path_value is None and (path_kw := keyword(call, "path")) is not None:
            path_value = path_kw.value
        model = keyword(call, "response_model")
        model_none = (
            model is not None and isinstance(model.value, cst.Name) and model.value.value == "None"
        )
        status = keyword(call, "status_code")
        short = function.removeprefix(self.summary.module + ".")
        last = short.rsplit(".", 1)[-1]
        return RouteInfo(
            function=short,
            router=qualify(router, self.resolve),
            methods=methods,
            path=literal_string(path_value),
            response_model=None
            if model is None or model_none
            else annotation_names(model.value, self.resolve),
            response_model_none=model_none,
            status_code=status_code_value(status.value) if status else None,
            returns=returns,
            has_response_class=keyword(call, "response_class") is not None,
            position=self.text.of_def(last),
        )

    def _small(
        self,
        small: cst.BaseSmallStatement,
        prefix: str,
        in_class: ClassInfo | None,
        in_function: cst.FunctionDef | None,
    ) -> None:
        kind = type(small)
        if kind in _ASSIGNMENTS:
            self._assignment(small, prefix, in_class, in_function)
        elif kind is cst.Expr and type(small.value) is cst.Call:
            self._call_statement(small.value, prefix)

    def _assignment(
        self,
        node: cst.Assign | cst.AnnAssign,
        prefix: str,
        in_class: ClassInfo | None,
        in_function: cst.FunctionDef | None,
    ) -> None:
        value = node.value
        annotated = (
            annotation_names(node.annotation.annotation, self.resolve)
            if type(node) is cst.AnnAssign
            else ()
        )
        is_call = type(value) is cst.Call
        callee = qualify(value.func, self.resolve) if is_call else None
        if callee in _SYNC_SESSIONMAKERS and is_call:
            made = keyword(value, "class_")
            if made is not None and "AsyncSession" in (qualify(made.value, self.resolve) or ""):
                callee = "sqlalchemy.ext.asyncio.async_sessionmaker"  # what it makes is async
        for target in _targets(node):
            if in_function is not None:
                self._function_assignment(
                    node, target, prefix, in_class, in_function, annotated, callee
                )
                continue
            if in_class is not None:
                if target == "__tablename__":
                    in_class.has_tablename = True
                elif target == "__abstract__":
                    in_class.is_abstract = isinstance(value, cst.Name) and value.value == "True"
                in_class.fields[target] = annotated or ((callee,) if callee else ())
                continue
            name = f"{prefix}.{target}"
            if annotated:
                self.summary.aliases[name] = annotated
            elif _looks_like_type(value):
                self.summary.aliases[name] = annotation_names(value, self.resolve)
            elif callee in _NEW_TYPES and is_call:
                base = positional(value, 1)  # `X = NewType("X", T)` stands for T
                if base is not None:
                    self.summary.aliases[name] = annotation_names(base.value, self.resolve)
            if callee is not None:
                self.summary.instances[name] = callee
                self._maybe_router(name, callee, value, target)

    def _function_assignment(
        self,
        node: cst.Assign | cst.AnnAssign,
        target: str,
        prefix: str,
        in_class: ClassInfo | None,
        in_function: cst.FunctionDef,
        annotated: tuple[str, ...],
        callee: str | None,
    ) -> None:
        if target.startswith("self.") and in_class is not None and target.count(".") == 1:
            attr = target[5:]
            value = node.value
            if annotated:
                in_class.fields[attr] = annotated
            elif isinstance(value, cst.Name) and value.value in self._function_params:
                in_class.fields.setdefault(attr, self._function_params[value.value])
            elif callee is not None:
                in_class.fields.setdefault(attr, (callee,))
            return
        if callee is not None and "." not in target:
            name = f"{prefix}.{target}"
            self.scopes[-1][target] = name
            self._maybe_router(name, callee, node.value, target)

    def _maybe_router(self, name: str, callee: str, value: object, target: str) -> None:
        if not isinstance(value, cst.Call):
            return
        prefix_arg = keyword(value, "prefix")
        self.summary.routers.append(
            RouterInfo(
                name=name,
                callee=callee,
                prefix=literal_string(prefix_arg.value) if prefix_arg else "",
                position=self.text.of_assignment(target),
                default_response_class=self._response_class(value),
                hidden=_hidden(value),
            )
        )

    def _response_class(self, call: cst.Call) -> str | None:
        arg = keyword(call, "default_response_class")
        return qualify(arg.value, self.resolve) if arg is not None else None

    def _call_statement(self, call: cst.Call, prefix: str) -> None:
        if not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        if method == "include_router":
            child = positional(call, 0) or keyword(call, "router")
            prefix_arg = keyword(call, "prefix")
            self.summary.includes.append(
                IncludeInfo(
                    parent=qualify(call.func.value, self.resolve),
                    child=qualify(child.value, self.resolve) if child else None,
                    prefix=(literal_string(prefix_arg.value) if prefix_arg else ""),
                    position=self.text.of_include(self._include_cursor()),
                    default_response_class=self._response_class(call),
                    hidden=_hidden(call),
                )
            )
        elif method == "add_api_route":
            endpoint = positional(call, 1) or keyword(call, "endpoint")
            if endpoint is None or not isinstance(endpoint.value, cst.Name):
                return
            function = endpoint.value.value
            if function not in self.toplevel:
                return
            methods = _literal_methods(call) or ("GET",)
            self.summary.routes.append(
                self._route(
                    call,
                    f"{self.summary.module}.{function}",
                    methods,
                    self.summary.returns.get(f"{self.summary.module}.{function}", ()),
                    call.func.value,
                    positional(call, 0),
                )
            )

    def _include_cursor(self) -> int:
        if not self.summary.includes:
            return 0
        return self.summary.includes[-1].position.line


def _hidden(call: cst.Call) -> bool:
    """`include_in_schema=False`: left out of the OpenAPI document."""
    arg = keyword(call, "include_in_schema")
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "False"


def _literal_methods(call: cst.Call) -> tuple[str, ...]:
    arg = keyword(call, "methods")
    if arg is None or not isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
        return ()
    found = (literal_string(e.value) for e in arg.value.elements)
    return tuple(m.upper() for m in found if m)


def _looks_like_type(value: cst.BaseExpression | None) -> bool:
    """`list[User]` or `User | None`: an alias of a type, not a value."""
    kind = type(value)
    if kind is cst.BinaryOperation:
        return type(value.operator) is cst.BitOr
    return kind is cst.Subscript


def _targets(node: cst.Assign | cst.AnnAssign) -> list[str]:
    if type(node) is cst.AnnAssign:
        name = dotted(node.target)
        return [name] if name else []
    names = []
    for target in node.targets:
        name = dotted(target.target)
        if name:
            names.append(name)
    return names


_SEQUENCES = frozenset({list, tuple})


def _iter_body(block: object) -> Sequence[cst.CSTNode]:
    """The statements of a block (a suite or an already-made list)."""
    if type(block) in _SEQUENCES:
        return block
    inner = getattr(block, "body", ())
    return inner if type(inner) in _SEQUENCES else []


def _blocks(stmt: cst.CSTNode) -> list[object]:
    """The blocks of a compound statement: body, elif/else, except handlers, finally."""
    blocks: list[object] = [stmt.body]
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):
        blocks.append([orelse])
    elif orelse is not None:
        blocks.append(orelse.body)
    blocks.extend(handler.body for handler in getattr(stmt, "handlers", ()))
    finalbody = getattr(stmt, "finalbody", None)
    if finalbody is not None:
        blocks.append(finalbody.body)
    return blocks


def _statements(block: object, depth: int = 0) -> list[tuple[cst.CSTNode, int]]:
    """Every statement, with its nesting depth in functions and classes (0: module level)."""
    found: list[tuple[cst.CSTNode, int]] = []
    for stmt in _iter_body(block):
        found.append((stmt, depth))
        kind = type(stmt)
        if kind in _DEFINITIONS:
            found.extend(_statements(stmt.body, depth + 1))
        elif kind in _COMPOUND_BODIES:
            for inner in _blocks(stmt):
                found.extend(_statements(inner, depth))
    return found
