"""ARC502 secret-in-response: a response schema with a password, hash, secret or API key field."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from checks.analysis.names import keyword
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.secret_common import not_secret_type, secret_kind

_SCHEMAS = "app/schemas/user.py"
RESPONSE_SUFFIXES = ("Read", "Out", "Public", "Response")


class SecretInResponseRule(Rule):
    """Reports response schemas (by name or by use as a response model) with secret fields."""

    code = "ARC502"
    name = "secret-in-response"
    summary = "A response schema that exposes password, hashed_password, secret or api_key fields"
    rationale = (
        "Flags a response schema, one used as a route's response model or named like "
        "`*Read`, `*Out`, `*Public`, `*Response`, with a field for a password, a password "
        "hash, a secret or an API key, declared on it or inherited (`UserRead(UserBase)` "
        "where `UserBase` has `hashed_password`). Whatever the schema declares is sent to "
        "every client that calls the route, and ends up in browser caches, logs and HAR "
        "files; a leaked hash can be cracked offline at leisure. Request schemas "
        "(`UserCreate.password`) and the `access_token` of a token response are the point "
        "of their schema and are not reported; neither are `SecretStr` fields (masked on "
        "output) and fields marked `Field(exclude=True)`. Some responses hand out a secret "
        "on purpose (a payment provider's `client_secret` for the browser, a TOTP secret at "
        "enrollment, a new API key shown once): suppress the rule on those classes."
    )
    fix = (
        "Declare response schemas with only the fields a client may see (`UserRead` with "
        "id, email, username), separate from request schemas; move secrets to a base that "
        "only request schemas or internal models inherit."
    )
    reference = "reference_app/schemas/user.py"
    VALID: ClassVar = (
        Valid(
            """
            from pydantic import BaseModel, ConfigDict

            class UserBase(BaseModel):
                email: str

            class UserCreate(UserBase):
                password: str

            class UserRead(UserBase):
                model_config = ConfigDict(from_attributes=True)
                id: int
                has_password: bool
                password_changed_at: int | None = None

            class Token(BaseModel):
                access_token: str
                refresh_token: str
                token_type: str = "bearer"

            class LoginRequest(BaseModel):
                username: str
                password: str
            """,
            path=_SCHEMAS,
            note="request schemas with passwords; facts about a password are not the password",
        ),
        Valid(
            """
            from pydantic import BaseModel, Field, SecretStr

            class ApiClientOut(BaseModel):
                name: str
                client_secret: SecretStr
                api_key: str = Field(exclude=True)
                cache_key: str
            """,
            path="app/schemas/client.py",
            note="masked (SecretStr) or excluded fields; a lookup key is not an API key",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            """
            from pydantic import BaseModel

            class UserBase(BaseModel):
                email: str
                hashed_password: str

            class UserRead(UserBase):
                id: int
            """,
            path=_SCHEMAS,
            line=8,
            note="inherited from a base",
        ),
        Invalid(
            """
            from pydantic import BaseModel

            class Integration(BaseModel):
                name: str
                api_key: str
                webhook_secret: str | None = None
            """,
            path="app/schemas/integration.py",
            files={
                "app/api/integrations.py": """
                    from fastapi import APIRouter
                    from app.schemas.integration import Integration

                    router = APIRouter()

                    @router.get("/integrations/{name}", response_model=Integration)
                    async def get_integration(name: str):
                        ...
                """
            },
            line=4,
            note="used as a route's response model",
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """Report a response schema whose own or inherited fields include a secret."""
        index = self.ctx.index
        name = index.canonical(f"{self.ctx.summary.module}.{self.ctx.scope_name()}")
        if not index.is_schema(name) or not self._is_response(name):
            return
        own = self._own_fields(node)
        leaks: list[str] = []
        for field, (types, excluded) in own.items():
            kind = secret_kind(field)
            if kind is not None and not excluded and not not_secret_type(types, index.classes):
                leaks.append(f"`{field}` ({kind})")
        seen = set(own)
        for ancestor in index.ancestors(name)[1:]:
            info = index.classes.get(ancestor)
            if info is None:
                continue
            for field, types in info.fields.items():
                if field in seen:
                    continue
                seen.add(field)
                kind = secret_kind(field)
                if kind is None or self._is_response(ancestor):
                    continue  # a response base is reported on its own
                types = tuple(index.canonical(t) for t in types)
                if not not_secret_type(types, index.classes):
                    short = ancestor.rsplit(".", 1)[-1]
                    leaks.append(f"`{field}` ({kind}, inherited from `{short}`)")
        if leaks:
            self.report(
                node.name,
                f"response schema `{node.name.value}` exposes {', '.join(leaks)}; "
                "leave secrets out of what the API returns",
            )

    def _own_fields(self, node: cst.ClassDef) -> dict[str, tuple[frozenset[str], bool]]:
        """Field name -> (canonical type names, excluded from output) of the class body."""
        fields: dict[str, tuple[frozenset[str], bool]] = {}
        for stmt in node.body.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    types = self.ctx.annotation(small.annotation.annotation)
                    fields[small.target.value] = (types, _excluded(small.value))
        return fields

    def _is_response(self, name: str) -> bool:
        short = name.rsplit(".", 1)[-1]
        return short.endswith(RESPONSE_SUFFIXES) or name in self.ctx.index.response_models


def _excluded(value: cst.BaseExpression | None) -> bool:
    if not isinstance(value, cst.Call):
        return False
    arg = keyword(value, "exclude")
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"
