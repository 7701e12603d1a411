"""The project-wide index: what each name in the project is, across modules.

Built once per run from the module summaries (cheap: no parsing), then shared with
every per-file check, so a rule in `api/users.py` knows that `UserService.get` in
`services/users.py` is annotated `-> User` and that `User` is an ORM model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cached_property

from checks.analysis.idioms import (
    APP_CLASSES,
    DECLARATIVE_FACTORIES,
    DECLARATIVE_ROOTS,
    PYDANTIC_ROOTS,
    ROUTER_CLASSES,
    SETTINGS_ROOTS,
    SQLMODEL_ROOTS,
)
from checks.analysis.model import ClassInfo, IncludeInfo, ModuleSummary, RouteInfo, RouterInfo

_MAX_HOPS = 12


class ProjectIndex:
    """Cross-module facts: ORM models, schemas, settings, routers, declared types."""

    def __init__(self, summaries: Iterable[ModuleSummary]) -> None:
        self.modules: dict[str, ModuleSummary] = {s.module: s for s in summaries}
        self._canonical: dict[str, str] = {}  # the index never changes once built
        self.classes: dict[str, ClassInfo] = {}
        self.returns: dict[str, tuple[str, ...]] = {}
        self.aliases: dict[str, tuple[str, ...]] = {}
        self.instances: dict[str, str] = {}
        for summary in self.modules.values():
            for info in summary.classes:
                self.classes[info.name] = info
            self.returns.update(summary.returns)
            self.aliases.update(summary.aliases)
            self.instances.update(summary.instances)
        self._kinds: dict[str, frozenset[str]] = {}
        self.orm_bases = frozenset(self._orm_bases())
        self.orm_models = frozenset(n for n in self.classes if self._is_mapped(n))
        self.schemas = frozenset(
            n
            for n in self.classes
            if {"pydantic"} <= self.kinds(n)
            and not self._is_table_model(n)
            and "settings" not in self.kinds(n)
        )
        self.settings = frozenset(n for n in self.classes if "settings" in self.kinds(n))
        self.routers: dict[str, tuple[str, RouterInfo]] = {}
        for summary in self.modules.values():
            for router in summary.routers:
                kind = self.router_kind(router.callee)
                if kind is not None:
                    self.routers[router.name] = (kind, router)

    @classmethod
    def build(cls, summaries: Iterable[ModuleSummary]) -> ProjectIndex:
        """The index of a project made of these module summaries."""
        return cls(summaries)

    @classmethod
    def of_files(cls, summaries: Mapping[str, ModuleSummary]) -> ProjectIndex:
        """The index of the summaries by file path, taken in path order.

        The order decides which of two equal names wins, so every process that builds
        the index from the same files (the engine and each worker) gets the same one.
        """
        return cls(summaries[path] for path in sorted(summaries))

    # -- names -----------------------------------------------------------------------
    def canonical(self, name: str) -> str:
        """Follow re-exports (`from .user import User` in a package) to the defining name."""
        found = self._canonical.get(name)
        if found is None:
            found = self._canonical[name] = self._follow_re_exports(name)
        return found

    def _follow_re_exports(self, name: str) -> str:
        for _ in range(_MAX_HOPS):
            if name in self.classes or name in self.returns or name in self.modules:
                return name
            module, attr = self._split(name)
            if module is None:
                return name
            head, _, rest = attr.partition(".")
            target = self.modules[module].imports.get(head)
            if target is None or target == name:
                return name
            name = f"{target}.{rest}" if rest else target
        return name

    def module_of(self, name: str) -> ModuleSummary | None:
        """The project module that defines `name` (a class, function or module-level name)."""
        module, _ = self._split(self.canonical(name))
        return self.modules[module] if module is not None else None

    def _split(self, name: str) -> tuple[str | None, str]:
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                return module, ".".join(parts[cut:])
        return None, name

    # -- classes -----------------------------------------------------------------------
    def ancestors(self, name: str) -> list[str]:
        """The class and its bases, transitively, as far as the project defines them."""
        seen: list[str] = []
        stack = [self.canonical(name)]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.append(current)
            info = self.classes.get(current)
            if info is not None:
                stack.extend(self.canonical(b) for b in reversed(info.bases))
        return seen

    def kinds(self, name: str) -> frozenset[str]:
        """Which families a class belongs to: orm, sqlmodel, pydantic, settings, router, app."""
        name = self.canonical(name)
        cached = self._kinds.get(name)
        if cached is not None:
            return cached
        found: set[str] = set()
        for ancestor in self.ancestors(name):
            if ancestor in DECLARATIVE_ROOTS or ancestor in self._declarative_factory_results:
                found.add("orm")
            if ancestor in SQLMODEL_ROOTS:
                found.update(("sqlmodel", "pydantic"))
            if ancestor in PYDANTIC_ROOTS:
                found.add("pydantic")
            if ancestor in SETTINGS_ROOTS:
                found.update(("settings", "pydantic"))
            if ancestor in ROUTER_CLASSES:
                found.add("router")
            if ancestor in APP_CLASSES:
                found.add("app")
            info = self.classes.get(ancestor)
            if info is not None and info.has_tablename:
                found.add("orm")
        result = frozenset(found)
        self._kinds[name] = result
        return result

    @cached_property
    def _declarative_factory_results(self) -> frozenset[str]:
        return frozenset(
            name for name, callee in self.instances.items() if callee in DECLARATIVE_FACTORIES
        )

    def _orm_bases(self) -> set[str]:
        bases = set(self._declarative_factory_results)
        for name, info in self.classes.items():
            if any(self.canonical(b) in DECLARATIVE_ROOTS for b in info.bases):
                bases.add(name)
        return bases

    def _is_table_model(self, name: str) -> bool:
        info = self.classes.get(name)
        return info is not None and info.keywords.get("table") == "True"

    def _is_mapped(self, name: str) -> bool:
        info = self.classes[name]
        if name in self.orm_bases or info.is_abstract:
            return False
        kinds = self.kinds(name)
        if "sqlmodel" in kinds:
            return self._is_table_model(name)
        return info.has_tablename or ("orm" in kinds and self._inherits_mapping(name))

    def _inherits_mapping(self, name: str) -> bool:
        """A declarative subclass maps a table when it or an ancestor names one."""
        return any(
            (info := self.classes.get(a)) is not None and info.has_tablename
            for a in self.ancestors(name)
        )

    def is_orm(self, name: str) -> bool:
        """An ORM model class or a declarative base."""
        name = self.canonical(name)
        return name in self.orm_models or name in self.orm_bases

    def is_schema(self, name: str) -> bool:
        """A Pydantic model (or non-table SQLModel) defined in the project."""
        return self.canonical(name) in self.schemas

    def router_kind(self, callee: str) -> str | None:
        """Return "app" or "router" when calling `callee` makes a FastAPI app or an APIRouter."""
        callee = self.canonical(callee)
        for _ in range(_MAX_HOPS):  # `APIRouter = get_api_router_class(...)` (polar)
            if callee in self.classes or callee in self.returns or callee not in self.instances:
                break
            callee = self.canonical(self.instances[callee])
        if callee in APP_CLASSES:
            return "app"
        if callee in ROUTER_CLASSES:
            return "router"
        kinds = self.kinds(callee) if callee in self.classes else frozenset()
        if "app" in kinds:
            return "app"
        if "router" in kinds:
            return "router"
        for returned in self.returns.get(callee, ()):
            returned = self.canonical(returned)
            if returned in APP_CLASSES or "app" in self.kinds(returned):
                return "app"
            if returned in ROUTER_CLASSES or "router" in self.kinds(returned):
                return "router"
        return None

    def is_router(self, name: str | None) -> bool:
        """Whether `name` is a project APIRouter/FastAPI object (module level or local)."""
        if name is None:
            return False
        name = self.canonical(name)
        if name in self.routers:
            return True
        callee = self.instances.get(name)
        return callee is not None and self.router_kind(callee) is not None

    def router_settings(self, router: str | None) -> tuple[str | None, bool]:
        """(default response class, hidden) of a router, from it or what includes it.

        `default_response_class=` and `include_in_schema=False` count on the router, on
        an `include_router()` call and on any router or app above it; the nearest default
        response class wins.
        """
        response_class, hidden = None, False
        pending = [self.canonical(router)] if router is not None else []
        seen: set[str] = set()
        while pending:
            name = pending.pop(0)
            if name in seen or len(seen) > _MAX_HOPS:
                continue
            seen.add(name)
            found = self.routers.get(name)
            settings = [found[1]] if found is not None else []
            for include in self._includes_of.get(name, ()):
                settings.append(include)
                if include.parent is not None:
                    pending.append(self.canonical(include.parent))
            for item in settings:
                response_class = response_class or item.default_response_class
                hidden = hidden or item.hidden
        return response_class, hidden

    @cached_property
    def _includes_of(self) -> dict[str, list[IncludeInfo]]:
        found: dict[str, list[IncludeInfo]] = {}
        for summary in self.modules.values():
            for include in summary.includes:
                if include.child is not None:
                    found.setdefault(self.canonical(include.child), []).append(include)
        return found

    def field_types(self, class_name: str, attribute: str) -> tuple[str, ...]:
        """Declared type names of `attribute` on a project class or its project bases."""
        for ancestor in self.ancestors(class_name):
            info = self.classes.get(ancestor)
            if info is not None and attribute in info.fields:
                return info.fields[attribute]
        return ()

    def method_returns(self, class_name: str, method: str) -> tuple[str, ...] | None:
        """Declared return type names of a method, looked up through project bases."""
        for ancestor in self.ancestors(class_name):
            found = self.returns.get(f"{ancestor}.{method}")
            if found is not None:
                return found
        return None

    def routes(self) -> list[tuple[ModuleSummary, RouteInfo]]:
        """Every route handler of the project whose decorator belongs to a router or app."""
        return [
            (self.modules[module], route)
            for module, routes in self._routes_by_module.items()
            for route in routes
        ]

    def routes_in(self, module: str) -> list[RouteInfo]:
        """The route handlers of one module (computed once per index, not once per file)."""
        return self._routes_by_module.get(module, [])

    @cached_property
    def _routes_by_module(self) -> dict[str, list[RouteInfo]]:
        found: dict[str, list[RouteInfo]] = {}
        for summary in self.modules.values():
            for route in summary.routes:
                if self.is_router(route.router) or (
                    route.router is None and "fastapi" in summary.imported_modules
                ):
                    found.setdefault(summary.module, []).append(route)
        return found

    @cached_property
    def response_models(self) -> frozenset[str]:
        """Canonical names in any route's response_model or return annotation."""
        names: set[str] = set()
        for routes in self._routes_by_module.values():
            for route in routes:
                names.update(route.response_model or ())
                names.update(route.returns)
        return frozenset(self.canonical(n) for n in names)

    # -- caching ---------------------------------------------------------------------
    def fingerprint(self) -> str:
        """A digest of the cross-module facts per-file rules read (positions excluded).

        Editing a function body leaves it unchanged, so other files' cached results stay valid.
        Facts are sorted and hashed by their repr: pickle's bytes depend on which equal
        strings share an object, so equal facts could hash differently.
        """
        facts = (
            _ordered(self.orm_models),
            _ordered(self.orm_bases),
            _ordered(self.schemas),
            _ordered(self.settings),
            _ordered(self.returns.items()),
            _ordered(self.aliases.items()),
            _ordered(self.instances.items()),
            _ordered(
                (n, kind, str(r.prefix), r.default_response_class or "", r.hidden)
                for n, (kind, r) in self.routers.items()
            ),
            _ordered(
                (i.parent or "", i.child or "", i.default_response_class or "", i.hidden)
                for s in self.modules.values()
                for i in s.includes
            ),
            _ordered(
                (n, _ordered(c.fields.items()), c.bases, _ordered(c.method_kinds.items()))
                for n, c in self.classes.items()
            ),
            _ordered(
                (s.module, r.function, r.router, r.methods, r.path, r.is_async)
                for s in self.modules.values()
                for r in s.routes
            ),
        )
        text = "\0".join("\1".join(group) for group in facts)  # reprs never hold either
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _ordered(items: Iterable[object]) -> list[str]:
    """The items' reprs in a stable order, whatever their types (None beside str, say)."""
    return sorted(map(repr, items))
