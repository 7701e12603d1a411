"""Posts: anyone reads, signed-in users write, only the author changes or deletes."""

from reference_app.core.exceptions import NotFoundError, PermissionDeniedError
from reference_app.models import Post
from reference_app.schemas.page import Page
from reference_app.schemas.post import PostCreate, PostRead, PostUpdate
from reference_app.services.ports import PostRepositoryPort


class PostService:
    """Business rules for posts."""

    def __init__(self, posts: PostRepositoryPort) -> None:
        self._posts = posts

    async def create(self, author_id: int, data: PostCreate) -> PostRead:
        """Publish a post by `author_id`."""
        post = await self._posts.add(author_id=author_id, title=data.title, body=data.body)
        return PostRead.model_validate(post)

    async def list_page(self, *, limit: int, offset: int) -> Page[PostRead]:
        """Return one page of posts, newest first, with the total count."""
        posts = await self._posts.list_newest_first(limit=limit, offset=offset)
        return Page[PostRead](
            items=[PostRead.model_validate(post) for post in posts],
            total=await self._posts.count(),
            limit=limit,
            offset=offset,
        )

    async def get(self, post_id: int) -> PostRead:
        """Return one post."""
        return PostRead.model_validate(await self._get(post_id))

    async def update(self, post_id: int, actor_id: int, changes: PostUpdate) -> PostRead:
        """Change a post; only its author may."""
        post = await self._owned_by(post_id, actor_id)
        post = await self._posts.update(post, title=changes.title, body=changes.body)
        return PostRead.model_validate(post)

    async def delete(self, post_id: int, actor_id: int) -> None:
        """Delete a post; only its author may."""
        await self._posts.delete(await self._owned_by(post_id, actor_id))

    async def _get(self, post_id: int) -> Post:
        post = await self._posts.get(post_id)
        if post is None:
            raise NotFoundError(f"post {post_id} does not exist")
        return post

    async def _owned_by(self, post_id: int, actor_id: int) -> Post:
        post = await self._get(post_id)
        if post.author_id != actor_id:
            raise PermissionDeniedError("only the author may change or delete this post")
        return post
