"""ARC101 route-business-logic: a route handler that does the work instead of delegating."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from checks.analysis.names import dotted
from checks.analysis.walk import children
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.route_common import (
    body_statements,
    is_response_class,
    quoted,
    route_keyword,
    short,
)

if TYPE_CHECKING:
    from checks.analysis.context import ModuleContext
    from checks.analysis.model import RouteInfo

_ARITHMETIC = (
    cst.Add,
    cst.Subtract,
    cst.Multiply,
    cst.Divide,
    cst.FloorDivide,
    cst.Modulo,
    cst.Power,
    cst.MatrixMultiply,
)
_AUGMENTED_ARITHMETIC = (
    cst.AddAssign,
    cst.SubtractAssign,
    cst.MultiplyAssign,
    cst.DivideAssign,
    cst.FloorDivideAssign,
    cst.ModuloAssign,
    cst.PowerAssign,
    cst.MatrixMultiplyAssign,
)
_STRINGS = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
# Exact node types for the walks over every node of a handler: all are leaf classes, and
# isinstance() on libcst's abstract node classes is slow when it fails.
_LOGIC_IN_ARGUMENTS = frozenset(
    {cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.IfExp, *_COMPREHENSIONS}
)
_MAYBE_LOGIC = frozenset({cst.BinaryOperation, cst.IfExp, *_COMPREHENSIONS})  # see _logic
_COMPREHENSION_TYPES = frozenset(_COMPREHENSIONS)
_DEFINITIONS = frozenset({cst.FunctionDef, cst.ClassDef})
# Methods that turn one object into a schema (Pydantic v2 and v1, TypeAdapter).
_CONVERTERS = frozenset(
    {
        "model_validate",
        "model_validate_json",
        "model_construct",
        "validate_python",
        "from_orm",
        "parse_obj",
        "construct",
    }
)
_PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath"})
_MAX_SHOWN = 50
_LOGGER = re.compile(r"^_?(log|logger|logging|structlog|\w*_log|\w*_logger)$", re.IGNORECASE)


# Dependencies the examples receive, as a real api layer would declare them.
_DEPS = {
    "app/api/deps.py": """
        from pathlib import Path
        from typing import Annotated
        from fastapi import Depends
        from app.services.orders import OrderService
        from app.services.users import UserService

        EXPORT_DIR = Path("exports")

        def get_order_service() -> OrderService: ...
        def get_user_service() -> UserService: ...

        OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
        UserServiceDep = Annotated[UserService, Depends(get_user_service)]
    """,
    "app/schemas/user.py": """
        from pydantic import BaseModel

        class UserRead(BaseModel):
            id: int
            email: str
    """,
}


class RouteBusinessLogicRule(Rule):
    """Flags loops, decisions, arithmetic, computing comprehensions and fat handlers."""

    code = "ARC101"
    name = "route-business-logic"
    summary = "A route handler contains business logic instead of delegating to a service"
    rationale = (
        "What it does: reports, in a route handler, a loop (`for`, `while`); branching "
        "beyond a guard (an `if` with an `else`, a branch that goes on instead of leaving, "
        "`match`, a conditional expression); arithmetic (`a * b`, `total += x`; string "
        "formatting and path joining are not arithmetic); a comprehension that filters, "
        "flattens or computes; an except clause that does more than map an error to an HTTP "
        "response; and a handler with more statements than a thin one needs.\n\n"
        "A thin handler receives its dependencies, calls a service, and returns the result. "
        "Its statements are counted, docstring, `pass` and log calls excluded: each simple "
        "statement counts one, an `if` guard with its body counts one, a `with` counts one "
        "plus its body, a `try` counts only its body (except clauses that map errors are "
        "free). The "
        "option `max_statements` (default 6) is the most a handler may have; the first "
        "statement beyond it is reported.\n\n"
        "Not logic: a guard, that is an `if` (with `elif`s, without `else`) whose every "
        "branch leaves at once with `raise` or `return`, possibly after a log call "
        "(`if user is None: raise HTTPException(404)`, `if count == 0: return fail()`), "
        "a try/except that maps a domain error to "
        "an HTTPException, a comprehension that only converts results to a response schema "
        "(`[UserRead.model_validate(u) for u in users]`), passing a dependency's result "
        "along, and building a Response.\n\n"
        "Why it is bad: logic in handlers can only be exercised through HTTP, is duplicated "
        "when a second endpoint, a CLI or a job needs it, and mixes rules of the domain with "
        "the protocol, so neither can change without the other."
    )
    fix = (
        "Move the loop, the decision or the computation into a service method with a name "
        "from the domain (`orders.place(cart)`), and let the handler call it and return its "
        "result. Raise domain exceptions in the service and map them to HTTP errors in one "
        "exception handler, or in a try/except in the handler."
    )
    reference = "reference_app/api/v1/posts.py"
    default_options: ClassVar[Mapping[str, object]] = {"max_statements": 6}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """Judge each route handler's statements, counting them against the budget."""
        route = self.ctx.route_of(node)
        if route is None:
            return
        self._markup = _answers_markup(self.ctx, node, route)
        self._handler = node.name.value
        self._count = 0
        self._first_over: cst.CSTNode | None = None
        budget = self.options.get("max_statements", 6)
        self._budget = budget if isinstance(budget, int) else 6
        self._block(body_statements(node))
        if self._first_over is not None:
            self.report(
                self._first_over,
                f"handler `{self._handler}` runs {self._count} statements, more than the "
                f"{self._budget} a thin handler needs (max_statements); move the work into a "
                "service",
            )

    # -- statements ----------------------------------------------------------------------
    def _block(self, statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small)
            elif isinstance(statement, (cst.For, cst.While)):
                self._counted(statement)
                kind = "for" if isinstance(statement, cst.For) else "while"
                self._say(statement, f"loops (`{kind}`): iterating over data is business logic")
            elif isinstance(statement, cst.If):
                self._counted(statement)
                if _on_request_method(statement.test):
                    # `if request.method == "POST":` of a form handler (polar's back office)
                    # chooses between showing a form and acting on it: protocol, not logic.
                    self._block(_statements_of(statement.body))
                    if isinstance(statement.orelse, cst.Else):
                        self._block(_statements_of(statement.orelse.body))
                elif self._markup and _renders_only(statement):
                    pass  # `if htmx: with table(): ... else: with page(): ...`: the template
                elif self._is_guard(statement):
                    self._expressions(statement)
                else:
                    self._say(
                        statement,
                        f"branches on `{self._shown(statement.test)}` beyond a guard",
                    )
            elif isinstance(statement, cst.Match):
                self._counted(statement)
                self._say(statement, "branches with `match`")
            elif isinstance(statement, (cst.Try, cst.TryStar)):
                self._try(statement)
            elif isinstance(statement, cst.With):
                self._counted(statement)
                for item in statement.items:
                    self._expressions(item.item)
                if not self._markup:
                    self._block(_statements_of(statement.body))
            else:  # a nested function or class
                self._counted(statement)

    def _small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Pass) or _is_log_call(small):
            return
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis):
            return
        self._counted(small)
        if (
            isinstance(small, cst.AugAssign)
            and isinstance(small.operator, _AUGMENTED_ARITHMETIC)
            and not _is_stringy(small.value)  # `note += f"Reason: {reason}"` builds text
        ):
            self._say(
                small,
                f"computes `{self._shown(small)}`: arithmetic is business logic",
            )
            return
        self._expressions(small)

    def _try(self, node: cst.Try | cst.TryStar) -> None:
        self._block(_statements_of(node.body))
        for handler in node.handlers:
            body = _statements_of(handler.body)
            caught_as = (
                handler.name.name.value
                if handler.name is not None and isinstance(handler.name.name, cst.Name)
                else None
            )
            if not self._exits(body) and not self._notifies(body, caught_as):
                self._counted(handler)
                caught = self._shown(handler.type) if handler.type is not None else "everything"
                self._say(
                    handler,
                    f"does more in `except {caught}` than map it to an HTTP error",
                )
        if node.orelse is not None:
            self._block(_statements_of(node.orelse.body))
        if node.finalbody is not None:
            self._block(_statements_of(node.finalbody.body))

    def _notifies(self, statements: Sequence[cst.BaseStatement], caught: str | None) -> bool:
        """In a page, `except E as e: await add_toast(request, str(e))` is the error mapping.

        So is keeping the error for the form to show (`validation_error = e`, polar).
        """
        smalls = [
            small
            for statement in statements
            if isinstance(statement, cst.SimpleStatementLine)
            for small in statement.body
        ]
        return (
            self._markup
            and len(smalls) == len(statements)
            and bool(smalls)
            and all(_is_call_statement(s) or _is_log_call(s) or _keeps(s, caught) for s in smalls)
        )

    def _counted(self, node: cst.CSTNode) -> None:
        self._count += 1
        if self._count == self._budget + 1:
            self._first_over = node

    def _is_guard(self, node: cst.If) -> bool:
        """`if ...: raise ...` (elif branches too, no else): every branch leaves the handler.

        Guards may nest (`if a: if b: raise ...`).
        """
        branch: cst.If = node
        while True:
            if not self._exits(_statements_of(branch.body)):
                return False
            if branch.orelse is None:
                return True
            if not isinstance(branch.orelse, cst.If):
                return False
            branch = branch.orelse

    def _exits(self, statements: Sequence[cst.BaseStatement]) -> bool:
        """Log calls and guards, ending in `raise`, `return` or a guard.

        The guard clause of refactoring books: the block decides nothing but to leave.
        """
        parts: list[cst.CSTNode] = []
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                parts.extend(statement.body)
            elif isinstance(statement, cst.If) and self._is_guard(statement):
                parts.append(statement)
            else:
                return False
        if not parts or not isinstance(parts[-1], (cst.Raise, cst.Return, cst.If)):
            return False
        # A name assigned only to build the error it leaves with (`url = add_query(url,
        # error=e)` before `return RedirectResponse(url)`, polar's OAuth callback) keeps
        # the block a guard; what the assignment computes is still judged as an expression.
        used = _names_in(parts[-1])
        return all(
            isinstance(p, cst.If)
            or _is_log_call(p)
            or _assigns_one_of(p, used)
            or (self._markup and _is_call_statement(p))  # `await add_toast(request, "...")`
            for p in parts[:-1]
        )

    # -- expressions -----------------------------------------------------------------------
    def _expressions(self, root: cst.CSTNode) -> None:
        """Report the first piece of logic in an expression or simple statement."""
        stack: list[cst.CSTNode] = [root]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind in _DEFINITIONS:
                continue
            if kind in _MAYBE_LOGIC:
                message = self._logic(node)
                if message is not None:
                    self._say(node, message)
                    return
                if kind in _COMPREHENSION_TYPES:
                    continue  # a converting comprehension: nothing inside to judge
            stack.extend(reversed(children(node)))

    def _logic(self, node: cst.CSTNode) -> str | None:
        """The logic `node` is, as a message; only nodes of the _MAYBE_LOGIC types can be."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _ARITHMETIC):
            if _is_stringy(node) or self._is_path_join(node):
                return None
            return f"computes `{self._shown(node)}`: arithmetic is business logic"
        if isinstance(node, cst.IfExp) and not (
            self._markup and isinstance(node.body, _STRINGS) and isinstance(node.orelse, _STRINGS)
        ):  # in a page, `"Saved." if a else "Saved and triaged."` is the template's wording
            return f"branches with `{self._shown(node)}`"
        if isinstance(node, _COMPREHENSIONS) and not self._converts(node):
            return (
                f"computes `{self._shown(node)}`: a comprehension that filters or transforms "
                "data is business logic"
            )
        return None

    def _is_path_join(self, node: cst.BinaryOperation) -> bool:
        return isinstance(node.operator, cst.Divide) and bool(
            self.ctx.type_of(node.left) & _PATH_TYPES
        )

    def _converts(self, node: cst.BaseComp | cst.DictComp) -> bool:
        """A comprehension that only turns each result into a schema (or a plain record)."""
        clause = node.for_in
        if clause.ifs or clause.inner_for_in is not None:
            return False
        if isinstance(node, cst.DictComp):
            return _is_plain(node.key) and self._conversion(node.value)
        return self._conversion(node.elt)

    def _conversion(self, element: cst.BaseExpression) -> bool:
        if _is_plain(element):
            return True
        if isinstance(element, cst.Dict):
            return all(
                isinstance(e, cst.DictElement) and _is_plain(e.key) and self._conversion(e.value)
                for e in element.elements
            )
        if not isinstance(element, cst.Call) or not _simple_arguments(element):
            return False
        func = element.func
        if isinstance(func, cst.Attribute) and func.attr.value in _CONVERTERS:
            return True
        index = self.ctx.index
        if any(index.is_schema(t) for t in self.ctx.type_of(element)):
            return True  # a schema's constructor, or a serialiser declared to return one
        name = self.ctx.call_name(element)
        if name is None:
            return False
        constructor = name.rsplit(".", 1)[-1][:1].isupper()
        return constructor and not index.is_orm(name) and not is_response_class(self.ctx, name)

    # -- reporting -------------------------------------------------------------------------
    def _say(self, node: cst.CSTNode, what: str) -> None:
        self.report(node, f"handler `{self._handler}` {what}; move it into a service")

    def _shown(self, node: cst.CSTNode) -> str:
        return quoted(self.ctx, node, _MAX_SHOWN)

    VALID = (
        Valid(
            """
            from fastapi import APIRouter, HTTPException, status
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
                \"""Return one user.\"""
                user = await users.find(user_id)
                if user is None:
                    raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
                return user
            """,
            files=_DEPS,
            note="a not-found guard is not branching logic",
        ),
        Valid(
            """
            import logging
            from fastapi import APIRouter, HTTPException
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserCreate, UserRead
            from app.services.errors import EmailTaken, UsernameTaken

            router = APIRouter()
            logger = logging.getLogger(__name__)

            @router.post("/users", status_code=201)
            async def create_user(data: UserCreate, users: UserServiceDep) -> UserRead:
                try:
                    return await users.register(data)
                except EmailTaken as error:
                    logger.info("email taken: %s", data.email)
                    raise HTTPException(409, detail="Email already registered") from error
                except UsernameTaken as error:
                    raise HTTPException(409, detail="Username taken") from error
            """,
            files=_DEPS,
            note="try/except that maps domain errors to HTTP errors (after a log call)",
        ),
        Valid(
            """
            from fastapi import APIRouter, HTTPException
            from app.api.deps import CurrentUser, UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users")
            async def list_users(users: UserServiceDep, me: CurrentUser) -> list[UserRead]:
                if not me.is_active:
                    raise HTTPException(400, detail="Inactive user")
                elif not me.is_superuser:
                    raise HTTPException(403, detail="Not enough privileges")
                found = await users.list()
                return [UserRead.model_validate(user) for user in found]
            """,
            files=_DEPS,
            note="a chain of guards, and a comprehension that only converts to the schema",
        ),
        Valid(
            """
            from fastapi import APIRouter, HTTPException
            from app.api.deps import CurrentUser, UserServiceDep
            from app.common.response import ResponseModel, response_base
            from app.schemas.user import UserUpdate

            router = APIRouter()

            @router.put("/users/me")
            async def update_me(
                data: UserUpdate, me: CurrentUser, users: UserServiceDep
            ) -> ResponseModel:
                if data.email and data.email != me.email:
                    if await users.email_taken(data.email):
                        raise HTTPException(409, detail="Email taken")
                count = await users.update(me.id, data)
                if count > 0:
                    return response_base.success()
                return response_base.fail()
            """,
            files=_DEPS,
            note="a nested guard, and an early return (fastapi_best_architecture style)",
        ),
        Valid(
            """
            import structlog
            from fastapi import APIRouter
            from fastapi.responses import RedirectResponse
            from app.api.deps import CurrentUser, OrderServiceDep
            from app.schemas.order import OrderRead
            from app.api.errors import NotSignedIn

            router = APIRouter()
            log = structlog.get_logger()

            def _serialize(order) -> OrderRead:
                return OrderRead(id=order.id)

            @router.get("/orders")
            async def list_orders(
                me: CurrentUser | None, orders: OrderServiceDep
            ) -> list[OrderRead]:
                if me is None:
                    if orders.allows_anonymous:
                        return RedirectResponse("/login", 303)
                    raise NotSignedIn()
                found = await orders.list_for(me.id)
                log.info("orders.list", count=len(found), admin=me.id if me.is_admin else None)
                return [_serialize(order) for order in found]
            """,
            files={
                **_DEPS,
                "app/schemas/order.py": "from pydantic import BaseModel\n\n"
                "class OrderRead(BaseModel):\n    id: int\n",
            },
            note="a guard nested before a raise; log calls are free (polar style); a "
            "comprehension through a serialiser declared `-> OrderRead`",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi.responses import RedirectResponse
            from app.api.deps import UserServiceDep
            from app.core.urls import with_query

            router = APIRouter()

            @router.get("/oauth/callback")
            async def callback(
                users: UserServiceDep, code: str | None = None, error: str | None = None
            ) -> RedirectResponse:
                if code is None:
                    url = with_query("/login", error=error or "denied")
                    return RedirectResponse(url, 303)
                await users.link_account(code)
                return RedirectResponse("/account", 303)
            """,
            files=_DEPS,
            note="a guard that builds the error response it leaves with",
        ),
        Valid(
            """
            from fastapi import APIRouter, FastAPI
            from fastapi.responses import HTMLResponse
            from tagflow import tag, text
            from app.api.deps import OrderServiceDep

            router = APIRouter()

            @router.get("/orders/{order_id}")
            async def order_page(order_id: int, orders: OrderServiceDep):
                order = await orders.get(order_id)
                with tag.div(classes="card"):
                    with tag.h2():
                        text(f"Order {order.number}")
                    if order.refunded:
                        with tag.span(classes="badge"):
                            text("Refunded")
                    for line in order.lines:
                        with tag.li():
                            text(line.label)
                return None

            backoffice = FastAPI(default_response_class=HTMLResponse)
            backoffice.include_router(router)
            """,
            files=_DEPS,
            note="a page's markup blocks in an HTML handler are its template (polar's back office)",
        ),
        Valid(
            """
            from fastapi import APIRouter, FastAPI, Request
            from fastapi.responses import HTMLResponse, RedirectResponse
            from app.api.deps import OrderServiceDep
            from app.api.toasts import add_toast

            router = APIRouter()

            @router.api_route("/orders/{order_id}/refund", methods=["GET", "POST"])
            async def refund(request: Request, order_id: int, orders: OrderServiceDep):
                order = await orders.get(order_id)
                if order.fully_refunded:
                    await add_toast(request, "Already refunded.", "error")
                    return RedirectResponse(f"/orders/{order_id}", 303)
                if request.method == "POST":
                    await orders.refund(order)
                    return RedirectResponse(f"/orders/{order_id}", 303)
                return await orders.refund_form(order)

            backoffice = FastAPI(default_response_class=HTMLResponse)
            backoffice.include_router(router)
            """,
            files=_DEPS,
            note="a toast-then-leave guard in an HTML handler, and GET/POST dispatch of a form",
        ),
        Valid(
            """
            from fastapi import APIRouter, FastAPI, Request
            from fastapi.responses import HTMLResponse
            from tagflow import tag, text
            from app.api.deps import OrderServiceDep

            router = APIRouter()

            @router.get("/orders")
            async def orders_page(request: Request, orders: OrderServiceDep, overdue: bool = False):
                found = await orders.list(overdue=overdue)
                title = "Overdue orders" if overdue else "Orders"
                if request.headers.get("HX-Target") == "order-list":
                    with tag.table(id="order-list"):
                        text(str(len(found)))
                else:
                    with tag.h1():
                        text(title)

            backoffice = FastAPI(default_response_class=HTMLResponse)
            backoffice.include_router(router)
            """,
            files=_DEPS,
            note="in a page, a fragment-or-page choice made of markup and a choice of wording",
        ),
        Valid(
            """
            from fastapi import APIRouter, FastAPI, Request
            from fastapi.responses import HTMLResponse
            from app.api.deps import OrderServiceDep
            from app.api.toasts import add_toast
            from app.services.orders import OrderError

            router = APIRouter()

            @router.post("/orders/{order_id}/void")
            async def void(request: Request, order_id: int, reason: str, orders: OrderServiceDep):
                note = "Voided by support. "
                note += f"Reason: {reason}"
                try:
                    await orders.void(order_id, note)
                except OrderError as error:
                    await add_toast(request, str(error), "error")
                try:
                    await orders.validate(note)
                except ValueError as error:
                    problem = error
                return await orders.page(order_id, problem)

            backoffice = FastAPI(default_response_class=HTMLResponse)
            backoffice.include_router(router)
            """,
            files=_DEPS,
            note="text built with +=; an HTML page's except clauses that toast or keep the error",
        ),
        Valid(
            """
            from fastapi import APIRouter
            from fastapi.responses import FileResponse, Response
            from app.api.deps import EXPORT_DIR, OrderServiceDep

            router = APIRouter()

            @router.get("/orders/{order_id}/export")
            async def export_order(order_id: int, orders: OrderServiceDep) -> FileResponse:
                path = EXPORT_DIR / f"order-{order_id}.csv"
                await orders.export(order_id, path)
                return FileResponse(path, filename="order-" + str(order_id) + ".csv")

            @router.delete("/orders/{order_id}", status_code=204)
            async def delete_order(order_id: int, orders: OrderServiceDep) -> Response:
                await orders.delete(order_id)
                return Response(status_code=204)
            """,
            files=_DEPS,
            note="building a Response; joining paths and strings is not arithmetic",
        ),
        Valid(
            """
            from typing import Annotated
            from fastapi import APIRouter, BackgroundTasks, Query
            from app.api.deps import OrderServiceDep
            from app.schemas.order import OrderPage

            router = APIRouter()

            @router.get("/orders")
            async def list_orders(
                orders: OrderServiceDep,
                tasks: BackgroundTasks,
                limit: Annotated[int, Query(ge=1, le=100)] = 20,
                offset: Annotated[int, Query(ge=0)] = 0,
            ) -> OrderPage:
                page = await orders.list_page(limit=limit, offset=offset)
                tasks.add_task(orders.warm_cache, page)
                return page
            """,
            files=_DEPS,
            note="passing dependencies' results along; arithmetic in Query() bounds is not body",
        ),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import OrderServiceDep
            from app.schemas.order import Total

            router = APIRouter()

            @router.get("/orders/{order_id}/total")
            async def order_total(order_id: int, orders: OrderServiceDep) -> Total:
                order = await orders.get(order_id)
                total = 0
                for line in order.lines:
                    total += line.price * line.quantity
                return Total(amount=total)
            """,
            files=_DEPS,
            line=12,
            note="a loop that computes a total",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import CurrentUser, OrderServiceDep
            from app.schemas.order import OrderList

            router = APIRouter()

            @router.get("/orders")
            async def read_orders(me: CurrentUser, orders: OrderServiceDep) -> OrderList:
                if me.is_superuser:
                    found = await orders.list_all()
                else:
                    found = await orders.list_for(me.id)
                return OrderList(data=found)
            """,
            files=_DEPS,
            line=10,
            note="an if/else that decides what a user may see",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import OrderServiceDep
            from app.schemas.order import OrderList

            router = APIRouter()

            @router.get("/orders")
            async def list_orders(
                orders: OrderServiceDep, page: int = 1, size: int = 20
            ) -> OrderList:
                found = await orders.list(offset=(page - 1) * size, limit=size)
                return OrderList(data=found)
            """,
            files=_DEPS,
            line=12,
            note="pagination arithmetic",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import OrderServiceDep
            from app.schemas.order import OrderRead

            router = APIRouter()

            @router.get("/orders/open")
            async def open_orders(orders: OrderServiceDep) -> list[OrderRead]:
                found = await orders.list()
                return [OrderRead.model_validate(o) for o in found if o.status == "open"]
            """,
            files=_DEPS,
            line=11,
            note="a comprehension that filters is not a mere conversion",
        ),
        Invalid(
            """
            from fastapi import APIRouter, HTTPException
            from sqlalchemy.exc import IntegrityError
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserCreate, UserRead

            router = APIRouter()

            @router.post("/users")
            async def create_user(data: UserCreate, users: UserServiceDep) -> UserRead:
                try:
                    return await users.register(data)
                except IntegrityError:
                    await users.forget(data.email)
                    raise HTTPException(409, detail="Email already registered")
            """,
            files=_DEPS,
            line=13,
            note="an except clause that does more than map the error",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
                user = await users.get(user_id)
                label = "active" if user.is_active else "inactive"
                return UserRead(id=user.id, email=user.email, label=label)
            """,
            files=_DEPS,
            line=11,
            note="a conditional expression is a decision",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import OrderServiceDep, UserServiceDep
            from app.schemas.order import OrderCreate, OrderRead

            router = APIRouter()

            @router.post("/orders", status_code=201)
            async def place_order(
                data: OrderCreate, orders: OrderServiceDep, users: UserServiceDep
            ) -> OrderRead:
                customer = await users.get(data.customer_id)
                await users.check_credit(customer)
                cart = await orders.cart_of(customer)
                await orders.reserve_stock(cart)
                order = await orders.create(customer, cart)
                await orders.charge(order)
                await orders.send_confirmation(order)
                return order
            """,
            files=_DEPS,
            line=18,
            note="orchestration of seven steps: the statement budget (default 6) is exceeded",
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from app.api.deps import UserServiceDep
            from app.schemas.user import UserRead

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
                user = await users.get(user_id)
                await users.touch(user)
                return user
            """,
            files=_DEPS,
            options={"max_statements": 2},
            line=12,
            note="a stricter budget through the rule's options",
        ),
    )


def _statements_of(suite: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(suite, cst.IndentedBlock):
        return suite.body
    return (
        [cst.SimpleStatementLine(body=suite.body)]
        if isinstance(suite, cst.SimpleStatementSuite)
        else []
    )


def _answers_markup(ctx: ModuleContext, node: cst.FunctionDef, route: RouteInfo) -> bool:
    """A handler whose response class (its own or its router's default) is not JSON.

    Such a handler renders a page, and its `with` blocks are the page's markup
    (`with tag.div(): if order.refunded: text("Refunded")`, polar's tagflow back
    office): what happens inside them is the template, not business logic.
    """
    given = route_keyword(node, "response_class")
    if given is not None:
        name = ctx.qualify(given.value)
    else:
        name = ctx.index.router_settings(route.router)[0]
    return name is not None and "JSON" not in short(name)


def _renders_only(node: cst.If) -> bool:
    """Every branch of the if/elif/else is made of `with` blocks only (page markup)."""
    branch: cst.BaseSuite | cst.If | cst.Else | None = node
    while branch is not None:
        body = _statements_of(branch.body)
        if not body or not all(isinstance(s, cst.With) for s in body):
            return False
        branch = branch.orelse if isinstance(branch, cst.If) else None
    return True


def _on_request_method(test: cst.BaseExpression) -> bool:
    """`request.method == "POST"` (or `in (...)`, `!=`): a test of the HTTP method."""
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Attribute)
        and test.left.attr.value == "method"
        and all(
            isinstance(c.comparator, (*_STRINGS, cst.Tuple, cst.List, cst.Set))
            for c in test.comparisons
        )
    )


def _keeps(small: cst.CSTNode, caught: str | None) -> bool:
    """`name = e`, where `e` is the exception the clause caught."""
    return (
        caught is not None
        and isinstance(small, cst.Assign)
        and isinstance(small.value, cst.Name)
        and small.value.value == caught
    )


def _is_call_statement(small: cst.CSTNode) -> bool:
    """A call (awaited or not) standing alone as a statement: a notification."""
    if not isinstance(small, cst.Expr):
        return False
    value = small.value.expression if isinstance(small.value, cst.Await) else small.value
    return isinstance(value, cst.Call)


def _names_in(node: cst.CSTNode) -> frozenset[str]:
    """Every bare name a statement mentions."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Name:
            found.add(current.value)
        stack.extend(children(current))
    return frozenset(found)


def _assigns_one_of(small: cst.CSTNode, names: frozenset[str]) -> bool:
    """`name = ...` with one plain target, `name` among `names`."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target = small.target
    else:
        return False
    return isinstance(target, cst.Name) and target.value in names


def _is_log_call(small: cst.CSTNode) -> bool:
    """`logger.info(...)`, `log.warning(...)`, `logging.exception(...)` as a statement."""
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return False
    name = dotted(small.value.func) or ""
    return _LOGGER.match(name.split(".")[0]) is not None


def _is_plain(node: cst.BaseExpression) -> bool:
    """A name, an attribute chain or a literal: copying, not computing."""
    return isinstance(node, (cst.Name, cst.Attribute, cst.Integer, cst.Float, *_STRINGS))


def _is_stringy(node: cst.BaseExpression) -> bool:
    """String building (`"a" + b`, `"%s" % x`): formatting, not arithmetic."""
    if isinstance(node, _STRINGS):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return _is_stringy(node.left) or _is_stringy(node.right)
    return False


def _simple_arguments(call: cst.Call) -> bool:
    """No arithmetic, decisions or comprehensions inside a call's arguments."""
    stack: list[cst.CSTNode] = list(call.args)
    while stack:
        node = stack.pop()
        if type(node) in _LOGIC_IN_ARGUMENTS:
            return False
        stack.extend(children(node))
    return True
