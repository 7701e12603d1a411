"""Helpers the route rules (ARC101-ARC105) share: a handler's body, returns and types.

They read only the handler's own subtree, never the module, so a rule calls them
from its `visit_FunctionDef` hook at the cost of one small walk per handler.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.idioms import RESPONSE_CLASSES
from checks.analysis.names import keyword
from checks.analysis.walk import children

# Exact types, not isinstance(): they are leaf classes, and isinstance() on libcst's
# abstract node classes is slow when it fails, which it does for almost every node.
_NESTED_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})
_ABC = ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable", "Collection")
# Names in a response annotation that describe no shape: free-form containers and Any.
FREEFORM_TYPES = frozenset(
    {"builtins.dict", "builtins.object", "typing.Any", "typing.Dict", "typing_extensions.Any"}
    | {f"{module}.{abc}" for module in ("typing", "collections.abc") for abc in _ABC[:2]}
)
# Wrappers that add no shape of their own: `list[X]`, `Optional[X]`, `X | None`.
WRAPPER_TYPES = frozenset(
    {"builtins.list", "builtins.set", "builtins.tuple", "builtins.frozenset"}
    | {f"typing.{name}" for name in ("List", "Set", "Tuple", "FrozenSet", "Optional", "Union")}
    | {f"{module}.{abc}" for module in ("typing", "collections.abc") for abc in _ABC[2:]}
)
_RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.", "sse_starlette.")


def body_statements(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    """The handler's statements, its docstring left out."""
    body = function.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    if isinstance(body, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=body.body)]
    if statements and is_docstring(statements[0]):
        statements = statements[1:]
    return statements


def is_docstring(statement: cst.CSTNode) -> bool:
    """A string literal standing alone as a statement."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def own_nodes(function: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """Nodes of the handler's body, without the bodies of nested functions and classes."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        yield node
        if type(node) in _NESTED_SCOPES:
            continue
        stack.extend(reversed(children(node)))


def returned_values(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    """The expressions the handler itself returns (`return x`), in source order."""
    return [
        node.value
        for node in own_nodes(function)
        if type(node) is cst.Return and node.value is not None
    ]


def route_keyword(function: cst.FunctionDef, name: str) -> cst.Arg | None:
    """The `name=` argument of the function's route decorator, if one gives it."""
    for decorator in function.decorators:
        call = decorator.decorator
        if isinstance(call, cst.Call):
            found = keyword(call, name)
            if found is not None:
                return found
    return None


def is_response_class(ctx: ModuleContext, name: str) -> bool:
    """A Starlette/FastAPI Response class, a project subclass of one, or a `*Response` factory.

    The last case covers `templates.TemplateResponse(...)` and third-party responses
    (`EventSourceResponse`), but never a project schema that happens to be named
    `UserResponse`.
    """
    index = ctx.index
    for ancestor in index.ancestors(name):
        if ancestor in RESPONSE_CLASSES or ancestor.startswith(_RESPONSE_MODULES):
            return True
    if index.is_schema(name) or index.is_orm(name) or index.canonical(name) in index.classes:
        return False
    return name.rsplit(".", 1)[-1].endswith("Response")


def returns_response(ctx: ModuleContext, function: cst.FunctionDef) -> bool:
    """Whether any of the handler's `return` statements returns a Response object."""
    return any(
        any(is_response_class(ctx, name) for name in ctx.type_of(value))
        for value in returned_values(function)
    )


def short(name: str) -> str:
    """The last part of a dotted name, as users write it."""
    return name.rsplit(".", 1)[-1]


def declares_schema(ctx: ModuleContext, names: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether a response_model or return annotation gives the response a shape.

    Any class counts (a project schema, a third-party model, a dataclass) and so do
    scalars (`-> str`, `-> list[int]`); a mapping or `Any` without a class names no
    fields: `dict`, `list[dict]`, `dict[str, str]`, `Any`. ORM models are not schemas
    (ARC103 judges those).
    """
    shaped = [
        n
        for n in names
        if n not in FREEFORM_TYPES and n not in WRAPPER_TYPES and not ctx.index.is_orm(n)
    ]
    if any(not n.startswith("builtins.") for n in shaped):
        return True
    return bool(shaped) and not any(n in FREEFORM_TYPES for n in names)


def quoted(ctx: ModuleContext, node: cst.CSTNode, limit: int) -> str:
    """The node's code on one line, cut to `limit` characters, for a message."""
    text = " ".join(ctx.tree.code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
