"""Every error as RFC 9457 problem details (`application/problem+json`).

Handlers for domain errors, HTTP errors (unknown path, 405, 401 from the bearer
scheme), validation errors and anything unexpected (500). Validation errors list
each problem without echoing the input, so a rejected password never comes back.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from reference_app.core.exceptions import (
    AuthenticationError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ServiceUnavailableError,
)
from reference_app.core.middleware import response_headers

PROBLEM_JSON = "application/problem+json"
BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

DOMAIN_ERROR_STATUS: dict[type[DomainError], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    PermissionDeniedError: 403,
    AuthenticationError: 401,
    ServiceUnavailableError: 503,
}

logger = logging.getLogger(__name__)


def problem_response(
    request: Request,
    status: int,
    *,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """Build a problem details response; `extensions` become extra members."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def handle_domain_error(request: Request, exc: DomainError) -> JSONResponse:
    """Map a service's domain error to its status."""
    status = next(
        code for error_type, code in DOMAIN_ERROR_STATUS.items() if isinstance(exc, error_type)
    )
    headers = BEARER_CHALLENGE if isinstance(exc, AuthenticationError) else None
    return problem_response(request, status, detail=exc.detail, headers=headers)


async def handle_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Unknown paths, wrong methods and HTTPExceptions, headers kept."""
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return problem_response(request, exc.status_code, detail=detail, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method of the path, not only the first route's (RFC 9110 `Allow`).

    Starlette answers 405 from the first route whose path matches, so `Allow`
    would list GET alone on a path that also has PATCH and DELETE routes.
    """
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def handle_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with every problem listed by location, message and type (never the input)."""
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return problem_response(request, 422, detail="The request is not valid.", errors=errors)


async def handle_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """500 without internals; runs outside the middleware, so it adds their headers."""
    request_id = getattr(request.state, "request_id", "")
    logger.error("unhandled error", exc_info=exc, extra={"request_id": request_id})
    headers = response_headers(request_id, request.url.path, frozenset()) if request_id else None
    return problem_response(request, 500, detail="An unexpected error occurred.", headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Register every handler on `app`."""
    app.exception_handler(DomainError)(handle_domain_error)
    app.exception_handler(StarletteHTTPException)(handle_http_error)
    app.exception_handler(RequestValidationError)(handle_validation_error)
    app.exception_handler(Exception)(handle_unexpected_error)
