"""ARC104 route-missing-response-model: a route whose response has no declared shape."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from checks.rules.base import Invalid, Rule, Valid
from checks.rules.route_common import (
    declares_schema,
    is_response_class,
    returned_values,
    returns_response,
    route_keyword,
    short,
)

if TYPE_CHECKING:
    from checks.analysis.model import RouteInfo

_NO_BODY_STATUSES = frozenset({204, 304})
_BODYLESS_METHODS = frozenset({"HEAD", "OPTIONS"})


_SCHEMAS = {
    "app/schemas/user.py": """
        from pydantic import BaseModel

        class UserRead(BaseModel):
            id: int
            email: str
    """,
}


class RouteMissingResponseModelRule(Rule):
    """Flags routes with neither a schema response_model nor a schema return annotation."""

    code = "ARC104"
    name = "route-missing-response-model"
    summary = "A route declares no response schema (no response_model, no schema return type)"
    rationale = (
        "What it does: reports a route whose response has no declared shape: no "
        "`response_model=` and no return annotation naming a schema. A free-form type is "
        "not a schema: `dict`, `list[dict]`, `dict[str, Any]`, `Any`. Any class counts as a "
        "schema (a Pydantic model, a dataclass, a third-party generic such as "
        "`Page[UserRead]`), and so do scalars (`-> str`, `-> list[int]`); a mapping names no "
        "fields (`dict[str, str]` is not a schema either); ORM models are "
        "ARC103's. Not reported: a route that returns a Response (a Response return "
        "annotation or returned object), one whose `response_class=` or the "
        "`default_response_class=` of its router, include or app is not a JSON response "
        "(an HTML back office), a status of 204 or 304, HEAD/OPTIONS-only routes, "
        "websockets, routes hidden with `include_in_schema=False` (on the route, its router "
        "or an include), "
        "an explicit `-> None`, and `response_model=None`, which is how FastAPI is told on "
        "purpose not to validate or document the response (a streaming or pass-through "
        "endpoint): an explicit choice is respected.\n\n"
        "Why it is bad: without a schema FastAPI neither validates nor filters the response, "
        "so whatever the handler builds goes out, extra fields and secrets included; the "
        "OpenAPI document says nothing about the response, so generated clients get `any` "
        "and the contract changes silently when the code does."
    )
    fix = (
        "Annotate the handler with the Pydantic response schema it returns (`-> UserRead`, "
        "`-> list[UserRead]`) or give `response_model=`; return `Response(status_code=204)` "
        "or set `status_code=204` for endpoints without a body."
    )
    reference = "reference_app/api/v1/posts.py"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Judge each route handler's declared response, then what it returns."""
        route = self.ctx.route_of(node)
        if route is None or not set(route.methods) - _BODYLESS_METHODS - {"WEBSOCKET"}:
            return
        if route.response_model_none or route.status_code in _NO_BODY_STATUSES:
            return
        default_class, hidden = self.ctx.index.router_settings(route.router)
        if hidden or _hidden(node):
            return
        given = route_keyword(node, "response_class")
        if given is not None:
            response_class: str | None = self.ctx.qualify(given.value) or "?"
        else:
            response_class = "?" if route.has_response_class else default_class
        if response_class is not None and "JSON" not in short(response_class):
            return  # HTML, files, streams, redirects: no JSON body to describe
        if route.response_model is not None:
            names = route.response_model
        elif node.returns is not None:
            names = route.returns
        else:
            names = ()
        if (route.response_model is not None or node.returns is not None) and not names:
            return  # `-> None`, or a name this module cannot resolve: assume it is a schema
        index = self.ctx.index
        if any(index.is_orm(n) or is_response_class(self.ctx, n) for n in names):
            return  # ORM models are ARC103's; a Response is its own contract
        if declares_schema(self.ctx, names) or returns_response(self.ctx, node):
            return
        problem = self._problem(node, route)
        where = f" ({route.methods[0]} {route.path})" if route.path is not None else ""
        self.report(
            node.name,
            f"route `{node.name.value}`{where} declares no response schema: {problem}",
        )

    def _problem(self, node: cst.FunctionDef, route: RouteInfo) -> str:
        """What is wrong with the declared response; only built for a report (codegen)."""
        if route.response_model is not None:
            given = route_keyword(node, "response_model")
            shown = self.ctx.tree.code_for_node(given.value) if given is not None else "..."
            return f"its response_model `{shown}` is not a schema"
        if node.returns is not None:
            shown = self.ctx.tree.code_for_node(node.returns.annotation)
            return f"its return type `{shown}` is not a schema"
        problem = "no response_model and no return annotation"
        if not returned_values(node):
            problem += " (it returns nothing: say `-> None` or `status_code=204`)"
        return problem

    VALID = (
        Valid(
            """
            from fastapi import APIRouter
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int) -> UserRead:
                return UserRead(id=user_id, email="a@example.com")
            """,
            files=_SCHEMAS,
            note="a Pydantic return annotation is the response schema",
        ),
        Valid(
            """
            from typing import Any
            from fastapi import APIRouter
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users", response_model=list[UserRead])
            def read_users(skip: int = 0, limit: int = 100) -> Any:
                return []
            """,
            files=_SCHEMAS,
            note="`-> Any` next to a schema response_model (full-stack-fastapi-template style)",
        ),
        Valid(
            """
            from fastapi import APIRouter, Response, status

            router = APIRouter()

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(user_id: int):
                pass

            @router.post("/logout")
            async def logout(response: Response):
                response.delete_cookie("session")
                return Response(status_code=204)
            """,
            note="no body to describe: status 204, or a Response object returned",
        ),
        Valid(
            """
            from fastapi import APIRouter, Request
            from fastapi.responses import HTMLResponse, RedirectResponse
            from fastapi.templating import Jinja2Templates

            router = APIRouter()
            templates = Jinja2Templates(directory="templates")

            @router.get("/", response_class=HTMLResponse)
            async def home(request: Request):
                return templates.TemplateResponse(request, "home.html")

            @router.get("/docs-old")
            async def old_docs():
                return RedirectResponse("/docs")

            @router.get("/page")
            async def page(request: Request):
                return templates.TemplateResponse(request, "page.html", {"x": 1})
            """,
            note="response_class=, a returned RedirectResponse, a template response",
        ),
        Valid(
            """
            from fastapi import APIRouter, WebSocket

            router = APIRouter()

            @router.websocket("/ws")
            async def feed(websocket: WebSocket):
                await websocket.accept()

            @router.get("/proxy", response_model=None)
            async def proxy() -> dict:
                return {}

            @router.get("/internal/metrics", include_in_schema=False)
            async def metrics():
                return {"up": 1}
            """,
            note="websockets; response_model=None is a deliberate opt-out; hidden routes",
        ),
        Valid(
            """
            from fastapi import APIRouter, Request

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def user_page(request: Request, user_id: int):
                return render(request, "user.html", user_id=user_id)
            """,
            path="app/backoffice/users/views.py",
            files={
                "app/backoffice/__init__.py": """
                    from fastapi import FastAPI
                    from fastapi.responses import HTMLResponse
                    from app.backoffice.users.views import router as users_router

                    backoffice = FastAPI(default_response_class=HTMLResponse)
                    backoffice.include_router(users_router, prefix="/users")
                """,
            },
            note="the app that includes the router answers with HTML by default (polar's "
            "back office)",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi_pagination import Page
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users")
            async def list_users() -> Page[UserRead]:
                ...

            @router.get("/ping")
            async def ping() -> str:
                return "pong"

            @router.post("/jobs/{job_id}/cancel")
            async def cancel(job_id: int) -> None:
                ...
            """,
            files=_SCHEMAS,
            note="a third-party generic of a schema, scalars, an explicit `-> None`",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/users/{user_id}")
            async def get_user(user_id: int):
                return {"id": user_id, "name": "Example User"}
            """,
            path="app/main.py",
            line=7,
            note="the seed's Basic Application: a dict with no schema",
        ),
        Invalid(
            """
            from typing import Any
            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/stats")
            async def stats() -> dict[str, Any]:
                return {"users": 1}
            """,
            line=8,
            note="a free-form dict return annotation describes nothing",
        ),
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/items", response_model=list[dict])
            async def items():
                return [{"id": 1}]
            """,
            line=7,
            note="response_model=list[dict] is not a schema either",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.services.users import UserServiceDep

            router = APIRouter()

            @router.post("/users/{user_id}/activate")
            async def activate(user_id: int, users: UserServiceDep):
                await users.activate(user_id)
            """,
            line=8,
            note="returns nothing, yet answers 200 with `null` and no documented body",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from fastapi.responses import ORJSONResponse

            router = APIRouter(default_response_class=ORJSONResponse)

            @router.get("/orders/{order_id}")
            async def read_order(order_id: int):
                return {"id": order_id}
            """,
            line=8,
            note="a faster JSON response class still sends an undescribed body",
        ),
    )


def _hidden(node: cst.FunctionDef) -> bool:
    """`include_in_schema=False`: the route is left out of the API contract on purpose."""
    arg = route_keyword(node, "include_in_schema")
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "False"
