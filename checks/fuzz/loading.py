"""Import the app under test and make it behave like it would behind a server."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TargetError(Exception):
    """The MODULE:ATTR target cannot be imported or is not what it should be."""


def import_object(spec: str, *, what: str, app_dir: str | None = None) -> Any:
    """Resolve `MODULE:ATTR` (ATTR may be dotted), with `app_dir` first on sys.path."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise TargetError(f"{what} must look like MODULE:ATTR, got {spec!r}")
    if app_dir is not None and app_dir not in sys.path:
        sys.path.insert(0, app_dir)
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as exc:  # any error while importing user code is a target error
        raise TargetError(f"cannot import {module_name!r}: {type(exc).__name__}: {exc}") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TargetError(f"module {module_name!r} has no attribute {attr!r}") from None
    return obj


def load_app(spec: str, *, factory: bool, app_dir: str | None) -> ASGIApp:
    """Import the ASGI app, calling it first when it is a factory."""
    obj = import_object(spec, what="the app", app_dir=app_dir)
    if factory:
        if not callable(obj):
            raise TargetError(f"{spec} is not callable, so it cannot be an app factory")
        try:
            obj = obj()
        except Exception as exc:
            raise TargetError(f"app factory {spec} failed: {type(exc).__name__}: {exc}") from exc
    looks_like_factory = inspect.isfunction(obj) and len(inspect.signature(obj).parameters) != 3
    if not callable(obj) or looks_like_factory:
        hint = " (is it a factory? pass --factory)" if inspect.isfunction(obj) else ""
        raise TargetError(f"{spec} is not an ASGI app{hint}")
    return obj


def behind_server(app: ASGIApp) -> ASGIApp:
    """Wrap `app` so an unhandled exception becomes a 500, as uvicorn would answer.

    In process, the exception would otherwise escape into schemathesis as a
    crash of the test run instead of being reported as a server error.
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = complete = False

        async def tracking_send(message: Message) -> None:
            nonlocal started, complete
            if message["type"] == "http.response.start":
                started = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                complete = True
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except Exception:
            if not started:
                headers = [(b"content-type", b"text/plain; charset=utf-8")]
                await send({"type": "http.response.start", "status": 500, "headers": headers})
                await send({"type": "http.response.body", "body": b"Internal Server Error"})
            elif not complete:
                await send({"type": "http.response.body", "body": b""})

    return wrapped
