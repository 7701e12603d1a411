"""HTTP middleware: request id, JSON access log, security headers and CORS.

`RequestContextMiddleware` is plain ASGI (no BaseHTTPMiddleware), so it neither
buffers responses nor breaks background tasks.
"""

import logging
import re
import time
import uuid
from collections.abc import Iterable, Mapping

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
# A client-supplied id is echoed only when it is short and harmless in a log line.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The API serves JSON only; the interactive docs pages load scripts, so they get no CSP.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Production is served over HTTPS only: browsers must never fall back to plain HTTP.
STRICT_TRANSPORT_SECURITY = {"Strict-Transport-Security": "max-age=63072000; includeSubDomains"}

access_logger = logging.getLogger("reference_app.access")


def request_id_from_headers(raw_headers: Iterable[tuple[bytes, bytes]]) -> str:
    """Return the caller's X-Request-ID when it is well formed, else a new one."""
    for name, value in raw_headers:
        if name.lower() == b"x-request-id":
            candidate = value.decode("latin-1")
            if _VALID_REQUEST_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


def response_headers(request_id: str, path: str, docs_paths: frozenset[str]) -> dict[str, str]:
    """Headers every response carries, error responses built outside the middleware too."""
    headers = {REQUEST_ID_HEADER: request_id, **SECURITY_HEADERS}
    if path not in docs_paths:
        headers["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
    return headers


class RequestContextMiddleware:
    """Give each request an id, add it and the security headers, and log the access."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        docs_paths: Iterable[str] = (),
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)
        self.extra_headers = dict(extra_headers or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from_headers(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        extra_headers = {
            **response_headers(request_id, scope["path"], self.docs_paths),
            **self.extra_headers,
        }
        status = 500
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in extra_headers.items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],  # never the query string: it may hold secrets
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id,
                },
            )


def install_middleware(app: FastAPI, *, cors_origins: list[str], https_only: bool) -> None:
    """Add CORS (inner) and the request context (outermost of ours); HSTS if `https_only`."""
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            # Browsers reject credentials with a wildcard origin; never combine them.
            allow_credentials="*" not in cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER],
        )
    docs_urls = (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)
    docs_paths = {path for path in docs_urls if path}
    app.add_middleware(
        RequestContextMiddleware,
        docs_paths=docs_paths,
        extra_headers=STRICT_TRANSPORT_SECURITY if https_only else None,
    )
