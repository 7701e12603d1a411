"""ARC402 global-state."""

from __future__ import annotations

import libcst as cst

from checks.analysis.names import dotted
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.kinds_common import component_kind, db_kind, opens_db

# Modules of the api layer that wire the object graph (DESIGN.md section 2).
_COMPOSITION_ROOTS = frozenset({"dependencies", "deps"})
# Layers whose module-level objects are judged; core owns the app-wide resources, and
# modules that match no layer are left alone (they are listed by `--verbose`).
_JUDGED_LAYERS = frozenset({"api", "services", "repositories", "models", "schemas", "utils"})


class GlobalStateRule(Rule):
    """`global` statements and module-level sessions, engines, services and repositories."""

    code = "ARC402"
    name = "global-state"
    summary = "global statement, or module-level session, engine, service or repository"
    rationale = (
        "What it does: reports `global` statements, and module-level sessions, engines, "
        "session factories, driver connections and service or repository instances in "
        "the api, services, repositories, models, schemas and utils layers. Core (which "
        "owns the engine and session factory) and the composition root "
        "(`api/dependencies.py`, `deps.py`) are exempt; constants, loggers, routers, the "
        "settings object and `app = create_app()` are not state.\n\n"
        "Why it is bad: a module-level session is shared by every request and every "
        "thread, so one request's failed transaction poisons the next; an engine created "
        "at import time connects to whatever the environment said then, so tests cannot "
        "point it elsewhere; module-level services and repositories cannot be replaced "
        "with `dependency_overrides`, and `global` makes a function's result depend on "
        "who called what before."
    )
    fix = (
        "Create the engine and session factory once, in core, when the app starts (the "
        "lifespan), and hand out one session per request with a dependency; build "
        "services and repositories per request in the composition root and receive them "
        "through Depends()."
    )
    reference = "reference_app/api/dependencies.py"

    VALID = (
        Valid(
            """
            import logging
            from fastapi import APIRouter
            from app.core.config import get_settings

            logger = logging.getLogger(__name__)
            router = APIRouter(prefix="/users")
            settings = get_settings()
            PAGE_SIZE = 50
            ALLOWED = {"admin", "user"}
            """,
            path="app/api/v1/users.py",
            files={"app/core/config.py": "def get_settings(): ..."},
            note="loggers, routers, settings and constants are not state",
        ),
        Valid(
            """
            from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

            engine = create_async_engine("sqlite+aiosqlite://")
            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
            """,
            path="app/core/database.py",
            note="core owns the engine and the session factory",
        ),
        Valid(
            """
            from app.repositories.users import UserRepository
            from app.services.users import UserService

            def get_user_service(session) -> UserService:
                return UserService(UserRepository(session))

            default_service_factory = get_user_service
            """,
            path="app/api/dependencies.py",
            files={
                "app/services/users.py": "class UserService:\n    def get(self): ...\n",
                "app/repositories/users.py": "class UserRepository:\n    def get(self): ...\n",
            },
            note="the composition root builds services per request",
        ),
        Valid(
            """
            from app.main import create_app

            app = create_app()
            """,
            path="app/api/asgi.py",
            files={"app/main.py": "def create_app(): ..."},
            note="the ASGI entry point",
        ),
        Valid(
            """
            class Deleted:
                def __repr__(self) -> str:
                    return "<Deleted>"

            DELETED = Deleted()
            """,
            path="app/repositories/base.py",
            note="a sentinel defined in a repository module is not a repository",
        ),
    )
    INVALID = (
        Invalid(
            """
            from app.repositories.users import UserRepository

            class UserService:
                def __init__(self, repo: UserRepository) -> None:
                    self.repo = repo

                def get(self, user_id: int):
                    return self.repo.get(user_id)

            user_service = UserService(UserRepository())
            """,
            path="app/services/users.py",
            files={
                "app/repositories/users.py": "class UserRepository:\n    def get(self, i): ...\n"
            },
            line=11,
        ),
        Invalid(
            """
            from sqlalchemy import create_engine
            from sqlalchemy.orm import sessionmaker

            engine = create_engine("postgresql://localhost/app")
            db = sessionmaker(bind=engine)()
            """,
            path="app/repositories/base.py",
            line=5,
        ),
        Invalid(
            """
            _client = None

            def get_client():
                global _client
                if _client is None:
                    _client = object()
                return _client
            """,
            path="app/utils/clients.py",
            line=5,
        ),
    )

    def visit_Global(self, node: cst.Global) -> None:
        """Every `global` statement."""
        names = ", ".join(item.name.value for item in node.names)
        self.report(
            node,
            f"`global {names}` rebinds module state from a function; pass it in or keep it "
            "on an object the app owns",
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        """`x = <session, engine, service...>` at module level."""
        targets = [dotted(t.target) for t in node.targets]
        self._module_level(node, node.value, [t for t in targets if t])

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        """`x: T = <session, engine, service...>` at module level."""
        target = dotted(node.target)
        if node.value is not None and target:
            self._module_level(node, node.value, [target])

    def _module_level(
        self, node: cst.CSTNode, value: cst.BaseExpression, targets: list[str]
    ) -> None:
        ctx = self.ctx
        if ctx.function is not None or ctx.classes or not isinstance(value, cst.Call):
            return
        if ctx.layer not in _JUDGED_LAYERS or self._is_composition_root():
            return
        name = ctx.call_name(value)
        what = opens_db(name)
        if what is None and db_kind(ctx.type_of(value)) == "session":
            what = "session"
        if what is None:
            kind = component_kind(ctx.index, name)
            if kind is None or name is None:
                return
            what = f"{kind} instance ({name.rsplit('.', 1)[-1]})"
        shown = ", ".join(targets)
        self.report(
            node,
            f"module-level {what} `{shown}` in the {ctx.layer} layer is shared by every "
            "request; create it per request in the composition root (or in core at startup)",
        )

    def _is_composition_root(self) -> bool:
        """The configured composition roots, and api modules named like one in any layout."""
        summary = self.ctx.summary
        named_like_one = summary.module.rsplit(".", 1)[-1] in _COMPOSITION_ROOTS
        return summary.composition_root or (summary.layer == "api" and named_like_one)
