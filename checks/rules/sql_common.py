"""What ARC301 raw-sql and ARC302 sql-injection share: where SQL is executed, and how it was built.

A string counts as SQL only when its literal text starts with an SQL keyword *and* it
reaches an executing call (`text()`, `session.execute`, `cursor.execute`, asyncpg's
`fetch`...): a log message or a `str.format` that is never executed is not SQL.
Names are followed through simple assignments in the enclosing function (and module
constants), so a query built one statement before it is executed is still seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.names import dotted, keyword, literal_string, positional
from checks.analysis.walk import iter_nodes

# Callables that turn a string into an executable SQL construct.
SQL_CONSTRUCTS = frozenset(
    {
        "sqlalchemy.text",
        "sqlalchemy.sql.text",
        "sqlalchemy.sql.expression.text",
        "sqlmodel.text",
        "sqlalchemy.DDL",
        "sqlalchemy.schema.DDL",
    }
)
# Methods of sessions, connections, cursors and drivers (SQLAlchemy, DB-API, asyncpg,
# sqlite3/aiosqlite, databases) whose first argument is the statement to run.
EXECUTE_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "iterate",
    }
)
_STATEMENT_KEYWORDS = ("statement", "query", "sql", "operation", "command")

# Statements that read or change data or schema: what a query builder or migration replaces.
QUERY_KEYWORDS = frozenset(
    {
        "select",
        "insert",
        "update",
        "delete",
        "with",
        "create",
        "alter",
        "drop",
        "truncate",
        "merge",
        "replace",
        "upsert",
        "grant",
        "revoke",
        "call",
        "exec",
        "copy",
        "refresh",
        "explain",
    }
)
# Connection and session settings: no query builder replaces them, but built from input
# they are injectable all the same.
SETTING_KEYWORDS = frozenset(
    {"pragma", "set", "show", "begin", "vacuum", "analyze", "lock", "comment", "reset"}
)
_LEADING = re.compile(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/|\()*", re.DOTALL)
_FIRST_WORD = re.compile(r"([A-Za-z]+)\s+\S")
_PROBE = re.compile(r"^\s*select\s+\d+\s*;?\s*$", re.IGNORECASE)
_MAX_DEPTH = 10
_AT = -1  # cache key of the executing call being resolved
# Leaf node classes, tested by exact type on every call and node (isinstance() is slower).
_ASSIGNMENTS = frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign})


@dataclass(frozen=True, slots=True)
class Built:
    """How a statement argument was made: its leading literal text and how it was built."""

    text: str  # the literal text known, placeholders left out
    how: str | None  # "f-string", "%", "+", ".format" or "+=" when built from values; else None


@dataclass(frozen=True, slots=True)
class SqlSite:
    """An executing call whose statement argument is SQL."""

    call: cst.Call
    sink: str  # what executes it, as written: "text", "session.execute"
    keyword: str  # the statement's first keyword, lower-case
    text: str
    how: str | None

    def preview(self, width: int = 40) -> str:
        """The start of the statement on one line, for messages."""
        flat = " ".join(self.text.split())
        return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def sql_site(ctx: ModuleContext, call: cst.Call, cache: dict[int, object]) -> SqlSite | None:
    """The SQL statement `call` executes, when it is an executing call given SQL text."""
    func = call.func
    if type(func) is cst.Attribute and func.attr.value in EXECUTE_METHODS:
        sink = dotted(func) or func.attr.value
    elif _may_construct(ctx, func) and ctx.qualify(func) in SQL_CONSTRUCTS:
        sink = dotted(func) or "text"
    else:
        return None
    if _in_alembic(ctx):
        return None
    arg = positional(call, 0)
    if arg is None:
        for name in _STATEMENT_KEYWORDS:
            arg = keyword(call, name)
            if arg is not None:
                break
    if arg is None:
        return None
    cache[_AT] = id(call)  # where names are resolved: the executing call
    built = _built(ctx, arg.value, cache, 0)
    if built is None:
        return None
    word = _first_keyword(built.text)
    if word is None:
        return None
    return SqlSite(call, sink, word, built.text, built.how)


def sql_keyword(text: str) -> str | None:
    """The first keyword of `text` when it reads as an SQL statement, else None."""
    return _first_keyword(text)


def is_probe(text: str) -> bool:
    """`SELECT 1`: a liveness probe that reads no table."""
    return bool(_PROBE.match(text))


def _may_construct(ctx: ModuleContext, func: cst.BaseExpression) -> bool:
    """Cheap test before name resolution: `text`, `sa.text`, or a name imported as one."""
    if type(func) is cst.Attribute:
        return func.attr.value in ("text", "DDL")
    if type(func) is cst.Name:
        return func.value in ("text", "DDL") or func.value in ctx.summary.imports
    return False


def _in_alembic(ctx: ModuleContext) -> bool:
    """Migrations run fixed SQL on purpose; a module importing alembic is one."""
    return any(m == "alembic" or m.startswith("alembic.") for m in ctx.summary.imported_modules)


def _first_keyword(text: str) -> str | None:
    rest = _LEADING.sub("", text, count=1)
    match = _FIRST_WORD.match(rest)
    if match is None:
        return None
    word = match.group(1).lower()
    return word if word in QUERY_KEYWORDS or word in SETTING_KEYWORDS else None


def _built(
    ctx: ModuleContext, node: cst.BaseExpression, cache: dict[int, object], depth: int
) -> Built | None:
    """The literal text of a string expression and how it was built (None: not a string)."""
    if depth > _MAX_DEPTH:
        return None
    value = literal_string(node)
    if value is not None:
        return Built(value, None)
    if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)):
        return _formatted(ctx, node, cache, depth)
    if isinstance(node, cst.BinaryOperation):
        left = _built(ctx, node.left, cache, depth + 1)
        if left is None:
            return None
        if isinstance(node.operator, cst.Modulo):
            constant = _is_constant(ctx, node.right, cache, depth)
            return Built(left.text, left.how or (None if constant else "%"))
        if isinstance(node.operator, cst.Add):
            right = _built(ctx, node.right, cache, depth + 1)
            if right is not None:
                return Built(left.text + right.text, left.how or right.how)
            return Built(left.text + " ? ", "+")
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":
            template = _built(ctx, node.func.value, cache, depth + 1)
            constant = all(_is_constant(ctx, a.value, cache, depth) for a in node.args)
            if template is None:
                if not _is_constant(ctx, node.func.value, cache, depth):
                    return None
                template = Built("", None)  # an imported UPPER_CASE template, text unknown
            return Built(template.text, template.how or (None if constant else ".format"))
        if node.func.attr.value == "join" and node.args and _placeholders(node.args[0].value):
            return Built(" ? ", None)  # `", ".join(f":p{i}" for i in ...)`: bound parameters
        return None
    if isinstance(node, cst.IfExp):  # a fragment chosen between two others
        body = _built(ctx, node.body, cache, depth + 1)
        orelse = _built(ctx, node.orelse, cache, depth + 1)
        if body is None or orelse is None:
            return None
        return Built(body.text or orelse.text, body.how or orelse.how)
    if isinstance(node, cst.Name):
        return _name(ctx, node.value, cache, depth)
    return None


def _formatted(
    ctx: ModuleContext,
    node: cst.FormattedString | cst.ConcatenatedString,
    cache: dict[int, object],
    depth: int,
) -> Built | None:
    if isinstance(node, cst.ConcatenatedString):
        left = _built(ctx, node.left, cache, depth + 1)
        right = _built(ctx, node.right, cache, depth + 1)
        if left is None or right is None:
            return None
        return Built(left.text + right.text, left.how or right.how)
    text: list[str] = []
    dynamic = False
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            text.append(part.value)
        elif isinstance(part, cst.FormattedStringExpression):
            text.append(" ? ")
            if not _is_constant(ctx, part.expression, cache, depth):
                dynamic = True
    return Built("".join(text), "f-string" if dynamic else None)


def _placeholders(node: cst.BaseExpression) -> bool:
    """Items that are bind-parameter markers: `f":p{i}" for i in ...`, `["?"] * n`, `"?" * n`."""
    if isinstance(node, (cst.GeneratorExp, cst.ListComp)):
        return _placeholder(node.elt)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
        items = node.left
        if isinstance(items, cst.List):
            return all(_placeholder(e.value) for e in items.elements)
        return _placeholder(items)
    return False


def _placeholder(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return (
            isinstance(first, cst.FormattedStringText)
            and first.value[:1] in (":", "$", "@")
            and all(
                isinstance(p.expression, cst.Name)
                for p in node.parts
                if isinstance(p, cst.FormattedStringExpression)
            )
        )
    return literal_string(node) in ("?", "%s")


def _is_constant(
    ctx: ModuleContext, node: cst.BaseExpression, cache: dict[int, object], depth: int
) -> bool:
    """A value fixed in the source: a literal, a constant, a model's `__tablename__`.

    UPPER_CASE names are constants by convention, also when imported from another module
    (whose value the linter does not read), and so is `CLAUSE.format(alias="u")`.
    """
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Attribute) and node.attr.value == "__tablename__":
        return True
    if isinstance(node, cst.Name) and node.value.isupper():
        return True
    if isinstance(node, cst.Tuple):
        return all(_is_constant(ctx, e.value, cache, depth) for e in node.elements)
    built = _built(ctx, node, cache, depth + 1)
    return built is not None and built.how is None


def _name(ctx: ModuleContext, name: str, cache: dict[int, object], depth: int) -> Built | None:
    """Follow a name to what the enclosing function (or the module) assigns to it.

    In a function, only the last plain assignment before the executing call counts (with
    the `+=` after it), so a name reused for another statement later is not mixed in.
    """
    function = ctx.function
    scope: cst.CSTNode = function if function is not None else ctx.tree
    values = _assigned(scope, cache).assignments.get(name)
    if values is None and function is not None:
        if name in _parameters(function):
            return None
        values = _assigned(ctx.tree, cache).assignments.get(name)
    elif values and function is not None:
        at = cache.get(_AT)
        values = _reaching(
            values, _assigned(scope, cache).calls.get(at if isinstance(at, int) else 0)
        )
    if not values:
        return None
    text: str | None = None
    how: str | None = None
    for _order, value, augmented in values:
        built = _built(ctx, value, cache, depth + 1)
        if augmented:
            if built is None or built.how is not None:
                how = how or (built.how if built is not None else "+=")
            continue
        if built is None:
            return None  # the name also holds something that is not a string
        if text is None:
            text = built.text
        how = how or built.how
    return Built(text, how) if text is not None else None


def _reaching(values: list[_Assignment], at: int | None) -> list[_Assignment]:
    """The assignments that reach position `at`: the last plain one before it, and `+=` after."""
    if at is None:
        return values
    before = [v for v in values if v[0] < at]
    plain = [i for i, v in enumerate(before) if not v[2]]
    if not plain:
        return values  # assigned only later (a loop): keep them all
    return before[plain[-1] :]


def _parameters(function: cst.FunctionDef) -> set[str]:
    params = function.params
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


_Assignment = tuple[int, cst.BaseExpression, bool]  # (source order, value, is `+=`)


@dataclass(slots=True)
class _Scope:
    """Assignments of a function or module by name, and the source order of its calls."""

    assignments: dict[str, list[_Assignment]]
    calls: dict[int, int]


def _assigned(scope: cst.CSTNode, cache: dict[int, object]) -> _Scope:
    """Values of the simple assignments (and `+=`) to each name in a function or module."""
    key = id(scope)
    found = cache.get(key)
    if isinstance(found, _Scope):
        return found
    table: dict[str, list[_Assignment]] = {}
    calls: dict[int, int] = {}
    result = _Scope(table, calls)
    cache[key] = result
    roots = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body
    order = 0
    for root in roots:
        if isinstance(scope, cst.Module) and not isinstance(root, cst.SimpleStatementLine):
            continue
        for node in iter_nodes(root):
            order += 1
            kind = type(node)
            if kind is cst.Call:
                calls[id(node)] = order
            elif kind in _ASSIGNMENTS:
                # An assignment takes effect after its value: `q = text(q)` reads the old `q`.
                done = order + sum(1 for _ in iter_nodes(node)) - 1
                augmented = isinstance(node, cst.AugAssign)
                for name in _assigned_names(node):
                    table.setdefault(name, []).append((done, node.value, augmented))
    return result


def _assigned_names(node: cst.Assign | cst.AnnAssign | cst.AugAssign) -> list[str]:
    if isinstance(node, cst.Assign):
        return [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
    if node.value is not None and isinstance(node.target, cst.Name):
        return [node.target.value]
    return []
