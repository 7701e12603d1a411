"""ARC504 permissive-cors: CORSMiddleware allowing every origin together with credentials."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from checks.analysis.names import keyword, literal_string, positional
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid

_MAIN = "app/main.py"
CORS_MIDDLEWARE = frozenset(
    {
        "fastapi.middleware.cors.CORSMiddleware",
        "starlette.middleware.cors.CORSMiddleware",
    }
)
MIDDLEWARE_WRAPPERS = frozenset(
    {"starlette.middleware.Middleware", "fastapi.middleware.Middleware"}
)
# allow_origin_regex values that match any origin.
_ANY_ORIGIN_REGEX = frozenset({".*", "^.*$", ".+", "^.+$", "(.*)", "https?://.*", "^https?://.*$"})


class PermissiveCorsRule(Rule):
    """Reports CORSMiddleware configured with `allow_origins=["*"]` and `allow_credentials=True`."""

    code = "ARC504"
    name = "permissive-cors"
    summary = 'CORSMiddleware with allow_origins ["*"] together with allow_credentials=True'
    rationale = (
        'Flags `CORSMiddleware` added with `allow_origins=["*"]` (or a module constant '
        'holding `"*"`, or an `allow_origin_regex` that matches anything) together with '
        "`allow_credentials=True`. Browsers refuse a literal `*` with credentials, so "
        "Starlette answers a request that carries cookies by echoing its Origin back: any "
        "web page a logged-in user visits can then call the API as that user and read the "
        "answers. Either list is fine alone: public read-only APIs allow any origin without "
        "credentials, and cookie-based APIs allow their own front-end origins."
    )
    fix = (
        "List the front-end origins explicitly, from settings "
        "(`allow_origins=settings.cors_origins`), or drop `allow_credentials` when the API "
        "is public and uses bearer tokens."
    )
    reference = "reference_app/core/middleware.py"
    VALID: ClassVar = (
        Valid(
            """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            ORIGINS = ["https://app.example.com"]

            app = FastAPI()
            app.add_middleware(
                CORSMiddleware,
                allow_origins=ORIGINS,
                allow_credentials=True,
                allow_methods=["*"],
                allow_headers=["*"],
            )
            """,
            path=_MAIN,
            note="explicit origins with credentials (methods and headers may be *)",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            def create_app(origins: list[str]) -> FastAPI:
                app = FastAPI()
                app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])
                app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)
                return app
            """,
            path=_MAIN,
            note="any origin without credentials; origins passed in (not a literal)",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            app = FastAPI()
            app.add_middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_credentials=True,
                allow_methods=["*"],
                allow_headers=["*"],
            )
            """,
            path=_MAIN,
            line=6,
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from starlette.middleware import Middleware
            from starlette.middleware.cors import CORSMiddleware

            ALLOWED_ORIGINS = ("*",)

            middleware = [
                Middleware(CORSMiddleware, allow_origins=ALLOWED_ORIGINS, allow_credentials=True)
            ]
            app = FastAPI(middleware=middleware)
            """,
            path=_MAIN,
            line=9,
            note="Starlette's Middleware list, origins from a module constant",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            def add_cors_middleware(app: FastAPI) -> None:
                origins = ["*"]
                app.add_middleware(
                    CORSMiddleware, allow_origins=origins, allow_credentials=True
                )
            """,
            path="app/middlewares/cors.py",
            line=7,
            note="origins assigned in the function that adds the middleware",
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from starlette.middleware.cors import CORSMiddleware

            api = FastAPI()
            app = CORSMiddleware(api, allow_origin_regex=".*", allow_credentials=True)
            """,
            path=_MAIN,
            line=6,
            note="the app wrapped directly, any origin by regex",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        """Report a CORSMiddleware set-up that allows any origin with credentials."""
        func = node.func
        if keyword(node, "allow_credentials") is None:
            return
        callee = self.ctx.call_name(node)
        if callee not in CORS_MIDDLEWARE:  # else `app = CORSMiddleware(app, ...)`, direct
            if isinstance(func, cst.Attribute) and func.attr.value == "add_middleware":
                middleware = positional(node, 0) or keyword(node, "middleware_class")
            elif callee in MIDDLEWARE_WRAPPERS:
                middleware = positional(node, 0) or keyword(node, "cls")
            else:
                return
            if middleware is None or self.ctx.qualify(middleware.value) not in CORS_MIDDLEWARE:
                return
        credentials = keyword(node, "allow_credentials")
        if credentials is None or not (
            isinstance(credentials.value, cst.Name) and credentials.value.value == "True"
        ):
            return
        if self._any_origin(node):
            self.report(
                node,
                "CORSMiddleware allows any origin together with allow_credentials=True: any "
                "site can send the user's cookies and read the answers; list the allowed origins",
            )

    def _any_origin(self, node: cst.Call) -> bool:
        regex = keyword(node, "allow_origin_regex")
        if regex is not None and literal_string(regex.value) in _ANY_ORIGIN_REGEX:
            return True
        origins = keyword(node, "allow_origins")
        if origins is None:
            return False
        value = self._constant(origins.value)
        if not isinstance(value, (cst.List, cst.Tuple, cst.Set)):
            return False
        return any(literal_string(e.value) == "*" for e in value.elements)

    def _constant(self, value: cst.BaseExpression) -> cst.BaseExpression:
        """What a bare name is assigned in the enclosing function, else at module level."""
        if not isinstance(value, cst.Name):
            return value
        scopes: list[cst.CSTNode] = [self.ctx.tree]
        if self.ctx.function is not None:
            scopes.insert(0, self.ctx.function.body)
        for scope in scopes:
            statements = iter_nodes(scope) if scope is not self.ctx.tree else _top_level(scope)
            for node in statements:
                if isinstance(node, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value == value.value
                    for t in node.targets
                ):
                    return node.value
                if (
                    isinstance(node, cst.AnnAssign)
                    and isinstance(node.target, cst.Name)
                    and node.target.value == value.value
                    and node.value is not None
                ):
                    return node.value
        return value


def _top_level(module: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    for stmt in getattr(module, "body", ()):
        if isinstance(stmt, cst.SimpleStatementLine):
            found.extend(stmt.body)
    return found
