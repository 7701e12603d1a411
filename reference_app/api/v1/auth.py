"""The OAuth2 password flow token endpoint."""

from typing import Annotated

from fastapi import APIRouter, Form

from reference_app.api.dependencies import AuthServiceDep
from reference_app.api.responses import problem_responses
from reference_app.schemas.auth import Token, TokenRequest

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", responses=problem_responses(401))
async def issue_token(form: Annotated[TokenRequest, Form()], auth: AuthServiceDep) -> Token:
    """Exchange a username (or email) and password for a bearer token."""
    return await auth.login(form.username, form.password)
