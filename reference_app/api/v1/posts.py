"""Post endpoints: anyone lists and reads, signed-in users write, authors edit."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from reference_app.api.dependencies import CurrentUser, PostServiceDep
from reference_app.api.responses import problem_responses
from reference_app.schemas.common import MAX_ID, MAX_OFFSET
from reference_app.schemas.page import Page
from reference_app.schemas.post import PostCreate, PostRead, PostUpdate

router = APIRouter(prefix="/posts", tags=["posts"])

PostId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(401))
async def create_post(data: PostCreate, me: CurrentUser, posts: PostServiceDep) -> PostRead:
    """Publish a post as the signed-in user."""
    return await posts.create(me.id, data)


@router.get("")
async def list_posts(
    posts: PostServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[PostRead]:
    """Return one page of posts, newest first."""
    return await posts.list_page(limit=limit, offset=offset)


@router.get("/{post_id}", responses=problem_responses(404))
async def read_post(post_id: PostId, posts: PostServiceDep) -> PostRead:
    """Return one post."""
    return await posts.get(post_id)


@router.patch("/{post_id}", responses=problem_responses(401, 403, 404))
async def update_post(
    post_id: PostId, data: PostUpdate, me: CurrentUser, posts: PostServiceDep
) -> PostRead:
    """Change a post; only its author may."""
    return await posts.update(post_id, me.id, data)


@router.delete(
    "/{post_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def delete_post(post_id: PostId, me: CurrentUser, posts: PostServiceDep) -> None:
    """Delete a post; only its author may."""
    await posts.delete(post_id, me.id)
