"""ARC106 route-outside-api-layer."""

from __future__ import annotations

import re

import libcst as cst

from checks.analysis.idioms import APP_CLASSES, ROUTE_METHODS, ROUTER_CLASSES
from checks.rules.base import Invalid, Rule, Valid

# Where the app factory lives: a module or a function with one of these names may
# create the FastAPI() app (and put a health route on it).
_FACTORY_MODULES = frozenset({"main", "app", "application", "server", "asgi", "factory"})
_FACTORY_FUNCTION = re.compile(r"(^|_)(app|application|server|api)($|_)")
_CLASSES = APP_CLASSES | ROUTER_CLASSES


class RouteOutsideApiLayerRule(Rule):
    """APIRouter(), route decorators and FastAPI() in services, models, core and the like."""

    code = "ARC106"
    name = "route-outside-api-layer"
    summary = "APIRouter, route or FastAPI() app defined outside the api layer"
    rationale = (
        "What it does: reports an `APIRouter()`, a route decorator (`@router.get`, "
        "`add_api_route`) or a `FastAPI()` app in a module of another layer (services, "
        "repositories, models, schemas, core, utils). The app factory, a `main`/`app` "
        "module or a `create_app()` function, may create the app and put a health route "
        "on it.\n\n"
        "Why it is bad: HTTP is the api layer's job. A route in a service module drags "
        "the web framework into business code, its endpoints escape the api package "
        "where reviewers and the import contracts look for them, and the layer can no "
        "longer be reused from a worker, a CLI or a test without FastAPI."
    )
    fix = (
        "Move the router and its handlers into the api layer (`api/v1/<resource>.py`, "
        "or `<domain>/router.py` in a domain-first layout) and have them call the "
        "service through Depends(); include the router from the app factory."
    )
    reference = "reference_app/api/router.py"
    layers = frozenset({"services", "repositories", "models", "schemas", "core", "utils"})

    VALID = (
        Valid(
            """
            from fastapi import APIRouter

            router = APIRouter(prefix="/users")

            @router.get("/{user_id}")
            async def read_user(user_id: int) -> dict:
                return {}
            """,
            path="app/api/v1/users.py",
            note="routes belong in the api layer",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from app.api.router import api_router

            def create_app() -> FastAPI:
                app = FastAPI(title="shop")
                app.include_router(api_router)

                @app.get("/health")
                async def health() -> dict:
                    return {"status": "ok"}

                return app
            """,
            path="app/core/application.py",
            note="the app factory creates the app, includes routers and has a health route",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi.routing import APIRoute

            class TimedRoute(APIRoute):
                pass

            def attach(router: APIRouter) -> None:
                router.route_class = TimedRoute
            """,
            path="app/core/routing.py",
            note="a custom route class and a router used as a type annotation build no routes",
        ),
        Valid(
            """
            from app.services.users import UserService

            class Users:
                def get(self, user_id: int) -> dict:
                    return {}

            users = Users()

            def find(user_id: int) -> dict:
                return users.get(f"/users/{user_id}")
            """,
            path="app/services/lookup.py",
            files={"app/services/users.py": "class UserService: ..."},
            note="a `.get()` method that is not a router's is not a route",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from app.main import create_app

            app: FastAPI = create_app()
            """,
            path="app/core/asgi_entry.py",
            files={"app/main.py": "from fastapi import FastAPI\ndef create_app() -> FastAPI: ..."},
            note="calling the app factory obtains the app, it does not create a second one",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter, HTTPException
            from app.repositories.users import UserRepository

            router = APIRouter(prefix="/users")

            class UserService:
                def __init__(self, repo: UserRepository) -> None:
                    self.repo = repo

            @router.get("/{user_id}")
            async def read_user(user_id: int) -> dict:
                return {}
            """,
            path="app/services/users.py",
            files={"app/repositories/users.py": "class UserRepository: ..."},
            line=5,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter(prefix="/users")

            @router.get("/{user_id}")
            async def read_user(user_id: int) -> dict:
                return {}
            """,
            path="app/users/service.py",
            line=6,
            note="domain-first: the route belongs in users/router.py",
        ),
        Invalid(
            """
            from fastapi import FastAPI

            api_v1 = FastAPI()
            """,
            path="app/core/versioning.py",
            line=4,
            note="a second app outside the app factory",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        """Report routers and apps created here."""
        name = self.ctx.call_name(node)
        if name is None or not (name in _CLASSES or name in self.ctx.index.classes):
            return  # a call to a function that returns a router only obtains it
        kind = self.ctx.index.router_kind(name)
        if kind == "router":
            self.report(
                node,
                f"{_short(name)}() is created in the {self.ctx.layer} layer; routers "
                "belong in the api layer",
            )
        elif kind == "app" and not self._in_factory():
            self.report(
                node,
                f"{_short(name)}() is created in the {self.ctx.layer} layer outside the app "
                "factory; create the app in main.py or create_app()",
            )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Report route handlers defined here (a health route on the factory's app aside)."""
        route = self.ctx.route_of(node)
        if route is None:
            return
        if self.ctx.index.router_kind(self._callee(route.router)) == "app" and self._in_factory():
            return
        where: cst.CSTNode = node
        for decorator in node.decorators:
            call = decorator.decorator
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ROUTE_METHODS
            ):
                where = decorator
                break
        verb = "/".join(route.methods) or "route"
        path = f" {route.path}" if route.path is not None else ""
        self.report(
            where,
            f"{verb}{path} handler {node.name.value}() is defined in the {self.ctx.layer} "
            "layer; routes belong in the api layer",
        )

    def _callee(self, router: str | None) -> str:
        if router is None:
            return ""
        found = self.ctx.index.routers.get(self.ctx.index.canonical(router))
        if found is not None:
            return found[1].callee
        return self.ctx.index.instances.get(router, "")

    def _in_factory(self) -> bool:
        if self.ctx.summary.module.rsplit(".", 1)[-1] in _FACTORY_MODULES:
            return True
        return any(_FACTORY_FUNCTION.search(f.name.value) for f in self.ctx.functions)


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]
