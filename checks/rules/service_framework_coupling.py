"""ARC202 service-framework-coupling."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from checks.analysis.context import ModuleContext
from checks.analysis.idioms import DEPENDS, RESPONSE_CLASSES
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid

_FRAMEWORKS = ("fastapi.", "starlette.")
_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
        "fastapi.WebSocketException",
        "fastapi.exceptions.WebSocketException",
        "starlette.exceptions.WebSocketException",
    }
)
_REQUESTS = frozenset(
    {
        "fastapi.Request",
        "fastapi.requests.Request",
        "starlette.requests.Request",
        "fastapi.WebSocket",
        "fastapi.websockets.WebSocket",
        "starlette.websockets.WebSocket",
    }
)
_STATUS_MODULES = ("fastapi.status.", "starlette.status.")
_NAME_TYPES = frozenset({cst.Name, cst.Attribute})  # leaf classes: faster than isinstance()


def _what(name: str | None) -> tuple[str, str] | None:
    """What a framework object is, and what to do instead; None when it is not one."""
    if name is None or not name.startswith(_FRAMEWORKS):
        return None
    if name in _EXCEPTIONS:
        return f"the HTTP exception {name}", "raise a domain exception the api layer maps"
    if name in _REQUESTS:
        return f"the request object {name}", "pass the plain values the service needs"
    if name in RESPONSE_CLASSES or name.startswith(("fastapi.responses.", "starlette.responses.")):
        return f"the response class {name}", "return data and let the route build responses"
    if name in DEPENDS or name in ("fastapi.params.Security", "fastapi.params.Depends"):
        return f"dependency injection ({name})", "wire services in the composition root"
    if name.startswith(_STATUS_MODULES):
        return f"the HTTP status code {name}", "let the api layer choose status codes"
    return None


class ServiceFrameworkCouplingRule(Rule):
    """HTTPException, Request, Response, status codes or Depends in the services layer."""

    code = "ARC202"
    name = "service-framework-coupling"
    summary = "service raises HTTPException or uses Request, Response, Depends or status codes"
    rationale = (
        "What it does: reports, in the services layer, FastAPI or Starlette web objects: "
        "`HTTPException` raised or built, `Request`/`WebSocket` parameters, response "
        "classes, `Depends()`/`Security()`, and `status.HTTP_...` codes.\n\n"
        "Why it is bad: a service decides what happened (the user exists, the post is "
        "not yours); how that becomes a 404 or a 409 is the HTTP layer's business. A "
        "service that raises HTTPException cannot be reused from a worker, a CLI or a "
        "message consumer, its tests need the web framework, and the status code choice "
        "is spread over business code."
    )
    fix = (
        "Raise a domain exception (`UserNotFound`, `EmailTaken`) and map it to an HTTP "
        "response once, in an exception handler of the app or in the route; pass plain "
        "values (the client IP, the user id) instead of the Request; let the composition "
        "root do the Depends() wiring."
    )
    reference = "reference_app/services/users.py"
    layers = frozenset({"services"})

    VALID = (
        Valid(
            """
            from app.core.exceptions import NotFoundError

            class UserService:
                def __init__(self, repo) -> None:
                    self.repo = repo

                async def get(self, user_id: int, status: str = "active"):
                    user = await self.repo.get(user_id)
                    if user is None or user.status != status:
                        raise NotFoundError(f"user {user_id}")
                    return user
            """,
            path="app/services/users.py",
            files={"app/core/exceptions.py": "class NotFoundError(Exception): ..."},
            note="domain exceptions, and a parameter or attribute named status",
        ),
        Valid(
            """
            from http import HTTPStatus
            from app.core.codes import HTTP_TIMEOUT

            class Webhooks:
                async def deliver(self, client, url: str) -> bool:
                    response = await client.post(url)
                    return response.status_code in (HTTPStatus.OK, HTTP_TIMEOUT)
            """,
            path="app/webhooks/service.py",
            files={"app/core/codes.py": "HTTP_TIMEOUT = 408\n"},
            note="status codes of an outgoing HTTP call, from the standard library",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import HTTPException, status
            from fastapi.status import HTTP_409_CONFLICT
            from app.repositories.users import UserRepository

            class UserService:
                def __init__(self, repo: UserRepository) -> None:
                    self.repo = repo

                async def get(self, user_id: int):
                    user = await self.repo.get(user_id)
                    if user is None:
                        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
                    return user

            class PostService:
                def conflict_code(self) -> int:
                    return HTTP_409_CONFLICT
            """,
            path="app/services/users.py",
            files={"app/repositories/users.py": "class UserRepository: ..."},
            line=13,
        ),
        Invalid(
            """
            from fastapi import Depends, Request
            from app.repositories.users import UserRepository

            def get_client_ip(request: Request) -> str:
                return request.client.host

            class AuditService:
                def __init__(self, repo: UserRepository = Depends()) -> None:
                    self.repo = repo
            """,
            path="app/audit/service.py",
            files={"app/repositories/users.py": "class UserRepository: ..."},
            line=5,
        ),
    )

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        super().__init__(ctx, options)
        self._covered: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        """`HTTPException(...)`, `Depends(...)`, `JSONResponse(...)` and the like."""
        self._check(node, node.func, "uses")

    def visit_Raise(self, node: cst.Raise) -> None:
        """`raise HTTPException(...)`, reported once with what it carries."""
        exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        if isinstance(exc, (cst.Name, cst.Attribute)):
            self._check(node, exc, "raises")

    def visit_Annotation(self, node: cst.Annotation) -> None:
        """`request: Request`, `-> Response`."""
        for inner in iter_nodes(node.annotation):
            if type(inner) in _NAME_TYPES and self._check(inner, inner, "takes or returns"):
                return

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """`status.HTTP_404_NOT_FOUND`."""
        if id(node) in self._covered or node.attr.value[:5] != "HTTP_":
            return
        self._check(node, node, "uses")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """Imports are ARC002's business: names in them are not uses."""
        self._covered.update(id(n) for n in iter_nodes(node))

    def visit_Name(self, node: cst.Name) -> None:
        """`HTTP_404_NOT_FOUND` imported from fastapi.status or starlette.status."""
        if node.value[:5] == "HTTP_" and id(node) not in self._covered:
            self._check(node, node, "uses")

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        """`except HTTPException:`."""
        if node.type is not None and isinstance(node.type, (cst.Name, cst.Attribute)):
            self._check(node.type, node.type, "catches")

    def _check(self, where: cst.CSTNode, name_node: cst.BaseExpression, verb: str) -> bool:
        if id(where) in self._covered:
            return False
        found = _what(self.ctx.qualify(name_node))
        if found is None:
            return False
        what, advice = found
        self._covered.update(id(n) for n in iter_nodes(where))
        self.report(where, f"the service {verb} {what}; {advice}")
        return True
