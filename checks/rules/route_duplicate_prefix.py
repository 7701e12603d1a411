"""ARC107 route-duplicate-prefix: judged on the whole project's include chain."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from checks.analysis.index import ProjectIndex
from checks.analysis.model import (
    IncludeInfo,
    ModuleSummary,
    Position,
    RouteInfo,
    RouterInfo,
    Violation,
)
from checks.rules.base import Invalid, Rule, Valid

_PARAM = re.compile(r"\{([^}:]*)(:[^}]*)?\}")
_UNKNOWN = re.compile(r"\x00\d+\x00")
_MAX_DEPTH = 20


@dataclass(frozen=True, slots=True)
class _Served:
    """A route as the app serves it: full path and where its handler is."""

    method: str
    path: str  # unknown (non-literal) prefixes as "\x00n\x00" markers
    summary: ModuleSummary
    route: RouteInfo


class RouteDuplicatePrefixRule(Rule):
    """Routers included under their own prefix again, and routes registered twice."""

    code = "ARC107"
    name = "route-duplicate-prefix"
    summary = "router included with a prefix it already declares, or two routes on one path"
    rationale = (
        "What it does: follows every `include_router` chain from the FastAPI app down to "
        "each route and computes the path the app serves. It reports a router included "
        'with a prefix it already declares (`APIRouter(prefix="/users")` then '
        '`include_router(router, prefix="/users")`), and a second route with the same '
        "method and full path as another.\n\n"
        "Why it is bad: FastAPI applies both prefixes, so the routes end up under "
        "`/users/users` and every client call gets a 404; and of two routes on one method "
        "and path, only the first registered ever runs, so the second handler is dead "
        "code that looks live."
    )
    fix = (
        'Declare each prefix once, on the router (`APIRouter(prefix="/users")`) or on the '
        "`include_router` call, not both; give each route a distinct method and path, or "
        "delete the one that can never run."
    )
    reference = "reference_app/api/router.py"

    VALID = (
        Valid(
            """
            from fastapi import FastAPI
            from app.api import users, posts

            app = FastAPI()
            app.include_router(users.router, prefix="/api/v1")
            app.include_router(posts.router, prefix="/api/v1")
            """,
            path="app/main.py",
            files={
                "app/api/users.py": """
                    from fastapi import APIRouter
                    router = APIRouter(prefix="/users")

                    @router.get("/{user_id}")
                    def read_user(user_id: int): ...
                """,
                "app/api/posts.py": """
                    from fastapi import APIRouter
                    router = APIRouter(prefix="/posts")

                    @router.get("/{post_id}")
                    def read_post(post_id: int): ...
                """,
            },
            note="one prefix on each router, a shared version prefix on the include",
        ),
        Valid(
            """
            from fastapi import APIRouter

            router = APIRouter(prefix="/items")

            @router.get("/{item_id}")
            def read_item(item_id: int): ...

            @router.put("/{item_id}")
            def replace_item(item_id: int): ...

            @router.get("/{item_id}/owner")
            def read_owner(item_id: int): ...
            """,
            path="app/api/items.py",
            files={
                "app/main.py": """
                    from fastapi import FastAPI
                    from app.api.items import router
                    app = FastAPI()
                    app.include_router(router)
                """
            },
            note="same path, different methods; same method, different paths",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from app.api import v1, v2
            from app.core.config import settings

            app = FastAPI()
            app.include_router(v1.router, prefix=settings.API_V1)
            app.include_router(v2.router, prefix=settings.API_V2)
            """,
            path="app/main.py",
            files={
                "app/api/v1.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/users")
                    def list_users(): ...
                """,
                "app/api/v2.py": """
                    from fastapi import APIRouter
                    router = APIRouter()

                    @router.get("/users")
                    def list_users(): ...
                """,
                "app/core/config.py": "settings = None\n",
            },
            note="prefixes that are not literals are not assumed equal",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from app.api import emails, oauth

            app = FastAPI()
            app.include_router(emails.router)
            app.include_router(oauth.router)
            """,
            path="app/main.py",
            files={
                "app/api/emails.py": """
                    from fastapi import APIRouter
                    from app.core.config import settings
                    router = APIRouter(prefix=f"{settings.API_V1}/emails")

                    @router.get("/list")
                    def list_all(): ...
                """,
                "app/api/oauth.py": """
                    from fastapi import APIRouter
                    from app.core.config import settings
                    router = APIRouter(prefix=f"{settings.API_V1}/oauth2")

                    @router.get("/list")
                    def list_all(): ...
                """,
                "app/core/config.py": "settings = None\n",
            },
            note="routers whose own prefixes are not literals (fastapi_best_architecture)",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import FastAPI
            from app.api.v1.users import router as users_router

            api_v1 = FastAPI()
            api_v1.include_router(users_router, prefix="/users")
            """,
            path="app/main.py",
            files={
                "app/api/v1/users/router.py": """
                    from fastapi import APIRouter
                    router = APIRouter(prefix="/users", tags=["users"])

                    @router.get("/{user_id}")
                    async def get_user(user_id: int): ...
                """,
            },
            line=6,
            note="the seed's route registration: every route ends up under /users/users",
        ),
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter(prefix="/users")

            @router.get("/{user_id}")
            async def read_user(user_id: int): ...

            @router.get("/{id}")
            async def read_user_by_id(id: int): ...
            """,
            path="app/api/users.py",
            files={
                "app/api/router.py": """
                    from fastapi import APIRouter
                    from app.api import users
                    api_router = APIRouter(prefix="/api/v1")
                    api_router.include_router(users.router)
                """,
                "app/main.py": """
                    from fastapi import FastAPI
                    from app.api.router import api_router
                    app = FastAPI()
                    app.include_router(api_router)
                """,
            },
            line=10,
            note="GET /api/v1/users/{id}: the second handler never runs",
        ),
    )

    @classmethod
    def check_project(
        cls, index: ProjectIndex, options: Mapping[str, object]
    ) -> Iterable[Violation]:
        """Doubled prefixes on includes, then duplicate routes per app."""
        yield from cls._doubled_prefixes(index)
        yield from cls._duplicate_routes(index)

    @classmethod
    def _doubled_prefixes(cls, index: ProjectIndex) -> Iterator[Violation]:
        for summary in index.modules.values():
            for include in summary.includes:
                child = _router(index, include.child)
                if child is None or not include.prefix:
                    continue
                if child[1].prefix is None:
                    continue
                own, given = child[1].prefix.rstrip("/"), include.prefix.rstrip("/")
                if own and (given == own or given.endswith(own if own[0] == "/" else "/" + own)):
                    router = _child(index, include.child)
                    yield cls._violation(
                        summary,
                        include.position,
                        f'{router} already declares prefix="{child[1].prefix}"; including '
                        f'it with prefix="{include.prefix}" serves its routes under '
                        f"{given}{own}/...",
                        "",
                    )

    @classmethod
    def _duplicate_routes(cls, index: ProjectIndex) -> Iterator[Violation]:
        routes: dict[str, list[tuple[ModuleSummary, RouteInfo]]] = {}
        for summary, route in index.routes():
            if route.router is not None and route.path is not None:
                routes.setdefault(index.canonical(route.router), []).append((summary, route))
        includes: dict[str, list[IncludeInfo]] = {}
        for summary in index.modules.values():
            for include in summary.includes:
                if include.parent is not None and include.child is not None:
                    includes.setdefault(index.canonical(include.parent), []).append(include)
        apps = [name for name, (kind, _) in index.routers.items() if kind == "app"]
        if not apps:
            children = {
                index.canonical(i.child or "") for found in includes.values() for i in found
            }
            apps = [name for name in index.routers if name not in children]
        unknown: dict[int, int] = {}
        for app in sorted(apps):
            first: dict[tuple[str, str], _Served] = {}
            for served in _serve(index, app, "", routes, includes, unknown, ()):
                key = (served.method, _PARAM.sub(r"{\2}", served.path))
                earlier = first.setdefault(key, served)
                if earlier is served:
                    continue
                other = f"{earlier.route.function}() in {earlier.summary.path}"
                other += f":{earlier.route.position.line}"
                shown = _UNKNOWN.sub("{...}", served.path)
                yield cls._violation(
                    served.summary,
                    served.route.position,
                    f"{served.method} {shown} is also served by {other}; FastAPI runs only "
                    "the route registered first, so one of the two handlers never runs",
                    served.route.function,
                )

    @classmethod
    def _violation(
        cls, summary: ModuleSummary, where: Position, message: str, scope: str
    ) -> Violation:
        return Violation(
            code=cls.code,
            name=cls.name,
            path=summary.path,
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
            message=message,
            layer=summary.layer,
            scope=scope,
        )


def _router(index: ProjectIndex, name: str | None) -> tuple[str, RouterInfo] | None:
    return index.routers.get(_child(index, name))


def _child(index: ProjectIndex, name: str | None) -> str:
    """The included router; a module passed by mistake stands for its `router`."""
    name = index.canonical(name or "")
    if name in index.modules and f"{name}.router" in index.routers:
        return f"{name}.router"  # `from app.api.users import router` of a router module
    return name


def _marker(unknown: dict[int, int], owner: object) -> str:
    """A prefix that is not a literal: equal only to itself."""
    return f"\x00{unknown.setdefault(id(owner), len(unknown))}\x00"


def _serve(
    index: ProjectIndex,
    router: str,
    prefix: str,
    routes: Mapping[str, list[tuple[ModuleSummary, RouteInfo]]],
    includes: Mapping[str, list[IncludeInfo]],
    unknown: dict[int, int],
    trail: tuple[str, ...],
) -> Iterator[_Served]:
    """Every route reachable from `router`, with the full path the app serves it on."""
    if router in trail or len(trail) > _MAX_DEPTH:
        return
    found = index.routers.get(router)
    if found is not None:
        prefix += found[1].prefix if found[1].prefix is not None else _marker(unknown, found[1])
    for summary, route in routes.get(router, ()):
        for method in route.methods:
            yield _Served(method, prefix + (route.path or ""), summary, route)
    for include in includes.get(router, ()):
        added = include.prefix if include.prefix is not None else _marker(unknown, include)
        child = _child(index, include.child)
        yield from _serve(index, child, prefix + added, routes, includes, unknown, (*trail, router))
