"""User endpoints: sign up, read and change one's own account, read any user."""

from typing import Annotated

from fastapi import APIRouter, Path, status

from reference_app.api.dependencies import CurrentUser, UserServiceDep
from reference_app.api.responses import problem_responses
from reference_app.schemas.common import MAX_ID
from reference_app.schemas.user import UserCreate, UserRead, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409))
async def create_user(data: UserCreate, users: UserServiceDep) -> UserRead:
    """Sign up; email and username must be unused."""
    return await users.register(data)


@router.get("/me", responses=problem_responses(401))
async def read_me(me: CurrentUser) -> UserRead:
    """Return the signed-in user."""
    return me


@router.patch("/me", responses=problem_responses(401, 409))
async def update_me(data: UserUpdate, me: CurrentUser, users: UserServiceDep) -> UserRead:
    """Change the signed-in user's email, username or password."""
    return await users.update(me.id, data)


@router.get("/{user_id}", responses=problem_responses(404))
async def read_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)], users: UserServiceDep
) -> UserRead:
    """Return any user, by id."""
    return await users.get(user_id)
