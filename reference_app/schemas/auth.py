"""The OAuth2 password-flow token request and response."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from reference_app.schemas.common import Storable


class TokenRequest(BaseModel):
    """OAuth2 password grant form; `username` is the username or the email."""

    grant_type: Literal["password"] | None = None
    username: Annotated[str, Field(min_length=1, max_length=255), Storable]
    password: Annotated[str, Field(min_length=1, max_length=128), Storable]
    scope: str = ""


class Token(BaseModel):
    """A bearer access token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
