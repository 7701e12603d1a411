"""What a rule sees of the module it checks: names, types, scopes, and where to report.

Type inference here is deliberately shallow and cheap: parameter annotations
(`Annotated[...]` and `Depends(provider)` included), simple local assignments,
attributes declared on project classes, and declared return types across modules.
That answers "is `db` a session?" and "does `service.get()` return an ORM model?"
without a type checker.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from checks.analysis.idioms import DEPENDS, ITERATOR_WRAPPERS, SESSION_FACTORIES, SESSION_TYPES
from checks.analysis.index import ProjectIndex
from checks.analysis.model import ModuleSummary, RouteInfo
from checks.analysis.names import annotation_names, positional, qualify
from checks.analysis.summarize import Summarizer
from checks.analysis.walk import NODE_TYPES, iter_nodes

_NO_TYPES: frozenset[str] = frozenset()
_MAX_ALIAS_DEPTH = 4  # aliases of aliases (`SessionDep` of a NewType of AsyncSession)
_SESSION_LOOKUPS = frozenset({"get", "get_one"})  # Session methods returning the named model
_SESSION_OF_FACTORY = {
    name: "sqlalchemy.ext.asyncio.AsyncSession" if "async" in name else "sqlalchemy.orm.Session"
    for name in SESSION_FACTORIES
}


@dataclass(slots=True)
class Finding:
    """A rule's report before the engine gives it a position."""

    code: str
    name: str
    node: cst.CSTNode
    message: str
    scope: str


class ModuleContext:
    """Per-module services for rules; the engine keeps `functions`/`classes` current."""

    def __init__(
        self, tree: cst.Module, summary: ModuleSummary, index: ProjectIndex, summarizer: Summarizer
    ) -> None:
        self.tree = tree
        self.summary = summary
        self.index = index
        self._summarizer = summarizer
        self.functions: list[cst.FunctionDef] = []  # enclosing functions, innermost last
        self.classes: list[cst.ClassDef] = []
        self.findings: list[Finding] = []
        self._routes = {route.function: route for route in index.routes_in(summary.module)}
        self._local_types: dict[int, dict[str, frozenset[str]]] = {}
        self._scopes: list[cst.FunctionDef | cst.ClassDef] = []
        self._scope_names = [""]  # qualified name of each open scope, module level first
        self._qualified: dict[int, tuple[cst.CSTNode, str | None]] = {}
        self._types: dict[tuple[int, int], tuple[cst.CSTNode, frozenset[str]]] = {}
        self._body: tuple[cst.FunctionDef | None, list[cst.CSTNode]] = (None, [])

    # -- where we are -----------------------------------------------------------------
    @property
    def layer(self) -> str | None:
        """The layer of the module being checked."""
        return self.summary.layer

    def scope_name(self) -> str:
        """Qualified name of the innermost enclosing class/function ("" at module level)."""
        return self._scope_names[-1]

    def enter(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        """Called by the engine's walk when it enters a function or class."""
        outer = self._scope_names[-1]
        self._scope_names.append(f"{outer}.{node.name.value}" if outer else node.name.value)
        self._scopes.append(node)
        (self.functions if type(node) is cst.FunctionDef else self.classes).append(node)

    def leave(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        """Called by the engine's walk when it leaves a function or class."""
        self._scope_names.pop()
        self._scopes.pop()
        (self.functions if type(node) is cst.FunctionDef else self.classes).pop()

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost enclosing function, if any."""
        return self.functions[-1] if self.functions else None

    def route_of(self, node: cst.FunctionDef) -> RouteInfo | None:
        """The route this function handles, if it is a route handler (entered or not)."""
        if self._scopes and self._scopes[-1] is node:
            return self._routes.get(self.scope_name())
        outer = self.scope_name()
        return self._routes.get(f"{outer}.{node.name.value}" if outer else node.name.value)

    @property
    def route(self) -> RouteInfo | None:
        """The route handled by the innermost enclosing function, if it is a handler."""
        function = self.function
        return self.route_of(function) if function is not None else None

    def body_nodes(self, function: cst.FunctionDef) -> list[cst.CSTNode]:
        """Every node of the function's body, nested functions included, in source order.

        Several route rules read each handler's whole body, one after another from their
        `visit_FunctionDef` hooks: the last function's list is kept for the next rule.
        """
        if self._body[0] is not function:
            self._body = (function, list(iter_nodes(function.body)))
        return self._body[1]

    # -- names -----------------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression) -> str | None:
        """Canonical dotted name of a Name/Attribute chain (imports and re-exports followed).

        Memoised per node: most rules ask it of every call. The entry keeps the node, so
        its id cannot be reused by another node while the entry lives.
        """
        entry = self._qualified.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        name = qualify(node, self._summarizer.resolve)
        found = self.index.canonical(name) if name is not None else None
        self._qualified[id(node)] = (node, found)
        return found

    def annotation(self, node: cst.BaseExpression | None) -> frozenset[str]:
        """Canonical names a type annotation mentions."""
        names = annotation_names(node, self._summarizer.resolve)
        return frozenset(self.index.canonical(n) for n in names)

    def call_name(self, call: cst.Call) -> str | None:
        """Canonical name of the function a call calls, when it is a plain name chain."""
        return self.qualify(call.func)

    # -- types -----------------------------------------------------------------------
    def type_of(self, node: cst.BaseExpression) -> frozenset[str]:
        """Best-effort canonical type names of an expression's value (empty when unknown).

        Memoised per node and enclosing function (a node's types depend on its scope).
        """
        key = (id(node), id(self.functions[-1]) if self.functions else 0)
        entry = self._types.get(key)
        if entry is not None and entry[0] is node:
            return entry[1]
        found = self._infer(node)
        self._types[key] = (node, found)
        return found

    def _infer(self, node: cst.BaseExpression) -> frozenset[str]:
        kind = type(node)  # exact leaf types: see names.py
        if kind is cst.Await:
            return self.type_of(node.expression)
        if kind is cst.Name:
            return self._name_type(node.value)
        if kind is cst.Attribute:
            owner = self.type_of(node.value)
            found: set[str] = set()
            for cls in owner:
                found.update(self._expand(self.index.field_types(cls, node.attr.value)))
            if not found:
                name = self.qualify(node)
                if name is not None:
                    found.update(self._declared(name))
            return frozenset(found)
        if kind is cst.Call:
            return self._call_type(node)
        return _NO_TYPES

    def _call_type(self, call: cst.Call) -> frozenset[str]:
        func = call.func
        if type(func) is cst.Attribute:
            owner = self.type_of(func.value)
            found: set[str] = set()
            for cls in owner:
                returned = self.index.method_returns(cls, func.attr.value)
                if returned:
                    found.update(self._expand(returned))
            if found:
                return frozenset(found)
            if func.attr.value in _SESSION_LOOKUPS and owner & SESSION_TYPES:
                # `session.get(User, user_id)`: an instance of the model it names
                model = positional(call, 0)
                name = self.qualify(model.value) if model is not None else None
                return frozenset({name}) if name is not None else _NO_TYPES
        name = self.qualify(func)
        if name is None:
            return _NO_TYPES
        if name in self.index.returns:
            return frozenset(self._expand(self.index.returns[name]))
        factory = self.index.instances.get(name)
        if factory is not None and self.index.canonical(factory) in SESSION_FACTORIES:
            # `SessionLocal()` where `SessionLocal = sessionmaker(...)`: a session
            return frozenset({_SESSION_OF_FACTORY[self.index.canonical(factory)]})
        return frozenset({name})  # a class, or a callee rules know by name (create_engine)

    def _declared(self, name: str) -> frozenset[str]:
        if name in self.index.aliases:
            return frozenset(self._expand(self.index.aliases[name]))
        callee = self.index.instances.get(name)
        if callee is not None:
            callee = self.index.canonical(callee)
            if callee in self.index.returns:
                return frozenset(self._expand(self.index.returns[callee]))
            return frozenset({callee})
        return _NO_TYPES

    def _expand(self, names: tuple[str, ...] | frozenset[str]) -> set[str]:
        """Canonicalise, unwrap generator dependencies, and expand type aliases."""
        found: set[str] = set()
        pending = [(name, 0) for name in names]
        while pending:
            name, depth = pending.pop()
            name = self.index.canonical(name)
            if name in ITERATOR_WRAPPERS:
                continue
            if name in self.index.aliases and depth < _MAX_ALIAS_DEPTH:
                pending.extend((n, depth + 1) for n in self.index.aliases[name])
            else:
                found.add(name)
        return found

    def _name_type(self, name: str) -> frozenset[str]:
        for function in reversed(self.functions):
            local = self._locals_of(function)
            if name in local:
                return local[name]
        qualified = self._summarizer.resolve(name)
        if qualified is None:
            return _NO_TYPES
        return self._declared(self.index.canonical(qualified))

    def _locals_of(self, function: cst.FunctionDef) -> dict[str, frozenset[str]]:
        key = id(function)
        cached = self._local_types.get(key)
        if cached is not None:
            return cached
        types: dict[str, frozenset[str]] = {}
        self._local_types[key] = types  # guards against recursion through assignments
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            types[param.name.value] = self.param_type(param)
        if self.classes and params.params and params.params[0].name.value in ("self", "cls"):
            types[params.params[0].name.value] = frozenset({self._enclosing_class()})
        for target, value in _assignments(function.body):
            inferred = self.type_of(value)
            if inferred:
                types[target] = types.get(target, _NO_TYPES) | inferred
        return types

    def _enclosing_class(self) -> str:
        names = [c.name.value for c in self.classes]
        return self.index.canonical(".".join([self.summary.module, *names]))

    def param_type(self, param: cst.Param) -> frozenset[str]:
        """Types of a parameter: its annotation, else what its `Depends(provider)` returns."""
        if param.annotation is not None:
            found = self._expand(self.annotation(param.annotation.annotation))
            if found:
                return frozenset(found)
        provider = self.depends_provider(param)
        if provider is not None:
            if provider in self.index.returns:
                return frozenset(self._expand(self.index.returns[provider]))
            return frozenset({provider})
        return _NO_TYPES

    def depends_provider(self, param: cst.Param) -> str | None:
        """The provider of `= Depends(provider)` or `Annotated[..., Depends(provider)]`."""
        candidates: list[cst.BaseExpression] = []
        if param.default is not None:
            candidates.append(param.default)
        if param.annotation is not None and isinstance(param.annotation.annotation, cst.Subscript):
            candidates.extend(
                e.slice.value
                for e in param.annotation.annotation.slice
                if isinstance(e.slice, cst.Index)
            )
        for candidate in candidates:
            if isinstance(candidate, cst.Call) and self.qualify(candidate.func) in DEPENDS:
                arg = positional(candidate, 0)
                if arg is not None:
                    return self.qualify(arg.value)
        return None

    def is_dependency(self, param: cst.Param) -> bool:
        """Whether FastAPI injects this parameter through Depends()/Security()."""
        candidates = [param.default] if param.default is not None else []
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, cst.Subscript):
            candidates.extend(
                e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)
            )
        elif annotation is not None:
            name = self.qualify(annotation)
            if name is not None and name in self.index.aliases:
                return True  # `SessionDep`-style aliases of Annotated[..., Depends()]
        return any(isinstance(c, cst.Call) and self.qualify(c.func) in DEPENDS for c in candidates)

    # -- reporting -------------------------------------------------------------------
    def add_finding(self, code: str, name: str, node: cst.CSTNode, message: str) -> None:
        """Record a finding at `node` in the current scope."""
        self.findings.append(Finding(code, name, node, message, self.scope_name()))


def _assignments(block: cst.BaseSuite) -> list[tuple[str, cst.BaseExpression]]:
    """(name, value) of simple assignments in a function body, nested blocks included."""
    found: list[tuple[str, cst.BaseExpression]] = []
    stack: list[cst.CSTNode] = [block]
    while stack:
        node = stack.pop()
        kind = type(node)  # exact leaf types: see names.py
        if kind in _SCOPES and node is not block:
            continue
        if kind is cst.Assign:
            for target in node.targets:
                if type(target.target) is cst.Name:
                    found.append((target.target.value, node.value))
        elif kind is cst.AnnAssign and type(node.target) is cst.Name:
            if node.value is not None:
                found.append((node.target.value, node.value))
        elif kind is cst.WithItem and node.asname is not None:
            target = node.asname.name
            if type(target) is cst.Name:
                found.append((target.value, node.item))
        elif kind in _BLOCKS:
            stack.extend(reversed(node.body))
        elif kind in _COMPOUND_STATEMENTS:
            stack.extend(reversed(_compound_children(node)))
    return found


_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})
_BLOCKS = frozenset({cst.SimpleStatementLine, cst.IndentedBlock, cst.SimpleStatementSuite})
_COMPOUND_STATEMENTS = frozenset(
    kind for kind in NODE_TYPES if issubclass(kind, cst.BaseCompoundStatement)
)


def _compound_children(node: cst.BaseCompoundStatement) -> list[cst.CSTNode]:
    parts: list[cst.CSTNode] = []
    if isinstance(node, cst.Match):  # no body of its own: one per case
        return [case.body for case in node.cases]
    if isinstance(node, cst.With):
        parts.extend(node.items)
    parts.append(node.body)
    for extra in ("orelse", "finalbody"):
        branch = getattr(node, extra, None)
        if branch is not None:
            parts.append(branch if isinstance(branch, cst.If) else branch.body)
    parts.extend(h.body for h in getattr(node, "handlers", ()))
    return parts
